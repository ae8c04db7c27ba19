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

from omegaconf import DictConfig, ListConfig, OmegaConf

from sim.config import attacks, buildings, city, grid, people, repair, weather
from sim.config.attacks import validate_attacks_config, validate_attacks_horizon
from sim.config.buildings import validate_buildings_config
from sim.config.checks import Plausible, plausible_bound
from sim.config.city import validate_city_config
from sim.config.nowcast import validate_nowcast_config
from sim.config.output import validate_output_config
from sim.config.people import validate_people_config
from sim.config.repair import validate_repair_config
from sim.config.run import validate_run_config
from sim.config.weather import validate_weather_config
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
#: No number in a coldgrid config is larger than this in its unit (people, crews, hours, kW ...); a larger
#: one is a typo, and 1e308 would overflow the model's integer conversions. [L] plausibility bound
MAX_MAGNITUDE = 1e9


#: The plausible ranges of each group (``PLAUSIBLE`` next to each schema), by the prefix of their keys.
PLAUSIBLE: dict[str, dict[str, Plausible]] = {
    "city.grid": grid.PLAUSIBLE, "city": city.PLAUSIBLE, "weather": weather.PLAUSIBLE,
    "attacks": attacks.PLAUSIBLE, "repair": repair.PLAUSIBLE, "buildings": buildings.PLAUSIBLE,
    "people": people.PLAUSIBLE,
}


def plausible_range(key: str) -> Plausible | None:
    """The plausible range of a dotted config key (``buildings.heater_kw``, ``attacks.waves[2].day``), or
    None where its group's checks set none (docs/parameters.md lists every range)."""
    for prefix in sorted(PLAUSIBLE, key=len, reverse=True):
        if key.startswith(prefix + "."):
            return plausible_bound(PLAUSIBLE[prefix], key[len(prefix) + 1:])
    return None


def _is_none(node: Any) -> bool:
    """A typed container node that holds None (e.g. ``units: null`` of a heat source)."""
    return isinstance(node, DictConfig | ListConfig) and node._is_none()


def _walk(node: Any, path: str = "") -> Iterator[tuple[str, Any]]:
    if _is_none(node):
        return
    if isinstance(node, DictConfig):
        for key in node:
            sub = f"{path}.{key!s}" if path else str(key)
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

    def upto(hi: float) -> Callable[[Any], bool]:
        return lambda x: 0.0 <= float(x) <= hi

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
        ("attacks.drones_mean", upto(10_000), "must be between 0 and 10000 per wave"),
        ("attacks.missiles_mean", upto(10_000), "must be between 0 and 10000 per wave"),
        ("attacks.drones", upto(10_000), "must be between 0 and 10000 per wave"),
        ("attacks.missiles", upto(10_000), "must be between 0 and 10000 per wave"),
        ("attacks.day", nonneg, "must be >= 0"),
        ("attacks.pause_days", nonneg, "must be >= 0"),
        ("attacks.pause_start_day", nonneg, "must be >= 0"),
        ("attacks.intercept_drone_prob", prob, "must be a probability in [0, 1]"),
        ("attacks.intercept_cruise_prob", prob, "must be a probability in [0, 1]"),
        ("attacks.intercept_ballistic_prob", prob, "must be a probability in [0, 1]"),
        ("attacks.city_energy_frac", prob, "must be a probability in [0, 1]"),
        ("attacks.ballistic_frac", prob, "must be a share in [0, 1]"),
        ("attacks.surge_stockpile_frac", nonneg, "must be >= 0"),
        # upper bounds of these and the other numbers: PLAUSIBLE of each group (sim/config/<group>.py)
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
        ("people.diesel_l_per_kwh", nonneg, "must be >= 0"),
        ("city.population_total", lambda x: 0.0 < float(x) <= 50e6, "must be > 0 and at most 50 million people"),
        ("city.share_left_frac", lambda x: 0.0 <= float(x) < 1.0, "must be a share in [0, 1)"),
        ("city.apartment_blocks", upto(1_000_000), "must be between 0 and 1000000"),
        ("city.private_houses", upto(10_000_000), "must be between 0 and 10000000"),
    ]


