"""The round's rhythm is the members' decision: a passed proposal sets the hours between the
federation's rounds (written in the audit log), and ``round_due`` reads it; the
``FEDERATION_ROUND_HOURS`` setting is only the default."""

from __future__ import annotations

from datetime import timedelta

import pytest
from assembly_helpers import end_window, proposal_data, propose, vote_all

from sinfronteras.assembly.forms import ProposeForm
from sinfronteras.assembly.services import do_close
from sinfronteras.audit.models import Event
from sinfronteras.federation import peers, rounds, services
from sinfronteras.federation.decisions import FederationError, do_set_round_hours, round_hours
from sinfronteras.federation.models import Federation, Peer


@pytest.fixture(autouse=True)
def key_folder(settings, tmp_path):
    settings.FEDERATION_KEY_DIR = str(tmp_path / "federation-keys")
    settings.FEDERATION_URL = "http://127.0.0.1:8000"
    settings.FEDERATION_ROUND_HOURS = 6


@pytest.fixture
def federated(la, oakland):
    federation, code = services.do_create_federation("Sin Fronteras", la)
    services.do_join(code, oakland)
    return federation


def test_the_members_decide_the_hours_between_rounds_and_the_turns_follow_them(alice, bob, la, federated):
    first, second = sorted(Peer.objects.filter(federation=federated), key=peers.label)
    since = max(first.joined_at, second.joined_at)
    assert rounds.round_due(first, since + timedelta(hours=7))  # the default: every 6 hours
    proposal = propose(alice, kind="majority", title="Plan with the federation twice a day",
                       change="federation_round_hours", change_value="12")
    vote_all(proposal, [(alice, {"answer": "yes"}), (bob, {"answer": "yes"})])
    decision = do_close(end_window(proposal))
    assert decision.passed and decision.applied_at
    assert Federation.objects.get(pk=federated.pk).round_hours == 12
    entry = Event.objects.filter(collective=la, action="federation.round_hours").get()
    assert entry.decision_ref == decision.pk
    assert (entry.data["old"], entry.data["new"]) == (6, 12)
    first.refresh_from_db()
    second.refresh_from_db()
    assert not rounds.round_due(first, since + timedelta(hours=11))
    assert rounds.round_due(first, since + timedelta(hours=13))
    assert not rounds.round_due(second, since + timedelta(hours=23))  # the second steps in after twice
    assert rounds.round_due(second, since + timedelta(hours=25))


def test_without_a_decision_the_setting_is_the_rhythm(settings, federated):
    settings.FEDERATION_ROUND_HOURS = 3
    assert round_hours(Federation.objects.get(pk=federated.pk)) == 3


def test_a_rhythm_outside_one_hour_to_a_week_is_refused_with_what_to_give(alice, la, federated):
    form = ProposeForm(proposal_data(kind="majority", change="federation_round_hours", change_value="200"),
                       member=alice)
    assert not form.is_valid()
    assert "from 1 to 168" in str(form.errors["change_value"])
    with pytest.raises(FederationError, match="from 1 to 168"):
        do_set_round_hours(la, 0)
    assert Federation.objects.get(pk=federated.pk).round_hours is None


def test_a_collective_in_no_federation_cannot_propose_a_rhythm(dmitri, oakland):
    form = ProposeForm(proposal_data(kind="majority", change="federation_round_hours", change_value="12"),
                       member=dmitri)
    assert not form.is_valid()
    assert "in no federation" in str(form.errors)
