"""What a member can do by texting, in either language, and the replies they get."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from sinfronteras.sms.commands import reply_to
from sms_fixtures import gateway  # noqa: F401


@pytest.fixture
def spanish(carla):
    carla.language = "es"
    carla.save(update_fields=["language"])
    return carla


@pytest.mark.parametrize("text", ["FOOD 5 URGENT", "comida 5 urgente", "Cómida 5 Urgénte",
                                  "  food   5   urgent  ", "5 comida urgente", "Food: 5, urgent!"])
def test_a_need_is_posted_in_the_members_area_in_either_language(carla, text):
    reply = reply_to(carla, text, "ev-1")
    need = carla.needs.get()
    assert (need.resource.key, need.quantity, need.urgent, need.area.name) == (
        "food", Decimal(5), True, "Boyle Heights")
    assert reply == "Asked for: FOOD 5, urgent. Thank you for telling us."


def test_spanish_names_with_accents_and_spaces_are_found_and_the_reply_is_spanish(spanish):
    reply = reply_to(spanish, "panales 2", "ev-2")
    need = spanish.needs.get()
    assert (need.resource.key, need.quantity, need.urgent) == ("diapers", Decimal(2), False)
    assert reply == "Pedido: PAÑALES 2. Gracias por avisarnos."
    reply_to(spanish, "Cuidado de niños 3", "ev-3")
    assert spanish.needs.filter(resource__key="childcare").exists()


def test_the_same_sms_delivered_twice_makes_one_need(carla):
    reply_to(carla, "FOOD 5", "ev-same")
    reply_to(carla, "FOOD 5", "ev-same")
    assert carla.needs.count() == 1


def test_amounts_in_whole_steps_where_the_resource_has_a_step(carla):
    from sinfronteras.sharing.models import Resource

    Resource.objects.filter(collective=carla.collective, key="diapers").update(step=Decimal(2))
    assert reply_to(carla, "DIAPERS 3", "ev-4") == "DIAPERS comes in steps of 2: write 2 or 4."
    assert reply_to(carla, "DIAPERS 1", "ev-5") == "DIAPERS comes in steps of 2: write 2 or 4."
    assert reply_to(carla, "DIAPERS 7", "ev-6") == "DIAPERS comes in steps of 2: write 6 or 8."
    assert not carla.needs.exists()
    assert reply_to(carla, "DIAPERS 4", "ev-7").startswith("Asked for: DIAPERS 4")
    assert reply_to(carla, "FOOD 2.5", "ev-8").startswith("Asked for: FOOD 2.5")


@pytest.mark.parametrize("text, expected", [
    ("FOOD", "Say how much, e.g. FOOD 5."),
    ("FOOD 0", "Say how much with a number above 0, e.g. FOOD 5."),
    ("FOOD 5 PLEASE", "Write the thing, how much, and URGENT if it is, e.g. FOOD 5 URGENT."),
    ("BANANAS 5", "No such thing here: BANANAS. Try one of DIAPERS, FOOD, LEGAL HELP, "
                  "CHILDCARE, e.g. FOOD 5."),
    ("YES", "Which task? Write YES and its number, e.g. YES 12. Text TASKS for the list."),
    ("ALERT 99", "Give 1 to 72 hours, e.g. ALERT 12, or just ALERT."),
])
def test_a_mistake_gets_a_short_sms_that_says_what_to_fix(carla, text, expected):
    reply = reply_to(carla, text, "ev-x")
    assert reply == expected and len(reply) <= 160
    assert not carla.needs.exists()


@pytest.mark.parametrize("text", ["FOOD -5", "FOOD - 5", "comida −5 urgente", "-5 FOOD",
                                  "ALERT -3", "YES -12"])
def test_a_negative_amount_is_refused_and_asks_nothing(carla, text):
    reply = reply_to(carla, text, "ev-neg")
    assert reply == "Numbers here are above 0: write e.g. FOOD 5, or TASKS, or YES 12."
    assert not carla.needs.exists()


def test_a_hyphen_inside_a_word_is_still_read(carla):
    assert reply_to(carla, "legal-help 2", "ev-h").startswith("Asked for: LEGAL HELP 2")


@pytest.mark.parametrize("text", ["HELLO", "", "?", "HOLA"])
def test_anything_else_gets_the_help(carla, spanish, text):
    assert reply_to(carla, text).startswith("Escribe COMIDA 5 URGENTE para pedir algo")


def test_help_is_in_the_members_language_whatever_language_they_text(bob):
    assert reply_to(bob, "AYUDA").startswith("Text FOOD 5 URGENT to ask for something")


@pytest.fixture
def proposed(la, bob, carla, need_of, offer_of):
    """A carry task proposed to bob (Echo Park), from carla's giving to a need."""
    from sinfronteras.plans.models import Allocation, PlanRun, Task

    need = need_of(carla, "food", 2)
    offer = offer_of(carla, ["food"], 2)
    run = PlanRun.objects.create(collective=la, status="done", progress=100)
    allocation = Allocation.objects.create(run=run, offer=offer, need=need, quantity=2, km=1)
    type(offer).objects.filter(pk=offer.pk).update(committed_milli=2000)
    now = timezone.now()
    return Task.objects.create(run=run, allocation=allocation, need=need, offer=offer,
                               quantity=2, kind="carry", state="proposed", carrier=bob,
                               hours=Decimal("0.5"), km=1, window_start=now - timedelta(hours=1),
                               window_end=now + timedelta(days=2))


