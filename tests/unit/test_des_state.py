"""Unit tests of the update path's shortcuts (sim.des.state): each must give what the plain computation
gives, to the bit (the batch setter of group codes, the substation pass skipped when its inputs are
unchanged)."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st_

from sim.des.testing import make_state


def _codes_state(st):
    return bytes(st.gcode), st.unheated_hh, list(st.g_t), list(st.g_col), list(st.g_val)


@settings(max_examples=60, deadline=None)
@given(moves=st_.lists(st_.tuples(st_.integers(0, 10_000), st_.integers(0, 63)), max_size=40),
       time_h=st_.floats(0.0, 48.0))
def test_set_codes_is_set_code_in_order(moves, time_h):
    """set_codes(groups, codes, t) leaves the codes, the heater-load sum (float, bit for bit) and the change
    points as set_code called for each group in order does."""
    a, _ = make_state("small_town")
    b, _ = make_state("small_town")
    n_g = a.tables.n_groups
    seen: set[int] = set()
    groups, codes = [], []
    for g, c in moves:
        g %= n_g
        if g not in seen:  # distinct groups, as a zone's moves are
            seen.add(g)
            groups.append(g)
            codes.append(c)
    # a start with codes of every kind, so that both directions of the heater load occur
    for st in (a, b):
        for g in range(0, n_g, 3):
            st.set_code(g, (g * 7) % 64, 0.0)
    for g, c in zip(groups, codes, strict=True):
        a.set_code(g, c, time_h)
    b.set_codes(groups, codes, time_h)
    assert _codes_state(a) == _codes_state(b)


def _grid_state(st):
    return (list(st.sub_on), list(st.sub_unfed_since), list(st.feeder_live), st.dark_hh,
            [s and s[:2] for s in st.source_status], bytes(st.gcode))


@settings(max_examples=25, deadline=None)
@given(steps=st_.lists(st_.tuples(st_.integers(0, 10_000), st_.booleans(), st_.sampled_from([0.0, 1.0, 6.0, 13.0])),
                       min_size=1, max_size=12))
def test_substation_pass_skipped_only_when_it_would_change_nothing(steps):
    """update() skips the substation pass when the substations' nodes are as its last pass saw them and no
    re-switch under way has reached its time since; with the pass forced at every update the grid is the
    same (time steps cross the 12 h re-switch delay)."""
    fast, _ = make_state("kyiv", days=3)
    full, _ = make_state("kyiv", days=3)
    tb = fast.tables
    nodes = tb.sub_input_nodes
    assert set(tb.ts_cap[i][0] for i in range(len(tb.ts_cap))) <= set(nodes)
    t = 0.0
    for k, down, dt in steps:
        node = nodes[k % len(nodes)]
        t += dt
        for st in (fast, full):
            if t > st.env.now:
                st.env.run(until=t)
            st.down[node] = down  # written directly, as a hit or a repair does
            st.feeders_changed(())
        full._subs_key = None  # the plain path: the pass at every update
        fast.update()
        full.update()
        assert _grid_state(fast) == _grid_state(full)
