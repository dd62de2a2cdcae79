"""Every form of the site round-trips, in English and in Spanish.

Each edit form is opened, and exactly the values its HTML holds (parsed as a
browser would send them) are posted back: nothing stored may change. Forms for
something new that come pre-filled (a conversation's day, an action's material)
are posted with the pre-filled values kept and only the empty required fields
filled in: the pre-filled values must be accepted and stored as shown.

The edit forms are found from the URL confs: a test below fails when a URL that
serves a form is neither walked here nor listed as not an edit form.
"""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal
import re
from html.parser import HTMLParser

import pytest
from django.forms.models import model_to_dict
from django.urls import get_resolver, reverse
from django.utils import timezone

from conftest import area, resource

LANGUAGES = ["en", "es"]
#: Stamps that say when something was saved, not what: a save may move them.
STAMPS = {"updated_at", "results_at"}


#: What a browser keeps of an input's value (HTML's value sanitization): anything else is
#: emptied, as Chrome empties <input type=date value="05/12/2026">.
SANITIZED = {
    "date": re.compile(r"^\d{4}-\d{2}-\d{2}$"),
    "time": re.compile(r"^\d{2}:\d{2}(:\d{2}(\.\d+)?)?$"),
    "datetime-local": re.compile(r"^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?$"),
    "number": re.compile(r"^-?(\d+(\.\d+)?|\.\d+)([eE][-+]?\d+)?$"),
}


def as_browser_keeps(kind: str, value: str) -> str:
    rule = SANITIZED.get(kind)
    return value if rule is None or rule.match(value) else ""


class FormValues(HTMLParser):
    """What a browser would submit from the page's POST form that has a submit button
    for saving (the first form with method=post and more than a CSRF token)."""

    def __init__(self):
        super().__init__()
        self.forms: list[list[tuple[str, str]]] = []
        self._form = None
        self._select = None
        self._options: list[tuple[str, bool]] = []
        self._textarea = None
        self._text = ""

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "form" and (a.get("method") or "").lower() == "post":
            self._form = []
        if self._form is None:
            return
        if tag == "input" and "name" in a:
            kind = (a.get("type") or "text").lower()
            if kind in ("checkbox", "radio"):
                if "checked" in a:
                    self._form.append((a["name"], a.get("value", "on")))
            elif kind not in ("submit", "button", "reset", "file"):
                self._form.append((a["name"], as_browser_keeps(kind, a.get("value") or "")))
        elif tag == "select":
            self._select, self._options = a.get("name"), []
        elif tag == "option" and self._select is not None:
            self._options.append((a.get("value", ""), "selected" in a))
        elif tag == "textarea":
            self._textarea, self._text = a.get("name"), ""

    def handle_data(self, data):
        if self._textarea is not None:
            self._text += data

    def handle_endtag(self, tag):
        if self._form is None:
            return
        if tag == "select" and self._select is not None:
            chosen = [value for value, selected in self._options if selected]
            if not chosen and self._options:
                chosen = [self._options[0][0]]  # what a browser submits for a single select
            self._form.extend((self._select, value) for value in chosen)
            self._select = None
        elif tag == "textarea" and self._textarea is not None:
            self._form.append((self._textarea, self._text.removeprefix("\n")))
            self._textarea = None
        elif tag == "form":
            self.forms.append(self._form)
            self._form = None


def form_of(page: bytes) -> list[tuple[str, str]]:
    parser = FormValues()
    parser.feed(page.decode())
    hidden = {"csrfmiddlewaretoken", "once"}  # once: the form's one-time key (web/once.py)
    forms = [f for f in parser.forms if any(name not in hidden for name, _ in f)]
    main = [f for f in forms if not {name for name, _ in f} <= hidden | {"language", "next"}]
    assert main, "no form on the page"
    return main[0]


def as_post(pairs, **fill) -> dict:
    data: dict[str, list[str]] = {}
    for name, value in pairs:
        data.setdefault(name, []).append(value)
    for name, value in fill.items():
        if not any(data.get(name, [""])):
            data[name] = [value]
    return data


def snapshot(instance) -> dict:
    instance = type(instance).objects.get(pk=instance.pk)
    values = {f.name: getattr(instance, f.attname) for f in instance._meta.concrete_fields
              if f.name not in STAMPS}
    values.update({k: sorted(v.pk for v in vs) if isinstance(vs, list) else vs
                   for k, vs in model_to_dict(instance).items()
                   if isinstance(vs, list)})  # many-to-many
    return values


