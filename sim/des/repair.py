"""Repair: crews by trade, spare and mobile transformers, re-switching, and air-raid alerts that stop work.

Crews are :class:`~sim.des.simpy_adapter.CrewPool` s (SimPy priority resources) by trade (``power``,
``heat``); a job holds one crew (for grid nodes and CHPs a team of ``power_crews_per_job`` crews counts as
one) for its work hours, heat sources and transmission first (:data:`PRIORITY`). During an air-raid alert
every crew stops (a SimPy ``Interrupt``) and resumes its remaining work at the all-clear. A repaired node
can be hit again; a node hit while under repair gets the new work added to its job, and a transformer if
the new damage needs one (also when the job is already under way). A destroyed node is never repaired.

Large transformers (calibration B5): severe damage of a substation needs one from a stock of spares
(``transformer_spares``; each one taken is reordered and arrives after ``transformer_lead_days``, ~6 months
new; installing a spare is part of the drawn repair time, ~3 weeks). Until then the grid works around it:
after ``reswitch_h`` a share ``reswitch_frac`` of the substation's feeders are re-switched to neighbouring
substations of the district (while one of them is energized), and a mobile/substitute transformer (a
pool of ``mobile_transformers``) carries the whole substation ``mobile_transformer_install_h`` after it
is free, until the permanent repair. A damaged CHP unit is repaired by the plant's own staff
(:func:`unit_repair`, no city crew).
"""

from __future__ import annotations

from collections.abc import Callable, Generator, Iterable
from typing import TYPE_CHECKING

import simpy

from sim.des.simpy_adapter import CrewPool, active_process

if TYPE_CHECKING:
    from sim.des.state import SupplyState

#: Trade and priority (lower first) of a repair job by node kind: heat sources and transmission first.
PRIORITY: dict[str, tuple[str, int]] = {
    "chp": ("power", 0),
    "transmission": ("power", 0),
    "substation": ("power", 1),
    "feeder": ("power", 2),
    "boiler": ("heat", 0),
}

#: A log entry: ``(time_h, kind, node, group, detail)`` (node or group -1 when not applicable).
LogFn = Callable[[float, str, int, int, str], None]


class RepairShop:
    """Crews, spare transformers and the alert state of one realization.

    Parameters
    ----------
    env : simpy.Environment
    crews : dict
        Trade -> number of crews (teams) [crews].
    transformer_spares : int
        Large transformers in stock [units].
    transformer_lead_h : float
        Lead time of a reordered transformer [h].
    log : callable, optional
        Receives ``(time_h, kind, node, group, detail)`` records.
    """

    def __init__(self, env: simpy.Environment, crews: dict[str, int], transformer_spares: int = 0,
                 transformer_lead_h: float = 4320.0, log: LogFn | None = None) -> None:
        self.env = env
        self.crews = {trade: CrewPool(env, capacity=max(1, int(n))) for trade, n in crews.items()}
        self.transformers = simpy.Container(env, init=int(transformer_spares), capacity=1e9)
        self.transformer_lead_h = float(transformer_lead_h)
        self.alert_on = False
        self.all_clear = env.event()
        self.working: dict[simpy.Process, None] = {}  # crews at work, in the order they started
        self.pending_work: dict[int, float] = {}
        self.needs_transformer: dict[int, bool] = {}
        self.has_transformer: set[int] = set()
        self.waits_h: list[float] = []
        self.log: LogFn = log or (lambda *a: None)

    def add_work(self, node: int, hours: float, needs_transformer: bool = False) -> bool:
        """Add repair work to ``node``; True when a new job must be started (no crew process yet)."""
        new = node not in self.pending_work
        self.pending_work[node] = self.pending_work.get(node, 0.0) + hours
        if needs_transformer:
            self.needs_transformer[node] = True
        return new

    def work(self, hours: float) -> Generator:
        """Work ``hours`` [h], stopping during air-raid alerts (call with ``yield from``)."""
        env = self.env
        proc = active_process(env)
        assert proc is not None  # called from a crew's process
        working = self.working
        remaining = hours
        while remaining > 1e-9:
            if self.alert_on:
                yield self.all_clear
                continue
            start = env.now
            working[proc] = None
            try:
                yield env.timeout(remaining)
                remaining = 0.0
            except simpy.Interrupt:
                remaining -= env.now - start
            finally:
                del working[proc]


