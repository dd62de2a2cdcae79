import json

import pytest

from conftest import area, resource
from sinfronteras.members.models import ApiToken
from sinfronteras.sharing.models import Need, Offer


@pytest.fixture
def bob_api(client, bob):
    _, token = ApiToken.issue(bob, "phone")

    def call(method, path, body=None, **headers):
        kwargs = {"HTTP_AUTHORIZATION": f"Bearer {token}", **headers}
        if body is not None:
            kwargs.update(data=json.dumps(body), content_type="application/json")
        return getattr(client, method)(f"/api{path}", **kwargs)

    return call


def a_need(la, **changes):
    body = {"resource": resource(la, "food").pk, "quantity": "4.5",
            "area": area(la, "Echo Park").pk, "urgent": True}
    body.update(changes)
    return body


def test_it_creates_a_need(bob_api, la, bob):
    response = bob_api("post", "/needs", a_need(la))
    assert response.status_code == 201, response.content
    need = Need.objects.get()
    assert response.json()["id"] == need.pk and need.posted_by == bob and need.urgent


def test_the_same_idempotency_key_twice_makes_one_need(bob_api, la):
    first = bob_api("post", "/needs", a_need(la), HTTP_IDEMPOTENCY_KEY="k-123")
    second = bob_api("post", "/needs", a_need(la), HTTP_IDEMPOTENCY_KEY="k-123")
    assert (first.status_code, second.status_code) == (201, 200)
    assert first.json()["id"] == second.json()["id"] and Need.objects.count() == 1
    bob_api("post", "/needs", a_need(la), HTTP_IDEMPOTENCY_KEY="k-456")
    assert Need.objects.count() == 2


def test_the_same_idempotency_key_twice_makes_one_offer(bob_api, la):
    body = {"resources": [resource(la, "diapers").pk], "quantity": 3, "area": area(la, "Koreatown").pk}
    ids = {bob_api("post", "/offers", body, HTTP_IDEMPOTENCY_KEY="o-1").json()["id"] for _ in range(3)}
    assert len(ids) == 1 and Offer.objects.count() == 1


def test_idempotency_keys_belong_to_one_member(bob_api, client, carla, la):
    bob_api("post", "/needs", a_need(la), HTTP_IDEMPOTENCY_KEY="same")
    client.force_login(carla)
    response = client.post("/api/needs", json.dumps(a_need(la)), content_type="application/json",
                           HTTP_IDEMPOTENCY_KEY="same")
    assert response.status_code == 201 and Need.objects.count() == 2


def test_it_answers_400_naming_each_bad_field_and_writes_nothing(bob_api, la, oakland):
    response = bob_api("post", "/needs", a_need(la, quantity="-2", area=oakland.areas.get().pk))
    assert response.status_code == 400
    errors = response.json()["errors"]
    assert set(errors) == {"quantity", "area"}
    assert not Need.objects.exists()


def test_it_answers_400_for_a_value_of_the_wrong_type(bob_api, la):
    response = bob_api("post", "/needs", a_need(la, quantity="plenty", resource="rice"))
    assert response.status_code == 400
    assert {"quantity", "resource"} <= set(response.json()["errors"])
    assert not Need.objects.exists()


def test_it_answers_400_for_a_missing_field(bob_api, la):
    body = a_need(la)
    del body["quantity"]
    response = bob_api("post", "/needs", body)
    assert response.status_code == 400 and "quantity" in response.json()["errors"]


def test_it_refuses_an_offer_mixing_units(bob_api, la):
    body = {"resources": [resource(la, "food").pk, resource(la, "childcare").pk], "quantity": 3,
            "area": area(la, "Koreatown").pk}
    response = bob_api("post", "/offers", body)
    assert response.status_code == 400 and "resources" in response.json()["errors"]
    assert not Offer.objects.exists()


def test_a_bad_patch_keeps_what_was_stored(bob_api, la):
    need_id = bob_api("post", "/needs", a_need(la)).json()["id"]
    response = bob_api("patch", f"/needs/{need_id}", {"quantity": 0, "urgent": False})
    assert response.status_code == 400
    need = Need.objects.get()
    assert (str(need.quantity), need.urgent) == ("4.500", True)


def test_it_edits_and_withdraws_an_offer(bob_api, la):
    body = {"resources": [resource(la, "childcare").pk], "quantity": 3, "area": area(la, "Koreatown").pk,
            "radius_km": 5}
    offer_id = bob_api("post", "/offers", body).json()["id"]
    hours = [resource(la, "childcare").pk, resource(la, "legal-help").pk]
    patched = bob_api("patch", f"/offers/{offer_id}", {"resources": hours, "quantity": 6})
    assert patched.status_code == 200 and patched.json()["resources"] == sorted(hours)
    assert bob_api("delete", f"/offers/{offer_id}").json()["status"] == "withdrawn"
    assert bob_api("get", "/offers").json() == []


