"""Unit tests of the strike campaign (sim.threat): policies and common random numbers."""

from __future__ import annotations

import copy
from functools import lru_cache

import numpy as np
import pandas as pd
import pytest
from omegaconf import OmegaConf

from sim.city import build_city
from sim.config import AttacksConfig, CityConfig
from sim.config.attacks import validate_attacks_config
from sim.config.load import load_option
from sim.errors import ConfigError
from sim.network import build_network
from sim.threat import POLICIES, make_campaign, other_alerts
from sim.timegrid import TimeGrid
from tests.conftest import ROOT

GRID = TimeGrid.from_config("2026-01-29T00:00", 21, 60)


@lru_cache
def _net():
    cfg = OmegaConf.merge(OmegaConf.structured(CityConfig), OmegaConf.load(ROOT / "configs/city/kyiv.yaml"))
    return build_network(build_city(cfg), cfg.grid)


@lru_cache
def _option(policy: str):
    """``load_option("attacks", policy)``, composed once per policy: never changed (callers take a copy)."""
    return load_option("attacks", policy)


def _attacks(policy: str, **over):
    cfg = copy.deepcopy(_option(policy))  # its own flags; the parent it keeps (the composed config) is unchanged
    OmegaConf.set_struct(cfg, False)  # keys added as a user adds them with `+key=value` on the command line
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
    assert set(c.hits["damage"]) <= {"light", "moderate", "severe", "destroyed"}


def test_pause_week_is_continued_without_the_pause():
    """Common random numbers: outside the pause the waves and hits are identical (DESIGN, Randomness); with
    damage escalation off, so that the damage of a hit does not depend on the hits before it."""
    cont = _campaign("continued", n=30, damage_escalation_prob=0.0)
    pause = _campaign("pause_week", n=30, damage_escalation_prob=0.0)
    lo, hi = 0.0, 7 * 24.0
    assert not ((pause.waves["time_h"] >= lo) & (pause.waves["time_h"] < hi)).any()
    outside = cont.waves[(cont.waves["time_h"] < lo) | (cont.waves["time_h"] >= hi)].reset_index(drop=True)
    cols = [c for c in cont.waves.columns if c != "after_pause"]
    pd.testing.assert_frame_equal(outside[cols], pause.waves[cols].reset_index(drop=True))
    h_out = cont.hits[cont.hits["time_h"] >= hi].reset_index(drop=True)
    pd.testing.assert_frame_equal(h_out, pause.hits.reset_index(drop=True))
    assert len(pause.withheld) == ((cont.waves["time_h"] >= lo) & (cont.waves["time_h"] < hi)).sum()


def test_with_escalation_a_pause_only_spares_damage_for_the_memory():
    """With escalation (the default), the hits after a pause are the same nodes from the same random numbers;
    only their damage may be lighter (fewer recent hits), and only within damage_memory_days (14 d)."""
    cont, pause = _campaign("continued", n=40), _campaign("pause_week", n=40)
    h_out = cont.hits[cont.hits["time_h"] >= 7 * 24.0].reset_index(drop=True)
    h_p = pause.hits.reset_index(drop=True)
    same = [c for c in h_out.columns if c not in ("damage", "repair_h", "unit_repair_h", "needs_transformer")]
    pd.testing.assert_frame_equal(h_out[same], h_p[same])
    order = {"light": 0, "moderate": 1, "severe": 2, "destroyed": 3}
    lv_c, lv_p = h_out["damage"].map(order), h_p["damage"].map(order)
    assert (lv_p <= lv_c).all() and (lv_p < lv_c).any()
    assert (h_out.loc[lv_p < lv_c, "time_h"] < (7 + 14) * 24.0).all()


def test_pause_then_surge_differs_only_in_the_first_wave_after_the_pause():
    pause = _campaign("pause_week", n=30, damage_escalation_prob=0.0)
    surge = _campaign("pause_then_surge", n=30, damage_escalation_prob=0.0)
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
        validate_attacks_config(OmegaConf.merge(OmegaConf.structured(AttacksConfig), over))


