"""Seeded random streams: one per realization and per process (common random numbers).

Every random draw in coldgrid comes from a :class:`numpy.random.Generator` made here from the run's
``seed``. A stream is addressed by ``(realization, process, *keys)`` so that two scenarios run with the same
seed draw the same numbers for the same event (e.g. wave 5's targeting in realization 3), whatever else
differs between them. Nothing is global: callers pass the generators they are given.
"""

from __future__ import annotations

import zlib

import numpy as np

#: The processes that draw random numbers; the integer is part of the stream's key, so never renumber.
PROCESSES: dict[str, int] = {
    "weather": 1,
    "wave_timing": 2,
    "wave_size": 3,
    "targeting": 4,
    "damage": 5,
    "repair": 6,
    "drain": 7,
    "restart": 8,
    "buildings": 9,
    "population": 10,
    "blackout": 11,
    "surge": 12,
    "alerts": 13,
    "sampling": 14,
}


def process_id(process: str) -> int:
    """Stable integer id of a named process; unknown names get a CRC32 so new processes need no registry."""
    if process in PROCESSES:
        return PROCESSES[process]
    return 1000 + zlib.crc32(process.encode()) % 1_000_000


def stream(seed: int, process: str, realization: int = -1, *keys: int) -> np.random.Generator:
    """Return the generator for one process of one realization.

    Parameters
    ----------
    seed : int
        The run's ``seed`` (config key). [-]
    process : str
        Name of the process drawing numbers, e.g. ``"wave_timing"``. [-]
    realization : int
        Monte Carlo realization index; -1 for draws shared by all realizations (e.g. the city). [-]
    keys : int
        Further integers that address one event, e.g. a wave index, so that removing one event does not
        shift the draws of the others. [-]

    Examples
    --------
    >>> a = stream(7, "targeting", 3, 5).random()
    >>> b = stream(7, "targeting", 3, 5).random()
    >>> a == b
    True
    >>> stream(7, "targeting", 3, 6).random() == a
    False
    """
    if seed < 0:
        raise ValueError("seed must be >= 0")
    spawn_key = (process_id(process), realization + 1, *(int(k) + 1 for k in keys))
    return np.random.Generator(np.random.PCG64(np.random.SeedSequence(entropy=seed, spawn_key=spawn_key)))
