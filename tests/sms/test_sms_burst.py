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
