"""ANSI/ASHRAE Standard 140-2020, free-float cases 600FF and 900FF (a validation: nothing was fitted).

Reference: ASHRAE 140-2020 Informative Annex B8, Tables B8-5a/b/c, the range of the example results of six
programs (BSIMAC, CSE, DeST, EnergyPlus, ESP-r, TRNSYS) for the annual minimum, maximum and mean hourly
zone air temperature with the TMY3 file of Denver (``sim.validation.ashrae140.REFERENCE_RANGES``; sources in
its docstring). Tolerance: the published range itself (Standard 140 sets no pass/fail band; lying inside
the spread of the reference programs is the customary test). A coarse guard keeps every figure within
1 K of its range so that a real fault (a sign, a unit, a lost gain) fails even where a range is narrow.

The 900FF annual mean (25.68 degC against 24.5-25.7) is inside by 0.02 K only: both cases' means sit at
the top of their ranges because the windows still transmit more sun than the reference programs' (Table
B8-11, below: 0.653 against 0.587-0.627 for case 600's south window). That comparison is an expected
failure (strict), with a guard of 0.05 on the transmissivity.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from sim.validation.ashrae140 import (
    EPW_PATH,
    REFERENCE_RANGES,
    TRANSMISSIVITY_RANGES,
    bestest_box,
    run_case,
    window_transmissivity,
)

ROOT = Path(__file__).resolve().parents[2]
pytestmark = pytest.mark.skipif(not (ROOT.parent / "shared" / "data" / EPW_PATH.name).is_file(),
                                reason="needs ../shared/data/USA_CO_Denver.Intl.AP.725650_TMY3.epw")  # fmt: skip


@pytest.fixture(scope="module")
def results():
    assert ROOT.parent / "shared" / "data" / EPW_PATH.name == EPW_PATH
    return {case: run_case(case) for case in REFERENCE_RANGES}


def test_reference_ranges_are_the_published_ones():
    # ASHRAE 140-2020 Tables B8-5a/b/c (min and max over the six example programs)
    assert REFERENCE_RANGES["600FF"] == {"tmin_c": (-13.8, -9.9), "tmax_c": (62.4, 68.4), "tmean_c": (24.3, 26.1)}
    assert REFERENCE_RANGES["900FF"] == {"tmin_c": (0.6, 2.2), "tmax_c": (43.3, 46.0), "tmean_c": (24.5, 25.7)}


def test_box_is_built_from_the_specification():
    # the 2020 specification's UA values: walls 26.598, roof 13.237, raised floor 1.867, windows 25.184 W/K,
    # infiltration 0.5 ach of 129.6 m3 at the site's air density (~0.98 kg/m3 at 1650 m)
    for case in REFERENCE_RANGES:
        box = bestest_box(case, 0.98)
        ua = 26.598 + 13.237 + 1.867 + 25.184 + 0.98 * 1005.0 * 0.5 * 129.6 / 3600.0
        assert box.h_total_w_per_k == pytest.approx(ua, rel=0.01), case
    # heavy mass: 100 mm concrete block walls (63.6 m2) and the 80 mm slab (48 m2) at 1400 kg/m3, 1000 J/(kg K)
    heavy = 63.6 * 0.1 * 1.4e6 + 48 * 0.08 * 1.4e6
    assert bestest_box("900FF").c_mass_j_per_k == pytest.approx(heavy + 48 * 0.010 * 950 * 840, rel=1e-9)


@pytest.mark.parametrize("key", ["tmin_c", "tmax_c", "tmean_c"])
def test_600ff_inside_the_reference_range(results, key):
    lo, hi = REFERENCE_RANGES["600FF"][key]
    assert lo <= results["600FF"][key] <= hi


@pytest.mark.parametrize("key", ["tmin_c", "tmax_c"])
def test_900ff_extremes_inside_the_reference_range(results, key):
    lo, hi = REFERENCE_RANGES["900FF"][key]
    assert lo <= results["900FF"][key] <= hi


def test_900ff_mean_inside_the_reference_range(results):
    lo, hi = REFERENCE_RANGES["900FF"]["tmean_c"]
    assert lo <= results["900FF"]["tmean_c"] <= hi


def test_every_figure_within_one_kelvin_of_its_range(results):
    for case, ranges in REFERENCE_RANGES.items():
        for key, (lo, hi) in ranges.items():
            assert lo - 1.0 <= results[case][key] <= hi + 1.0, (case, key, results[case][key])


def test_heavy_mass_damps_the_swing(results):
    # the physics the cases are built to show: same mean, a far smaller annual swing with heavy mass
    light, heavy = results["600FF"], results["900FF"]
    assert heavy["tmax_c"] - heavy["tmin_c"] < 0.7 * (light["tmax_c"] - light["tmin_c"])
    assert abs(heavy["tmean_c"] - light["tmean_c"]) < 0.5


@pytest.fixture(scope="module")
def transmissivity():
    return window_transmissivity()


def test_window_transmissivity_near_table_b8_11(transmissivity):
    """ASHRAE 140-2020 Table B8-11 (annual transmitted over incident solar radiation of the windows, the six
    reference programs' range): the glazing model of the chain (sim.solar.glazing_iam, Duffie and Beckman)
    within 0.05 of each range, and ordered as in the table (single pane above double)."""
    for key, (lo, hi) in TRANSMISSIVITY_RANGES.items():
        assert lo - 0.05 <= transmissivity[key] <= hi + 0.05, (key, transmissivity[key])
    assert transmissivity["670_south_single"] > transmissivity["600_south"] + 0.08


@pytest.mark.xfail(strict=True, reason="known bias: the windows transmit 0.653 (south, double pane) against "
                                       "0.587-0.627 in Table B8-11 (docs/validation.md)")  # fmt: skip
def test_window_transmissivity_inside_table_b8_11(transmissivity):
    for key, (lo, hi) in TRANSMISSIVITY_RANGES.items():
        assert lo <= transmissivity[key] <= hi, key
