"""Querysets compiled to SQL once and run many times with other values.

Building a Django queryset into SQL costs far more CPU than SQLite takes to answer it
(about 3 ms for *unread messages*' query, against 0.1 ms to run it). The queries that every
page runs (the menu's badges, the alerts banner) are compiled once per process and database
here, with stand-in values; each run only puts the real values in their places. The SQL is
Django's own, so its meaning cannot drift from the queryset's.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from datetime import timezone as dt_timezone
from typing import Callable

from django.db import connections
from django.db.models import prefetch_related_objects
from django.db.models.query import FlatValuesListIterable, get_related_populators

#: Stand-in values, two of each kind: a parameter that takes the first in one compilation
#: and the second in the other is the variable; one equal in both is a constant.
_STAND_INS = {
    "id": (-8_642_013_579, -8_642_013_580),
    "text": ("\x00stand-in one\x00", "\x00stand-in two\x00"),
    "datetime": (datetime(1901, 2, 3, 4, 5, 6, 789012, tzinfo=dt_timezone.utc),
                 datetime(1902, 3, 4, 5, 6, 7, 890123, tzinfo=dt_timezone.utc)),
}


def _stand_in(kind: str, which: int, place: int):
    """The stand-in of the variable at ``place``: its own, so two variables of one kind
    are told apart."""
    value = _STAND_INS[kind][which]
    if kind == "id":
        return value - 10 * place
    if kind == "text":
        return f"{value}{place}"
    return value + timedelta(seconds=place)


class PreparedQuery:
    """A queryset built by ``build(**values)``, compiled to SQL once per database.

    Parameters
    ----------
    build : callable
        Takes the variables by name and returns a queryset: a ``values_list`` one (read with
        ``rows``) or a plain one of model instances (read with ``objects``), not a related
        manager's.
    **kinds : str
        Each variable's kind: ``"id"`` (a whole number), ``"text"`` or ``"datetime"``
        (aware). A value is never None: Django writes ``IS NULL`` for it, other SQL.

    Raises
    ------
    ValueError
        At the first run, when the queryset holds a value that is neither a constant nor one
        of the variables (``timezone.now()`` read inside ``build``, say): pass it in instead.
    """

    def __init__(self, build: Callable, **kinds: str):
        self.build, self.kinds = build, kinds
        self._compiled: dict[str, tuple] = {}

    def _compile(self, alias: str):
        connection = connections[alias]
        adapt = {"id": lambda value: value, "text": lambda value: value,
                 "datetime": connection.ops.adapt_datetimefield_value}
        made = []
        for which in (0, 1):
            stand_ins = {name: _stand_in(kind, which, place)
                         for place, (name, kind) in enumerate(self.kinds.items())}
            queryset = self.build(**stand_ins)
            compiler = queryset.query.get_compiler(using=alias)
            sql, params = compiler.as_sql()
            made.append((queryset, compiler, sql, list(params),
                         {name: adapt[self.kinds[name]](value)
                          for name, value in stand_ins.items()}))
        (queryset, compiler, sql, first, ones), (_, _, sql_again, second, twos) = made
        if sql != sql_again or len(first) != len(second):
            raise ValueError("the query's SQL depends on its values: it cannot be prepared")
        slots = []
        for one, two in zip(first, second):
            names = [name for name in self.kinds if ones[name] == one and twos[name] == two]
            if names:
                slots.append((names[0], None))
            elif one == two:
                slots.append((None, one))
            else:
                raise ValueError(f"a value of the query changes between compilations ({one!r}, "
                                 f"{two!r}): pass it as a variable")
        flat = queryset._iterable_class is FlatValuesListIterable
        self._compiled[alias] = (sql, slots, compiler, adapt, flat, queryset)
        return self._compiled[alias]

    def _fetch(self, using: str, values: dict):
        sql, slots, compiler, adapt, flat, queryset = (self._compiled.get(using)
                                                       or self._compile(using))
        if None in values.values() or values.keys() != self.kinds.keys():
            raise ValueError(f"give each of {sorted(self.kinds)} a value (not None)")
        adapted = {name: adapt[self.kinds[name]](value) for name, value in values.items()}
        params = [adapted[name] if name is not None else constant for name, constant in slots]
        with connections[using].cursor() as cursor:
            cursor.execute(sql, params)
            fetched = cursor.fetchall()
        return fetched, compiler, flat, queryset

    def rows(self, using: str = "default", **values) -> list:
        """The rows of a ``values_list`` queryset for these values: tuples, or single values
        for ``flat=True``, converted as Django converts them (dates, decimals, booleans)."""
        fetched, compiler, flat, _queryset = self._fetch(using, values)
        if not fetched:
            return []
        converted = compiler.results_iter(results=[fetched], tuple_expected=True)
        return [row[0] for row in converted] if flat else list(converted)

    def objects(self, using: str = "default", **values) -> list:
        """The model instances of a plain queryset for these values, as Django makes them:
        its ``select_related`` objects, its annotations, and its ``prefetch_related``
        lookups (those run as Django runs them)."""
        fetched, compiler, _flat, queryset = self._fetch(using, values)
        if not fetched:
            return []
        select, klass_info = compiler.select, compiler.klass_info
        fields = klass_info["select_fields"]
        start, end = fields[0], fields[-1] + 1
        init_list = [column[0].target.attname for column in select[start:end]]
        populators = get_related_populators(klass_info, select, using)
        made = []
        for row in compiler.results_iter(results=[fetched]):
            obj = klass_info["model"].from_db(using, init_list, row[start:end])
            for populator in populators:
                populator.populate(row, obj)
            for name, position in (compiler.annotation_col_map or {}).items():
                setattr(obj, name, row[position])
            made.append(obj)
        if queryset._prefetch_related_lookups:
            prefetch_related_objects(made, *queryset._prefetch_related_lookups)
        return made
