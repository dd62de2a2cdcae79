"""Template filters for amounts people can read (built into every template).

``{{ need.quantity|amount:need.resource }}`` -> "2 paquetes"; ``{{ x|number }}`` ->
"1,5"; ``{{ task.hours|hours }}`` -> "1 hora". See :mod:`sinfronteras.web.formats`.
"""

from __future__ import annotations

from django import template

from sinfronteras.web import formats

register = template.Library()


@register.filter
def amount(value, unit=None):
    return formats.amount(value, unit)


@register.filter
def number(value, places=3):
    return formats.number(value, int(places))


@register.filter
def hours(value):
    return formats.hours(value)


@register.filter
def percent(fraction):
    return formats.percent(fraction)


@register.filter
def plain(value):
    """A number for an input: "2" for 2.000; anything else (what a person typed) unchanged."""
    parsed = formats.to_decimal(value) if not isinstance(value, bool) else None
    return value if parsed is None or not parsed.is_finite() else formats.plain(parsed, 6)
