"""Synthetic district-level topology of a city's power grid and district-heating network.

:func:`build_network` turns a :class:`~sim.city.City` and the ``city.grid`` config (keys and defaults in
:data:`~sim.network.params.GRID_DEFAULTS`) into a :class:`Network`: component tables with declared
columns (:mod:`sim.network.components`) plus the index arrays the threat and the DES read.

Topology (deterministic, no random draws, no coordinates; names are synthetic)::

    national pool (allotment, MW)
      -> transmission substations TS-1..TS-n (750/330 kV)
        -> city substations SS-<district>-<k> (110 kV), fed by one TS or, for a share, by two
           (a dual-fed substation survives the loss of one TS)
          -> feeders F-<district>-<k>-<j> in outage queues 0..5 (round robin)
          -> critical feeders CF-<source> (exempt from queues) powering each heat source's network
             pumping; a share is fed from a second substation of the district
    heat sources: CHPs (power plants too, calibration C4) made of units (turbines, peak water boilers),
    and boiler-house clusters per district whose units are boiler houses (calibration D4: >180),
    each heating its own section of the cluster's building groups.

Every district-heated building group belongs to one source's zone. Its design heat load is its
buildings' steady-state heat loss at the network's design outdoor temperature
(:attr:`sim.archetypes.Archetype.h_total_w_per_k`), the load a network is sized for; a source's installed
capacity is ``capacity_frac`` times its zone's design load (its reserve).
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

import numpy as np
import pandas as pd

from sim.archetypes import archetype
from sim.city import City
from sim.errors import ConfigError
from sim.network.components import component_table
from sim.network.params import grid_params

#: Node kinds (the ``kind`` column of :attr:`Network.nodes`).
NODE_KINDS = ("transmission", "substation", "feeder", "chp", "boiler")

_PHI = (math.sqrt(5.0) - 1.0) / 2.0  # golden ratio: a deterministic, well-spread interleave


@dataclass(frozen=True)
class Network:
    """Grid and heat-network topology of a city: component tables and index arrays.

    Attributes
    ----------
    nodes : pandas.DataFrame
        Every node a strike can hit, index ``node`` (0..N-1); columns declared in
        :data:`~sim.network.components.COMPONENTS` ``["nodes"]``.
    substation_table, feeder_table, source_table, unit_table, link_table, group_table : pandas.DataFrame
        The other component tables (declared columns; row order = substation, feeder, source, unit,
        link and building-group index).
    params : dict
        The validated ``city.grid`` values (with defaults) and derived ``peak_demand_mw`` and
        ``national_allotment_mw``.
    """

    nodes: pd.DataFrame
    substation_table: pd.DataFrame
    feeder_table: pd.DataFrame
    source_table: pd.DataFrame
    unit_table: pd.DataFrame
    link_table: pd.DataFrame
    group_table: pd.DataFrame
    params: dict[str, Any] = field(default_factory=dict)

    # index arrays (views of the tables, built once)
    @cached_property
    def feeders(self) -> np.ndarray:
        """Node ids of the feeders in feeder order (F,); ``feeder_power`` columns follow this order."""
        return self.feeder_table["node"].to_numpy(np.int64)

    @cached_property
    def feeder_queue(self) -> np.ndarray:
        """Outage queue of each feeder (F,), -1 for critical feeders."""
        return self.feeder_table["queue"].to_numpy(np.int64)

    @cached_property
    def feeder_substation(self) -> np.ndarray:
        """Substation node id of each feeder (F,)."""
        return self.feeder_table["substation"].to_numpy(np.int64)

    @cached_property
    def substations(self) -> np.ndarray:
        """Node ids of the city substations."""
        return self.substation_table["node"].to_numpy(np.int64)

    @cached_property
    def substation_feeds(self) -> tuple[tuple[int, ...], ...]:
        """Transmission-substation node ids feeding each city substation (one or two), substation order."""
        t = self.substation_table
        return tuple((int(a),) if b < 0 else (int(a), int(b))
                     for a, b in zip(t["feed_primary"], t["feed_secondary"], strict=True))

    @cached_property
    def transmission(self) -> np.ndarray:
        """Node ids of the transmission substations."""
        return self.nodes.index[self.nodes["kind"] == "transmission"].to_numpy(np.int64)

    @cached_property
    def heat_sources(self) -> np.ndarray:
        """Node ids of the heat sources (H,): CHPs first, then boiler clusters."""
        return self.source_table["node"].to_numpy(np.int64)

    @cached_property
    def heat_source_feeder(self) -> np.ndarray:
        """Feeder index of each heat source's pumping (H,)."""
        return self.source_table["feeder"].to_numpy(np.int64)

    @cached_property
    def group_feeder(self) -> np.ndarray:
        """Feeder index of each building group (G,)."""
        return self.group_table["feeder"].to_numpy(np.int64)

    @cached_property
    def group_heat_source(self) -> np.ndarray:
        """Heat-source index of each building group (G,), -1 where not on district heating."""
        return self.group_table["source"].to_numpy(np.int64)

    @property
    def n_feeders(self) -> int:
        return len(self.feeder_table)

    @property
    def n_queues(self) -> int:
        return int(self.params["queues"])

    def kind_of(self, node: int) -> str:
        return str(self.nodes.at[node, "kind"])

    def node_id(self, name: str) -> int:
        """Node id of a node name; KeyError (listing nothing) if unknown, see :func:`sim.network.node_ids`."""
        ids = self._ids_by_name
        return ids[name]

    @cached_property
    def _ids_by_name(self) -> dict[str, int]:
        return {str(n): int(i) for i, n in zip(self.nodes.index, self.nodes["name"], strict=True)}


