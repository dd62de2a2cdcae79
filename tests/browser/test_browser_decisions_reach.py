"""Decisions that reach the plan, on a phone, in Spanish and in English: a proposal must
stay open the members' minimum; a secret ballot shows only how many voted; an open one
says its results "so far"; a passed budget's projects are the collective's needs, brought
to a public place; an organisation reads that it does not vote; the coordinator's plan
page flags an account that offers far more carrying than the rest. Every page fits 360 px,
its links and buttons are at least 44 px tall, and the menu takes at most two rows."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

from playwright.sync_api import expect
import pytest
from django.utils import timezone

from assembly_helpers import end_window, propose, rank, vote_all
from conftest import make_member
from sinfronteras.assembly.services import do_close
from sinfronteras.members.models import Member
from sinfronteras.plans.models import Task
from sinfronteras.plans.runs import do_request_run, execute_run
from sinfronteras.sharing.models import Offer, Resource

from .conftest import fits_the_phone, log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

WORDS = {
    "en": {"early": "stays open at least 48 hours", "secret": "So far 2 of 3 members have voted.",
           "so_far": "Quorum not reached so far", "project": "brought to Boyle Heights library",
           "org": "does not vote", "flag": "800 hours a week in 8 offers"},
    "es": {"early": "al menos 48 horas", "secret": "Por ahora han votado 2 de 3 miembros.",
           "so_far": "Todavía no hay quórum", "project": "se lleva a Boyle Heights library",
           "org": "no vota", "flag": "800 horas a la semana en 8 ofertas"},
}

#: Links and buttons of the page's content smaller than a finger (WCAG 2.5.5: 44 px).
SMALL_TARGETS = """() => [...document.querySelectorAll(
    'main a, main button, main select, main input:not([type=hidden]), main textarea, nav a, nav button')]
  .filter(e => e.offsetParent !== null)
  .map(e => (e.type === 'checkbox' || e.type === 'radio') && e.closest('label') ? e.closest('label') : e)
  .map(e => [e.outerHTML.slice(0, 80), e.getBoundingClientRect().height])
  .filter(([_, h]) => h < 44)"""

#: How many rows the menu takes: distinct tops of its links.
MENU_ROWS = """() => new Set([...document.querySelectorAll('header nav a, header nav button, nav.menu a')]
  .filter(e => e.offsetParent !== null).map(e => Math.round(e.getBoundingClientRect().top))).size"""


def check(page, shoot, step):
    assert fits_the_phone(page), step
    small = page.evaluate(SMALL_TARGETS)
    assert small == [], (step, small)
    shoot(page, step)


@pytest.mark.parametrize("lang", ["en", "es"])
def test_decisions_that_reach_the_plan_read_right_on_a_phone(live_server, chromium, phone, shoot, alice,
                                                            bob, carla, la, password_hash, lang):
    words = WORDS[lang]
    Member.objects.all().update(language=lang)
    base = live_server.url
    # A proposal closing in an hour is refused, with the earliest time allowed.
    log_in(phone, base, "bob")
    shoot(phone, "menu")
    widths = phone.evaluate("() => [...document.querySelectorAll('header nav a, header nav button')]"
                            ".map(e => [e.innerText, Math.round(e.getBoundingClientRect().width), "
                            "Math.round(e.getBoundingClientRect().top)])")
    assert phone.evaluate(MENU_ROWS) <= 2, ("the menu wraps to more than two rows", widths)
    phone.goto(f"{base}/decisions/new/consent/")
    phone.locator("#id_title").fill("¿Abrimos a las 9?" if lang == "es" else "Open at 9?")
    soon = timezone.localtime() + timedelta(hours=1)
    phone.locator("#id_closes_at").fill(soon.strftime("%Y-%m-%dT%H:%M"))
    phone.locator("button[name=save]").click()
    assert words["early"] in phone.locator("#error-closes_at").inner_text()
    check(phone, shoot, "too-early")

    # A secret ballot: only how many voted, even though its author did not hide results.
    secret = propose(alice, options="Boyle Heights community hall\nEcho Park library\n"
                                    "Koreatown church basement\nWest Adams park", hide_results=None)
    vote_all(secret, [(alice, rank(1, 0)), (carla, rank(1, 2))])
    phone.goto(f"{base}/decisions/{secret.pk}/results/")
    assert words["secret"] in phone.locator("#voters-so-far").inner_text()
    assert phone.locator("#pairwise").count() == 0
    check(phone, shoot, "secret-open")

    # An open ballot's results so far, in the present tense.
    public = propose(alice, kind="majority", ballot_mode="open", hide_results=None)
    vote_all(public, [(carla, {"answer": "yes"})])
    phone.goto(f"{base}/decisions/{public.pk}/results/")
    assert words["so_far"] in phone.locator("#outcome").inner_text()
    check(phone, shoot, "open-so-far")

    # The secret ballot closed: the Schulze tables scroll inside the page, never cut.
    phone.goto(f"{base}/decisions/{end_window(secret).pk}/results/")
    expect(phone.locator("#pairwise")).to_be_visible()
    right, hidden = phone.locator("#pairwise").evaluate(
        "e => [e.getBoundingClientRect().right, e.scrollWidth - e.clientWidth]")
    assert right <= 360 and hidden <= 0  # the whole table shows: no column cut off
    check(phone, shoot, "schulze-closed")

    # A passed budget: the collective's need, brought to a public place.
    childcare = la.resources.get(key="childcare")
    budget = propose(carla, kind="budget", title="Childcare hours", resource=str(childcare.pk), budget="10",
                     options="Homework club; 6; Boyle Heights; Boyle Heights library, room 2\n"
                             "Playgroup; 5; Echo Park")
    vote_all(budget, [(m, {"approved": [0]}) for m in (alice, bob, carla)])
    do_close(end_window(budget))
    phone.goto(f"{base}/decisions/{budget.pk}/results/")
    assert words["project"] in phone.locator("#project-needs").inner_text()
    check(phone, shoot, "budget-projects")

    # Its task tells the giver the public place, never "a sealed address".
    gift = Offer.objects.create(collective=la, posted_by=bob, quantity=Decimal(6), area=bob.area,
                                radius_km=Decimal(30))
    gift.resources.set([childcare])
    execute_run(do_request_run(la, enqueue=False).pk)
    task = Task.objects.get(offer=gift)
    phone.goto(f"{base}/tasks/{task.pk}/")
    assert "Boyle Heights library, room 2" in phone.locator("#task-dropoff").inner_text()
    check(phone, shoot, "project-task")

    # An organisation reads that it does not vote.
    pantry = make_member(la, "pantry", "Echo Park", password_hash=password_hash, language=lang)
    Member.objects.filter(pk=pantry.pk).update(is_organisation=True)
    log_in(phone, base, "pantry")
    phone.goto(f"{base}/account/")
    assert words["org"] in phone.locator("main").inner_text()
    check(phone, shoot, "organisation-account")
    phone.goto(f"{base}/decisions/{public.pk}/")
    assert words["org"] in phone.locator("#organisation-no-vote").inner_text()
    check(phone, shoot, "organisation-ballot")
    phone.goto(f"{base}/decisions/")
    assert words["org"] in phone.locator("#organisation-no-vote").inner_text()
    check(phone, shoot, "organisation-proposals")

    # The coordinator sees the account far above the rest.
    carrying = Resource.objects.create(collective=la, key="carrying", name_en="Carrying",
                                       name_es="Transporte", unit="hours", carries=True)
    greedy = make_member(la, "greedy", "Echo Park", password_hash=password_hash, language=lang)
    usual = [make_member(la, f"usual{k}", "Koreatown", password_hash=password_hash) for k in range(4)]
    for member, hours, n in [(greedy, 100, 8)] + [(m, 4, 1) for m in usual]:
        for _ in range(n):
            offer = Offer.objects.create(collective=la, posted_by=member, quantity=Decimal(hours),
                                         area=member.area)
            offer.resources.set([carrying])
    log_in(phone, base, "alice")
    phone.goto(f"{base}/plan/")
    assert words["flag"] in phone.locator("#outliers").inner_text()
    check(phone, shoot, "plan-outliers")
