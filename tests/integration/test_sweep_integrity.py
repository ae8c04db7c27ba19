"""Sweeps that cannot mislabel: reused folders, refused jobs, failed jobs, interrupted joblib jobs.

Reproduces the high-priority defect of issue 17 as an analyst met it: a second sweep into a used sweep
folder put the old results under the new labels (and exited 0); with ``resume=true`` and the override
order swapped, ``comparison.csv`` reported ``pause_week`` worse than ``continued``.
"""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

import numpy as np
import pytest
import xarray as xr

from sim.report.hxl import read_hxl_csv
from tests.integration.test_cli_errors import COLDGRID

pytestmark = pytest.mark.slow

BASE = ["city=small_town", "realizations=3", "horizon_days=2", "output.report=false", "output.progress=never"]


def coldgrid(*args: str, cwd: Path) -> subprocess.CompletedProcess:
    env = dict(os.environ, MPLBACKEND="Agg")
    return subprocess.run([COLDGRID, *args], cwd=cwd, capture_output=True, text=True, timeout=600, env=env)


def snapshot(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*"))
            if p.is_file() and p.name != ".coldgrid.lock" and p.suffix != ".log" and ".coldgrid" not in p.parts}


@pytest.fixture(scope="module")
def first_sweep(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("sweep") / "S"
    r = coldgrid("-m", *BASE, "attacks=continued,pause_week", f"hydra.sweep.dir={out}", cwd=out.parent)
    assert r.returncode == 0, r.stderr
    return out


def test_labels_come_from_the_results(first_sweep):
    with xr.open_dataset(first_sweep / "sweep.nc") as ds:
        assert list(ds["scenario"].values) == ["attacks=continued", "attacks=pause_week"]
        assert [str(n).split(",")[0] for n in ds["scenario_name"].values] == ["continued", "pause_week"]
    from sim.io import open_result

    assert open_result(first_sweep / "sweep.nc")["time"].values[0] == np.datetime64("2026-01-29T00:00")


def test_second_sweep_into_a_used_folder_is_refused_and_changes_nothing(first_sweep):
    before = snapshot(first_sweep)
    r = coldgrid("-m", *BASE, "weather.min_temperature_c=-10,-30", f"hydra.sweep.dir={first_sweep}",
                 cwd=first_sweep.parent)
    assert r.returncode == 2
    assert r.stderr.strip().splitlines() == [
        f"coldgrid: error: hydra.sweep.dir={first_sweep} already holds a sweep; choose another folder "
        "(outputs are never overwritten), or add resume=true to finish the same sweep"]
    assert snapshot(first_sweep) == before


def test_resume_with_swapped_order_refuses_and_does_not_collect(first_sweep):
    before = snapshot(first_sweep)
    r = coldgrid("-m", *BASE, "attacks=pause_week,continued", "resume=true", f"hydra.sweep.dir={first_sweep}",
                 cwd=first_sweep.parent)
    assert r.returncode == 2, r.stderr
    assert "2 of 2 sweep jobs failed" in r.stderr and "Traceback" not in r.stderr
    after = snapshot(first_sweep)
    failed = after.pop("failed.txt").decode()
    for d in (before, after):
        d.pop("multirun.yaml")  # Hydra's record of the last command run into the folder
    assert after == before  # sweep.nc, comparison.csv and every job file (.hydra included) as they were
    assert len(failed.splitlines()) == 2 and "made from another config" in failed
    table = read_hxl_csv(first_sweep / "comparison.csv")
    assert set(table["scenario"]) == {"attacks=pause_week"} and set(table["baseline"]) == {"attacks=continued"}


def test_resume_of_the_same_sweep_collects_again(first_sweep):
    r = coldgrid("-m", *BASE, "attacks=continued,pause_week", "resume=true", f"hydra.sweep.dir={first_sweep}",
                 cwd=first_sweep.parent)
    assert r.returncode == 0, r.stderr
    assert r.stdout.count("job skipped") == 2
    assert not (first_sweep / "failed.txt").exists()
    with xr.open_dataset(first_sweep / "sweep.nc") as ds:
        assert list(ds["scenario"].values) == ["attacks=continued", "attacks=pause_week"]


def test_failed_jobs_make_the_sweep_exit_non_zero_and_are_listed(tmp_path):
    r = coldgrid("-m", "weather=cold_snap,file", f"weather.path={tmp_path / 'missing.csv'}", *BASE,
                 f"hydra.sweep.dir={tmp_path / 'S'}", cwd=tmp_path)
    assert r.returncode == 2
    assert r.stderr.strip().splitlines()[-1].startswith("coldgrid: error: 1 of 2 sweep jobs failed")
    lines = (tmp_path / "S" / "failed.txt").read_text(encoding="utf-8").splitlines()
    assert len(lines) == 1 and lines[0].startswith("1\t") and "not found" in lines[0]
    assert (tmp_path / "S" / "sweep.nc").exists()  # the job that ran is collected


def test_when_every_job_fails_failed_txt_lists_them(tmp_path):
    r = coldgrid("-m", "weather=file", f"weather.path={tmp_path / 'missing.csv'}", "seed=1,2", *BASE,
                 f"hydra.sweep.dir={tmp_path / 'S'}", cwd=tmp_path)
    assert r.returncode == 2
    lines = (tmp_path / "S" / "failed.txt").read_text(encoding="utf-8").splitlines()
    assert [ln.split("\t")[0] for ln in lines] == ["0", "1"]
    assert not (tmp_path / "S" / "sweep.nc").exists()


def test_resume_removes_temporaries_an_interrupted_joblib_job_left(tmp_path):
    sweep = tmp_path / "S"
    r = coldgrid("-m", *BASE, "attacks=continued,none", "hydra/launcher=joblib", "hydra.launcher.n_jobs=2",
                 f"hydra.sweep.dir={sweep}", cwd=tmp_path)
    assert r.returncode == 0, r.stderr
    # as an interrupted worker leaves it: job 1 without its result, a hidden temporary in its place
    (sweep / "1" / "result.nc").rename(sweep / "1" / ".result.nc.tmp-99999")
    r = coldgrid("-m", *BASE, "attacks=continued,none", "hydra/launcher=joblib", "hydra.launcher.n_jobs=2",
                 "resume=true", f"hydra.sweep.dir={sweep}", cwd=tmp_path)
    assert r.returncode == 0, r.stderr
    assert not list(sweep.rglob(".*.tmp-*"))
    assert (sweep / "1" / "result.nc").exists()