def save_unchanged(client, member, url, instance, language, dashes_checked=True):
    member.language = language
    member.save(update_fields=["language"])
    client.force_login(member)
    before = snapshot(instance)
    page = client.get(url)
    assert page.status_code == 200, url
    assert f'<html lang="{language}">' in page.content.decode()
    if dashes_checked:  # every empty choice says what it means
        assert "---------" not in page.content.decode()
    response = client.post(url, as_post(form_of(page.content)))
    assert response.status_code == 302, (url, language, response.content.decode()[-3000:])
    assert snapshot(instance) == before, (url, language)


# --- the things each form edits ------------------------------------------------------

def a_need(la, carla):
    from sinfronteras.sharing.models import Need

    return Need.objects.create(collective=la, posted_by=carla, resource=resource(la, "diapers"),
                               quantity=Decimal("2"), area=area(la, "Boyle Heights"), urgent=True,
                               needed_by=timezone.localdate() + timedelta(days=3))


def an_offer(la, bob):
    from sinfronteras.sharing.models import Offer

    offer = Offer.objects.create(collective=la, posted_by=bob, quantity=Decimal("1283.5"),
                                 area=area(la, "Echo Park"), radius_km=Decimal("7.5"),
                                 available_until=timezone.localdate() + timedelta(days=9))
    offer.resources.set([resource(la, "food")])
    return offer


def a_past_action(la, alice):
    from sinfronteras.organizing.models import Action

    return Action.objects.create(
        collective=la, organizer=alice, title="Rally", area=area(la, "Koreatown"),
        starts_at=timezone.now() - timedelta(days=1), people=4, hours_each=Decimal("2.5"),
        copies_distributed=1200, conversations_started=3, want_more=2,
        results_at=timezone.now() - timedelta(hours=2))


def a_proposal(alice):
    from assembly_helpers import propose

    return propose(alice, kind="majority", rule="", title="Keep needs 10 days",
                   change="retention_days", change_value="10")


@pytest.mark.parametrize("language", LANGUAGES)
def test_a_need_saved_unchanged_keeps_its_date_and_quantity(client, la, carla, language):
    need = a_need(la, carla)
    save_unchanged(client, carla, reverse("need_edit", args=[need.pk]), need, language)
    client.force_login(carla)
    html = client.get(reverse("need_edit", args=[need.pk])).content.decode()
    assert f'value="{need.needed_by.isoformat()}"' in html and 'value="2"' in html


@pytest.mark.parametrize("language", LANGUAGES)
def test_an_offer_saved_unchanged_keeps_every_field(client, la, bob, language):
    offer = an_offer(la, bob)
    save_unchanged(client, bob, reverse("offer_edit", args=[offer.pk]), offer, language)
    client.force_login(bob)
    html = client.get(reverse("offer_edit", args=[offer.pk])).content.decode()
    mark = "," if language == "es" else "."  # the reader's decimal mark, no grouping
    assert f'value="1283{mark}5"' in html and f'value="7{mark}5"' in html
    assert 'inputmode="decimal"' in html and 'type="number"' not in html


@pytest.mark.parametrize("language", LANGUAGES)
def test_a_resource_saved_unchanged_stays_the_same(client, la, alice, language):
    food = resource(la, "food")
    save_unchanged(client, alice, reverse("resource_edit", args=[food.pk]), food, language)


@pytest.mark.parametrize("language", LANGUAGES)
def test_an_area_saved_unchanged_stays_where_it_was(client, la, alice, language):
    place = area(la, "Echo Park")
    save_unchanged(client, alice, reverse("area_edit", args=[place.pk]), place, language)


@pytest.mark.parametrize("language", LANGUAGES)
def test_an_account_saved_unchanged_stays_the_same(client, la, bob, language):
    bob.language = language
    bob.save(update_fields=["language"])
    save_unchanged(client, bob, reverse("account"), bob, language)


@pytest.mark.parametrize("language", LANGUAGES)
def test_an_actions_results_saved_unchanged_stay_the_same(client, la, alice, language):
    action = a_past_action(la, alice)
    save_unchanged(client, alice, reverse("organizing:action_results", args=[action.pk]), action,
                   language)


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_organizing_settings_saved_unchanged_stay_the_same(client, la, alice, language):
    from sinfronteras.organizing.services import settings_of

    save_unchanged(client, alice, reverse("organizing:settings"), settings_of(la), language)


