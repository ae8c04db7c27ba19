"""Unit tests of dispatch and queues: deficit over the live load -> queues (calibration C1), rotation,
the national allotment's response to lost city generation, rounding, emergency outages (C3)."""

from __future__ import annotations

import numpy as np
import pytest

from sim.des.dispatch import queues_off, rotation
from sim.des.testing import hit_campaign, load_city, make_state, run_city


@pytest.mark.parametrize("k", range(7))
def test_rotation_gives_each_queue_4k_hours_a_day(k):
    """Calibration C1: 1 queue ~ 4 h/day, 2 ~ 8 h, 3 ~ 12 h, 4 ~ 16 h (six 4-hour blocks a day)."""
    hours_off = np.zeros(6)
    for b in range(6):
        off = rotation(b, k, 6)
        assert len(off) == k
        hours_off[list(off)] += 4.0
    assert (hours_off == 4.0 * k).all()


def test_queues_off_share_matches_deficit_with_a_rounding_tolerance():
    assert queues_off(-10.0, 1500.0, 6) == 0
    assert queues_off(250.0, 1500.0, 6) == 1
    assert queues_off(760.0, 1500.0, 6) == 4
    assert queues_off(5000.0, 1500.0, 6) == 6
    # 1.2 queues' worth of deficit: rounded up to 2 without tolerance, 1 with a quarter queue absorbed
    assert queues_off(300.0, 1500.0, 6) == 2 and queues_off(300.0, 1500.0, 6, tol=0.25) == 1
    assert queues_off(60.0, 1500.0, 6, tol=0.25) == 0  # 0.24 queues' worth: absorbed


def test_attacks_none_only_deficit_blackouts():
    """No attacks -> no hits, no emergencies, and queues only from the deficit (C1, C4)."""
    _city, net, _camp, tl = run_city("kyiv", "none", 3, 7, 3, -15.0)
    assert tl.hits.sum() == 0 and tl.waves.sum() == 0
    kinds = set(tl.events["kind"])
    assert not kinds & {"hit", "emergency", "repair_start", "drain", "freeze"}
    # Kyiv at -15 degC: demand 1,410 MW (C4 peak 1.5 GW at -20) vs 175 MW import + 0.7 x 1,300 MW CHP:
    # 325 MW short = 1.38 queues' worth, less the 0.25 tolerance -> 2 queues
    assert (tl.queues_off == 2).all()
    ordinary = net.feeder_queue >= 0
    off_share = 1 - tl.feeder_power[:, :, ordinary].mean(axis=-1)
    assert np.allclose(off_share, 2 / 6, atol=0.02)
    assert tl.group_heat[..., net.group_heat_source >= 0].all()
    # in mild weather (+5 degC: demand 0.7 x 1,500 = 1,050 MW < 1,085 MW) there is no deficit at all
    *_, mild = run_city("kyiv", "none", 1, 7, 3, 5.0)
    assert (mild.queues_off == 0).all() and mild.feeder_power.all()


def test_demand_counts_only_the_load_that_can_be_supplied():
    """Feeders dark from damage draw nothing: they do not make the other queues go off."""
    st, net = make_state("kyiv", -15.0)
    full = st.demand_now_mw(0.0)
    assert full == pytest.approx(1500 * (0.7 + 0.3 * 20 / 25))  # C4, no heaters: every group is heated
    assert queues_off(full - st.supply_mw(), full, 6, 0.25) == 2  # 325 MW short: 1.38 queues' worth
    # three substations of one district down: their households are dark and out of the balance
    subs = [int(n) for n in net.substation_table["node"][:3]]
    for n in subs:
        st.down[n] = True
    st.update()
    dark = net.feeder_table["households"][net.feeder_table["substation"].isin(subs)].sum()
    share = 1 - dark / net.feeder_table["households"].sum()
    heaters = st.unheated_hh * st.tables.heater_kw_per_household / 1000.0  # boiler houses lost pumping power
    assert st.demand_now_mw(0.0) == pytest.approx((full + heaters) * share)
    # 9 % of the households dark: 1,286 MW (heaters included) against 1,085 MW: 1 queue, not the 2 of the full load
    assert queues_off(st.demand_now_mw(0.0) - st.supply_mw(), st.demand_now_mw(0.0), 6, 0.25) == 1


