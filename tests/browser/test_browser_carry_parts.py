"""The whole carry, giver -> carrier -> family, each person told their part, at phone size,
in Spanish and in English.

Wednesday: the plan makes a carry; the giver is told, reads it on *My tasks* and gives the
pickup point right there; the carrier accepts, reads when the sealed places open, and is
not offered "Mark done"; the carrier writes, and the family sees a badge and is told.
Saturday, in the window: the carrier reads both places and marks it done; the family
reads "done". The clock is the server's, moved by time_machine.
"""

from datetime import datetime, time
from decimal import Decimal
from zoneinfo import ZoneInfo

from playwright.sync_api import expect
import pytest
import time_machine
from django_tasks_db.models import DBTaskResult

from conftest import make_member
from sinfronteras.plans.addresses import do_seal_address
from sinfronteras.plans.models import SealedAddress, SealedPickup, Task
from sinfronteras.sharing.models import Need, Offer, Resource, Slot

from .conftest import fits_the_phone
from .test_browser_handover import log_in, plan_now

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
LA = ZoneInfo("America/Los_Angeles")
WEDNESDAY = datetime(2026, 12, 2, 9, 0, tzinfo=LA)
SATURDAY = datetime(2026, 12, 5, 10, 30, tzinfo=LA)
PICKUP = "Garage at 310 Calle Recogida (pickprobe-5d1)"
ADDRESS = "1200 Calle Familia, apt 3 (addrprobe-6e2)"
WORDS = {
    "en": {"giver": "A carrier picks it up and takes it to the person in need in Boyle Heights.",
           "asked": "You have not given a pickup point yet",
           "sealed": "Picked up at the pickup point you sealed.",
           "opens": "show here from Saturday, December 5 at 10:00 AM",
           "done_from": "You can mark it done from Saturday, December 5 at 10:00 AM",
           "when": "Saturday, December 5, 10:00 AM–12:00 PM", "new": "new", "done": "done"},
    "es": {"giver": "Una persona lo recoge y lo lleva a quien lo necesita en Boyle Heights.",
           "asked": "Aún no has dado un punto de recogida",
           "sealed": "Se recoge en el punto de recogida que sellaste.",
           "opens": "se muestran aquí desde el sábado 5 de diciembre a las 10:00",
           "done_from": "Puedes marcarla como hecha desde el sábado 5 de diciembre a las 10:00",
           "when": "sábado 5 de diciembre, de 10:00 a 12:00", "new": "nuevo", "done": "hecho"},
}


def notes_for(member, kind) -> int:
    """Fan-outs queued for this member and kind (what the worker turns into notes)."""
    return sum(1 for args in DBTaskResult.objects.filter(
        task_path="sinfronteras.notify.jobs.fan_out").values_list("args_kwargs", flat=True)
        if member.pk in args["args"][0] and args["args"][1] == kind)


def saturdays(owner, start, end):
    field = "need" if isinstance(owner, Need) else "offer"
    Slot.objects.create(**{field: owner}, weekday=5, start=time(start), end=time(end))


@pytest.mark.parametrize("lang", [pytest.param("es", marks=pytest.mark.browser_locale("es-MX")),
                                  "en"])
