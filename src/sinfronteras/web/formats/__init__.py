"""Amounts people can read, in the reader's language: the one place numbers are written.

``amount(Decimal("1.500"), "kg")`` is "1.5 kg" on an English page and "1,5 kg" on a
Spanish one; ``amount(2, resource)`` is "2 packs" / "2 paquetes", never "2.000"; one
of a unit is singular ("1 hour", "1 hora"). Thousands are grouped with a comma in
English and a (non-breaking) space in Spanish from five digits (RAE), so "1.283" is
never read as a thousand. Fractions from a tally ("679/2") are accepted and written
as decimals.

The subpackages ``en`` and ``es`` are Django format modules (``FORMAT_MODULE_PATH``):
one date format per language, ISO first among the input formats, so that
``<input type=date>`` always holds ``2026-12-05``.
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from fractions import Fraction

from django.utils.translation import get_language
from django.utils.translation import ngettext

NBSP = "\u00a0"

_ENGLISH_SINGULAR = {"people": "person", "hours": "hour", "copies": "copy", "children": "child"}
_SPANISH_SINGULAR = {"personas": "persona", "horas": "hora", "ejemplares": "ejemplar"}


def spanish(language: str | None = None) -> bool:
    return (language or get_language() or "en").startswith("es")


def to_decimal(value) -> Decimal | None:
    """A Decimal of an int, float, Decimal, Fraction or a string such as "1.5" or "29/3"."""
    if value is None or value == "":
        return None
    if isinstance(value, Decimal):
        return value
    if isinstance(value, Fraction):
        return Decimal(value.numerator) / Decimal(value.denominator)
    if isinstance(value, float):
        return Decimal(repr(value))
    if isinstance(value, str) and "/" in value:
        try:
            return to_decimal(Fraction(value.strip()))
        except (ValueError, ZeroDivisionError):
            return None
    try:
        return Decimal(str(value).strip())
    except InvalidOperation:
        return None


def rounded(value, places: int = 3) -> Decimal | None:
    """The value to ``places`` decimals, without trailing zeros (2.000 -> 2, 1.50 -> 1.5).

    >>> rounded("1e309") == Decimal("1e309"), rounded("-1e309") < 0, rounded("9" * 40) > 0
    (True, True, True)
    """
    number = to_decimal(value)
    if number is None or not number.is_finite():
        return number
    try:
        number = number.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)
    except InvalidOperation:  # more digits than a quantity can hold (1e309): shown whole
        return number
    number = number.normalize()
    return number.quantize(Decimal(1)) if number == number.to_integral_value() else number


def plain(value, places: int = 3) -> str:
    """The value for a form field or a machine: "2", "1.5"; no grouping, a point.

    >>> plain(Decimal("2.000")), plain(Decimal("0.250")), plain(None)
    ('2', '0.25', '')
    """
    number = rounded(value, places)
    return "" if number is None else f"{number:f}"


def number(value, places: int = 3, language: str | None = None) -> str:
    """The value as the reader writes it.

    >>> number(Decimal("1283.500"), language="en"), number(Decimal("1.5"), language="es")
    ('1,283.5', '1,5')
    >>> number(12500, language="es") == "12" + NBSP + "500", number(2640, language="es")
    (True, '2640')
    """
    number_ = rounded(value, places)
    if number_ is None:
        return ""
    if not number_.is_finite():
        return str(number_)
    sign, text = ("-", f"{-number_:f}") if number_ < 0 else ("", f"{number_:f}")
    whole, _, decimals = text.partition(".")
    es = spanish(language)
    if len(whole) > (4 if es else 3):
        groups = []
        while whole:
            groups.insert(0, whole[-3:])
            whole = whole[:-3]
        whole = (NBSP if es else ",").join(groups)
    mark = "," if es else "."
    return sign + whole + (mark + decimals if decimals else "")


def singular(word: str, language: str | None = None) -> str:
    """The singular of a unit's word, for an amount of exactly one.

    >>> singular("packs", "en"), singular("hours", "en"), singular("kg", "en")
    ('pack', 'hour', 'kg')
    >>> singular("paquetes", "es"), singular("ejemplares", "es"), singular("viajes", "es")
    ('paquete', 'ejemplar', 'viaje')
    """
    lower = word.lower()
    if len(word) <= 2 or not lower.endswith("s") or lower.endswith("ss"):
        return word
    if spanish(language):
        if lower in _SPANISH_SINGULAR:
            return _SPANISH_SINGULAR[lower]
        if lower.endswith(("ciones", "siones")):
            return word[:-5] + "ón"
        if lower.endswith("es") and len(word) > 4 and lower[-3] in "rlnd":
            return word[:-2]
        return word[:-1]
    if lower in _ENGLISH_SINGULAR:
        return _ENGLISH_SINGULAR[lower]
    if lower.endswith("ies") and len(word) > 4:
        return word[:-3] + "y"
    if lower.endswith(("xes", "ches", "shes", "sses")):
        return word[:-2]
    return word[:-1]


def unit_of(unit, language: str | None = None) -> str:
    """The unit's word in the reader's language: a Resource (unit, unit_es) or a word."""
    if unit is None:
        return ""
    if hasattr(unit, "unit"):
        es = spanish(language)
        return (unit.unit_es or unit.unit) if es else unit.unit
    return str(unit)


def amount(value, unit=None, places: int = 3, language: str | None = None) -> str:
    """An amount with its unit: "1,5 kg", "2 packs", "1 pack", "1 hora".

    >>> amount(Decimal("2.000"), "packs", language="en"), amount(1, "horas", language="es")
    ('2 packs', '1 hora')
    >>> amount("679/2", language="en")
    '339.5'
    """
    text = number(value, places, language)
    word = unit_of(unit, language)
    if not text or not word:
        return text
    if rounded(value, places) == 1:
        word = singular(word, language)
    return f"{text} {word}"


def percent(fraction, language: str | None = None) -> str:
    """A share as a whole percentage, "93%", as the site's tables write it in both languages.

    >>> percent(0.925, "en"), percent(1, "es")
    ('93%', '100%')
    """
    value = to_decimal(fraction)
    if value is None:
        return ""
    return number(value * 100, 0, language) + "%"


def hours(value) -> str:
    """Hours of someone's time: "1 hour", "2.5 hours", "1 hora", "2,5 horas"."""
    number_ = rounded(value, 2)
    count = 1 if number_ == 1 else 2
    return ngettext("%(n)s hour", "%(n)s hours", count) % {"n": number(value, 2)}


def whole(value) -> int:
    """The smallest whole number at least ``value`` (a count of people: "679/2 needed" is 340)."""
    number_ = to_decimal(value)
    return int(number_.to_integral_value(rounding="ROUND_CEILING")) if number_ is not None else 0
