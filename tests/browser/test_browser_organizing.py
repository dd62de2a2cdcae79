"""An organizer plans an action the plan fills; a member logs a conversation and invites the person."""

from datetime import timedelta

from playwright.sync_api import expect
import pytest
from django.utils import timezone

from sinfronteras.organizing.models import Action, Conversation
from sinfronteras.plans.models import Task
from sinfronteras.plans.runs import do_request_run, execute_run
from sinfronteras.sharing.models import Resource

from .conftest import fits_the_phone, log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def offer(page, base, resource_label, quantity):
    page.goto(f"{base}/offers/new/")
    page.get_by_label(resource_label).check()
    page.get_by_label("Quantity").fill(str(quantity))
    page.get_by_role("button", name="Post the offer").click()


def test_an_action_is_filled_by_the_plan_and_its_results_and_a_conversation_follow(
        live_server, phone, shoot, la, alice, bob, carla):
    Resource.objects.create(collective=la, key="newspaper", name_en="Newspaper copies",
                            name_es="Ejemplares del periódico", unit="copies")
    base = live_server.url
    day = timezone.localdate() + timedelta(days=2)

    log_in(phone, base, "alice")
    phone.goto(f"{base}/organize/")
    phone.get_by_role("link", name="Plan an action").click()
    phone.get_by_label("What").fill("Saturday rally")
    phone.get_by_label("Day").fill(day.isoformat())
    phone.get_by_label("Time").fill("10:00")
    phone.get_by_label("Copies needed").fill("200")
    phone.get_by_label("People needed").fill("2")
    phone.get_by_label("Hours each").fill("3")
    shoot(phone, "action-form")
    phone.get_by_role("button", name="Plan it").click()
    assert "200 copies" in phone.locator("#action-needs").inner_text()
    assert fits_the_phone(phone)
    shoot(phone, "action-needs")
    action = Action.objects.get()

    log_in(phone, base, "carla")  # Boyle Heights, where the rally is
    offer(phone, base, "Newspaper copies (copies)", 250)
    offer(phone, base, "People present at an action (hours)", 6)
    run = execute_run(do_request_run(la, alice, enqueue=False).pk)  # the real planner
    assert run.status == "done", run.error
    phone.goto(f"{base}/organize/actions/{action.pk}/")
    needs = phone.locator("#action-needs").inner_text()
    assert "200 copies planned" in needs and "6 hours planned" in needs
    assert Task.objects.filter(need__action_link__action=action).count() == 2
    shoot(phone, "action-filled")

    Action.objects.filter(pk=action.pk).update(starts_at=timezone.now() - timedelta(hours=3))
    log_in(phone, base, "alice")
    phone.goto(f"{base}/organize/actions/{action.pk}/")
    phone.get_by_role("link", name="Record the results").click()
    phone.get_by_label("Copies distributed").fill("180")
    phone.get_by_label("Conversations started").fill("12")
    phone.get_by_label("People who want to hear more").fill("4")
    phone.get_by_role("button", name="Record").click()
    assert "180" in phone.locator("#results").inner_text()
    phone.goto(f"{base}/organize/numbers/")
    assert phone.locator("#total-copies").inner_text() == "180"
    expect(phone.locator("#per-action-%d" % action.pk)).to_be_visible()
    assert fits_the_phone(phone)
    shoot(phone, "numbers")

    log_in(phone, base, "bob")
    phone.goto(f"{base}/organize/conversations/new/")
    phone.get_by_label("First name or nickname").fill("Lupe")
    phone.get_by_label("Topics").fill("raids, work")
    phone.get_by_label("How interested").select_option("eager")
    phone.get_by_label("Follow up on").fill(timezone.localdate().isoformat())
    phone.get_by_label("Their contact, on the one channel they chose").fill("323 555 0147")
    phone.get_by_role("button", name="Log it").click()
    assert "said yes" in phone.locator("#error-contact").inner_text()  # no yes, no contact
    assert not Conversation.objects.exists()
    shoot(phone, "contact-refused")
    phone.get_by_label("Their contact, on the one channel they chose").fill("")
    phone.get_by_role("button", name="Log it").click()
    conversation = Conversation.objects.get()
    phone.goto(f"{base}/tasks/")
    assert "Lupe" in phone.locator(f"#follow-up-{conversation.pk}").inner_text()
    shoot(phone, "follow-up-in-my-tasks")
    phone.locator(f"#follow-up-{conversation.pk} a").click()
    phone.get_by_role("button", name="Create an invitation for them").click()
    assert "/join/" in phone.locator("#invite-link").inner_text()
    assert fits_the_phone(phone)
    shoot(phone, "invitation")
