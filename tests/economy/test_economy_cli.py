"""``sinfronteras economy``: every shipped table, JSON keys, and one-line errors for bad input."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from sinfronteras import data
from sinfronteras.cli import main
from sinfronteras.economy.cli import main as economy

TABLES = ["germany_1995_beutel_table_15_4.csv", "germany_2009_un_manual.csv", "netherlands_2006.csv",
          "croatia_2010_siot.csv", "hungary_2020_siot.csv", "us_bea_2007_389_cxc.csv"]
KEYS = {"products", "output_multipliers", "labour_coefficients", "labour_values", "gross_output",
        "labour_needed"}
PLAN_KEYS = {"fractions", "tier_levels", "labour_available", "bottlenecks"}
PLAIN = """code,a,b,final_demand,output
a,10,20,70,100
b,30,10,60,100
D1,40,50
"""


def table_path(name):
    return str(data.path("economy", name))


def write(tmp_path, name, text):
    path = tmp_path / name
    path.write_text(text)
    return str(path)


def one_error_line(capsys, argv):
    assert economy(argv) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1, err
    return err[0]


@pytest.mark.parametrize("name", TABLES)
def test_every_shipped_table_plans_from_the_command_with_the_documented_keys(name, tmp_path):
    out = tmp_path / "economy.json"
    done = subprocess.run([sys.executable, "-m", "sinfronteras.cli", "economy", table_path(name),
                           "--labour-available", "1000", "--json", str(out)],
                          capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    result = json.loads(out.read_text())
    assert KEYS | PLAN_KEYS <= set(result)
    assert "technical_coefficients" in result and "leontief_inverse" in result
    assert len(result["products"]) == len(result["gross_output"])
    assert "labour needed" in done.stdout


def test_the_plain_layout_reads_and_the_json_goes_to_standard_output(tmp_path, capsys):
    assert economy([write(tmp_path, "t.csv", PLAIN), "--json", "-"]) == 0
    result = json.loads(capsys.readouterr().out)
    assert result["products"] == ["a", "b"]
    assert result["technical_coefficients"] == [[0.1, 0.2], [0.3, 0.1]]
    assert result["labour_coefficients"] == [0.4, 0.5]
    assert "fractions" not in result  # no labour budget, no capacities: no plan


def test_demands_and_capacities_files_give_fractions_by_demand_id(tmp_path, capsys):
    table = write(tmp_path, "t.csv", PLAIN)
    demands = write(tmp_path, "d.csv", "id,code,quantity,tier\nbread,a,50,1\nroofs,b,50,3\n")
    caps = write(tmp_path, "c.csv", "code,capacity\nb,40\n")
    assert economy([table, "--demands", demands, "--capacities", caps, "--json", "-"]) == 0
    result = json.loads(capsys.readouterr().out)
    assert set(result["fractions"]) == {"bread", "roofs"}
    assert result["bottlenecks"][0]["product"] == "b"
    assert "at capacity" in result["bottlenecks"][0]["sentence"]


@pytest.mark.parametrize("text, expected", [
    (PLAIN.replace("a,10,20", "a,10,x"), "row a, column b: 'x' is not a number"),
    (PLAIN.replace("a,10,20", "a,10,"), "row a, column b: an empty cell is not a number"),
    (PLAIN.replace("70,100", "70,-100"), "row a, column output: output -100 is negative"),
    (PLAIN.replace("b,30,10", "c,30,10"), "row 3, column 3: row 'c' and column 'b' do not match"),
    (PLAIN.replace("D1,40,50\n", ""), "expected a row D1"),
])
def test_a_bad_table_stops_with_one_line_naming_the_row_and_column(tmp_path, capsys, text, expected):
    line = one_error_line(capsys, [write(tmp_path, "t.csv", text)])
    assert expected in line


def test_a_table_that_cannot_produce_its_own_inputs_is_refused(tmp_path, capsys):
    text = "code,a,b,final_demand,output\na,60,50,1,100\nb,50,60,1,100\nD1,1,1\n"
    line = one_error_line(capsys, [write(tmp_path, "t.csv", text)])
    assert "spectral radius 1.1 >= 1" in line and "no economy can produce its own inputs" in line


@pytest.mark.parametrize("option, text, expected", [
    ("--demands", "id,code,quantity,tier\nd1,zzz,5,1\n", "row 2, column code: unknown product code 'zzz'"),
    ("--demands", "id,code,quantity,tier\nd1,a,5,7\n", "row 2, column tier: tier must be 1 to 4"),
    ("--demands", "id,code,quantity\nd1,a,5\n", "missing column(s) tier"),
    ("--capacities", "code,capacity\nqqq,5\n", "row 2, column code: unknown product code 'qqq'"),
    ("--capacities", "code,capacity\na,lots\n", "row 2, column capacity: 'lots' is not a number"),
])
def test_bad_demands_or_capacities_stop_with_one_line(tmp_path, capsys, option, text, expected):
    table = write(tmp_path, "t.csv", PLAIN)
    line = one_error_line(capsys, [table, "--labour-available", "10", option, write(tmp_path, "x.csv", text)])
    assert expected in line


def test_negative_final_demands_and_an_unbalanced_table_are_said_not_refused(capsys):
    assert economy([table_path("us_bea_2007_389_cxc.csv"), "--labour-available", "1e6", "--rows", "3"]) == 0
    err = capsys.readouterr().err
    assert "66 products have a negative final demand" in err and "treats them as no demand" in err
    assert "does not balance: row 339940" in err
    assert economy([table_path("germany_2009_un_manual.csv")]) == 0
    assert "does not balance: row CPA_A" in capsys.readouterr().err


@pytest.mark.django_db
def test_a_collectives_open_needs_become_final_demands_by_resource_and_tier(
        la, bob, carla, need_of, tmp_path, capsys):
    need_of(bob, "food", 5, urgent=True)
    need_of(carla, "food", 3, urgent=True)
    need_of(carla, "childcare", 4)
    mapping = write(tmp_path, "m.csv", "resource,code,factor\nfood,cpa_a,0.004\nchildcare,cpa_other,0.02\n")
    argv = ["economy", table_path("germany_1995_beutel_table_15_4.csv"), "--labour-available", "1",
            "--needs-from-collective", "la-unidos", "--mapping", mapping, "--json", "-"]
    assert main(argv) == 0
    result = json.loads(capsys.readouterr().out)
    assert result["fractions"] == {"childcare/tier4": 1.0, "food/tier1": 1.0}
    assert "bob" not in json.dumps(result) and "Boyle" not in json.dumps(result)


@pytest.mark.django_db
def test_a_need_of_a_resource_the_mapping_lacks_is_named(la, bob, need_of, tmp_path, capsys):
    need_of(bob, "diapers", 2)
    mapping = write(tmp_path, "m.csv", "resource,code,factor\nfood,cpa_a,0.004\n")
    argv = ["economy", table_path("germany_1995_beutel_table_15_4.csv"), "--labour-available", "1",
            "--needs-from-collective", "la-unidos", "--mapping", mapping]
    assert main(argv) == 2
    assert "no row for resource(s) diapers" in capsys.readouterr().err
