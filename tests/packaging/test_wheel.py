"""The built wheel is complete and runs on its own: ``pip install`` of the wheel (not editable) into a
fresh virtual environment, then the small scenario from another folder, checked against the output
contract with ``../shared/tools/check_result.py``.

The wheel is built from a copy of the source tree (what a fresh clone holds, without ``.venv`` or
outputs), so the build cannot lean on files that only a developer's checkout has. The fresh environment
gets coldgrid's runtime dependencies only (from the wheel's metadata, through pip and its cache), so a
module that imports a test-only library, or a config the wheel lacks, fails here.
"""

from __future__ import annotations

import email
import os
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
from packaging.requirements import Requirement

import sim
from tests.conftest import ROOT, SHARED

pytestmark = pytest.mark.slow

CHECKER = SHARED / "tools" / "check_result.py"
#: Not part of a fresh clone: never copied into the build tree.
LOCAL_ONLY = (".git", ".venv", "outputs", "multirun", "build", "dist", "site", "*.egg-info", "__pycache__",
              "*.pyc", ".pytest_cache", ".hypothesis", ".ruff_cache", ".ipynb_checkpoints")


def _files(folder: Path) -> set[str]:
    """Relative paths of the files under ``folder`` that a clone has (no caches, no bytecode)."""
    return {p.relative_to(folder).as_posix() for p in folder.rglob("*")
            if p.is_file() and "__pycache__" not in p.parts and p.suffix != ".pyc"}


def _run(cmd: list[str], cwd: Path, timeout: float = 600, env: dict[str, str] | None = None) -> subprocess.CompletedProcess:
    proc = subprocess.run(cmd, cwd=cwd, capture_output=True, text=True, timeout=timeout, env=env)
    assert proc.returncode == 0, f"{' '.join(cmd)}: exit {proc.returncode}\n{proc.stdout[-4000:]}\n{proc.stderr[-4000:]}"
    return proc


@pytest.fixture(scope="module")
def build(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str]:
    """The wheel built by ``pip wheel --no-deps`` from a clean copy of the tree, and the build's log."""
    src = tmp_path_factory.mktemp("src") / "coldgrid"
    shutil.copytree(ROOT, src, ignore=shutil.ignore_patterns(*LOCAL_ONLY))
    dist = tmp_path_factory.mktemp("dist")
    proc = _run([sys.executable, "-m", "pip", "wheel", "--no-deps", "-v", "-w", str(dist), str(src)], cwd=dist)
    wheels = sorted(dist.glob("coldgrid-*.whl"))
    assert len(wheels) == 1, wheels
    return wheels[0], proc.stdout + proc.stderr


def test_wheel_holds_every_module_config_and_marker(build: tuple[Path, str]):
    wheel, _ = build
    with zipfile.ZipFile(wheel) as z:
        names = set(z.namelist())
    shipped = {n for n in names if n.startswith("sim/")}
    expected = {f"sim/{p}" for p in _files(ROOT / "sim")} | {f"sim/configs/{p}" for p in _files(ROOT / "configs")}
    assert "sim/py.typed" in expected and "sim/configs/city/small_town.yaml" in expected
    assert not expected - shipped, f"missing from the wheel: {sorted(expected - shipped)}"
    assert not shipped - expected, f"in the wheel but not in the source tree: {sorted(shipped - expected)}"
    plugin = "hydra_plugins/coldgrid_sobol_sweeper"  # the Sobol sweeper, found by Hydra in its namespace
    assert {f"{plugin}/{p}" for p in _files(ROOT / plugin)} <= names
    assert "hydra_plugins/__init__.py" not in names  # a namespace package shared with other plugins


def test_wheel_metadata_license_and_dependencies(build: tuple[Path, str]):
    wheel, log = build
    with zipfile.ZipFile(wheel) as z:
        info = next(n for n in z.namelist() if n.endswith(".dist-info/METADATA"))
        meta = email.message_from_string(z.read(info).decode("utf-8"))
        assert any(n.endswith(".dist-info/licenses/LICENSE") for n in z.namelist())
    assert meta["License-Expression"] == "MIT"
    assert meta["Version"] == sim.__version__, "the wheel is not stamped with sim.__version__"
    requires = [Requirement(r) for r in meta.get_all("Requires-Dist")]
    runtime = {r.name.lower() for r in requires if r.marker is None}
    dev = {r.name.lower() for r in requires if r.marker is not None and r.marker.evaluate({"extra": "dev"})}
    assert {"hydra-core", "simpy", "numpy", "xarray", "weasyprint"} <= runtime
    assert not runtime & {"libhxl", "six", "pytest", "nbmake", "grimp"}, runtime  # test-only: in [dev]
    assert {"libhxl", "six", "pytest"} <= dev and "nbmake" not in dev
    assert "BuildBackendWarning" not in log and "deprecated" not in log.lower(), "setuptools warned while building"


@pytest.mark.requires("shared")
@pytest.mark.skipif(not CHECKER.is_file(), reason="../shared/tools/check_result.py not present")
def test_installed_wheel_runs_small_scenario_from_another_folder(build: tuple[Path, str], tmp_path: Path):
    wheel, _ = build
    venv = tmp_path / "venv"
    _run([sys.executable, "-m", "venv", "--without-pip", str(venv)], cwd=tmp_path)
    python = venv / "bin" / "python"
    # pip of this interpreter installs into the fresh one (--python); --no-compile saves half the time
    _run([sys.executable, "-m", "pip", "--python", str(python), "install", "-q", "--no-compile", str(wheel)],
         cwd=tmp_path, timeout=900)
    work = tmp_path / "elsewhere"
    work.mkdir()
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "PYTHONHOME", "VIRTUAL_ENV")}
    env["MPLBACKEND"] = "Agg"

    where = _run([str(python), "-c", "import sim, sim.resources; print(sim.__file__); "
                  "print(sim.resources.config_dir())"], cwd=work, env=env).stdout.split()
    assert all(Path(p).is_relative_to(venv) for p in where), f"not the installed package: {where}"

    assert "small_town" in _run([str(venv / "bin" / "coldgrid"), "--help"], cwd=work, env=env).stdout
    bad = subprocess.run([str(venv / "bin" / "coldgrid"), "city=paris"], cwd=work, env=env,
                         capture_output=True, text=True, timeout=300)
    assert bad.returncode == 2 and bad.stderr.strip().splitlines() == [
        "coldgrid: error: city=paris: unknown option; valid: kyiv, small_town"], bad.stderr

    _run([str(venv / "bin" / "coldgrid"), "city=small_town", "realizations=2", "horizon_days=2"], cwd=work, env=env)
    results = sorted(work.glob("outputs/runs/*/result.nc"))
    assert len(results) == 1, sorted(p.relative_to(work) for p in work.rglob("*"))
    check = subprocess.run([str(python), str(CHECKER), str(results[0])], cwd=work, env=env,
                           capture_output=True, text=True, timeout=300)
    assert check.returncode == 0, check.stdout + check.stderr
    assert "problems=0" in check.stdout.strip().splitlines()[-1]
