"""Unit tests of the SupplyTimeline contract and the rasterization of change points."""

from __future__ import annotations

import numpy as np
import pytest

from sim.des.testing import run_city
from sim.des.timeline import CAUSES, EVENT_COLUMNS, EVENT_KINDS, rasterize
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
    assert tl.heat_frac.shape == (r, t, g) and tl.heat_frac.dtype == np.float32
    assert tl.group_state.shape == (r, t, g) and tl.group_state.dtype == np.int8
    assert tl.group_cause.shape == (r, t, g) and tl.group_cause.dtype == np.int8
    assert tl.waves.shape == (r, t) and tl.hits.shape == (r, t) and tl.queues_off.shape == (r, t)
    assert (tl.group_feeder == net.group_feeder).all()
    assert set(np.unique(tl.group_state)) <= {0, 1, 2, 3}
    assert set(np.unique(tl.group_cause)) <= set(range(len(CAUSES)))
    assert tl.queues_off.min() >= 0 and tl.queues_off.max() <= 6
    assert list(tl.events.columns) == list(EVENT_COLUMNS)
    assert set(tl.events["kind"]) <= set(EVENT_KINDS)
    assert tl.waves.sum() == len(camp.waves) and tl.hits.sum() == len(camp.hits)
    # events in calendar time
    assert (tl.events["time"] == np.datetime64("2026-01-29T00:00") + (tl.events["time_h"] * 3600).round()
            .astype("timedelta64[s]")).all()
    # heat_frac within [0, boost_max_frac] (group_heat is heat_frac > 0, checked against the causes below)
    assert tl.heat_frac.min() >= 0 and tl.heat_frac.max() <= 1.4 + 1e-6
    # district heat (in the heating season: this cold week): heat iff no cause of no heat, and the state
    # is normal where there is heat
    dh = net.group_heat_source >= 0
    assert tl.heating_season.all()
    assert (tl.group_heat[..., dh] == (tl.group_cause[..., dh] == 0)).all()
    assert (tl.group_state[..., dh][tl.group_heat[..., dh]] == 0).all()
    # own boilers need power; their state and cause are always 0
    own = ~dh
    assert (tl.group_state[..., own] == 0).all() and (tl.group_cause[..., own] == 0).all()
    assert (tl.group_heat[..., own] == tl.feeder_power[:, :, tl.group_feeder[own]]).all()


def test_same_seed_identical_timeline():
    *_, a = _run("kyiv", n=2)
    *_, b = _run("kyiv", n=2)
    for name in ("feeder_power", "group_state", "group_cause", "heat_frac", "queues_off"):
        assert (getattr(a, name) == getattr(b, name)).all()
    assert a.events.equals(b.events)


def test_critical_feeders_are_exempt_from_queues():
    _, net, _, tl = _run("kyiv", policy="none", n=2, outdoor=-20.0)
    crit = net.feeder_queue < 0
    assert tl.queues_off.max() >= 1
    assert tl.feeder_power[:, :, crit].all()
    assert not tl.feeder_power[:, :, ~crit].all()


def test_rasterize_in_a_small_dtype_is_exact_and_writes_out():
    g = TimeGrid(np.datetime64("2026-01-01"), 1.0, 8)
    t = np.array([0.5, 1.5, 2.5, 3.5, 2.5])
    c = np.array([0, 0, 0, 0, 1])
    v = np.array([120, -120, 127, -128, 3])
    out = np.empty((8, 2), dtype=np.int8)
    res = rasterize(g, t, c, v, np.array([-100, 0]), dtype=np.int8, out=out)
    assert res is out
    assert out[:, 0].tolist() == [-100, 120, -120, 127, -128, -128, -128, -128]  # differences wrap, values exact
    assert out[:, 1].tolist() == [0, 0, 0, 3, 3, 3, 3, 3]


def test_progress_is_called_after_each_realization_and_stats_are_reported():
    from omegaconf import OmegaConf

    from sim.config import BuildingsConfig, RepairConfig
    from sim.des import simulate_supply
    from sim.des.testing import CONFIGS

    city, net, camp, tl = _run(n=3, days=2)
    grid = TimeGrid.from_config("2026-01-29T00:00", 2, 60)
    rep = OmegaConf.merge(OmegaConf.structured(RepairConfig), OmegaConf.load(CONFIGS / "repair" / "default.yaml"))
    calls = []
    out = simulate_supply(city, net, camp, np.full((3, grid.n_steps), -12.0), rep,
                          OmegaConf.structured(BuildingsConfig), grid, 3, progress=lambda *a: calls.append(a))
    assert calls == [("des", 1, 3), ("des", 2, 3), ("des", 3, 3)]
    assert out.stats["n_events"] == tl.stats["n_events"] > 0 and out.stats["des_seconds"] > 0
    assert (out.group_state == tl.group_state).all() and out.events.equals(tl.events)
    assert out.stats["simpy_seconds"] <= out.stats["des_seconds"]
