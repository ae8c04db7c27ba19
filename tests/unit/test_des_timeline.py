"""Unit tests of the SupplyTimeline contract and the rasterization of change points."""

from __future__ import annotations

import numpy as np
import pytest

from sim.des.testing import run_city
from sim.des.timeline import EVENT_COLUMNS, EVENT_KINDS, rasterize
from sim.timegrid import TimeGrid


def _run(city_name="small_town", policy="continued", n=4, days=7, seed=3, outdoor=-12.0):
    return run_city(city_name, policy, n, days, seed, outdoor)


def test_rasterize_last_change_wins_and_shows_from_the_next_step_start():
    g = TimeGrid(np.datetime64("2026-01-01"), 1.0, 6)
    t = np.array([0.0, 0.5, 0.7, 2.0, 9.0, 1.0])
    c = np.array([0, 0, 0, 0, 0, 1])
    v = np.array([1, 2, 3, 0, 5, 7])
    out = rasterize(g, t, c, v, np.array([9, 4]))
    assert out[:, 0].tolist() == [1, 3, 0, 0, 0, 0]  # t=0 applies at step 0; 0.5/0.7 at step 1; beyond horizon dropped
    assert out[:, 1].tolist() == [4, 7, 7, 7, 7, 7]


@pytest.mark.parametrize("city_name", ["small_town", "kyiv"])
def test_timeline_shapes_dtypes_and_events(city_name):
    city, net, camp, tl = _run(city_name, n=3)
    r, t, f, g = 3, 7 * 24, net.n_feeders, len(city.groups)
    assert tl.feeder_power.shape == (r, t, f) and tl.feeder_power.dtype == bool
    assert tl.group_heat.shape == (r, t, g) and tl.group_heat.dtype == bool
    assert tl.group_state.shape == (r, t, g) and tl.group_state.dtype == np.int8
    assert tl.waves.shape == (r, t) and tl.hits.shape == (r, t) and tl.queues_off.shape == (r, t)
    assert (tl.group_feeder == net.group_feeder).all()
    assert set(np.unique(tl.group_state)) <= {0, 1, 2, 3}
    assert tl.queues_off.min() >= 0 and tl.queues_off.max() <= 6
    assert list(tl.events.columns) == list(EVENT_COLUMNS)
    assert set(tl.events["kind"]) <= set(EVENT_KINDS)
    assert tl.waves.sum() == len(camp.waves) and tl.hits.sum() == len(camp.hits)
    # district heat only where the system is in normal operation
    dh = net.group_heat_source >= 0
    assert (tl.group_heat[..., dh] == (tl.group_state[..., dh] == 0)).all()
    # own boilers need power; their state is always normal
    own = ~dh
    assert (tl.group_state[..., own] == 0).all()
    assert (tl.group_heat[..., own] == tl.feeder_power[:, :, tl.group_feeder[own]]).all()


def test_same_seed_identical_timeline():
    *_, a = _run("kyiv", n=2)
    *_, b = _run("kyiv", n=2)
    for name in ("feeder_power", "group_heat", "group_state", "queues_off"):
        assert (getattr(a, name) == getattr(b, name)).all()
    assert a.events.equals(b.events)


def test_critical_feeders_are_exempt_from_queues():
    _, net, _, tl = _run("kyiv", policy="none", n=2, outdoor=-20.0)
    crit = net.feeder_queue < 0
    assert tl.queues_off.max() >= 1
    assert tl.feeder_power[:, :, crit].all()
    assert not tl.feeder_power[:, :, ~crit].all()
