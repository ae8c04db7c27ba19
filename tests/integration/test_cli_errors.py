"""The CLI as a user sees it: help, and one-line errors with exit status 2 for bad input."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import ROOT

COLDGRID = str(Path(sys.executable).with_name("coldgrid"))


def run(*args: str, cwd: Path = ROOT) -> subprocess.CompletedProcess:
    return subprocess.run([COLDGRID, *args], capture_output=True, text=True, cwd=cwd, timeout=120)


def test_help_lists_groups_options_and_descriptions():
    r = run("--help")
    assert r.returncode == 0
    for group in ("city", "weather", "attacks", "repair", "buildings", "people", "hydra/launcher"):
        assert f"\n  {group}\n" in r.stdout
    for option in ("kyiv", "small_town", "cold_snap", "pause_week", "single_wave", "total_heat_loss", "joblib"):
        assert f"    {option} " in r.stdout
    line = next(ln for ln in r.stdout.splitlines() if ln.strip().startswith("pause_week"))
    assert len(line.split(maxsplit=1)[1]) > 20  # a real description


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (["city=paris"], "city=paris: unknown option; valid: kyiv, small_town"),
        (["foo=1"], "foo: unknown key"),
        (["weather.nope=3"], "weather.nope: unknown key"),
        (["realizations=abc"], "realizations"),
        (["realizations=0"], "realizations=0: must be"),
        (["horizon_days=400"], "horizon_days=400"),
        (["repair.heat_crews=-2"], "repair.heat_crews=-2"),
        (["attacks.intercept_cruise_prob=2"], "attacks.intercept_cruise_prob=2"),
        (["weather.min_temperature_c=-80"], "weather.min_temperature_c=-80"),
        (["+city.grid.x._target_=os.system"], "'_target_' is not allowed"),
        (["weather=file"], "weather.path"),
    ],
)
def test_bad_input_is_one_line_exit_2(tmp_path, args, expected):
    r = run(*args, f"hydra.run.dir={tmp_path / 'run'}")
    assert r.returncode == 2, r.stderr
    lines = [ln for ln in r.stderr.splitlines() if ln.strip()]
    assert len(lines) == 1, r.stderr
    assert lines[0].startswith("coldgrid: error: ")
    assert expected in lines[0]
    assert "Traceback" not in r.stderr
    assert not (tmp_path / "run" / "result.nc").exists()


def test_run_that_cannot_fit_in_memory_is_refused_before_it_starts(tmp_path):
    r = run("realizations=100000", f"hydra.run.dir={tmp_path / 'run'}")
    assert r.returncode == 2
    assert "GiB but only" in r.stderr and "realizations=" in r.stderr and "or fewer" in r.stderr
    assert len(r.stderr.strip().splitlines()) == 1
    assert not (tmp_path / "run" / "result.nc").exists()
