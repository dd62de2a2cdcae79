"""The demo collective comes with decisions to try, and one that already changed the plan."""

from decimal import Decimal

from sinfronteras.assembly.models import Proposal
from sinfronteras.demo.load import do_load_demo
from sinfronteras.members.services import decisions_in_force


def test_the_demo_has_open_votes_a_budget_and_a_passed_decision_that_changed_a_setting(db):
    collective = do_load_demo(households=30, volunteers=15).collective
    proposals = {p.kind: p for p in Proposal.objects.filter(collective=collective).exclude(change="default_quorum")}
    assert set(proposals) == {"consent", "ranked", "majority", "budget"}
    assert proposals["consent"].is_open and proposals["ranked"].is_open and proposals["budget"].is_open
    # Secret ballots stay sealed while open: who voted is counted, what they voted is not readable.
    assert proposals["ranked"].participations.count() >= 3 and proposals["budget"].options.count() == 4
    assert proposals["ranked"].sealed_choices.count() == proposals["ranked"].participations.count()
    assert not proposals["ranked"].ballots.exists()
    decision = proposals["majority"].decision
    collective.refresh_from_db()
    assert decision.passed and decision.applied_at and collective.retention_days == 14
    assert decisions_in_force(collective) == [decision.pk]


def test_the_demo_members_decided_their_quorum(db):
    collective = do_load_demo(households=30, volunteers=15).collective
    quorum = Proposal.objects.get(collective=collective, change="default_quorum")
    assert quorum.decision.passed and quorum.decision.applied_at
    collective.refresh_from_db()
    assert collective.default_quorum == Decimal("0.10")
    assert all(p.quorum >= collective.default_quorum for p in Proposal.objects.filter(collective=collective))
