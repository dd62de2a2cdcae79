"""The demo collective: real places, real pantries (Food Oasis LA 2020, MIT), seeded people."""

import json

from sinfronteras import data
from sinfronteras.demo.load import do_load_demo
from sinfronteras.members.models import Area, Collective, Member
from sinfronteras.sharing.models import Need, Offer


def snapshot():
    return sorted((n.posted_by.username, n.resource.key, str(n.quantity), n.area.name, n.urgent)
                  for n in Need.objects.select_related("posted_by", "resource", "area"))


def test_the_demo_loads_once_and_a_second_load_changes_nothing(db):
    first = do_load_demo(households=30, volunteers=15)
    counts = (Member.objects.count(), Need.objects.count(), Offer.objects.count())
    second = do_load_demo(households=30, volunteers=15)
    assert first.created and not second.created
    assert (Member.objects.count(), Need.objects.count(), Offer.objects.count()) == counts
    assert Collective.objects.count() == 1


def test_the_demo_offers_food_at_every_real_pantry(db):
    do_load_demo(households=5, volunteers=5)
    pantries = json.loads(data.path("la", "food_pantries_2020.json").read_text())
    names = {p["name"][:60] for p in pantries if p.get("lat") and p.get("lon")}
    offered = set(Offer.objects.filter(resources__key="food", posted_by__display_name__in=names)
                  .values_list("posted_by__display_name", flat=True))
    assert offered == names


def test_the_demo_areas_are_real_la_neighbourhoods(db):
    do_load_demo(households=5, volunteers=5)
    boyle = Area.objects.get(name="Boyle Heights")
    assert (round(boyle.lat, 1), round(boyle.lon, 1)) == (34.0, -118.2)
    assert Area.objects.count() >= 30


def test_the_same_seed_makes_the_same_collective(db):
    do_load_demo(seed=7, households=40, volunteers=10)
    first = snapshot()
    for model in (Need, Offer, Member, Area, Collective):
        model.objects.all().delete()
    do_load_demo(seed=7, households=40, volunteers=10)
    assert snapshot() == first and len(first) > 20


def test_the_demo_code_lets_ana_in_twice_in_a_row(db, capsys):
    from django.core.management import call_command
    from django.test import Client

    do_load_demo(households=5, volunteers=5)
    for _ in range(2):
        client = Client()
        client.post("/login/", {"username": "ana", "password": "sinfronteras-demo"})
        call_command("democode", "ana")
        code = capsys.readouterr().out.strip()
        client.post("/two-factor/", {"code": code})
        assert client.get("/plan/").status_code == 200


def test_the_demo_s_proposals_actions_and_commitments_are_written_in_their_author_s_language(db):
    from sinfronteras.assembly.models import Proposal
    from sinfronteras.organizing.models import Action, Commitment

    do_load_demo(households=8, volunteers=8)
    spanish = "es"
    written = [(p.author, p.title) for p in Proposal.objects.select_related("author")]
    written += [(a.organizer, a.title) for a in Action.objects.select_related("organizer")]
    written += [(c.member, c.what) for c in Commitment.objects.select_related("member")]
    assert len(written) >= 10
    in_spanish = {"Abrir la despensa del sábado a las 9 en vez de a las 10",
                  "Mitin del sábado frente al edificio federal",
                  "Llevar 50 ejemplares al mitin del sábado"}
    assert in_spanish <= {text for _, text in written}
    english_words = {"the", "of", "to", "at", "on", "be", "into"}
    spanish_words = {"de", "del", "la", "las", "el", "al", "en"}
    for author, text in written:
        words = set(text.lower().replace("?", "").split())
        other = english_words if author.language.startswith(spanish) else spanish_words
        assert not words & other, (author.username, text)
