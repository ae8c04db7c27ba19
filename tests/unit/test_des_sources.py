"""Unit tests of heat sources, their capacity and pumping (sim.des.sources, the update path of
sim.des.state): units in service, reduced supply, shedding, cross-feeding, boost after a restart, the
heating season on the daily mean, house load, backup pumping, dual-fed pumping feeders."""

from __future__ import annotations

from types import SimpleNamespace

import numpy as np
import pytest

from sim.des.sources import heat_fraction, heating_season, served_count
from sim.des.testing import hit_campaign, load_city, make_state, run_city
from sim.des.timeline import NO_PUMPING_POWER, SOURCE_DAMAGED


def _tb(src, design, links=()):
    return SimpleNamespace(group_source=list(src), group_design_mw=list(design), n_sources=max(src) + 1,
                           links=list(links), heat_indoor_c=21.0, heat_span_k=43.0)


def test_heat_fraction_is_capacity_over_served_demand_with_cross_feeding():
    """Two zones of one group each (1 MW design), at -22 degC (design) and at -0.5 degC (half the demand)."""
    codes = np.zeros((2, 2), np.int8)
    out = np.array([-22.0, -0.5])
    cap = np.array([[0.6, 3.0], [0.6, 3.0]])
    f = heat_fraction(_tb([0, 1], [1.0, 1.0]), codes, cap, out, np.array([True, True]), 1.4, 0)
    np.testing.assert_allclose(f, [[0.6, 1.0], [1.0, 1.0]])  # zone 0 short at design, enough at half demand
    # a link of 0.25 MW: zone 1's surplus covers part of zone 0's shortfall
    f = heat_fraction(_tb([0, 1], [1.0, 1.0], [(0, 1, 0.25)]), codes, cap, out, np.array([True, True]), 1.4, 0)
    np.testing.assert_allclose(f, [[0.85, 1.0], [1.0, 1.0]])
    # groups without heat get 0; outside the heating season nothing is delivered
    f = heat_fraction(_tb([0, 1], [1.0, 1.0]), np.array([[5, 0], [0, 0]], np.int8), cap, out,
                      np.array([True, False]), 1.4, 0)
    np.testing.assert_allclose(f, [[0.0, 1.0], [0.0, 0.0]])


def test_boost_after_heat_returns_uses_the_headroom_for_boost_h():
    codes = np.array([[5], [5], [0], [0], [0], [0]], np.int8)  # heat returns at step 2
    cap = np.full((6, 1), 2.0)  # twice the design load: headroom
    f = heat_fraction(_tb([0], [1.0]), codes, cap, np.full(6, -22.0), np.ones(6, bool), 1.4, 3)
    np.testing.assert_allclose(f[:, 0], [0, 0, 1.4, 1.4, 1.4, 1.0])  # boosted for 3 steps, capped at 1.4


def test_heating_season_is_decided_on_the_daily_mean():
    """Regression: the +8 degC heating limit applies to the day's mean outdoor temperature (Kyiv switches
    heating by the daily mean), not to each hour: a 5 degC day with a 10 degC afternoon is heated all day,
    a 9 degC day with a 4 degC night is not heated at night."""
    hours = np.arange(48)
    day1 = 5.0 + 5.0 * np.sin((hours[:24] - 8) / 24 * 2 * np.pi)  # mean 5, max 10 degC
    day2 = 9.0 + 5.0 * np.sin((hours[24:] - 8) / 24 * 2 * np.pi)  # mean 9, min 4 degC
    t = np.concatenate([day1, day2])
    season = heating_season(np.datetime64("2026-03-01T00:00"), 1.0, t, 8.0)
    assert t[:24].max() > 8.0 and season[:24].all()
    assert t[24:].min() < 8.0 and not season[24:].any()
    # the DES delivers accordingly
    *_, tl = run_city("small_town", "none", 1, 2, outdoor_c=t, start="2026-03-01T00:00")
    dh = tl.group_heat_source >= 0
    assert (tl.heat_frac[0, :24][:, dh] > 0).all() and (tl.heat_frac[0, 24:][:, dh] == 0).all()
    assert (tl.group_cause[0][:, dh] == 0).all()  # off season is not an outage


def test_units_out_reduce_the_delivered_fraction_and_deep_losses_shed_groups():
    st, net = make_state("kyiv", -22.0)  # design temperature: demand = design load
    tb = st.tables
    h = int(net.source_table.index[net.source_table["name"] == "CHP-5"][0])
    design, cap = tb.source_design_mw[h], st.source_cap[h]
    assert cap == pytest.approx(1.3 * design)
    for u in tb.source_units[h][2:4]:  # both T-250 turbines out
        st.unit_out(u, np.inf)
    st.update()
    assert st.source_cap[h] == pytest.approx(0.6 * 1.3 * design) and st.served_n[h] == len(tb.zones[h])
    for u in tb.source_units[h][:7]:  # all but one peak water boiler out: 10 % of capacity
        st.unit_out(u, np.inf)
    st.update()
    left = 0.1 * 1.3 * design
    n = st.served_n[h]
    assert n == served_count(tb, h, left, 1.0) and 0 < n < len(tb.zones[h])
    served_design = tb.zone_cum_design[h][n - 1]
    assert served_design <= left / 0.5 + 1e-9  # the rest get at least min_supply_frac
    shed = tb.zones[h][n:]
    assert all(st.gcode[g] >> 2 & 7 == SOURCE_DAMAGED for g in shed)
    assert all(st.gcode[g] == 0 for g in tb.zones[h][:n])


