"""The federation page on a phone, in English and in Spanish: a member reads which collectives
plan together and what crossed; a coordinator also sees the transfers in progress; a member
proposes to suspend a member collective, votes, and the page shows it suspended. And a transfer
across collectives, from the members' decision to federate to the family that gets it."""

from __future__ import annotations

from datetime import time
from decimal import Decimal
from pathlib import Path

import pytest

from sinfronteras.assembly.models import Proposal
from sinfronteras.assembly.services import do_close, do_vote
from sinfronteras.federation import rounds, services
from sinfronteras.federation.models import Peer, PeerState
from sinfronteras.members.models import Member
from sinfronteras.plans.runs import do_request_run, execute_run
from sinfronteras.sharing.models import Need, NeedStatus, Resource, Slot

from .conftest import fits_the_phone, log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

RICE = "http://www.wikidata.org/entity/Q5090"
WORDS = {
    "en": {"page": "Federation", "came": "Came in: 5 kg · Food", "tier": "tier 2: Basic",
           "gave": "Gave 100% of what came in", "from": "From Oakland Sin Fronteras", "place": "Hand-over at Fruitvale community pantry", "propose": "Propose one",
           "open": "Open the vote", "suspended": "suspended"},
    "es": {"page": "Federación", "came": "Entró: 5 kg · Comida", "tier": "nivel 2: Básica",
           "gave": "Dio el 100", "from": "De Oakland Sin Fronteras", "place": "Entrega en Fruitvale community pantry", "propose": "Propón una",
           "open": "Abrir la votación", "suspended": "suspendido"},
}


@pytest.fixture(autouse=True)
def key_folder(settings, tmp_path):
    settings.FEDERATION_KEY_DIR = str(tmp_path / "federation-keys")
    settings.FEDERATION_URL = "http://127.0.0.1:8000"


@pytest.fixture
def federated(la, oakland, alice, bob, carla, dmitri, need_of, offer_of):
    for collective in (la, oakland):
        collective.resources.filter(key="food").update(uri=RICE)
    la.carrier_reach_km = 1000  # Carla carries for LA, as far as Oakland's pantry
    la.save(update_fields=["carrier_reach_km"])
    Resource.objects.create(collective=la, key="carrying", name_en="Carrying", name_es="Transporte",
                            unit="hours", carries=True)
    offer_of(carla, ["carrying"], 40, radius_km=Decimal(1000))
    offer_of(dmitri, ["food"], 8, public_place="Fruitvale community pantry")
    need_of(bob, "food", 5)
    _federation, code = services.do_create_federation("Sin Fronteras", la)
    services.do_join(code, oakland)
    report = rounds.do_round(la, timeout=10)
    assert [m["state"] for m in report["members"]] == ["planned", "planned"]


@pytest.mark.parametrize("language", ["en", "es"])
def test_members_read_the_federation_and_suspend_a_collective_by_decision(
        live_server, phone, shoot, federated, la, oakland, alice, bob, language):
    words, base = WORDS[language], live_server.url
    Member.objects.filter(username__in=["alice", "bob"]).update(language=language)
    log_in(phone, base, "bob")
    phone.get_by_role("link", name=words["page"], exact=True).click()
    assert phone.locator("h1").inner_text() == words["page"]
    collectives = phone.locator("#collectives").inner_text()
    assert "LA Unidos" in collectives and "Oakland Sin Fronteras" in collectives and "127.0.0.1:8000" in collectives
    crossed = phone.locator("#crossed").inner_text()
    assert words["came"] in crossed and words["tier"] in crossed
    assert words["gave"] in phone.locator("#shares").inner_text()
    assert phone.locator("#transfers").count() == 0 and fits_the_phone(phone)
    shoot(phone, "member")

    log_in(phone, base, "alice")
    phone.goto(f"{base}/federation/")
    transfers = phone.locator("#transfers").inner_text()
    assert words["from"] in transfers and words["place"] in transfers and fits_the_phone(phone)
    shoot(phone, "coordinator")

    log_in(phone, base, "bob")
    phone.goto(f"{base}/federation/")
    phone.get_by_role("link", name=words["propose"]).click()
    phone.locator("#id_title").fill("Suspender a Oakland" if language == "es" else "Suspend Oakland")
    phone.locator("#id_change").select_option("federation_suspend")
    them = Peer.objects.get(collective=oakland)
    phone.locator("#id_peer").select_option(str(them.pk))
    assert phone.locator("#id_federation_code").count() == 1 and fits_the_phone(phone)
    shoot(phone, "propose")
    phone.get_by_role("button", name=words["open"]).click()
    proposal = Proposal.objects.get(change="federation_suspend")
    assert proposal.peer_id == them.pk and "Oakland Sin Fronteras" in phone.locator(".facts").inner_text()
    shoot(phone, "proposal")
    do_vote(alice, proposal, {"answer": "agree"})
    do_vote(bob, proposal, {"answer": "agree"})
    do_close(proposal)
    assert Peer.objects.get(pk=them.pk).state == PeerState.SUSPENDED
    phone.goto(f"{base}/federation/")
    assert words["suspended"] in phone.locator(f"#peer-{them.pk}").inner_text() and fits_the_phone(phone)
    shoot(phone, "suspended")


