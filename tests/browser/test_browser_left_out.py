"""A coordinator sees, on the plan page, the row a run left out, and the rest planned."""

from datetime import date

import pytest

from plans_fixtures import plan_now
from sinfronteras.members.models import Member
from sinfronteras.sharing.models import Need

from .conftest import fits_the_phone, log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_plan_page_names_a_need_left_out_in_english_and_spanish(
        live_server, phone, shoot, la, alice, bob, need_of, offer_of):
    far = need_of(bob, "food", 3)
    Need.objects.filter(pk=far.pk).update(needed_by=date(9999, 12, 31))  # from before the bounds
    need_of(bob, "food", 2)
    offer_of(alice, ["food"], 10)
    assert plan_now(la, alice).status == "done"
    log_in(phone, live_server.url, "alice")
    phone.goto(f"{live_server.url}/plan/")
    section = phone.locator("#left-out")
    assert "further ahead than a plan can hold" in section.inner_text()
    assert fits_the_phone(phone)
    shoot(phone, "en")
    section.get_by_role("link").click()
    assert phone.url.endswith(f"/needs/{far.pk}/")
    Member.objects.filter(pk=alice.pk).update(language="es")
    phone.goto(f"{live_server.url}/plan/")
    assert "Fuera de este plan" in phone.locator("#left-out").inner_text()
    assert fits_the_phone(phone)
    shoot(phone, "es")
