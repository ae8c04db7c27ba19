"""Validation: an undrained heating system in deep frost freezes within hours and needs weeks.

Reference: ``reference/calibration.md`` E7 (Kyiv drains systems whenever circulation stops in frost; a
system that is not drained in deep frost freezes, and restoration then takes weeks, not days) and B2
(after the source returns, drained buildings get heat back in ~2 days).
The computation is :func:`sim.validation.freezing_check`, which the validation report plots.
"""

from __future__ import annotations

import math

import pytest

from sim.validation import TOLERANCES, freezing_check


@pytest.fixture(scope="module")
def check():
    return freezing_check(outdoor_c=-22.0, days=40.0)


def test_undrained_system_freezes_within_hours_below_minus_20(check):
    case = check["undrained"]
    s = case["state"]
    # freeze_after_h = 6 h below -15 degC after circulation stopped at 2 h
    assert (s[3:8] == 1).all() and (s[8:30] == 3).all()
    assert "freeze" in case["events"]
    assert math.isfinite(case["restored_h"])  # restored within the 40 days
    assert case["restored_h"] > TOLERANCES["freeze_restore_min_h"]  # weeks (14 d; frozen_repair_days = 21)


def test_drained_system_comes_back_in_days(check):
    case = check["drained"]
    assert (case["state"] != 3).all()
    assert case["restored_h"] < TOLERANCES["drained_restore_max_h"]  # B2: ~2 days after the source returns (3 d)
