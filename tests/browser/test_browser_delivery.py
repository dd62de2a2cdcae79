"""From plan to doorstep: a coordinator makes the plan, a carrier delivers, the address goes."""

from decimal import Decimal

from playwright.sync_api import expect
import pytest
from django.core.management import call_command

from sinfronteras.plans.addresses import do_seal_address
from sinfronteras.plans.models import SealedAddress, Task
from sinfronteras.sharing.models import Resource

from .conftest import fits_the_phone, log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
ADDRESS = "1200 Calle Browser, apt 3 (probe-b7d2)"


def test_a_plan_becomes_a_delivery_and_the_address_is_gone_afterwards(
        live_server, phone, shoot, la, alice, bob, carla, need_of, offer_of):
    Resource.objects.create(collective=la, key="carrying", name_en="Carrying", name_es="Transporte",
                            unit="hours", carries=True)
    need = need_of(carla, "food", 5, urgent=True)
    offer_of(bob, ["food"], 8, radius_km=Decimal("20"))
    offer_of(alice, ["carrying"], 4, radius_km=Decimal("15"))
    do_seal_address(need, ADDRESS)
    base = live_server.url

    log_in(phone, base, "alice")
    phone.goto(f"{base}/plan/")
    phone.get_by_role("button", name="Make the plan").click()
    assert "queued" in phone.locator("#run-status").inner_text()
    shoot(phone, "queued")
    call_command("db_worker", "--batch", "--interval", "0")  # the real worker, once
    phone.goto(f"{base}/plan/")
    expect(phone.locator("#tiers")).to_be_visible()
    assert fits_the_phone(phone)
    shoot(phone, "plan")

    task = Task.objects.get()
    phone.goto(f"{base}/tasks/{task.pk}/")
    assert phone.locator("#address").count() == 0  # not before accepting
    phone.get_by_role("button", name="Accept").click()
    assert ADDRESS in phone.locator("#address").inner_text()
    shoot(phone, "accepted-with-address")

    # A raid is reported where carla lives: the coordinator pauses deliveries there.
    phone.goto(f"{base}/alerts/")
    phone.get_by_label("Area").select_option(label=need.area.name)
    phone.get_by_label("For how many hours").fill("2")
    phone.get_by_role("button", name="Pause deliveries there").click()
    assert f"Alert in {need.area.name}" in phone.locator("#area-alerts").inner_text()
    phone.goto(f"{base}/tasks/{task.pk}/")
    expect(phone.locator("#task-paused")).to_be_visible()
    assert phone.locator("#address").count() == 0
    assert "probe-b7d2" not in phone.content()
    shoot(phone, "paused-by-an-alert")
    phone.goto(f"{base}/alerts/")
    phone.get_by_role("button", name="Lift it").click()
    phone.get_by_role("button", name="Yes, lift it").click()
    phone.goto(f"{base}/tasks/{task.pk}/")
    assert ADDRESS in phone.locator("#address").inner_text()

    log_in(phone, base, "carla")
    phone.goto(f"{base}/tasks/")
    assert "on its way" in phone.locator(f"#need-state-{need.pk}").inner_text()
    shoot(phone, "on-its-way")

    log_in(phone, base, "alice")
    phone.goto(f"{base}/tasks/{task.pk}/")
    phone.get_by_role("button", name="Mark done").click()
    phone.get_by_role("button", name="Yes, it was handed over").click()
    assert phone.locator("#task-state").inner_text() == "done"
    assert phone.locator("#address").count() == 0
    shoot(phone, "done")
    for path in ["/", "/tasks/", f"/tasks/{task.pk}/", "/plan/", "/needs/"]:
        phone.goto(f"{base}{path}")
        assert "probe-b7d2" not in phone.content()
    assert not SealedAddress.objects.exists()
