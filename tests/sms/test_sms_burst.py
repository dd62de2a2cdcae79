"""Strangers' SMS do no slow work in the web server: through the production server
(gunicorn, HTTPS=1), a burst of signed webhooks from unknown numbers is answered at once
and queued for the worker; nothing is sent to the gateway from a request, and the login
page still answers. (Timings: bench/bench_sms_burst.py.)"""

from __future__ import annotations

import sqlite3

import pytest

from production_server import Visitor, demo_database, free_port, production_env, run_cli, start_server
from sms_burst import BlackHole, burst, sms_env

pytestmark = pytest.mark.slow


def test_a_burst_of_strangers_sms_is_only_queued_and_the_login_page_answers(tmp_path_factory):
    folder = tmp_path_factory.mktemp("sms-burst")
    hole = BlackHole()
    port = free_port()
    env = production_env(folder, port, DATABASE_URL="", **sms_env(hole))
    demo_database(tmp_path_factory, folder / "data")
    run_cli(env, "migrate", "--noinput")
    server = start_server(env, port, folder / "serve.log", workers=1, threads=4)
    try:
        results = burst(server.base, 12)
        assert [(status, body) for status, body, _seconds in results] == [(200, b"ok")] * 12
        assert hole.accepted == 0  # the webhook sent nothing: every reply waits for the worker
        assert Visitor(server.base).get("/login/").status_code == 200
    finally:
        server.stop()
        hole.close()
    with sqlite3.connect(folder / "data" / "sinfronteras.sqlite3") as db:
        queued = db.execute("SELECT count(*) FROM django_tasks_database_dbtaskresult "
                            "WHERE task_path = 'sinfronteras.sms.jobs.receive_sms'").fetchone()[0]
    assert queued == 12


def test_the_sms_page_of_a_production_server_answers_the_same_for_a_held_number_and_a_free_one(
        tmp_path_factory):
    """The probe that found both members' numbers in 70 guesses, against gunicorn."""
    import re

    from sinfronteras.demo.load import PASSWORD

    folder = tmp_path_factory.mktemp("sms-oracle")
    hole = BlackHole()
    port = free_port()
    env = production_env(folder, port, DATABASE_URL="", **sms_env(hole))
    demo_database(tmp_path_factory, folder / "data")
    run_cli(env, "migrate", "--noinput")
    run_cli(env, "shell", "-c", "from sinfronteras.members.models import Member; "
            "from sinfronteras.sms.numbers import do_set_number; "
            "do_set_number(Member.objects.exclude(username='luz').filter(role='member')[0], "
            "'+1 213 555 0147', True)")
    server = start_server(env, port, folder / "serve.log", workers=1, threads=4)
    try:
        luz = Visitor(server.base)
        luz.log_in("luz", PASSWORD)
        pages = []
        for typed in ("+1 213 555 0147", "+1 213 555 9947"):  # someone's, nobody's
            answer = luz.post_form("/account/sms/", {"number": typed, "notify": "on"})
            assert (answer.status_code, answer.get("Location")) == (302, "/account/sms/")
            # Without the CSRF token and the form's one-time key, fresh on every page.
            pages.append(re.sub(r'value="[^"]{32,}"|name="once" value="[^"]+"', "",
                                luz.get("/account/sms/").text()))
        assert pages[0] == pages[1]
        assert "Va un código al número que termina en 47" in pages[0]  # luz reads Spanish
        assert hole.accepted == 0  # the code goes by the worker, never from the request
    finally:
        server.stop()
        hole.close()
