"""A member adds, changes and removes their number; notifications by SMS within a limit."""

from __future__ import annotations

import io
import re

import pytest
from django.core.management import call_command
from django.urls import reverse

from leaks import capture_every_log, dump_database
from sms_fixtures import CARLA, CARLA_E164, add_number, gateway, run_worker  # noqa: F401

PAGE = "/account/sms/"
CSRF_TOKEN = re.compile(r'name="(?:csrfmiddlewaretoken|once)" value="[^"]+"')  # and the one-time key


def sent_code(gateway, number) -> str:
    """The code the worker sent to ``number`` (the last one)."""
    texts = [t for t in gateway.texts_to(number) if "code" in t.lower() or "código" in t.lower()]
    assert texts, gateway.sent
    return re.search(r"\d{6}", texts[-1]).group(0)


def test_the_account_page_leads_to_sms_in_both_languages(client, carla):
    client.force_login(carla)
    assert PAGE in client.get(reverse("account")).content.decode()
    assert reverse("sms:account") == PAGE


@pytest.mark.parametrize("language, warning", [
    ("en", "Phone companies can read SMS."),
    ("es", "Las compañías telefónicas pueden leer los SMS.")])
def test_the_page_says_plainly_that_phone_companies_read_sms(client, carla, gateway, language, warning):
    carla.language = language
    carla.save(update_fields=["language"])
    client.force_login(carla)
    html = client.get(PAGE).content.decode()
    assert warning in html and 'type="tel"' in html


@pytest.mark.django_db(transaction=True)  # the worker closes its connections when done
def test_a_member_adds_a_number_sealed_and_removes_it(client, carla, gateway, settings):
    from sinfronteras.sms.models import SmsClaim, SmsNumber
    from sinfronteras.sms.numbers import do_confirm_claim, member_for_sender

    settings.DEBUG = True
    client.force_login(carla)
    with capture_every_log() as logs:
        response = client.post(PAGE, {"number": CARLA, "notify": "on"})
        assert response.status_code == 302 and response["Location"] == PAGE
        assert not SmsNumber.objects.exists()  # not hers until she texts the code back
        assert "ending in 47" in client.get(PAGE).content.decode()
        run_worker()
    code = sent_code(gateway, CARLA_E164)
    assert do_confirm_claim(CARLA_E164, code) == (carla, True)
    row = SmsNumber.objects.get(member=carla)
    assert row.notify and row.ending == "47" and CARLA_E164 not in str(row)
    assert not SmsClaim.objects.exists()
    assert member_for_sender(CARLA_E164) == carla
    assert member_for_sender("2135550147") == carla  # the gateway may drop the +1
    assert "ending in 47" in client.get(PAGE).content.decode()
    for text in (dump_database(), logs.getvalue()):
        assert "2135550147" not in text and "555-0147" not in text and code not in text
    response = client.post(PAGE, {"remove": "1"})
    assert response.status_code == 302 and not SmsNumber.objects.exists()
    assert member_for_sender(CARLA_E164) is None


def test_only_the_choice_changes_when_the_number_is_left_empty(client, carla, gateway):
    from sinfronteras.sms.models import SmsNumber

    add_number(carla, CARLA)
    client.force_login(carla)
    assert client.post(PAGE, {"number": ""}).status_code == 302
    assert SmsNumber.objects.get(member=carla).notify is False


@pytest.mark.parametrize("typed, error", [
    ("", "Write your mobile number."),
    ("call me", "Write only digits, spaces and a + in front"),
    ("555 01", "That is not a whole number: write it with its country code"),
])
def test_a_bad_number_is_refused_saying_what_to_fix(client, carla, gateway, typed, error):
    from sinfronteras.sms.models import SmsNumber

    client.force_login(carla)
    response = client.post(PAGE, {"number": typed})
    assert response.status_code == 200 and error in response.content.decode()
    assert not SmsNumber.objects.exists()


def test_the_page_answers_the_same_for_a_number_someone_has_and_for_a_free_one(
        client, carla, bob, gateway):
    """70 guesses must find nothing: the page says the same for both, word for word."""
    from sinfronteras.sms.models import SmsNumber

    add_number(bob, CARLA)
    client.force_login(carla)
    pages = []
    for typed in (CARLA_E164, "+1 213 555 9947"):  # bob's, and nobody's (same ending)
        response = client.post(PAGE, {"number": typed, "notify": "on"})
        assert response.status_code == 302 and response["Location"] == PAGE
        pages.append(CSRF_TOKEN.sub("", client.get(PAGE).content.decode()))
    assert pages[0] == pages[1] and "A code is on its way" in pages[0]
    assert SmsNumber.objects.get().member == bob  # nothing moved without the code


def test_a_wrong_code_confirms_nothing_and_five_end_the_claim(carla, gateway):
    from sinfronteras.sms.models import SmsClaim, SmsNumber
    from sinfronteras.sms.numbers import CODE_ATTEMPTS, do_claim_number, do_confirm_claim

    do_claim_number(carla, CARLA, True)
    assert do_confirm_claim("+13105550123", "123456") == (None, False)  # another phone
    for _attempt in range(CODE_ATTEMPTS):
        assert do_confirm_claim(CARLA_E164, "000000") in [(None, True)]
    assert not SmsClaim.objects.exists() and not SmsNumber.objects.exists()


def test_codes_a_day_are_limited_saying_so(client, carla, gateway):
    from sinfronteras.sms.outbox import CODES_PER_DAY

    client.force_login(carla)
    for _attempt in range(CODES_PER_DAY):
        assert client.post(PAGE, {"number": CARLA}).status_code == 302
    response = client.post(PAGE, {"number": CARLA})
    assert response.status_code == 200
    assert f"You asked for {CODES_PER_DAY} codes today" in response.content.decode()


