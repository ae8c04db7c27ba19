"""Per-archetype cooling curves from a real run of the chain under ``attacks=total_heat_loss``.

Usage::

    .venv/bin/python docs/scripts/cooling_curves_from_run.py [--realizations 20] [--days 7] [--outdoor-c -20]

Runs ``sim.chain.run_scenario`` (configs composed as the CLI composes them) with

    city=kyiv attacks=total_heat_loss weather=file weather.path=<constant outdoor temperature, temp dir>

i.e. ``coldgrid city=kyiv attacks=total_heat_loss weather=file weather.path=const.csv realizations=20
horizon_days=7``: every district-heat source fails at t = 0 and stays down, the outdoor temperature is
held at -20 degC (the temperature of the cooling curves of ``docs/archetypes.md``). It plots
``indoor_temperature`` per archetype (occupant-weighted mean over districts, median over realizations)
with each archetype's time constant from :func:`sim.archetypes.archetype_table`, against the curve of
the same archetype with no heat input at all (:func:`sim.validation.cool_down`), and writes
``docs/img/cooling_curves_total_heat_loss.png``. The run keeps everything the chain has: electric heaters
while powered, gas stoves, people and appliances, and rolling blackouts (with every CHP down, the deficit
switches off most outage queues); private houses keep their own gas boilers, which need power.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
import xarray as xr

from sim.archetypes import ARCHETYPES, archetype_table
from sim.chain import run_scenario
from sim.validation import compose_config, cool_down

DOCS = Path(__file__).resolve().parents[1]
OUT = DOCS / "img" / "cooling_curves_total_heat_loss.png"
START = "2026-01-29T00:00"
THRESHOLDS_C = (18.0, 16.0, 12.0, 9.0)  # reference/report.md bands (calibration G1, G2)


def constant_weather_csv(path: Path, outdoor_c: float, days: float, start: str = START) -> Path:
    """Write a weather file (``weather=file`` CSV format) holding ``outdoor_c`` hourly over the run."""
    times = pd.date_range(start, periods=round(days * 24) + 2, freq="h")
    pd.DataFrame({"time": times.strftime("%Y-%m-%dT%H:%M"), "outdoor_temperature_c": float(outdoor_c)}).to_csv(
        path, index=False
    )
    return path


def run(realizations: int = 20, days: float = 7.0, outdoor_c: float = -20.0, seed: int = 20260129) -> xr.Dataset:
    """Kyiv under ``attacks=total_heat_loss`` at a constant outdoor temperature; the run's Dataset."""
    with tempfile.TemporaryDirectory() as tmp:
        csv = constant_weather_csv(Path(tmp) / "constant.csv", outdoor_c, days)
        cfg = compose_config(["city=kyiv", "attacks=total_heat_loss", "weather=file", f"weather.path={csv}",
                              f"realizations={realizations}", f"horizon_days={days:g}", f"seed={seed}",
                              f"start={START}"])  # fmt: skip
        return run_scenario(cfg)


def per_archetype(ds: xr.Dataset) -> xr.Dataset:
    """Indoor temperature per archetype: occupant-weighted over districts; median, p10, p90 over realizations.

    Also the city-wide share of people without power (median over realizations).
    """
    w = ds["occupants_by_archetype"]
    t = (ds["indoor_temperature"] * w).sum("district") / w.sum("district")  # (R, T, A)
    pop = ds["population"]
    no_power = (ds["share_without_power"] * pop).sum("district") / pop.sum("district")
    return xr.Dataset({
        "median": t.median("realization"), "p10": t.quantile(0.1, "realization").drop_vars("quantile"),
        "p90": t.quantile(0.9, "realization").drop_vars("quantile"),
        "share_without_power": no_power.median("realization"),
    })  # fmt: skip


def _hours_to(curve: np.ndarray, threshold_c: float) -> float:
    """First hour at which ``curve`` (hourly) is below ``threshold_c``; NaN if never. [h]"""
    below = np.flatnonzero(curve < threshold_c)
    return float(below[0]) if len(below) else float("nan")


def summary(curves: xr.Dataset, outdoor_c: float = -20.0) -> pd.DataFrame:
    """Per archetype: tau, the run's median air temperature after 24/48/72 h and the hours to 16 and 12 degC,
    the same for the no-heat-input curve (``free_*``)."""
    table = archetype_table()
    hours = curves.sizes["time"]
    rows = []
    for name in curves["archetype"].values:
        run_c = curves["median"].sel(archetype=name).values
        free_c = cool_down(str(name), hours - 1, outdoor_c)
        rows.append({
            "archetype": str(name), "tau_h": float(table.loc[name, "tau_h"]),
            **{f"run_{h}h_c": float(run_c[h]) for h in (24, 48, 72) if h < hours},
            **{f"free_{h}h_c": float(free_c[h]) for h in (24, 48, 72) if h < hours},
            "run_to_16c_h": _hours_to(run_c, 16.0), "free_to_16c_h": _hours_to(free_c, 16.0),
            "run_to_12c_h": _hours_to(run_c, 12.0), "free_to_12c_h": _hours_to(free_c, 12.0),
            "run_end_c": float(run_c[-1]),
        })  # fmt: skip
    return pd.DataFrame(rows).set_index("archetype")