def test_every_person_of_a_carry_is_told_their_part_and_it_is_carried_out_in_its_window(
        live_server, phone, shoot, la, alice, bob, carla, password_hash, lang):
    w = WORDS[lang]
    carrying = Resource.objects.create(collective=la, key="carrying", name_en="Carrying",
                                       name_es="Transporte", unit="hours", unit_es="horas",
                                       carries=True)
    driver = make_member(la, "driver", "Koreatown", password_hash=password_hash, language=lang)
    type(bob).objects.filter(pk__in=[bob.pk, carla.pk]).update(language=lang)
    base = live_server.url
    with time_machine.travel(WEDNESDAY, tick=True) as clock:
        offer = Offer.objects.create(collective=la, posted_by=bob, quantity=5, area=bob.area,
                                     radius_km=Decimal(20))
        offer.resources.set(la.resources.filter(key="food"))
        saturdays(offer, 10, 13)  # no public place, no pickup point yet
        ride = Offer.objects.create(collective=la, posted_by=driver, quantity=3,
                                    area=driver.area, radius_km=Decimal(20))
        ride.resources.set([carrying])
        saturdays(ride, 9, 14)
        need = Need.objects.create(collective=la, posted_by=carla, resource=la.resources.get(key="food"),
                                   quantity=5, area=carla.area)
        saturdays(need, 9, 12)
        do_seal_address(need, ADDRESS)
        run = plan_now(la)
        assert run.status == "done", run.error
        task = Task.objects.get(run=run)
        assert (task.kind, task.carrier_id) == ("carry", driver.pk)

        # The giver is told, and reads the carry on My tasks: what, to whom, when, and that
        # the carrier needs a pickup point; the form is right there.
        assert notes_for(bob, "carry_planned") == 1
        log_in(phone, base, "bob")
        phone.goto(f"{base}/tasks/")
        mine = phone.locator(f"#task-{task.pk}")
        assert w["giver"] in mine.inner_text() and w["when"] in mine.inner_text()
        assert w["asked"] in mine.inner_text()
        assert "Carla" not in mine.inner_text() and "Driver" not in mine.inner_text()
        assert fits_the_phone(phone)
        shoot(phone, "giver-is-asked-for-a-pickup-point")
        phone.locator(f"#ask-pickup-{offer.pk} textarea").fill(PICKUP)
        phone.locator(f"#ask-pickup-{offer.pk} button[type=submit]").click()
        phone.wait_for_url(f"{base}/tasks/")
        assert w["sealed"] in phone.locator(f"#task-{task.pk}").inner_text()
        assert "pickprobe" not in phone.content()
        assert SealedPickup.objects.filter(offer=offer).exists()
        shoot(phone, "giver-gave-the-pickup-point")

        # The carrier accepts on Wednesday: the places open on Saturday, nothing is missing,
        # and "Mark done" is not offered yet.
        log_in(phone, base, "driver")
        phone.goto(f"{base}/tasks/{task.pk}/")
        phone.locator("form[action$='/accept/'] button").click()
        assert w["opens"] in phone.locator("#places-open").inner_text()
        assert phone.locator("#missing").count() == 0
        assert phone.locator("#pickup").count() == 0 and phone.locator("#address").count() == 0
        assert phone.locator("form[action$='/done/']").count() == 0
        assert w["done_from"] in phone.locator("#done-from").inner_text()
        assert notes_for(carla, "need_on_its_way") == 1  # the family is told it is on its way
        assert fits_the_phone(phone)
        shoot(phone, "carrier-before-the-window")
        phone.locator("#id_text").fill("msg-ring: I will ring twice at the door")
        phone.locator("#messages form button[type=submit]").click()
        assert "msg-ring" in phone.locator("#thread").inner_text()

        # The family sees a badge, is told, and reads the message.
        assert notes_for(carla, "task_message") == 1
        log_in(phone, base, "carla")
        expect(phone.locator("#tasks-unread")).to_be_visible()
        phone.goto(f"{base}/tasks/")
        assert w["new"] in phone.locator(f"#need-state-{need.pk} .new-message").inner_text()
        assert phone.locator(f"#need-state-{need.pk} a.talk").count() == 1
        assert fits_the_phone(phone)
        shoot(phone, "family-sees-a-new-message")
        phone.locator(f"#need-state-{need.pk} a.talk").click()
        assert "msg-ring" in phone.locator("#thread").inner_text()
        assert phone.locator("#tasks-unread").count() == 0  # read now
        assert "pickprobe" not in phone.content() and "addrprobe" not in phone.content()

        # Saturday, in the window: both places show; the carrier marks it done.
        clock.move_to(SATURDAY)
        log_in(phone, base, "driver")
        phone.goto(f"{base}/tasks/{task.pk}/")
        assert PICKUP in phone.locator("#pickup").inner_text()
        assert ADDRESS in phone.locator("#address").inner_text()
        assert phone.locator("#done-from").count() == 0
        assert fits_the_phone(phone)
        shoot(phone, "carrier-reads-both-places-in-the-window")
        phone.locator("form[action$='/done/'] button").click()
        phone.locator("#confirm-form button[type=submit]").click()
        assert phone.locator("#task-state").inner_text() == w["done"]
        assert phone.locator("#pickup").count() == 0 and phone.locator("#address").count() == 0
        assert not SealedAddress.objects.exists() and not SealedPickup.objects.exists()

        # The family reads "done".
        log_in(phone, base, "carla")
        phone.goto(f"{base}/tasks/")
        assert phone.locator(f"#need-state-{need.pk} .state").inner_text() == w["done"]
        assert fits_the_phone(phone)
        shoot(phone, "family-reads-done")
