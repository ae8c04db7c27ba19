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


def _crew_trace(pool_cls, seed: int):
    """Jobs with random arrivals (many at equal times), priorities and durations on a pool of 3 crews,
    with cancelled requests and alerts: the order and times of grants and releases, and the event count."""
    import numpy as np

    rng = np.random.default_rng(seed)
    env = simpy.Environment()
    pool = pool_cls(env, capacity=3)
    trace: list[tuple] = []

    def job(env, i, t0, prio, hours, give_up):
        yield env.timeout(t0)
        with pool.request(priority=prio) as req:
            got = yield req | env.timeout(give_up)
            if req not in got:
                trace.append(("gave_up", i, env.now))
                return
            trace.append(("start", i, env.now, len(pool.users)))
            yield env.timeout(hours)
        trace.append(("done", i, env.now))

    def other(env):  # a process acting at the same instants (events interleave with the pool's)
        for _ in range(40):
            yield env.timeout(0.5)
            trace.append(("tick", env.now, len(pool.users), len(pool.queue)))

    for i in range(60):
        env.process(job(env, i, float(rng.integers(0, 8)) / 2, int(rng.integers(0, 3)),
                        float(rng.integers(1, 6)) / 2, float(rng.integers(1, 12))))
    env.process(other(env))
    env.run()
    return trace, next(env._eid)


def test_crew_pool_reproduces_simpy_priority_resource_event_for_event():
    from sim.des.repair import CrewPool

    for seed in range(5):
        assert _crew_trace(CrewPool, seed) == _crew_trace(simpy.PriorityResource, seed)


def test_first_of_wakes_like_any_of():
    from sim.des.processes import FirstOf

    def trace(use_first_of: bool):
        env = simpy.Environment()
        log: list[tuple] = []
        box = {"ev": env.event()}

        def waiter(env):
            for k in range(30):
                t = env.timeout(1.0 + (k % 3))
                yield FirstOf(env, t, box["ev"]) if use_first_of else (t | box["ev"])
                log.append(("wake", env.now, t.processed))

        def poker(env):
            for k in range(12):
                yield env.timeout(1.5 if k % 2 else 2.0)
                ev, box["ev"] = box["ev"], env.event()
                ev.succeed()
                log.append(("poke", env.now))

        env.process(waiter(env))
        env.process(poker(env))
        env.run()
        return log, next(env._eid)

    assert trace(True) == trace(False)
