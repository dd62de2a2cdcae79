"""``{{ task|when }}``: a task's window in the reader's language."""

from django import template

from sinfronteras.plans.handover import window_text

register = template.Library()


@register.filter
def when(task) -> str:
    return window_text(task)
