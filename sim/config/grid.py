"""Schema and checks of ``city.grid``: the synthetic topology of the city's power grid and heat network.

:class:`GridConfig` types every key (its defaults are a generic city; ``configs/city/kyiv.yaml`` sets
Kyiv's with their calibration lines), so an unknown key or a wrong type under ``city.grid`` is a one-line
error when Hydra composes. :func:`validate_grid_config` checks the values (ranges, unit kinds, the
districts of each heat source); :func:`sim.network.build_network` builds the network from them (see
``docs/grid_model.md``). The link ends that name a boiler-house cluster are checked there: the clusters'
names are made when the network is built.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from omegaconf import MISSING

from sim.config.checks import (
    Plausible,
    check_damage_probs,
    check_plausible,
    integer,
    is_mapping,
    number,
    plain_dict,
)
from sim.errors import ConfigError

#: Kinds of a CHP's units (``sim.network.params.UNIT_KINDS``).
UNIT_KINDS = ("turbine", "peak_boiler")


@dataclass
class UnitConfig:
    """One unit of a CHP: a cogeneration turbine or a peak water boiler (no power)."""

    name: str | None = None  # None: unit-<k>
    kind: str = "turbine"  # turbine | peak_boiler
    heat_share: float = 0.0  # share of the source's heat capacity (normalized over its units) [1]
    power_mw: float = 0.0  # electric capacity (0 for a peak water boiler) [MW]


@dataclass
class HeatSourceConfig:
    """A CHP and its zone: district shares of the apartment blocks it heats, its units and reserve."""

    name: str = MISSING
    districts: dict[str, float] = field(default_factory=dict)  # district -> share of its blocks on this source [1]
    units: list[UnitConfig] | None = None  # None: one turbine with the whole heat and power_mw
    power_mw: float = 0.0  # electric capacity when units is None [MW]
    capacity_frac: float = 1.3  # installed heat / the zone's design load [1]
    min_supply_frac: float = 0.5  # least supply the source runs at (turn-down) [1]
    damage_probs: dict[str, float] | None = None  # the source's own damage levels (None: attacks.damage_probs)
    mains_freeze_k_h: float | None = None  # frost exposure its mains stand (None: city.grid's) [K h]


@dataclass
class LinkConfig:
    """Cross-feeding between two sources' zones (names of heat sources or boiler-house clusters)."""

    a: str = MISSING
    b: str = MISSING
    capacity_mw: float = MISSING  # [MW]


@dataclass
class GridConfig:
    """``city.grid``: every key with its default and unit (``sim.network.params.GRID_DEFAULTS`` agrees)."""

    transmission_kv: list[float] = field(default_factory=lambda: [330.0, 330.0])  # each transmission substation [kV]
    substations_per_district: int = 2  # 110 kV city substations per district [-]
    dual_fed_frac: float = 0.5  # share of city substations fed from two transmission substations [1]
    feeders_per_substation: int = 6  # distribution feeders per city substation [-]
    queues: int = 6  # outage queues (calibration C1: six) [-]
    queue_block_h: float = 4.0  # length of a rotation block of the outage schedule (C1: 1 queue ~ 4 h/day) [h]
    queue_rounding_tol: float = 0.25  # deficit (in queues) absorbed before another queue goes off [queues]
    peak_demand_mw: float | None = None  # demand at design_temperature_c without heaters (None: per person) [MW]
    peak_demand_kw_per_person: float = 0.48  # used when peak_demand_mw is None (C4: ~1.5 GW / ~3.1 M) [kW]
    design_temperature_c: float = -20.0  # outdoor temperature of the peak demand [degC]
    mild_temperature_c: float = 5.0  # demand is mild_demand_frac of peak at and above this [degC]
    mild_demand_frac: float = 0.7  # demand at mild_temperature_c as a share of the peak [1]
    national_allotment_mw: float | None = None  # import from the national pool (None: 0.5 x peak) [MW]
    # extra import as city generation is lost: [[lost_mw, extra_mw], ...] (OmegaConf types no nested lists) [MW]
    allotment_response: list[Any] = field(default_factory=lambda: [[0.0, 0.0]])  # pairs, checked by validate
    transmission_headroom_frac: float = 1.0  # what the transmission substations up carry, x their share (N-1) [1]
    chp_available_frac: float = 1.0  # share of CHP electric capacity available (earlier damage; A6) [1]
    heat_sources: list[HeatSourceConfig] = field(default_factory=list)  # the CHPs
    links: list[LinkConfig] = field(default_factory=list)  # cross-feeding between sources' zones
    link_switch_h: float = 6.0  # re-switching valves to cross-feed a zone short of heat takes ... [h]
    boiler_clusters_per_district: int = 1  # boiler-house clusters per district (the remaining DH blocks) [-]
    boiler_houses: int = 0  # boiler houses in the city (units of the clusters; D4: >180 in Kyiv) [-]
    boiler_capacity_frac: float = 1.2  # installed boiler-house capacity / design load of their blocks [1]
    boiler_backup_pumping_frac: float = 0.0  # share of boiler houses with backup generators for their pumps [1]
    critical_dual_fed_frac: float = 0.0  # share of critical (pumping) feeders fed from two substations [1]
    heat_design_outdoor_c: float = -22.0  # design outdoor temperature of the heat network (DSTU-N B V.1.1-27) [degC]
    heat_indoor_c: float = 21.0  # indoor temperature of the network's supply curve [degC]
    # frost exposure stopped, filled heat mains stand (Alchevsk 2006: > 6 h at -28 degC) [K h]
    mains_freeze_k_h: float = 180.0


