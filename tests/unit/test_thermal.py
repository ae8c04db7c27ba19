"""Unit tests of the RC engine (two and three nodes): parameters, discretization, the stepping object,
variable ventilation."""

from __future__ import annotations

import doctest

import numpy as np
import pytest
from scipy.linalg import expm

import sim.archetypes
import sim.heating
import sim.occupancy
import sim.sky
import sim.solar
import sim.thermal
import sim.ventilation
from sim.archetypes import ARCHETYPES, archetype_parameters, group_parameters, group_ventilation
from sim.config.buildings import BuildingsConfig
from sim.thermal import (
    GroupVentilation,
    RCModel,
    RCParams,
    RCParams3,
    TwoNodeModel,
    discretize,
    discretize_first_order_hold,
    steady_state,
    step_integrals,
    system_matrices,
)

R, G = 4, len(ARCHETYPES)


def _two_node() -> RCParams:
    # seven groups with the conductances and capacities of typical buildings (two nodes)
    rng = np.random.default_rng(1)
    return RCParams(
        h_air_out_w_per_k=rng.uniform(500, 5000, G), h_air_mass_w_per_k=rng.uniform(2e4, 9e4, G),
        h_mass_out_w_per_k=rng.uniform(1e3, 8e3, G), c_air_j_per_k=rng.uniform(5e7, 2e8, G),
        c_mass_j_per_k=rng.uniform(1e9, 6e9, G),
    )  # fmt: skip


@pytest.fixture(params=["two", "three"])
def params(request):
    if request.param == "two":
        return _two_node()
    return group_parameters(np.array(ARCHETYPES), np.arange(1, G + 1), BuildingsConfig(), np.random.default_rng(2))


@pytest.mark.parametrize(
    "module", [sim.thermal, sim.archetypes, sim.heating, sim.ventilation, sim.solar, sim.sky, sim.occupancy]
)
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
    with pytest.raises(ValueError, match="conductances"):
        RCParams3(1.0, 1.0, 1.0, 1.0, -1.0, 1.0, 1.0, 1.0)


def test_two_node_derived_quantities_against_closed_forms():
    p = _two_node()
    h = p.h_air_out_w_per_k + p.h_air_mass_w_per_k * p.h_mass_out_w_per_k / (
        p.h_air_mass_w_per_k + p.h_mass_out_w_per_k
    )
    np.testing.assert_allclose(p.h_total_w_per_k, h, rtol=1e-14)
    # the general matrix form gives the same
    np.testing.assert_allclose(1.0 / p.steady_response()[..., 0, 0], h, rtol=1e-12)
    np.testing.assert_allclose(p.to_air_frac(1), p.mass_to_air_frac, rtol=1e-12)
    np.testing.assert_allclose(p.tau_h, (p.c_air_j_per_k + p.c_mass_j_per_k) / h / 3600.0, rtol=1e-14)
    doubled = p.scaled(2.0)
    np.testing.assert_allclose(doubled.tau_h, p.tau_h, rtol=1e-14)
    assert p.take(np.array([0, 2])).shape == (2,)


def test_three_node_heat_loss_is_the_series_network():
    p = RCParams3(100.0, 1000.0, 800.0, 60.0, 20.0, 1e6, 2e7, 5e7)
    # air -> out directly, or air -> surface -> (out | deep -> out)
    branch = 1.0 / (1.0 / 1000.0 + 1.0 / (20.0 + 1.0 / (1.0 / 800.0 + 1.0 / 60.0)))
    np.testing.assert_allclose(p.h_total_w_per_k, 100.0 + branch, rtol=1e-12)
    # heat into the surface mass reaches the air less than heat into the air, deep mass less still
    assert 1.0 > float(p.radiant_to_air_frac) > float(p.mass_to_air_frac) > 0.0


def test_discretize_matches_direct_matrix_exponential(params):
    dt = 3600.0
    n = params.n_nodes
    phi, gamma = discretize(params, dt)
    assert phi.shape == (G, n, n) and gamma.shape == (G, n, n + 1)
    a, b = system_matrices(params)
    for g in range(G):
        np.testing.assert_allclose(phi[g], expm(a[g] * dt), rtol=1e-12)
        # Gamma = A^-1 (Phi - I) B for invertible A
        np.testing.assert_allclose(gamma[g], np.linalg.solve(a[g], (phi[g] - np.eye(n)) @ b[g]), rtol=1e-9)


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
    x = steady_state(params, -5.0, 1e4, 2e3, 3e3)
    heats = [1e4, 3e3, 2e3] if params.n_nodes == 3 else [1e4, 2e3]
    u = np.stack(np.broadcast_arrays(-5.0, *heats, 0 * x[..., 0]), axis=-1)[..., :-1]
    integral = np.einsum("gij,gj->gi", psi, x) + np.einsum("gij,gj->gi", theta, u)
    np.testing.assert_allclose(integral, x * 3600.0, rtol=1e-10)


