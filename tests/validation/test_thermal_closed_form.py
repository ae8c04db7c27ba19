"""The exact discretization against closed-form solutions, and the energy balance of every step.

References
----------
* One node, ``C dT/dt = H (T_o - T) + q``: the first-order linear ODE solution
  ``T(t) = T_inf + (T(0) - T_inf) exp(-t / tau)``, ``tau = C / H``; for a ramp ``T_o = T_o0 + r t``:
  ``T(t) = T_o(t) + q / H - r tau + (T(0) - T_o0 - q / H + r tau) exp(-t / tau)``
  (e.g. Incropera et al., Fundamentals of Heat and Mass Transfer, 7th ed., 5.3, lumped capacitance).
* Two nodes, ``x' = A x + B u``: eigen-decomposition ``x(t) = x_p(t) + V exp(Lambda t) V^-1 (x(0) - x_p(0))``
  with the particular solution ``x_p`` (constant, or linear in t for a ramp): the textbook solution of
  linear ODE systems (Boyce & DiPrima, Elementary Differential Equations, ch. 7), computed here with
  ``numpy.linalg.eig``, independently of the matrix exponential the model uses.
"""

from __future__ import annotations

import numpy as np
import pytest

from sim.archetypes import ARCHETYPES, archetype_parameters, group_parameters
from sim.config.buildings import BuildingsConfig
from sim.thermal import RCParams, TwoNodeModel, energy_balance, system_matrices

RTOL = 1e-9  # round-off: the model is exact for these inputs
DT_S = 3600.0
STEPS = 240  # ten days


def _one_node_pair() -> RCParams:
    """Two uncoupled one-node models (H_am = 0) in one two-node parameter set, for two groups."""
    return RCParams(
        h_air_out_w_per_k=np.array([5000.0, 150.0]),
        h_air_mass_w_per_k=np.array([0.0, 0.0]),
        h_mass_out_w_per_k=np.array([3000.0, 80.0]),
        c_air_j_per_k=np.array([4.6e9, 1.0e8]),
        c_mass_j_per_k=np.array([2.0e9, 9.0e7]),
    )


def test_one_node_constant_outdoor_temperature():
    p = _one_node_pair()
    t_out, q_air, q_mass = -15.0, np.array([2.0e4, 500.0]), np.array([1.0e4, 0.0])
    model = TwoNodeModel(p, DT_S, 1)
    model.set_state(np.array([[21.0, 20.0]]), np.array([[18.0, 12.0]]))
    for k in range(1, STEPS + 1):
        model.step(np.full((1, 1), t_out), q_air[None, :], q_mass[None, :])
        t = k * DT_S
        for node, (h, c, x0, q) in enumerate(
            [
                (p.h_air_out_w_per_k, p.c_air_j_per_k, np.array([21.0, 20.0]), q_air),
                (p.h_mass_out_w_per_k, p.c_mass_j_per_k, np.array([18.0, 12.0]), q_mass),
            ]
        ):
            t_inf = t_out + q / h
            exact = t_inf + (x0 - t_inf) * np.exp(-t * h / c)
            np.testing.assert_allclose(model.state[0, :, node], exact, rtol=RTOL, atol=RTOL)


def test_one_node_linear_ramp_of_outdoor_temperature():
    p = _one_node_pair()
    t0_out, rate = 0.0, -20.0 / (5 * 86400.0)  # 0 to -20 degC over five days [K/s]
    q = np.array([1.5e4, 300.0])
    h, c = p.h_air_out_w_per_k, p.c_air_j_per_k
    tau = c / h
    model = TwoNodeModel(p, DT_S, 1, initial_c=20.0, first_order_hold=True)
    for k in range(STEPS):
        start, end = t0_out + rate * k * DT_S, t0_out + rate * (k + 1) * DT_S
        air = model.step(np.full((1, 1), start), q[None, :], None, t_out_end_c=np.full((1, 1), end))
        t = (k + 1) * DT_S
        exact = (
            (t0_out + rate * t) + q / h - rate * tau + (20.0 - t0_out - q / h + rate * tau) * np.exp(-t / tau)
        )
        np.testing.assert_allclose(air[0], exact, rtol=RTOL, atol=RTOL)


