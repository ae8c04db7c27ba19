"""The tables a run writes next to ``result.nc``: ``headline.csv``, ``triggers.csv`` and ``events.csv``.

``headline.csv`` holds every key figure of the brief, for the city and by district, with the same values
the brief shows (the brief is built from :func:`headline_frame` itself): median, interval, Monte Carlo
error, ceiling, and the district ranking (share of runs in which a district is among the hardest hit).
All three are HXL-tagged (:mod:`sim.report.hxl`).
"""

from __future__ import annotations

import functools
from pathlib import Path

import numpy as np
import pandas as pd
import xarray as xr

from sim import keyfigures, stats
from sim.io import write_csv
from sim.keyfigures import Settings
from sim.report import numbers
from sim.report.hxl import hxl_tags, write_headline_csv
from sim.report.i18n import LANGUAGES, Lang
from sim.report.triggers import trigger_table
from sim.smc import nowcast_state

__all__ = ["events_in_calendar_time", "fmt_value", "headline_frame", "write_run_tables"]

#: Units shown as whole counts.
COUNT_UNITS = {"people", "households", "buildings", "places", "points", "generators", "person-days"}


def fmt_value(x: float, unit: str, locale: str = "en") -> str:
    """A figure's median as the brief shows it (counts whole, then two significant digits); "not available"
    (in ``locale``'s words) for a figure that has none (NaN: a rate or share over an unknown population)."""
    if not np.isfinite(x):
        return Lang(locale if locale in LANGUAGES else "en")._("not available")
    return numbers.count(x, locale) if unit in COUNT_UNITS else numbers.num(x, locale=locale)


def _district_ceiling(unit: str, population: float) -> float:
    return population if unit == "people" else 100.0 if unit == "%" else float("nan")