# --- a transfer across collectives, from the decision to federate to the family ----------------

CROSSING = {
    "en": {"propose_it": "Propose it", "hand": "Hand over 5 kg of Food to the carrier of LA Unidos at "
           "Fruitvale community pantry, Saturday", "pick": "Pick up 5 kg of Food from the carrier of "
           "Oakland Sin Fronteras at Fruitvale community pantry, Saturday", "handed": "Handed over",
           "received": "Received", "delivered": "Delivered to the person in need", "waiting": "waiting for the "
           "other collective to confirm", "done": "received by the other collective: done",
           "onward": "Then bring it to the person in need in Echo Park", "state": "received",
           "to": "To LA Unidos", "from": "From Oakland Sin Fronteras", "cast": "Cast my vote"},
    "es": {"propose_it": "Propónlo", "hand": "Entrega 5 kg de Comida a quien lleva por LA Unidos en "
           "Fruitvale community pantry, sábado", "pick": "Recoge 5 kg de Comida de quien entrega por "
           "Oakland Sin Fronteras en Fruitvale community pantry, sábado", "handed": "Entregado",
           "received": "Recibido", "delivered": "Entregado a la persona", "waiting": "esperando a que el otro "
           "colectivo lo confirme", "done": "recibido por el otro colectivo: hecho",
           "onward": "Luego llévalo a la persona que lo necesita en Echo Park", "state": "recibido",
           "to": "Para LA Unidos", "from": "De Oakland Sin Fronteras", "cast": "Emitir mi voto"},
}
DOCS_IMAGE = Path(__file__).resolve().parents[2] / "docs" / "img" / "transfer-across-the-border.png"


@pytest.fixture
def across(la, oakland, alice, bob, carla, dmitri, password_hash, need_of, offer_of):
    """Oakland's pantry gives food on Saturdays; LA's Bob needs it; Carla carries for LA."""
    from conftest import make_member

    for collective in (la, oakland):
        collective.resources.filter(key="food").update(uri=RICE)
    la.carrier_reach_km = 1000
    la.save(update_fields=["carrier_reach_km"])
    Resource.objects.create(collective=la, key="carrying", name_en="Carrying", name_es="Transporte",
                            unit="hours", carries=True)
    pantry = offer_of(dmitri, ["food"], 8, public_place="Fruitvale community pantry")
    Slot.objects.create(offer=pantry, weekday=5, start=time(10), end=time(13))
    carrying = offer_of(carla, ["carrying"], 40, radius_km=Decimal(1000))
    Slot.objects.create(offer=carrying, weekday=5, start=time(9), end=time(12))
    need_of(bob, "food", 5)
    return make_member(oakland, "olga", "Fruitvale", password_hash=password_hash, role="coordinator")


def read(phone, selector) -> str:
    return " ".join(phone.locator(selector).inner_text().split())


