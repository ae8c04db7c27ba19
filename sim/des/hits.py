"""Hits: what a strike does to a node, and the ``wave`` process that delivers a wave's hits.

A hit on a CHP trips the plant (it restarts when its repair job is done and its network pumps have grid
power) and puts the unit struck out for ``unit_repair_h``; a hit on a boiler-house cluster puts the house
struck out until its repair job is done (the others keep running); a hit on a transmission or city
substation or a feeder puts the node down until repaired (severe damage of a substation also starts the
transformer workarounds). ``destroyed`` puts the node (and every unit of a source) down for the rest of
the run; a destroyed node ignores later hits (logged as ``hit_ignored``), so a later finite hit cannot
repair it. Hits at time 0 are a warm start: the damage happened before the run, and the operators drain
what they would have drained by then.
"""

from __future__ import annotations

import math
from collections.abc import Generator
from typing import TYPE_CHECKING

import simpy

from sim.des.repair import repair_crew, substation_workaround, unit_repair

if TYPE_CHECKING:
    from sim.des.state import SupplyState

#: A hit as the DES takes it: ``(node, node_kind, damage, repair_h, needs_transformer, unit, unit_repair_h)``.
Hit = tuple[int, str, str, float, bool, int, float]


def apply_hit(st: SupplyState, hit: Hit) -> None:
    """Damage a node (see the module docstring); the caller runs :meth:`SupplyState.update` after."""
    env, tb = st.env, st.tables
    node, kind, level, repair_h, needs_tr, unit, unit_h = hit
    now = env.now
    if st.destroyed[node]:
        st.log(now, "hit_ignored", node, -1, f"{level}; already destroyed")
        return
    st.log(now, "hit", node, -1, f"{level}; repair {repair_h:.0f} h" + ("; transformer" if needs_tr else "")
           + (f"; {tb.unit_name[unit]} out {unit_h:.0f} h" if unit >= 0 and unit_h > 0 else ""))
    h = tb.node_source[node]
    if h >= 0:
        st.touch(h)
    if level == "destroyed":
        st.destroyed[node] = True
        st.down[node] = True
        st.expected_back[node] = math.inf
        if node in st.shop.pending_work:
            st.shop.pending_work[node] = 0.0  # its crew stops; the job ends unrepaired
        if h >= 0:
            for u in tb.source_units[h]:
                st.unit_out(u, math.inf)
        if kind == "feeder":
            st.feeder_ok[tb.feeder_index[node]] = False
            st.feeders_changed((tb.feeder_index[node],))
        return
    repair_h *= st.rp["repair_time_multiplier"]
    unit_h *= st.rp["repair_time_multiplier"]
    if kind == "feeder":
        st.feeder_ok[tb.feeder_index[node]] = False
        st.feeders_changed((tb.feeder_index[node],))
    if kind == "boiler":
        if unit >= 0:  # the house struck; the cluster's others keep running
            st.unit_out(unit, now + repair_h)  # back when the node's repair job is done (expected then)
            st.node_units_down.setdefault(node, set()).add(unit)
    else:
        st.down[node] = True
        if kind == "chp" and unit >= 0 and unit_h > 0:
            st.unit_out(unit, now + unit_h)
            st.log(now, "unit_out", node, -1, f"{tb.unit_name[unit]} for {unit_h:.0f} h")
            env.process(unit_repair(env, st, unit, unit_h))
    st.expected_back[node] = max(st.expected_back.get(node, now), now) + repair_h
    if math.isfinite(repair_h) and st.shop.add_work(node, repair_h, needs_tr):
        env.process(repair_crew(env, st.shop, node, kind, on_done=st.repaired, cancelled=st.is_destroyed))
    if needs_tr and kind == "substation" and node not in st.workarounds:
        st.workarounds.add(node)
        env.process(substation_workaround(env, st, node))


def wave(env: simpy.Environment, st: SupplyState, time_h: float, wave_id: int, hits: list[Hit],
         warm: bool = False) -> Generator:
    """A strike wave: at ``time_h`` its hits damage nodes; a major strike starts emergency outages (C3).

    ``wave_id`` -1 marks hits that are no wave (``total_heat_loss``, explicit hits): no emergency. ``warm``:
    explicit hits at time 0, a warm start (see the module docstring).
    """
    if time_h > env.now:
        yield env.timeout(time_h - env.now)
    if wave_id >= 0:
        st.log(env.now, "wave", -1, -1, f"wave {wave_id}: {len(hits)} hits")
    for hit in hits:
        apply_hit(st, hit)
    if wave_id >= 0 and len(hits) >= st.rp["emergency_min_hits"] and st.rp["emergency_outage_h"] > 0:
        if env.now >= st.emergency_until - 1e-9:
            st.emergency_start = env.now  # a new emergency (one in force is extended)
        st.emergency_until = max(st.emergency_until, env.now + st.rp["emergency_outage_h"])
        st.log(env.now, "emergency", -1, -1, f"schedules suspended for {st.rp['emergency_outage_h']:g} h")
    st.warm_start = warm
    st.update()
    st.warm_start = False

