"""The threat: strike campaigns on the city's energy system, as flat tables of waves and hits.

A campaign is drawn per realization in two steps so that scenarios share their random numbers (common
random numbers, DESIGN "Randomness"):

1. the *continued* wave sequence: gamma-distributed intervals between waves on the city
   (``wave_timing`` stream of the realization), and for wave ``k`` its size and interception
   (``wave_size`` stream keyed by ``k``), its targets (``targeting``, keyed by ``k``) and the damage and
   repair time of each hit (``damage``, keyed by ``k``);
2. the policy as a filter or modifier: ``pause_week`` / ``pause_broken`` drop the waves in
   ``[pause_start_day, pause_start_day + pause_days)``; ``pause_then_surge`` also adds the withheld
   weapons x ``surge_stockpile_frac`` to the first wave after the pause (drawn from the ``surge`` stream,
   so the base part of that wave is unchanged); ``single_wave`` is one wave of given size;
   ``total_heat_loss`` fails every district-heat source at t = 0 for good; ``none`` has no waves.

So ``pause_week`` and ``continued`` with the same seed have identical waves outside the pause, and
``pause_then_surge`` differs from ``pause_week`` only in the first wave after the pause.

Weapons that leak through air defence (by type: drones, cruise and ballistic missiles, calibration
A3/A4) are aimed at the city's energy with probability ``city_energy_frac`` (A6, a scenario parameter);
each aimed weapon damages a node with probability ``1 / weapons_per_hit``; nodes are drawn without
replacement with weights by node kind; damage levels and lognormal repair times by kind and level.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from sim.des.network import Network
from sim.errors import ConfigError
from sim.rng import stream
from sim.timegrid import TimeGrid

POLICIES = ("continued", "pause_week", "pause_then_surge", "pause_broken", "single_wave", "total_heat_loss", "none")
DAMAGE_LEVELS = ("light", "moderate", "severe")
#: Node kinds whose severe damage needs a large transformer (calibration B5).
TRANSFORMER_KINDS = ("transmission", "substation")

WAVE_COLUMNS = (
    "realization", "wave", "time_h", "drones", "cruise", "ballistic", "drones_intercepted",
    "cruise_intercepted", "ballistic_intercepted", "aimed", "n_hits", "after_pause", "surge",
    "surge_drones", "surge_missiles",
)
HIT_COLUMNS = (
    "realization", "wave", "time_h", "node", "node_kind", "damage", "repair_h", "needs_transformer", "surge",
)
ALERT_COLUMNS = ("realization", "start_h", "end_h", "wave")


@dataclass(frozen=True)
class Campaign:
    """Strike waves, node hits and air-raid alerts for every realization (flat tables).

    Attributes
    ----------
    policy : str
        The policy (:data:`POLICIES`).
    n_realizations : int
    waves : pandas.DataFrame
        One row per wave on the city (:data:`WAVE_COLUMNS`): ``wave`` is the index in the continued
        sequence (the CRN key), ``time_h`` hours since start, weapons launched and intercepted by type,
        ``aimed`` weapons aimed at the city's energy, ``n_hits``, ``after_pause`` (first wave after a
        pause), ``surge`` (it carries a stockpile) with ``surge_drones`` / ``surge_missiles``.
    hits : pandas.DataFrame
        One row per damaged node (:data:`HIT_COLUMNS`): ``damage`` level, ``repair_h`` work drawn [h]
        (inf: never repaired), ``needs_transformer`` (severe damage of a substation), ``surge`` (a hit of
        the stockpile). ``wave`` is -1 for the failures of ``total_heat_loss``.
    withheld : pandas.DataFrame
        The waves a pause removed (same columns as ``waves``, no hits); for the record.
    alerts : pandas.DataFrame
        Air-raid alerts (:data:`ALERT_COLUMNS`), merged where they overlap; ``wave`` -1 for other alerts.
    """

    policy: str
    n_realizations: int
    waves: pd.DataFrame
    hits: pd.DataFrame
    withheld: pd.DataFrame
    alerts: pd.DataFrame
    params: dict = field(default_factory=dict)


def _plain_dict(d) -> dict:
    try:
        from omegaconf import DictConfig, OmegaConf

        if isinstance(d, DictConfig):
            return OmegaConf.to_container(d, resolve=True)
    except ImportError:  # pragma: no cover
        pass
    return dict(d or {})


def _check(cfg, net: Network) -> dict:
    """Validate the attacks config; return plain parameters."""
    policy = str(cfg.policy)
    if policy not in POLICIES:
        raise ConfigError(f"attacks.policy: unknown policy {policy!r}; valid: {', '.join(POLICIES)}")
    p = {k: cfg[k] for k in cfg} if not hasattr(cfg, "__dataclass_fields__") else dict(cfg.__dict__)
    for key in ("mean_interval_days", "interval_shape", "weapons_per_hit"):
        if not float(p[key]) > 0:
            raise ConfigError(f"attacks.{key} must be > 0, got {p[key]}")
    if float(p["weapons_per_hit"]) < 1.0:
        raise ConfigError(f"attacks.weapons_per_hit must be >= 1, got {p['weapons_per_hit']}")
    for key in ("drones_mean", "missiles_mean", "drones_cv", "missiles_cv", "alert_hours", "alert_lead_h",
                "alerts_per_day", "other_alert_hours", "pause_days", "surge_stockpile_frac", "repair_sigma",
                "drones", "missiles"):
        if float(p[key]) < 0:
            raise ConfigError(f"attacks.{key} must be >= 0, got {p[key]}")
    for key in ("ballistic_frac", "intercept_drone_prob", "intercept_cruise_prob", "intercept_ballistic_prob",
                "city_energy_frac"):
        if not 0.0 <= float(p[key]) <= 1.0:
            raise ConfigError(f"attacks.{key} must be in [0, 1], got {p[key]}")
    kinds = set(net.nodes["kind"])
    tw = {str(k): float(v) for k, v in _plain_dict(p["target_weights"]).items()}
    for k, v in tw.items():
        if k not in kinds and k not in ("chp", "boiler", "transmission", "substation", "feeder"):
            raise ConfigError(f"attacks.target_weights.{k}: unknown node kind")
        if v < 0:
            raise ConfigError(f"attacks.target_weights.{k} must be >= 0, got {v}")
    dp = {str(k): float(v) for k, v in _plain_dict(p["damage_probs"]).items()}
    for k, v in dp.items():
        if k not in DAMAGE_LEVELS:
            raise ConfigError(f"attacks.damage_probs.{k}: unknown damage level; valid: {', '.join(DAMAGE_LEVELS)}")
        if v < 0:
            raise ConfigError(f"attacks.damage_probs.{k} must be >= 0, got {v}")
    if sum(dp.values()) <= 0:
        raise ConfigError("attacks.damage_probs: probabilities sum to zero")
    rm = {str(k): {str(lv): float(h) for lv, h in dict(v).items()}
          for k, v in _plain_dict(p["repair_median_h"]).items()}
    for k, w in tw.items():
        if w > 0 and k in kinds:
            for lv, prob in dp.items():
                if prob > 0 and not rm.get(k, {}).get(lv, 0) > 0:
                    raise ConfigError(f"attacks.repair_median_h.{k}.{lv}: missing or not > 0")
    p.update(policy=policy, target_weights=tw, damage_probs=dp, repair_median_h=rm)
    if p["first_wave_day"] is not None and float(p["first_wave_day"]) < 0:
        raise ConfigError(f"attacks.first_wave_day must be >= 0, got {p['first_wave_day']}")
    return p


def _gamma_count(rng: np.random.Generator, mean: float, cv: float) -> int:
    """An integer count with the given mean and coefficient of variation (gamma, rounded)."""
    if mean <= 0:
        return 0
    if cv <= 0:
        return round(mean)
    shape = 1.0 / cv**2
    return round(rng.gamma(shape, mean / shape))


class _Drawer:
    """Draws the parts of a wave from the streams of one realization."""

    def __init__(self, p: dict, net: Network, seed: int, realization: int) -> None:
        self.p, self.seed, self.r = p, seed, realization
        kinds = net.nodes["kind"].to_numpy()
        w = np.array([p["target_weights"].get(k, 0.0) for k in kinds], dtype=float)
        self.weights = w
        self.kinds = kinds
        levels = [lv for lv in DAMAGE_LEVELS if p["damage_probs"].get(lv, 0.0) > 0]
        probs = np.array([p["damage_probs"][lv] for lv in levels])
        self.levels, self.level_probs = levels, probs / probs.sum()

    def size(self, k: int, drones: int | None = None, missiles: int | None = None) -> dict:
        p = self.p
        rng = stream(self.seed, "wave_size", self.r, k)
        if drones is None:
            drones = _gamma_count(rng, float(p["drones_mean"]), float(p["drones_cv"]))
            missiles = _gamma_count(rng, float(p["missiles_mean"]), float(p["missiles_cv"]))
            ballistic = int(rng.binomial(missiles, float(p["ballistic_frac"])))
        else:
            ballistic = round(missiles * float(p["ballistic_frac"]))
        return self._intercept(rng, drones, missiles - ballistic, ballistic)

    def _intercept(self, rng, drones: int, cruise: int, ballistic: int) -> dict:
        p = self.p
        di = int(rng.binomial(drones, float(p["intercept_drone_prob"])))
        ci = int(rng.binomial(cruise, float(p["intercept_cruise_prob"])))
        bi = int(rng.binomial(ballistic, float(p["intercept_ballistic_prob"])))
        leak = (drones - di) + (cruise - ci) + (ballistic - bi)
        aimed = int(rng.binomial(leak, float(p["city_energy_frac"])))
        n_hits = int(rng.binomial(aimed, 1.0 / float(p["weapons_per_hit"])))
        return {"drones": drones, "cruise": cruise, "ballistic": ballistic, "drones_intercepted": di,
                "cruise_intercepted": ci, "ballistic_intercepted": bi, "aimed": aimed, "n_hits": n_hits}

    def hits(self, k: int, t_h: float, n_hits: int, process: tuple[str, str], exclude=()) -> list[tuple]:
        """``n_hits`` distinct nodes with damage and repair time; ``process`` names the two streams."""
        w = self.weights.copy()
        if len(exclude):
            w[list(exclude)] = 0.0
        n = min(n_hits, int((w > 0).sum()))
        if n <= 0:
            return []
        t_rng = stream(self.seed, process[0], self.r, k)
        d_rng = stream(self.seed, process[1], self.r, k)
        nodes = t_rng.choice(len(w), size=n, replace=False, p=w / w.sum())
        lv_idx = d_rng.choice(len(self.levels), size=n, p=self.level_probs)
        z = d_rng.standard_normal(n)
        out = []
        sigma = float(self.p["repair_sigma"])
        for node, li, zi in zip(nodes, lv_idx, z, strict=True):
            kind = str(self.kinds[node])
            level = self.levels[li]
            median = self.p["repair_median_h"][kind][level]
            out.append((self.r, k, t_h, int(node), kind, level, float(median * math.exp(sigma * zi)),
                        level == "severe" and kind in TRANSFORMER_KINDS, process[0] == "surge"))
        return out


def _continued_times(p: dict, seed: int, r: int, horizon_h: float) -> list[float]:
    """Times of the continued wave sequence [h] (CRN: the k-th draw does not depend on the horizon)."""
    rng = stream(seed, "wave_timing", r)
    shape = float(p["interval_shape"])
    scale_h = float(p["mean_interval_days"]) * 24.0 / shape
    if p["first_wave_day"] is not None:
        t = float(p["first_wave_day"]) * 24.0
        rng.gamma(shape, scale_h)  # keep the stream aligned with the drawn case
    else:
        t = rng.gamma(shape, scale_h) * rng.uniform()  # an approximately stationary start
    times = []
    while t < horizon_h:
        times.append(t)
        t += rng.gamma(shape, scale_h)
    return times


def _alerts(p: dict, seed: int, r: int, horizon_h: float, waves: list[dict]) -> list[tuple]:
    rng = stream(seed, "alerts", r)
    spans = [(max(0.0, w["time_h"] - float(p["alert_lead_h"])),
              w["time_h"] - float(p["alert_lead_h"]) + float(p["alert_hours"]), w["wave"]) for w in waves
             if float(p["alert_hours"]) > 0]
    n_other = int(rng.poisson(float(p["alerts_per_day"]) * horizon_h / 24.0))
    starts = rng.uniform(0.0, horizon_h, n_other)
    lengths = rng.exponential(float(p["other_alert_hours"]), n_other) if float(p["other_alert_hours"]) > 0 \
        else np.zeros(n_other)
    spans += [(float(s), float(s + d), -1) for s, d in zip(starts, lengths, strict=True) if d > 0]
    spans.sort()
    merged: list[list] = []
    for s, e, w in spans:
        if merged and s <= merged[-1][2]:
            merged[-1][2] = max(merged[-1][2], e)
            if merged[-1][3] < 0:
                merged[-1][3] = w
        else:
            merged.append([r, s, e, w])
    return [tuple(m) for m in merged]


def make_campaign(attacks_cfg, network: Network, grid: TimeGrid, n_realizations: int, seed: int) -> Campaign:
    """Draw the strike campaign of every realization.

    Parameters
    ----------
    attacks_cfg : AttacksConfig or DictConfig
        The ``attacks`` config group.
    network : Network
        Targets (node ids and kinds).
    grid : TimeGrid
        The horizon.
    n_realizations : int
    seed : int
        The run's seed; streams ``wave_timing``, ``wave_size``, ``targeting``, ``damage``, ``surge`` and
        ``alerts`` of :func:`sim.rng.stream`.

    Returns
    -------
    Campaign
    """
    p = _check(attacks_cfg, network)
    policy = p["policy"]
    horizon_h = grid.horizon_h
    pause = (float(p["pause_start_day"]) * 24.0, (float(p["pause_start_day"]) + float(p["pause_days"])) * 24.0)
    waves: list[dict] = []
    withheld: list[dict] = []
    hits: list[tuple] = []
    alerts: list[tuple] = []
    heat_nodes = network.heat_sources
    for r in range(n_realizations):
        dr = _Drawer(p, network, seed, r)
        w_r: list[dict] = []
        if policy == "total_heat_loss":
            for node in heat_nodes:
                hits.append((r, -1, 0.0, int(node), network.kind_of(int(node)), "destroyed", math.inf, False, False))
        elif policy == "single_wave":
            t = float(p["day"]) * 24.0
            if t < horizon_h:
                w = {"realization": r, "wave": 0, "time_h": t,
                     **dr.size(0, round(float(p["drones"])), round(float(p["missiles"]))),
                     "after_pause": False, "surge": False, "surge_drones": 0, "surge_missiles": 0}
                k_hits = dr.hits(0, t, w["n_hits"], ("targeting", "damage"))
                w["n_hits"] = len(k_hits)
                w_r.append(w)
                hits += k_hits
        elif policy != "none":
            paused = policy in ("pause_week", "pause_then_surge", "pause_broken")
            pending_d = pending_m = 0
            after = False
            for k, t in enumerate(_continued_times(p, seed, r, horizon_h)):
                w = {"realization": r, "wave": k, "time_h": t, **dr.size(k),
                     "after_pause": False, "surge": False, "surge_drones": 0, "surge_missiles": 0}
                if paused and pause[0] <= t < pause[1]:
                    withheld.append(w)
                    pending_d += w["drones"]
                    pending_m += w["cruise"] + w["ballistic"]
                    continue
                k_hits = dr.hits(k, t, w["n_hits"], ("targeting", "damage"))
                if paused and t >= pause[1] and not after:
                    after = w["after_pause"] = True
                    frac = float(p["surge_stockpile_frac"])
                    if policy == "pause_then_surge" and frac > 0 and (pending_d + pending_m) > 0:
                        s_rng = stream(seed, "surge", r, k)
                        sd, sm = round(frac * pending_d), round(frac * pending_m)
                        sb = int(s_rng.binomial(sm, float(p["ballistic_frac"])))
                        extra = dr._intercept(s_rng, sd, sm - sb, sb)
                        w.update(surge=True, surge_drones=sd, surge_missiles=sm)
                        for key in ("drones", "cruise", "ballistic", "drones_intercepted", "cruise_intercepted",
                                    "ballistic_intercepted", "aimed", "n_hits"):
                            w[key] += extra[key]
                        k_hits += dr.hits(k, t, extra["n_hits"], ("surge", "surge_damage"),
                                          exclude=[h[3] for h in k_hits])
                w["n_hits"] = len(k_hits)
                w_r.append(w)
                hits += k_hits
        waves += w_r
        alerts += _alerts(p, seed, r, horizon_h, w_r)

    def frame(rows, columns) -> pd.DataFrame:
        return pd.DataFrame(rows, columns=list(columns)) if rows else pd.DataFrame(
            {c: pd.Series(dtype=object if c in ("node_kind", "damage") else float) for c in columns})

    waves_df = pd.DataFrame(waves, columns=list(WAVE_COLUMNS)) if waves else frame([], WAVE_COLUMNS)
    withheld_df = pd.DataFrame(withheld, columns=list(WAVE_COLUMNS)) if withheld else frame([], WAVE_COLUMNS)
    hits_df = frame(hits, HIT_COLUMNS)
    alerts_df = frame(alerts, ALERT_COLUMNS)
    for df in (waves_df, withheld_df, hits_df, alerts_df):
        for c in ("realization", "wave", "node"):
            if c in df:
                df[c] = df[c].astype(np.int64)
    return Campaign(policy=policy, n_realizations=n_realizations, waves=waves_df, hits=hits_df,
                    withheld=withheld_df, alerts=alerts_df, params=p)
