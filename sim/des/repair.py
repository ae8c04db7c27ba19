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
from heapq import heappop, heappush
from itertools import count

import simpy
from simpy.events import NORMAL, PENDING
from simpy.resources.resource import PriorityRequest, Release

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


class CrewRequest(PriorityRequest):
    """A request for one crew of a :class:`CrewPool` (a :class:`simpy.PriorityRequest` built without the
    generic resource machinery). Use it like SimPy's: ``with pool.request(priority=p) as req: yield req``."""

    def __init__(self, resource: CrewPool, priority: int = 0, preempt: bool = True) -> None:
        env = resource._env
        self.env = env
        self.callbacks = []
        self.resource = resource
        self.proc = env._active_proc
        self.priority = priority
        self.preempt = preempt
        self.time = now = env._now
        self.key = key = (priority, now, not preempt)
        self.usage_since = None
        # CrewPool._put, inlined
        users = resource.users
        if len(users) < resource._capacity and not resource._heap:
            users.append(self)  # CrewPool._grant
            self.usage_since = now
            self._ok = True
            self._value = None
            env.schedule(self, NORMAL)
        elif len(users) < resource._capacity:
            resource._put(self)
        else:
            heappush(resource._heap, (key, next(resource._seq), self))

    def cancel(self) -> None:
        if self._value is PENDING:
            self.resource._cancel(self)

    def __exit__(self, exc_type, exc_value, traceback) -> None:
        if self._value is PENDING:
            self.resource._cancel(self)
        if exc_type is not GeneratorExit:
            self.resource.release(self)
        return None


class CrewPool(simpy.PriorityResource):
    """Crews of one trade: a :class:`simpy.PriorityResource` with a heap for its queue.

    Same semantics and the same event schedule as SimPy's ``PriorityResource`` (requests served by
    ``(priority, request time)``, first come first served among equals; a crew freed by a release goes
    to the next request when the ``Release`` event is processed), without its per-request sorting and
    generic put/get loops: the DES makes about two crew events per restarted building group.
    """

    def __init__(self, env: simpy.Environment, capacity: int = 1) -> None:
        if capacity <= 0:
            raise ValueError('"capacity" must be > 0.')
        self._env = env
        self._capacity = capacity
        self.users: list[CrewRequest] = []
        self.get_queue: list = []
        self._heap: list[tuple] = []
        self._seq = count()
        self._cancelled: set[int] = set()

    @property
    def queue(self) -> list[CrewRequest]:  # type: ignore[override]
        """Waiting requests, in the order they will be served."""
        return [e[2] for e in sorted(self._heap) if id(e[2]) not in self._cancelled]

    @property
    def put_queue(self) -> list[CrewRequest]:  # type: ignore[override]
        return self.queue

    def request(self, priority: int = 0, preempt: bool = True) -> CrewRequest:  # type: ignore[override]
        return CrewRequest(self, priority, preempt)

    def _grant(self, req: CrewRequest) -> None:
        env = self._env
        self.users.append(req)
        req.usage_since = env._now
        req._ok = True
        req._value = None
        env.schedule(req, NORMAL)

    def _put(self, req: CrewRequest) -> None:
        if len(self.users) < self._capacity:
            heap = self._heap
            if heap:  # a crew was freed and its Release is not processed yet: the head of the queue goes first
                heappush(heap, (req.key, next(self._seq), req))
                req = self._pop()
            self._grant(req)
        else:
            heappush(self._heap, (req.key, next(self._seq), req))

    def _pop(self) -> CrewRequest:
        heap, cancelled = self._heap, self._cancelled
        req = heappop(heap)[2]
        while cancelled and id(req) in cancelled:
            cancelled.discard(id(req))
            req = heappop(heap)[2]
        return req

    def _cancel(self, req: CrewRequest) -> None:
        self._cancelled.add(id(req))

    def _trigger_put(self, get_event) -> None:
        heap = self._heap
        if self._cancelled:
            while heap and id(heap[0][2]) in self._cancelled:
                self._cancelled.discard(id(heappop(heap)[2]))
        if heap and len(self.users) < self._capacity:
            self._grant(heappop(heap)[2])

    def release(self, request: CrewRequest) -> Release:  # type: ignore[override]
        env = self._env
        rel = Release.__new__(Release)
        rel.env = env
        rel.callbacks = [self._trigger_put]
        rel.resource = self
        rel.proc = env._active_proc
        rel.request = request
        if request in self.users:
            self.users.remove(request)
        rel._ok = True
        rel._value = None
        env.schedule(rel, NORMAL)
        return rel


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
        proc = env._active_proc
        working = self.working
        remaining = hours
        while remaining > 1e-9:
            if self.alert_on:
                yield self.all_clear
                continue
            start = env._now
            working[proc] = None
            try:
                yield env.timeout(remaining)
                remaining = 0.0
            except simpy.Interrupt:
                remaining -= env._now - start
            finally:
                del working[proc]


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
