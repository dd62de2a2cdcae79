"""Actions declare needs that the one planner fills; results draw the material stock down."""

import re
from datetime import timedelta
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from conftest import area
from sinfronteras.organizing import services
from sinfronteras.organizing.forms import ActionForm, ResultsForm
from sinfronteras.organizing.models import Action
from sinfronteras.plans.models import Task
from sinfronteras.plans.runs import do_request_run, execute_run
from sinfronteras.sharing.models import Need, Offer, Resource


@pytest.fixture
def newspaper(la):
    return Resource.objects.create(collective=la, key="newspaper", name_en="Newspaper copies",
                                   name_es="Ejemplares del periódico", unit="copies")


def make_plan(collective):
    run = execute_run(do_request_run(collective, None, enqueue=False).pk)
    assert run.status == "done", run.error
    return run


def action_data(la, **changes):
    day = timezone.localdate() + timedelta(days=3)
    data = {"title": "Saturday rally", "area": area(la, "Boyle Heights").pk, "day": day.isoformat(),
            "hour": "10:00", "material": Resource.objects.get(collective=la, key="newspaper").pk,
            "copies": "200", "people": "4", "hours_each": "3"}
    data.update(changes)
    return data


def plan_action(member, la, **changes):
    form = ActionForm(action_data(la, **changes), member=member)
    assert form.is_valid(), form.errors
    return services.do_create_action(member, form)


def test_an_action_declares_copies_and_people_hours_as_ordinary_needs(la, alice, newspaper):
    action = plan_action(alice, la)
    needs = {n.resource.key: n for n in Need.objects.filter(action_link__action=action)}
    assert needs["newspaper"].quantity == Decimal(200) and needs["presence"].quantity == Decimal(12)
    assert needs["presence"].resource.unit == "hours"
    assert all(n.collective == la and n.posted_by == alice and n.area == action.area
               for n in needs.values())


def test_members_offers_fill_an_action_through_the_same_planner(la, alice, bob, carla, newspaper,
                                                                 offer_of):
    action = plan_action(alice, la)
    offer_of(carla, ["newspaper"], 300)
    offer_of(carla, ["presence"], 6)
    offer_of(alice, ["presence"], 6)
    make_plan(la)
    rows = dict((need.resource.key, planned) for need, planned in services.action_needs(action))
    assert rows == {"newspaper": Decimal(200), "presence": Decimal(12)}
    assert Task.objects.filter(need__action_link__action=action).count() == 3


def test_a_bad_action_says_what_to_fix_and_writes_nothing(la, alice, newspaper):
    yesterday = (timezone.localdate() - timedelta(days=1)).isoformat()
    form = ActionForm(action_data(la, day=yesterday, title="", copies="200", material="",
                                  hours_each="0"), member=alice)
    assert not form.is_valid()
    assert set(form.errors) == {"title", "day", "material", "hours_each"}
    assert not Action.objects.exists() and not Need.objects.exists()


def record(action, member, copies, talks=5, more=2):
    form = ResultsForm({"copies_distributed": copies, "conversations_started": talks,
                        "want_more": more}, instance=action)
    assert form.is_valid(), form.errors
    return sum(copies for _offer, copies in services.do_record_results(member, action, form))


def past(action):
    Action.objects.filter(pk=action.pk).update(starts_at=timezone.now() - timedelta(hours=2))
    action.refresh_from_db()
    return action


def test_copies_distributed_beyond_what_the_plan_brought_draw_the_stock_down(
        la, alice, carla, bob, newspaper, offer_of):
    action = plan_action(alice, la, copies="100", people="0", hours_each="0")
    stock = offer_of(carla, ["newspaper"], 150)
    far = offer_of(bob, ["newspaper"], 40)
    make_plan(la)  # 100 copies of carla's stock go to the action
    drawn = record(past(action), alice, 130)
    stock.refresh_from_db()
    far.refresh_from_db()
    assert drawn == 30  # 100 came through the plan's task; 30 more from stock
    # The task's 100 copies were handed out too: they leave the stock with the closed need.
    assert stock.quantity == Decimal(20) and stock.committed_milli == 0
    assert far.quantity == Decimal(40)


