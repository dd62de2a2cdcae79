"""Planning settings change only through recorded decisions."""

import pytest
from django.core.exceptions import ValidationError

from sinfronteras.audit.models import Event
from sinfronteras.members.services import decisions_in_force, do_change_setting


def test_a_decision_changes_a_setting_and_the_audit_log_says_which(la):
    do_change_setting(la, "retention_days", 3, decision_ref=12)
    la.refresh_from_db()
    event = Event.objects.get()
    assert la.retention_days == 3 and event.actor is None and event.decision_ref == 12
    assert event.data == {"setting": "retention_days", "old": 7, "new": 3}


def test_a_decision_makes_a_resource_basic(la):
    childcare = la.resources.get(key="childcare")
    do_change_setting(la, "basic", True, decision_ref=4, resource=childcare)
    childcare.refresh_from_db()
    assert childcare.basic


def test_the_plan_follows_the_latest_decision_for_each_setting(la):
    do_change_setting(la, "retention_days", 3, decision_ref=12)
    do_change_setting(la, "default_radius_km", 5, decision_ref=13)
    do_change_setting(la, "retention_days", 10, decision_ref=15)
    assert decisions_in_force(la) == [13, 15]


def test_a_bad_value_changes_nothing(la):
    with pytest.raises(ValidationError):
        do_change_setting(la, "retention_days", 0, decision_ref=1)
    la.refresh_from_db()
    assert la.retention_days == 7 and not Event.objects.exists()


def test_an_unknown_setting_is_refused(la):
    with pytest.raises(ValueError, match="not a planning setting"):
        do_change_setting(la, "nationality_rules", 1, decision_ref=1)


def test_a_budget_whose_projects_wait_as_open_needs_shapes_the_plan(la, bob, need_of):
    from sinfronteras.audit.models import record

    waiting, done = need_of(bob, "childcare", 10), need_of(bob, "childcare", 4)
    record(la, "budget.applied", decision_ref=21, data={"needs": [waiting.pk]})
    record(la, "budget.applied", decision_ref=22, data={"needs": [done.pk]})
    done.status = "fulfilled"
    done.save()
    assert decisions_in_force(la) == [21]
