"""Querysets compiled once (sinfronteras.prepared): the same rows as Django's, whatever the
values, and a refusal when a value would be frozen into the SQL."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from conftest import area
from sinfronteras.plans.alerts import alerts_on, do_lift_alert, do_raise_alert
from sinfronteras.plans.models import AreaAlert
from sinfronteras.prepared import PreparedQuery

pytestmark = pytest.mark.django_db

ALERTS = PreparedQuery(lambda collective_id, now: AreaAlert.objects.on_in(collective_id, now)
                       .values_list("pk", "area__name", "until"),
                       collective_id="id", now="datetime")


def test_a_prepared_query_gives_the_querysets_rows_for_each_collective_and_moment(la, alice):
    first = do_raise_alert(alice, area(la, "Boyle Heights"), 2)
    do_raise_alert(alice, area(la, "Echo Park"), 6)
    do_lift_alert(alice, first)
    do_raise_alert(alice, area(la, "Koreatown"), 4)
    now = timezone.now()
    for moment in (now, now + timedelta(hours=5), now + timedelta(hours=7)):
        for collective_id in (la.pk, la.pk + 1000):
            expected = list(AreaAlert.objects.on_in(collective_id, moment)
                            .values_list("pk", "area__name", "until"))
            assert ALERTS.rows(collective_id=collective_id, now=moment) == expected
    assert [name for _pk, name, _until in ALERTS.rows(collective_id=la.pk, now=now)] == [
        "Koreatown", "Echo Park"]
    assert ALERTS.rows(collective_id=la.pk, now=now + timedelta(hours=5)) == list(
        AreaAlert.objects.filter(area__name="Echo Park").values_list("pk", "area__name", "until"))


def test_the_banners_alerts_carry_their_area_and_who_raised_them(la, alice):
    raised = do_raise_alert(alice, area(la, "Echo Park"), 3)
    [shown] = alerts_on(la.pk)
    assert (shown.pk, str(shown.area), shown.until, shown.raised_by_id) == (
        raised.pk, "Echo Park", raised.until, alice.pk)
    assert alerts_on(la.pk, timezone.now() + timedelta(hours=4)) == []


def test_a_query_that_reads_the_clock_inside_is_refused_rather_than_frozen(la):
    frozen = PreparedQuery(lambda collective_id: AreaAlert.objects.on_in(collective_id)
                           .values_list("pk", flat=True), collective_id="id")
    with pytest.raises(ValueError, match="pass it as a variable"):
        frozen.rows(collective_id=la.pk)


def test_prepared_model_instances_match_djangos_with_related_annotated_and_prefetched_parts(
        la, carla, bob, need_of):
    from sinfronteras.sharing.models import Need

    need_of(carla, "food", 5)
    need_of(carla, "diapers", 2)
    need_of(bob, "food", 1)
    build = (lambda member_id: Need.objects.personal(member_id).with_progress()
             .select_related("resource", "area").prefetch_related("slots").order_by("pk"))
    prepared = PreparedQuery(build, member_id="id")
    for member in (carla, bob):
        theirs, ours = list(build(member.pk)), prepared.objects(member_id=member.pk)
        assert [(n.pk, n.resource.name, n.area.name, n.planned_amount, n.progress.label,
                 list(n.slots.all())) for n in ours] == [
            (n.pk, n.resource.name, n.area.name, n.planned_amount, n.progress.label,
             list(n.slots.all())) for n in theirs]
    assert len(prepared.objects(member_id=carla.pk)) == 2
    assert prepared.objects(member_id=carla.pk + 10_000) == []


def test_two_variables_of_one_kind_each_take_their_own_value(la, carla, bob, need_of):
    from sinfronteras.sharing.models import Need

    mine = need_of(carla, "food", 5)
    need_of(bob, "food", 1)
    prepared = PreparedQuery(lambda member_id, collective_id: Need.objects.filter(
        posted_by=member_id, collective_id=collective_id).values_list("pk", flat=True),
        member_id="id", collective_id="id")
    assert prepared.rows(member_id=carla.pk, collective_id=la.pk) == [mine.pk]
    assert prepared.rows(member_id=carla.pk, collective_id=la.pk + 1) == []
    assert prepared.rows(member_id=la.pk + 10_000, collective_id=la.pk) == []


def test_a_missing_or_none_value_is_refused_rather_than_compared_with_null(la):
    with pytest.raises(ValueError, match="not None"):
        ALERTS.rows(collective_id=None, now=timezone.now())
    with pytest.raises(ValueError, match="not None"):
        ALERTS.rows(collective_id=la.pk)


def test_a_list_of_ids_is_compiled_once_per_length_and_gives_djangos_rows(la, carla, bob, need_of):
    from sinfronteras.sharing.models import Need

    made = [need_of(carla, "food", 5), need_of(carla, "diapers", 2), need_of(bob, "food", 1)]
    prepared = PreparedQuery(lambda member_id, need_ids: Need.objects.filter(
        posted_by=member_id, pk__in=need_ids).values_list("pk", flat=True).order_by("pk"),
        member_id="id", need_ids="ids")
    for member in (carla, bob):
        for ids in ([made[0].pk], [made[2].pk, made[1].pk], [n.pk for n in made], [made[1].pk] * 2):
            assert prepared.rows(member_id=member.pk, need_ids=ids) == list(Need.objects.filter(
                posted_by=member, pk__in=ids).values_list("pk", flat=True).order_by("pk"))
    assert prepared.rows(member_id=carla.pk, need_ids=[made[1].pk, made[0].pk]) == sorted(
        [made[0].pk, made[1].pk])
    with pytest.raises(ValueError, match="empty list"):
        prepared.rows(member_id=carla.pk, need_ids=[])


def test_a_date_variable_takes_each_days_value(la, carla, need_of):
    from datetime import date

    from sinfronteras.sharing.models import Need

    soon = need_of(carla, "food", 5, needed_by=date(2027, 1, 10))
    need_of(carla, "food", 1, needed_by=date(2027, 3, 1))
    prepared = PreparedQuery(lambda day: Need.objects.filter(needed_by__lte=day)
                             .values_list("pk", flat=True), day="date")
    assert prepared.rows(day=date(2027, 1, 9)) == []
    assert prepared.rows(day=date(2027, 1, 10)) == [soon.pk]
    assert len(prepared.rows(day=date(2027, 3, 1))) == 2


def test_prefetched_days_and_hours_are_each_needs_own_in_their_order(la, carla, bob, need_of):
    from datetime import time

    from sinfronteras.sharing.models import Need, Slot

    first, second, other = need_of(carla, "food", 5), need_of(carla, "diapers", 2), need_of(bob, "food", 1)
    for need, weekday, hour in ((first, 3, 9), (first, 1, 17), (second, 5, 10), (other, 1, 8)):
        Slot.objects.create(need=need, weekday=weekday, start=time(hour), end=time(hour + 2))
    build = lambda member_id: Need.objects.filter(posted_by=member_id).prefetch_related("slots").order_by("pk")  # noqa: E731
    prepared = PreparedQuery(build, member_id="id")
    for member in (carla, bob):
        theirs, ours = list(build(member.pk)), prepared.objects(member_id=member.pk)
        assert [[(s.pk, s.weekday, s.start) for s in n.slots.all()] for n in ours] == [
            [(s.pk, s.weekday, s.start) for s in n.slots.all()] for n in theirs]
        assert all(s.need is n for n in ours for s in n.slots.all())
    assert [s.weekday for s in prepared.objects(member_id=carla.pk)[0].slots.all()] == [1, 3]


def test_prefetched_resources_of_offers_are_each_offers_own(la, carla, bob, offer_of):
    from sinfronteras.sharing.models import Offer

    offer_of(carla, ["food", "diapers"], 5)
    offer_of(carla, ["food"], 2)
    offer_of(carla, ["childcare"], 3)
    offer_of(bob, ["food", "diapers"], 1)
    build = lambda member_id: Offer.objects.filter(posted_by=member_id).prefetch_related("resources", "slots").order_by("pk")  # noqa: E731
    prepared = PreparedQuery(build, member_id="id")
    for member in (carla, bob):
        theirs, ours = list(build(member.pk)), prepared.objects(member_id=member.pk)
        assert [[r.key for r in o.resources.all()] for o in ours] == [
            [r.key for r in o.resources.all()] for o in theirs]
    assert [len(o.resources.all()) for o in prepared.objects(member_id=carla.pk)] == [2, 1, 1]
    assert not hasattr(prepared.objects(member_id=carla.pk)[0].resources.all()[0], "_prepared_owner")


@pytest.mark.skipif(__import__("django.db").db.connection.vendor != "postgresql",
                    reason="needs real PostgreSQL: set DATABASE_URL=postgres://...")
def test_postgresql_plans_a_prepared_query_once_for_many_runs(la, carla, need_of):
    from django.db import connection

    need_of(carla, "food", 5)
    for member_id in range(carla.pk, carla.pk + 6):  # past psycopg's prepare threshold
        ALERTS.rows(collective_id=la.pk, now=timezone.now())
    with connection.cursor() as cursor:
        cursor.execute("SELECT statement FROM pg_prepared_statements")
        prepared = [row[0] for row in cursor.fetchall()]
    assert any('"plans_areaalert"' in statement for statement in prepared)


@pytest.mark.skipif(__import__("django.db").db.connection.vendor != "postgresql",
                    reason="needs real PostgreSQL: set DATABASE_URL=postgres://...")
def test_statistics_are_counted_again_after_a_bulk_load(la, carla, need_of):
    from django.db import connection

    from sinfronteras.prepared import refresh_statistics

    for _ in range(30):
        need_of(carla, "food", 1)
    refresh_statistics()
    with connection.cursor() as cursor:
        cursor.execute("SELECT reltuples FROM pg_class WHERE relname = 'sharing_need'")
        assert cursor.fetchone()[0] >= 30


def test_a_long_list_of_ids_is_answered_but_its_compilation_not_kept(la, carla, need_of):
    from sinfronteras.prepared import LONGEST_KEPT
    from sinfronteras.sharing.models import Need

    mine = need_of(carla, "food", 5)
    prepared = PreparedQuery(lambda need_ids: Need.objects.filter(pk__in=need_ids)
                             .values_list("pk", flat=True), need_ids="ids")
    long_list = [mine.pk] + [mine.pk + 1_000 + k for k in range(LONGEST_KEPT)]
    assert prepared.rows(need_ids=long_list) == [mine.pk]
    assert prepared.rows(need_ids=[mine.pk]) == [mine.pk]
    assert [len(key) == 2 and key[1] for key in prepared._compiled] == [1]
