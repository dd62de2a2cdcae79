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
    client.post(reverse("assembly:withdraw", args=[proposal.pk]), {"confirm": "yes"})
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
    response = client.post(reverse("assembly:withdraw", args=[proposal.pk]), {"confirm": "yes"}, follow=True)
    assert "Somebody has voted already" in response.content.decode()
    proposal.refresh_from_db()
    assert proposal.status == Status.OPEN and not Event.objects.filter(
        action="proposal.withdrawn").exists()


def test_only_the_author_withdraws(client, alice, bob, la):
    proposal = propose(bob, kind="majority", title="Move the pantry to Tuesdays")
    client.force_login(alice)  # a coordinator, too: no hidden powers
    response = client.post(reverse("assembly:withdraw", args=[proposal.pk]), {"confirm": "yes"}, follow=True)
    assert "Only the member who proposed it" in response.content.decode()
    proposal.refresh_from_db()
    assert proposal.status == Status.OPEN


def test_a_withdrawn_proposal_takes_no_votes(client, alice, bob, la):
    proposal = propose(bob, kind="majority", title="Move the pantry to Tuesdays")
    client.force_login(bob)
    client.post(reverse("assembly:withdraw", args=[proposal.pk]), {"confirm": "yes"})
    client.force_login(alice)
    response = client.post(reverse("assembly:proposal", args=[proposal.pk]), {"answer": "yes"},
                           follow=True)
    assert "has closed" in response.content.decode()
    assert not proposal.ballots.exists()
    assert client.get(reverse("assembly:ballots", args=[proposal.pk, "toi"])).status_code == 404


def test_the_author_fixes_a_proposal_before_anybody_votes(client, alice, bob, la):
    from assembly_helpers import proposal_data

    proposal = propose(bob, kind="ranked", title="Which day is the food drive?",
                       options="Saturday\nSunday", quorum="50")
    client.force_login(bob)
    form_page = client.get(reverse("assembly:edit", args=[proposal.pk])).content.decode()
    assert "Saturday\nSunday" in form_page and 'value="50"' in form_page
    client.post(reverse("assembly:edit", args=[proposal.pk]),
                proposal_data(kind="ranked", title="Which day is the food drive? (June)",
                              options="Saturday\nSunday\nFriday evening", quorum="40"))
    proposal.refresh_from_db()
    assert proposal.title.endswith("(June)") and str(proposal.quorum) == "0.40"
    assert [o.label for o in proposal.options.all()] == ["Saturday", "Sunday", "Friday evening"]
    assert Event.objects.get(action="proposal.edited").actor == bob


def test_once_somebody_voted_the_proposal_stays_as_it_was_voted_on(client, alice, bob, la):
    from assembly_helpers import proposal_data

    proposal = propose(bob, kind="majority", title="Open on Sundays")
    vote_all(proposal, [(alice, {"answer": "yes"})])
    client.force_login(bob)
    response = client.post(reverse("assembly:edit", args=[proposal.pk]),
                           proposal_data(kind="majority", title="Close on Sundays"), follow=True)
    assert "only until somebody votes" in response.content.decode()
    proposal.refresh_from_db()
    assert proposal.title == "Open on Sundays"


def test_only_the_author_changes_a_proposal(client, alice, bob, la):
    from assembly_helpers import proposal_data

    proposal = propose(bob, kind="majority", title="Open on Sundays")
    client.force_login(alice)
    client.post(reverse("assembly:edit", args=[proposal.pk]),
                proposal_data(kind="majority", title="Close on Sundays"))
    proposal.refresh_from_db()
    assert proposal.title == "Open on Sundays"


def test_a_budget_proposal_shows_its_projects_as_typed_when_edited(client, bob, la):
    proposal = propose(bob, kind="budget", title="Spend the pool",
                       resource=str(la.resources.get(key="food").pk), budget="100",
                       options="Fridge; 60; Boyle Heights\nGarden; 50; Echo Park")
    client.force_login(bob)
    page = client.get(reverse("assembly:edit", args=[proposal.pk])).content.decode()
    assert "Fridge; 60; Boyle Heights\nGarden; 50; Echo Park" in page