def _two_node_exact(p: RCParams, x0: np.ndarray, t_s: float, t_out0: float, rate: float, q: np.ndarray):
    """Closed-form two-node solution for T_o = t_out0 + rate t and constant q = (q_a, q_m), per group."""
    a, b = system_matrices(p)
    out = np.empty((p.shape[0], 2))
    for g in range(p.shape[0]):
        lam, v = np.linalg.eig(a[g])
        b_t, b_q = b[g][:, 0], b[g][:, 1:] @ q[g]
        beta = -np.linalg.solve(a[g], b_t * rate)  # slope of the particular solution
        alpha = np.linalg.solve(a[g], beta - b_t * t_out0 - b_q)  # its value at t = 0
        coef = np.linalg.solve(v, x0[g] - alpha)
        out[g] = (alpha + beta * t_s) + (v @ (np.exp(lam * t_s) * coef)).real
    return out


@pytest.mark.parametrize("rate_k_per_day", [0.0, -4.0])
def test_two_node_against_eigen_solution(rate_k_per_day):
    p = group_parameters(np.array(ARCHETYPES), np.full(len(ARCHETYPES), 3.0), BuildingsConfig(),
                         np.random.default_rng(11))  # fmt: skip
    g = p.shape[0]
    rate = rate_k_per_day / 86400.0
    q = np.column_stack([np.linspace(0, 5e4, g), np.linspace(2e4, 0, g)])  # (q_air, q_mass) per group
    x0 = np.column_stack([np.full(g, 21.0), np.linspace(17.0, 20.0, g)])
    model = TwoNodeModel(p, DT_S, 1, first_order_hold=rate != 0.0)
    model.set_state(x0[None, :, 0], x0[None, :, 1])
    for k in range(STEPS):
        start, end = -8.0 + rate * k * DT_S, -8.0 + rate * (k + 1) * DT_S
        kw = {"t_out_end_c": np.full((1, 1), end)} if rate != 0.0 else {}
        model.step(np.full((1, 1), start), q[None, :, 0], q[None, :, 1], **kw)
        if k % 12 == 11:
            exact = _two_node_exact(p, x0, (k + 1) * DT_S, -8.0, rate, q)
            np.testing.assert_allclose(model.state[0], exact, rtol=RTOL, atol=RTOL)


def test_energy_balance_closes_every_step():
    """Heat supplied minus heat lost equals the change of stored heat, step by step, to round-off."""
    p = archetype_parameters("panel_16").scaled(np.array([1.0, 20.0, 5.0]))
    rng = np.random.default_rng(5)
    state = np.stack([np.full(3, 21.0), np.full(3, 19.5)], axis=-1)
    for _ in range(100):
        t_out = rng.uniform(-30.0, 5.0)
        q_air, q_mass = rng.uniform(0.0, 5e5, 3) * rng.integers(0, 2, 3), rng.uniform(0.0, 1e5, 3)
        new, bal = energy_balance(p, DT_S, state, t_out, q_air, q_mass)
        scale = np.abs(bal.stored_j) + np.abs(bal.supplied_j) + np.abs(bal.lost_j)
        assert (np.abs(bal.residual_j) <= 1e-9 * scale).all()
        # the helper's step is the model's step
        model = TwoNodeModel(p, DT_S, 1)
        model.set_state(state[None, :, 0], state[None, :, 1])
        model.step(t_out, q_air[None, :], q_mass[None, :])
        np.testing.assert_allclose(model.state[0], new, rtol=1e-12)
        state = new


def test_energy_balance_of_a_cool_down_accounts_for_all_heat():
    # with no heat input the heat lost over a cool-down is exactly the heat the building stored
    p = archetype_parameters("brick_stalinka").scaled(np.ones(1))
    state = np.array([[21.0, 19.0]])
    lost = 0.0
    for _ in range(STEPS):
        state, bal = energy_balance(p, DT_S, state, -20.0)
        lost += bal.lost_j
    stored_change = p.c_air_j_per_k * (state[:, 0] - 21.0) + p.c_mass_j_per_k * (state[:, 1] - 19.0)
    np.testing.assert_allclose(-stored_change, lost, rtol=1e-9)
