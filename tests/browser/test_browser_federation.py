"""Los Angeles and Tijuana plan together, on a phone, in English and in Spanish.

The members of both collectives decide through the proposal pages: Tijuana's to start a
federation (its coordinator then makes an invitation code on the federation page), Los
Angeles's to join it with that code, Tijuana's how often the two plan together. A round
sends food across the border: Los Angeles's volunteer hands it over at a community centre in
San Ysidro, by the border, in its opening hours; Tijuana's driver picks it up there, marks it
received and brings it on to the family, as a local task. Neither can mark it before its
window opens (the clock is then moved to the window, the server's, by time_machine). Each step still stands after the
next plan run. Every member reads the federation page; a member proposes to suspend the other
collective, the members vote, and the page shows it suspended.

Tijuana's members read Spanish. In the English run, Tijuana's driver reads English, so that
both halves of the transfer are seen in both languages.
"""

from __future__ import annotations

from datetime import time, timedelta
from decimal import Decimal
from pathlib import Path

import pytest
import time_machine
from playwright.sync_api import expect

from sinfronteras.assembly.closing import close_due
from sinfronteras.assembly.models import Proposal
from sinfronteras.demo.border import SHARED
from sinfronteras.federation import rounds
from sinfronteras.federation.models import Peer, PeerState, Transfer
from sinfronteras.members.models import Area, Collective, Member
from sinfronteras.plans.models import SealedAddress
from sinfronteras.plans.runs import do_request_run, execute_run
from sinfronteras.plans.sealing import seal
from sinfronteras.sharing.models import Need, NeedStatus, Resource, Slot

from .conftest import fits_the_phone, log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

FOOD = SHARED["food"]
#: The public hand-over place: a community centre in San Ysidro, by the border crossing.
CENTRE = "Centro comunitario San Ysidro"
#: The families' delivery addresses, sealed: only Tijuana's driver reads them, between pick-up and
#: delivery.
ADDRESSES = {"lupita": "Calle Ejemplo 12, Zona Centro", "marisol": "Calle Ejemplo 34, Zona Centro"}

WORDS = {
    "en": {"page": "Federation", "propose_it": "Propose it", "propose": "Propose one", "open": "Open the vote",
           "cast": "Cast my vote", "suspended": "suspended",
           "came": "Went out: 15 kg · Food", "tier": "tier 2: Basic", "gave": "took 100% of what went out",
           "hand": f"Hand over 15 kg of Food to the carrier of Tijuana Sin Fronteras at {CENTRE}, Saturday",
           "handed": "Handed over", "waiting": "waiting for the other collective to confirm",
           "done": "received by the other collective: done", "to": "To Tijuana Sin Fronteras",
           "state": "received", "invite": "Make an invitation code",
           "not_yet": "Not yet: the hand-over's window has not started."},
    "es": {"page": "Federación", "propose_it": "Propónlo", "propose": "Propón una", "open": "Abrir la votación",
           "cast": "Emitir mi voto", "suspended": "suspendido",
           "came": "Salió: 15 kg · Comida", "tier": "nivel 2: Básica", "gave": "recibió el 100",
           "hand": f"Entrega 15 kg de Comida a quien lleva por Tijuana Sin Fronteras en {CENTRE}, sábado",
           "handed": "Entregado", "waiting": "esperando a que el otro colectivo lo confirme",
           "done": "recibido por el otro colectivo: hecho", "to": "Para Tijuana Sin Fronteras",
           "state": "recibido", "invite": "Crear un código de invitación",
           "not_yet": "Todavía no: la franja de la entrega no ha empezado."},
}
#: What Tijuana's driver reads (in the driver's language).
DRIVER = {
    "en": {"pick": f"Pick up from the carrier of LA Unidos at {CENTRE}, Saturday",
           "items": ["10 kg of Food, to Zona Centro", "5 kg of Food, to Zona Centro"],
           "total": "In all: 15 kg of Food, in 2 parts.",
           "onward": "Then bring each to its person in need", "received": "Received",
           "delivered": "Delivered", "address": "Delivery address"},
    "es": {"pick": f"Recoge de quien entrega por LA Unidos en {CENTRE}, sábado",
           "items": ["10 kg de Comida, a Zona Centro", "5 kg de Comida, a Zona Centro"],
           "total": "En total: 15 kg de Comida, en 2 partes.",
           "onward": "Luego lleva cada cosa a la persona que la necesita", "received": "Recibido",
           "delivered": "Entregado a la persona", "address": "Dirección de entrega"},
}
DOCS_IMAGE = Path(__file__).resolve().parents[2] / "docs" / "img" / "transfer-across-the-border.png"


