"""Print the schema of the configured database as JSON: ``python -m old_migrations.schema``.

Every table with its columns (type, size, nullability, default, collation) and its
constraints and indexes as Django's introspection reads them; on SQLite also each table's and
index's own SQL, on PostgreSQL each constraint's and index's definition. Column order is left
out (an ``AlterField`` on SQLite moves the column to the end of a rebuilt table; PostgreSQL
keeps it in place), and so are the names SQLite makes up from a column's position (unnamed
checks, foreign keys).
"""

from __future__ import annotations

import json
import os
import re

import django
from django.db import connection

#: Names SQLite's introspection makes up from a position in the table: a column's inline
#: CHECK, a foreign key (the order of the columns is not compared).
UNNAMED = re.compile(r"^(__unnamed_constraint_\d+__|fk_\d+)$")


def _items(body: str) -> list[str]:
    """The top-level comma-separated items of a CREATE TABLE's parenthesised body."""
    items, depth, current = [], 0, []
    for char in body:
        if char == "," and depth == 0:
            items.append("".join(current).strip())
            current = []
            continue
        depth += (char == "(") - (char == ")")
        current.append(char)
    items.append("".join(current).strip())
    return sorted(items)


def _sqlite_sql(cursor) -> dict[str, list]:
    cursor.execute("SELECT type, name, sql FROM sqlite_master WHERE name NOT LIKE 'sqlite_%'")
    out = {}
    for kind, name, sql in cursor.fetchall():
        if kind == "table" and sql:
            head, _, body = sql.partition("(")
            out[f"{kind} {name}"] = [head.strip(), _items(body.rstrip()[:-1])]
        else:
            out[f"{kind} {name}"] = [sql]
    return out


def _postgresql_definitions(cursor) -> dict[str, str]:
    cursor.execute("""
        SELECT cl.relname || ' ' || c.conname, pg_get_constraintdef(c.oid)
        FROM pg_constraint c JOIN pg_class cl ON cl.oid = c.conrelid
        JOIN pg_namespace n ON n.oid = cl.relnamespace WHERE n.nspname = 'public'
        UNION ALL
        SELECT tablename || ' ' || indexname, indexdef FROM pg_indexes
        WHERE schemaname = 'public'""")
    return dict(cursor.fetchall())


def describe(connection) -> dict:
    """The schema of ``connection``'s database, in JSON-ready data (see the module's text)."""
    introspection = connection.introspection
    schema: dict = {"tables": {}}
    with connection.cursor() as cursor:
        for table in sorted(t.name for t in introspection.get_table_list(cursor) if t.type == "t"):
            columns = {column.name: [str(column.type_code), column.internal_size, column.precision,
                                     column.scale, column.null_ok, column.default, column.collation]
                       for column in introspection.get_table_description(cursor, table)}
            constraints = sorted(
                json.dumps(["" if UNNAMED.match(name) else name,
                            {key: value for key, value in sorted(detail.items())}], default=str)
                for name, detail in introspection.get_constraints(cursor, table).items())
            schema["tables"][table] = {"columns": columns, "constraints": constraints}
        if connection.vendor == "sqlite":
            schema["sqlite_master"] = _sqlite_sql(cursor)
        elif connection.vendor == "postgresql":
            schema["definitions"] = _postgresql_definitions(cursor)
    return schema


if __name__ == "__main__":
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "sinfronteras.web.settings")
    django.setup()

    print(json.dumps(describe(connection), sort_keys=True))
