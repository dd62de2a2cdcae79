"""Querysets compiled to SQL once and run many times with other values.

Building a Django queryset into SQL costs far more CPU than SQLite takes to answer it
(about 3 ms for *unread messages*' query, against 0.1 ms to run it). The queries that every
page runs (the menu's badges, the alerts banner) are compiled once per process and database
here, with stand-in values; each run only puts the real values in their places. The SQL is
Django's own, so its meaning cannot drift from the queryset's.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from datetime import timezone as dt_timezone
from typing import Callable

from django.db import connections
from django.db.models import F, prefetch_related_objects
from django.db.models.fields.related_descriptors import (ManyToManyDescriptor,
                                                         ReverseManyToOneDescriptor)
from django.db.models.query import FlatValuesListIterable, get_related_populators

#: Stand-in values, two of each kind: a parameter that takes the first in one compilation
#: and the second in the other is the variable; one equal in both is a constant.
_STAND_INS = {
    "id": (-8_642_013_579, -8_642_013_580),
    "text": ("\x00stand-in one\x00", "\x00stand-in two\x00"),
    "datetime": (datetime(1901, 2, 3, 4, 5, 6, 789012, tzinfo=dt_timezone.utc),
                 datetime(1902, 3, 4, 5, 6, 7, 890123, tzinfo=dt_timezone.utc)),
    "date": (date(1901, 2, 3), date(1902, 3, 4)),
}


#: The longest list of ids whose compiled SQL is kept (a page's rows); a longer one is
#: compiled each time, so that a process keeps at most this many compilations a query.
LONGEST_KEPT = 100


def _stand_in(kind: str, which: int, place: int):
    """The stand-in of the variable at ``place``: its own, so two variables of one kind
    are told apart."""
    value = _STAND_INS[kind][which]
    if kind == "id":
        return value - 10 * place
    if kind == "text":
        return f"{value}{place}"
    if kind == "date":
        return value + timedelta(days=place)
    return value + timedelta(seconds=place)


def _stand_ins(kinds: dict, which: int, lengths: dict) -> dict:
    """Each variable's stand-in; an ``ids`` variable's is a list of ``lengths[name]``
    distinct ids, none equal to another variable's."""
    made = {}
    for place, (name, kind) in enumerate(kinds.items()):
        if kind == "ids":
            first = _stand_in("id", which, place)
            made[name] = [first - 10_000_000 * (k + 1) for k in range(lengths[name])]
        else:
            made[name] = _stand_in(kind, which, place)
    return made


def _cursor(connection):
    """Django's cursor; on PostgreSQL, one whose parameters the server binds, so that psycopg
    prepares the statement on this connection once it has run it ``prepare_threshold``
    times (settings) and PostgreSQL plans it once, not on every page. Django's wrapper is
    kept (its errors, its execute wrappers). While queries are logged (``DEBUG``,
    ``CaptureQueriesContext``) Django's own cursor runs them, as it logs their SQL in full."""
    if connection.vendor != "postgresql" or connection.queries_logged:
        return connection.cursor()
    from django.db.backends.postgresql.base import ServerBindingCursor

    connection.ensure_connection()
    return connection._prepare_cursor(ServerBindingCursor(connection.connection))


def _hashable(value) -> bool:
    return not isinstance(value, (list, dict, set))


