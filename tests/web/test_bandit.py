"""CI check: bandit finds nothing of medium or high severity in src/."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

SRC = Path(__file__).resolve().parents[2] / "src"


def bandit(*paths) -> dict:
    done = subprocess.run([sys.executable, "-m", "bandit", "-r", *map(str, paths), "-f", "json",
                           "-q", "--severity-level", "medium"],
                          capture_output=True, text=True, timeout=120)
    assert done.returncode in (0, 1), done.stderr
    return json.loads(done.stdout)


def test_bandit_finds_nothing_of_medium_or_high_severity_in_the_source():
    report = bandit(SRC)
    found = [f"{r['filename']}:{r['line_number']} {r['test_id']} {r['issue_text']}"
             for r in report["results"] if r["issue_severity"] in ("MEDIUM", "HIGH")]
    assert found == []
    assert report["metrics"]["_totals"]["loc"] > 5_000  # it read the source


def test_the_bandit_check_would_catch_a_shell_injection(tmp_path):
    (tmp_path / "bad.py").write_text("import subprocess\n\ndef run(name):\n"
                                     "    subprocess.call('ls ' + name, shell=True)\n")
    report = bandit(tmp_path)
    assert any(r["test_id"] == "B602" for r in report["results"])
