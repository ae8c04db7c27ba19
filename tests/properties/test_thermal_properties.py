"""Properties of the RC model that hold for any physical parameters (hypothesis).

Reference: for a network of heat capacities joined by conductances to one ambient temperature, without
sources, the maximum principle holds (no node gets warmer than the warmest node was, none colder than the
coldest node or the ambient) and temperatures are monotone in the conductances to the ambient (the state
matrix is Metzler, so its exponential is non-negative and preserves order); see e.g. L. Farina and
S. Rinaldi, Positive Linear Systems, Wiley 2000, ch. 2. The exact discretization inherits both.
"""

from __future__ import annotations

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from sim.thermal import RCParams, RCParams3, TwoNodeModel, discretize

conductance = st.floats(min_value=1.0, max_value=1e5)
capacity = st.floats(min_value=1e6, max_value=1e10)
temperature = st.floats(min_value=-30.0, max_value=30.0)
TOL = 1e-9


@st.composite
def rc_params(draw) -> RCParams:
    return RCParams(
        h_air_out_w_per_k=np.array([draw(conductance)]),
        h_air_mass_w_per_k=np.array([draw(conductance)]),
        h_mass_out_w_per_k=np.array([draw(conductance)]),
        c_air_j_per_k=np.array([draw(capacity)]),
        c_mass_j_per_k=np.array([draw(capacity)]),
    )


@settings(max_examples=60, deadline=None)
@given(p=rc_params(), air=temperature, mass=temperature, t_out=temperature,
       dt_h=st.sampled_from([0.25, 1.0, 3.0]))  # fmt: skip
def test_without_heat_temperatures_move_toward_outdoor_and_never_overshoot(p, air, mass, t_out, dt_h):
    model = TwoNodeModel(p, dt_h * 3600.0, 1)
    model.set_state(air, mass)
    hi = max(air, mass, t_out)
    lo = min(air, mass, t_out)
    dist = max(abs(air - t_out), abs(mass - t_out))
    for _ in range(50):
        model.step(t_out, 0.0)
        x = model.state[0, 0]
        assert (x <= hi + TOL).all() and (x >= lo - TOL).all()  # maximum principle, no overshoot
        new_dist = np.abs(x - t_out).max()
        assert new_dist <= dist + TOL  # the largest distance to outdoors never grows
        if min(air, mass) >= t_out:
            assert (x >= t_out - TOL).all()  # a building warmer than outdoors never cools below it
        hi, lo, dist = x.max(), x.min(), new_dist
        hi, lo = max(hi, t_out), min(lo, t_out)


@settings(max_examples=60, deadline=None)
@given(p=rc_params(), shrink=st.floats(min_value=0.05, max_value=1.0), air=temperature, mass=temperature,
       t_out=st.floats(min_value=-30.0, max_value=0.0))  # fmt: skip
def test_more_insulation_never_cools_faster(p, shrink, air, mass, t_out):
    # lower heat loss (both conductances to outdoors times shrink <= 1), same start: never colder
    better = RCParams(
        p.h_air_out_w_per_k * shrink, p.h_air_mass_w_per_k, p.h_mass_out_w_per_k * shrink,
        p.c_air_j_per_k, p.c_mass_j_per_k,
    )  # fmt: skip
    air, mass = max(air, t_out), max(mass, t_out)
    worse_model, better_model = TwoNodeModel(p, 3600.0, 1), TwoNodeModel(better, 3600.0, 1)
    worse_model.set_state(air, mass)
    better_model.set_state(air, mass)
    for _ in range(48):
        worse = worse_model.step(t_out, 0.0)
        good = better_model.step(t_out, 0.0)
        assert (good >= worse - TOL).all()
        assert (better_model.mass_c >= worse_model.mass_c - TOL).all()


@settings(max_examples=60, deadline=None)
@given(p=rc_params(), q=st.floats(min_value=0.0, max_value=1e6), t_out=temperature)
def test_heat_input_never_lowers_temperatures(p, q, t_out):
    _, gamma = discretize(p, 3600.0)
    assert (gamma >= 0).all()
    cold, warm = TwoNodeModel(p, 3600.0, 1, initial_c=t_out), TwoNodeModel(p, 3600.0, 1, initial_c=t_out)
    for _ in range(10):
        a = cold.step(t_out, 0.0)
        b = warm.step(t_out, q, q)
        assert (b >= a - TOL).all()


@st.composite
def rc_params3(draw) -> RCParams3:
    return RCParams3(*(np.array([draw(conductance)]) for _ in range(5)), *(np.array([draw(capacity)]) for _ in range(3)))


@settings(max_examples=60, deadline=None)
@given(p=rc_params3(), air=temperature, surf=temperature, mass=temperature, t_out=temperature)
def test_three_nodes_obey_the_maximum_principle_and_heat_raises_them(p, air, surf, mass, t_out):
    model = TwoNodeModel(p, 3600.0, 1)
    model.set_state(air, mass, surf)
    hi, lo = max(air, surf, mass, t_out), min(air, surf, mass, t_out)
    warm = TwoNodeModel(p, 3600.0, 1)
    warm.set_state(air, mass, surf)
    for _ in range(30):
        model.step(t_out, 0.0)
        warm.step(t_out, 1e4, 1e4, q_surface_w=1e4)
        x = model.state[0, 0]
        assert (x <= hi + TOL).all() and (x >= lo - TOL).all()
        assert (warm.state[0, 0] >= x - TOL).all()
        hi, lo = max(x.max(), t_out), min(x.min(), t_out)
