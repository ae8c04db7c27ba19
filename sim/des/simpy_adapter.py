"""The one module that touches SimPy's internals (``simpy>=4.1,<4.2``, pinned in ``pyproject.toml``).

The DES makes a few kinds of SimPy events by the hundred thousand; SimPy's generic classes build more than
these need. The lean versions here keep SimPy's semantics and its exact event schedule (the tests compare
them event for event with :class:`simpy.PriorityResource` and :class:`simpy.events.AnyOf` on scripted
scenarios, ``tests/unit/test_des_simpy_adapter.py``):

* :class:`CrewPool` / :class:`CrewRequest` - a :class:`simpy.PriorityResource` with a heap for its queue
  and a capacity that can grow (:meth:`CrewPool.set_capacity`: contractors mobilized);
* :class:`FirstOf` - ``a | b`` for "a timeout or a wake-up event" without a condition value;
* :func:`events_processed`, :func:`active_process`, :func:`dispose` - the event counter, the running
  process and the cleanup of a finished environment.

Every private attribute of SimPy used by coldgrid is named in this file and nowhere else; a new SimPy
minor version must be checked against these tests before the pin moves.
"""

from __future__ import annotations

from heapq import heappop, heappush
from itertools import count
from typing import Any

import simpy
from simpy.events import NORMAL, PENDING
from simpy.resources.resource import PriorityRequest, Release

__all__ = ["CrewPool", "CrewRequest", "FirstOf", "active_process", "dispose", "events_processed"]


def events_processed(env: simpy.Environment) -> int:
    """Events scheduled in ``env`` so far (SimPy's event id counter). [events]"""
    return next(env._eid)


def active_process(env: simpy.Environment) -> simpy.Process | None:
    """The process being executed (``env.active_process`` without the property call)."""
    return env._active_proc


def now(env: simpy.Environment) -> float:
    """The current time (``env.now`` without the property call). [h]"""
    return env._now


def dispose(env: simpy.Environment) -> None:
    """Drop the pending events of a finished environment, so that it is freed by reference counting."""
    env._queue.clear()


class FirstOf(simpy.Event):
    """``a | b`` for the DES's waits (a timeout or a wake-up event): triggered when the first of the two is
    processed, like SimPy's :class:`~simpy.events.AnyOf` and at the same point of the schedule, without
    building a condition value (the processes do not read it)."""

    def __init__(self, env: simpy.Environment, a: simpy.Event, b: simpy.Event) -> None:
        self.env = env
        self.callbacks = [self._done]
        self._events = (a, b)
        for ev in self._events:
            if ev.callbacks is None:
                self._check(ev)
            else:
                ev.callbacks.append(self._check)

    def _check(self, event: simpy.Event) -> None:
        if self._value is not PENDING:
            return
        if event._ok:
            self._ok = True
            self._value = None
            self.env.schedule(self)
        else:
            event._defused = True
            self.fail(event._value)

    def _done(self, _event: simpy.Event) -> None:
        check = self._check
        for ev in self._events:
            cbs = ev.callbacks
            if cbs and check in cbs:
                cbs.remove(check)


class CrewRequest(PriorityRequest):
    """A request for one crew of a :class:`CrewPool` (a :class:`simpy.PriorityRequest` built without the
    generic resource machinery). Use it like SimPy's: ``with pool.request(priority=p) as req: yield req``."""

    resource: CrewPool

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

    def __exit__(self, exc_type: Any, exc_value: Any, traceback: Any) -> None:
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
    generic put/get loops: the DES makes about two crew events per repair or restart job.
    """

    def __init__(self, env: simpy.Environment, capacity: int = 1) -> None:
        if capacity <= 0:
            raise ValueError('"capacity" must be > 0.')
        self._env = env
        self._capacity = capacity
        self.users: list[CrewRequest] = []  # type: ignore[assignment]  # only crew requests hold a crew
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

    def set_capacity(self, capacity: int) -> None:
        """Change the number of crews (more contractors mobilized); waiting requests get the new crews now.

        A smaller capacity takes effect as crews are released (nobody is sent home mid-job).
        """
        if capacity <= 0:
            raise ValueError('"capacity" must be > 0.')
        self._capacity = int(capacity)
        self._trigger_put(None)
        while self._heap and len(self.users) < self._capacity:
            self._trigger_put(None)

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

    def _trigger_put(self, get_event: Any) -> None:
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
