"""The Spanish catalogues agree: the site's own catalogue (``LOCALE_PATHS``) wins over an
app's, so a word it translates differently silently changes that app's pages."""

import re
from pathlib import Path

import pytest

SRC = Path(__file__).resolve().parents[2] / "src" / "sinfronteras"
SITE = SRC / "locale" / "es" / "LC_MESSAGES" / "django.po"


def entries(path: Path) -> dict[tuple[str | None, str], str]:
    """``(context, msgid) -> msgstr`` of a catalogue (plural forms by their first)."""
    found = {}
    for entry in re.split(r"\n\n+", path.read_text(encoding="utf-8")):
        context = re.search(r'^msgctxt "(.*)"', entry, re.M)
        parts = re.search(r'^msgid ((?:".*"\n?)+)(?:msgid_plural (?:".*"\n?)+)?msgstr(?:\[0\])? ((?:".*"\n?)+)',
                          entry + "\n", re.M)
        if parts:
            msgid = "".join(re.findall(r'"(.*)"', parts.group(1)))
            if msgid:
                found[context.group(1) if context else None, msgid] = "".join(
                    re.findall(r'"(.*)"', parts.group(2)))
    return found


def test_the_site_catalogue_names_each_message_once():
    text = SITE.read_text(encoding="utf-8")
    keys = re.findall(r'(?:^msgctxt "(.*)"\n)?^msgid "(.+)"$', text, re.M)
    assert len(keys) == len(set(keys)), sorted({k for k in keys if keys.count(k) > 1})


@pytest.mark.parametrize("app", sorted(p.parents[3].name for p in SRC.glob("*/locale/es/LC_MESSAGES/django.po")))
def test_no_app_word_is_translated_otherwise_by_the_site_catalogue(app):
    site = entries(SITE)
    own = entries(SRC / app / "locale" / "es" / "LC_MESSAGES" / "django.po")
    assert own, app
    differ = {key: (text, site[key]) for key, text in own.items() if key in site and site[key] != text}
    assert differ == {}, f"give one of them a context (pgettext): {differ}"
