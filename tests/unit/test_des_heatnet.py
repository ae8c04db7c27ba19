"""Unit tests of the heat network: circulation stop, drain in frost (E7), refill and restart (B2)."""

from __future__ import annotations

import math

import numpy as np

from sim.des.heatnet import freeze_time_h
from sim.des.testing import hit_campaign, load_city, run_city
from sim.des.timeline import DRAINED, NORMAL, STOPPED


def _boiler_outage(outage_h: float, outdoor_c, undrained_prob=0.0, days=3.0):
    _, net = load_city("small_town")
    h = 0
    node = int(net.heat_sources[h])
    camp = hit_campaign(net, [(2.0, node, outage_h)])
    _city, net, _, tl = run_city("small_town", n_realizations=1, days=days, outdoor_c=outdoor_c, campaign=camp,
                                repair={"undrained_prob": undrained_prob})
    zone = net.group_heat_source == h
    return tl, zone, net


def test_freeze_time_counts_consecutive_cold_hours():
    out = np.array([-5.0, -25.0, -25.0, -5.0, -25.0, -25.0, -25.0, -25.0])
    assert freeze_time_h(out, 1.0, 0.0, -15.0, 2.0) == 3.0
    assert freeze_time_h(out, 1.0, 1.5, -15.0, 2.0) == 6.0  # 1.5 h before the thaw is not enough
    assert math.isinf(freeze_time_h(out, 1.0, 0.0, -30.0, 1.0))


def test_long_outage_in_frost_drains_then_crews_restart():
    tl, zone, _ = _boiler_outage(20.0, -10.0)
    s = tl.group_state[0][:, zone]
    assert (s[2:4] == STOPPED).all()  # circulation stopped, not drained yet (E7: within hours)
    assert (s[9:22] == DRAINED).all()  # drained by 2 + 1.5 x 4 h, waiting while the boiler is repaired
    assert not tl.group_heat[0, 9:22][:, zone].any()
    back = np.argmax((s == NORMAL).all(axis=1) & (np.arange(len(s)) > 22))
    assert 22 < back < 40  # refill and restart by heat-network crews takes hours (B2)
    assert set(tl.events["kind"]) >= {"drain", "restart"}


def test_short_outage_or_mild_weather_needs_no_restart():
    tl, zone, _ = _boiler_outage(1.0, -10.0)  # back before the earliest drain (0.5 x 4 h)
    assert (tl.group_state[0][:, zone] <= STOPPED).all()
    assert tl.group_heat[0, 4:][:, zone].all()
    tl, zone, _ = _boiler_outage(20.0, 5.0)  # no frost: no draining (E7)
    assert (tl.group_state[0][:, zone] <= STOPPED).all()
    assert tl.group_heat[0, 22:][:, zone].all()


def test_pumping_needs_power():
    """A heat source stops when the substation feeding its network pumping is down."""
    _, net = load_city("small_town")
    f = int(net.heat_source_feeder[0])
    sub = int(net.feeder_substation[f])
    camp = hit_campaign(net, [(2.0, sub, 12.0)])
    _, net, _, tl = run_city("small_town", n_realizations=1, days=2, outdoor_c=-10.0, campaign=camp)
    zone = net.group_heat_source == 0
    assert not tl.group_heat[0, 3:14][:, zone].any()
    assert tl.group_heat[0, -1][zone].all()
