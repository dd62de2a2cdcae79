"""The authentication backend: Django's model backend, the member read with one compiled query."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from sinfronteras.members.backends import MemberBackend
from sinfronteras.members.models import Member
from conftest import PASSWORD

pytestmark = pytest.mark.django_db


def test_it_reads_the_member_and_their_collective_in_one_query(alice, bob):
    backend = MemberBackend()
    for member in (alice, bob):  # a second member: the compiled query takes each one's id
        with CaptureQueriesContext(connection) as queries:
            found = backend.get_user(member.pk)
            assert found.username == member.username
            assert found.collective.name == member.collective.name
        assert len(queries) == 1


def test_it_finds_nobody_for_an_unknown_or_inactive_member(alice):
    backend = MemberBackend()
    assert backend.get_user(Member.objects.order_by("-pk").first().pk + 1) is None
    Member.objects.filter(pk=alice.pk).update(is_active=False)
    assert backend.get_user(alice.pk) is None


def test_a_member_who_logs_in_with_their_password_is_known_on_the_next_page(client, bob):
    assert client.login(username="bob", password=PASSWORD)
    page = client.get("/")
    assert page.status_code == 200
    assert page.wsgi_request.user.pk == bob.pk
    assert client.session["_auth_user_backend"] == "sinfronteras.members.backends.MemberBackend"


def test_a_session_made_before_the_upgrade_stays_logged_in(client, bob):
    import importlib

    from django.apps import apps
    from django.contrib.sessions.backends.db import SessionStore

    before = SessionStore()
    before.update({"_auth_user_id": str(bob.pk), "_auth_user_hash": bob.get_session_auth_hash(),
                   "_auth_user_backend": "django.contrib.auth.backends.ModelBackend"})
    before.create()
    client.cookies["sessionid"] = before.session_key
    assert client.get("/").status_code == 302  # Django ends it: its backend is not listed
    before.save()  # made again as it was

    migration = importlib.import_module(
        "sinfronteras.members.migrations.0002_sessions_keep_their_backend")
    migration.name_the_new_backend(apps, type("Editor", (), {"connection": connection})())
    page = client.get("/")
    assert page.status_code == 200 and page.wsgi_request.user.pk == bob.pk
    assert SessionStore(before.session_key)["_auth_user_backend"] == (
        "sinfronteras.members.backends.MemberBackend")
