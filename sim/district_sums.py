"""Buildings per district in each supply state and cause of no heat, one step at a time, in one pass.

The chain's step loop counted them as matrix products of 0/1 masks with one-hot building weights (eight
products per step, each converting an (R, G) mask to floats first). :func:`add_building_counts` does the
same sums in one compiled pass over the groups. The weights are whole numbers of buildings, so every
partial sum is an integer below 2**53 and exact in float64: the result equals the matrix products' to the
bit whatever the order of summation (tested against them in ``tests/unit/test_district_sums.py``).
"""

from __future__ import annotations

import numba
import numpy as np

#: group_state codes counted (sim.des.timeline: 0 normal, 1 stopped, 2 drained, 3 frozen).
DRAINED_STATE, FROZEN_STATE = 2, 3


def add_building_counts(t: int, state: np.ndarray, cause: np.ndarray, district: np.ndarray,
                        buildings: np.ndarray, no_heat: np.ndarray, drained: np.ndarray, frozen: np.ndarray,
                        by_cause: np.ndarray) -> None:
    """Write step ``t`` of the district building counts.

    Parameters
    ----------
    t : int
        Step index (the second axis of the outputs).
    state, cause : numpy.ndarray
        int8 (R, G): the groups' supply state and cause of no heat at the step (``SupplyTimeline``).
    district : numpy.ndarray
        int (G,): district index of each group.
    buildings : numpy.ndarray
        float (G,): buildings on district heating in each group (0 for groups with their own boilers);
        whole numbers.
    no_heat, drained, frozen : numpy.ndarray
        float (R, T, D): buildings with a cause of no heat (``cause > 0``), drained or frozen
        (``state >= 2``), frozen (``state == 3``). [buildings]
    by_cause : numpy.ndarray
        float (R, T, D, C): buildings with cause ``c + 1``. [buildings]
    """
    if not np.array_equal(buildings, np.round(buildings)):
        raise ValueError("buildings must be whole numbers (the counts are exact only then)")
    _counts_kernel(t, state, cause, np.asarray(district, dtype=np.int64), np.asarray(buildings, dtype=float),
                   no_heat, drained, frozen, by_cause)


@numba.njit(cache=True, parallel=True)
def _counts_kernel(t, state, cause, district, buildings, no_heat, drained, frozen, by_cause):  # pragma: no cover
    """Per realization (in parallel: each writes its own cells): each group's buildings added to its
    district's bins without branches (a code's bin; a 0/1 flag times the buildings), then the outputs from
    the bins."""
    n_r, n_g = state.shape
    n_d, n_c = by_cause.shape[2], by_cause.shape[3]
    for r in numba.prange(n_r):
        per_cause = np.zeros((n_d, 256))  # a bin for every int8 code (as uint8); 1..n_c are read
        sums = np.zeros((n_d, 3))  # cause > 0, state >= 2, state == 3
        for g in range(n_g):
            d = district[g]
            w = buildings[g]
            c = cause[r, g]
            s = state[r, g]
            per_cause[d, np.uint8(c)] += w
            sums[d, 0] += w * (c > 0)
            sums[d, 1] += w * (s >= DRAINED_STATE)
            sums[d, 2] += w * (s == FROZEN_STATE)
        for d in range(n_d):
            for k in range(n_c):
                by_cause[r, t, d, k] = per_cause[d, k + 1]
            no_heat[r, t, d] = sums[d, 0]
            drained[r, t, d] = sums[d, 1]
            frozen[r, t, d] = sums[d, 2]
