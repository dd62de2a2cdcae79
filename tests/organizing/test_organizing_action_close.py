"""An action that is over closes its needs: no plan sends copies or people to it again.
Its needs are the action's, not its organizer's own."""

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
from sinfronteras.plans.models import Allocation, Task
from sinfronteras.plans.runs import do_request_run, execute_run
from sinfronteras.sharing.models import Need, Resource


@pytest.fixture
def newspaper(la):
    return Resource.objects.create(collective=la, key="newspaper", name_en="Newspaper copies",
                                   name_es="Ejemplares del periódico", unit="copies")


def make_plan(collective):
    run = execute_run(do_request_run(collective, None, enqueue=False).pk)
    assert run.status == "done", run.error
    return run


def rally(member, la, **changes):
    day = timezone.localdate() + timedelta(days=3)
    data = {"title": "Saturday rally", "area": area(la, "Boyle Heights").pk, "day": day.isoformat(),
            "hour": "10:00", "material": Resource.objects.get(collective=la, key="newspaper").pk,
            "copies": "100", "people": "4", "hours_each": "3", **changes}
    form = ActionForm(data, member=member)
    assert form.is_valid(), form.errors
    return services.do_create_action(member, form)


def move_start(action, **delta):
    Action.objects.filter(pk=action.pk).update(starts_at=timezone.now() + timedelta(**delta))
    action.refresh_from_db()
    return action


@pytest.fixture
def givers(la, bob, carla, newspaper, offer_of):
    """Plenty of copies and of people's hours, in reach of the rally."""
    return (offer_of(carla, ["newspaper"], 500),
            offer_of(carla, ["presence"], 10), offer_of(bob, ["presence"], 10, radius_km=Decimal(30)))


def planned_to(action) -> Decimal:
    return sum((a.quantity for a in Allocation.objects.filter(need__action_link__action=action)),
               Decimal(0))


def test_recording_the_results_closes_the_needs_and_the_next_plan_sends_nothing(
        client, la, alice, newspaper, givers):
    action = rally(alice, la)
    make_plan(la)
    assert planned_to(action) > 0  # before: the plan sent copies and people
    move_start(action, hours=-4)
    client.force_login(alice)
    client.post(reverse("organizing:action_results", args=[action.pk]),
                {"copies_distributed": "90", "conversations_started": "7", "want_more": "2"})
    assert not Need.objects.filter(action_link__action=action, status="open").exists()
    assert not Task.objects.filter(need__action_link__action=action,
                                   state__in=["open", "proposed"]).exists()
    before = planned_to(action)
    run = make_plan(la)
    assert not Allocation.objects.filter(run=run, need__action_link__action=action).exists()
    assert planned_to(action) == before
    page = client.get(reverse("organizing:action", args=[action.pk])).content.decode()
    assert "Closed: the action is over" in page and "I can give some of this" not in page


def test_an_action_that_has_ended_closes_its_needs_without_any_results(la, alice, newspaper,
                                                                        givers):
    action = move_start(rally(alice, la), hours=-5)  # 10:00 rally of 3 hours: over
    run = make_plan(la)  # a run first does the housekeeping, which closes it
    assert not Allocation.objects.filter(run=run).exists()
    assert set(Need.objects.filter(action_link__action=action).values_list("status", flat=True)) \
        == {"fulfilled"}


def test_an_action_under_way_gets_nothing_new_from_a_plan(la, alice, newspaper, givers):
    action = move_start(rally(alice, la), hours=-1)  # began an hour ago, not over yet
    run = make_plan(la)
    assert not Allocation.objects.filter(run=run, need__action_link__action=action).exists()


def test_action_needs_are_the_actions_not_the_organizers_own(client, la, alice, newspaper,
                                                             need_of):
    action = rally(alice, la)
    own = need_of(alice, "food", 2)
    ids = list(Need.objects.filter(action_link__action=action).values_list("pk", flat=True))
    client.force_login(alice)
    home = client.get(reverse("home")).content.decode()
    tasks = client.get(reverse("plans:tasks")).content.decode()
    assert f'id="need-{own.pk}"' in home and f'id="need-state-{own.pk}"' in tasks
    for pk in ids:
        assert f'id="need-{pk}"' not in home and f'id="need-state-{pk}"' not in tasks
        assert reverse("plans:need_address", args=[pk]) not in tasks
        assert client.get(reverse("plans:need_address", args=[pk])).status_code == 403
    page = client.get(reverse("organizing:action", args=[action.pk])).content.decode()
    assert all(f'id="action-need-{pk}"' in page for pk in ids)


def test_i_can_give_some_of_this_opens_the_offer_form_filled_in(client, la, alice, bob,
                                                                 newspaper, oakland):
    action = rally(alice, la, people="0", hours_each="0")
    client.force_login(bob)
    page = client.get(reverse("organizing:action", args=[action.pk])).content.decode()
    link = f'{reverse("offer_new")}?resource={newspaper.pk}&amp;area={action.area_id}'
    assert link in page
    form = client.get(link.replace("&amp;", "&")).context["form"]
    assert form.initial == {"resources": [newspaper.pk], "area": action.area_id}
    html = str(form["resources"])
    assert re.search(rf'value="{newspaper.pk}"[^>]*checked', html)
    assert f'<option value="{action.area_id}" selected>' in str(form["area"])
    # Another collective's resource or area is never filled in.
    theirs = oakland.resources.get().pk, oakland.areas.get().pk
    form = client.get(reverse("offer_new"), {"resource": theirs[0], "area": theirs[1]}).context["form"]
    assert "resources" not in form.initial and form.initial.get("area") == bob.area_id


def test_the_results_say_whose_stock_the_copies_came_from(client, la, alice, carla, newspaper,
                                                          offer_of):
    action = move_start(rally(alice, la, people="0", hours_each="0"), days=2)
    offer_of(carla, ["newspaper"], 200)
    Need.objects.filter(action_link__action=action).update(status="withdrawn")
    move_start(action, hours=-1)
    client.force_login(alice)
    response = client.post(reverse("organizing:action_results", args=[action.pk]),
                           {"copies_distributed": "80", "conversations_started": "3",
                            "want_more": "1"}, follow=True)
    page = response.content.decode()
    assert "80 copies were taken from the offer of Carla in Boyle Heights." in page
