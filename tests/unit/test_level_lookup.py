"""The ventilation level from a table (:class:`sim.ventilation.LevelLookup`, used by the fused thermal step)
against the logarithm it replaces (:func:`sim.ventilation.level_of_squared_factor`, used by the three-pass
reference and :meth:`sim.thermal.RCModel.step`): equal for every squared factor (tolerance 0), including
the doubles on either side of each level's first value, and the nearest-level rule of
:meth:`sim.ventilation.VentilationLevels.index` away from the rounding at the thresholds."""

from __future__ import annotations

import numpy as np
import pytest

from sim.ventilation import LevelLookup, VentilationLevels, level_of_squared_factor


def _ladder(lv: VentilationLevels) -> tuple[float, float, int]:
    thr = lv.squared_thresholds()
    return float(thr[0]), 1.0 / (2.0 * np.log(lv.ratio)), len(thr)


@pytest.mark.parametrize("lv", [VentilationLevels(), VentilationLevels(ratio=1.02), VentilationLevels(0.3, 1.5, 1.5)])
def test_table_equals_the_logarithm(lv: VentilationLevels) -> None:
    args = _ladder(lv)
    table = LevelLookup.build(*args)
    rng = np.random.default_rng(0)
    lo, hi = np.log(args[0]), np.log(lv.squared_thresholds()[-1])
    bp = table.breakpoints
    f2 = np.concatenate([np.exp(rng.uniform(lo - 2.0, hi + 2.0, 50_000)), bp, np.nextafter(bp, 0.0),
                         np.nextafter(bp, np.inf), [0.0, -0.0, 5e-324, 1e-300, 1e300]])  # fmt: skip
    log_levels = np.array([level_of_squared_factor(float(v), *args) for v in f2])
    np.testing.assert_array_equal(table(f2), log_levels)
    # each level's first value is where the logarithm steps up by one
    assert len(bp) == args[2]
    np.testing.assert_array_equal(table(bp), np.arange(1, args[2] + 1))
    np.testing.assert_array_equal(table(np.nextafter(bp, 0.0)), np.arange(args[2]))


def test_levels_are_the_nearest_and_clip() -> None:
    lv = VentilationLevels()
    table = LevelLookup.build(*_ladder(lv))
    f = lv.factors  # each factor sits mid-way (in log) between two thresholds: no rounding question
    np.testing.assert_array_equal(table(f**2), np.arange(lv.n_levels))
    # below the ladder: level 0; above it, and +inf (where the logarithm has no integer): the top level
    np.testing.assert_array_equal(table(np.array([0.0, 1e-3, 100.0, np.inf])), [0, 0, lv.n_levels - 1, lv.n_levels - 1])
