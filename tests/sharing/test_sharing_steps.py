"""Whole steps on the web side: the catalogue sets a resource's step; needs, offers and the
API refuse a quantity that is not a whole number of it, saying so in the reader's language."""

import json
from decimal import Decimal

import pytest
from django.urls import reverse

from conftest import area, resource
from sinfronteras.members.models import ApiToken
from sinfronteras.sharing.models import Need, Offer, Resource


@pytest.fixture
def steps(la):
    """Diapers in whole packs, childcare and legal help in half hours."""
    Resource.objects.filter(collective=la, key="diapers").update(step=Decimal(1), unit_es="paquetes")
    Resource.objects.filter(collective=la, key__in=["childcare", "legal-help"]).update(
        step=Decimal("0.5"), unit_es="horas")
    return la


def need_data(la, key, quantity):
    return {"resource": resource(la, key).pk, "quantity": quantity,
            "area": area(la, "Echo Park").pk, "needed_by": ""}


def offer_data(la, keys, quantity):
    return {"resources": [resource(la, k).pk for k in keys], "quantity": quantity,
            "area": area(la, "Echo Park").pk, "radius_km": "", "available_until": ""}


def test_a_need_of_one_and_a_half_packs_is_refused_in_english(client, bob, steps):
    client.force_login(bob)
    page = client.post(reverse("need_new"), need_data(steps, "diapers", "1.5")).content.decode()
    assert 'id="error-quantity"' in page and "Write a whole number of packs." in page
    assert not Need.objects.exists()


def test_a_need_of_one_and_a_half_packs_is_refused_in_spanish(client, bob, steps):
    bob.language = "es"
    bob.save()
    client.force_login(bob)
    page = client.post(reverse("need_new"), need_data(steps, "diapers", "1.5")).content.decode()
    assert "Escribe un número entero de paquetes." in page
    assert not Need.objects.exists()


def test_half_hours_are_whole_steps_and_quarter_hours_are_not(client, bob, steps):
    client.force_login(bob)
    assert client.post(reverse("need_new"), need_data(steps, "childcare", "1.5")).status_code == 302
    page = client.post(reverse("need_new"), need_data(steps, "childcare", "1.25")).content.decode()
    assert "Write a whole number of steps of 0.5 hours" in page
    assert list(Need.objects.values_list("quantity", flat=True)) == [Decimal("1.5")]
    bob.language = "es"
    bob.save()
    page = client.post(reverse("need_new"), need_data(steps, "childcare", "1.25")).content.decode()
    assert "Escribe un múltiplo de 0,5 horas" in page


def test_a_resource_without_a_step_takes_any_amount(client, bob, steps):
    client.force_login(bob)
    assert client.post(reverse("need_new"), need_data(steps, "food", "1.283")).status_code == 302
    assert Need.objects.get().quantity == Decimal("1.283")


def test_an_offer_that_is_not_whole_packs_is_refused_and_editing_keeps_the_old_one(client, bob, steps):
    client.force_login(bob)
    assert client.post(reverse("offer_new"), offer_data(steps, ["diapers"], "3")).status_code == 302
    offer = Offer.objects.get()
    page = client.post(reverse("offer_edit", args=[offer.pk]),
                       offer_data(steps, ["diapers"], "2.5")).content.decode()
    assert "Write a whole number of packs." in page
    offer.refresh_from_db()
    assert offer.quantity == Decimal(3)


def test_an_offer_mixing_resources_of_different_steps_is_refused(client, bob, steps):
    Resource.objects.filter(collective=steps, key="childcare").update(step=Decimal(1))
    client.force_login(bob)
    page = client.post(reverse("offer_new"), offer_data(steps, ["childcare", "legal-help"], "2")
                       ).content.decode()
    assert 'id="error-resources"' in page and "Make one offer for each." in page
    assert not Offer.objects.exists()


@pytest.fixture
def bob_api(client, bob):
    _, token = ApiToken.issue(bob, "phone")

    def call(method, path, body):
        kwargs = {"HTTP_AUTHORIZATION": f"Bearer {token}"}
        if body is not None:
            kwargs.update(data=json.dumps(body), content_type="application/json")
        return getattr(client, method)(f"/api{path}", **kwargs)

    return call


