"""The ancestor warm start (sim.ancestor_start): restarted realizations continue resampled histories.

References: a hand-built ancestor campaign (Kyiv's network; a substation repaired before the restart, a CHP
and its unit still under repair, a destroyed boiler cluster, a hit after the restart), whose rows before
the restart time must come back as written; the redrawn repairs against the truncated lognormal of
scipy.stats (Kolmogorov-Smirnov at 1 %); the waves after the restart against the public key
``attacks.first_wave_day`` anchored at the ancestor's latest wave by hand; the resampling against the
floor/ceil counts of systematic resampling (Kitagawa 1996); the DES itself, whose event log before the
restart must repeat the ancestor's event for event (the repair shop draws no random numbers); and the
chain, whose restarted realizations must carry their ancestor's hits, waves and weather before the restart.
"""

from __future__ import annotations

import math
from functools import lru_cache
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from omegaconf import OmegaConf
from scipy import stats

from sim.ancestor_start import (
    History,
    ancestor_campaign,
    ancestor_warm_start,
    repairs_done,
    resample_ancestors,
)
from sim.city import build_city
from sim.config import CityConfig
from sim.config.load import load_option
from sim.config.nowcast import NowcastConfig, validate_nowcast_config
from sim.errors import ConfigError
from sim.network import build_network
from sim.threat import ALERT_COLUMNS, HIT_COLUMNS, WAVE_COLUMNS, Campaign, make_campaign
from sim.timegrid import TimeGrid
from tests.conftest import ROOT

GRID = TimeGrid.from_config("2026-01-29T00:00", 7, 60)
T_G = 40.0  # the restart [h since start]
SEED = 11


@lru_cache
def _net():
    cfg = OmegaConf.merge(OmegaConf.structured(CityConfig), OmegaConf.load(ROOT / "configs/city/kyiv.yaml"))
    return build_network(build_city(cfg), cfg.grid)


def _attacks(**over):
    cfg = load_option("attacks", "continued")
    OmegaConf.set_struct(cfg, False)
    return OmegaConf.merge(cfg, over)


def _node(kind: str) -> int:
    return int(np.flatnonzero(_net().nodes["kind"].to_numpy() == kind)[0])


def _history() -> History:
    """Ancestor 0: waves 0 (10 h) and 1 (20 h) before the restart, wave 2 (50 h) after; a substation hit at
    10 h repaired at 15 h (a ``repair_done``), a CHP hit at 20 h with its unit, still under repair, a boiler
    cluster destroyed at 20 h, a feeder hit at 50 h. Ancestor 1: no wave, nothing hit."""
    net = _net()
    sub, chp, boiler, feeder = _node("substation"), _node("chp"), _node("boiler"), _node("feeder")
    unit = int(np.flatnonzero(net.unit_table["source"].to_numpy() == net.nodes["heat_source"].iloc[chp])[0])
    waves = pd.DataFrame([{c: 0 for c in WAVE_COLUMNS} | {"realization": 0, "wave": k, "time_h": t, "focus": "",
                                                          "after_pause": False, "surge": False}
                          for k, t in enumerate([10.0, 20.0, 50.0])], columns=list(WAVE_COLUMNS))
    hits = pd.DataFrame([
        (0, 0, 10.0, sub, "substation", "moderate", 5.0, False, False, -1, 0.0, False),
        (0, 1, 20.0, chp, "chp", "severe", 100.0, False, False, unit, 300.0, False),
        (0, 1, 20.0, boiler, "boiler", "destroyed", math.inf, False, False, -1, 0.0, False),
        (0, 2, 50.0, feeder, "feeder", "light", 3.0, False, False, -1, 0.0, False),
    ], columns=list(HIT_COLUMNS))
    alerts = pd.DataFrame([(0, 9.0, 12.0, 0), (0, 38.0, 45.0, -1)], columns=list(ALERT_COLUMNS))
    camp = Campaign("continued", 2, waves, hits, waves.iloc[0:0], alerts)
    done = pd.DataFrame({"realization": [0], "node": [sub], "time_h": [15.0]})
    return History(camp, done, np.array([0, 1]))


