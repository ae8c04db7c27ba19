"""Validation: an undrained heating system in deep frost freezes within hours and needs weeks.

Reference: ``reference/calibration.md`` E7 (Kyiv drains systems whenever circulation stops in frost; a
system that is not drained in deep frost freezes, and restoration then takes weeks, not days) and B2
(after the source returns, drained buildings get heat back in ~2 days).
"""

from __future__ import annotations

import numpy as np

from sim.des.testing import hit_campaign, load_city, run_city


def _outage(undrained_prob: float, outdoor_c: float):
    _, net = load_city("small_town")
    camp = hit_campaign(net, [(2.0, int(net.heat_sources[0]), 24.0)])  # the boiler house is down for a day
    _city, net, _, tl = run_city("small_town", n_realizations=1, days=40, outdoor_c=outdoor_c, campaign=camp,
                                repair={"undrained_prob": undrained_prob})
    zone = net.group_heat_source == 0
    return tl, zone


def _restored_h(tl, zone) -> float:
    heat = tl.group_heat[0][:, zone].all(axis=1)
    t = np.flatnonzero(heat & (np.arange(len(heat)) > 3))
    return float(t[0])


def test_undrained_system_freezes_within_hours_below_minus_20():
    tl, zone = _outage(undrained_prob=1.0, outdoor_c=-22.0)
    s = tl.group_state[0][:, zone]
    # freeze_after_h = 6 h below -15 degC after circulation stopped at 2 h
    assert (s[3:8] == 1).all() and (s[8:30] == 3).all()
    assert "freeze" in set(tl.events["kind"])
    frozen_h = _restored_h(tl, zone)
    assert frozen_h > 14 * 24  # weeks (frozen_repair_days = 21, lognormal)


def test_drained_system_comes_back_in_days():
    tl, zone = _outage(undrained_prob=0.0, outdoor_c=-22.0)
    assert (tl.group_state[0][:, zone] != 3).all()
    assert _restored_h(tl, zone) < 3 * 24  # B2: ~2 days after the source returns
