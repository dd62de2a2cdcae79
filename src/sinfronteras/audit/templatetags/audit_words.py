"""An audit event in the reader's words: ``{{ event.action|event_label }}`` and
``{% for key, value in event.data|event_details %}`` (see ``audit.labels``).

The words live beside the page, not on the model: ``audit.models`` (which every app writes
to) then names no other app.
"""

from django import template

from ..labels import details, label

register = template.Library()


@register.filter
def event_label(action: str) -> str:
    """What happened, in words of the page's language."""
    return label(action)


@register.filter
def event_details(data: dict) -> list[tuple[str, str]]:
    """The event's data in words of the page's language: no machine keys."""
    return details(data)
