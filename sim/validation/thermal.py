"""Thermal checks: the exact discretization against closed forms (one node, the chain's three-node
archetypes), the energy balance of every step, and the small houses of E5."""

from __future__ import annotations

from typing import Any

import numpy as np

from sim.validation._common import TOLERANCES

# ---------------------------------------------------------------------------------------------------------
# Thermal: exact discretization against closed-form solutions
# ---------------------------------------------------------------------------------------------------------

THERMAL_DT_S = 3600.0
THERMAL_STEPS = 240  # ten days


def _one_node_pair():
    """Two uncoupled one-node models (H_am = 0) in one two-node parameter set, for two groups."""
    from sim.thermal import RCParams

    return RCParams(
        h_air_out_w_per_k=np.array([5000.0, 150.0]),
        h_air_mass_w_per_k=np.array([0.0, 0.0]),
        h_mass_out_w_per_k=np.array([3000.0, 80.0]),
        c_air_j_per_k=np.array([4.6e9, 1.0e8]),
        c_mass_j_per_k=np.array([2.0e9, 9.0e7]),
    )


def _case(t_h: np.ndarray, model: np.ndarray, exact: np.ndarray, rtol: float) -> dict[str, Any]:
    err = np.abs(model - exact)
    return {
        "t_h": t_h, "model": model, "exact": exact,
        "max_abs_error_k": float(err.max()),
        # the test's criterion, numpy.testing.assert_allclose(model, exact, rtol, atol=rtol): <= 1 passes
        "max_allclose_ratio": float((err / (rtol + rtol * np.abs(exact))).max()),
    }  # fmt: skip


def one_node_constant(rtol: float = TOLERANCES["thermal_rtol"]) -> dict[str, Any]:
    """Two uncoupled nodes, constant outdoor temperature and heat: model vs ``T_inf + (T0 - T_inf) e^(-t/tau)``.

    ``model`` and ``exact`` have shape (steps, groups, nodes) [degC], one row per hour 1..240.
    """
    from sim.thermal import TwoNodeModel

    p = _one_node_pair()
    t_out, q_air, q_mass = -15.0, np.array([2.0e4, 500.0]), np.array([1.0e4, 0.0])
    x0_air, x0_mass = np.array([21.0, 20.0]), np.array([18.0, 12.0])
    model = TwoNodeModel(p, THERMAL_DT_S, 1)
    model.set_state(x0_air[None, :], x0_mass[None, :])
    sim, exact = [], []
    for k in range(1, THERMAL_STEPS + 1):
        model.step(np.full((1, 1), t_out), q_air[None, :], q_mass[None, :])
        t = k * THERMAL_DT_S
        nodes = []
        for h, c, x0, q in [(p.h_air_out_w_per_k, p.c_air_j_per_k, x0_air, q_air),
                            (p.h_mass_out_w_per_k, p.c_mass_j_per_k, x0_mass, q_mass)]:  # fmt: skip
            t_inf = t_out + q / h
            nodes.append(t_inf + (x0 - t_inf) * np.exp(-t * h / c))
        sim.append(model.state[0].copy())
        exact.append(np.stack(nodes, axis=-1))
    t_h = np.arange(1, THERMAL_STEPS + 1) * THERMAL_DT_S / 3600.0
    return _case(t_h, np.array(sim), np.array(exact), rtol)


