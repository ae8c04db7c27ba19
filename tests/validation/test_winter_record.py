"""Validation: Kyiv under continued strikes over 21 days, against the record of winter 2025-26.

References (``reference/calibration.md``): A3 and B3 (after each wave Kyiv came back to about 1,200
blocks without heat within 3-4 days; waves on 20 and 24 January, 3 and 7 February), C1 and C2 (3-4.5
outage queues, 8-16 h a day without power, schedules suspended after major strikes but the whole city
never dark for long).

What was fitted and what was not (docs/grid_model.md): the single-wave restoration was fitted to B3 (a
calibration, ``test_restoration_20jan``: the CHP weight of the heat-generation focus and the refill rate);
the return *between* waves of a continued campaign, with its mix of aims (``attacks.focus``, from A3's
four waves) and its accumulated damage, was not fitted (a validation; it shares the refill rate fitted to
B3). The national allotment (175 MW) was set so that the mean time without power falls within C1/C2's
range: the hours per day are a calibration of the mean, the whole-city blackouts a validation of the
extremes.

Setup: the CLI's defaults (Kyiv, ``attacks=continued``, the cold snap to -25 degC), 21 days, 100
realizations, DES only. Tolerances, stated before the model was run with them:

* between waves: of the waves followed by at least 96 h without another wave, more than half ("most
  waves") have 1,500 blocks without heat or fewer at some hour 48-96 h after the wave ("back to ~1,200
  within 3-4 days", with the "~1,500" of issue 14 as the allowance for "~"); the median count at +84 h is
  reported (docs/validation.md), as is the share by the waves' focus;
* 8-16 h a day without power on average (C1, C2);
* the whole city (>= 95 % of residents) without power in under 2 % of hours.
The computation is :func:`sim.validation.winter_record`.
"""

from __future__ import annotations

import pytest

from sim.validation import TOLERANCES, winter_record


@pytest.fixture(scope="module")
def record():
    return winter_record(n_realizations=100, days=21.0, seed=20260129)


def test_most_waves_are_followed_by_a_return_to_about_1500_blocks(record):
    assert TOLERANCES["between_waves_blocks"] == 1500 and TOLERANCES["between_waves_share_min"] == 0.5
    between = record["between"]
    assert len(between) > 100  # waves with four quiet days after them
    assert (between["min_48_96h"] <= between["at_84h"]).all()
    returned = (between["min_48_96h"] <= 1500).mean()
    assert record["share_returned"] == returned
    assert returned > 0.5, record["share_returned_by_focus"]


def test_hours_without_power_per_day_within_the_winter_record(record):
    h = record["hours_without_power_per_day"]
    assert TOLERANCES["hours_without_power_min"] <= h <= TOLERANCES["hours_without_power_max"], h


def test_the_whole_city_is_rarely_dark(record):
    assert TOLERANCES["whole_city_dark_max_frac"] == 0.02
    assert record["whole_city_dark_frac"] < 0.02, record["whole_city_dark_frac"]
