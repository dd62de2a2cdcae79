"""The session store: Django's database sessions, read with a query compiled once."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.contrib.sessions.backends.db import SessionStore as DjangoStore
from django.contrib.sessions.models import Session
from django.utils import timezone

from sinfronteras.members.sessions import SessionStore

pytestmark = pytest.mark.django_db


def test_a_session_written_by_djangos_store_reads_the_same_and_ends_when_deleted():
    theirs = DjangoStore()
    theirs["_auth_user_id"] = "42"
    theirs.create()
    ours = SessionStore(theirs.session_key)
    assert ours["_auth_user_id"] == "42"
    theirs.delete()  # logging out elsewhere ends it at once: nothing is cached
    assert "_auth_user_id" not in SessionStore(theirs.session_key)


def test_an_expired_or_unknown_session_reads_empty_and_gets_a_new_key():
    store = SessionStore()
    store["seen"] = 1
    store.create()
    Session.objects.filter(session_key=store.session_key).update(
        expire_date=timezone.now() - timedelta(seconds=1))
    expired = SessionStore(store.session_key)
    assert dict(expired.items()) == {} and expired.session_key is None
    assert dict(SessionStore("x" * 32).items()) == {}
    assert dict(SessionStore(None).items()) == {}
