"""The demo across the border: Tijuana, from GeoNames, federated with Los Angeles; food crosses."""

from __future__ import annotations

import pytest

from sinfronteras.demo.border import SHARED, SLUG, do_load_across_border
from sinfronteras.demo.load import do_load_demo
from sinfronteras.federation.models import Handover, Peer, Round, RoundState, Transfer
from sinfronteras.members.models import Collective


@pytest.fixture(autouse=True)
def key_folder(settings, tmp_path):
    settings.FEDERATION_KEY_DIR = str(tmp_path / "federation-keys")
    settings.FEDERATION_URL = "http://127.0.0.1:8000"


def test_loading_los_angeles_alone_loads_no_tijuana(db):
    do_load_demo(households=10, volunteers=5)
    assert not Collective.objects.filter(slug=SLUG).exists() and not Peer.objects.exists()


def test_across_the_border_tijuana_is_federated_and_food_crosses_in_its_first_round(db):
    la = do_load_demo(households=40, volunteers=15).collective
    border = do_load_across_border(households=40, volunteers=12)
    tijuana = border.collective
    names = set(tijuana.areas.values_list("name", flat=True))
    assert {"Tijuana", "La Joya", "Colinas del Sol"} <= names and len(names) >= 10
    assert all(32.3 < a.lat < 32.6 and -117.2 < a.lon < -116.7 for a in tijuana.areas.all())
    assert tijuana.offers.exclude(public_place="").count() >= 3
    assert Peer.objects.get(collective=la).federation == Peer.objects.get(collective=tijuana).federation
    assert [m["state"] for m in border.round["members"]] == ["planned", "planned"]
    assert Round.objects.filter(state=RoundState.APPLIED).count() == 2
    crossing = Transfer.objects.filter(round__peer__collective=tijuana)
    assert crossing.exists() and all(t.resource == SHARED["food"] for t in crossing)
    assert {(t.giver.collective, t.taker.collective) for t in crossing} == {(la, tijuana)}
    # Handed over at the caravan's public place on a Saturday morning, to Tijuana's driver.
    accepted = crossing.filter(state="accepted")
    assert accepted.exists() and {t.place_name for t in accepted} == {"Caravana Sin Fronteras, Boyle Heights"}
    assert all(t.window_start.weekday() == 5 for t in accepted)
    assert Handover.objects.filter(transfer__in=accepted, carrier__username="tj-transporte",
                                   state="proposed").exists()
    assert Handover.objects.filter(transfer__round__peer__collective=la, carrier__username="la-caravana",
                                   state="proposed").exists()
    again = do_load_across_border(households=40, volunteers=12)
    assert not again.created and again.round is None and Round.objects.count() == 2


def test_the_demo_code_serves_tijuanas_coordinator_too(db, capsys):
    from django.core.management import call_command

    do_load_demo(households=5, volunteers=5)
    do_load_across_border(households=5, volunteers=5)
    call_command("democode", "rosa")
    code = capsys.readouterr().out.strip()
    assert len(code) == 6 and code.isdigit()
