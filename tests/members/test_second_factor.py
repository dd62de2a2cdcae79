"""Two factors for coordinators: password, then a code from an authenticator app."""

import re

import pytest
from django.test import Client as PlainClient
from django.urls import reverse

from conftest import PASSWORD, current_code, give_second_factor
from sinfronteras.audit.models import Event


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
    assert TOTPDevice.objects.get(user=alice).confirmed
    page = response.content.decode()  # ten recovery codes, shown once, then on to the plan
    assert page.count("<code>") == 10 and 'href="/plan/"' in page
    assert "no-store" in response["Cache-Control"]
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


def recovery_codes(client, alice) -> list[str]:
    """Set up the authenticator for real and read the recovery codes the page shows once."""
    client.get(reverse("second_factor"))
    page = client.post(reverse("second_factor"), {"code": current_code(alice)}).content.decode()
    return re.findall(r"<code>([a-z2-7]{4}-[a-z2-7]{4})</code>", page)


def test_a_recovery_code_lets_a_coordinator_in_once(alice):
    codes = recovery_codes(log_in("alice"), alice)
    assert len(set(codes)) == 10
    client = log_in("alice")
    response = client.post(reverse("second_factor") + "?next=/plan/", {"code": codes[3].upper()})
    assert response.status_code == 302 and response["Location"] == "/plan/"
    assert client.get(reverse("plans:plan")).status_code == 200
    used = Event.objects.get(action="second_factor.recovery_code_used")
    assert used.actor == alice and used.data == {"left": 9}

    again = log_in("alice")
    page = again.post(reverse("second_factor"), {"code": codes[3]}).content.decode()
    assert "it was used" in page and again.get(reverse("needs")).status_code == 302


def test_new_recovery_codes_replace_the_old_ones(alice):
    client = log_in("alice")
    old = recovery_codes(client, alice)
    page = client.post(reverse("second_factor"), {"action": "new-codes"}).content.decode()
    new = re.findall(r"<code>([a-z2-7]{4}-[a-z2-7]{4})</code>", page)
    assert len(new) == 10 and not set(new) & set(old)
    client = log_in("alice")
    client.post(reverse("second_factor"), {"code": new[0]})
    assert "9 recovery codes left" in client.get(reverse("second_factor")).content.decode()
    assert 'not one of yours' in log_in("alice").post(reverse("second_factor"),
                                                      {"code": old[0]}).content.decode()


def test_a_coordinator_without_a_second_factor_cannot_make_recovery_codes(alice):
    from django_otp.plugins.otp_static.models import StaticToken

    give_second_factor(alice)
    response = log_in("alice").post(reverse("second_factor"), {"action": "new-codes"})
    assert response.status_code == 302 and not StaticToken.objects.exists()


def test_moving_to_a_new_phone_keeps_the_old_one_until_the_new_one_is_confirmed(alice):
    from django_otp.plugins.otp_totp.models import TOTPDevice

    client = log_in("alice")
    recovery_codes(client, alice)
    old = TOTPDevice.objects.get(user=alice)
    page = client.get(reverse("second_factor") + "?replace=1").content.decode()
    assert 'id="totp-secret"' in page
    new = TOTPDevice.objects.get(user=alice, confirmed=False)
    assert TOTPDevice.objects.filter(pk=old.pk, confirmed=True).exists()
    client.post(reverse("second_factor") + "?replace=1", {"code": current_code(alice)})
    assert list(TOTPDevice.objects.filter(user=alice).values_list("pk", "confirmed")) == [(new.pk, True)]
    assert Event.objects.filter(action="second_factor.set_up").latest("pk").data == {"replaced": True}


def test_replacing_the_phone_needs_the_second_factor_first(alice):
    give_second_factor(alice)
    page = log_in("alice").get(reverse("second_factor") + "?replace=1").content.decode()
    assert 'id="totp-secret"' not in page and "Your code, please" in page


def test_a_code_the_operator_made_with_addstatictoken_lets_a_coordinator_in(alice, capsys):
    from django.core.management import call_command

    give_second_factor(alice)  # the phone is lost, and the paper with the codes too
    call_command("addstatictoken", "alice")
    code = capsys.readouterr().out.strip()
    client = log_in("alice")
    client.post(reverse("second_factor"), {"code": code})
    assert client.get(reverse("plans:plan")).status_code == 200
    assert 'href="?replace=1"' in client.get(reverse("second_factor")).content.decode()


def code_input(page: str) -> str:
    return re.search(r'<input[^>]*name="code"[^>]*>', page).group(0)


@pytest.mark.parametrize("language, link, label", [
    ("en", "Lost your phone? Use a recovery code instead.", "Recovery code"),
    ("es", "¿Perdiste el teléfono? Usa un código de recuperación.", "Código de recuperación")])
def test_the_code_field_opens_the_number_pad_and_a_recovery_code_the_full_keyboard(
        alice, language, link, label):
    codes = recovery_codes(log_in("alice"), alice)
    alice.language = language
    alice.save(update_fields=["language"])
    client = log_in("alice")
    page = client.get(reverse("second_factor") + "?next=/plan/").content.decode()
    assert 'inputmode="numeric"' in code_input(page) and 'autocomplete="one-time-code"' in code_input(page)
    assert link in page and 'href="?recovery=1&amp;next=/plan/"' in page
    letters = client.get(reverse("second_factor") + "?recovery=1&next=/plan/").content.decode()
    assert "inputmode" not in code_input(letters) and label in letters
    response = client.post(reverse("second_factor") + "?recovery=1&next=/plan/", {"code": codes[0]})
    assert response.status_code == 302 and response["Location"] == "/plan/"
