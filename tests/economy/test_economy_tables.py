"""Published input-output tables give their published results.

Germany 1995 and the Netherlands 2006: Eurostat Manual of Supply, Use and
Input-Output Tables (2008), via the iotables project (MIT); Croatia 2010 (DZS),
Hungary 2020 (KSH), US 2007 (BEA, via USEEIO): see src/sinfronteras/data/README.md.
"""

from __future__ import annotations

import numpy as np
import pytest

from sinfronteras import data
from sinfronteras.economy import Economy, read_table

TABLES = ["germany_1995_beutel_table_15_4.csv", "germany_2009_un_manual.csv",
          "netherlands_2006.csv", "croatia_2010_siot.csv", "hungary_2020_siot.csv",
          "us_bea_2007_389_cxc.csv"]
#: How closely each table's rows balance as published: cells rounded to whole units
#: (Germany 2009, the Netherlands: 1 unit; US: outputs in whole millions).
BALANCE = {"germany_1995_beutel_table_15_4.csv": (0, 0), "hungary_2020_siot.csv": (0, 0),
           "croatia_2010_siot.csv": (1.2e-5, 0), "netherlands_2006.csv": (0, 1.0),
           "germany_2009_un_manual.csv": (0, 1.0), "us_bea_2007_389_cxc.csv": (5e-3, 0)}


def economy_of(name):
    return Economy.from_table(read_table(data.path("economy", name)))


def test_germany_1995_leontief_inverse_diagonal_is_the_manuals_table_15_10():
    inverse = economy_of("germany_1995_beutel_table_15_4.csv").leontief_inverse()
    assert np.round(np.diag(inverse), 4).tolist() == [1.0339, 1.4292, 1.0289, 1.1784, 1.4126, 1.0515]


def test_germany_1995_output_multipliers_are_the_published_ones():
    multipliers = economy_of("germany_1995_beutel_table_15_4.csv").output_multipliers()
    assert np.allclose(multipliers, [1.7048, 1.8413, 1.8136, 1.6035, 1.5951, 1.3782], atol=1e-3)


def test_netherlands_2006_compensation_effects_are_the_published_ones():
    effects = economy_of("netherlands_2006.csv").labour_values()
    assert np.allclose(effects, [0.263, 0.099, 0.306, 0.212, 0.465, 0.493], atol=5e-4)


@pytest.mark.parametrize("name", TABLES)
def test_every_shipped_tables_rows_balance_as_published(name):
    table = read_table(data.path("economy", name))
    relative, absolute = BALANCE[name]
    use = table.flows.sum(axis=1) + table.final_demand
    assert np.all(np.abs(use - table.output) <= relative * np.abs(table.output) + absolute + 1e-6)


@pytest.mark.parametrize("name", TABLES)
def test_labour_needed_for_the_final_demand_equals_labour_values_times_demand(name):
    table = read_table(data.path("economy", name))
    economy = Economy.from_table(table)
    x = economy.gross_output(table.final_demand)
    direct, embodied = economy.labour @ x, economy.labour_values() @ table.final_demand
    assert abs(direct - embodied) <= 1e-9 * abs(direct)


@pytest.mark.parametrize("name", TABLES)
def test_every_shipped_table_is_productive(name):
    assert economy_of(name).check_productive() < 1


@pytest.mark.parametrize("name, tolerance", [("germany_1995_beutel_table_15_4.csv", 1e-9),
                                             ("hungary_2020_siot.csv", 1e-9),
                                             ("croatia_2010_siot.csv", 1e-3)])
def test_gross_output_for_the_published_final_demand_is_the_published_output(name, tolerance):
    table = read_table(data.path("economy", name))
    x = Economy.from_table(table).gross_output(table.final_demand)
    assert np.allclose(x, table.output, rtol=tolerance, atol=0)


def test_the_us_table_warns_once_about_its_negative_flows_and_uses_them():
    table = read_table(data.path("economy", "us_bea_2007_389_cxc.csv"))
    warnings = [line for line in table.notes() if line.startswith("warning")]
    assert len(warnings) == 1
    assert "67 negative flows" in warnings[0] and "-0.0139" in warnings[0]
    assert (table.flows < 0).sum() == 67


def test_the_netherlands_households_column_is_not_counted_twice():
    table = read_table(data.path("economy", "netherlands_2006.csv"))
    assert table.final_demand[0] == 962 + 62 + 567 + 8568
    assert any("final_consumption_households" in line for line in table.notes())
