"""``{{ task|when }}``: a task's window in the reader's language; ``{{ task|route }}``: where."""

from django import template
from django.utils.translation import gettext as _

from sinfronteras.plans.handover import window_text
from sinfronteras.plans.status import reasons_for

register = template.Library()


@register.filter
def when(task) -> str:
    return window_text(task)


@register.filter
def route(task) -> str:
    """"Boyle Heights → Bell" for a carry between two areas; "Hand-over in Bell" for the
    rest: the planner carries only between areas (within one, or for what is given in
    person, the giver hands it over), so a route never reads "Bell → Bell"."""
    if task.kind == "carry" and task.offer.area_id != task.need.area_id:
        return f"{task.offer.area} → {task.need.area}"
    return _("Hand-over in %(a)s") % {"a": task.need.area}


@register.simple_tag
def attach_plan_reasons(needs) -> str:
    """Give each need (a list or a queryset, evaluated once here) ``plan_reason``: why the
    last plan did not meet it in full, as *My tasks* says it. Three queries, whatever the
    number of needs."""
    reasons_for(needs)
    return ""
