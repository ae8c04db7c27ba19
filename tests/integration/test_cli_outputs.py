"""Outputs never lie: finished folders are never rewritten, folders are claimed, locations fail cleanly.

Each test reproduces a defect of issue 17 as a user meets it, through the ``coldgrid`` command where
processes matter (two runs at once, a held lock, a failing standard output), else through its ``main`` in
this process (tests/cli_runner.py; and where a condition, e.g. a full disk, cannot be made for real).
"""

from __future__ import annotations

import errno
import os
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
import xarray as xr

from tests.cli_runner import run_in_process
from tests.conftest import ROOT
from tests.integration.test_cli_errors import COLDGRID

SMALL = ["city=small_town", "realizations=2", "horizon_days=2", "output.progress=never"]


def one_line_error(r: subprocess.CompletedProcess, *expected: str) -> str:
    assert r.returncode == 2, r.stdout + r.stderr
    lines = [ln for ln in r.stderr.splitlines() if ln.strip()]
    assert len(lines) == 1 and lines[0].startswith("coldgrid: error: "), r.stderr
    assert "Traceback" not in r.stderr
    for text in expected:
        assert text in lines[0], lines[0]
    return lines[0]


def snapshot(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*"))
            if p.is_file() and p.name != ".coldgrid.lock" and p.suffix != ".log"}