def one_node_ramp(rtol: float = TOLERANCES["thermal_rtol"]) -> dict[str, Any]:
    """One node (air) under a linear outdoor ramp 0 -> -20 degC over five days, first-order hold.

    Exact: ``T(t) = T_o(t) + q/H - r tau + (T(0) - T_o0 - q/H + r tau) e^(-t/tau)``; shape (steps, groups).
    """
    from sim.thermal import TwoNodeModel

    p = _one_node_pair()
    t0_out, rate = 0.0, -20.0 / (5 * 86400.0)  # [degC, K/s]
    q = np.array([1.5e4, 300.0])
    h, c = p.h_air_out_w_per_k, p.c_air_j_per_k
    tau = c / h
    model = TwoNodeModel(p, THERMAL_DT_S, 1, initial_c=20.0, first_order_hold=True)
    sim, exact = [], []
    for k in range(THERMAL_STEPS):
        start, end = t0_out + rate * k * THERMAL_DT_S, t0_out + rate * (k + 1) * THERMAL_DT_S
        air = model.step(np.full((1, 1), start), q[None, :], None, t_out_end_c=np.full((1, 1), end))
        t = (k + 1) * THERMAL_DT_S
        sim.append(np.array(air[0], copy=True))
        exact.append((t0_out + rate * t) + q / h - rate * tau
                     + (20.0 - t0_out - q / h + rate * tau) * np.exp(-t / tau))  # fmt: skip
    t_h = np.arange(1, THERMAL_STEPS + 1) * THERMAL_DT_S / 3600.0
    return _case(t_h, np.array(sim), np.array(exact), rtol)


def _two_node_exact(p, x0: np.ndarray, t_s: float, t_out0: float, rate: float, q: np.ndarray) -> np.ndarray:
    """Closed-form solution of the N-node network for ``T_o = t_out0 + rate t`` and constant heat ``q``
    (one column per node), per group.

    Eigen-decomposition of ``A`` (``numpy.linalg.eig``), independent of the matrix exponential of the model.
    """
    from sim.thermal import system_matrices

    a, b = system_matrices(p)
    out = np.empty((p.shape[0], p.n_nodes))
    for g in range(p.shape[0]):
        lam, v = np.linalg.eig(a[g])
        b_t, b_q = b[g][:, 0], b[g][:, 1:] @ q[g]
        beta = -np.linalg.solve(a[g], b_t * rate)  # slope of the particular solution
        alpha = np.linalg.solve(a[g], beta - b_t * t_out0 - b_q)  # its value at t = 0
        coef = np.linalg.solve(v, x0[g] - alpha)
        out[g] = (alpha + beta * t_s) + (v @ (np.exp(lam * t_s) * coef)).real
    return out


def two_node(rate_k_per_day: float, rtol: float = TOLERANCES["thermal_rtol"]) -> dict[str, Any]:
    """All seven archetypes (3 buildings each, seeded heat-loss variation) as the chain's three-node models
    from -8 degC with a ramp of ``rate_k_per_day`` (0: constant), compared every 12 h with the eigen
    solution (the function keeps its name: the check started with two nodes).

    ``model``/``exact`` shape (checks, groups, nodes) [degC]; ``groups`` lists the archetype of each group.
    """
    from sim.archetypes import ARCHETYPES, group_parameters
    from sim.config.buildings import BuildingsConfig
    from sim.thermal import TwoNodeModel

    p = group_parameters(np.array(ARCHETYPES), np.full(len(ARCHETYPES), 3.0), BuildingsConfig(),
                         np.random.default_rng(11))  # fmt: skip
    g = p.shape[0]
    rate = rate_k_per_day / 86400.0
    # heat into (air, surface, deep mass) per group
    q = np.column_stack([np.linspace(0, 5e4, g), np.linspace(1e4, 3e4, g), np.linspace(2e4, 0, g)])
    x0 = np.column_stack([np.full(g, 21.0), np.linspace(19.0, 20.5, g), np.linspace(17.0, 20.0, g)])
    model = TwoNodeModel(p, THERMAL_DT_S, 1, first_order_hold=rate != 0.0)
    model.set_state_nodes(x0[None])
    sim, exact, t_h = [], [], []
    for k in range(THERMAL_STEPS):
        start, end = -8.0 + rate * k * THERMAL_DT_S, -8.0 + rate * (k + 1) * THERMAL_DT_S
        kw = {"t_out_end_c": np.full((1, 1), end)} if rate != 0.0 else {}
        model.step(np.full((1, 1), start), q[None, :, 0], q[None, :, 2], q_surface_w=q[None, :, 1], **kw)
        if k % 12 == 11:
            sim.append(model.state[0].copy())
            exact.append(_two_node_exact(p, x0, (k + 1) * THERMAL_DT_S, -8.0, rate, q))
            t_h.append((k + 1) * THERMAL_DT_S / 3600.0)
    out = _case(np.array(t_h), np.array(sim), np.array(exact), rtol)
    out["groups"] = list(ARCHETYPES)
    return out


