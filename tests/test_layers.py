"""The layers of docs/architecture.md hold: import-linter's contracts (pyproject.toml) pass,
and an import that runs back up breaks the contract it should, by name."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
LINT_IMPORTS = Path(sys.executable).with_name("lint-imports")


def lint_imports(cwd: Path, src: Path) -> subprocess.CompletedProcess:
    """Run ``lint-imports`` on the package under ``src`` with ``cwd``'s pyproject.toml."""
    env = {**os.environ, "PYTHONPATH": str(src), "NO_COLOR": "1", "COLUMNS": "250"}
    return subprocess.run([str(LINT_IMPORTS), "--no-cache"], cwd=cwd, env=env,
                          capture_output=True, text=True, timeout=300)


def test_it_keeps_every_import_contract():
    done = lint_imports(ROOT, ROOT / "src")
    assert done.returncode == 0, done.stdout + done.stderr
    assert " 0 broken" in done.stdout
    for name in ("The pure libraries import no Django and no app KEPT",
                 "Each layer imports only the layers below it KEPT",
                 "No circles between the files of plans, members, organizing, notify and audit KEPT"):
        assert name in done.stdout


def _copy_of_the_package(tmp_path: Path) -> Path:
    """The package's Python files and the project's pyproject.toml, in ``tmp_path``."""
    def not_python(folder, names):
        return [n for n in names if not n.endswith(".py") and not Path(folder, n).is_dir()
                or n == "__pycache__"]

    shutil.copytree(ROOT / "src" / "sinfronteras", tmp_path / "src" / "sinfronteras",
                    ignore=not_python)
    shutil.copy(ROOT / "pyproject.toml", tmp_path / "pyproject.toml")
    return tmp_path / "src" / "sinfronteras"


def test_it_names_the_broken_contract_when_the_planner_imports_an_app(tmp_path):
    package = _copy_of_the_package(tmp_path)
    (package / "planning" / "upward.py").write_text(
        '"""A deliberate mistake: the pure planner reads a Django model."""\n\n'
        "from sinfronteras.plans.models import Task  # noqa: F401\n")

    done = lint_imports(tmp_path, tmp_path / "src")

    assert done.returncode != 0, done.stdout
    assert "The pure libraries import no Django and no app BROKEN" in done.stdout
    assert "Each layer imports only the layers below it BROKEN" in done.stdout
    assert "sinfronteras.planning.upward -> sinfronteras.plans.models" in done.stdout


def test_it_finds_a_circle_between_two_files_of_an_app(tmp_path):
    package = _copy_of_the_package(tmp_path)
    jobs = package / "plans" / "jobs.py"
    jobs.write_text(jobs.read_text() + "\n\ndef _again():\n"
                    "    from .runs import do_request_run  # a circle: runs imports jobs\n\n"
                    "    return do_request_run\n")

    done = lint_imports(tmp_path, tmp_path / "src")

    assert done.returncode != 0, done.stdout
    assert ("No circles between the files of plans, members, organizing, notify and audit BROKEN"
            in done.stdout)
