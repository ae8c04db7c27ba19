"""The nowcast filter with rejuvenation (sim.rejuvenation) and the reported-state warm start (sim.warm_start).

References: the filter's weights against their definitions (sequential importance weights of each
generation after its restart, equal at it, pooled by the generations' evidence; Kong, Liu & Wong 1994);
the warm start's inversion against synthetic reports made from a known outage of the zone matrix (the
linear model it inverts, so an exact outage must come back); the repair times conditioned on the reports
against the truncated lognormal of scipy.stats (a Kolmogorov-Smirnov test at 1 %, 4,000 draws).
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
import xarray as xr
from scipy import stats

from sim import smc
from sim.config.nowcast import NowcastConfig
from sim.nowcast import condition, predict_reports
from sim.predicted_reports import log_likelihood
from sim.rejuvenation import assimilate, generation_seed, pooled_weights
from sim.warm_start import WarmStart, _as_reported, explain_heat, houses_out
from tests.unit.test_nowcast import TIMES, reports, toy_dataset


def _restart_dataset(values_a: float, values_b: float, n: int = 4) -> xr.Dataset:
    """A generation of ``n`` realizations that all have the given buildings without heat in A and B."""
    ds = toy_dataset().isel(realization=[0] * n).assign_coords(realization=np.arange(n))
    heat = np.zeros((n, len(TIMES), 2))
    heat[:, :, 0], heat[:, :, 1] = values_a, values_b
    return ds.assign(buildings_without_heat=(("realization", "time", "district"), heat))


def test_a_degenerate_ensemble_is_rejuvenated_and_the_pool_follows_the_ess(tmp_path):
    """Reports only realization 1 explains at 06:00 (ESS ~1 of 3 < 0.5 R): one restart at 06:00 whose four
    realizations reproduce the reports; each generation's weights are its own sequential weights from its
    restart on (equal at the restart), pooled by their evidence."""
    obs = reports(tmp_path, "2026-01-29T06:00,A,200,,\n2026-01-29T06:00,B,100,,\n2026-01-29T12:00,A,200,,\n")
    cfg = NowcastConfig()
    calls = []

    def warm_start(at, queues):
        calls.append(("warm", np.datetime64(at, "ns")))
        return WarmStart(restart=np.datetime64(at, "ns"), restart_h=6.0, summary="test state")

    def restart(g, warm):
        calls.append(("restart", g))
        return _restart_dataset(200.0, 100.0)

    result = assimilate(toy_dataset(), obs, cfg, 6, restart=restart, warm_start=warm_start)
    assert calls == [("warm", np.datetime64(TIMES[1], "ns")), ("restart", 1)]  # once: the pool's ESS then suffices
    assert [g.index for g in result.generations] == [0, 1]
    t = obs.table["time"].to_numpy("datetime64[ns]")
    prior_ll = log_likelihood(obs, predict_reports(toy_dataset(), obs), cfg, 6)
    w0 = smc.sequential_weights(prior_ll, t).final
    w1 = np.full(4, 0.25)  # identical realizations
    # evidence on the reports from the restart on (both 06:00 and 12:00), prior weights before it uniform
    common = t >= np.datetime64(TIMES[1], "ns")
    z0 = np.mean(np.exp(prior_ll[:, common].sum(axis=1)))
    ll1 = smc.log_lik_buildings(obs.table["value"].to_numpy(float), np.array([[200.0, 100.0, 200.0]]),
                                cfg.heat_dispersion, cfg.heat_offset_buildings)
    z1 = float(np.exp(ll1.sum()))
    lam0 = z0 / (z0 + z1)
    expected = np.concatenate([lam0 * w0, (1 - lam0) * w1])
    np.testing.assert_allclose(result.weights, expected, rtol=1e-10)
    e_pool = float(smc.effective_sample_size(expected))
    assert result.trace["restarted"].tolist() == [True, False]
    assert result.trace["ess_before"].iloc[0] < 0.5 * 3 and result.trace["ess_after"].iloc[-1] == pytest.approx(e_pool)
    assert not result.collapsed and "rejuvenated 1 time" in result.status and "test state" in result.status
    # through condition(): the generations are pooled along realization, with their generation
    out = condition(toy_dataset(), obs, cfg, 6, restart=restart, warm_start=warm_start)
    assert out.sizes["realization"] == 7 and out["generation"].values.tolist() == [0, 0, 0, 1, 1, 1, 1]
    np.testing.assert_allclose(out["realization_weight"].values, expected, rtol=1e-10)
    assert out.attrs["nowcast_restarts"] == 1 and out["restarted"].values.tolist() == [1, 0]
    np.testing.assert_array_equal(out["buildings_without_heat"].isel(realization=slice(3, None)).values,
                                  _restart_dataset(200.0, 100.0)["buildings_without_heat"].values)


def test_without_restarts_the_filter_is_stage_a(tmp_path):
    obs = reports(tmp_path, "2026-01-29T06:00,A,200,,\n2026-01-29T06:00,B,100,,\n")
    cfg = NowcastConfig(max_rejuvenations=0)

    def never(*_):
        raise AssertionError("no restart with max_rejuvenations=0")

    result = assimilate(toy_dataset(), obs, cfg, 6, restart=never, warm_start=never)
    ll = log_likelihood(obs, predict_reports(toy_dataset(), obs), cfg, 6)
    np.testing.assert_allclose(result.weights, smc.sequential_weights(ll, obs.table["time"].to_numpy("datetime64[ns]")
                                                                      ).final, rtol=1e-12)
    # nor at or after the run's end
    r2 = assimilate(toy_dataset(), obs, NowcastConfig(), 6, restart=never, warm_start=never, end=TIMES[1])
    assert len(r2.generations) == 1


def test_rejuvenations_stop_at_max_and_a_hopeless_pool_collapses(tmp_path):
    obs = reports(tmp_path, "".join(f"{np.datetime64(t, 'm')},A,5000,,\n" for t in TIMES[1:5]))
    cfg = NowcastConfig(max_rejuvenations=2, collapse_ess_frac=0.5)  # ESS >= 1 > 0.1 R for R = 3
    n = []

    def restart(g, warm):
        n.append(g)
        return _restart_dataset(10.0 * g, 0.0, n=3)  # never near 5,000

    result = assimilate(toy_dataset(), obs, cfg, 6, restart=restart,
                        warm_start=lambda at, q: WarmStart(np.datetime64(at, "ns"), 0.0))
    assert n == [1, 2] and result.collapsed and result.status.startswith("nowcast collapsed")


def test_pooled_weights_of_one_generation_are_its_weights(tmp_path):
    obs = reports(tmp_path, "2026-01-29T06:00,A,40,,\n")
    cfg = NowcastConfig()
    r = assimilate(toy_dataset(), obs, cfg, 6)
    w, ess = pooled_weights(r.generations, obs.table["time"].to_numpy("datetime64[ns]"), None)
    ll = log_likelihood(obs, predict_reports(toy_dataset(), obs), cfg, 6)[:, 0]
    np.testing.assert_allclose(w, np.exp(ll - ll.max()) / np.exp(ll - ll.max()).sum(), rtol=1e-12)
    assert ess == pytest.approx(smc.effective_sample_size(w))
    assert generation_seed(7, 0) == 7 and len({generation_seed(7, g) for g in range(1, 6)}) == 5


def test_explain_heat_recovers_a_known_outage():
    """A synthetic zone matrix (4 districts, 2 CHPs, 3 boiler clusters): the reports made by CHP 1 out and
    half of cluster 2 out (150 buildings, 4.5 report standard deviations) come back as those shares (within
    3 %: the ridge's shrinkage, 0.018 for the cluster by the normal equations)."""
    from sim.warm_start import ZoneTable

    A = np.array([[300.0, 0.0, 40.0, 0.0, 0.0],
                  [200.0, 150.0, 0.0, 30.0, 0.0],
                  [0.0, 400.0, 0.0, 0.0, 60.0],
                  [0.0, 250.0, 0.0, 300.0, 0.0]])
    src = pd.DataFrame({"node": range(5), "name": ["C1", "C2", "B1", "B2", "B3"],
                        "kind": ["chp", "chp", "boiler", "boiler", "boiler"], "district": list("abcde")})
    zones = ZoneTable(list("abcd"), src, A, pd.DataFrame(), pd.DataFrame())
    x_true = np.array([1.0, 0.0, 0.0, 0.5, 0.0])
    y = A @ x_true
    rows = pd.DataFrame({"district_index": np.arange(4), "value": y})
    np.testing.assert_allclose(explain_heat(zones, rows, 25.0, 5.0), x_true, atol=0.03)
    # a city total alone cannot place the loss, but its sum is kept
    city = pd.DataFrame({"district_index": [-1], "value": [y.sum()]})
    x = explain_heat(zones, city, 25.0, 5.0)
    assert float(A.sum(axis=0) @ x) == pytest.approx(y.sum(), rel=0.05)
    assert houses_out(pd.DataFrame({"unit": [1, 2], "buildings": [30.0, 30.0]}), 15.0) == [1]


@pytest.mark.parametrize("state", ["out", "back"])
def test_repairs_conditioned_on_the_reports_are_truncated_lognormals(state):
    """``out``: the repair outlasts the time since the onset; ``back``: it ended before. The threat's
    lognormal draws (median 12 h, sigma 0.8) mapped by _as_reported against scipy's truncated law."""
    rng = np.random.default_rng(5)
    m, sigma, e = 12.0, 0.8, 20.0
    r = m * np.exp(sigma * rng.standard_normal(4000))
    out = _as_reported(r, np.full(r.size, m), np.full(r.size, e), np.array([state] * r.size, dtype=object), sigma)
    a = np.log(e / m) / sigma
    z = np.log(out / m) / sigma
    if state == "out":
        assert out.min() > e
        law = stats.truncnorm(a, np.inf)
    else:
        assert out.max() < e
        law = stats.truncnorm(-np.inf, a)
    assert stats.kstest(z, law.cdf).pvalue > 0.01


def test_a_restarted_generation_starts_with_equal_weights_at_its_restart(tmp_path):
    """The warm start was built from the reports up to its restart time, so the generation is weighted by
    the later reports only (resample-move: equal weights after the move; Gilks & Berzuini 2001): its
    weights are the sequential weights of the 12:00 report alone, written out here; the 06:00 report,
    which realization 0 of the generation explains far better, does not enter them."""
    obs = reports(tmp_path, "2026-01-29T06:00,A,200,,\n2026-01-29T06:00,B,100,,\n2026-01-29T12:00,A,150,,\n")
    cfg = NowcastConfig()
    gen = _restart_dataset(200.0, 100.0)
    heat = gen["buildings_without_heat"].values.copy()
    heat[:, 1, :] = [[200.0, 100.0], [400.0, 100.0], [200.0, 100.0], [200.0, 100.0]]  # 06:00
    heat[:, 2, 0] = [150.0, 150.0, 300.0, 150.0]  # 12:00
    gen = gen.assign(buildings_without_heat=(("realization", "time", "district"), heat))
    result = assimilate(toy_dataset(), obs, cfg, 6, restart=lambda g, w: gen,
                        warm_start=lambda at, q: WarmStart(np.datetime64(at, "ns"), 6.0))
    g1 = result.generations[1]
    assert g1.restart == np.datetime64(TIMES[1], "ns")
    t = obs.table["time"].to_numpy("datetime64[ns]")
    w = g1.weights(t, None)
    lik = np.exp(smc.log_lik_buildings(150.0, np.array([150.0, 150.0, 300.0, 150.0]), 25.0, 5.0))
    np.testing.assert_allclose(w, lik / lik.sum(), rtol=1e-10)
    # at its restart time the generation's weights are equal
    np.testing.assert_allclose(g1.weights(t, TIMES[1]), np.full(4, 0.25), rtol=1e-12)
