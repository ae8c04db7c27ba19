"""Generate the validation report ``docs/validation.md`` and its figures from the validation computations.

Usage::

    .venv/bin/python docs/scripts/make_validation_report.py            # full settings (the committed page)
    .venv/bin/python docs/scripts/make_validation_report.py --quick    # fewer realizations (tests)
    .venv/bin/python docs/scripts/make_validation_report.py --out-dir /tmp/report

Writes ``<out-dir>/validation.md`` (default ``docs/``), its figures into ``<out-dir>/img/validation/`` and the
cooling curves under total heat loss into ``<out-dir>/img/cooling_curves_total_heat_loss.png`` (via
``docs/scripts/cooling_curves_from_run.py``). Every number and figure comes from :mod:`sim.validation`, the
module the tests in ``tests/validation/`` assert on, with the tests' settings and tolerances
(:data:`sim.validation.TOLERANCES`); ``--quick`` keeps the tests' settings for every tested check and only
shrinks the untested extras (the restoration's other seeds, the cooling run), and says so on the page. The GHCN-Daily figures are recomputed from ``../shared/data/kyiv_ghcn_daily.dly``
when it exists (``--ghcn``), otherwise the hard-coded figures of the tests are used.
"""

from __future__ import annotations

import argparse
import importlib.util
import sys
import time
from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt
import numpy as np
import pandas as pd

import sim
from sim import validation as v

SCRIPTS = Path(__file__).resolve().parent
DOCS = SCRIPTS.parent
ROOT = DOCS.parent
GHCN_FILE = ROOT.parent / "shared" / "data" / "kyiv_ghcn_daily.dly"
IMG = "img/validation"

FULL = {"restoration_realizations": 100, "restoration_seeds": (1, 2, 3, 4), "cooling_realizations": 20,
        "cooling_days": 7.0, "weekly_realizations": 100}  # fmt: skip
#: --quick: the tested checks keep the tests' settings; only the extra seeds, the cooling run and the eight
#: weeks (a slow test) shrink.
QUICK = {"restoration_realizations": 100, "restoration_seeds": (), "cooling_realizations": 3, "cooling_days": 3.0,
         "weekly_realizations": 20}  # fmt: skip