def test_steady_state_is_a_fixed_point_of_the_model(params):
    t_out = np.linspace(-25, 5, R)[:, None]
    q_air = np.full((R, G), 5e4)
    q_mass = np.full((R, G), 1e4)
    q_surf = np.full((R, G), 2e4) if params.n_nodes == 3 else None
    model = RCModel(params, 3600.0, R)
    model.initialize_steady(t_out, q_air_w=q_air, q_mass_w=q_mass, q_surface_w=0.0 if q_surf is None else q_surf)
    before = model.state.copy()
    after = model.step(t_out, q_air, q_mass, q_surface_w=q_surf)
    np.testing.assert_allclose(after, before[..., 0], rtol=1e-12, atol=1e-10)
    np.testing.assert_allclose(model.state, before, rtol=1e-12, atol=1e-10)


def test_step_shapes_broadcasting_and_views(params):
    model = RCModel(params, 3600.0, R, initial_c=20.0)
    assert model.state.shape == (R, G, params.n_nodes)
    t_col = np.full((R, 1), -10.0)
    first = model.step(t_col, np.zeros((R, G)))
    assert first.shape == (R, G)
    kept = first.copy()
    other = RCModel(params, 3600.0, R, initial_c=20.0)
    same = other.step(np.full((R, G), -10.0), 0.0, np.zeros((R, G)))  # (R, G) outdoor, explicit zero q_mass
    np.testing.assert_array_equal(same, kept)
    # the returned view stays valid for one more step
    model.step(t_col, 0.0)
    np.testing.assert_array_equal(first, kept)
    np.testing.assert_array_equal(model.indoor_c, model.indoor_air_c)
    with pytest.raises(ValueError, match="first_order_hold"):
        model.step(t_col, 0.0, t_out_end_c=t_col)
    with pytest.raises(ValueError, match=r"\(G,\)"):
        RCModel(archetype_parameters("panel_9"), 3600.0, R)
    assert TwoNodeModel is RCModel


def test_surface_input_needs_three_nodes():
    model = RCModel(_two_node(), 3600.0, R)
    with pytest.raises(ValueError, match="three-node"):
        model.step(-5.0, 0.0, q_surface_w=1.0)


def test_set_state_and_stored_heat(params):
    model = RCModel(params, 3600.0, R)
    model.set_state(10.0, 12.0)
    np.testing.assert_allclose(model.mass_c, 12.0)
    c = params.capacities()
    nodes = [10.0, 11.0, 12.0] if params.n_nodes == 3 else [10.0, 12.0]  # surface defaults to the mean
    expected = (c * np.array(nodes)).sum(axis=-1)
    np.testing.assert_allclose(model.stored_heat_j(), np.broadcast_to(expected, (R, G)))


def test_first_order_hold_model_is_exact_for_a_linear_outdoor_ramp():
    p = archetype_parameters("panel_9").scaled(np.ones(1))
    dt = 3600.0
    fine = RCModel(p, dt / 64, 1, initial_c=20.0, first_order_hold=True)
    coarse = RCModel(p, dt, 1, initial_c=20.0, first_order_hold=True)
    t0, t1 = np.full((1, 1), -5.0), np.full((1, 1), -15.0)
    for k in range(64):
        a = t0 + (t1 - t0) * k / 64
        b = t0 + (t1 - t0) * (k + 1) / 64
        fine.step(a, 0.0, t_out_end_c=b)
    coarse.step(t0, 0.0, t_out_end_c=t1)
    np.testing.assert_allclose(coarse.state, fine.state, rtol=1e-11)


def test_step_does_not_allocate_per_call_arrays(params):
    # the state buffers are reused: two steps later the same memory holds the new state
    model = RCModel(params, 3600.0, R)
    a = model.step(-5.0, 0.0)
    model.step(-5.0, 0.0)
    c = model.step(-5.0, 0.0)
    assert np.shares_memory(a, c)


@pytest.mark.parametrize("first_order_hold", [False, True])
def test_step_is_phi_x_plus_gamma_u_for_every_input_layout(params, first_order_hold):
    # the compiled step against the matrices it is built from, for (R, 1), (R, G), (G,), scalar and
    # non-contiguous inputs, with and without q_mass and the end temperature
    rng = np.random.default_rng(5)
    n = params.n_nodes
    model = RCModel(params, 3600.0, R, first_order_hold=first_order_hold)
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
        (weather[:, 3:4], rng.uniform(0, 1e5, (R, G)), rng.uniform(0, 5e4, (R, 1)), rng.normal(-9, 5, (R, G))),
    ]
    model.set_state(rng.normal(18.0, 2.0, (R, G)), rng.normal(17.0, 2.0, (R, G)))
    for k, (t_out, q_air, q_mass, t_end) in enumerate(cases):
        if t_end is not None and not first_order_hold:
            t_end = None
        q_surf = rng.uniform(0, 3e4, (R, G)) if (n == 3 and k % 2 == 0) else None
        x0 = model.state.copy()
        heats = [q_air, 0.0 if q_surf is None else q_surf, 0.0 if q_mass is None else q_mass]
        inputs = (t_out, *(heats if n == 3 else [heats[0], heats[2]]))
        u = np.stack([np.broadcast_to(np.asarray(v, dtype=float), (R, G)) for v in inputs], axis=-1)
        expected = np.einsum("gij,rgj->rgi", phi, x0) + np.einsum("gij,rgj->rgi", gamma0, u)
        if first_order_hold:
            end = np.broadcast_to(np.asarray(t_out if t_end is None else t_end, dtype=float), (R, G))
            expected += ramp[None, :, :, 0] * (end - u[..., 0])[..., None]
        air = model.step(t_out, q_air, q_mass, t_out_end_c=t_end, q_surface_w=q_surf)
        np.testing.assert_allclose(air, expected[..., 0], rtol=1e-12, atol=1e-9)
        np.testing.assert_allclose(model.state, expected, rtol=1e-12, atol=1e-9)


