"""Proposing on a phone, in Spanish and in English: choose the kind, fill that kind's short
form (a ranked choice), pick a member among namesakes through the server-side search (a
change of role), then make an invitation link and press its copy button."""

from __future__ import annotations

from datetime import datetime, timezone as tz

from playwright.sync_api import expect
import pytest

from conftest import make_member
from sinfronteras.assembly.models import Proposal
from sinfronteras.members.models import Member

from .conftest import ARTIFACTS, fits_the_phone, log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

WORDS = {
    "en": {"propose": "Make a proposal", "decide": "Decide", "open": "Open the vote", "search": "Search",
           "invite": "Create an invitation link", "copy": "Copy the link", "copied": "Copied.",
           "joined": "joined May 2026", "found": "2 members match"},
    "es": {"propose": "Hacer una propuesta", "decide": "Decidir", "open": "Abrir la votación",
           "search": "Buscar", "invite": "Crear un enlace de invitación", "copy": "Copiar el enlace",
           "copied": "Copiado.", "joined": "se unió en mayo de 2026", "found": "2 miembros coinciden"},
}


def namesakes(la, password_hash):
    """Two members called "Alex C.", one joined in March, one in May."""
    made = []
    for k, month in enumerate([3, 5]):
        member = make_member(la, f"alex{k}", "Echo Park", password_hash=password_hash)
        Member.objects.filter(pk=member.pk).update(
            display_name="Alex C.", date_joined=datetime(2026, month, 10, 12, tzinfo=tz.utc))
        made.append(member)
    return made


@pytest.mark.parametrize("lang", ["en", "es"])
def test_a_member_proposes_a_ranked_choice_and_a_role_change_and_shares_an_invitation(
        live_server, chromium, phone, shoot, alice, bob, carla, la, password_hash, lang):
    words = WORDS[lang]
    march, may = namesakes(la, password_hash)
    Member.objects.filter(pk=bob.pk).update(language=lang)
    log_in(phone, live_server.url, "bob")
    phone.get_by_role("link", name=words["decide"], exact=True).click()
    phone.get_by_role("link", name=words["propose"]).click()
    expect(phone.locator("#kinds > li")).to_have_count(9)
    assert fits_the_phone(phone)
    assert phone.locator("#kind-ranked").bounding_box()["height"] >= 44
    shoot(phone, "kinds")

    phone.locator("#kind-ranked").click()
    assert phone.locator("#id_budget, #id_subject, #id_change").count() == 0  # only this kind's fields
    phone.locator("#id_title").fill("¿Dónde hacemos la colecta?" if lang == "es" else "Where is the food drive?")
    phone.locator("#id_options").fill("Boyle Heights\nEcho Park\nKoreatown")
    assert fits_the_phone(phone)
    shoot(phone, "ranked-form")
    phone.get_by_role("button", name=words["open"]).click()
    ranked = Proposal.objects.get(kind="ranked")
    assert ranked.author == bob and ranked.options.count() == 3 and ranked.rule == "schulze"
    assert phone.locator("h1").inner_text() == ranked.title

    phone.goto(f"{live_server.url}/decisions/new/")
    phone.locator("#kind-role").click()
    phone.locator("#id_title").fill("Alex coordina" if lang == "es" else "Alex coordinates")
    phone.locator("#id_change").select_option("coordinator")
    phone.locator("#id_find").fill("alex")
    phone.get_by_role("button", name=words["search"], exact=True).click()
    assert words["found"] in phone.locator("#picker-found").inner_text()
    labels = phone.locator("#id_subject label.choice").all_inner_texts()
    assert len(labels) == 2 and len(set(labels)) == 2
    assert phone.locator("#id_title").input_value().startswith("Alex")  # the search kept it
    assert fits_the_phone(phone)
    shoot(phone, "picker")
    phone.locator("#id_subject label.choice", has_text=words["joined"]).click()
    phone.get_by_role("button", name=words["open"]).click()
    role = Proposal.objects.get(change="coordinator")
    assert role.subject_id == may.pk and role.subject_id != march.pk
    assert "Alex C." in phone.locator(".facts").inner_text()
    assert phone.locator("#withdraw-link").bounding_box()["height"] >= 44
    shoot(phone, "role-proposal")

    phone.goto(f"{live_server.url}/decisions/new/budget/")
    phone.locator("#id_title").fill("Childcare")
    phone.locator("#id_resource").select_option(str(la.resources.get(key="childcare").pk))
    phone.locator("#id_budget").fill("40")
    phone.locator("#id_options").fill("Homework club; 24; Echo Park\nPlaygroup; 20; Koreatown\n"
                                      "Rally; 8; Boyle Heights\nCourt day; 16")
    phone.get_by_role("button", name=words["open"]).click()
    # The browser lands on the wrong field, its error just above it, on the phone's screen.
    # (autofocus applies once the new page has loaded: wait for it, up to the usual timeout;
    # expect() waits without evaluating a string in the page, which its CSP forbids)
    expect(phone.locator("#id_options")).to_be_focused()
    assert phone.evaluate("document.activeElement.id") == "id_options"
    expect(phone.locator("#error-options")).to_be_visible()
    expect(phone.locator("#form-errors")).to_be_visible()
    box = phone.locator("#error-options").bounding_box()
    assert 0 <= box["y"] + box["height"] and box["y"] < 740
    assert phone.locator("#error-options").inner_text().startswith("Line 4" if lang == "en" else "Línea 4")
    assert fits_the_phone(phone)
    phone.screenshot(path=str(ARTIFACTS / f"proposals-{lang}-budget-error-as-seen.png"))  # the screen
    shoot(phone, "budget-error")

    phone.context.grant_permissions(["clipboard-read", "clipboard-write"], origin=live_server.url)
    phone.goto(f"{live_server.url}/invites/")
    phone.get_by_role("button", name=words["invite"]).click()
    link = phone.locator("#invite-link").inner_text().strip()
    button = phone.locator("#share-invite")
    assert "/join/" in link and button.is_visible()
    # Debian's chromium has no share sheet on Linux: the button copies to the clipboard.
    assert phone.evaluate("typeof navigator.share") == "undefined"
    assert button.inner_text() == words["copy"]
    button.click()
    phone.locator("#share-status", has_text=words["copied"]).wait_for()
    assert phone.evaluate("navigator.clipboard.readText()") == link
    assert fits_the_phone(phone)
    shoot(phone, "invite-copied")


def test_without_javascript_the_invitation_link_is_shown_and_no_dead_button(live_server, chromium, shoot, bob):
    context = chromium.new_context(viewport={"width": 360, "height": 740}, java_script_enabled=False)
    page = context.new_page()
    try:
        log_in(page, live_server.url, "bob")
        page.goto(f"{live_server.url}/invites/")
        page.get_by_role("button", name="Create an invitation link").click()
        assert "/join/" in page.locator("#invite-link").inner_text()
        assert not page.locator("#share-invite").is_visible()
        shoot(page, "no-script")
    finally:
        context.close()
