"""sinfronteras createcollective NAME --username U [--password P] [--area "Name:lat,lon"]...
[--catalogue starter|empty]"""

from __future__ import annotations

import getpass
import os
import re

from django.contrib.auth import password_validation
from django.core.exceptions import ValidationError
from django.core.management.base import CommandError
from django.db import transaction

from sinfronteras import cliconv
from sinfronteras.clicommand import Command as ConventionCommand
from sinfronteras.members.forms import username_validator
from sinfronteras.members.models import Area, Collective, Member
from sinfronteras.members.services import do_create_collective
from sinfronteras.sharing.services import do_seed_catalogue

AREA = re.compile(r"^(?P<name>[^:]+):\s*(?P<lat>-?\d+(\.\d+)?)\s*,\s*(?P<lon>-?\d+(\.\d+)?)$")


NAME_MAX = Collective._meta.get_field("name").max_length
AREA_NAME_MAX = Area._meta.get_field("name").max_length
DISPLAY_NAME_MAX = Member._meta.get_field("display_name").max_length


def fail(message: str) -> CommandError:
    return CommandError(message, returncode=2)


def parse_area(text: str) -> tuple[str, float, float]:
    match = AREA.match(text.strip())
    if not match:
        raise fail(f'--area {text!r}: write it as "Name:lat,lon", e.g. "Boyle Heights:34.03,-118.20".')
    lat, lon = float(match["lat"]), float(match["lon"])
    if not (-90 <= lat <= 90 and -180 <= lon <= 180):
        raise fail(f"--area {text!r}: latitude must be within -90..90 and longitude within -180..180.")
    name = match["name"].strip()
    if len(name) > AREA_NAME_MAX:
        raise fail(f"--area {text[:40]!r}...: an area's name has at most {AREA_NAME_MAX} characters.")
    return name, lat, lon


class Command(ConventionCommand):
    help = "Create a collective and its first coordinator."
    example = """\
SINFRONTERAS_PASSWORD=... sinfronteras createcollective "LA Unidos" --username ana \\
    --area "Boyle Heights:34.03,-118.20" --json"""

    def add_arguments(self, parser):
        parser.add_argument("name", help="The collective's name.")
        parser.add_argument("--username", required=True, help="The coordinator's login name.")
        parser.add_argument("--display-name", default="", help="What others see (a pseudonym is fine).")
        parser.add_argument("--password", help="Else $SINFRONTERAS_PASSWORD, else asked for.")
        parser.add_argument("--language", default="en", choices=["en", "es"])
        parser.add_argument("--area", action="append", default=[], metavar="NAME:LAT,LON",
                            help="A named area with coarse coordinates; repeat for more.")
        parser.add_argument("--catalogue", default="starter", choices=["starter", "empty"],
                            help="Start with food, diapers, hygiene kits, legal help, rides, "
                                 "childcare, newspaper copies and carrying (the default), or with "
                                 "nothing. Coordinators add more on the catalogue page.")
        cliconv.add_json(parser, "what was created")

    def handle(self, *args, name, username, display_name, password, language, area, catalogue,
               json=False, **options):
        name = name.strip()
        if not name:
            raise fail("The collective's name is empty: give it a name.")
        if len(name) > NAME_MAX:
            raise fail(f"The collective's name has {len(name)} characters: shorten it to {NAME_MAX}.")
        if len(display_name) > DISPLAY_NAME_MAX:
            raise fail(f"--display-name has at most {DISPLAY_NAME_MAX} characters: shorten it.")
        try:
            username_validator(username)
        except ValidationError:
            raise fail(f"--username {username!r}: use 3 to 40 letters, digits, - or _.") from None
        if Member.objects.filter(username__iexact=username).exists():
            raise fail(f"--username {username!r} is taken: choose another login name.")
        areas = [parse_area(text) for text in area]
        names = [area_name.casefold() for area_name, _lat, _lon in areas]
        if len(set(names)) < len(names):
            raise fail("--area: two areas have the same name; give each area once.")
        password = password or os.environ.get("SINFRONTERAS_PASSWORD") or self.ask_password()
        try:
            password_validation.validate_password(password)
        except ValidationError as exc:
            raise fail("The password is too weak: " + " ".join(exc.messages)) from None
        with transaction.atomic():
            collective, coordinator = do_create_collective(
                name, username=username, password=password, display_name=display_name,
                language=language,
            )
            for area_name, lat, lon in areas:
                Area.objects.create(collective=collective, name=area_name, lat=lat, lon=lon)
            if catalogue == "starter":
                do_seed_catalogue(collective, actor=coordinator)
        self.emit({"collective": collective.name, "slug": collective.slug, "coordinator": username},
                  f"Created {collective.name} ({collective.slug}) with coordinator {username}.", as_json=json)

    def ask_password(self) -> str:
        if not os.isatty(0):
            raise fail("No password: pass --password or set SINFRONTERAS_PASSWORD.")
        first = getpass.getpass("Password for the coordinator: ")
        if first != getpass.getpass("Again: "):
            raise fail("The two passwords differ.")
        return first
