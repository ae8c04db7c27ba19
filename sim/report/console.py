"""What a run and a sweep print at their end: the answer, not only the paths.

Both read the same tables as the CSVs (:func:`sim.report.exports.headline_frame`,
:func:`sim.stats.comparison_table` rows of ``comparison.csv``), so the console, the CSVs and the brief agree.
"""

from __future__ import annotations

from collections.abc import Sequence

import pandas as pd

from sim.report.exports import fmt_value
from sim.report.frames import series_at
from sim.report.numbers import pct, signed

__all__ = ["comparison_summary", "run_summary"]


def _table(rows: Sequence[tuple[str, ...]], header: tuple[str, ...]) -> str:
    widths = [max(len(r[i]) for r in [header, *rows]) for i in range(len(header))]
    fmt = "  ".join(("{:<" if i == 0 else "{:>") + f"{w}}}" for i, w in enumerate(widths))
    return "\n".join(fmt.format(*r).rstrip() for r in [header, *rows])


def run_summary(frame: pd.DataFrame) -> str:
    """Plain-text summary of a run: every city figure with its median, interval and Monte Carlo error.

    ``frame`` is :func:`sim.report.exports.headline_frame`; lead figures first, marked ``*``.
    """
    city = frame[frame["adm5_name"] == ""]
    lo, hi = [c for c in city.columns if c.startswith("p") and c[1:].replace(".", "").isdigit() and c != "p50"]
    city = pd.concat([city[city["lead"].astype(bool)], city[~city["lead"].astype(bool)]])
    rows = []
    for _, r in city.iterrows():
        mark = "*" if bool(r["lead"]) else " "
        ceil = " (ceiling)" if bool(r["at_ceiling"]) else ""
        err = float(r["mc_rel_error"])
        # as the brief: an error of 100 % or more is "over ±100 %", not a capped "±100 %"
        mc = "" if pd.isna(err) else (("±" + pct(err) if err < 1 else "over ±100 %")
                                      + ("" if bool(r["mc_enough"]) else " !"))
        # a figure that is not available (NaN: over an unknown population) says so once, with no interval
        a, b = fmt_value(r[lo], r["unit"]), fmt_value(r[hi], r["unit"])
        interval = "" if pd.isna(r[lo]) and pd.isna(r[hi]) else (a if a == b else f"{a} - {b}") + ceil
        rows.append((f"{mark} {r['label']}", fmt_value(r["p50"], r["unit"]), interval, str(r["unit"]), mc))
    n_short = int((~city["mc_enough"].astype(bool)).sum())
    note = ("* lead figure. MC: Monte Carlo error of the median (half-width of its "
            "confidence interval over the median); ! = more realizations needed"
            f" ({n_short} of {len(city)} figures)." if n_short else
            "* lead figure. MC: Monte Carlo error of the median; the realizations were enough for every figure.")
    return _table(rows, ("figure", "median", f"{lo} - {hi}", "unit", "MC")) + "\n" + note


#: Figures a sweep prints per pair (those present), in this order.
SWEEP_FIGURES = ["person_days_below_12", "people_below_12_worst_day", "people_cold_72h", "people_below_16_mean",
                 "heating_point_demand_peak", "generators_peak", "diesel_l_per_day_mean", "buildings_frozen_peak",
                 "people_cold_24h"]


def comparison_summary(table: pd.DataFrame) -> str:
    """Plain-text comparison of a sweep: per pair, the lead figures' medians, the median of paired
    differences with its interval, and the probability of a cut (``comparison.csv`` rows)."""
    if table is None or table.empty or "figure" not in table.columns:
        return "coldgrid: no paired comparison (fewer than two comparable jobs)"
    names = table["adm5_name"].fillna("") if "adm5_name" in table.columns else pd.Series("", index=table.index)
    city = table[(names == "") & table["figure"].notna() & (table["figure"] != "")]
    prob_col = next((c for c in table.columns if c.startswith("prob_reduction")), None)
    diff_cols = [c for c in table.columns if c.startswith("diff_p") and c != "diff_p50"]
    out = []
    for (scen, base), grp in city.groupby(["scenario", "baseline"], sort=False):
        grp = grp.set_index("figure")
        rows = []
        for key in [k for k in SWEEP_FIGURES if k in grp.index]:
            r = series_at(grp, key)
            unit = str(r["unit"])
            ends = [signed(r[c]) for c in diff_cols] if len(diff_cols) == 2 else []
            rng = "" if not ends else ends[0] if ends[0] == ends[1] else f"{ends[0]} to {ends[1]}"
            prob = "" if prob_col is None or pd.isna(r[prob_col]) else pct(float(r[prob_col]))
            rows.append((str(r["label"]), fmt_value(r["baseline_p50"], unit), fmt_value(r["scenario_p50"], unit),
                         signed(r["diff_p50"]), rng, prob))
        out.append(f"{scen}  against  {base}")
        cut = prob_col.split("_")[-1] if prob_col else ""
        out.append(_table(rows, ("figure", "baseline", "scenario", "median of paired diff.", "range",
                                 f"P(cut >= {cut} %)")))
        out.append("")
    # a pair with no figures (not paired, not compared, a failed job): its note, once, in place of numbers
    note = table["note"].fillna("").astype(str) if "note" in table.columns else pd.Series("", index=table.index)
    notes = table[~table.index.isin(city.index) & note.ne("")]
    for _i, r in notes.drop_duplicates(["scenario", "baseline", "note"]).iterrows():
        base = "" if pd.isna(r["baseline"]) or not str(r["baseline"]) else f"  against  {r['baseline']}"
        out.append(f"{r['scenario']}{base}: {r['note']}")
    if len(notes):
        out.append("")
    if len(city):
        out.append("Medians of each scenario, and the median of the run-by-run differences (same seed): "
                   "not the difference of the two medians.")
    elif not len(notes):
        return "coldgrid: no paired comparison (fewer than two comparable jobs)"
    return "\n".join(out).rstrip("\n")
