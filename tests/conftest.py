"""The cast of every test: one collective in Los Angeles, and a neighbour collective.

- alice: coordinator of LA Unidos, in Boyle Heights
- bob: member of LA Unidos, in Echo Park
- carla: member of LA Unidos, in Boyle Heights
- dmitri: member of another collective (Oakland), who must never see LA's data
"""

from __future__ import annotations

import os
from decimal import Decimal
from pathlib import Path

import django.test
import pytest

PASSWORD = "correct horse battery staple"
REPO = Path(__file__).resolve().parent.parent


def current_code(member) -> str:
    """The code a coordinator's authenticator app shows now (real TOTP, real device)."""
    import time

    from django_otp.plugins.otp_totp.models import TOTPDevice

    from sinfronteras.members.second_factor import next_code

    device = TOTPDevice.objects.filter(user=member).latest("pk")
    # A code is good once: the next one the server accepts (waiting for the clock if needed).
    while (code := next_code(device)) is None:
        time.sleep(device.step - time.time() % device.step + 0.05)
    return code


def give_second_factor(member):
    from django_otp.plugins.otp_totp.models import TOTPDevice

    return TOTPDevice.objects.get_or_create(user=member, confirmed=True,
                                            defaults={"name": "authenticator"})[0]


class Client(django.test.Client):
    """Django's test client; ``force_login`` of a coordinator also verifies their second
    factor, as entering a code would (tests of the second factor itself log in for real)."""

    def force_login(self, user, backend=None):
        super().force_login(user, backend)
        if getattr(user, "is_coordinator", False):
            from django_otp import DEVICE_ID_SESSION_KEY

            session = self.session
            session[DEVICE_ID_SESSION_KEY] = give_second_factor(user).persistent_id
            session.save()


@pytest.fixture
def client():
    return Client()


@pytest.fixture(autouse=True)
def fresh_cache():
    """Rate-limit counters live in the cache: each test starts with none."""
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()


@pytest.fixture(autouse=True)
def site_language():
    """A page rendered in Spanish leaves Spanish active in the thread: each test starts, and
    ends, in the site's own language, whatever the test before it read."""
    from django.conf import settings
    from django.utils import translation

    translation.activate(settings.LANGUAGE_CODE)
    yield
    translation.activate(settings.LANGUAGE_CODE)


@pytest.fixture(scope="session")
def password_hash(django_db_setup, django_db_blocker):
    from django.contrib.auth.hashers import make_password

    return make_password(PASSWORD)  # Argon2, hashed once for the whole cast


@pytest.fixture
def la(db):
    from sinfronteras.members.models import Area, Collective
    from sinfronteras.sharing.models import Resource

    collective = Collective.objects.create(name="LA Unidos", slug="la-unidos")
    for name, lat, lon in [("Boyle Heights", 34.0297, -118.2117), ("Echo Park", 34.0782, -118.2606),
                           ("Koreatown", 34.0617, -118.3004)]:
        Area.objects.create(collective=collective, name=name, lat=lat, lon=lon)
    for key, en, es, unit, basic in [("food", "Food", "Comida", "kg", True),
                                     ("diapers", "Diapers", "Pañales", "packs", True),
                                     ("childcare", "Childcare", "Cuidado de niños", "hours", False),
                                     ("legal-help", "Legal help", "Ayuda legal", "hours", True)]:
        Resource.objects.create(collective=collective, key=key, name_en=en, name_es=es,
                                unit=unit, basic=basic)
    return collective


@pytest.fixture
def oakland(db):
    from sinfronteras.members.models import Area, Collective
    from sinfronteras.sharing.models import Resource

    collective = Collective.objects.create(name="Oakland Sin Fronteras", slug="oakland")
    Area.objects.create(collective=collective, name="Fruitvale", lat=37.7749, lon=-122.2241)
    Resource.objects.create(collective=collective, key="food", name_en="Food", name_es="Comida",
                            unit="kg", basic=True)
    return collective


def make_member(collective, username, area_name=None, *, password_hash, role="member", language="en"):
    from sinfronteras.members.models import Member

    area = collective.areas.get(name=area_name) if area_name else None
    return Member.objects.create(username=username, display_name=username.title(),
                                 password=password_hash, collective=collective, area=area,
                                 role=role, language=language)


@pytest.fixture
def alice(la, password_hash):
    return make_member(la, "alice", "Boyle Heights", password_hash=password_hash, role="coordinator")


@pytest.fixture
def bob(la, password_hash):
    return make_member(la, "bob", "Echo Park", password_hash=password_hash)


@pytest.fixture
def carla(la, password_hash):
    return make_member(la, "carla", "Boyle Heights", password_hash=password_hash)


@pytest.fixture
def dmitri(oakland, password_hash):
    return make_member(oakland, "dmitri", "Fruitvale", password_hash=password_hash)


@pytest.fixture
def need_of(la):
    """Make a need for a member: need_of(bob, "food", 5, urgent=True)."""
    from sinfronteras.sharing.models import Need

    def make(member, resource_key, quantity, **fields):
        return Need.objects.create(
            collective=member.collective, posted_by=member,
            resource=member.collective.resources.get(key=resource_key),
            quantity=Decimal(str(quantity)), area=fields.pop("area", member.area), **fields)

    return make


@pytest.fixture
def offer_of(la):
    from sinfronteras.sharing.models import Offer

    def make(member, resource_keys, quantity, **fields):
        offer = Offer.objects.create(
            collective=member.collective, posted_by=member, quantity=Decimal(str(quantity)),
            area=fields.pop("area", member.area), **fields)
        offer.resources.set(member.collective.resources.filter(key__in=resource_keys))
        return offer

    return make


def area(collective, name):
    return collective.areas.get(name=name)


def resource(collective, key):
    return collective.resources.get(key=key)
