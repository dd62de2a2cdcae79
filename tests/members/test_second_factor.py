"""Two factors for coordinators: password, then a code from an authenticator app."""

import pytest
from django.test import Client as PlainClient
from django.urls import reverse

from conftest import PASSWORD, current_code, give_second_factor


def log_in(username):
    client = PlainClient()
    response = client.post(reverse("login"), {"username": username, "password": PASSWORD})
    assert response.status_code == 302
    return client


def test_a_coordinator_without_a_second_factor_is_sent_to_set_one_up(alice):
    client = log_in("alice")
    response = client.get(reverse("plans:plan"))
    assert response.status_code == 302 and response["Location"].startswith(reverse("second_factor"))
    page = client.get(response["Location"]).content.decode()
    assert "<svg" in page and 'id="totp-secret"' in page


def test_setting_up_with_the_right_code_confirms_the_device_and_opens_the_plan(alice):
    from django_otp.plugins.otp_totp.models import TOTPDevice

    client = log_in("alice")
    client.get(reverse("second_factor"))
    assert not TOTPDevice.objects.get(user=alice).confirmed
    response = client.post(reverse("second_factor") + "?next=/plan/", {"code": current_code(alice)})
    assert response.status_code == 302 and response["Location"] == "/plan/"
    assert TOTPDevice.objects.get(user=alice).confirmed
    assert client.get(reverse("plans:plan")).status_code == 200


def test_a_wrong_code_is_refused_and_the_coordinator_stays_out(alice):
    give_second_factor(alice)
    client = log_in("alice")
    right = current_code(alice)
    wrong = f"{(int(right) + 1) % 1000000:06d}"
    page = client.post(reverse("second_factor"), {"code": wrong}).content.decode()
    assert 'id="error-code"' in page
    assert client.get(reverse("needs")).status_code == 302


@pytest.mark.parametrize("code", ["12345", "abcdef", ""])
def test_a_code_that_is_not_six_digits_says_so(alice, code):
    give_second_factor(alice)
    client = log_in("alice")
    assert 'id="error-code"' in client.post(reverse("second_factor"), {"code": code}).content.decode()


def test_a_coordinator_with_a_device_enters_the_current_code(alice):
    give_second_factor(alice)
    client = log_in("alice")
    client.post(reverse("second_factor"), {"code": current_code(alice)})
    assert client.get(reverse("needs")).status_code == 200


def test_repeated_wrong_codes_are_throttled(alice):
    give_second_factor(alice)
    client = log_in("alice")
    for _ in range(3):
        client.post(reverse("second_factor"), {"code": "000000"})
    page = client.post(reverse("second_factor"), {"code": current_code(alice)}).content.decode()
    assert "Too many wrong codes" in page


def test_members_are_not_asked_for_a_second_factor(bob):
    client = log_in("bob")
    assert client.get(reverse("needs")).status_code == 200
