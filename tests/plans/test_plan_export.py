"""A plan anyone can check: a run's problem and plan, from the command line and the plan page,
re-planned with ``sinfronteras plan`` to the same ``met``."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse

from conftest import area
from sinfronteras.plans.runs import do_request_run, execute_run


def make_plan(collective, who=None):
    run = execute_run(do_request_run(collective, who, enqueue=False).pk)
    assert run.status == "done", run.error
    return run


@pytest.fixture
def contested(la, alice, bob, carla, need_of, offer_of):
    """Food short in Boyle Heights and Echo Park, diapers in packs, a need nothing reaches."""
    needs = [need_of(carla, "food", 6, urgent=True), need_of(bob, "food", 4), need_of(carla, "food", 2.5),
             need_of(bob, "diapers", 3), need_of(carla, "childcare", 2)]
    offers = [offer_of(alice, ["food"], 7, radius_km=10), offer_of(alice, ["diapers"], 2)]
    return needs, offers


def replan(tmp_path: Path, problem: Path) -> dict:
    exe = Path(sys.executable).with_name("sinfronteras")
    out = tmp_path / "again.json"
    r = subprocess.run([str(exe), "plan", str(problem), "-o", str(out)], capture_output=True, text=True)
    assert r.returncode == 0, r.stderr
    return json.loads(out.read_text())


def test_plan_export_writes_the_runs_problem_and_plan_that_replan_to_the_same_met(tmp_path, la, alice, contested):
    needs, offers = contested
    run = make_plan(la, alice)
    call_command("plan-export", "--collective", la.slug, "-o", str(tmp_path / "out"))
    problem = json.loads((tmp_path / "out" / "problem.json").read_text())
    plan = json.loads((tmp_path / "out" / "plan.json").read_text())
    assert sorted(n["id"] for n in problem["needs"]) == sorted(str(n.pk) for n in needs)
    assert sorted(o["id"] for o in problem["offers"]) == sorted(str(o.pk) for o in offers)
    assert {n["place"] for n in problem["needs"]} <= {str(a.pk) for a in la.areas.all()}
    met = {row["id"]: row["met"] for row in plan["needs"]}
    stored = {str(o.need_id): float(o.met) for o in run.outcomes.all()}  # thousandths
    assert met.keys() == stored.keys() and all(abs(met[k] - stored[k]) <= 0.0005 for k in met)
    assert met[str(needs[0].pk)] == 6.0 and 0 < met[str(needs[1].pk)] < 4 and met[str(needs[4].pk)] == 0.0
    again = replan(tmp_path, tmp_path / "out" / "problem.json")
    assert {row["id"]: row["met"] for row in again["needs"]} == met
    assert again["allocations"] == plan["allocations"]


def test_the_files_name_no_member_and_hold_no_address(tmp_path, la, alice, bob, carla, contested):
    make_plan(la, alice)
    call_command("plan-export", "-o", str(tmp_path))
    text = (tmp_path / "problem.json").read_text() + (tmp_path / "plan.json").read_text()
    for member in (alice, bob, carla):
        assert member.username not in text.lower() and member.display_name not in text
    assert "Boyle Heights" not in text and "Echo Park" not in text


def test_plan_export_of_an_earlier_run_by_number_and_one_clear_error(tmp_path, la, alice, bob, contested, need_of):
    first = make_plan(la, alice)
    need_of(bob, "food", 1, area=area(la, "Echo Park"))
    make_plan(la, alice)
    call_command("plan-export", "--run", str(first.pk), "-o", str(tmp_path))
    assert len(json.loads((tmp_path / "problem.json").read_text())["needs"]) == 5
    with pytest.raises(CommandError, match=r"no finished plan run #999999"):
        call_command("plan-export", "--run", "999999", "-o", str(tmp_path))
    with pytest.raises(CommandError, match=r"--collective 'nowhere': no such collective"):
        call_command("plan-export", "--collective", "nowhere", "-o", str(tmp_path))


@pytest.mark.parametrize("language", ["en", "es"])
def test_any_member_downloads_the_same_two_files_from_the_plan_page(tmp_path, client, la, alice, bob, contested,
                                                                    language):
    run = make_plan(la, alice)
    bob.language = language
    bob.save()
    client.force_login(bob)
    page = client.get(reverse("plans:plan")).content.decode()
    link = f"{reverse('plans:export', args=['problem'])}?run={run.pk}"
    assert link in page and ("sinfronteras plan" in page)
    assert ("Comprueba este plan" in page) == (language == "es")
    got = client.get(link)
    assert got.status_code == 200 and got["Content-Disposition"] == 'attachment; filename="problem.json"'
    call_command("plan-export", "-o", str(tmp_path))
    assert json.loads(got.content) == json.loads((tmp_path / "problem.json").read_text())
    plan = client.get(reverse("plans:export", args=["plan"]))
    assert json.loads(plan.content) == json.loads((tmp_path / "plan.json").read_text())
    (tmp_path / "down.json").write_bytes(got.content)
    again = replan(tmp_path, tmp_path / "down.json")
    assert {r["id"]: r["met"] for r in again["needs"]} == {r["id"]: r["met"] for r in json.loads(plan.content)["needs"]}
    assert client.get(reverse("plans:export", args=["plan"]), {"run": "x"}).status_code == 404


def test_a_member_of_another_collective_gets_nothing_of_this_ones_runs(client, la, alice, dmitri, contested):
    run = make_plan(la, alice)
    client.force_login(dmitri)
    assert client.get(reverse("plans:export", args=["problem"]), {"run": run.pk}).status_code == 404
