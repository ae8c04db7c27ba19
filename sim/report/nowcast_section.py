"""The brief's section of a nowcast: "conditioned on reports up to <as_of>".

For a run conditioned on city reports (:mod:`sim.nowcast`: ``realization_weight``, the reports on a
``report`` dimension, ``nowcast_status``), the section shows each report against what the ensemble
expected before the reports (the prior: the realizations simulated from ``start``, ``generation`` 0, with
equal weights) and after them (the conditioned ensemble: every realization with its weight), the
effective sample size and the rejuvenations; a figure draws the city's buildings without heat (prior and
conditioned median and 90 % band, the reports as points) and the effective sample size over time. When
the ensemble collapsed, :func:`nowcast_content` says so, and the brief withholds its key figures.
"""

from __future__ import annotations

import numpy as np
import xarray as xr
from matplotlib.figure import Figure

from sim.predicted_reports import predict_table, to_datetime64
from sim.report.i18n import Lang
from sim.smc import nowcast_state
from sim.weighted_stats import weighted_quantile

__all__ = ["has_nowcast", "nowcast_chart", "nowcast_content"]

EN = Lang("en")

#: Reports shown in the section's table (the latest ones); the rest are in result.nc.
MAX_ROWS = 12


def has_nowcast(ds: xr.Dataset) -> bool:
    """Whether ``ds`` is a nowcast (conditioned on at least one report)."""
    return "report" in ds.dims and int(ds.sizes["report"]) > 0 and "realization_weight" in ds


def _prior_weights(ds: xr.Dataset) -> np.ndarray:
    """Equal weights on the realizations simulated from ``start`` (generation 0), zero on restarted ones."""
    gen0 = (ds["generation"].values == 0) if "generation" in ds else np.ones(ds.sizes["realization"], bool)
    return gen0 / gen0.sum()


def _time(t: np.datetime64, lang: Lang) -> str:
    return f"{lang.date(t, 'd MMM')} {str(to_datetime64(t, 'm'))[11:16]}"


def _quantity(q: str, lang: Lang) -> str:
    return {
        "buildings_without_heat": lang._("buildings without heat"),
        "share_without_power": lang._("share of residents without power"),
        "queues_off": lang._("outage queues off"),
    }.get(q, q)


def _value(q: str, v: float, lang: Lang) -> str:
    return lang.pct(v) if q == "share_without_power" else lang.num(v, 2) if q == "queues_off" else lang.count(v)


def _band(q: str, x: np.ndarray, w: np.ndarray, lang: Lang) -> tuple[str, str]:
    lo, med, hi = weighted_quantile(x, w, [0.05, 0.5, 0.95])
    return _value(q, med, lang), f"{_value(q, lo, lang)}–{_value(q, hi, lang)}"


def nowcast_content(ds: xr.Dataset, lang: Lang = EN) -> dict | None:
    """The section's text and table; None for a run without reports.

    Returns ``title``, ``summary`` (one sentence: reports, ESS, rejuvenations), ``collapsed`` (bool),
    ``withheld`` (the sentence shown instead of the key figures when collapsed), ``status`` (the run's
    one-line ``nowcast_status``, English) and ``rows`` (per report, latest first: time, place, quantity,
    reported value, prior and conditioned median and 5-95 % range).
    """
    if not has_nowcast(ds):
        return None
    _ = lang._
    w = ds["realization_weight"].values.astype(float)
    w0 = _prior_weights(ds)
    predicted = predict_table(ds)  # (R, K)
    times = ds["report_time"].values
    order = np.argsort(times, kind="stable")[::-1][:MAX_ROWS]
    rows = []
    for k in order:
        q = str(ds["report_quantity"].values[k])
        place = str(ds["report_district"].values[k])
        prior_med, prior_rng = _band(q, predicted[:, k], w0, lang)
        cond_med, cond_rng = _band(q, predicted[:, k], w, lang)
        rows.append({
            "time": _time(times[k], lang),
            "place": _("the city") if place == "city" else lang.place(place),
            "quantity": _quantity(q, lang),
            "reported": _value(q, float(ds["report_value"].values[k]), lang),
            "prior": prior_med, "prior_range": prior_rng, "conditioned": cond_med, "conditioned_range": cond_rng,
        })
    n = int(ds.attrs.get("nowcast_prior_realizations", ds.sizes["realization"]))
    ess = float(ds["effective_sample_size"].values[-1])
    restarts = int(ds.attrs.get("nowcast_restarts", 0))
    status = str(ds.attrs.get("nowcast_status", ""))
    collapsed = nowcast_state(ds.attrs) == "collapsed"
    as_of = np.datetime64(str(ds.attrs.get("nowcast_as_of", str(times.max()))))
    summary = (lang.n_("{count} report assimilated", "{count} reports assimilated", int(ds.sizes["report"]),
                       count=int(ds.sizes["report"])) + "; "
               + _("effective sample size after the last report {ess} of {runs} runs", ess=lang.num(ess, 2),
                   runs=lang.count(n)) + "; "
               + lang.n_("the ensemble was rejuvenated {k} time (runs restarted from the reported state)",
                         "the ensemble was rejuvenated {k} times (runs restarted from the reported state)",
                         restarts, k=restarts) + ".")
    return {
        "title": _("Conditioned on reports up to {as_of}", as_of=_time(as_of, lang)),
        "summary": summary,
        "collapsed": collapsed,
        "withheld": _("The model cannot reproduce the city's reports (the ensemble collapsed): the key figures are "
                      "withheld. Check the reports and the scenario; the section below shows which report the "
                      "ensemble expected least."),
        "explain": _("Prior: what the model expected from the start of the run, before any report. Conditioned: "
                     "the runs weighted by how well they reproduce the reports (and runs restarted from the "
                     "reported state when too few did). Every figure of this brief uses the conditioned weights."),
        "status": status,
        "rows": rows,
    }


