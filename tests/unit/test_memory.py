import tracemalloc

import numpy as np
import pytest

from sim.errors import ColdgridError
from sim.memory import (
    DEFAULT_LEVELS,
    MemoryEstimate,
    check_fits,
    check_nowcast_fits,
    estimate,
    nowcast_peak_b,
    thermal_stage_b,
)
from sim.ventilation import VentilationLevels


def test_estimate_is_affine_in_realizations():
    # linear in realizations but for the per-group exact-step coefficients, which every realization shares
    a, b, c = (estimate(n, 504, 700, 250, 10, 7, 4).total_b for n in (100, 200, 300))
    assert c - b == pytest.approx(b - a, rel=1e-9)
    assert b < 2 * a and b > 1.9 * a


def test_refuses_with_a_suggestion():
    est = estimate(1000, 504, 700, 250, 10, 7, 4)
    with pytest.raises(ColdgridError, match=r"realizations=\d+ or fewer"):
        check_fits(est, 1000, available_b=est.total_b // 4)
    check_fits(est, 1000, available_b=est.total_b * 2)  # fits: no error


def test_trajectories_add_one_float32_per_group_and_step():
    base = estimate(10, 100, 50, 20, 2, 3, 4)
    full = estimate(10, 100, 50, 20, 2, 3, 4, trajectories=True)
    assert full.outputs_b - base.outputs_b == 10 * 100 * 50 * 4


def _stage(n_real: int, n_steps: int, n_per_archetype: int):
    from sim.building_stage import BuildingStage
    from sim.config.buildings import BuildingsConfig
    from sim.weather import Forecast
    from tests.unit.test_building_stage import _groups

    groups = _groups(n_per_archetype)
    times = np.datetime64("2026-01-20T00:00", "h") + np.arange(n_steps).astype("timedelta64[h]")
    forecast = Forecast(times=times, outdoor_c=np.full((n_real, n_steps), -10.0), source="test")
    stage = BuildingStage.from_groups(groups, BuildingsConfig(), np.random.default_rng(0), n_real, times, 1.0,
                                      forecast)  # fmt: skip
    col, n_g = np.full((n_real, 1), -10.0), len(groups)
    stage.start(col, col + 13.0)
    stage.step(0, col, col + 13.0, np.ones((n_real, n_g), bool), np.ones((n_real, n_g)))
    return stage


@pytest.mark.parametrize(("n_real", "n_steps", "n_per_archetype"), [(40, 96, 10), (100, 48, 20), (10, 500, 5)])
def test_thermal_count_matches_tracemalloc(n_real, n_steps, n_per_archetype):
    """The closed-form count of the thermal stage (:func:`sim.memory.thermal_stage_b`) against the memory the
    stage holds after a step, measured with tracemalloc (numpy reports its buffers to it). Tolerance: the
    count lists the arrays that scale with realizations, steps, groups and levels; what it leaves out (the
    per-group parameter tables, Python objects) is a few per cent, so measured / counted must lie in
    [0.95, 1.15] (measured 1.03-1.06 when written)."""
    _stage(2, 24, 1)  # compile and import outside the measurement
    tracemalloc.start()
    try:
        stage = _stage(n_real, n_steps, n_per_archetype)
        held, _peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    n_sky = stage.irradiance.transmitted_w_per_m2.shape[0]
    counted = thermal_stage_b(n_real, n_steps, stage.model.n_groups, sky_realizations=n_sky)
    counted -= 8 * n_real * n_steps  # the chain's wind (R, T), not held by the stage
    assert 0.95 <= held / counted <= 1.15, (held, counted)


def test_default_levels_are_the_ventilation_ladder():
    assert VentilationLevels().n_levels == DEFAULT_LEVELS


def _toy(n: int) -> MemoryEstimate:
    """A run of n realizations: 3 B of supply, 1 B of thermal, 2 B of outputs per realization (x 1.5)."""
    return MemoryEstimate(3 * n, n, 2 * n)


def test_nowcast_peak_by_hand():
    """R = 100, 3 rejuvenations of 50 (toy sizes above, working-set factor 1.5):
    prior 1.5 x 600 = 900 B; last restart: outputs of 100 + 2 x 50 held, 1.5 x 400 = 600 B, plus a whole run of
    50, 1.5 x 300 = 450 B: 1,050 B; pooling 2 x 1.5 x outputs of 250 (500 B) = 1,500 B, the peak."""
    assert nowcast_peak_b(_toy, 100, 50, 3) == 1500
    assert nowcast_peak_b(_toy, 100, 50, 0) == 900  # weights only: the prior run
    # a restart bigger than the pool's outputs: R = 10, one rejuvenation of 1,000: held 1.5 x 20 = 30 B plus
    # a whole run of 1,000, 1.5 x 6,000 = 9,000 B; pooling 2 x 1.5 x 2,020 = 6,060 B
    assert nowcast_peak_b(_toy, 10, 1000, 1) == 9030


def test_nowcast_refused_before_it_runs_with_the_restart_size_that_fits():
    # 1,500 B needed (above); usable 80 % of 1,500 = 1,200 B. Restarts of n: pooling 1.5 x 2 x 2 (100 + 3 n) B
    # <= 1,200 gives n <= 33 (the last restart, 1.5 x 2 (100 + 2 n) + 9 n <= 1,200, would allow n <= 60)
    with pytest.raises(ColdgridError, match=r"nowcast\.restart_realizations=33 or fewer") as e:
        check_nowcast_fits(_toy, 100, 50, 3, available_b=1500)
    assert "3 rejuvenations of 50 realizations" in str(e.value) and "\n" not in str(e.value)
    check_nowcast_fits(_toy, 100, 33, 3, available_b=1500)  # the suggested size fits
    with pytest.raises(ColdgridError):
        check_nowcast_fits(_toy, 100, 34, 3, available_b=1500)
    check_nowcast_fits(_toy, 100, 50, 3, available_b=1875)  # 80 % of 1,875 B is the 1,500 B needed


def test_the_refusal_says_how_much_a_run_may_plan():
    est = estimate(1000, 504, 700, 250, 10, 7, 4)
    with pytest.raises(ColdgridError, match=r"GiB but only .* is available \(it may plan 80%: .* GiB\)"):
        check_fits(est, 1000, available_b=est.total_b)  # needs all of it, may plan 80 %
