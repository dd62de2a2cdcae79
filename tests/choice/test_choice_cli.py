"""``sinfronteras tally``: exit codes, JSON, and one-line errors for bad files.

Real files: Burlington 2009 (PrefLib 00005-00000002, Open STV) and Assen 2024
(Pabulib; Stolicki, Szufa, Talmon 2020).
"""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from sinfronteras import data
from sinfronteras.choice.cli import main

BURLINGTON = data.path("voting", "preflib", "burlington_2009_mayor.toi")
ASSEN = data.path("voting", "pabulib", "Netherlands_Assen_2024.pb")


def test_tally_prints_the_irv_winner_and_the_rounds(capsys):
    assert main([str(BURLINGTON), "--rule", "irv"]) == 0
    out = capsys.readouterr().out
    assert "winners: Bob Kiss" in out and "round 1: Kurt Wright 2951" in out


def test_tally_json_lists_the_winners_in_order_of_election(capsys):
    assert main([str(ASSEN), "--rule", "mes-add1", "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["winners"][:2] == ["PopUp Podium", "Jongerenplatform"] and len(data["ids"]) == 9
    assert main([str(BURLINGTON), "--rule", "schulze", "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["winners"] == ["Andy Montroll"]


def test_tally_elects_several_with_stv_and_refuses_a_budget_rule_on_rankings(capsys):
    assert main([str(BURLINGTON), "--rule", "stv", "--seats", "2", "--json"]) == 0
    assert len(json.loads(capsys.readouterr().out)["winners"]) == 2
    assert main([str(BURLINGTON), "--rule", "greedy"]) == 2
    assert "needs a participatory budget" in capsys.readouterr().err


def test_a_bad_file_exits_2_with_one_line_naming_the_line(tmp_path):
    bad = tmp_path / "bad.pb"
    bad.write_text("META\nkey;value\nbudget;10\nPROJECTS\nproject_id;cost\n1;6\nVOTES\nvoter_id;vote\nv1;9\n")
    run = subprocess.run([sys.executable, "-m", "sinfronteras.cli", "tally", str(bad), "--rule", "greedy"],
                         capture_output=True, text=True)
    assert run.returncode == 2
    assert run.stderr.strip().splitlines() == [f"sinfronteras tally: error: {bad}: line 9: unknown project 9"]
    assert run.stdout == ""


def test_a_missing_file_and_a_bad_seat_count_exit_2(tmp_path, capsys):
    assert main([str(tmp_path / "none.toi"), "--rule", "irv"]) == 2
    assert main([str(tmp_path / "none.toi"), "--rule", "stv", "--seats", "0"]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 2 and "cannot read" in err[0]