def plot(curves: xr.Dataset, path: Path, outdoor_c: float = -20.0, realizations: int | None = None) -> None:
    """Median curves (solid, p10-p90 band), no-heat-input curves (dotted), tau marked on each curve."""
    table = archetype_table()
    hours = curves.sizes["time"]
    t_h = np.arange(hours)
    fig, (ax, ax2) = plt.subplots(2, 1, figsize=(9.5, 7.2), sharex=True, gridspec_kw={"height_ratios": [4, 1]})
    colors = plt.rcParams["axes.prop_cycle"].by_key()["color"]
    for k, name in enumerate(ARCHETYPES):
        if name not in curves["archetype"].values:
            continue
        c = colors[k % len(colors)]
        tau = float(table.loc[name, "tau_h"])
        med = curves["median"].sel(archetype=name).values
        ax.plot(t_h, med, color=c, lw=2.0, label=f"{name}  (tau = {tau:.0f} h)")
        ax.fill_between(t_h, curves["p10"].sel(archetype=name).values, curves["p90"].sel(archetype=name).values,
                        color=c, alpha=0.12, lw=0)  # fmt: skip
        ax.plot(t_h, cool_down(name, hours - 1, outdoor_c), color=c, lw=1.0, ls=":")
        if tau < hours:
            ax.plot([tau], [med[round(tau)]], marker="o", color=c, ms=6, mec="k", mew=0.6)
    for th in THRESHOLDS_C:
        ax.axhline(th, color="0.55", lw=0.7, ls="--")
        ax.text(hours - 1, th + 0.25, f"{th:g} °C", ha="right", fontsize=7, color="0.35")
    ax.plot([], [], color="0.3", lw=1.0, ls=":", label="same archetype, no heat input at all")
    ax.plot([], [], color="0.3", lw=0, marker="o", mec="k", label="at t = tau")
    n = f", {realizations} realizations" if realizations else ""
    ax.set_title(f"Kyiv, attacks=total_heat_loss, outdoor {outdoor_c:g} °C held constant{n}\n"
                 "indoor air: occupant-weighted over districts, median (band p10-p90) over realizations",
                 fontsize=10)  # fmt: skip
    ax.set_ylabel("indoor air temperature [°C]")
    ax.grid(alpha=0.3)
    ax.legend(fontsize=7.5, loc="lower left", ncol=2)
    ax2.plot(t_h, 100 * curves["share_without_power"].values, color="0.2", lw=1.2)
    ax2.set_ylabel("people without\npower [%]", fontsize=8)
    ax2.set_ylim(0, 100)
    ax2.grid(alpha=0.3)
    ax2.set_xlabel("hours after every district-heat source failed")
    ax2.set_xticks(np.arange(0, hours + 1, 24))
    ax2.set_xlim(0, hours - 1)
    fig.tight_layout()
    path.parent.mkdir(parents=True, exist_ok=True)
    fig.savefig(path, dpi=110)
    plt.close(fig)


def make(out: Path = OUT, realizations: int = 20, days: float = 7.0, outdoor_c: float = -20.0,
         seed: int = 20260129) -> pd.DataFrame:
    """Run, plot to ``out`` and return the per-archetype summary."""
    curves = per_archetype(run(realizations, days, outdoor_c, seed))
    plot(curves, out, outdoor_c, realizations)
    table = summary(curves, outdoor_c)
    table.attrs.update(realizations=realizations, days=days, outdoor_c=outdoor_c, seed=seed,
                       share_without_power=float(curves["share_without_power"].mean()))  # fmt: skip
    return table


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--realizations", type=int, default=20)
    parser.add_argument("--days", type=float, default=7.0)
    parser.add_argument("--outdoor-c", type=float, default=-20.0)
    parser.add_argument("--seed", type=int, default=20260129)
    parser.add_argument("-o", "--out", type=Path, default=OUT)
    args = parser.parse_args(argv)
    table = make(args.out, args.realizations, args.days, args.outdoor_c, args.seed)
    print(table.round(1).to_string())
    print(f"wrote {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