def test_the_stock_never_goes_below_what_tasks_committed(la, alice, carla, bob, newspaper, offer_of):
    action = plan_action(alice, la, copies="50", people="0", hours_each="0")
    stock = offer_of(carla, ["newspaper"], 60)
    other = offer_of(bob, ["newspaper"], 20)
    make_plan(la)
    record(past(action), alice, 500)  # far more than any stock holds
    stock.refresh_from_db()
    other.refresh_from_db()
    # 10 drawn from stock; the task's 50 were handed out too, closing the need: emptied.
    assert stock.status == "withdrawn" and stock.committed_milli == 0
    assert other.status == "withdrawn"  # emptied with nothing committed


def test_correcting_results_draws_only_the_difference(la, alice, carla, newspaper, offer_of):
    action = past(plan_action(alice, la, copies="10", people="0", hours_each="0"))
    stock = offer_of(carla, ["newspaper"], 100)
    Need.objects.filter(action_link__action=action).update(status="withdrawn")
    assert record(action, alice, 20) == 20
    assert record(action, alice, 25) == 5
    stock.refresh_from_db()
    assert stock.quantity == Decimal(75)


def test_results_wait_until_after_the_action_and_only_its_organizer_records_them(
        client, la, alice, bob, newspaper):
    action = plan_action(alice, la)
    client.force_login(alice)
    url = reverse("organizing:action_results", args=[action.pk])
    assert client.get(url).status_code == 302
    client.force_login(bob)
    assert client.get(url).status_code == 404
    assert client.get(reverse("organizing:action", args=[action.pk])).status_code == 200


def test_negative_results_are_refused_with_a_clear_error(client, la, alice, newspaper):
    action = past(plan_action(alice, la))
    client.force_login(alice)
    page = client.post(reverse("organizing:action_results", args=[action.pk]),
                       {"copies_distributed": "-3", "conversations_started": "",
                        "want_more": "1"}).content.decode()
    assert 'id="error-copies_distributed"' in page and 'id="error-conversations_started"' in page
    action.refresh_from_db()
    assert action.results_at is None and Offer.objects.count() == 0


def test_another_collective_never_sees_an_action(client, la, alice, dmitri, newspaper):
    action = plan_action(alice, la)
    client.force_login(dmitri)
    assert client.get(reverse("organizing:action", args=[action.pk])).status_code == 404


def test_an_action_that_asks_for_nothing_says_so_instead_of_planned(client, la, alice, newspaper):
    client.force_login(alice)
    answer = client.post(reverse("organizing:action_new"),
                         action_data(la, copies="0", people="0", hours_each="0"), follow=True)
    page = answer.content.decode()
    assert answer.redirect_chain, re.findall(r'id="error-[^"]*"[^<]*<p>[^<]*', page)
    action = Action.objects.get(title="Saturday rally")
    assert not action.links.exists()
    assert "It asks for nothing" in page and "its needs are open for offers" not in page
    assert 'id="asks-nothing"' in page


def test_an_action_that_asks_for_copies_is_planned_with_its_needs_open(client, la, alice, newspaper):
    client.force_login(alice)
    page = client.post(reverse("organizing:action_new"), action_data(la), follow=True).content.decode()
    assert "its needs are open for offers" in page and 'id="asks-nothing"' not in page


def test_the_action_page_lists_the_commitments_made_for_it(client, la, alice, bob, newspaper):
    from sinfronteras.organizing.models import Commitment

    action = plan_action(alice, la)
    other = plan_action(alice, la, title="Another rally")
    Commitment.objects.create(collective=la, member=bob, what="Bring the banner",
                              due_on=timezone.localdate() + timedelta(days=2), action=action)
    Commitment.objects.create(collective=la, member=bob, what="Call the pantry",
                              due_on=timezone.localdate() + timedelta(days=2), action=other)
    client.force_login(alice)
    page = client.get(reverse("organizing:action", args=[action.pk])).content.decode()
    listed = page.split('id="action-commitments"')[1]
    assert "Bring the banner" in listed and bob.display_name in listed
    assert "Call the pantry" not in page


def test_a_spanish_organizer_reads_that_the_action_asks_for_nothing_in_spanish(client, la, alice,
                                                                                newspaper):
    alice.language = "es"
    alice.save(update_fields=["language"])
    client.force_login(alice)
    page = client.post(reverse("organizing:action_new"),
                       action_data(la, copies="0", people="0", hours_each="0"),
                       follow=True).content.decode()
    assert "No pide nada: ni personas ni ejemplares" in page
    assert "Compromisos de miembros para ella" in page
