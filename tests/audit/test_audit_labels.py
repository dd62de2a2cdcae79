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


def test_the_audit_page_shows_the_words_and_keeps_the_key_for_machines_only(client, la, bob):
    record(la, "alert.raised", actor=bob, data={"area": "Koreatown"})
    client.force_login(bob)
    page = client.get(reverse("audit")).content.decode()
    assert "deliveries in an area were paused by an alert" in page
    assert 'data-action="alert.raised"' in page and ">alert.raised<" not in page


def test_the_spanish_audit_page_shows_no_machine_keys_or_values(client, la, bob):
    record(la, "plan.done", actor=None, data={"run": 3, "tasks": 1283, "decisions": [1, 2]})
    record(la, "proposal.closed", actor=None, data={"proposal": 4, "passed": True, "voters": 12})
    bob.language = "es"
    bob.save(update_fields=["language"])
    client.force_login(bob)
    page = client.get(reverse("audit")).content.decode()
    text = page.split("<main>")[1].split("</main>")[0]
    visible = __import__("re").sub(r"<[^>]+>", " ", text)
    assert "se hizo un plan" in visible
    for machine in ["plan.done", "passed", "True", "tasks", "proposal.closed", "decisions"]:
        assert machine not in visible, machine
    assert "aprobada: sí" in visible and "tareas: 1283" in visible


DATA_KEYS = re.compile(r'data=\{([^}]*)\}', re.S)


def recorded_data_keys() -> set[str]:
    """Every key the code writes in an event's data (``data={"key": ...}``)."""
    found = set()
    for path in SRC.rglob("*.py"):
        for body in DATA_KEYS.findall(path.read_text()):
            found |= set(re.findall(r'"([a-z_]+)":', body))
    return found


def test_every_data_key_the_code_records_has_words_in_spanish():
    from sinfronteras.audit.labels import DATA_LABELS

    keys = recorded_data_keys()
    assert {"winners", "members", "setting", "needs"} <= keys  # the scan found the calls
    assert keys - set(DATA_LABELS) == set()
    with translation.override("es"):
        untranslated = {k for k in keys if str(DATA_LABELS[k]) == k.replace("_", " ")}
    assert untranslated == set()


def test_a_setting_a_kind_and_a_role_read_as_words_not_keys(client, la, bob):
    record(la, "settings.changed", decision_ref=3, data={"setting": "retention_days", "old": 7, "new": 14})
    record(la, "settings.changed", decision_ref=4, data={"setting": "basic:childcare", "old": False, "new": True})
    record(la, "proposal.created", actor=bob, data={"proposal": 5, "kind": "consent", "change": "min_voting_hours"})
    record(la, "role.changed", decision_ref=6, data={"member": "Carla", "old": "member", "new": "coordinator"})
    bob.language = "es"
    bob.save(update_fields=["language"])
    client.force_login(bob)
    text = client.get(reverse("audit")).content.decode().split("<main>")[1].split("</main>")[0]
    for machine in ["retention_days", "basic:childcare", "min_voting_hours", ": consent;", "coordinator"]:
        assert machine not in text, machine
    assert "necesidad básica: childcare" in text and "después: coordinador(a)" in text
