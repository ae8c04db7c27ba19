"""Synthetic district-level topology of a city's power grid and district-heating network.

:func:`build_network` turns a :class:`~sim.city.City` and the ``city.grid`` config (a free dict whose keys
and defaults are :data:`GRID_DEFAULTS`) into a :class:`Network`: a table of nodes in the manner of
pandapower/PyPSA (one row per node, units in column names) plus the index arrays the DES needs.

Topology (deterministic, no random draws, no coordinates; names are synthetic)::

    national pool (allotment, MW)
      -> transmission substations TS-1..TS-n (750/330 kV)
        -> city substations SS-<district>-<k> (110 kV), fed by one TS or, for a share, by two
           (a dual-fed substation survives the loss of one TS)
          -> feeders F-<district>-<k>-<j> in outage queues 0..5 (round robin)
          -> critical feeders CF-<source> (exempt from queues) powering each heat source's network pumping
    heat sources: CHPs (also power plants, calibration C4) and boiler-house clusters (one or more per
    district, aggregating the >180 boiler houses of calibration D4); each district-heated building group
    belongs to one source's zone.

A heat source delivers heat while it is undamaged and its critical feeder has power (its 110 kV substation
is up and fed). A CHP generates ``power_mw`` x ``chp_available_frac`` while undamaged.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from sim.city import City
from sim.errors import ConfigError

#: Keys of ``city.grid`` and their defaults (a generic city; ``configs/city/kyiv.yaml`` sets Kyiv's).
GRID_DEFAULTS: dict[str, Any] = {
    "transmission_kv": [330, 330],  # voltage of each transmission substation (750/330 kV) [kV]
    "substations_per_district": 2,  # 110 kV city substations per district [-]
    "dual_fed_frac": 0.5,  # share of city substations fed from two transmission substations [1]
    "feeders_per_substation": 6,  # distribution feeders per city substation [-]
    "queues": 6,  # outage queues (calibration C1: six) [-]
    "queue_block_h": 4.0,  # length of a rotation block of the outage schedule (C1: 1 queue ~ 4 h/day) [h]
    "peak_demand_mw": None,  # electric demand at design_temperature_c without heaters (None: per person) [MW]
    "peak_demand_kw_per_person": 0.48,  # used when peak_demand_mw is None (C4: ~1.5 GW / ~3.1 M) [kW]
    "design_temperature_c": -20.0,  # outdoor temperature of the peak demand [degC]
    "mild_temperature_c": 5.0,  # outdoor temperature at and above which demand is mild_demand_frac of peak [degC]
    "mild_demand_frac": 0.7,  # demand at mild_temperature_c as a share of the peak [1]
    "national_allotment_mw": None,  # import from the national pool via transmission (None: 0.5 x peak) [MW]
    "chp_available_frac": 1.0,  # share of CHP electric capacity available (earlier damage; A6) [1]
    "heat_sources": [],  # CHPs: list of {name, power_mw, districts: {district: share of its blocks}}
    "boiler_clusters_per_district": 1,  # boiler-house clusters per district (the remaining DH blocks) [-]
    "boiler_houses": 0,  # boiler houses in the city, for the record (D4: >180 in Kyiv) [-]
}

#: Node kinds (the ``kind`` column of :attr:`Network.nodes`).
NODE_KINDS = ("transmission", "substation", "feeder", "chp", "boiler")

_PHI = (math.sqrt(5.0) - 1.0) / 2.0  # golden ratio: a deterministic, well-spread interleave


@dataclass(frozen=True)
class Network:
    """Grid and heat-network topology of a city.

    Attributes
    ----------
    nodes : pandas.DataFrame
        One row per node, index ``node`` (0..N-1). Columns: ``name``, ``kind`` (:data:`NODE_KINDS`),
        ``district`` ("" for city-wide nodes), ``voltage_kv``, ``capacity_mw`` (transmission: share of
        the national allotment; chp: electric output), ``queue`` (feeders; -1 for critical feeders and
        other nodes), ``critical`` (feeders powering heat-source pumping), ``parent`` (feeder -> its
        substation node), ``heat_source`` (index into :attr:`heat_sources`, for CHP/boiler nodes and
        critical feeders; else -1).
    feeders : numpy.ndarray
        Node ids of the feeders, in feeder order (F,); ``feeder_power`` columns follow this order.
    feeder_queue, feeder_substation : numpy.ndarray
        Outage queue (-1: critical, exempt) and substation *node id* of each feeder (F,).
    substation_feeds : tuple of tuple of int
        Transmission-substation node ids feeding each city substation (one or two), substation order.
    substations, transmission : numpy.ndarray
        Node ids of city substations and transmission substations.
    heat_sources : numpy.ndarray
        Node ids of the heat sources (H,): CHPs first, then boiler clusters.
    heat_source_feeder : numpy.ndarray
        Feeder index of each heat source's pumping (H,).
    group_feeder : numpy.ndarray
        Feeder index of each building group (G,).
    group_heat_source : numpy.ndarray
        Heat-source index of each building group (G,), -1 where not on district heating.
    params : dict
        The validated ``city.grid`` values (with defaults) and derived ``peak_demand_mw`` and
        ``national_allotment_mw``.
    """

    nodes: pd.DataFrame
    feeders: np.ndarray
    feeder_queue: np.ndarray
    feeder_substation: np.ndarray
    substation_feeds: tuple[tuple[int, ...], ...]
    substations: np.ndarray
    transmission: np.ndarray
    heat_sources: np.ndarray
    heat_source_feeder: np.ndarray
    group_feeder: np.ndarray
    group_heat_source: np.ndarray
    params: dict[str, Any] = field(default_factory=dict)

    @property
    def n_feeders(self) -> int:
        return len(self.feeders)

    @property
    def n_queues(self) -> int:
        return int(self.params["queues"])

    def kind_of(self, node: int) -> str:
        return str(self.nodes.at[node, "kind"])


def _plain(value: Any) -> Any:
    """OmegaConf containers -> plain Python (lists/dicts), other values unchanged."""
    try:
        from omegaconf import DictConfig, ListConfig, OmegaConf

        if isinstance(value, DictConfig | ListConfig):
            return OmegaConf.to_container(value, resolve=True)
    except ImportError:  # pragma: no cover
        pass
    return value


def grid_params(grid_cfg: Mapping | None, city: City) -> dict[str, Any]:
    """Validate ``city.grid`` against :data:`GRID_DEFAULTS` and fill in defaults and derived values.

    Raises
    ------
    ConfigError
        For an unknown key or an out-of-range value (one line, naming ``city.grid.<key>``).
    """
    raw = dict(_plain(grid_cfg) or {})
    unknown = sorted(set(raw) - set(GRID_DEFAULTS))
    if unknown:
        raise ConfigError(f"city.grid.{unknown[0]}: unknown key; valid: {', '.join(GRID_DEFAULTS)}")
    p = {**GRID_DEFAULTS, **raw}

    def _int(key: str, lo: int) -> int:
        v = p[key]
        if isinstance(v, bool) or not isinstance(v, int | float) or int(v) != v or v < lo:
            raise ConfigError(f"city.grid.{key} must be an integer >= {lo}, got {v!r}")
        return int(v)

    def _num(key: str, lo: float | None = None, hi: float | None = None) -> float:
        v = p[key]
        if isinstance(v, bool) or not isinstance(v, int | float) or not math.isfinite(v):
            raise ConfigError(f"city.grid.{key} must be a number, got {v!r}")
        if (lo is not None and v < lo) or (hi is not None and v > hi):
            raise ConfigError(f"city.grid.{key} must be in [{lo}, {hi}], got {v!r}")
        return float(v)

    kv = p["transmission_kv"]
    if not isinstance(kv, list | tuple) or not kv or any(float(x) <= 0 for x in kv):
        raise ConfigError(f"city.grid.transmission_kv must be a non-empty list of voltages, got {kv!r}")
    p["transmission_kv"] = [float(x) for x in kv]
    for key, lo in (("substations_per_district", 1), ("feeders_per_substation", 1), ("queues", 1),
                    ("boiler_clusters_per_district", 1), ("boiler_houses", 0)):
        p[key] = _int(key, lo)
    p["dual_fed_frac"] = _num("dual_fed_frac", 0.0, 1.0)
    p["mild_demand_frac"] = _num("mild_demand_frac", 0.0, 1.0)
    p["chp_available_frac"] = _num("chp_available_frac", 0.0, 1.0)
    p["queue_block_h"] = _num("queue_block_h", 0.25, 24.0)
    p["peak_demand_kw_per_person"] = _num("peak_demand_kw_per_person", 0.0)
    p["design_temperature_c"] = _num("design_temperature_c", -60.0, 20.0)
    p["mild_temperature_c"] = _num("mild_temperature_c", -40.0, 30.0)
    if p["mild_temperature_c"] <= p["design_temperature_c"]:
        raise ConfigError("city.grid.mild_temperature_c must be above city.grid.design_temperature_c")
    if p["peak_demand_mw"] is None:
        p["peak_demand_mw"] = p["peak_demand_kw_per_person"] * city.population / 1000.0
    p["peak_demand_mw"] = _num("peak_demand_mw", 0.0)
    if p["national_allotment_mw"] is None:
        p["national_allotment_mw"] = 0.5 * p["peak_demand_mw"]
    p["national_allotment_mw"] = _num("national_allotment_mw", 0.0)

    sources = p["heat_sources"]
    if not isinstance(sources, list | tuple):
        raise ConfigError("city.grid.heat_sources must be a list of {name, power_mw, districts}")
    districts = set(city.district_names)
    clean = []
    share_by_district: dict[str, float] = {}
    for i, s in enumerate(sources):
        key = f"city.grid.heat_sources[{i}]"
        if not isinstance(s, Mapping) or "name" not in s:
            raise ConfigError(f"{key} must be a mapping with name, power_mw, districts")
        bad = sorted(set(s) - {"name", "power_mw", "districts"})
        if bad:
            raise ConfigError(f"{key}.{bad[0]}: unknown key; valid: name, power_mw, districts")
        power = float(s.get("power_mw", 0.0))
        if power < 0:
            raise ConfigError(f"{key}.power_mw must be >= 0, got {power}")
        dshares = {str(k): float(v) for k, v in dict(s.get("districts", {})).items()}
        for d, share in dshares.items():
            if d not in districts:
                raise ConfigError(f"{key}.districts: unknown district {d!r}")
            if not 0.0 <= share <= 1.0:
                raise ConfigError(f"{key}.districts.{d} must be in [0, 1], got {share}")
            share_by_district[d] = share_by_district.get(d, 0.0) + share
        clean.append({"name": str(s["name"]), "power_mw": power, "districts": dshares})
    for d, total in share_by_district.items():
        if total > 1.0 + 1e-9:
            raise ConfigError(f"city.grid.heat_sources: shares of district {d!r} sum to {total:.3f} > 1")
    p["heat_sources"] = clean
    return p


def _interleave(n: int) -> np.ndarray:
    """A deterministic, well-mixed order of 0..n-1 (golden-ratio sequence)."""
    return np.argsort((np.arange(n) * _PHI) % 1.0, kind="stable")


def build_network(city: City, grid_cfg: Mapping | None) -> Network:
    """Build the synthetic grid and heat-network topology of ``city``.

    Parameters
    ----------
    city : City
        Districts and building groups.
    grid_cfg : mapping
        The ``city.grid`` config (keys :data:`GRID_DEFAULTS`; missing keys take defaults).

    Returns
    -------
    Network
        Deterministic: the same city and config give the same network.

    Examples
    --------
    >>> from sim.city import build_city
    >>> from sim.config.load import load_option
    >>> cfg = load_option("city", "small_town")
    >>> net = build_network(build_city(cfg), cfg.grid)
    >>> sorted(set(net.nodes["kind"]))
    ['boiler', 'feeder', 'substation', 'transmission']
    """
    p = grid_params(grid_cfg, city)
    groups = city.groups
    names = city.district_names
    rows: list[dict[str, Any]] = []

    def add(**kw: Any) -> int:
        row = {"name": "", "kind": "", "district": "", "voltage_kv": np.nan, "capacity_mw": 0.0, "queue": -1,
               "critical": False, "parent": -1, "heat_source": -1}
        row.update(kw)
        rows.append(row)
        return len(rows) - 1

    n_ts = len(p["transmission_kv"])
    ts_cap = p["national_allotment_mw"] / n_ts
    transmission = [add(name=f"TS-{i + 1}", kind="transmission", voltage_kv=kv, capacity_mw=ts_cap)
                    for i, kv in enumerate(p["transmission_kv"])]

    # city substations, per district, fed by one or two transmission substations
    subs_by_district: dict[str, list[int]] = {}
    feeds: list[tuple[int, ...]] = []
    substations: list[int] = []
    for d in names:
        subs_by_district[d] = []
        for k in range(p["substations_per_district"]):
            s_idx = len(substations)
            node = add(name=f"SS-{d}-{k + 1}", kind="substation", district=d, voltage_kv=110.0)
            primary = transmission[s_idx % n_ts]
            dual = n_ts > 1 and ((s_idx * _PHI) % 1.0) < p["dual_fed_frac"]
            feeds.append((primary, transmission[(s_idx + 1) % n_ts]) if dual else (primary,))
            substations.append(node)
            subs_by_district[d].append(node)

    # feeders in outage queues
    feeders: list[int] = []
    feeder_queue: list[int] = []
    feeder_sub: list[int] = []
    district_feeders: dict[str, list[int]] = {}
    for d in names:
        district_feeders[d] = []
        j = 0
        for f_k in range(p["feeders_per_substation"]):
            for k, sub in enumerate(subs_by_district[d]):
                q = j % p["queues"]
                node = add(name=f"F-{d}-{k + 1}-{f_k + 1}", kind="feeder", district=d, voltage_kv=10.0,
                           queue=q, parent=sub)
                district_feeders[d].append(len(feeders))
                feeders.append(node)
                feeder_queue.append(q)
                feeder_sub.append(sub)
                j += 1

    # heat sources: CHPs, then boiler-house clusters per district
    heat_nodes: list[int] = []
    heat_feeder: list[int] = []

    def add_source(name: str, kind: str, district: str, power_mw: float, slot: int) -> int:
        h = len(heat_nodes)
        node = add(name=name, kind=kind, district=district, capacity_mw=power_mw, heat_source=h)
        subs = subs_by_district[district]
        sub = subs[slot % len(subs)]
        f_node = add(name=f"CF-{name}", kind="feeder", district=district, voltage_kv=10.0, critical=True,
                     parent=sub, heat_source=h)
        heat_feeder.append(len(feeders))
        feeders.append(f_node)
        feeder_queue.append(-1)
        feeder_sub.append(sub)
        heat_nodes.append(node)
        return h

    chp_sources = []
    for i, s in enumerate(p["heat_sources"]):
        home = max(s["districts"], key=s["districts"].get) if s["districts"] else names[0]
        chp_sources.append(add_source(s["name"], "chp", home, s["power_mw"], i))

    # assign building groups to feeders and heat zones
    n_g = len(groups)
    group_feeder = np.full(n_g, -1, dtype=np.int64)
    group_source = np.full(n_g, -1, dtype=np.int64)
    district_of = groups["district"].to_numpy()
    is_dh = (groups["heating"] == "district").to_numpy()
    n_build = groups["n_buildings"].to_numpy(dtype=float)
    for d in names:
        idx = np.flatnonzero(district_of == d)
        order = idx[_interleave(len(idx))]
        fl = district_feeders[d]
        group_feeder[order] = np.asarray(fl)[np.arange(len(order)) % len(fl)]
        dh = order[is_dh[order]]
        if len(dh) == 0:
            continue
        cum = np.cumsum(n_build[dh]) / n_build[dh].sum()
        mid = cum - n_build[dh] / n_build[dh].sum() / 2.0  # centre of each group on the [0, 1] share axis
        lo = 0.0
        for h, s in zip(chp_sources, p["heat_sources"], strict=True):
            share = s["districts"].get(d, 0.0)
            sel = (mid >= lo) & (mid < lo + share)
            group_source[dh[sel]] = h
            lo += share
        rest = dh[group_source[dh] < 0]
        if len(rest):
            n_cl = p["boiler_clusters_per_district"]
            hs = [add_source(f"BH-{d}-{c + 1}", "boiler", d, 0.0, c + 1) for c in range(n_cl)]
            group_source[rest] = np.asarray(hs)[np.arange(len(rest)) % n_cl]

    nodes = pd.DataFrame(rows)
    nodes.index.name = "node"
    nodes["queue"] = nodes["queue"].astype(np.int64)
    nodes["parent"] = nodes["parent"].astype(np.int64)
    nodes["heat_source"] = nodes["heat_source"].astype(np.int64)
    return Network(
        nodes=nodes,
        feeders=np.asarray(feeders, dtype=np.int64),
        feeder_queue=np.asarray(feeder_queue, dtype=np.int64),
        feeder_substation=np.asarray(feeder_sub, dtype=np.int64),
        substation_feeds=tuple(feeds),
        substations=np.asarray(substations, dtype=np.int64),
        transmission=np.asarray(transmission, dtype=np.int64),
        heat_sources=np.asarray(heat_nodes, dtype=np.int64),
        heat_source_feeder=np.asarray(heat_feeder, dtype=np.int64),
        group_feeder=group_feeder,
        group_heat_source=group_source,
        params=p,
    )
