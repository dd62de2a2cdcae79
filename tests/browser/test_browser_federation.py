"""The federation page on a phone, in English and in Spanish: a member reads which collectives
plan together and what crossed; a coordinator also sees the transfers in progress; a member
proposes to suspend a member collective, votes, and the page shows it suspended."""

from __future__ import annotations


import pytest

from sinfronteras.assembly.models import Proposal
from sinfronteras.assembly.services import do_close, do_vote
from sinfronteras.federation import rounds, services
from sinfronteras.federation.models import Peer, PeerState
from sinfronteras.members.models import Member

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
def federated(la, oakland, alice, bob, dmitri, need_of, offer_of):
    for collective in (la, oakland):
        collective.resources.filter(key="food").update(uri=RICE)
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
