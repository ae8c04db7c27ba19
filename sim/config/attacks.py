"""Schema of the ``attacks`` config group: the strike campaign and its policy.

Defaults are the January-February 2026 campaign on Kyiv (``reference/calibration.md``, lines cited as
``A3`` etc.); see ``docs/grid_model.md`` for the model and :mod:`sim.threat` for how they are used.
:func:`validate_attacks_config` checks the values (called by :func:`sim.config.validate.validate`).
"""

from __future__ import annotations

import dataclasses
import math
from dataclasses import dataclass, field
from typing import Any

from sim.config.checks import (
    DAMAGE_LEVELS,
    Plausible,
    check_damage_probs,
    check_plausible,
    is_mapping,
    plain,
    plain_dict,
)
from sim.errors import ConfigError


def _target_weights() -> dict[str, float]:
    # relative weight of ONE node of each kind, the base of every focus (a "mixed" wave has no aim of its
    # own: a plant, a transmission and a city substation are equally likely targets; a boiler-house cluster
    # half as likely, a feeder rarely) [L]
    return {"chp": 1.0, "transmission": 1.0, "substation": 1.0, "boiler": 0.5, "feeder": 0.05}


def _damage_probs() -> dict[str, float]:
    return {"light": 0.45, "moderate": 0.4, "severe": 0.15}  # [L], A6: not published


def _repair_median_h() -> dict[str, dict[str, float]]:
    # work hours of one team by node kind and damage level; light/moderate fitted to B3 (docs/grid_model.md).
    # chp: the restart of the whole plant after a hit (its damaged unit is unit_repair_median_h);
    # boiler: the repair of the boiler house hit (the cluster's other houses keep running)
    return {
        "chp": {"light": 24.0, "moderate": 48.0, "severe": 72.0},  # B1: restart 1 day (CHP-5), 2 days (CHP-6)
        "transmission": {"light": 6.0, "moderate": 48.0, "severe": 312.0},  # B5: 13 days (severe)
        "substation": {"light": 3.0, "moderate": 8.0, "severe": 120.0},  # switching / repair / transformer [L]
        "boiler": {"light": 4.0, "moderate": 12.0, "severe": 120.0},  # [L]
        "feeder": {"light": 3.0, "moderate": 8.0, "severe": 24.0},  # [L]
    }


def _unit_repair_median_h() -> dict[str, float]:
    # work hours until the CHP unit hit (turbine or peak water boiler) is back, by damage level; the rest of
    # the plant is back after its restart (repair_median_h.chp); severe: a month [L] (B4: a destroyed CHP, months)
    return {"light": 72.0, "moderate": 240.0, "severe": 720.0}


@dataclass
class FocusConfig:
    """What a wave aims at: its probability and the target weights (by node kind) that replace the base
    ``target_weights`` for the kinds it names."""

    prob: float = 0.0  # probability that a wave has this focus (the table's probabilities are normalized) [1]
    target_weights: dict[str, float] = field(default_factory=dict)  # node kind -> weight per node


def _focus() -> dict[str, FocusConfig]:
    # what a wave aims at, drawn per wave (A3: of the four waves on Kyiv reported, 20 and 24 Jan hit heat
    # generation, 3 Feb one plant among other targets, 7 Feb the 750/330 kV substations); each focus's
    # target_weights replace the base weights of the kinds it names. The heat-generation CHP weight is
    # fitted to the peak of the 20 Jan wave (B3, docs/grid_model.md); the shares rest on four waves and the
    # transmission weight is an assumption [L]
    return {
        "heat_generation": FocusConfig(prob=0.5, target_weights={"chp": 12.0}),
        "transmission": FocusConfig(prob=0.25, target_weights={"transmission": 8.0}),
        "mixed": FocusConfig(prob=0.25, target_weights={}),
    }


@dataclass
class WaveConfig:
    """One wave of ``attacks=waves``: its day since ``start``, its size (launched nationally) and,
    optionally, its focus (a key of ``attacks.focus``; None: drawn as for any wave)."""

    day: float = 0.0  # days since start [d]
    drones: float = 0.0  # drones launched [drones]
    missiles: float = 0.0  # missiles launched (ballistic_frac of them ballistic) [missiles]
    focus: str | None = None  # the wave's aim, e.g. heat_generation (None: drawn per wave)


