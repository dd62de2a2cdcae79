"""Numbers as people type them: the one parser for forms, queries and SMS.

"1,5" on a Spanish page and "1.5" on an English one are both one and a half; so is
"1.5" on a Spanish page and "1,5" on an English one (a phone's keyboard, a habit).
The reader's own decimal mark is always decimal: "1,500" is 1.5 in Spanish and
"1.500" is 1.5 in English. Only the other mark followed by exactly three digits is
ambiguous ("1.500" in Spanish is one thousand five hundred, to an English reader
one and a half): it is refused with a sentence that names both readings, never
read ten times (or a thousand times) too big. Both marks ("1.283,5", "1,283.5"), a
mark repeated ("1.000.000") or spaces ("12 500", as Spanish pages write it) group
thousands, in threes.

Anything else is refused: letters, exponents ("1e309"), "NaN", "Infinity",
superscript digits ("²"), more than :data:`MOST_DIGITS` digits. What comes back is
a finite :class:`~decimal.Decimal`; the caller checks its range.

>>> parse("1,5", "es"), parse("1.5", "en"), parse("1.5", "es"), parse("1,5", "en")
(Decimal('1.5'), Decimal('1.5'), Decimal('1.5'), Decimal('1.5'))
>>> parse("1.283,5", "es"), parse("12 500", "es"), parse("1,000,000", "en")
(Decimal('1283.5'), Decimal('12500'), Decimal('1000000'))
>>> parse("1.500", "es")
Traceback (most recent call last):
...
sinfronteras.numbers.NumberRefused: ambiguous
"""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation

from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import DecimalValidator, MaxValueValidator
from django.db import models
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext_lazy

from sinfronteras.web.formats import number as shown_number

#: Digits a typed number may have (a quantity has at most 12): more is not a number here.
MOST_DIGITS = 30
#: Characters of a typed number looked at, at most (spaces included).
MOST_CHARACTERS = 60
#: Spaces people and pages put between groups of three digits.
SPACES = "\u00a0\u202f\u2009\u2007 "
_ASCII_DIGITS = re.compile(r"^[0-9]+$")


class NumberRefused(ValueError):
    """A text that is not a number this site takes. ``code`` is one of ``invalid``,
    ``ambiguous``, ``too_long``; ``str()`` gives the code, :meth:`sentence` the words."""

    def __init__(self, code: str, text: str = "", language: str | None = None):
        super().__init__(code)
        self.code, self.text, self.language = code, text, language

    def sentence(self) -> str:
        """What to fix, in the active language (gettext), with the reader's decimal mark."""
        es = _spanish(self.language)
        if self.code == "ambiguous":
            whole, small = _readings(self.text)
            return _("“%(text)s” could mean %(whole)s or %(small)s: write %(whole)s, or "
                     "%(small)s.") % {"text": self.text, "whole": whole,
                                      "small": small.replace(".", "," if es else ".")}
        if self.code == "too_long":
            return _("Write a number with at most %(n)s digits.") % {"n": MOST_DIGITS}
        return _("Write a number with digits, for example 2 or %(example)s.") % {
            "example": "1,5" if es else "1.5"}


def _spanish(language: str | None) -> bool:
    return (language or get_language() or "en").startswith("es")


def is_digits(text) -> bool:
    """Whether ``text`` is one or more ASCII digits 0-9 (``"²".isdigit()`` is true; not here).

    >>> is_digits("12"), is_digits("²"), is_digits("١٢"), is_digits(""), is_digits(None)
    (True, False, False, False, False)
    """
    return isinstance(text, str) and bool(_ASCII_DIGITS.match(text))


def _readings(text: str) -> tuple[str, str]:
    """The two readings of an ambiguous "1.500": ("1500", "1.5")."""
    digits = text.replace(".", "").replace(",", "").lstrip("+-\u2212")
    sign = "-" if text.lstrip().startswith(("-", "\u2212")) else ""
    whole, small = digits, (digits[:-3] + "." + digits[-3:]).rstrip("0").rstrip(".")
    return sign + whole, sign + small


def _grouped(part: str, marks: str) -> str | None:
    """The digits of ``part`` when it is digits, or groups of three after one to three
    digits, separated by any of ``marks``; else None."""
    if _ASCII_DIGITS.match(part):
        return part
    if marks and re.match(r"^[0-9]{1,3}(?:[" + re.escape(marks) + r"][0-9]{3})+$", part):
        return re.sub("[" + re.escape(marks) + "]", "", part)
    return None


