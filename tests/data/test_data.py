"""The repository stands on its own: its public data ships inside it and inside the package.

Nothing under ``src/``, ``tests/`` or ``bench/`` may read a folder beside the checkout;
the data loaders work with ``SINFRONTERAS_DATA`` unset; a wrong data folder stops
with one line; a built wheel carries the data and the Spanish catalogues, and
``migrate`` and ``loaddemo`` work from it in any directory.
"""

from __future__ import annotations

import hashlib
import os
import re
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from sinfronteras import data

REPO = Path(__file__).resolve().parents[2]
PACKAGED = REPO / "src" / "sinfronteras" / "data"
CLI = [sys.executable, "-m", "sinfronteras.cli"]

# Ways a path can leave the checkout: the old sibling data folder, or climbing above the
# repository root. Built from pieces so that this file does not match itself.
LEAVING = [
    re.compile("shar" + r"ed['\"]?\s*[/,)]\s*['\"]?data"),
    re.compile(r"['\"]\.\./|/\s*['\"]\.\.['\"]"),
    re.compile(r"REPO(_DIR)?\.parent\b|parents\[\d\]\.parent\b"),
]


def without_data_variable() -> dict[str, str]:
    return {k: v for k, v in os.environ.items() if k != data.VARIABLE}


def test_no_source_test_or_benchmark_reads_a_path_outside_the_repository():
    offenders = []
    for folder in ("src", "tests", "bench"):
        for path in sorted((REPO / folder).rglob("*.py")):
            for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
                if any(pattern.search(line) for pattern in LEAVING):
                    offenders.append(f"{path.relative_to(REPO)}:{number}: {line.strip()}")
    assert offenders == []


def test_the_data_folder_is_the_packaged_one_when_the_variable_is_unset(monkeypatch):
    monkeypatch.delenv(data.VARIABLE, raising=False)
    assert data.folder() == PACKAGED
    assert data.path("la", "food_pantries_2020.json").is_relative_to(REPO)


def test_the_demo_reads_every_pantry_with_the_variable_unset(monkeypatch):
    from sinfronteras.demo.catalogue import food_pantries

    monkeypatch.delenv(data.VARIABLE, raising=False)
    assert len(food_pantries()) == 345


def test_every_shipped_file_is_byte_identical_to_what_its_checksum_records():
    recorded = {}
    for line in (PACKAGED / "SHA256SUMS").read_text().splitlines():
        digest, name = line.split(maxsplit=1)
        recorded[name.removeprefix("./")] = digest
    shipped = {str(p.relative_to(PACKAGED)): hashlib.sha256(p.read_bytes()).hexdigest()
               for p in PACKAGED.rglob("*") if p.is_file()
               and p.name not in {"README.md", "SHA256SUMS"} and p.suffix not in {".py", ".pyc"}}
    assert shipped == recorded


def test_every_shipped_file_is_described_in_the_data_readme():
    readme = (PACKAGED / "README.md").read_text(encoding="utf-8")
    for line in (PACKAGED / "SHA256SUMS").read_text().splitlines():
        name = Path(line.split(maxsplit=1)[1]).name
        if not name.endswith(("_info.txt", "README_source.md")):
            assert name in readme, f"{name} is not described in data/README.md"


def test_a_missing_file_names_the_variable_and_the_file_it_looked_for(monkeypatch, tmp_path):
    monkeypatch.setenv(data.VARIABLE, str(tmp_path))
    with pytest.raises(data.DataMissing) as missing:
        data.path("la", "food_pantries_2020.json")
    message = str(missing.value)
    assert "\n" not in message
    assert data.VARIABLE in message and str(tmp_path / "la" / "food_pantries_2020.json") in message


def test_loaddemo_with_a_wrong_data_folder_stops_with_one_line_and_status_2(tmp_path):
    env = {**os.environ, data.VARIABLE: str(tmp_path / "nowhere"), "DATA_DIR": str(tmp_path)}
    done = subprocess.run([*CLI, "loaddemo"], env=env, capture_output=True, text=True,
                          cwd=tmp_path, timeout=120)
    assert done.returncode == 2
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1
    assert data.VARIABLE in lines[0] and "food_pantries_2020.json" in lines[0]
    assert not (tmp_path / "sinfronteras.sqlite3").exists()


@pytest.fixture(scope="module")
def wheel(tmp_path_factory):
    """The package built as a wheel from this checkout (no network: the venv's setuptools)."""
    out = tmp_path_factory.mktemp("wheel")
    subprocess.run([sys.executable, "-m", "pip", "wheel", "--quiet", "--no-deps",
                    "--no-build-isolation", "-w", str(out), str(REPO)],
                   check=True, capture_output=True, timeout=300)
    return next(out.glob("sinfronteras-*.whl"))


def test_the_wheel_carries_the_data_and_the_compiled_spanish_catalogues(wheel):
    names = set(zipfile.ZipFile(wheel).namelist())
    assert "sinfronteras/data/la/food_pantries_2020.json" in names
    assert "sinfronteras/data/README.md" in names
    assert "sinfronteras/data/food/food_supply_fao_per_country_1961_2017.csv" in names
    for app in ("", "assembly/", "organizing/", "plans/"):
        assert f"sinfronteras/{app}locale/es/LC_MESSAGES/django.mo" in names


@pytest.mark.slow
def test_an_installed_copy_migrates_and_loads_the_demo_from_any_directory(wheel, tmp_path):
    site = tmp_path / "site"
    zipfile.ZipFile(wheel).extractall(site)
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    env = {**without_data_variable(), "PYTHONPATH": str(site)}
    env.pop("DATA_DIR", None)
    env.pop("DATABASE_URL", None)
    where = subprocess.run([sys.executable, "-c", "import sinfronteras; print(sinfronteras.__file__)"],
                           env=env, cwd=elsewhere, capture_output=True, text=True, check=True)
    assert Path(where.stdout.strip()).is_relative_to(site)
    for command in (["migrate", "--noinput"], ["loaddemo"]):
        done = subprocess.run([*CLI, *command], env=env, cwd=elsewhere, capture_output=True,
                              text=True, timeout=600)
        assert done.returncode == 0, done.stderr[-2000:]
    assert "Loaded LA Sin Fronteras" in done.stdout
    assert (elsewhere / "var" / "sinfronteras.sqlite3").is_file()
