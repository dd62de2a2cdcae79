"""Every API error is JSON with one of two shapes, and the OpenAPI document says so.

``{"detail": "..."}`` for 401, 403, 404, 409, 413 and 429 (with Retry-After);
``{"errors": {"field": ["..."]}}`` for 400.
"""

import json

import pytest
from django.test import Client as PlainClient
from django.utils import timezone

from conftest import area, resource
from sinfronteras.members.models import ApiToken
from sinfronteras.sharing.models import Need, Offer

WRITES = {"post", "put", "patch", "delete"}


def call(client, method, path, body=None, token=None, **headers):
    if token:
        headers["HTTP_AUTHORIZATION"] = f"Bearer {token}"
    if body is not None:
        headers.update(data=json.dumps(body), content_type="application/json")
    return getattr(client, method)(f"/api{path}", **headers)


@pytest.fixture
def bobs_token(bob):
    return ApiToken.issue(bob, "phone")[1]


def a_need(la, **changes):
    return {"resource": resource(la, "food").pk, "quantity": "4.5",
            "area": area(la, "Echo Park").pk, **changes}


def an_offer(la, **changes):
    return {"resources": [resource(la, "diapers").pk], "quantity": 3,
            "area": area(la, "Koreatown").pk, **changes}


def assert_detail(response, status):
    assert response.status_code == status, response.content
    assert response["Content-Type"].startswith("application/json")
    assert isinstance(response.json()["detail"], str) and response.json()["detail"]


@pytest.mark.parametrize("method", ["get", "post"])
def test_a_bad_token_gets_a_json_401_on_reads_and_writes(la, method):
    body = {} if method == "post" else None
    response = call(PlainClient(enforce_csrf_checks=True), method, "/needs", body,
                    token="sf_not-a-token")
    assert_detail(response, 401)
    assert "CSRF" not in response.json()["detail"]


def test_a_write_with_no_credentials_at_all_gets_a_json_401(la):
    assert_detail(call(PlainClient(enforce_csrf_checks=True), "post", "/needs", a_need(la)), 401)


def test_a_session_write_without_the_csrf_token_gets_a_json_403(la, bob):
    client = PlainClient(enforce_csrf_checks=True)
    client.force_login(bob)
    assert_detail(call(client, "post", "/needs", a_need(la)), 403)
    assert not Need.objects.exists()


def test_another_members_need_and_an_unknown_path_get_a_json_404(la, bob, carla, need_of,
                                                                 bobs_token):
    theirs = need_of(carla, "food", 2)
    assert_detail(call(PlainClient(), "patch", f"/needs/{theirs.pk}", {"quantity": 1},
                       token=bobs_token), 404)
    assert_detail(call(PlainClient(), "get", "/no-such-thing", token=bobs_token), 404)


def test_the_same_idempotency_key_with_another_body_gets_a_409_and_changes_nothing(la,
                                                                                   bobs_token):
    client = PlainClient()
    first = call(client, "post", "/needs", a_need(la), token=bobs_token, HTTP_IDEMPOTENCY_KEY="k1")
    again = call(client, "post", "/needs", a_need(la, quantity="4.50"), token=bobs_token,
                 HTTP_IDEMPOTENCY_KEY="k1")
    other = call(client, "post", "/needs", a_need(la, quantity="9"), token=bobs_token,
                 HTTP_IDEMPOTENCY_KEY="k1")
    assert (first.status_code, again.status_code) == (201, 200)
    assert_detail(other, 409)
    assert "Idempotency-Key" in other.json()["detail"]
    assert [str(n.quantity) for n in Need.objects.all()] == ["4.500"]


def test_the_same_idempotency_key_with_another_offer_body_gets_a_409(la, bobs_token):
    client = PlainClient()
    call(client, "post", "/offers", an_offer(la), token=bobs_token, HTTP_IDEMPOTENCY_KEY="o1")
    other = call(client, "post", "/offers", an_offer(la, quantity=5), token=bobs_token,
                 HTTP_IDEMPOTENCY_KEY="o1")
    assert_detail(other, 409)
    assert Offer.objects.get().quantity == 3


def test_a_body_over_the_limit_gets_a_json_413_and_writes_nothing(la, bobs_token, settings):
    huge = a_need(la, padding="x" * (5 * 1024 * 1024))
    response = call(PlainClient(), "post", "/needs", huge, token=bobs_token)
    assert_detail(response, 413)
    assert not Need.objects.exists()


def test_a_huge_id_in_an_offers_resources_gets_a_400_naming_the_field(la, bobs_token):
    response = call(PlainClient(), "post", "/offers", an_offer(la, resources=[10**30]),
                    token=bobs_token)
    assert response.status_code == 400, response.content
    assert "resources" in json.dumps(response.json()["errors"])
    assert not Offer.objects.exists()


def test_a_huge_id_in_the_path_gets_a_400_naming_it(la, bobs_token):
    response = call(PlainClient(), "get", f"/needs/{10**30}", token=bobs_token)
    assert response.status_code == 400, response.content
    assert "need_id" in response.json()["errors"]


def test_an_unknown_status_filter_gets_a_400_naming_it(la, bobs_token):
    response = call(PlainClient(), "get", "/needs?status=lost", token=bobs_token)
    assert response.status_code == 400 and "status" in response.json()["errors"]


