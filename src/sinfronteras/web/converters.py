"""``<id:pk>`` in URL patterns: a record's id, bounded before it reaches the database.

Django's ``<int:pk>`` takes any run of digits, and a 26-digit id overflows SQLite's
integer (a server error). An id here is 1 to 10 ASCII digits up to ``MAX_ID``; anything
else does not match the pattern, so the address is a plain "not found".
"""

from __future__ import annotations

from sinfronteras.sharing.bounds import MAX_ID


class IdConverter:
    regex = "[0-9]{1,10}"

    def to_python(self, value: str) -> int:
        number = int(value)
        if not 1 <= number <= MAX_ID:
            raise ValueError("not an id")  # the pattern does not match: a 404
        return number

    def to_url(self, value) -> str:
        return str(int(value))
