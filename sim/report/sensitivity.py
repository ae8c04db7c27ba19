"""The sensitivity section of a comparison brief: which assumptions move the answer (``sobol.nc``).

A Sobol sweep (``coldgrid -m experiment=sobol``, :mod:`sim.sensitivity`) writes ``sobol.nc`` next to the
``sweep.nc`` of its nominal point; :func:`sim.report.brief.render_comparison` then adds this section: a bar
chart of the total indices (with their intervals, first-order indices as a lighter bar) for one lead figure
under the baseline policy and for the pause's paired effect, a table of the largest total indices of every
lead figure, the largest interactions (second-order indices when computed, otherwise ST - S1), and the
share of Monte Carlo noise. Numbers are read from ``sobol.nc``; nothing is re-estimated here.
"""

from __future__ import annotations

import json
import textwrap
from pathlib import Path
from typing import Any

import matplotlib as mpl
import numpy as np
import xarray as xr
from matplotlib.figure import Figure

from sim.report import figures as _fig
from sim.report.i18n import Lang

SOBOL_NC = "sobol.nc"
#: The figure shown in the chart: the robust measure of the comparison brief, else the first one.
MAIN_FIGURE = "person_days_below_12"
EN = Lang("en")
#: An interaction counts as clear of zero when its interval's lower end is above this share. [1]
CLEAR = 0.01


def load(sweep_dir: str | Path) -> xr.Dataset | None:
    """``sobol.nc`` of a sweep folder, loaded, or None."""
    path = Path(sweep_dir) / SOBOL_NC
    if not path.is_file():
        return None
    with xr.open_dataset(path, engine="netcdf4") as ds:
        return ds.load()


def _main_figure(ds: xr.Dataset) -> int:
    figs = [str(f) for f in ds["figure"].values]
    return figs.index(MAIN_FIGURE) if MAIN_FIGURE in figs else 0


def _panels(ds: xr.Dataset) -> list[int]:
    """The scenario rows shown: the baseline level (first 'level' row that is some row's baseline, else the
    first) and the first paired difference."""
    quantity = [str(q) for q in ds["quantity"].values]
    names = [str(s) for s in ds["scenario"].values]
    bases = {str(b) for b in ds["baseline"].values if str(b)}
    level = next((i for i, (q, n) in enumerate(zip(quantity, names, strict=True)) if q == "level" and n in bases),
                 quantity.index("level") if "level" in quantity else 0)
    out = [level]
    if "paired_difference" in quantity:
        out.append(quantity.index("paired_difference"))
    return out


def _label(ds: xr.Dataset, p: int, lang: Lang) -> str:
    text = str(ds["parameter_label"].values[p])
    return lang._(text) if text else str(ds["parameter"].values[p])


def pretty(label: str) -> str:
    """A scenario label for readers: ``attacks=pause_week`` -> ``pause week`` (other overrides as given)."""
    return " ".join(o.removeprefix("attacks=").replace("_", " ") for o in str(label).split())


def _title(ds: xr.Dataset, a: int, lang: Lang) -> str:
    if str(ds["quantity"].values[a]) == "paired_difference":
        alt = str(ds["scenario"].values[a]).split(" - ")[0]
        return lang._("The pause's effect: {s}", s=f"{pretty(alt)} − {pretty(str(ds['baseline'].values[a]))}")
    return lang._("Level under {s}", s=pretty(str(ds["scenario"].values[a])))


def chart(ds: xr.Dataset, lang: Lang = EN) -> Figure | None:
    """Bars of the total index of every parameter (whiskers: its interval), first-order index lighter."""
    f = _main_figure(ds)
    panels = [a for a in _panels(ds) if np.isfinite(ds["ST"].values[a, f]).any()]
    if not panels:
        return None
    order = np.argsort(-np.nan_to_num(ds["ST"].values[panels[0], f], nan=-1.0))
    n = len(order)
    with mpl.rc_context(_fig._RC):
        fig = _fig._figure(_fig.FULL_W, 0.9 + 0.2 * n)
        axes = fig.subplots(1, len(panels), squeeze=False, sharey=True)[0]
        y = np.arange(n)
        for j, (ax, a) in enumerate(zip(axes, panels, strict=True)):
            st, stc = ds["ST"].values[a, f][order], ds["ST_conf"].values[a, f][order]
            s1 = ds["S1"].values[a, f][order]
            ax.barh(y, np.nan_to_num(st), color=_fig.COLORS[0], height=0.7, label=lang._("total (ST)"),
                    gid=f"st:{j}")
            ax.errorbar(np.nan_to_num(st), y, xerr=np.nan_to_num(stc), fmt="none", ecolor=_fig.INK, lw=0.8,
                        capsize=2)
            ax.barh(y, np.clip(np.nan_to_num(s1), 0, None), color=_fig.COLORS[1], height=0.35,
                    label=lang._("first order (S1)"), gid=f"s1:{j}")
            ax.axvline(0, color=_fig.MUTED, lw=0.6)
            ax.set_xlim(0, max(1.0, float(np.nanmax(np.nan_to_num(st + stc))) * 1.05))
            # wrapped: with the long parameter labels on the left, a panel is narrow
            ax.set_title(textwrap.fill(_fig._safe(_title(ds, a, lang)), 30), fontsize=7.5, loc="left")
            ax.invert_yaxis() if j == 0 else None
            ax.grid(axis="y", visible=False)
        fig.supxlabel(lang._("share of the variance between samples"), fontsize=7.5)  # one label for all panels
        axes[0].set_yticks(y, [_fig._safe(_label(ds, int(p), lang)) for p in order])
        axes[0].legend(loc="lower right", fontsize=6.5, frameon=True, framealpha=0.9, edgecolor="none")
        return fig