def _load_script(name: str):
    """Import a sibling script of docs/scripts/ as a module."""
    spec = importlib.util.spec_from_file_location(name, SCRIPTS / f"{name}.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    spec.loader.exec_module(module)
    return module


def _save(fig, path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    fig.tight_layout()
    fig.savefig(path, dpi=100)
    plt.close(fig)


def _ok(flag: bool) -> str:
    return "pass" if flag else "**FAIL**"


def _fmt(x: float, digits: int = 1) -> str:
    return f"{x:,.{digits}f}" if np.isfinite(x) else "never"


# -------------------------------------------------------------------------------------------------------
# sections: each computes, plots and returns (markdown, summary rows)
# -------------------------------------------------------------------------------------------------------


def section_erlang(img: Path) -> tuple[str, list[dict]]:
    e = v.erlang_c_check()
    tol_se, tol_rel = v.TOLERANCES["erlang_c_se"], v.TOLERANCES["erlang_c_rel"]
    ok = abs(e["mean_wait_h"] - e["theory_wait_h"]) < tol_se * e["se_h"] and abs(e["rel_error"]) < tol_rel
    ok_p = abs(e["prob_wait"] - e["theory_prob_wait"]) < 0.03

    fig, (a, b) = plt.subplots(1, 2, figsize=(10, 3.8))
    k = np.arange(1, e["replications"] + 1)
    a.plot(k, e["replication_means_h"], "o", color="C0", label="mean wait, one replication")
    a.axhline(e["theory_wait_h"], color="k", lw=1.5, label=f"Erlang C: {e['theory_wait_h']:.3f} h")
    a.axhspan(e["mean_wait_h"] - tol_se * e["se_h"], e["mean_wait_h"] + tol_se * e["se_h"], color="C0", alpha=0.15,
              label=f"mean of replications ± {tol_se:g} SE")  # fmt: skip
    a.axhline(e["mean_wait_h"], color="C0", lw=1)
    a.set_xlabel("replication (seed)")
    a.set_ylabel("mean wait in queue [h]")
    a.set_title(f"M/M/{e['crews']}, rho = {e['rho']:.1f}: mean wait", fontsize=10)
    a.legend(fontsize=8)
    t = np.linspace(0, 8, 200)
    waits = np.sort(e["waits_h"])
    surv = 1.0 - np.searchsorted(waits, t, side="right") / len(waits)
    b.semilogy(t, surv, color="C0", lw=2, label="model (all replications)")
    b.semilogy(t, e["theory_prob_wait"] * np.exp(-(e["crews"] * e["mu_per_h"] - e["lam_per_h"]) * t), "k--",
               label="Erlang C: C(c,a) exp(-(c mu - lambda) t)")  # fmt: skip
    b.set_xlabel("t [h]")
    b.set_ylabel("P(wait > t)")
    b.set_title("distribution of waits", fontsize=10)
    b.legend(fontsize=8)
    b.grid(alpha=0.3)
    _save(fig, img / "erlang_c.png")

    md = f"""## Repair crews: M/M/c against Erlang C

Test: `tests/validation/test_erlang_c.py`; computation: `sim.validation.erlang_c_check`. Damage arrives as
a Poisson process (lambda = {e['lam_per_h']:g} jobs/h), repair work is exponential (mu = {e['mu_per_h']:g}/h),
and {e['crews']} crews of the model's own `RepairShop` and `repair_crew` (one trade, equal priority, no
alerts, no spare transformers) serve the jobs: an M/M/{e['crews']} queue at load rho = {e['rho']:.1f}.
{e['replications']} replications of {e['n_jobs']:,} jobs (the first {e['warmup']} dropped as warm-up).

![Erlang C check]({IMG}/erlang_c.png)

| quantity | Erlang C | model | error | tolerance (test) |
|---|---|---|---|---|
| mean wait in queue | {e['theory_wait_h']:.4f} h | {e['mean_wait_h']:.4f} h (SE {e['se_h']:.4f}) | {100 * e['rel_error']:+.1f} % = {e['z']:+.2f} SE | < {tol_se:g} SE and < {100 * tol_rel:g} % |
| probability of waiting | {e['theory_prob_wait']:.4f} | {e['prob_wait']:.4f} | {e['prob_wait'] - e['theory_prob_wait']:+.4f} | < 0.03 |

**What does not fit / is not covered.** The queue mechanics agree with the closed form; the spread between
replications is large (single replications range {e['replication_means_h'].min():.2f}-{e['replication_means_h'].max():.2f} h
at rho = 0.8), which is why the test compares the mean of {e['replications']} replications. No closed form
covers what the model adds to M/M/c in a run: priorities by node kind, teams of several crews per job,
interruptions by air-raid alerts, spare transformers and non-exponential (lognormal) repair times. Those
are checked by unit tests of their behaviour and, in aggregate, by the restoration curve below.
"""
    rows = [{"check": "repair queue: mean wait vs Erlang C", "measured": f"{100 * e['rel_error']:+.1f} % ({e['z']:+.2f} SE)",
             "tolerance": f"< {tol_se:g} SE and < {100 * tol_rel:g} %", "result": _ok(ok)},
            {"check": "repair queue: P(wait) vs Erlang C", "measured": f"{e['prob_wait'] - e['theory_prob_wait']:+.4f}",
             "tolerance": "< 0.03", "result": _ok(ok_p)}]  # fmt: skip
    return md, rows


def section_thermal(img: Path) -> tuple[str, list[dict]]:
    th = v.thermal_closed_form_errors()
    rtol = v.TOLERANCES["thermal_rtol"]
    cases = [("one_node_constant", "one node (x2), constant T_o and heat"),
             ("one_node_ramp", "one node (x2), T_o ramp 0 -> -20 °C over 5 days"),
             ("two_node_constant", "three nodes, 7 archetypes, constant T_o = -8 °C"),
             ("two_node_ramp", "three nodes, 7 archetypes, T_o ramp -4 K/day")]  # fmt: skip

    fig, axes = plt.subplots(2, 2, figsize=(10, 6.5), sharex=True)
    for ax, (key, title) in zip(axes.ravel(), cases, strict=True):
        c = th[key]
        model, exact = c["model"], c["exact"]
        if key == "one_node_constant":
            series = [(f"group {g}, {node}", model[:, g, n], exact[:, g, n]) for g in range(2)
                      for n, node in enumerate(("air", "mass"))]  # fmt: skip
        elif key == "one_node_ramp":
            series = [(f"group {g}, air", model[:, g], exact[:, g]) for g in range(2)]
        else:
            series = [(f"{c['groups'][g]}, air", model[:, g, 0], exact[:, g, 0]) for g in (0, 3, 6)]
        for i, (label, m, x) in enumerate(series):
            ax.plot(c["t_h"], x, color=f"C{i}", lw=1.2, label=label)
            step = max(1, len(c["t_h"]) // 20)
            ax.plot(c["t_h"][::step], m[::step], "o", color=f"C{i}", ms=3.5, mfc="none")
        ax.set_title(title, fontsize=9)
        ax.legend(fontsize=7)
        ax.grid(alpha=0.3)
    for ax in axes[1]:
        ax.set_xlabel("time [h]  (lines: closed form; circles: model)")
    for ax in axes[:, 0]:
        ax.set_ylabel("temperature [°C]")
    _save(fig, img / "thermal_closed_form.png")

    fig, (a, b) = plt.subplots(1, 2, figsize=(10, 3.6))
    for i, (key, _title) in enumerate(cases):
        c = th[key]
        err = np.abs(c["model"] - c["exact"]).reshape(len(c["t_h"]), -1).max(axis=1)
        a.semilogy(c["t_h"], np.maximum(err, 1e-17), color=f"C{i}", lw=1.2, marker="." if len(c["t_h"]) < 50 else None,
                   label=key)  # fmt: skip
    a.axhline(rtol, color="k", ls="--", lw=1, label=f"atol of the test ({rtol:g} K)")
    a.set_xlabel("time [h]")
    a.set_ylabel("max |model - closed form| [K]")
    a.set_title("error against the closed form (0 plotted at 1e-17)", fontsize=9)
    a.legend(fontsize=7)
    a.grid(alpha=0.3)
    eb = th["energy_balance"]["rel_residual"]
    b.semilogy(np.arange(1, len(eb) + 1), np.maximum(eb.max(axis=1), 1e-18), ".", color="C3")
    b.axhline(v.TOLERANCES["energy_balance_rel"], color="k", ls="--", lw=1, label="tolerance of the test")
    b.set_xlabel("step (random inputs)")
    b.set_ylabel("|residual| / (|stored| + |supplied| + |lost|)")
    b.set_title("energy balance of every step (panel_16, 3 groups)", fontsize=9)
    b.legend(fontsize=7)
    b.grid(alpha=0.3)
    _save(fig, img / "thermal_errors.png")

    rows_md = "\n".join(
        f"| {title} | {len(th[key]['t_h'])} | {th[key]['max_abs_error_k']:.1e} K | {th[key]['max_allclose_ratio']:.1e} |"
        for key, title in cases
    )
    ok = all(th[key]["max_allclose_ratio"] <= 1.0 for key, _ in cases)
    eb_max, cd = th["energy_balance"]["max_rel_residual"], th["cool_down"]
    ok_eb = eb_max <= v.TOLERANCES["energy_balance_rel"] and cd["rel_diff"] <= 1e-9
    md = f"""## Thermal model: exact discretization against closed-form solutions

Test: `tests/validation/test_thermal_closed_form.py`; computation: `sim.validation.thermal_closed_form_errors`.
The model's matrix-exponential steps (hourly, ten days) against the textbook solutions: one node,
`T(t) = T_inf + (T(0) - T_inf) exp(-t/tau)` and its ramp form (Incropera et al., 5.3); the chain's
three-node archetypes, the eigen-decomposition of `x' = A x + B u` computed with `numpy.linalg.eig`,
independently of the model's `expm` (Boyce & DiPrima, ch. 7). Those cases use all seven archetypes (three
buildings each, with heat-loss variation), compared every 12 h; their heat inputs (0-50 kW to the air,
10-30 kW to the surface mass, 20-0 kW to the deep mass) are
arbitrary test inputs, which is why the small insulated house heats up to ~70 °C. Tolerance of the test: `assert_allclose(rtol = atol = {rtol:g})`,
i.e. round-off; the last column is the largest `|error| / (atol + rtol |exact|)`, which must be <= 1.

![Closed-form trajectories]({IMG}/thermal_closed_form.png)

![Errors]({IMG}/thermal_errors.png)

| case | compared points | max abs error | max error / tolerance |
|---|---|---|---|
{rows_md}

Energy balance: over 100 steps with random outdoor temperatures and heat inputs, heat supplied minus heat
lost equals the change of stored heat to a relative residual of at most {eb_max:.1e} (tolerance
{v.TOLERANCES['energy_balance_rel']:g}); the helper's step equals the model's step to {th['energy_balance']['max_step_rel_diff']:.1e}
(tolerance 1e-12). In a ten-day cool-down of a `brick_stalinka` block at -20 °C the heat lost,
{cd['lost_j'] / 1e9:.1f} GJ, equals the heat the building stored to {cd['rel_diff']:.1e}.

**What does not fit / is not covered.** Nothing at round-off. These checks prove the integration, not the
physics: they say nothing about whether the parameters (U-values, capacities, air change) are right; the
small-house experiments and the expert ordering (calibration E4, `tests/unit/test_archetypes.py`) do that.
The step is exact for inputs that are constant (or, with `first_order_hold`, linear) over a step; the
chain holds the outdoor temperature at its step-start value for an hour, which is an approximation of the
forcing, not of the model.
"""
    rows = [{"check": "thermal: model vs closed form (4 cases)", "measured": f"max {max(th[k]['max_abs_error_k'] for k, _ in cases):.1e} K",
             "tolerance": f"rtol = atol = {rtol:g}", "result": _ok(ok)},
            {"check": "thermal: energy balance per step", "measured": f"max {eb_max:.1e} (relative)",
             "tolerance": f"{v.TOLERANCES['energy_balance_rel']:g}", "result": _ok(ok_eb)}]  # fmt: skip
    return md, rows


def section_small_houses(img: Path) -> tuple[str, list[dict]]:
    s = v.small_house_cooling()
    tol = v.TOLERANCES
    old_ref, old_tol = tol["e5_old_house_c"], tol["e5_old_house_abs_k"]
    ok_old = abs(s["private_old_end_c"] - old_ref) <= old_tol
    ok_ins = tol["e5_insulated_min_c"] <= s["private_insulated_end_c"] <= tol["e5_insulated_max_c"]
    ok_60 = s["private_insulated_60h_minus5_end_c"] > tol["energies_60h_min_c"]

    fig, ax = plt.subplots(figsize=(9, 4.8))
    ax.plot(s["t_h"], s["private_old"], color="C3", lw=2, label="private_old (non-insulated), -12 °C")
    ax.plot(s["t_h"], s["private_insulated"], color="C0", lw=2, label="private_insulated (massive), -12 °C")
    t60 = np.arange(len(s["private_insulated_60h_minus5"]))
    ax.plot(t60, s["private_insulated_60h_minus5"], color="C0", lw=1.3, ls="--", label="private_insulated, -5 °C")
    ax.errorbar([48], [old_ref], yerr=[[old_tol], [old_tol]], fmt="s", color="C3", mfc="w", capsize=5,
                label=f"E5 field test: {old_ref:g} °C after 48 h (test: ± {old_tol:g} K)")  # fmt: skip
    ax.fill_between([46.5, 49.5], 15, 17, color="C0", alpha=0.35, label="E5 field test: 15-17 °C")
    ax.fill_between([46.5, 49.5], tol["e5_insulated_min_c"], tol["e5_insulated_max_c"], color="C0", alpha=0.12,
                    label="accepted by the test: 14-18 °C")  # fmt: skip
    ax.hlines(tol["energies_60h_min_c"], 0, 60, color="0.4", ls=":", label="Energies 18(15):4022: > 15 °C for 60 h")
    ax.set_xlabel("hours after the heating stops")
    ax.set_ylabel("indoor air temperature [°C]")
    ax.set_xticks(np.arange(0, 61, 12))
    ax.set_xlim(0, 61)
    ax.grid(alpha=0.3)
    ax.legend(fontsize=8, loc="lower left")
    ax.set_title("Small houses cooling without any heat input, from 21 °C (calibration E5)", fontsize=10)
    _save(fig, img / "small_houses.png")

    md = f"""## Small houses (calibration E5)

Test: `tests/validation/test_small_houses.py`; computation: `sim.validation.small_house_cooling`. One house
of each private archetype in the steady state of normal operation (21 °C air), then no heat input at all
(the field test reports neither occupancy nor gains) at a constant outdoor temperature.

![Small houses]({IMG}/small_houses.png)

| experiment | reference | model | error | tolerance (test) |
|---|---|---|---|---|
| non-insulated house, 48 h at -12 °C | 4 °C (E5 field test, 21 -> 4 °C) | {s['private_old_end_c']:.1f} °C | {s['private_old_end_c'] - old_ref:+.1f} K | ± {old_tol:g} K |
| insulated massive house, 48 h at -12 °C | 15-17 °C (E5, 10 houses) | {s['private_insulated_end_c']:.1f} °C | {'within the band' if 15 <= s['private_insulated_end_c'] <= 17 else f"{min(abs(s['private_insulated_end_c'] - 15), abs(s['private_insulated_end_c'] - 17)):.1f} K outside the band"} | {tol['e5_insulated_min_c']:g}-{tol['e5_insulated_max_c']:g} °C |
| insulated masonry house, 60 h at -5 °C (assumed) | > 15 °C (Energies 18(15):4022) | {s['private_insulated_60h_minus5_end_c']:.1f} °C | {s['private_insulated_60h_minus5_end_c'] - 15:+.1f} K above | > {tol['energies_60h_min_c']:g} °C |

Both cool-downs are monotone and the insulated house is warmer than the old one at every hour (also tested).

**What does not fit.** The non-insulated house ends {abs(s['private_old_end_c'] - old_ref):.1f} K colder than the
field test ({s['private_old_end_c']:.1f} against 4 °C): the model has no gains at all, while a lived-in
house has some; the test accepts ± {old_tol:g} K because the reference is one field test of an unknown house.
The insulated house ends at {s['private_insulated_end_c']:.1f} °C, at the lower edge of the reported 15-17 °C.
The Polish masonry house's outdoor temperature is not reported: the check at -5 °C is an assumption, so it
is a loose check. In the first hour the air drops by {s['private_old'][0] - s['private_old'][1]:.1f} K (old house) and
{s['private_insulated'][0] - s['private_insulated'][1]:.1f} K (insulated house) before the slow decay: the air
drops fastest while the room-side half of the mass and the windows cool (see [Buildings and
heat](archetypes.md#limitations)); the field test does not report that hour.
"""
    rows = [{"check": "E5 non-insulated house after 48 h at -12 °C", "measured": f"{s['private_old_end_c']:.1f} °C (ref. 4)",
             "tolerance": f"4 ± {old_tol:g} °C", "result": _ok(ok_old)},
            {"check": "E5 insulated massive house after 48 h", "measured": f"{s['private_insulated_end_c']:.1f} °C (ref. 15-17)",
             "tolerance": "14-18 °C", "result": _ok(ok_ins)},
            {"check": "Energies: masonry house 60 h at -5 °C", "measured": f"{s['private_insulated_60h_minus5_end_c']:.1f} °C",
             "tolerance": "> 15 °C", "result": _ok(ok_60)}]  # fmt: skip
    return md, rows


def section_ashrae140(img: Path) -> tuple[str, list[dict]]:
    from sim.validation.ashrae140 import (
        EPW_PATH,
        REFERENCE_RANGES,
        TRANSMISSIVITY_RANGES,
        run_case,
        window_transmissivity,
    )

    if not EPW_PATH.is_file():
        return "## ANSI/ASHRAE Standard 140-2020 (600FF, 900FF)\n\nNot run: the Denver TMY3 file is missing.\n", []
    res = {case: run_case(case) for case in REFERENCE_RANGES}
    fig, axes = plt.subplots(1, 3, figsize=(11, 3.8))
    labels = {"tmin_c": "annual minimum", "tmax_c": "annual maximum", "tmean_c": "annual mean"}
    for ax, key in zip(axes, labels, strict=True):
        for i, case in enumerate(REFERENCE_RANGES):
            lo, hi = REFERENCE_RANGES[case][key]
            ax.fill_between([i - 0.3, i + 0.3], lo, hi, color="0.8", label="reference programs" if i == 0 else None)
            ax.plot([i], [res[case][key]], "o", color="C3", label="coldgrid" if i == 0 else None)
        ax.set_xticks([0, 1], list(REFERENCE_RANGES))
        ax.set_title(labels[key], fontsize=10)
        ax.set_ylabel("zone air temperature [°C]")
        ax.grid(alpha=0.3)
    axes[0].legend(fontsize=8)
    _save(fig, img / "ashrae140.png")
    rows_md, rows = [], []
    for case, ranges in REFERENCE_RANGES.items():
        for key, (lo, hi) in ranges.items():
            x = res[case][key]
            inside = lo <= x <= hi
            off = "inside" if inside else f"{min(abs(x - lo), abs(x - hi)):.2f} K outside"
            rows_md.append(f"| {case} | {labels[key]} | {lo:g} to {hi:g} °C | {x:.2f} °C | {off} |")
            rows.append({"check": f"ASHRAE 140 {case}: {labels[key]}", "measured": f"{x:.2f} °C",
                         "tolerance": f"{lo:g} to {hi:g} °C (reference programs)",
                         "result": _ok(inside) if inside else "known bias (xfail)"})  # fmt: skip
    table = "\n".join(rows_md)
    tau = window_transmissivity()
    tau_md = []
    for key, (lo, hi) in TRANSMISSIVITY_RANGES.items():
        x = tau[key]
        inside = lo <= x <= hi
        tau_md.append(f"| {key.replace('_', ' ')} | {lo:.3f} to {hi:.3f} | {x:.3f} | "
                      f"{'inside' if inside else f'{x - hi:+.3f} above' if x > hi else f'{x - lo:+.3f} below'} |")
        rows.append({"check": f"ASHRAE 140 Table B8-11: window transmissivity {key}", "measured": f"{x:.3f}",
                     "tolerance": f"{lo:.3f} to {hi:.3f} (reference programs)",
                     "result": _ok(inside) if inside else "known bias (xfail)"})  # fmt: skip
    tau_table = "\n".join(tau_md)
    md = f"""## ANSI/ASHRAE Standard 140-2020, free-float cases 600FF and 900FF

Test: `tests/validation/test_ashrae140.py`; computation: `sim.validation.ashrae140.run_case`. The engine is
set up as the BESTEST box from the 2020 specification (8 x 6 x 2.7 m, 12 m2 of south glazing, the light
600 and heavy 900 constructions, 0.5 ach, 200 W of gains, raised floor; not a Kyiv archetype) and run for a
year of Denver TMY3 weather (`../shared/data/USA_CO_Denver.Intl.AP.725650_TMY3.epw`, read with pvlib)
after a year of warm-up, with the same pieces as the chain: three-node RC model, the folded ISO 13790 star
node, the radiant distribution of ISO 13790 C.3, pvlib's sun, sol-air and sky radiation (the file's hourly
sky temperature). Reference: the range of the six example programs of ASHRAE 140-2020 Annex B8, Tables
B8-5a/b/c. Nothing was fitted to them.

![ASHRAE 140]({IMG}/ashrae140.png)

| case | figure | reference range | model | |
|---|---|---|---|---|
{table}

The windows, against Table B8-11 (annual transmitted over incident solar radiation, the six programs'
range; `sim.validation.ashrae140.window_transmissivity`, the glazing model of the chain):

| window | reference range | model | |
|---|---|---|---|
{tau_table}

**The glass of the 2020 edition.** The box uses the pane of ANSI/ASHRAE 140-2020 (3.048 mm, normal
transmittance 0.834 and reflectance 0.075 per pane, refractive index 1.493, extinction 0.0337/mm, 0.703 for
the pair; `sim.solar.GLASS_ASHRAE140_2020`; the 2017 to 2020 changes as listed in modelica-buildings issue
#3005 and its record `BESTEST.Data.Glass600`, the angle tables as in VICUS-Software/vicus-validation
`docs/bestest_cases/Case600.md`), with which the reference results of the 2020 edition were computed. Until
this change the box used the pane of the editions up to 2017 (3.175 mm, 1.526, 0.0196/mm, 0.747 for the
pair; ESP-r's `DG_Bestest` optics entry, which the formulas reproduce) together with the 2020 solar
heat-gain coefficient: the windows transmitted 0.653 of the sun on the south window, about 4 % above the
highest reference program, and both annual means sat at the top of their ranges (900FF 25.68 °C, 0.02 K
inside). With the 2020 pane every window is inside Table B8-11, the transmitted and incident annual totals
are inside Tables B8-13 and B8-14 (`sim.validation.ashrae140.annual_solar`), and the annual means are
{res['600FF']['tmean_c']:.2f} and {res['900FF']['tmean_c']:.2f} °C. Nothing was fitted: the pane is the specification's, and the transmittance is the Duffie and
Beckman one of N covers (both faces of every pane, inter-reflections, absorption; `sim.solar.glazing_iam`).
Ruled out on the way: the hour convention of the weather file (GHI = DNI cos z + DHI closes to 0.9 W/m2
RMS at mid-hour sun), the sky model (isotropic, Hay-Davies or Perez move the ratio by less than 0.001),
the incident radiation (south 1369 kWh/m2 against EnergyPlus's 1370, Table B8-13).

**What does not fit.** Every figure is inside, but for the double pane the product formula lies above
the 2020 angle table at steep angles (+0.019 at 60°, +0.03 at
70-80°, +0.012 hemispherical); the single pane agrees within 0.002 up to 70°. The Kyiv model's buildings
keep the earlier pane's angle curve (`sim.solar.CHAIN_GLASS`; the archetypes set their own normal-incidence
g; the 2020 curve would move the small-town regression run by 0.0025 K on average). The lumped model also
cannot tell the floor, which takes most of the sun and loses almost nothing through its metre of
insulation, from the walls and roof. Standard 140 has no pass band: the ranges are the spread of the
reference programs, which themselves differ by 1.2-6 K.
"""
    return md, rows


def section_apartments(img: Path) -> tuple[str, list[dict]]:
    from sim.validation.apartments import APARTMENT_TOL_K, kyiv_readings

    res = kyiv_readings()
    fig, ax = plt.subplots(figsize=(9, 4.8))
    for i, (key, r) in enumerate(res.items()):
        c = r["curve_c"]
        color = f"C{i}"
        ax.plot(np.arange(len(c)) / 24.0, c, color=color, lw=1.8, label=f"{key}: model ({', '.join(r['reading'].archetypes[:1])})")
        ax.errorbar([r["reading"].hours / 24.0], [r["reading_c"]], yerr=APARTMENT_TOL_K, fmt="s", color=color, mfc="w",
                    capsize=5, label=f"{key}: reading ({r['reading'].source})")  # fmt: skip
        ax.vlines(r["reading"].hours / 24.0 + 0.15, r["model_min_c"], r["model_max_c"], color=color, lw=4, alpha=0.35)
    ax.set_xlabel("days without district heat")
    ax.set_ylabel("operative temperature [°C]")
    ax.grid(alpha=0.3)
    ax.legend(fontsize=7, loc="upper right")
    ax.set_title("Kyiv flats without heat, January 2026: model and published readings", fontsize=10)
    _save(fig, img / "apartments.png")
    rows_md, rows = [], []
    for key, r in res.items():
        rd = r["reading"]
        ok = abs(r["difference_k"]) <= APARTMENT_TOL_K
        rows_md.append(f"| {key} | {rd.source} | {rd.hours / 24:.1f} d, {rd.t_out_c:g} °C, power {rd.powered_h_per_day:g} h/d"
                       f"{', gas stove' if rd.stove_in_use else ''} | {rd.reading_c:g} °C | {r['model_c']:.1f} °C "
                       f"({r['model_min_c']:.1f} to {r['model_max_c']:.1f}) | {r['difference_k']:+.1f} K |")  # fmt: skip
        rows.append({"check": f"Kyiv flat {key} ({rd.source})", "measured": f"{r['model_c']:.1f} °C (reading {rd.reading_c:g})",
                     "tolerance": f"± {APARTMENT_TOL_K:g} K", "result": _ok(ok) if ok else "outside (xfail)"})  # fmt: skip
    table = "\n".join(rows_md)
    md = f"""## Unheated apartment blocks over days: Kyiv, January 2026

Test: `tests/validation/test_apartments.py`; computation: `sim.validation.apartments.kyiv_readings`.
Published indoor readings of Kyiv flats left without district heat after the strikes of 9 and 20 January
2026 (news reports of residents' thermometers: single flats, independent of each other and of the model;
no parameter was fitted to them). The model runs one building of the matching archetype through the
chain's thermal stage from normal operation, district heat off from hour 0, the power pattern of the
report, occupants at home, stoves and heaters as the default config has them (all households on the gas
stove where the report says the flat heats with it). Outdoor temperature: the January 2026 mean -7.6 °C
(F2) for the long outages, -10 °C for 20-21 January; the range is over the candidate archetypes and
± 3 K of outdoor temperature. Tolerance ± {APARTMENT_TOL_K:g} K (the spread of flats within a block, 2.5 K, and
the outdoor uncertainty), set before the comparison.

![Kyiv readings]({IMG}/apartments.png)

| reading | source | conditions | reading | model (range) | model - reading |
|---|---|---|---|---|---|
{table}

Readings: `k1_15d`, Obozrevatel 25 Jan 2026 ("Kyivan Tatyana told how she survives in a flat at +1"): no
heating since 10 January, windows sealed, +1 °C after 15 days (building type not reported: the range spans
the four Soviet-era archetypes, centred on the 9-storey panel). `k2_17storey`, The Kyiv Independent, 27-28
Jan 2026 ("Inside one of Kyiv's hardest-hit buildings this winter"): a 17-storey block in Rusanivka without
central heating for weeks, power from a generator a few hours a day, gas stove used daily, "barely 13
degrees". `k3_1d`, Telegraf / Kyiv 24, 21 Jan 2026: Darnytskyi district, more than a day without heat, "+10
in the flats, up to +15 where there is gas".

**What does not fit.** The one-day Darnytskyi reading is 5 K below the model: the model starts from 21 °C,
while those buildings had been without heat after the 9 January strike as well and may not have been warm
again; a panel block there reported -4 °C, which no heat balance of a lived-in block reaches in a day, so
the reports of that day mix situations. The 15-day reading lies 3.9 K below the 9-storey panel (inside the
tolerance and inside the range over archetypes): the reporting flat is probably colder than its
building's mean (sealed but alone, a corner or top floor is not known). Earlier versions of the model were
several kelvin colder than such readings after 5-15 days; the multi-day mass, the falling air change and
the stoves now bring it to the readings' level.
"""
    return md, rows


def section_restoration(img: Path, settings: dict) -> tuple[str, list[dict]]:
    n = settings["restoration_realizations"]
    curve = v.restoration_20jan(n_realizations=n, seed=20260120)
    pts = v.restoration_points(curve)
    other = {}
    for seed in settings["restoration_seeds"]:
        other[seed] = v.restoration_points(v.restoration_20jan(n_realizations=n, seed=seed))["deviation"]
    other_df = pd.DataFrame(other, index=pts.index)

    fig, (a, b) = plt.subplots(1, 2, figsize=(11, 4.2), gridspec_kw={"width_ratios": [3, 2]})
    c = curve.loc[-6:]
    a.fill_between(c.index, c["p10"], c["p90"], color="C0", alpha=0.15, step="post", label="model p10-p90")
    a.step(c.index, c["median"], where="post", color="C0", lw=2, label=f"model median ({n} realizations)")
    a.errorbar(pts["hours_after_wave"].iloc[1:], pts["reported"].iloc[1:],
               yerr=pts["reported"].iloc[1:] * pts["tolerance"].iloc[1:], fmt="o", color="k", capsize=4,
               label="reported (B3), bars: tolerance of the test")  # fmt: skip
    a.errorbar([3.5], [v.B3_PEAK], xerr=[[2.5], [2.5]], yerr=[[v.B3_PEAK * pts["tolerance"].iloc[0]]] * 2, fmt="D",
               color="k", mfc="w", capsize=4, label="reported peak (A3) vs model peak in the first 6 h")  # fmt: skip
    a.plot([3.5], [pts["model_median"].iloc[0]], "D", color="C0")
    a.set_xlabel("hours after the wave (20 Jan 2026, 06:00)")
    a.set_ylabel("apartment blocks without heat")
    a.set_xticks(np.arange(0, c.index.max() + 1, 12))
    a.grid(alpha=0.3)
    a.legend(fontsize=7.5)
    a.set_title("Kyiv, attacks=single_wave (339 drones, 34 missiles), -12 °C", fontsize=10)
    x = np.arange(len(pts))
    b.bar(x, 100 * pts["deviation"], color=["C2" if w else "C3" for w in pts["within"]], width=0.6,
          label="seed 20260120 (tested)")  # fmt: skip
    for seed in other_df.columns:
        b.plot(x, 100 * other_df[seed].to_numpy(), "_", color="0.3", ms=14, mew=1.5)
    if len(other_df.columns):
        b.plot([], [], "_", color="0.3", ms=14, mew=1.5, label=f"other seeds {', '.join(map(str, other_df.columns))}")
    b.step(np.r_[-0.5, x + 0.5], 100 * np.r_[pts["tolerance"].iloc[0], pts["tolerance"]], where="pre", color="k",
           ls="--", lw=1, label="tolerance")  # fmt: skip
    b.step(np.r_[-0.5, x + 0.5], -100 * np.r_[pts["tolerance"].iloc[0], pts["tolerance"]], where="pre", color="k",
           ls="--", lw=1)  # fmt: skip
    b.axhline(0, color="k", lw=0.6)
    b.set_xticks(x, ["peak"] + [f"+{h}" for h in pts["hours_after_wave"].iloc[1:]], fontsize=8)
    b.set_ylabel("model median / reported - 1 [%]")
    b.set_xlabel("point (hours after the wave)")
    b.legend(fontsize=7)
    b.grid(alpha=0.3, axis="y")
    _save(fig, img / "restoration_20jan.png")

    table = "\n".join(
        f"| {p} | {r.reported:,} | {r.model_median:,.0f} | {r.model_p10:,.0f}-{r.model_p90:,.0f} | "
        f"{100 * r.deviation:+.0f} % | ± {100 * r.tolerance:.0f} % | {_ok(bool(r.within))} |"
        for p, r in pts.iterrows()
    )
    rms = float(np.sqrt(np.mean(pts["deviation"] ** 2)))
    if len(other_df.columns):
        all_dev = pd.concat([pts["deviation"], other_df.stack()], ignore_index=True)
        worst_other = other_df.abs().max(axis=1)
        within_other = bool((other_df.abs().lt(pts["tolerance"], axis=0)).all().all())
        seeds_note = (f"Other seeds ({', '.join(map(str, other_df.columns))}; same settings; not tested, shown for "
                      f"robustness): largest error {100 * worst_other.max():.0f} % (at {worst_other.idxmax()}), all "
                      f"within the tolerances: {'yes' if within_other else '**no**'}; over all {len(all_dev)} "
                      f"point-seed pairs the RMS error is {100 * float(np.sqrt(np.mean(all_dev**2))):.0f} %.")  # fmt: skip
    else:
        seeds_note = "Other seeds: not run with `--quick`."
    ok_mono = all(a_ >= b_ for a_, b_ in zip(pts["model_median"].iloc[:-1], pts["model_median"].iloc[1:], strict=True))
    md = f"""## Restoration after the 20 January 2026 wave (calibration B3)

Test: `tests/validation/test_restoration_20jan.py`; computation: `sim.validation.restoration_20jan`. Kyiv,
`attacks=single_wave` (the 20 Jan wave: 339 drones, 34 missiles at 06:00 of day 1), outdoor temperature
held at -12 °C (the -10..-15 °C of those days), {n} realizations, seed 20260120, DES only (configs composed
as the CLI composes them). Counted: district-heated apartment blocks ({curve.attrs['total_blocks']:,}, D2)
whose group has no heat. Reading of the reported times (hours after the wave): end of day 0 = +18 h, day 1
= +30 h (noon), mornings 08:00, evenings 20:00. The reported peak is compared with the median over
realizations of each realization's largest count in the first 6 h.

![20 January restoration]({IMG}/restoration_20jan.png)

| point | reported (A3, B3) | model median | model p10-p90 | error | tolerance (test) | |
|---|---|---|---|---|---|---|
{table}

No block is without heat before the wave ({'true' if curve.attrs['no_heat_before_wave'] else '**false**'}), and the
model median falls from point to point as reported ({'true' if ok_mono else '**false**'}). RMS error over the
seven points {100 * rms:.0f} %. {seeds_note}

**What does not fit.** The peak is high ({100 * pts['deviation'].iloc[0]:+.0f} %): the CHP target weight
was raised until both big CHP zones are off in most realizations, as on 20 January, and the median of a
bimodal peak (one, two or three CHPs tripped) sits at the upper mode. Day 2 evening and day 3 morning
restore a little fast ({100 * pts.loc['+62 h', 'deviation']:+.0f} % and {100 * pts.loc['+74 h', 'deviation']:+.0f} %):
refill teams work at one pace by day and night and in any frost (E7 says refilling is slower in deep
frost, B6 that fewer crews work at night). The spread between realizations is very wide (peak p10-p90
{curve.attrs['peak_p10']:,.0f}-{curve.attrs['peak_p90']:,.0f} blocks): which CHPs one wave trips is a lottery, so the
single reported curve is one draw that the median need not follow. The fitted parameters (the CHP target
weight, the refill rate `restart_h_per_building` with the refill teams' growth, and the earlier
`city_energy_frac` and light/moderate repair medians) were tuned to this one event
([Grid and heat network](grid_model.md#fit-to-the-20-january-restoration-curve-b3)), so this is a
calibration check, not an independent validation. The ±35 % tolerance reflects rounded city statements.
"""
    rows = [{"check": "20 Jan: peak blocks without heat (A3)", "measured": f"{pts['model_median'].iloc[0]:,.0f} ({100 * pts['deviation'].iloc[0]:+.0f} %)",
             "tolerance": f"± {100 * v.TOLERANCES['restoration_peak_rel']:.0f} %", "result": _ok(bool(pts['within'].iloc[0]))},
            {"check": "20 Jan: restoration curve, 6 points (B3)",
             "measured": f"errors {100 * pts['deviation'].iloc[1:].min():+.0f} to {100 * pts['deviation'].iloc[1:].max():+.0f} %",
             "tolerance": f"± {100 * v.TOLERANCES['restoration_point_rel']:.0f} % each", "result": _ok(bool(pts['within'].iloc[1:].all()))}]  # fmt: skip
    return md, rows


def section_freezing(img: Path) -> tuple[str, list[dict]]:
    f = v.freezing_check()
    und, dra = f["undrained"], f["drained"]
    s = und["state"]
    t0, t1 = f["outage_start_h"], f["outage_start_h"] + f["outage_h"]
    ok_freeze = bool((s[3:8] == 1).all() and t0 + 6 < und["first_freeze_h"] < t1 and "freeze" in und["events"])
    ok_und = np.isfinite(und["restored_h"]) and und["restored_h"] > v.TOLERANCES["freeze_restore_min_h"]
    ok_dra = (bool((dra["state"] != 3).all()) and "drain" in dra["events"]
              and dra["restored_h"] < t1 + v.TOLERANCES["drained_restore_max_h"])
    al = v.alchevsk_check()
    ok_al = abs(al["mains_freeze_after_h"] / al["reference_h"] - 1) < v.TOLERANCES["alchevsk_mains_rel"]

    fig, (a, b) = plt.subplots(1, 2, figsize=(11, 3.8))
    h = np.arange(73)
    labels = {1: "stopped, filled", 2: "drained", 3: "frozen"}
    for case, ls, name in ((und, "-", "undrained"), (dra, "--", "drained")):
        for state, col in ((1, "C1"), (2, "C0"), (3, "C3")):
            share = (case["state"][:73] == state).mean(axis=1)
            if share.any():
                a.step(h, share, where="post", color=col, ls=ls, lw=1.8, label=f"{name}: {labels[state]}")
    a.axvspan(t0, t1, color="0.85", zorder=0, label="boiler house down")
    a.set_xlabel("hour")
    a.set_ylabel("share of the zone's building groups")
    a.set_title(f"first three days at {f['outdoor_c']:g} °C", fontsize=10)
    a.set_xticks(np.arange(0, 73, 12))
    a.legend(fontsize=7)
    a.grid(alpha=0.3)
    d = np.arange(len(und["share_with_heat"])) / 24
    b.step(d, und["share_with_heat"], where="post", color="C3", lw=1.8, label="undrained (freezes)")
    b.step(d, dra["share_with_heat"], where="post", color="C0", lw=1.8, ls="--", label="drained")
    b.axvline(v.TOLERANCES["freeze_restore_min_h"] / 24, color="C3", ls=":", lw=1, label="test: frozen > 7 days")
    b.axvline((t1 + v.TOLERANCES["drained_restore_max_h"]) / 24, color="C0", ls=":", lw=1,
              label="test: drained < 3 days after")
    b.set_xlabel("day")
    b.set_ylabel("share of the zone with heat")
    b.set_title("until heat is back", fontsize=10)
    b.legend(fontsize=7)
    b.grid(alpha=0.3)
    _save(fig, img / "freezing.png")

    md = f"""## Freezing of stopped systems (E7, B2; Alchevsk 2006)

Test: `tests/validation/test_freezing.py`; computations: `sim.validation.freezing_check`,
`sim.validation.alchevsk_check`. The small town's boiler house is down for {f['outage_h']:g} h from hour
{t0:g} at {f['outdoor_c']:g} °C. Its zone ({s.shape[1]} building groups) is either never drained (the operators'
drain threshold set out of reach) or drained by the operators' rule (expected outage x frost against what a
stopped system stands). A stopped, filled system takes frost exposure, degree-hours below 0 °C, until it
reaches its tolerance (`freeze_k_h` 400 K h [L] x a lognormal factor per group); heat mains whose pumps
stop take it too (`mains_freeze_k_h` 180 K h).

![Freezing]({IMG}/freezing.png)

| case | reference | model | tolerance (test) |
|---|---|---|---|
| undrained: frozen after | within the day's outage at -27 °C (E7: deep frost) | first group frozen at hour {und['first_freeze_h']:.1f} (stopped at hour {t0:g}) | after hour 8, before the source returns (hour {t1:g}) |
| undrained: heat back after | weeks (E7) | {und['restored_h']:.0f} h = {und['restored_h'] / 24:.1f} days | > 7 days |
| drained: heat back after | ~2 days after the source returns (B2) | {dra['restored_h']:.0f} h ({dra['restored_h'] - t1:.0f} h after the source returned at hour {t1:g}) | < 3 days after, never frozen |
| mains left filled without pumps at {al['outdoor_c']:g} °C | Alchevsk 2006: froze after "more than six hours" | froze after {al['mains_freeze_after_h']:.1f} h | ± 25 % (a calibration) |

**What does not fit.** The drained zone is back within an hour of its source, not in ~2 days: the small
town's zone has {s.shape[1]} building groups and the refill teams take them at once; B2's two days are a Kyiv figure
(thousands of drained blocks), fitted on Kyiv by the 20 January curve above. The building systems'
tolerance (400 K h, about a day at -17 °C inside a cooling building) is an assumption [L]; only the mains'
(180 K h) rests on a reported case, Alchevsk, which was used to set it (a calibration, not a validation).
The frozen zone's weeks come from contractor teams (one per building, 12 team-days each: Alchevsk, where a
third of ~700 houses was still unheated after 19 days with more than 3,000 repairmen). Refilling is not
slower in deeper frost although E7 says it is.
"""
    rows = [{"check": "undrained system freezes within a day at -27 °C (E7)",
             "measured": f"first frozen at hour {und['first_freeze_h']:.1f}", "tolerance": f"hours 8-{t1:g}",
             "result": _ok(ok_freeze)},
            {"check": "frozen system restored after weeks (E7)", "measured": f"{und['restored_h'] / 24:.1f} days",
             "tolerance": "> 7 days", "result": _ok(ok_und)},
            {"check": "drained system restored in days (B2)", "measured": f"{dra['restored_h'] - t1:.0f} h after the source",
             "tolerance": "< 72 h, never frozen", "result": _ok(ok_dra)},
            {"check": "mains freeze after ~6 h at -28 °C (Alchevsk, calibration)",
             "measured": f"{al['mains_freeze_after_h']:.1f} h", "tolerance": "6 h ± 25 %", "result": _ok(ok_al)}]  # fmt: skip
    return md, rows


def section_winter(img: Path, settings: dict) -> tuple[str, list[dict]]:
    w = v.winter_record(n_realizations=100, days=21.0, seed=20260129)
    wk = v.weekly_power(n_realizations=settings["weekly_realizations"], weeks=8, seed=20260129)
    between = w["between"]
    share = wk["share_without_power"].to_numpy()
    slope = float(np.polyfit(np.arange(3, 9), share[2:], 1)[0])
    ok_between = w["share_returned"] > v.TOLERANCES["between_waves_share_min"]
    ok_hours = v.TOLERANCES["hours_without_power_min"] <= w["hours_without_power_per_day"] <= v.TOLERANCES[
        "hours_without_power_max"]
    ok_dark = w["whole_city_dark_frac"] < v.TOLERANCES["whole_city_dark_max_frac"]
    ok_weeks = slope < v.TOLERANCES["weekly_power_slope_max"] and share.max() < 0.55

    fig, (a, b) = plt.subplots(1, 2, figsize=(11, 3.8))
    a.hist(between["min_48_96h"], bins=np.arange(0, 9000, 250), color="C0", alpha=0.8)
    a.axvline(v.TOLERANCES["between_waves_blocks"], color="k", lw=1, label="~1,500 (A3, B3): test, most waves below")
    a.axvline(w["median_min_48_96h"], color="C3", lw=1.5, label=f"model median {w['median_min_48_96h']:,.0f}")
    a.set_xlabel("least blocks without heat 48-96 h after a wave")
    a.set_ylabel("waves")
    a.set_title(f"continued, 21 days, {w['n_realizations']} realizations", fontsize=10)
    a.legend(fontsize=7)
    a.grid(alpha=0.3)
    b.plot(wk.index, 100 * share, "o-", color="C0", label="residents without power")
    b.set_xlabel("week")
    b.set_ylabel("share of residents without power [%]")
    b.set_ylim(0, 100)
    b.set_title(f"continued, 8 weeks, {settings['weekly_realizations']} realizations", fontsize=10)
    b.grid(alpha=0.3)
    b.legend(fontsize=7)
    _save(fig, img / "winter_record.png")

    weeks_row = " | ".join(f"{100 * x:.0f} %" for x in share)
    focus_row = ", ".join(f"{k.replace('_', ' ')} {100 * x:.0f} %" for k, x in sorted(w["share_returned_by_focus"].items()))
    md = f"""## Winter record of continued strikes (A3, B3, C1, C2)

Tests: `tests/validation/test_winter_record.py`, `tests/validation/test_eight_weeks.py` (slow);
computations: `sim.validation.winter_record`, `sim.validation.weekly_power`. Kyiv with the CLI's defaults
(`attacks=continued`, the cold snap to -25 °C), DES only, seed 20260129. The single-wave restoration
was fitted to B3 (above); the return between the waves of a campaign, with its accumulated damage, was not
(a validation, although it shares the refill rate fitted to B3). Each wave has a focus drawn per wave
(heat generation 0.5, transmission 0.25, mixed 0.25: A3's four reported waves on Kyiv); the CHP weight of
the heat-generation focus is the one fitted to 20 January. The national allotment (175 MW) was set so that
the mean time without power falls within C1/C2's range (a calibration of the mean); the whole-city
blackouts and the eight-week trend were not fitted.

![Winter record]({IMG}/winter_record.png)

| figure | reference | model | tolerance (test) |
|---|---|---|---|
| share of waves (with >= 96 h to the next) back to <= 1,500 blocks at some hour 48-96 h after | "most" back to ~1,200 within 3-4 days (A3, B3) | {100 * w['share_returned']:.0f} % of {len(between)} waves ({focus_row}) | > 50 % |
| least blocks without heat 48-96 h after such a wave (median) | ~1,200 (B3) | {w['median_min_48_96h']:,.0f} | reported |
| blocks without heat 84 h after such a wave (median) | ~1,200 (B3, +86 h) | {w['median_at_84h']:,.0f} | reported |
| hours a day without power (mean) | 8-16 (C1, C2) | {w['hours_without_power_per_day']:.1f} | 8-16 |
| hours with >= 95 % of residents without power | rare (C2, C3) | {100 * w['whole_city_dark_frac']:.2f} % ({100 * w['realizations_whole_city_dark']:.0f} % of realizations have one) | < 2 % |
| blocks without heat, time mean (from day 7) / median peak | - | {w['mean_blocks_without_heat']:,.0f} ({w['mean_blocks_from_day7']:,.0f}) / {w['peak_blocks_median']:,.0f} | reported |

Weekly share of residents without power over 8 weeks: {weeks_row}; slope over weeks 3-8
{slope:+.3f} a week (test: < 0.025 a week, no week above 55 %; the previous model climbed from 45 % to 78 %).

**What does not fit.** The waves aimed at heat generation come back less often than the others
({focus_row}): they trip the big CHPs (the weight fitted to 20 January), and some damage carries over
(units out for weeks, Darnytsia destroyed in some realizations, groups still waiting for refill). The
outcome stays bimodal: most waves leave a few hundred blocks, a heat-generation wave that takes a CHP
unit out for weeks leaves thousands.
"""
    rows = [{"check": "continued: waves back to <= 1,500 blocks in 2-4 days (A3, B3)",
             "measured": f"{100 * w['share_returned']:.0f} %", "tolerance": "> 50 %", "result": _ok(ok_between)},
            {"check": "continued: hours a day without power (C1, C2)",
             "measured": f"{w['hours_without_power_per_day']:.1f} h", "tolerance": "8-16 h", "result": _ok(ok_hours)},
            {"check": "continued: whole city dark (C2, C3)", "measured": f"{100 * w['whole_city_dark_frac']:.2f} % of hours",
             "tolerance": "< 2 %", "result": _ok(ok_dark)},
            {"check": "8 weeks: share without power settles", "measured": f"slope {slope:+.3f}/week",
             "tolerance": "< 0.025/week, < 55 %", "result": _ok(ok_weeks)}]  # fmt: skip
    return md, rows


def section_hindcast(img: Path) -> tuple[str, list[dict]]:
    b4 = v.darnytsia_b4(n_realizations=30, days=21.0)
    hc = v.hindcast_2026(n_realizations=50)
    ok_b4 = all(b4[p]["min"] >= (1 - v.TOLERANCES["b4_blocks_rel"]) * 1126 and b4[p]["drained_at_start"]
                for p in ("continued", "pause_week"))
    checks = {
        "jan20_blocks": (5635, 0.8 * 5635, 1.2 * 5635),
        "jan24_blocks": (6000, 0.6 * 6000, 1.5 * 6000),
        "jan24_households_off": (800_000, 0.6 * 800_000, 1.5 * 800_000),
        "feb7_queue_equivalent": (4.75, 2.5, 6.0),
        "feb3_blocks": (1170, 0.65 * 1170, 1.35 * 1170),
        "chp_restart_h": (36.0, 12.0, 72.0),
        "b7_households_week": (v.B7_HOUSEHOLDS, v.B7_HOUSEHOLDS / 4, 4 * v.B7_HOUSEHOLDS),
    }
    ok = {k: lo <= hc[k]["median"] <= hi for k, (_ref, lo, hi) in checks.items()}
    ok_feb3 = hc["feb3_blocks"]["p10"] >= 0.9 * 1126

    fig, a = plt.subplots(1, 1, figsize=(8, 3.6))
    hours = np.arange(len(b4["continued"]["median"]))
    a.plot(hours / 24, b4["continued"]["median"], color="C3", label="continued (median)")
    a.plot(hours / 24, b4["pause_week"]["median"], color="C0", ls="--", label="pause_week (median)")
    a.axhline(1126, color="k", lw=1, label="B4: ~1,126 buildings")
    a.set_xlabel("day")
    a.set_ylabel("Darnytsia zone: blocks without heat")
    a.set_ylim(0, 1300)
    a.legend(fontsize=7)
    a.grid(alpha=0.3)
    a.set_title("Darnytsia CHP destroyed at day 0 (attacks.hits, a warm start)", fontsize=10)
    _save(fig, img / "darnytsia_b4.png")

    def cell(k: str, digits: int = 0) -> str:
        s = hc[k]
        return f"{_fmt(s['median'], digits)} ({_fmt(s['p10'], digits)}-{_fmt(s['p90'], digits)})"

    md = f"""## Darnytsia CHP and the January-February 2026 hindcast (B1, B4, B7, A3, C2)

Tests: `tests/validation/test_darnytsia_b4.py`, `tests/validation/test_hindcast_2026.py`; computations:
`sim.validation.darnytsia_b4`, `sim.validation.hindcast_2026`. **Darnytsia**: destroyed by an explicit hit
at day 0 (`attacks.hits`, a warm start: the run begins with its zone drained), under `continued` and
`pause_week`, 21 days, 30 realizations. **Hindcast**: `experiment=hindcast_2026` from 8 January 2026 (the
waves of 9, 20 and 24 January and 3 and 7 February with their reported sizes, Darnytsia destroyed on 3
February; the reconstructed weather of `examples/hindcast_2026`, a reconstruction, not observations), 50
realizations, DES only. Each wave's aim is the one A3 describes (heat generation on 20 and 24 January,
mixed on 3 February, transmission on 7 February; 9 January drawn): the hindcast is conditioned on what
the record says was hit, not on how much; targets and damage within the aim are drawn, and the reports
are one outcome. 20 January is the calibrated wave (the CHP weight of the heat-generation focus was fitted
to its peak under `attacks=single_wave`); the other references were not fitted (the CHP restart medians
were set from B1, so that row checks the crews and alerts on top of them).

![Darnytsia]({IMG}/darnytsia_b4.png)

| figure | reported | model median (p10-p90) | tolerance (test) |
|---|---|---|---|
| Darnytsia zone without heat, least over the run (continued / pause_week) | ~1,126 for two months (B4) | {b4['continued']['min']:,.0f} / {b4['pause_week']['min']:,.0f} of {b4['zone_blocks']:,} | >= 90 % of 1,126 |
| 20 Jan: peak blocks without heat in the 12 h after the wave (fitted) | 5,635 (A3, B3) | {cell('jan20_blocks')} | ± 20 % |
| 24 Jan: peak blocks without heat in the 12 h after the wave | ~6,000 at -10 °C (A3) | {cell('jan24_blocks')} | 0.6-1.5 x |
| 24 Jan: peak households without power | 800k customers (A3) | {cell('jan24_households_off')} | 0.6-1.5 x |
| 3 Feb: blocks without heat 12 h after the wave | 1,170; Darnytsia critically damaged (A3, B4) | {cell('feb3_blocks')} | ± 35 %, Darnytsia's zone out (p10 >= 90 % of 1,126) |
| 7 Feb: hours without power per resident in the day after the wave, in queues (h / 4, C1) | 4.5-5 queues, nationwide (A3, C2) | {cell('feb7_queue_equivalent', 1)} | 2.5-6 |
| 7 Feb: queues off by the schedule in that day | (4.5-5 nationwide) | {cell('feb7_queues', 1)} | reported |
| CHP restart after a hit (crews, alerts, power to start) | 1-2 days (B1) | {cell('chp_restart_h')} h | 12-72 h |
| reconnections as the operators count them (back from damage or emergency outages), week from 24 Jan | 645,300 (B7) | {cell('b7_households_week')} | x 1/4-4 |

**What does not fit.** 3 February ({hc['feb3_blocks']['median']:,.0f} blocks against 1,170) sits near the
upper edge of its tolerance: in some realizations the mixed wave also trips a CHP unit besides destroying
Darnytsia. On 7 February Kyiv's scheduled queues stay low ({hc['feb7_queues']['median']:.1f}): a wave on
the 750/330 kV substations cuts city substations off (damage, not schedule) and the national import is a
small part of Kyiv's supply in the model (175 MW); the residents' hours without power are what compares with
the national queue count. The hindcast with every wave's aim drawn (the campaign model alone) misses
20 January and 3 February by far more (figures in CHANGES.md), so the fit depends on knowing the aims.
"""
    rows = [{"check": "Darnytsia destroyed stays out, pause or not (B4)",
             "measured": f"least {min(b4['continued']['min'], b4['pause_week']['min']):,.0f} blocks",
             "tolerance": ">= 1,013", "result": _ok(ok_b4)},
            {"check": "hindcast 20 Jan: blocks without heat (A3, B3; fitted)", "measured": f"{hc['jan20_blocks']['median']:,.0f}",
             "tolerance": "4,508-6,762", "result": _ok(ok["jan20_blocks"])},
            {"check": "hindcast 24 Jan: blocks without heat (A3)", "measured": f"{hc['jan24_blocks']['median']:,.0f}",
             "tolerance": "3,600-9,000", "result": _ok(ok["jan24_blocks"])},
            {"check": "hindcast 24 Jan: households without power (A3)",
             "measured": f"{hc['jan24_households_off']['median']:,.0f}", "tolerance": "480k-1.2M",
             "result": _ok(ok["jan24_households_off"])},
            {"check": "hindcast 3 Feb: Darnytsia zone out (B4)", "measured": f"p10 {hc['feb3_blocks']['p10']:,.0f}",
             "tolerance": ">= 1,013", "result": _ok(ok_feb3)},
            {"check": "hindcast 3 Feb: blocks without heat (A3)", "measured": f"{hc['feb3_blocks']['median']:,.0f}",
             "tolerance": "760-1,580", "result": _ok(ok["feb3_blocks"])},
            {"check": "hindcast 7 Feb: hours off in queues (A3, C1, C2)",
             "measured": f"{hc['feb7_queue_equivalent']['median']:.1f}", "tolerance": "2.5-6",
             "result": _ok(ok["feb7_queue_equivalent"])},
            {"check": "hindcast: CHP restart (B1)", "measured": f"{hc['chp_restart_h']['median']:.0f} h",
             "tolerance": "12-72 h", "result": _ok(ok["chp_restart_h"])},
            {"check": "hindcast: reconnections in a week (B7)", "measured": f"{hc['b7_households_week']['median']:,.0f}",
             "tolerance": "161k-2.6M", "result": _ok(ok["b7_households_week"])}]  # fmt: skip
    return md, rows


def _ghcn(path: Path) -> dict | None:
    """GHCN-Daily figures for the plots: DTR on cold DJF days 1961-2020, anomaly autocorrelation lags 0-5."""
    if not path.is_file():
        return None
    w = _load_script("derive_weather_figures")
    daily = w.read_ghcn_daily(path)
    d = daily["1961":"2020"]
    d = d[d.index.month.isin(w.DJF) & (d["TAVG"] <= -10.0)].dropna()
    anomaly = w.daily_anomalies_c(daily, "1991", "2020")
    winter = np.where(anomaly.index.month == 12, anomaly.index.year + 1, anomaly.index.year)
    in_djf = anomaly.index.month.isin(w.DJF)
    means = anomaly[in_djf].groupby(winter[in_djf]).mean()
    a = anomaly - pd.Series(winter, index=anomaly.index).map(means)
    acf = [1.0]
    for k in range(1, 6):
        later = a.shift(-k)
        ok = (in_djf & (a.index + pd.Timedelta(days=k)).month.isin(w.DJF) & a.notna().to_numpy()
              & later.notna().to_numpy())  # fmt: skip
        acf.append(float(np.corrcoef(a[ok], later[ok])[0, 1]))
    return {"dtr_c": (d["TMAX"] - d["TMIN"]).to_numpy(), "acf": np.array(acf), "stats": w.day_to_day(anomaly),
            "dtr": w.diurnal_range_c(daily, "1961", "2020")}  # fmt: skip


def section_weather(img: Path, ghcn_path: Path) -> tuple[str, list[dict]]:
    wc = v.weather_climatology()
    cs = v.cold_snap_extremes()
    g = v.GHCN_FIGURES
    data = _ghcn(ghcn_path)
    checks = [
        ("SD of daily-mean anomalies", g["anomaly_sd_c"], wc["anomaly_sd_c"], "± 8 %", abs(wc["anomaly_sd_c"] / g["anomaly_sd_c"] - 1) <= 0.08, "°C"),
        ("lag-1 autocorrelation", g["anomaly_lag1"], wc["anomaly_lag1"], "± 0.04", abs(wc["anomaly_lag1"] - g["anomaly_lag1"]) <= 0.04, ""),
        ("SD of the day-to-day change", g["change_sd_c"], wc["change_sd_c"], "± 12 %", abs(wc["change_sd_c"] / g["change_sd_c"] - 1) <= 0.12, "°C"),
        ("diurnal range, mean", g["dtr_cold_mean_c"], wc["dtr_mean_c"], "± 0.6 °C", abs(wc["dtr_mean_c"] - g["dtr_cold_mean_c"]) <= 0.6, "°C"),
        ("diurnal range, SD", g["dtr_cold_sd_c"], wc["dtr_sd_c"], "± 0.8 °C", abs(wc["dtr_sd_c"] - g["dtr_cold_sd_c"]) <= 0.8, "°C"),
    ]  # fmt: skip
    ok_cold = -23.0 < cs["coldest_median_daily_mean_c"] < -19.0
    ok_rec = cs["median_member_min_c"] > v.RECORD_LOW_C - 3.0

    fig, axes = plt.subplots(1, 3, figsize=(13, 3.9))
    a, b, c = axes
    lags = np.arange(6)
    a.plot(lags, wc["anomaly_acf"], "o-", color="C0", label="generator (60 members, days 45-120)")
    a.plot(lags, g["anomaly_lag1"] ** lags, "k--", lw=1, label=f"AR(1), lag-1 = {g['anomaly_lag1']:.3f}")
    if data is not None:
        a.plot(lags, data["acf"], "s-", color="C3", mfc="w", label="GHCN Kyiv, DJF 1991-2020")
    a.set_xlabel("lag [days]")
    a.set_ylabel("autocorrelation of daily-mean anomalies")
    a.legend(fontsize=7)
    a.grid(alpha=0.3)
    a.set_title("day-to-day persistence", fontsize=10)
    bins = np.arange(0, 20.5, 1.0)
    b.hist(wc["dtr_c"].ravel(), bins=bins, density=True, color="C0", alpha=0.5, label="generator, all days")
    if data is not None:
        b.hist(data["dtr_c"], bins=bins, density=True, histtype="step", color="C3", lw=2,
               label=f"GHCN, DJF days TAVG <= -10 °C (n = {len(data['dtr_c'])})")  # fmt: skip
    b.axvline(g["dtr_cold_mean_c"], color="C3", ls=":", lw=1)
    b.axvline(wc["dtr_mean_c"], color="C0", ls=":", lw=1)
    b.set_xlabel("diurnal range, daily max - min [°C]")
    b.set_ylabel("density")
    b.legend(fontsize=7)
    b.set_title("diurnal range", fontsize=10)
    days = np.arange(cs["days"])
    c.fill_between(days + 0.5, cs["daily_mean_p5_c"], cs["daily_mean_p95_c"], color="C0", alpha=0.2,
                   label="daily mean, p5-p95")  # fmt: skip
    c.plot(days + 0.5, cs["daily_mean_median_c"], "o-", color="C0", ms=3, label="daily mean, median")
    c.plot(days + 0.5, cs["daily_min_median_c"], "v-", color="C4", ms=3, lw=1, label="daily minimum, median")
    c.axhline(v.COLDEST_WEEK_C, color="k", ls="--", lw=1, label="coldest week 1991-2020 (F4)")
    c.axhline(v.RECORD_LOW_C, color="C3", ls=":", lw=1.2, label="record low (F4)")
    c.axhspan(-25, -20, color="C4", alpha=0.08, label="F3: forecast nights, 1-3 Feb")
    c.set_xticks(days[::2] + 0.5, [d.strftime("%d %b") for d in cs["day"][::2]], fontsize=7)
    c.set_ylabel("outdoor temperature [°C]")
    c.set_ylim(-34.5, max(-2.0, float(np.max(cs["daily_mean_p95_c"])) + 1.0))
    c.legend(fontsize=6.5, loc="lower right")
    c.grid(alpha=0.3)
    c.set_title(f"default cold snap ({cs['n_members']} members)", fontsize=10)
    _save(fig, img / "weather.png")

    rows_md = "\n".join(f"| {name} | {ref:.3g} {u} | {gen:.3g} {u} | {gen - ref:+.2f} {u} | {t} | {_ok(ok)} |"
                        for name, ref, gen, t, ok, u in checks)  # fmt: skip
    if data is not None:
        src = (f"recomputed from `{ghcn_path.name}` for this report: anomaly SD {data['stats']['sd_c']:.2f} °C, "
               f"lag-1 {data['stats']['lag1_autocorr']:.3f}, DTR mean {data['dtr']['mean_c']:.2f} °C (the "
               "test checks that these reproduce the hard-coded figures)")  # fmt: skip
        gap = wc["anomaly_acf"][2:] - data["acf"][2:]
        acf_note = (f"Beyond lag 1 the generator's autocorrelation lies slightly below the record's (lags 2-5: "
                    f"{', '.join(f'{x:.2f}' for x in wc['anomaly_acf'][2:])} against "
                    f"{', '.join(f'{x:.2f}' for x in data['acf'][2:])}; largest gap {gap[np.argmax(np.abs(gap))]:+.2f}), "
                    "and both lie below an AR(1) with the same lag-1 value "
                    f"(lag 3: {g['anomaly_lag1'] ** 3:.2f}): multi-day anomalies within an ensemble are a little "
                    "too short-lived. No test checks lags beyond 1. (The GHCN values are those of the variant the "
                    "defaults use, each winter's mean removed; without that removal the record's lag 3 is 0.56, "
                    "the figure quoted in [Weather](weather.md))")  # fmt: skip
    else:
        src = "the GHCN data file was not found, so only the hard-coded figures of the test are shown"
        acf_note = (f"Beyond lag 1 the generator's autocorrelation (lag 3: {wc['anomaly_acf'][3]:.2f}) lies below "
                    f"an AR(1) ({g['anomaly_lag1'] ** 3:.2f})")  # fmt: skip
    md = f"""## Weather: the cold-snap generator against the Kyiv climatology

Test: `tests/validation/test_weather_climatology.py`; computations: `sim.validation.weather_climatology`
(a 120-day, 60-member ensemble with the spell moved beyond the horizon, seed 11: pure climatological noise,
statistics from day 45 when the spread has saturated) and `sim.validation.cold_snap_extremes` (the default
cold snap from 29 Jan, 100 members, seed 3). Reference: GHCN-Daily station UPM00033345, Kyiv (calibration
F5), figures derived by `docs/scripts/derive_weather_figures.py` ([Weather](weather.md)); {src}.

![Weather]({IMG}/weather.png)

| statistic | GHCN (Kyiv) | generator | error | tolerance (test) | |
|---|---|---|---|---|---|
{rows_md}
| coldest median daily mean of the default spell | -20.3 °C (coldest week 1991-2020, F4) | {cs['coldest_median_daily_mean_c']:.1f} °C | {cs['coldest_median_daily_mean_c'] - v.COLDEST_WEEK_C:+.1f} °C | between -23 and -19 °C | {_ok(ok_cold)} |
| median over members of the lowest hourly value | record low -32.2 °C (F4) | {cs['median_member_min_c']:.1f} °C | {cs['median_member_min_c'] - v.RECORD_LOW_C:+.1f} °C | above -35.2 °C | {_ok(ok_rec)} |

**What does not fit.** (1) {acf_note}. (2) The generated diurnal range is less variable than the record's
(SD {wc['dtr_sd_c']:.2f} against {g['dtr_cold_sd_c']:.2f} °C): the gamma draw and the daily interpolation narrow it,
and the record has more calm, clear nights with very large ranges (the right tail of the histogram). (3) The
generator's ranges are taken over all days of a -7.6 °C climate while the reference is cold days only
(TAVG <= -10 °C; all DJF days have a mean range of 5.2 °C): the defaults are set for cold spells, the
weather that matters here. (4) The spell's shape is the same in all members; its depth and timing do not
vary between realizations (see [Weather](weather.md#limitations)).
"""
    rows = [{"check": f"weather: {name}", "measured": f"{gen:.3g} (GHCN {ref:.3g})", "tolerance": t, "result": _ok(ok)}
            for name, ref, gen, t, ok, _ in checks]  # fmt: skip
    rows += [{"check": "weather: coldest median daily mean of the spell (F4)", "measured": f"{cs['coldest_median_daily_mean_c']:.1f} °C",
              "tolerance": "-23 to -19 °C", "result": _ok(ok_cold)},
             {"check": "weather: median member minimum vs record (F4)", "measured": f"{cs['median_member_min_c']:.1f} °C",
              "tolerance": "> -35.2 °C", "result": _ok(ok_rec)}]  # fmt: skip
    return md, rows


def section_cooling_run(out_dir: Path, settings: dict) -> str:
    ccr = _load_script("cooling_curves_from_run")
    png = out_dir / "img" / "cooling_curves_total_heat_loss.png"
    t = ccr.make(png, realizations=settings["cooling_realizations"], days=settings["cooling_days"], outdoor_c=-20.0)
    hcols = [h for h in (24, 48, 72) if f"run_{h}h_c" in t.columns]
    head = " | ".join(f"after {h} h: run / no input" for h in hcols)
    lines = []
    for name, r in t.iterrows():
        temps = " | ".join(f"{r[f'run_{h}h_c']:.1f} / {r[f'free_{h}h_c']:.1f} °C" for h in hcols)
        lines.append(f"| `{name}` | {r.tau_h:.0f} | {temps} | {_fmt(r.run_to_16c_h, 0)} / {_fmt(r.free_to_16c_h, 0)} | "
                     f"{_fmt(r.run_to_12c_h, 0)} / {_fmt(r.free_to_12c_h, 0)} |")  # fmt: skip
    table = "\n".join(lines)
    e4 = ["panel_16", "panel_9", "khrushchyovka_5", "brick_stalinka"]  # calibration E4, fastest first
    if set(e4) <= set(t.index) and 48 in hcols:
        at48 = t.loc[e4, "run_48h_c"].to_numpy()
        ok = bool(np.all(np.diff(at48) > 0))
        order_note = (f"After 48 h the Soviet-era apartment archetypes {'are' if ok else 'are **not**'} in the expert "
                      f"order of calibration E4 (16-storey panel coldest, then 9-storey panel, khrushchyovka, "
                      f"brick/stalinka warmest: {', '.join(f'{x:.1f}' for x in at48)} °C), the order of their time "
                      "constants. The gap between the run and the no-input curves is the heat that stoves, heaters "
                      "and people still bring; it widens with time, because without any input a flat tends to the "
                      "outdoor temperature and with them to a warmer equilibrium.")  # fmt: skip
    else:
        order_note = ""
    return f"""## Cooling under total heat loss

Not a test against data, but the buildings' behaviour inside a full run: `coldgrid city=kyiv
attacks=total_heat_loss weather=file weather.path=<constant -20 °C> realizations={t.attrs['realizations']}
horizon_days={t.attrs['days']:g}`, run through `sim.chain.run_scenario` by `docs/scripts/cooling_curves_from_run.py`
(which this report calls). Every district-heat source fails at t = 0 and stays down. Solid lines: the
result's `indoor_temperature` per archetype, occupant-weighted over districts, median over realizations
(band p10-p90); dotted: one building of the same archetype with no heat input at all (the curves of
[Buildings and heat](archetypes.md#cooling-curves)); dots: each archetype's time constant `tau = C / H` from
`sim.archetypes.archetype_table()`.

![Cooling under total heat loss](img/cooling_curves_total_heat_loss.png)

In the run the flats cool more slowly than without any input, because the chain keeps the heat that still
reaches them: electric heaters while the flat has power (30 % of households, 1.5 kW), gas stoves (25 %,
1 kW, usable without power), people and appliances. With every CHP down the power deficit switches off
most outage queues: on average {100 * t.attrs['share_without_power']:.0f} % of people were without power (lower panel),
so heaters help little. Private houses keep their own gas boilers, whose pumps need power: they are heated
in the hours their queue is on, hence their steps.

| archetype | tau h | {head} | hours to 16 °C: run / no input | hours to 12 °C: run / no input |
|---|---|{'---|' * len(hcols)}---|---|
{table}

{order_note}
"""


# -------------------------------------------------------------------------------------------------------


def section_sobol(img: Path) -> tuple[str, list[dict]]:
    """The Sobol collection (sim.sensitivity.analyze) on the Ishigami function, as tests/validation/test_sobol_ishigami.py."""
    from sim.validation.sensitivity import ATOL, RTOL, N, closed_form, ishigami_check

    design, ds = ishigami_check(n_extra=1)
    ref = closed_form()
    s1, st = ds["S1"].values[0, 0], ds["ST"].values[0, 0]
    s1c, stc = ds["S1_conf"].values[0, 0], ds["ST_conf"].values[0, 0]
    s13 = float(ds["S2"].values[0, 0][0, 2])
    exp_s1, exp_st = np.append(ref["S1"], 0.0), np.append(ref["ST"], 0.0)
    ok = bool(np.allclose(s1[:3], ref["S1"], atol=ATOL, rtol=RTOL) and np.allclose(st[:3], ref["ST"], atol=ATOL, rtol=RTOL)
              and abs(s13 - float(ref["S13"])) <= ATOL + RTOL * float(ref["S13"]))
    ok_null = bool(abs(st[3]) < 0.01 and abs(st[3]) <= stc[3] + 1e-12 and abs(s1[3]) <= s1c[3] + 1e-12)

    fig, ax = plt.subplots(figsize=(7.5, 3.0))
    x = np.arange(4)
    ax.bar(x - 0.2, st, 0.38, yerr=stc, color="C0", capsize=3, label="ST (coldgrid, SALib)")
    ax.bar(x + 0.2, s1, 0.38, yerr=s1c, color="C1", capsize=3, label="S1 (coldgrid, SALib)")
    ax.scatter(x - 0.2, exp_st, marker="_", s=400, color="k", zorder=3, label="closed form")
    ax.scatter(x + 0.2, exp_s1, marker="_", s=400, color="k", zorder=3)
    ax.set_xticks(x, ["x1", "x2", "x3", "x4 (no effect)"])
    ax.set_ylabel("Sobol index")
    ax.legend(fontsize=7)
    ax.grid(alpha=0.3, axis="y")
    _save(fig, img / "sobol_ishigami.png")
    rows_md = "\n".join(f"| x{i + 1} | {exp_s1[i]:.4f} | {s1[i]:.4f} ± {s1c[i]:.4f} | {exp_st[i]:.4f} | {st[i]:.4f} ± {stc[i]:.4f} |"
                        for i in range(4))
    md = f"""## Global sensitivity: Sobol indices of the Ishigami function

Test: `tests/validation/test_sobol_ishigami.py`; computation: `sim.sensitivity.saltelli_design` and
`sim.sensitivity.analyze`, the code that computes a Sobol sweep's `sobol.nc` (docs/sweeps.md). The
Ishigami function (a = 7, b = 0.1; Ishigami & Homma 1990) has closed-form indices (Sobol' & Levitan 1999;
Saltelli et al. 2010); x4 is a fourth input that the function does not use. N = {N} base samples,
second order ({design.X.shape[0]:,} evaluations), 95 % bootstrap intervals.

![Sobol indices of the Ishigami function]({IMG}/sobol_ishigami.png)

| input | S1 closed form | S1 coldgrid | ST closed form | ST coldgrid |
|---|---|---|---|---|
{rows_md}

S13 (the interaction of x1 and x3): closed form {float(ref['S13']):.4f}, coldgrid {s13:.4f}. Tolerance: SALib's own
regression test of this function (atol {ATOL}, rtol {RTOL}). The inert x4 has ST = {st[3]:.1e}, within its
interval of 0, as a parameter without effect must.

**What does not fit.** Nothing at this N; at the small N of a model sweep (16-64) the intervals are wide
(see `mc_noise_share` and the intervals in `sobol.nc`), and indices of a model with Monte Carlo noise carry
that noise as well: the model's own indices are not validated by this check, only the estimator and the
collection code.
"""
    rows = [{"check": "Sobol S1, ST, S13 of the Ishigami function (closed form)",
             "measured": f"ST {st[0]:.3f}/{st[1]:.3f}/{st[2]:.3f}", "tolerance": f"atol {ATOL}, rtol {RTOL}",
             "result": _ok(ok)},
            {"check": "Sobol index of an input without effect", "measured": f"ST {st[3]:.1e} ± {stc[3]:.1e}",
             "tolerance": "< 0.01, interval contains 0", "result": _ok(ok_null)}]
    return md, rows


#: The Sobol sweep of the Kyiv default whose indices the model-sensitivity section shows (too long to rerun
#: here: ``SOBOL_KYIV_COMMAND``, then copy its ``sobol.nc`` to this path).
SOBOL_KYIV = DOCS / "data" / "sobol_kyiv.nc"
SOBOL_KYIV_COMMAND = ("coldgrid -m experiment=sobol sobol.samples={N} hydra/launcher=joblib "
                      "hydra.launcher.n_jobs=2 hydra.sweep.dir=SWEEP")


def section_sobol_kyiv(img: Path, path: Path = SOBOL_KYIV) -> tuple[str, list[dict]]:
    """Which assumptions matter for the Kyiv default: the indices of a stored Sobol sweep (``sobol.nc``),
    drawn and ranked by the code of the comparison brief's sensitivity section (sim.report.sensitivity)."""
    import xarray as xr

    from sim.report import sensitivity as sens

    heading = "## Which assumptions matter: Sobol indices of the Kyiv default"
    if not path.is_file():
        return f"{heading}\n\nNo stored sweep ({path.relative_to(ROOT)} is missing).\n", []
    with xr.open_dataset(path) as stored:
        ds = stored.load()
    fig = sens.chart(ds)
    _save(fig, img / "sobol_kyiv.png")
    f = int(np.flatnonzero(ds["figure"].values == sens.MAIN_FIGURE)[0])
    panels = sens._panels(ds)
    n_rows, n_par, n_base = ds.sizes["sample"], ds.sizes["parameter"], int(ds.attrs["samples"])
    from sim.config.load import compose_config

    realizations = int(compose_config(["experiment=sobol"]).realizations)  # the preset's, as the command ran
    tables = []
    for a in panels:
        st, stc, s1 = ds["ST"].values[a, f], ds["ST_conf"].values[a, f], ds["S1"].values[a, f]
        top = np.argsort(-np.nan_to_num(st, nan=-1.0))[:5]
        lines = "\n".join(f"| {k + 1} | {ds['parameter_label'].values[p]} (`{ds['parameter'].values[p]}`) | "
                           f"{st[p]:.2f} ± {stc[p]:.2f} | {s1[p]:.2f} |" for k, p in enumerate(top))
        noise = float(ds["mc_noise_share"].values[a, f])
        tables.append(f"""**{sens._title(ds, a, sens.EN)}** (Monte Carlo noise {100 * noise:.0f} % of the variance
between samples):

| rank | parameter | ST ± 95 % | S1 |
|---|---|---|---|
{lines}
""")
    st_all, s1_all = ds["ST"].values[panels], ds["S1"].values[panels]
    counts = [(int((s1_all < 0).sum()), "first-order indices are below 0"),
              (int((s1_all > st_all + 1e-12).sum()), "first-order indices exceed their total index"),
              (int((st_all > 1).sum()), "total indices exceed 1")]
    oddities = (f"of the {st_all.size} pairs of indices (lead figures x parameters, two panels), "
                + "; ".join(f"{k} {what}" for k, what in counts if k) if any(k for k, _ in counts)
                else "no index leaves [0, 1] or has S1 above ST, but neighbouring ranks overlap")
    noise_all = ds["mc_noise_share"].values[panels] * 100
    noise_lo, noise_hi = float(np.nanmin(noise_all)), float(np.nanmax(noise_all))
    inter = sens._interactions(ds, panels[0], f, sens.EN)
    inter_md = "; ".join(f"{r['what']} {r['value']} ± {r['conf']} ({r['kind']})" for r in inter) or "none"
    md = f"""{heading}

Not a check against a reference: which of the uncertain parameters (`configs/sobol/default.yaml`, each
with its source or [L] mark) move the lead figures of the brief, and by how much. The indices come from a
stored sweep ({n_base} base samples, {n_rows} rows per scenario over {n_par} parameters,
{realizations} realizations per row, every row with seed {ds.attrs.get("seed")}), made with `{SOBOL_KYIV_COMMAND.format(N=n_base)}` and copied to
`docs/data/sobol_kyiv.nc` ({ds.attrs.get("source", "")}); this page draws and ranks them with the code of
the comparison brief's sensitivity section. Figure: {ds["figure_label"].values[f]}.

![Sobol indices of the Kyiv default]({IMG}/sobol_kyiv.png)

{chr(10).join(tables)}
Largest interactions under the baseline: {inter_md}.

**What does not fit.** At {n_base} base samples the intervals are wide: {oddities}, which true indices
cannot do (estimator noise); the Monte Carlo noise of a row's mean is {noise_lo:.0f}-{noise_hi:.0f} % of the
variance between rows over the lead figures of these two panels (an upper bound: common random numbers
cancel part of it). Read the ranking of the largest indices, not their values; stable values need N of a
few hundred (docs/sweeps.md).
"""
    return md, []


#: The stored runs of the identical-twin experiment of the nowcast (too slow to rerun here: each is written
#: by ``docs/scripts/nowcast_twin_figures.py``); the first has the slow test's settings.
NOWCAST_TWIN = (DOCS / "data" / "nowcast_twin.csv", DOCS / "data" / "nowcast_twin_report.csv",
                DOCS / "data" / "nowcast_twin_validation.csv")
NOWCAST_TWIN_COMMAND = "nice -n 10 .venv/bin/python docs/scripts/nowcast_twin_figures.py"


def _rel(path: Path) -> str:
    """``path`` relative to the repository when it is inside it."""
    return str(path.relative_to(ROOT)) if path.is_relative_to(ROOT) else str(path)


def _twin_criterion(df: pd.DataFrame) -> tuple[bool, bool, bool]:
    """The design's forecast criterion (docs/nowcast.md, fixed before any run): mean CRPS skill > 0.1,
    better than the unconditioned forecast in >= 70 % of the truths, no collapse."""
    return (bool(df["skill"].mean() > 0.1), bool((df["skill"] > 0).mean() >= 0.7), not bool(df["collapsed"].any()))


def section_nowcast_twin(img: Path, paths: tuple[Path, ...] = NOWCAST_TWIN) -> tuple[str, list[dict]]:
    """The nowcast's identical-twin experiment (sim.validation.nowcast, tests/validation/test_nowcast_twin.py)
    from its stored per-truth figures (``docs/data/nowcast_twin*.csv``)."""
    from sim.validation.nowcast import TWIN_QUICK, TWIN_VALIDATION, forecast_sign_test, truth_seeds

    heading = "## Nowcast: the identical-twin experiment"
    runs = [(p, pd.read_csv(p)) for p in paths if p.is_file()]
    if not runs:
        return f"{heading}\n\nNo stored run ({', '.join(_rel(p) for p in paths)} missing).\n", []
    test_seeds, validation_seeds = truth_seeds(TWIN_QUICK), truth_seeds(TWIN_VALIDATION)

    # runs of up to 12 truths side by side in the first row, larger runs one per row below them
    small = [k for k, (_, df) in enumerate(runs) if len(df) <= 12]
    large = [k for k in range(len(runs)) if k not in small]
    n_rows = (1 if small else 0) + len(large)
    fig = plt.figure(figsize=(max(4.6 * max(len(small), 1) + 1.0, 14.0 if large else 0.0), 3.4 * n_rows))
    grid = fig.add_gridspec(n_rows, max(len(small), 1))
    axes = {k: fig.add_subplot(grid[0, i]) for i, k in enumerate(small)}
    axes |= {k: fig.add_subplot(grid[(1 if small else 0) + i, :]) for i, k in enumerate(large)}
    tables, rows, failed, restated = [], [], [], []
    for k, (path, df) in enumerate(runs):
        ax = axes[k]
        x = np.arange(len(df))
        ax.bar(x - 0.27, df["skill"], 0.26, color="C0", label="forecast, rejuvenated")
        ax.bar(x, df["skill_weights_only"].clip(lower=-1.5), 0.26, color="C7", label="forecast, weights only (clipped at -1.5)")
        ax.bar(x + 0.27, df["skill_analysis"], 0.26, color="C2", label="analysis (last report)")
        gone = np.flatnonzero(df["collapsed"].to_numpy(bool))
        ax.scatter(gone - 0.27, np.full(len(gone), 1.12), marker="v", color="C3", s=22, zorder=3,
                   label="collapsed (ESS < 0.1 R)")  # fmt: skip
        ax.axhline(0.1, color="k", lw=0.8, ls="--", label="criterion: mean > 0.1")
        ax.axhline(0.0, color="k", lw=0.5)
        ax.set_xticks(x, [str(t)[-4:] for t in df["truth_seed"]], fontsize=7, rotation=90 if len(df) > 12 else 0)
        ax.set_xlabel("truth seed (last 4 digits)")
        ax.set_ylabel("CRPS skill 1 - CRPS_c / CRPS_u")
        ax.set_ylim(-1.6, 1.22)
        ax.set_title(f"{len(df)} truths, {int(df['realizations'].iloc[0])} realizations", fontsize=9)
        ax.grid(alpha=0.3, axis="y")
        if k == 0:
            ax.legend(fontsize=6, loc="lower left")
        mean_ok, share_ok, none_ok = _twin_criterion(df)
        seeds = [int(t) for t in df["truth_seed"]]
        r0 = df.iloc[0]
        is_test = seeds == test_seeds and int(r0["realizations"]) == int(TWIN_QUICK["realizations"])
        is_validation = seeds == validation_seeds and int(r0["realizations"]) == int(TWIN_VALIDATION["realizations"])
        what = ("the slow test's settings and truths" if is_test else
                "the restated criterion's run (the slow test's settings, 50 truths)" if is_validation else
                f"{len(df)} truths, {int(r0['realizations'])} realizations")
        lines = "\n".join(
            f"| {int(r.truth_seed)} | {r.crps_unconditioned:,.1f} | {r.crps_conditioned:,.1f} | {r.skill:+.2f} | "
            f"{r.skill_weights_only:+.2f} | {r.skill_analysis:+.2f} | {r.ess_min:.1f} | {int(r.restarts)} | "
            f"{'yes' if r.collapsed else 'no'} |" for r in df.itertuples())
        modified = bool(df["sim_modified"].any()) if "sim_modified" in df else False
        tables.append(f"""**{what[0].upper() + what[1:]}** (`{_rel(path)}`: truth seeds {seeds[0]}-{seeds[-1]},
ensemble seed {int(r0['ensemble_seed'])}, {int(r0['realizations'])} realizations, {float(r0['days']):g} days,
reports at hours {r0['report_hours']}, `as_of` hour {int(r0['as_of_h'])}; run once on {r0['run_utc']} at commit
`{str(r0['commit'])[:10]}`{' with uncommitted changes in sim/' if modified else ''}, {int(r0['wall_s'])} s):

| truth seed | CRPS unconditioned | CRPS conditioned | forecast skill | weights only | analysis skill | ESS min | restarts | collapsed |
|---|---|---|---|---|---|---|---|---|
{lines}

Mean forecast skill **{df['skill'].mean():+.2f}** (criterion > 0.1: {'met' if mean_ok else 'not met'}), better than the
unconditioned forecast in **{int((df['skill'] > 0).sum())} of {len(df)}** truths (>= 70 %: {'met' if share_ok else 'not met'}),
**{int(df['collapsed'].sum())} collapse(s)** (none allowed: {'met' if none_ok else 'not met'}); analysis skill: mean
{df['skill_analysis'].mean():+.2f}, lowest {df['skill_analysis'].min():+.2f}; the prior's weights alone (stage A, no
rejuvenation): mean forecast skill {df['skill_weights_only'].mean():+.2f}.
""")
        label = ("test's truths" if is_test else "50 truths, restated criterion" if is_validation else
                 f"{len(df)} truths, {int(r0['realizations'])} realizations")
        an_ok = bool((df["skill_analysis"] > 0).all() and df["skill_analysis"].mean() > 0.5)
        fc_ok = mean_ok and share_ok and none_ok
        if is_validation:
            sign = forecast_sign_test(df["skill"])
            sign_ok = bool(sign["better"] >= sign["better_needed"] and sign["mean_skill"] > 0)
            restated.append((sign, sign_ok, int(df["collapsed"].sum()), len(df)))
            rows.append({"check": "nowcast twin (50 truths): conditioned forecast measurably closer (restated criterion)",
                         "measured": f"{sign['better']}/{sign['truths']} better (one-sided sign test p = "
                                     f"{sign['p_value']:.3f}), mean skill {sign['mean_skill']:+.2f}, "
                                     f"{int(df['collapsed'].sum())} collapses (reported, not gated)",
                         "tolerance": f">= {sign['better_needed']} of {sign['truths']} better (p < 0.05), mean skill > 0",
                         "result": _ok(sign_ok)})  # fmt: skip
            tables.append(f"Restated criterion (docs/nowcast.md \"The forecast criterion restated\", written before "
                          f"this run): better in **{sign['better']} of {sign['truths']}** truths (at least "
                          f"{sign['better_needed']} needed: one-sided sign test, p = {sign['p_value']:.3f}) and mean "
                          f"skill **{sign['mean_skill']:+.2f}** (> 0 needed): **{'met' if sign_ok else 'not met'}**.\n")
            continue
        if not fc_ok:
            failed.append(label)
        rows.append({"check": f"nowcast twin ({label}): conditioned analysis closer to the truth",
                     "measured": f"mean skill {df['skill_analysis'].mean():+.2f}, lowest {df['skill_analysis'].min():+.2f}",
                     "tolerance": "every truth > 0, mean > 0.5", "result": _ok(an_ok)})
        rows.append({"check": f"nowcast twin ({label}): conditioned forecast (design criterion)",
                     "measured": f"{df['skill'].mean():+.2f}, {int((df['skill'] > 0).sum())}/{len(df)} better, "
                                 f"{int(df['collapsed'].sum())} collapses",
                     "tolerance": "mean skill > 0.1, >= 70 % better, no collapse",
                     "result": "pass" if fc_ok else "not met (xfail)"})  # fmt: skip
    _save(fig, img / "nowcast_twin.png")
    not_met = (f"The design's forecast criterion is **not met yet** ({'; '.join(failed)})" if failed else
               "The design's criterion is met in the stored runs; the strict xfail of the test must go")
    if restated:
        sign, sign_ok, n_coll, n_tr = restated[0]
        worst = min(runs, key=lambda r: r[1]["skill_analysis"].min())[1]
        w_row = worst.loc[worst["skill_analysis"].idxmin()]
        analysis_note = ("" if float(w_row["skill_analysis"]) > 0 else
                         f" The analysis is not better everywhere: truth {int(w_row['truth_seed'])} "
                         f"({'collapsed' if bool(w_row['collapsed']) else 'not collapsed'}) has analysis skill "
                         f"{float(w_row['skill_analysis']):+.2f}, its one remaining history far from the truth; the "
                         f"run says it collapsed, which is all a user can be told.")
        restated_md = (f"The restated criterion is **{'met' if sign_ok else 'not met'}**: {sign['better']} of "
                       f"{sign['truths']} truths better (p = {sign['p_value']:.3f}), mean skill "
                       f"{sign['mean_skill']:+.2f}; {n_coll} of {n_tr} perfect-model nowcasts collapse, each saying so."
                       + analysis_note + " ")
    else:
        restated_md = "The restated criterion's run is not stored. "
    md = f"""{heading}

Test: `tests/validation/test_nowcast_twin.py` (slow); computation: `sim.validation.nowcast.twin_experiment`.
A perfect-model experiment (Evensen 2009, *Data Assimilation*, ch. 4), a self-consistency check of the
filter, not of the model against the world: realization 0 of a run with another seed plays the city (Kyiv,
`attacks=continued`, the default cold snap, 7 days); its reports at 06:00 and 18:00 of days 0 and 1
(buildings without heat and share without power per district, queues off; 84 reports), drawn from the
nowcast's own error model, condition an ensemble with `nowcast.as_of` = day 2 06:00; the forecast of days
2-7 (every 6 h) and the analysis (the state at the last report, which the filter has seen) are scored by
the CRPS of buildings without heat per district against the truth, conditioned (rejuvenated, the filter as
built) against unconditioned: skill `1 - CRPS_c / CRPS_u` per truth; "weights only" is the stage-A
reweighting of the prior without rejuvenation. Nothing was fitted to these truths: the filter was tuned on
truths of their own (seeds 20263129-20263148, docs/nowcast.md "The forecast criterion: causes tested").

Each run takes one to a few minutes, too long for this page's own run: the figures are those of the
stored runs below, made with `{NOWCAST_TWIN_COMMAND}` (the test's settings; `--truths 10 --realizations 200
--out docs/data/nowcast_twin_report.csv` for the design's ten truths; `--truths 50 --out
docs/data/nowcast_twin_validation.csv` for the restated criterion), and drawn here. A change of the
filter needs a new run of the script; the table says at which commit the stored run was made.

**The criteria.** The design's (docs/nowcast.md, stage-B design, fixed before any run): mean forecast
skill > 0.1, the conditioned forecast better in at least 70 % of the truths, and no collapse. It proved
beyond a perfect filter on some truth sets (the oracle, docs/nowcast.md), so the issue's "measurably
closer" was **restated before it was run** (docs/nowcast.md "The forecast criterion restated"): over 50
truths (seeds 20262129-20262178, the first six the test's) the conditioned forecast better in at least 32
(a one-sided sign test at the 5 % level) and a mean skill above 0; collapses are reported, not gated. The
test asserts the restated criterion on the 50 truths, the analysis on the test's six (every truth > 0,
mean > 0.5: a regression guard set after the first run), and keeps the design's forecast criterion on
those six as a strict xfail.

![Identical-twin skill per truth]({IMG}/nowcast_twin.png)

{chr(10).join(tables)}
**What does not fit.** {restated_md}{not_met}: a handful of effective histories forecast the next
strike waves and the restorations of the damage seen no better, in some truths worse, than the whole
ensemble, and a perfect-model nowcast still collapses in some truths (the ensemble, even rejuvenated from
the reported state, holds no history that reproduces every report). With 6 truths the mean skill is
resolved to about 0.2 at best (the skill of one truth changes by up to 0.5 between filter versions whose
restarts draw other histories). Causes tested and what was kept: docs/nowcast.md.
"""
    return md, rows


def build(out_dir: Path, quick: bool = False, ghcn: Path = GHCN_FILE) -> Path:
    """Compute every check, write the figures and ``out_dir/validation.md``; return the page's path."""
    settings = QUICK if quick else FULL
    img = out_dir / IMG
    img.mkdir(parents=True, exist_ok=True)
    t0 = time.perf_counter()
    sections, summary = [], []
    for make in (section_erlang, section_thermal, section_small_houses, section_ashrae140, section_apartments,
                 lambda i: section_restoration(i, settings), section_freezing, lambda i: section_winter(i, settings),
                 section_hindcast, lambda i: section_weather(i, ghcn), section_sobol, section_sobol_kyiv,
                 section_nowcast_twin):
        md, rows = make(img)
        sections.append(md)
        summary += rows
    sections.append(section_cooling_run(out_dir, settings))

    # checks a test marks as an expected failure (a documented model bias) are listed apart
    known = [r for r in summary if r["result"] != "pass" and "xfail" in r["result"]]
    summary = [r for r in summary if r not in known]
    n_fail = sum(r["result"] != "pass" for r in summary)
    table = "\n".join(f"| {r['check']} | {r['measured']} | {r['tolerance']} | {r['result']} |" for r in summary)
    known_md = "\n".join(f"| {r['check']} | {r['measured']} | {r['tolerance']} |" for r in known)
    known_section = (f"""## Known deviations

Checks whose test is an expected failure (strict: the suite fails once the model lands inside, so that the
mark is removed); each section's "What does not fit" says why.

| check | measured | reference |
|---|---|---|
{known_md}
""" if known else "")
    quick_note = ("\n!!! warning \"Quick settings\"\n    Generated with `--quick`: the restoration's other seeds "
                  "are not run, the cooling run is shorter and the eight weeks have fewer realizations; not the "
                  "published page.\n") if quick else ""  # fmt: skip
    page = f"""<!-- Generated by docs/scripts/make_validation_report.py from sim/validation/; do not edit by hand. -->
# Validation report

What the model reproduces, how well, and what does not fit. Every number and figure on this page is
computed by `sim/validation/`, the same functions the tests in `tests/validation/` assert on, with the
tests' settings and tolerances. Regenerate with

```
.venv/bin/python docs/scripts/make_validation_report.py      # or: make validation-report
```

coldgrid {sim.__version__}; restoration with {settings['restoration_realizations']} realizations; cooling run with
{settings['cooling_realizations']} realizations over {settings['cooling_days']:g} days.
{quick_note}
Calibration lines (A3, B3, E5, ...) refer to `reference/calibration.md`. A check that passes here is a
check that a test enforces; "What does not fit" in each section says where the model and the reference
part, and why.

## Summary

| check | measured | tolerance (test) | result |
|---|---|---|---|
{table}

{len(summary) - n_fail} of {len(summary)} checks pass.

{known_section}
{chr(10).join(sections)}"""
    out = out_dir / "validation.md"
    out.write_text(page, encoding="utf-8")
    print(f"wrote {out} and {len(list(img.glob('*.png')))} figures in {img} ({time.perf_counter() - t0:.0f} s); "
          f"{len(summary) - n_fail}/{len(summary)} checks pass")  # fmt: skip
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out-dir", type=Path, default=DOCS, help="where validation.md and img/ go (default docs/)")
    parser.add_argument("--quick", action="store_true",
                        help="skip the restoration's other seeds, shorter cooling run (for tests); says so on the page")
    parser.add_argument("--ghcn", type=Path, default=GHCN_FILE, help="GHCN-Daily file of Kyiv (optional)")
    args = parser.parse_args(argv)
    build(args.out_dir, quick=args.quick, ghcn=args.ghcn)
    return 0


if __name__ == "__main__":
    sys.exit(main())
