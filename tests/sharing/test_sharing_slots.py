"""Days and hours on needs and offers: plain fields, both languages, checked, kept on edit."""

from __future__ import annotations

import json
from datetime import time

import pytest
from django.urls import reverse

from conftest import area, resource
from sinfronteras.sharing.models import Offer, Slot


def offer_data(la, **extra):
    return {"resources": [resource(la, "food").pk], "quantity": "10",
            "area": area(la, "Echo Park").pk, **extra}


def test_a_volunteer_offers_food_on_saturdays_and_sundays(client, bob, la):
    client.force_login(bob)
    response = client.post(reverse("offer_new"), offer_data(
        la, slots_0="5", slots_1="10:00", slots_2="13:00", slots_3="6", slots_4="09:30",
        slots_5="11:00", slots_6="", slots_7="", slots_8=""))
    assert response.status_code == 302, response.content.decode()[:2000]
    offer = Offer.objects.get(posted_by=bob)
    assert [s.span for s in offer.slots.all()] == [(5, time(10), time(13)), (6, time(9, 30), time(11))]
    assert "Saturdays 10:00–13:00" in client.get(reverse("offers")).content.decode()


@pytest.mark.parametrize(("row", "error"), [
    ({"slots_0": "5", "slots_1": "10:00"}, "Row 1: give the day, the time from and the time until"),
    ({"slots_0": "5", "slots_1": "13:00", "slots_2": "10:00"},
     "Row 1: the time until must be after the time from"),
])
def test_it_rejects_a_half_filled_or_backwards_row_and_says_which(client, bob, la, row, error):
    client.force_login(bob)
    response = client.post(reverse("offer_new"), offer_data(la, **row))
    assert response.status_code == 200 and error in response.content.decode()
    assert not Offer.objects.exists()


def test_the_form_speaks_spanish_and_editing_unchanged_keeps_the_slots(client, carla, la, need_of):
    need = need_of(carla, "food", 2)
    Slot.objects.create(need=need, weekday=5, start=time(10), end=time(12))
    type(carla).objects.filter(pk=carla.pk).update(language="es")
    client.force_login(carla)
    page = client.get(reverse("need_edit", args=[need.pk]), HTTP_ACCEPT_LANGUAGE="es").content.decode()
    assert "Sábados" in page and "Cuándo" in page and 'value="10:00"' in page
    assert '<option value="5" selected>' in page
    client.post(reverse("need_edit", args=[need.pk]), {
        "resource": need.resource_id, "quantity": "2", "area": need.area_id,
        "slots_0": "5", "slots_1": "10:00", "slots_2": "12:00"}, HTTP_ACCEPT_LANGUAGE="es")
    assert [s.span for s in need.slots.all()] == [(5, time(10), time(12))]


def test_an_api_edit_that_does_not_mention_slots_keeps_them_and_the_public_place(client, bob, la):
    offer = Offer.objects.create(collective=la, posted_by=bob, quantity=5, area=bob.area,
                                 public_place="St. Mary's hall, 90033")
    offer.resources.set([resource(la, "food")])
    Slot.objects.create(offer=offer, weekday=5, start=time(10), end=time(13))
    client.force_login(bob)
    response = client.patch(f"/api/offers/{offer.pk}", json.dumps({"quantity": "6"}),
                            content_type="application/json")
    assert response.status_code == 200, response.content
    offer.refresh_from_db()
    assert offer.quantity == 6 and offer.public_place == "St. Mary's hall, 90033"
    assert offer.slots.count() == 1


def test_the_slot_rows_fit_a_phone_without_script(client, bob):
    client.force_login(bob)
    page = client.get(reverse("offer_new")).content.decode()
    assert page.count('type="time"') == 6 and "<script" not in page.split("<main")[1]
    assert "<fieldset><legend>When</legend>" in page