def _interleave(n: int) -> np.ndarray:
    """A deterministic, well-mixed order of 0..n-1 (golden-ratio sequence)."""
    return np.argsort((np.arange(n) * _PHI) % 1.0, kind="stable")


def _picked(i: int, frac: float) -> bool:
    """Deterministic choice of a share ``frac`` of items by index (golden-ratio sequence)."""
    return ((i * _PHI) % 1.0) < frac


def group_design_heat_mw(city: City, indoor_c: float, design_outdoor_c: float) -> np.ndarray:
    """Design heat load of each building group: buildings x steady-state heat loss x (indoor - design). [MW]"""
    g = city.groups
    h = np.array([archetype(a).h_total_w_per_k for a in g["archetype"]])
    return g["n_buildings"].to_numpy(float) * h * (indoor_c - design_outdoor_c) / 1e6


def build_network(city: City, grid_cfg: Mapping | None) -> Network:
    """Build the synthetic grid and heat-network topology of ``city``.

    Parameters
    ----------
    city : City
        Districts and building groups.
    grid_cfg : mapping
        The ``city.grid`` config (keys :data:`~sim.network.params.GRID_DEFAULTS`; missing keys take
        defaults).

    Returns
    -------
    Network
        Deterministic: the same city and config give the same network.

    Examples
    --------
    >>> from omegaconf import OmegaConf
    >>> from sim.config import CityConfig
    >>> from sim.city import build_city
    >>> cfg = OmegaConf.merge(OmegaConf.structured(CityConfig), OmegaConf.load("configs/city/small_town.yaml"))
    >>> net = build_network(build_city(cfg), cfg.grid)
    >>> sorted(set(net.nodes["kind"]))
    ['boiler', 'feeder', 'substation', 'transmission']
    """
    names = city.district_names
    p = grid_params(grid_cfg, names, city.population)
    groups = city.groups
    rows: list[dict[str, Any]] = []

    def add(**kw: Any) -> int:
        rows.append(kw)
        return len(rows) - 1

    n_ts = len(p["transmission_kv"])
    ts_cap = p["national_allotment_mw"] / n_ts
    transmission = [add(name=f"TS-{i + 1}", kind="transmission", voltage_kv=kv, capacity_mw=ts_cap)
                    for i, kv in enumerate(p["transmission_kv"])]

    # city substations, per district, fed by one or two transmission substations
    subs_by_district: dict[str, list[int]] = {}
    sub_rows: list[dict[str, Any]] = []
    for d in names:
        subs_by_district[d] = []
        for k in range(p["substations_per_district"]):
            s_idx = len(sub_rows)
            node = add(name=f"SS-{d}-{k + 1}", kind="substation", district=d, voltage_kv=110.0)
            dual = n_ts > 1 and _picked(s_idx, p["dual_fed_frac"])
            sub_rows.append({"node": node, "district": d, "feed_primary": transmission[s_idx % n_ts],
                             "feed_secondary": transmission[(s_idx + 1) % n_ts] if dual else -1})
            subs_by_district[d].append(node)

    # feeders in outage queues
    feeder_rows: list[dict[str, Any]] = []
    district_feeders: dict[str, list[int]] = {}
    for d in names:
        district_feeders[d] = []
        j = 0
        for f_k in range(p["feeders_per_substation"]):
            for k, sub in enumerate(subs_by_district[d]):
                q = j % p["queues"]
                node = add(name=f"F-{d}-{k + 1}-{f_k + 1}", kind="feeder", district=d, voltage_kv=10.0,
                           queue=q, parent=sub)
                district_feeders[d].append(len(feeder_rows))
                feeder_rows.append({"node": node, "district": d, "queue": q, "substation": sub})
                j += 1

    # heat sources: CHPs, then boiler-house clusters per district
    source_rows: list[dict[str, Any]] = []

    def add_source(name: str, kind: str, district: str, power_mw: float, slot: int, **kw: Any) -> int:
        h = len(source_rows)
        node = add(name=name, kind=kind, district=district, capacity_mw=power_mw, heat_source=h)
        subs = subs_by_district[district]
        sub = subs[slot % len(subs)]
        alt = subs[(slot + 1) % len(subs)] if len(subs) > 1 and _picked(h, p["critical_dual_fed_frac"]) else -1
        f_node = add(name=f"CF-{name}", kind="feeder", district=district, voltage_kv=10.0, critical=True,
                     parent=sub, heat_source=h)
        source_rows.append({"node": node, "name": name, "kind": kind, "district": district,
                            "feeder": len(feeder_rows), **kw})
        feeder_rows.append({"node": f_node, "district": district, "queue": -1, "substation": sub,
                            "alt_substation": alt, "heat_source": h})
        return h

    chp_sources = []
    for i, s in enumerate(p["heat_sources"]):
        home = max(s["districts"], key=s["districts"].get) if s["districts"] else names[0]
        chp_sources.append(add_source(
            s["name"], "chp", home, s["power_mw"], i, interconnected=True, min_supply_frac=s["min_supply_frac"],
            house_load=any(u["kind"] == "turbine" and u["power_mw"] > 0 for u in s["units"]),
            mains_freeze_k_h=s["mains_freeze_k_h"]))

    # assign building groups to feeders and heat zones
    n_g = len(groups)
    group_feeder = np.full(n_g, -1, dtype=np.int64)
    group_source = np.full(n_g, -1, dtype=np.int64)
    district_of = groups["district"].to_numpy()
    is_dh = (groups["heating"] == "district").to_numpy()
    n_build = groups["n_buildings"].to_numpy(dtype=float)
    clusters: list[int] = []
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
            hs = [add_source(f"BH-{d}-{c + 1}", "boiler", d, 0.0, c + 1, interconnected=False,
                             min_supply_frac=1.0, house_load=False,
                             backup_pumping_frac=p["boiler_backup_pumping_frac"],
                             mains_freeze_k_h=p["mains_freeze_k_h"]) for c in range(n_cl)]
            clusters += hs
            group_source[rest] = np.asarray(hs)[np.arange(len(rest)) % n_cl]

    # loads: design heat per group, households per feeder
    design_mw = group_design_heat_mw(city, p["heat_indoor_c"], p["heat_design_outdoor_c"]) * is_dh
    households = groups["households"].to_numpy(float)
    feeder_hh = np.zeros(len(feeder_rows))
    np.add.at(feeder_hh, group_feeder, households)
    for f, row in enumerate(feeder_rows):
        row["households"] = float(feeder_hh[f])

    # units: CHP units by configured shares; boiler houses split the clusters' groups into sections
    n_h = len(source_rows)
    unit_rows: list[dict[str, Any]] = []
    section = np.full(n_g, -1, dtype=np.int64)
    shed_rank = np.full(n_g, -1, dtype=np.int64)
    zone_design = np.zeros(n_h)
    np.add.at(zone_design, group_source[group_source >= 0], design_mw[group_source >= 0])
    n_bh_total = p["boiler_houses"]
    cluster_blocks = np.array([n_build[group_source == h].sum() for h in clusters])
    per_cluster = _split_houses(n_bh_total, cluster_blocks)
    for h in range(n_h):
        zone = np.flatnonzero(group_source == h)
        shed_rank[zone[_interleave(len(zone))]] = np.arange(len(zone))  # 0: served first, shed last
        row = source_rows[h]
        row["design_heat_mw"] = float(zone_design[h])
        if row["kind"] == "chp":
            s = p["heat_sources"][chp_sources.index(h)]
            cap = s["capacity_frac"] * zone_design[h]
            for u in s["units"]:
                unit_rows.append({"source": h, "name": f"{row['name']}/{u['name']}", "kind": u["kind"],
                                  "heat_mw": u["heat_share"] * cap, "power_mw": u["power_mw"]})
            row["capacity_mw"] = float(cap)
        else:
            n_u = max(1, min(int(per_cluster[clusters.index(h)]), len(zone)))
            first = len(unit_rows)
            sec = np.arange(len(zone)) % n_u
            section[zone] = first + sec
            for j in range(n_u):
                cap = p["boiler_capacity_frac"] * float(design_mw[zone[sec == j]].sum())
                unit_rows.append({"source": h, "name": f"{row['name']}/house-{j + 1}", "kind": "boiler_house",
                                  "heat_mw": cap, "power_mw": 0.0})
            row["capacity_mw"] = float(p["boiler_capacity_frac"] * zone_design[h])

    by_name = {r["name"]: h for h, r in enumerate(source_rows)}
    link_rows = []
    for i, link in enumerate(p["links"]):
        for end in ("a", "b"):  # checked here, not in sim.config.grid: boiler clusters are named as built
            if link[end] not in by_name:
                raise ConfigError(f"city.grid.links[{i}].{end}: unknown heat source {link[end]!r}; "
                                  f"valid: {', '.join(by_name)}")
        link_rows.append({"source_a": by_name[link["a"]], "source_b": by_name[link["b"]],
                          "capacity_mw": link["capacity_mw"]})

    nodes = component_table("nodes", rows)
    nodes.index.name = "node"
    group_rows = [{"feeder": int(group_feeder[g]), "source": int(group_source[g]), "section": int(section[g]),
                   "design_heat_mw": float(design_mw[g]), "buildings": float(n_build[g]),
                   "households": float(households[g]), "shed_rank": int(shed_rank[g])} for g in range(n_g)]
    return Network(
        nodes=nodes,
        substation_table=component_table("substations", sub_rows),
        feeder_table=component_table("feeders", feeder_rows),
        source_table=component_table("sources", source_rows),
        unit_table=component_table("units", unit_rows),
        link_table=component_table("links", link_rows),
        group_table=component_table("groups", group_rows),
        params=p,
    )


def _split_houses(total: int, blocks: np.ndarray) -> np.ndarray:
    """Boiler houses per cluster in proportion to its blocks (largest remainder; at least 1 each)."""
    n = len(blocks)
    if n == 0:
        return np.zeros(0, dtype=np.int64)
    if total <= n or blocks.sum() <= 0:
        return np.ones(n, dtype=np.int64)
    raw = total * blocks / blocks.sum()
    out = np.maximum(np.floor(raw).astype(np.int64), 1)
    order = np.argsort(-(raw - np.floor(raw)), kind="stable")
    k = 0
    while out.sum() < total:
        out[order[k % n]] += 1
        k += 1
    return out


def node_listing(net: Network) -> pd.DataFrame:
    """Name, kind and district of every node (what ``coldgrid --nodes`` prints; no coordinates)."""
    return net.nodes[["name", "kind", "district"]].reset_index(drop=True)
