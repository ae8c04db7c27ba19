"""sim.threads: a Ray job's compiled kernels run on the CPUs Ray assigned to it (the end-to-end check on a
real Ray head is in tests/integration/test_ray_launcher.py)."""

from __future__ import annotations

import subprocess
import sys

import pytest

from sim.threads import ray_assigned_cpus, threads_for


@pytest.mark.parametrize(("assigned", "available", "expected"), [
    (None, 8, 8),  # not a Ray task: numba's own limit
    (1.0, 8, 1),  # Ray's default task
    (4.0, 8, 4),
    (2.5, 8, 2),  # rounded down: never more threads than CPUs
    (0.5, 8, 1),  # a fractional CPU still runs on one thread
    (16.0, 8, 8),  # never more than numba can run
    (float("inf"), 8, 8),
    (3.0, 1, 1),  # NUMBA_NUM_THREADS=1 set by the user wins
])
def test_threads_for(assigned, available, expected):
    assert threads_for(assigned, available) == expected


def test_outside_ray_nothing_is_assigned_and_ray_is_not_imported():
    code = ("import sys; from sim.threads import ray_assigned_cpus, limit_to_job; import numba; "
            "n = numba.get_num_threads(); print(ray_assigned_cpus(), limit_to_job() == n, "
            "numba.get_num_threads() == n, 'ray' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout.split()
    assert out == ["None", "True", "True", "False"]


def test_ray_imported_but_not_initialized_assigns_nothing():
    pytest.importorskip("ray")
    import ray

    if ray.is_initialized():
        pytest.skip("a Ray session is running in this process")
    assert ray_assigned_cpus() is None
