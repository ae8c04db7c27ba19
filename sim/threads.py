"""How many threads a job's compiled kernels may use.

The thermal stage's fused step (:mod:`sim.building_stage`) runs on numba's threads, one per core of the
machine unless ``NUMBA_NUM_THREADS`` says otherwise. That is right for one job on a machine, and wrong for a
Ray worker: Ray runs as many jobs on a node as it has CPUs (one CPU per job unless
``hydra.launcher.ray.remote.num_cpus`` says otherwise), and each of them would start a thread per core of the
node, so that a 16-core node runs 256 threads for 16 jobs. :func:`limit_to_job` caps numba's threads at the
CPUs Ray assigned to the job (rounded down, at least one). Outside Ray it changes nothing. The results do not
depend on the number of threads (bit for bit, ``tests/unit/test_building_stage.py``).
"""

from __future__ import annotations

import logging
import math
import sys

log = logging.getLogger(__name__)


def ray_assigned_cpus() -> float | None:
    """The CPUs Ray assigned to the task this process runs, or None outside a Ray task (Ray not imported,
    not initialized, or the driver process). Does not import Ray."""
    ray = sys.modules.get("ray")
    if ray is None or not ray.is_initialized():
        return None
    try:
        cpus = ray.get_runtime_context().get_assigned_resources().get("CPU")
    except AssertionError:  # Ray asserts that the caller is a worker: the driver (the sweep's process) is not
        return None
    return None if cpus is None else float(cpus)


def threads_for(assigned_cpus: float | None, available: int) -> int:
    """numba threads for a job with ``assigned_cpus`` CPUs (None: not limited) when ``available`` threads
    are the most numba runs (``NUMBA_NUM_THREADS``): the CPUs rounded down, within [1, available]."""
    if assigned_cpus is None or not math.isfinite(assigned_cpus):
        return available
    return max(1, min(available, math.floor(assigned_cpus + 1e-9)))


def limit_to_job() -> int:
    """Cap numba's threads at the CPUs Ray assigned to this job (no change outside Ray); returns the
    threads the compiled kernels will use, and logs them."""
    import numba

    available = int(numba.config.NUMBA_NUM_THREADS)  # type: ignore[attr-defined]
    assigned = ray_assigned_cpus()
    n = threads_for(assigned, available)
    if assigned is not None:
        numba.set_num_threads(n)
        log.info("compiled kernels on %d thread(s): the %g CPU(s) Ray assigned to this job", n, assigned)
    else:
        log.debug("compiled kernels on up to %d thread(s) (NUMBA_NUM_THREADS)", numba.get_num_threads())
    return n
