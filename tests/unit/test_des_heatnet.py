"""Unit tests of the heat network's operators (sim.des.heatnet): drain decisions on the expected outage and
the frost (E7), finite drain capacity, refill teams that grow with the backlog (B2, B3), a heavy-tailed
residual, frost-exposure freezing and contractors, mobile boilers (B6)."""

from __future__ import annotations

import numpy as np
import pytest

from sim.des.heatnet import refill_teams_target
from sim.des.testing import hit_campaign, load_city, make_state, run_city
from sim.des.timeline import DRAINED, DRAINED_WAITING, NORMAL, STOPPED

NO_ALERTS = {"alerts_per_day": 0.0}


def _boiler_outage(outage_h: float, outdoor_c, days=3.0, **repair):
    _, net = load_city("small_town")
    node = int(net.heat_sources[0])
    camp = hit_campaign(net, [(2.0, node, outage_h)])
    _city, net, _, tl = run_city("small_town", n_realizations=1, days=days, outdoor_c=outdoor_c, campaign=camp,
                                 repair=repair, attacks=NO_ALERTS)
    return tl, net.group_heat_source == 0


def test_long_outage_in_frost_drains_then_teams_refill():
    """At -12 degC a 20 h outage would expose the stopped systems to 240 K h, more than half of what they
    stand (400 K h): the operator drains, after its delay of 4 h x U(0.5, 1.5)."""
    tl, zone = _boiler_outage(20.0, -12.0)
    s = tl.group_state[0][:, zone]
    assert (s[3:4] == STOPPED).all()  # circulation stopped, not drained yet (E7: within hours)
    assert (s[9:22] == DRAINED).all()  # drained by 2 + 1.5 x 4 h, waiting while the boiler house is repaired
    assert not tl.group_heat[0, 9:22][:, zone].any()
    back = np.argmax((s == NORMAL).all(axis=1) & (np.arange(len(s)) > 22))
    assert 22 < back < 40  # refill and restart by the teams takes hours (B2)
    assert set(tl.events["kind"]) >= {"drain", "restart"}


@pytest.mark.parametrize(("outage_h", "outdoor_c"), [(1.0, -12.0), (6.0, -12.0), (20.0, 5.0), (3.0, -25.0)])
def test_short_outages_or_mild_weather_need_no_drain(outage_h, outdoor_c):
    """The operator drains only when expected outage x frost reaches half the tolerance: 6 h at -12 degC
    (72 K h, the 4 h delay counted) or 3 h at -25 degC (100 K h) do not; +5 degC is no frost (E7)."""
    tl, zone = _boiler_outage(outage_h, outdoor_c)
    assert (tl.group_state[0][:, zone] <= STOPPED).all()
    back = int(np.ceil(2 + outage_h)) + 1
    assert tl.group_heat[0, back:][:, zone].all()


def test_drain_capacity_is_finite_so_drains_spread_when_zones_stop_together():
    _city, net = load_city("kyiv")
    chps = [int(n) for n in net.source_table.loc[net.source_table["kind"] == "chp", "node"][:2]]
    camp = hit_campaign(net, [(2.0, n, 48.0) for n in chps])

    def spread(rate):
        *_, tl = run_city("kyiv", n_realizations=1, days=2, outdoor_c=-12.0, campaign=camp, attacks=NO_ALERTS,
                          repair={"drain_buildings_per_h": rate})
        t = tl.events.loc[tl.events["kind"] == "drain", "time_h"]
        return t.max() - t.min(), len(t)

    fast, n_fast = spread(1e9)
    slow, n_slow = spread(1500.0)
    assert n_fast == n_slow > 250  # both zones (~6,000 buildings) drained either way
    assert fast <= 4.0 + 1e-6  # only the operator's delay, 4 h x U(0.5, 1.5)
    assert slow > 6000 / 1500.0  # 1,500 buildings an hour: the queue takes longer than 4 h


