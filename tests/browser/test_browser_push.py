"""Push on a phone: the account page registers our service worker; a push delivered to
it through the DevTools protocol (as a push service would deliver it) shows a
notification with the generic sentence, in Spanish and in English."""

from __future__ import annotations

import json

import pytest

from conftest import PASSWORD, make_member
from sinfronteras.notify.channels import make_note

from .conftest import PHONE, fits_the_phone

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

WORDS = {
    "en": {"locale": "en-US", "heading": "Notifications", "on": "Turn on notifications on this device",
           "sentence": "You have a new message on one of your tasks."},
    "es": {"locale": "es-ES", "heading": "Avisos", "on": "Encender los avisos en este dispositivo",
           "sentence": "Tienes un mensaje nuevo en una de tus tareas."},
}


def log_in(page, base, username):
    """Log in in whatever language the page speaks (fields by id)."""
    page.goto(f"{base}/login/")
    page.locator("#id_username").fill(username)
    page.locator("#id_password").fill(PASSWORD)
    page.locator("main form button[type=submit]").click()
    page.wait_for_url(lambda url: "/login/" not in url)


@pytest.fixture(autouse=True)
def keys(settings, tmp_path):
    settings.VAPID_PRIVATE_KEY = settings.VAPID_PUBLIC_KEY = ""
    settings.VAPID_KEY_FILE = str(tmp_path / "vapid.pem")


@pytest.mark.parametrize("language", ["en", "es"])
def test_a_pushed_note_shows_a_notification_with_only_the_generic_sentence(
        chromium, live_server, la, password_hash, shoot, language):
    words = WORDS[language]
    member = make_member(la, f"pushy{language}", "Echo Park", password_hash=password_hash,
                         language=language)
    base = live_server.url
    context = chromium.new_context(viewport=PHONE, locale=words["locale"])
    context.grant_permissions(["notifications"], origin=base)
    page = context.new_page()
    page.set_default_timeout(10_000)
    try:
        log_in(page, base, member.username)
        page.goto(f"{base}/account/")
        page.get_by_role("heading", name=words["heading"], exact=True).wait_for()
        page.get_by_role("button", name=words["on"]).wait_for()  # the script showed it
        scope = page.evaluate("navigator.serviceWorker.ready.then(r => r.scope)")
        assert scope == f"{base}/"
        assert fits_the_phone(page)
        shoot(page, "account-notifications")

        cdp = context.new_cdp_session(page)
        registrations = []
        cdp.on("ServiceWorker.workerRegistrationUpdated",
               lambda event: registrations.extend(event["registrations"]))
        cdp.send("ServiceWorker.enable")
        for _ in range(50):
            if any(r["scopeURL"] == f"{base}/" and not r["isDeleted"] for r in registrations):
                break
            page.wait_for_timeout(100)
        registration = next(r for r in registrations if r["scopeURL"] == f"{base}/")
        note = make_note(member, "task_message", "/tasks/7/").as_dict()  # what the server sends
        cdp.send("ServiceWorker.deliverPushMessage", {
            "origin": base, "registrationId": registration["registrationId"], "data": json.dumps(note)})

        # Read the notifications in the same call that sees them: a busy machine may close
        # them between two calls.
        shown = page.wait_for_function("""navigator.serviceWorker.ready
            .then(r => r.getNotifications())
            .then(list => list.length > 0 && list.map(
                n => ({title: n.title, body: n.body, tag: n.tag, url: n.data.url})))""",
                                       polling=100).json_value()
        assert shown == [{"title": "sinfronteras", "body": words["sentence"], "tag": "task_message",
                          "url": "/tasks/7/"}]
        page.locator("#push-status", has_text=words["sentence"]).wait_for()  # said on the open page
        shoot(page, "note-arrived")
    finally:
        context.close()
