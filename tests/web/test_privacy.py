"""DESIGN.md's "must never" list, as tests."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from django.apps import apps
from django.urls import reverse

from conftest import PASSWORD, area, resource
from leaks import capture_every_log, dump_database

FORBIDDEN = re.compile(
    r"(?:^|[_ ])(?:nationality|citizen\w*|immigra\w*|visa|\w*birth\w*|dob|passport|ssn|"
    r"social_security|document\w*|id_number|legal_name|first_name|last_name|surname|"
    r"ethnic\w*|race|country|photo\w*|plate|gps|track\w*|ip_addr\w*|ip|remote_addr|"
    r"user_agent|e?mail|email_address|phone\w*|notes?)(?:$|[_ ])",
    re.IGNORECASE,
)
CLIENT_IP = "203.0.113.77"
USER_AGENT = "LeakProbe/9.9 (unique-agent-5d1f3c)"


def test_no_model_has_a_field_that_design_forbids():
    offenders = [
        f"{model._meta.label}.{field.name}"
        for model in apps.get_models()
        if model._meta.app_label not in ("auth", "contenttypes", "sessions")
        for field in model._meta.get_fields()
        if FORBIDDEN.search(field.name) or FORBIDDEN.search(str(getattr(field, "verbose_name", "")))
    ]
    assert offenders == []


def test_the_forbidden_field_check_would_catch_one():
    for name in ["date_of_birth", "Nationality", "legal_name", "race", "ip_address", "phone",
                 "passport_number", "country_of_birth", "user_agent", "notes", "birthdate"]:
        assert FORBIDDEN.search(name), name
    for name in ["display_name", "traceback", "grace_days", "template", "area"]:
        assert not FORBIDDEN.search(name), name


@pytest.fixture
def everything_logged():
    with capture_every_log() as seen:
        yield seen


def test_no_ip_address_or_user_agent_reaches_the_database_logs_or_errors(
        client, bob, la, settings, everything_logged, capfd):
    settings.ROOT_URLCONF = "boom_urls"
    settings.DEBUG_PROPAGATE_EXCEPTIONS = False
    client.raise_request_exception = False
    headers = {"REMOTE_ADDR": CLIENT_IP, "HTTP_USER_AGENT": USER_AGENT,
               "HTTP_X_FORWARDED_FOR": CLIENT_IP, "HTTP_X_REAL_IP": CLIENT_IP}
    client.post(reverse("login"), {"username": "bob", "password": "wrong one"}, **headers)
    client.post(reverse("login"), {"username": "bob", "password": PASSWORD}, **headers)
    client.post(reverse("need_new"), {"resource": resource(la, "food").pk, "quantity": "2",
                                      "area": area(la, "Echo Park").pk}, **headers)
    client.post("/api/needs", json.dumps({"resource": 0, "quantity": -1, "area": 0}),
                content_type="application/json", **headers)
    client.get("/no-such-page/", **headers)
    assert client.get("/boom/", **headers).status_code == 500
    out, err = capfd.readouterr()
    places = {"database": dump_database(), "logs": everything_logged.getvalue(),
              "stdout": out, "stderr": err}
    assert "a bug, on purpose" in places["logs"]  # the error was reported ...
    for where, text in places.items():
        assert CLIENT_IP not in text, f"the client's IP address leaked into the {where}"
        assert "unique-agent-5d1f3c" not in text, f"the user agent leaked into the {where}"


def test_every_response_carries_strict_security_headers(client, la):
    response = client.get(reverse("login"))
    assert "default-src 'none'" in response["Content-Security-Policy"]
    assert response["Referrer-Policy"] == "same-origin"
    assert response["X-Frame-Options"] == "DENY"


def test_no_page_loads_anything_from_another_site():
    package = Path(__file__).resolve().parents[2] / "src" / "sinfronteras"
    offenders = []
    for path in [*package.rglob("*.html"), *package.rglob("*.css"), *package.rglob("*.js")]:
        for match in re.finditer(r"(src|href|url)\s*[=(]\s*[\"']?(https?:)?//", path.read_text()):
            offenders.append(f"{path.name}: {match.group(0)}")
    assert offenders == []


def test_writes_are_rate_limited_per_member(client, bob, la, settings):
    settings.WRITES_PER_MINUTE = 3
    client.force_login(bob)
    data = {"resource": resource(la, "food").pk, "area": area(la, "Echo Park").pk}
    codes = [client.post(reverse("need_new"), {**data, "quantity": str(n + 1)}).status_code
             for n in range(4)]  # four different needs (the same one twice is "already posted")
    assert codes == [302, 302, 302, 429]
    assert bob.needs.count() == 3


PICKUP_PROBE = "pickleak-4d2e"
MESSAGE_PROBE = "msgleak-9b7f"


@pytest.fixture
def carry(la, alice, bob, carla, need_of, offer_of, password_hash):
    """Bob gives food in Echo Park to carla in Boyle Heights; a driver carries it, now."""
    from conftest import make_member
    from sinfronteras.plans.models import Task
    from sinfronteras.plans.runs import do_request_run, execute_run
    from sinfronteras.sharing.models import Offer, Resource

    carrying = Resource.objects.create(collective=la, key="carrying", name_en="Carrying",
                                       name_es="Transporte", unit="hours", carries=True)
    need = need_of(carla, "food", 3)
    offer = offer_of(bob, ["food"], 3)
    driver = make_member(la, "driver", "Koreatown", password_hash=password_hash)
    carrier = Offer.objects.create(collective=la, posted_by=driver, quantity=3, area=driver.area)
    carrier.resources.set([carrying])
    run = execute_run(do_request_run(la, alice, enqueue=False).pk)
    task = Task.objects.get(run=run, need=need)
    assert (task.kind, task.carrier_id) == ("carry", driver.pk)
    return task, offer, driver


def test_a_pickup_point_and_the_task_messages_leak_nowhere(
        client, carry, la, alice, bob, carla, dmitri, settings, capfd):
    from django.apps import apps

    from sinfronteras.plans.models import SealedPickup, Task

    settings.SEAL_KEYS = [__import__("cryptography.fernet").fernet.Fernet.generate_key().decode()]
    settings.DEBUG = True  # SQL with its parameters goes to the logs too
    task, offer, driver = carry
    task_page = reverse("plans:task", args=[task.pk])
    urls = []
    with capture_every_log() as logs:
        client.force_login(bob)
        response = client.post(reverse("plans:offer_pickup", args=[offer.pk]),
                               {"address": f"Back gate {PICKUP_PROBE}"})
        urls.append(response["Location"])
        for member in (bob, driver, carla):
            client.force_login(member)
            response = client.post(reverse("plans:task_message", args=[task.pk]),
                                   {"text": f"{MESSAGE_PROBE} from {member.username}"})
            urls.append(response["Location"])
        client.force_login(driver)
        client.post(reverse("plans:task_action", args=[task.pk, "accept"]))
        seen = {}
        for member in (alice, bob, carla, driver, dmitri):
            client.force_login(member)
            for url in (reverse("home"), reverse("offers"), reverse("plans:tasks"), task_page,
                        reverse("plans:offer_pickup", args=[offer.pk]), "/api/offers"):
                response = client.get(url)
                seen[(member.username, url)] = response.content.decode()
    for (who, url), html in seen.items():
        if who == "driver" and url == task_page:
            assert PICKUP_PROBE in html, "the accepted carrier reads it in the window"
        else:
            assert PICKUP_PROBE not in html, f"the pickup point leaked to {who} on {url}"
        if who in ("bob", "carla", "driver") and url == task_page:
            assert html.count(MESSAGE_PROBE) == 3
        else:
            assert MESSAGE_PROBE not in html, f"a message leaked to {who} on {url}"
    out, err = capfd.readouterr()
    strings = "\n".join(str(obj) for model in apps.get_models() for obj in model.objects.all())
    for where, text in {"logs": logs.getvalue(), "stdout": out, "stderr": err,
                        "a URL": "\n".join(urls), "a string form": strings}.items():
        assert PICKUP_PROBE not in text, f"the pickup point leaked into {where}"
        assert MESSAGE_PROBE not in text, f"a message leaked into {where}"
    database = dump_database()
    assert PICKUP_PROBE not in database and MESSAGE_PROBE not in database  # ciphertext only
    assert "plans_sealedpickup" in logs.getvalue()  # the logs did see the writes
    client.force_login(driver)
    client.post(reverse("plans:task_action", args=[task.pk, "done"]), {"confirm": "yes"})
    assert Task.objects.get(pk=task.pk).state == "done" and not SealedPickup.objects.exists()
