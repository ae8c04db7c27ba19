"""sim.district_sums: the one-pass building counts against the matrix products the chain computed before.

The reference is the plain formulation (0/1 masks times one-hot building weights); with whole numbers of
buildings both are exact, so they must agree to the bit (no tolerance).
"""

from __future__ import annotations

import numpy as np
import pytest

from sim.district_sums import add_building_counts

N_CAUSES = 5


def _reference(state, cause, district, buildings, n_d):
    onehot = np.zeros((len(district), n_d))
    onehot[np.arange(len(district)), district] = 1.0
    w = onehot * buildings[:, None]
    return ((cause > 0) @ w, (state >= 2) @ w, (state == 3) @ w,
            np.stack([(cause == c + 1) @ w for c in range(N_CAUSES)], axis=-1))


def _outputs(n_r, n_t, n_d):
    # filled with garbage: every cell of step t must be written
    return (np.full((n_r, n_t, n_d), -5.0), np.full((n_r, n_t, n_d), -5.0), np.full((n_r, n_t, n_d), -5.0),
            np.full((n_r, n_t, n_d, N_CAUSES), -5.0))


@pytest.mark.parametrize("seed", range(5))
def test_counts_equal_the_matrix_products_to_the_bit(seed):
    rng = np.random.default_rng(seed)
    n_r, n_t, n_g, n_d = 7, 4, 300, 6
    district = rng.integers(0, n_d, n_g)
    buildings = rng.integers(0, 40, n_g).astype(float)
    buildings[rng.random(n_g) < 0.2] = 0.0  # own boilers: not counted
    state = rng.integers(0, 4, (n_r, n_g)).astype(np.int8)
    cause = rng.integers(0, N_CAUSES + 1, (n_r, n_g)).astype(np.int8)
    out = _outputs(n_r, n_t, n_d)
    add_building_counts(2, state, cause, district, buildings, *out)
    for got, want in zip(out, _reference(state, cause, district, buildings, n_d), strict=True):
        assert np.array_equal(got[:, 2], want)
        assert (np.delete(got, 2, axis=1) == -5.0).all()  # other steps untouched


def test_counts_of_a_strided_state_slice_and_large_whole_numbers():
    """The chain passes ``group_state[:, t, :]`` (a strided view); large counts stay exact."""
    rng = np.random.default_rng(11)
    n_r, n_t, n_g, n_d = 3, 5, 50, 2
    state_rtg = rng.integers(0, 4, (n_r, n_t, n_g)).astype(np.int8)
    cause_rtg = rng.integers(0, N_CAUSES + 1, (n_r, n_t, n_g)).astype(np.int8)
    district = rng.integers(0, n_d, n_g)
    buildings = rng.integers(10**9, 10**10, n_g).astype(float)
    out = _outputs(n_r, n_t, n_d)
    for t in range(n_t):
        add_building_counts(t, state_rtg[:, t, :], cause_rtg[:, t, :], district, buildings, *out)
        for got, want in zip(out, _reference(state_rtg[:, t], cause_rtg[:, t], district, buildings, n_d), strict=True):
            assert np.array_equal(got[:, t], want)


def test_fractional_buildings_are_refused():
    out = _outputs(1, 1, 1)
    with pytest.raises(ValueError, match="whole numbers"):
        add_building_counts(0, np.zeros((1, 2), np.int8), np.zeros((1, 2), np.int8), np.zeros(2, int),
                            np.array([1.0, 2.5]), *out)
