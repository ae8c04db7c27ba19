"""The validation computations: each function returns the numbers (and curves) that a validation test
asserts on and that the validation report (``docs/validation.md``) plots and tabulates.

The tests in ``tests/validation/`` and the report script ``docs/scripts/make_validation_report.py`` call the
same functions, so a figure in the report shows exactly what a test measures. The tolerances the tests use
are in :data:`TOLERANCES` (each test pins the value it relies on).

Functions
---------
* :func:`erlang_c_check` - the model's repair crews as an M/M/c queue against the Erlang C formula.
* :func:`thermal_closed_form_errors` - the exact discretization against closed-form solutions (one and two
  nodes, constant and ramp outdoor temperature) and the energy balance of every step.
* :func:`small_house_cooling` - the small houses of calibration E5 cooling without heat.
* :func:`restoration_20jan` / :func:`restoration_points` - the 20 January 2026 wave on Kyiv and the
  restoration curve of calibration B3.
* :func:`freezing_check` - an undrained system in deep frost freezes; a drained one comes back in days.
* :func:`weather_climatology` / :func:`cold_snap_extremes` - the cold-snap generator against GHCN-Daily.

References are in the docstrings and in the tests that use each function.
"""

from __future__ import annotations

import math
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import simpy

#: Tolerances of the validation tests (each test asserts that the value it uses is the one here).
TOLERANCES: dict[str, float] = {
    "erlang_c_se": 3.0,  # |mean of replications - Erlang C| < 3 standard errors
    "erlang_c_rel": 0.10,  # ... and within 10 %
    "thermal_rtol": 1e-9,  # model vs closed form: |model - exact| <= rtol + rtol |exact| (round-off)
    "energy_balance_rel": 1e-9,  # residual / (|stored| + |supplied| + |lost|) per step
    "e5_old_house_c": 4.0,  # E5: 21 -> 4 degC in 48 h at -12 degC ...
    "e5_old_house_abs_k": 3.0,  # ... accepted within +- 3 K
    "e5_insulated_min_c": 14.0,  # E5: 15-17 degC, accepted 14-18 degC
    "e5_insulated_max_c": 18.0,
    "energies_60h_min_c": 15.0,  # Energies 18(15):4022: above 15 degC for 60 h (checked at -5 degC)
    "restoration_peak_rel": 0.20,  # B3 peak within +-20 %
    "restoration_point_rel": 0.35,  # B3 later points within +-35 %
    "freeze_restore_min_h": 14 * 24,  # a frozen system takes weeks
    "drained_restore_max_h": 3 * 24,  # B2: a drained one ~2 days after the source returns
}

CONFIGS = Path(__file__).resolve().parents[1] / "configs"


def compose_config(overrides: list[str]) -> Any:
    """The project's config (``configs/``) composed with ``overrides`` as the CLI would (Hydra compose)."""
    from hydra import compose, initialize_config_dir

    from sim.config import register

    register()
    with initialize_config_dir(config_dir=str(CONFIGS), version_base="1.3"):
        return compose("config", overrides=list(overrides))


# ---------------------------------------------------------------------------------------------------------
# Erlang C: the repair crews as an M/M/c queue
# ---------------------------------------------------------------------------------------------------------


def erlang_c_wait(lam: float, mu: float, c: int) -> float:
    """Mean waiting time in queue of M/M/c, ``W_q = C(c, a) / (c mu - lambda)``. [h]"""
    return erlang_c_prob_wait(lam, mu, c) / (c * mu - lam)


def erlang_c_prob_wait(lam: float, mu: float, c: int) -> float:
    """Erlang C: probability that an arrival waits, ``C(c, a)`` with ``a = lambda / mu``. [1]"""
    a = lam / mu
    rho = a / c
    if rho >= 1.0:
        raise ValueError(f"unstable queue: rho = {rho:.3f} >= 1")
    tail = a**c / math.factorial(c) / (1 - rho)
    return tail / (sum(a**k / math.factorial(k) for k in range(c)) + tail)


def _erlang_replication(seed: int, lam: float, mu: float, c: int, n_jobs: int, warmup: int) -> np.ndarray:
    """Waits [h] of one replication (Poisson damage, exponential work, the model's repair crews)."""
    from sim.des.repair import RepairShop, repair_crew

    rng = np.random.default_rng(seed)
    env = simpy.Environment()
    shop = RepairShop(env, {"power": c}, 0, 0.0)

    def damage(env):
        for node in range(n_jobs):
            yield env.timeout(rng.exponential(1.0 / lam))
            shop.add_work(node, rng.exponential(1.0 / mu))
            env.process(repair_crew(env, shop, node, "substation"))

    env.process(damage(env))
    env.run()
    # waits are appended in order of crew assignment; drop the warm-up (jobs that started first)
    return np.asarray(shop.waits_h[warmup:], dtype=float)