def test_national_allotment_responds_to_lost_city_generation():
    """city.grid.allotment_response: 500 MW lost -> +200 MW, 1,000 MW -> +300 MW, linear between (A6)."""
    st, net = make_state("kyiv", -15.0)
    base = st.supply_mw()
    assert base == pytest.approx(175 + 0.7 * 1300)
    chp5 = int(net.source_table.index[net.source_table["name"] == "CHP-5"][0])
    st.down[int(net.source_table.at[chp5, "node"])] = True  # the plant trips: 0.7 x 700 = 490 MW lost
    st.touch(chp5)
    st.update()
    assert st.supply_mw() == pytest.approx(base - 490 + 200 * 490 / 500)
    assert st.tables.allotment_extra_mw(1500.0) == pytest.approx(300.0)  # flat beyond the last point


def test_major_strike_starts_emergency_outages():
    _, _, camp, tl = run_city("kyiv", "single_wave", 6, 4)
    ev = tl.events
    major = camp.waves[camp.waves["n_hits"] >= 3]
    assert len(major) > 0
    em = ev[ev["kind"] == "emergency"]
    assert set(em["realization"]) == set(major["realization"])
    for r in major["realization"]:
        i = int(1.25 * 24) + 1
        assert tl.queues_off[r, i] >= 2  # calibration C3: schedules replaced by emergency outages


def test_damaged_substation_cuts_its_feeders():
    _, net = load_city("small_town")
    sub = int(net.substations[0])
    camp = hit_campaign(net, [(5.0, sub, 10.0)])
    *_, tl = run_city("small_town", n_realizations=1, days=2, outdoor_c=5.0, campaign=camp)
    on_sub = net.feeder_substation == sub
    assert tl.feeder_power[0, 4, on_sub].all()
    assert not tl.feeder_power[0, 5:15, on_sub].any()  # hit at 5 h, 10 h of work, no alerts
    assert tl.feeder_power[0, 15:, on_sub].all()
    assert tl.feeder_power[0, :, ~on_sub].all()


def test_emergency_outages_keep_the_queues_they_cut_until_they_end():
    """C3: after a major strike schedules are suspended; the queues cut stay cut (no rotation) for the
    emergency's 12 h, and their households are logged as reconnected when their queue comes back (B7)."""
    _city, net, camp, tl = run_city("kyiv", "single_wave", 6, 4)
    t0 = int(1.25 * 24)
    fq = net.feeder_queue
    hh = net.feeder_table["households"].to_numpy()
    ev = tl.events
    checked = 0
    for r in camp.waves.loc[camp.waves["n_hits"] >= 3, "realization"]:
        on = np.stack([tl.feeder_power[r, :, fq == q].any(axis=0) for q in range(6)], axis=1)  # (T, 6)
        k = tl.queues_off[r, t0 + 1 : t0 + 12]
        if (k != k[0]).any():
            continue  # the deficit changed within the emergency: more queues cut, in the same order
        assert (on[t0 + 1 : t0 + 12] == on[t0 + 1]).all()  # the same queues off through the emergency
        rec = ev[(ev["realization"] == r) & (ev["kind"] == "reconnect")
                 & ev["detail"].str.contains("after emergency outages")]
        assert len(rec) > 0 and (rec["time_h"] >= t0 + 12 - 1e-6).all()
        q = rec["detail"].str.extract(r"queue (\d+)")[0].astype(int) - 1
        n = rec["detail"].str.extract(r"^(\d+) households")[0].astype(float)
        cut = np.flatnonzero(~on[t0 + 1])
        assert set(q) <= set(cut)
        for qi, ni in zip(q, n, strict=True):  # the queue's households on feeders that are live
            live = (fq == qi) & tl.feeder_power[r, int(np.ceil(rec["time_h"].iloc[0])) + 1]
            assert ni <= hh[fq == qi].sum() + 1 and ni >= hh[live].sum() - 1
        checked += 1
    assert checked > 0
