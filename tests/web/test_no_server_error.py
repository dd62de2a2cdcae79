"""No input is a server error: every form of the site, posted with hostile values in every
field, and every page opened with hostile query values, answers below 500 (issue 20,
"No 500 from input"). The API has its own property test (schemathesis, test_production).

The forms are found by crawling the site as a coordinator and as a member, so a new
form is fuzzed without being listed here. Hypothesis adds random text to a fixed list
of values known to have broken pages before (1e309, a 40-digit number, a superscript
digit, a 26-digit id, NaN, a null byte).
"""

from __future__ import annotations

import re
from datetime import timedelta
from decimal import Decimal
from html.parser import HTMLParser
from urllib.parse import urljoin, urlparse

import pytest
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import area, resource
from crawling import crawl
from plans_fixtures import carrying, open_carry_tasks, volunteer  # noqa: F401

HOSTILE = ["1e309", "9" * 40, "²", "9" * 26, "\x00", "-1e309", "NaN", "1.500", "a" * 3000]
#: Posted with the first round only: checking a password is slow on purpose (Argon2).
ONCE_ONLY = ("/account/password/",)
QUERY_VALUES = ["²", "9" * 26, "1e309", "-1", "\x00"]
#: Addresses not posted to: they end the session or the account (tested on their own).
NOT_POSTED = ("/logout/", "/account/leave/", "/language/", "/two-factor/", "/sms/webhook/")
QUERY_NAMES = ["area", "resource", "page", "find", "kind", "status", "next", "show", "tier"]


class Forms(HTMLParser):
    """The POST forms of a page: (action, [field names])."""

    def __init__(self, path):
        super().__init__()
        self.path, self.found, self._current = path, [], None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "form" and (a.get("method") or "").lower() == "post":
            self._current = (urljoin(self.path, a.get("action") or self.path), [])
        elif self._current is not None and tag in ("input", "select", "textarea") and a.get("name"):
            if a.get("type") not in ("submit", "button") and a["name"] not in (
                    "csrfmiddlewaretoken", "once"):
                self._current[1].append(a["name"])

    def handle_endtag(self, tag):
        if tag == "form" and self._current is not None:
            self.found.append(self._current)
            self._current = None


def forms_and_pages(client):
    """Every POST form reached by crawling, by action, and every page reached."""
    forms, pages = {}, []

    def on_page(path, response):
        if response.status_code == 200 and "text/html" in response.get("Content-Type", ""):
            pages.append(path)
            parser = Forms(path)
            parser.feed(response.content.decode())
            for action, names in parser.found:
                action = urlparse(action).path
                if not action.startswith(NOT_POSTED) and names:
                    forms.setdefault(action, set()).update(names)

    statuses = crawl(client, on_page=on_page)
    assert all(status < 500 for status in statuses.values()), statuses
    return one_per_shape(forms), one_per_shape(dict.fromkeys(pages, None))


def one_per_shape(found: dict) -> dict:
    """One address of each shape (``/needs/N/``): the same form or page, another record."""
    shapes = {}
    for path in sorted(found):
        shapes.setdefault(re.sub(r"\d+", "N", urlparse(path).path), path)
    return {path: found[path] for path in shapes.values()}


@pytest.fixture
def site(la, alice, bob, carla, need_of, offer_of, open_carry_tasks):
    """A collective with one of everything a form acts on."""
    from assembly_helpers import propose
    from sinfronteras.organizing.models import Action, Commitment, Conversation
    from sinfronteras.plans.models import AreaAlert

    need_of(bob, "food", 2)
    offer_of(bob, ["food"], 5)
    open_carry_tasks(1)
    propose(alice, kind="majority", title="Open on Sundays?")
    action = Action.objects.create(collective=la, organizer=alice, title="Rally",
                                   area=area(la, "Koreatown"), people=2, hours_each=Decimal(2),
                                   starts_at=timezone.now() + timedelta(days=2))
    Commitment.objects.create(collective=la, member=bob, what="Bring copies", action=action,
                              due_on=timezone.localdate() + timedelta(days=1))
    Conversation.objects.create(collective=la, logged_by=bob, area=area(la, "Echo Park"),
                                held_on=timezone.localdate(), nickname="Rosa", interest="high")
    AreaAlert.objects.create(collective=la, area=area(la, "Echo Park"), raised_by=bob,
                             until=timezone.now() + timedelta(hours=3))
    return la


def test_every_form_and_page_takes_hostile_values_without_a_server_error(client, site, alice,
                                                                          settings):
    """Every form reached by a coordinator (who also opens the members' forms), posted with
    every hostile value in every field (rotated, so each field gets each value); every page
    reached, opened with hostile query values."""
    settings.WRITES_PER_MINUTE = 100000
    client.force_login(alice)
    forms, pages = forms_and_pages(client)
    assert len(forms) >= 12, sorted(forms)
    errors = []
    for turn in range(len(HOSTILE)):
        client.force_login(alice)  # a form may have changed the session
        for action, names in sorted(forms.items()):
            if turn and action.startswith(ONCE_ONLY):
                continue
            data = {name: HOSTILE[(i + turn) % len(HOSTILE)] for i, name in enumerate(sorted(names))}
            status = client.post(action, data).status_code
            if status >= 500:
                errors.append((action, status, data))
    for path in pages:
        for turn in range(1):
            query = "&".join(f"{name}={QUERY_VALUES[(i + turn) % len(QUERY_VALUES)]}"
                             for i, name in enumerate(QUERY_NAMES))
            status = client.get(f"{urlparse(path).path}?{query}").status_code
            if status >= 500:
                errors.append((path, status, query))
    assert not errors, errors


@settings(max_examples=12, deadline=None, derandomize=True,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(value=st.one_of(st.sampled_from(HOSTILE), st.text(max_size=40),
                       st.from_regex(r"-?[0-9.,]{1,45}(e[0-9]{1,4})?", fullmatch=True)))
def test_random_values_in_the_need_and_offer_forms_never_make_a_server_error(client, site, bob,
                                                                             value):
    client.force_login(bob)
    for path, fields in [("/needs/new/", ["quantity", "area"]),
                         ("/offers/new/", ["radius_km", "resources"]),
                         ("/alerts/", ["hours"])]:
        data = {"resource": resource(site, "food").pk, "resources": resource(site, "food").pk,
                "area": area(site, "Echo Park").pk, "quantity": "2", "hours": "2"}
        for field in fields:
            response = client.post(path, {**data, field: value})
            assert response.status_code < 500, (path, field, value)