@dataclass
class HitConfig:
    """An explicit hit on a named node (``coldgrid --nodes`` lists the names); works with every policy."""

    node: str = "???"  # node name, e.g. "Darnytsia CHP"
    day: float = 0.0  # days since start; 0 is a warm start (the run begins with the node down) [d]
    damage: str = "destroyed"  # light, moderate, severe or destroyed (down for the rest of the run)
    repair_days: float | None = None  # work until the node is back (None: drawn as for a wave's hit) [d]


@dataclass
class AttacksConfig:
    """A strike campaign: wave timing and size, interception, targeting and damage, shaped by ``policy``.

    Policies: ``continued``, ``pause_week``, ``pause_then_surge``, ``pause_broken``, ``single_wave``,
    ``waves`` (the waves listed in ``waves``), ``total_heat_loss``, ``none``. ``hits`` (explicit hits on
    named nodes) add to any policy.
    """

    policy: str = "continued"
    description: str = ""
    # timing: gamma-distributed intervals between waves that reach the city
    mean_interval_days: float = 4.5  # mean days between waves on the city (A3: 20, 24 Jan, 3, 7 Feb) [d]
    interval_shape: float = 2.0  # gamma shape of the interval (1 = Poisson) [-]
    first_wave_day: float | None = None  # fixed day of the first wave (None: drawn) [d]
    # size of a wave (launched nationally)
    drones_mean: float = 390.0  # drones per wave (A3: 339, 375, 450, >400) [drones]
    drones_cv: float = 0.25  # coefficient of variation of drones per wave (A3, A5: up to 800) [1]
    missiles_mean: float = 40.0  # missiles per wave (A3: 34, 21, 71, ~40) [missiles]
    missiles_cv: float = 0.5  # coefficient of variation of missiles per wave [1]
    ballistic_frac: float = 0.35  # share of missiles that are ballistic (A3: 32 of 71 on 3 Feb) [1]
    # interception probabilities by type
    intercept_drone_prob: float = 0.92  # A3: 93 %, 92 %; A4: 90-93 % [1]
    intercept_cruise_prob: float = 0.78  # A3: 79 %, 75 % [1]
    intercept_ballistic_prob: float = 0.6  # A4: 54-67 % [1]
    # share of the leakers that hit the city's energy system, and what they aim at
    city_energy_frac: float = 0.4  # share of leakers aimed at the city's energy (A6: scenario; fit to A3 20 Jan) [1]
    weapons_per_hit: float = 1.6  # unintercepted weapons aimed per damaged node (A6: scenario) [weapons]
    target_weights: dict[str, float] = field(default_factory=_target_weights)  # node kind -> weight per node
    # the aim of each wave, drawn per wave (stream wave_focus keyed by the wave): focus -> {prob, target_weights}
    focus: dict[str, FocusConfig] = field(default_factory=_focus)
    wave_focus: str | None = None  # the focus of every wave (None: drawn per wave from focus) [-]
    damage_probs: dict[str, float] = field(default_factory=_damage_probs)  # damage level -> probability
    repair_median_h: dict[str, dict[str, float]] = field(default_factory=_repair_median_h)  # kind -> level -> [h]
    unit_repair_median_h: dict[str, float] = field(default_factory=_unit_repair_median_h)  # level -> [h]
    repair_sigma: float = 0.5  # lognormal sigma of repair times [-]
    # each earlier hit on the same node in the run raises the level one step with this probability, up to
    # severe (a plant hit again is damaged worse) [L] [1]
    damage_escalation_prob: float = 0.05
    damage_memory_days: float = 14.0  # hits longer ago than this no longer count for escalation [L] [d]
    # air-raid alerts: repairs stop
    alert_hours: float = 4.0  # air-raid alert around a wave on the city [h]
    alert_lead_h: float = 2.5  # part of the alert before the wave arrives [h]
    alerts_per_day: float = 0.5  # other alerts (waves elsewhere, reconnaissance drones) [1/d]
    other_alert_hours: float = 2.0  # mean length of the other alerts [h]
    # policy parameters
    pause_start_day: float = 0.0  # day the pause begins [d]
    pause_days: float = 7.0  # length of the pause [d]
    surge_stockpile_frac: float = 1.0  # share of the weapons withheld in the pause added to the next wave [1]
    # single_wave
    day: float = 1.25  # day of the single wave (1.25: day 1, 06:00; the 20 Jan wave struck at dawn) [d]
    drones: float = 339.0  # drones in the single wave (A3, 20 Jan) [drones]
    missiles: float = 34.0  # missiles in the single wave (A3, 20 Jan) [missiles]
    # waves: the waves of a hindcast, [{day, drones, missiles}, ...] (targeting and damage as continued)
    waves: list[WaveConfig] = field(default_factory=list)
    # explicit hits on named nodes, any policy: [{node, day, damage, repair_days}, ...]
    hits: list[HitConfig] = field(default_factory=list)


