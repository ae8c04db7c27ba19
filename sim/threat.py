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
   so the base part of that wave is unchanged); ``single_wave`` is one wave of given size; ``waves`` is
   the list ``attacks.waves`` (a hindcast: wave ``k`` of the list is drawn from the streams of key ``k``);
   ``total_heat_loss`` fails every district-heat source at t = 0 for good; ``none`` has no waves.

So ``pause_week`` and ``continued`` with the same seed have identical waves outside the pause, and
``pause_then_surge`` differs from ``pause_week`` only in the first wave after the pause.

Weapons that leak through air defence (by type: drones, cruise and ballistic missiles, calibration
A3/A4) are aimed at the city's energy with probability ``city_energy_frac`` (A6, a scenario parameter);
each aimed weapon damages a node with probability ``1 / weapons_per_hit``; nodes are drawn without
replacement with weights by node kind. The damage level is drawn by node (a heat source may have its own
``damage_probs``, e.g. an old plant) and by its history: each earlier hit on the same node in the run
within ``damage_memory_days`` raises the level one step with probability ``damage_escalation_prob`` (up to
severe; ``destroyed`` only where a node's own ``damage_probs`` give it a probability, or explicitly). A hit on a heat source strikes one of its units (drawn by heat capacity): a CHP trips (the
plant restarts after ``repair_h``) and the unit hit stays out for ``unit_repair_h``; a boiler cluster
loses the boiler house hit for ``repair_h``. Repair times are lognormal around medians by kind and level.