def test_a_member_cannot_read_anothers_need(bob_api, carla, need_of):
    theirs = need_of(carla, "food", 2)
    assert bob_api("get", f"/needs/{theirs.pk}").status_code == 404
    assert bob_api("delete", f"/needs/{theirs.pk}").status_code == 404
    theirs.refresh_from_db()
    assert theirs.status == "open"


def test_a_coordinator_lists_every_need_of_the_collective(client, alice, bob, carla, dmitri, need_of):
    need_of(bob, "food", 2)
    need_of(carla, "food", 3)
    client.force_login(alice)
    assert len(client.get("/api/needs").json()) == 2


def test_it_refuses_a_request_without_credentials(client, la):
    response = client.get("/api/needs")
    assert response.status_code == 401


def test_it_refuses_a_revoked_or_wrong_token(client, bob):
    response = client.get("/api/needs", HTTP_AUTHORIZATION="Bearer sf_not-a-token")
    assert response.status_code == 401


def test_the_openapi_description_lists_the_routes(client, la):
    spec = client.get("/api/openapi.json").json()
    assert {"/api/needs", "/api/needs/{need_id}", "/api/offers", "/api/areas"} <= set(spec["paths"])
    assert "Idempotency-Key" in json.dumps(spec["paths"]["/api/needs"]["post"])


def test_every_operation_keeps_the_id_programs_generated_from_the_document_call_it_by(client, la):
    spec = client.get("/api/openapi.json").json()
    ids = {(method, path): op["operationId"] for path, ops in spec["paths"].items()
           for method, op in ops.items()}
    assert ids[("get", "/api/areas")] == "sinfronteras_api_urls_list_areas"
    assert ids[("get", "/api/resources")] == "sinfronteras_api_urls_list_resources"
    assert ids[("post", "/api/needs")] == "sinfronteras_api_needs_offers_create_need"
    assert ids[("post", "/api/alerts")] == "sinfronteras_api_alerts_raise_alert"
    assert len(set(ids.values())) == len(ids) == 14


def test_there_are_no_docs_pages_that_load_third_party_scripts(client, la):
    assert client.get("/api/docs").status_code == 404


def test_a_member_creates_a_token_sees_it_once_and_can_revoke_it(client, bob, la):
    client.force_login(bob)
    page = client.post("/tokens/", {"name": "my phone"}).content.decode()
    token = page.split('id="new-token">')[1].split("<")[0]
    client.logout()
    assert client.get("/api/needs", HTTP_AUTHORIZATION=f"Bearer {token}").status_code == 200
    assert token not in client.get("/tokens/").content.decode()
    client.force_login(bob)
    assert token not in client.get("/tokens/").content.decode()
    client.post("/tokens/", {"revoke": bob.api_tokens.get().pk, "confirm": "yes"})
    client.logout()
    assert client.get("/api/needs", HTTP_AUTHORIZATION=f"Bearer {token}").status_code == 401


def test_an_offer_can_come_back_every_week(bob_api, la):
    body = {"resources": [resource(la, "childcare").pk], "quantity": 3, "area": area(la, "Koreatown").pk,
            "weekly": True}
    created = bob_api("post", "/offers", body).json()
    assert created["weekly"] is True and Offer.objects.get().weekly
    assert bob_api("patch", f"/offers/{created['id']}", {"weekly": False}).json()["weekly"] is False


def test_a_member_raises_an_alert_through_the_api_and_lists_it(bob_api, la, bob):
    from sinfronteras.plans.models import AreaAlert

    response = bob_api("post", "/alerts", {"area": area(la, "Koreatown").pk, "hours": 3})
    assert response.status_code == 201, response.content
    alert = AreaAlert.objects.get()
    assert alert.raised_by == bob and response.json()["area"] == alert.area_id
    listed = bob_api("get", "/alerts").json()
    assert [a["id"] for a in listed] == [alert.pk] and "raised_by" not in listed[0]


@pytest.mark.parametrize("body, field", [
    ({"hours": 0}, "hours"), ({"hours": 100}, "hours"), ({"area": 999999}, "area"),
])
def test_a_bad_alert_gets_400_naming_the_field(bob_api, la, body, field):
    from sinfronteras.plans.models import AreaAlert

    response = bob_api("post", "/alerts", {"area": area(la, "Koreatown").pk, "hours": 3, **body})
    assert response.status_code == 400 and field in response.json()["errors"]
    assert not AreaAlert.objects.exists()