#: The policies (``sim.threat.POLICIES``; tests/unit/test_config_groups.py checks both agree).
POLICIES = ("continued", "pause_week", "pause_then_surge", "pause_broken", "single_wave", "waves",
            "total_heat_loss", "none")
#: Policies whose waves come from the continued renewal process (``first_wave_day`` anchors them).
CONTINUED_POLICIES = ("continued", "pause_week", "pause_then_surge", "pause_broken")
#: Policies with a pause (``pause_start_day``, ``pause_days``).
PAUSE_POLICIES = ("pause_week", "pause_then_surge", "pause_broken")
#: Node kinds a strike can hit (``sim.network.NODE_KINDS``).
NODE_KINDS = ("transmission", "substation", "feeder", "chp", "boiler")
#: Node kinds made of units (``sim.threat.SOURCE_KINDS``): they need repair times even when not aimed at.
SOURCE_KINDS = ("chp", "boiler")
#: Levels a wave's damage draw can give (``sim.threat.DRAWN_LEVELS``).
DRAWN_LEVELS = ("light", "moderate", "severe")


_YEAR_D = 366.0  # the longest run (horizon_days at most 366) [d]
#: The largest waves on Ukraine so far had ~800 drones (2025); 10,000 weapons is a dozen such waves at once
_MAX_WEAPONS = 10_000.0
#: Plausible ranges (:class:`sim.config.checks.Plausible`): outside them a value is meaningless or a typo.
PLAUSIBLE: dict[str, Plausible] = {
    "mean_interval_days": Plausible(0.0, _YEAR_D, "d", "days between waves within the longest run"),
    "interval_shape": Plausible(0.0, 100.0, "-", "a gamma shape: 1 is Poisson, 100 nearly regular"),
    "first_wave_day": Plausible(0.0, _YEAR_D, "d", "a day within the longest run"),
    "drones_mean": Plausible(0.0, _MAX_WEAPONS, "drones", "drones per wave"),
    "missiles_mean": Plausible(0.0, _MAX_WEAPONS, "missiles", "missiles per wave"),
    "drones_cv": Plausible(0.0, 3.0, "1", "a coefficient of variation"),
    "missiles_cv": Plausible(0.0, 3.0, "1", "a coefficient of variation"),
    "weapons_per_hit": Plausible(1.0, 100.0, "weapons", "weapons aimed per damaged node"),
    # lognormal sigma 3: the 95 % range of repair times spans a factor of 10^5
    "repair_sigma": Plausible(0.0, 3.0, "-", "a lognormal sigma of repair times"),
    "repair_median_h": Plausible(0.0, _YEAR_D * 24.0, "h", "a repair time within the longest run"),
    "unit_repair_median_h": Plausible(0.0, _YEAR_D * 24.0, "h", "a repair time within the longest run"),
    "damage_memory_days": Plausible(0.0, _YEAR_D, "d", "a time within the longest run"),
    "alert_hours": Plausible(0.0, 48.0, "h", "an air-raid alert around a wave"),
    "alert_lead_h": Plausible(0.0, 24.0, "h", "the part of an alert before the wave"),
    "alerts_per_day": Plausible(0.0, 24.0, "1/d", "other air-raid alerts per day"),
    "other_alert_hours": Plausible(0.0, 24.0, "h", "the length of an air-raid alert"),
    "pause_start_day": Plausible(0.0, _YEAR_D, "d", "a day within the longest run"),
    "pause_days": Plausible(0.0, _YEAR_D, "d", "a pause within the longest run"),
    # the withheld weapons, added to the next wave; more than 5 times them is a new campaign, not a surge
    "surge_stockpile_frac": Plausible(0.0, 5.0, "1", "the share of withheld weapons added to the next wave"),
    "day": Plausible(0.0, _YEAR_D, "d", "a day within the longest run"),
    "drones": Plausible(0.0, _MAX_WEAPONS, "drones", "drones per wave"),
    "missiles": Plausible(0.0, _MAX_WEAPONS, "missiles", "missiles per wave"),
    "waves[].day": Plausible(0.0, _YEAR_D, "d", "a day within the longest run"),
    "waves[].drones": Plausible(0.0, _MAX_WEAPONS, "drones", "drones per wave"),
    "waves[].missiles": Plausible(0.0, _MAX_WEAPONS, "missiles", "missiles per wave"),
    "hits[].day": Plausible(0.0, _YEAR_D, "d", "a day within the longest run"),
    "hits[].repair_days": Plausible(0.0, _YEAR_D, "d", "a repair within the longest run"),
}