def _interactions(ds: xr.Dataset, a: int, f: int, lang: Lang, k: int = 3) -> list[dict]:
    """The largest interactions: second-order indices when computed, else each parameter's ST - S1."""
    rows = []
    if "S2" in ds:
        s2, c2 = ds["S2"].values[a, f], ds["S2_conf"].values[a, f]
        pairs = [(i, j) for i in range(s2.shape[0]) for j in range(i + 1, s2.shape[1]) if np.isfinite(s2[i, j])]
        pairs.sort(key=lambda ij: -s2[ij])
        for i, j in pairs[:k]:
            rows.append({"what": f"{_label(ds, i, lang)} × {_label(ds, j, lang)}", "kind": "S2",
                         "value": lang.num(float(s2[i, j])), "conf": lang.num(float(c2[i, j])),
                         "clear": bool(s2[i, j] - c2[i, j] > CLEAR)})
        return rows
    st, s1 = ds["ST"].values[a, f], ds["S1"].values[a, f]
    conf = np.hypot(ds["ST_conf"].values[a, f], ds["S1_conf"].values[a, f])
    for p in np.argsort(-np.nan_to_num(st - s1, nan=-1.0))[:k]:
        if not np.isfinite(st[p] - s1[p]):
            continue
        rows.append({"what": _label(ds, int(p), lang), "kind": "ST − S1", "value": lang.num(float(st[p] - s1[p])),
                     "conf": lang.num(float(conf[p])), "clear": bool(st[p] - s1[p] - conf[p] > CLEAR)})
    return rows


def content(ds: xr.Dataset, lang: Lang = EN, settings: object | None = None) -> dict:
    """What the sensitivity section says (see the module docstring); ``settings``: the nominal run's
    :class:`sim.keyfigures.Settings` (thresholds in the figure labels)."""
    _ = lang._
    f = _main_figure(ds)
    panels = _panels(ds)
    a0 = panels[0]
    figure_label = str(ds["figure_label"].values[f])
    from sim import keyfigures

    labels = {d.key: d.label for d in keyfigures.FIGURES}
    ranked = []
    for g, key in enumerate(ds["figure"].values):
        row: dict[str, Any] = {"figure": str(key), "cells": []}
        for a in panels:
            st, conf = ds["ST"].values[a, g], ds["ST_conf"].values[a, g]
            top = [int(p) for p in np.argsort(-np.nan_to_num(st, nan=-1.0))[:3] if np.isfinite(st[p])]
            row["cells"].append(", ".join(f"{_label(ds, p, lang)} {lang.num(float(st[p]))} ± {lang.num(float(conf[p]))}"
                                          for p in top) or "–")
        ranked.append(row)
    for row, fl in zip(ranked, ds["figure_label"].values, strict=True):
        key = row["figure"]
        row["label"] = _translated_label(labels.get(key), str(fl), settings, lang)
    noise = [float(ds["mc_noise_share"].values[a, f]) for a in panels]
    rows = len(ds["sample"])
    n_params = ds.sizes["parameter"]
    return {
        "figure_label": _translated_label(labels.get(str(ds["figure"].values[f])), figure_label, settings, lang),
        "intro": _("Which assumptions move the answer: Sobol indices over {p} uncertain parameters, {n} model runs "
                   "per scenario ({N} base samples), every run with the same seed.", p=n_params, n=rows,
                   N=int(ds.attrs.get("samples", 0))),
        "reading": _("The total index (ST) is the share of the variation of a figure between samples that would "
                     "disappear if the parameter were known exactly, interactions included; the first-order index "
                     "(S1) is the part it causes alone. Whiskers: {c} % bootstrap interval. A parameter whose "
                     "interval reaches 0 cannot be told from no effect at this sample size.",
                     c=lang.exact(100 * float(ds.attrs.get('confidence', 0.95)))),
        "columns": [_title(ds, a, lang) for a in panels],
        "ranked": ranked,
        "interactions": _interactions(ds, a0, f, lang),
        "interaction_kind": "S2" if "S2" in ds else "ST − S1",
        "noise": _("Monte Carlo noise: {v} of the variance between samples ({s}); below a few per cent the indices "
                   "describe the parameters, not the randomness of the runs.",
                   v=" / ".join(lang.pct(x) if np.isfinite(x) else "–" for x in noise),
                   s=" / ".join(_title(ds, a, lang) for a in panels)),
        "parameters": [{"label": _label(ds, p, lang), "key": str(ds["parameter"].values[p]),
                        "range": str(ds["distribution"].values[p]) + " " + bounds_text(str(ds["bounds"].values[p]), lang)
                        + (" × " + _("configured value") if int(ds["relative"].values[p]) else ""),
                        "source": str(ds["source"].values[p])} for p in range(n_params)],
    }


def bounds_text(recorded: str, lang: Lang) -> str:
    """A parameter's recorded bounds (JSON, "[0.5, 1.5]") in the brief's locale: English as recorded,
    otherwise each number locale-aware and separated by "; " (a decimal comma would make ", " ambiguous).
    Text that is not a list of numbers stays as recorded."""
    if lang.code == "en":
        return recorded
    try:
        values = [float(x) for x in json.loads(recorded)]
    except (ValueError, TypeError):
        return recorded
    return "[" + "; ".join(lang.exact(v) for v in values) + "]"


def _translated_label(msgid: str | None, fallback: str, settings: object | None, lang: Lang) -> str:
    """A lead figure's label in ``lang`` (the keyfigures message id with the run's thresholds)."""
    if msgid is None or lang.code == "en":
        return fallback
    from sim.keyfigures import Settings

    s = settings if isinstance(settings, Settings) else Settings()
    try:
        return lang._(msgid).format(**s.placeholders(lang.exact))
    except (KeyError, IndexError):
        return fallback
