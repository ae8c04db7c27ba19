"""Unit tests of the two-node RC model: parameters, discretization, the stepping object."""

from __future__ import annotations

import doctest

import numpy as np
import pytest
from scipy.linalg import expm

import sim.archetypes
import sim.heating
import sim.thermal
from sim.archetypes import ARCHETYPES, archetype_parameters, group_parameters
from sim.config.buildings import BuildingsConfig
from sim.thermal import (
    RCParams,
    TwoNodeModel,
    discretize,
    discretize_first_order_hold,
    steady_state,
    step_integrals,
    system_matrices,
)

R, G = 4, len(ARCHETYPES)


@pytest.fixture
def params() -> RCParams:
    return group_parameters(
        np.array(ARCHETYPES), np.arange(1, G + 1), BuildingsConfig(), np.random.default_rng(2)
    )


@pytest.mark.parametrize("module", [sim.thermal, sim.archetypes, sim.heating])
def test_docstring_examples_run(module):
    result = doctest.testmod(module, optionflags=doctest.ELLIPSIS)
    assert result.attempted > 0 and result.failed == 0


def test_rcparams_validates_and_broadcasts():
    p = RCParams(1.0, 2.0, np.array([3.0, 4.0]), 5.0, 6.0)
    assert p.shape == (2,)
    assert not p.c_air_j_per_k.flags.writeable
    with pytest.raises(ValueError, match="capacities"):
        RCParams(1.0, 1.0, 1.0, 0.0, 1.0)
    with pytest.raises(ValueError, match="conductances"):
        RCParams(-1.0, 1.0, 1.0, 1.0, 1.0)
    with pytest.raises(ValueError, match="finite"):
        RCParams(np.nan, 1.0, 1.0, 1.0, 1.0)


def test_derived_quantities(params):
    p = params
    h = p.h_air_out_w_per_k + p.h_air_mass_w_per_k * p.h_mass_out_w_per_k / (
        p.h_air_mass_w_per_k + p.h_mass_out_w_per_k
    )
    np.testing.assert_allclose(p.h_total_w_per_k, h, rtol=1e-14)
    np.testing.assert_allclose(p.tau_h, (p.c_air_j_per_k + p.c_mass_j_per_k) / h / 3600.0, rtol=1e-14)
    doubled = p.scaled(2.0)
    np.testing.assert_allclose(doubled.tau_h, p.tau_h, rtol=1e-14)
    assert p.take(np.array([0, 2])).shape == (2,)


def test_discretize_matches_direct_matrix_exponential(params):
    dt = 3600.0
    phi, gamma = discretize(params, dt)
    assert phi.shape == (G, 2, 2) and gamma.shape == (G, 2, 3)
    a, b = system_matrices(params)
    for g in range(G):
        np.testing.assert_allclose(phi[g], expm(a[g] * dt), rtol=1e-12)
        # Gamma = A^-1 (Phi - I) B for invertible A
        np.testing.assert_allclose(gamma[g], np.linalg.solve(a[g], (phi[g] - np.eye(2)) @ b[g]), rtol=1e-9)


def test_discretization_physics(params):
    phi, gamma = discretize(params, 3600.0)
    # the outdoor temperature is a fixed point without heat input: Phi 1 + Gamma_T = 1
    np.testing.assert_allclose(phi.sum(axis=-1) + gamma[..., 0], 1.0, rtol=1e-12)
    # an RC network maps non-negative states to non-negative states, and heat raises temperatures
    assert (phi >= 0).all() and (gamma >= 0).all()
    with pytest.raises(ValueError, match="dt_s"):
        discretize(params, 0.0)


def test_first_order_hold_reduces_to_zero_order_hold_for_constant_inputs(params):
    phi0, gamma0 = discretize(params, 1800.0)
    phi1, gamma1, ramp = discretize_first_order_hold(params, 1800.0)
    np.testing.assert_allclose(phi1, phi0, rtol=1e-13)
    np.testing.assert_allclose(gamma1, gamma0, rtol=1e-12)
    assert ((ramp >= 0) & (ramp <= gamma0 + 1e-15)).all()