def erlang_c_check(lam: float = 2.4, mu: float = 1.0, c: int = 3, n_jobs: int = 4000, warmup: int = 200,
                   replications: int = 12) -> dict[str, Any]:
    """Simulate the repair shop as M/M/c and compare its mean wait with Erlang C.

    Replication ``k`` uses seed ``k``. Returns the theory (``theory_wait_h``, ``theory_prob_wait``), the mean
    wait of each replication (``replication_means_h``), their mean and standard error, the relative error,
    the error in standard errors (``z``), the simulated share of jobs that waited, and all waits pooled
    (``waits_h``, for the distribution plot: ``P(W_q > t) = C(c, a) exp(-(c mu - lambda) t)``).
    """
    waits = [_erlang_replication(seed, lam, mu, c, n_jobs, warmup) for seed in range(replications)]
    means = np.array([w.mean() for w in waits])
    theory = erlang_c_wait(lam, mu, c)
    se = float(means.std(ddof=1) / math.sqrt(len(means)))
    pooled = np.concatenate(waits)
    return {
        "lam_per_h": lam, "mu_per_h": mu, "crews": c, "rho": lam / (c * mu), "n_jobs": n_jobs,
        "warmup": warmup, "replications": replications,
        "theory_wait_h": theory,
        "theory_prob_wait": erlang_c_prob_wait(lam, mu, c),
        "replication_means_h": means,
        "mean_wait_h": float(means.mean()),
        "se_h": se,
        "rel_error": float(means.mean() / theory - 1.0),
        "z": float((means.mean() - theory) / se),
        "prob_wait": float(np.mean(pooled > 1e-12)),
        "waits_h": pooled,
    }  # fmt: skip


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
    """Closed-form two-node solution for ``T_o = t_out0 + rate t`` and constant ``q = (q_a, q_m)``, per group.

    Eigen-decomposition of ``A`` (``numpy.linalg.eig``), independent of the matrix exponential of the model.
    """
    from sim.thermal import system_matrices

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


def two_node(rate_k_per_day: float, rtol: float = TOLERANCES["thermal_rtol"]) -> dict[str, Any]:
    """All seven archetypes (3 buildings each, seeded heat-loss variation) as two-node models from -8 degC
    with a ramp of ``rate_k_per_day`` (0: constant), compared every 12 h with the eigen solution.

    ``model``/``exact`` shape (checks, groups, nodes) [degC]; ``groups`` lists the archetype of each group.
    """
    from sim.archetypes import ARCHETYPES, group_parameters
    from sim.config.buildings import BuildingsConfig
    from sim.thermal import TwoNodeModel

    p = group_parameters(np.array(ARCHETYPES), np.full(len(ARCHETYPES), 3.0), BuildingsConfig(),
                         np.random.default_rng(11))  # fmt: skip
    g = p.shape[0]
    rate = rate_k_per_day / 86400.0
    q = np.column_stack([np.linspace(0, 5e4, g), np.linspace(2e4, 0, g)])  # (q_air, q_mass) per group
    x0 = np.column_stack([np.full(g, 21.0), np.linspace(17.0, 20.0, g)])
    model = TwoNodeModel(p, THERMAL_DT_S, 1, first_order_hold=rate != 0.0)
    model.set_state(x0[None, :, 0], x0[None, :, 1])
    sim, exact, t_h = [], [], []
    for k in range(THERMAL_STEPS):
        start, end = -8.0 + rate * k * THERMAL_DT_S, -8.0 + rate * (k + 1) * THERMAL_DT_S
        kw = {"t_out_end_c": np.full((1, 1), end)} if rate != 0.0 else {}
        model.step(np.full((1, 1), start), q[None, :, 0], q[None, :, 1], **kw)
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
    state = np.stack([np.full(3, 21.0), np.full(3, 19.5)], axis=-1)
    rel, step_diff = [], 0.0
    for _ in range(steps):
        t_out = rng.uniform(-30.0, 5.0)
        q_air, q_mass = rng.uniform(0.0, 5e5, 3) * rng.integers(0, 2, 3), rng.uniform(0.0, 1e5, 3)
        new, bal = energy_balance(p, THERMAL_DT_S, state, t_out, q_air, q_mass)
        scale = np.abs(bal.stored_j) + np.abs(bal.supplied_j) + np.abs(bal.lost_j)
        rel.append(np.abs(bal.residual_j) / scale)
        model = TwoNodeModel(p, THERMAL_DT_S, 1)
        model.set_state(state[None, :, 0], state[None, :, 1])
        model.step(t_out, q_air[None, :], q_mass[None, :])
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
    state = np.array([[21.0, 19.0]])
    lost = 0.0
    for _ in range(THERMAL_STEPS):
        state, bal = energy_balance(p, THERMAL_DT_S, state, t_out_c)
        lost += float(np.asarray(bal.lost_j).sum())
    stored = float((p.c_air_j_per_k * (state[:, 0] - 21.0) + p.c_mass_j_per_k * (state[:, 1] - 19.0)).sum())
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
    bp = BuildingInputs(1.0, a.floor_area_m2, 0.0, 0.0, a.kind == "house", a.kind != "house", p.h_total_w_per_k,
                        p.mass_to_air_frac)  # fmt: skip
    t_out = np.full((1, 1), t_out_c)
    x = initial_state_c(bp, p, t_out, cfg)
    model = TwoNodeModel(p, 3600.0, 1)
    model.set_state(x[..., 0], x[..., 1])
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