def test_the_api_answers_400_naming_the_quantity_and_the_step(bob_api, steps):
    response = bob_api("post", "/needs", {"resource": resource(steps, "diapers").pk, "quantity": "2.5",
                                          "area": area(steps, "Echo Park").pk})
    assert response.status_code == 400
    assert response.json()["errors"]["quantity"] == ["Write a whole number of packs."]
    response = bob_api("post", "/offers", {"resources": [resource(steps, "legal-help").pk],
                                           "quantity": 0.2, "area": area(steps, "Koreatown").pk})
    assert response.status_code == 400
    assert "steps of 0.5 hours" in response.json()["errors"]["quantity"][0]
    assert not Need.objects.exists() and not Offer.objects.exists()


def test_the_api_refuses_a_change_to_a_fraction_of_a_pack(bob_api, bob, steps, need_of):
    need = need_of(bob, "diapers", 2)
    response = bob_api("patch", f"/needs/{need.pk}", {"quantity": "1.3"})
    assert response.status_code == 400 and "quantity" in response.json()["errors"]
    need.refresh_from_db()
    assert need.quantity == Decimal(2)


def test_a_coordinator_sets_a_resources_step_on_the_catalogue(client, alice, la):
    client.force_login(alice)
    diapers = resource(la, "diapers")
    form = client.get(reverse("resource_edit", args=[diapers.pk])).content.decode()
    assert 'name="step"' in form
    response = client.post(reverse("resource_edit", args=[diapers.pk]),
                           {"name_en": "Diapers", "name_es": "Pañales", "unit": "packs",
                            "unit_es": "paquetes", "step": "1"})
    assert response.status_code == 302
    diapers.refresh_from_db()
    assert diapers.step == Decimal(1)
    assert "in steps of 1 packs" in client.get(reverse("catalogue")).content.decode()
    alice.language = "es"
    alice.save()
    assert "Cantidad mínima" in client.get(reverse("resource_edit", args=[diapers.pk])).content.decode()


def test_a_step_that_open_needs_do_not_fit_is_refused(client, alice, bob, la, need_of):
    need_of(bob, "diapers", "1.5")
    client.force_login(alice)
    diapers = resource(la, "diapers")
    page = client.post(reverse("resource_edit", args=[diapers.pk]),
                       {"name_en": "Diapers", "name_es": "Pañales", "unit": "packs", "step": "1"}
                       ).content.decode()
    assert 'id="error-step"' in page and "1 open needs or active offers" in page
    diapers.refresh_from_db()
    assert diapers.step is None


@pytest.mark.parametrize("step", ["0", "-1", "half", "0.0001"])
def test_a_step_that_is_not_a_positive_number_is_refused(client, alice, la, step):
    client.force_login(alice)
    diapers = resource(la, "diapers")
    page = client.post(reverse("resource_edit", args=[diapers.pk]),
                       {"name_en": "Diapers", "name_es": "Pañales", "unit": "packs", "step": step}
                       ).content.decode()
    assert 'id="error-step"' in page
    diapers.refresh_from_db()
    assert diapers.step is None


def test_the_starter_catalogue_hands_over_whole_packs_half_hours_and_half_kilos(db):
    from sinfronteras.members.models import Collective
    from sinfronteras.sharing.services import do_seed_catalogue

    steps = {k: r.step for k, r in do_seed_catalogue(Collective.objects.create(name="N", slug="n")).items()}
    assert steps["diapers"] == steps["hygiene-kits"] == steps["rides"] == steps["newspaper"] == 1
    assert steps["childcare"] == steps["legal-help"] == Decimal("0.5")
    assert steps["food"] == Decimal("0.5") and steps["carrying"] == Decimal("0.25")


def test_the_need_form_names_each_resources_unit_in_the_readers_language(client, bob, steps):
    client.force_login(bob)
    assert "Diapers (packs)</option>" in client.get(reverse("need_new")).content.decode()
    bob.language = "es"
    bob.save()
    assert "Pañales (paquetes)</option>" in client.get(reverse("need_new")).content.decode()


def test_the_api_lists_each_resources_step(bob_api, steps):
    rows = {r["key"]: r["step"] for r in bob_api("get", "/resources", None).json()}
    assert rows["diapers"] in ("1", "1.000", 1) and rows["food"] is None