GRID_KEYS = tuple(f.name for f in dataclasses.fields(GridConfig))
#: Ukraine's peak demand before the war was ~25 GW; no city's demand, import or link comes near 50 GW [MW]
_MAX_MW = 50_000.0
#: Plausible ranges (:class:`sim.config.checks.Plausible`) of ``city.grid``, beyond the ranges
#: :func:`validate_grid_config` checks itself: outside them a value is meaningless or a typo.
PLAUSIBLE: dict[str, Plausible] = {
    # distribution to the highest AC transmission voltage in service (1150 kV)
    "transmission_kv": Plausible(35.0, 1_150.0, "kV", "a transmission voltage"),
    "substations_per_district": Plausible(1.0, 1_000.0, "-", "substations of one district"),
    "feeders_per_substation": Plausible(1.0, 1_000.0, "-", "feeders of one substation"),
    # Ukrainian schedules have 6 queues, split into up to 12 sub-queues
    "queues": Plausible(1.0, 24.0, "-", "outage queues"),
    # winter peaks: ~0.5 kW per person in Kyiv (C4), 3-5 kW in electrically heated Nordic countries
    "peak_demand_kw_per_person": Plausible(0.0, 10.0, "kW", "the peak demand per person"),
    "peak_demand_mw": Plausible(0.0, _MAX_MW, "MW", "the peak demand of a city"),
    "national_allotment_mw": Plausible(0.0, _MAX_MW, "MW", "a city's import from the national grid"),
    "allotment_response": Plausible(0.0, _MAX_MW, "MW", "a city's generation and import"),
    "boiler_clusters_per_district": Plausible(1.0, 1_000.0, "-", "boiler-house clusters of one district"),
    "boiler_houses": Plausible(0.0, 100_000.0, "-", "boiler houses of a city; Kyiv has >180, D4"),
    # installed over design load: 1.1-1.5 typically; five times the design load means nothing
    "boiler_capacity_frac": Plausible(0.0, 5.0, "1", "installed capacity over the design load"),
    "heat_sources[].capacity_frac": Plausible(0.0, 5.0, "1", "installed capacity over the design load"),
    # the largest turbine-generators in service are ~1,750 MW
    "heat_sources[].power_mw": Plausible(0.0, 5_000.0, "MW", "the electric capacity of one plant"),
    "heat_sources[].units[].power_mw": Plausible(0.0, 2_000.0, "MW", "the electric capacity of one unit"),
    "links[].capacity_mw": Plausible(0.0, _MAX_MW, "MW", "a link between heat zones"),
    # ~6 h at -28 degC (180 K h, Alchevsk 2006); 10,000 K h is three weeks at -20 degC
    "mains_freeze_k_h": Plausible(0.0, 10_000.0, "K h", "the frost stopped heat mains stand"),
    "heat_sources[].mains_freeze_k_h": Plausible(0.0, 10_000.0, "K h", "the frost stopped heat mains stand"),
}
_SOURCE_KEYS = tuple(f.name for f in dataclasses.fields(HeatSourceConfig))
_UNIT_KEYS = tuple(f.name for f in dataclasses.fields(UnitConfig))


