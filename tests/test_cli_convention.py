"""Every command follows one convention (docs/cli.md), run as a user runs it: the console script.

``-o FILE`` writes the main output to FILE (``-``: standard output), ``--json`` prints JSON,
bad input exits 2 with exactly one line on stderr, ``--help`` ends with an example, and an old
spelling still works with a one-line deprecation notice.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from production_server import production_env

from sinfronteras import data

EXE = str(Path(sys.executable).with_name("sinfronteras"))
PROBLEM = {
    "version": 1,
    "resources": [{"id": "diapers", "unit": "packs", "basic": True}],
    "places": [{"id": "bh", "lat": 34.0339, "lon": -118.2047}],
    "needs": [{"id": "n1", "resource": "diapers", "quantity": 3, "place": "bh", "urgent": True}],
    "offers": [{"id": "o1", "resources": ["diapers"], "quantity": 5, "place": "bh", "radius_km": 5}],
}
ECONOMY_TABLE = "code,a,b,final_demand,output\na,10,20,70,100\nb,30,10,60,100\nD1,40,50\n"
BURLINGTON = str(data.path("voting", "preflib", "burlington_2009_mayor.toi"))
PASSWORD = "long enough password 1"
LA = ["--collective", "los-angeles"]


def sinfronteras(*args: str, env=None, cwd=None, timeout=300) -> subprocess.CompletedProcess:
    return subprocess.run([EXE, *args], capture_output=True, text=True, env=env, cwd=cwd, timeout=timeout)


def one_line(done: subprocess.CompletedProcess, prog: str) -> str:
    """The one line a run that exited 2 printed on stderr, with nothing on stdout."""
    assert done.returncode == 2, done.stdout + done.stderr
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1, done.stderr
    assert lines[0].startswith(f"sinfronteras {prog}: error: ") and "Traceback" not in done.stderr
    assert "usage:" not in done.stderr
    return lines[0]


@pytest.fixture
def files(tmp_path):
    (tmp_path / "problem.json").write_text(json.dumps(PROBLEM))
    (tmp_path / "table.csv").write_text(ECONOMY_TABLE)
    return tmp_path


# --- plan --------------------------------------------------------------------------------------


def test_plan_writes_the_plan_to_a_file_and_the_table_to_standard_output(files):
    done = sinfronteras("plan", "problem.json", "-o", "plan.json", cwd=files)
    assert done.returncode == 0, done.stderr
    assert json.loads((files / "plan.json").read_text())["allocations"][0]["need"] == "n1"
    assert "1 basic, urgent" in done.stdout


def test_plan_writes_the_plan_to_standard_output_and_the_summary_as_json_to_stderr(files):
    done = sinfronteras("plan", "problem.json", "-o", "-", "--json", cwd=files)
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)["version"] == 1
    last = done.stderr.strip().splitlines()[-1]  # after any progress lines of a slow machine
    assert json.loads(last)["tiers"]["1"]["fully_met"] == 1


def test_plan_json_prints_the_summary_and_greedys_beside_it(files):
    done = sinfronteras("plan", "problem.json", "--json", "--compare", "greedy", cwd=files)
    assert done.returncode == 0, done.stderr
    summary = json.loads(done.stdout)
    assert summary["tiers"]["1"]["needs"] == 1 and summary["compare"]["greedy"]["tiers"]["1"]["needs"] == 1


@pytest.mark.parametrize("argv, words", [
    (["plan"], "required: problem"),
    (["plan", "nope.json"], "nope.json: cannot read"),
    (["plan", "problem.json", "--compare", "magic"], "invalid choice"),
    (["plan", "problem.json", "-o", "no/such/folder/plan.json"], "-o no/such/folder/plan.json: cannot write: no folder no/such/folder"),
])
def test_plan_bad_input_exits_2_with_one_line(files, argv, words):
    assert words in one_line(sinfronteras(*argv, cwd=files), "plan")


# --- tally -------------------------------------------------------------------------------------


def test_tally_writes_the_result_to_a_file_or_standard_output(tmp_path):
    done = sinfronteras("tally", BURLINGTON, "--rule", "irv", "-o", "result.txt", cwd=tmp_path)
    assert done.returncode == 0 and done.stdout == "", done.stderr
    assert "winners: Bob Kiss" in (tmp_path / "result.txt").read_text()
    done = sinfronteras("tally", BURLINGTON, "--rule", "irv", "-o", "-")
    assert "winners: Bob Kiss" in done.stdout


def test_tally_json_prints_or_writes_json(tmp_path):
    assert json.loads(sinfronteras("tally", BURLINGTON, "--rule", "irv", "--json").stdout)["winners"] == ["Bob Kiss"]
    assert sinfronteras("tally", BURLINGTON, "--json", "-o", "r.json", cwd=tmp_path).returncode == 0
    assert json.loads((tmp_path / "r.json").read_text())["winners"] == ["Andy Montroll"]


@pytest.mark.parametrize("argv, words", [
    (["tally"], "required: file"),
    (["tally", BURLINGTON, "--rule", "magic"], "invalid choice"),
    (["tally", BURLINGTON, "--seats", "0"], "--seats 0"),
    (["tally", BURLINGTON, "--rule", "greedy"], "needs a participatory budget"),
])
def test_tally_bad_input_exits_2_with_one_line(argv, words):
    assert words in one_line(sinfronteras(*argv), "tally")


# --- economy -----------------------------------------------------------------------------------


def test_economy_writes_the_lines_or_the_json_to_a_file(files):
    done = sinfronteras("economy", "table.csv", "-o", "lines.txt", cwd=files)
    assert done.returncode == 0 and done.stdout == "", done.stderr
    assert (files / "lines.txt").read_text().startswith("product")
    done = sinfronteras("economy", "table.csv", "-o", "economy.json", "--json", cwd=files)
    assert done.returncode == 0 and done.stderr == "", done.stderr
    assert json.loads((files / "economy.json").read_text())["products"] == ["a", "b"]


def test_economy_json_prints_json_and_dash_o_dash_prints_the_lines(files):
    done = sinfronteras("economy", "table.csv", "--json", cwd=files)
    assert json.loads(done.stdout)["labour_coefficients"] == [0.4, 0.5] and done.stderr == ""
    assert sinfronteras("economy", "table.csv", "-o", "-", cwd=files).stdout.startswith("product")


def test_economys_old_json_out_still_writes_the_file_and_says_it_is_deprecated(files):
    done = sinfronteras("economy", "table.csv", "--json", "old.json", cwd=files)
    assert done.returncode == 0, done.stderr
    assert json.loads((files / "old.json").read_text())["products"] == ["a", "b"]
    assert done.stdout.startswith("product")  # as before: the lines on standard output
    assert done.stderr.strip().splitlines() == [
        "sinfronteras economy: --json OUT is deprecated; use -o OUT --json"]
    done = sinfronteras("economy", "table.csv", "--json", "-", cwd=files)
    assert json.loads(done.stdout)["products"] == ["a", "b"]
    assert done.stderr.strip().splitlines() == ["sinfronteras economy: --json - is deprecated; use --json"]


def test_economys_json_before_the_table_reads_the_table_and_prints_json(files):
    done = sinfronteras("economy", "--json", "table.csv", cwd=files)
    assert done.returncode == 0 and done.stderr == "", done.stderr
    assert json.loads(done.stdout)["products"] == ["a", "b"]


@pytest.mark.parametrize("argv, words", [
    (["economy"], "required: table"),
    (["economy", "missing.csv"], "missing.csv: cannot read"),
    (["economy", "table.csv", "--rows", "many"], "invalid int value"),
    (["economy", "table.csv", "-o", "x.json", "--json", "y.json"], "not both"),
])
def test_economy_bad_input_exits_2_with_one_line(files, argv, words):
    assert words in one_line(sinfronteras(*argv, cwd=files), "economy")


# --- world -------------------------------------------------------------------------------------

WORLD = ["world", "--year", "2017", "--min-pop", "5000000", "--radius-km", "2000"]


def test_world_writes_the_problem_to_a_file_and_says_what_it_built(tmp_path):
    done = sinfronteras(*WORLD, "-o", "world.json", cwd=tmp_path, timeout=600)
    assert done.returncode == 0, done.stderr
    assert json.loads((tmp_path / "world.json").read_text())["version"] == 1
    assert "countries below 2,100 kcal" in done.stdout


def test_world_writes_the_problem_to_standard_output_and_what_it_built_as_json_to_stderr(tmp_path):
    done = sinfronteras(*WORLD, "-o", "-", "--json", cwd=tmp_path, timeout=600)
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)["resources"][0]["unit"] == "Gkcal/day"
    built = json.loads(done.stderr)
    assert built["year"] == 2017 and built["places"] > 0 and built["below"]


@pytest.mark.parametrize("argv, words", [
    (["world"], "required: --year, -o/--output"),
    (["world", "--year", "2020", "-o", "x.json"], "1961 to 2017"),
    (["world", "--year", "2017", "--grid-deg", "0", "-o", "x.json"], "--grid-deg 0.0"),
])
def test_world_bad_input_exits_2_with_one_line(tmp_path, argv, words):
    assert words in one_line(sinfronteras(*argv, cwd=tmp_path), "world")


# --- --help of every command -------------------------------------------------------------------

EVERY = ["plan", "tally", "economy", "world", "federation", "plan-export", "replan", "housekeeping",
         "createcollective", "backup", "restore", "loaddemo", "democode"]


@pytest.mark.parametrize("command", EVERY)
def test_every_commands_help_ends_with_an_example(command, tmp_path):
    done = sinfronteras(command, "--help", env={**production_env(tmp_path, 8000), "DATABASE_URL": ""})
    assert done.returncode == 0, done.stderr
    example = done.stdout.split("\nexample:\n", 1)[1]
    assert example.strip().startswith(f"sinfronteras {command}") or f"sinfronteras {command}" in example


# --- the Django commands -----------------------------------------------------------------------


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    """A migrated site with one collective in a federation and one finished plan run."""
    folder = tmp_path_factory.mktemp("conv")
    env = production_env(folder, 8000, DATABASE_URL="", FEDERATION_KEY_DIR=str(folder / "keys" / "fed"))
    for argv in (["migrate", "--noinput"],
                 ["createcollective", "Los Angeles", "--username", "ana", "--password", PASSWORD],
                 ["federation", "create", "Sin Fronteras", *LA], ["replan", "--now", *LA]):
        done = sinfronteras(*argv, env=env, cwd=folder)
        assert done.returncode == 0, done.stderr
    return env, folder


def test_federation_status_follows_dash_o_and_json(site):
    env, folder = site
    done = sinfronteras("federation", "status", *LA, "-o", "status.txt", env=env, cwd=folder)
    assert done.returncode == 0 and done.stdout == "", done.stderr
    assert "Sin Fronteras" in (folder / "status.txt").read_text()
    assert "Sin Fronteras" in sinfronteras("federation", "status", *LA, "-o", "-", env=env, cwd=folder).stdout
    status = json.loads(sinfronteras("federation", "status", *LA, "--json", env=env, cwd=folder).stdout)
    assert status["federation"] == "Sin Fronteras"


def test_plan_export_writes_two_files_into_a_folder_and_says_so_in_json(site):
    env, folder = site
    done = sinfronteras("plan-export", *LA, "-o", "run", "--json", env=env, cwd=folder)
    assert done.returncode == 0, done.stderr
    written = json.loads(done.stdout)
    assert written["collective"] == "los-angeles" and written["problem"].endswith("problem.json")
    assert json.loads((folder / "run" / "plan.json").read_text())["version"] == 1
    replanned = sinfronteras("plan", "run/problem.json", "--json", cwd=folder)
    assert replanned.returncode == 0 and "tiers" in json.loads(replanned.stdout)


def test_replan_and_housekeeping_write_their_report_or_print_it_as_json(site):
    env, folder = site
    done = sinfronteras("replan", *LA, "--now", "--json", "-o", "run.json", env=env, cwd=folder)
    assert done.returncode == 0 and done.stdout == "", done.stderr
    assert json.loads((folder / "run.json").read_text())["status"] == "done"
    done = sinfronteras("housekeeping", "--json", env=env, cwd=folder)
    assert "needs_deleted" in json.loads(done.stdout)
    done = sinfronteras("housekeeping", "-o", "-", env=env, cwd=folder)
    assert "needs deleted:" in done.stdout


@pytest.mark.parametrize("argv, prog, words", [
    (["federation", "status", "--bogus"], "federation", "unrecognized arguments: --bogus"),
    (["federation", "status", *LA, "-o", "no/such/folder/s.txt"], "federation", "cannot write"),
    (["plan-export", *LA], "plan-export", "required: -o/--output"),
    (["plan-export", *LA, "--run", "999999", "-o", "x"], "plan-export", "999999"),
    (["replan", "--collective", "nowhere"], "replan", "no such collective"),
    (["housekeeping", "--json", "-o"], "housekeeping", "expected one argument"),
    (["createcollective", "X", "--username", "a b", "--password", PASSWORD], "createcollective", "--username"),
])
def test_a_django_commands_bad_input_exits_2_with_one_line(site, argv, prog, words):
    env, folder = site
    assert words in one_line(sinfronteras(*argv, env=env, cwd=folder), prog)


def test_createcollective_prints_what_it_made_as_json(site):
    env, folder = site
    done = sinfronteras("createcollective", "Tijuana", "--username", "rosa", "--password", PASSWORD,
                        "--catalogue", "empty", "--json", env=env, cwd=folder)
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout) == {"collective": "Tijuana", "slug": "tijuana", "coordinator": "rosa"}


@pytest.mark.parametrize("argv, prog, words", [
    (["closeproposals", "--bogus"], "closeproposals", "unrecognized arguments"),
    (["backup", "-o", "-", "--passphrase-file", "nowhere"], "backup", "a backup is binary"),
    (["newsealkey", "extra"], "newsealkey", "unrecognized arguments: extra"),
])
def test_the_maintenance_commands_refuse_bad_input_in_one_line(site, argv, prog, words):
    env, folder = site
    assert words in one_line(sinfronteras(*argv, env=env, cwd=folder), prog)


def test_the_maintenance_commands_report_as_json_or_to_a_file(site):
    env, folder = site
    assert json.loads(sinfronteras("closeproposals", "--json", env=env, cwd=folder).stdout) == []
    done = sinfronteras("expireconversations", "-o", "gone.txt", env=env, cwd=folder)
    assert done.returncode == 0 and (folder / "gone.txt").read_text() == "conversations deleted: 0\n"


def test_an_unknown_command_is_one_line_naming_the_nearest(site):
    env, folder = site
    done = sinfronteras("plna", env=env, cwd=folder)
    assert done.returncode == 2 and done.stderr.strip().splitlines() == [
        "sinfronteras: error: unknown command 'plna': did you mean plan or replan? "
        "(`sinfronteras help` lists them all)"]


def test_help_lists_the_pure_commands_and_shows_their_help(site):
    env, folder = site
    assert "\n    tally\n" in sinfronteras("help", env=env, cwd=folder).stdout
    assert "example:\n  sinfronteras tally" in sinfronteras("help", "tally", env=env, cwd=folder).stdout