Explicit hits (``attacks.hits``: named nodes, a day, a level, optional ``repair_days``) are added to any
policy; a hit at day 0 is a warm start (the run begins with the node down). Air-raid alerts: one around
each wave, plus other alerts as a Poisson process drawn in sequence, so the k-th alert does not depend on
the horizon.
"""

from __future__ import annotations

import logging
import math
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from sim.errors import ConfigError
from sim.network import Network
from sim.network.params import damage_probs as _damage_probs
from sim.network.params import plain
from sim.rng import stream
from sim.timegrid import TimeGrid

log = logging.getLogger(__name__)

POLICIES = ("continued", "pause_week", "pause_then_surge", "pause_broken", "single_wave", "waves",
            "total_heat_loss", "none")
#: Levels a wave's damage draw can give (``destroyed`` also by escalation of a heat source, or explicitly).
DRAWN_LEVELS = ("light", "moderate", "severe")
#: Node kinds whose severe damage needs a large transformer (calibration B5).
TRANSFORMER_KINDS = ("transmission", "substation")
#: Node kinds made of units (a hit strikes one unit).
SOURCE_KINDS = ("chp", "boiler")

WAVE_COLUMNS = (
    "realization", "wave", "time_h", "focus", "drones", "cruise", "ballistic", "drones_intercepted",
    "cruise_intercepted", "ballistic_intercepted", "aimed", "n_hits", "after_pause", "surge",
    "surge_drones", "surge_missiles",
)
HIT_COLUMNS = (
    "realization", "wave", "time_h", "node", "node_kind", "damage", "repair_h", "needs_transformer", "surge",
    "unit", "unit_repair_h", "explicit",
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
        (inf: never repaired; a CHP's plant restart, a boiler cluster's house, another node's repair),
        ``needs_transformer`` (severe damage of a substation), ``surge`` (a hit of the stockpile),
        ``unit`` (index into the network's unit table of the unit struck; -1: not a source, or every
        unit when destroyed), ``unit_repair_h`` (a CHP unit's own repair [h]; 0 otherwise), ``explicit``
        (from ``attacks.hits``). ``wave`` is -1 for the failures of ``total_heat_loss`` and explicit hits.
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


def _plain_dict(d: Any) -> dict:
    return dict(plain(d) or {})


def _waves(raw: Any) -> list[dict[str, Any]]:
    """``attacks.waves`` as plain dicts sorted by day."""
    out = [{"day": float(w.get("day", 0.0)), "drones": float(w.get("drones", 0.0)),
            "missiles": float(w.get("missiles", 0.0)), "focus": None if w.get("focus") is None else str(w["focus"])}
           for w in plain(raw) or []]
    return sorted(out, key=lambda w: w["day"])


def _focus(raw: Any) -> dict[str, dict[str, Any]]:
    """The focus table: name -> {prob (normalized), target_weights (kind -> weight)}."""
    out: dict[str, dict[str, Any]] = {
        str(name): {"prob": float(f.get("prob", 0.0)), "target_weights": _weights(f.get("target_weights"))}
        for name, f in _plain_dict(raw).items()
    }
    total = sum(f["prob"] for f in out.values())
    for f in out.values():
        f["prob"] /= total
    return out


def _weights(raw: Any) -> dict[str, float]:
    return {str(k): float(v) for k, v in _plain_dict(raw).items()}


def _hits(raw: Any, net: Network) -> list[dict[str, Any]]:
    """``attacks.hits`` with node ids. The node names are checked here, not in :mod:`sim.config.attacks`:
    they are known only once the network is built from the city (run-time data)."""
    out = []
    names = list(net.nodes["name"])
    for i, h in enumerate(plain(raw) or []):
        name = str(h.get("node"))
        try:
            node = net.node_id(name)
        except KeyError:
            raise ConfigError(f"attacks.hits[{i}].node: unknown node {name!r}; " + _node_hint(name, names)) from None
        rd = h.get("repair_days")
        out.append({"node": node, "day": float(h.get("day", 0.0)), "damage": str(h.get("damage", "destroyed")),
                    "repair_days": None if rd is None else float(rd)})
    return out


#: Up to this many node names, an unknown name's message lists them all; beyond, the closest.
LIST_NODES_UP_TO = 30


def _node_hint(name: str, names: list[str]) -> str:
    """What to write instead of an unknown node name: the name in another case, the closest names, or all."""
    import difflib

    same = [n for n in names if n.strip().casefold() == name.strip().casefold()]
    if same:
        return f"did you mean {same[0]!r}? (names are case-sensitive; coldgrid --nodes city=... lists them)"
    if len(names) <= LIST_NODES_UP_TO:
        return "valid (coldgrid --nodes city=...): " + ", ".join(names)
    close = difflib.get_close_matches(name, names, n=5, cutoff=0.5)
    near = f"closest: {', '.join(close)}; " if close else ""
    return f"{near}coldgrid --nodes city=... lists all {len(names)} names"


def _check(cfg: Any, net: Network) -> dict:
    """The attacks config as plain parameters (its values are checked beforehand by
    :func:`sim.config.attacks.validate_attacks_config`; only the hits' node names are checked here)."""
    p = {k: cfg[k] for k in cfg} if not hasattr(cfg, "__dataclass_fields__") else dict(cfg.__dict__)
    p.setdefault("waves", [])
    p.setdefault("hits", [])
    p.setdefault("focus", {})
    p.setdefault("wave_focus", None)
    p.setdefault("damage_escalation_prob", 0.0)
    p.setdefault("damage_memory_days", 14.0)
    p.setdefault("unit_repair_median_h", {"light": 72.0, "moderate": 336.0, "severe": 1440.0})
    focus = _focus(p.get("focus"))
    wave_focus = p.get("wave_focus")
    dp = _damage_probs({str(k): float(v) for k, v in _plain_dict(p["damage_probs"]).items()})
    rm = {str(k): {str(lv): float(h) for lv, h in dict(v).items()}
          for k, v in _plain_dict(p["repair_median_h"]).items()}
    um = {str(k): float(v) for k, v in _plain_dict(p["unit_repair_median_h"]).items()}
    p.update(policy=str(cfg.policy), target_weights=_weights(p["target_weights"]), focus=focus,
             wave_focus=None if wave_focus is None else str(wave_focus), damage_probs=dp, repair_median_h=rm,
             unit_repair_median_h=um, waves=_waves(p["waves"]), hits=_hits(p["hits"], net))
    return p


def _gamma_count(rng: np.random.Generator, mean: float, cv: float) -> int:
    """An integer count with the given mean and coefficient of variation (gamma, rounded)."""
    if mean <= 0:
        return 0
    if cv <= 0:
        return round(mean)
    shape = 1.0 / cv**2
    return round(rng.gamma(shape, mean / shape))


class _Targets:
    """What every realization's draws share: node weights and kinds, level probabilities per node (a heat
    source may have its own), the units of each source (built once per campaign)."""

    def __init__(self, p: dict, net: Network) -> None:
        kinds = net.nodes["kind"].to_numpy()
        base = p["target_weights"]
        self.weights = np.array([base.get(k, 0.0) for k in kinds], dtype=float)
        #: the node weights of each focus (its target weights over the base ones)
        self.focus_weights = {name: np.array([{**base, **f["target_weights"]}.get(k, 0.0) for k in kinds],
                                             dtype=float) for name, f in p["focus"].items()}
        self.focus_names = list(p["focus"])
        self.focus_cum = np.cumsum([f["prob"] for f in p["focus"].values()])
        self.kinds = kinds
        self.levels = [*list(DRAWN_LEVELS), "destroyed"]
        base = np.array([p["damage_probs"].get(lv, 0.0) for lv in self.levels])
        self.level_probs = np.tile(base, (len(kinds), 1))
        src_of_node = net.nodes["heat_source"].to_numpy()
        for i, s in enumerate(net.params.get("heat_sources", [])):
            if s.get("damage_probs"):
                node = int(net.source_table["node"].iloc[i])
                self.level_probs[node] = [s["damage_probs"].get(lv, 0.0) for lv in self.levels]
        self.level_cum = np.cumsum(self.level_probs, axis=1)
        self.is_source = np.isin(kinds, SOURCE_KINDS) & (src_of_node >= 0)
        self.source_of = src_of_node
        unit_source = net.unit_table["source"].to_numpy()
        self.units_of = {int(h): np.flatnonzero(unit_source == h) for h in np.unique(unit_source)}
        self.unit_heat = net.unit_table["heat_mw"].to_numpy(float)


class _Drawer:
    """Draws the parts of a wave from the streams of one realization; remembers the nodes it hit."""

    def __init__(self, p: dict, targets: _Targets, seed: int, realization: int) -> None:
        self.p, self.seed, self.r = p, seed, realization
        tg = self.targets = targets
        self.weights, self.kinds, self.levels = tg.weights, tg.kinds, tg.levels
        self.level_probs, self.level_cum = tg.level_probs, tg.level_cum
        self.is_source, self.source_of, self.units_of, self.unit_heat = (
            tg.is_source, tg.source_of, tg.units_of, tg.unit_heat)
        self.history: dict[int, list[float]] = {}  # node -> times of its recent hits in this realization [h]

    def size(self, k: int, drones: int | None = None, missiles: int | None = None) -> dict:
        p = self.p
        rng = stream(self.seed, "wave_size", self.r, k)
        if drones is None:
            drones = _gamma_count(rng, float(p["drones_mean"]), float(p["drones_cv"]))
            missiles = _gamma_count(rng, float(p["missiles_mean"]), float(p["missiles_cv"]))
            ballistic = int(rng.binomial(missiles, float(p["ballistic_frac"])))
        else:
            if missiles is None:
                raise ValueError("_Drawer.size: give missiles with drones")
            ballistic = round(missiles * float(p["ballistic_frac"]))
        return self._intercept(rng, drones, missiles - ballistic, ballistic)

    def _intercept(self, rng: np.random.Generator, drones: int, cruise: int, ballistic: int) -> dict:
        p = self.p
        di = int(rng.binomial(drones, float(p["intercept_drone_prob"])))
        ci = int(rng.binomial(cruise, float(p["intercept_cruise_prob"])))
        bi = int(rng.binomial(ballistic, float(p["intercept_ballistic_prob"])))
        leak = (drones - di) + (cruise - ci) + (ballistic - bi)
        aimed = int(rng.binomial(leak, float(p["city_energy_frac"])))
        n_hits = int(rng.binomial(aimed, 1.0 / float(p["weapons_per_hit"])))
        return {"drones": drones, "cruise": cruise, "ballistic": ballistic, "drones_intercepted": di,
                "cruise_intercepted": ci, "ballistic_intercepted": bi, "aimed": aimed, "n_hits": n_hits}

    def focus(self, k: int, given: str | None = None) -> str:
        """The focus of wave ``k``: ``given``, else ``attacks.wave_focus``, else drawn from the focus table
        (stream ``wave_focus`` keyed by ``k``, so that a wave has the same aim in every scenario). '' when
        the table is empty (the base target weights)."""
        tg = self.targets
        if given is not None:
            return given
        if self.p["wave_focus"] is not None:
            return str(self.p["wave_focus"])
        if not tg.focus_names:
            return ""
        u = stream(self.seed, "wave_focus", self.r, k).random()
        return tg.focus_names[min(int(np.searchsorted(tg.focus_cum, u * tg.focus_cum[-1], side="right")),
                                  len(tg.focus_names) - 1)]

    def hits(self, k: int, t_h: float, n_hits: int, process: tuple[str, str], exclude=(), focus: str = "") -> list[tuple]:
        """``n_hits`` distinct nodes with damage and repair times; ``process`` names the two streams;
        ``focus`` the wave's aim (its target weights; '' the base weights)."""
        w = (self.targets.focus_weights[focus] if focus else self.weights).copy()
        if len(exclude):
            w[list(exclude)] = 0.0
        n = min(n_hits, int((w > 0).sum()))
        if n <= 0:
            return []
        t_rng = stream(self.seed, process[0], self.r, k)
        d_rng = stream(self.seed, process[1], self.r, k)
        nodes = t_rng.choice(len(w), size=n, replace=False, p=w / w.sum())
        u_level = d_rng.random(n)
        z = d_rng.standard_normal(n)
        u_esc = d_rng.random(n)
        u_unit = d_rng.random(n)
        z_unit = d_rng.standard_normal(n)
        out = []
        esc = float(self.p["damage_escalation_prob"])
        for node, ul, zi, ue, uu, zu in zip(nodes, u_level, z, u_esc, u_unit, z_unit, strict=True):
            node = int(node)
            cum = self.level_cum[node]
            li = min(int(np.searchsorted(cum, ul * cum[-1], side="right")), len(cum) - 1)
            memory_h = float(self.p["damage_memory_days"]) * 24.0
            past = [t for t in self.history.get(node, []) if t_h - t < memory_h]
            if li < 2 and ue < min(1.0, esc * len(past)):  # escalation: up to severe (destroyed only as drawn)
                li += 1
            self.history[node] = [*past, t_h]
            out.append(self._hit(k, t_h, node, self.levels[li], zi, uu, zu, None, process[0] == "surge", False))
        return out

    def _hit(self, k: int, t_h: float, node: int, level: str, z: float, u_unit: float, z_unit: float,
             repair_days: float | None, surge: bool, explicit: bool) -> tuple:
        """One hit row: repair of the node and, for a heat source, the unit struck and its repair."""
        kind = str(self.kinds[node])
        sigma = float(self.p["repair_sigma"])
        unit, unit_h = -1, 0.0
        if level == "destroyed":
            repair_h = math.inf
            unit_h = math.inf if kind == "chp" else 0.0
        elif repair_days is not None:
            repair_h = repair_days * 24.0
            unit_h = repair_h if kind == "chp" else 0.0
        else:
            repair_h = float(self.p["repair_median_h"][kind][level] * math.exp(sigma * z))
            if kind == "chp":
                unit_h = float(self.p["unit_repair_median_h"][level] * math.exp(sigma * z_unit))
        if self.is_source[node] and level != "destroyed":
            us = self.units_of.get(int(self.source_of[node]), np.zeros(0, dtype=np.int64))
            if len(us):
                c = np.cumsum(self.unit_heat[us])
                unit = int(us[min(int(np.searchsorted(c, u_unit * c[-1], side="right")), len(us) - 1)])
        return (self.r, k, t_h, node, kind, level, repair_h, level == "severe" and kind in TRANSFORMER_KINDS,
                surge, unit, unit_h, explicit)

    def explicit(self, i: int, hit: dict) -> tuple:
        """Explicit hit ``i`` of ``attacks.hits`` (stream ``explicit_hit`` keyed by ``i``)."""
        rng = stream(self.seed, "explicit_hit", self.r, i)
        z, u, zu = rng.standard_normal(), rng.random(), rng.standard_normal()
        return self._hit(-1, hit["day"] * 24.0, hit["node"], hit["damage"], z, u, zu, hit["repair_days"],
                         False, True)


def _continued_times(p: dict, seed: int, r: int, horizon_h: float, first_h: float | None = None) -> list[float]:
    """Times of the continued wave sequence [h] (CRN: the k-th draw does not depend on the horizon);
    ``first_h`` (not NaN) replaces ``first_wave_day`` for this realization."""
    rng = stream(seed, "wave_timing", r)
    shape = float(p["interval_shape"])
    scale_h = float(p["mean_interval_days"]) * 24.0 / shape
    if first_h is not None and math.isfinite(first_h):
        t = float(first_h)
        rng.gamma(shape, scale_h)  # keep the stream aligned with the drawn case
    elif p["first_wave_day"] is not None:
        t = float(p["first_wave_day"]) * 24.0
        rng.gamma(shape, scale_h)  # keep the stream aligned with the drawn case
    else:
        t = rng.gamma(shape, scale_h) * rng.uniform()  # an approximately stationary start
    times = []
    while t < horizon_h:
        times.append(t)
        t += rng.gamma(shape, scale_h)
    return times


def other_alerts(p: dict, seed: int, r: int, horizon_h: float) -> list[tuple[float, float]]:
    """Other air-raid alerts ``(start_h, end_h)`` of realization ``r``: a Poisson process of rate
    ``alerts_per_day``, drawn in sequence (gap, then length) so the k-th alert does not depend on the
    horizon (common random numbers between runs of different ``horizon_days``)."""
    rate_h = float(p["alerts_per_day"]) / 24.0
    mean_len = float(p["other_alert_hours"])
    if rate_h <= 0 or mean_len <= 0:
        return []
    rng = stream(seed, "alerts", r)
    out: list[tuple[float, float]] = []
    t = 0.0
    while True:
        t += rng.exponential(1.0 / rate_h)
        length = rng.exponential(mean_len)
        if t >= horizon_h:
            return out
        out.append((float(t), float(t + length)))


def _alerts(p: dict, seed: int, r: int, horizon_h: float, waves: list[dict]) -> list[tuple]:
    spans = [(max(0.0, w["time_h"] - float(p["alert_lead_h"])),
              w["time_h"] - float(p["alert_lead_h"]) + float(p["alert_hours"]), w["wave"]) for w in waves
             if float(p["alert_hours"]) > 0]
    spans += [(s, e, -1) for s, e in other_alerts(p, seed, r, horizon_h)]
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


def make_campaign(attacks_cfg: Any, network: Network, grid: TimeGrid, n_realizations: int, seed: int,
                  first_wave_h: np.ndarray | None = None) -> Campaign:
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
        The run's seed; streams ``wave_timing``, ``wave_size``, ``targeting``, ``damage``, ``surge``,
        ``explicit_hit`` and ``alerts`` of :func:`sim.rng.stream`.
    first_wave_h : numpy.ndarray, optional
        Per realization, the time of wave 0 of the continued sequence [h since start], NaN: as
        ``first_wave_day`` says (the ancestor warm start anchors each restarted realization's waves at its
        ancestor's latest wave, :mod:`sim.ancestor_start`).

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
    targets = _Targets(p, network)
    for r in range(n_realizations):
        dr = _Drawer(p, targets, seed, r)
        w_r: list[dict] = []
        if policy == "total_heat_loss":
            for node in heat_nodes:
                hits.append((r, -1, 0.0, int(node), network.kind_of(int(node)), "destroyed", math.inf, False, False,
                             -1, math.inf if network.kind_of(int(node)) == "chp" else 0.0, False))
        elif policy == "waves":
            for k, wv in enumerate(p["waves"]):
                t = wv["day"] * 24.0
                if t >= horizon_h:
                    continue
                w = {"realization": r, "wave": k, "time_h": t, "focus": dr.focus(k, wv["focus"]),
                     **dr.size(k, round(wv["drones"]), round(wv["missiles"])),
                     "after_pause": False, "surge": False, "surge_drones": 0, "surge_missiles": 0}
                k_hits = dr.hits(k, t, w["n_hits"], ("targeting", "damage"), focus=w["focus"])
                w["n_hits"] = len(k_hits)
                w_r.append(w)
                hits += k_hits
        elif policy == "single_wave":
            t = float(p["day"]) * 24.0
            if t < horizon_h:
                w = {"realization": r, "wave": 0, "time_h": t, "focus": dr.focus(0),
                     **dr.size(0, round(float(p["drones"])), round(float(p["missiles"]))),
                     "after_pause": False, "surge": False, "surge_drones": 0, "surge_missiles": 0}
                k_hits = dr.hits(0, t, w["n_hits"], ("targeting", "damage"), focus=w["focus"])
                w["n_hits"] = len(k_hits)
                w_r.append(w)
                hits += k_hits
        elif policy != "none":
            paused = policy in ("pause_week", "pause_then_surge", "pause_broken")
            pending_d = pending_m = 0
            after = False
            first_h = None if first_wave_h is None else float(first_wave_h[r])
            for k, t in enumerate(_continued_times(p, seed, r, horizon_h, first_h)):
                w = {"realization": r, "wave": k, "time_h": t, "focus": dr.focus(k), **dr.size(k),
                     "after_pause": False, "surge": False, "surge_drones": 0, "surge_missiles": 0}
                if paused and pause[0] <= t < pause[1]:
                    withheld.append(w)
                    pending_d += w["drones"]
                    pending_m += w["cruise"] + w["ballistic"]
                    continue
                k_hits = dr.hits(k, t, w["n_hits"], ("targeting", "damage"), focus=w["focus"])
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
                                          exclude=[h[3] for h in k_hits], focus=w["focus"])
                w["n_hits"] = len(k_hits)
                w_r.append(w)
                hits += k_hits
        for i, hit in enumerate(p["hits"]):
            if hit["day"] * 24.0 < horizon_h:
                hits.append(dr.explicit(i, hit))
        waves += w_r
        alerts += _alerts(p, seed, r, horizon_h, w_r)

    def frame(rows, columns) -> pd.DataFrame:
        return pd.DataFrame(rows, columns=list(columns)) if rows else pd.DataFrame(
            {c: pd.Series(dtype=object if c in ("node_kind", "damage", "focus") else bool if c in ("needs_transformer",
             "surge", "explicit", "after_pause") else float) for c in columns})

    waves_df = pd.DataFrame(waves, columns=list(WAVE_COLUMNS)) if waves else frame([], WAVE_COLUMNS)
    withheld_df = pd.DataFrame(withheld, columns=list(WAVE_COLUMNS)) if withheld else frame([], WAVE_COLUMNS)
    hits_df = frame(hits, HIT_COLUMNS)
    alerts_df = frame(alerts, ALERT_COLUMNS)
    for df in (waves_df, withheld_df, hits_df, alerts_df):
        for c in ("realization", "wave", "node", "unit"):
            if c in df:
                df[c] = df[c].astype(np.int64)
    campaign = Campaign(policy=policy, n_realizations=n_realizations, waves=waves_df, hits=hits_df,
                        withheld=withheld_df, alerts=alerts_df, params=p)
    log.debug("threat %s: %d waves and %d hits over %d realizations", policy, len(waves_df), len(hits_df),
              n_realizations)
    return campaign
