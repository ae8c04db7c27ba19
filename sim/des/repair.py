"""Repair: crews by trade, spare large transformers, and air-raid alerts that stop the work.

Crews are SimPy :class:`~simpy.resources.resource.PriorityResource` s by trade (``power``, ``heat``); a job
holds one crew (for grid nodes and CHPs a team of ``power_crews_per_job`` crews counts as one) for its work
hours, heat sources and transmission first (:data:`PRIORITY`). Severe damage of a substation needs a large
transformer from a :class:`~simpy.resources.container.Container` of spares; each one taken is reordered and
arrives after ``transformer_lead_days`` (calibration B5: ~6 months new; installing a spare is part of the
drawn repair time, ~3 weeks). During an air-raid alert every crew stops (a SimPy ``Interrupt``) and resumes
its remaining work at the all-clear. A repaired node can be hit again; a node hit while under repair gets
the new work added to its job.
"""

from __future__ import annotations

from collections.abc import Callable, Generator, Iterable

import simpy

#: Trade and priority (lower first) of a repair job by node kind: heat sources and transmission first.
PRIORITY: dict[str, tuple[str, int]] = {
    "chp": ("power", 0),
    "transmission": ("power", 0),
    "substation": ("power", 1),
    "feeder": ("power", 2),
    "boiler": ("heat", 0),
}
#: Priority of refill-and-restart jobs of drained building groups (after boiler repairs).
RESTART_PRIORITY = 1

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
        self.crews = {trade: simpy.PriorityResource(env, capacity=max(1, int(n))) for trade, n in crews.items()}
        self.transformers = simpy.Container(env, init=int(transformer_spares), capacity=1e9)
        self.transformer_lead_h = float(transformer_lead_h)
        self.alert_on = False
        self.all_clear = env.event()
        self.working: set[simpy.Process] = set()
        self.pending_work: dict[int, float] = {}
        self.needs_transformer: dict[int, bool] = {}
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
        proc = env.active_process
        remaining = hours
        while remaining > 1e-9:
            if self.alert_on:
                yield self.all_clear
                continue
            start = env.now
            self.working.add(proc)
            try:
                yield env.timeout(remaining)
                remaining = 0.0
            except simpy.Interrupt:
                remaining -= env.now - start
            finally:
                self.working.discard(proc)


def repair_crew(env: simpy.Environment, shop: RepairShop, node: int, kind: str,
                on_done: Callable[[int], None] | None = None) -> Generator:
    """A crew of the node's trade repairs ``node`` (all work added to it until done).

    Waits for a spare transformer first if the damage needs one, then for a crew by priority.
    """
    trade, priority = PRIORITY.get(kind, ("power", 2))
    t_request = env.now
    if shop.needs_transformer.get(node, False):
        yield shop.transformers.get(1)
        env.process(transformer_supplier(env, shop))
    with shop.crews[trade].request(priority=priority) as req:
        yield req
        shop.waits_h.append(env.now - t_request)
        shop.log(env.now, "repair_start", node, -1, f"{trade} crew after {env.now - t_request:.1f} h")
        while shop.pending_work.get(node, 0.0) > 1e-9:
            hours = shop.pending_work[node]
            shop.pending_work[node] = 0.0
            yield from shop.work(hours)
    del shop.pending_work[node]
    shop.needs_transformer.pop(node, None)
    shop.log(env.now, "repair_done", node, -1, "")
    if on_done is not None:
        on_done(node)


def transformer_supplier(env: simpy.Environment, shop: RepairShop) -> Generator:
    """A reordered large transformer arrives after the lead time (calibration B5)."""
    yield env.timeout(shop.transformer_lead_h)
    yield shop.transformers.put(1)


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
