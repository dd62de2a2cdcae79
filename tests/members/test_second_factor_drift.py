"""The second factor tolerates a phone's drift without locking anyone out for good: the
window is anchored on the real clock (drift corrected, never accumulated), and
`democode` always prints a code the server accepts, however many logins in a row."""

from __future__ import annotations

import io
import time

import pytest
from django.core.management import call_command
from django.test import Client as PlainClient
from django.urls import reverse

from conftest import PASSWORD, give_second_factor, make_member


def log_in(username, code):
    client = PlainClient()
    assert client.post(reverse("login"), {"username": username, "password": PASSWORD}).status_code == 302
    response = client.post(reverse("second_factor") + "?next=/plan/", {"code": code})
    return client, response


def code_at(device, step_offset, now):
    from django_otp.oath import TOTP

    clock = TOTP(device.bin_key, device.step, device.t0, device.digits, step_offset)
    clock.time = now
    return f"{clock.token():06d}"


@pytest.fixture
def ana(db, password_hash):
    from sinfronteras.demo.load import SLUG
    from sinfronteras.members.models import Collective

    demo = Collective.objects.create(name="Demo", slug=SLUG)
    member = make_member(demo, "ana", password_hash=password_hash, role="coordinator")
    give_second_factor(member)
    return member


@pytest.mark.slow
def test_many_quick_logins_in_a_row_each_take_the_code_democode_prints_and_the_phone_still_works(
        ana, time_machine):
    from django_otp.plugins.otp_totp.models import TOTPDevice

    for attempt in range(6):  # django-otp and the old democode locked ana out at about five
        out = io.StringIO()
        call_command("democode", "ana", stdout=out)
        client, response = log_in("ana", out.getvalue().strip())
        assert response.status_code == 302 and response["Location"] == "/plan/", attempt
        assert client.get("/plan/").status_code == 200
    # Two minutes later, the authenticator app on a phone whose clock is right.
    later = time.time() + 120
    time_machine.move_to(later, tick=False)
    device = TOTPDevice.objects.get(user=ana)
    _client, response = log_in("ana", code_at(device, 0, later))
    assert response.status_code == 302 and response["Location"] == "/plan/"


def test_a_phone_is_let_in_again_whatever_drift_quick_logins_left_behind(alice):
    """django-otp's sync adds each login's offset to the drift: after a few quick logins
    the window walks away from the phone, for good. Here it stays on the real clock."""
    from sinfronteras.members.second_factor import verify_totp

    device = give_second_factor(alice)
    now = time.time()
    real = int(now // device.step)
    device.drift, device.last_t = 7, real - 1  # what five quick logins left behind
    device.save()
    assert verify_totp(device, code_at(device, 0, now), now=now)  # the phone, on time
    device.refresh_from_db()
    assert device.drift == 0 and device.last_t == real


def test_a_code_is_good_once(alice):
    from sinfronteras.members.second_factor import verify_totp

    device = give_second_factor(alice)
    now = time.time()
    code = code_at(device, 0, now)
    assert verify_totp(device, code, now=now)
    assert not verify_totp(device, code, now=now)


def test_a_phone_whose_clock_falls_behind_is_followed_up_to_ninety_seconds(alice):
    from sinfronteras.members.second_factor import verify_totp

    device = give_second_factor(alice)
    now = time.time()
    for minutes, behind in [(0, -1), (5, -2), (10, -3)]:
        later = now + minutes * 60
        assert verify_totp(device, code_at(device, behind, later), now=later), behind
        device.refresh_from_db()
        assert device.drift == behind
    assert not verify_totp(device, code_at(device, -5, now + 900), now=now + 900)  # 2.5 min: too far