def test_step_integrals_of_a_steady_state_are_state_times_dt(params):
    psi, theta = step_integrals(params, 3600.0)
    x = steady_state(params, -5.0, 1e4, 2e3)
    u = np.stack(np.broadcast_arrays(-5.0, 1e4, 2e3 + 0 * x[..., 0]), axis=-1)
    integral = np.einsum("gij,gj->gi", psi, x) + np.einsum("gij,gj->gi", theta, u)
    np.testing.assert_allclose(integral, x * 3600.0, rtol=1e-10)


def test_steady_state_is_a_fixed_point_of_the_model(params):
    t_out = np.linspace(-25, 5, R)[:, None]
    q_air = np.full((R, G), 5e4)
    q_mass = np.full((R, G), 1e4)
    model = TwoNodeModel(params, 3600.0, R)
    model.initialize_steady(t_out, q_air_w=q_air, q_mass_w=q_mass)
    before = model.state.copy()
    after = model.step(t_out, q_air, q_mass)
    np.testing.assert_allclose(after, before[..., 0], rtol=1e-12, atol=1e-10)
    np.testing.assert_allclose(model.state, before, rtol=1e-12, atol=1e-10)


def test_step_shapes_broadcasting_and_views(params):
    model = TwoNodeModel(params, 3600.0, R, initial_c=20.0)
    assert model.state.shape == (R, G, 2)
    t_col = np.full((R, 1), -10.0)
    first = model.step(t_col, np.zeros((R, G)))
    assert first.shape == (R, G)
    kept = first.copy()
    other = TwoNodeModel(params, 3600.0, R, initial_c=20.0)
    same = other.step(np.full((R, G), -10.0), 0.0, np.zeros((R, G)))  # (R, G) outdoor, explicit zero q_mass
    np.testing.assert_array_equal(same, kept)
    # the returned view stays valid for one more step
    model.step(t_col, 0.0)
    np.testing.assert_array_equal(first, kept)
    np.testing.assert_array_equal(model.indoor_c, model.indoor_air_c)
    with pytest.raises(ValueError, match="first_order_hold"):
        model.step(t_col, 0.0, t_out_end_c=t_col)
    with pytest.raises(ValueError, match=r"\(G,\)"):
        TwoNodeModel(archetype_parameters("panel_9"), 3600.0, R)


def test_set_state_and_stored_heat(params):
    model = TwoNodeModel(params, 3600.0, R)
    model.set_state(10.0, 12.0)
    np.testing.assert_allclose(model.mass_c, 12.0)
    expected = params.c_air_j_per_k * 10.0 + params.c_mass_j_per_k * 12.0
    np.testing.assert_allclose(model.stored_heat_j(), np.broadcast_to(expected, (R, G)))


def test_initialize_steady_with_building_inputs_gives_the_setpoint(params):
    import pandas as pd

    from sim.heating import BuildingInputs

    n = np.arange(1, G + 1)
    area = n * np.array([sim.archetypes.archetype(a).floor_area_m2 for a in ARCHETYPES])
    groups = pd.DataFrame(
        {
            "n_buildings": n,
            "floor_area_m2": area,
            "occupants": 0.03 * area,  # ~33 m2 per person
            "households": 0.03 * area / 2.42,
            "kind": ["apartment"] * 5 + ["house"] * 2,
            "heating": ["district"] * 5 + ["gas_boiler"] * 2,
        }
    )
    bp = BuildingInputs.from_groups(groups, params)
    model = TwoNodeModel(params, 3600.0, R)
    cfg = BuildingsConfig()
    model.initialize_steady(np.linspace(-25, 0, R)[:, None], bp, cfg)
    np.testing.assert_allclose(model.indoor_c, np.full((R, G), cfg.indoor_setpoint_c), rtol=1e-12)
    assert (model.mass_c < cfg.indoor_setpoint_c).all()


