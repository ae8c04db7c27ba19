"""The issue's "done when": a small CLI run writes a complete result.nc; same seed, same numbers."""

from __future__ import annotations

import subprocess
import sys

import numpy as np
import pytest
import xarray as xr

from tests.conftest import ROOT
from tests.integration.test_cli_errors import run

CHECKER = ROOT.parent / "shared" / "tools" / "check_result.py"


@pytest.fixture(scope="module")
def two_runs(tmp_path_factory):
    base = tmp_path_factory.mktemp("cli")
    outs = []
    for name in ("a", "b"):
        r = run("city=small_town", "realizations=4", "horizon_days=3", f"hydra.run.dir={base / name}")
        assert r.returncode == 0, r.stderr
        outs.append((base / name, r))
    return outs


def test_run_folder_contents_and_summary(two_runs):
    folder, r = two_runs[0]
    for name in ("result.nc", "summary.csv", "events.csv", ".hydra/config.yaml"):
        assert (folder / name).exists(), name
    assert "median" in r.stdout and "p5 - p95" in r.stdout
    assert str((folder / "result.nc").resolve()) in r.stdout
    assert not list(folder.glob(".*.tmp-*"))
    with xr.open_dataset(folder / "result.nc") as ds:
        assert ds.attrs["Conventions"] == "CF-1.10"
        assert ds.sizes["realization"] == 4 and ds.sizes["time"] == 72
        assert ds["indoor_temperature"].attrs["units"] == "degC"


def test_same_seed_identical_numbers(two_runs):
    (a, _), (b, _) = two_runs
    with xr.open_dataset(a / "result.nc") as da, xr.open_dataset(b / "result.nc") as db:
        for d in (da, db):
            d.attrs.pop("history")
        xr.testing.assert_identical(da.load(), db.load())


@pytest.mark.skipif(not CHECKER.exists(), reason="../shared/tools/check_result.py not present")
def test_shared_contract_checker_passes(two_runs):
    (a, _), (b, _) = two_runs
    r = subprocess.run([sys.executable, str(CHECKER), str(a / "result.nc"), str(b / "result.nc")],
                       capture_output=True, text=True)
    assert r.returncode == 0, r.stdout + r.stderr
    assert "problems=0, identical=True" in r.stdout


def test_existing_result_is_not_overwritten(two_runs):
    folder, _ = two_runs[0]
    before = (folder / "result.nc").read_bytes()
    r = run("city=small_town", "realizations=4", "horizon_days=3", f"hydra.run.dir={folder}")
    assert r.returncode == 2 and "exists" in r.stderr
    assert (folder / "result.nc").read_bytes() == before
    assert np.frombuffer(before[:4], dtype=np.uint8).tolist()[:4] == [0x89, 0x48, 0x44, 0x46]  # HDF5 (NetCDF-4)


def test_events_csv_is_in_calendar_time_of_the_run(two_runs):
    """events.csv as the CLI writes it: a calendar ``time`` column (local wall-clock time of the run, the
    same clock as result.nc read with sim.io.open_result) beside ``time_h`` since the start, one row per
    event; the calendar time is the run's start plus time_h (issue 16: events.csv in calendar time)."""
    import pandas as pd

    from sim.io import open_result

    folder, _ = two_runs[0]
    ev = pd.read_csv(folder / "events.csv")
    assert {"realization", "time", "time_h", "kind"} <= set(ev.columns)
    assert len(ev) > 0
    times = pd.to_datetime(ev["time"], format="%Y-%m-%dT%H:%M")
    with open_result(folder / "result.nc") as ds:
        start = pd.Timestamp(ds["time"].values[0])
    expected = start + pd.to_timedelta(ev["time_h"], unit="h")
    assert (abs(times - expected) < pd.Timedelta(minutes=1)).all()