def _restart(ancestors: list[list[int]], mult: float = 1.0, **over) -> Campaign:
    warm = ancestor_warm_start(GRID.start + np.timedelta64(int(T_G), "h"), T_G, np.array(ancestors))
    return ancestor_campaign(_attacks(**over), _net(), GRID, SEED, warm, [_history()], mult)


def test_the_ancestors_damage_before_the_restart_comes_back_as_it_was():
    camp = _restart([[0, 0], [0, 0], [0, 1]])
    anc = _history().campaign
    cols = ["wave", "time_h", "node", "node_kind", "damage", "unit", "needs_transformer"]
    for i in (0, 1):
        mine = camp.hits[(camp.hits["realization"] == i) & (camp.hits["time_h"] < T_G)].reset_index(drop=True)
        pd.testing.assert_frame_equal(mine[cols], anc.hits[anc.hits["time_h"] < T_G][cols].reset_index(drop=True))
        assert mine["repair_h"].iloc[0] == 5.0  # repaired at 15 h: kept exactly
        assert math.isinf(mine["repair_h"].iloc[2])  # destroyed stays destroyed
        w = camp.waves[(camp.waves["realization"] == i) & (camp.waves["time_h"] < T_G)]
        assert w["time_h"].tolist() == [10.0, 20.0] and w["wave"].tolist() == [0, 1]  # no fresh wave before
        a = camp.alerts[camp.alerts["realization"] == i]
        assert a["start_h"].iloc[:2].tolist() == [9.0, 38.0] and a["end_h"].iloc[1] >= 45.0
    assert not (camp.hits["time_h"] == 50.0).any()  # the ancestor's hit after the restart is not history
    # ancestor 1 had no wave and no hit before the restart: realization 2 has none either
    assert not (camp.hits[camp.hits["realization"] == 2]["time_h"] < T_G).any()
    assert not (camp.waves[camp.waves["realization"] == 2]["time_h"] < T_G).any()


def test_repairs_in_progress_end_after_the_restart_and_differ_between_siblings():
    for mult in (1.0, 2.0):
        camp = _restart([[0, 0]] * 3, mult=mult)
        chp = camp.hits[(camp.hits["node_kind"] == "chp") & (camp.hits["time_h"] == 20.0)]
        assert len(chp) == 3
        assert (20.0 + mult * chp["repair_h"] > T_G).all() and (20.0 + mult * chp["unit_repair_h"] > T_G).all()
        assert chp["repair_h"].nunique() == 3 and chp["unit_repair_h"].nunique() == 3
        assert not np.isin(chp["repair_h"], [100.0]).any()  # redrawn, not the ancestor's number


def test_a_redrawn_repair_is_the_lognormal_conditioned_on_lasting_past_the_restart():
    """The node's repair work of the CHP hit (severe; the threat's lognormal, median ``repair_median_h``,
    ``repair_sigma``) given that it lasts more than the 20 h since its onset."""
    n = 600
    camp = _restart([[0, 0]] * n)
    p = camp.params
    m, s = float(p["repair_median_h"]["chp"]["severe"]), float(p["repair_sigma"])
    x = camp.hits[(camp.hits["node_kind"] == "chp") & (camp.hits["time_h"] == 20.0)]["repair_h"].to_numpy()
    lo = T_G - 20.0
    fa = stats.lognorm.cdf(lo, s, scale=m)
    assert stats.kstest(x, lambda v: (stats.lognorm.cdf(v, s, scale=m) - fa) / (1 - fa)).pvalue > 0.01


def test_the_waves_after_the_restart_follow_the_renewal_process_anchored_at_the_latest_wave():
    """Ancestor 0's latest wave is wave 1 at 20 h: the restarted realization's waves after the restart are
    those of the campaign with ``first_wave_day`` = 20 h (the same seed and realization), numbered on from
    wave 1; ancestor 1 had none, so its waves are the unanchored draw after the restart."""
    camp = _restart([[0, 0], [0, 1]])
    anchored = make_campaign(_attacks(first_wave_day=20.0 / 24.0), _net(), GRID, 2, SEED).waves
    plain = make_campaign(_attacks(), _net(), GRID, 2, SEED).waves
    after = camp.waves[camp.waves["time_h"] >= T_G]
    for i, ref, shift in ((0, anchored, 1), (1, plain, 0)):
        ref_i = ref[(ref["realization"] == i) & (ref["time_h"] >= T_G)]
        mine = after[after["realization"] == i]
        assert len(ref_i) > 0
        np.testing.assert_array_equal(mine["time_h"].to_numpy(), ref_i["time_h"].to_numpy())
        np.testing.assert_array_equal(mine["wave"].to_numpy(), ref_i["wave"].to_numpy() + shift)
    assert camp.waves.groupby(["realization", "wave"]).size().max() == 1  # no wave number twice


