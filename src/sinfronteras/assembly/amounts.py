"""Numbers of a tally as people read them, in the page's language.

Counting keeps exact fractions (``"29/3"``); only the page rounds them: to at most
two decimals, with the language's decimal mark, without needless zeros, and with
the budget's unit. A local helper: the site's general amount formatter, when it
exists, can replace it.
"""

from __future__ import annotations

import math
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction

from django.utils import formats


def exact(value) -> Fraction | None:
    """A tally's number (int, ``"29/3"``, ``"1.5"``, float) as a fraction; None stays None."""
    if value is None or value == "":
        return None
    if isinstance(value, float):
        return Fraction(str(value))
    return Fraction(value)


def number(value, places: int = 2) -> str:
    """``"29/3"`` -> ``"9.67"`` (``"9,67"`` in Spanish); ``10`` -> ``"10"``; ``"3/2"`` -> ``"1.5"``."""
    x = exact(value)
    if x is None:
        return ""
    if x.denominator == 1:
        d = Decimal(x.numerator)
    else:
        d = (Decimal(x.numerator) / Decimal(x.denominator)).quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)
        d = d.quantize(Decimal(1)) if d == d.to_integral_value() else d.normalize()
    return formats.number_format(d, use_l10n=True)


def amount(value, unit: str = "") -> str:
    """A number with its unit: ``amount("29/3", "€")`` -> ``"9.67 €"``."""
    text = number(value)
    return f"{text}\u00a0{unit}" if text and unit else text


def votes_needed(needed) -> int:
    """How many ballots meet a quorum of ``needed`` (a share times the members): ``679/2`` -> 340."""
    return math.ceil(exact(needed) or 0)
