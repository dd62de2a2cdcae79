"""Rows of the CSV files the economy commands read: each bad cell named by file, row and column."""

from __future__ import annotations

import csv
from pathlib import Path

import numpy as np

from .errors import TableError


def csv_rows(path: str, columns: tuple[str, ...]) -> list[tuple[int, dict]]:
    try:
        text = Path(path).read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as exc:
        raise TableError(path, f"cannot read: {getattr(exc, 'strerror', None) or exc}") from None
    reader = csv.DictReader(text.splitlines())
    missing = [c for c in columns if c not in (reader.fieldnames or [])]
    if missing:
        raise TableError(f"{path} header", f"missing column(s) {', '.join(missing)}: expected "
                                           f"{','.join(columns)}")
    return [(n, row) for n, row in enumerate(reader, start=2)]


def number(path, line, column, text, *, integer=False):
    try:
        value = int(text) if integer else float(text)
    except (TypeError, ValueError):
        raise TableError(f"{path} row {line}, column {column}", f"{text!r} is not a number") from None
    if not np.isfinite(value):
        raise TableError(f"{path} row {line}, column {column}", f"{text!r} is not a finite number")
    return value
