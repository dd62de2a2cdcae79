"""Coordinator power through the API needs two factors, as on the pages.

A session acts as a member until its second factor is verified; a token is
member-scoped unless a verified session made it coordinator-scoped; tokens
expire and die on a password change, a role change, removal and leaving.
"""

import json
from datetime import timedelta

import pytest
from django.test import Client as PlainClient
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.formats import date_format

from conftest import PASSWORD, give_second_factor
from sinfronteras.members.models import ApiToken, Role
from sinfronteras.members.services import (
    TokenRefused, do_change_role, do_issue_token, do_leave, do_remove_member,
)
from sinfronteras.sharing.models import Need


def log_in_with_the_password_only(username):
    client = PlainClient()
    response = client.post(reverse("login"), {"username": username, "password": PASSWORD})
    assert response.status_code == 302
    return client


def bearer(token):
    return {"HTTP_AUTHORIZATION": f"Bearer {token}"}


def new_token_on_the_page(client, **fields):
    page = client.post(reverse("tokens"), {"name": "script", **fields}).content.decode()
    return page.split('id="new-token">')[1].split("<")[0] if 'id="new-token"' in page else None


@pytest.mark.parametrize("has_device", [False, True], ids=["never-set-up", "code-not-entered"])
def test_a_password_only_coordinator_session_sees_only_its_own_needs(alice, bob, need_of,
                                                                     has_device):
    if has_device:
        give_second_factor(alice)
    need_of(bob, "food", 2)
    own = need_of(alice, "diapers", 1)
    client = log_in_with_the_password_only("alice")
    response = client.get("/api/needs")
    assert response.status_code == 200
    assert [row["id"] for row in response.json()] == [own.pk]


def test_a_password_only_coordinator_session_cannot_change_or_withdraw_anothers_need(
        alice, bob, need_of):
    theirs = need_of(bob, "food", 2)
    client = log_in_with_the_password_only("alice")
    patched = client.patch(f"/api/needs/{theirs.pk}", json.dumps({"quantity": 9}),
                           content_type="application/json")
    withdrawn = client.delete(f"/api/needs/{theirs.pk}")
    assert (patched.status_code, withdrawn.status_code) == (404, 404)
    theirs.refresh_from_db()
    assert (str(theirs.quantity), theirs.status) == ("2.000", "open")


def test_a_verified_coordinator_session_keeps_coordinator_power(client, alice, bob, need_of):
    need_of(bob, "food", 2)
    client.force_login(alice)  # with the second factor entered
    assert len(client.get("/api/needs").json()) == 1


def test_a_token_is_member_scoped_by_default_even_for_a_verified_coordinator(client, alice, bob,
                                                                            need_of):
    need_of(bob, "food", 2)
    client.force_login(alice)
    token = new_token_on_the_page(client)
    assert ApiToken.objects.get().scope == Role.MEMBER
    assert PlainClient().get("/api/needs", **bearer(token)).json() == []


def test_a_verified_coordinator_session_makes_a_coordinator_scoped_token(client, alice, bob,
                                                                        need_of):
    need_of(bob, "food", 2)
    client.force_login(alice)
    token = new_token_on_the_page(client, scope="coordinator")
    assert len(PlainClient().get("/api/needs", **bearer(token)).json()) == 1


def test_a_password_only_session_cannot_make_a_coordinator_scoped_token(alice):
    client = log_in_with_the_password_only("alice")
    response = client.post(reverse("tokens"), {"name": "script", "scope": "coordinator"})
    assert response.status_code == 302 and reverse("second_factor") in response["Location"]
    assert not ApiToken.objects.exists()
    with pytest.raises(TokenRefused):
        do_issue_token(alice, "script", scope=Role.COORDINATOR, verified=False)
    assert not ApiToken.objects.exists()


def test_a_member_cannot_make_a_coordinator_scoped_token(client, bob):
    client.force_login(bob)
    page = client.post(reverse("tokens"), {"name": "script", "scope": "coordinator"}
                       ).content.decode()
    assert 'name="scope"' not in page  # nothing to choose: the token acts as bob
    assert ApiToken.objects.get().scope == Role.MEMBER
    with pytest.raises(TokenRefused, match="Only a coordinator"):
        do_issue_token(bob, "script", scope=Role.COORDINATOR, verified=True)
    assert ApiToken.objects.count() == 1


def test_a_coordinator_token_of_a_coordinator_who_never_set_up_a_second_factor_is_refused(alice):
    with pytest.raises(TokenRefused):
        do_issue_token(alice, "script", scope=Role.COORDINATOR, verified=False)


