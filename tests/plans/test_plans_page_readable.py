"""The plan page says what it lists: amounts with their unit and area, and a comparison
whose sentence holds (an earlier tier may take what one-at-a-time matching gave)."""

from __future__ import annotations

from decimal import Decimal

from django.urls import reverse

from sinfronteras.plans.report import tier_rows
from sinfronteras.plans.runs import do_request_run, execute_run


def tier(nothing, lowest):
    return {"needs": 4, "nothing": nothing, "lowest": lowest, "half": 2, "full": 1, "delivered": 0.5}


def test_a_tier_the_plan_leaves_worse_off_says_an_earlier_tier_took_it():
    summary = {"plan": {"tiers": {"1": {"needs": 4}, "2": {"needs": 4}, "3": {"needs": 4}}},
               "greedy": {"tiers": {"1": {}, "2": {}, "3": {}}},
               "promises": {"plan": {"1": tier(0, 0.5), "2": tier(3, 0.0), "3": tier(1, 0.2)},
                            "greedy": {"1": tier(2, 0.0), "2": tier(1, 0.0), "3": tier(1, 0.2)}}}
    rows = tier_rows(summary)
    assert [r["earlier_took"] for r in rows] == [False, True, False]


def test_deliveries_without_a_carrier_name_their_unit_and_areas_in_both_languages(
        client, alice, bob, carla, la, need_of, offer_of):
    need_of(carla, "food", 5)
    offer_of(bob, ["food"], 8, radius_km=Decimal("20"))
    run = execute_run(do_request_run(la, enqueue=False).pk)
    assert run.status == "done" and run.summary["carriers"]["uncarried"]
    client.force_login(alice)
    for language, words in (("en", "5 kg · Food · Echo Park → Boyle Heights"),
                            ("es", "5 kg · Comida · Echo Park → Boyle Heights")):
        client.post(reverse("set_language"), {"language": language})
        page = client.get(reverse("plans:plan")).content.decode()
        listed = page.split('id="uncarried"')[1].split("</ul>")[0]
        assert words in listed and "· food ·" not in listed, language