@pytest.mark.parametrize("language", LANGUAGES)
def test_a_break_posts_its_day_as_shown(client, la, bob, language):
    day = timezone.localdate() + timedelta(days=12)
    post_new(client, bob, reverse("organizing:break"), language, until=day.isoformat())
    bob.refresh_from_db()
    assert bob.on_break_until == day
    page = client.get(reverse("organizing:break")).content.decode()
    from django.utils import formats, translation

    with translation.override(language):
        shown = formats.date_format(day, "SHORT_DATE_FORMAT")
    assert shown in page and "/" not in shown and str(day.year) in shown  # one format a language


@pytest.mark.parametrize("language", LANGUAGES)
def test_a_proposal_saved_unchanged_by_its_author_stays_the_same(client, la, alice, language):
    proposal = a_proposal(alice)
    # the proposal form is being split by kind elsewhere; its empty choices go with that work
    save_unchanged(client, alice, reverse("assembly:edit", args=[proposal.pk]), proposal, language,
                   dashes_checked=False)


# --- forms for something new that come pre-filled -------------------------------------

def post_new(client, member, url, language, **fill):
    member.language = language
    member.save(update_fields=["language"])
    client.force_login(member)
    page = client.get(url).content
    assert "---------" not in page.decode()  # every empty choice says what it means
    pairs = form_of(page)
    response = client.post(url, as_post(pairs, **fill))
    errors = response.content.decode().split('role="alert"')[1:]
    assert response.status_code == 302, (url, language, [e[:300] for e in errors])
    return dict(pairs)


@pytest.mark.parametrize("language", LANGUAGES)
def test_a_conversations_pre_filled_day_is_accepted_on_the_first_submit(client, la, bob, language):
    from sinfronteras.organizing.models import Conversation

    shown = post_new(client, bob, reverse("organizing:conversation_new"), language,
                     nickname="Rosa", interest="interested")
    assert shown["held_on"] == timezone.localdate().isoformat()
    assert Conversation.objects.get().held_on == timezone.localdate()


@pytest.mark.parametrize("language", LANGUAGES)
def test_a_new_actions_pre_filled_values_are_kept(client, la, alice, language):
    from sinfronteras.organizing.models import Action

    day = (timezone.localdate() + timedelta(days=2)).isoformat()
    post_new(client, alice, reverse("organizing:action_new"), language, title="Rally", day=day,
             hour="11:00")
    action = Action.objects.get()
    assert timezone.localtime(action.starts_at).strftime("%Y-%m-%d %H:%M") == f"{day} 11:00"


@pytest.mark.parametrize("language", LANGUAGES)
def test_a_new_commitments_form_posts_as_shown(client, la, bob, language):
    from sinfronteras.organizing.models import Commitment

    day = (timezone.localdate() + timedelta(days=2)).isoformat()
    post_new(client, bob, reverse("organizing:commitment_new"), language, what="Bring copies",
             due_on=day)
    assert Commitment.objects.get().due_on.isoformat() == day


# --- every form is walked ---------------------------------------------------------------

WALKED = {"need_edit", "offer_edit", "resource_edit", "area_edit", "account",
          "organizing:action_results", "organizing:settings", "organizing:break",
          "assembly:edit", "organizing:conversation_new", "organizing:action_new",
          "organizing:commitment_new"}
#: Pages whose forms make something new from nothing pre-filled, or act (log in, seal,
#: change a password): not edit forms of something stored.
NOT_EDIT_FORMS = {"need_new", "offer_new", "resource_new", "area_new", "login", "join",
                  "password_change", "leave", "invites", "tokens", "second_factor",
                  "assembly:propose", "assembly:proposal", "plans:alerts", "plans:need_address",
                  "organizing:help", "set_language"}


def test_every_page_with_a_form_is_walked_or_known_not_to_edit():
    from sinfronteras.web import urls  # noqa: F401 (loads the URL confs)

    def names(resolver, prefix=""):
        for pattern in resolver.url_patterns:
            if hasattr(pattern, "url_patterns"):
                space = f"{pattern.namespace}:" if pattern.namespace else prefix
                yield from names(pattern, space)
            elif pattern.name:
                yield prefix + pattern.name

    served = set(names(get_resolver()))
    assert WALKED <= served and NOT_EDIT_FORMS <= served
    form_views = set()
    from pathlib import Path

    import sinfronteras
    root = Path(sinfronteras.__file__).parent
    for template in root.rglob("templates/**/*_form.html"):
        form_views.add(template.stem)
    # every *_form.html template belongs to a walked view or a known new-only form
    known = {"need_form", "offer_form", "resource_form", "area_form", "action_form",
             "results_form", "conversation_form", "commitment_form", "break_form", "help_form"}
    assert form_views <= known, form_views - known