# ---------------------------------------------------------------------------------------------------------
# The 20 January 2026 restoration curve (calibration A3, B3)
# ---------------------------------------------------------------------------------------------------------

#: Calibration B3: (hours after the wave, apartment blocks without heat). End of day 0 = +18 h (midnight),
#: day 1 = +30 h (noon), morning = 08:00, evening = 20:00 (the wave struck at 06:00).
B3_POINTS: tuple[tuple[int, int], ...] = ((18, 4000), (30, 3260), (50, 3000), (62, 2600), (74, 1940), (86, 1200))
#: Calibration A3/B3: blocks that lost heat on 20 Jan (46 % of ~12,000).
B3_PEAK = 5635
#: The peak is the largest count within this many hours after the wave.
PEAK_WINDOW_H = 6


def restoration_20jan(n_realizations: int = 100, seed: int = 20260120, days: float = 5.0,
                      outdoor_c: float = -12.0) -> pd.DataFrame:
    """District-heated apartment blocks without heat after the 20 January wave on Kyiv.

    Kyiv, ``attacks=single_wave`` (339 drones, 34 missiles at 06:00 of day 1, the config default), outdoor
    temperature held at ``outdoor_c``, the DES only (configs composed as the CLI does). Returns the curve,
    one row per hour, indexed by ``hours_after_wave``, with columns ``median``, ``p10``, ``p90`` and
    ``mean`` over realizations [blocks]. ``attrs``: ``blocks`` (realization x hour array), ``wave_hour``,
    ``total_blocks`` (on district heating), ``no_heat_before_wave`` (bool), ``peak`` (per realization: the
    largest count within 6 h after the wave), ``peak_median``, ``peak_p10``, ``peak_p90``, settings.
    """
    from sim.city import build_city
    from sim.des import simulate_supply
    from sim.des.network import build_network
    from sim.threat import make_campaign
    from sim.timegrid import TimeGrid

    cfg = compose_config(["city=kyiv", "attacks=single_wave"])
    city = build_city(cfg.city)
    net = build_network(city, cfg.city.grid)
    grid = TimeGrid.from_config("2026-01-29T00:00", days, 60)
    camp = make_campaign(cfg.attacks, net, grid, n_realizations, seed)
    out = np.full((n_realizations, grid.n_steps), float(outdoor_c))
    tl = simulate_supply(city, net, camp, out, cfg.repair, cfg.buildings, grid, seed)
    nb = city.groups["n_buildings"].to_numpy() * (net.group_heat_source >= 0)
    no_heat = ((~tl.group_heat) * nb).sum(-1)  # (R, T)
    t0 = int(camp.waves["time_h"].iloc[0])
    peak = no_heat[:, t0 + 1 : t0 + 1 + PEAK_WINDOW_H].max(axis=1)
    hours = np.arange(no_heat.shape[1]) - t0
    df = pd.DataFrame(
        {"median": np.median(no_heat, axis=0), "p10": np.percentile(no_heat, 10, axis=0),
         "p90": np.percentile(no_heat, 90, axis=0), "mean": no_heat.mean(axis=0)},
        index=pd.Index(hours, name="hours_after_wave"),
    )  # fmt: skip
    df.attrs.update(
        blocks=no_heat, wave_hour=t0, total_blocks=int(nb.sum()), no_heat_before_wave=bool((no_heat[:, :t0] == 0).all()),
        peak=peak, peak_median=float(np.median(peak)), peak_p10=float(np.percentile(peak, 10)),
        peak_p90=float(np.percentile(peak, 90)), n_realizations=n_realizations, seed=seed, outdoor_c=outdoor_c,
    )  # fmt: skip
    return df