def test_resampling_follows_the_weights():
    w = np.array([1e-9, 1e-9, 1.0 - 4e-9, 1e-9, 1e-9])
    np.testing.assert_array_equal(resample_ancestors(w / w.sum(), [3, 2], 5, 1, 6), [[0, 2]] * 6)
    a = resample_ancestors(np.array([0.5, 0.25, 0.25]), [1, 2], 5, 2, 4)
    assert sorted(map(tuple, a.tolist())) == [(0, 0), (0, 0), (1, 0), (1, 1)]  # 4 w exactly
    summary = ancestor_warm_start(GRID.start, 0.0, a).summary
    assert summary == "4 realizations restarted from 3 resampled histories"


def test_repairs_done_are_read_from_the_event_log():
    names = _net().nodes["name"]
    ev = pd.DataFrame({"realization": [0, 1, 1], "time_h": [3.0, 4.0, 5.0], "kind": ["hit", "repair_done", "repair_done"],
                       "node": [names.iloc[2], names.iloc[5], names.iloc[7]]})
    out = repairs_done(ev, _net())
    assert out.to_dict("list") == {"realization": [1, 1], "node": [5, 7], "time_h": [4.0, 5.0]}


def test_the_rejuvenation_key_is_checked():
    validate_nowcast_config(NowcastConfig(rejuvenation="ancestors"))
    with pytest.raises(ConfigError, match=r"nowcast\.rejuvenation=resampled: must be one of reported, ancestors"):
        validate_nowcast_config(NowcastConfig(rejuvenation="resampled"))


def test_the_restarted_des_repeats_its_ancestors_events_before_the_restart():
    """small_town, 4 days: every wave, hit, repair done and unit back before the restart is the ancestor's,
    at the same time (the drains and refills are drawn afresh, so they are not compared)."""
    from sim.chain import _forecast_rows
    from sim.validation.nowcast import _Ensemble, supply_dataset

    e = _Ensemble(["city=small_town", "attacks=continued", "horizon_days=4"], 6, 7)
    h0 = History(e.campaign, repairs_done(e.events, e.net), np.arange(e.n))
    t_g = 70.0
    busy = sorted(set(e.campaign.hits[e.campaign.hits["time_h"] < t_g]["realization"]))
    assert len(busy) >= 2
    anc = np.array([[0, busy[0]], [0, busy[0]], [0, busy[1]]])
    warm = ancestor_warm_start(e.grid.start + np.timedelta64(int(t_g), "h"), t_g, anc)
    camp = ancestor_campaign(e.cfg.attacks, e.net, e.grid, 99, warm, [h0])
    ev: list = []
    supply_dataset(e.cfg, e.city, e.net, e.grid, _forecast_rows(e.forecast, anc[:, 1]), camp, 99, ev)
    kinds = ["wave", "hit", "repair_done", "unit_back", "emergency"]

    def log(events, r):
        x = events[(events["realization"] == r) & events["kind"].isin(kinds) & (events["time_h"] < t_g)]
        return x[["time_h", "kind", "node"]].reset_index(drop=True)

    for i, (_, r) in enumerate(anc):
        mine, theirs = log(ev[0], i), log(e.events, int(r))
        assert len(theirs) > 0
        pd.testing.assert_frame_equal(mine, theirs)


def test_without_reports_up_to_as_of_the_ancestors_nowcast_is_the_plain_run(tmp_path: Path):
    from sim.chain import run_scenario
    from sim.validation._common import compose_config

    base = ["city=small_town", "realizations=3", "horizon_days=2"]
    plain = run_scenario(compose_config(base))
    path = tmp_path / "reports.csv"
    path.write_text("time,district,buildings_without_heat\n2026-01-30T08:00,North,2\n")
    now = run_scenario(compose_config([*base, f"nowcast.observations={path}", "nowcast.as_of=2026-01-29T12:00",
                                       "nowcast.rejuvenation=ancestors"]))
    for v in plain.data_vars:
        assert now[v].identical(plain[v]), v


