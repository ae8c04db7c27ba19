"""Unit tests of the strike campaign (sim.threat): policies and common random numbers."""

from __future__ import annotations

from functools import lru_cache

import numpy as np
import pandas as pd
import pytest
from omegaconf import OmegaConf

from sim.city import build_city
from sim.config import AttacksConfig, CityConfig
from sim.config.load import load_option
from sim.des.network import build_network
from sim.errors import ConfigError
from sim.threat import POLICIES, make_campaign
from sim.timegrid import TimeGrid
from tests.conftest import ROOT

GRID = TimeGrid.from_config("2026-01-29T00:00", 21, 60)


@lru_cache
def _net():
    cfg = OmegaConf.merge(OmegaConf.structured(CityConfig), OmegaConf.load(ROOT / "configs/city/kyiv.yaml"))
    return build_network(build_city(cfg), cfg.grid)


def _attacks(policy: str, **over):
    cfg = load_option("attacks", policy)
    return OmegaConf.merge(cfg, over)


def _campaign(policy: str, n=20, seed=7, **over):
    return make_campaign(_attacks(policy, **over), _net(), GRID, n, seed)


@pytest.mark.parametrize("policy", POLICIES)
def test_every_policy_config_runs(policy):
    c = _campaign(policy, n=3)
    assert c.policy == policy
    assert set(c.waves.columns) >= {"realization", "wave", "time_h", "drones", "n_hits", "surge"}
    assert set(c.hits.columns) >= {"realization", "wave", "node", "node_kind", "damage", "repair_h"}
    assert (c.waves["time_h"] < GRID.horizon_h).all()


def test_same_seed_same_campaign_other_seed_differs():
    a, b, c = _campaign("continued"), _campaign("continued"), _campaign("continued", seed=8)
    pd.testing.assert_frame_equal(a.waves, b.waves)
    pd.testing.assert_frame_equal(a.hits, b.hits)
    assert not a.waves["time_h"].equals(c.waves["time_h"])


def test_continued_rate_and_size_follow_calibration():
    c = _campaign("continued", n=200)
    per_real = c.waves.groupby("realization").size().reindex(range(200), fill_value=0)
    # calibration A3: a wave on Kyiv every ~4.5 days -> ~4.7 waves in 21 days
    assert 3.5 < per_real.mean() < 5.5
    assert 330 < c.waves["drones"].mean() < 450  # A3: 339-450 drones
    leak = 1 - c.waves["drones_intercepted"].sum() / c.waves["drones"].sum()
    assert 0.05 < leak < 0.11  # A3/A4: 90-93 % of drones intercepted
    assert set(c.hits["damage"]) <= {"light", "moderate", "severe"}


def test_pause_week_is_continued_without_the_pause():
    """Common random numbers: outside the pause the waves and hits are identical (DESIGN, Randomness)."""
    cont, pause = _campaign("continued", n=30), _campaign("pause_week", n=30)
    lo, hi = 0.0, 7 * 24.0
    assert not ((pause.waves["time_h"] >= lo) & (pause.waves["time_h"] < hi)).any()
    outside = cont.waves[(cont.waves["time_h"] < lo) | (cont.waves["time_h"] >= hi)].reset_index(drop=True)
    cols = [c for c in cont.waves.columns if c != "after_pause"]
    pd.testing.assert_frame_equal(outside[cols], pause.waves[cols].reset_index(drop=True))
    h_out = cont.hits[cont.hits["time_h"] >= hi].reset_index(drop=True)
    pd.testing.assert_frame_equal(h_out, pause.hits.reset_index(drop=True))
    assert len(pause.withheld) == ((cont.waves["time_h"] >= lo) & (cont.waves["time_h"] < hi)).sum()


def test_pause_then_surge_differs_only_in_the_first_wave_after_the_pause():
    pause, surge = _campaign("pause_week", n=30), _campaign("pause_then_surge", n=30)
    assert len(pause.waves) == len(surge.waves)
    first = surge.waves["after_pause"].to_numpy()
    assert first.sum() > 0
    same_cols = ["realization", "wave", "time_h"]
    pd.testing.assert_frame_equal(pause.waves[same_cols], surge.waves[same_cols])
    other = ~first & ~pause.waves["after_pause"].to_numpy()
    pd.testing.assert_frame_equal(pause.waves[other].drop(columns="after_pause"),
                                  surge.waves[other].drop(columns="after_pause"))
    s = surge.waves[first]
    assert s["surge"].all() and (s["surge_drones"] > 0).all()
    assert (s["drones"].to_numpy() > pause.waves[first]["drones"].to_numpy()).all()
    # the hits of the base wave are unchanged; the stockpile adds hits
    base = surge.hits[~surge.hits["surge"]].reset_index(drop=True)
    pd.testing.assert_frame_equal(base, pause.hits.reset_index(drop=True))
    assert surge.hits["surge"].sum() > 0


def test_pause_broken_ends_early():
    c = _campaign("pause_broken", n=50)
    t = c.waves["time_h"]
    assert not ((t >= 0) & (t < 3 * 24)).any()
    assert ((t >= 3 * 24) & (t < 7 * 24)).any()


def test_single_wave_none_and_total_heat_loss():
    s = _campaign("single_wave", n=10)
    assert (s.waves.groupby("realization").size() == 1).all()
    assert (s.waves["time_h"] == 1.25 * 24).all() and (s.waves["drones"] == 339).all()
    n = _campaign("none", n=10)
    assert n.waves.empty and n.hits.empty and n.alerts.empty
    t = _campaign("total_heat_loss", n=2)
    assert t.waves.empty
    assert set(t.hits["node"]) == set(_net().heat_sources.tolist())
    assert np.isinf(t.hits["repair_h"]).all() and (t.hits["time_h"] == 0).all()


@pytest.mark.parametrize(
    ("over", "key"),
    [({"policy": "pause_forever"}, "attacks.policy"), ({"weapons_per_hit": 0.5}, "attacks.weapons_per_hit"),
     ({"damage_probs": {"catastrophic": 1.0}}, "attacks.damage_probs"),
     ({"city_energy_frac": 2.0}, "attacks.city_energy_frac")],
)
def test_bad_attacks_config_names_the_key(over, key):
    with pytest.raises(ConfigError, match=key):
        make_campaign(OmegaConf.merge(OmegaConf.structured(AttacksConfig), over), _net(), GRID, 1, 0)
