"""Figures of the scenario briefs: matplotlib, object-oriented (no pyplot state), PNG and SVG.

Each function takes one or more *scenarios* — ``(name, Dataset)`` pairs of single-run Datasets (the
``result.nc`` contract; a sweep is split with :func:`sim.report.brief.split_scenarios`) — and returns a
:class:`matplotlib.figure.Figure`, or ``None`` when the data it needs are absent. :func:`render` turns a
figure into PNG bytes and SVG text; :func:`save` writes both into a folder.

Statistics come from :mod:`sim.stats` (percentiles over realizations, paired differences, duration
curves); nothing is re-estimated here. District level only: no coordinates anywhere.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from functools import partial
from pathlib import Path
from typing import Any

import matplotlib as mpl
import matplotlib.dates as mdates
import numpy as np
import xarray as xr
from babel.numbers import get_decimal_symbol
from matplotlib.figure import Figure
from matplotlib.ticker import FuncFormatter, MaxNLocator

from sim import keyfigures
from sim.io import atomic_write
from sim.keyfigures import Settings
from sim.report.i18n import Lang
from sim.report.numbers import sig
from sim.report.scenarios import has_result, missing_variables
from sim.stats import duration_survival, summarize
from sim.weighted_stats import median, probability, realization_weights

EN = Lang("en")

__all__ = [
    "COLORS",
    "NEEDS",
    "RenderedFigure",
    "district_chart",
    "duration_curves",
    "fan_chart",
    "heating_point_chart",
    "paired_histogram",
    "render",
    "save",
]

Scenario = tuple[str, xr.Dataset]

#: Scenario colours (colour-blind safe; the first is the baseline).
COLORS = ["#1f4e79", "#d9822b", "#2a9d8f", "#8e5ea2", "#c0392b", "#7f8c8d"]
INK = "#222222"
MUTED = "#6b7280"
CAPACITY = "#b91c1c"
FULL_W, HALF_W = 7.0, 3.45  # [in] A4 text width ~180 mm, one column ~88 mm

_RC: Any = {  # matplotlib rc parameters (typed by the stubs as literal keys)
    "font.family": "sans-serif",
    "font.sans-serif": ["Liberation Sans", "Arial", "Helvetica", "DejaVu Sans"],
    "font.size": 7.5,
    "axes.titlesize": 8.5,
    "axes.titleweight": "bold",
    "axes.titlelocation": "left",
    "axes.labelsize": 7.5,
    "axes.edgecolor": "#9ca3af",
    "axes.labelcolor": INK,
    "axes.spines.top": False,
    "axes.spines.right": False,
    "axes.grid": True,
    "axes.axisbelow": True,
    "grid.color": "#e5e7eb",
    "grid.linewidth": 0.6,
    "xtick.color": MUTED,
    "ytick.color": MUTED,
    "legend.frameon": False,
    "legend.fontsize": 7,
    "svg.hashsalt": "coldgrid",  # stable ids: the same data give the same SVG
    "svg.fonttype": "path",  # text as outlines: the SVG renders the same without the font
}


@dataclass
class RenderedFigure:
    """A figure rendered for the brief: ``svg`` text, and ``png`` bytes (rendered when first asked for, at
    ``dpi``: the HTML needs only the SVG); ``alt`` describes it."""

    name: str
    title: str
    caption: str
    alt: str
    svg: str
    figure: Figure | None = field(default=None, repr=False, compare=False)
    dpi: int = 150
    _png: bytes | None = field(default=None, repr=False, compare=False)

    @property
    def png(self) -> bytes:
        if self._png is None:
            buf = io.BytesIO()
            if self.figure is None:
                raise ValueError(f"figure {self.name!r} has no matplotlib figure to render as PNG")
            with mpl.rc_context(_RC):
                self.figure.savefig(buf, format="png", dpi=self.dpi, facecolor="white", metadata={"Software": None})
            self._png = buf.getvalue()
        return self._png


#: The variables each figure of the brief draws from: every group is needed, any one variable of a group will
#: do (the duration curves take the severe spells, else the hours below the long threshold).
NEEDS: dict[str, tuple[tuple[str, ...], ...]] = {
    "fan_chart": (("people_below_threshold",),),
    "districts": (("person_hours_below_threshold",), ("population",)),
    "duration": (("severe_spell_histogram", "cold_hours_histogram"),),
    "heating_points": (("heating_point_demand",),),
}


def has_data(ds: xr.Dataset, figure: str) -> bool:
    """Whether ``ds`` has what ``figure`` (a key of :data:`NEEDS`) draws from."""
    return has_result(ds) and all(any(v in ds for v in group) for group in NEEDS[figure])


def no_result(scenarios: Sequence[Scenario], figure: str) -> list[str]:
    """The names of the sweep scenarios that have no result for ``figure``: no values at all, or none of
    the variables it draws from (missing from the job's result; :func:`sim.report.scenarios.split_scenarios`).
    A run that simply does not record a variable is not listed: its figure is left out, as it always was."""
    out = []
    for name, ds in scenarios:
        missing = set(missing_variables(ds))
        if not has_result(ds) or any(all(v not in ds for v in g) and missing & set(g) for g in NEEDS[figure]):
            out.append(name)
    return out


def _no_result_handles(scenarios: Sequence[Scenario], figure: str, lang: Lang) -> list[Any]:
    """Legend entries "<scenario>: no result" (a cross in its colour) for the scenarios ``figure`` cannot
    draw, so that a missing curve never reads as a scenario with nothing to show."""
    from matplotlib.lines import Line2D

    missing = set(no_result(scenarios, figure))
    return [Line2D([], [], color=COLORS[i % len(COLORS)], lw=0, marker="x", ms=4, gid=f"no_result:{i}",
                   label=lang._("{name}: no result", name=_safe(name)))
            for i, (name, _ds) in enumerate(scenarios) if name in missing]


def _safe(text: str) -> str:
    """User text as plain matplotlib text (no mathtext from ``$``)."""
    return str(text).replace("$", r"\$")


def _compact(x: float, _pos: object = None, lang: Lang = EN) -> str:
    """Axis label: 1,200 -> 1.2k, 3,400,000 -> 3.4M (``uk``: 1,2 тис., 3,4 млн)."""
    a = abs(x)
    if a >= 1e6:
        text = lang._("{n}M", n=_mantissa(f"{x / 1e6:.1f}", lang))
    elif a >= 1e3:
        text = lang._("{n}k", n=_mantissa(f"{x / 1e3:.0f}" if a >= 1e4 else f"{x / 1e3:.1f}", lang))
    else:
        text = f"{x:.0f}"
    if text.lstrip("-") == "0":  # no negative zero
        return "0"
    return text.replace("-", "\N{MINUS SIGN}")  # −3k, a true minus as in the text


def _mantissa(text: str, lang: Lang) -> str:
    """``1.0`` -> ``1``, ``1.2`` -> ``1.2`` (``uk``: ``1,2``); no digit grouping (a tick of 1000k stays so)."""
    return text.removesuffix(".0").replace(".", get_decimal_symbol(lang.code))


def _compact_in(lang: Lang) -> FuncFormatter:
    """:func:`_compact` as a tick formatter in ``lang``."""
    return FuncFormatter(lambda x, pos: _compact(x, pos, lang))


def _figure(width: float, height: float) -> Figure:
    with mpl.rc_context(_RC):
        return Figure(figsize=(width, height), layout="constrained")


def _bands(da: xr.DataArray, weights: np.ndarray | None = None) -> dict[float, np.ndarray]:
    """Percentiles 5, 25, 50, 75, 95 over realizations (weighted for a conditioned nowcast), keyed by percentile."""
    q = summarize(da, percentiles=(5, 25, 50, 75, 95), weights=False if weights is None else weights)
    return {float(p): q.sel(percentile=p).values for p in q["percentile"].values}


def _pause_window(ds: xr.Dataset) -> tuple[np.datetime64, np.datetime64] | None:
    days = float(ds.attrs.get("pause_days", 0) or 0)
    if days <= 0:
        return None
    t0 = np.datetime64(ds["time"].values[0], "s")
    start = t0 + np.timedelta64(round(float(ds.attrs.get("pause_start_day", 0) or 0) * 86400), "s")
    end = min(start + np.timedelta64(round(days * 86400), "s"), np.datetime64(ds["time"].values[-1], "s"))
    return start, end


def _date_axis(ax, lang: Lang = EN, maxticks: int = 9) -> None:
    """Dates on the x axis; ``maxticks`` fewer on a half-width chart, so that "29 січ." labels do not overlap."""
    loc = mdates.AutoDateLocator(minticks=3, maxticks=maxticks)
    # a tick a day when 12 h are too many ticks and days too few (2 days with the axis margins on a half-width
    # chart): matplotlib's hourly intervals stop at 12, and without this it warns and falls back to 12
    loc.intervald[mdates.HOURLY] = [*loc.intervald[mdates.HOURLY], 24]
    ax.xaxis.set_major_locator(loc)
    if lang.code == "en":
        ax.xaxis.set_major_formatter(mdates.ConciseDateFormatter(loc, show_offset=False))
    else:
        ax.xaxis.set_major_formatter(FuncFormatter(lambda x, _p: lang.date(mdates.num2date(x), "d MMM")))


def fan_chart(scenarios: Sequence[Scenario], thresholds_c: Sequence[float] | None = None,
              lang: Lang = EN) -> Figure | None:
    """People below each of ``thresholds_c`` indoors over time (one panel each): median, 50 % and 90 % bands.

    Default thresholds: the run's long and severe thresholds (``people.long_exposure_c``,
    ``people.severe_exposure_c``; 16 and 12 °C). The pause window is shaded, strike waves are ticks at the
    top (darker where more runs have a wave at that hour), the outdoor temperature (median and 90 % band)
    is a strip underneath. Each median line carries ``gid="median:<threshold>:<scenario index>"`` and each
    band ``gid="band<lo>-<hi>:<threshold>:<scenario index>"``, so that tests can read what is plotted.
    """
    drawn = [ds for _n, ds in scenarios if has_data(ds, "fan_chart")]
    if not drawn:
        return None
    ds0 = drawn[0]
    s = Settings.from_dataset(ds0)
    wanted = list(thresholds_c) if thresholds_c is not None else [s.long_c, s.severe_c]
    have = ds0["threshold"].values.astype(float)
    wanted = [c for c in wanted if np.isclose(have, c).any()]
    if not wanted:
        return None
    with mpl.rc_context(_RC):
        fig = _figure(FULL_W, 1.0 + 1.55 * len(wanted))
        axes = fig.subplots(len(wanted) + 1, 1, sharex=True, height_ratios=[4] * len(wanted) + [1.25])
        ax_t = axes[-1]
        for k, (ax, c) in enumerate(zip(axes[:-1], wanted, strict=True)):
            for i, (name, ds) in enumerate(scenarios):
                if not has_data(ds, "fan_chart"):  # no result: a legend entry says so
                    continue
                color = COLORS[i % len(COLORS)]
                t = ds["time"].values
                w = realization_weights(ds)
                b = _bands(ds["people_below_threshold"].sel(threshold=float(have[np.argmin(np.abs(have - c))])), w)
                ax.fill_between(t, b[5], b[95], color=color, alpha=0.15, lw=0, gid=f"band5-95:{c:g}:{i}")
                ax.fill_between(t, b[25], b[75], color=color, alpha=0.32, lw=0, gid=f"band25-75:{c:g}:{i}")
                ax.plot(t, b[50], color=color, lw=1.6, label=_safe(name) if k == 0 else None, gid=f"median:{c:g}:{i}")
                window = _pause_window(ds)
                if window is not None:
                    ax.axvspan(*window, color=color, alpha=0.07, lw=0)
                    if k == 0:
                        ax.annotate(lang._("pause") if len(scenarios) == 1 else lang._("pause ({name})", name=_safe(name)),
                                    xy=(window[0], 1.0), xycoords=("data", "axes fraction"), xytext=(3, -10),
                                    textcoords="offset points", color=color, fontsize=6.5, va="top")
                if "waves" in ds and k == 0:
                    share = np.asarray(probability((ds["waves"] > 0).transpose("realization", ...).values, w))
                    tr = ax.get_xaxis_transform()
                    for j in np.nonzero(share > 0)[0]:
                        ax.plot([t[j], t[j]], [0.965 - 0.035 * i, 1.0 - 0.035 * i], transform=tr, color=color,
                                lw=1.1, alpha=float(0.25 + 0.75 * share[j]), solid_capstyle="butt")
            ax.set_ylim(bottom=0)
            ax.yaxis.set_major_formatter(_compact_in(lang))
            ax.set_ylabel(lang._("people below {c} °C", c=lang.exact(c)))
            ax.set_title(lang._("People below {c} °C indoors (median, 50 % and 90 % of runs)", c=lang.exact(c)))
        for ds in [d for d in drawn if "outdoor_temperature" in d][:1]:  # the first scenario's with one
            o = _bands(ds["outdoor_temperature"], realization_weights(ds))
            t = ds["time"].values
            ax_t.fill_between(t, o[5], o[95], color="#60a5fa", alpha=0.25, lw=0)
            ax_t.plot(t, o[50], color="#1d4ed8", lw=1.0, gid="outdoor_median")
        handles, _labels = axes[0].get_legend_handles_labels()
        from matplotlib.lines import Line2D
        from matplotlib.patches import Patch

        extra = [
            Patch(color=COLORS[0], alpha=0.32, lw=0, label=lang._("50 % of runs")),
            Patch(color=COLORS[0], alpha=0.15, lw=0, label=lang._("90 % of runs")),
            Line2D([], [], color=INK, lw=1.1, label=lang._("strike wave (darker: more runs)")),
        ]
        entries = handles + _no_result_handles(scenarios, "fan_chart", lang) + extra
        # one row when the labels fit the width, else two (a legend wider than the figure is clipped)
        chars = sum(len(str(h.get_label())) + 6 for h in entries)
        ncols = len(entries) if chars <= 115 else -(-len(entries) // 2)
        fig.legend(handles=entries, loc="outside lower center", ncols=ncols)
        ax_t.set_ylabel(lang._("outdoor °C"))
        ax_t.yaxis.set_major_locator(MaxNLocator(3))
        ax_t.axhline(0, color="#9ca3af", lw=0.5)
        _date_axis(ax_t, lang)
        return fig


def _per_1000(ds: xr.Dataset, threshold_c: float | None = None) -> xr.DataArray:
    """Person-days below ``threshold_c`` (default: the severe threshold) per 1,000 people present."""
    s = Settings.from_dataset(ds)
    if threshold_c is not None:
        s = replace(s, severe_c=float(threshold_c))
    return keyfigures.district_rate(ds, s)


def district_chart(scenarios: Sequence[Scenario], threshold_c: float | None = None,
                   lang: Lang = EN) -> Figure | None:
    """Districts ranked by the first scenario's ranking (:func:`sim.keyfigures.district_ranking`):
    person-days below the severe threshold per 1,000 people present (bar: median over runs, whiskers: the
    interval), and for the first scenario the share of runs in which the district is among the hardest hit.
    Bars carry ``gid="bar:<scenario index>:<district>"``."""
    drawn = [ds for _n, ds in scenarios if has_data(ds, "districts")]
    if not drawn:
        return None
    ds0 = drawn[0]
    s = Settings.from_dataset(ds0)
    if threshold_c is not None:
        s = replace(s, severe_c=float(threshold_c))
    lo_p, _mid, hi_p = s.percentiles
    ranking = keyfigures.district_ranking(ds0, s)
    # hardest hit on top; a district whose population is unknown has no rate and is not ranked: no bar
    names = [str(n) for n, p in zip(ranking["district"].values, ranking["p_top"].values, strict=True)
             if np.isfinite(p)][::-1]
    if not names:
        return None
    p_top = dict(zip([str(n) for n in ranking["district"].values], ranking["p_top"].values, strict=True))
    n, k = len(names), len(scenarios)
    with mpl.rc_context(_RC):
        fig = _figure(HALF_W, 0.9 + 0.24 * n * max(1, 0.7 * k))
        ax = fig.subplots()
        height = 0.8 / k
        y = np.arange(n)
        for i, (name, ds) in enumerate(scenarios):
            if not has_data(ds, "districts"):  # no result: a legend entry says so
                continue
            st = summarize(keyfigures.district_rate(ds, s).sel(district=names), percentiles=(lo_p, 50, hi_p),
                           weights=False if realization_weights(ds) is None else realization_weights(ds))
            med, lo, hi = (st.sel(percentile=p).values for p in (50.0, lo_p, hi_p))
            yy = y + (k - 1 - 2 * i) * height / 2
            bars = ax.barh(yy, med, height=height * 0.9, color=COLORS[i % len(COLORS)], label=_safe(name))
            for bar, dname in zip(bars, names, strict=True):
                bar.set_gid(f"bar:{i}:{dname}")
            ax.errorbar(med, yy, xerr=[med - lo, hi - med], fmt="none", ecolor=INK, elinewidth=0.7, capsize=1.5)
            if ds is ds0:
                for yv, (m, h, dname) in enumerate(zip(med, hi, names, strict=True)):
                    ax.annotate(lang.pct(p_top[dname]), xy=(max(m, h), yy[yv]), xytext=(3, 0),
                                textcoords="offset points", va="center", fontsize=6, color=MUTED)
        ax.set_yticks(y, [_safe(lang.place(x)) for x in names])
        ax.grid(axis="y", visible=False)
        ax.set_xlim(left=0)
        ax.margins(x=0.12)
        ax.xaxis.set_major_formatter(_compact_in(lang))
        ax.set_xlabel(lang._("person-days below {c} °C per 1,000 people present", c=lang.exact(s.severe_c)))
        ax.set_title(lang._("Districts ranked"))
        if k > 1:  # below the chart: inside it, it covered the last districts' bars and shares
            handles, _labels = ax.get_legend_handles_labels()
            fig.legend(handles=handles + _no_result_handles(scenarios, "districts", lang), loc="outside lower center",
                       ncols=1)
        return fig


def duration_curves(scenarios: Sequence[Scenario], histogram: str | None = None,
                    lang: Lang = EN) -> Figure | None:
    """Share of 65+ and under-5 (ever below the threshold) whose longest spell below it lasted at least t
    hours, per scenario: median over runs of each run's curve (:func:`sim.stats.duration_survival`).

    Default histogram: ``severe_spell_histogram`` (below the severe threshold, 12 °C) when present, else
    ``cold_hours_histogram`` (total hours below 16 °C). Lines carry ``gid="median:<age>:<scenario index>"``.
    """
    drawn = [ds for _n, ds in scenarios if has_data(ds, "duration")]
    if not drawn:
        return None
    ds0 = drawn[0]
    s = Settings.from_dataset(ds0)
    if histogram is None:
        histogram = "severe_spell_histogram" if "severe_spell_histogram" in ds0 else "cold_hours_histogram"
    if histogram not in ds0 or "age_group" not in ds0[histogram].dims:
        return None
    c = lang.exact(s.severe_c) if histogram == "severe_spell_histogram" else lang.exact(s.long_c)
    xlabel = (lang._("longest spell below {c} °C (hours)", c=c) if "spell" in histogram
              else lang._("hours below {c} °C (total)", c=c))
    groups = [(g, lab) for g, lab in (("65plus", lang._("aged 65+")), ("under5", lang._("under 5")))
              if g in ds0["age_group"].values]
    if not groups:
        return None
    with mpl.rc_context(_RC):
        fig = _figure(HALF_W, 2.3)
        axes = fig.subplots(1, len(groups), sharey=True, squeeze=False)[0]
        for ax, (g, lab) in zip(axes, groups, strict=True):
            for i, (name, ds) in enumerate(scenarios):
                if histogram not in ds or not has_result(ds):  # no result: a legend entry says so
                    continue
                surv = duration_survival(ds[histogram].sel(age_group=g))
                b = _bands(surv, realization_weights(ds))
                x = surv["duration_bin"].values
                color = COLORS[i % len(COLORS)]
                ax.fill_between(x, 100 * b[5], 100 * b[95], color=color, alpha=0.15, lw=0)
                ax.plot(x, 100 * b[50], color=color, lw=1.4, marker="o", ms=2, label=_safe(name), gid=f"median:{g}:{i}")
            ax.set_title(lang._("People {who}", who=lab), fontsize=7.5, loc="left")  # centred, it ran off the edge
            ax.set_ylim(0, 102)
            ax.set_xlim(left=0)
        axes[0].set_ylabel(lang._("% still cold after t hours"))
        if len(scenarios) > 1:  # below the panels: inside, it covered the curves
            # the x label on the axes (a figure supxlabel and a figure legend below would overlap)
            axes[0].set_xlabel(xlabel, fontsize=7.5, loc="left")
            handles, _labels = axes[-1].get_legend_handles_labels()
            fig.legend(handles=handles + _no_result_handles(scenarios, "duration", lang), loc="outside lower center",
                       ncols=1)
        else:
            fig.supxlabel(xlabel, fontsize=7.5)
        fig.suptitle(lang._("How long the cold lasts"), x=0.02, ha="left", fontsize=8.5, fontweight="bold")
        return fig


def heating_point_chart(scenarios: Sequence[Scenario], lang: Lang = EN) -> Figure | None:
    """Concurrent heating-point demand (median and 90 % band) against capacity, the key figure "at the
    peak" (median over runs of each run's peak, dotted) and diesel L/day on a second axis."""
    drawn = [ds for _n, ds in scenarios if has_data(ds, "heating_points")]
    if not drawn:
        return None
    ds0 = drawn[0]
    with mpl.rc_context(_RC):
        fig = _figure(HALF_W, 2.6)
        ax = fig.subplots()
        ax2 = ax.twinx() if "diesel_consumption" in ds0 else None
        for i, (name, ds) in enumerate(scenarios):
            if not has_data(ds, "heating_points"):  # no result: a legend entry says so
                continue
            color = COLORS[i % len(COLORS)]
            t = ds["time"].values
            w = realization_weights(ds)
            b = _bands(ds["heating_point_demand"], w)
            ax.fill_between(t, b[5], b[95], color=color, alpha=0.18, lw=0)
            ax.plot(t, b[50], color=color, lw=1.4, gid=f"median:demand:{i}",
                    label=lang._("demand, {name}", name=_safe(name)) if len(scenarios) > 1 else lang._("demand (places)"))
            peak = float(median(ds["heating_point_demand"].max("time").values, w))
            ax.axhline(peak, color=color, lw=0.8, ls=":", gid=f"peak:demand:{i}",
                       label=lang._("at the peak (median of each run's peak)") if ds is ds0 else None)
            if ax2 is not None and "diesel_consumption" in ds:
                d = summarize(ds["diesel_consumption"], weights=False if w is None else w).sel(percentile=50).values
                days = ds["day"].values.astype("datetime64[s]")
                edges = np.append(days, days[-1] + np.timedelta64(1, "D"))
                ax2.stairs(d, edges, color=color if len(scenarios) > 1 else MUTED, lw=1.0, ls=(0, (3, 1.5)),
                           label=lang._("diesel L/day") if ds is ds0 else None, gid=f"diesel:{i}")
        if "heating_point_capacity" in ds0:
            cap = float(ds0["heating_point_capacity"].max())
            ax.axhline(cap, color=CAPACITY, lw=1.1, ls="--", label=lang._("capacity (places)"), gid="capacity")
        ax.set_ylim(bottom=0)
        ax.yaxis.set_major_formatter(_compact_in(lang))
        ax.set_ylabel(lang._("heating-point places"))
        ax.set_title(lang._("Heating-point demand and diesel"))
        handles, labels = ax.get_legend_handles_labels()
        gone = _no_result_handles(scenarios, "heating_points", lang)
        handles, labels = handles + gone, labels + [str(h.get_label()) for h in gone]
        if ax2 is not None:
            ax2.set_ylim(bottom=0)
            ax2.grid(False)
            ax2.spines["right"].set_visible(True)
            ax2.yaxis.set_major_formatter(_compact_in(lang))
            ax2.set_ylabel(lang._("diesel (L/day)"), color=MUTED)
            h2, l2 = ax2.get_legend_handles_labels()
            handles, labels = handles + h2, labels + l2
        fig.legend(handles, labels, loc="outside lower center", ncols=min(len(handles), 2), fontsize=6.5)
        _date_axis(ax, lang, maxticks=5)
        return fig