def _units(key: str, s: Mapping) -> None:
    raw = s.get("units")
    if raw is None:
        number(f"{key}.power_mw", s.get("power_mw") or 0.0, 0.0)
        return
    if not isinstance(raw, list | tuple) or not raw:
        raise ConfigError(f"{key}.units must be a non-empty list of {{name, kind, heat_share, power_mw}}")
    total = 0.0
    for j, u in enumerate(raw):
        uk = f"{key}.units[{j}]"
        if not is_mapping(u):
            raise ConfigError(f"{uk} must be a mapping with name, kind, heat_share, power_mw")
        bad = sorted(set(u) - set(_UNIT_KEYS))
        if bad:
            raise ConfigError(f"{uk}.{bad[0]}: unknown key; valid: {', '.join(_UNIT_KEYS)}")
        kind = str(u.get("kind") or "turbine")
        if kind not in UNIT_KINDS:
            raise ConfigError(f"{uk}.kind: unknown unit kind {kind!r}; valid: {', '.join(UNIT_KINDS)}")
        total += number(f"{uk}.heat_share", u.get("heat_share") or 0.0, 0.0)
        power = number(f"{uk}.power_mw", u.get("power_mw") or 0.0, 0.0)
        if kind == "peak_boiler" and power > 0:
            raise ConfigError(f"{uk}.power_mw: a peak water boiler generates no power")
    if total <= 0:
        raise ConfigError(f"{key}.units: heat shares sum to zero")


def validate_grid_config(grid_cfg: Any, district_names: list[str]) -> None:
    """Check ``city.grid`` (a GridConfig, DictConfig or plain mapping; absent keys take the defaults of
    :class:`GridConfig`); raise :class:`ConfigError` naming ``city.grid.<key>``.

    Parameters
    ----------
    grid_cfg : GridConfig, mapping or None
        The ``city.grid`` config.
    district_names : list of str
        The city's districts (``city.districts``): each heat source's zone names some of them.
    """
    raw = dataclasses.asdict(grid_cfg) if dataclasses.is_dataclass(grid_cfg) and not isinstance(grid_cfg, type) else plain_dict(grid_cfg)
    unknown = sorted(set(raw) - set(GRID_KEYS))
    if unknown:
        raise ConfigError(f"city.grid.{unknown[0]}: unknown key; valid: {', '.join(GRID_KEYS)}")
    p = {**dataclasses.asdict(GridConfig()), **{k: v for k, v in raw.items() if v is not None}}

    def num(key: str, lo: float | None = None, hi: float | None = None) -> float:
        return number(f"city.grid.{key}", p[key], lo, hi)

    kv = p["transmission_kv"]
    if not isinstance(kv, list | tuple) or not kv or any(float(x) <= 0 for x in kv):
        raise ConfigError(f"city.grid.transmission_kv must be a non-empty list of voltages, got {kv!r}")
    for key, lo in (("substations_per_district", 1), ("feeders_per_substation", 1), ("queues", 1),
                    ("boiler_clusters_per_district", 1), ("boiler_houses", 0)):
        integer(f"city.grid.{key}", p[key], lo)
    for key in ("dual_fed_frac", "mild_demand_frac", "chp_available_frac", "boiler_backup_pumping_frac",
                "critical_dual_fed_frac"):
        num(key, 0.0, 1.0)
    num("queue_block_h", 0.25, 24.0)
    num("transmission_headroom_frac", 1.0, 10.0)
    num("queue_rounding_tol", 0.0, 0.99)
    num("link_switch_h", 0.0, 240.0)
    num("peak_demand_kw_per_person", 0.0)
    design = num("design_temperature_c", -60.0, 20.0)
    mild = num("mild_temperature_c", -40.0, 30.0)
    num("boiler_capacity_frac", 0.0)
    num("heat_design_outdoor_c", -60.0, 0.0)
    num("heat_indoor_c", 5.0, 30.0)
    num("mains_freeze_k_h", 0.0)
    if mild <= design:
        raise ConfigError("city.grid.mild_temperature_c must be above city.grid.design_temperature_c")
    for key in ("peak_demand_mw", "national_allotment_mw"):
        if raw.get(key) is not None:
            num(key, 0.0)
    curve = p["allotment_response"]
    if (not isinstance(curve, list | tuple) or not curve
            or any(not isinstance(pt, list | tuple) or len(pt) != 2 for pt in curve)):
        raise ConfigError("city.grid.allotment_response must be a list of [lost_mw, extra_mw] pairs")
    for a, b in curve:
        number("city.grid.allotment_response", float(a), 0.0)
        number("city.grid.allotment_response", float(b), 0.0)
    _check_sources(p["heat_sources"], set(district_names))
    _check_links(p["links"])
    check_plausible("city.grid", p, PLAUSIBLE)


