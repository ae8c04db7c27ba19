"""Cooling curves of the archetypes and the archetype table of ``docs/archetypes.md``.

Usage::

    .venv/bin/python docs/scripts/cooling_curves.py

Writes ``docs/img/cooling_curves.png`` (indoor air temperature of one building of each archetype after the
heat goes off at -20 degC outdoors, from the steady state of normal operation at 21 degC, no gains, no
heaters) and rewrites the tables between the ``<!-- table:... -->`` markers in ``docs/archetypes.md``
from :func:`sim.archetypes.archetype_table`, so the page always shows the numbers the code uses.
"""

from __future__ import annotations

import re
from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt
import numpy as np

from sim.archetypes import ARCHETYPES, archetype, archetype_parameters, archetype_table
from sim.config.buildings import BuildingsConfig
from sim.heating import BuildingInputs, initial_state_c
from sim.thermal import TwoNodeModel

DOCS = Path(__file__).resolve().parents[1]
T_OUT_C = -20.0
HOURS = 168
THRESHOLDS_C = (18.0, 16.0, 12.0, 9.0)  # reference/report.md bands (calibration G1, G2)


def cooling_curves(t_out_c: float = T_OUT_C, hours: int = HOURS) -> dict[str, np.ndarray]:
    """Hourly indoor air temperature of each archetype after the heat goes off, hour 0 included. [degC]"""
    cfg = BuildingsConfig()
    curves = {}
    for name in ARCHETYPES:
        a = archetype(name)
        p = archetype_parameters(name).scaled(np.ones(1))
        bp = BuildingInputs(1.0, a.floor_area_m2, 0.0, 0.0, a.kind == "house", a.kind != "house",
                            p.h_total_w_per_k, p.mass_to_air_frac)  # fmt: skip
        t_out = np.full((1, 1), t_out_c)
        x = initial_state_c(bp, p, t_out, cfg)
        model = TwoNodeModel(p, 3600.0, 1)
        model.set_state(x[..., 0], x[..., 1])
        air = [float(model.indoor_c[0, 0])]
        air += [float(model.step(t_out, 0.0)[0, 0]) for _ in range(hours)]
        curves[name] = np.array(air)
    return curves


def plot(curves: dict[str, np.ndarray], path: Path) -> None:
    table = archetype_table()
    fig, ax = plt.subplots(figsize=(9, 5.2))
    for name, air in curves.items():
        ax.plot(np.arange(len(air)), air, lw=1.8, label=f"{name} (tau {table.loc[name, 'tau_h']:.0f} h)")
    for th in THRESHOLDS_C:
        ax.axhline(th, color="0.6", lw=0.8, ls=":")
        ax.text(
            len(next(iter(curves.values()))) - 1, th + 0.3, f"{th:g} °C", ha="right", fontsize=8, color="0.4"
        )
    ax.set_xlabel("hours after the heat goes off")
    ax.set_ylabel("indoor air temperature [°C]")
    ax.set_title(f"Cooling at {T_OUT_C:g} °C outdoors, from 21 °C, no heat input (two-node RC model)")
    ax.set_xticks(np.arange(0, HOURS + 1, 24))
    ax.set_xlim(0, HOURS)
    ax.grid(alpha=0.3)
    ax.legend(fontsize=8, loc="lower left")
    fig.tight_layout()
    path.parent.mkdir(parents=True, exist_ok=True)
    fig.savefig(path, dpi=110)
    plt.close(fig)


def markdown_tables(curves: dict[str, np.ndarray]) -> dict[str, str]:
    """The markdown tables of the page, keyed by their marker name."""
    t = archetype_table()
    env = ["| archetype | storeys | floor m2 | walls m2 | windows m2 | roof m2 | ground floor m2 | U wall | U window "
           "| U roof | U floor | ach 1/h |", "|" + "---|" * 12]  # fmt: skip
    for name, r in t.iterrows():
        env.append(
            f"| `{name}` | {r.storeys} | {r.floor_area_m2:,.0f} | {r.wall_area_m2:,.0f} | {r.window_area_m2:,.0f} "
            f"| {r.roof_area_m2:,.0f} | {r.ground_floor_area_m2:,.0f} | {r.u_wall_w_per_k_m2:g} "
            f"| {r.u_window_w_per_k_m2:g} | {r.u_roof_w_per_k_m2:g} | {r.u_floor_w_per_k_m2:g} "
            f"| {r.air_changes_per_h:g} |"
        )
    heat = ["| archetype | ISO 13790 class | C_eff kJ/(m2 K) | C_long kJ/(m2 K) | H W/K | H W/(m2 K) "
            "| design load W/m2 | tau_daily h | tau h | air after 24 / 48 / 72 h at -20 °C |",
            "|" + "---|" * 10]  # fmt: skip
    for name, r in t.iterrows():
        air = curves[name]
        heat.append(
            f"| `{name}` | {r.iso13790_class} | {r.c_eff_kj_per_k_m2:.0f} | {r.c_long_kj_per_k_m2:.0f} "
            f"| {r.h_total_w_per_k:,.0f} | {r.h_w_per_k_m2:.2f} | {r.design_load_w_per_m2:.0f} "
            f"| {r.tau_daily_h:.0f} | {r.tau_h:.0f} | {air[24]:.1f} / {air[48]:.1f} / {air[72]:.1f} °C |"
        )
    src = ["| archetype | sources |", "|---|---|"]
    for name, r in t.iterrows():
        src.append(f"| `{name}` | {r.source} |")
    return {"envelope": "\n".join(env), "heat": "\n".join(heat), "sources": "\n".join(src)}


def update_page(page: Path, tables: dict[str, str]) -> None:
    text = page.read_text(encoding="utf-8")
    for key, table in tables.items():
        pattern = re.compile(rf"(<!-- table:{key} -->\n)(?:.*?\n)?(<!-- /table:{key} -->)", re.S)
        if not pattern.search(text):
            raise SystemExit(f"{page}: marker <!-- table:{key} --> not found")
        text = pattern.sub(lambda m, t=table: m.group(1) + t + "\n" + m.group(2), text)
    page.write_text(text, encoding="utf-8")


def main() -> None:
    curves = cooling_curves()
    plot(curves, DOCS / "img" / "cooling_curves.png")
    update_page(DOCS / "archetypes.md", markdown_tables(curves))
    print(archetype_table()[["h_total_w_per_k", "h_w_per_k_m2", "tau_daily_h", "tau_h"]].round(2).to_string())


if __name__ == "__main__":
    main()