def _nonneg_number(v: Any) -> bool:
    return not isinstance(v, bool) and isinstance(v, int | float) and math.isfinite(float(v)) and float(v) >= 0


def _check_weights(key: str, raw: Any) -> dict[str, float]:
    out = {}
    for k, v in plain_dict(raw).items():
        if k not in NODE_KINDS:
            raise ConfigError(f"{key}.{k}: unknown node kind")
        if not _nonneg_number(v):
            raise ConfigError(f"{key}.{k} must be a number >= 0, got {v!r}")
        out[str(k)] = float(v)
    return out


def _check_focus(raw: Any) -> dict[str, dict[str, float]]:
    """The focus table's target weights by focus name (probabilities checked)."""
    out: dict[str, dict[str, float]] = {}
    total = 0.0
    for name, f in plain_dict(raw).items():
        key = f"attacks.focus.{name}"
        if not is_mapping(f):
            raise ConfigError(f"{key} must be a mapping {{prob, target_weights}}")
        bad = sorted(set(f) - {"prob", "target_weights"})
        if bad:
            raise ConfigError(f"{key}.{bad[0]}: unknown key; valid: prob, target_weights")
        prob = f.get("prob", 0.0)
        if not _nonneg_number(prob):
            raise ConfigError(f"{key}.prob must be a number >= 0, got {prob!r}")
        total += float(prob)
        out[str(name)] = _check_weights(f"{key}.target_weights", f.get("target_weights"))
    if out and total <= 0:
        raise ConfigError("attacks.focus: probabilities sum to zero")
    return out


def _check_focus_name(key: str, name: Any, focus_names: list[str]) -> None:
    if name is not None and str(name) not in focus_names:
        raise ConfigError(f"{key}: unknown focus {name!r}; valid: {', '.join(focus_names) or '(none defined)'}")


def _check_waves(raw: Any, focus_names: list[str]) -> None:
    for i, w in enumerate(plain(raw) or []):
        key = f"attacks.waves[{i}]"
        if not is_mapping(w):
            raise ConfigError(f"{key} must be a mapping {{day, drones, missiles, focus}}")
        bad = sorted(set(w) - {"day", "drones", "missiles", "focus"})
        if bad:
            raise ConfigError(f"{key}.{bad[0]}: unknown key; valid: day, drones, missiles, focus")
        for k in ("day", "drones", "missiles"):
            v = w.get(k, 0.0)
            if v is None or not isinstance(v, int | float) or not math.isfinite(float(v)) or float(v) < 0:
                raise ConfigError(f"{key}.{k} must be a number >= 0, got {v!r}")
        _check_focus_name(f"{key}.focus", w.get("focus"), focus_names)


def _check_hits(raw: Any) -> None:
    """Everything of ``attacks.hits`` but the node names (they are known once the network is built)."""
    seen: dict[tuple[str, float], int] = {}
    for i, h in enumerate(plain(raw) or []):
        key = f"attacks.hits[{i}]"
        if not is_mapping(h):
            raise ConfigError(f"{key} must be a mapping {{node, day, damage, repair_days}}")
        bad = sorted(set(h) - {"node", "day", "damage", "repair_days"})
        if bad:
            raise ConfigError(f"{key}.{bad[0]}: unknown key; valid: node, day, damage, repair_days")
        level = str(h.get("damage", "destroyed"))
        if level not in DAMAGE_LEVELS:
            raise ConfigError(f"{key}.damage: unknown level {level!r}; valid: {', '.join(DAMAGE_LEVELS)}")
        day = h.get("day", 0.0)
        if not isinstance(day, int | float) or not math.isfinite(float(day)) or float(day) < 0:
            raise ConfigError(f"{key}.day must be a number >= 0, got {day!r}")
        rd = h.get("repair_days")
        if rd is not None and (not isinstance(rd, int | float) or float(rd) < 0 or math.isnan(float(rd))):
            raise ConfigError(f"{key}.repair_days must be a number >= 0 or null, got {rd!r}")
        if rd is not None and level == "destroyed":
            raise ConfigError(f"{key}.repair_days: a destroyed node is never repaired (use damage: severe)")
        first = seen.setdefault((str(h.get("node")), float(day)), i)
        if first != i:  # a copied line: the node would be hit twice at once (escalation, a second repair)
            raise ConfigError(f"{key}: the same node ({h.get('node')}) and day ({float(day):g}) as "
                              f"attacks.hits[{first}]; give each hit once")


