"""Nowcast keys through the CLI: one-line errors for bad report files and keys, and a conditioned run
(through the real command; the others through its main in this process, tests/cli_runner.py).

A few cases only (each CLI call costs seconds); every error of the reader and of the keys is covered by
tests/unit/test_observations.py, test_bias_correction.py and the config validation."""

from __future__ import annotations

import subprocess
import sys

import numpy as np
import pytest

from sim.io import open_result
from tests.cli_runner import run_in_process
from tests.conftest import ROOT
from tests.integration.test_cli_errors import run

CHECK = ROOT.parent / "shared" / "tools" / "check_result.py"
SMALL = ["city=small_town", "realizations=4", "horizon_days=2", "output.report=false", "output.events_csv=false"]
HEADER = "time,district,buildings_without_heat,share_without_power,queues_off\n"


@pytest.mark.parametrize(
    ("rows", "expected"),
    [
        ("2026-01-29T18:00,Atlantis,3,,\n", "line 2: column district: unknown district 'Atlantis'"),
        ("2026-01-29T18:00,North,2,,\n29/01/2026 20:00,city,,,3\n",
         "line 3: column time: cannot parse '29/01/2026 20:00' as ISO 8601"),
        # input audit: pandas took the extra fields for an index and shifted every column
        ("2026-01-29T18:00,North,2,0.3,,,9\n", "line 2 has 7 fields but the header has 5"),
    ],
)
def test_bad_report_files_are_one_line_exit_2(tmp_path, rows, expected):
    reports = tmp_path / "reports.csv"
    reports.write_text(HEADER + rows)
    r = run_in_process(*SMALL, f"nowcast.observations={reports}", f"hydra.run.dir={tmp_path / 'run'}")
    lines = [ln for ln in r.stderr.splitlines() if ln.strip()]
    assert r.returncode == 2, r.stderr
    assert len(lines) == 1 and lines[0].startswith(f"coldgrid: error: observations file {reports}: "), r.stderr
    assert expected in lines[0]
    assert not (tmp_path / "run" / "result.nc").exists()


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (["nowcast.observations=/nonexistent/reports.csv"], "observations file /nonexistent/reports.csv: not found"),
        (["nowcast.observations=r.csv", "nowcast.as_of=soon"], "nowcast.as_of=soon: not an ISO 8601 time"),
        (["weather.bias_correction=delta"], "weather.bias_correction=delta: must be one of: none, quantile_mapping"),
    ],
)
def test_bad_nowcast_and_bias_keys_are_one_line_exit_2(tmp_path, args, expected):
    r = run_in_process(*SMALL, *args, f"hydra.run.dir={tmp_path / 'run'}")
    lines = [ln for ln in r.stderr.splitlines() if ln.strip()]
    assert r.returncode == 2, r.stderr
    assert len(lines) == 1 and lines[0].startswith("coldgrid: error: "), r.stderr
    assert expected in lines[0]


@pytest.mark.parametrize(
    ("observed", "expected"),
    [
        (None, "nowcast.past_weather: weather file {p}: not found"),
        ("time,outdoor_temperature_c\n2026-01-29T00:00,-3\n2026-01-29T01:00,-4\n",
         "nowcast.past_weather: weather file {p}: covers 2026-01-29 00:00:00 .. 2026-01-29 01:00:00, but the run "
         "needs 2026-01-29 00:00:00 .. 2026-01-29 17:00:00 (start .. the last step before nowcast.as_of)"),
    ],
)
def test_bad_past_weather_is_one_line_exit_2(tmp_path, observed, expected):
    reports = tmp_path / "reports.csv"
    reports.write_text(HEADER + "2026-01-29T18:00,city,2,,\n")
    past = tmp_path / "observed.csv"
    if observed is not None:
        past.write_text(observed)
    r = run_in_process(*SMALL, f"nowcast.observations={reports}", f"nowcast.past_weather={past}",
            f"hydra.run.dir={tmp_path / 'run'}")  # fmt: skip
    lines = [ln for ln in r.stderr.splitlines() if ln.strip()]
    assert r.returncode == 2, r.stderr
    assert len(lines) == 1 and lines[0].startswith("coldgrid: error: "), r.stderr
    assert expected.format(p=past) in lines[0]
    assert not (tmp_path / "run" / "result.nc").exists()