def headline_frame(ds: xr.Dataset, settings: Settings | None = None, locale: str = "en") -> pd.DataFrame:
    """Every figure of a run's brief: city rows (``adm5_name`` empty), then one row per figure and district.

    Columns are those of :func:`sim.stats.headline_table` plus ``adm5_code``, ``adm5_name`` and ``shown``
    (the median as the English brief prints it). Two figures exist only here: ``hardest_hit_share`` (per
    district: share of runs, in %, in which it is among the ``output.top_districts`` hardest hit) and
    ``person_days_below_12_per_1000`` (person-days below the severe threshold per 1,000 people present,
    the ranking's measure). The city's rate is NaN (not available) when any district's population is
    unknown, like the city's population (:func:`sim.report.content.people_present`): over the known
    districts only, its denominator would leave out people whose person-days the numerator counts; a
    district's rate is NaN when its own population is unknown, and that district is not ranked.

    The settings' numbers written into the label and definition texts of those two figures (a threshold)
    go through :func:`sim.report.numbers.exact` in ``locale``: the table is English (``headline.csv``),
    and in English that is Python's ``:g``.
    """
    s = settings or Settings.from_dataset(ds)
    city = stats.headline_table(ds)
    w = stats.realization_weights(ds)  # a conditioned nowcast's weights (None: equal)
    lo_name, hi_name = s.pct_names
    city.insert(1, "adm5_code", "")
    city.insert(2, "adm5_name", "")
    rows = []
    meta = city.set_index("figure")
    dv = keyfigures.district_values(ds, s)
    codes = [str(c) for c in ds["katotth"].values] if "katotth" in ds.coords else []
    names = [str(d) for d in ds["district"].values] if "district" in ds.dims else []
    pop = ds["population"].values.astype(float) if "population" in ds else np.full(len(names), np.nan)

    def rows_of(key: str, values: np.ndarray, label: str, unit: str, definition: str, section: str,
                lead: bool) -> list[dict]:
        """One row per district; ``values`` (realization, district)."""
        return [row(key, summary, i, label, unit, definition, section, lead)
                for i, summary in enumerate(stats.figure_summaries(values, s, w))]

    def row(key: str, summary: tuple, i: int, label: str, unit: str, definition: str, section: str,
            lead: bool) -> dict:
        p_lo, p50, p_hi, err = summary
        ceiling = _district_ceiling(unit, pop[i])
        return {
            "figure": key, "adm5_code": codes[i] if codes else "", "adm5_name": names[i], "label": label,
            "p50": float(p50), lo_name: float(p_lo), hi_name: float(p_hi), "unit": unit,
            "definition": definition, "section": section, "lead": lead, "ceiling": ceiling,
            "at_ceiling": bool(np.isfinite(ceiling) and ceiling > 0 and p_hi >= ceiling * (1 - 1e-9)),
            "p50_ci_low": err["ci_low"], "p50_ci_high": err["ci_high"], "mc_rel_error": err["rel_error"],
            "mc_enough": err["enough"],
        }

    texts = {str(k): (str(m["label"]), str(m["unit"]), str(m["definition"]), str(m["section"]), bool(m["lead"]))
             for k, m in zip(meta.index, meta.to_dict("records"), strict=True)}
    for key in map(str, dv.data_vars):
        if key not in texts:
            continue
        rows += rows_of(key, dv.variables[key].transpose("realization", "district").values, *texts[key])
    if "person_hours_below_threshold" in ds and "population" in ds and names and np.isclose(
            ds["threshold"].values.astype(float), s.severe_c).any():
        exact = functools.partial(numbers.exact, locale=locale)
        label = keyfigures.EXTRA_LABELS["person_days_below_12_per_1000"].format(**s.placeholders(exact))
        definition = "person-days below the threshold in the district over its people present, x 1,000"
        rate = keyfigures.district_rate(ds, s).transpose("realization", "district")
        pd12 = keyfigures.values(ds, s, keys=["person_days_below_12"])["person_days_below_12"].values
        # NaN if any district's population is unknown: the numerator counts every district's person-days
        people = float(ds["population"].sum(skipna=False))
        city_rate = 1000.0 * pd12 / max(people, 1.0) if np.isfinite(people) else np.full(pd12.shape, np.nan)
        p_lo, p50, p_hi, err = stats.figure_summary(city_rate, s, w)
        city_row = {"figure": "person_days_below_12_per_1000", "adm5_code": "", "adm5_name": "", "label": label,
                    "p50": float(p50), lo_name: float(p_lo), hi_name: float(p_hi), "unit": "per 1,000",
                    "definition": definition, "section": "where", "lead": False, "ceiling": float("nan"),
                    "at_ceiling": False, "p50_ci_low": err["ci_low"], "p50_ci_high": err["ci_high"],
                    "mc_rel_error": err["rel_error"], "mc_enough": err["enough"]}
        city = pd.concat([city, pd.DataFrame([city_row])], ignore_index=True)
        rows += rows_of("person_days_below_12_per_1000", rate.values, label, "per 1,000", definition, "where", False)
        ranking = keyfigures.district_ranking(ds, s)
        share = dict(zip([str(d) for d in ranking["district"].values], ranking["p_top"].values, strict=True))
        for i, name in enumerate(names):
            rows.append({
                "figure": "hardest_hit_share", "adm5_code": codes[i] if codes else "", "adm5_name": name,
                "label": keyfigures.EXTRA_LABELS["hardest_hit_share"].format(k=s.top_districts),
                "p50": 100.0 * float(share[name]), lo_name: float("nan"), hi_name: float("nan"), "unit": "%",
                "definition": f"districts ranked in each run by person-days below {exact(s.severe_c)} °C per "
                              "1,000 people present", "section": "where", "lead": False, "ceiling": 100.0,
                "at_ceiling": False, "p50_ci_low": float("nan"), "p50_ci_high": float("nan"),
                "mc_rel_error": float("nan"), "mc_enough": True,
            })
    out = pd.concat([city, pd.DataFrame(rows, columns=city.columns)], ignore_index=True)
    out["shown"] = [fmt_value(x, u) for x, u in zip(out["p50"], out["unit"], strict=True)]
    state = nowcast_state(ds.attrs)
    if state is not None:  # a nowcast: whether its figures rest on a handful of histories (collapsed)
        out["nowcast"] = state
    return out


def events_in_calendar_time(events: pd.DataFrame, start: str) -> pd.DataFrame:
    """The DES event log with its ``time`` column as calendar time in ISO 8601 text to the minute, before
    ``time_h``. The DES gives calendar times (datetime64); a log with ``time_h`` only gets them from ``start``."""
    if events is None or "time_h" not in events.columns:
        return events
    out = events.copy()
    if "time" in out.columns:
        when = pd.to_datetime(out["time"])
    else:
        when = pd.Timestamp(str(start)) + pd.to_timedelta(out["time_h"].astype(float), unit="h")
        out.insert(list(out.columns).index("time_h"), "time", when)
    out["time"] = when.dt.strftime("%Y-%m-%dT%H:%M")
    return out


def write_run_tables(ds: xr.Dataset, out_dir: str | Path, frame: pd.DataFrame | None = None) -> list[Path]:
    """Write ``headline.csv`` and ``triggers.csv`` (both HXL-tagged) into ``out_dir``; ``frame`` is
    ``headline_frame(ds)`` when the caller has it already (a Kyiv run's takes seconds)."""
    out_dir = Path(out_dir)
    paths = [write_headline_csv(headline_frame(ds) if frame is None else frame, out_dir / "headline.csv")]
    trig = trigger_table(ds)
    paths.append(write_csv(trig, out_dir / "triggers.csv", header_rows=[hxl_tags(list(trig.columns))]))
    return paths
