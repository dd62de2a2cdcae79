"""A member's own account: the name others see, area, language, password, and leaving."""

import re
from datetime import timedelta
from decimal import Decimal

import pytest
from django.test import Client as PlainClient
from django.urls import reverse
from django.utils import timezone

from assembly_helpers import end_window, propose, vote_all
from conftest import PASSWORD, area
from plans_fixtures import carrier_of, carrying, open_carry_tasks, volunteer  # noqa: F401
from sinfronteras.assembly.models import Ballot
from sinfronteras.assembly.services import do_close
from sinfronteras.audit.models import Event
from sinfronteras.members.models import ApiToken, Member
from sinfronteras.members.services import do_create_invite
from sinfronteras.organizing.models import Commitment, Conversation
from sinfronteras.plans import lifecycle
from sinfronteras.sharing.models import Need, Offer


def log_in(username, password=PASSWORD):
    client = PlainClient()
    assert client.post(reverse("login"), {"username": username, "password": password}
                       ).status_code == 302
    return client


def test_a_member_changes_the_name_others_see_and_their_area(client, bob, la):
    client.force_login(bob)
    client.post(reverse("account"), {"display_name": "Beto", "area": area(la, "Koreatown").pk,
                                     "language": "es"})
    bob.refresh_from_db()
    assert (bob.display_name, bob.area.name, bob.language) == ("Beto", "Koreatown", "es")


def test_it_rejects_an_area_of_another_collective_and_an_empty_name(client, bob, la, oakland):
    client.force_login(bob)
    page = client.post(reverse("account"), {"display_name": "", "language": "en",
                                            "area": oakland.areas.get().pk}).content.decode()
    assert 'id="error-display_name"' in page and 'id="error-area"' in page
    bob.refresh_from_db()
    assert bob.display_name == "Bob" and bob.area.name == "Echo Park"


def test_a_new_password_logs_out_every_other_device(bob):
    phone, laptop = log_in("bob"), log_in("bob")
    response = laptop.post(reverse("password_change"), {
        "old_password": PASSWORD, "new_password1": "a brand new long one",
        "new_password2": "a brand new long one"})
    assert response.status_code == 302
    assert laptop.get(reverse("needs")).status_code == 200  # this device stays in
    assert phone.get(reverse("needs")).status_code == 302  # the lost phone is out
    log_in("bob", "a brand new long one")


def test_a_wrong_old_password_changes_nothing(bob):
    laptop = log_in("bob")
    page = laptop.post(reverse("password_change"), {
        "old_password": "wrong", "new_password1": "a brand new long one",
        "new_password2": "a brand new long one"}).content.decode()
    assert 'id="error-old_password"' in page
    log_in("bob")


@pytest.fixture
def carlas_world(la, alice, bob, carla, need_of, offer_of, carrier_of, open_carry_tasks):
    """Carla has a need, an offer, a carry task accepted, a conversation, a commitment, a
    token, an invite, and an open ballot on a closed proposal."""
    need = need_of(carla, "diapers", 2)
    offer = offer_of(carla, ["childcare"], 3)
    carries = carrier_of(carla, 4)
    task = open_carry_tasks(1)[0]
    lifecycle.do_take(carla, task)
    Conversation.objects.create(collective=la, logged_by=carla, area=carla.area, nickname="Mateo",
                                interest="interested", held_on=timezone.localdate())
    Commitment.objects.create(collective=la, member=carla, what="bring 50 copies",
                              due_on=timezone.localdate() + timedelta(days=3))
    ApiToken.issue(carla, "phone")
    do_create_invite(carla)
    proposal = propose(alice, kind="majority", title="Open Sundays", ballot_mode="open")
    vote_all(proposal, [(carla, {"answer": "yes"}), (bob, {"answer": "yes"})])
    decision = do_close(end_window(proposal))
    return {"need": need, "offer": offer, "carries": carries, "task": task, "decision": decision}


def test_a_member_who_leaves_is_erased_and_what_they_carried_goes_back_to_the_pool(
        carla, la, carlas_world):
    client = log_in("carla")
    response = client.post(reverse("leave"), {"password": PASSWORD})
    assert "You have left" in response.content.decode()
    assert not Member.objects.filter(username="carla").exists()
    assert not Need.objects.filter(pk=carlas_world["need"].pk).exists()
    assert not Offer.objects.filter(posted_by_id=carla.pk).exists()
    assert not Conversation.objects.exists() and not Commitment.objects.exists()
    assert not ApiToken.objects.exists() and not la.invites.exists()
    task = carlas_world["task"]
    task.refresh_from_db()
    assert task.state == "declined" and task.carrier is None
    # Her vote stays counted, with no name on it; the log says a member left, not who.
    decision = carlas_world["decision"]
    assert Ballot.objects.filter(proposal=decision.proposal).count() == 2
    assert Ballot.objects.filter(proposal=decision.proposal, voter__isnull=True).count() == 1
    left = Event.objects.get(action="member.left")
    assert left.actor is None and left.data == {}
    assert client.get(reverse("needs")).status_code == 302


def test_a_wrong_password_erases_nothing_and_counts_as_a_failed_login(carla, carlas_world):
    client = log_in("carla")
    page = client.post(reverse("leave"), {"password": "not mine"}).content.decode()
    assert 'id="error-password"' in page
    carla.refresh_from_db()
    assert carla.failed_logins == 1 and Need.objects.filter(posted_by=carla).exists()


def test_the_only_coordinator_cannot_leave_until_the_members_choose_another(client, alice, la):
    client.force_login(alice)
    response = client.post(reverse("leave"), {"password": PASSWORD}, follow=True)
    assert "only coordinator" in response.content.decode()
    assert Member.objects.filter(pk=alice.pk).exists()
    assert not Event.objects.filter(action="member.left").exists()


def test_the_results_page_shows_a_leavers_open_ballot_without_a_name(client, alice, bob, la,
                                                                     carla, carlas_world):
    log_in("carla").post(reverse("leave"), {"password": PASSWORD})
    client.force_login(bob)
    proposal = carlas_world["decision"].proposal
    page = client.get(reverse("assembly:results", args=[proposal.pk])).content.decode()
    assert "a member who has left" in page and not re.search(r">\s*Carla:", page)


def test_a_leaver_is_no_longer_named_in_the_log_of_the_decision_that_made_them_coordinator(
        alice, bob, carla, la):
    from sinfronteras.members.services import do_change_role, do_leave

    do_change_role(la, bob, "coordinator", decision_ref=7)
    do_leave(bob)
    event = Event.objects.get(action="role.changed")
    assert event.decision_ref == 7 and event.data == {"member": "-", "old": "member",
                                                      "new": "coordinator"}
