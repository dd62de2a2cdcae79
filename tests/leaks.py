"""Where a leak could hide: every database row and every log record, as text.

Shared by the privacy tests (client IP and user agent) and the address leak test.
"""

from __future__ import annotations

import io
import json
import logging
from contextlib import contextmanager

from django.contrib.sessions.models import Session
from django.db import connection


def dump_database() -> str:
    """Every row of every table (django-tasks' results included), as text; binary as
    bytes; and every session decoded."""
    parts = []
    with connection.cursor() as cursor:
        for table in connection.introspection.table_names():
            cursor.execute(f"SELECT * FROM {connection.ops.quote_name(table)}")
            for row in cursor.fetchall():
                parts.append(repr(tuple(bytes(v) if isinstance(v, memoryview) else v
                                        for v in row)))
    parts.extend(json.dumps(s.get_decoded()) for s in Session.objects.all())
    return "\n".join(parts)


class Everything(logging.Handler):
    """Keep each record whole: its message, its arguments, every extra attribute, and
    the request it names (headers and form data)."""

    def __init__(self):
        super().__init__(level=logging.DEBUG)
        self.seen = io.StringIO()

    def emit(self, record):
        self.seen.write(self.format(record) + "\n" + repr(record.__dict__) + "\n")
        request = getattr(record, "request", None)
        if request is not None and hasattr(request, "META"):
            self.seen.write(repr(request.META) + "\n")
            self.seen.write(repr(getattr(request, "POST", "")) + "\n")


@contextmanager
def capture_every_log():
    """Every record at DEBUG, from the root and from "django" (INFO by default)."""
    handler = Everything()
    root, django_logger = logging.getLogger(), logging.getLogger("django")
    old_levels = root.level, django_logger.level
    root.addHandler(handler)
    root.setLevel(logging.DEBUG)
    django_logger.setLevel(logging.DEBUG)
    try:
        yield handler.seen
    finally:
        root.removeHandler(handler)
        root.setLevel(old_levels[0])
        django_logger.setLevel(old_levels[1])
