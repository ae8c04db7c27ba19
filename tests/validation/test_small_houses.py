"""Small houses against the field observations of calibration E5.

Reference (reference/calibration.md, E5): a non-insulated house fell from 21 to 4 degC (air) in 48 h at
-12 degC outside; insulated massive houses held 15-17 degC (field test, 10 houses) [M]; a masonry
ground-coupled house in Poland stayed above 15 degC for more than 60 h without heating (Energies 18(15):4022,
2025) [H]. The field test reports neither occupancy nor gains, so the houses cool here without any heat
input, from the steady state of normal operation (heating system on, indoor air at 21 degC).
"""

from __future__ import annotations

import numpy as np
import pytest

from sim.archetypes import archetype, archetype_parameters
from sim.config.buildings import BuildingsConfig
from sim.heating import BuildingInputs, initial_state_c
from sim.thermal import TwoNodeModel

T_OUT_C = -12.0
HOURS = 48


def _cool_down(name: str, hours: int = HOURS, t_out_c: float = T_OUT_C) -> np.ndarray:
    """Indoor air temperature of one house of ``name`` each hour after the heating stops. [degC]"""
    cfg = BuildingsConfig(indoor_setpoint_c=21.0)
    a = archetype(name)
    p = archetype_parameters(name).scaled(np.ones(1))
    bp = BuildingInputs(1.0, a.floor_area_m2, 0.0, 0.0, True, False, p.h_total_w_per_k, p.mass_to_air_frac)
    t_out = np.full((1, 1), t_out_c)
    x = initial_state_c(bp, p, t_out, cfg)
    model = TwoNodeModel(p, 3600.0, 1)
    model.set_state(x[..., 0], x[..., 1])
    assert model.indoor_c[0, 0] == pytest.approx(21.0)
    return np.array([model.step(t_out, 0.0)[0, 0] for _ in range(hours)])


def test_non_insulated_house_cools_to_about_4c_in_48h():
    # E5: 21 -> 4 degC in 48 h at -12 degC. Tolerance +/- 3 K: one field test, unknown house and gains.
    air = _cool_down("private_old")
    assert air[-1] == pytest.approx(4.0, abs=3.0)
    assert np.all(np.diff(air) < 0)  # a monotone cool-down, no rebound


def test_insulated_massive_house_holds_15_to_17c_after_48h():
    # E5: insulated massive houses held 15-17 degC; tolerance 1 K on either side of that band.
    air = _cool_down("private_insulated")
    assert 14.0 <= air[-1] <= 18.0
    assert np.all(np.diff(air) < 0)


def test_insulated_house_stays_warmer_than_old_house_throughout():
    old, insulated = _cool_down("private_old"), _cool_down("private_insulated")
    assert np.all(insulated > old)


def test_masonry_house_stays_above_15c_for_60h_in_a_mild_frost():
    # Energies 18(15):4022: a masonry ground-coupled house stayed above 15 degC for more than 60 h without
    # heating. The outdoor temperature of that test is not in calibration.md: checked here at -5 degC,
    # a typical Polish winter day (an assumption, so a loose check).
    air = _cool_down("private_insulated", hours=60, t_out_c=-5.0)
    assert air[-1] > 15.0