def paired_histogram(panels: Sequence[tuple[str, np.ndarray, str]], title: str, lang: Lang = EN) -> Figure | None:
    """Histograms of paired differences (alternative minus baseline, realization by realization).

    ``panels``: ``(x label, differences, unit)``; each panel marks the median (solid) and p5/p95 (dashed).
    """
    panels = [p for p in panels if np.asarray(p[1]).size]
    if not panels:
        return None
    with mpl.rc_context(_RC):
        fig = _figure(FULL_W, 2.2)
        axes = fig.subplots(1, len(panels), squeeze=False)[0]
        for j, (ax, (label, diff, _unit)) in enumerate(zip(axes, panels, strict=True)):
            diff = np.asarray(diff, dtype=float)
            bins = min(30, max(5, int(np.sqrt(diff.size)) * 2))
            ax.hist(diff, bins=bins, color=COLORS[1], alpha=0.85, edgecolor="white", linewidth=0.4)
            p5, p50, p95 = np.percentile(diff, [5, 50, 95])
            # legend values rounded as in the text (two significant digits: −260k, not −257k)
            lo, mid, hi = (_compact(sig(v), None, lang) for v in (p5, p50, p95))
            ax.axvline(p50, color=INK, lw=1.4, label=lang._("median {v}", v=mid), gid=f"median:{j}")
            ax.axvline(p5, color=INK, lw=0.9, ls="--", gid=f"p5:{j}",
                       label=lang._("5th and 95th percentiles {lo}, {hi}", lo=lo, hi=hi))
            ax.axvline(p95, color=INK, lw=0.9, ls="--", gid=f"p95:{j}")
            ax.axvline(0, color=MUTED, lw=0.6)
            ax.xaxis.set_major_formatter(_compact_in(lang))
            ax.xaxis.set_major_locator(MaxNLocator(5))  # long labels ("−12,5 млн") need room
            ax.set_xlabel(_safe(label))
            ax.set_ylabel(lang._("runs"))
            ax.grid(axis="x", visible=False)
            ax.legend(loc="best", fontsize=6.5, frameon=True, framealpha=0.9, edgecolor="none")
        fig.suptitle(_safe(title), x=0.02, ha="left", fontsize=8.5, fontweight="bold")
        return fig


def render(fig: Figure, name: str, title: str, caption: str, alt: str, dpi: int = 150) -> RenderedFigure:
    """Render ``fig`` to SVG text (no date metadata: reproducible); its PNG (``dpi``) follows on demand."""
    svg = io.BytesIO()
    with mpl.rc_context(_RC):
        fig.savefig(svg, format="svg", facecolor="white", metadata={"Date": None})
    return RenderedFigure(name, title, caption, alt, svg.getvalue().decode("utf-8"), fig, dpi)


def save(figures: Sequence[RenderedFigure], folder: Path) -> list[Path]:
    """Write every figure as ``<name>.png`` and ``<name>.svg`` into ``folder`` (atomically)."""
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for f in figures:
        paths.append(atomic_write(folder / f"{f.name}.png", partial(Path.write_bytes, data=f.png)))
        paths.append(atomic_write(folder / f"{f.name}.svg", partial(Path.write_text, data=f.svg, encoding="utf-8")))
    return paths