@pytest.fixture(autouse=True)
def key_folder(settings, tmp_path):
    settings.FEDERATION_KEY_DIR = str(tmp_path / "federation-keys")
    settings.FEDERATION_URL = "http://127.0.0.1:8000"


@pytest.fixture
def tijuana(db):
    """Tijuana Sin Fronteras: two neighbourhoods, food and carrying, its drivers reach 50 km."""
    collective = Collective.objects.create(name="Tijuana Sin Fronteras", slug="tijuana-sin-fronteras",
                                           carrier_reach_km=50)
    for name, lat, lon in [("Zona Centro", 32.5332, -117.0382), ("La Joya", 32.4944, -116.9361)]:
        Area.objects.create(collective=collective, name=name, lat=lat, lon=lon)
    Resource.objects.create(collective=collective, key="food", name_en="Food", name_es="Comida", unit="kg",
                            basic=True, uri=FOOD)
    Resource.objects.create(collective=collective, key="carrying", name_en="Carrying", name_es="Transporte",
                            unit="hours", carries=True)
    return collective


@pytest.fixture
def border(la, tijuana, alice, bob, password_hash, need_of, offer_of, language):
    """LA's Dolores, in San Ysidro, gives 15 kg of food at the community centre on Saturday
    mornings; Tijuana's Lupita needs 10 kg and Marisol 5; Toño drives for Tijuana on Saturdays."""
    from conftest import make_member

    la.resources.filter(key="food").update(uri=FOOD)
    Area.objects.create(collective=la, name="San Ysidro", lat=32.5556, lon=-117.0470)
    people = {"dolores": make_member(la, "dolores", "San Ysidro", password_hash=password_hash),
              "rosa": make_member(tijuana, "rosa", "Zona Centro", password_hash=password_hash,
                                  role="coordinator", language="es"),
              "lupita": make_member(tijuana, "lupita", "Zona Centro", password_hash=password_hash, language="es"),
              "marisol": make_member(tijuana, "marisol", "Zona Centro", password_hash=password_hash, language="es"),
              "tono": make_member(tijuana, "tono", "Zona Centro", password_hash=password_hash, language=language)}
    Member.objects.filter(collective=la).update(language=language)
    centre = offer_of(people["dolores"], ["food"], 15, public_place=CENTRE, radius_km=Decimal(15))
    Slot.objects.create(offer=centre, weekday=5, start=time(10), end=time(13))
    driving = offer_of(people["tono"], ["carrying"], 40, radius_km=Decimal(50))
    Slot.objects.create(offer=driving, weekday=5, start=time(9), end=time(12))
    for name, quantity in (("lupita", 10), ("marisol", 5)):
        need = need_of(people[name], "food", quantity)
        SealedAddress.objects.create(need=need, ciphertext=seal(ADDRESSES[name]))
    return people


def read(phone, selector) -> str:
    return " ".join(phone.locator(selector).inner_text().split())


def propose(phone, base, words, title, change, shot=None, **fields):
    """Propose a federation change from the federation page; returns the proposal."""
    phone.goto(f"{base}/federation/")
    link = words["propose"] if phone.locator("#decide").count() else words["propose_it"]
    phone.get_by_role("link", name=link).click()
    phone.locator("#id_title").fill(title)
    phone.locator("#id_change").select_option(change)
    for name, value in fields.items():
        field = phone.locator(f"#id_{name}")
        field.select_option(value) if name == "peer" else field.fill(value)
    assert fits_the_phone(phone)
    if shot:
        shot(phone, f"{change}-form")
    phone.get_by_role("button", name=words["open"]).click()
    expect(phone.locator(".facts")).to_be_visible()
    return Proposal.objects.get(change=change, status="open")