def test_the_token_page_shows_scope_and_expiry(client, alice):
    client.force_login(alice)
    new_token_on_the_page(client, scope="coordinator", days="30")
    row = ApiToken.objects.get()
    assert timedelta(days=29) < row.expires_at - timezone.now() <= timedelta(days=30)
    page = client.get(reverse("tokens")).content.decode()
    card = page.split(f'id="token-{row.pk}"')[1].split("</li>")[0]
    assert "coordinator's power" in card
    with translation.override("en"):  # alice reads English: one date format per language
        day = date_format(timezone.localtime(row.expires_at), "SHORT_DATE_FORMAT")
    assert f"expires {day}" in card


def test_a_token_gets_the_default_expiry_and_no_more_than_the_maximum(client, bob, settings):
    client.force_login(bob)
    new_token_on_the_page(client)
    row = ApiToken.objects.get()
    left = row.expires_at - timezone.now()
    assert timedelta(days=settings.API_TOKEN_DAYS - 1) < left <= timedelta(days=settings.API_TOKEN_DAYS)
    page = client.post(reverse("tokens"), {"name": "long", "days": settings.API_TOKEN_MAX_DAYS + 1}
                       ).content.decode()
    assert 'id="new-token"' not in page
    assert f"A token lasts from 1 to {settings.API_TOKEN_MAX_DAYS} days." in page
    assert ApiToken.objects.count() == 1


def test_an_expired_token_gets_a_json_401(bob):
    row, token = ApiToken.issue(bob, "script")
    ApiToken.objects.filter(pk=row.pk).update(expires_at=timezone.now() - timedelta(seconds=1))
    response = PlainClient().get("/api/needs", **bearer(token))
    assert response.status_code == 401 and "detail" in response.json()


def test_a_token_dies_when_the_password_changes(bob):
    _row, token = ApiToken.issue(bob, "script")
    client = log_in_with_the_password_only("bob")
    assert client.post(reverse("password_change"), {
        "old_password": PASSWORD, "new_password1": "a brand new long one",
        "new_password2": "a brand new long one"}).status_code == 302
    assert PlainClient().get("/api/needs", **bearer(token)).status_code == 401


def test_a_password_hash_upgrade_at_login_is_not_a_password_change(bob):
    _row, token = ApiToken.issue(bob, "script")
    bob.check_password(PASSWORD)
    bob.save()
    assert PlainClient().get("/api/needs", **bearer(token)).status_code == 200


def test_a_token_dies_when_a_decision_promotes_its_member(la, alice, bob):
    _row, token = ApiToken.issue(bob, "script")
    do_change_role(la, bob, Role.COORDINATOR, decision_ref=1)
    assert PlainClient().get("/api/needs", **bearer(token)).status_code == 401


def test_a_token_dies_when_a_decision_demotes_its_member(la, alice, bob):
    do_change_role(la, bob, Role.COORDINATOR, decision_ref=1)
    _row, token = do_issue_token(alice, "script", scope=Role.COORDINATOR, verified=True)
    do_change_role(la, alice, Role.MEMBER, decision_ref=2)
    assert PlainClient().get("/api/needs", **bearer(token)).status_code == 401


def test_a_token_dies_when_its_member_is_removed(la, alice, bob):
    _row, token = ApiToken.issue(bob, "script")
    do_remove_member(la, bob, decision_ref=1)
    assert PlainClient().get("/api/needs", **bearer(token)).status_code == 401


def test_a_token_dies_when_its_member_leaves(la, alice, bob):
    _row, token = ApiToken.issue(bob, "script")
    do_leave(bob)
    assert PlainClient().get("/api/needs", **bearer(token)).status_code == 401


def test_a_token_wins_over_a_session_sent_with_it(client, alice, bob, need_of):
    need_of(bob, "food", 2)
    client.force_login(alice)
    _row, token = ApiToken.issue(alice, "member-scoped")
    assert client.get("/api/needs", **bearer(token)).json() == []
    assert Need.objects.count() == 1


def test_the_two_factor_page_shows_no_coordinator_menu_before_the_code(alice):
    give_second_factor(alice)
    page = log_in_with_the_password_only("alice").get(reverse("second_factor")).content.decode()
    assert f'href="{reverse("plans:plan")}"' not in page


def test_a_token_revoked_on_the_page_gets_a_401(client, bob):
    row, token = ApiToken.issue(bob, "lost phone")
    client.force_login(bob)
    client.post(reverse("tokens"), {"revoke": str(row.pk), "confirm": "yes"})
    assert PlainClient().get("/api/needs", **bearer(token)).status_code == 401


def test_revoking_takes_only_ones_own_token_and_shrugs_at_a_bad_id(client, bob, carla):
    carlas, token = ApiToken.issue(carla, "hers")
    client.force_login(bob)
    for bad in (str(carlas.pk), "x", "9" * 40):
        assert client.post(reverse("tokens"), {"revoke": bad, "confirm": "yes"}).status_code == 302
    assert PlainClient().get("/api/needs", **bearer(token)).status_code == 200
