"""Amounts and dates people can read, in the reader's language, everywhere."""

from __future__ import annotations

import doctest
from datetime import date, datetime
from decimal import Decimal

import pytest
from django.template import Context, Template
from django.utils import formats as django_formats
from django.utils import timezone, translation

from sinfronteras.web import formats
from sinfronteras.web.formats import NBSP, amount, hours, number


def test_the_formats_docstring_examples_run():
    assert doctest.testmod(formats).failed == 0


@pytest.mark.parametrize("value, en, es", [
    (Decimal("2.000"), "2", "2"),
    (Decimal("1.500"), "1.5", "1,5"),
    (Decimal("1283.000"), "1,283", "1283"),
    (Decimal("12500.250"), "12,500.25", f"12{NBSP}500,25"),
    (1.925, "1.925", "1,925"),
    ("679/2", "339.5", "339,5"),
    (0, "0", "0"),
    (Decimal("-3.50"), "-3.5", "-3,5"),
])
def test_numbers_read_as_the_reader_writes_them(value, en, es):
    assert number(value, language="en") == en
    assert number(value, language="es") == es


def test_one_of_a_unit_is_singular_and_more_are_plural():
    assert amount(1, "packs", language="en") == "1 pack"
    assert amount(2, "packs", language="en") == "2 packs"
    assert amount(1, "paquetes", language="es") == "1 paquete"
    assert amount(Decimal("1.5"), "horas", language="es") == "1,5 horas"
    assert amount(1, "ejemplares", language="es") == "1 ejemplar"
    assert amount(1, "kg", language="es") == "1 kg"
    with translation.override("en"):
        assert hours(1) == "1 hour" and hours(Decimal("2.50")) == "2.5 hours"
    with translation.override("es"):
        assert hours(1) == "1 hora" and hours(Decimal("0.75")) == "0,75 horas"


def test_an_amount_of_a_resource_uses_the_unit_of_the_page(la):
    diapers = la.resources.get(key="diapers")
    diapers.unit_es = "paquetes"
    with translation.override("es"):
        assert amount(Decimal("2.000"), diapers) == "2 paquetes"
    with translation.override("en"):
        assert amount(Decimal("1.000"), diapers) == "1 pack"


def test_the_template_filters_write_amounts_and_plain_numbers_for_inputs(la):
    food = la.resources.get(key="food")
    template = Template("{{ q|amount:food }}|{{ q|number }}|{{ q|plain }}|{{ f|percent }}")
    context = Context({"q": Decimal("1.500"), "food": food, "f": 0.925})
    with translation.override("es"):
        assert template.render(context) == "1,5 kg|1,5|1.5|93%"
    with translation.override("en"):
        assert template.render(context) == "1.5 kg|1.5|1.5|93%"


def test_dates_are_written_one_way_per_language_with_a_24_hour_clock_in_spanish():
    moment = timezone.make_aware(datetime(2026, 12, 8, 13, 46))
    with translation.override("en"):
        assert django_formats.date_format(moment, "DATETIME_FORMAT") == "Dec 8, 2026, 1:46 PM"
        assert django_formats.date_format(moment, "SHORT_DATETIME_FORMAT") == "Dec 8, 2026, 1:46 PM"
        assert django_formats.date_format(date(2026, 12, 5), "SHORT_DATE_FORMAT") == "Dec 5, 2026"
    with translation.override("es"):
        assert django_formats.date_format(moment, "DATETIME_FORMAT") == "8 dic 2026, 13:46"
        assert django_formats.date_format(moment, "SHORT_DATETIME_FORMAT") == "8 dic 2026, 13:46"
        assert django_formats.date_format(date(2026, 12, 5), "SHORT_DATE_FORMAT") == "5 dic 2026"


