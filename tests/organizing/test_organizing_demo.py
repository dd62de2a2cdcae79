"""The demo collective organizes: a coming action, logged conversations, commitments."""

from django.utils import timezone

from sinfronteras.demo.load import do_load_demo
from sinfronteras.organizing.models import Action, Commitment, Conversation


def test_the_demo_has_a_coming_action_conversations_and_commitments(db):
    collective = do_load_demo(households=10, volunteers=8).collective
    rally = Action.objects.get(collective=collective, starts_at__gte=timezone.now())
    assert {link.need.resource.key for link in rally.links.all()} == {"newspaper", "presence"}
    assert Conversation.objects.filter(collective=collective, contact_sealed__isnull=True).count() >= 10
    assert Commitment.objects.filter(collective=collective).count() == 5
    assert Action.objects.filter(collective=collective, results_at__isnull=False).count() == 3
