"""Component tables of the grid and heat network, with declared columns (in the manner of PyPSA/pandapower).

Every component of a :class:`~sim.network.Network` is a :class:`pandas.DataFrame` whose columns are
declared here once: name, dtype, unit, default and meaning. :func:`component_table` builds a table from
row dicts, fills defaults, casts dtypes and refuses undeclared columns, so that the tables the DES reads
cannot drift from this schema. Units are in the column names (``_mw``, ``_kv``, ``_frac``, ``_k_h``).

Components::

    nodes        every node a strike can hit (transmission, substation, feeder, chp, boiler) and its name
    substations  110 kV city substations and the transmission substations feeding them
    feeders      10 kV feeders: outage queue, substation, the alternative substation of dual-fed ones
    sources      heat sources (CHPs, boiler-house clusters): zone design load, capacity, pumping
    units        units of each source (turbines, peak water boilers, boiler houses) with heat and power
    links        cross-feeding links between neighbouring zones (transfer capacity)
    groups       building groups as network loads: feeder, source, section, design heat load, shed order
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd


@dataclass(frozen=True)
class Column:
    """A declared column of a component table."""

    name: str
    dtype: str  # numpy dtype name or "object" for strings
    unit: str  # "-" for names, flags and indices
    default: Any
    description: str


def _c(name: str, dtype: str, unit: str, default: Any, description: str) -> Column:
    return Column(name, dtype, unit, default, description)


#: The columns of each component table.
COMPONENTS: dict[str, tuple[Column, ...]] = {
    "nodes": (
        _c("name", "object", "-", "", "synthetic name, e.g. SS-Obolonskyi-2 (no real locations)"),
        _c("kind", "object", "-", "", "transmission, substation, feeder, chp or boiler"),
        _c("district", "object", "-", "", "district of the node ('' for city-wide nodes)"),
        _c("voltage_kv", "float64", "kV", np.nan, "voltage level"),
        _c("capacity_mw", "float64", "MW", 0.0, "transmission: share of the allotment; chp: electric capacity"),
        _c("queue", "int64", "-", -1, "outage queue of a feeder (-1: critical feeder or not a feeder)"),
        _c("critical", "bool", "-", False, "feeder powering a heat source's network pumping"),
        _c("parent", "int64", "-", -1, "feeder: node id of its substation"),
        _c("heat_source", "int64", "-", -1, "source index of a heat-source node or critical feeder"),
    ),
    "substations": (
        _c("node", "int64", "-", -1, "node id"),
        _c("district", "object", "-", "", "district"),
        _c("feed_primary", "int64", "-", -1, "node id of the transmission substation feeding it"),
        _c("feed_secondary", "int64", "-", -1, "node id of a second feeding transmission substation (-1: none)"),
    ),
    "feeders": (
        _c("node", "int64", "-", -1, "node id"),
        _c("district", "object", "-", "", "district"),
        _c("queue", "int64", "-", -1, "outage queue (-1: critical, exempt from queues)"),
        _c("substation", "int64", "-", -1, "node id of the substation feeding it"),
        _c("alt_substation", "int64", "-", -1, "node id of the second substation of a dual-fed feeder (-1: none)"),
        _c("heat_source", "int64", "-", -1, "source whose network pumping it powers (-1: none)"),
        _c("households", "float64", "households", 0.0, "households supplied (the load share in dispatch)"),
    ),
    "sources": (
        _c("node", "int64", "-", -1, "node id"),
        _c("name", "object", "-", "", "name"),
        _c("kind", "object", "-", "", "chp or boiler"),
        _c("district", "object", "-", "", "district of the source"),
        _c("feeder", "int64", "-", -1, "feeder index of its critical (pumping) feeder"),
        _c("interconnected", "bool", "-", True,
           "one network: capacity is shared by the zone (CHPs); else each unit heats its own section"),
        _c("min_supply_frac", "float64", "1", 0.5,
           "lowest delivered fraction the network runs at before it sheds building groups"),
        _c("house_load", "bool", "-", False, "its turbines power its own network pumps while they generate"),
        _c("backup_pumping_frac", "float64", "1", 0.0, "boiler clusters: share of its houses whose pumps have backup generators"),
        _c("design_heat_mw", "float64", "MW", 0.0, "design heat load of its zone at heat_design_outdoor_c"),
        _c("capacity_mw", "float64", "MW", 0.0, "installed heat capacity (sum of its units)"),
        _c("mains_freeze_k_h", "float64", "K h", np.inf,
           "frost exposure (degree-hours below 0 degC) its stopped, filled mains can stand"),
    ),
    "units": (
        _c("source", "int64", "-", -1, "source index"),
        _c("name", "object", "-", "", "unit name, e.g. CHP-5/T-250-1"),
        _c("kind", "object", "-", "", "turbine (heat and power), peak_boiler (heat) or boiler_house"),
        _c("heat_mw", "float64", "MW", 0.0, "heat capacity"),
        _c("power_mw", "float64", "MW", 0.0, "electric capacity (turbines)"),
    ),
    "links": (
        _c("source_a", "int64", "-", -1, "source index of one end"),
        _c("source_b", "int64", "-", -1, "source index of the other end"),
        _c("capacity_mw", "float64", "MW", 0.0, "heat that can be transferred between the two zones"),
    ),
    "groups": (
        _c("feeder", "int64", "-", -1, "feeder index of the group's buildings"),
        _c("source", "int64", "-", -1, "heat-source index (-1: own heating)"),
        _c("section", "int64", "-", -1, "unit index of the source that heats it (sources not interconnected)"),
        _c("design_heat_mw", "float64", "MW", 0.0, "design heat load at heat_design_outdoor_c"),
        _c("buildings", "float64", "buildings", 0.0, "buildings in the group"),
        _c("households", "float64", "households", 0.0, "households present"),
        _c("shed_rank", "int64", "-", -1, "serve order in its zone: a source short of capacity serves low ranks first (0 is shed last)"),
    ),
}


def component_table(component: str, rows: Iterable[Mapping[str, Any]]) -> pd.DataFrame:
    """A component table from row dicts: declared columns only, defaults filled, dtypes cast.

    Examples
    --------
    >>> t = component_table("links", [{"source_a": 0, "source_b": 1, "capacity_mw": 50.0}])
    >>> list(t.columns), t["capacity_mw"].dtype.name
    (['source_a', 'source_b', 'capacity_mw'], 'float64')
    >>> component_table("links", [{"source_c": 0}])
    Traceback (most recent call last):
    ...
    ValueError: links: undeclared column(s) source_c
    """
    cols = COMPONENTS[component]
    names = [c.name for c in cols]
    rows = list(rows)
    extra = sorted({k for r in rows for k in r} - set(names))
    if extra:
        raise ValueError(f"{component}: undeclared column(s) {', '.join(extra)}")
    data = {c.name: [r.get(c.name, c.default) for r in rows] for c in cols}
    return pd.DataFrame({c.name: pd.Series(data[c.name], dtype=c.dtype) for c in cols})


def describe(component: str) -> pd.DataFrame:
    """The declared columns of a component: name, dtype, unit, default, description."""
    return pd.DataFrame([c.__dict__ for c in COMPONENTS[component]])