def restoration_points(curve: pd.DataFrame) -> pd.DataFrame:
    """The model against calibration B3 at the peak and each reported point.

    Rows: ``peak`` and ``+18 h`` ... ``+86 h``; columns ``hours_after_wave``, ``reported``, ``model_median``,
    ``model_p10``, ``model_p90``, ``deviation`` (model median / reported - 1), ``tolerance`` (the test's)
    and ``within`` (bool).
    """
    rows = [{"point": "peak (first 6 h)", "hours_after_wave": 0, "reported": B3_PEAK,
             "model_median": curve.attrs["peak_median"], "model_p10": curve.attrs["peak_p10"],
             "model_p90": curve.attrs["peak_p90"], "tolerance": TOLERANCES["restoration_peak_rel"]}]  # fmt: skip
    for dt, ref in B3_POINTS:
        r = curve.loc[dt]
        rows.append({"point": f"+{dt} h", "hours_after_wave": dt, "reported": ref, "model_median": float(r["median"]),
                     "model_p10": float(r["p10"]), "model_p90": float(r["p90"]),
                     "tolerance": TOLERANCES["restoration_point_rel"]})  # fmt: skip
    df = pd.DataFrame(rows).set_index("point")
    df["deviation"] = df["model_median"] / df["reported"] - 1.0
    df["within"] = df["deviation"].abs() < df["tolerance"]
    return df


# ---------------------------------------------------------------------------------------------------------
# Freezing (calibration E7, B2)
# ---------------------------------------------------------------------------------------------------------


def _freezing_case(undrained_prob: float, outdoor_c: float, days: float) -> dict[str, Any]:
    from sim.des.testing import hit_campaign, load_city, run_city

    _, net = load_city("small_town")
    camp = hit_campaign(net, [(2.0, int(net.heat_sources[0]), 24.0)])  # the boiler house is down for a day
    _city, net, _, tl = run_city("small_town", n_realizations=1, days=days, outdoor_c=outdoor_c, campaign=camp,
                                repair={"undrained_prob": undrained_prob})  # fmt: skip
    zone = net.group_heat_source == 0
    state = tl.group_state[0][:, zone]  # (T, groups of the zone)
    heat = tl.group_heat[0][:, zone].all(axis=1)
    back = np.flatnonzero(heat & (np.arange(len(heat)) > 3))
    return {
        "state": state,
        "share_with_heat": tl.group_heat[0][:, zone].mean(axis=1),
        "restored_h": float(back[0]) if len(back) else math.inf,
        "events": sorted(set(tl.events["kind"])),
    }


def freezing_check(outdoor_c: float = -22.0, days: float = 40.0) -> dict[str, Any]:
    """The small town's boiler house is down for 24 h from hour 2 at ``outdoor_c``; its zone either is not
    drained (``undrained``: every system freezes) or is drained (``drained``).

    Each case holds ``state`` (hour x group of the zone: 0 heat, 1 no circulation, 2 drained, 3 frozen),
    ``share_with_heat`` per hour, ``restored_h`` (first hour after 3 at which every group of the zone has
    heat) and the event kinds of the DES log. Also ``outage_start_h`` (2) and ``outage_h`` (24).
    """
    return {
        "outdoor_c": outdoor_c, "outage_start_h": 2.0, "outage_h": 24.0,
        "undrained": _freezing_case(1.0, outdoor_c, days),
        "drained": _freezing_case(0.0, outdoor_c, days),
    }  # fmt: skip


# ---------------------------------------------------------------------------------------------------------
# Weather: the cold-snap generator against GHCN-Daily (calibration F1-F5)
# ---------------------------------------------------------------------------------------------------------

#: Figures derived from GHCN-Daily UPM00033345 (Kyiv) by ``docs/scripts/derive_weather_figures.py``
#: (docs/weather.md): diurnal range on DJF days with TAVG <= -10 degC 1961-2020 (mean, SD); DJF daily-mean
#: anomalies 1991-2020, each winter's mean removed (SD, lag-1 autocorrelation, SD of the day-to-day change).
GHCN_FIGURES: dict[str, float] = {
    "dtr_cold_mean_c": 7.12, "dtr_cold_sd_c": 2.76,
    "anomaly_sd_c": 5.01, "anomaly_lag1": 0.839, "change_sd_c": 2.84,
}  # fmt: skip
#: Calibration F4: coldest week 1991-2020 and the record low. [degC]
COLDEST_WEEK_C = -20.3
RECORD_LOW_C = -32.2


