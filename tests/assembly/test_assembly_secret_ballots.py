"""Secret ballots stay secret: nothing is counted or shown while voting is open, and two
copies of the database taken around a vote cannot be joined to say who voted what.

Run on SQLite and on PostgreSQL (``DATABASE_URL``): the rows are read as the database
file holds them (SQLite's rowid, PostgreSQL's ctid), as a backup would copy them.
"""

from __future__ import annotations

import io
import itertools
import json

import pytest
from django.core.management import call_command
from django.db import connection
from django.urls import reverse

from assembly_helpers import end_window, propose, rank, sealed_choices, vote_all
from conftest import make_member
from sinfronteras.assembly.models import Ballot, Participation, SealedChoice
from sinfronteras.assembly.services import CHOICE_PAD, do_close, do_vote

PHYSICAL = {"sqlite": "rowid", "postgresql": "ctid"}


def snapshot() -> dict[str, list[tuple]]:
    """Every row of every table, in the order the database stores them: a backup's view."""
    tables = connection.introspection.table_names()
    copy = {}
    with connection.cursor() as cursor:
        for table in tables:
            quoted = connection.ops.quote_name(table)
            cursor.execute(f"SELECT * FROM {quoted} ORDER BY {PHYSICAL[connection.vendor]}")
            copy[table] = [tuple(bytes(v) if isinstance(v, memoryview) else v for v in row)
                           for row in cursor.fetchall()]
    return copy


def new_rows(before, after) -> dict[str, list[tuple]]:
    return {table: [row for row in rows if row not in set(before.get(table, []))]
            for table, rows in after.items() if set(rows) - set(before.get(table, []))}


@pytest.fixture
def voters(la, password_hash):
    return [make_member(la, f"voter{k:02d}", password_hash=password_hash) for k in range(12)]


def test_a_secret_ballot_shows_no_results_while_open_even_when_its_author_did_not_hide_them(
        client, alice, bob, carla, la):
    proposal = propose(alice, options="Ana\nBeto\nCruz", hide_results=None)
    vote_all(proposal, [(alice, rank(1, 0)), (bob, rank(1, 2))])
    client.force_login(carla)
    for language, words in (("en", "So far 2 of 3 members have voted."),
                            ("es", "Por ahora han votado 2 de 3 miembros.")):
        client.post(reverse("set_language"), {"language": language})
        page = client.get(reverse("assembly:results", args=[proposal.pk])).content.decode()
        assert 'id="results-hidden"' in page and words in page, language
        assert 'id="pairwise"' not in page and "Beto" not in page.split("<h2>")[-1]
    end_window(proposal)
    page = client.get(reverse("assembly:results", args=[proposal.pk])).content.decode()
    assert 'id="pairwise"' in page and '<strong id="winners">Beto</strong>' in page


def test_two_copies_of_the_database_around_one_vote_show_that_a_ballot_came_never_what_it_says(
        alice, la, voters):
    proposal = propose(alice, options="Ana\nBeto\nCruz\nDora")
    rankings = [rank(*p) for p in itertools.permutations(range(4))][:len(voters)]
    for member, choice in zip(voters[:-1], rankings):
        do_vote(member, proposal, choice)
    before = snapshot()
    secret = rankings[len(voters) - 1]
    do_vote(voters[-1], proposal, secret)
    after = snapshot()
    changed = new_rows(before, after)
    # What came: the "who voted" rows (all of them written again) and one sealed choice.
    assert set(changed) == {Participation._meta.db_table, SealedChoice._meta.db_table}
    assert len(changed[Participation._meta.db_table]) == len(voters)  # not just the newcomer's row
    assert len(changed[SealedChoice._meta.db_table]) == 1
    # Nothing says what it is: no choice in clear anywhere, one length for every sealed choice,
    # and no time inside the sealed token (Fernet's time field is zero).
    assert not Ballot.objects.exists()
    text = repr(after)
    for choice in rankings:
        assert json.dumps(choice) not in text and json.dumps(choice, separators=(",", ":")) not in text
    tokens = list(SealedChoice.objects.values_list("ciphertext", flat=True))
    assert len({len(bytes(t)) for t in tokens}) == 1 and len(bytes(tokens[0])) > CHOICE_PAD
    from base64 import urlsafe_b64decode

    assert all(urlsafe_b64decode(bytes(t))[1:9] == bytes(8) for t in tokens)
    # With the key, the newest sealed row is any voter's, not the last one's.
    assert sealed_choices(proposal).count(secret) == 1


def test_who_voted_is_kept_in_no_order_that_follows_the_vote(alice, la, password_hash):
    members = [make_member(la, f"m{k:02d}", password_hash=password_hash) for k in range(40)]
    proposal = propose(alice, kind="majority", quorum="25")
    for member in members:
        do_vote(member, proposal, {"answer": "yes"})
    position = {m.pk: k for k, m in enumerate(members)}
    table = Participation._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT member_id FROM {table} ORDER BY {PHYSICAL[connection.vendor]}")
        by_place = [position[row[0]] for row in cursor.fetchall()]
        cursor.execute(f"SELECT member_id FROM {table} ORDER BY id")
        by_id = [position[row[0]] for row in cursor.fetchall()]
    for name, order in (("as stored", by_place), ("by id", by_id)):
        assert sorted(order) == list(range(40))
        assert abs(spearman(order)) < 0.6, f"who voted, {name}, follows the order of voting"
    assert [f.name for f in Participation._meta.concrete_fields] == ["id", "proposal", "member"]  # no time


def test_closing_opens_the_sealed_choices_counts_them_all_and_keeps_nothing_sealed(alice, bob, carla, la):
    proposal = propose(alice, kind="consent", title="Open at 9?", quorum="50")
    vote_all(proposal, [(alice, {"answer": "agree"}), (bob, {"answer": "agree"}),
                        (carla, {"answer": "disagree"})])
    decision = do_close(end_window(proposal))
    assert decision.passed and decision.tally["answers"] == {"agree": 2, "abstain": 0, "disagree": 1,
                                                              "block": 0}
    assert not SealedChoice.objects.exists() and Ballot.objects.filter(voter__isnull=True).count() == 3
    assert do_close(proposal) == decision and Ballot.objects.count() == 3  # closing again: the same


def test_rotating_the_seal_key_keeps_a_waiting_secret_ballot_countable(settings, alice, bob, la):
    from cryptography.fernet import Fernet

    old, new = Fernet.generate_key().decode(), Fernet.generate_key().decode()
    settings.SEAL_KEYS = [old]
    proposal = propose(alice, kind="majority", quorum="25")
    do_vote(bob, proposal, {"answer": "yes"})
    settings.SEAL_KEYS = [new, old]
    call_command("rotatekeys", stdout=io.StringIO())
    settings.SEAL_KEYS = [new]
    assert do_close(end_window(proposal)).tally["answers"]["yes"] == 1


def spearman(order: list[int]) -> float:
    n = len(order)
    ranks = {v: r for r, v in enumerate(sorted(order))}
    d2 = sum((i - ranks[v]) ** 2 for i, v in enumerate(order))
    return 1 - 6 * d2 / (n * (n * n - 1))
