"""The author may take back a proposal until somebody votes; it is then never counted."""

from django.urls import reverse

from assembly_helpers import end_window, propose, vote_all
from sinfronteras.assembly.models import Decision, Status
from sinfronteras.assembly.services import close_due, do_close
from sinfronteras.audit.models import Event


def test_the_author_withdraws_a_proposal_nobody_voted_on_and_it_is_never_counted(client, alice,
                                                                                 bob, la):
    proposal = propose(bob, kind="majority", title="Move the pantry to Tuesdays")
    client.force_login(bob)
    page = client.get(reverse("assembly:proposal", args=[proposal.pk])).content.decode()
    assert "Withdraw my proposal" in page
    client.post(reverse("assembly:withdraw", args=[proposal.pk]))
    proposal.refresh_from_db()
    assert proposal.status == Status.WITHDRAWN
    assert Event.objects.get(action="proposal.withdrawn").actor == bob

    assert do_close(end_window(proposal)) is None and close_due() == []
    assert not Decision.objects.exists()
    page = client.get(reverse("assembly:proposal", args=[proposal.pk])).content.decode()
    assert 'id="withdrawn"' in page and "Cast my vote" not in page
    listing = client.get(reverse("assembly:proposals")).content.decode()
    assert f'id="proposal-{proposal.pk}"' in listing and "withdrawn" in listing


def test_a_proposal_with_a_vote_runs_its_course(client, alice, bob, la):
    proposal = propose(bob, kind="majority", title="Move the pantry to Tuesdays")
    vote_all(proposal, [(alice, {"answer": "yes"})])
    client.force_login(bob)
    assert "Withdraw my proposal" not in client.get(
        reverse("assembly:proposal", args=[proposal.pk])).content.decode()
    response = client.post(reverse("assembly:withdraw", args=[proposal.pk]), follow=True)
    assert "Somebody has voted already" in response.content.decode()
    proposal.refresh_from_db()
    assert proposal.status == Status.OPEN and not Event.objects.filter(
        action="proposal.withdrawn").exists()


def test_only_the_author_withdraws(client, alice, bob, la):
    proposal = propose(bob, kind="majority", title="Move the pantry to Tuesdays")
    client.force_login(alice)  # a coordinator, too: no hidden powers
    response = client.post(reverse("assembly:withdraw", args=[proposal.pk]), follow=True)
    assert "Only the member who proposed it" in response.content.decode()
    proposal.refresh_from_db()
    assert proposal.status == Status.OPEN


def test_a_withdrawn_proposal_takes_no_votes(client, alice, bob, la):
    proposal = propose(bob, kind="majority", title="Move the pantry to Tuesdays")
    client.force_login(bob)
    client.post(reverse("assembly:withdraw", args=[proposal.pk]))
    client.force_login(alice)
    response = client.post(reverse("assembly:proposal", args=[proposal.pk]), {"answer": "yes"},
                           follow=True)
    assert "has closed" in response.content.decode()
    assert not proposal.ballots.exists()
    assert client.get(reverse("assembly:ballots", args=[proposal.pk, "toi"])).status_code == 404
