"""Every shipped instance's plan is byte-identical to the one the planner wrote before issue 22's speed work.

The expected SHA-256 of each plan document is in ``plan_hashes.json`` (see
``golden_plans.py`` for the instances and how the hashes were made).
"""

from __future__ import annotations

import json

import pytest
from golden_plans import HASHES, digest, instances, plan_bytes

from sinfronteras.planning import Problem, plan

EXPECTED = json.loads(HASHES.read_text(encoding="utf-8"))
CASES = list(instances())


def test_it_has_an_expected_hash_for_every_shipped_instance():
    assert sorted(EXPECTED) == sorted(name for name, _, _ in CASES)


@pytest.mark.parametrize("name, doc, extra", CASES, ids=[c[0] for c in CASES])
def test_it_writes_the_same_plan_bytes_as_before(tmp_path, name, doc, extra):
    assert digest(plan_bytes(tmp_path, name, doc, extra)) == EXPECTED[name]


@pytest.mark.parametrize("name", ["odd-formats", "city-300-seed1", "city-1500-seed5-steps-replan"])
def test_it_writes_a_plan_exactly_as_the_standard_json_module_would(name):
    doc = next(d for n, d, _ in CASES if n == name)
    result = plan(Problem.from_json(doc))
    assert result.dumps() == json.dumps(result.to_json(), indent=1, ensure_ascii=False, allow_nan=False) + "\n"


def test_it_refuses_a_plan_with_a_number_json_cannot_hold():
    result = plan(Problem.from_json(next(d for n, d, _ in CASES if n == "odd-formats")))
    result.summary["distance_km"] = float("nan")
    with pytest.raises(ValueError, match="not JSON compliant"):
        result.dumps()


def test_it_escapes_ids_in_bulk_exactly_as_the_standard_json_module():
    from sinfronteras.planning.jsonout import encode_strings

    tricky = ['a","b', "end\\", '\\"', '","', "", "ñ\u2028\x00\x7f", "\ud800 lone", '"', "x" * 5000]
    assert encode_strings(tricky) == [json.dumps(s, ensure_ascii=False) for s in tricky]
    plain = [s for s in tricky if "\ud800" not in s]  # orjson's own path (it refuses lone surrogates)
    assert encode_strings(plain) == [json.dumps(s, ensure_ascii=False) for s in plain]
