"""``{{ task|when }}``: a task's window in the reader's language."""

from django import template

from sinfronteras.plans.handover import window_text
from sinfronteras.plans.status import reasons_for

register = template.Library()


@register.filter
def when(task) -> str:
    return window_text(task)



@register.simple_tag
def attach_plan_reasons(needs) -> str:
    """Give each need (a list or a queryset, evaluated once here) ``plan_reason``: why the
    last plan did not meet it in full, as *My tasks* says it. Three queries, whatever the
    number of needs."""
    reasons_for(needs)
    return ""
