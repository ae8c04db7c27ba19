"""The forecast move (sim.rejuvenation.forecast_move; the twin experiment's ``forecast_move`` setting, no config
key: it showed no gain on the tuning truths, docs/nowcast.md): at ``as_of`` the forecast is
carried by realizations resampled from the final pooled weights, each continuing its ancestor's history with
fresh randomness after ``as_of``; the pool's effective sample size and collapse status are kept."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from scipy import stats

from sim.ancestor_start import (
    History,
    ancestor_campaign,
    ancestor_warm_start,
    conditional_next_wave_h,
    repairs_done,
    resample_ancestors,
)
from sim.config.nowcast import NowcastConfig
from sim.nowcast import condition
from sim.rejuvenation import assimilate, pooled_weights
from sim.rng import stream
from tests.unit.test_nowcast import reports, toy_dataset

#: Reports of realization 1 of the toy ensemble only (200 and 100 buildings): the pool's ESS falls to ~1.
ONE_HISTORY = "2026-01-29T06:00,A,200,,\n2026-01-29T06:00,B,100,,\n2026-01-29T12:00,A,200,,\n"
N_MOVE = 4
#: A collapse below 1.5 of the toy's 3 realizations (ESS ~1 is one history).
TOY = {"max_rejuvenations": 0, "collapse_ess_frac": 0.5}


def _callables(seen: list):
    """An ancestor builder that records what it was given and a restart that copies the ancestors' rows of
    the toy ensemble (every realization of this test is a copy of one of the prior's rows)."""

    def builder(at, w, sizes):
        seen.append((np.datetime64(at, "ns"), w.copy(), list(sizes)))
        return ancestor_warm_start(np.datetime64(at, "ns"), 6.0, resample_ancestors(w, sizes, 1, len(sizes), N_MOVE))

    origin = [np.arange(3)]  # per generation: the toy row each realization copies

    def restart(g, warm):
        rows = [int(origin[int(a)][int(r)]) for a, r in warm.ancestors]
        origin.append(np.array(rows))
        return toy_dataset().isel(realization=rows).assign_coords(realization=np.arange(len(rows)))

    return builder, restart


def test_the_move_resamples_the_final_pool_and_keeps_the_collapse(tmp_path: Path):
    obs = reports(tmp_path, ONE_HISTORY, as_of="2026-01-29T18:00")
    cfg = NowcastConfig(**TOY)
    seen: list = []
    mover, restart = _callables(seen)
    plain = assimilate(toy_dataset(), obs, cfg, 6, restart=restart)
    assert plain.moved is None and not seen  # no move without a mover
    result = assimilate(toy_dataset(), obs, cfg, 6, restart=restart, mover=mover)
    assert len(seen) == 1
    at, w, sizes = seen[0]
    assert at == np.datetime64("2026-01-29T18:00", "ns") and sizes == [3]  # at as_of, from the final pool
    np.testing.assert_allclose(w, plain.weights)
    assert result.moved is not None and result.moved.warm.ancestors.tolist() == [[0, 1]] * N_MOVE
    # the forecast: the moved generation with equal weights, the pool with none
    np.testing.assert_allclose(result.weights, [0, 0, 0, *[1 / N_MOVE] * N_MOVE])
    np.testing.assert_array_equal(result.generation, [0, 0, 0, 1, 1, 1, 1])
    # the state estimate is still one history: collapsed, as without the move, and the status says so
    assert plain.collapsed and result.collapsed and result.ess_before_move == pytest.approx(1.0, abs=1e-3)
    assert result.status.startswith(plain.status) and "from 1 distinct history" in result.status
    np.testing.assert_array_equal(result.trace["ess_after"], plain.trace["ess_after"])


def test_the_move_draws_from_every_generation_of_the_pool(tmp_path: Path):
    """One rejuvenation at 06:00 (copies of realization 1), then the move resamples the pool of both
    generations by the pooled weights (3 + 4 realizations; realization 1 and its copies share them)."""
    obs = reports(tmp_path, ONE_HISTORY, as_of="2026-01-29T18:00")
    seen: list = []
    builder, restart = _callables(seen)
    result = assimilate(toy_dataset(), obs, NowcastConfig(max_rejuvenations=1), 6,
                        restart=restart, ancestors=builder, mover=builder)
    assert len(seen) == 2 and seen[1][2] == [3, N_MOVE]
    t = obs.table["time"].to_numpy("datetime64[ns]")
    np.testing.assert_allclose(seen[1][1], pooled_weights(result.generations, t, None)[0])
    anc = result.moved.warm.ancestors
    # the histories that explain the reports: realization 1 of the prior and its copies (equal evidence)
    assert all((int(a), int(r)) == (0, 1) or int(a) == 1 for a, r in anc) and set(anc[:, 0]) == {0, 1}
    assert result.moved.index == 2 and result.weights[:7].sum() == 0.0


def test_condition_writes_the_moved_forecast_with_its_ancestors(tmp_path: Path):
    obs = reports(tmp_path, ONE_HISTORY, as_of="2026-01-29T18:00")
    mover, restart = _callables([])
    cfg = NowcastConfig(**TOY)
    out = condition(toy_dataset(), obs, cfg, 6, restart=restart, mover=mover)
    base = condition(toy_dataset(), obs, cfg, 6, restart=restart)
    assert out.sizes["realization"] == 3 + N_MOVE
    np.testing.assert_array_equal(out["ancestor"].values, [-1, -1, -1, 1, 1, 1, 1])
    np.testing.assert_allclose(out["realization_weight"].values, [0, 0, 0, *[1 / N_MOVE] * N_MOVE])
    # each moved realization is its ancestor's (the toy restart copies it)
    for j in range(3, 3 + N_MOVE):
        np.testing.assert_array_equal(out["buildings_without_heat"].values[j], out["buildings_without_heat"].values[1])
    # honesty: the pool's ESS and collapse status stay
    np.testing.assert_array_equal(out["effective_sample_size"].values, base["effective_sample_size"].values)
    assert out.attrs["nowcast_status"].startswith("nowcast collapsed")
    assert out.attrs["nowcast_forecast_move_ancestors"] == 1
    assert out.attrs["nowcast_ess_before_move"] == pytest.approx(1.0, abs=1e-3)


def test_without_reports_up_to_as_of_the_move_leaves_the_plain_run(tmp_path: Path):
    obs = reports(tmp_path, "2026-01-30T06:00,A,200,,\n", as_of="2026-01-29T12:00")
    seen: list = []
    mover, restart = _callables(seen)
    ds = toy_dataset()
    out = condition(ds, obs, NowcastConfig(), 6, restart=restart, mover=mover)
    assert not seen and "generation" not in out
    for v in ds.data_vars:
        assert out[v].identical(ds[v]), v


@pytest.mark.parametrize("latest_h", [10.0, 95.0])
def test_the_next_wave_after_a_wave_is_the_interval_conditioned_on_outlasting_the_restart(latest_h: float):
    """Against rejection sampling of the renewal process: the interval after the latest wave given that no
    wave followed it before ``t_g`` (Kolmogorov-Smirnov, 800 draws each)."""
    shape, scale_h, t_g = 2.0, 54.0, 100.0
    rng = np.random.default_rng(20261203)
    x = np.array([conditional_next_wave_h(latest_h, t_g, shape, scale_h, rng) for _ in range(800)])
    ref = latest_h + rng.gamma(shape, scale_h, 200_000)
    ref = ref[ref >= t_g][:800]
    assert (x >= t_g).all()
    assert stats.ks_2samp(x, ref).pvalue > 0.01


def test_the_first_wave_without_a_wave_before_the_restart_is_the_stationary_start_conditioned():
    """No wave before ``t_g``: the first wave ``G U`` of :func:`sim.threat._continued_times` given ``G U >= t_g``."""
    shape, scale_h, t_g = 2.0, 54.0, 54.0
    rng = np.random.default_rng(7)
    x = np.array([conditional_next_wave_h(float("nan"), t_g, shape, scale_h, rng) for _ in range(800)])
    ref = rng.gamma(shape, scale_h, 400_000) * rng.uniform(size=400_000)
    ref = ref[ref >= t_g][:800]
    assert (x >= t_g).all()
    assert stats.ks_2samp(x, ref).pvalue > 0.01
    # the old rule (drop the waves before t_g, keep the next one) is later: its mean is off by a margin
    old = []
    for _ in range(800):
        t = rng.gamma(shape, scale_h) * rng.uniform()
        while t < t_g:
            t += rng.gamma(shape, scale_h)
        old.append(t)
    assert np.mean(old) - x.mean() > 5 * np.std(x) / np.sqrt(len(x))


def test_conditional_waves_start_at_or_after_the_restart_numbered_on_from_the_ancestors():
    """The hand-built ancestors of tests/unit/test_ancestor_warm_start.py (ancestor 0: waves 0 and 1 at 10 and
    20 h; ancestor 1: none), restarted at 40 h with conditional waves: the history before 40 h is the
    ancestor's; the first wave after it is :func:`conditional_next_wave_h` of the realization's stream,
    numbered on from the ancestor's last wave, and the later ones follow the renewal process from it."""
    from tests.unit.test_ancestor_warm_start import GRID, SEED, T_G, _attacks, _history, _net

    warm = ancestor_warm_start(GRID.start + np.timedelta64(int(T_G), "h"), T_G, np.array([[0, 0], [0, 1]]),
                               conditional_waves=True)
    camp = ancestor_campaign(_attacks(), _net(), GRID, SEED, warm, [_history()])
    p = camp.params
    shape = float(p["interval_shape"])
    scale_h = float(p["mean_interval_days"]) * 24.0 / shape
    before = camp.waves[camp.waves["time_h"] < T_G]
    assert before[before["realization"] == 0]["time_h"].tolist() == [10.0, 20.0]
    assert (before["realization"] == 0).all()
    for i, latest, first_wave in ((0, 20.0, 2), (1, float("nan"), 0)):
        mine = camp.waves[(camp.waves["realization"] == i) & (camp.waves["time_h"] >= T_G)]
        expected = conditional_next_wave_h(latest, T_G, shape, scale_h, stream(SEED, "ancestor_next_wave", i))
        assert len(mine) and mine["time_h"].iloc[0] == pytest.approx(expected)
        assert mine["wave"].tolist() == list(range(first_wave, first_wave + len(mine)))
        hits = camp.hits[(camp.hits["realization"] == i) & (camp.hits["wave"] >= 0) & (camp.hits["time_h"] >= T_G)]
        assert set(hits["wave"]) <= set(mine["wave"])
    assert camp.waves.groupby(["realization", "wave"]).size().max() == 1


def test_the_moved_des_repeats_its_ancestors_events_before_the_move():
    """small_town, 4 days, conditional waves: every wave, hit, repair done and unit back before the move is
    the ancestor's, at the same time; after it the siblings' futures differ."""
    from sim.chain import _forecast_rows
    from sim.validation.nowcast import _Ensemble, supply_dataset

    e = _Ensemble(["city=small_town", "attacks=continued", "horizon_days=4"], 6, 7)
    h0 = History(e.campaign, repairs_done(e.events, e.net), np.arange(e.n))
    t_m = 54.0
    busy = sorted(set(e.campaign.hits[e.campaign.hits["time_h"] < t_m]["realization"]))
    assert len(busy) >= 1
    anc = np.array([[0, busy[0]]] * 3)
    warm = ancestor_warm_start(e.grid.start + np.timedelta64(int(t_m), "h"), t_m, anc, conditional_waves=True)
    camp = ancestor_campaign(e.cfg.attacks, e.net, e.grid, 99, warm, [h0])
    ev: list = []
    supply_dataset(e.cfg, e.city, e.net, e.grid, _forecast_rows(e.forecast, anc[:, 1]), camp, 99, ev)
    kinds = ["wave", "hit", "repair_done", "unit_back", "emergency"]

    def log(events: pd.DataFrame, r: int) -> pd.DataFrame:
        x = events[(events["realization"] == r) & events["kind"].isin(kinds) & (events["time_h"] < t_m)]
        return x[["time_h", "kind", "node"]].reset_index(drop=True)

    for i, (_, r) in enumerate(anc):
        theirs = log(e.events, int(r))
        assert len(theirs) > 0
        pd.testing.assert_frame_equal(log(ev[0], i), theirs)
    first_after = [camp.waves[(camp.waves["realization"] == i) & (camp.waves["time_h"] >= t_m)]["time_h"].min()
                   for i in range(3)]
    assert len(set(np.round(first_after, 6))) == 3  # fresh futures: each sibling's next wave its own


def test_the_oracle_forecast_continues_the_truths_history_with_fresh_futures():
    """sim.validation.nowcast.oracle_campaign (small_town, 4 days): before as_of every realization has the
    truth's waves and hits; after it each has a future of its own, its first wave at or after as_of."""
    from sim.validation.nowcast import _Ensemble, oracle_campaign

    truth = _Ensemble(["city=small_town", "attacks=continued", "horizon_days=4"], 1, 8)  # waves at 10 and 73 h
    as_of = 54.0
    camp, rows = oracle_campaign(truth, as_of, 5, 4242)
    assert rows.tolist() == [0] * 5
    cols = ["wave", "time_h", "node", "damage"]
    th = truth.campaign.hits[truth.campaign.hits["time_h"] < as_of][cols].reset_index(drop=True)
    tw = truth.campaign.waves[truth.campaign.waves["time_h"] < as_of]["time_h"].tolist()
    assert len(th) > 0
    after = []
    for i in range(5):
        h = camp.hits[(camp.hits["realization"] == i) & (camp.hits["time_h"] < as_of)][cols].reset_index(drop=True)
        pd.testing.assert_frame_equal(h, th)
        w = camp.waves[camp.waves["realization"] == i]
        assert w[w["time_h"] < as_of]["time_h"].tolist() == tw
        after.append(float(w[w["time_h"] >= as_of]["time_h"].min()))
    assert min(after) >= as_of and len(set(np.round(after, 6))) == 5