def test_waves_policy_draws_the_listed_waves():
    waves = [{"day": 12.2, "drones": 339, "missiles": 34}, {"day": 1.2, "drones": 242, "missiles": 36},
             {"day": 30.0, "drones": 500, "missiles": 50}]
    c = _campaign("waves", n=5, waves=waves)
    assert (c.waves.groupby("realization").size() == 2).all()  # day 30 is beyond the 21-day horizon
    w0 = c.waves[c.waves["realization"] == 0]
    assert w0["time_h"].tolist() == [1.2 * 24, 12.2 * 24] and w0["drones"].tolist() == [242, 339]
    assert (w0["cruise"] + w0["ballistic"]).tolist() == [36, 34]
    # targeting and damage of list wave k are drawn from the streams of key k, like continued wave k
    cont = _campaign("continued", n=5, first_wave_day=1.2, drones_cv=0.0, missiles_cv=0.0, drones_mean=242,
                     missiles_mean=36)
    h_w = c.hits[(c.hits["wave"] == 0)].reset_index(drop=True)
    h_c = cont.hits[(cont.hits["wave"] == 0)].reset_index(drop=True)
    if len(h_w) and len(h_c) == len(h_w):
        assert h_w["node"].tolist() == h_c["node"].tolist()


def test_explicit_hits_work_with_every_policy():
    hits = [{"node": "Darnytsia CHP", "day": 0.0, "damage": "destroyed"},
            {"node": "SS-Obolonskyi-2", "day": 3.5, "damage": "moderate", "repair_days": 2.0},
            {"node": "CHP-5", "day": 40.0, "damage": "light"}]
    net = _net()
    for policy in POLICIES:
        c = _campaign(policy, n=2, hits=hits)
        ex = c.hits[c.hits["explicit"]]
        assert len(ex) == 2 * 2  # the day-40 hit is beyond the horizon
        d = ex[ex["damage"] == "destroyed"]
        assert (net.nodes.loc[d["node"], "name"] == "Darnytsia CHP").all()
        assert np.isinf(d["repair_h"]).all() and np.isinf(d["unit_repair_h"]).all() and (d["time_h"] == 0).all()
        m = ex[ex["damage"] == "moderate"]
        assert (m["repair_h"] == 48.0).all() and (m["wave"] == -1).all()


def test_unknown_node_name_is_a_one_line_error_naming_the_closest_valid_names():
    with pytest.raises(ConfigError) as e:
        _campaign("continued", n=1, hits=[{"node": "CHP-7", "day": 1.0, "damage": "severe"}])
    msg = str(e.value)
    assert "\n" not in msg and "attacks.hits[0].node" in msg and "'CHP-7'" in msg
    # Kyiv's 341 names are no longer all on the line (input audit): the closest, and where the list is
    assert "CHP-5" in msg and "coldgrid --nodes city=... lists all 341 names" in msg and len(msg) < 300
    with pytest.raises(ConfigError, match=r"attacks.hits\[0\].damage"):
        validate_attacks_config(_attacks("continued", hits=[{"node": "CHP-5", "day": 1.0, "damage": "obliterated"}]))


def test_other_alerts_do_not_depend_on_the_horizon():
    """Regression: the other alerts were drawn from the horizon's length, so common random numbers broke
    between runs of different horizon_days (a 7-day and a 10-day run differed from hour 41)."""
    p = {"alerts_per_day": 0.5, "other_alert_hours": 2.0}
    short, long_ = other_alerts(p, 7, 3, 7 * 24.0), other_alerts(p, 7, 3, 10 * 24.0)
    assert short == [a for a in long_ if a[0] < 7 * 24.0] and len(long_) > len(short) > 0
    a7 = make_campaign(_attacks("continued"), _net(), TimeGrid.from_config("2026-01-29", 7, 60), 4, 7).alerts
    a10 = make_campaign(_attacks("continued"), _net(), TimeGrid.from_config("2026-01-29", 10, 60), 4, 7).alerts
    early = lambda a: a[a["end_h"] < 6 * 24].reset_index(drop=True)  # noqa: E731 - alerts well before the end
    assert len(early(a7)) > 0
    pd.testing.assert_frame_equal(early(a7), early(a10))


def test_damage_escalates_with_the_plants_recent_history():
    all_light = {"damage_probs": {"light": 1.0, "moderate": 0.0, "severe": 0.0}}
    c0 = _campaign("continued", n=30, damage_escalation_prob=0.0, **all_light)
    c1 = _campaign("continued", n=30, damage_escalation_prob=1.0, damage_memory_days=100.0, **all_light)
    own_probs = set(_net().source_table["node"].iloc[:3])  # the CHPs have damage probabilities of their own
    c0h, c1h = (c.hits[~c.hits["node"].isin(own_probs)] for c in (c0, c1))
    assert set(c0h["damage"]) == {"light"}
    h = c1h.sort_values(["realization", "time_h"])
    first = ~h.duplicated(["realization", "node"])
    assert (h.loc[first, "damage"] == "light").all() and len(h.loc[~first]) > 0
    assert (h.loc[~first, "damage"] == "moderate").all()  # one step up per hit within the memory