def validate_attacks_config(cfg: Any) -> None:
    """Check an ``attacks`` config (dataclass or DictConfig); raise :class:`ConfigError` naming the key.

    The node names of ``attacks.hits`` are checked by :func:`sim.threat.make_campaign`, against the
    network built from the city (``coldgrid --nodes`` lists them).
    """
    policy = str(cfg.policy)
    if policy not in POLICIES:
        raise ConfigError(f"attacks.policy: unknown policy {policy!r}; valid: {', '.join(POLICIES)}")
    p = dataclasses.asdict(cfg) if dataclasses.is_dataclass(cfg) and not isinstance(cfg, type) else {k: cfg[k] for k in cfg}
    for key in ("mean_interval_days", "interval_shape", "weapons_per_hit"):
        if not float(p[key]) > 0:
            raise ConfigError(f"attacks.{key} must be > 0, got {p[key]}")
    if float(p["weapons_per_hit"]) < 1.0:
        raise ConfigError(f"attacks.weapons_per_hit must be >= 1, got {p['weapons_per_hit']}")
    for key in ("drones_mean", "missiles_mean", "drones_cv", "missiles_cv", "alert_hours", "alert_lead_h",
                "alerts_per_day", "other_alert_hours", "pause_days", "surge_stockpile_frac", "repair_sigma",
                "drones", "missiles", "damage_memory_days"):
        if float(p.get(key, 0.0)) < 0:
            raise ConfigError(f"attacks.{key} must be >= 0, got {p[key]}")
    for key in ("ballistic_frac", "intercept_drone_prob", "intercept_cruise_prob", "intercept_ballistic_prob",
                "city_energy_frac", "damage_escalation_prob"):
        if not 0.0 <= float(p.get(key, 0.0)) <= 1.0:
            raise ConfigError(f"attacks.{key} must be in [0, 1], got {p[key]}")
    tw = _check_weights("attacks.target_weights", p["target_weights"])
    focus = _check_focus(p.get("focus"))
    _check_focus_name("attacks.wave_focus", p.get("wave_focus"), list(focus))
    dp = {str(k): float(v) for k, v in plain_dict(p["damage_probs"]).items()}
    check_damage_probs("attacks.damage_probs", dp, DRAWN_LEVELS)
    rm = {str(k): {str(lv): float(h) for lv, h in dict(v).items()}
          for k, v in plain_dict(p["repair_median_h"]).items()}
    aimed = {k for k, v in tw.items() if v > 0} | {k for f in focus.values() for k, v in f.items() if v > 0}
    for k in NODE_KINDS:
        if k in aimed or k in SOURCE_KINDS:
            for lv in DRAWN_LEVELS:
                if not rm.get(k, {}).get(lv, 0) > 0:
                    raise ConfigError(f"attacks.repair_median_h.{k}.{lv}: missing or not > 0")
    um = {str(k): float(v) for k, v in plain_dict(p.get("unit_repair_median_h", _unit_repair_median_h())).items()}
    for lv in DRAWN_LEVELS:
        if not um.get(lv, 0) > 0:
            raise ConfigError(f"attacks.unit_repair_median_h.{lv}: missing or not > 0")
    _check_waves(p.get("waves"), list(focus))
    _check_hits(p.get("hits"))
    if p.get("first_wave_day") is not None and float(p["first_wave_day"]) < 0:
        raise ConfigError(f"attacks.first_wave_day must be >= 0, got {p['first_wave_day']}")
    check_plausible("attacks", cfg, PLAUSIBLE)


