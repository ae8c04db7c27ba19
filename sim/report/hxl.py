"""HXL-tagged summary CSV: one row per scenario x date x district, plus city-total rows.

A header row, then the HXL hashtag row (https://hxlstandard.org), then the data. Figures are percentiles
over the Monte Carlo runs (attributes ``+p05``, ``+p50``, ``+p95``); daily figures are the peak of that
day; ``+cumulative`` figures count from the start of the run to the end of that date, so the last date's
city-total row ("All districts") carries the headline figures of the brief. District level only.

Custom attributes are explained in :data:`README` (written as ``summary_readme.txt`` next to the CSV and
reproduced in docs/brief.md).
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import xarray as xr

from sim.io import atomic_write_text, write_csv
from sim.stats import summarize

__all__ = ["ALL_DISTRICTS", "README", "summary_frame", "write_summary_csv"]

ALL_DISTRICTS = "All districts"
PCT = (5, 50, 95)

#: (column, hashtag, description) of every column summary_frame can produce, in order.
COLUMNS: list[tuple[str, str, str]] = [
    ("date", "#date", "day (ISO 8601); daily figures cover 00:00-24:00 of that day"),
    ("scenario", "#meta+scenario", "scenario (sweep label, e.g. attacks=pause_week, or the run's scenario)"),
    ("adm1_code", "#adm1+code", "COD-AB code of the city (UA80 for Kyiv; empty for synthetic cities)"),
    ("adm5_code", "#adm5+code", "KATOTTH code of the district (empty on city-total rows)"),
    ("adm5_name", "#adm5+name", f"district name, or '{ALL_DISTRICTS}' for the city total"),
    ("population", "#population+total", "people present (denominator) [people]"),
    (
        "people_below_16c_p05",
        "#affected+cold16+p05",
        "people below 16 degC indoors, peak of the day, p5 [people]",
    ),
    ("people_below_16c_p50", "#affected+cold16+p50", "... median [people]"),
    ("people_below_16c_p95", "#affected+cold16+p95", "... p95 [people]"),
    (
        "people_65plus_below_16c_p50",
        "#affected+cold16+elderly+age65plus+p50",
        "people aged 65+ below 16 degC, peak of the day, median [people]",
    ),
    (
        "people_under5_below_16c_p50",
        "#affected+cold16+infants+age0_4+p50",
        "children under 5 below 16 degC, peak of the day, median [people]",
    ),
    (
        "people_below_12c_p05",
        "#affected+cold12+p05",
        "people below 12 degC indoors, peak of the day, p5 [people]",
    ),
    ("people_below_12c_p50", "#affected+cold12+p50", "... median [people]"),
    ("people_below_12c_p95", "#affected+cold12+p95", "... p95 [people]"),
    (
        "people_below_9c_p50",
        "#affected+cold9+p50",
        "people below 9 degC indoors, peak of the day, median [people]",
    ),
    (
        "people_cold_24h_so_far_p05",
        "#affected+cold16+h24+cumulative+p05",
        "people below 16 degC for 24 h or more in a row, since the start (last date only), p5 [people]",
    ),
    ("people_cold_24h_so_far_p50", "#affected+cold16+h24+cumulative+p50", "... median [people]"),
    ("people_cold_24h_so_far_p95", "#affected+cold16+h24+cumulative+p95", "... p95 [people]"),
    (
        "people_65plus_cold_24h_so_far_p50",
        "#affected+cold16+h24+cumulative+elderly+age65plus+p50",
        "... of whom aged 65+, median [people]",
    ),
    (
        "people_under5_cold_24h_so_far_p50",
        "#affected+cold16+h24+cumulative+infants+age0_4+p50",
        "... of whom under 5, median [people]",
    ),
    (
        "households_cold_24h_so_far_p50",
        "#affected+hh+cold16+h24+cumulative+p50",
        "households below 16 degC for 24 h or more (people / household size), median [households]",
    ),
    (
        "person_days_below_12c_so_far_p05",
        "#indicator+person_days+cold12+cumulative+p05",
        "person-days below 12 degC since the start, p5 [person-days]",
    ),
    (
        "person_days_below_12c_so_far_p50",
        "#indicator+person_days+cold12+cumulative+p50",
        "... median [person-days]",
    ),
    (
        "person_days_below_12c_so_far_p95",
        "#indicator+person_days+cold12+cumulative+p95",
        "... p95 [person-days]",
    ),
    (
        "buildings_without_heat_p50",
        "#indicator+buildings+noheat+p50",
        "apartment buildings on district heating without heat, peak of the day, median [buildings]",
    ),
    (
        "share_without_power_pct_p50",
        "#indicator+pct+nopower+p50",
        "share of residents whose feeder has no power, peak of the day, median [%]",
    ),
    (
        "heating_point_demand_p05",
        "#inneed+heating_point+p05",
        "people who would sit in a heating point at the same time, peak of the day, p5 [places]",
    ),
    ("heating_point_demand_p50", "#inneed+heating_point+p50", "... median [places]"),
    ("heating_point_demand_p95", "#inneed+heating_point+p95", "... p95 [places]"),
    ("heating_point_capacity", "#capacity+heating_point", "places in heating points [places]"),
    (
        "diesel_l_p50",
        "#indicator+diesel+litres+p50",
        "diesel burned by heating-point generators that day, median [L]",
    ),
    ("model_version", "#meta+model_version", "model and version that produced the figures"),
]

README = """coldgrid summary.csv: custom HXL attributes
===========================================

