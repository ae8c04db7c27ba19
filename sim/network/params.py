"""The ``city.grid`` config: keys, defaults and validation.

``city.grid`` is a mapping validated here (one line naming ``city.grid.<key>`` on a bad value), so that the
topology keys sit next to the code that builds the network. :data:`GRID_DEFAULTS` gives every key with its
default and unit; ``configs/city/kyiv.yaml`` sets Kyiv's values with their calibration lines.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import Any

from sim.errors import ConfigError

#: Keys of ``city.grid`` and their defaults (a generic city; ``configs/city/kyiv.yaml`` sets Kyiv's).
GRID_DEFAULTS: dict[str, Any] = {
    "transmission_kv": [330, 330],  # voltage of each transmission substation (750/330 kV) [kV]
    "substations_per_district": 2,  # 110 kV city substations per district [-]
    "dual_fed_frac": 0.5,  # share of city substations fed from two transmission substations [1]
    "feeders_per_substation": 6,  # distribution feeders per city substation [-]
    "queues": 6,  # outage queues (calibration C1: six) [-]
    "queue_block_h": 4.0,  # length of a rotation block of the outage schedule (C1: 1 queue ~ 4 h/day) [h]
    "queue_rounding_tol": 0.25,  # deficit (in queues) absorbed before another queue goes off [queues]
    "peak_demand_mw": None,  # electric demand at design_temperature_c without heaters (None: per person) [MW]
    "peak_demand_kw_per_person": 0.48,  # used when peak_demand_mw is None (C4: ~1.5 GW / ~3.1 M) [kW]
    "design_temperature_c": -20.0,  # outdoor temperature of the peak demand [degC]
    "mild_temperature_c": 5.0,  # outdoor temperature at and above which demand is mild_demand_frac of peak [degC]
    "mild_demand_frac": 0.7,  # demand at mild_temperature_c as a share of the peak [1]
    "national_allotment_mw": None,  # import from the national pool via transmission (None: 0.5 x peak) [MW]
    "allotment_response": [[0.0, 0.0]],  # extra import as city generation is lost: [[lost_mw, extra_mw], ...] [MW]
    "transmission_headroom_frac": 1.0,  # what the transmission substations up carry, x their share (N-1) [1]
    "chp_available_frac": 1.0,  # share of CHP electric capacity available (earlier damage; A6) [1]
    "heat_sources": [],  # CHPs: [{name, districts, units: [{name, kind, heat_share, power_mw}], capacity_frac, ...}]
    "links": [],  # cross-feeding: list of {a, b, capacity_mw} between sources' zones [MW]
    "link_switch_h": 6.0,  # re-switching valves to cross-feed a zone short of heat takes ... [h]
    "boiler_clusters_per_district": 1,  # boiler-house clusters per district (the remaining DH blocks) [-]
    "boiler_houses": 0,  # boiler houses in the city (units of the clusters; D4: >180 in Kyiv) [-]
    "boiler_capacity_frac": 1.2,  # installed boiler-house capacity / design load of their blocks [1]
    "boiler_backup_pumping_frac": 0.0,  # share of boiler houses with backup generators for their pumps [1]
    "critical_dual_fed_frac": 0.0,  # share of critical (pumping) feeders fed from two substations [1]
    "heat_design_outdoor_c": -22.0,  # design outdoor temperature of the heat network (DSTU-N B V.1.1-27) [degC]
    "heat_indoor_c": 21.0,  # indoor temperature of the network's supply curve [degC]
    "mains_freeze_k_h": 180.0,  # frost exposure stopped, filled heat mains stand (Alchevsk 2006: > 6 h at -28 degC) [K h]
}

UNIT_KINDS = ("turbine", "peak_boiler")
_SOURCE_KEYS = ("name", "power_mw", "districts", "units", "capacity_frac", "min_supply_frac", "damage_probs",
                "mains_freeze_k_h")
_UNIT_KEYS = ("name", "kind", "heat_share", "power_mw")
DAMAGE_LEVELS = ("light", "moderate", "severe", "destroyed")


def plain(value: Any) -> Any:
    """OmegaConf containers -> plain Python (lists/dicts), other values unchanged."""
    try:
        from omegaconf import DictConfig, ListConfig, OmegaConf

        if isinstance(value, DictConfig | ListConfig):
            return OmegaConf.to_container(value, resolve=True)
    except ImportError:  # pragma: no cover
        pass
    return value


def _number(key: str, v: Any, lo: float | None = None, hi: float | None = None) -> float:
    if isinstance(v, bool) or not isinstance(v, int | float) or not math.isfinite(v):
        raise ConfigError(f"{key} must be a number, got {v!r}")
    if (lo is not None and v < lo) or (hi is not None and v > hi):
        raise ConfigError(f"{key} must be in [{lo}, {hi}], got {v!r}")
    return float(v)


def _integer(key: str, v: Any, lo: int) -> int:
    if isinstance(v, bool) or not isinstance(v, int | float) or int(v) != v or v < lo:
        raise ConfigError(f"{key} must be an integer >= {lo}, got {v!r}")
    return int(v)


def _units(key: str, s: Mapping) -> list[dict[str, Any]]:
    """The units of a CHP: listed, or one turbine with the whole heat share and ``power_mw``."""
    raw = s.get("units")
    if raw is None:
        return [{"name": "unit-1", "kind": "turbine", "heat_share": 1.0,
                 "power_mw": _number(f"{key}.power_mw", s.get("power_mw", 0.0), 0.0)}]
    if not isinstance(raw, list | tuple) or not raw:
        raise ConfigError(f"{key}.units must be a non-empty list of {{name, kind, heat_share, power_mw}}")
    units: list[dict[str, Any]] = []
    for j, u in enumerate(raw):
        uk = f"{key}.units[{j}]"
        if not isinstance(u, Mapping):
            raise ConfigError(f"{uk} must be a mapping with name, kind, heat_share, power_mw")
        bad = sorted(set(u) - set(_UNIT_KEYS))
        if bad:
            raise ConfigError(f"{uk}.{bad[0]}: unknown key; valid: {', '.join(_UNIT_KEYS)}")
        kind = str(u.get("kind", "turbine"))
        if kind not in UNIT_KINDS:
            raise ConfigError(f"{uk}.kind: unknown unit kind {kind!r}; valid: {', '.join(UNIT_KINDS)}")
        share = _number(f"{uk}.heat_share", u.get("heat_share", 0.0), 0.0)
        power = _number(f"{uk}.power_mw", u.get("power_mw", 0.0), 0.0)
        if kind == "peak_boiler" and power > 0:
            raise ConfigError(f"{uk}.power_mw: a peak water boiler generates no power")
        units.append({"name": str(u.get("name", f"unit-{j + 1}")), "kind": kind, "heat_share": share,
                      "power_mw": power})
    total = sum(u["heat_share"] for u in units)
    if total <= 0:
        raise ConfigError(f"{key}.units: heat shares sum to zero")
    for u in units:
        u["heat_share"] /= total  # shares of the source's capacity
    return units


def damage_probs(key: str, raw: Any) -> dict[str, float]:
    """Validated damage-level probabilities (levels :data:`DAMAGE_LEVELS`), normalized to sum to 1."""
    d = {str(k): v for k, v in dict(plain(raw) or {}).items()}
    for lv, p in d.items():
        if lv not in DAMAGE_LEVELS:
            raise ConfigError(f"{key}.{lv}: unknown damage level; valid: {', '.join(DAMAGE_LEVELS)}")
        _number(f"{key}.{lv}", p, 0.0)
    total = sum(float(p) for p in d.values())
    if total <= 0:
        raise ConfigError(f"{key}: probabilities sum to zero")
    return {lv: float(p) / total for lv, p in d.items()}


def grid_params(grid_cfg: Mapping | None, district_names: list[str], population: float) -> dict[str, Any]:
    """Validate ``city.grid`` against :data:`GRID_DEFAULTS` and fill in defaults and derived values.

    Parameters
    ----------
    grid_cfg : mapping or None
        The ``city.grid`` config.
    district_names : list of str
        The city's districts (heat-source zones name them).
    population : float
        People present, for ``peak_demand_kw_per_person``. [people]

    Raises
    ------
    ConfigError
        For an unknown key or an out-of-range value (one line, naming ``city.grid.<key>``).
    """
    raw = dict(plain(grid_cfg) or {})
    unknown = sorted(set(raw) - set(GRID_DEFAULTS))
    if unknown:
        raise ConfigError(f"city.grid.{unknown[0]}: unknown key; valid: {', '.join(GRID_DEFAULTS)}")
    p = {**GRID_DEFAULTS, **raw}

    def num(key: str, lo: float | None = None, hi: float | None = None) -> float:
        return _number(f"city.grid.{key}", p[key], lo, hi)

    kv = p["transmission_kv"]
    if not isinstance(kv, list | tuple) or not kv or any(float(x) <= 0 for x in kv):
        raise ConfigError(f"city.grid.transmission_kv must be a non-empty list of voltages, got {kv!r}")
    p["transmission_kv"] = [float(x) for x in kv]
    for key, lo in (("substations_per_district", 1), ("feeders_per_substation", 1), ("queues", 1),
                    ("boiler_clusters_per_district", 1), ("boiler_houses", 0)):
        p[key] = _integer(f"city.grid.{key}", p[key], lo)
    for key in ("dual_fed_frac", "mild_demand_frac", "chp_available_frac", "boiler_backup_pumping_frac",
                "critical_dual_fed_frac"):
        p[key] = num(key, 0.0, 1.0)
    p["queue_block_h"] = num("queue_block_h", 0.25, 24.0)
    p["transmission_headroom_frac"] = num("transmission_headroom_frac", 1.0, 10.0)
    p["queue_rounding_tol"] = num("queue_rounding_tol", 0.0, 0.99)
    p["link_switch_h"] = num("link_switch_h", 0.0, 240.0)
    p["peak_demand_kw_per_person"] = num("peak_demand_kw_per_person", 0.0)
    p["design_temperature_c"] = num("design_temperature_c", -60.0, 20.0)
    p["mild_temperature_c"] = num("mild_temperature_c", -40.0, 30.0)
    p["boiler_capacity_frac"] = num("boiler_capacity_frac", 0.0)
    p["heat_design_outdoor_c"] = num("heat_design_outdoor_c", -60.0, 0.0)
    p["heat_indoor_c"] = num("heat_indoor_c", 5.0, 30.0)
    p["mains_freeze_k_h"] = num("mains_freeze_k_h", 0.0) if p["mains_freeze_k_h"] != math.inf else math.inf
    if p["mild_temperature_c"] <= p["design_temperature_c"]:
        raise ConfigError("city.grid.mild_temperature_c must be above city.grid.design_temperature_c")
    if p["peak_demand_mw"] is None:
        p["peak_demand_mw"] = p["peak_demand_kw_per_person"] * population / 1000.0
    p["peak_demand_mw"] = num("peak_demand_mw", 0.0)
    if p["national_allotment_mw"] is None:
        p["national_allotment_mw"] = 0.5 * p["peak_demand_mw"]
    p["national_allotment_mw"] = num("national_allotment_mw", 0.0)
    curve = p["allotment_response"]
    if (not isinstance(curve, list | tuple) or not curve
            or any(not isinstance(pt, list | tuple) or len(pt) != 2 for pt in curve)):
        raise ConfigError("city.grid.allotment_response must be a list of [lost_mw, extra_mw] pairs")
    pts = sorted((_number("city.grid.allotment_response", float(a), 0.0),
                  _number("city.grid.allotment_response", float(b), 0.0)) for a, b in curve)
    p["allotment_response"] = [list(pt) for pt in pts]

    sources = p["heat_sources"]
    if not isinstance(sources, list | tuple):
        raise ConfigError("city.grid.heat_sources must be a list of {name, districts, units, ...}")
    districts = set(district_names)
    clean = []
    share_by_district: dict[str, float] = {}
    for i, s in enumerate(sources):
        key = f"city.grid.heat_sources[{i}]"
        if not isinstance(s, Mapping) or "name" not in s:
            raise ConfigError(f"{key} must be a mapping with name, districts and units")
        bad = sorted(set(s) - set(_SOURCE_KEYS))
        if bad:
            raise ConfigError(f"{key}.{bad[0]}: unknown key; valid: {', '.join(_SOURCE_KEYS)}")
        dshares = {str(k): float(v) for k, v in dict(s.get("districts", {})).items()}
        for d, share in dshares.items():
            if d not in districts:
                raise ConfigError(f"{key}.districts: unknown district {d!r}")
            if not 0.0 <= share <= 1.0:
                raise ConfigError(f"{key}.districts.{d} must be in [0, 1], got {share}")
            share_by_district[d] = share_by_district.get(d, 0.0) + share
        units = _units(key, s)
        clean.append({
            "name": str(s["name"]),
            "districts": dshares,
            "units": units,
            "power_mw": sum(u["power_mw"] for u in units),
            "capacity_frac": _number(f"{key}.capacity_frac", s.get("capacity_frac", 1.3), 0.0),
            "min_supply_frac": _number(f"{key}.min_supply_frac", s.get("min_supply_frac", 0.5), 0.0, 1.0),
            "damage_probs": damage_probs(f"{key}.damage_probs", s["damage_probs"]) if s.get("damage_probs")
            else None,
            "mains_freeze_k_h": _number(f"{key}.mains_freeze_k_h", s.get("mains_freeze_k_h",
                                                                         p["mains_freeze_k_h"]), 0.0)
            if s.get("mains_freeze_k_h", p["mains_freeze_k_h"]) != math.inf else math.inf,
        })
    for d, total in share_by_district.items():
        if total > 1.0 + 1e-9:
            raise ConfigError(f"city.grid.heat_sources: shares of district {d!r} sum to {total:.3f} > 1")
    names = [s["name"] for s in clean]
    if len(set(names)) != len(names):
        raise ConfigError("city.grid.heat_sources: names must be unique")
    p["heat_sources"] = clean

    links = p["links"]
    if not isinstance(links, list | tuple):
        raise ConfigError("city.grid.links must be a list of {a, b, capacity_mw}")
    clean_links = []
    for i, link in enumerate(links):
        key = f"city.grid.links[{i}]"
        if not isinstance(link, Mapping) or set(link) != {"a", "b", "capacity_mw"}:
            raise ConfigError(f"{key} must be a mapping with exactly a, b, capacity_mw")
        clean_links.append({"a": str(link["a"]), "b": str(link["b"]),
                            "capacity_mw": _number(f"{key}.capacity_mw", link["capacity_mw"], 0.0)})
    p["links"] = clean_links
    return p
