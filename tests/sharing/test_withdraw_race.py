"""A withdrawal is never lost to an edit made at the same moment (issue 20, item 7).

An edit writes only the columns it changed, and only while the need or offer is still
open (``UPDATE ... WHERE status = 'open'``). Withdraw and edit race 100 times in real
threads, on SQLite and (with DATABASE_URL) on PostgreSQL; the withdrawal always stands.
"""

from __future__ import annotations

import json
import os
import threading
from decimal import Decimal

import pytest
from django.db import connection
from django.urls import reverse

from conftest import area, resource
from live_sqlite import Browser, serve
from sinfronteras.sharing import services
from sinfronteras.sharing.forms import NeedForm, OfferForm
from sinfronteras.sharing.models import Need, Offer

RACES = 100


def race(*jobs):
    """Run the jobs in threads released together; each closes its own connection."""
    barrier = threading.Barrier(len(jobs))
    errors = []

    def body(job):
        try:
            barrier.wait()
            job()
        except Exception as error:  # noqa: BLE001  (reported below)
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=body, args=(job,)) for job in jobs]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    return [e for e in errors if not isinstance(e, services.NoLongerOpen)]


#: Threads in one test process need a database that more than one connection can write:
#: PostgreSQL. (SQLite's in-memory test database locks whole tables; the SQLite race runs
#: against a database file, through a real threaded server, below.)
postgres_only = pytest.mark.skipif(
    not os.environ.get("DATABASE_URL", "").startswith("postgres"),
    reason="needs real PostgreSQL: set DATABASE_URL=postgres://... (SQLite: see the live race)")


@postgres_only
@pytest.mark.django_db(transaction=True)
def test_a_need_withdrawn_while_it_is_edited_stays_withdrawn_every_time(la, bob, alice):
    lost = 0
    for turn in range(RACES):
        need = Need.objects.create(collective=la, posted_by=bob, resource=resource(la, "food"),
                                   quantity=Decimal("2"), area=area(la, "Echo Park"))
        editor = Need.objects.get(pk=need.pk)  # the coordinator's page, read before the withdrawal
        form = NeedForm({"resource": need.resource_id, "quantity": str(3 + turn),
                         "area": need.area_id, "urgent": "on"}, instance=editor, member=alice)
        assert form.is_valid(), form.errors
        withdrawer = Need.objects.get(pk=need.pk)
        errors = race(lambda: services.do_withdraw_need(withdrawer, bob),
                      lambda: services.do_update(form, alice))
        assert not errors, errors
        lost += Need.objects.get(pk=need.pk).status != "withdrawn"
    assert lost == 0, f"{lost} of {RACES} withdrawals lost"


@postgres_only
@pytest.mark.django_db(transaction=True)
def test_an_offer_withdrawn_while_it_is_edited_stays_withdrawn_every_time(la, bob):
    lost = 0
    for turn in range(RACES):
        offer = Offer.objects.create(collective=la, posted_by=bob, quantity=Decimal("5"),
                                     area=area(la, "Echo Park"))
        offer.resources.set([resource(la, "food")])
        form = OfferForm({"resources": [resource(la, "food").pk], "quantity": str(6 + turn),
                          "area": offer.area_id, "radius_km": "4"},
                         instance=Offer.objects.get(pk=offer.pk), member=bob)
        assert form.is_valid(), form.errors
        withdrawer = Offer.objects.get(pk=offer.pk)
        errors = race(lambda: services.do_withdraw_offer(withdrawer, bob),
                      lambda: services.do_update(form, bob))
        assert not errors, errors
        lost += Offer.objects.get(pk=offer.pk).status != "withdrawn"
    assert lost == 0, f"{lost} of {RACES} withdrawals lost"


@pytest.mark.slow
def test_withdraw_and_edit_pages_raced_on_a_sqlite_file_never_lose_the_withdrawal(tmp_path):
    """The owner withdraws in one tab while editing in another, 100 times, on a threaded
    server over a SQLite file (WAL, IMMEDIATE transactions, as in production)."""
    with serve(tmp_path) as server:
        area_id, food = server.seeds["area"], server.seeds["food"]
        tabs = [Browser(server.url), Browser(server.url)]
        for tab in tabs:
            assert tab.log_in("m01")[0] == 302
            tab.get("/needs/new/")
        lost = 0
        for turn in range(RACES):
            assert tabs[0].post("/needs/new/", {"resource": food, "quantity": "2",
                                                "area": area_id})[0] == 302
            (pk,), = server.rows("SELECT MAX(id) FROM sharing_need")
            results = race_pages(
                lambda: tabs[0].post(f"/needs/{pk}/withdraw/", {"confirm": "yes"}),
                lambda: tabs[1].post(f"/needs/{pk}/", {"resource": food, "area": area_id,
                                                      "quantity": str(3 + turn), "urgent": "on"}))
            assert all(status == 302 for status, _page in results), results
            lost += server.rows("SELECT status FROM sharing_need WHERE id = ?", pk) != \
                [("withdrawn",)]
        assert lost == 0, f"{lost} of {RACES} withdrawals lost"


def race_pages(*jobs):
    barrier = threading.Barrier(len(jobs))
    results = [None] * len(jobs)

    def body(i):
        barrier.wait()
        results[i] = jobs[i]()

    threads = [threading.Thread(target=body, args=(i,)) for i in range(len(jobs))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    return results


def test_an_edit_writes_only_what_it_changed(la, bob, need_of):
    need = need_of(bob, "food", 2)
    form = NeedForm({"resource": need.resource_id, "quantity": "4", "area": need.area_id},
                    instance=Need.objects.get(pk=need.pk), member=bob)
    assert form.is_valid()
    Need.objects.filter(pk=need.pk).update(urgent=True)  # someone else's change, meanwhile
    services.do_update(form, bob)
    need.refresh_from_db()
    assert need.quantity == Decimal("4") and need.urgent  # the other change is kept


@pytest.mark.parametrize("language, words", [
    ("en", "This need is no longer open (it was withdrawn or met): nothing was changed."),
    ("es", "Esta necesidad ya no está abierta (se retiró o se cubrió): no se ha cambiado nada."),
])
def test_editing_a_withdrawn_need_on_its_page_says_so_and_changes_nothing(client, la, bob,
                                                                          need_of, language,
                                                                          words):
    need = need_of(bob, "food", 2, status="withdrawn")
    bob.language = language
    bob.save(update_fields=["language"])
    client.force_login(bob)
    response = client.post(reverse("need_edit", args=[need.pk]), {
        "resource": need.resource_id, "quantity": "5", "area": need.area_id}, follow=True)
    assert words in response.content.decode()
    need.refresh_from_db()
    assert need.status == "withdrawn" and need.quantity == Decimal("2")


def test_a_patch_of_a_withdrawn_need_is_refused_by_the_api(client, la, bob, need_of):
    need = need_of(bob, "food", 2, status="withdrawn")
    client.force_login(bob)
    response = client.patch(f"/api/needs/{need.pk}", data=json.dumps({"quantity": "5"}),
                            content_type="application/json")
    assert response.status_code == 400 and "status" in response.json()["errors"]
    need.refresh_from_db()
    assert need.status == "withdrawn" and need.quantity == Decimal("2")