def energy_balance_check(steps: int = 100, seed: int = 5) -> dict[str, Any]:
    """Random inputs on three panel_16 groups: per step, the residual of heat supplied - lost - stored
    relative to ``|stored| + |supplied| + |lost|`` (``rel_residual``, shape (steps, groups)), and the largest
    relative difference between the helper's step and :class:`~sim.thermal.TwoNodeModel`'s step."""
    from sim.archetypes import archetype_parameters
    from sim.thermal import TwoNodeModel, energy_balance

    p = archetype_parameters("panel_16").scaled(np.array([1.0, 20.0, 5.0]))
    rng = np.random.default_rng(seed)
    state = np.stack([np.full(3, 21.0), np.full(3, 20.0), np.full(3, 19.5)], axis=-1)
    rel, step_diff = [], 0.0
    for _ in range(steps):
        t_out = rng.uniform(-30.0, 5.0)
        q_air, q_mass = rng.uniform(0.0, 5e5, 3) * rng.integers(0, 2, 3), rng.uniform(0.0, 1e5, 3)
        q_surf = rng.uniform(0.0, 2e5, 3)
        new, bal = energy_balance(p, THERMAL_DT_S, state, t_out, q_air, q_mass, q_surf)
        scale = np.abs(bal.stored_j) + np.abs(bal.supplied_j) + np.abs(bal.lost_j)
        rel.append(np.abs(bal.residual_j) / scale)
        model = TwoNodeModel(p, THERMAL_DT_S, 1)
        model.set_state_nodes(state[None])
        model.step(t_out, q_air[None, :], q_mass[None, :], q_surface_w=q_surf[None, :])
        step_diff = max(step_diff, float((np.abs(model.state[0] - new) / np.abs(new)).max()))
        state = new
    rel_arr = np.array(rel)
    return {"rel_residual": rel_arr, "max_rel_residual": float(rel_arr.max()), "max_step_rel_diff": step_diff}


def cool_down_heat_accounting(t_out_c: float = -20.0) -> dict[str, float]:
    """A brick_stalinka cool-down over ten days without heat: heat lost (summed per step) against the
    change of stored heat; returns both [J] and their relative difference."""
    from sim.archetypes import archetype_parameters
    from sim.thermal import energy_balance

    p = archetype_parameters("brick_stalinka").scaled(np.ones(1))
    start = np.array([[21.0, 20.0, 19.0]])
    state = start
    lost = 0.0
    for _ in range(THERMAL_STEPS):
        state, bal = energy_balance(p, THERMAL_DT_S, state, t_out_c)
        lost += float(np.asarray(bal.lost_j).sum())
    stored = float((p.capacities() * (state - start)).sum())
    return {"lost_j": lost, "stored_change_j": stored, "rel_diff": abs(-stored - lost) / abs(lost)}


def thermal_closed_form_errors() -> dict[str, Any]:
    """All closed-form checks of the thermal model, keyed by case.

    ``one_node_constant``, ``one_node_ramp``, ``two_node_constant``, ``two_node_ramp`` (-4 K/day) each hold
    ``t_h``, ``model``, ``exact``, ``max_abs_error_k`` and ``max_allclose_ratio`` (<= 1: within the test's
    ``rtol = atol = 1e-9``); ``energy_balance`` and ``cool_down`` the energy checks.
    """
    return {
        "one_node_constant": one_node_constant(),
        "one_node_ramp": one_node_ramp(),
        "two_node_constant": two_node(0.0),
        "two_node_ramp": two_node(-4.0),
        "energy_balance": energy_balance_check(),
        "cool_down": cool_down_heat_accounting(),
    }