def test_plants_have_their_own_damage_and_units():
    net = _net()
    c = _campaign("continued", n=200)
    names = net.nodes["name"].to_numpy()
    destroyed = c.hits[c.hits["damage"] == "destroyed"]
    assert len(destroyed) > 0 and set(names[destroyed["node"]]) == {"Darnytsia CHP"}  # only it can be
    units = net.unit_table
    src = c.hits[c.hits["node_kind"].isin(["chp", "boiler"]) & (c.hits["damage"] != "destroyed")]
    own = net.nodes.loc[src["node"], "heat_source"].to_numpy()
    assert (units.loc[src["unit"], "source"].to_numpy() == own).all()
    assert (src.loc[src["node_kind"] == "chp", "unit_repair_h"] > 0).all()
    assert (src.loc[src["node_kind"] == "boiler", "unit_repair_h"] == 0).all()
    assert (c.hits.loc[~c.hits["node_kind"].isin(["chp", "boiler"]), "unit"] == -1).all()


def test_each_wave_has_a_focus_drawn_with_the_configured_probabilities():
    """attacks.focus: heat generation 0.5, transmission 0.25, mixed 0.25 (A3: of the four waves on Kyiv
    reported, two hit heat generation, one the 750/330 kV substations, one a plant among other targets).
    Over ~950 waves each share is within 4 binomial standard errors of its probability."""
    c = _campaign("continued", n=200)
    share = c.waves["focus"].value_counts(normalize=True)
    n = len(c.waves)
    for name, p in {"heat_generation": 0.5, "transmission": 0.25, "mixed": 0.25}.items():
        assert abs(share[name] - p) < 4 * np.sqrt(p * (1 - p) / n), (name, share[name])


def test_the_focus_sets_what_a_wave_hits():
    """A heat-generation wave hits the CHPs far more often than a mixed one; a transmission wave the
    750/330 kV substations (the target weights of its focus over the base weights)."""
    c = _campaign("continued", n=200)
    hits = c.hits.merge(c.waves[["realization", "wave", "focus"]], on=["realization", "wave"])
    per_wave = hits.groupby(["focus", "node_kind"]).size().unstack(fill_value=0)
    per_wave = per_wave.div(c.waves["focus"].value_counts(), axis=0)
    assert per_wave.loc["heat_generation", "chp"] > 4 * per_wave.loc["mixed", "chp"]
    assert per_wave.loc["transmission", "transmission"] > 3 * per_wave.loc["mixed", "transmission"]
    assert per_wave.loc["heat_generation", "chp"] <= 3  # three plants, drawn without replacement


def test_the_focus_of_a_wave_is_common_to_all_scenarios():
    """CRN: the focus is drawn from its own stream keyed by the wave, so a pause changes no wave's aim."""
    cont, pause = _campaign("continued", n=30), _campaign("pause_week", n=30)
    key = ["realization", "wave"]
    both = cont.waves[[*key, "focus"]].merge(pause.waves[[*key, "focus"]], on=key, suffixes=("_c", "_p"))
    assert len(both) == len(pause.waves) and (both["focus_c"] == both["focus_p"]).all()


def test_a_given_focus_overrides_the_draw():
    c = _campaign("continued", n=20, wave_focus="transmission")
    assert (c.waves["focus"] == "transmission").all()
    waves = [{"day": 1.0, "drones": 300, "missiles": 30, "focus": "mixed"}, {"day": 3.0, "drones": 300, "missiles": 30}]
    w = _campaign("waves", n=50, waves=waves).waves
    assert (w.loc[w["wave"] == 0, "focus"] == "mixed").all()
    assert w.loc[w["wave"] == 1, "focus"].nunique() > 1  # drawn
    assert (_campaign("single_wave", n=5).waves["focus"] == "heat_generation").all()  # the 20 Jan wave (A3)
    att = _attacks("continued")
    att.focus = {}  # an empty table (attacks.focus={}): every wave takes the base weights, as before focus
    assert (make_campaign(att, _net(), GRID, 5, 7).waves["focus"] == "").all()


@pytest.mark.parametrize(
    ("over", "key"),
    [({"wave_focus": "power_plants"}, "attacks.wave_focus"),
     ({"waves": [{"day": 1.0, "drones": 1, "missiles": 1, "focus": "dams"}]}, r"attacks.waves\[0\].focus"),
     ({"focus": {"heat_generation": {"prob": -1.0}}}, "attacks.focus.heat_generation.prob"),
     ({"focus": {"heat_generation": {"target_weights": {"dam": 3.0}}}}, "attacks.focus.heat_generation.target_weights.dam")],
)
def test_bad_focus_names_the_key(over, key):
    with pytest.raises(ConfigError, match=key):
        validate_attacks_config(_attacks("continued", **over))
