"""Validation: the January-February 2026 hindcast against what was reported (20 January aside, nothing
here was fitted).

References (``reference/calibration.md``): A3 (20 Jan: 5,635 blocks lost heat; 24 Jan: ~6,000 blocks
without heat at -10 degC and 800k Kyiv customers without power; 3 Feb: 1,170 blocks without heat,
Darnytsia CHP critically damaged; 7 Feb: 750/330 kV substations hit, 4.5-5 outage queues nationwide),
B1 (CHP restart 1-2 days), B4 (Darnytsia), B7 (645,300 Kyiv households reconnected in one week, late
January), C1 (one queue ~ 4 h a day off).

Setup: ``experiment=hindcast_2026`` (the reported waves with their aims as A3 describes them: heat
generation on 20 and 24 Jan, mixed on 3 Feb, transmission on 7 Feb, 9 Jan drawn; Darnytsia destroyed on
3 Feb; the reconstructed weather of ``examples/hindcast_2026``, a reconstruction, not observations), 50
realizations, DES only. The aims read A3's "effect" column, so the hindcast is conditioned on what the
record says each wave hit (not on how much it took out); targets and damage within the aim are drawn.

Fitted, not held out: 20 Jan (the heat-generation CHP weight was fitted to its peak under
``attacks=single_wave``, test_restoration_20jan.py); here it checks that the fit carries over to the
hindcast's weather and the damage left by 9 Jan (tolerance: B3's +-20 % for the peak). Held out: the rest.

* 24 Jan blocks without heat: median within 0.6-1.5 x 6,000; households without power within
  0.6-1.5 x 800,000 (customers ~ households);
* 3 Feb: Darnytsia's zone is out in every realization (B4: p10 >= 90 % of 1,126) and the median within
  +-35 % of 1,170 (the tolerance of B3's later points: rounded city statements, a wide spread between
  realizations);
* 7 Feb: hours without power per resident in the day after the wave, in C1's queues (hours / 4), 2.5-6
  (nationwide 4.5-5 queues; Kyiv's own is not reported). The scheduled queues alone are reported, not
  asserted: with the wave aimed at the 750/330 kV substations most of Kyiv's loss is damage (substations
  cut off), not schedule (median ~2 queues), see docs/validation.md;
* B1: median CHP restart (hit to plant back, crews and alerts included) within 12-72 h (1-2 days,
  with a factor 1.5 either side);
* B7: reconnections in the week from 24 Jan as the operators count them (feeders back from damage,
  queues back after emergency outages): within a factor 4 of 645,300.
"""

from __future__ import annotations

import pytest

from sim.validation import B7_HOUSEHOLDS, hindcast_2026


@pytest.fixture(scope="module")
def hc():
    return hindcast_2026(n_realizations=50)


def test_20_january_carries_the_fit_over(hc):
    assert abs(hc["jan20_blocks"]["median"] / 5635 - 1) < 0.2, hc["jan20_blocks"]


def test_24_january(hc):
    assert 0.6 * 6000 <= hc["jan24_blocks"]["median"] <= 1.5 * 6000, hc["jan24_blocks"]
    assert 0.6 * 800_000 <= hc["jan24_households_off"]["median"] <= 1.5 * 800_000, hc["jan24_households_off"]


def test_7_february_hours_without_power_in_queues(hc):
    assert 2.5 <= hc["feb7_queue_equivalent"]["median"] <= 6.0, hc["feb7_queue_equivalent"]
    # the schedule is part of it: the equivalent counts hours off from every cause
    assert hc["feb7_queue_equivalent"]["median"] >= hc["feb7_queues"]["median"]


def test_chp_restart_b1(hc):
    assert 12.0 <= hc["chp_restart_h"]["median"] <= 72.0, hc["chp_restart_h"]


def test_distribution_reconnections_b7(hc):
    assert B7_HOUSEHOLDS / 4 <= hc["b7_households_week"]["median"] <= 4 * B7_HOUSEHOLDS, hc["b7_households_week"]


def test_3_february_darnytsia_is_out_and_little_else(hc):
    assert hc["feb3_blocks"]["p10"] >= 1126 * 0.9  # at least Darnytsia's zone (B4)
    assert abs(hc["feb3_blocks"]["median"] / 1170 - 1) < 0.35, hc["feb3_blocks"]
