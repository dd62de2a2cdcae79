"""Load the demo collective: real LA neighbourhoods and food pantries, generated people.

Seeded and repeatable; loading twice changes nothing (the second call finds the
collective and returns it).
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import time, timedelta
from decimal import Decimal
from pathlib import Path

from django.contrib.auth.hashers import make_password
from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify

from sinfronteras.assembly.demo import load_demo_proposals
from sinfronteras.members.models import Area, Collective, Member, Role
from sinfronteras.organizing.demo import load_demo_organizing
from sinfronteras.plans.problem import whole
from sinfronteras.sharing.models import Need, Offer, Slot
from sinfronteras.sharing.services import do_seed_catalogue

from .catalogue import FIRST_NAMES, food_pantries, km_between, neighbourhoods

SLUG = "la-sin-fronteras"
NAME = "LA Sin Fronteras"
PASSWORD = "sinfronteras-demo"

#: Generated needs per resource: (share of households asking, low, high, share urgent).
NEED_MIX = {
    "food": (0.7, 5, 25, 0.25),
    "diapers": (0.25, 1, 4, 0.3),
    "hygiene-kits": (0.3, 1, 3, 0.1),
    "legal-help": (0.15, 1, 3, 0.6),
    "rides": (0.2, 1, 2, 0.5),
    "childcare": (0.15, 2, 8, 0.2),
}

#: Generated volunteer offers: (resources, share of volunteers, low, high, radius km).
OFFER_MIX = [
    (("rides",), 0.35, 2, 8, 12),
    (("childcare", "legal-help"), 0.08, 2, 6, 6),
    (("childcare",), 0.25, 3, 10, 5),
    (("legal-help",), 0.1, 2, 6, 25),
    (("hygiene-kits",), 0.2, 2, 10, 8),
    (("diapers",), 0.2, 2, 8, 8),
    (("food",), 0.25, 5, 30, 5),
    (("newspaper",), 0.15, 50, 200, 10),
    (("carrying",), 0.45, 3, 10, 15),
]


@dataclass
class DemoResult:
    collective: Collective
    created: bool
    members: int
    needs: int
    offers: int


def do_load_demo(*, seed: int = 2026, households: int = 220,
                 volunteers: int = 110) -> DemoResult:
    existing = Collective.objects.filter(slug=SLUG).first()
    if existing:
        return _result(existing, created=False)
    with transaction.atomic():
        collective = _build(random.Random(seed), households, volunteers)
    return _result(collective, created=True)


def _result(collective, *, created):
    return DemoResult(collective, created, collective.members.count(),
                      collective.needs.count(), collective.offers.count())


def _build(rng, households, volunteers):
    collective = Collective.objects.create(name=NAME, slug=SLUG)
    areas = [Area(collective=collective, name=n, lat=lat, lon=lon) for n, lat, lon in neighbourhoods()]
    for area in areas:
        area.save()
    resources = do_seed_catalogue(collective)
    password = make_password(PASSWORD)  # hashed once, shared by every demo account
    ana = _member(collective, "ana", "Ana (coordinadora)", password, areas[0], "es", Role.COORDINATOR)
    marcus = _member(collective, "marcus", "Marcus (coordinator)", password, areas[4], "en",
                     Role.COORDINATOR)
    _second_factors([ana, marcus], rng)
    luz = _member(collective, "luz", "Luz", password, areas[0], "es", vouched_by=ana)
    vero = _member(collective, "vero", "Vero", password, areas[2], "es", vouched_by=ana)
    today = timezone.localdate()
    _pantries(collective, areas, resources["food"], password, ana, rng, today)
    people = [luz] + [
        _member(collective, f"hogar-{i:03d}", _pseudonym(rng), password, rng.choice(areas),
                rng.choice(["es", "es", "en"]), vouched_by=ana)
        for i in range(1, households)
    ]
    _needs(collective, people, resources, rng, today)
    givers = [vero] + [
        _member(collective, f"voluntario-{i:03d}", _pseudonym(rng), password, rng.choice(areas),
                rng.choice(["es", "en"]), vouched_by=ana)
        for i in range(1, volunteers)
    ]
    _offers(collective, givers, resources, rng, today)
    load_demo_proposals(collective, rng)
    load_demo_organizing(collective, rng)
    return collective


def _member(collective, username, display_name, password, area, language, role=Role.MEMBER,
            vouched_by=None, is_organisation=False):
    return Member.objects.create(
        username=username, display_name=display_name, password=password, collective=collective,
        area=area, language=language, role=role, vouched_by=vouched_by,
        is_organisation=is_organisation,
    )


def _second_factors(coordinators, rng):
    """Coordinators use two factors; the demo's codes come from `sinfronteras democode`."""
    from django_otp.plugins.otp_totp.models import TOTPDevice

    for member in coordinators:
        TOTPDevice.objects.create(user=member, name="authenticator", confirmed=True,
                                  key="".join(rng.choice("0123456789abcdef") for _ in range(40)))


