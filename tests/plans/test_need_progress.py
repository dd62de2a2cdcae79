"""A need has one status, the same on Home, Needs, My tasks, the task page and the API:
open, planned (how much), on its way, partly delivered (what came; the rest is
planned again), done."""

from __future__ import annotations

import html
import re

import pytest
from django.urls import reverse

from conftest import area, make_member
from plans_fixtures import plan_now
from sinfronteras.members.models import ApiToken
from sinfronteras.plans.models import Task
from sinfronteras.sharing.models import Need


def visible(page: bytes) -> str:
    main = page.decode().split("<main>")[1].split("</main>")[0]
    return html.unescape(re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", main)))


def api_progress(client, member, need) -> dict:
    _, token = ApiToken.issue(member, "phone")
    one = client.get(f"/api/needs/{need.pk}", HTTP_AUTHORIZATION=f"Bearer {token}").json()
    listed = client.get("/api/needs", HTTP_AUTHORIZATION=f"Bearer {token}").json()
    assert [n["progress"] for n in listed if n["id"] == need.pk] in ([one["progress"]], [])
    return one["progress"]


def read_everywhere(client, carla, need, giver=None) -> set[str]:
    """The status line of the need on each page carla (and the giver, on the task) reads."""
    client.force_login(carla)
    label = Need.objects.get(pk=need.pk).progress.label
    pages = {"home": reverse("home"), "tasks": reverse("plans:tasks")}
    if Need.objects.get(pk=need.pk).status == "open":
        pages["needs"] = reverse("needs")
    for name, url in pages.items():
        assert label in visible(client.get(url).content), (name, label)
    if giver is not None:
        client.force_login(giver)
        for task in Task.objects.filter(need=need, offer__posted_by=giver).exclude(state="superseded"):
            assert label in visible(client.get(reverse("plans:task", args=[task.pk])).content)
    return {label}


@pytest.fixture
def diapers_for_carla(la, carla, need_of):
    return need_of(carla, "diapers", 3)


def test_a_need_goes_open_planned_on_its_way_partly_delivered_replanned_then_done(
        client, la, alice, bob, carla, diapers_for_carla, offer_of, password_hash):
    need = diapers_for_carla
    here = area(la, "Boyle Heights")
    assert need.progress.state == "open"
    read_everywhere(client, carla, need)
    assert "open: not planned yet" in need.progress.label
    assert api_progress(client, carla, need)["state"] == "open"

    offer_of(bob, ["diapers"], 1, area=here)
    plan_now(la, alice)
    need = Need.objects.get(pk=need.pk)
    assert (need.progress.state, need.progress.label) == ("planned", "planned: 1 of 3 packs")
    read_everywhere(client, carla, need, giver=bob)
    assert api_progress(client, carla, need)["planned"] == "1.000"

    task = Task.objects.get(need=need, state="proposed")
    client.force_login(bob)
    client.post(reverse("plans:task_action", args=[task.pk, "accept"]))
    need = Need.objects.get(pk=need.pk)
    assert need.progress.state == "on_its_way"
    assert need.progress.label.startswith("on its way: 1 of 3 packs, expected by ")
    read_everywhere(client, carla, need, giver=bob)

    client.force_login(bob)
    client.post(reverse("plans:task_action", args=[task.pk, "done"]), {"confirm": "yes"})
    need = Need.objects.get(pk=need.pk)
    assert need.status == "open" and need.progress.state == "partly_delivered"
    assert need.progress.label == ("partly delivered: 1 of 3 packs came; the rest stays open for "
                                   "the next plan")
    read_everywhere(client, carla, need, giver=bob)
    assert api_progress(client, carla, need) == {
        "state": "partly_delivered", "delivered": "1.000", "on_its_way": "0.000", "planned": "0.000",
        "left": "2.000"}

    dora = make_member(la, "dora", "Boyle Heights", password_hash=password_hash)
    offer_of(dora, ["diapers"], 5, area=here)
    plan_now(la, alice)  # the rest is planned again, and only the rest
    need = Need.objects.get(pk=need.pk)
    assert need.progress.label == "partly delivered: 1 of 3 packs came; the rest: 2 packs planned"
    second = Task.objects.get(need=need, state="proposed")
    assert second.quantity == 2
    read_everywhere(client, carla, need, giver=dora)

    client.force_login(dora)
    client.post(reverse("plans:task_action", args=[second.pk, "accept"]))
    assert "the rest: 2 packs on its way, expected by " in Need.objects.get(pk=need.pk).progress.label
    client.post(reverse("plans:task_action", args=[second.pk, "done"]), {"confirm": "yes"})
    need = Need.objects.get(pk=need.pk)
    assert (need.status, need.progress.state, need.progress.label) == ("fulfilled", "done", "done")
    read_everywhere(client, carla, need, giver=dora)
    assert api_progress(client, carla, need)["state"] == "done"


def test_a_declined_task_gives_the_need_back_to_open(client, la, alice, bob, carla,
                                                     diapers_for_carla, offer_of):
    offer_of(bob, ["diapers"], 3, area=area(la, "Boyle Heights"))
    plan_now(la, alice)
    task = Task.objects.get()
    client.force_login(bob)
    client.post(reverse("plans:task_action", args=[task.pk, "decline"]))
    assert Need.objects.get(pk=diapers_for_carla.pk).progress.state == "open"


def test_the_status_reads_in_spanish_with_a_comma_and_spanish_units(client, la, carla, need_of):
    carla.language = "es"
    carla.save(update_fields=["language"])
    need_of(carla, "food", "1.5")
    client.force_login(carla)
    page = visible(client.get(reverse("home")).content)
    assert "1,5 kg" in page and "abierta: aún no está en un plan" in page and "1.500" not in page


def test_the_pages_that_show_statuses_run_as_many_queries_for_twelve_needs_as_for_one(
        client, la, alice, bob, carla, need_of, offer_of, django_assert_max_num_queries):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    urls = [reverse("home"), reverse("needs"), reverse("plans:tasks")]

    def counts():
        plan_now(la, alice)
        client.force_login(carla)
        found = []
        for url in urls:
            with CaptureQueriesContext(connection) as queries:
                assert client.get(url).status_code == 200
            found.append(len(queries))
        return found

    need_of(carla, "diapers", 2)
    offer_of(bob, ["diapers"], 30, area=area(la, "Boyle Heights"))
    few = counts()
    for _ in range(11):
        need_of(carla, "diapers", 2)
    assert counts() == few
    for url in urls:
        with django_assert_max_num_queries(22):  # My tasks: dropped list, badge, hand-overs across
            client.get(url)
