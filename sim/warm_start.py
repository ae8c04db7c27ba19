"""The reported-state warm start: which damage explains what the city reported, as ``attacks.hits``.

When a nowcast's ensemble degenerates (:mod:`sim.rejuvenation`), new realizations are started from the
state the reports describe instead of from the model's own histories. The mapping is deterministic and
uses only the network tables (:mod:`sim.network`) and the public keys of the threat (``attacks.hits``,
``first_wave_day``); the DES then does the rest (drains, repairs, refills, dispatch):

1. **Power first.** A district's reported share without power above what the queues off explain
   (step 4) puts substations down; the buildings whose heat source's pumping feeder then has no
   substation left (:func:`pumping_loss`: a boiler cluster's sections without backup pumps, a CHP's zone
   if it has no house load; the feeders and backup houses of :mod:`sim.network.build` and
   :mod:`sim.des.tables`) are without heat already, cause ``no_pumping_power`` in the DES.
2. **Heat.** Each report of buildings without heat (a district, or the city as the sum over districts),
   less the buildings step 1 already explains there (floored at 0), is one row of a linear model ``y_k = sum_s A[k, s] x_s``: ``A[k, s]`` the district-heated buildings
   of heat source s's zone in the report's place (:func:`zone_table`), ``x_s`` in [0, 1] the share of
   the zone without heat. It is solved with bounds by :func:`scipy.optimize.lsq_linear` (Branch, Coleman
   & Li 1999, SIAM J. Sci. Comput. 21(1) 1-23), each row scaled by the report's standard deviation
   under the nowcast's negative-binomial error model (``sqrt(m + m^2/k)``, ``m = y + offset``), with a
   ridge that makes the solution unique: a boiler cluster's share costs :data:`BOILER_RIDGE`, a CHP's
   :data:`CHP_RIDGE` (strikes hit CHPs far more often than one boiler cluster: target weights 14 and 0.5
   per node, ``configs/attacks``), so a loss that a CHP zone explains is given to the CHP. A source's
   share is at most the part of its zone step 1 leaves heated: the substations' loss is not counted twice.
3. **Decisions.** A CHP whose share is at least :data:`CHP_DOWN_FRAC` is hit: still down when the share
   is at least :data:`CHP_OUT_FRAC` (its restart drawn as for a fresh hit of level
   :data:`WARM_LEVEL`, counted from the restart time), else back and refilling (its restart falls on
   the restart time, so its drained buildings wait for refill then). A CHP below
   :data:`CHP_DOWN_FRAC` is taken as running and the fit is repeated without it, so that its buildings
   go to the boiler houses. A boiler cluster's own buildings without heat become boiler houses out, largest
   sections first while a house fits into what is left (:func:`houses_out`; only houses with backup pumps
   when its pumps have no power); their repair is drawn as
   for a fresh hit. Their onset: the first of the consecutive report times up to the restart at which
   the source was already out, less half the time since the report before it (at most
   ``ONSET_LEAD_MAX_H``; a refilling CHP zone at least :data:`REFILL_LEAD_H` before the restart, so
   that the operators had a reason to drain it).
4. **Power.** A district's reported share without power above what the queues off explain
   (``share = f + (1 - f) q / n``: ``f`` the share of the district's feeders cut by damaged substations,
   ``q`` of ``n`` queues off; ``q`` from the city's report at that time, else the ensemble's median)
   becomes ``round(f x substations)`` of its city substations down (level :data:`WARM_LEVEL`), in the
   order of the network table (at the earlier report times too, for step 1 there, with the same fallback
   of queues). Transmission damage is not inverted: the queues follow from the CHPs'
   lost generation and the dispatch (docs/nowcast.md, "Limits").

The result is a :class:`WarmStart`: hits as ``attacks.hits`` rows (node name, day, damage, repair
days) plus the boiler houses struck, and a one-line summary. :func:`warm_start_campaign` draws the
campaign of the restarted realizations: the run's policy with fresh random streams, the warm-start hits,
no wave before the restart (the reports replace the history), and the renewal process of waves
anchored at the latest onset (``first_wave_day``), so that the next wave follows the last as the
policy's intervals say.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field, replace
from typing import Any

import numpy as np
import pandas as pd
from omegaconf import DictConfig, OmegaConf, open_dict
from scipy.optimize import lsq_linear

from sim.city import City
from sim.config.attacks import CONTINUED_POLICIES
from sim.network import Network
from sim.observations import CITY, Observations
from sim.predicted_reports import to_datetime64
from sim.threat import Campaign, make_campaign
from sim.timegrid import TimeGrid

_PHI = (math.sqrt(5.0) - 1.0) / 2.0  # the interleave of sim.des.tables (which boiler houses have backup pumps)

__all__ = [
    "BOILER_RIDGE",
    "CHP_DOWN_FRAC",
    "CHP_OUT_FRAC",
    "CHP_RIDGE",
    "WARM_LEVEL",
    "WarmStart",
    "ZoneTable",
    "explain_heat",
    "houses_out",
    "pumping_loss",
    "reported_warm_start",
    "warm_start_campaign",
    "zone_table",
]

#: Ridge weight of a CHP's share without heat, in units of one report standard deviation squared [L].
CHP_RIDGE = 0.01
#: Ridge weight of a boiler cluster's share (strikes hit a CHP 28 times as often as one cluster) [L].
BOILER_RIDGE = 3.0
#: A CHP zone with at least this share without heat is hit (down or refilling) [L]: the DES sheds a
#: running CHP's zone only below half its demand (``min_supply_frac`` 0.5), so a smaller loss is more
#: likely boiler houses or a partial refill than a trip.
CHP_DOWN_FRAC = 0.5
#: A district's share without power counts as damage beyond the queues when it exceeds their share by this
#: many standard deviations of the report error (the beta model of ``nowcast.power_precision``) [L].
POWER_SIGNIFICANCE = 3.0
#: ... and at least this share: still out at the restart (below, after an earlier outage: back and refilling) [L].
CHP_OUT_FRAC = 0.85
#: Damage level of warm-start hits: the middle level; the repair is drawn as for a wave's hit of it [L].
WARM_LEVEL = "moderate"
#: The damage is placed half-way between the last report that did not show it and the first that did,
#: at most this long before the latter [L]. [h]
ONSET_LEAD_MAX_H = 12.0


@dataclass(frozen=True)
class ZoneTable:
    """District-heated buildings by district and heat source; the boiler houses and their sections.

    Attributes
    ----------
    districts : list of str
    sources : pandas.DataFrame
        One row per heat source (index = source index): ``node`` (node id), ``name``, ``kind`` (chp or
        boiler), ``district``.
    buildings : numpy.ndarray
        (D, S) buildings of source s's zone in district d. [buildings]
    houses : pandas.DataFrame
        Boiler houses: ``unit`` (unit index), ``source``, ``name``, ``buildings`` (of its section).
    substations : pandas.DataFrame
        ``node``, ``name``, ``district`` of the city substations, in the network's order.
    pump_substations : numpy.ndarray, optional
        int (S, 2): node ids of the substations that feed source s's pumping feeder (the second -1 when
        single-fed); None: no source depends on the grid (the zones alone, as in the examples).
    pump_buildings : numpy.ndarray, optional
        (D, S) buildings of source s's zone in district d that lose heat when its pumps lose grid power:
        a boiler cluster's sections without backup pumping, a CHP's zone when it has no house load of
        its own (a running CHP with turbines powers its own pumps: ``sim.des.state``). [buildings]
    """

    districts: list[str]
    sources: pd.DataFrame
    buildings: np.ndarray
    houses: pd.DataFrame
    substations: pd.DataFrame
    pump_substations: np.ndarray | None = None
    pump_buildings: np.ndarray | None = None


def zone_table(city: City, network: Network) -> ZoneTable:
    """The zone matrix of ``city`` on ``network`` (district-heated groups only)."""
    g = city.groups
    src = np.asarray(network.group_heat_source)
    n_d, n_s = len(city.districts), len(network.source_table)
    dh = src >= 0
    A = np.zeros((n_d, n_s))
    np.add.at(A, (g["district_index"].to_numpy()[dh], src[dh]), g["n_buildings"].to_numpy(float)[dh])
    st = network.source_table
    sources = pd.DataFrame({"node": st["node"].to_numpy(np.int64), "name": st["name"].astype(str),
                            "kind": st["kind"].astype(str), "district": st["district"].astype(str)})
    section = network.group_table["section"].to_numpy()
    units = network.unit_table
    is_house = (units["kind"] == "boiler_house").to_numpy()
    sec_b = np.bincount(section[dh & (section >= 0)], weights=g["n_buildings"].to_numpy(float)[dh & (section >= 0)],
                        minlength=len(units))
    # a boiler house's section has backup pumping by the deterministic rule of sim.des.tables.RunTables
    unit_src = units["source"].to_numpy()
    backup_frac = st["backup_pumping_frac"].to_numpy(float)
    j_in_src = pd.Series(unit_src).groupby(unit_src).cumcount().to_numpy()
    backup = ((j_in_src * _PHI) % 1.0) < backup_frac[unit_src]
    houses = pd.DataFrame({"unit": np.flatnonzero(is_house), "source": unit_src[is_house],
                           "name": units["name"].astype(str).to_numpy()[is_house], "buildings": sec_b[is_house],
                           "backup": backup[is_house]})
    # the substations of each source's pumping feeder, and the buildings that its pumps' stop leaves cold
    ft = network.feeder_table
    f_of = st["feeder"].to_numpy(np.int64)
    pump_subs = np.stack([ft["substation"].to_numpy(np.int64)[f_of], ft["alt_substation"].to_numpy(np.int64)[f_of]],
                         axis=1)
    dark_frac = np.zeros(n_s)
    for s in range(n_s):
        if st["kind"].iloc[s] == "chp":
            dark_frac[s] = 0.0 if bool(st["house_load"].iloc[s]) else 1.0
        else:
            mine = is_house & (unit_src == s)
            total = sec_b[mine].sum()
            dark_frac[s] = sec_b[mine & ~backup].sum() / total if total > 0 else 0.0
    nodes = network.nodes
    sub = network.substation_table
    substations = pd.DataFrame({"node": sub["node"].to_numpy(np.int64),
                                "name": nodes["name"].to_numpy()[sub["node"].to_numpy()].astype(str),
                                "district": sub["district"].astype(str).to_numpy()})
    return ZoneTable(list(city.district_names), sources, A, houses, substations, pump_subs, A * dark_frac[None, :])


def pumping_loss(zones: ZoneTable, down: set[int]) -> np.ndarray:
    """Buildings without heat that substations ``down`` (node ids) already cause: (D, S), by district and
    source, the buildings of each source whose pumping feeder has no substation left (``pump_buildings``).

    Examples
    --------
    A boiler cluster whose pumps hang on substation 5 alone (60 of its 80 buildings without backup) and
    one fed from 5 and 6:

    >>> z = ZoneTable(["a"], pd.DataFrame({"kind": ["boiler", "boiler"]}), np.array([[80.0, 40.0]]),
    ...               pd.DataFrame(), pd.DataFrame(), np.array([[5, -1], [5, 6]]), np.array([[60.0, 40.0]]))
    >>> pumping_loss(z, {5}).tolist(), pumping_loss(z, {5, 6}).tolist()
    ([[60.0, 0.0]], [[60.0, 40.0]])
    """
    out = np.zeros_like(zones.buildings)
    if zones.pump_substations is None or zones.pump_buildings is None or not down:
        return out
    ps = zones.pump_substations
    lost = np.isin(ps[:, 0], list(down)) & ((ps[:, 1] < 0) | np.isin(ps[:, 1], list(down)))
    out[:, lost] = zones.pump_buildings[:, lost]
    return out


def _report_rows(reports: Observations, at: np.datetime64, quantity: str) -> pd.DataFrame:
    t = reports.table
    return t[(t["time"].to_numpy("datetime64[ns]") == to_datetime64(at)) & (t["quantity"] == quantity)]


def explain_heat(zones: ZoneTable, rows: pd.DataFrame, dispersion: float, offset: float,
                 fixed_off: np.ndarray | None = None, explained: np.ndarray | None = None) -> np.ndarray:
    """Share of each heat source's zone without heat that explains reports of buildings without heat.

    Parameters
    ----------
    zones : ZoneTable
    rows : pandas.DataFrame
        Reports (:class:`~sim.observations.Observations` table rows) of ``buildings_without_heat`` at one time.
    dispersion, offset : float
        The nowcast's negative-binomial error model (``heat_dispersion``, ``heat_offset_buildings``).
    fixed_off : numpy.ndarray, optional
        bool (S,): sources held at 0 (running).
    explained : numpy.ndarray, optional
        (D, S) buildings already without heat for another reason (:func:`pumping_loss` of the substations
        down). Only the rest of each report, ``max(y - explained, 0)``, is explained, and a source's share
        is at most the part of its zone not already without heat. [buildings]

    Returns
    -------
    numpy.ndarray
        (S,) shares in [0, 1] of the sources' own losses (beyond ``explained``); zeros without reports. [1]

    Examples
    --------
    Two districts, a CHP zone over both (100 and 50 buildings) and one boiler cluster in each (20, 30):
    the CHP zone out and nothing else reproduces 100 and 50.

    >>> z = ZoneTable(["a", "b"], pd.DataFrame({"node": [0, 1, 2], "name": ["C", "Ba", "Bb"],
    ...               "kind": ["chp", "boiler", "boiler"], "district": ["a", "a", "b"]}),
    ...               np.array([[100.0, 20.0, 0.0], [50.0, 0.0, 30.0]]), pd.DataFrame(), pd.DataFrame())
    >>> rows = pd.DataFrame({"district_index": [0, 1], "value": [100.0, 50.0]})
    >>> explain_heat(z, rows, 25.0, 5.0).round(2).tolist()
    [1.0, 0.0, 0.0]
    """
    n_s = zones.buildings.shape[1]
    if len(rows) == 0:
        return np.zeros(n_s)
    d = rows["district_index"].to_numpy()
    A = np.where((d == CITY)[:, None], zones.buildings.sum(axis=0)[None, :], zones.buildings[np.maximum(d, 0)])
    y_rep = rows["value"].to_numpy(float)
    m = y_rep + offset
    sd = np.sqrt(m + m * m / dispersion)  # the report's error, whatever part of it is explained already
    upper = np.ones(n_s)
    y = y_rep
    if explained is not None:
        e = np.where(d == CITY, explained.sum(), explained[np.maximum(d, 0)].sum(axis=1))
        y = np.maximum(y_rep - e, 0.0)
        zone = zones.buildings.sum(axis=0)
        upper = np.clip(1.0 - np.divide(explained.sum(axis=0), zone, out=np.zeros(n_s), where=zone > 0), 1e-12, 1.0)
    is_chp = (zones.sources["kind"] == "chp").to_numpy()
    ridge = np.sqrt(np.where(is_chp, CHP_RIDGE, BOILER_RIDGE))
    if fixed_off is not None:
        upper = np.where(fixed_off, 1e-12, upper)
    M = np.vstack([A / sd[:, None], np.diag(ridge)])
    b = np.concatenate([y / sd, np.zeros(n_s)])
    x = np.clip(lsq_linear(M, b, bounds=(np.zeros(n_s), upper), method="bvls").x, 0.0, 1.0)
    return np.where(upper > 1e-12, x, 0.0)  # held off, or all of the zone explained already


def houses_out(houses: pd.DataFrame, buildings: float) -> list[int]:
    """Boiler houses (rows of ``houses``) whose sections make up about ``buildings`` buildings.

    Largest sections first, each taken while it fits into what is left plus half of itself (so that a
    remainder is rounded to the nearest section). [buildings]

    Examples
    --------
    >>> h = pd.DataFrame({"unit": [7, 8, 9], "buildings": [40.0, 25.0, 10.0]})
    >>> houses_out(h, 62.0), houses_out(h, 4.0), houses_out(h, 80.0)
    ([7, 8], [], [7, 8, 9])
    """
    out, left = [], float(buildings)
    for _, h in houses.sort_values("buildings", ascending=False, kind="stable").iterrows():
        if h["buildings"] <= left + 0.5 * h["buildings"] and h["buildings"] > 0:
            out.append(int(h["unit"]))
            left -= float(h["buildings"])
    return out


@dataclass(frozen=True)
class WarmStart:
    """A reported-state warm start at ``restart``: what is down, since when.

    Attributes
    ----------
    restart : numpy.datetime64
        The report time the state describes (the restarted realizations' weights use the reports from it on).
    restart_h : float
        Hours since the run's start. [h]
    hits : list of dict
        ``attacks.hits`` rows ``{node, day, damage, repair_days}`` at the onset, ``repair_days`` None (the
        damage level and repair are drawn per realization, see :func:`warm_start_campaign`).
    units : list of int
        Per hit: the boiler house struck (unit index), -1: the threat's draw (CHPs, substations).
    states : list of str
        Per hit, what the reports say at the restart: ``out`` (the repair outlasts the restart),
        ``back`` (a CHP zone refilling: the plant returned before it) or ``either``.
    onset_h : float or None
        The latest onset [h since start]: anchors the waves after the restart; None without hits.
    heat_share : dict
        Source name -> share of its zone without heat at the restart by its own loss (the fit, beyond what
        the substations down explain). [1]
    summary : str
        One line, e.g. ``CHP-5 since 12:00, Darnytsia CHP since 12:00 out, 4 boiler houses out, 2 substations down``.
    ancestors : numpy.ndarray or None
        An ancestor warm start (:mod:`sim.ancestor_start`) instead: int (R_g, 2), the (generation,
        realization) whose history restarted realization i continues; None: the reported state above.
    conditional_waves : bool
        With ``ancestors``: the waves after the restart from the renewal process conditioned on each
        ancestor's waves before it (:func:`sim.ancestor_start.conditional_next_wave_h`; the forecast move);
        False: wave 0 at the ancestor's latest wave, later waves before the restart dropped.
    """

    restart: np.datetime64
    restart_h: float
    hits: list[dict[str, Any]] = field(default_factory=list)
    units: list[int] = field(default_factory=list)
    states: list[str] = field(default_factory=list)
    onset_h: float | None = None
    heat_share: dict[str, float] = field(default_factory=dict)
    summary: str = "nothing down"
    ancestors: np.ndarray | None = None
    conditional_waves: bool = False

    @property
    def distinct_ancestors(self) -> int:
        """How many distinct (generation, realization) histories an ancestor warm start continues; 0 for
        the reported state."""
        return 0 if self.ancestors is None else distinct_histories(self.ancestors)


def distinct_histories(ancestors: np.ndarray) -> int:
    """The number of distinct (generation, realization) pairs of an (R, 2) ancestor table."""
    return len({(int(g), int(r)) for g, r in np.asarray(ancestors).reshape(-1, 2)})


def _heat_shares(zones: ZoneTable, reports: Observations, at: np.datetime64, cfg: Any,
                 explained: np.ndarray | None = None) -> np.ndarray:
    rows = _report_rows(reports, at, "buildings_without_heat")
    k, off = float(cfg.heat_dispersion), float(cfg.heat_offset_buildings)
    x = explain_heat(zones, rows, k, off, explained=explained)
    is_chp = (zones.sources["kind"] == "chp").to_numpy()
    running = is_chp & (x < CHP_DOWN_FRAC)
    if running.any() and len(rows):
        x = explain_heat(zones, rows, k, off, fixed_off=running, explained=explained)
    return x


def _substations_down(zones: ZoneTable, reports: Observations, at: np.datetime64, cfg: Any, n_queues: int,
                      queues_fallback: float) -> list[tuple[int, str]]:
    """City substations (node id, name) down at report time ``at``: per district, ``round(f x
    substations)`` in the network's order, ``f`` the share of the reported share without power beyond
    what the queues off explain (module docstring, step 3)."""
    q_rows = _report_rows(reports, at, "queues_off")
    q = float(q_rows["value"].iloc[0]) if len(q_rows) else float(queues_fallback)
    base = min(max(q / max(n_queues, 1), 0.0), 1.0)
    sd = math.sqrt(base * (1.0 - base) / (float(cfg.power_precision) + 1.0))  # the beta error model at base
    p_rows = _report_rows(reports, at, "share_without_power")
    out: list[tuple[int, str]] = []
    for _, row in p_rows[p_rows["district_index"] != CITY].iterrows():
        excess = float(row["value"]) - base
        if base >= 1.0 or excess <= POWER_SIGNIFICANCE * sd:
            continue
        subs = zones.substations[zones.substations["district"] == zones.districts[int(row["district_index"])]]
        n_down = min(len(subs), max(0, round(excess / (1.0 - base) * len(subs))))
        out += [(int(n), str(name)) for n, name in zip(subs["node"].iloc[:n_down], subs["name"].iloc[:n_down],
                                                           strict=True)]
    return out


def _onset(times: np.ndarray, i_first: int, start: np.datetime64) -> np.datetime64:
    prev = times[i_first - 1] if i_first > 0 else start
    lead = min(ONSET_LEAD_MAX_H * 3600e9, 0.5 * float((times[i_first] - prev).astype("timedelta64[ns]").astype(float)))
    return times[i_first] - np.timedelta64(int(lead), "ns")


def reported_warm_start(zones: ZoneTable, reports: Observations, restart: np.datetime64, start: np.datetime64,
                        cfg: Any, n_queues: int, queues_fallback: float = 0.0) -> WarmStart:
    """The warm start that explains the reports at ``restart`` (module docstring: the mapping).

    Parameters
    ----------
    zones : ZoneTable
    reports : Observations
        The nowcast's reports (those up to ``restart`` are used).
    restart : numpy.datetime64
        A report time.
    start : numpy.datetime64
        The run's start (onsets are not earlier).
    cfg : NowcastConfig or omegaconf.DictConfig
        The error model (``heat_dispersion``, ``heat_offset_buildings``, ``power_precision``).
    n_queues : int
        The city's outage queues. [queues]
    queues_fallback : float
        Queues off at ``restart`` when the city did not report them (e.g. the ensemble's median). [queues]
    """
    restart = to_datetime64(restart)
    start = to_datetime64(start)
    times = reports.times
    times = times[times <= restart]
    # substations first: the buildings whose pumps they stop are without heat already (not boiler houses out)
    subs_down = [_substations_down(zones, reports, t, cfg, n_queues, queues_fallback) for t in times]
    pump_lost = [pumping_loss(zones, {n for n, _ in sd_t}) for sd_t in subs_down]
    shares = np.array([_heat_shares(zones, reports, t, cfg, e) for t, e in zip(times, pump_lost, strict=True)])
    src = zones.sources
    is_chp = (src["kind"] == "chp").to_numpy()

    def hour(t: np.datetime64) -> float:
        return float((to_datetime64(t) - start).astype("timedelta64[ns]").astype(float)) / 3600e9

    hits, units, states, onsets, chps = [], [], [], [], []
    n_houses = 0
    for s in range(len(src)):
        out = shares[:, s] >= (CHP_DOWN_FRAC if is_chp[s] else 1e-9)
        if not out[-1]:
            continue
        i_first = len(out) - 1
        while i_first > 0 and out[i_first - 1]:
            i_first -= 1
        on_h = hour(max(_onset(times, i_first, start), start))
        name = str(src["name"].iloc[s])
        mine = zones.houses[zones.houses["source"] == s]
        if pump_lost[-1][:, s].any() and "backup" in mine:  # the houses without pumps are out already
            mine = mine[mine["backup"].to_numpy(bool)]
        picked = [-1] if is_chp[s] else houses_out(mine, shares[-1, s] * zones.buildings[:, s].sum())
        state = "out"
        if is_chp[s] and shares[-1, s] < CHP_OUT_FRAC:
            state = "back" if i_first < len(out) - 1 else "either"  # refilling after an earlier outage
        for u in picked:
            hits.append({"node": name, "day": on_h / 24.0, "damage": WARM_LEVEL, "repair_days": None})
            units.append(u)
            states.append(state)
        if picked:
            onsets.append(on_h)
        if is_chp[s]:
            chps.append(f"{name} since {_clock(start, on_h)}")
        else:
            n_houses += len(picked)
    # power: substations down where the share without power exceeds what the queues explain
    prev = times[times < restart]
    sub_h = hour(max(_onset(np.append(prev, restart), len(prev), start), start))
    subs_at = subs_down[-1] if len(times) and times[-1] == restart else []
    for _, node_name in subs_at:
        hits.append({"node": node_name, "day": sub_h / 24.0, "damage": WARM_LEVEL, "repair_days": None})
        units.append(-1)
        states.append("out")
    if subs_at:
        onsets.append(sub_h)
    n_subs = len(subs_at)
    parts = [", ".join(chps) + " out"] if chps else []
    if n_houses:
        parts.append(f"{n_houses} boiler house{'s' if n_houses != 1 else ''} out")
    if n_subs:
        parts.append(f"{n_subs} substation{'s' if n_subs != 1 else ''} down")
    return WarmStart(
        restart=restart, restart_h=hour(restart), hits=hits, units=units, states=states,
        onset_h=max(onsets) if onsets else None,
        heat_share={str(src["name"].iloc[s]): float(shares[-1, s]) for s in range(len(src)) if shares[-1, s] > 0},
        summary=", ".join(parts) if parts else "nothing down",
    )


def _clock(start: np.datetime64, hours: float) -> str:
    """``HH:MM`` (with the day when not the first) of ``hours`` after ``start``."""
    t = to_datetime64(start, "m") + np.timedelta64(round(hours * 60), "m")
    day = int((t.astype("datetime64[D]") - to_datetime64(start, "D")).astype(int))
    return (f"day {day} " if day else "") + str(t)[11:16]


def _restart_attacks(attacks_cfg: Any, warm: WarmStart) -> DictConfig:
    """The attacks config of the restarted realizations: the user's hits that outlast the restart, the
    warm-start hits, the waves anchored at the latest onset."""
    plain = OmegaConf.to_container(attacks_cfg, resolve=True) if OmegaConf.is_config(attacks_cfg) else (
        dict(attacks_cfg.__dict__) if hasattr(attacks_cfg, "__dataclass_fields__") else dict(attacks_cfg))
    cfg: Any = OmegaConf.create(plain)  # untyped: the warm-start hits are plain rows
    kept = []
    given = cfg.get("hits")
    rows: Any = OmegaConf.to_container(given, resolve=True) if OmegaConf.is_config(given) else list(given or [])
    for h in rows:
        day, rd = float(h.get("day", 0.0)), h.get("repair_days")
        lasting = str(h.get("damage", "destroyed")) == "destroyed" or (rd is not None and (day + float(rd)) * 24.0
                                                                        > warm.restart_h)
        if day * 24.0 >= warm.restart_h or lasting:
            kept.append(h)
    with open_dict(cfg):
        cfg.hits = kept + list(warm.hits)
        if str(cfg.policy) in CONTINUED_POLICIES:
            fwd = cfg.get("first_wave_day")
            if warm.onset_h is not None and (fwd is None or float(fwd) * 24.0 < warm.restart_h):
                cfg.first_wave_day = warm.onset_h / 24.0  # wave 0 stands for the damage; removed below
    return cfg


def warm_start_campaign(attacks_cfg: Any, network: Network, grid: TimeGrid, n_realizations: int, seed: int,
                        warm: WarmStart) -> Campaign:
    """The campaign of realizations restarted from ``warm``: ``attacks`` with fresh streams (``seed``).

    Waves before the restart are removed with their hits and alerts (the reports describe what they did),
    and so is wave 0 of an anchored renewal process (it stands for the damage of the warm start). Each
    warm-start hit gets, per realization, a damage level drawn from the node's level probabilities (its
    own ``damage_probs`` for a heat source that has them, else ``attacks.damage_probs``; ``destroyed``
    left out: the reports cannot tell yet; stream ``warm_start_level`` keyed by the hit) and the repair
    of that level (the lognormal draw of the threat rescaled by the ratio of the levels' medians, so the
    draw itself is the threat's), counted from the onset; a boiler cluster's hit strikes the house of
    ``warm.units``. Hits of ``attacks.hits`` keep their rows.
    """
    from sim.rng import stream
    from sim.threat import DRAWN_LEVELS, SOURCE_KINDS, TRANSFORMER_KINDS

    cfg = _restart_attacks(attacks_cfg, warm)
    camp = make_campaign(cfg, network, grid, n_realizations, seed)
    restart_h = warm.restart_h
    waves = camp.waves
    anchored = str(cfg.policy) in CONTINUED_POLICIES and warm.onset_h is not None
    onset_wave = (anchored & (waves["wave"] == 0)).to_numpy()  # the wave of the warm start's damage
    drop = (waves["time_h"] < restart_h).to_numpy() & ~onset_wave
    dropped = set(zip(waves.loc[drop, "realization"], waves.loc[drop, "wave"], strict=True))
    hits = camp.hits.copy()
    keys = list(zip(hits["realization"], hits["wave"], strict=True))
    in_dropped = np.array([k in dropped for k in keys], dtype=bool) & (hits["wave"] >= 0).to_numpy()
    # the onset wave keeps what it did to the grid (transmission, substations, feeders: drawn as usual);
    # its heat-source hits are replaced by the warm start's
    source_hit = (hits["wave"] == 0).to_numpy() & anchored & np.isin(hits["node_kind"].to_numpy(), SOURCE_KINDS)
    hits = hits[~(in_dropped | source_hit)].copy()
    n_warm = len(warm.hits)
    if n_warm:
        p = camp.params
        # the warm-start hits are the last explicit rows of each realization, in the order of warm.hits
        explicit = hits.index[hits["explicit"].to_numpy(bool)]
        per_r = hits.loc[explicit].groupby("realization").cumcount(ascending=False).to_numpy()
        mine = explicit[per_r < n_warm]
        pos = n_warm - 1 - per_r[per_r < n_warm]
        units = np.asarray(warm.units, dtype=np.int64)[pos]
        hits.loc[mine[units >= 0], "unit"] = units[units >= 0]
        own = _own_level_probs(network)
        levels, scale, unit_scale, elapsed, medians = [], [], [], [], []
        for idx, i in zip(mine, pos, strict=True):
            row = hits.loc[idx]
            kind, node = str(row["node_kind"]), int(row["node"])
            probs = own.get(node) or p["damage_probs"]
            pr = np.array([float(probs.get(lv, 0.0)) for lv in DRAWN_LEVELS])
            u = stream(seed, "warm_start_level", int(row["realization"]), int(i)).random()
            lv = DRAWN_LEVELS[min(int(np.searchsorted(np.cumsum(pr / pr.sum()), u, side="right")), 2)]
            levels.append(lv)
            med = p["repair_median_h"].get(kind, {})
            scale.append(float(med.get(lv, 1.0)) / float(med.get(WARM_LEVEL, 1.0)))
            medians.append(float(med.get(lv, 0.0)))
            um = p["unit_repair_median_h"]
            unit_scale.append(float(um[lv]) / float(um[WARM_LEVEL]) if kind == "chp" else 1.0)
            elapsed.append(restart_h - float(row["time_h"]))
        levels_a = np.array(levels, dtype=object)
        hits.loc[mine, "damage"] = levels_a
        repair = hits.loc[mine, "repair_h"].to_numpy(float) * np.array(scale)
        hits.loc[mine, "repair_h"] = _as_reported(repair, np.array(medians), np.array(elapsed),
                                                  np.asarray(warm.states, dtype=object)[pos], float(p["repair_sigma"]))
        hits.loc[mine, "unit_repair_h"] = hits.loc[mine, "unit_repair_h"].to_numpy(float) * np.array(unit_scale)
        hits.loc[mine, "needs_transformer"] = (levels_a == "severe") & np.isin(
            hits.loc[mine, "node_kind"].to_numpy(), TRANSFORMER_KINDS)
    alerts = camp.alerts
    a_keys = list(zip(alerts["realization"], alerts["wave"], strict=True))
    alerts = alerts[~np.array([(w >= 0 and (r, w) in dropped) for r, w in a_keys], dtype=bool)]
    n_hits = hits[hits["wave"] >= 0].groupby(["realization", "wave"]).size()
    waves = waves[~drop].copy()
    if len(waves):
        waves["n_hits"] = [int(n_hits.get((r, w), 0)) for r, w in zip(waves["realization"], waves["wave"],
                                                                       strict=True)]
    return replace(camp, waves=waves.reset_index(drop=True), hits=hits.reset_index(drop=True),
                   alerts=alerts.reset_index(drop=True))


def _as_reported(repair_h: np.ndarray, median_h: np.ndarray, elapsed_h: np.ndarray, states: np.ndarray,
                 sigma: float) -> np.ndarray:
    """Lognormal repair times conditioned on what the reports say at the restart: ``out`` -> longer than
    the time since the onset, ``back`` -> shorter, ``either`` -> as drawn. The threat's draw ``r = m
    exp(sigma z)`` keeps its quantile ``u = Phi(z)``, mapped into the truncated range by the inverse CDF
    (``z' = Phi^-1(Phi(a) + u (1 - Phi(a)))`` above ``a = ln(e / m) / sigma``, ``Phi^-1(u Phi(a))`` below),
    so the result is an exact draw of the truncated lognormal. [h]

    Examples
    --------
    >>> r = _as_reported(np.array([2.0, 2.0, 50.0, 50.0]), np.full(4, 12.0), np.full(4, 10.0),
    ...                  np.array(["out", "either", "back", "out"], dtype=object), 0.5)
    >>> bool(r[0] > 10.0), float(r[1]), bool(r[2] < 10.0), bool(r[3] == 50.0)
    (True, 2.0, True, False)
    """
    from scipy.stats import norm

    out = np.asarray(repair_h, dtype=float).copy()
    m = np.asarray(median_h, dtype=float)
    e = np.maximum(np.asarray(elapsed_h, dtype=float), 1e-9)
    use = np.isfinite(out) & (out > 0) & (m > 0) & (states != "either")
    if sigma <= 0 or not use.any():
        return out
    u = norm.cdf(np.log(out[use] / m[use]) / sigma)
    fa = norm.cdf(np.log(e[use] / m[use]) / sigma)
    q = np.where(states[use] == "out", fa + u * (1.0 - fa), u * fa)
    out[use] = m[use] * np.exp(sigma * norm.ppf(np.clip(q, 1e-12, 1.0 - 1e-12)))
    return out


def _own_level_probs(network: Network) -> dict[int, dict[str, float]]:
    """Heat-source nodes with damage-level probabilities of their own (``city.grid.heat_sources``)."""
    out = {}
    for i, s in enumerate(network.params.get("heat_sources", [])):
        if s.get("damage_probs"):
            out[int(network.source_table["node"].iloc[i])] = dict(s["damage_probs"])
    return out