def test_first_order_hold_model_is_exact_for_a_linear_outdoor_ramp():
    p = archetype_parameters("panel_9").scaled(np.ones(1))
    dt = 3600.0
    fine = TwoNodeModel(p, dt / 64, 1, initial_c=20.0, first_order_hold=True)
    coarse = TwoNodeModel(p, dt, 1, initial_c=20.0, first_order_hold=True)
    t0, t1 = np.full((1, 1), -5.0), np.full((1, 1), -15.0)
    for k in range(64):
        a = t0 + (t1 - t0) * k / 64
        b = t0 + (t1 - t0) * (k + 1) / 64
        fine.step(a, 0.0, t_out_end_c=b)
    coarse.step(t0, 0.0, t_out_end_c=t1)
    np.testing.assert_allclose(coarse.state, fine.state, rtol=1e-11)


def test_step_does_not_allocate_per_call_arrays(params):
    # the state buffers are reused: two steps later the same memory holds the new state
    model = TwoNodeModel(params, 3600.0, R)
    a = model.step(-5.0, 0.0)
    model.step(-5.0, 0.0)
    c = model.step(-5.0, 0.0)
    assert np.shares_memory(a, c)


@pytest.mark.parametrize("first_order_hold", [False, True])
def test_step_is_phi_x_plus_gamma_u_for_every_input_layout(params, first_order_hold):
    # the compiled step against the matrices it is built from, for (R, 1), (R, G), (G,), scalar and
    # non-contiguous inputs, with and without q_mass and the end temperature
    rng = np.random.default_rng(5)
    model = TwoNodeModel(params, 3600.0, R, first_order_hold=first_order_hold)
    if first_order_hold:
        phi, gamma0, ramp = discretize_first_order_hold(params, 3600.0)
    else:
        (phi, gamma0), ramp = discretize(params, 3600.0), None
    weather = rng.normal(-10.0, 5.0, (R, 6))
    cases = [
        (weather[:, 1:2], rng.uniform(0, 1e5, (R, G)), rng.uniform(0, 5e4, (R, G)), None),
        (rng.normal(-10.0, 5.0, (R, G)), rng.uniform(0, 1e5, G), None, None),
        (-4.0, 0.0, 2e4, None),
        (weather[:, 2:3], np.asfortranarray(rng.uniform(0, 1e5, (R, G))), None, weather[:, 3:4]),
        (
            weather[:, 3:4],
            rng.uniform(0, 1e5, (R, G)),
            rng.uniform(0, 5e4, (R, 1)),
            rng.normal(-9, 5, (R, G)),
        ),
    ]
    model.set_state(rng.normal(18.0, 2.0, (R, G)), rng.normal(17.0, 2.0, (R, G)))
    for t_out, q_air, q_mass, t_end in cases:
        if t_end is not None and not first_order_hold:
            t_end = None
        x0 = model.state.copy()
        inputs = (t_out, q_air, 0.0 if q_mass is None else q_mass)
        u = np.stack([np.broadcast_to(np.asarray(v, dtype=float), (R, G)) for v in inputs], axis=-1)
        expected = np.einsum("gij,rgj->rgi", phi, x0) + np.einsum("gij,rgj->rgi", gamma0, u)
        if first_order_hold:
            end = np.broadcast_to(np.asarray(t_out if t_end is None else t_end, dtype=float), (R, G))
            expected += ramp[None, :, :, 0] * (end - u[..., 0])[..., None]
        air = model.step(t_out, q_air, q_mass, t_out_end_c=t_end)
        np.testing.assert_allclose(air, expected[..., 0], rtol=1e-12, atol=1e-9)
        np.testing.assert_allclose(model.state, expected, rtol=1e-12, atol=1e-9)
