"""The demo collective's organizing: a coming rally, past actions, conversations, commitments.

Called at the end of the demo loader, inside its transaction, with its seeded
random generator: the same seed gives the same records. No contact detail is
kept in the demo (no sealing key is needed to load it). What a member writes (an action's
title, a commitment) is in that member's language.
"""

from __future__ import annotations

from datetime import datetime, time, timedelta
from decimal import Decimal

from django.utils import timezone

from sinfronteras.sharing.models import Offer

from .forms import ActionForm
from .models import Action, Commitment, CommitmentState, Conversation, Interest, MonthlyTally
from .services import PRESENCE, do_create_action, month_of, resource_on_demand, settings_of

NICKNAMES = ["Lupe", "Chuy", "Marisol", "Toño", "Deja", "Kenji", "Rosa", "Beto", "Nati", "Sam",
             "Yesenia", "Omar"]
TOPICS = ["raids", "borders", "work", "housing", "school", "health", "rent", "wages"]


def said(member, english: str, spanish: str) -> str:
    """What ``member`` writes: in Spanish if that is their language, else in English (as the
    assembly's demo writes its proposals)."""
    return spanish if (member.language or "").startswith("es") else english


def _at(day, hour=10):
    return timezone.make_aware(datetime.combine(day, time(hour)))


def _rally(collective, organizer, area, today):
    saturday = today + timedelta(days=(5 - today.weekday()) % 7 or 7)
    newspaper = collective.resources.filter(key="newspaper").first()
    title = said(organizer, "Saturday rally at the federal building",
                 "Mitin del sábado frente al edificio federal")
    form = ActionForm({"title": title, "area": area.pk,
                       "day": saturday.isoformat(), "hour": "10:00",
                       "material": newspaper.pk if newspaper else "",
                       "copies": 200 if newspaper else 0, "people": 4, "hours_each": "3"},
                      member=organizer)
    if not form.is_valid():  # the demo must load; say why if it cannot
        raise ValueError(form.errors.as_text())
    return do_create_action(organizer, form)


def _presence_offers(collective, givers, area, today):
    presence = resource_on_demand(collective, PRESENCE)
    for giver in givers:
        offer = Offer.objects.create(collective=collective, posted_by=giver, area=area,
                                     quantity=Decimal(3), radius_km=Decimal(10),
                                     available_until=today + timedelta(days=14))
        offer.resources.set([presence])


def _past_actions(collective, organizers, areas, rng, today):
    """Three past actions with their numbers, each organized by one of ``organizers`` in turn."""
    newspaper = collective.resources.filter(key="newspaper").first()
    for index, (weeks, english, spanish) in enumerate([
            (3, "Know-your-rights table at the swap meet", "Mesa de derechos en el tianguis"),
            (7, "May Day march", "Marcha del Primero de Mayo"),
            (12, "Door-knocking on rent", "Puerta a puerta sobre la renta")]):
        organizer = organizers[index % len(organizers)]
        title = said(organizer, english, spanish)
        day = today - timedelta(weeks=weeks)
        Action.objects.create(
            collective=collective, organizer=organizer, title=title, area=rng.choice(areas),
            starts_at=_at(day), material=newspaper, copies=150, people=3, hours_each=Decimal(2),
            copies_distributed=rng.randint(80, 150), conversations_started=rng.randint(8, 30),
            want_more=rng.randint(2, 9), results_at=_at(day, 18))


def _conversations(collective, loggers, coordinators, areas, rng, today):
    counts: dict = {}
    for index, nickname in enumerate(NICKNAMES):
        logger = loggers[index % len(loggers)]
        held_on = today - timedelta(days=rng.randint(1, 60))
        follow = held_on + timedelta(days=rng.choice([7, 14, 21]))
        said_yes = rng.random() < 0.4
        Conversation.objects.create(
            collective=collective, logged_by=logger, area=rng.choice(areas), held_on=held_on,
            nickname=nickname, topics=sorted(rng.sample(TOPICS, rng.randint(1, 3))),
            interest=rng.choice(list(Interest.values)), follow_up_on=follow,
            follow_up_by=rng.choice([logger, *coordinators]),
            consent_at=_at(held_on, 12) if said_yes else None,
            contact_channel="in_person" if said_yes else "")
        counts[month_of(held_on)] = counts.get(month_of(held_on), 0) + 1
    return counts


def _tallies(collective, counts, rng, today):
    month = month_of(today)
    for _step in range(6):
        MonthlyTally.objects.update_or_create(
            collective=collective, month=month,
            defaults={"conversations": counts.get(month, 0) + rng.randint(4, 20),
                      "follow_ups_done": rng.randint(2, 10), "joined": rng.randint(0, 4)})
        month = month_of(month - timedelta(days=1))


def _commitments(collective, people, rally, today):
    rows = [("Bring 50 copies to Saturday's rally", "Llevar 50 ejemplares al mitin del sábado",
             3, CommitmentState.DUE, rally),
            ("Make the know-your-rights cards in Spanish",
             "Hacer en español las tarjetas de conoce tus derechos", -2, CommitmentState.DUE, None),
            ("Call the tenants' union about the meeting room",
             "Llamar al sindicato de inquilinos por la sala", -5, CommitmentState.DONE, None),
            ("Drive the banner to the rally", "Llevar la pancarta al mitin en coche", 4,
             CommitmentState.NEEDS_HELP, rally),
            ("Translate the flyer into Korean", "Traducir el volante al coreano", -10,
             CommitmentState.LET_GO, None)]
    for index, (english, spanish, days, state, action) in enumerate(rows):
        member = people[index % len(people)]
        Commitment.objects.create(collective=collective, member=member,
                                  what=said(member, english, spanish),
                                  due_on=today + timedelta(days=days), state=state, action=action)


def load_demo_organizing(collective, rng) -> Action | None:
    members = {m.username: m for m in collective.members.filter(
        username__in=["ana", "marcus", "luz", "vero"])}
    areas = list(collective.areas.order_by("name"))
    if len(members) < 4 or not areas:
        return None
    today = timezone.localdate()
    settings_of(collective)
    ana, marcus, luz, vero = (members[k] for k in ("ana", "marcus", "luz", "vero"))
    rally_area = ana.area or areas[0]
    rally = _rally(collective, ana, rally_area, today)
    volunteers = list(collective.members.filter(username__startswith="voluntario-").order_by("pk"))
    _presence_offers(collective, [vero, *rng.sample(volunteers, min(4, len(volunteers)))],
                     rally_area, today)
    _past_actions(collective, [ana, marcus], areas, rng, today)
    counts = _conversations(collective, [luz, vero, ana], [ana, marcus], areas, rng, today)
    _tallies(collective, counts, rng, today)
    _commitments(collective, [vero, luz, marcus, ana], rally, today)
    return rally
