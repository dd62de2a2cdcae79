"""The login lock holds under concurrency, and says the same for every login name.

The limit is LOGIN_MAX_FAILURES (5) wrong passwords, then LOGIN_LOCK_MINUTES (15). An
attempt is counted before its password is checked, so that of 40 guesses racing at one
account at most the limit are ever checked.
"""

from __future__ import annotations

import re
import threading

import pytest
from django.db import connection, connections
from django.urls import reverse

from conftest import PASSWORD
from counting_hasher import CountingArgon2
from live_sqlite import Browser, serve
from sinfronteras.members.forms import LoginForm

on_postgresql = pytest.mark.skipif(connection.vendor != "postgresql",
                                   reason="needs real PostgreSQL: set DATABASE_URL=postgres://...")
LOCKED = "Too many failed attempts for this account"
GUESSES = 40


def comparable(page: str, name: str) -> str:
    """The page without what differs by nature: the name typed and the CSRF token."""
    return re.sub(r'value="[A-Za-z0-9]{64}"', 'value="TOKEN"', page.replace(name, "NAME"))


def test_the_lock_reads_the_same_for_an_account_that_exists_and_one_that_does_not(client, bob):
    pages = {}
    for name in ("bob", "nobody-by-this-name"):
        for _ in range(5):
            client.post(reverse("login"), {"username": name, "password": "wrong password"})
        pages[name] = comparable(client.post(reverse("login"), {
            "username": name, "password": "wrong again"}).content.decode(), name)
    assert LOCKED in pages["bob"]
    assert pages["bob"] == pages["nobody-by-this-name"]


def test_the_lock_reads_the_same_in_spanish_for_both(client, bob):
    pages = []
    for name in ("bob", "nadie-con-este-nombre"):
        for _ in range(6):
            page = client.post(reverse("login"), {"username": name, "password": "mal"},
                               HTTP_ACCEPT_LANGUAGE="es").content.decode()
        pages.append(comparable(page, name))
    assert "Demasiados intentos" in pages[0] and pages[0] == pages[1]


def test_a_locked_account_is_refused_without_checking_the_password(bob, settings):
    settings.PASSWORD_HASHERS = ["counting_hasher.CountingArgon2"]
    for _ in range(5):
        assert not LoginForm(data={"username": "bob", "password": "wrong password"}).is_valid()
    CountingArgon2.checked = 0
    form = LoginForm(data={"username": "bob", "password": PASSWORD})
    assert not form.is_valid() and form.errors.as_data()["__all__"][0].code == "locked"
    assert CountingArgon2.checked == 0


@on_postgresql
@pytest.mark.django_db(transaction=True)
def test_of_forty_concurrent_wrong_guesses_on_postgresql_at_most_five_are_checked(bob, settings):
    settings.PASSWORD_HASHERS = ["counting_hasher.CountingArgon2"]
    bob.set_password(PASSWORD)
    bob.save()
    CountingArgon2.checked = 0
    barrier, codes = threading.Barrier(GUESSES), []

    def guess(i):
        try:
            barrier.wait()
            form = LoginForm(data={"username": "bob", "password": f"guess {i}"})
            form.is_valid()
            codes.append(form.errors.as_data()["__all__"][0].code)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=guess, args=(i,)) for i in range(GUESSES)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(120)
    assert len(codes) == GUESSES
    assert CountingArgon2.checked <= settings.LOGIN_MAX_FAILURES
    assert codes.count("locked") >= GUESSES - settings.LOGIN_MAX_FAILURES
    bob.refresh_from_db()
    assert bob.is_locked()


@pytest.mark.slow
def test_of_forty_concurrent_wrong_guesses_on_a_sqlite_file_at_most_five_are_checked(tmp_path):
    with serve(tmp_path) as server:
        browsers = [Browser(server.url) for _ in range(GUESSES)]
        for browser in browsers:
            browser.get("/login/")
        barrier, results = threading.Barrier(GUESSES), []

        def guess(browser, i):
            barrier.wait()
            results.append(browser.post("/login/", {"username": "m05", "password": f"guess {i}"}))

        threads = [threading.Thread(target=guess, args=(b, i)) for i, b in enumerate(browsers)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(180)
        assert [status for status, _ in results] == [200] * GUESSES
        checked = [page for _, page in results if LOCKED not in page]
        assert len(checked) <= 5
        assert server.rows("SELECT locked_until IS NOT NULL FROM members_member "
                           "WHERE username = 'm05'") == [(1,)]