def parse(text, language: str | None = None) -> Decimal:
    """The number in ``text``, typed as a reader of ``language`` (default: the active one)
    types it; :class:`NumberRefused` when it is not one. See the module's rules."""
    if not isinstance(text, str):
        raise NumberRefused("invalid", "", language)
    raw = text.strip()
    if len(raw) > MOST_CHARACTERS:
        raise NumberRefused("too_long", "", language)
    body = raw
    for space in SPACES:
        body = body.replace(space, " ")
    sign = ""
    if body[:1] in ("-", "+", "\u2212"):
        sign, body = ("" if body[0] == "+" else "-"), body[1:].lstrip()
    if not body or not re.match(r"^[0-9., ]+$", body) or not re.search(r"[0-9]", body):
        raise NumberRefused("invalid", raw, language)
    other = "." if _spanish(language) else ","
    whole, fraction, groups = body, "", " "
    if "." in body and "," in body:  # the last mark is decimal, the other groups
        at = max(body.rfind("."), body.rfind(","))
        whole, fraction = body[:at], body[at + 1:]
        groups += "," if body[at] == "." else "."
    elif body.count(".") + body.count(",") > 1:  # one mark, repeated: it groups
        groups += "." if "." in body else ","
    elif "." in body or "," in body:  # one mark, once: decimal, unless ambiguous
        mark = "." if "." in body else ","
        whole, fraction = body.split(mark)
        if mark == other and len(fraction) == 3 and re.match(r"^[1-9][0-9]{0,2}$", whole):
            raise NumberRefused("ambiguous", raw, language)
    whole = _grouped(whole, groups) if whole else ("0" if fraction else None)
    if whole is None or (fraction and not _ASCII_DIGITS.match(fraction)):
        raise NumberRefused("invalid", raw, language)
    if len(whole.lstrip("0")) + len(fraction) > MOST_DIGITS:
        raise NumberRefused("too_long", raw, language)
    return Decimal(f"{sign}{whole}.{fraction}" if fraction else f"{sign}{whole}")


def finite(value) -> Decimal | None:
    """A Decimal of a machine value (a JSON number, a Decimal, an int), or None when it is
    not a finite number: NaN, infinities and floats that overflowed are not numbers here."""
    if isinstance(value, bool):
        return None
    try:
        number = value if isinstance(value, Decimal) else Decimal(str(value)) \
            if isinstance(value, (int, float)) else None
    except (InvalidOperation, ValueError):
        return None
    return number if number is not None and number.is_finite() else None


def for_input(value, places: int = 3, language: str | None = None) -> str:
    """A number for a form's text field, as the reader types it: no grouping, their
    decimal mark, no trailing zeros ("1,5" in Spanish, "1.5" in English, "1500").

    >>> for_input(Decimal("1500.000"), language="es"), for_input(Decimal("1.50"), language="es")
    ('1500', '1,5')
    >>> for_input(Decimal("1283.5"), language="en"), for_input(None, language="en")
    ('1283.5', '')
    """
    number = finite(value) if not isinstance(value, str) else None
    if number is None:
        return "" if value is None else str(value)
    try:
        number = number.quantize(Decimal(1).scaleb(-places))
    except InvalidOperation:
        pass
    text = f"{number.normalize():f}"
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return text.replace(".", ",") if _spanish(language) else text


# --- Form fields: amounts in text fields, typed the reader's way -------------------------

class AmountInput(forms.TextInput):
    """A text field for a number, with the phone's number keyboard (``inputmode``): a
    browser's number field refuses "1,5" or reads it as 15. What was typed is shown back
    as typed; a stored value in the reader's way ("1,5" on a Spanish page)."""

    def __init__(self, attrs=None, places: int = 3, mode: str = "decimal"):
        super().__init__({"inputmode": mode, "autocomplete": "off", **(attrs or {})})
        self.places = places

    def format_value(self, value):
        if value is None or value == "":
            return None
        if isinstance(value, str):
            return value
        return for_input(value, self.places)


def _shown(value):
    """A bound (a limit) as the reader writes it: "0,001" on a Spanish page."""
    return shown_number(value) if isinstance(value, (int, float, Decimal)) else value