def test_tasks_lists_ones_tasks_by_number_and_nothing_else(bob, proposed):
    reply = reply_to(bob, "TASKS")
    assert reply == f"Your tasks: {proposed.pk}: waiting for your YES or NO."
    assert "Boyle" not in reply and "Carla" not in reply and "2" not in reply.replace(str(proposed.pk), "")


def test_yes_accepts_and_no_declines_ones_own_task(bob, carla, proposed):
    assert reply_to(carla, f"SI {proposed.pk}") == (
        f"Task {proposed.pk} is not yours. Text TASKS for your list.")
    assert reply_to(bob, f"sí {proposed.pk}") == (
        f"Task {proposed.pk} accepted. Thank you! The details are on the site.")
    proposed.refresh_from_db()
    assert proposed.state == "accepted"
    assert reply_to(bob, f"YES {proposed.pk}") == "This task is no longer waiting for you."
    assert reply_to(bob, f"NO {proposed.pk}") == (
        f"Task {proposed.pk} declined: it goes back to the pool.")
    proposed.refresh_from_db()
    assert proposed.state == "declined"
    assert reply_to(bob, "TAREAS") == "No tasks for you now."


def test_alert_pauses_deliveries_in_ones_area_once(carla, proposed):
    from sinfronteras.plans.models import AreaAlert

    assert reply_to(carla, "ALERTA") == (
        "Alert raised in your area for 12 hours: deliveries there are paused.")
    alert = AreaAlert.objects.get()
    assert alert.area == carla.area and alert.raised_by == carla
    assert timedelta(hours=11, minutes=59) < alert.until - timezone.now() <= timedelta(hours=12)
    assert reply_to(carla, "ALERT 6") == "An alert is already on in your area. Deliveries there are paused."
    assert AreaAlert.objects.count() == 1
    proposed.refresh_from_db()
    assert proposed.state == "superseded"  # an unaccepted task there went back to the pool


def test_a_member_without_an_area_is_told_to_choose_one(carla):
    carla.area = None
    carla.save(update_fields=["area"])
    assert reply_to(carla, "FOOD 2") == "Choose your area on the site first; then you can ask by SMS."
    assert reply_to(carla, "ALERT").startswith("Choose your area on the site first")


def test_texting_is_limited_like_every_write(carla, settings):
    settings.WRITES_PER_MINUTE = 2
    replies = [reply_to(carla, f"FOOD {n}", f"ev-{n}") for n in (1, 2, 3)]
    assert replies[2] == "Too many messages in a minute. Wait a minute and try again."
    assert carla.needs.count() == 2


def test_a_coordinator_texting_acts_as_a_member(alice, gateway):
    from sms_fixtures import add_number
    from sinfronteras.sms.numbers import member_for_sender

    add_number(alice, "+1 213 555 0133")
    found = member_for_sender("+12135550133")
    assert found == alice and found.role == "coordinator" and not found.is_coordinator
