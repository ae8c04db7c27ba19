"""Unit tests of repair crews, priorities, spare transformers and air-raid alerts (sim.des.repair)."""

from __future__ import annotations

import simpy

from sim.des.repair import RepairShop, air_raid_siren, repair_crew
from sim.des.testing import hit_campaign, load_city, run_city


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
    *_, tl = run_city("small_town", n_realizations=1, days=2, outdoor_c=5.0, campaign=camp)
    ev = tl.events
    done = ev[(ev["kind"] == "repair_done")]["time_h"].tolist()
    assert done == [21.0, 32.0]
    on_sub = net.feeder_substation == sub
    assert not tl.feeder_power[0, 1:21, on_sub].any() and tl.feeder_power[0, 21:30, on_sub].all()


def test_more_crews_restore_heat_sooner():
    _, net = load_city("kyiv")
    chp = [int(n) for n in net.heat_sources[:2]]
    camp = hit_campaign(net, [(2.0, chp[0], 12.0), (2.0, chp[1], 12.0)])
    res = {}
    for mult in (0.5, 1.0, 2.0):
        city, _, _, tl = run_city("kyiv", n_realizations=1, days=5, outdoor_c=-10.0, campaign=camp,
                                  repair={"crew_multiplier": mult})
        nb = city.groups["n_buildings"].to_numpy()
        res[mult] = ((~tl.group_heat[0]) * nb * (net.group_heat_source >= 0)).sum(-1)
    assert res[0.5][40] > res[1.0][40] > res[2.0][40]
    assert res[2.0][-1] == 0
