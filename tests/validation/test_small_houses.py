"""Small houses against the field observations of calibration E5.

Reference (reference/calibration.md, E5): a non-insulated house fell from 21 to 4 degC (air) in 48 h at
-12 degC outside; insulated massive houses held 15-17 degC (field test, 10 houses) [M]; a masonry
ground-coupled house in Poland stayed above 15 degC for more than 60 h without heating (Energies 18(15):4022,
2025) [H]. The field test reports neither occupancy nor gains, so the houses cool here without any heat
input, from the steady state of normal operation (heating system on, indoor air at 21 degC).
The computation is :func:`sim.validation.small_house_cooling`, which the validation report plots.
"""

from __future__ import annotations

import numpy as np
import pytest

from sim.validation import TOLERANCES, small_house_cooling

T_OUT_C = -12.0
HOURS = 48


@pytest.fixture(scope="module")
def houses():
    return small_house_cooling(hours=HOURS, t_out_c=T_OUT_C)


def test_cool_downs_start_at_21c_in_normal_operation(houses):
    for name in ("private_old", "private_insulated", "private_insulated_60h_minus5"):
        assert houses[name][0] == pytest.approx(21.0), name
    assert len(houses["private_old"]) == HOURS + 1


def test_non_insulated_house_cools_to_about_4c_in_48h(houses):
    # E5: 21 -> 4 degC in 48 h at -12 degC. Tolerance +/- 3 K: one field test, unknown house and gains.
    air = houses["private_old"]
    assert air[-1] == pytest.approx(TOLERANCES["e5_old_house_c"], abs=TOLERANCES["e5_old_house_abs_k"])
    assert np.all(np.diff(air) < 0)  # a monotone cool-down, no rebound


def test_insulated_massive_house_holds_15_to_17c_after_48h(houses):
    # E5: insulated massive houses held 15-17 degC; tolerance 1 K on either side of that band.
    air = houses["private_insulated"]
    assert TOLERANCES["e5_insulated_min_c"] <= air[-1] <= TOLERANCES["e5_insulated_max_c"]  # 14-18 degC
    assert np.all(np.diff(air) < 0)


def test_insulated_house_stays_warmer_than_old_house_throughout(houses):
    old, insulated = houses["private_old"][1:], houses["private_insulated"][1:]
    assert np.all(insulated > old)


def test_masonry_house_stays_above_15c_for_60h_in_a_mild_frost(houses):
    # Energies 18(15):4022: a masonry ground-coupled house stayed above 15 degC for more than 60 h without
    # heating. The outdoor temperature of that test is not in calibration.md: checked here at -5 degC,
    # a typical Polish winter day (an assumption, so a loose check).
    air = houses["private_insulated_60h_minus5"]
    assert len(air) == 61
    assert air[-1] > TOLERANCES["energies_60h_min_c"]  # 15 degC
    assert houses["private_insulated_60h_minus5_end_c"] == air[-1]