def _or(s: Mapping, key: str, default: Any) -> Any:
    """``s[key]``, or ``default`` where it is absent or None."""
    v = s.get(key)
    return default if v is None else v


def _check_sources(sources: Any, districts: set[str]) -> None:
    if not isinstance(sources, list | tuple):
        raise ConfigError("city.grid.heat_sources must be a list of {name, districts, units, ...}")
    share_by_district: dict[str, float] = {}
    names = []
    for i, s in enumerate(sources):
        key = f"city.grid.heat_sources[{i}]"
        if not is_mapping(s) or s.get("name") in (None, MISSING):
            raise ConfigError(f"{key} must be a mapping with name, districts and units")
        bad = sorted(set(s) - set(_SOURCE_KEYS))
        if bad:
            raise ConfigError(f"{key}.{bad[0]}: unknown key; valid: {', '.join(_SOURCE_KEYS)}")
        for d, share in {str(k): float(v) for k, v in dict(s.get("districts") or {}).items()}.items():
            if d not in districts:
                raise ConfigError(f"{key}.districts: unknown district {d!r}")
            if not 0.0 <= share <= 1.0:
                raise ConfigError(f"{key}.districts.{d} must be in [0, 1], got {share}")
            share_by_district[d] = share_by_district.get(d, 0.0) + share
        _units(key, s)
        number(f"{key}.capacity_frac", _or(s, "capacity_frac", 1.3), 0.0)
        number(f"{key}.min_supply_frac", _or(s, "min_supply_frac", 0.5), 0.0, 1.0)
        if s.get("damage_probs"):
            check_damage_probs(f"{key}.damage_probs", s["damage_probs"])
        if s.get("mains_freeze_k_h") is not None:
            number(f"{key}.mains_freeze_k_h", s["mains_freeze_k_h"], 0.0)
        names.append(str(s["name"]))
    for d, total in share_by_district.items():
        if total > 1.0 + 1e-9:
            raise ConfigError(f"city.grid.heat_sources: shares of district {d!r} sum to {total:.3f} > 1")
    if len(set(names)) != len(names):
        raise ConfigError("city.grid.heat_sources: names must be unique")


def _check_links(links: Any) -> None:
    if not isinstance(links, list | tuple):
        raise ConfigError("city.grid.links must be a list of {a, b, capacity_mw}")
    for i, link in enumerate(links):
        key = f"city.grid.links[{i}]"
        if not is_mapping(link) or set(link) != {"a", "b", "capacity_mw"} or any(
                link[k] in (None, MISSING) for k in ("a", "b", "capacity_mw")):
            raise ConfigError(f"{key} must be a mapping with exactly a, b, capacity_mw")
        number(f"{key}.capacity_mw", link["capacity_mw"], 0.0)
        if str(link["a"]) == str(link["b"]):
            raise ConfigError(f"{key}: a link joins two different sources")


__all__ = ["GRID_KEYS", "GridConfig", "HeatSourceConfig", "LinkConfig", "UnitConfig", "validate_grid_config"]
