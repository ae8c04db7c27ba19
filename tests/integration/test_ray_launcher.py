"""The Ray launcher (extra [ray]) on a local Ray head gives the same numbers as the basic launcher."""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest
import xarray as xr

pytestmark = pytest.mark.slow

BIN = Path(sys.executable).parent
SMALL = ["city=small_town", "realizations=3", "horizon_days=2", "output.report=false", "output.progress=never"]


def _ray_available() -> str | None:
    try:
        import hydra_plugins.hydra_ray_launcher  # noqa: F401
        import ray  # noqa: F401
    except ImportError as e:
        return f"the [ray] extra is not installed (pip install -e '.[ray]'): {e}"
    if not (BIN / "ray").exists():
        return f"no 'ray' command next to {sys.executable}"
    return None


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _wait_for_port(port: int, proc: subprocess.Popen, timeout_s: float = 120.0) -> None:
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise AssertionError(f"ray start exited with {proc.returncode}: {proc.stdout.read() if proc.stdout else ''}")
        with socket.socket() as s:
            if s.connect_ex(("127.0.0.1", port)) == 0:
                return
        time.sleep(0.5)
    raise AssertionError(f"Ray head did not open port {port} within {timeout_s:g} s")


def _stop(proc: subprocess.Popen) -> None:
    """Stop the Ray head started with --block: SIGTERM to its process group, SIGKILL if it lingers."""
    for sig, wait_s in ((signal.SIGTERM, 15), (signal.SIGKILL, 10)):
        try:
            os.killpg(proc.pid, sig)
        except ProcessLookupError:
            return
        try:
            proc.wait(timeout=wait_s)
        except subprocess.TimeoutExpired:
            continue
    with contextlib.suppress(ProcessLookupError):  # children that outlived the group leader
        os.killpg(proc.pid, signal.SIGKILL)


def _run(args: list[str], cwd: Path, env: dict, timeout: float = 600) -> subprocess.CompletedProcess:
    proc = subprocess.run(args, cwd=cwd, env=env, capture_output=True, text=True, timeout=timeout)
    assert proc.returncode == 0, f"{' '.join(args)}: exit {proc.returncode}\n{proc.stdout}\n{proc.stderr}"
    return proc


def _load(path: Path) -> xr.Dataset:
    with xr.open_dataset(path) as ds:
        ds = ds.load()
    ds.attrs.pop("history", None)
    return ds


@pytest.mark.skipif(_ray_available() is not None, reason=str(_ray_available()))
@pytest.mark.timeout(900)
def test_ray_launcher_matches_basic(tmp_path: Path):
    port = _free_port()
    env = dict(os.environ, MPLBACKEND="Agg", RAY_USAGE_STATS_ENABLED="0")
    env.pop("RAY_ADDRESS", None)
    ray = str(BIN / "ray")
    coldgrid = str(BIN / "coldgrid")
    sweep = ["-m", "attacks=continued,pause_week", *SMALL]
    # a private temp dir keeps this head apart from any other Ray on the machine (short: socket paths)
    ray_tmp = Path(f"/tmp/cgray{port}")
    head = [ray, "start", "--head", "--block", "--node-ip-address=127.0.0.1", f"--port={port}", "--num-cpus=2",
            "--disable-usage-stats", "--include-dashboard=false", f"--temp-dir={ray_tmp}"]
    # --block keeps `ray start` in the foreground: stopping its process group stops this head and nothing
    # else (`ray stop --force` would stop every Ray process of the user on the machine)
    proc = subprocess.Popen(head, cwd=tmp_path, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                            text=True, start_new_session=True)
    try:
        _wait_for_port(port, proc)
        address = f"127.0.0.1:{port}"
        _run([coldgrid, *sweep, "hydra/launcher=ray", f"hydra.launcher.ray.init.address={address}",
              "+hydra.launcher.ray.init.object_store_memory=null", f"hydra.sweep.dir={tmp_path / 'ray'}"],
             tmp_path, env)
    finally:
        _stop(proc)
        shutil.rmtree(ray_tmp, ignore_errors=True)
    _run([coldgrid, *sweep, f"hydra.sweep.dir={tmp_path / 'basic'}"], tmp_path, env)
    for job in ("0", "1"):
        xr.testing.assert_identical(_load(tmp_path / "basic" / job / "result.nc"),
                                    _load(tmp_path / "ray" / job / "result.nc"))
    assert (tmp_path / "ray" / "sweep.nc").exists()
    assert (tmp_path / "ray" / "comparison.csv").exists()
    # each Ray task (Ray's default: one CPU) runs the thermal kernels on one thread, not on one per core
    # of the node (sim.threads); the basic launcher's jobs are not limited
    for job in ("0", "1"):
        ray_log = "".join(p.read_text() for p in (tmp_path / "ray" / job).glob("*.log"))
        assert "compiled kernels on 1 thread(s): the 1 CPU(s) Ray assigned to this job" in ray_log, ray_log[-2000:]
        basic_log = "".join(p.read_text() for p in (tmp_path / "basic" / job).glob("*.log"))
        assert basic_log and "Ray assigned" not in basic_log
