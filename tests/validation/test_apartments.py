"""Unheated Kyiv apartment blocks, January 2026: the model against published indoor readings (a validation).

References and conditions: ``sim.validation.apartments.READINGS`` (Obozrevatel 25 Jan 2026: +1 degC after
15 days without heat; The Kyiv Independent 27-28 Jan 2026: a 17-storey block, ~13 degC with daily gas-stove
heating after weeks; Telegraf / Kyiv 24, 21 Jan 2026: +10 degC after about a day). Tolerance
``APARTMENT_TOL_K`` = 4 K, set before the comparison from the spread of flats within a block (2.5 K) and
the outdoor temperature over the period (+-3 K); see the module docstring. The one-day Darnytskyi reading
lies 5 K below the model (the flats' state when that outage began is not reported; they had been without
heat after 9 January too): an expected failure, strict, so that the suite notices when it changes.
"""

from __future__ import annotations

import numpy as np
import pytest

from sim.validation.apartments import APARTMENT_TOL_K, READINGS, cool_down_operative, kyiv_readings


@pytest.fixture(scope="module")
def readings():
    return kyiv_readings()


def test_tolerance_and_readings_are_the_documented_ones():
    assert APARTMENT_TOL_K == 4.0
    assert {r.key: r.reading_c for r in READINGS} == {"k1_15d": 1.0, "k2_17storey": 13.0, "k3_1d": 10.0}


@pytest.mark.parametrize("key", ["k1_15d", "k2_17storey"])
def test_multi_day_cool_downs_match_the_readings(readings, key):
    r = readings[key]
    assert abs(r["model_c"] - r["reading_c"]) <= APARTMENT_TOL_K, (r["model_c"], r["reading_c"])
    assert r["model_min_c"] <= r["reading_c"] + APARTMENT_TOL_K and r["model_max_c"] >= r["reading_c"] - APARTMENT_TOL_K


@pytest.mark.xfail(strict=True, reason="the model is 5 K warmer than the one-day Darnytskyi reading (docs/validation.md)")
def test_one_day_reading(readings):
    r = readings["k3_1d"]
    assert abs(r["model_c"] - r["reading_c"]) <= APARTMENT_TOL_K


def test_cool_downs_fall_monotonically_without_heat_and_power():
    curve = cool_down_operative("panel_9", 72, -10.0, powered_h_per_day=0.0)
    assert curve[0] > 19.0  # starts in normal operation
    assert np.all(np.diff(curve[6:]) < 0.05)  # a cool-down (the sun adds small daily bumps)
    # a gas stove in use keeps the flat warmer
    with_stove = cool_down_operative("panel_9", 72, -10.0, powered_h_per_day=0.0, stove_in_use=True)
    assert with_stove[-1] > curve[-1] + 1.0