def test_without_a_gateway_the_page_says_so(client, carla, settings):
    settings.SMS_GATEWAY_URL = ""
    client.force_login(carla)
    html = client.get(PAGE).content.decode()
    assert 'id="sms-off"' in html and 'type="tel"' not in html
    client.post(PAGE, {"number": CARLA})
    from sinfronteras.sms.models import SmsNumber

    assert not SmsNumber.objects.exists()  # nothing is kept for a gateway that is not there


def test_leaving_erases_the_number(carla, alice, gateway):
    from sinfronteras.members.services import do_leave
    from sinfronteras.sms.models import SmsNumber

    add_number(carla, CARLA)
    do_leave(carla)
    assert not SmsNumber.objects.exists()


def test_rotating_the_keys_reseals_and_rehashing_keeps_the_member_found(carla, gateway, settings):
    from cryptography.fernet import Fernet

    from sinfronteras.sms.models import SmsNumber
    from sinfronteras.sms.numbers import member_for_sender, number_of

    add_number(carla, CARLA)
    old = bytes(SmsNumber.objects.get().ciphertext)
    settings.SEAL_KEYS = [Fernet.generate_key().decode(), *settings.SEAL_KEYS]
    call_command("rotatekeys", stdout=io.StringIO())
    settings.SEAL_KEYS = settings.SEAL_KEYS[:1]
    assert bytes(SmsNumber.objects.get().ciphertext) != old and number_of(carla) == CARLA_E164
    settings.SMS_HASH_KEY = "another-hash-key-of-enough-length"
    assert member_for_sender(CARLA_E164) is None
    out = io.StringIO()
    call_command("rehashsms", stdout=out)
    assert "Hashed 1" in out.getvalue() and member_for_sender(CARLA_E164) == carla


# Notifications by SMS: the channel the notification registry calls.

@pytest.mark.django_db(transaction=True)  # the worker closes its connections when done
def test_notifications_go_by_the_worker_within_the_daily_limit(carla, gateway, settings):
    from sinfronteras.sms.channel import KINDS, SmsChannel, do_send_sms_notification

    settings.SMS_NOTES_PER_DAY = 3
    add_number(carla, CARLA)
    assert all(SmsChannel().wants(carla, kind) for kind in KINDS)
    for kind in ("task_proposed", "need_on_its_way", "task_message", "alert_raised", "alert_lifted"):
        do_send_sms_notification(carla, kind)
    assert gateway.sent == []  # nothing in the request
    run_worker()
    assert gateway.texts_to(CARLA_E164) == [
        "A new task is proposed to you. Text TASKS to see it.",
        "What you asked for is on its way.",
        "There is a new message on one of your tasks."]


def test_every_sentence_exists_in_both_languages_and_says_nothing_specific():
    from sinfronteras.sms.channel import KINDS, note_of

    assert set(KINDS) == {"task_proposed", "need_on_its_way", "task_message", "alert_raised",
                          "alert_lifted", "vote_closes_tomorrow", "task_dropped", "carry_planned"}
    for kind in KINDS:
        note = note_of(kind)
        english, spanish = note.text("en"), note.text("es")
        assert english != spanish and len(spanish) <= 70 * 2 and note.path.startswith("/")
        assert not any(ch.isdigit() for ch in english + spanish)


def test_a_member_who_did_not_choose_sms_gets_none(carla, bob, gateway):
    from sinfronteras.sms.channel import SmsChannel, note_of

    add_number(carla, CARLA, notify=False)
    assert not SmsChannel().wants(carla, "task_proposed")
    assert not SmsChannel().wants(bob, "task_proposed")  # no number
    SmsChannel().send(bob, note_of("task_proposed"))
    assert gateway.sent == []
    with pytest.raises(ValueError, match="no SMS sentence"):
        note_of("birthday")


def test_a_gateway_that_is_down_costs_nothing_of_the_days_limit(carla, gateway, settings):
    from sinfronteras.sms.channel import SmsChannel, note_of
    from sinfronteras.sms.gateway import GatewayError
    from sinfronteras.sms.outbox import sent_today

    add_number(carla, CARLA)
    settings.SMS_GATEWAY_PASSWORD = "wrong"
    with pytest.raises(GatewayError):
        SmsChannel().send(carla, note_of("task_message"))
    assert sent_today(carla, "note") == 0


@pytest.mark.django_db(transaction=True)
def test_the_worker_tries_again_later_when_the_gateway_is_down(carla, gateway, settings):
    from django.utils import timezone
    from django_tasks_db.models import DBTaskResult

    from sinfronteras.sms.channel import do_send_sms_notification

    add_number(carla, CARLA)
    settings.SMS_GATEWAY_PASSWORD = "wrong"
    do_send_sms_notification(carla, "alert_raised")
    run_worker()
    first = DBTaskResult.objects.get(status="SUCCESSFUL")
    assert first.return_value == "retry" and gateway.sent == []
    again = DBTaskResult.objects.get(status="READY")
    assert again.args_kwargs["args"] == [carla.pk, "alert_raised", 1]
    assert again.run_after > timezone.now()
    assert "5550147" not in str(again.args_kwargs)


@pytest.mark.django_db(transaction=True)  # the worker closes its connections when done
def test_a_notification_of_the_notify_core_reaches_a_member_by_sms(carla, gateway):
    from sinfronteras.notify.channels import channel_named
    from sinfronteras.notify.jobs import do_notify

    add_number(carla, CARLA)
    assert channel_named("sms") is not None
    assert "sms" in do_notify(carla, "task_proposed")
    assert gateway.sent == []  # queued, never sent in the request
    run_worker()
    assert gateway.texts_to(CARLA_E164) == ["A new task is proposed to you. Text TASKS to see it."]
