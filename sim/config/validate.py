"""Validation of a composed config: ranges, options and forbidden keys.

Types and unknown keys are caught by the dataclass schemas when Hydra composes; this module checks what
a type cannot say (ranges, probabilities, option names) and refuses ``_target_`` anywhere, so that a config
file or override shared by someone else can never make coldgrid instantiate arbitrary objects.
Every failure raises :class:`sim.errors.ConfigError` with a one-line message naming the key.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterator
from typing import Any

import numpy as np
from omegaconf import DictConfig, ListConfig, OmegaConf

from sim.errors import ConfigError

WEATHER_KINDS = ("cold_snap", "file")
POLICIES = (
    "continued",
    "pause_week",
    "pause_then_surge",
    "pause_broken",
    "single_wave",
    "waves",
    "total_heat_loss",
    "none",
)
MAX_HORIZON_DAYS = 366.0


def _walk(node: Any, path: str = "") -> Iterator[tuple[str, Any]]:
    if isinstance(node, DictConfig):
        for key in node:
            sub = f"{path}.{key}" if path else str(key)
            yield sub, key
            try:
                child = node._get_node(key)
            except Exception:  # pragma: no cover - defensive
                continue
            yield from _walk(child, sub)
    elif isinstance(node, ListConfig):
        for i, child in enumerate(node._iter_ex(resolve=False)):
            yield from _walk(child, f"{path}[{i}]")


def refuse_targets(cfg: DictConfig) -> None:
    """Raise ConfigError if any key is ``_target_`` (user config never instantiates objects)."""
    for path, key in _walk(cfg):
        if str(key) in ("_target_", "_partial_", "_convert_", "_recursive_"):
            raise ConfigError(f"{path}: '{key}' is not allowed in coldgrid configs (configs never run code)")


Rule = tuple[str, Callable[[Any], bool], str]


def _rules() -> list[Rule]:
    def prob(x: Any) -> bool:
        return 0.0 <= float(x) <= 1.0

    def pos(x: Any) -> bool:
        return float(x) > 0.0

    def nonneg(x: Any) -> bool:
        return float(x) >= 0.0

    return [
        ("seed", lambda x: 0 <= int(x) < 2**63, "must be an integer in [0, 2^63)"),
        ("realizations", lambda x: 1 <= int(x) <= 100_000, "must be an integer in [1, 100000]"),
        ("horizon_days", lambda x: 0 < float(x) <= MAX_HORIZON_DAYS, "must be > 0 and at most 366 days"),
        ("dt_minutes", lambda x: 1.0 <= float(x) <= 360.0 and (1440.0 / float(x)).is_integer(),
         "must divide a day into whole steps, between 1 and 360 minutes"),
        ("weather.min_temperature_c", lambda x: -60.0 <= float(x) <= 8.0,
         "must be between -60 degC and the heating threshold (8 degC)"),
        ("weather.kind", lambda x: x in WEATHER_KINDS, f"must be one of: {', '.join(WEATHER_KINDS)}"),
        ("attacks.policy", lambda x: x in POLICIES, f"must be one of: {', '.join(POLICIES)}"),
        ("attacks.mean_interval_days", pos, "must be > 0"),
        ("attacks.interval_shape", pos, "must be > 0"),
        ("attacks.drones_mean", nonneg, "must be >= 0"),
        ("attacks.missiles_mean", nonneg, "must be >= 0"),
        ("attacks.drones", nonneg, "must be >= 0"),
        ("attacks.missiles", nonneg, "must be >= 0"),
        ("attacks.day", nonneg, "must be >= 0"),
        ("attacks.pause_days", nonneg, "must be >= 0"),
        ("attacks.pause_start_day", nonneg, "must be >= 0"),
        ("attacks.intercept_drone_prob", prob, "must be a probability in [0, 1]"),
        ("attacks.intercept_cruise_prob", prob, "must be a probability in [0, 1]"),
        ("attacks.intercept_ballistic_prob", prob, "must be a probability in [0, 1]"),
        ("attacks.city_energy_frac", prob, "must be a probability in [0, 1]"),
        ("attacks.ballistic_frac", prob, "must be a share in [0, 1]"),
        ("attacks.surge_stockpile_frac", nonneg, "must be >= 0"),
        ("repair.power_crews", nonneg, "must be >= 0 (a negative capacity makes no sense)"),
        ("repair.heat_crews", nonneg, "must be >= 0 (a negative capacity makes no sense)"),
        ("repair.crew_multiplier", nonneg, "must be >= 0"),
        ("repair.transformer_spares", nonneg, "must be >= 0"),
        ("repair.undrained_prob", prob, "must be a probability in [0, 1]"),
        ("buildings.ua_multiplier", pos, "must be > 0"),
        ("buildings.ua_cv", nonneg, "must be >= 0"),
        ("buildings.heater_share_frac", prob, "must be a share in [0, 1]"),
        ("buildings.gas_stove_share_frac", prob, "must be a share in [0, 1]"),
        ("buildings.heater_kw", nonneg, "must be >= 0"),
        ("people.uptake_frac", prob, "must be a share in [0, 1]"),
        ("people.heating_points", nonneg, "must be >= 0 (a negative capacity makes no sense)"),
        ("people.places_per_point", nonneg, "must be >= 0 (a negative capacity makes no sense)"),
        ("people.generator_kw_per_point", nonneg, "must be >= 0"),
        ("people.diesel_l_per_kwh", nonneg, "must be >= 0"),
        ("city.population_total", pos, "must be > 0"),
        ("city.share_left_frac", lambda x: 0.0 <= float(x) < 1.0, "must be a share in [0, 1)"),
        ("city.apartment_blocks", nonneg, "must be >= 0"),
        ("city.private_houses", nonneg, "must be >= 0"),
    ]


def validate(cfg: DictConfig) -> None:
    """Check a composed coldgrid config; raise ConfigError naming the first bad key."""
    refuse_targets(cfg)
    for key, ok, message in _rules():
        value = OmegaConf.select(cfg, key, default=None, throw_on_missing=False)
        if value is None:
            continue
        try:
            good = ok(value)
        except (TypeError, ValueError):
            good = False
        if isinstance(value, float) and not math.isfinite(value):
            good = False
        if not good:
            raise ConfigError(f"{key}={value}: {message}")
    if float(cfg.horizon_days) * 1440.0 / float(cfg.dt_minutes) < 1.0:
        raise ConfigError(
            f"horizon_days={cfg.horizon_days}: shorter than one time step (dt_minutes={cfg.dt_minutes})"
        )
    try:
        np.datetime64(str(cfg.start), "ns")
    except ValueError:
        raise ConfigError(f"start={cfg.start}: not an ISO 8601 date (e.g. 2026-01-29 or 2026-01-29T00:00)") from None
    if cfg.weather.kind == "file" and (OmegaConf.is_missing(cfg.weather, "path") or not cfg.weather.path):
        raise ConfigError("weather.path: weather=file needs weather.path=<CSV or NetCDF file>")
    from sim.config.buildings import validate_buildings_config
    from sim.config.people import validate_people_config

    validate_buildings_config(cfg.buildings)
    validate_people_config(cfg.people)
    thresholds = list(cfg.people.thresholds_c)
    if not thresholds or any(not -30.0 <= float(t) <= 30.0 for t in thresholds):
        raise ConfigError(f"people.thresholds_c={thresholds}: need 1+ thresholds between -30 and 30 degC")
