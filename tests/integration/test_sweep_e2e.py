"""End-to-end sweeps through the ``coldgrid`` command: collection, resume, failed jobs, joblib launcher."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest
import xarray as xr

from sim.report.hxl import read_hxl_csv

pytestmark = pytest.mark.slow

COLDGRID = str(Path(sys.executable).with_name("coldgrid"))
SMALL = ["city=small_town", "realizations=4", "horizon_days=3", "output.report=false", "output.progress=never"]


def coldgrid(*args: str, cwd: Path, timeout: float = 600, status: int = 0) -> subprocess.CompletedProcess:
    env = dict(os.environ, MPLBACKEND="Agg")
    proc = subprocess.run([COLDGRID, *args], cwd=cwd, capture_output=True, text=True, timeout=timeout, env=env)
    assert proc.returncode == status, f"exit {proc.returncode}\nstdout:\n{proc.stdout}\nstderr:\n{proc.stderr}"
    return proc


def load(path: Path) -> xr.Dataset:
    with xr.open_dataset(path) as ds:
        ds = ds.load()
    ds.attrs.pop("history", None)
    return ds


@pytest.fixture(scope="module")
def pause_sweep(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """``coldgrid -m experiment=pause_vs_continued`` on the small town, basic launcher.

    Shared by the tests of this module and never written to: a test that changes a sweep folder works on
    its own copy (:func:`copy_of`), so each test holds whatever the order in which the tests run.
    """
    out = tmp_path_factory.mktemp("pause_sweep")
    proc = coldgrid("-m", "experiment=pause_vs_continued", *SMALL, f"hydra.sweep.dir={out}", cwd=out)
    SWEEP_STDOUT[out] = proc.stdout
    return out


#: what the fixture's sweep printed, by sweep folder
SWEEP_STDOUT: dict[Path, str] = {}


def test_sweep_ends_by_printing_its_comparison_table(pause_sweep: Path):
    """Issue 16: a sweep printed only paths; it prints its comparison (comparison.csv's numbers)."""
    from tests.unit.test_sweep_comparison_outputs import assert_prints_comparison

    assert_prints_comparison(SWEEP_STDOUT[pause_sweep], read_hxl_csv(pause_sweep / "comparison.csv"),
                             "person_days_below_12")


def copy_of(sweep: Path, tmp_path: Path) -> Path:
    """A private copy of a sweep folder (file times kept)."""
    return Path(shutil.copytree(sweep, tmp_path / sweep.name))


def test_pause_vs_continued_writes_sweep_and_comparison(pause_sweep: Path):
    with xr.open_dataset(pause_sweep / "sweep.nc") as ds:
        assert list(ds["scenario"].values) == ["attacks=continued", "attacks=pause_week"]
        assert ds.sizes["realization"] == 4
        assert "people_below_threshold" in ds
        assert ds["people_below_threshold"].dims[0] == "scenario"
        assert ds.attrs["failed_jobs"] == ""
        assert len(set(ds["seed"].values)) == 1
        assert len(set(ds["config_hash"].values)) == 2
    table = read_hxl_csv(pause_sweep / "comparison.csv")
    assert set(table["scenario"]) == {"attacks=pause_week"}
    assert set(table["baseline"]) == {"attacks=continued"}
    assert table["paired"].all()
    assert {"diff_p50", "diff_p5", "diff_p95", "prob_reduction_25"} <= set(table.columns)
    assert table["prob_reduction_25"].dropna().between(0, 1).all()  # NaN: a figure whose cut is no gain
    assert not (pause_sweep / "failed.txt").exists()


def test_resume_skips_complete_jobs(pause_sweep: Path, tmp_path: Path):
    sweep = copy_of(pause_sweep, tmp_path)
    results = sorted(sweep.glob("*/result.nc"))
    assert len(results) == 2
    mtimes = [r.stat().st_mtime_ns for r in results]
    proc = coldgrid("-m", "experiment=pause_vs_continued", *SMALL, f"hydra.sweep.dir={sweep}",
                    "resume=true", cwd=sweep)
    assert proc.stdout.count("job skipped") == 2
    assert [r.stat().st_mtime_ns for r in results] == mtimes
    assert (sweep / "sweep.nc").exists()


def test_failed_job_is_listed_not_fatal(tmp_path: Path):
    proc = coldgrid("-m", "weather=cold_snap,file", f"weather.path={tmp_path / 'missing.csv'}", *SMALL,
                    f"hydra.sweep.dir={tmp_path}", cwd=tmp_path, status=2)  # the sweep says a job failed
    assert (tmp_path / "1" / "FAILED").exists()
    assert "failed" in proc.stdout
    with xr.open_dataset(tmp_path / "sweep.nc") as ds:
        assert list(ds["scenario"].values) == ["weather=cold_snap"]
        assert ds.attrs["failed_jobs"].startswith("1 (weather=file): ")
    lines = (tmp_path / "failed.txt").read_text(encoding="utf-8").splitlines()
    assert len(lines) == 1 and lines[0].startswith("1\tweather=file")


def test_joblib_gives_identical_numbers(pause_sweep: Path, tmp_path: Path):
    coldgrid("-m", "experiment=pause_vs_continued", *SMALL, "hydra/launcher=joblib", "hydra.launcher.n_jobs=2",
             f"hydra.sweep.dir={tmp_path}", cwd=tmp_path)
    for job in ("0", "1"):
        xr.testing.assert_identical(load(pause_sweep / job / "result.nc"), load(tmp_path / job / "result.nc"))
    a, b = (load(p / "sweep.nc") for p in (pause_sweep, tmp_path))
    for ds in (a, b):
        ds.attrs.pop("sweep_dir")
    xr.testing.assert_identical(a, b)


def test_collect_afterwards_equals_callback(pause_sweep: Path, tmp_path: Path):
    from sim.sweep import collect

    sweep = copy_of(pause_sweep, tmp_path)
    (sweep / "sweep.nc").unlink()
    (sweep / "comparison.csv").unlink()
    assert collect(sweep) == sweep / "sweep.nc"
    before, after = load(pause_sweep / "sweep.nc"), load(sweep / "sweep.nc")
    assert after.attrs.pop("sweep_dir") == str(sweep) and before.attrs.pop("sweep_dir") == str(pause_sweep)
    xr.testing.assert_identical(before, after)
    pd.testing.assert_frame_equal(read_hxl_csv(pause_sweep / "comparison.csv"), read_hxl_csv(sweep / "comparison.csv"))
