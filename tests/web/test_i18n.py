"""Every page exists in English and Spanish."""

import re
from pathlib import Path

import polib
import pytest
from django.urls import reverse

PACKAGE = Path(__file__).resolve().parents[2] / "src" / "sinfronteras"
CATALOGUES = sorted(PACKAGE.rglob("locale/es/LC_MESSAGES/django.po"))
LITERAL = re.compile(r"""(?:\{% translate "([^"]+)" %\}|\b_\(\s*"([^"]+)"\s*[,)])""")


def source_strings():
    for path in [*PACKAGE.rglob("*.html"), *PACKAGE.rglob("*.py")]:
        if "planning" in path.parts or "choice" in path.parts or "migrations" in path.parts:
            continue
        for match in LITERAL.finditer(path.read_text(encoding="utf-8")):
            yield path.name, match.group(1) or match.group(2)


def test_the_spanish_catalogues_translate_every_string_without_fuzzy_entries():
    known = set()
    for path in CATALOGUES:
        catalogue = polib.pofile(str(path))
        assert catalogue.untranslated_entries() == [], path
        assert catalogue.fuzzy_entries() == [], path
        known |= {entry.msgid for entry in catalogue}
    missing = sorted({f"{name}: {text}" for name, text in source_strings() if text not in known})
    assert missing == [], "run makemessages -l es and translate these"


def test_the_source_scan_finds_strings():
    assert ("login.html", "Log in") in set(source_strings())


@pytest.mark.parametrize("name", ["home", "needs", "offers", "need_new", "offer_new", "invites"])
def test_every_page_reads_in_spanish(client, bob, name):
    bob.language = "es"
    bob.save()
    client.force_login(bob)
    response = client.get(reverse(name))
    page = response.content.decode()
    assert response.status_code == 200
    assert '<html lang="es">' in page and "Necesidades" in page and "Needs" not in page
