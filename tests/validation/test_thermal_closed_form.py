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

The computations (model run and closed form side by side) are in :mod:`sim.validation`
(:func:`~sim.validation.thermal_closed_form_errors`), which the validation report plots.
"""

from __future__ import annotations

import numpy as np
import pytest

from sim.validation import (
    THERMAL_STEPS,
    TOLERANCES,
    cool_down_heat_accounting,
    energy_balance_check,
    one_node_constant,
    one_node_ramp,
    two_node,
)

RTOL = TOLERANCES["thermal_rtol"]  # 1e-9, round-off: the model is exact for these inputs


def test_one_node_constant_outdoor_temperature():
    case = one_node_constant()
    assert case["model"].shape == (THERMAL_STEPS, 2, 2)  # every hour of ten days, both groups, both nodes
    np.testing.assert_allclose(case["model"], case["exact"], rtol=RTOL, atol=RTOL)
    assert case["max_allclose_ratio"] <= 1.0


def test_one_node_linear_ramp_of_outdoor_temperature():
    case = one_node_ramp()
    assert case["model"].shape == (THERMAL_STEPS, 2)
    np.testing.assert_allclose(case["model"], case["exact"], rtol=RTOL, atol=RTOL)
    assert case["max_allclose_ratio"] <= 1.0


@pytest.mark.parametrize("rate_k_per_day", [0.0, -4.0])
def test_three_node_archetypes_against_eigen_solution(rate_k_per_day):
    case = two_node(rate_k_per_day)
    assert case["model"].shape == (THERMAL_STEPS // 12, 7, 3)  # every 12 h, seven archetypes, three nodes
    np.testing.assert_allclose(case["model"], case["exact"], rtol=RTOL, atol=RTOL)
    assert case["max_allclose_ratio"] <= 1.0


def test_energy_balance_closes_every_step():
    """Heat supplied minus heat lost equals the change of stored heat, step by step, to round-off."""
    check = energy_balance_check(steps=100, seed=5)
    assert check["rel_residual"].shape == (100, 3)
    assert (check["rel_residual"] <= TOLERANCES["energy_balance_rel"]).all()
    # the helper's step is the model's step
    assert check["max_step_rel_diff"] <= 1e-12


def test_energy_balance_of_a_cool_down_accounts_for_all_heat():
    # with no heat input the heat lost over a cool-down is exactly the heat the building stored
    check = cool_down_heat_accounting(t_out_c=-20.0)
    np.testing.assert_allclose(-check["stored_change_j"], check["lost_j"], rtol=1e-9)
