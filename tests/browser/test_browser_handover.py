"""A delivery people can carry out, in Spanish and in English, at phone size.

A volunteer offers food on Saturday mornings and seals a pickup point; a carrier
offers carrying; a family asks for food on Saturdays and seals an address. The
plan makes a carry with a window that fits all three; they write to each other on
the task; on Saturday the carrier accepts, reads both sealed places, marks it done.
The clock is moved to that Saturday (the server's, by time_machine), nothing else.
"""

from datetime import datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

from playwright.sync_api import expect
import pytest
import time_machine

from conftest import PASSWORD, current_code, give_second_factor, make_member
from sinfronteras.plans.models import SealedAddress, SealedPickup, Task, TaskMessage
from sinfronteras.sharing.models import Resource

from .conftest import fits_the_phone

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
SATURDAY = datetime(2026, 12, 5, 10, 30, tzinfo=ZoneInfo("America/Los_Angeles"))
PICKUP = "Side door, 310 Calle Recogida (pickprobe-b81)"
ADDRESS = "1200 Calle Familia, apt 3 (addrprobe-c42)"
WORDS = {
    "en": {"give": "I can give something", "need": "I need something", "food": "Food (kg)",
           "carrying": "Carrying (hours)", "post_offer": "Post the offer",
           "post_need": "Post the need", "pickup_link": "Add a pickup point (sealed)",
           "seal_pickup": "Seal the pickup point", "address_link": "Add a delivery address (sealed)",
           "seal": "Seal it", "send": "Send", "accept": "Accept", "done": "Mark done",
           "when": "Saturday, December 5, 10:00 AM–12:00 PM", "state_done": "done", "you": "You",
           "giver": "Giver", "carrier": "Carrier", "receiver": "Receiver", "messages": "messages"},
    "es": {"give": "Puedo dar algo", "need": "Necesito algo", "food": "Comida (kg)",
           "carrying": "Transporte (horas)", "post_offer": "Publicar la oferta",
           "post_need": "Publicar la necesidad", "pickup_link": "Añadir un punto de recogida (sellado)",
           "seal_pickup": "Sellar el punto de recogida",
           "address_link": "Añadir una dirección de entrega (sellada)",
           "seal": "Sellarla", "send": "Enviar", "accept": "Aceptar", "done": "Marcar como hecha",
           "when": "sábado 5 de diciembre, de 10:00 a 12:00", "state_done": "hecho", "you": "Tú",
           "giver": "Quien da", "carrier": "Quien lleva", "receiver": "Quien recibe",
           "messages": "mensajes"},
}


def log_in(page, base, username):
    """Log in in whatever language the page speaks (fields by id); a coordinator types a code."""
    from sinfronteras.members.models import Member

    page.context.clear_cookies()
    page.goto(f"{base}/login/")
    page.locator("#id_username").fill(username)
    page.locator("#id_password").fill(PASSWORD)
    page.locator("main form button[type=submit]").click()
    page.wait_for_url(lambda url: "/login/" not in url)
    member = Member.objects.get(username=username)
    if member.is_coordinator:
        give_second_factor(member)
        page.goto(f"{base}/two-factor/")
        page.locator("#id_code").fill(current_code(member))
        page.locator("main form button[type=submit]").click()


def plan_now(collective):
    """Request a run and carry it out here, as the worker would."""
    from sinfronteras.plans.runs import do_request_run, execute_run

    return execute_run(do_request_run(collective, None, enqueue=False).pk)


def saturday_slot(page, day="5", start="10:00", end="13:00"):
    page.locator("#id_slots_0").select_option(day)
    page.locator("#id_slots_1").fill(start)
    page.locator("#id_slots_2").fill(end)


def write(page, text, w):
    page.locator("#id_text").fill(text)
    page.get_by_role("button", name=w["send"]).click()
    assert text in page.locator("#thread").inner_text()


@pytest.mark.parametrize("lang", [pytest.param("es", marks=pytest.mark.browser_locale("es-MX")),
                                  "en"])