# ---------------------------------------------------------------------------------------------------------
# Small houses (calibration E5)
# ---------------------------------------------------------------------------------------------------------


def cool_down(name: str, hours: int = 48, t_out_c: float = -12.0) -> np.ndarray:
    """Indoor air temperature of one building of ``name`` each hour after the heating stops, hour 0 (the
    steady state of normal operation, 21 degC) included; no heat input at all. [degC], shape (hours + 1,)

    Houses are heated by their own boiler, apartments by district heat in normal operation (as in
    ``docs/scripts/cooling_curves.py``, the figure of ``docs/archetypes.md``)."""
    from sim.archetypes import archetype, archetype_parameters
    from sim.config.buildings import BuildingsConfig
    from sim.heating import BuildingInputs, initial_state_c
    from sim.thermal import TwoNodeModel

    cfg = BuildingsConfig(indoor_setpoint_c=21.0)
    a = archetype(name)
    p = archetype_parameters(name).scaled(np.ones(1))
    one = np.ones(1)  # a group of one building
    bp = BuildingInputs(one, a.floor_area_m2 * one, 0.0 * one, 0.0 * one, np.array([a.kind == "house"]),
                        np.array([a.kind != "house"]), p.h_total_w_per_k, p.radiant_to_air_frac)
    t_out = np.full((1, 1), t_out_c)
    model = TwoNodeModel(p, 3600.0, 1)
    model.set_state_nodes(initial_state_c(bp, p, t_out, cfg))
    air = [float(model.indoor_c[0, 0])]
    air += [float(model.step(t_out, 0.0)[0, 0]) for _ in range(hours)]
    return np.array(air)


def small_house_cooling(hours: int = 48, t_out_c: float = -12.0) -> dict[str, Any]:
    """The E5 experiments: ``private_old`` and ``private_insulated`` cooling for ``hours`` at ``t_out_c``
    (hourly air temperature, hour 0 included), and ``private_insulated`` for 60 h at -5 degC
    (Energies 18(15):4022). Also the air temperature at the end of each (``*_end_c``)."""
    old = cool_down("private_old", hours, t_out_c)
    ins = cool_down("private_insulated", hours, t_out_c)
    ins60 = cool_down("private_insulated", 60, -5.0)
    return {
        "t_out_c": t_out_c, "hours": hours, "t_h": np.arange(hours + 1),
        "private_old": old, "private_insulated": ins, "private_insulated_60h_minus5": ins60,
        "private_old_end_c": float(old[-1]), "private_insulated_end_c": float(ins[-1]),
        "private_insulated_60h_minus5_end_c": float(ins60[-1]),
    }  # fmt: skip




def figures(quick: bool = False) -> dict[str, float]:
    """Scalar results under stable keys: ``closed_form.<case>.max_abs_error_k`` (a verification against
    exact solutions), ``energy_balance.max_rel_residual`` and ``e5.*`` (the E5 small houses, a validation:
    no parameter was fitted to them)."""
    th = thermal_closed_form_errors()
    out = {f"closed_form.{case}.max_abs_error_k": float(th[case]["max_abs_error_k"])
           for case in ("one_node_constant", "one_node_ramp", "two_node_constant", "two_node_ramp")}
    out["energy_balance.max_rel_residual"] = float(th["energy_balance"]["max_rel_residual"])
    out["energy_balance.cool_down_rel_diff"] = float(th["cool_down"]["rel_diff"])
    s = small_house_cooling()
    out["e5.private_old_48h_minus12_c"] = s["private_old_end_c"]
    out["e5.private_insulated_48h_minus12_c"] = s["private_insulated_end_c"]
    out["e5.private_insulated_60h_minus5_c"] = s["private_insulated_60h_minus5_end_c"]
    return out
