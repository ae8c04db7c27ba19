"""Validation: the January-February 2026 hindcast against what was reported (nothing here was fitted).

References (``reference/calibration.md``): A3 (24 Jan: ~6,000 blocks without heat at -10 degC and 800k
Kyiv customers without power; 3 Feb: 1,170 blocks without heat, Darnytsia CHP critically damaged;
7 Feb: 4.5-5 outage queues nationwide), B1 (CHP restart 1-2 days), B4 (Darnytsia), B7 (645,300 Kyiv
households reconnected in one week, late January).

Setup: ``experiment=hindcast_2026`` (the reported waves, Darnytsia destroyed on 3 Feb, the reconstructed
weather of ``examples/hindcast_2026``, a reconstruction, not observations), 50 realizations, DES only.
The model draws the waves' targets and damage; the reports are one outcome. Tolerances are wide and
honest: the median must be within a factor of the report where the model is expected to be close (24 Jan,
7 Feb, B1, B7: see below), and the test records where it is known to miss (3 Feb, see
docs/validation.md): the model trips the big CHPs in nearly every large wave (the CHP weight fitted to
20 Jan), while on 3 Feb only Darnytsia's zone went out.

* 24 Jan blocks without heat: median within 0.6-1.5 x 6,000; households without power within
  0.6-1.5 x 800,000 (customers ~ households);
* 7 Feb queues off in the day after the wave: 2.5-6 (nationwide 4.5-5; Kyiv's own is not reported);
* B1: median CHP restart (hit to plant back, crews and alerts included) within 12-72 h (1-2 days,
  with a factor 1.5 either side);
* B7: households reconnected after damage outages in the week from 24 Jan: within a factor 4 of
  645,300 (the report counts every reconnection, also after emergency schedules);
* 3 Feb: Darnytsia's zone is out in every realization (B4); the model's count is far higher than the
  reported 1,170 (a known miss, reported in docs/validation.md, not asserted).
"""

from __future__ import annotations

import pytest

from sim.validation import B7_HOUSEHOLDS, hindcast_2026


@pytest.fixture(scope="module")
def hc():
    return hindcast_2026(n_realizations=50)


def test_24_january(hc):
    assert 0.6 * 6000 <= hc["jan24_blocks"]["median"] <= 1.5 * 6000, hc["jan24_blocks"]
    assert 0.6 * 800_000 <= hc["jan24_households_off"]["median"] <= 1.5 * 800_000, hc["jan24_households_off"]


def test_7_february_queues(hc):
    assert 2.5 <= hc["feb7_queues"]["median"] <= 6.0, hc["feb7_queues"]


def test_chp_restart_b1(hc):
    assert 12.0 <= hc["chp_restart_h"]["median"] <= 72.0, hc["chp_restart_h"]


def test_distribution_reconnections_b7(hc):
    assert B7_HOUSEHOLDS / 4 <= hc["b7_households_week"]["median"] <= 4 * B7_HOUSEHOLDS, hc["b7_households_week"]


def test_3_february_darnytsia_is_out(hc):
    # at least Darnytsia's zone (B4); the model's median is far above the reported 1,170 (docs/validation.md)
    assert hc["feb3_blocks"]["p10"] >= 1126 * 0.9