def test_a_carry_with_a_pickup_point_and_a_window_is_arranged_and_carried_out(
        live_server, phone, shoot, la, alice, bob, carla, password_hash, lang):
    w = WORDS[lang]
    Resource.objects.create(collective=la, key="carrying", name_en="Carrying",
                            name_es="Transporte", unit="hours", unit_es="horas", carries=True)
    driver = make_member(la, "driver", "Koreatown", password_hash=password_hash, language=lang)
    type(bob).objects.filter(pk__in=[bob.pk, carla.pk]).update(language=lang)
    base = live_server.url
    with time_machine.travel(SATURDAY.replace(day=2, hour=9), tick=True) as clock:  # Wednesday
        # The volunteer offers food on Saturdays 10:00-13:00 and seals where to pick it up.
        log_in(phone, base, "bob")
        phone.get_by_role("link", name=w["give"]).first.click()
        phone.get_by_label(w["food"]).check()
        phone.locator("#id_quantity").fill("5")
        phone.locator("#id_radius_km").fill("20")
        saturday_slot(phone)
        assert fits_the_phone(phone)
        shoot(phone, "offer-with-saturday-hours")
        phone.get_by_role("button", name=w["post_offer"]).click()
        phone.get_by_role("link", name=w["pickup_link"]).first.click()
        phone.locator("#id_address").fill(PICKUP)
        phone.get_by_role("button", name=w["seal_pickup"]).click()
        assert "pickprobe" not in phone.content()
        shoot(phone, "pickup-sealed")

        # The carrier offers three hours of carrying on Saturdays.
        log_in(phone, base, "driver")
        phone.get_by_role("link", name=w["give"]).first.click()
        phone.get_by_label(w["carrying"]).check()
        phone.locator("#id_quantity").fill("3")
        phone.locator("#id_radius_km").fill("20")
        saturday_slot(phone, start="09:00", end="14:00")
        phone.get_by_role("button", name=w["post_offer"]).click()

        # The family asks for food on Saturday mornings and seals its address.
        log_in(phone, base, "carla")
        phone.get_by_role("link", name=w["need"]).first.click()
        phone.locator("#id_resource").select_option(label=w["food"])  # "Food (kg)": the unit beside it
        phone.locator("#id_quantity").fill("5")
        saturday_slot(phone, start="09:00", end="12:00")
        phone.get_by_role("button", name=w["post_need"]).click()
        phone.goto(f"{base}/tasks/")
        phone.get_by_role("link", name=w["address_link"]).click()
        phone.locator("#id_address").fill(ADDRESS)
        phone.get_by_role("button", name=w["seal"]).click()

        # The plan makes the carry, in the window all three can.
        run = plan_now(la)
        assert run.status == "done", run.error
        task = Task.objects.get(run=run)
        assert (task.kind, task.state, task.carrier_id) == ("carry", "proposed", driver.pk)

        # The three write to each other on the task, each seeing roles, not names.
        log_in(phone, base, "bob")
        phone.goto(f"{base}/tasks/{task.pk}/")
        assert phone.locator("#task-when").inner_text().startswith(w["when"])
        write(phone, "msg-1: ring twice at the side door", w)
        log_in(phone, base, "driver")
        phone.goto(f"{base}/tasks/{task.pk}/")
        write(phone, "msg-2: I will be there at 11", w)
        assert w["giver"] in phone.locator("#thread").inner_text()
        log_in(phone, base, "carla")
        phone.goto(f"{base}/tasks/")
        phone.locator("a.talk").first.click()
        write(phone, "msg-3: thank you, we are home", w)
        thread = phone.locator("#thread").inner_text()
        assert w["giver"] in thread and w["carrier"] in thread and w["you"] in thread
        assert "Bob" not in thread and "Driver" not in thread
        assert "pickprobe" not in phone.content() and "addrprobe" not in phone.content()
        assert fits_the_phone(phone)
        shoot(phone, "family-writes")

        # Saturday: the carrier accepts and reads both sealed places, then marks it done.
        clock.move_to(SATURDAY)
        log_in(phone, base, "driver")
        phone.goto(f"{base}/tasks/{task.pk}/")
        assert phone.locator("#pickup").count() == 0  # not before accepting
        phone.get_by_role("button", name=w["accept"]).click()
        assert PICKUP in phone.locator("#pickup").inner_text()
        assert ADDRESS in phone.locator("#address").inner_text()
        assert w["when"] in phone.locator("#task-when").inner_text()
        assert fits_the_phone(phone)
        shoot(phone, "carrier-reads-both-places")
        phone.get_by_role("button", name=w["done"]).click()
        expect(phone.locator("#confirm-question")).to_be_visible()  # marking done asks first
        phone.locator("#confirm-form button[type=submit]").click()
        assert phone.locator("#task-state").inner_text() == w["state_done"]
        assert phone.locator("#pickup").count() == 0 and phone.locator("#address").count() == 0
        shoot(phone, "done")
        assert not SealedAddress.objects.exists() and not SealedPickup.objects.exists()
        assert TaskMessage.objects.filter(task=task).count() == 3
        log_in(phone, base, "alice")  # a coordinator sees the task, not its messages
        phone.goto(f"{base}/tasks/{task.pk}/")
        assert "msg-1" not in phone.content() and phone.locator("#messages").count() == 0