def repair_crew(env: simpy.Environment, shop: RepairShop, node: int, kind: str,
                on_done: Callable[[int], None] | None = None,
                cancelled: Callable[[int], bool] | None = None) -> Generator:
    """A crew of the node's trade repairs ``node`` (all work added to it until done).

    Waits for a spare transformer first if the damage needs one (checked again before each stretch of
    work: a later hit may add the need), then for a crew by priority. ``cancelled(node)`` true (the node
    was destroyed meanwhile) ends the job without repairing it.
    """
    trade, priority = PRIORITY.get(kind, ("power", 2))
    t_request = env.now
    first = True
    while shop.pending_work.get(node, 0.0) > 1e-9 and not (cancelled and cancelled(node)):
        if shop.needs_transformer.get(node, False) and node not in shop.has_transformer:
            yield shop.transformers.get(1)
            shop.has_transformer.add(node)
            env.process(transformer_supplier(env, shop))
        with shop.crews[trade].request(priority=priority) as req:
            yield req
            if first:
                shop.waits_h.append(env.now - t_request)
                shop.log(env.now, "repair_start", node, -1, f"{trade} crew after {env.now - t_request:.1f} h")
                first = False
            while (shop.pending_work.get(node, 0.0) > 1e-9 and not (cancelled and cancelled(node))
                   and not (shop.needs_transformer.get(node, False) and node not in shop.has_transformer)):
                hours = shop.pending_work[node]
                shop.pending_work[node] = 0.0
                yield from shop.work(hours)
    shop.pending_work.pop(node, None)
    shop.needs_transformer.pop(node, None)
    shop.has_transformer.discard(node)
    if cancelled and cancelled(node):
        return
    shop.log(env.now, "repair_done", node, -1, "")
    if on_done is not None:
        on_done(node)


def transformer_supplier(env: simpy.Environment, shop: RepairShop) -> Generator:
    """A reordered large transformer arrives after the lead time (calibration B5)."""
    yield env.timeout(shop.transformer_lead_h)
    yield shop.transformers.put(1)


def substation_workaround(env: simpy.Environment, st: SupplyState, node: int) -> Generator:
    """While a substation waits for a large transformer: re-switching, then a mobile transformer (B5)."""
    rp, tb = st.rp, st.tables
    i = tb.sub_index[node]
    if rp["reswitch_h"] > 0 or rp["reswitch_frac"] > 0:
        yield env.timeout(rp["reswitch_h"])
        if st.down[node] and rp["reswitch_frac"] > 0:
            feeders = tb.sub_feeders[i]
            n = round(rp["reswitch_frac"] * len(feeders))
            for f in feeders[:n]:
                st.feeder_reswitched[f] = True
            st.log(env.now, "reswitch", node, -1, f"{n} of {len(feeders)} feeders re-switched to neighbours")
            st.feeders_changed(feeders[:n])
            st.update()
    if not st.down[node] or rp["mobile_transformers"] <= 0:
        return
    yield st.mobile_transformers.get(1)
    if not st.down[node]:
        yield st.mobile_transformers.put(1)
        return
    yield env.timeout(rp["mobile_transformer_install_h"])
    if not st.down[node] or st.sub_mobile[i]:
        yield st.mobile_transformers.put(1)
        return
    st.sub_mobile[i] = True  # returned by SupplyState.repaired
    st.log(env.now, "mobile_transformer", node, -1, "mobile transformer in service")
    st.update()


def unit_repair(env: simpy.Environment, st: SupplyState, u: int, hours: float) -> Generator:
    """The plant's staff repair a damaged CHP unit (turbine or peak water boiler)."""
    yield env.timeout(hours)
    st.unit_back(u)


def air_raid_siren(env: simpy.Environment, shop: RepairShop, alerts: Iterable[tuple[float, float]]) -> Generator:
    """Air-raid alerts ``(start_h, end_h)``, sorted and disjoint: crews stop at the start, resume at the end."""
    for start, end in alerts:
        if start > env.now:
            yield env.timeout(start - env.now)
        shop.alert_on = True
        for proc in list(shop.working):
            proc.interrupt("air-raid alert")
        if end > env.now:
            yield env.timeout(end - env.now)
        shop.alert_on = False
        clear, shop.all_clear = shop.all_clear, env.event()
        clear.succeed()