def test_refill_teams_grow_with_the_backlog():
    st, _ = make_state("kyiv")
    base = st.tables.crews["heat"]
    assert base == 12  # 60 heat crews in teams of 5
    assert refill_teams_target(st) == base
    st.ops.refill_backlog = 3000.0
    assert refill_teams_target(st) == base + 18  # 6 teams per 1,000 buildings waiting
    st.ops.refill_backlog = 1e6
    assert refill_teams_target(st) == 48  # at most refill_max_teams


def test_refill_is_faster_with_more_staff_and_leaves_a_heavy_tailed_residual():
    _city, net = load_city("kyiv")
    node = int(net.source_table.loc[net.source_table["name"] == "CHP-5", "node"].iloc[0])
    camp = hit_campaign(net, [(2.0, node, 24.0)])
    zone = net.group_heat_source == 0

    def curve(**repair):
        *_, tl = run_city("kyiv", n_realizations=1, days=6, outdoor_c=-12.0, campaign=camp, attacks=NO_ALERTS,
                          repair=repair)
        return (tl.group_cause[0][:, zone] > 0).sum(axis=1), tl

    fixed, _ = curve(refill_extra_teams_per_kbuilding=0.0, restart_fault_prob=0.0)
    grow, _ = curve(restart_fault_prob=0.0)
    assert (grow[30:80] <= fixed[30:80]).all() and (grow[40:70] < fixed[40:70]).any()
    # every refilled group has local faults: the extra waits are Pareto, median restart_fault_h (24 h)
    _, tl = curve(restart_fault_prob=1.0)
    extra = tl.events.loc[tl.events["kind"] == "restart_fault", "detail"].str.extract(r"(\d+) h")[0].astype(float)
    assert len(extra) > 100
    assert np.median(extra) == pytest.approx(24.0, rel=0.3)
    assert extra.max() > 3 * 24.0  # a heavy tail: some wait for days


def test_mobile_boilers_go_to_the_longest_outage_with_most_households_per_mw():
    """Darnytsia CHP destroyed at -12 degC: after 12 h the 10 housing units (20 % of 51, B6) heat the
    groups of its zone with the most households per MW, as many as they can carry."""
    _city, net = load_city("kyiv")
    node = int(net.source_table.loc[net.source_table["name"] == "Darnytsia CHP", "node"].iloc[0])
    camp = hit_campaign(net, [(2.0, node, np.inf, False, -1, np.inf, "destroyed")])
    *_, tl = run_city("kyiv", n_realizations=1, days=2, outdoor_c=-12.0, campaign=camp, attacks=NO_ALERTS)
    h = int(net.nodes.at[node, "heat_source"])
    zone = np.flatnonzero(net.group_heat_source == h)
    heated = zone[tl.group_heat[0, 20, zone]]
    assert not tl.group_heat[0, 3:13, zone].any()  # deployed 12 h after the outage began
    assert 0 < len(heated) <= 10
    g = net.group_table
    d = (21 + 12) / 43
    units = np.ceil(g.loc[heated, "design_heat_mw"] * d / 1.0 - 1e-9)
    assert units.sum() <= 10
    ratio = g["households"] / g["design_heat_mw"]
    others = np.setdiff1d(zone, heated)
    fits = others[np.ceil(g.loc[others, "design_heat_mw"] * d - 1e-9) <= 10 - units.sum()]
    assert ratio[heated].min() >= ratio[fits].max() if len(fits) else True
    assert (tl.heat_frac[0, 20, heated] == 1.0).all()
    assert (tl.group_state[0, 20, heated] == NORMAL).all() and (tl.group_cause[0, 20, heated] == 0).all()


def test_group_waits_for_refill_after_its_source_returns():
    tl, zone = _boiler_outage(30.0, -15.0, days=3.0, restart_h_per_building=40.0)
    cause = tl.group_cause[0][:, zone]
    assert (cause[34:40] == DRAINED_WAITING).any()  # source back at 32 h, refill takes 40 / 5 = 8 h a group