def test_cross_feeding_reaches_a_tripped_zone_after_the_switching_delay():
    """CHP-5 trips for a day at -12 degC; CHP-6's surplus (100 MW link) serves part of its zone from 6 h on."""
    _city, net = load_city("kyiv")
    node = int(net.source_table.loc[net.source_table["name"] == "CHP-5", "node"].iloc[0])
    camp = hit_campaign(net, [(2.0, node, 24.0, False, 0, 24.0, "light")])
    *_, tl = run_city("kyiv", n_realizations=1, days=2, outdoor_c=-12.0, campaign=camp,
                      attacks={"alerts_per_day": 0.0})
    zone = net.group_heat_source == 0
    served = (tl.group_cause[0][:, zone] != SOURCE_DAMAGED).mean(axis=1)  # served: heated or waiting for refill
    assert served[3:8].max() == 0.0  # hit at 2 h, valves re-switched 6 h later
    d = (21 + 12) / 43
    design = net.source_table.at[0, "design_heat_mw"]
    assert served[9:26] == pytest.approx(100.0 / (0.5 * design * d), abs=0.02)  # link / (min frac x demand)
    # drained meanwhile (a day's outage expected at -12 degC), the served groups are refilled one by one
    heated = tl.group_heat[0][:, zone].mean(axis=1)
    assert heated[9] < heated[25] <= served[25]
    assert served[27:].min() == 1.0  # the plant is back after its 24 h repair


def test_a_running_chp_powers_its_own_pumps_and_a_tripped_one_needs_grid_power_to_start():
    _city, net = load_city("kyiv")
    src = net.source_table
    h = int(src.index[src["name"] == "CHP-6"][0])  # its pumping feeder hangs on one substation
    f = int(src.at[h, "feeder"])
    sub = int(net.feeder_table.at[f, "substation"])
    node = int(src.at[h, "node"])
    zone = net.group_heat_source == h
    kw = {"n_realizations": 1, "days": 3, "outdoor_c": -12.0, "attacks": {"alerts_per_day": 0.0}}
    # the substation is down for 30 h: the running plant keeps its network going (house load)
    camp = hit_campaign(net, [(2.0, sub, 30.0)])
    *_, tl = run_city("kyiv", campaign=camp, **kw)
    assert tl.group_heat[0][:, zone].all()
    # the plant trips for 5 h while its substation is down for 30 h: it restarts only when power is back
    camp = hit_campaign(net, [(2.0, node, 5.0, False, int(net.unit_table.index[net.unit_table["source"] == h][0]),
                               5.0, "light"), (2.0, sub, 30.0)])
    *_, tl = run_city("kyiv", campaign=camp, **kw)
    cause = tl.group_cause[0][:, zone]
    assert (cause[4:7] == SOURCE_DAMAGED).all()  # tripped
    assert (cause[9:31] == NO_PUMPING_POWER).all() or (cause[9:31] >= NO_PUMPING_POWER).all()
    assert not tl.group_heat[0, 9:32][:, zone].any()


def test_boiler_houses_with_backup_generators_keep_their_sections_running():
    _city, net = load_city("kyiv")
    src = net.source_table
    h = int(src.index[(src["kind"] == "boiler") & (src["backup_pumping_frac"] > 0)][0])
    f = int(src.at[h, "feeder"])
    sub = int(net.feeder_table.at[f, "substation"])
    alt = int(net.feeder_table.at[f, "alt_substation"])
    hits = [(2.0, sub, 10.0)] + ([(2.0, alt, 10.0)] if alt >= 0 else [])
    *_, tl = run_city("kyiv", n_realizations=1, days=1, outdoor_c=-5.0, campaign=hit_campaign(net, hits),
                      attacks={"alerts_per_day": 0.0})
    st, _ = make_state("kyiv", -5.0)
    tb = st.tables
    backup = {u for u in tb.source_units[h] if tb.unit_backup[u]}
    assert 0 < len(backup) < len(tb.source_units[h])
    zone = np.flatnonzero(net.group_heat_source == h)
    with_backup = np.array([net.group_table.at[g, "section"] in backup for g in zone])
    during = tl.group_cause[0, 6][zone]
    assert (during[with_backup] == 0).all()
    assert (during[~with_backup] == NO_PUMPING_POWER).all()


def test_a_dual_fed_pumping_feeder_survives_the_loss_of_one_substation():
    st, _net = make_state("kyiv", -12.0)
    tb = st.tables
    f = next(f for f in range(tb.n_feeders) if tb.feeder_alt[f] >= 0 and tb.feeder_source[f] >= 0)
    st.down[tb.sub_nodes[tb.feeder_sub[f]]] = True
    st.update()
    assert st.feeder_live[f]
    st.down[tb.sub_nodes[tb.feeder_alt[f]]] = True
    st.update()
    assert not st.feeder_live[f]