def vote_yes(phone, base, username, proposal, cast):
    """A member votes for the proposal on its page."""
    log_in(phone, base, username)
    phone.goto(f"{base}/decisions/{proposal.pk}/")
    phone.locator("input[name=answer][value=agree]").check()
    phone.get_by_role("button", name=cast).click()
    expect(phone.locator("#your-ballot")).to_be_visible()


def the_window_ends(proposal):
    """The worker closes the proposal when its voting window ends, and applies the decision."""
    assert close_due(now=Proposal.objects.get(pk=proposal.pk).closes_at + timedelta(seconds=1))


def next_plan_run(*collectives):
    for collective in collectives:
        execute_run(do_request_run(collective, enqueue=False).pk)


@pytest.mark.parametrize("language", ["en", "es"])
def test_los_angeles_and_tijuana_federate_by_decision_and_hand_food_over_across_the_border(
        live_server, phone, shoot, border, la, tijuana, alice, bob, language, request):
    words, driver, base, es = WORDS[language], DRIVER[language], live_server.url, WORDS["es"]

    # Tijuana's members decide to start a federation; their coordinator makes an invitation code.
    log_in(phone, base, "rosa")
    start = propose(phone, base, es, "Planear con Los Ángeles", "federation_create", shoot,
                    federation_name="Sin Fronteras del Pacífico")
    for member in ("rosa", "lupita", "marisol"):
        vote_yes(phone, base, member, start, es["cast"])
    the_window_ends(start)
    assert Peer.objects.get(collective=tijuana).federation.name == "Sin Fronteras del Pacífico"
    log_in(phone, base, "rosa")
    phone.goto(f"{base}/federation/")
    phone.get_by_role("button", name=es["invite"]).click()
    code = phone.locator("#invite-code").input_value()
    assert code.startswith("sfed1.") and phone.locator("#invite svg").count() == 1
    assert fits_the_phone(phone)
    shoot(phone, "tijuana-invites")

    # Los Angeles's members decide to join Tijuana's federation with its invitation code.
    log_in(phone, base, "bob")
    joining = propose(phone, base, words, "Planear con Tijuana" if language == "es" else "Plan with Tijuana",
                      "federation_join", federation_code=code)
    shoot(phone, "la-join-proposed")
    for member in ("bob", "alice", "dolores"):
        vote_yes(phone, base, member, joining, words["cast"])
    the_window_ends(joining)
    assert Peer.objects.filter(collective=la, state=PeerState.ACTIVE).exists()
    phone.goto(f"{base}/federation/")
    assert "Sin Fronteras del Pacífico" in read(phone, "#federation-name") and fits_the_phone(phone)
    shoot(phone, "la-joined")

    # Tijuana's members decide how often the two plan together: every 6 hours.
    log_in(phone, base, "rosa")
    rhythm = propose(phone, base, es, "Planear juntos cada 6 horas", "federation_round_hours", shoot,
                     change_value="6")
    shoot(phone, "tijuana-rhythm-proposed")
    for member in ("rosa", "lupita"):
        vote_yes(phone, base, member, rhythm, es["cast"])
    the_window_ends(rhythm)
    assert Peer.objects.get(collective=tijuana, federation__peers__collective=la).federation.round_hours == 6

    # A round plans the two together; the next plan run of each keeps the transfer's tasks.
    report = rounds.do_round(la, timeout=10)
    assert [m["state"] for m in report["members"]] == ["planned", "planned"]
    next_plan_run(la, tijuana)

    # Los Angeles's volunteer hands the food over at the community centre in San Ysidro.
    log_in(phone, base, "dolores")
    phone.goto(f"{base}/tasks/")
    assert words["hand"] in read(phone, "#crossing") and fits_the_phone(phone)
    shoot(phone, "giver-task")
    phone.get_by_role("button", name=words["handed"], exact=True).click()  # days before the window
    expect(phone.locator(".messages")).to_contain_text(words["not_yet"])
    assert words["waiting"] not in read(phone, "#crossing")
    clock = time_machine.travel(Transfer.objects.filter(round__peer__collective=la).get().window_start
                                + timedelta(minutes=5), tick=True)
    clock.start()
    request.addfinalizer(clock.stop)
    phone.get_by_role("button", name=words["handed"], exact=True).click()
    expect(phone.locator("#crossing")).to_contain_text(words["waiting"])
    next_plan_run(la, tijuana)
    phone.reload()
    assert words["waiting"] in read(phone, "#crossing") and fits_the_phone(phone)
    shoot(phone, "giver-handed")

    # Tijuana's driver reads one card for the place and window, with both families' parts;
    # picks it up there, marks it received once, and brings each part on to its family.
    log_in(phone, base, "tono")
    phone.goto(f"{base}/tasks/")
    assert phone.locator("#crossing > li").count() == 1
    crossing = read(phone, "#crossing")
    assert driver["pick"] in crossing and driver["onward"] in crossing and driver["total"] in crossing
    assert all(item in crossing for item in driver["items"]) and fits_the_phone(phone)
    path = shoot(phone, "driver-task")
    if language == "en":
        DOCS_IMAGE.write_bytes(path.read_bytes())
    phone.get_by_role("button", name=driver["received"], exact=True).click()
    expect(phone.locator("#crossing")).to_contain_text(ADDRESSES["marisol"])
    next_plan_run(la, tijuana)
    phone.reload()
    crossing = read(phone, "#crossing")
    assert driver["address"] in crossing and all(a in crossing for a in ADDRESSES.values())
    assert fits_the_phone(phone)
    shoot(phone, "driver-received")
    for name, address in ADDRESSES.items():
        part = phone.locator("#crossing .items li", has_text=address)
        part.get_by_role("button", name=driver["delivered"], exact=True).click()
        expect(phone.locator("#crossing")).not_to_contain_text(address)
        assert not SealedAddress.objects.filter(need__posted_by__username=name).exists()
        assert Need.objects.get(posted_by__username=name).status == NeedStatus.FULFILLED
    shoot(phone, "driver-delivered")

    # The family reads on its Home that what it asked for came.
    log_in(phone, base, "lupita")
    phone.goto(f"{base}/")
    lupita = Need.objects.get(posted_by__username="lupita")
    assert read(phone, f"#need-{lupita.pk} .state") == "hecho"  # Lupita reads Spanish: done
    assert fits_the_phone(phone)
    shoot(phone, "family-delivered")

    log_in(phone, base, "dolores")
    phone.goto(f"{base}/tasks/")
    assert words["done"] in read(phone, "#crossing") and fits_the_phone(phone)

    # Both federation pages: what crossed, each one's share, and the transfer received.
    log_in(phone, base, "bob")
    phone.goto(f"{base}/federation/")
    assert phone.locator("h1").inner_text() == words["page"]
    collectives = read(phone, "#collectives")
    assert all(name in collectives for name in ("LA Unidos", "Tijuana Sin Fronteras", "127.0.0.1:8000"))
    crossed = read(phone, "#crossed")
    assert words["came"] in crossed and words["tier"] in crossed and words["gave"] in read(phone, "#shares")
    assert phone.locator("#transfers").count() == 0 and fits_the_phone(phone)
    shoot(phone, "federation-member")
    for who, other, state in (("alice", words["to"], words["state"]),
                              ("rosa", "De LA Unidos", "recibido")):
        log_in(phone, base, who)
        phone.goto(f"{base}/federation/")
        transfers = read(phone, "#transfers")
        assert other in transfers and CENTRE in transfers and state in transfers and fits_the_phone(phone)
        shoot(phone, f"federation-{who}")

    # A member of Los Angeles proposes to suspend Tijuana; the members agree.
    them = Peer.objects.get(collective=tijuana, federation__peers__collective=la)
    log_in(phone, base, "bob")
    suspension = propose(phone, base, words, "Suspender a Tijuana" if language == "es" else "Suspend Tijuana",
                         "federation_suspend", peer=str(them.pk))
    assert suspension.peer_id == them.pk and "Tijuana Sin Fronteras" in read(phone, ".facts")
    shoot(phone, "suspend-proposed")
    for member in ("bob", "alice", "dolores"):
        vote_yes(phone, base, member, suspension, words["cast"])
    the_window_ends(suspension)
    assert Peer.objects.get(pk=them.pk).state == PeerState.SUSPENDED
    phone.goto(f"{base}/federation/")
    assert words["suspended"] in phone.locator(f"#peer-{them.pk}").inner_text() and fits_the_phone(phone)
    shoot(phone, "suspended")