@pytest.fixture(scope="module")
def finished(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("finished") / "run"
    r = run_in_process(*SMALL, "seed=1", f"hydra.run.dir={folder}")
    assert r.returncode == 0, r.stderr
    return folder


def test_refused_rerun_touches_no_file_of_the_finished_folder(finished):
    """On main, the refused rerun rewrote .hydra/config.yaml (it then said seed 2 while result.nc was seed 1)."""
    before = snapshot(finished)
    assert ".hydra/config.yaml" in before and "summary.csv" in before and "headline.csv" in before
    r = run_in_process(*SMALL, "seed=2", "output.report=false", f"hydra.run.dir={finished}")
    one_line_error(r, "result.nc exists")
    assert snapshot(finished) == before
    assert "seed: 1" in before[".hydra/config.yaml"].decode()


def test_hydra_record_holds_resolved_values(finished):
    text = (finished / ".hydra" / "config.yaml").read_text(encoding="utf-8")
    assert "${" not in text  # resolved values: the run can be reproduced from .hydra/
    assert "seed: 1" in text


def test_two_runs_started_at_once_into_one_folder_do_not_both_succeed(tmp_path):
    """On main both exited 0 and the second silently replaced the first's files."""
    folder = tmp_path / "run"
    procs = [subprocess.Popen([COLDGRID, *SMALL, f"seed={s}", "output.report=false", f"hydra.run.dir={folder}"],
                              cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True) for s in (1, 2)]
    outs = [p.communicate(timeout=300) for p in procs]
    codes = sorted(p.returncode for p in procs)
    assert codes == [0, 2], outs
    loser = outs[[p.returncode for p in procs].index(2)][1]
    assert "another coldgrid run is writing into this folder" in loser or "result.nc exists" in loser
    winner_seed = [1, 2][[p.returncode for p in procs].index(0)]
    with xr.open_dataset(folder / "result.nc") as ds:
        assert int(ds.attrs["seed"]) == winner_seed
    assert f"seed: {winner_seed}" in (folder / ".hydra" / "config.yaml").read_text(encoding="utf-8")


def test_a_run_into_a_folder_another_run_holds_is_refused_and_touches_nothing(tmp_path):
    """The overlap made certain: this test holds the folder's lock exactly as a running coldgrid does
    (``sim.folders.claim``: ``flock`` on ``.coldgrid.lock``), so the second run starts while the first is
    known to be writing. Refused with one line, exit 2, no file of the folder changed; once the lock is
    released the same command runs, so the lock (nothing else) refused it."""
    import fcntl

    folder = tmp_path / "run"
    folder.mkdir()
    (folder / "notes.txt").write_text("the first run's file\n")
    cmd = [COLDGRID, *SMALL, "seed=2", "output.report=false", f"hydra.run.dir={folder}"]
    with open(folder / ".coldgrid.lock", "a+", encoding="utf-8") as held:
        fcntl.flock(held.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
        held.write(f"{os.getpid()}\n")
        held.flush()
        before = {p.name: p.read_bytes() for p in folder.iterdir()}
        r = subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True, timeout=300)
        one_line_error(r, "another coldgrid run is writing into this folder")
        assert {p.name: p.read_bytes() for p in folder.iterdir()} == before
    r = subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert r.returncode == 0, r.stderr
    assert (folder / "result.nc").exists()


@pytest.mark.parametrize("case", ["file_in_the_way", "name_too_long", "empty", "read_only"])
def test_output_location_problems_are_one_line(tmp_path, case):
    if case == "file_in_the_way":
        (tmp_path / "blocker").write_text("x")
        where, expected = tmp_path / "blocker" / "run", "a file is in the way"
    elif case == "name_too_long":
        where, expected = tmp_path / ("x" * 300), "file name too long"
    elif case == "empty":
        where, expected = "", "empty folder name"
    else:
        ro = Path("/sys/coldgrid-test")  # /sys is read-only in containers; root ignores chmod
        if os.access("/sys", os.W_OK) and not _is_read_only("/sys"):
            pytest.skip("no read-only file system to write to")
        where, expected = ro, "cannot create the output folder"
    r = run_in_process(*SMALL, "output.report=false", f"hydra.run.dir={where}", cwd=tmp_path)
    one_line_error(r, expected)
    assert not list(tmp_path.glob("*.nc"))


@pytest.mark.parametrize(("err", "reason"), [(errno.EACCES, "permission denied"), (errno.EROFS, "read-only file system")])
def test_unwritable_output_folder_is_one_line_everywhere(tmp_path, monkeypatch, capsys, err, reason):
    """Permission denied and a read-only file system, on any machine: a real ``chmod a-w`` folder where
    that binds (not root), else (root ignores the mode bits, as here in containers) the same error raised
    by ``mkdir`` for that folder in this process."""
    locked = tmp_path / "locked"
    locked.mkdir()
    where = locked / "run"
    real_chmod = err == errno.EACCES and os.geteuid() != 0
    if real_chmod:
        locked.chmod(0o500)
    else:
        real_mkdir = Path.mkdir

        def refuse(self, *a, **kw):
            if self == where or locked in self.parents:
                raise OSError(err, os.strerror(err), str(self))
            return real_mkdir(self, *a, **kw)

        monkeypatch.setattr(Path, "mkdir", refuse)
    try:
        code, out, errtext = _main(monkeypatch, capsys, *SMALL, "output.report=false", f"hydra.run.dir={where}")
    finally:
        locked.chmod(0o700)
    assert code == 2, out + errtext
    lines = errtext.strip().splitlines()
    assert len(lines) == 1, errtext
    assert lines[0].startswith("coldgrid: error: ") and "Traceback" not in errtext
    assert f"cannot create the output folder ({reason})" in lines[0], lines[0]
    assert not where.exists()


def _is_read_only(path: str) -> bool:
    return bool(os.statvfs(path).f_flag & os.ST_RDONLY)


def _main(monkeypatch, capsys, *args: str) -> tuple[int, str, str]:
    """``coldgrid ARGS`` in this process (for conditions a subprocess cannot be put in)."""
    import signal

    from sim import cli

    handlers = signal.getsignal(signal.SIGINT), signal.getsignal(signal.SIGTERM)
    monkeypatch.setattr(sys, "argv", ["coldgrid", *args])
    try:
        cli.main(list(args))
        code = 0
    except SystemExit as e:
        code = int(e.code or 0)
    finally:
        signal.signal(signal.SIGINT, handlers[0])
        signal.signal(signal.SIGTERM, handlers[1])
    out, err = capsys.readouterr()
    return code, out, err


def test_too_little_free_space_is_refused_before_running(tmp_path, monkeypatch, capsys):
    import shutil

    real = shutil.disk_usage
    monkeypatch.setattr(shutil, "disk_usage", lambda p: real(p)._replace(free=3_000_000))
    code, _, err = _main(monkeypatch, capsys, *SMALL, "output.report=false", f"hydra.run.dir={tmp_path / 'run'}")
    assert code == 2
    lines = err.strip().splitlines()
    assert len(lines) == 1 and "MB but only 3 MB is free" in lines[0], err
    assert not (tmp_path / "run" / "result.nc").exists()


def test_full_disk_while_writing_is_one_line(tmp_path, monkeypatch, capsys):
    import sim.io

    def full(ds, path, **kw):
        raise OSError(errno.ENOSPC, "No space left on device", str(path))

    monkeypatch.setattr(sim.io, "write_netcdf", full)
    code, _, err = _main(monkeypatch, capsys, *SMALL, "output.report=false", f"hydra.run.dir={tmp_path / 'run'}")
    assert code == 2
    lines = err.strip().splitlines()
    assert len(lines) == 1 and "no space left on the device" in lines[0], err
    assert not (tmp_path / "run" / "result.nc").exists()


@pytest.mark.parametrize("how", ["head", "dev_full", "ascii"])
def test_a_standard_output_that_fails_does_not_turn_a_finished_run_into_a_traceback(tmp_path, how):
    folder = tmp_path / "run"
    cmd = [COLDGRID, *SMALL, "output.report=false", f"hydra.run.dir={folder}"]
    env = dict(os.environ)
    if how == "head":
        p = subprocess.Popen(cmd, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env)
        p.stdout.readline()
        p.stdout.close()  # like `| head -1`
        err = p.stderr.read().decode()
        code = p.wait(timeout=300)
    elif how == "dev_full":
        with open("/dev/full", "w") as full:
            p = subprocess.run(cmd, cwd=ROOT, stdout=full, stderr=subprocess.PIPE, text=True, timeout=300)
        err, code = p.stderr, p.returncode
    else:
        env["PYTHONIOENCODING"] = "ascii"
        p = subprocess.run(cmd, cwd=ROOT, capture_output=True, env=env, timeout=300)
        err, code = p.stderr.decode(), p.returncode
    assert "Traceback" not in err
    assert code == 0, err
    assert (folder / "result.nc").exists()


def test_result_time_is_cf_correct_and_reads_back_on_the_model_clock(finished):
    """On main the units said UTC while the values were Kyiv wall-clock time: CF readers were 2 h off."""
    from sim.io import open_result

    with xr.open_dataset(finished / "result.nc") as ds:
        utc = ds["time"].values
        assert ds["time"].attrs["standard_name"] == "time"
        assert ds["time"].attrs["utc_offset"] == "+02:00"
        assert ds["time"].encoding["units"].endswith("+02:00")
    local = open_result(finished / "result.nc")["time"].values
    assert local[0] == np.datetime64("2026-01-29T00:00")  # the configured start, Kyiv standard time
    assert (local - utc == np.timedelta64(2, "h")).all()


@pytest.mark.parametrize(
    ("start", "expected"),
    [("1600-01-01", "outside the dates a run can cover"), ("2262-04-10", "outside the dates a run can cover"),
     ("2026-01-29T00:00+02:00", "without a UTC offset"), ("2026-01-29T00:00Z", "without a UTC offset")],
)
def test_dates_outside_the_range_or_with_an_offset_are_refused(tmp_path, start, expected):
    """On main 1600-01-01 wrapped silently to 2184, 2262-04-10 gave a traceback, an offset was shifted."""
    r = run_in_process(*SMALL, f"start={start}", f"hydra.run.dir={tmp_path / 'run'}")
    one_line_error(r, f"start={start}", expected)
