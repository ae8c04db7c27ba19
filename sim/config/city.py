"""Schema and checks of the ``city`` config group: districts, building stock, population and grid.

:func:`validate_city_config` checks the values (called by :func:`sim.config.validate.validate`).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from sim.config.checks import Plausible, check_plausible, plain_dict
from sim.config.grid import GridConfig, validate_grid_config
from sim.errors import ConfigError


@dataclass
class DistrictConfig:
    """One district (raion): name, KATOTTH code and its share of the population."""

    name: str = "???"
    katotth: str = ""
    population_weight: float = 1.0  # relative population (e.g. an official estimate); scaled to the total
    apartment_block_weight: float | None = None  # relative number of apartment blocks (default: population)


@dataclass
class CityConfig:
    """A city: its districts, building stock, population and grid topology parameters."""

    name: str = "???"
    description: str = ""
    population_total: float = 0.0  # residents before departures [people]
    share_left_frac: float = 0.0  # share of residents who left the city during the crisis [1]
    districts: list[DistrictConfig] = field(default_factory=list)
    apartment_blocks: int = 0  # multi-storey apartment blocks on district heating [buildings]
    apartment_stock: dict[str, float] = field(default_factory=dict)  # archetype -> share of blocks [1]
    private_houses: int = 0  # private (single-family) houses [buildings]
    private_stock: dict[str, float] = field(default_factory=dict)  # archetype -> share of houses [1]
    private_population_frac: float = 0.0  # share of residents living in private houses [1]
    buildings_per_group: int = 20  # apartment blocks per building group (a modelling resolution) [buildings]
    houses_per_group: int = 200  # private houses per building group [buildings]
    share_65plus_frac: float = 0.0  # residents aged 65 and over [1]
    share_under5_frac: float = 0.0  # residents under 5 [1]
    household_size: float = 2.42  # people per household where no household data [people]
    upper_floor_from_storey: int = 6  # storeys at and above this need booster pumps for water [-]
    heating_points: int = 0  # heating points open in the city (people.heating_points=null uses this) [points]
    grid: GridConfig = field(default_factory=GridConfig)  # grid and heat-network topology (sim.config.grid)
    # UTC offset of the model clock: local standard time, no daylight saving (Kyiv: EET, UTC+2,
    # Ukrainian law on time calculation; the model's winter runs never cross a DST change) [h]
    utc_offset_h: float = 2.0


#: Plausible ranges (:class:`sim.config.checks.Plausible`) of the city's own keys (``city.grid``: its
#: module), beyond the ranges checked below: outside them a value is meaningless or a typo.
PLAUSIBLE: dict[str, Plausible] = {
    # mean household sizes range from ~2 (northern Europe) to ~8 (a few countries, UN DESA 2022)
    "household_size": Plausible(1.0, 12.0, "people", "the mean size of a household"),
    # the tallest buildings have ~160 storeys
    "upper_floor_from_storey": Plausible(1.0, 200.0, "-", "a storey"),
    # Kyiv ~1,300 points (calibration D5); Ukraine as a whole ~10,000
    "heating_points": Plausible(0.0, 100_000.0, "points", "heating points in one city"),
}


def _check_stock(stock: Any, key: str) -> float:
    """The shares of a stock (archetype -> share) are >= 0 and not all zero; their sum.

    Whether each name is an archetype of that kind is checked by :func:`sim.city.build_city`: the archetype
    table (:mod:`sim.archetypes`) is model data, after the config layer.
    """
    shares = {str(k): float(v) for k, v in plain_dict(stock).items()}
    for name, share in shares.items():
        if share < 0:
            raise ConfigError(f"city.{key}.{name} must be >= 0, got {share}")
    if shares and sum(shares.values()) <= 0:
        raise ConfigError(f"city.{key}: shares sum to zero")
    return sum(shares.values())


def validate_city_config(cfg: Any) -> None:
    """Check a ``city`` config (CityConfig or DictConfig) and its ``grid``; raise :class:`ConfigError`
    naming the key."""
    if not cfg.districts:
        raise ConfigError("city.districts: at least one district is needed")
    names = [str(d.name) for d in cfg.districts]
    if len(set(names)) != len(names):
        raise ConfigError("city.districts: district names must be unique")
    pop_w = [float(d.population_weight) for d in cfg.districts]
    if any(w < 0 for w in pop_w) or sum(pop_w) <= 0:
        raise ConfigError("city.districts.population_weight: must be >= 0 and not all zero")
    block_w = [float(d.population_weight if d.apartment_block_weight is None else d.apartment_block_weight)
               for d in cfg.districts]
    if not 0.0 <= cfg.share_left_frac < 1.0:
        raise ConfigError(f"city.share_left_frac must be in [0, 1), got {cfg.share_left_frac}")
    if not 0.0 <= cfg.private_population_frac <= 1.0:
        raise ConfigError(f"city.private_population_frac must be in [0, 1], got {cfg.private_population_frac}")
    for key in ("share_65plus_frac", "share_under5_frac"):
        if not 0.0 <= float(getattr(cfg, key)) <= 1.0:
            raise ConfigError(f"city.{key} must be in [0, 1], got {getattr(cfg, key)}")
    if cfg.household_size <= 0:
        raise ConfigError(f"city.household_size must be > 0, got {cfg.household_size}")
    if cfg.population_total <= 0:
        raise ConfigError(f"city.population_total must be > 0, got {cfg.population_total}")
    for key in ("buildings_per_group", "houses_per_group"):  # the city's groups would silently hold 1
        if int(getattr(cfg, key)) < 1:
            raise ConfigError(f"city.{key} must be an integer >= 1, got {getattr(cfg, key)}")
    offset = float(getattr(cfg, "utc_offset_h", 0.0))
    if not -12.0 <= offset <= 14.0:  # the offsets of the world's time zones: UTC-12 .. UTC+14
        raise ConfigError(f"city.utc_offset_h must be a time-zone offset in [-12, 14] hours, got {offset:g}")
    apartments = _check_stock(cfg.apartment_stock, "apartment_stock") > 0 and int(cfg.apartment_blocks) > 0
    houses = _check_stock(cfg.private_stock, "private_stock") > 0 and int(cfg.private_houses) > 0
    if not ((apartments and sum(block_w) > 0) or houses):
        raise ConfigError("city: no buildings (apartment_blocks and private_houses are both zero)")
    check_plausible("city", {k: getattr(cfg, k) for k in PLAUSIBLE}, PLAUSIBLE)
    validate_grid_config(cfg.grid, names)