def validate_attacks_horizon(cfg: Any, horizon_days: float) -> None:
    """Check that the strikes a policy is made of fall within the run (``horizon_days`` from ``start``).

    ``attacks=waves`` without a wave before the end of the run, or ``attacks=single_wave`` on a day after
    it, would run as ``attacks=none`` under the name of the policy. A list of waves or hits may reach
    beyond the horizon (a hindcast run for fewer days: the later ones are left out).
    """
    policy = str(cfg.policy)
    horizon = float(horizon_days)
    if policy == "waves":
        days = [float(w.get("day", 0.0)) for w in plain(cfg.get("waves") if hasattr(cfg, "get") else cfg.waves) or []]
        if not days:
            raise ConfigError("attacks.waves: empty; attacks=waves runs the waves listed "
                              "(attacks.waves=[{day: 1, drones: 300, missiles: 30}, ...]); attacks=none has none")
        if min(days) >= horizon:
            raise ConfigError(f"attacks.waves: every wave is on day {min(days):g} or later, at or after the end of "
                              f"the run (horizon_days={horizon:g}); no wave would strike")
    get = cfg.get if hasattr(cfg, "get") else lambda k, d=None: getattr(cfg, k, d)
    first = get("first_wave_day")
    if policy in CONTINUED_POLICIES and first is not None and float(first) >= horizon:
        raise ConfigError(f"attacks.first_wave_day={float(first):g}: at or after the end of the run "
                          f"(horizon_days={horizon:g}); no wave would strike (attacks=none runs none)")
    if policy in PAUSE_POLICIES and float(get("pause_start_day", 0.0)) >= horizon:
        raise ConfigError(f"attacks.pause_start_day={float(get('pause_start_day', 0.0)):g}: at or after the end of "
                          f"the run (horizon_days={horizon:g}); the pause would never begin and attacks={policy} "
                          "would run as attacks=continued")
    if policy == "single_wave" and float(cfg.day) >= horizon:
        raise ConfigError(f"attacks.day={float(cfg.day):g}: at or after the end of the run (horizon_days={horizon:g}); "
                          "the single wave would never strike")


def left_out_warnings(cfg: Any, horizon_days: float) -> list[str]:
    """One-line warnings for listed strikes the run does not simulate (none: an empty list).

    * ``attacks.waves`` under a policy other than ``waves`` (the policy draws its own waves);
    * waves or hits on or after the end of the run (``horizon_days``): a hindcast run for fewer days leaves
      them out on purpose, so this is a warning and not an error (:func:`validate_attacks_horizon` refuses
      a run in which *no* listed wave strikes). :func:`sim.chain.run_scenario_full` issues them once per run.

    >>> left_out_warnings(AttacksConfig(waves=[WaveConfig(day=1.0)]), 7)
    ['attacks.waves is ignored: only attacks=waves runs the listed waves (this run: attacks=continued)']
    >>> left_out_warnings(AttacksConfig(policy="waves", waves=[WaveConfig(day=1.0), WaveConfig(day=9.5)]), 7)
    ['attacks.waves: 1 of 2 waves (day 9.5) on or after the end of the run (horizon_days=7) is left out']
    """
    policy = str(cfg.policy)
    horizon = float(horizon_days)
    p = dataclasses.asdict(cfg) if dataclasses.is_dataclass(cfg) and not isinstance(cfg, type) else {
        "waves": plain(cfg.get("waves")), "hits": plain(cfg.get("hits"))}
    out: list[str] = []
    waves = [w for w in p.get("waves") or [] if is_mapping(w)]
    if waves and policy != "waves":
        out.append(f"attacks.waves is ignored: only attacks=waves runs the listed waves (this run: attacks={policy})")
    elif waves:
        late = [float(w.get("day", 0.0)) for w in waves if float(w.get("day", 0.0)) >= horizon]
        if late:
            out.append(f"attacks.waves: {len(late)} of {len(waves)} wave{'s' if len(waves) != 1 else ''} (day {_days(late)}) on or after the end "
                       f"of the run (horizon_days={horizon:g}) {'is' if len(late) == 1 else 'are'} left out")
    hits = [h for h in p.get("hits") or [] if is_mapping(h)]
    late_hits = [h for h in hits if float(h.get("day", 0.0)) >= horizon]
    if late_hits:
        what = ", ".join(f"{h.get('node')} on day {float(h.get('day', 0.0)):g}" for h in late_hits[:3])
        more = f" and {len(late_hits) - 3} more" if len(late_hits) > 3 else ""
        out.append(f"attacks.hits: {len(late_hits)} of {len(hits)} hit{'s' if len(hits) != 1 else ''} on or after the end of the run "
                   f"(horizon_days={horizon:g}) {'is' if len(late_hits) == 1 else 'are'} left out: {what}{more}")
    return out


def _days(days: list[float]) -> str:
    """Days as ``9.5`` or ``9.5, 12 and 3 more``."""
    shown = ", ".join(f"{d:g}" for d in days[:3])
    return shown + (f" and {len(days) - 3} more" if len(days) > 3 else "")
