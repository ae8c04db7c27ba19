"""The DES's one-pass output kernel (sim.des.raster.write_outputs) against the plain path it replaced
(write_outputs_reference: rasterize + heat_fraction, several numpy passes): the same arrays to the bit, on
hand-made change points that exercise the rasterization rules and on the change points of real runs."""

from __future__ import annotations

from types import SimpleNamespace

import numpy as np
import pytest

import sim.des as des
from sim.des import raster
from sim.des.testing import run_city
from sim.timegrid import TimeGrid

OUTPUTS = ("feeder_power", "heat_frac", "group_state", "group_cause", "queues_off")


def _empty(n_r, n_t, n_f, n_g):
    return {"feeder_power": np.zeros((n_r, n_t, n_f), bool), "heat_frac": np.full((n_r, n_t, n_g), -7.0, np.float32),
            "group_state": np.full((n_r, n_t, n_g), -1, np.int8),
            "group_cause": np.full((n_r, n_t, n_g), -1, np.int8), "queues_off": np.full((n_r, n_t), -1.0)}


def _both(plan, grid, r, n_r, n_f, n_g, changes, outdoor_c, season):
    fused, ref = _empty(n_r, grid.n_steps, n_f, n_g), _empty(n_r, grid.n_steps, n_f, n_g)
    raster.write_outputs(plan, r, *changes, outdoor_c, season, *(fused[k] for k in OUTPUTS))
    raster.write_outputs_reference(plan, grid, r, *changes, outdoor_c, season, *(ref[k] for k in OUTPUTS))
    return fused, ref


def _assert_same(fused, ref):
    for k in OUTPUTS:
        assert fused[k].dtype == ref[k].dtype
        assert np.array_equal(fused[k], ref[k]), k
        assert np.array_equal(np.signbit(fused[k]), np.signbit(ref[k])) if fused[k].dtype.kind == "f" else True


@pytest.mark.parametrize("seed", range(6))
def test_fused_outputs_equal_the_plain_path_on_random_change_points(seed):
    """Unsorted times, several changes of a column within one step, changes at 0 and beyond the horizon,
    capacities that are not sums of exact binary fractions, cross-feeding, own boilers, mobile boilers,
    steps outside the heating season."""
    rng = np.random.default_rng(seed)
    n_t, n_g, n_f, n_q, n_h = 30, 9, 7, 3, 3
    dt = 0.5 if seed % 2 else 1.0
    grid = TimeGrid(np.datetime64("2026-01-01"), dt, n_t)
    src = [0, 0, 1, 1, 1, 2, -1, 2, -1]
    tb = SimpleNamespace(n_queues=n_q, dt_h=dt, group_source=src, group_design_mw=rng.uniform(0.5, 3.0, n_g).tolist(),
                         links=[(0, 1, 1.3), (1, 2, 0.7)], n_sources=n_h, heat_indoor_c=21.0, heat_span_k=43.0)
    cap0 = np.array([4.1, 3.3, 2.2])
    plan = raster.OutputPlan(tb, np.array([0, 1, 2, -1, 0, 1, 2]), np.array(src), rng.integers(0, n_f, n_g), cap0,
                             1.4, 3)
    horizon = n_t * dt

    def times(k):
        t = rng.uniform(0, horizon * 1.1, k)
        t[: k // 5] = np.round(t[: k // 5] / dt) * dt  # on step starts
        t[0] = 0.0
        return t.tolist()

    queue = [(t, int(rng.integers(n_q)), int(rng.integers(2))) for t in times(25)]
    feeder = [(t, int(rng.integers(n_f)), int(rng.integers(2))) for t in times(20)]
    cap = [(t, int(rng.integers(n_h)), float(rng.choice([0.0, rng.uniform(0, 5) / 3.0]))) for t in times(30)]
    g_t = times(60)
    g_col = rng.integers(0, n_g, len(g_t)).tolist()
    codes = [0, 1, 2, 3, 5, 9, 14, 15, 32, 33, 17, 22]
    g_val = [int(rng.choice(codes)) for _ in g_t]
    k = [(t, float(rng.integers(0, n_q + 1))) for t in times(12)]
    outdoor_c = rng.uniform(-25, 12, n_t)
    season = rng.random(n_t) < 0.8
    changes = (queue, feeder, cap, g_t, g_col, g_val, k)
    fused, ref = _both(plan, grid, 1, 2, n_f, n_g, changes, outdoor_c, season)
    _assert_same(fused, ref)
    assert (fused["group_state"][0] == -1).all()  # only row r is written
    # no change points at all
    fused, ref = _both(plan, grid, 0, 1, n_f, n_g, ([], [], [], [], [], [], []), outdoor_c, season)
    _assert_same(fused, ref)


@pytest.mark.parametrize("city_name,policy", [("kyiv", "continued"), ("small_town", "continued")])
def test_fused_outputs_equal_the_plain_path_on_des_runs(monkeypatch, city_name, policy):
    """Every realization's outputs of a DES run, recomputed by the plain path from the same change points."""
    calls = []
    fused_pass = des.write_outputs

    def spy(plan, r, *args):
        calls.append((plan, r, [list(a) if isinstance(a, list) else a for a in args[:9]]))
        fused_pass(plan, r, *args)

    monkeypatch.setattr(des, "write_outputs", spy)
    # one process: the spy records only the calls of this process (a slow first realization, e.g. while
    # numba compiles, would otherwise send the rest to forked processes)
    city, net, _camp, tl = run_city(city_name, policy, 3, 7, 5, -10.0, processes=1)
    assert len(calls) == 3
    grid = TimeGrid(np.datetime64("2026-01-29"), 1.0, tl.heat_frac.shape[1])
    n_f, n_g = net.n_feeders, len(city.groups)
    assert sum(len(c[2][3]) for c in calls) > 20  # group codes changed: the run exercised the heat network
    for plan, r, args in calls:
        ref = _empty(3, grid.n_steps, n_f, n_g)
        raster.write_outputs_reference(plan, grid, r, *args, *(ref[k] for k in OUTPUTS))
        for k in OUTPUTS:
            assert np.array_equal(getattr(tl, k)[r], ref[k][r]), (k, r)
