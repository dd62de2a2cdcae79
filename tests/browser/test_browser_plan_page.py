"""At 360 px, in English and in Spanish: the coordinator goes through every need the plan
did not meet; a member reads the plan, reports a raid in one tap and confirms a withdrawal."""

from decimal import Decimal

from playwright.sync_api import expect
import pytest

from sinfronteras.members.models import Member
from sinfronteras.plans.runs import do_request_run, execute_run
from sinfronteras.sharing.models import Need

from .conftest import PHONE, fits_the_phone, log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

WORDS = {
    "en": {"show": "Show", "next": "Next", "more": "And 17 more.", "tier2": "2. Basic (10)",
           "of10": "of 10.", "why": "Why the plan can fully meet fewer needs:",
           "withdraw": "Withdraw", "yes": "Yes, withdraw it", "done": "The need is withdrawn.",
           "raid": "Raid reported", "back": "No, go back"},
    "es": {"show": "Mostrar", "next": "Siguiente", "more": "Y 17 más.", "tier2": "2. Básica (10)",
           "of10": "de 10.", "why": "Por qué el plan puede cubrir del todo menos necesidades:",
           "withdraw": "Retirar", "yes": "Sí, retirarla", "done": "La necesidad está retirada.",
           "raid": "Aviso de redada", "back": "No, volver"},
}


def speaks(username, language):
    Member.objects.filter(username=username).update(language=language)


def small_targets(page, selector) -> list:
    """Links and buttons under ``selector`` shorter than 44 px (text, height)."""
    return page.evaluate("""sel => [...document.querySelectorAll(sel)]
        .filter(e => e.offsetParent !== null)
        .map(e => [e.textContent.trim(), e.getBoundingClientRect().height])
        .filter(([t, h]) => h < 44)""", selector)


@pytest.fixture
def a_plan_with_shortages(la, alice, bob, carla, need_of, offer_of):
    """40 needs of diapers nobody offers (30 basic and urgent, 10 basic), and food too
    scarce for two families: the plan shares it out."""
    for _ in range(30):
        need_of(carla, "diapers", 2, urgent=True)
    for _ in range(10):
        need_of(bob, "diapers", 1)
    need_of(carla, "food", 4, urgent=True)
    need_of(carla, "food", 4, urgent=True)
    offer_of(bob, ["food"], 4, radius_km=Decimal("30"))
    run = execute_run(do_request_run(la, alice, enqueue=False).pk)
    assert run.status == "done", run.error
    return run


@pytest.mark.parametrize("language", ["en", "es"])
def test_a_coordinator_goes_through_every_need_the_plan_did_not_meet(
        live_server, phone, shoot, a_plan_with_shortages, la, language):
    words, base = WORDS[language], live_server.url
    log_in(phone, base, "alice")
    speaks("alice", language)
    phone.goto(f"{base}/plan/")
    assert phone.locator("html").get_attribute("lang") == language
    assert words["why"] in phone.locator("#why-fewer-fully-met").inner_text()
    assert fits_the_phone(phone)
    # every tier's table fits the phone: nothing to scroll sideways
    assert phone.evaluate("""[...document.querySelectorAll('#tiers .scroll')]
        .every(e => e.scrollWidth <= e.clientWidth)""")
    plan_row = phone.locator("#tier-table-1 tr.line-nothing td").first.inner_text()
    greedy_row = phone.locator("#tier-table-1 tr.line-nothing td").nth(1).inner_text()
    assert (plan_row, greedy_row) == ("30", "31")  # the plan leaves one family fewer with nothing
    shoot(phone, "plan")
    assert words["more"] in phone.locator("#unmet-count").inner_text()  # 42 in all, 25 shown
    phone.locator("#unmet-filter #id_tier").select_option(label=words["tier2"])
    phone.get_by_role("button", name=words["show"]).click()
    expect(phone.locator("#unmet-count")).to_contain_text(words["of10"])
    expect(phone.locator("#unmet li")).to_have_count(10)
    shoot(phone, "tier-2")
    phone.locator("#unmet-filter #id_tier").select_option("")
    phone.get_by_role("button", name=words["show"]).click()
    phone.get_by_role("link", name=words["next"]).click()
    expect(phone.locator("#unmet li")).to_have_count(42 - 25)
    assert small_targets(phone, "nav a, footer a, .pager a, button.link") == []
    shoot(phone, "page-2")


@pytest.mark.parametrize("language", ["en", "es"])
def test_a_member_reads_the_plan_reports_a_raid_and_confirms_a_withdrawal(
        live_server, phone, shoot, a_plan_with_shortages, la, bob, language):
    words, base = WORDS[language], live_server.url
    log_in(phone, base, "bob")
    speaks("bob", language)
    phone.goto(f"{base}/")
    phone.keyboard.press("Tab")  # the first Tab lands on the skip link, shown
    assert phone.evaluate("document.activeElement.className") == "skip"
    raid = phone.locator("#raid-button")
    assert words["raid"] in raid.inner_text() and raid.bounding_box()["height"] >= 44
    assert raid.bounding_box()["width"] >= PHONE["width"] * 0.8
    shoot(phone, "home")
    raid.click()
    assert phone.locator("#id_area").input_value() == str(bob.area_id)
    shoot(phone, "alert-page")

    phone.goto(f"{base}/plan/")
    expect(phone.locator("#tier-table-1")).to_be_visible()
    assert phone.locator("#unmet").count() == 0
    assert "Carla" not in phone.locator("main").inner_text()
    assert fits_the_phone(phone)
    shoot(phone, "plan-as-a-member")

    need = Need.objects.filter(posted_by=bob).first()
    phone.goto(f"{base}/needs/")
    phone.locator(f"#need-{need.pk}").get_by_role("button", name=words["withdraw"]).click()
    expect(phone.locator("#confirm-question")).to_be_visible()
    assert Need.objects.get(pk=need.pk).status == "open"  # asking changed nothing
    expect(phone.get_by_role("link", name=words["back"])).to_be_visible()
    assert fits_the_phone(phone)
    shoot(phone, "confirm")
    phone.get_by_role("button", name=words["yes"]).click()
    assert words["done"] in phone.locator(".messages").inner_text()
    assert Need.objects.get(pk=need.pk).status == "withdrawn"
    shoot(phone, "withdrawn")
    phone.goto(f"{base}/needs/999999/")  # gone: the site's layout, their language, a way on
    expect(phone.locator("header nav")).to_be_visible()
    assert phone.locator("#error-next a").count() >= 2
    assert phone.locator("html").get_attribute("lang") == language
    shoot(phone, "not-found")