@pytest.mark.parametrize("language", ["en", "es"])
def test_date_and_number_inputs_hold_what_a_browser_reads(la, bob, language):
    from sinfronteras.sharing.forms import NeedForm
    from sinfronteras.sharing.models import Need

    need = Need(collective=la, posted_by=bob, resource=la.resources.get(key="food"),
                quantity=Decimal("2.000"), area=bob.area, needed_by=date(2026, 12, 5))
    with translation.override(language):
        html = str(NeedForm(instance=need, member=bob))
    assert 'value="2026-12-05"' in html and 'type="date"' in html
    assert 'value="2"' in html and "2.000" not in html and "2,000" not in html


def test_the_shortage_report_writes_amounts_in_the_readers_language():
    from sinfronteras.plans.report import shortage_sentences

    summary = {"names": {"resources": {"diapers": {"name_en": "Diapers", "name_es": "Pañales",
                                                   "unit_es": "paquetes"}},
                         "places": {"a1": "Boyle Heights"}},
               "plan": {"shortage": [{"resource": "diapers", "unit": "packs", "place": "a1",
                                      "short": 1.0, "needs": 1}]}}
    with translation.override("en"):
        assert shortage_sentences(summary)[0].startswith("1 pack of Diapers short in Boyle Heights")
    summary["plan"]["shortage"][0]["short"] = 1283.5
    with translation.override("es"):
        assert shortage_sentences(summary)[0].startswith("Faltan 1283,5 paquetes de Pañales")


def test_assembly_results_count_whole_people_and_share_a_budget_in_its_unit(la):
    from sinfronteras.assembly.models import Proposal
    from sinfronteras.assembly.results import explain, reason_text

    with translation.override("en"):
        text = reason_text({"code": "quorum", "voted": 12, "members": 679, "needed": "679/2"})
        assert "340 votes needed" in text and "/" not in text
    money = la.resources.create(key="money", name_en="Money", name_es="Dinero", unit="dollars",
                                unit_es="dólares")
    proposal = Proposal(collective=la, kind="budget", resource=money, title="Budget")
    tally = {"rule": "mes-add1", "rounds": [], "details": {
        "budget_per_voter": "29/3", "spent": "580", "limit": "600"}}
    with translation.override("es"):
        shown = explain(proposal, [], tally)
    assert shown["budget_per_voter"] == "9,67 dólares"
    assert (shown["spent"], shown["limit"]) == ("580 dólares", "600 dólares")


def test_a_long_action_title_is_never_cut_on_the_numbers_chart():
    from sinfronteras.organizing.stats import bar_chart

    title = "Door-knocking on Cesar Chavez Avenue with the tenants' union"
    chart = bar_chart([(title, 120), ("Rally", 1200)])
    first = chart["items"][0]
    assert " ".join(line["text"] for line in first["lines"]) == title
    assert first["value"] == "120" and chart["items"][1]["value"] in ("1,200", "1200")
    assert all(line["y"] < first["y"] for line in first["lines"])  # above its bar
    assert chart["height"] >= chart["items"][-1]["y"] + chart["items"][-1]["h"]


def test_a_shortage_under_one_unit_is_counted_not_worded_in_both_languages():
    from sinfronteras.plans.report import shortage_sentences

    rows = [{"resource": "legal", "unit": "hours", "place": "a1", "short": 0.5, "needs": 1},
            {"resource": "legal", "unit": "hours", "place": "a2", "short": 0.5, "needs": 1},
            {"resource": "legal", "unit": "hours", "place": "a3", "short": 4.0, "needs": 2}]
    summary = {"names": {"resources": {"legal": {"name_en": "Legal help", "name_es": "Ayuda legal",
                                                 "unit_es": "horas"}},
                         "places": {"a1": "Maywood", "a2": "Bell", "a3": "Cudahy"}},
               "plan": {"shortage": rows}}
    with translation.override("en"):
        sentences = shortage_sentences(summary)
    assert len(sentences) == 2 and sentences[0].startswith("4 hours of Legal help short in Cudahy")
    assert sentences[1] == "And 2 smaller shortages, each of less than one unit."
    assert not any("Maywood" in s or "0.5" in s for s in sentences)
    with translation.override("es"):
        assert shortage_sentences(summary)[1] == "Y 2 faltas menores, cada una de menos de una unidad."
