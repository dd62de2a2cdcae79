"""JSON from outside (a webhook, the API) read with a depth limit.

Python's ``json`` recurses once per level: a body of 100,000 ``[`` raises
RecursionError, a server error, before any check could refuse it. Here the nesting
is counted first, without recursion, and a body nested deeper than ``MAX_DEPTH`` is
refused as a ``ValueError`` like any other body that is not JSON.

>>> loads('{"a": [1, {"b": "[[["}]}')
{'a': [1, {'b': '[[['}]}
>>> loads("[" * 100 + "]" * 100)
Traceback (most recent call last):
...
sinfronteras.bounded_json.TooDeep: nested deeper than 32 levels
"""

from __future__ import annotations

import json

#: Levels of nesting any body of this site needs, with room to spare (the API's need, with
#: its slots, is three deep).
MAX_DEPTH = 32


class TooDeep(ValueError):
    """A JSON body nested deeper than the limit: not read."""


def depth(text: str | bytes) -> int:
    """The deepest nesting of arrays and objects in ``text``, strings skipped."""
    if isinstance(text, bytes):
        text = text.decode("utf-8", errors="replace")
    deepest = level = 0
    in_string = escaped = False
    for char in text:
        if in_string:
            if escaped:
                escaped = False
            elif char == "\\":
                escaped = True
            elif char == '"':
                in_string = False
        elif char == '"':
            in_string = True
        elif char in "[{":
            level += 1
            deepest = max(deepest, level)
        elif char in "]}":
            level -= 1
    return deepest


def loads(text: str | bytes, max_depth: int = MAX_DEPTH):
    """``json.loads`` for bodies from outside: ``TooDeep`` (a ValueError) past ``max_depth``."""
    if depth(text) > max_depth:
        raise TooDeep(f"nested deeper than {max_depth} levels")
    return json.loads(text)
