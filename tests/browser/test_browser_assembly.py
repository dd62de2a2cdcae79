"""Deciding together on a phone: propose a ranked choice, two members rank without JavaScript,
the window closes, the results show the winner and the instant-runoff rounds."""

import re
from datetime import timedelta

from playwright.sync_api import expect
import pytest
from django.utils import timezone

from conftest import PASSWORD
from sinfronteras.assembly.models import Ballot, Decision, Proposal

from .conftest import fits_the_phone

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def log_in(page, url, username):
    page.goto(f"{url}/login/")
    page.get_by_label("Login name").fill(username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()


def rank(page, ranks):
    for label, value in ranks.items():
        page.get_by_label(re.compile(rf"^{label}:?$")).select_option(value)
    page.get_by_role("button", name="Cast my vote").click()


def test_members_rank_options_without_javascript_and_read_the_rounds(live_server, chromium, phone, shoot,
                                                                    alice, bob, carla, la):
    context = phone.context
    context.route("**/*.js", lambda route: route.abort())  # nothing may need a script
    log_in(phone, live_server.url, "bob")
    phone.get_by_role("link", name="Decide").click()
    phone.get_by_role("link", name="Make a proposal").click()
    phone.get_by_role("link", name="Choose among options, by ranking them").click()
    phone.get_by_label("Question").fill("Who speaks for us at the city council?")
    phone.get_by_label("Counting rule").select_option("irv")
    phone.get_by_label("Options").fill("Ana\nBeto\nCruz")
    shoot(phone, "propose")
    phone.get_by_role("button", name="Open the vote").click()
    proposal = Proposal.objects.get()
    assert phone.locator("h1").inner_text() == "Who speaks for us at the city council?"

    rank(phone, {"Ana": "1", "Beto": "1"})  # the same rank twice: refused, said on each
    expect(phone.locator("#error-rank_0")).to_be_visible()
    expect(phone.locator("#error-rank_1")).to_be_visible()
    assert not Ballot.objects.exists()
    shoot(phone, "duplicate-rank")
    rank(phone, {"Ana": "2", "Beto": "1"})
    assert "Your vote is counted" in phone.locator(".messages").inner_text()
    assert fits_the_phone(phone)
    shoot(phone, "voted")

    phone.get_by_role("button", name="Log out").click()
    log_in(phone, live_server.url, "carla")
    phone.goto(f"{live_server.url}/decisions/{proposal.pk}/")
    rank(phone, {"Cruz": "1", "Beto": "2", "Ana": "3"})
    phone.get_by_role("link", name="Results so far").click()
    expect(phone.locator("#results-hidden")).to_be_visible()
    shoot(phone, "hidden")

    now = timezone.now()
    Proposal.objects.filter(pk=proposal.pk).update(opens_at=now - timedelta(days=2),
                                                   closes_at=now - timedelta(minutes=1))
    phone.reload()  # the first look after the window closes it
    assert phone.locator("#winners").inner_text() == "Beto"
    rounds = phone.locator("#rounds > li")
    assert rounds.count() == 3 and "Ana" in rounds.nth(0).inner_text()
    assert "Eliminated: Ana" in rounds.nth(0).inner_text()
    assert Decision.objects.get().winners == ["Beto"]
    assert fits_the_phone(phone)
    shoot(phone, "results")