@pytest.mark.parametrize("language", ["en", "es"])
def test_two_collectives_federate_by_decision_and_hand_a_transfer_over_from_one_to_the_other(
        live_server, phone, shoot, across, la, oakland, alice, bob, carla, dmitri, language):
    words, more, base = WORDS[language], CROSSING[language], live_server.url
    Member.objects.filter(collective__in=[la, oakland]).update(language=language)
    _federation, code = services.do_create_federation("Sin Fronteras", oakland)

    # LA's members decide to join Oakland's federation with its code.
    log_in(phone, base, "bob")
    phone.goto(f"{base}/federation/")
    phone.get_by_role("link", name=more["propose_it"]).click()
    phone.locator("#id_title").fill("Planear con Oakland" if language == "es" else "Plan with Oakland")
    phone.locator("#id_change").select_option("federation_join")
    phone.locator("#id_federation_code").fill(code)
    assert fits_the_phone(phone)
    phone.get_by_role("button", name=words["open"]).click()
    proposal = Proposal.objects.get(change="federation_join")
    shoot(phone, "join-proposed")
    phone.locator("input[name=answer][value=agree]").check()
    phone.get_by_role("button", name=more["cast"]).click()
    for member in (alice, carla):
        do_vote(member, proposal, {"answer": "agree"})
    do_close(proposal)
    assert Peer.objects.filter(collective=la, state=PeerState.ACTIVE).exists()

    report = rounds.do_round(la, timeout=10)
    assert [m["state"] for m in report["members"]] == ["planned", "planned"]
    for collective in (la, oakland):  # the next plan run keeps the transfer's tasks
        execute_run(do_request_run(collective, enqueue=False).pk)

    # Oakland's giver hands it over at the pantry.
    log_in(phone, base, "dmitri")
    phone.goto(f"{base}/tasks/")
    assert more["hand"] in read(phone, "#crossing") and fits_the_phone(phone)
    shoot(phone, "giver-task")
    phone.get_by_role("button", name=more["handed"], exact=True).click()
    assert more["waiting"] in read(phone, "#crossing")

    # LA's carrier picks it up there, marks it received, and brings it on to Bob.
    log_in(phone, base, "carla")
    phone.goto(f"{base}/tasks/")
    crossing = read(phone, "#crossing")
    assert more["pick"] in crossing and more["onward"] in crossing and fits_the_phone(phone)
    path = shoot(phone, "carrier-task")
    if language == "en":
        DOCS_IMAGE.write_bytes(path.read_bytes())
    phone.get_by_role("button", name=more["received"], exact=True).click()
    phone.get_by_role("button", name=more["delivered"]).click()
    assert Need.objects.get(posted_by=bob).status == NeedStatus.FULFILLED
    shoot(phone, "carrier-delivered")

    log_in(phone, base, "dmitri")
    phone.goto(f"{base}/tasks/")
    assert more["done"] in read(phone, "#crossing")

    # Both federation pages show it received.
    for who, other in (("alice", more["from"]), ("olga", more["to"])):
        log_in(phone, base, who)
        phone.goto(f"{base}/federation/")
        transfers = read(phone, "#transfers")
        assert other in transfers and more["state"] in transfers and fits_the_phone(phone)
        shoot(phone, f"federation-{who}")

    # A member of LA proposes to suspend Oakland; the members agree.
    log_in(phone, base, "bob")
    phone.goto(f"{base}/federation/")
    phone.get_by_role("link", name=words["propose"]).click()
    phone.locator("#id_title").fill("Suspender a Oakland" if language == "es" else "Suspend Oakland")
    phone.locator("#id_change").select_option("federation_suspend")
    them = Peer.objects.get(collective=oakland, federation__peers__collective=la)
    phone.locator("#id_peer").select_option(str(them.pk))
    phone.get_by_role("button", name=words["open"]).click()
    suspension = Proposal.objects.get(change="federation_suspend")
    for member in (alice, bob, carla):
        do_vote(member, suspension, {"answer": "agree"})
    do_close(suspension)
    phone.goto(f"{base}/federation/")
    assert words["suspended"] in phone.locator(f"#peer-{them.pk}").inner_text() and fits_the_phone(phone)
    shoot(phone, "suspended")