class PreparedQuery:
    """A queryset built by ``build(**values)``, compiled to SQL once per database.

    Parameters
    ----------
    build : callable
        Takes the variables by name and returns a queryset: a ``values_list`` one (read with
        ``rows``) or a plain one of model instances (read with ``objects``), not a related
        manager's.
    **kinds : str
        Each variable's kind: ``"id"`` (a whole number), ``"text"``, ``"datetime"``
        (aware), ``"date"``, or ``"ids"`` (a list of whole numbers, for ``__in``: the SQL
        has one place per id, so it is compiled once per length; an empty list is refused,
        Django answers it without SQL). A value is never None: Django writes ``IS NULL``
        for it, other SQL.

    Raises
    ------
    ValueError
        At the first run, when the queryset holds a value that is neither a constant nor one
        of the variables (``timezone.now()`` read inside ``build``, say): pass it in instead.
    """

    def __init__(self, build: Callable, **kinds: str):
        self.build, self.kinds = build, kinds
        self._compiled: dict[tuple, tuple] = {}
        self._prefetches: dict[str, PreparedQuery | None] = {}

    def _compile(self, alias: str, lengths: dict):
        connection = connections[alias]
        adapt = {"id": lambda value: value, "text": lambda value: value, "ids": list,
                 "datetime": connection.ops.adapt_datetimefield_value,
                 "date": connection.ops.adapt_datefield_value}
        made = []
        for which in (0, 1):
            stand_ins = _stand_ins(self.kinds, which, lengths)
            queryset = self.build(**stand_ins)
            compiler = queryset.query.get_compiler(using=alias)
            sql, params = compiler.as_sql()
            places = {}  # each stand-in's adapted value: (variable, index in a list or None)
            for name, value in stand_ins.items():
                if self.kinds[name] == "ids":
                    places.update({one: (name, k) for k, one in enumerate(value)})
                else:
                    places[adapt[self.kinds[name]](value)] = (name, None)
            made.append((queryset, compiler, sql, list(params), places))
        (queryset, compiler, sql, first, ones), (_, _, sql_again, second, twos) = made
        if sql != sql_again or len(first) != len(second):
            raise ValueError("the query's SQL depends on its values: it cannot be prepared")
        slots = []
        for one, two in zip(first, second):
            place = ones.get(one) if _hashable(one) else None
            if place is not None and _hashable(two) and twos.get(two) == place:
                slots.append((*place, None))
            elif one == two:
                slots.append((None, None, one))
            else:
                raise ValueError(f"a value of the query changes between compilations ({one!r}, "
                                 f"{two!r}): pass it as a variable")
        flat = queryset._iterable_class is FlatValuesListIterable
        compiled = (sql, slots, compiler, adapt, flat, queryset)
        if all(length <= LONGEST_KEPT for length in lengths.values()):
            self._compiled[(alias, *lengths.values())] = compiled
        return compiled

    def _fetch(self, using: str, values: dict):
        if None in values.values() or values.keys() != self.kinds.keys():
            raise ValueError(f"give each of {sorted(self.kinds)} a value (not None)")
        lengths = {name: len(values[name]) for name, kind in self.kinds.items() if kind == "ids"}
        if 0 in lengths.values():
            raise ValueError("an empty list of ids: ask for nothing instead")
        sql, slots, compiler, adapt, flat, queryset = (
            self._compiled.get((using, *lengths.values())) or self._compile(using, lengths))
        adapted = {name: adapt[self.kinds[name]](value) for name, value in values.items()}
        params = [constant if name is None else adapted[name] if index is None
                  else adapted[name][index] for name, index, constant in slots]
        with _cursor(connections[using]) as cursor:
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
        lookups: a reverse foreign key's or a many-to-many's (``"slots"``, ``"resources"``)
        by a query compiled once per count of rows, any other as Django runs it."""
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
        others = []
        for lookup in queryset._prefetch_related_lookups:
            related = self._related(klass_info["model"], lookup)
            if related is None:
                others.append(lookup)
            else:
                attach(made, lookup, related.objects(using, ids=[obj.pk for obj in made]))
        if others:
            prefetch_related_objects(made, *others)
        return made

    def _related(self, model, lookup):
        """A prepared query of the rows of the relation ``lookup`` (``"slots"``,
        ``"resources"``) for a list of ids, each row with its owner's id as
        ``_prepared_owner``; None for any other lookup (one that spans relations, a forward
        foreign key, a ``Prefetch``): Django runs those."""
        if lookup in self._prefetches:
            return self._prefetches[lookup]
        descriptor = getattr(model, lookup, None) if isinstance(lookup, str) else None
        related = None
        if isinstance(descriptor, ManyToManyDescriptor):
            field = descriptor.field
            other = field.model if descriptor.reverse else field.related_model
            back = field.name if descriptor.reverse else field.related_query_name()
            rows = other._default_manager
            related = PreparedQuery(lambda ids: rows.filter(**{f"{back}__in": ids}).annotate(
                _prepared_owner=F(back)), ids="ids")
        elif isinstance(descriptor, ReverseManyToOneDescriptor):
            rows, fk = descriptor.rel.related_model._default_manager, descriptor.field.attname
            related = PreparedQuery(lambda ids: rows.filter(**{f"{fk}__in": ids}).annotate(
                _prepared_owner=F(fk)), ids="ids")
        self._prefetches[lookup] = related
        return related


def attach(instances: list, name: str, rows: list) -> None:
    """Hand each instance its ``rows`` of the relation ``name`` (a reverse foreign key or a
    many-to-many), as ``prefetch_related(name)`` would: ``instance.<name>.all()`` then reads
    them with no query; a reverse foreign key's rows hold their instance.

    Each row names its instance's id in ``_prepared_owner`` (``PreparedQuery._related``
    makes such rows), and rows come in the order the relation lists them.
    """
    if not instances:
        return
    descriptor = getattr(type(instances[0]), name)
    many = isinstance(descriptor, ManyToManyDescriptor)
    fk = None if many else descriptor.field
    model = rows[0].__class__ if rows else (
        (descriptor.field.model if descriptor.reverse else descriptor.field.related_model)
        if many else descriptor.rel.related_model)
    by_owner: dict = {}
    for row in rows:
        by_owner.setdefault(row.__dict__.pop("_prepared_owner"), []).append(row)
    for instance in instances:
        mine = by_owner.get(instance.pk, [])
        if fk is not None:
            for row in mine:
                fk.set_cached_value(row, instance)
        cached = model._default_manager.all()
        cached._result_cache, cached._prefetch_done = mine, True
        instance.__dict__.setdefault("_prefetched_objects_cache", {})[name] = cached


def refresh_statistics(using: str = "default") -> None:
    """Have PostgreSQL count the rows again (``ANALYZE``) after a bulk load (the demo, a
    restore): autovacuum does it only a minute or more later, and until then the planner
    takes every table for empty and chooses plans that scan (the menu's new-messages count
    read every live task). SQLite keeps no statistics unless asked: nothing to do there."""
    connection = connections[using]
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
