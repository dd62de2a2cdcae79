"""Plan documents as JSON text, byte for byte what ``json.dumps(doc, indent=1, ensure_ascii=False)`` writes, faster.

The standard module writes indented JSON with its pure-Python encoder (its C
encoder only writes unindented text): about 0.7 s for a plan of 800,000 arcs.
Here the allocations and needs, which are most of a plan, are written from
templates: strings escaped in bulk by orjson (an encoded list of strings is
split at ``","``, which cannot occur inside an encoded string: a quote there is
always escaped), numbers by ``float.__repr__`` and ``int.__repr__`` exactly as
the standard module does. orjson does not write the numbers: it writes floats
in shortest round-trip form but with other exponents (``1e-6`` where Python
writes ``1e-06``). Everything else (the summary) goes through :func:`dumps`,
a small recursive writer with the standard module's rules.

Examples
--------
>>> import json
>>> doc = {"a": [1, 2.5, {"b": None, "c": True, "d": "ñ\\n\\"x\\""}], "e": {}, "f": [], "g": 3e-06}
>>> dumps(doc) == json.dumps(doc, indent=1, ensure_ascii=False, allow_nan=False)
True
>>> encode_strings(["o1", 'a"b\\\\', "ñ\\t"]) == [json.dumps(s, ensure_ascii=False) for s in ["o1", 'a"b\\\\', "ñ\\t"]]
True
"""

from __future__ import annotations

import json.encoder
import math

import orjson

_encode = json.encoder.encode_basestring  # the standard module's own (C) escaping, ensure_ascii=False
_float = float.__repr__
_int = int.__repr__


def encode_strings(strings: list[str]) -> list[str]:
    """Each string as a JSON string literal, as the standard module writes it (``ensure_ascii=False``)."""
    if not strings:
        return []
    try:
        text = orjson.dumps(strings).decode("utf-8")
    except (TypeError, orjson.JSONEncodeError):  # a lone surrogate: orjson refuses, json writes it
        return [_encode(s) for s in strings]
    parts = text[2:-2].split('","')
    return ['"' + p + '"' for p in parts]


def number(x) -> str:
    """A number as the standard module writes it (``allow_nan=False``)."""
    if isinstance(x, bool):
        return "true" if x else "false"
    if isinstance(x, int):
        return _int(x)
    if not math.isfinite(x):
        raise ValueError(f"Out of range float values are not JSON compliant: {x!r}")
    return _float(x)


def floats(values: list[float]) -> list[str]:
    """Finite floats as the standard module writes them."""
    if not all(map(math.isfinite, values)):
        bad = next(v for v in values if not math.isfinite(v))
        raise ValueError(f"Out of range float values are not JSON compliant: {bad!r}")
    return list(map(_float, values))


def _key(k) -> str:
    if isinstance(k, str):
        return _encode(k)
    if k is None:
        return '"null"'
    if isinstance(k, (bool, int, float)):
        return '"' + number(k) + '"'
    raise TypeError(f"keys must be str, int, float, bool or None, not {type(k).__name__}")


def dumps(value, depth: int = 0) -> str:
    """``value`` as ``json.dumps(value, indent=1, ensure_ascii=False, allow_nan=False)`` writes it, from ``depth``."""
    if isinstance(value, str):
        return _encode(value)
    if value is None:
        return "null"
    if isinstance(value, (bool, int, float)):
        return number(value)
    inner = "\n" + " " * (depth + 1)
    if isinstance(value, dict):
        if not value:
            return "{}"
        items = (_key(k) + ": " + dumps(v, depth + 1) for k, v in value.items())
        return "{" + inner + ("," + inner).join(items) + "\n" + " " * depth + "}"
    if isinstance(value, (list, tuple)):
        if not value:
            return "[]"
        return "[" + inner + ("," + inner).join(dumps(v, depth + 1) for v in value) + "\n" + " " * depth + "]"
    raise TypeError(f"Object of type {type(value).__name__} is not JSON serializable")
