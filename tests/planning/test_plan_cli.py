"""``sinfronteras plan``: files in, plan out, one clear line on bad input."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from sinfronteras.planning import Problem, greedy, plan
from sinfronteras.planning.cli import main
from sinfronteras.planning.generate import city_problem

# Greedy serves n-early (input order) first and the urgent basic need after it gets nothing.
UNFAIR = {
    "version": 1,
    "resources": [{"id": "diapers", "unit": "packs", "basic": True}, {"id": "books", "unit": "items"}],
    "places": [{"id": "bh", "lat": 34.0339, "lon": -118.2047}, {"id": "ep", "lat": 34.0782, "lon": -118.2606}],
    "needs": [
        {"id": "n-early", "resource": "diapers", "quantity": 4, "place": "bh"},
        {"id": "n-urgent", "resource": "diapers", "quantity": 3, "place": "ep", "urgent": True},
        {"id": "n-books", "resource": "books", "quantity": 2, "place": "ep"},
    ],
    "offers": [
        {"id": "o-near", "resources": ["diapers"], "quantity": 4, "place": "bh", "radius_km": 10},
        {"id": "o-far", "resources": ["diapers"], "quantity": 3, "place": "bh", "radius_km": 2},
        {"id": "o-books", "resources": ["books"], "quantity": 1, "place": "ep"},
    ],
}


def write(tmp_path: Path, doc, name="problem.json") -> Path:
    path = tmp_path / name
    path.write_text(doc if isinstance(doc, str) else json.dumps(doc))
    return path


def test_greedy_leaves_an_urgent_basic_need_untouched_and_the_plan_meets_it():
    p = Problem.from_json(UNFAIR)
    g = {n.id: n for n in greedy(p).need_results}
    f = {n.id: n for n in plan(p).need_results}
    assert g["n-urgent"].met == 0.0 and g["n-early"].met == 4.0
    assert f["n-urgent"].met == 3.0 and f["n-early"].met == 4.0
    assert f["n-books"].fraction == 0.5


def test_cli_writes_the_plan_and_prints_the_table(tmp_path, capsys):
    out = tmp_path / "plan.json"
    assert main([str(write(tmp_path, UNFAIR)), "-o", str(out), "--compare", "greedy"]) == 0
    doc = json.loads(out.read_text())
    assert doc["version"] == 1 and doc["status"] == "optimal"
    printed = capsys.readouterr().out
    assert "1 basic, urgent" in printed and "greedy fully met" in printed and "distance:" in printed
    row = next(line for line in printed.splitlines() if line.startswith("1 basic, urgent"))
    plan_part, greedy_part = row.split("|")
    assert plan_part.split()[-4:] == ["1", "1", "0", "1.0000"]
    assert greedy_part.split() == ["0", "1", "0.0000"]


def test_same_input_gives_byte_identical_output(tmp_path):
    problem = write(tmp_path, city_problem(400, seed=3).to_json())
    a, b = tmp_path / "a.json", tmp_path / "b.json"
    assert main([str(problem), "-o", str(a)]) == 0
    assert main([str(problem), "-o", str(b)]) == 0
    assert a.read_bytes() == b.read_bytes()
    assert len(json.loads(a.read_text())["allocations"]) > 100


def test_empty_problem(tmp_path):
    out = tmp_path / "plan.json"
    assert main([str(write(tmp_path, {"version": 1})), "-o", str(out)]) == 0
    assert json.loads(out.read_text())["needs"] == []


def _bad(doc_changes):
    doc = json.loads(json.dumps(UNFAIR))
    doc_changes(doc)
    return doc


BAD_INPUTS = [
    ("{not json", "malformed JSON"),
    (_bad(lambda d: d["needs"][0].update(place="atlantis")), "unknown place 'atlantis'"),
    (_bad(lambda d: d["needs"][1].update(resource="gold")), "unknown resource 'gold'"),
    (_bad(lambda d: d["offers"].append(dict(d["offers"][0]))), "duplicate id 'o-near'"),
    (_bad(lambda d: d["needs"][0].update(quantity=-1)), "must be positive"),
    (_bad(lambda d: d["needs"][0].update(quantity="4 packs")), "must be a number"),
    (_bad(lambda d: d["offers"][0].update(resources=["diapers", "books"])), "share one unit"),
    (_bad(lambda d: d["needs"][0].pop("resource")), "missing field 'resource'"),
    (_bad(lambda d: d.update(version=3)), "unsupported version 3"),
]


@pytest.mark.parametrize("doc,words", BAD_INPUTS)
def test_bad_input_exits_2_with_one_line(tmp_path, capsys, doc, words):
    code = main([str(write(tmp_path, doc)), "-o", str(tmp_path / "plan.json")])
    err = capsys.readouterr().err
    assert code == 2
    assert words in err
    assert len(err.strip().splitlines()) == 1 and "Traceback" not in err
    assert not (tmp_path / "plan.json").exists()


def test_missing_file_and_bad_arguments(tmp_path, capsys):
    assert main([str(tmp_path / "nope.json")]) == 2
    assert "cannot read" in capsys.readouterr().err
    assert main(["--compare", "magic", "x.json"]) == 2
    err = capsys.readouterr().err
    assert len(err.strip().splitlines()) == 1


def test_console_script_runs_without_django(tmp_path):
    exe = Path(sys.executable).with_name("sinfronteras")
    problem = write(tmp_path, UNFAIR)
    r = subprocess.run([str(exe), "plan", str(problem), "-o", str(tmp_path / "p.json")], capture_output=True, text=True)
    assert r.returncode == 0, r.stderr
    r = subprocess.run([str(exe), "plan", str(write(tmp_path, "[", "bad.json"))], capture_output=True, text=True)
    assert r.returncode == 2 and len(r.stderr.strip().splitlines()) == 1 and "Traceback" not in r.stderr