class AmountField(forms.DecimalField):
    """A quantity, a reach, a coordinate: parsed by :func:`parse` in the page's language,
    finite, within the field's bounds; errors in the site's words. ``as_float`` gives a
    float (for a model's FloatField)."""

    widget = AmountInput
    default_error_messages = {
        "invalid": gettext_lazy("Write a number with digits, for example 2 or 1.5."),
        "max_digits": ngettext_lazy("Write at most %(max)s digit.",
                                    "Write at most %(max)s digits.", "max"),
        "max_decimal_places": ngettext_lazy("Write at most %(max)s decimal place.",
                                            "Write at most %(max)s decimal places.", "max"),
        "max_whole_digits": ngettext_lazy("Write at most %(max)s digit before the decimal mark.",
                                          "Write at most %(max)s digits before the decimal mark.",
                                          "max"),
    }

    def __init__(self, *args, as_float: bool = False, **kwargs):
        self.as_float = as_float
        kwargs.pop("step_size", None)
        super().__init__(*args, **kwargs)
        places = self.decimal_places if self.decimal_places is not None else 6
        self.widget.places = places

    def widget_attrs(self, widget):
        return forms.Field.widget_attrs(self, widget)  # no min, max or step: not a number input

    def to_python(self, value):
        if value in self.empty_values:
            return None
        if isinstance(value, str):
            try:
                number = parse(value)
            except NumberRefused as refused:
                raise self._refusal(refused) from None
        else:
            number = finite(value)
            if number is None:
                raise ValidationError(self.error_messages["invalid"], code="invalid")
        return float(number) if self.as_float else number

    def _refusal(self, refused: NumberRefused) -> ValidationError:
        if refused.code == "too_long" and self.max_digits:
            return ValidationError(self.error_messages["max_digits"], code="max_digits",
                                   params={"max": self.max_digits})
        if refused.code == "too_long":
            for validator in self.validators:
                if isinstance(validator, MaxValueValidator):
                    return ValidationError(validator.message, code="max_value",
                                           params={"limit_value": _shown(validator.limit_value)})
        if refused.code == "ambiguous":
            return ValidationError(refused.sentence(), code="ambiguous")
        custom = self.error_messages["invalid"] is not AmountField.default_error_messages["invalid"]
        return ValidationError(self.error_messages["invalid"] if custom else refused.sentence(),
                               code="invalid")

    def validate(self, value):
        forms.Field.validate(self, value)

    def run_validators(self, value):
        if value in self.empty_values:
            return
        checked = Decimal(str(value)) if isinstance(value, float) else value
        try:
            super().run_validators(checked)
        except ValidationError as error:
            for item in error.error_list:
                if item.params and "limit_value" in item.params:
                    item.params = {**item.params, "limit_value": _shown(item.params["limit_value"])}
            raise


class WholeField(AmountField):
    """A count (copies, people, hours, a percentage): a whole number, typed the reader's way."""

    default_error_messages = {"whole": gettext_lazy("Write a whole number, for example 3.")}

    def __init__(self, *args, max_digits=None, decimal_places=None, **kwargs):
        kwargs.setdefault("widget", AmountInput(mode="numeric", places=0))
        super().__init__(*args, max_digits=None, decimal_places=None, **kwargs)
        self.widget.places = 0
        self.validators = [v for v in self.validators if not isinstance(v, DecimalValidator)]

    def to_python(self, value):
        number = super().to_python(value)
        if number is None:
            return None
        if number != number.to_integral_value():
            raise ValidationError(self.error_messages["whole"], code="whole")
        return int(number)


def reader_numbers(db_field, **kwargs):
    """``Meta.formfield_callback`` of a ModelForm: its decimal, float and integer fields
    become :class:`AmountField` and :class:`WholeField` (fields with choices stay selects)."""
    if db_field.choices is None and "form_class" not in kwargs:
        if isinstance(db_field, models.DecimalField):
            kwargs["form_class"] = AmountField
        elif isinstance(db_field, models.FloatField):
            kwargs["form_class"] = AmountField
            kwargs.setdefault("as_float", True)
        elif isinstance(db_field, models.IntegerField) and not isinstance(db_field, models.AutoField):
            kwargs["form_class"] = WholeField
    return db_field.formfield(**kwargs)