def test_a_chain_nowcast_restarts_from_its_ancestors_histories(tmp_path: Path):
    """small_town, 4 realizations, 3 days (seed 7: at 06:00 of day 0 realization 1 alone has the whole
    town without power). A report of that leaves one effective history: the restarted generation
    continues it (``ancestor``), with its hits and waves per step and its weather before the restart, and
    the status line says from how many histories."""
    from sim.chain import run_scenario
    from sim.validation._common import compose_config

    base = ["city=small_town", "realizations=4", "horizon_days=3", "attacks=continued"]
    plain = run_scenario(compose_config(base))
    power = plain["share_without_power"].sel(time="2026-01-29T06:00").values  # (R, D)
    assert (power[1] == 1.0).all() and (power[[0, 2, 3]] == 0.0).all()
    rows = [f"2026-01-29T06:00,{d},,1.0," for d in plain["district"].values]
    path = tmp_path / "reports.csv"
    path.write_text("time,district,buildings_without_heat,share_without_power,queues_off\n" + "\n".join(rows)
                    + "\n2026-01-30T12:00,city,,,0\n")
    ds = run_scenario(compose_config([*base, f"nowcast.observations={path}", "nowcast.rejuvenation=ancestors",
                                      "nowcast.max_rejuvenations=1"]))
    gen = ds["generation"].values
    anc = ds["ancestor"].values
    assert (gen == 1).sum() == 4 and (anc[gen == 0] == -1).all()
    assert (anc[gen == 1] == 1).all()  # the one realization that reproduces the report
    assert "4 realizations restarted from 1 resampled history" in ds.attrs["nowcast_status"]
    t_g = int(np.searchsorted(ds["time"].values, np.datetime64("2026-01-29T06:00")))
    for j in np.flatnonzero(gen == 1):
        for v in ("hits", "waves", "outdoor_temperature"):
            np.testing.assert_array_equal(ds[v].isel(realization=j).values[:t_g],
                                          ds[v].isel(realization=1).values[:t_g], err_msg=v)
        assert ds["share_without_power"].isel(realization=j).sel(time="2026-01-29T06:00").values.min() == 1.0


def test_the_filter_resamples_by_the_pooled_weights_and_restarts_from_the_ancestors(tmp_path: Path):
    """The toy ensemble of tests/unit/test_nowcast.py: only realization 1 explains the reports of 06:00
    (ESS ~1 of 3), so the ancestor builder gets the prior's weights then, draws realization 1 four times,
    and the restarted generation (copies of it) carries the pool."""
    from sim.rejuvenation import assimilate, pooled_weights
    from tests.unit.test_nowcast import TIMES, reports, toy_dataset

    obs = reports(tmp_path, "2026-01-29T06:00,A,200,,\n2026-01-29T06:00,B,100,,\n2026-01-29T12:00,A,200,,\n")
    seen = []

    def ancestors(at, w, sizes):
        seen.append((np.datetime64(at, "ns"), w.copy(), list(sizes)))
        return ancestor_warm_start(np.datetime64(at, "ns"), 6.0, resample_ancestors(w, sizes, 1, len(sizes), 4))

    def restart(g, warm):
        return toy_dataset().isel(realization=warm.ancestors[:, 1]).assign_coords(realization=np.arange(4))

    result = assimilate(toy_dataset(), obs, NowcastConfig(), 6, restart=restart, ancestors=ancestors)
    assert len(seen) == 1 and seen[0][0] == np.datetime64(TIMES[1], "ns") and seen[0][2] == [3]
    t = obs.table["time"].to_numpy("datetime64[ns]")
    np.testing.assert_allclose(seen[0][1], pooled_weights(result.generations[:1], t, TIMES[1])[0])
    assert result.generations[1].warm.ancestors.tolist() == [[0, 1]] * 4
    assert "4 realizations restarted from 1 resampled history" in result.status
