"""The DES's realizations on forked processes (sim.des.processes): the same outputs as in one process, bit
for bit, and failures of a process reported in the calling one."""

from __future__ import annotations

import multiprocessing as mp
import os
import sys

import numpy as np
import pytest

from sim.des import processes
from sim.des.processes import fork_usable, process_cap, run_realizations, shared_zeros
from sim.des.testing import run_city

pytestmark = pytest.mark.skipif(not fork_usable(), reason="forked DES processes need Linux")

TIMELINE_ARRAYS = ("feeder_power", "heat_frac", "group_state", "group_cause", "waves", "hits",
                   "queues_off", "heating_season")


@pytest.fixture
def always_fork(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """Fork however short the work (the small town's realizations take milliseconds); counts the forks."""
    monkeypatch.setattr(processes, "MIN_PARALLEL_S", 0.0)
    forks: list[int] = []
    real = processes._run_forked

    def counted(rest, one, n_proc, results, progress):
        forks.append(n_proc)
        return real(rest, one, n_proc, results, progress)

    monkeypatch.setattr(processes, "_run_forked", counted)
    return forks


@pytest.mark.parametrize("city_name", ["small_town", "kyiv"])
def test_forked_realizations_give_the_outputs_of_one_process_bit_for_bit(city_name, always_fork):
    days, n = (4.0, 5) if city_name == "kyiv" else (7.0, 7)
    *_, one = run_city(city_name, "continued", n, days, seed=11, outdoor_c=-15.0, processes=1)
    *_, two = run_city(city_name, "continued", n, days, seed=11, outdoor_c=-15.0, processes=3)
    assert always_fork == [3]  # the second run forked three processes for realizations 1..n-1
    for name in TIMELINE_ARRAYS:
        a, b = getattr(one, name), getattr(two, name)
        assert a.dtype == b.dtype and a.shape == b.shape, name
        assert np.array_equal(a, b), name
    assert one.events.equals(two.events)
    assert one.stats["n_events"] == two.stats["n_events"] > 0
    assert (one.group_state != 0).any()  # something happened: the comparison is not of empty arrays


def _pid_and_square(r: int) -> tuple[int, int]:
    return os.getpid(), r * r


def test_results_come_back_in_order_from_every_process_with_progress():
    seen: list[int] = []
    out = run_realizations(9, _pid_and_square, 3, progress=seen.append, min_parallel_s=0.0)
    assert [v for _pid, v in out] == [r * r for r in range(9)]
    pids = {pid for pid, _v in out}
    assert out[0][0] == os.getpid() and len(pids) == 4  # realization 0 here, the rest on three children
    assert seen == list(range(1, 10))
    assert not mp.active_children()


def test_short_work_is_not_forked():
    out = run_realizations(6, _pid_and_square, 3, min_parallel_s=3600.0)
    assert {pid for pid, _v in out} == {os.getpid()}


def test_children_write_into_shared_zeros():
    a = shared_zeros((5, 3), np.int16)
    assert a.shape == (5, 3) and a.dtype == np.int16 and not a.any()

    def fill(r: int) -> int:
        a[r] = r + 1
        return os.getpid()

    pids = run_realizations(5, fill, 2, min_parallel_s=0.0)
    assert len(set(pids)) == 3
    assert a.tolist() == [[r + 1] * 3 for r in range(5)]


def _fail_at_three(r: int) -> int:
    if r == 3:
        raise ValueError("bad realization 3")
    return r


def test_an_error_in_a_process_is_raised_here_with_its_traceback():
    with pytest.raises(ValueError, match="bad realization 3") as info:
        run_realizations(8, _fail_at_three, 2, min_parallel_s=0.0)
    assert any("in DES process" in note and "_fail_at_three" in note for note in info.value.__notes__)
    assert not mp.active_children()  # the other process was ended too


def _die_at_two(r: int) -> int:
    if r == 2:
        os._exit(3)
    return r


def test_a_process_that_dies_is_an_error_naming_its_exit_code():
    with pytest.raises(RuntimeError, match=r"ended without its results \(exit code 3\)"):
        run_realizations(6, _die_at_two, 2, min_parallel_s=0.0)
    assert not mp.active_children()


def test_cap_is_the_jobs_cores(monkeypatch: pytest.MonkeyPatch):
    import numba

    monkeypatch.setattr(numba, "get_num_threads", lambda: 1)
    assert process_cap() == 1
    monkeypatch.setattr(numba, "get_num_threads", lambda: 64)
    assert process_cap() == len(os.sched_getaffinity(0))


def test_no_fork_under_ray(monkeypatch: pytest.MonkeyPatch):
    class FakeRay:
        @staticmethod
        def is_initialized() -> bool:
            return True

    monkeypatch.setitem(sys.modules, "ray", FakeRay)
    assert not fork_usable() and process_cap() == 1


CTRL_C_SCRIPT = r"""
import os, sys, time
from pathlib import Path
from sim import interrupts
from sim.des.processes import run_realizations
interrupts.install()
folder = Path(sys.argv[1])

def one(r):
    if r > 0:
        (folder / f"child-{r}.pid").write_text(str(os.getpid()))
        time.sleep(0.5)
    return r

try:
    run_realizations(40, one, 2, min_parallel_s=0.0)
except KeyboardInterrupt:
    print("interrupted", flush=True)
    sys.exit(130)
print("finished", flush=True)
"""


def test_ctrl_c_during_forked_realizations_ends_the_children(tmp_path):
    import signal
    import subprocess
    import time

    p = subprocess.Popen([sys.executable, "-c", CTRL_C_SCRIPT, str(tmp_path)], stdout=subprocess.PIPE,
                         stderr=subprocess.PIPE, text=True, cwd=str(processes.__file__).rsplit("/sim/", 1)[0])
    deadline = time.monotonic() + 60
    while len(list(tmp_path.glob("child-*.pid"))) < 2:  # both children are at work
        assert p.poll() is None and time.monotonic() < deadline, p.communicate()
        time.sleep(0.02)
    p.send_signal(signal.SIGINT)
    out, err = p.communicate(timeout=60)
    assert (p.returncode, out.strip()) == (130, "interrupted"), err
    assert "Traceback" not in err
    started = list(tmp_path.glob("child-*.pid"))
    # ended at once: left alone, the children would go on through all 39 realizations (0.5 s each)
    assert len(started) < 20, len(started)
    for f in started:
        pid = int(f.read_text())
        for _ in range(100):
            try:
                os.kill(pid, 0)
            except ProcessLookupError:
                break
            time.sleep(0.05)
        else:
            pytest.fail(f"DES process {pid} outlived the interrupted run")


EARLY_SIGNAL_SCRIPT = r"""
import os, signal
from sim import interrupts
from sim.des.processes import run_realizations
interrupts.install()  # what coldgrid's main does: SIGTERM raises in the main thread
parent = os.getpid()
# SIGTERM at the earliest moment of each child's life: right after the fork, before any of its code
os.register_at_fork(after_in_child=lambda: os.kill(os.getpid(), signal.SIGTERM))
try:
    run_realizations(4, lambda r: r, 2, min_parallel_s=0.0)
    print(f"{os.getpid() == parent} finished", flush=True)
except BaseException as e:
    print(f"{os.getpid() == parent} {type(e).__name__}: {e}", flush=True)
"""


def test_a_signal_right_after_the_fork_ends_the_child_and_never_runs_the_parents_code(tmp_path):
    """Found when a suite run hung: a child forked from a process with coldgrid's SIGTERM handler (the CLI,
    or a test that ran it in-process) and ended by the parent before its own handlers were set raised the
    handler's exception in its copy of the parent's stack, and went on as a second copy of the run (in the
    suite: a second pytest worker waiting for tests, which the parent waited for). The signals are blocked
    across the fork: a SIGTERM that early is held until the child has its own handlers, and then ends it.
    In a fresh interpreter, so that a child which did escape cannot run anything of this suite."""
    import subprocess

    r = subprocess.run([sys.executable, "-c", EARLY_SIGNAL_SCRIPT], capture_output=True, text=True, timeout=120,
                       cwd=str(processes.__file__).rsplit("/sim/", 1)[0])
    # one line, from the parent: the child ended by the signal (exit code -15), not by the run's handler
    assert r.stdout.splitlines() == ["True RuntimeError: a DES process ended without its results (exit code -15)"], (
        r.stdout, r.stderr)
    assert "Traceback" not in r.stderr and "Terminated" not in r.stderr, r.stderr
