from decimal import Decimal

import pytest
from django.db import IntegrityError, transaction
from django.urls import reverse

from conftest import area, resource
from sinfronteras.sharing.models import Need, Offer


def need_data(collective, **changes):
    data = {"resource": resource(collective, "food").pk, "quantity": "5",
            "area": area(collective, "Echo Park").pk, "urgent": "on", "needed_by": ""}
    data.update(changes)
    return data


def test_a_member_posts_a_need_and_sees_it_listed(client, bob, la):
    client.force_login(bob)
    response = client.post(reverse("need_new"), need_data(la))
    assert response.status_code == 302
    need = Need.objects.get()
    assert (need.posted_by, need.quantity, need.urgent) == (bob, Decimal("5"), True)
    listing = client.get(reverse("needs")).content.decode()
    assert f'id="need-{need.pk}"' in listing and "Echo Park" in listing


def test_it_rejects_a_need_without_quantity(client, bob, la):
    client.force_login(bob)
    response = client.post(reverse("need_new"), need_data(la, quantity=""))
    assert response.status_code == 200
    assert 'id="error-quantity"' in response.content.decode()
    assert not Need.objects.exists()


@pytest.mark.parametrize("quantity", ["-3", "0", "lots"])
def test_it_rejects_a_quantity_that_is_not_positive(client, bob, la, quantity):
    client.force_login(bob)
    response = client.post(reverse("need_new"), need_data(la, quantity=quantity))
    assert 'id="error-quantity"' in response.content.decode()
    assert not Need.objects.exists()


def test_it_rejects_an_area_of_another_collective(client, bob, la, oakland):
    client.force_login(bob)
    response = client.post(reverse("need_new"), need_data(la, area=oakland.areas.get().pk))
    assert 'id="error-area"' in response.content.decode()
    assert not Need.objects.exists()


def test_it_rejects_a_date_that_has_passed(client, bob, la):
    client.force_login(bob)
    response = client.post(reverse("need_new"), need_data(la, needed_by="2020-01-01"))
    assert 'id="error-needed_by"' in response.content.decode()
    assert not Need.objects.exists()


def test_an_offer_may_hold_several_resources_of_one_unit(client, bob, la):
    client.force_login(bob)
    hours = [resource(la, "childcare").pk, resource(la, "legal-help").pk]
    response = client.post(reverse("offer_new"), {
        "resources": hours, "quantity": "3", "area": area(la, "Echo Park").pk, "radius_km": "10"})
    assert response.status_code == 302
    offer = Offer.objects.get()
    assert sorted(r.key for r in offer.resources.all()) == ["childcare", "legal-help"]
    assert offer.radius_km == Decimal("10")


def test_it_refuses_an_offer_that_mixes_units(client, bob, la):
    client.force_login(bob)
    response = client.post(reverse("offer_new"), {
        "resources": [resource(la, "food").pk, resource(la, "childcare").pk],
        "quantity": "3", "area": area(la, "Echo Park").pk})
    page = response.content.decode()
    assert 'id="error-resources"' in page and "hours and kg" in page
    assert not Offer.objects.exists()


def test_members_see_only_their_own_needs(client, bob, carla, need_of):
    mine, theirs = need_of(bob, "food", 3), need_of(carla, "diapers", 2)
    client.force_login(bob)
    page = client.get(reverse("needs")).content.decode()
    assert f"need-{mine.pk}" in page and f"need-{theirs.pk}" not in page


def test_coordinators_see_every_need_grouped_by_area(client, alice, bob, carla, need_of):
    need_of(bob, "food", 3)
    need_of(carla, "diapers", 2)
    client.force_login(alice)
    page = client.get(reverse("needs")).content.decode()
    assert "<h2>Boyle Heights</h2>" in page and "<h2>Echo Park</h2>" in page


def test_coordinators_never_see_another_collectives_needs(client, alice, dmitri, oakland):
    Need.objects.create(collective=oakland, posted_by=dmitri, resource=oakland.resources.get(),
                        quantity=1, area=oakland.areas.get())
    client.force_login(alice)
    assert "Fruitvale" not in client.get(reverse("needs")).content.decode()


def test_a_member_cannot_edit_anothers_need(client, bob, carla, need_of):
    need = need_of(carla, "food", 3)
    client.force_login(bob)
    assert client.get(reverse("need_edit", args=[need.pk])).status_code == 404
    assert client.post(reverse("need_withdraw", args=[need.pk]), {"confirm": "yes"}).status_code == 404
    need.refresh_from_db()
    assert need.status == "open"


def test_a_member_edits_and_withdraws_their_need(client, bob, la, need_of):
    need = need_of(bob, "food", 3)
    client.force_login(bob)
    client.post(reverse("need_edit", args=[need.pk]), need_data(la, quantity="8", urgent=""))
    need.refresh_from_db()
    assert (need.quantity, need.urgent) == (Decimal("8"), False)
    client.post(reverse("need_withdraw", args=[need.pk]), {"confirm": "yes"})
    need.refresh_from_db()
    assert need.status == "withdrawn"


def test_a_failed_edit_keeps_what_was_stored(client, bob, la, need_of):
    need = need_of(bob, "food", 3)
    client.force_login(bob)
    client.post(reverse("need_edit", args=[need.pk]), need_data(la, quantity="-1"))
    need.refresh_from_db()
    assert need.quantity == Decimal("3")


def test_the_database_refuses_a_quantity_that_is_not_positive(bob, need_of):
    with pytest.raises(IntegrityError), transaction.atomic():
        need_of(bob, "food", 0)


def test_pages_need_a_login(client, la):
    response = client.get(reverse("needs"))
    assert response.status_code == 302 and response["Location"].startswith(reverse("login"))


def test_a_coordinator_pages_through_many_needs(client, alice, bob, need_of):
    from sinfronteras.sharing.views import PER_PAGE

    needs = [need_of(bob, "food", 1) for _ in range(PER_PAGE + 5)]
    client.force_login(alice)
    first = client.get(reverse("needs")).content.decode()
    second = client.get(reverse("needs") + "?page=2").content.decode()
    assert first.count('id="need-') == PER_PAGE and second.count('id="need-') == 5
    assert f"need-{needs[-1].pk}" in second and "Page 2 of 2" in second


@pytest.mark.parametrize("page", ["needs", "offers"])
def test_the_page_title_stays_plain_text_when_the_list_has_pages(client, alice, bob, need_of,
                                                                 offer_of, page):
    for _ in range(61):
        need_of(bob, "food", 1)
        offer_of(bob, ["food"], 1)
    client.force_login(alice)
    html = client.get(reverse(page)).content.decode()
    title = html.split("<title>")[1].split("</title>")[0]
    assert "Page 1 of 2" in html and "<" not in title


def test_an_offer_given_in_person_has_no_pickup_link_and_a_goods_offer_has_one(client, bob, la,
                                                                              offer_of):
    la.resources.filter(key__in=["childcare", "legal-help"]).update(in_person=True)
    hours = offer_of(bob, ["childcare", "legal-help"], 4)
    food = offer_of(bob, ["food"], 10)
    client.force_login(bob)
    html = client.get(reverse("offers")).content.decode()
    card = lambda offer: html[html.index(f'id="offer-{offer.pk}"'):].split("</li>")[0]  # noqa: E731
    assert "pickup-link" not in card(hours)  # the giver goes: nothing is picked up
    assert "Add a pickup point (sealed)" in card(food)
