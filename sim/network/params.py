"""The ``city.grid`` config as plain values: defaults and derived values filled in.

The schema (types) and the checks of ``city.grid`` are :mod:`sim.config.grid`, run before the chain by
:func:`sim.config.validate.validate`; :data:`GRID_DEFAULTS` repeats the schema's defaults for callers that
pass a plain mapping (tests/unit/test_config_groups.py checks both agree). ``configs/city/kyiv.yaml``
sets Kyiv's values with their calibration lines.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

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


def _units(s: Mapping) -> list[dict[str, Any]]:
    """The units of a CHP: listed, or one turbine with the whole heat share and ``power_mw``."""
    raw = s.get("units")
    if raw is None:
        return [{"name": "unit-1", "kind": "turbine", "heat_share": 1.0, "power_mw": float(s.get("power_mw") or 0.0)}]
    units: list[dict[str, Any]] = [
        {"name": str(u.get("name") or f"unit-{j + 1}"), "kind": str(u.get("kind") or "turbine"),
         "heat_share": float(u.get("heat_share") or 0.0), "power_mw": float(u.get("power_mw") or 0.0)}
        for j, u in enumerate(raw)
    ]
    total = sum(u["heat_share"] for u in units)
    for u in units:
        u["heat_share"] /= total  # shares of the source's capacity
    return units


def damage_probs(raw: Any) -> dict[str, float]:
    """Damage-level probabilities (levels :data:`DAMAGE_LEVELS`) normalized to sum to 1."""
    d = {str(k): float(v) for k, v in dict(plain(raw) or {}).items()}
    total = sum(d.values())
    return {lv: p / total for lv, p in d.items()}


def _get(s: Mapping, key: str, default: Any) -> Any:
    """``s[key]``, or ``default`` where it is absent or None (a typed config holds every key, None unset)."""
    v = s.get(key)
    return default if v is None else v


def grid_params(grid_cfg: Mapping | None, district_names: list[str], population: float) -> dict[str, Any]:
    """``city.grid`` with defaults (:data:`GRID_DEFAULTS`) and derived values filled in, as plain values.

    The values are checked before the run by :func:`sim.config.grid.validate_grid_config` (called by
    :func:`sim.config.validate.validate`); this only reads them.

    Parameters
    ----------
    grid_cfg : mapping or None
        The ``city.grid`` config.
    district_names : list of str
        The city's districts (heat-source zones name them).
    population : float
        People present, for ``peak_demand_kw_per_person``. [people]
    """
    raw = dict(plain(grid_cfg) or {})
    p = {**GRID_DEFAULTS, **raw}
    p["transmission_kv"] = [float(x) for x in p["transmission_kv"]]
    for key in ("substations_per_district", "feeders_per_substation", "queues", "boiler_clusters_per_district",
                "boiler_houses"):
        p[key] = int(p[key])
    for key in ("dual_fed_frac", "mild_demand_frac", "chp_available_frac", "boiler_backup_pumping_frac",
                "critical_dual_fed_frac", "queue_block_h", "transmission_headroom_frac", "queue_rounding_tol",
                "link_switch_h", "peak_demand_kw_per_person", "design_temperature_c", "mild_temperature_c",
                "boiler_capacity_frac", "heat_design_outdoor_c", "heat_indoor_c", "mains_freeze_k_h"):
        p[key] = float(p[key])
    if p["peak_demand_mw"] is None:
        p["peak_demand_mw"] = p["peak_demand_kw_per_person"] * population / 1000.0
    p["peak_demand_mw"] = float(p["peak_demand_mw"])
    if p["national_allotment_mw"] is None:
        p["national_allotment_mw"] = 0.5 * p["peak_demand_mw"]
    p["national_allotment_mw"] = float(p["national_allotment_mw"])
    p["allotment_response"] = [list(pt) for pt in sorted((float(a), float(b)) for a, b in p["allotment_response"])]
    p["heat_sources"] = [_source(s, p["mains_freeze_k_h"]) for s in p["heat_sources"]]
    p["links"] = [{"a": str(link["a"]), "b": str(link["b"]), "capacity_mw": float(link["capacity_mw"])}
                  for link in p["links"]]
    return p


def _source(s: Mapping, mains_freeze_k_h: float) -> dict[str, Any]:
    """One ``city.grid.heat_sources`` entry with its defaults."""
    units = _units(s)
    return {
        "name": str(s["name"]),
        "districts": {str(k): float(v) for k, v in dict(s.get("districts") or {}).items()},
        "units": units,
        "power_mw": sum(u["power_mw"] for u in units),
        "capacity_frac": float(_get(s, "capacity_frac", 1.3)),
        "min_supply_frac": float(_get(s, "min_supply_frac", 0.5)),
        "damage_probs": damage_probs(s["damage_probs"]) if s.get("damage_probs") else None,
        "mains_freeze_k_h": float(_get(s, "mains_freeze_k_h", mains_freeze_k_h)),
    }