def test_variable_ventilation_steps_are_exact_steps_at_the_chosen_level():
    # each step with ventilation equals the plain exact step of the parameters at the level's air change
    cfg = BuildingsConfig()
    arch, n = np.array(ARCHETYPES), np.ones(G)
    p = group_parameters(arch, n, cfg, np.random.default_rng(3))
    vent = group_ventilation(p, arch, n, cfg)
    model = RCModel(p, 3600.0, R, ventilation=vent)
    rng = np.random.default_rng(4)
    model.set_state(rng.uniform(5, 21, (R, G)), rng.uniform(5, 21, (R, G)))
    x0 = model.state.copy()
    t_out, wind = rng.uniform(-25, 0, (R, 1)), rng.uniform(0, 8, (R, 1))
    model.step(t_out, 1e4, 0.0, wind_m_per_s=wind)
    factor = sim.ventilation.air_change_factor(x0[..., 0], t_out, wind, vent.k_wind, vent.sealing)
    level = vent.levels.index(factor)
    np.testing.assert_array_equal(model.air_change_factor, vent.levels.factors[level])
    for r in range(R):
        for g in range(G):
            one = GroupVentilation(vent.h_vent_w_per_k[g : g + 1], vent.k_wind[g : g + 1])
            pk = one.params_at(p.take(np.array([g])), vent.levels.factors[level[r, g]])
            phi, gamma = discretize(pk, 3600.0)
            u = np.array([t_out[r, 0], 1e4, 0.0, 0.0])
            np.testing.assert_allclose(model.state[r, g], phi[0] @ x0[r, g] + gamma[0] @ u, rtol=1e-11)
    # the rounding to levels is within half a level
    assert (np.abs(np.log(model.air_change_factor / factor)) <= 0.5 * np.log(vent.levels.ratio) + 1e-12).all()


def test_ventilation_falls_as_a_flat_cools_and_with_sealing():
    k = sim.ventilation.wind_stack_ratio(9)
    warm = sim.ventilation.air_change_factor(21.0, -10.0, 2.0, k)
    cold = sim.ventilation.air_change_factor(8.0, -10.0, 2.0, k)
    sealed = sim.ventilation.air_change_factor(8.0, -10.0, 2.0, k, sim.ventilation.SealingRule())
    assert warm > cold > sealed
    # the stack law: the square root of the temperature difference in calm weather
    calm = sim.ventilation.air_change_factor(np.array([21.0, 1.1]), -20.0, 0.0, k)
    np.testing.assert_allclose(calm[0] / calm[1], np.sqrt(41.0 / 21.1), rtol=1e-12)
    with pytest.raises(ValueError, match="GroupVentilation"):
        RCModel(_two_node(), 3600.0, R, ventilation=GroupVentilation(np.ones(2), np.ones(2)))


THERMAL_MODULES = ("sim.thermal", "sim.heating", "sim.archetypes", "sim.ventilation", "sim.solar", "sim.sky",
                   "sim.occupancy", "sim.building_stage", "sim.validation.thermal", "sim.validation.ashrae140",
                   "sim.validation.apartments")  # fmt: skip


@pytest.mark.parametrize("module", THERMAL_MODULES)
def test_each_thermal_module_imports_on_its_own_without_importing_against_the_flow(module):
    # issue 20: no import cycles; the engine (sim.thermal) and the physics leaves never import the heat
    # inputs or the stage that use them (heating -> thermal is the flow, not the reverse)
    import subprocess
    import sys

    code = (f"import sys, {module}; "
            "bad = {'sim.thermal': ['sim.heating', 'sim.archetypes', 'sim.building_stage', 'sim.chain'],"
            " 'sim.ventilation': ['sim.thermal', 'sim.heating'], 'sim.solar': ['sim.thermal', 'sim.heating'],"
            " 'sim.occupancy': ['sim.thermal', 'sim.heating'], 'sim.archetypes': ['sim.heating', 'sim.chain'],"
            " 'sim.heating': ['sim.building_stage', 'sim.chain']}"
            f".get('{module}', []); "
            "hit = [m for m in bad if m in sys.modules]; "
            "print(hit); sys.exit(1 if hit else 0)")  # fmt: skip
    r = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert r.returncode == 0, r.stdout + r.stderr
