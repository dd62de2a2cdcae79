"""Shortage sentences agree in number in Spanish, and a place short in two tiers says each
tier (FINDINGS, December 2026: "Faltan 1 hora", "cubrirían" for one need; the same place
listed twice reads like a duplicate)."""

from __future__ import annotations

from django.utils import translation

from sinfronteras.plans.report import shortage_sentences


def summary(*rows):
    return {"names": {"resources": {"legal": {"name_en": "Legal help", "name_es": "Ayuda legal",
                                              "unit_es": "horas"}},
                      "places": {"a1": "Bell", "a2": "Cudahy"}},
            "plan": {"shortage": [{"resource": "legal", "unit": "hours", "place": "a1",
                                   "tier": 2, "needs": 1, **row} for row in rows]}}


def test_one_hour_short_for_one_need_reads_in_the_singular_in_spanish():
    with translation.override("es"):
        sentence, = shortage_sentences(summary({"short": 1.0}))
    assert sentence.startswith("Falta 1 hora de Ayuda legal en Bell: 1 hora más")
    assert "cubriría del todo 1 necesidad." in sentence
    assert "Faltan" not in sentence and "cubrirían" not in sentence


def test_several_hours_short_agree_with_the_hours_and_the_needs_with_their_count():
    with translation.override("es"):
        one_need, three_needs = shortage_sentences(
            summary({"short": 4.0}, {"short": 2.5, "place": "a2", "needs": 3}))
    assert one_need.startswith("Faltan 4 horas")
    assert one_need.endswith("cubrirían del todo 1 necesidad.")
    assert three_needs.startswith("Faltan 2,5 horas") and three_needs.endswith("3 necesidades.")
    with translation.override("en"):
        english = shortage_sentences(summary({"short": 1.0}))[0]
    assert english == ("1 hour of Legal help short in Bell: 1 hour more from a giver within reach "
                       "would fully meet 1 need.")


def test_a_resource_short_in_one_place_in_two_tiers_says_which_tier_each_is():
    rows = summary({"short": 3.0, "tier": 1}, {"short": 2.0, "tier": 2, "needs": 2},
                   {"short": 5.0, "place": "a2"})
    with translation.override("en"):
        urgent, basic, elsewhere = shortage_sentences(rows)
    assert urgent.startswith("Basic and urgent: 3 hours of Legal help short in Bell")
    assert basic.startswith("Basic: 2 hours of Legal help short in Bell")
    assert elsewhere.startswith("5 hours of Legal help short in Cudahy")  # alone: no tier
    with translation.override("es"):
        assert shortage_sentences(rows)[0].startswith("Básica y urgente — Faltan 3 horas")


def test_one_need_that_nobody_reaches_is_not_called_one_of_them():
    rows = summary({"short": 2.0, "nothing_in_reach": 1},
                   {"short": 6.0, "place": "a2", "needs": 3, "nothing_in_reach": 2})
    with translation.override("en"):
        one, three = shortage_sentences(rows)
    assert one.endswith("1 need. Nobody who gives it is within its reach at all.")
    assert three.endswith("3 needs. 2 of them have no giver of it within reach at all.")
    with translation.override("es"):
        one, three = shortage_sentences(rows)
    assert one.endswith("1 necesidad. No tiene a su alcance a nadie que lo dé.")
    assert "1 de ellas" not in one
    assert three.endswith("2 de ellas no tienen a nadie que lo dé a su alcance.")
