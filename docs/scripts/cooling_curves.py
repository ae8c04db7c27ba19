"""Cooling curves of the archetypes and the tables of ``docs/archetypes.md``.

Usage::

    .venv/bin/python docs/scripts/cooling_curves.py

Writes ``docs/img/cooling_curves.png`` (operative temperature of one building of each archetype after the
heat goes off at -20 degC outdoors, from the steady state of normal operation, through the chain's thermal
stage :class:`sim.building_stage.BuildingStage`: no people, no heaters, no stoves, no power) and rewrites
the tables between the ``<!-- table:... -->`` markers in ``docs/archetypes.md`` from
:func:`sim.archetypes.archetype_table` and the mass inventories, so the page always shows the numbers the
code uses.
"""

from __future__ import annotations

import re
from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt
import numpy as np

from sim.archetypes import ARCHETYPES, archetype, archetype_table
from sim.config.buildings import BuildingsConfig
from sim.validation.apartments import cool_down_operative

DOCS = Path(__file__).resolve().parents[1]
T_OUT_C = -20.0
HOURS = 168
THRESHOLDS_C = (18.0, 16.0, 12.0, 9.0)  # reference/report.md bands (calibration G1, G2)
#: No heat input at all: no people, appliances, heaters or stoves (power off too).
NOTHING = BuildingsConfig(ua_cv=0.0, person_gain_w=0.0, appliance_w_per_m2=0.0, heater_share_frac=0.0,
                          gas_stove_share_frac=0.0)  # fmt: skip


def cooling_curves(t_out_c: float = T_OUT_C, hours: int = HOURS) -> dict[str, np.ndarray]:
    """Hourly operative temperature of each archetype after the heat goes off, hour 0 included. [degC]"""
    return {name: cool_down_operative(name, hours, t_out_c, 0.0, cfg=NOTHING) for name in ARCHETYPES}


def plot(curves: dict[str, np.ndarray], path: Path) -> None:
    table = archetype_table()
    fig, ax = plt.subplots(figsize=(9, 5.2))
    for name, temp in curves.items():
        ax.plot(np.arange(len(temp)), temp, lw=1.8, label=f"{name} (tau {table.loc[name, 'tau_h']:.0f} h)")
    for th in THRESHOLDS_C:
        ax.axhline(th, color="0.6", lw=0.8, ls=":")
        ax.text(len(next(iter(curves.values()))) - 1, th + 0.3, f"{th:g} °C", ha="right", fontsize=8, color="0.4")
    ax.set_xlabel("hours after the heat goes off")
    ax.set_ylabel("operative temperature [°C]")
    ax.set_title(f"Cooling at {T_OUT_C:g} °C outdoors, no heat input, no power (three-node RC model)")
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
           "| U roof | U floor | ach 1/h | window g |", "|" + "---|" * 13]  # fmt: skip
    for name, r in t.iterrows():
        env.append(
            f"| `{name}` | {r.storeys} | {r.floor_area_m2:,.0f} | {r.wall_area_m2:,.0f} | {r.window_area_m2:,.0f} "
            f"| {r.roof_area_m2:,.0f} | {r.ground_floor_area_m2:,.0f} | {r.u_wall_w_per_k_m2:g} "
            f"| {r.u_window_w_per_k_m2:g} | {r.u_roof_w_per_k_m2:g} | {r.u_floor_w_per_k_m2:g} "
            f"| {r.air_changes_per_h:g} | {r.window_g:g} |"
        )
    heat = ["| archetype | mass kg/m2 | C ISO class kJ/(m2 K) | C daily | C cool-down | H W/(m2 K) | ventilation share "
            "| design load W/m2 | gas cookers | tau ISO h | tau daily h | tau h | operative after 24 / 48 / 72 h at -20 °C |",
            "|" + "---|" * 13]  # fmt: skip
    for name, r in t.iterrows():
        c = curves[name]
        heat.append(
            f"| `{name}` | {r.mass_kg_per_m2:,.0f} | {r.c_eff_kj_per_k_m2:.0f} ({r.iso13790_class}) "
            f"| {r.c_daily_kj_per_k_m2:.0f} | {r.c_cooldown_kj_per_k_m2:.0f} | {r.h_w_per_k_m2:.2f} "
            f"| {r.ventilation_share:.0%} | {r.design_load_w_per_m2:.0f} | {r.gas_stove_frac:.0%} "
            f"| {r.tau_iso_h:.0f} | {r.tau_daily_h:.0f} | {r.tau_h:.0f} | {c[24]:.1f} / {c[48]:.1f} / {c[72]:.1f} °C |"
        )
    inv = ["| archetype | layer | m2 per m2 floor | thickness m | kg per m2 floor | C daily kJ/(m2 K) | C cool-down kJ/(m2 K) |",
           "|" + "---|" * 7]  # fmt: skip
    for name in ARCHETYPES:
        for _, row in archetype(name).mass_inventory().iterrows():
            inv.append(f"| `{name}` | {row.layer} | {row.area_m2_per_m2:.2f} | {row.thickness_m:.3f} "
                       f"| {row.mass_kg_per_m2:.0f} | {row.c_daily_kj_per_k_m2:.0f} | {row.c_cooldown_kj_per_k_m2:.0f} |")  # fmt: skip
    src = ["| archetype | sources |", "|---|---|"]
    for name, r in t.iterrows():
        src.append(f"| `{name}` | {r.source} |")
    return {"envelope": "\n".join(env), "heat": "\n".join(heat), "inventory": "\n".join(inv), "sources": "\n".join(src)}


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
    print(archetype_table()[["h_total_w_per_k", "h_w_per_k_m2", "tau_iso_h", "tau_daily_h", "tau_h"]].round(2).to_string())


if __name__ == "__main__":
    main()