def _pseudonym(rng):
    return f"{rng.choice(FIRST_NAMES)} {rng.choice('ABCDEFGHIJKLMNOPRSTVZ')}."


def _nearest(areas, lat, lon):
    return min(areas, key=lambda area: km_between(area.lat, area.lon, lat, lon))


def _pantries(collective, areas, food, password, vouched_by, rng, today):
    """Each real pantry becomes a member (an organisation) offering food near its area."""
    offers = []
    for index, pantry in enumerate(food_pantries()):
        area = _nearest(areas, pantry["lat"], pantry["lon"])
        slug = slugify(pantry["name"])[:30] or "pantry"
        member = _member(collective, f"p{index:03d}-{slug}", pantry["name"][:60], password, area,
                         "en", vouched_by=vouched_by, is_organisation=True)
        offers.append((member, area, Decimal(rng.randrange(40, 400, 10)),
                       Decimal(rng.choice([3, 5, 5, 8, 10])), pantry))
    created = Offer.objects.bulk_create([
        Offer(collective=collective, posted_by=m, area=a, quantity=q, radius_km=r,
              available_until=today + timedelta(days=30), public_place=public_place(pantry))
        for m, a, q, r, pantry in offers
    ])
    Offer.resources.through.objects.bulk_create([
        Offer.resources.through(offer_id=o.pk, resource_id=food.pk) for o in created
    ])
    Slot.objects.bulk_create([Slot(offer_id=o.pk, weekday=w, start=a, end=b)
                              for o, row in zip(created, offers) for w, a, b in opening_slots(row[4])])


def public_place(pantry) -> str:
    """A pantry's public place: its name, city and zip (the data has no street)."""
    return f"{pantry['name']}, {pantry.get('city') or ''} {pantry.get('zip') or ''}".strip(" ,")[:200]


def opening_slots(pantry) -> list[tuple[int, time, time]]:
    """A pantry's opening hours as weekly slots.

    The demo reads a monthly opening ("Sat3rd") as that weekday every week, and an
    opening without a closing time as two hours: a demo, not a schedule.
    """
    slots = set()
    for hours in pantry.get("hours") or []:
        weekday = WEEKDAYS.get(str(hours.get("day", ""))[:3])
        opens = _hhmm(hours.get("open"))
        if weekday is None or opens is None:
            continue
        closes = _hhmm(hours.get("close")) or time(min(opens.hour + 2, 23), opens.minute)
        if closes > opens:
            slots.add((weekday, opens, closes))
    return sorted(slots)


WEEKDAYS = {"Mon": 0, "Tue": 1, "Wed": 2, "Thu": 3, "Fri": 4, "Sat": 5, "Sun": 6}


def _hhmm(text) -> time | None:
    text = str(text or "")
    if len(text) != 4 or not text.isdigit() or int(text[:2]) > 23 or int(text[2:]) > 59:
        return None
    return time(int(text[:2]), int(text[2:]))


def _whole(quantity: int, resource) -> Decimal:
    """A whole number of the resource's steps (the mixes above are whole numbers; this keeps
    them so if a starter step changes)."""
    return whole(Decimal(quantity), resource.step, up=True)


def _needs(collective, people, resources, rng, today):
    rows = []
    for person in people:
        for key, (share, low, high, urgent_share) in NEED_MIX.items():
            if rng.random() < share:
                rows.append(Need(
                    collective=collective, posted_by=person, resource=resources[key],
                    quantity=_whole(rng.randint(low, high), resources[key]), area=person.area,
                    urgent=rng.random() < urgent_share,
                    needed_by=today + timedelta(days=rng.randint(1, 14)),
                ))
    Need.objects.bulk_create(rows)


#: Offers of time come back every week ("3 hours on Saturdays").
WEEKLY = {"carrying", "childcare", "legal-help", "rides"}


def _offers(collective, givers, resources, rng, today):
    rows, links = [], []
    for giver in givers:
        for keys, share, low, high, radius in OFFER_MIX:
            if rng.random() < share:
                rows.append(Offer(
                    collective=collective, posted_by=giver, area=giver.area,
                    quantity=_whole(rng.randint(low, high), resources[keys[0]]),
                    weekly=set(keys) <= WEEKLY,
                    radius_km=Decimal(radius), available_until=today + timedelta(days=21),
                ))
                links.append(keys)
    created = Offer.objects.bulk_create(rows)
    Offer.resources.through.objects.bulk_create([
        Offer.resources.through(offer_id=offer.pk, resource_id=resources[key].pk)
        for offer, keys in zip(created, links) for key in keys
    ])
