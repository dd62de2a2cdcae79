"""Roles change only by a decision of the members, and never leave a collective without a
coordinator."""

import pytest
from django.test import Client as PlainClient
from django.urls import reverse

from assembly_helpers import end_window, proposal_data, propose, vote_all
from conftest import make_member
from sinfronteras.assembly.forms import ProposeForm
from sinfronteras.assembly.services import do_close
from sinfronteras.audit.models import Event


def test_a_passed_majority_makes_a_member_a_coordinator_who_then_sets_up_a_second_factor(
        alice, bob, carla, la):
    proposal = propose(carla, kind="majority", title="Bob coordinates Echo Park",
                       change="coordinator", subject=str(bob.pk))
    vote_all(proposal, [(alice, {"answer": "yes"}), (carla, {"answer": "yes"})])
    decision = do_close(end_window(proposal))
    bob.refresh_from_db()
    assert decision.passed and decision.applied_at and bob.is_coordinator
    event = Event.objects.get(action="role.changed")
    assert event.decision_ref == decision.pk
    assert event.data == {"member": bob.display_name, "member_id": bob.pk, "old": "member",
                          "new": "coordinator"}

    client = PlainClient()  # a real login: coordinator powers wait for a second factor
    client.force_login(bob)
    response = client.get(reverse("plans:plan"))
    assert response.status_code == 302 and response["Location"].startswith(reverse("second_factor"))


def test_a_rejected_role_change_changes_nothing(alice, bob, carla, la):
    proposal = propose(carla, kind="majority", title="Bob coordinates", change="coordinator",
                       subject=str(bob.pk))
    vote_all(proposal, [(alice, {"answer": "no"}), (carla, {"answer": "no"})])
    assert not do_close(end_window(proposal)).passed
    bob.refresh_from_db()
    assert not bob.is_coordinator and not Event.objects.filter(action="role.changed").exists()


def test_the_last_coordinator_stays_one_and_the_log_says_why(alice, bob, carla, la):
    proposal = propose(bob, kind="majority", title="Alice steps down", change="member",
                       subject=str(alice.pk))
    vote_all(proposal, [(bob, {"answer": "yes"}), (carla, {"answer": "yes"})])
    decision = do_close(end_window(proposal))
    alice.refresh_from_db()
    assert decision.passed and decision.applied_at is None and alice.is_coordinator
    problem = Event.objects.get(action="decision.not_applied", decision_ref=decision.pk)
    assert "without a coordinator" in problem.data["problem"]


def test_a_coordinator_steps_down_once_another_one_is_there(alice, bob, carla, la, password_hash):
    make_member(la, "rosa", "Koreatown", password_hash=password_hash, role="coordinator")
    proposal = propose(bob, kind="consent", title="Alice rests", change="member",
                       subject=str(alice.pk))
    vote_all(proposal, [(bob, {"answer": "agree"}), (carla, {"answer": "agree"})])
    do_close(end_window(proposal))
    alice.refresh_from_db()
    assert not alice.is_coordinator


@pytest.mark.parametrize("changes, field, says", [
    ({"kind": "majority", "change": "coordinator"}, "subject", "Pick the member"),
    ({"kind": "majority", "change": "retention_days", "change_value": "10", "subject": "BOB"},
     "subject", "Only a change of role"),
    ({"kind": "majority", "change": "coordinator", "subject": "ALICE"}, "subject",
     "a coordinator already"),
    ({"kind": "majority", "change": "member", "subject": "BOB"}, "subject", "is not a coordinator"),
    ({"kind": "ranked", "options": "a\nb", "change": "coordinator", "subject": "BOB"}, "change",
     "Only a consent or majority"),
    ({"kind": "majority", "change": "coordinator", "subject": "DMITRI"}, "subject", "member of your collective"),
])
def test_it_rejects_a_role_change_that_cannot_be_and_says_why(alice, bob, dmitri, la, changes,
                                                              field, says):
    people = {"ALICE": alice, "BOB": bob, "DMITRI": dmitri}
    if changes.get("subject") in people:
        changes["subject"] = str(people[changes["subject"]].pk)
    form = ProposeForm(proposal_data(**changes), member=bob)
    assert not form.is_valid()
    assert says in " ".join(form.errors[field])


def test_the_proposal_page_names_the_member_a_role_change_is_about(client, alice, bob, la):
    proposal = propose(alice, kind="majority", title="Bob coordinates", change="coordinator",
                       subject=str(bob.pk))
    client.force_login(bob)
    page = client.get(reverse("assembly:proposal", args=[proposal.pk])).content.decode()
    assert f"make a member a coordinator: {bob.display_name}" in page


def test_a_passed_removal_shuts_a_member_out_and_withdraws_what_they_posted(
        alice, bob, carla, la, need_of, offer_of):
    from sinfronteras.members.models import ApiToken

    need, offer = need_of(bob, "food", 3), offer_of(bob, ["diapers"], 2)
    _row, token = ApiToken.issue(bob, "script")
    proposal = propose(carla, kind="consent", title="Bob is out", change="remove",
                       subject=str(bob.pk))
    vote_all(proposal, [(alice, {"answer": "agree"}), (carla, {"answer": "agree"})])
    decision = do_close(end_window(proposal))
    bob.refresh_from_db()
    need.refresh_from_db()
    offer.refresh_from_db()
    assert decision.applied_at and not bob.is_active
    assert (need.status, offer.status) == ("withdrawn", "withdrawn")
    assert Event.objects.get(action="member.removed").decision_ref == decision.pk
    client = PlainClient()
    assert client.post(reverse("login"), {"username": "bob", "password": "correct horse battery staple"}
                       ).status_code == 200  # refused
    api = client.get("/api/needs", HTTP_AUTHORIZATION=f"Bearer {token}")
    assert api.status_code == 401


def test_the_last_coordinator_is_not_removed(alice, bob, carla, la):
    proposal = propose(bob, kind="majority", title="Alice is out", change="remove",
                       subject=str(alice.pk))
    vote_all(proposal, [(bob, {"answer": "yes"}), (carla, {"answer": "yes"})])
    decision = do_close(end_window(proposal))
    alice.refresh_from_db()
    assert decision.applied_at is None and alice.is_active and alice.is_coordinator
    assert Event.objects.filter(action="decision.not_applied", decision_ref=decision.pk).exists()


def test_a_removed_member_is_erased_once_the_retention_has_passed(alice, bob, carla, la):
    from datetime import timedelta

    import time_machine
    from django.utils import timezone

    from sinfronteras.members.models import Member
    from sinfronteras.plans.housekeeping import do_housekeeping

    proposal = propose(carla, kind="majority", title="Bob is out", change="remove",
                       subject=str(bob.pk))
    vote_all(proposal, [(alice, {"answer": "yes"}), (carla, {"answer": "yes"})])
    do_close(end_window(proposal))
    days = la.retention_days
    with time_machine.travel(timezone.now() + timedelta(days=days - 1), tick=False):
        assert do_housekeeping()["members_erased"] == 0
    assert Member.objects.filter(pk=bob.pk, is_active=False).exists()
    with time_machine.travel(timezone.now() + timedelta(days=days + 1), tick=False):
        assert do_housekeeping()["members_erased"] == 1
    assert not Member.objects.filter(pk=bob.pk).exists()
    assert Event.objects.get(action="member.removed").data == {"member": "-"}
