"""The compiled exposure step (sim.exposure._exposure_step) against the whole-array numpy step it replaced.

``ExposureAccumulator._step_reference`` is the former step (comparisons against every cut, matrix products
for the sums over groups); the compiled step adds the same flags and weights in another order, so sums
over groups agree up to round-off (tolerance 1e-12 relative: a few float64 ulps per addition over a few
hundred groups) and everything counted in steps (spells, cold steps, lowest temperatures) is equal exactly.
The cases cover groups not in district order (the accumulator reorders them), a long-exposure cut that is
not one of the thresholds, groups without power, a district with nobody present and every output of
``finish``.
"""

from __future__ import annotations

from dataclasses import fields, replace

import numpy as np
import pytest

from sim.config.people import PeopleConfig
from sim.people import ExposureAccumulator

COUNTERS = ("_steps_below", "_cold_steps", "_min_c", "_run_long", "_max_spell", "_run_danger", "_max_danger",
            "_run_severe", "_max_severe")


def _pair(cfg: PeopleConfig, district: np.ndarray, n_r: int, n_t: int, seed: int):
    rng = np.random.default_rng(seed)
    n_g = len(district)
    occ = rng.uniform(0.0, 400.0, n_g)
    occ[rng.random(n_g) < 0.1] = 0.0  # empty groups
    s65 = rng.uniform(0.0, 0.5, n_g)
    s5 = rng.uniform(0.0, 0.1, n_g)
    upper = occ * rng.uniform(0.0, 1.0, n_g)
    n_d = int(district.max()) + 2  # the last district has no groups

    def make() -> ExposureAccumulator:
        return ExposureAccumulator(occ, s65, s5, upper, district, n_d, cfg, 1.0, n_r, n_t)

    # smooth temperatures that cross every cut, some sitting exactly on one
    indoor = 14.0 + np.cumsum(rng.normal(0.0, 1.2, (n_t, n_r, n_g)), axis=0)
    indoor[rng.random(indoor.shape) < 0.02] = 16.0
    powered = rng.random((n_t, n_r, n_g)) > 0.3
    return make(), make(), indoor, powered


@pytest.mark.parametrize(
    ("order", "long_c"),
    [("sorted", 16.0), ("shuffled", 16.0), ("shuffled", 15.0)],
    ids=["districts in order", "groups out of district order", "long cut not a threshold"],
)
def test_compiled_step_matches_the_numpy_step(order, long_c):
    cfg = replace(PeopleConfig(heating_points=40), long_exposure_c=long_c)
    rng = np.random.default_rng(3)
    district = np.sort(rng.integers(0, 6, 97))
    if order == "shuffled":
        district = rng.permutation(district)
    compiled, reference, indoor, powered = _pair(cfg, district, n_r=7, n_t=60, seed=11)
    assert (compiled._order is None) == (order == "sorted")
    reference._step_kernel = reference._step_reference  # type: ignore[method-assign]
    for t in range(indoor.shape[0]):
        compiled.update(t, indoor[t], powered[t])
        reference.update(t, indoor[t], powered[t])
        for name in COUNTERS:
            np.testing.assert_array_equal(getattr(compiled, name), getattr(reference, name), err_msg=name)
    a, b = compiled.finish(), reference.finish()
    for f in fields(a):
        x, y = getattr(a, f.name), getattr(b, f.name)
        if isinstance(x, np.ndarray):
            np.testing.assert_allclose(x, y, rtol=1e-12, atol=1e-9, err_msg=f.name)
        else:
            assert x == y, f.name
    assert a.people_below.max() > 0 and a.people_cold_long.max() > 0 and a.people_without_water.max() > 0


def test_compiled_step_counts_against_a_hand_count():
    """Two groups in two districts, three steps: every sum written out by hand (not from the reference)."""
    cfg = PeopleConfig(heating_points=1)
    acc = ExposureAccumulator(np.array([10.0, 4.0]), np.array([0.5, 0.0]), np.array([0.0, 0.25]),
                              np.array([3.0, 1.0]), np.array([0, 1]), 2, cfg, 1.0, 1, 3)
    temps = [(17.0, 20.0), (15.0, 11.0), (15.0, 19.0)]
    for t, (a, b) in enumerate(temps):
        acc.update(t, np.array([[a, b]]), np.array([[t != 1, t != 0]]))
    k16 = list(acc.thresholds_c).index(16.0)
    k12 = list(acc.thresholds_c).index(12.0)
    below16 = acc._people_below[:, 0, k16]  # all ages, one realization: (T,)
    np.testing.assert_array_equal(below16, [0.0, 14.0, 10.0])
    np.testing.assert_array_equal(acc._people_below[:, 1, k16], [0.0, 5.0, 5.0])  # 65+: half of group 0
    np.testing.assert_array_equal(acc._people_below[:, 2, k12], [0.0, 1.0, 0.0])  # under 5: a quarter of group 1
    np.testing.assert_array_equal(acc._people_below_d[:, k16], [[0.0, 0.0], [10.0, 4.0], [10.0, 0.0]])
    np.testing.assert_array_equal(acc._no_water[0], [1.0, 3.0, 0.0])  # upper floors without power
    np.testing.assert_array_equal(acc._max_spell[0], [2, 1])
    np.testing.assert_array_equal(acc._min_c[0], [15.0, 11.0])
