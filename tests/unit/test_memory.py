import tracemalloc

import numpy as np
import pytest

from sim.errors import ColdgridError
from sim.memory import DEFAULT_LEVELS, check_fits, estimate, thermal_stage_b
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
