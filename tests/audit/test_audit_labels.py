"""The audit page says what happened in words, in the reader's language."""

import re
from pathlib import Path

from django.urls import reverse
from django.utils import translation

from sinfronteras.audit.labels import LABELS
from sinfronteras.audit.models import record

SRC = Path(__file__).resolve().parents[2] / "src" / "sinfronteras"
RECORDED = re.compile(r'record\(\s*[^,]+,\s*"([a-z_]+\.[a-z_]+)"')
POWERS = re.compile(r'_record_power\([^)]*"([a-z_]+\.[a-z_]+)"')
#: Actions whose key the code builds: "<model>.edited", "<kind>.added" / ".changed".
BUILT = {"need.edited", "offer.edited", "resource.added", "resource.changed", "area.added",
         "area.changed"}


def recorded_actions() -> set[str]:
    found = set()
    for path in SRC.rglob("*.py"):
        text = path.read_text()
        found |= set(RECORDED.findall(text)) | set(POWERS.findall(text))
    return found | BUILT


def test_every_action_the_code_records_has_words_in_both_languages():
    actions = recorded_actions()
    assert len(actions) > 20  # the scan found the calls
    assert actions - set(LABELS) == set()
    with translation.override("en"):
        english = {a: str(LABELS[a]) for a in actions}
    with translation.override("es"):
        untranslated = {a for a in actions if str(LABELS[a]) == english[a]}
    assert untranslated == set()


def test_the_audit_page_shows_the_words_and_the_key(client, la, bob):
    record(la, "alert.raised", actor=bob, data={"area": "Koreatown"})
    client.force_login(bob)
    page = client.get(reverse("audit")).content.decode()
    assert "deliveries in an area were paused by an alert" in page and "alert.raised" in page
