"""The catalogue page: everyone reads the areas and resources; coordinators change them."""

import pytest
from django.urls import reverse

from conftest import area, resource
from sinfronteras.audit.models import Event
from sinfronteras.members.models import Area
from sinfronteras.sharing.models import Resource


def resource_data(**changes):
    data = {"name_en": "Winter coats", "name_es": "Abrigos de invierno", "unit": "coats",
            "unit_es": "abrigos"}
    data.update(changes)
    return data


def test_a_coordinator_adds_a_resource_that_is_not_basic_until_the_members_decide(client, alice, la):
    client.force_login(alice)
    response = client.post(reverse("resource_new"), resource_data(basic="on"))
    assert response.status_code == 302
    coats = Resource.objects.get(collective=la, key="winter-coats")
    assert (coats.name_es, coats.unit, coats.basic) == ("Abrigos de invierno", "coats", False)
    event = Event.objects.get(action="resource.added")
    assert event.actor == alice and event.data["name_en"] == "Winter coats"


def test_a_member_reads_the_catalogue_but_cannot_change_it(client, bob, la):
    client.force_login(bob)
    page = client.get(reverse("catalogue")).content.decode()
    assert "Legal help" in page and "Koreatown" in page
    assert reverse("resource_new") not in page
    assert client.post(reverse("resource_new"), resource_data()).status_code == 403
    food = resource(la, "food")
    assert client.post(reverse("resource_edit", args=[food.pk]),
                       resource_data(name_en="Food!")).status_code == 403
    assert client.post(reverse("area_new"), {"name": "Bell", "lat": "33.97", "lon": "-118.18"}
                       ).status_code == 403
    assert not Resource.objects.filter(key="winter-coats").exists()
    assert not Area.objects.filter(name="Bell").exists()
    assert not Event.objects.exists()


def test_another_collectives_coordinator_cannot_reach_our_catalogue(client, la, oakland,
                                                                   password_hash):
    from conftest import make_member

    olga = make_member(oakland, "olga", "Fruitvale", password_hash=password_hash, role="coordinator")
    client.force_login(olga)
    food = resource(la, "food")
    assert client.get(reverse("resource_edit", args=[food.pk])).status_code == 404
    assert client.get(reverse("area_edit", args=[area(la, "Echo Park").pk])).status_code == 404
    assert "Echo Park" not in client.get(reverse("catalogue")).content.decode()


def test_it_rejects_a_resource_the_catalogue_already_has(client, alice, la):
    client.force_login(alice)
    response = client.post(reverse("resource_new"), resource_data(name_en="food"))
    assert 'id="error-name_en"' in response.content.decode()
    assert "already has" in response.content.decode()
    assert la.resources.filter(key="food").count() == 1


@pytest.mark.parametrize("changes, field", [
    ({"name_en": ""}, "name_en"), ({"name_en": "!!!"}, "name_en"), ({"name_es": ""}, "name_es"),
    ({"unit": ""}, "unit"), ({"carries": "on", "in_person": "on"}, "__all__"),
])
def test_it_rejects_an_incomplete_resource_and_says_what_to_fix(client, alice, la, changes, field):
    client.force_login(alice)
    before = la.resources.count()
    response = client.post(reverse("resource_new"), resource_data(**changes))
    assert response.status_code == 200
    page = response.content.decode()
    assert (f'id="error-{field}"' in page) if field != "__all__" else 'class="errors"' in page
    assert la.resources.count() == before and not Event.objects.exists()


def test_a_unit_cannot_change_while_open_needs_count_in_it(client, alice, bob, la, need_of):
    need_of(bob, "diapers", 2)
    client.force_login(alice)
    diapers = resource(la, "diapers")
    response = client.post(reverse("resource_edit", args=[diapers.pk]),
                           resource_data(name_en="Diapers", unit="boxes"))
    assert "1 open needs and 0 active offers" in response.content.decode()
    diapers.refresh_from_db()
    assert diapers.unit == "packs"


def test_a_coordinator_renames_a_resource_and_gives_its_unit_in_spanish(client, alice, bob, la,
                                                                        need_of):
    need_of(bob, "childcare", 3)
    childcare = resource(la, "childcare")
    client.force_login(alice)
    client.post(reverse("resource_edit", args=[childcare.pk]),
                resource_data(name_en="Childcare", name_es="Cuidado infantil", unit="hours",
                              unit_es="horas"))
    childcare.refresh_from_db()
    assert (childcare.key, childcare.name_es, childcare.unit_es) == ("childcare", "Cuidado infantil",
                                                                     "horas")
    assert Event.objects.get(action="resource.changed").data == {
        "id": childcare.pk, "name_es": "Cuidado infantil", "unit_es": "horas"}
    client.force_login(bob)
    client.post(reverse("set_language"), {"language": "es", "next": "/"})
    page = client.get(reverse("needs")).content.decode()
    assert "3 horas · Cuidado infantil" in page


def test_a_coordinator_adds_an_area_kept_to_about_a_kilometre(client, alice, la):
    client.force_login(alice)
    client.post(reverse("area_new"), {"name": "Bell", "lat": "33.97531", "lon": "-118.18765"})
    bell = Area.objects.get(collective=la, name="Bell")
    assert (bell.lat, bell.lon) == (33.98, -118.19)
    assert Event.objects.get(action="area.added").data["lat"] == "33.98"


@pytest.mark.parametrize("data, field", [
    ({"name": "echo park", "lat": "34", "lon": "-118"}, "name"),
    ({"name": "Pole", "lat": "95", "lon": "0"}, "lat"),
    ({"name": "Dateline", "lat": "0", "lon": "-190"}, "lon"),
    ({"name": "Nowhere", "lat": "north", "lon": "0"}, "lat"),
])
def test_it_rejects_a_bad_area_and_says_what_to_fix(client, alice, la, data, field):
    client.force_login(alice)
    response = client.post(reverse("area_new"), data)
    assert f'id="error-{field}"' in response.content.decode()
    assert la.areas.count() == 3


def test_a_renamed_area_keeps_its_members_and_needs(client, alice, bob, la, need_of):
    need = need_of(bob, "food", 4)
    echo = area(la, "Echo Park")
    client.force_login(alice)
    client.post(reverse("area_edit", args=[echo.pk]), {"name": "Echo Park East", "lat": "34.08",
                                                       "lon": "-118.26"})
    need.refresh_from_db()
    bob.refresh_from_db()
    assert need.area.name == bob.area.name == "Echo Park East"