def weather_climatology(n_days: int = 120, n_members: int = 60, seed: int = 11,
                        saturated_from_day: int = 45) -> dict[str, Any]:
    """A long ensemble with the spell far beyond the horizon (pure climatological noise), and its statistics.

    Daily-mean anomalies from ``saturated_from_day`` on (spread saturated at ``day_to_day_sd_c``):
    ``anomaly_sd_c``, ``anomaly_lag1``, ``change_sd_c``, ``anomaly_acf`` (lags 0-5); diurnal ranges
    (daily max - min) of all days: ``dtr_mean_c``, ``dtr_sd_c``, ``dtr_min_c``. Arrays ``anomaly_c``
    (members x days) and ``dtr_c`` for plots.
    """
    from sim.config import WeatherConfig
    from sim.timegrid import TimeGrid
    from sim.weather import cold_snap, daily_min_max_c

    cfg = WeatherConfig(spell_start_day=1000.0)
    grid = TimeGrid.from_config("2026-01-01T00:00", n_days, 60)
    f = cold_snap(cfg, grid, n_members, seed=seed)
    daily_mean_c = f.outdoor_c.reshape(n_members, n_days, 24).mean(axis=2)
    _, day_min_c, day_max_c = daily_min_max_c(f.times, f.outdoor_c)
    anomaly = (daily_mean_c - cfg.baseline_temperature_c)[:, saturated_from_day:]
    dtr = day_max_c - day_min_c
    acf = [1.0] + [float(np.corrcoef(anomaly[:, :-k].ravel(), anomaly[:, k:].ravel())[0, 1]) for k in range(1, 6)]
    return {
        "n_days": n_days, "n_members": n_members, "seed": seed, "saturated_from_day": saturated_from_day,
        "anomaly_c": anomaly, "dtr_c": dtr,
        "anomaly_sd_c": float(anomaly.std()),
        "anomaly_lag1": acf[1],
        "anomaly_acf": np.array(acf),
        "anomaly_mean_c": float(anomaly.mean()),
        "change_sd_c": float(np.diff(anomaly, axis=1).std()),
        "dtr_mean_c": float(dtr.mean()), "dtr_sd_c": float(dtr.std()), "dtr_min_c": float(dtr.min()),
        "defaults": {"diurnal_range_c": WeatherConfig().diurnal_range_c,
                     "diurnal_range_sd_c": WeatherConfig().diurnal_range_sd_c,
                     "day_to_day_sd_c": WeatherConfig().day_to_day_sd_c,
                     "day_to_day_autocorr": WeatherConfig().day_to_day_autocorr},
    }  # fmt: skip


def cold_snap_extremes(n_members: int = 100, days: int = 14, seed: int = 3,
                       start: str = "2026-01-29T00:00") -> dict[str, Any]:
    """The default cold snap (``weather=cold_snap``, -25 degC) from 29 Jan: per-day ensemble statistics of
    the daily mean (``daily_mean_median_c``, ``daily_mean_p5_c``, ``daily_mean_p95_c``) and daily minimum
    (``daily_min_median_c``), the coldest median daily mean and the median over members of each member's
    lowest hourly temperature (``median_member_min_c``)."""
    from sim.config import WeatherConfig
    from sim.timegrid import TimeGrid
    from sim.weather import cold_snap

    f = cold_snap(WeatherConfig(), TimeGrid.from_config(start, days, 60), n_members, seed=seed)
    x = f.outdoor_c.reshape(n_members, days, 24)
    daily_mean = x.mean(axis=2)
    median_daily_mean = np.median(daily_mean, axis=0)
    return {
        "n_members": n_members, "days": days, "seed": seed, "start": start,
        "times": f.times, "outdoor_c": f.outdoor_c,
        "day": pd.date_range(start, periods=days, freq="D"),
        "daily_mean_median_c": median_daily_mean,
        "daily_mean_p5_c": np.percentile(daily_mean, 5, axis=0),
        "daily_mean_p95_c": np.percentile(daily_mean, 95, axis=0),
        "daily_min_median_c": np.median(x.min(axis=2), axis=0),
        "coldest_median_daily_mean_c": float(median_daily_mean.min()),
        "median_member_min_c": float(np.median(f.outdoor_c.min(axis=1))),
    }  # fmt: skip
