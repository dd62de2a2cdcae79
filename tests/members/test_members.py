from datetime import timedelta

import subprocess
import sys

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse
from django.utils import timezone

from conftest import PASSWORD, area
from sinfronteras.audit.models import Event
from sinfronteras.members.models import Collective, Invite, Member
from sinfronteras.members.services import do_create_invite


def signup_data(la, **changes):
    data = {"display_name": "Rosa", "username": "rosa", "password": "una clave larga y rara",
            "language": "es", "area": area(la, "Echo Park").pk}
    data.update(changes)
    return data


def test_an_invite_link_signs_up_a_member_vouched_for_by_the_inviter(client, la, bob):
    _, token = do_create_invite(bob)
    response = client.post(reverse("join", args=[token]), signup_data(la))
    assert response.status_code == 302
    rosa = Member.objects.get(username="rosa")
    assert (rosa.vouched_by, rosa.collective, rosa.language, rosa.role) == (bob, la, "es", "member")
    assert rosa.password.startswith("argon2")
    assert Invite.objects.get().used_by == rosa


def test_an_invite_works_only_once(client, la, bob):
    _, token = do_create_invite(bob)
    client.post(reverse("join", args=[token]), signup_data(la))
    client.logout()
    response = client.post(reverse("join", args=[token]), signup_data(la, username="second"))
    assert response.status_code == 404
    assert not Member.objects.filter(username="second").exists()


def test_an_expired_invite_is_refused(client, la, bob):
    invite, token = do_create_invite(bob)
    Invite.objects.filter(pk=invite.pk).update(expires_at=timezone.now() - timedelta(seconds=1))
    assert client.get(reverse("join", args=[token])).status_code == 404


def test_only_a_hash_of_the_invite_token_is_stored(la, bob):
    invite, token = do_create_invite(bob)
    assert token not in invite.token_hash and len(invite.token_hash) == 64


def test_sign_up_shows_which_field_is_wrong_and_writes_nothing(client, la, bob):
    _, token = do_create_invite(bob)
    response = client.post(reverse("join", args=[token]),
                           signup_data(la, username="no spaces please", password="123"))
    page = response.content.decode()
    assert 'id="error-username"' in page and 'id="error-password"' in page
    assert not Member.objects.filter(display_name="Rosa").exists()
    assert Invite.objects.usable().count() == 1


def test_the_invite_page_creates_a_link_once(client, bob):
    client.force_login(bob)
    page = client.post(reverse("invites")).content.decode()
    assert "/join/" in page and Invite.objects.filter(created_by=bob).count() == 1


def test_login_is_locked_per_account_after_too_many_failures(client, bob, settings):
    settings.LOGIN_MAX_FAILURES = 3
    for _ in range(3):
        client.post(reverse("login"), {"username": "bob", "password": "wrong password"})
    bob.refresh_from_db()
    assert bob.is_locked()
    response = client.post(reverse("login"), {"username": "bob", "password": PASSWORD})
    assert "Too many failed attempts" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_a_good_login_resets_the_failure_count(client, bob):
    client.post(reverse("login"), {"username": "bob", "password": "wrong password"})
    response = client.post(reverse("login"), {"username": "bob", "password": PASSWORD})
    assert response.status_code == 302
    bob.refresh_from_db()
    assert bob.failed_logins == 0


def test_the_language_follows_the_members_choice_over_the_browser(client, bob):
    bob.language = "es"
    bob.save()
    client.force_login(bob)
    page = client.get(reverse("home"), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Necesito algo" in page


def test_the_language_follows_the_browser_without_a_login(client, la):
    page = client.get(reverse("login"), HTTP_ACCEPT_LANGUAGE="es").content.decode()
    assert "Iniciar sesión" in page


def test_a_member_changes_language_and_it_is_saved(client, bob):
    client.force_login(bob)
    client.post(reverse("set_language"), {"language": "es", "next": "/"})
    bob.refresh_from_db()
    assert bob.language == "es"


def test_createcollective_makes_a_collective_and_its_first_coordinator(db, capsys):
    call_command("createcollective", "Boyle Heights Mutual Aid", "--username", "rosa",
                 "--password", PASSWORD, "--area", "Boyle Heights:34.0297,-118.2117")
    rosa = Member.objects.get(username="rosa")
    assert rosa.is_coordinator and rosa.collective.name == "Boyle Heights Mutual Aid"
    assert rosa.collective.areas.get().lat == 34.03  # coarse: about 1 km
    food = rosa.collective.resources.get(key="food")
    assert food.basic and food.unit_es == "kg"
    assert rosa.collective.resources.filter(carries=True).count() == 1
    started = Event.objects.get(collective=rosa.collective, action="catalogue.started")
    assert started.actor == rosa and "food" in started.data["basic"]


def test_createcollective_can_start_with_an_empty_catalogue(db):
    call_command("createcollective", "Empty Shelves", "--username", "rosa", "--password", PASSWORD,
                 "--catalogue", "empty")
    assert not Member.objects.get(username="rosa").collective.resources.exists()


@pytest.mark.parametrize("args, says", [
    (["--username", "a b"], "--username 'a b'"),
    (["--username", "rosa", "--password", "123"], "password is too weak"),
    (["--username", "rosa", "--area", "Nowhere"], "--area 'Nowhere'"),
    (["--username", "rosa", "--area", "Pole:95,0"], "latitude"),
    (["--username", "rosa", "--area", "Bell:33.97,-118.18", "--area", "bell:33.98,-118.18"],
     "same name"),
    (["--username", "rosa", "--area", "B" * 101 + ":33.97,-118.18"], "at most 100 characters"),
    (["--username", "rosa", "--display-name", "R" * 61], "--display-name has at most 60"),
])
def test_createcollective_refuses_bad_input_with_exit_2_and_writes_nothing(db, args, says):
    if "--password" not in args:
        args = [*args, "--password", PASSWORD]
    with pytest.raises(CommandError) as error:
        call_command("createcollective", "X", *args)
    assert error.value.returncode == 2 and says in str(error.value)
    assert "\n" not in str(error.value)
    assert not Collective.objects.filter(name="X").exists()


def test_createcollective_refuses_a_name_longer_than_the_database_keeps(db):
    with pytest.raises(CommandError) as error:
        call_command("createcollective", "N" * 101, "--username", "rosa", "--password", PASSWORD)
    assert error.value.returncode == 2 and "shorten it to 100" in str(error.value)
    assert not Collective.objects.exists()


def test_the_cli_prints_one_line_and_exits_2_on_bad_input():
    done = subprocess.run([sys.executable, "-m", "sinfronteras.cli", "createcollective", "X",
                           "--username", "a b", "--password", PASSWORD],
                          capture_output=True, text=True, timeout=60)
    assert done.returncode == 2
    assert done.stderr.strip().splitlines() == [
        "sinfronteras createcollective: error: --username 'a b': use 3 to 40 letters, digits, - or _."]