def validate(cfg: DictConfig) -> None:
    """Check a composed coldgrid config; raise ConfigError naming the first bad key.

    Runs once per run, before any stage (``coldgrid`` calls it before claiming the output folder, and
    :func:`sim.chain.run_scenario` before the city is built): every group's check lives next to its
    schema (``sim.config.<group>.validate_<group>_config``). Checks that need run-time data stay with
    that data: the node names of ``attacks.hits`` and the ends of ``city.grid.links`` (the built
    network), the archetype names of the stocks (``sim.archetypes``), a weather or report file's
    contents (``sim.weather_file``, ``sim.observations``); ``docs/decisions.md`` lists them.
    """
    refuse_targets(cfg)
    refuse_unknown_keys(cfg)
    for key, ok, message in _rules():
        value = OmegaConf.select(cfg, key, default=None, throw_on_missing=False)
        if value is None:
            continue
        try:
            good = ok(value)
        except (TypeError, ValueError, OverflowError):
            good = False
        if isinstance(value, float) and not math.isfinite(value):
            good = False
        if not good:
            raise ConfigError(f"{key}={value}: {message}")
    refuse_huge_numbers(cfg)
    validate_run_config(cfg)
    validate_weather_config(cfg.weather, float(cfg.dt_minutes))
    validate_repair_config(cfg.repair)
    validate_city_config(cfg.city)
    validate_attacks_config(cfg.attacks)
    validate_attacks_horizon(cfg.attacks, float(cfg.horizon_days))
    validate_buildings_config(cfg.buildings)
    validate_people_config(cfg.people, [str(d.name) for d in cfg.city.districts])
    if "nowcast" in cfg:
        validate_nowcast_config(cfg.nowcast)
    if "output" in cfg:
        validate_output_config(cfg.output)
    thresholds = list(cfg.people.thresholds_c)
    if not thresholds or any(not -30.0 <= float(t) <= 30.0 for t in thresholds):
        raise ConfigError(f"people.thresholds_c={thresholds}: need 1+ thresholds between -30 and 30 degC")


def numeric_leaves(cfg: DictConfig) -> Iterator[tuple[str, float | int]]:
    """Every int or float value of a config with its dotted key (booleans excluded)."""

    def walk(node: Any, path: str) -> Iterator[tuple[str, float | int]]:
        if _is_none(node):
            return
        if isinstance(node, DictConfig):
            for key in node:
                yield from walk(node._get_node(key), f"{path}.{key!s}" if path else str(key))
        elif isinstance(node, ListConfig):
            for i in range(len(node)):
                yield from walk(node._get_node(i), f"{path}[{i}]")
        else:
            value = node._value() if hasattr(node, "_value") else node
            if isinstance(value, int | float) and not isinstance(value, bool):
                yield path, value

    yield from walk(cfg, "")


def refuse_huge_numbers(cfg: DictConfig) -> None:
    """Raise ConfigError for a NaN, an infinity or a number beyond :data:`MAX_MAGNITUDE` anywhere."""
    for key, value in numeric_leaves(cfg):
        if key == "seed":
            continue
        if not math.isfinite(float(value)) or abs(float(value)) > MAX_MAGNITUDE:
            raise ConfigError(f"{key}={value}: must be a finite number of magnitude at most {MAX_MAGNITUDE:g}")


def refuse_unknown_keys(cfg: DictConfig) -> None:
    """Raise ConfigError for a key that no schema declares (e.g. added with ``+foo=1``).

    Struct mode stops ``foo=1``, but Hydra's ``+`` adds keys to any node; every node typed by a dataclass
    schema must hold only the schema's fields (``city.grid`` too: :class:`sim.config.grid.GridConfig`).
    Free mappings (stock shares, target weights) are not typed by a dataclass and keep their own checks.
    """
    import dataclasses

    def check(node: Any, path: str) -> None:
        if _is_none(node):
            return
        if isinstance(node, DictConfig):
            typ = OmegaConf.get_type(node)
            fields = {f.name for f in dataclasses.fields(typ)} if dataclasses.is_dataclass(typ) else None
            for key in node:
                sub = f"{path}.{key!s}" if path else str(key)
                if fields is not None and str(key) not in fields:
                    raise ConfigError(f"{sub}: unknown key (see coldgrid --help or coldgrid --cfg job)")
                check(node._get_node(key), sub)
        elif isinstance(node, ListConfig):
            for i in range(len(node)):
                check(node._get_node(i), f"{path}[{i}]")

    check(cfg, "")
