"""Input files that are not what coldgrid expects end in one line, exit status 2 (issue 17, low items)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
import xarray as xr

# coldgrid and coldgrid-report in this process (the real coldgrid: test_cli_errors.py; coldgrid-report: below)
from tests.cli_runner import report_in_process
from tests.cli_runner import run_in_process as run
from tests.conftest import ROOT

REPORT = str(Path(sys.executable).with_name("coldgrid-report"))
SMALL = ["city=small_town", "realizations=1", "horizon_days=1", "output.report=false"]


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


@pytest.mark.parametrize(("name", "real"), [("result.nc", True), ("result.nc", False), ("sweep.nc", False)])
def test_report_on_a_foreign_netcdf_is_one_line(tmp_path, name, real):
    """On main coldgrid-report gave a traceback for a NetCDF file that coldgrid did not write (through the
    real command once, else its main in this process)."""
    xr.Dataset({"t2m": (("time",), [1.0])}, coords={"time": pd.date_range("2026-01-01", periods=1)}).to_netcdf(
        tmp_path / name)
    if real:
        r = subprocess.run([REPORT, str(tmp_path), "--no-pdf"], capture_output=True, text=True, timeout=300)
    else:
        r = report_in_process(str(tmp_path), "--no-pdf")
    assert r.returncode == 2
    assert "not a coldgrid result" in one_line(r.stderr, "coldgrid-report: error: ")


def _sky_file(path, sky):
    """A NetCDF weather file of the test forecast with one sky variable ``sky = (dims, values)``."""
    good = pd.read_csv(ROOT / "tests" / "data" / "weather" / "cold_snap_7d.csv")
    t = pd.to_datetime(good["time"]).to_numpy()
    v = good["outdoor_temperature_c"].to_numpy()
    coords = {"time": t, "lat": [50.0, 51.0]}
    xr.Dataset({"outdoor_temperature": (("time",), v, {"units": "degC"}), "ghi_w_per_m2": sky},
               coords=coords).to_netcdf(path)


@pytest.mark.parametrize(
    ("make", "expected"),
    [
        # input audit: an IndexError traceback
        (lambda p: _sky_file(p, (("hour",), np.full(10, 100.0))), "variable 'ghi_w_per_m2' has dims ('hour',)"),
        # input audit: read as one interleaved series of twice the length, silently
        (lambda p: _sky_file(p, (("time", "lat"), np.full((169, 2), 100.0))),
         "variable 'ghi_w_per_m2' has dims ('time', 'lat')"),
        # input audit: a trailing comma made pandas read the first column as an index (the temperature as time)
        (lambda p: p.write_text("time,outdoor_temperature_c\n2026-01-29T00:00,-8.9,\n"),
         "line 2 has 3 fields but the header has 2"),
        (lambda p: p.mkdir(), "is a folder, not a file"),  # main: "not found"
    ],
    ids=["sky-other-dim", "sky-two-points", "trailing-comma", "folder"],
)
def test_weather_files_misread_before_are_one_line(tmp_path, make, expected):
    path = tmp_path / ("forecast.csv" if "fields" in expected else "forecast.nc")
    make(path)
    r = run(*SMALL, "weather=file", f"weather.path={path}", f"hydra.run.dir={tmp_path / 'run'}")
    assert r.returncode == 2, r.stderr
    assert expected in one_line(r.stderr)
    assert not (tmp_path / "run" / "result.nc").exists()


def test_unreadable_input_file_is_an_input_error_not_an_output_error(tmp_path, monkeypatch):
    """On main an unreadable weather or report file reached the command as an OSError and was reported as
    "cannot write <the input file>; choose another hydra.run.dir" (run as root, chmod cannot show it)."""
    from sim.errors import InputError
    from sim.folders import check_input_file
    from sim.observations import read_observations
    from sim.weather_file import read_series

    path = tmp_path / "in.csv"
    path.write_text("time,outdoor_temperature_c\n2026-01-29T00:00,-8.9\n")
    real_open = Path.open

    def denied(self, *a, **k):
        if self == path:
            raise PermissionError(13, "Permission denied", str(self))
        return real_open(self, *a, **k)

    monkeypatch.setattr(Path, "open", denied)
    with pytest.raises(InputError, match=r"^weather file .*in\.csv: cannot be read \(permission denied\)$"):
        read_series(path)
    with pytest.raises(InputError, match=r"^observations file .*in\.csv: cannot be read \(permission denied\)$"):
        read_observations(path, ["North"])
    with pytest.raises(InputError, match="not a regular file"):
        check_input_file("/dev/null", "x")


def test_coldgrid_warning_is_one_line(tmp_path):
    """Input audit: on main the cycling warning took two lines, the second a line of coldgrid's source."""
    path = ROOT / "tests" / "data" / "weather" / "cold_snap_7d_2members.nc"
    r = run("city=small_town", "realizations=4", "horizon_days=1", "output.report=false", "weather=file",
            f"weather.path={path}", f"hydra.run.dir={tmp_path / 'run'}")
    assert r.returncode == 0, r.stderr
    lines = [ln for ln in r.stderr.splitlines() if ln.strip()]
    assert lines == [f"coldgrid: warning: weather file {path}: 2 realizations for 4 requested; cycling them"]


@pytest.mark.parametrize("variable", ["buildings_without_heat",
                                      pytest.param("generator_class_kw", marks=pytest.mark.slow)])  # ~10 s each
def test_report_on_a_result_without_a_variable_it_needs_is_one_line(tmp_path, variable):
    """Input audit: on main a result.nc of coldgrid without one of these variables (a damaged or edited copy)
    made coldgrid-report end in a traceback (jinja2 UndefinedError, KeyError)."""
    assert run(*SMALL, f"hydra.run.dir={tmp_path / 'run'}").returncode == 0
    with xr.open_dataset(tmp_path / "run" / "result.nc") as ds:
        ds.load().drop_vars(variable).to_netcdf(tmp_path / "result.nc")
    r = report_in_process(str(tmp_path), "--no-pdf")
    assert r.returncode == 2, r.stderr
    assert f"not a complete coldgrid result: no variable {variable}" in one_line(r.stderr, "coldgrid-report: error: ")
    assert not (tmp_path / "report.html").exists()