Row 1 is a human-readable header, row 2 the HXL hashtags, then one row per scenario x date x district
and one city-total row per scenario x date (#adm5+name = "All districts", #adm5+code empty).
Figures come from a Monte Carlo model: a model-based scenario analysis, not a forecast.

Custom attributes
-----------------
+p05, +p50, +p95   5th percentile, median and 95th percentile over the Monte Carlo runs
                   (the 90 % interval of the brief). Percentiles are taken per row: the p5 of the
                   city total is not the sum of the districts' p5.
+cold16, +cold12, +cold9
                   indoor air temperature strictly below 16, 12 or 9 degC (indoor cold bands:
                   18 adequate, 16-18 cool, 12-16 cold, 9-12 very cold, below 9 for 2 h dangerous).
+h24               for 24 hours or more in a row.
+cumulative        counted from the start of the run to the end of that date. People below 16 degC
                   for 24 h are only known at the end of the run, so these cells are filled on the
                   last date only; person-days are filled on every date where the data allow.
+person_days       person-days: the sum over people of the days spent below the threshold.
+elderly+age65plus aged 65 or over.      +infants+age0_4  under 5 years.
+hh                households (people / household size, 2.42 by default: Shelter Cluster Ukraine).
+heating_point     places in heating points ("Points of Invincibility"); #inneed = people who would
                   sit there at the same time; #capacity = places available.
+buildings+noheat  apartment buildings on district heating without heat (buildings, not people).
+pct+nopower       share of residents (%) whose electricity feeder is off (rolling, emergency or damage).
+diesel+litres     litres of diesel burned by heating-point generators that day.
+model_version     model name and version (#meta).
+scenario          the scenario (#meta): a sweep label such as attacks=pause_week, or the run's scenario.

Daily figures (without +cumulative) are the peak of that day (people at the same time), except
diesel (the day's total). Units are kept apart: people, households, buildings, places, litres.
Empty cells: not available at that level (for example people below a threshold per district, which
a run stores only as totals over the run).

Columns
-------
"""


def _readme() -> str:
    rows = [f"{tag:<58} {col}: {desc}" for col, tag, desc in COLUMNS]
    return README + "\n".join(rows) + "\n"


def _adm1(ds: xr.Dataset) -> str:
    if ds.attrs.get("adm1_code"):
        return str(ds.attrs["adm1_code"])
    if "katotth" in ds.coords:
        codes = {str(c)[:4] for c in ds["katotth"].values if str(c).startswith("UA") and len(str(c)) >= 4}
        if len(codes) == 1:
            return codes.pop()
    return "UA80" if str(ds.attrs.get("city", "")) == "kyiv" else ""


def _pct_cols(prefix: str, q: xr.DataArray, pcts=PCT) -> dict[str, np.ndarray]:
    """``summarize`` output -> {f"{prefix}_p05": values, ...} for the requested percentiles."""
    return {f"{prefix}_p{int(p):02d}": q.sel(percentile=float(p)).values for p in pcts}


def _daily(da: xr.DataArray, how: str = "max") -> xr.DataArray:
    r = da.resample(time="1D")
    return r.max() if how == "max" else r.sum()


def _scenario_frame(label: str, ds: xr.Dataset) -> pd.DataFrame:
    dates = pd.DatetimeIndex(ds["time"].values).normalize().unique()
    n_days = len(dates)
    districts = [str(d) for d in ds["district"].values] if "district" in ds.dims else []
    codes = [str(c) for c in ds["katotth"].values] if "katotth" in ds.coords else [""] * len(districts)
    n_rows_d = len(districts)
    # arrays shaped (day, district + 1); the last column is the city total
    cols: dict[str, np.ndarray] = {}

    def put(name: str, district: np.ndarray | None, city: np.ndarray | None) -> None:
        arr = np.full((n_days, n_rows_d + 1), np.nan)
        if district is not None:
            arr[:, :n_rows_d] = district
        if city is not None:
            arr[:, n_rows_d] = city
        cols[name] = arr

    def last_only(values: np.ndarray) -> np.ndarray:
        out = np.full((n_days, *np.shape(values)), np.nan)
        out[-1] = values
        return out

    pop = ds["population"].values.astype(float) if "population" in ds else np.full(n_rows_d, np.nan)
    put("population", np.broadcast_to(pop, (n_days, n_rows_d)), np.full(n_days, np.nansum(pop)))

    dist_by_time = "people_below_threshold_by_district"  # optional (realization, time, threshold, district)
    for thr, prefix, pcts in (
        (16.0, "people_below_16c", PCT),
        (12.0, "people_below_12c", PCT),
        (9.0, "people_below_9c", (50,)),
    ):
        if "people_below_threshold" in ds and thr in ds["threshold"].values:
            city = _pct_cols(
                prefix,
                summarize(_daily(ds["people_below_threshold"].sel(threshold=thr)), percentiles=pcts),
                pcts,
            )
            dist = {}
            if dist_by_time in ds:
                q = summarize(_daily(ds[dist_by_time].sel(threshold=thr)), percentiles=pcts)
                dist = _pct_cols(prefix, q.transpose("percentile", "time", "district"), pcts)
            for k, v in city.items():
                put(k, dist.get(k), v)
    if "people_below_threshold_by_age" in ds and 16.0 in ds["threshold"].values:
        by_age = ds["people_below_threshold_by_age"].sel(threshold=16.0)
        for g, name in (("65plus", "people_65plus_below_16c_p50"), ("under5", "people_under5_below_16c_p50")):
            if g in by_age["age_group"].values:
                put(name, None, summarize(_daily(by_age.sel(age_group=g)), percentiles=(50,)).values[0])

    if "people_cold_24h" in ds:
        v = ds["people_cold_24h"]
        qd = summarize(v).values  # (3, D)
        qc = summarize(v.sum("district")).values  # (3,)
        for i, p in enumerate(PCT):
            put(f"people_cold_24h_so_far_p{p:02d}", last_only(qd[i]), last_only(qc[i]))
        if "people_cold_24h_by_age" in ds:
            for g, name in (
                ("65plus", "people_65plus_cold_24h_so_far_p50"),
                ("under5", "people_under5_cold_24h_so_far_p50"),
            ):
                a = ds["people_cold_24h_by_age"].sel(age_group=g)
                put(
                    name,
                    last_only(summarize(a, percentiles=(50,)).values[0]),
                    last_only(float(summarize(a.sum("district"), percentiles=(50,)).values[0])),
                )
        hh = float(ds.attrs.get("household_size", 2.42))
        put("households_cold_24h_so_far_p50", last_only(qd[1] / hh), last_only(qc[1] / hh))

    if "person_hours_below_threshold" in ds and 12.0 in ds["threshold"].values:
        ph = ds["person_hours_below_threshold"].sel(threshold=12.0)
        dist_final = summarize(ph / 24.0).values  # (3, D)
        city_final = summarize(ph.sum("district") / 24.0).values  # (3,)
        city_cum = None
        if "people_below_threshold" in ds:
            t = ds["time"].values
            dt_h = float((t[1] - t[0]) / np.timedelta64(1, "h")) if len(t) > 1 else 1.0
            cum = (ds["people_below_threshold"].sel(threshold=12.0) * dt_h / 24.0).cumsum("time")
            city_cum = summarize(cum.resample(time="1D").last()).values  # (3, days)
        for i, p in enumerate(PCT):
            city_col = city_cum[i].copy() if city_cum is not None else np.full(n_days, np.nan)
            city_col[-1] = city_final[i]  # exactly the headline figure
            put(f"person_days_below_12c_so_far_p{p:02d}", last_only(dist_final[i]), city_col)

    if "buildings_without_heat" in ds:
        b = ds["buildings_without_heat"]
        put(
            "buildings_without_heat_p50",
            summarize(_daily(b), percentiles=(50,)).values[0],
            summarize(_daily(b.sum("district")), percentiles=(50,)).values[0],
        )
    if "share_without_power" in ds:
        s = ds["share_without_power"]
        city = None
        if "population" in ds and float(ds["population"].sum()) > 0:
            city = (
                summarize(
                    _daily((s * ds["population"]).sum("district") / float(ds["population"].sum())),
                    percentiles=(50,),
                ).values[0]
                * 100
            )
        put("share_without_power_pct_p50", summarize(_daily(s), percentiles=(50,)).values[0] * 100, city)
    if "heating_point_demand" in ds:
        for k, v in _pct_cols("heating_point_demand", summarize(_daily(ds["heating_point_demand"]))).items():
            put(k, None, v)
    if "heating_point_capacity" in ds:
        put("heating_point_capacity", None, np.full(n_days, float(ds["heating_point_capacity"].max())))
    if "diesel_consumption" in ds and ds.sizes.get("day", 0) == n_days:
        # L/day rates; the last, partial day's rate is scaled to the hours covered
        hours = pd.Series(pd.DatetimeIndex(ds["time"].values).normalize()).value_counts().sort_index().values
        t = ds["time"].values
        dt_h = float((t[1] - t[0]) / np.timedelta64(1, "h")) if len(t) > 1 else 1.0
        litres = ds["diesel_consumption"] * xr.DataArray(hours * dt_h / 24.0, dims="day")
        put("diesel_l_p50", None, summarize(litres, percentiles=(50,)).values[0])

    n = n_days * (n_rows_d + 1)
    frame = {
        "date": np.repeat([f"{d:%Y-%m-%d}" for d in dates], n_rows_d + 1),
        "scenario": [label] * n,
        "adm1_code": [_adm1(ds)] * n,
        "adm5_code": np.tile([*codes, ""], n_days),
        "adm5_name": np.tile([*districts, ALL_DISTRICTS], n_days),
    }
    for name, arr in cols.items():
        frame[name] = arr.reshape(-1)
    frame["model_version"] = [str(ds.attrs.get("source", "coldgrid"))] * n
    return pd.DataFrame(frame)


def _round(df: pd.DataFrame) -> pd.DataFrame:
    for c in df.columns:
        if df[c].dtype.kind == "f":
            digits = 1 if "pct" in c else 0
            df[c] = df[c].round(digits)
            if digits == 0:
                df[c] = df[c].astype("Int64")
    return df


def summary_frame(ds: xr.Dataset, scenario: str | None = None) -> tuple[pd.DataFrame, list[str]]:
    """The HXL summary table of a run or a sweep and its hashtag row.

    Parameters
    ----------
    ds : xarray.Dataset
        A run's result, or a sweep's (leading ``scenario`` dimension).
    scenario : str, optional
        For a sweep: keep only this scenario label. For a run: the name written in the scenario column
        (default: the ``scenario`` attribute).

    Returns
    -------
    (pandas.DataFrame, list of str)
        One row per scenario x date x district and one city-total row per scenario x date
        (``adm5_name == "All districts"``, empty ``adm5_code``); people rounded to whole numbers,
        percentages to 0.1. The hashtags, one per column (:data:`COLUMNS`).
    """
    from sim.report.content import split_scenarios

    scenarios = split_scenarios(ds)
    if "scenario" in ds.dims:
        if scenario is not None:
            scenarios = [s for s in scenarios if s[0] == scenario]
            if not scenarios:
                raise ValueError(f"scenario {scenario!r} not in {[str(s) for s in ds['scenario'].values]}")
    elif scenario is not None:
        scenarios = [(scenario, scenarios[0][1])]
    frames = [_scenario_frame(label, sub) for label, sub in scenarios]
    df = pd.concat(frames, ignore_index=True)
    order = [c for c, _, _ in COLUMNS if c in df.columns]
    df = _round(df[order])
    tags = dict((c, t) for c, t, _ in COLUMNS)
    return df, [tags[c] for c in order]


def write_summary_csv(ds: xr.Dataset, path) -> list:
    """Write ``summary.csv`` (header, HXL hashtag row, data; atomic) and ``summary_readme.txt`` beside it.

    Returns
    -------
    list of Path
        The CSV and the readme.
    """
    from pathlib import Path

    df, tags = summary_frame(ds)
    path = Path(path)
    csv = write_csv(df, path, header_rows=[tags])
    readme = atomic_write_text(path.with_name("summary_readme.txt"), _readme())
    return [csv, readme]