def nowcast_chart(ds: xr.Dataset, lang: Lang = EN) -> Figure | None:
    """Buildings without heat in the city (prior and conditioned median and 90 % band, reports as points)
    and the effective sample size over time (rejuvenations marked); None without reports."""
    from sim.report.figures import COLORS, MUTED, _compact, _date_axis, _figure

    if not has_nowcast(ds) or "buildings_without_heat" not in ds:
        return None
    _ = lang._
    t = ds["time"].values
    city = ds["buildings_without_heat"].sum("district").transpose("realization", "time").values.astype(float)
    fig = _figure(7.2, 3.6)
    ax, ax_e = fig.subplots(2, 1, sharex=True, height_ratios=[3, 1.2])
    for w, color, label in ((_prior_weights(ds), MUTED, _("prior")),
                            (ds["realization_weight"].values.astype(float), COLORS[0], _("conditioned"))):
        lo, med, hi = weighted_quantile(city, w, [0.05, 0.5, 0.95])
        ax.fill_between(t, lo, hi, color=color, alpha=0.18, lw=0)
        ax.plot(t, med, color=color, lw=1.5, label=label, gid=f"nowcast:{label}")
    # the reports as city totals: a city report, or the sum of districts when every district reported
    q = ds["report_quantity"].values
    rt, rv = ds["report_time"].values, ds["report_value"].values.astype(float)
    place = np.array([str(p).lower() for p in ds["report_district"].values])
    n_d = ds.sizes["district"]
    pts = []
    for tt in np.unique(rt[q == "buildings_without_heat"]):
        at = (rt == tt) & (q == "buildings_without_heat")
        is_city = np.isin(place[at], ["city", "all districts"])
        if is_city.any():
            pts.append((tt, float(rv[at][is_city][0])))
        elif at.sum() == n_d:
            pts.append((tt, float(rv[at].sum())))
    if pts:
        ax.plot([p[0] for p in pts], [p[1] for p in pts], "o", color="#b91c1c", ms=4, label=_("reported"),
                gid="nowcast:reports")
    as_of = np.datetime64(str(ds.attrs.get("nowcast_as_of", str(rt.max()))))
    for a in (ax, ax_e):
        a.axvline(as_of, color="#444444", lw=0.8, ls="--")
    ax.set_ylabel(_("buildings without heat"))
    ax.yaxis.set_major_formatter(_compact)
    ax.legend(loc="upper left", fontsize=7, frameon=False)
    ax_e.plot(t, ds["effective_sample_size"].values, color=COLORS[0], lw=1.2, gid="nowcast:ess")
    if "restarted" in ds:
        for tt in ds["assimilation_time"].values[ds["restarted"].values.astype(bool)]:
            ax_e.axvline(tt, color="#b91c1c", lw=0.8, ls=":")
    ax_e.set_ylabel(_("effective runs"))
    ax_e.set_ylim(bottom=0)
    _date_axis(ax_e, lang)
    return fig
