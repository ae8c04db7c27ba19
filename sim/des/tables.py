"""Read-only tables of a DES run, shared by all its realizations (built once, never written).

The component tables of the :class:`~sim.network.Network` turned into plain Python lists and tuples
(fast scalar access in the SimPy processes), the validated repair parameters, and the coefficients of
electric and heat demand. Nothing here changes during a run; the state of one realization lives in
:class:`~sim.des.state.SupplyState`.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np

from sim.network import Network
from sim.timegrid import TimeGrid


class RunTables:
    """The network as lists for the DES, and the run's parameters.

    Parameters
    ----------
    net : Network
    grid : TimeGrid
    rp : dict
        Validated repair parameters (:func:`sim.des.params.repair_params`).
    heater_kw_per_household : float
        Expected electric-heater load of a household without heat (share x heater power). [kW]
    freeze_k_h : numpy.ndarray
        Frost exposure each building group's stopped, filled system stands (G,). [K h]
    """

    def __init__(self, net: Network, grid: TimeGrid, rp: dict, heater_kw_per_household: float,
                 freeze_k_h: np.ndarray) -> None:
        self.net, self.grid, self.rp = net, grid, rp
        p = self.p = net.params
        self.dt_h = float(grid.dt_h)
        self.n_steps = grid.n_steps
        self.crews = {"power": max(1, round(rp["power_crews"] * rp["crew_multiplier"] / rp["power_crews_per_job"])),
                      "heat": max(1, round(rp["heat_crews"] * rp["crew_multiplier"] / rp["heat_crews_per_job"]))}
        nodes = net.nodes
        self.n_nodes = len(nodes)
        self.kinds = [str(k) for k in nodes["kind"]]
        self.node_source = [int(h) for h in nodes["heat_source"]]
        # substations: (index, node, primary TS node, secondary TS node or -1), and by district
        st = net.substation_table
        self.sub_nodes = [int(n) for n in st["node"]]
        self.sub_index = {n: i for i, n in enumerate(self.sub_nodes)}
        self.subs = tuple((i, int(n), int(a), int(b)) for i, (n, a, b) in
                          enumerate(zip(st["node"], st["feed_primary"], st["feed_secondary"], strict=True)))
        self.sub_district = [str(d) for d in st["district"]]
        phi = (math.sqrt(5.0) - 1.0) / 2.0
        #: a share reswitch_frac of the substations can be re-switched to another transmission substation
        self.sub_reswitchable = [((i * phi + 0.5) % 1.0) < rp["reswitch_frac"] for i in range(len(self.sub_nodes))]
        self.district_subs: dict[str, list[int]] = {}
        for i, d in enumerate(self.sub_district):
            self.district_subs.setdefault(d, []).append(i)
        # feeders: substation index, alternative substation index (-1), node, households
        ft = net.feeder_table
        self.n_feeders = len(ft)
        self.feeder_nodes = [int(n) for n in ft["node"]]
        self.feeder_index = {n: f for f, n in enumerate(self.feeder_nodes)}
        self.feeder_sub = [self.sub_index[int(s)] for s in ft["substation"]]
        self.feeder_alt = [self.sub_index[int(s)] if s >= 0 else -1 for s in ft["alt_substation"]]
        self.feeder_hh = [float(h) for h in ft["households"]]
        self.feeder_source = [int(h) for h in ft["heat_source"]]
        self.total_hh = float(sum(self.feeder_hh)) or 1.0
        #: detail of a feeder's ``reconnect`` event (formatted once per run)
        self.feeder_note = [f"{h:.0f} households; back from damage" for h in self.feeder_hh]
        self.sub_feeders: list[list[int]] = [[] for _ in self.sub_nodes]  # its ordinary feeders
        self.sub_all_feeders: list[list[int]] = [[] for _ in self.sub_nodes]  # every feeder it feeds
        for f, s in enumerate(self.feeder_sub):
            if int(ft["queue"].iloc[f]) >= 0:
                self.sub_feeders[s].append(f)
            self.sub_all_feeders[s].append(f)
            if self.feeder_alt[f] >= 0:
                self.sub_all_feeders[self.feeder_alt[f]].append(f)
        # transmission
        ts = net.transmission
        ts_cap = nodes.loc[ts, "capacity_mw"].to_numpy(float)
        self.ts_cap = tuple(zip((int(t) for t in ts), ts_cap.tolist(), strict=True))
        self.ts_cap_total = float(ts_cap.sum()) or 1.0
        #: the nodes whose damage the substations depend on (their own, their feeds, every transmission node)
        self.sub_input_nodes = sorted({n for _i, node, t1, t2 in self.subs for n in (node, t1, t2) if n >= 0}
                                      | {t for t, _c in self.ts_cap})
        self.allotment_mw = float(p["national_allotment_mw"])
        self.ts_headroom = float(p["transmission_headroom_frac"])
        curve = np.asarray(p["allotment_response"], dtype=float)
        self.response_points = (curve[:, 0].tolist(), curve[:, 1].tolist())
        # heat sources and their units
        src = net.source_table
        self.n_sources = len(src)
        self.source_nodes = [int(n) for n in src["node"]]
        self.source_kind = [str(k) for k in src["kind"]]
        self.source_feeder = [int(f) for f in src["feeder"]]
        self.source_interconnected = [bool(x) for x in src["interconnected"]]
        self.source_min_frac = [float(x) for x in src["min_supply_frac"]]
        self.source_house_load = [bool(x) for x in src["house_load"]]
        self.source_backup = [float(x) for x in src["backup_pumping_frac"]]
        self.source_design_mw = [float(x) for x in src["design_heat_mw"]]
        self.source_mains_k_h = [float(x) for x in src["mains_freeze_k_h"]]
        self.source_name = [str(x) for x in src["name"]]
        self.interconnected_sources = [h for h in range(self.n_sources) if self.source_interconnected[h]]
        ut = net.unit_table
        self.n_units = len(ut)
        self.unit_source = [int(h) for h in ut["source"]]
        self.unit_kind = [str(k) for k in ut["kind"]]
        self.unit_heat_mw = [float(x) for x in ut["heat_mw"]]
        self.unit_power_mw = [float(x) * float(p["chp_available_frac"]) for x in ut["power_mw"]]
        self.unit_name = [str(x) for x in ut["name"]]
        self.source_units: list[list[int]] = [[] for _ in range(self.n_sources)]
        for u, h in enumerate(self.unit_source):
            self.source_units[h].append(u)
        #: a boiler house's section has backup pumping (a deterministic share of each cluster's houses)
        phi = (math.sqrt(5.0) - 1.0) / 2.0
        self.unit_backup = [False] * self.n_units
        for h in range(self.n_sources):
            for j, u in enumerate(self.source_units[h]):
                self.unit_backup[u] = ((j * phi) % 1.0) < self.source_backup[h]
        self.chp_power_nominal_mw = float(sum(self.unit_power_mw))
        self.links = [(int(a), int(b), float(c)) for a, b, c in
                      zip(net.link_table["source_a"], net.link_table["source_b"], net.link_table["capacity_mw"],
                          strict=True)]
        self.link_switch_h = float(p["link_switch_h"])
        self.source_links: list[list[int]] = [[] for _ in range(self.n_sources)]
        for i, (a, b, _c) in enumerate(self.links):
            self.source_links[a].append(i)
            self.source_links[b].append(i)
        #: the source at the other end of each of a source's links (in the order of ``source_links``)
        self.source_link_others = [[a if a != h else b for a, b, _c in (self.links[i] for i in self.source_links[h])]
                                   for h in range(self.n_sources)]
        # building groups
        gt = net.group_table
        self.n_groups = len(gt)
        self.group_source = [int(h) for h in gt["source"]]
        self.group_section = [int(u) for u in gt["section"]]
        self.group_design_mw = [float(x) for x in gt["design_heat_mw"]]
        self.group_buildings = [float(x) for x in gt["buildings"]]
        self.group_households = [float(x) for x in gt["households"]]
        self.group_feeder = [int(f) for f in gt["feeder"]]
        self.group_note = [f"{b:.0f} buildings" for b in self.group_buildings]
        rank = gt["shed_rank"].to_numpy()
        src_arr = gt["source"].to_numpy()
        #: groups of each zone in serve order (shed from the end)
        self.zones: list[list[int]] = []
        self.zone_cum_design: list[list[float]] = []
        for h in range(self.n_sources):
            members = np.flatnonzero(src_arr == h)
            members = members[np.argsort(rank[members], kind="stable")]
            self.zones.append([int(g) for g in members])
            self.zone_cum_design.append(np.cumsum(gt["design_heat_mw"].to_numpy()[members]).tolist())
        #: intact network: heat [MW] and electric output [MW] of each source's units, its turbines, the
        #: groups in a zone (1, as a byte per group)
        self.source_heat_mw = [sum(self.unit_heat_mw[u] for u in self.source_units[h]) for h in range(self.n_sources)]
        self.source_power_mw = [sum(self.unit_power_mw[u] for u in self.source_units[h]) for h in range(self.n_sources)]
        self.source_turbines = [sum(1 for u in self.source_units[h] if self.unit_kind[u] == "turbine")
                                for h in range(self.n_sources)]
        self.zone_groups_mask = bytearray(self.n_groups)
        for zone in self.zones:
            for g in zone:
                self.zone_groups_mask[g] = 1
        self.section_groups: list[list[int]] = [[] for _ in range(self.n_units)]
        for g, u in enumerate(self.group_section):
            if u >= 0:
                self.section_groups[u].append(g)
        self.freeze_k_h = [float(x) for x in freeze_k_h]
        self.heater_kw_per_household = float(heater_kw_per_household)
        #: households per MW of design heat: the mobile-boiler priority (most people per unit of heat first)
        self.group_hh_per_mw = [hh / mw if mw > 0 else 0.0
                                for hh, mw in zip(self.group_households, self.group_design_mw, strict=True)]
        # electric demand = peak x (mild_frac + (1 - mild_frac) x clip((mild - T) / (mild - design), 0, 1.5))
        self.mild_c = p["mild_temperature_c"]
        self.mild_span = p["mild_temperature_c"] - p["design_temperature_c"]
        self.peak_mw = p["peak_demand_mw"]
        self.mild_frac = p["mild_demand_frac"]
        self.rise_frac = 1.0 - p["mild_demand_frac"]
        self.block_h = p["queue_block_h"]
        self.n_queues = net.n_queues
        #: the ordinary feeders of each outage queue
        self.queue_feeders: list[list[int]] = [[] for _ in range(self.n_queues)]
        for f, q in enumerate(ft["queue"].tolist()):
            if q >= 0:
                self.queue_feeders[int(q)].append(f)
        self.rounding_tol = p["queue_rounding_tol"]
        # heat demand factor of the network's supply curve
        self.heat_indoor_c = p["heat_indoor_c"]
        self.heat_span_k = p["heat_indoor_c"] - p["heat_design_outdoor_c"]

    def allotment_extra_mw(self, lost_mw: float) -> float:
        """Extra import the national dispatcher grants for ``lost_mw`` of city generation lost: piecewise
        linear in the points of ``allotment_response``, flat beyond them (as :func:`numpy.interp`). [MW]"""
        xs, ys = self.response_points
        if lost_mw <= xs[0]:
            return ys[0]
        for k in range(1, len(xs)):
            if lost_mw <= xs[k]:
                x0, x1 = xs[k - 1], xs[k]
                return ys[k] if x1 == x0 else ys[k - 1] + (ys[k] - ys[k - 1]) * (lost_mw - x0) / (x1 - x0)
        return ys[-1]

    def heat_demand_factor(self, outdoor_c: Any) -> Any:
        """Heat demand relative to design, ``(T_in - T) / (T_in - T_design)``, at least 0. [1]"""
        return np.maximum((self.heat_indoor_c - np.asarray(outdoor_c, dtype=float)) / self.heat_span_k, 0.0)
