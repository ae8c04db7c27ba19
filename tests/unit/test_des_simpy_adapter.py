"""The SimPy adapter against SimPy's public behaviour (sim.des.simpy_adapter).

Every use of SimPy internals is in one module; these tests pin its semantics to SimPy's own classes on
scripted scenarios (same event order and times, same number of events), so a SimPy upgrade that changes
the internals fails here first (the pin in pyproject.toml is ``simpy>=4.1,<4.2``).
"""

from __future__ import annotations

import re
from pathlib import Path

import numpy as np
import simpy

from sim.des.simpy_adapter import CrewPool, FirstOf, events_processed

ROOT = Path(__file__).resolve().parents[2]


def _crew_trace(pool_cls, seed: int):
    """Jobs with random arrivals (many at equal times), priorities and durations on a pool of 3 crews,
    with cancelled requests: the order and times of grants and releases, and the event count."""
    rng = np.random.default_rng(seed)
    env = simpy.Environment()
    pool = pool_cls(env, capacity=3)
    trace: list[tuple] = []

    def job(env, i, t0, prio, hours, give_up):
        yield env.timeout(t0)
        with pool.request(priority=prio) as req:
            got = yield req | env.timeout(give_up)
            if req not in got:
                trace.append(("gave_up", i, env.now))
                return
            trace.append(("start", i, env.now, len(pool.users)))
            yield env.timeout(hours)
        trace.append(("done", i, env.now))

    def other(env):  # a process acting at the same instants (events interleave with the pool's)
        for _ in range(40):
            yield env.timeout(0.5)
            trace.append(("tick", env.now, len(pool.users), len(pool.queue)))

    for i in range(60):
        env.process(job(env, i, float(rng.integers(0, 8)) / 2, int(rng.integers(0, 3)),
                        float(rng.integers(1, 6)) / 2, float(rng.integers(1, 12))))
    env.process(other(env))
    env.run()
    return trace, events_processed(env)


def test_crew_pool_reproduces_simpy_priority_resource_event_for_event():
    for seed in range(5):
        assert _crew_trace(CrewPool, seed) == _crew_trace(simpy.PriorityResource, seed)


def test_first_of_wakes_like_any_of():
    def trace(use_first_of: bool):
        env = simpy.Environment()
        log: list[tuple] = []
        box = {"ev": env.event()}

        def waiter(env):
            for k in range(30):
                t = env.timeout(1.0 + (k % 3))
                yield FirstOf(env, t, box["ev"]) if use_first_of else (t | box["ev"])
                log.append(("wake", env.now, t.processed))

        def poker(env):
            for k in range(12):
                yield env.timeout(1.5 if k % 2 else 2.0)
                ev, box["ev"] = box["ev"], env.event()
                ev.succeed()
                log.append(("poke", env.now))

        env.process(waiter(env))
        env.process(poker(env))
        env.run()
        return log, events_processed(env)

    assert trace(True) == trace(False)


def test_more_crews_serve_the_waiting_requests_at_once():
    env = simpy.Environment()
    pool = CrewPool(env, capacity=1)
    starts: list[tuple[int, float]] = []

    def job(env, i):
        with pool.request() as req:
            yield req
            starts.append((i, env.now))
            yield env.timeout(10.0)

    def mobilize(env):
        yield env.timeout(2.0)
        pool.set_capacity(3)

    for i in range(4):
        env.process(job(env, i))
    env.process(mobilize(env))
    env.run()
    # one crew at first; two more at t = 2 take the next two jobs; the last waits for the first free crew
    assert starts == [(0, 0.0), (1, 2.0), (2, 2.0), (3, 10.0)]


def test_no_module_but_the_adapter_touches_simpy_internals():
    """SimPy's private attributes (``env._now``, ``event._value``, ...) appear only in the adapter (in the
    modules that use SimPy at all: ``._value`` of OmegaConf nodes elsewhere is another library's)."""
    pattern = re.compile(r"\benv\._|\._(now|eid|queue|active_proc|value|ok|defused|capacity|heap)\b")
    offenders = []
    for path in sorted((ROOT / "sim").rglob("*.py")):
        text = path.read_text(encoding="utf-8")
        if path.name == "simpy_adapter.py" or "simpy" not in text:
            continue
        for i, line in enumerate(text.splitlines(), 1):
            if pattern.search(line):
                offenders.append(f"{path.relative_to(ROOT)}:{i}: {line.strip()}")
    assert not offenders, "\n".join(offenders)


def test_simpy_is_pinned_to_the_minor_version_the_adapter_is_checked_against():
    import tomllib

    deps = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]["dependencies"]
    assert any(d.replace(" ", "").startswith("simpy>=4.1,<4.2") for d in deps)
    major, minor = (int(x) for x in simpy.__version__.split(".")[:2])
    assert (major, minor) == (4, 1)