def test_too_many_writes_get_a_json_429_with_retry_after(la, bobs_token, settings):
    settings.WRITES_PER_MINUTE = 2
    client = PlainClient()
    answers = [call(client, "post", "/needs", a_need(la), token=bobs_token) for _ in range(3)]
    assert [a.status_code for a in answers[:2]] == [201, 201]
    assert_detail(answers[2], 429)
    assert 1 <= int(answers[2]["Retry-After"]) <= 60
    assert Need.objects.count() == 2


def test_the_write_limit_counts_per_member_across_tokens_and_sessions(la, bob, settings):
    settings.WRITES_PER_MINUTE = 3
    tokens = [ApiToken.issue(bob, f"script {n}")[1] for n in range(3)]
    session = PlainClient()
    session.force_login(bob)
    answers = [call(PlainClient(), "post", "/needs", a_need(la), token=t) for t in tokens]
    answers.append(call(session, "post", "/needs", a_need(la)))
    assert [a.status_code for a in answers] == [201, 201, 201, 429]
    assert Need.objects.count() == 3


def test_a_member_holds_a_bounded_number_of_live_tokens(client, bob, settings):
    settings.API_TOKENS_PER_MEMBER = 2
    client.force_login(bob)
    for n in range(2):
        assert 'id="new-token"' in client.post("/tokens/", {"name": f"t{n}"}).content.decode()
    page = client.post("/tokens/", {"name": "one too many"}).content.decode()
    assert 'id="new-token"' not in page and "Revoke one" in page
    assert ApiToken.objects.count() == 2
    ApiToken.objects.filter(pk=ApiToken.objects.first().pk).update(expires_at=timezone.now())
    assert 'id="new-token"' in client.post("/tokens/", {"name": "now"}).content.decode()


def _operations(spec):
    for path, methods in spec["paths"].items():
        for method, operation in methods.items():
            yield path, method, operation


def test_the_openapi_document_declares_every_error_an_operation_can_answer(client, la):
    spec = client.get("/api/openapi.json").json()
    schemas = spec["components"]["schemas"]
    assert set(schemas["Detail"]["required"]) == {"detail"}
    assert set(schemas["FieldErrors"]["required"]) == {"errors"}
    checked = 0
    for path, method, operation in _operations(spec):
        parameters = operation.get("parameters", [])
        expected = {"401"}
        if parameters or "requestBody" in operation:
            expected.add("400")
        if any(p["in"] == "path" for p in parameters):
            expected.add("404")
        if method in WRITES:
            expected |= {"403", "429"}
        if "requestBody" in operation:
            expected.add("413")
        if any(p["name"] == "Idempotency-Key" for p in parameters):
            expected.add("409")
        declared = operation["responses"]
        assert expected <= set(declared), (method, path, sorted(expected - set(declared)))
        for code in expected:
            ref = declared[code]["content"]["application/json"]["schema"]["$ref"]
            assert ref.endswith("/FieldErrors" if code == "400" else "/Detail"), (method, path, code)
        if "429" in declared:
            assert "Retry-After" in declared["429"].get("headers", {}), (method, path)
        checked += 1
    assert checked >= 12


def test_a_crash_under_the_api_gets_a_json_500_that_says_nothing_of_the_bug(la, settings):
    settings.ROOT_URLCONF = "api_boom_urls"
    client = PlainClient(raise_request_exception=False)
    response = client.get("/api/boom/")
    assert_detail(response, 500)
    assert "bug" not in response.json()["detail"]
    page = client.get("/boom/")
    assert page.status_code == 500 and page["Content-Type"].startswith("text/html")


@pytest.mark.django_db(transaction=True)
def test_a_real_server_answers_a_5_mb_body_and_a_bad_token_in_json(live_server, la, bob):
    import urllib.error
    import urllib.request

    token = ApiToken.issue(bob, "phone")[1]

    def post(body: bytes, token: str):
        request = urllib.request.Request(
            f"{live_server.url}/api/needs", data=body, method="POST",
            headers={"Authorization": f"Bearer {token}", "Content-Type": "application/json"})
        try:
            with urllib.request.urlopen(request, timeout=30) as response:
                return response.status, response.headers, response.read()
        except urllib.error.HTTPError as error:
            return error.code, error.headers, error.read()

    huge = json.dumps(a_need(la, padding="x" * (5 * 1024 * 1024))).encode()
    status, headers, body = post(huge, token)
    assert (status, headers["Content-Type"]) == (413, "application/json; charset=utf-8")
    assert json.loads(body)["detail"]
    status, headers, body = post(json.dumps(a_need(la)).encode(), "sf_wrong")
    assert status == 401 and "CSRF" not in json.loads(body)["detail"]
    assert not Need.objects.exists()


@pytest.mark.parametrize("path", ["/needs", "/offers"])
def test_a_body_that_is_not_json_gets_the_400_that_names_the_body(client, bobs_token, path):
    response = client.post(f"/api{path}", data=b"\xf0D not json", content_type="application/json",
                           HTTP_AUTHORIZATION=f"Bearer {bobs_token}")
    assert response.status_code == 400 and response["Content-Type"].startswith("application/json")
    assert list(response.json()) == ["errors"]
    assert "JSON" in response.json()["errors"]["body"][0]
    assert not Need.objects.exists() and not Offer.objects.exists()
