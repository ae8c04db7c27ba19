"""The DES's realizations on several forked processes, writing into output arrays they share.

The DES is Python (SimPy) and holds the interpreter lock, so threads do not run its realizations at once;
processes do. The realizations are independent (each draws from streams keyed by its index, and the run's
tables are read only), so any split of them over processes gives the same outputs, bit for bit
(``tests/unit/test_des_processes.py``).

:func:`run_realizations` runs the first realization in the calling process (which compiles or loads the
compiled kernels before any fork) and, if the rest would take long enough to be worth it, forks
processes for them; each writes its realizations' rows into arrays made by :func:`shared_zeros` (anonymous
shared memory, which forked children inherit) and sends back its small results (the event-log columns
and counts) through a pipe. Forking needs Linux; elsewhere, under Ray (whose workers hold gRPC threads
that a fork must not copy) and with one core, the realizations run one after another in the process.

How many processes: :func:`process_cap`, at most the job's cores, which are numba's threads
(``NUMBA_NUM_THREADS``; a Ray job's assigned CPUs, a joblib worker's share) and the CPUs this process may
run on.
"""

from __future__ import annotations

import mmap
import multiprocessing as mp
import os
import signal
import sys
import time
import traceback
from collections.abc import Callable
from multiprocessing.connection import Connection, wait
from typing import Any, cast

import numpy as np

#: The rest of the realizations must take at least this long in one process before they are forked:
#: starting a process costs about 10-30 ms here (its page tables), so shorter work runs in place. [s]
MIN_PARALLEL_S = 0.3


def fork_usable() -> bool:
    """Whether realizations may run on forked processes: Linux (fork is the safe default there), and not
    in a Ray worker or driver (gRPC's threads do not survive a fork)."""
    if not sys.platform.startswith("linux") or "fork" not in mp.get_all_start_methods():
        return False
    ray = sys.modules.get("ray")
    return not (ray is not None and ray.is_initialized())


def process_cap() -> int:
    """Processes the DES may use: the job's cores (numba's threads, see :mod:`sim.threads`) within the
    CPUs this process may run on; 1 where forking is not usable."""
    if not fork_usable():
        return 1
    import numba

    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 1)
    return max(1, min(int(numba.get_num_threads()), cores))


def shared_zeros(shape: tuple[int, ...], dtype: Any) -> np.ndarray:
    """A zero array in anonymous shared memory: forked children write into the same pages. Its pages are
    zero until touched, like those of :func:`numpy.zeros`."""
    dt = np.dtype(dtype)
    count = int(np.prod(shape, dtype=np.int64))
    buf = mmap.mmap(-1, max(count * dt.itemsize, 1))  # MAP_SHARED | MAP_ANONYMOUS
    return np.frombuffer(buf, dtype=dt, count=count).reshape(shape)


def run_realizations(n: int, one: Callable[[int], Any], processes: int,
                     progress: Callable[[int], None] | None = None,
                     min_parallel_s: float | None = None) -> list[Any]:
    """``[one(r) for r in range(n)]``, realization 0 here and the rest on up to ``processes`` forked
    processes (when that many are asked for and the rest would take ``min_parallel_s`` (default
    :data:`MIN_PARALLEL_S`) or more at the pace of realization 0).

    ``one(r)`` writes realization r's rows of the shared outputs and returns a picklable result;
    ``progress(k)`` is called here after each realization with the number done so far. An exception in a
    child is raised here, with the child's traceback as a note; a child that dies is a RuntimeError.
    """
    if n <= 0:
        return []
    min_s = MIN_PARALLEL_S if min_parallel_s is None else min_parallel_s
    t0 = time.perf_counter()
    results: list[Any] = [None] * n
    results[0] = one(0)
    if progress is not None:
        progress(1)
    rest = list(range(1, n))
    n_proc = min(processes, len(rest))
    if n_proc <= 1 or (time.perf_counter() - t0) * len(rest) < min_s:
        for k, r in enumerate(rest, start=2):
            results[r] = one(r)
            if progress is not None:
                progress(k)
        return results
    _run_forked(rest, one, n_proc, results, progress)
    return results


#: Signals blocked from just before a fork until the child has set its own handlers.
_FORK_BLOCKED = frozenset({signal.SIGINT, signal.SIGTERM})


def _child(conn: Connection, mine: list[int], one: Callable[[int], Any]) -> None:
    """A forked process's loop: its realizations, each result sent as it is done, then None."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the parent's to handle: it ends the children
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    signal.pthread_sigmask(signal.SIG_UNBLOCK, _FORK_BLOCKED)  # blocked since the fork: see _run_forked
    try:
        for r in mine:
            conn.send(("done", r, one(r)))
        conn.send(("end", -1, None))
    except BaseException as exc:  # every failure is reported to the parent
        try:
            conn.send(("error", -1, (exc, traceback.format_exc())))
        except Exception:  # not picklable: its text is enough
            conn.send(("error", -1, (RuntimeError(f"{type(exc).__name__}: {exc}"), traceback.format_exc())))
    finally:
        conn.close()


def _run_forked(rest: list[int], one: Callable[[int], Any], n_proc: int, results: list[Any],
                progress: Callable[[int], None] | None) -> None:
    ctx = mp.get_context("fork")
    procs: list[Any] = []
    conns: dict[Connection, Any] = {}
    try:
        for w in range(n_proc):
            recv, send = ctx.Pipe(duplex=False)
            # interleaved shares: neighbouring realizations cost about the same
            p = ctx.Process(target=_child, args=(send, rest[w::n_proc], one), daemon=True,
                            name=f"coldgrid-des-{w}")
            # SIGTERM and SIGINT blocked across the fork: the child inherits the run's Python handlers
            # (sim.interrupts raises in the main thread), and a signal between the fork and multiprocessing's
            # try block would raise in the child's copy of the run's stack, which would then go on as a
            # second copy of the run; the child unblocks them once its own handlers are set (_child)
            mask = signal.pthread_sigmask(signal.SIG_BLOCK, _FORK_BLOCKED)
            try:
                p.start()
            finally:
                signal.pthread_sigmask(signal.SIG_SETMASK, mask)
            send.close()
            procs.append(p)
            conns[recv] = p
        done = 1
        while conns:
            for ready in wait(list(conns)):
                conn = cast(Connection, ready)
                try:
                    what, r, value = conn.recv()
                except EOFError:
                    p = conns.pop(conn)
                    p.join()
                    raise RuntimeError(f"a DES process ended without its results (exit code {p.exitcode})") from None
                if what == "done":
                    results[r] = value
                    done += 1
                    if progress is not None:
                        progress(done)
                elif what == "end":
                    conns.pop(conn).join()
                else:
                    exc, text = value
                    exc.add_note(f"in DES process:\n{text}")
                    raise exc
    finally:
        for p in procs:
            if p.is_alive():
                p.terminate()
        for p in procs:
            p.join()
        for conn in conns:
            conn.close()
