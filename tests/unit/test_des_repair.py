"""Unit tests of repair crews, priorities, spare and mobile transformers, re-switching, air-raid alerts
(sim.des.repair) and of hits on destroyed nodes (sim.des.hits)."""

from __future__ import annotations

import numpy as np
import pytest
import simpy

from sim.des.repair import RepairShop, air_raid_siren, repair_crew
from sim.des.testing import hit_campaign, load_city, run_city
from sim.des.timeline import SOURCE_DAMAGED

NO_ALERTS = {"alerts_per_day": 0.0}


def _shop(env, crews=1, spares=0, lead_h=100.0):
    log: list[tuple] = []
    shop = RepairShop(env, {"power": crews, "heat": crews}, spares, lead_h, log=lambda *a: log.append(a))
    return shop, log


def _done(log, node):
    return [t for t, kind, n, *_ in log if kind == "repair_done" and n == node]


def test_alert_stops_work_and_it_resumes_after():
    env = simpy.Environment()
    shop, log = _shop(env)
    shop.add_work(1, 10.0)
    env.process(repair_crew(env, shop, 1, "substation"))
    env.process(air_raid_siren(env, shop, [(2.0, 5.0), (20.0, 21.0)]))
    env.run()
    assert _done(log, 1) == [13.0]  # 10 h of work + a 3 h alert


def test_priorities_transmission_before_substation():
    env = simpy.Environment()
    shop, log = _shop(env)
    for node, kind in [(1, "feeder"), (2, "substation"), (3, "transmission")]:
        shop.add_work(node, 5.0)
        env.process(repair_crew(env, shop, node, kind))
    env.run()
    # node 1 got the crew first (it was free); then transmission (priority 0), then substation
    assert _done(log, 1) == [5.0] and _done(log, 3) == [10.0] and _done(log, 2) == [15.0]


def test_transformer_stock_and_lead_time():
    """Calibration B5: severe damage needs a large transformer; a new one takes months."""
    env = simpy.Environment()
    shop, log = _shop(env, crews=2, spares=1, lead_h=500.0)
    for node in (1, 2):
        shop.add_work(node, 24.0, needs_transformer=True)
        env.process(repair_crew(env, shop, node, "substation"))
    env.run(until=2000)
    assert _done(log, 1) == [24.0]  # the spare
    assert _done(log, 2) == [524.0]  # waits for the reorder placed when the spare was taken


def test_hit_during_repair_adds_work_and_repaired_nodes_can_be_hit_again():
    _, net = load_city("small_town")
    sub = int(net.substations[0])
    camp = hit_campaign(net, [(1.0, sub, 10.0), (5.0, sub, 10.0), (30.0, sub, 2.0)])
    *_, tl = run_city("small_town", n_realizations=1, days=2, outdoor_c=5.0, campaign=camp, attacks=NO_ALERTS)
    ev = tl.events
    done = ev[(ev["kind"] == "repair_done")]["time_h"].tolist()
    assert done == [21.0, 32.0]
    on_sub = net.feeder_substation == sub
    assert not tl.feeder_power[0, 1:21, on_sub].any() and tl.feeder_power[0, 21:30, on_sub].all()


def test_a_destroyed_node_stays_down_whatever_hits_it_later():
    """Regression: a later finite hit on a node destroyed with infinite repair used to repair it (heat back at
    hour 55 in the small town)."""
    _, net = load_city("small_town")
    node = int(net.heat_sources[0])
    camp = hit_campaign(net, [(2.0, node, np.inf, False, 0, 0.0, "destroyed"), (30.0, node, 5.0)])
    *_, tl = run_city("small_town", n_realizations=1, days=5, outdoor_c=-5.0, campaign=camp, attacks=NO_ALERTS,
                      repair={"mobile_boilers": 0})
    zone = net.group_heat_source == 0
    assert not tl.group_heat[0, 3:][:, zone].any()
    assert (tl.group_cause[0, 3:][:, zone] != 0).all()
    ev = tl.events
    assert "hit_ignored" in set(ev["kind"]) and "repair_done" not in set(ev.loc[ev["node"] == "BH-North-1", "kind"])


def test_transformer_need_of_a_later_hit_is_not_ignored():
    """Regression: when a node under repair was hit again with damage that needs a large transformer, the
    need was ignored. Now the job waits for a spare before it goes on: with no spare in stock it finishes
    only after the reorder's lead time."""
    env = simpy.Environment()
    shop, log = _shop(env, crews=1, spares=0, lead_h=200.0)
    shop.add_work(1, 10.0)
    env.process(repair_crew(env, shop, 1, "substation"))

    def second_hit(env):
        yield env.timeout(5.0)
        shop.add_work(1, 10.0, needs_transformer=True)

    def supplier(env):  # one transformer arrives at 300 h
        yield env.timeout(300.0)
        yield shop.transformers.put(1)

    env.process(second_hit(env))
    env.process(supplier(env))
    env.run(until=1000)
    assert _done(log, 1) == [310.0]  # 10 h first, then waits for the spare at 300 h, then 10 h more


def test_reswitching_then_a_mobile_transformer_carry_a_substation_until_its_repair():
    """B5: a substation waiting for a large transformer gets part of its feeders re-switched to neighbours
    after reswitch_h (12 h), then a mobile transformer after mobile_transformer_install_h (72 h)."""
    _, net = load_city("kyiv")
    sub = int(net.substations[0])
    camp = hit_campaign(net, [(2.0, sub, 500.0, True)])
    *_, tl = run_city("kyiv", "none", n_realizations=1, days=6, outdoor_c=5.0, campaign=camp, attacks=NO_ALERTS,
                      repair={"transformer_spares": 0})
    ft = net.feeder_table
    mine = ((ft["substation"] == sub) & (ft["queue"] >= 0)).to_numpy()
    live = tl.feeder_power[0][:, mine].mean(axis=1)
    assert live[3:14].max() == 0.0  # dark
    assert live[15:70].min() == pytest.approx(0.5, abs=0.07)  # half re-switched to neighbours at 14 h
    assert live[70:86].max() == 0.5 and live[86:].min() == 1.0  # mobile transformer at 2 + 12 + 72 = 86 h
    kinds = list(tl.events["kind"])
    assert kinds.index("reswitch") < kinds.index("mobile_transformer")


def test_more_crews_restore_a_hit_source_sooner():
    _, net = load_city("kyiv")
    chp = [int(n) for n in net.heat_sources[:2]]
    # hits that trip both big CHPs for 12 h of crew work each, plus substations that compete for crews
    subs = [int(n) for n in net.substations[:10]]
    camp = hit_campaign(net, [(2.0, chp[0], 12.0), (2.0, chp[1], 12.0)] + [(2.0, s, 30.0) for s in subs])
    back = {}
    for mult in (0.1, 1.0):
        *_, tl = run_city("kyiv", n_realizations=1, days=3, outdoor_c=-10.0, campaign=camp, attacks=NO_ALERTS,
                          repair={"crew_multiplier": mult})
        ev = tl.events
        back[mult] = ev.loc[(ev["kind"] == "repair_done") & (ev["node_kind"] == "chp"), "time_h"].max()
    assert back[0.1] > back[1.0] == pytest.approx(14.0)
    assert SOURCE_DAMAGED == 1
