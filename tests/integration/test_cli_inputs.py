"""Input files that are not what coldgrid expects end in one line, exit status 2 (issue 17, low items)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
import xarray as xr

from tests.conftest import ROOT
from tests.integration.test_cli_errors import run

SMALL = ["city=small_town", "realizations=1", "horizon_days=1", "output.report=false"]
REPORT = str(Path(sys.executable).with_name("coldgrid-report"))


def one_line(stderr: str, prefix: str = "coldgrid: error: ") -> str:
    lines = [ln for ln in stderr.splitlines() if ln.strip()]
    assert len(lines) == 1 and lines[0].startswith(prefix), stderr
    assert "Traceback" not in stderr
    return lines[0]


@pytest.mark.parametrize(
    ("values", "times", "expected"),
    [
        (np.array([], float), pd.DatetimeIndex([]), "empty time axis"),  # main: IndexError
        (np.array(["a", "b"]), pd.date_range("2026-01-28", periods=2, freq="D"), "not numbers"),
    ],
)
def test_weather_netcdf_without_usable_data_is_one_line(tmp_path, values, times, expected):
    path = tmp_path / "forecast.nc"
    xr.Dataset({"outdoor_temperature": (("time",), values, {"units": "degC"})}, coords={"time": times}).to_netcdf(path)
    r = run(*SMALL, "weather=file", f"weather.path={path}", f"hydra.run.dir={tmp_path / 'run'}")
    assert r.returncode == 2
    assert expected in one_line(r.stderr)
    assert not (tmp_path / "run" / "result.nc").exists()


def test_max_gap_nan_does_not_disable_the_gap_check(tmp_path):
    """On main weather.max_gap_h=nan made every gap acceptable (NaN compares false)."""
    r = run(*SMALL, "weather=file", f"weather.path={ROOT / 'tests' / 'data' / 'weather' / 'cold_snap_7d.csv'}", "weather.max_gap_h=nan",
            f"hydra.run.dir={tmp_path / 'run'}")
    assert r.returncode == 2
    assert one_line(r.stderr).startswith("coldgrid: error: weather.max_gap_h=nan")


@pytest.mark.parametrize("name", ["result.nc", "sweep.nc"])
def test_report_on_a_foreign_netcdf_is_one_line(tmp_path, name):
    """On main coldgrid-report gave a traceback for a NetCDF file that coldgrid did not write."""
    xr.Dataset({"t2m": (("time",), [1.0])}, coords={"time": pd.date_range("2026-01-01", periods=1)}).to_netcdf(
        tmp_path / name)
    r = subprocess.run([REPORT, str(tmp_path), "--no-pdf"], capture_output=True, text=True, timeout=300)
    assert r.returncode == 2
    assert "not a coldgrid result" in one_line(r.stderr, "coldgrid-report: error: ")