def test_a_nowcast_run_writes_weights_and_ess(tmp_path):
    reports = tmp_path / "reports.csv"
    reports.write_text(HEADER + "#date,#adm5+name,#indicator+buildings+noheat,#indicator+share+nopower,"
                                "#indicator+queues+off\n2026-01-29T18:00,city,2,0.3,2\n")
    out = tmp_path / "run"
    r = run(*SMALL, f"nowcast.observations={reports}", f"hydra.run.dir={out}")
    assert r.returncode == 0, r.stderr
    with open_result(out / "result.nc") as ds:  # times on the model clock (CF readers decode UTC)
        w = ds["realization_weight"].values
        ess = ds["effective_sample_size"]
        assert w.sum() == pytest.approx(1.0)
        assert float(ess.sel(time="2026-01-29T17:00")) == 4.0
        assert float(ess.isel(time=-1)) == pytest.approx(1.0 / np.sum(w**2))
        assert ds.attrs["nowcast_as_of"] == "2026-01-29T18:00"
        assert ds.sizes["report"] == 3
    if CHECK.exists():
        c = subprocess.run([sys.executable, str(CHECK), str(out / "result.nc")], capture_output=True, text=True)
        assert c.returncode == 0, c.stdout + c.stderr


def test_help_lists_the_nowcast_group():
    r = run_in_process("--help")
    assert "\n  nowcast\n    default" in r.stdout


def test_a_forecast_issued_at_as_of_runs_with_the_observed_weather_before_it(tmp_path):
    """The use of nowcast.past_weather: an ensemble forecast (3 members, -10/-9/-8 degC) that starts at
    as_of (18:00) is accepted, and result.nc holds the observed -20 degC before it in every realization."""
    import pandas as pd
    import xarray as xr

    t = pd.date_range("2026-01-29T18:00", "2026-01-31T00:00", freq="h")
    xr.Dataset({"outdoor_temperature": (("time", "member"), -10.0 + np.zeros((len(t), 3)) + np.arange(3),
                                        {"units": "degC"})},
               coords={"time": t.values, "member": np.arange(3)}).to_netcdf(tmp_path / "ens.nc")  # fmt: skip
    t_obs = pd.date_range("2026-01-29T00:00", "2026-01-29T20:00", freq="h")
    pd.DataFrame({"time": t_obs.strftime("%Y-%m-%dT%H:%M"), "outdoor_temperature_c": -20.0}).to_csv(
        tmp_path / "obs.csv", index=False)
    reports = tmp_path / "reports.csv"
    reports.write_text(HEADER + "2026-01-29T18:00,North,2,,\n")
    out = tmp_path / "run"
    r = run_in_process("city=small_town", "realizations=3", "horizon_days=2", "output.report=false", "output.events_csv=false",
            "weather=file", f"weather.path={tmp_path / 'ens.nc'}", f"nowcast.observations={reports}",
            f"nowcast.past_weather={tmp_path / 'obs.csv'}", f"hydra.run.dir={out}")  # fmt: skip
    assert r.returncode == 0, r.stderr
    with open_result(out / "result.nc") as ds:
        t_out = ds["outdoor_temperature"].values
    np.testing.assert_array_equal(t_out[:, :18], -20.0)  # 00:00 .. 17:00 observed
    np.testing.assert_array_equal(t_out[:, 18:], np.array([-10.0, -9.0, -8.0])[:, None] + np.zeros((3, 30)))


def test_a_nowcast_whose_rejuvenations_cannot_fit_is_refused_before_it_runs(tmp_path):
    """The filter's restarts are counted before the prior run (sim.memory.check_nowcast_fits): 4 realizations
    fit, 3 rejuvenations of 100 million do not, on any machine; one line, exit 2, the restart size that fits."""
    reports = tmp_path / "reports.csv"
    reports.write_text(HEADER + "2026-01-29T18:00,North,2,,\n")
    r = run_in_process(*SMALL, f"nowcast.observations={reports}", "nowcast.restart_realizations=100000000",
            f"hydra.run.dir={tmp_path / 'run'}")
    lines = [ln for ln in r.stderr.splitlines() if ln.strip()]
    assert r.returncode == 2, r.stderr
    assert len(lines) == 1 and lines[0].startswith("coldgrid: error: this nowcast needs about "), r.stderr
    assert "with 3 rejuvenations of 100000000 realizations" in lines[0]
    assert "nowcast.restart_realizations=" in lines[0] and "or fewer" in lines[0]
    assert not (tmp_path / "run" / "result.nc").exists()
