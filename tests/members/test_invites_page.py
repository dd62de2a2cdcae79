"""The invite page: each link's expiry as a date, and a copy/share button that a script of the
site adds (the CSP allows only the site's own scripts); without it the link is still there."""

from __future__ import annotations

import re
from datetime import datetime, timedelta, timezone as tz

from django.contrib.staticfiles import finders
from django.urls import reverse

from sinfronteras.members.models import Invite
from sinfronteras.members.services import do_create_invite


def test_a_new_link_is_shown_selectable_with_a_hidden_button_the_script_reveals(client, bob):
    client.force_login(bob)
    response = client.post(reverse("invites"))
    page = response.content.decode()
    link = re.search(r'<p class="link-box" id="invite-link">([^<]+)</p>', page).group(1)
    assert "/join/" in link
    button = re.search(r'<button type="button" id="share-invite"[^>]*>', page).group(0)
    assert " hidden" in button and 'data-share="invite-link"' in button
    scripts = re.findall(r'<script src="([^"]+)" defer></script>', page)
    assert "/static/sinfronteras/share.js" in scripts and finders.find("sinfronteras/share.js")
    assert "script-src 'self'" in response["Content-Security-Policy"]
    assert "onclick" not in page and "<script>" not in page  # nothing inline: the CSP would block it


def test_the_share_script_uses_the_share_sheet_or_the_clipboard():
    text = open(finders.find("sinfronteras/share.js"), encoding="utf-8").read()
    assert "navigator.share" in text and "navigator.clipboard.writeText" in text
    assert "fetch(" not in text and "XMLHttpRequest" not in text  # the link never leaves the page


def test_each_invitation_says_until_when_it_works_as_a_date(client, bob, settings):
    settings.INVITE_DAYS = 5
    _, _token = do_create_invite(bob)
    Invite.objects.update(created_at=datetime(2026, 12, 1, 18, tzinfo=tz.utc),
                          expires_at=datetime(2030, 12, 6, 18, tzinfo=tz.utc))
    client.force_login(bob)
    page = client.get(reverse("invites")).content.decode()
    assert "expires 5 days after it is made" in page
    item = re.search(r'<ul class="cards" id="invites">(.*?)</ul>', page, re.S).group(1)
    assert "Made on Dec 1, 2026" in item and "not used yet; it works until Dec 6, 2030" in item
    assert "01/12/2026" not in page
    bob.language = "es"
    bob.save()
    page = client.get(reverse("invites")).content.decode()
    assert "Creada el 1 dic 2026" in page and "sin usar; sirve hasta el 6 dic 2030" in page
    assert "caduca 5 días después de crearla" in page


def test_an_expired_invitation_says_when_it_expired(client, bob):
    do_create_invite(bob)
    Invite.objects.update(expires_at=datetime(2026, 1, 2, 12, tzinfo=tz.utc),
                          created_at=datetime(2026, 1, 1, 12, tzinfo=tz.utc) - timedelta(days=1))
    client.force_login(bob)
    page = client.get(reverse("invites")).content.decode()
    assert "expired on Jan 2, 2026" in page
