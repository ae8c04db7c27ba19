"""HXL-tagged CSVs: ``summary.csv`` (by date and district), ``headline.csv``, ``comparison.csv``, ``triggers.csv``.

Each file has a header row, then the HXL hashtag row (https://hxlstandard.org), then the data. Figures are
percentiles over the Monte Carlo runs (attributes ``+p05``, ``+p50``, ``+p95`` for the default 90 %
interval); daily figures are the peak of that day unless said otherwise; ``+cumulative`` figures count from
the start of the run to the end of that date, so the last date's rows carry the whole run's figures (the
key figures of the brief, by district and for the city). District level only.

The thresholds in column names and tags (``cold16``, ``cold12``) come from the run's config
(:class:`sim.keyfigures.Settings`). Custom attributes are explained in :data:`README` (written as
``summary_readme.txt`` next to the CSV and reproduced in docs/brief.md).
"""

from __future__ import annotations

import re
from pathlib import Path

import numpy as np
import pandas as pd
import xarray as xr

from sim.io import atomic_write_text, write_csv
from sim.keyfigures import Settings, _day_index, _dt_h, _groups, _reduce_groups
from sim.smc import nowcast_state
from sim.stats import _summarize_np
from sim.weighted_stats import realization_weights

__all__ = [
    "ALL_DISTRICTS",
    "COLUMNS",
    "README",
    "columns",
    "hxl_tags",
    "read_hxl_csv",
    "summary_frame",
    "write_comparison_csv",
    "write_headline_csv",
    "write_summary_csv",
]

ALL_DISTRICTS = "All districts"


def _p(p: float) -> str:
    """Percentile as an HXL attribute: 5 -> p05, 97.5 -> p97_5."""
    return f"p{p:02.0f}" if float(p).is_integer() else "p" + f"{p:g}".replace(".", "_")


def _c(c: float) -> str:
    return f"{c:g}".replace("-", "m").replace(".", "_")


def columns(s: Settings | None = None) -> list[tuple[str, str, str]]:
    """(column, hashtag, description) of every column :func:`summary_frame` can produce, in order."""
    s = s or Settings()
    lo, _, hi = s.percentiles
    lc, sc, L, S = _c(s.long_c), _c(s.severe_c), f"{s.long_c:g}", f"{s.severe_c:g}"
    lh, sh = f"{s.long_h:g}", f"{s.severe_h:g}"
    P = [lo, 50.0, hi]

    def trio(col: str, tag: str, desc: str, unit: str) -> list[tuple[str, str, str]]:
        return [
            (f"{col}_{_p(lo)}", f"{tag}+{_p(lo)}", f"{desc}, {_p(lo)} [{unit}]"),
            (f"{col}_p50", f"{tag}+p50", f"... median [{unit}]"),
            (f"{col}_{_p(hi)}", f"{tag}+{_p(hi)}", f"... {_p(hi)} [{unit}]"),
        ]

    del P
    return [
        ("date", "#date", "day (ISO 8601); daily figures cover 00:00-24:00 of that day"),
        ("scenario", "#meta+scenario", "scenario (sweep label, e.g. attacks=pause_week, or the run's scenario)"),
        ("adm1_code", "#adm1+code", "COD-AB code of the city (UA80 for Kyiv; empty for synthetic cities)"),
        ("adm5_code", "#adm5+code", "KATOTTH code of the district (empty on city-total rows)"),
        ("adm5_name", "#adm5+name", f"district name, or '{ALL_DISTRICTS}' for the city total"),
        ("population", "#population+total", "people present (denominator) [people]"),
        *trio(f"people_below_{lc}c", f"#affected+cold{lc}", f"people below {L} degC indoors, peak of the day",
              "people"),
        (f"people_below_{lc}c_mean_p50", f"#affected+cold{lc}+daily_mean+p50",
         f"people below {L} degC indoors, average of the day, median [people]"),
        (f"people_65plus_below_{lc}c_p50", f"#affected+cold{lc}+elderly+age65plus+p50",
         f"people aged 65+ below {L} degC, peak of the day, median [people]"),
        (f"people_under5_below_{lc}c_p50", f"#affected+cold{lc}+infants+age0_4+p50",
         f"children under 5 below {L} degC, peak of the day, median [people]"),
        *trio(f"people_below_{sc}c", f"#affected+cold{sc}", f"people below {S} degC indoors, peak of the day",
              "people"),
        (f"people_below_{sc}c_mean_p50", f"#affected+cold{sc}+daily_mean+p50",
         f"people below {S} degC indoors, average of the day, median [people]"),
        *trio(f"people_cold_{sc}c_{sh}h_so_far", f"#affected+cold{sc}+h{sh}+cumulative",
              f"people below {S} degC for {sh} h or more in a row, since the start (last date only)", "people"),
        (f"people_65plus_cold_{sc}c_{sh}h_so_far_p50", f"#affected+cold{sc}+h{sh}+cumulative+elderly+age65plus+p50",
         "... of whom aged 65+, median [people]"),
        (f"people_under5_cold_{sc}c_{sh}h_so_far_p50", f"#affected+cold{sc}+h{sh}+cumulative+infants+age0_4+p50",
         "... of whom under 5, median [people]"),
        *trio(f"people_cold_{lc}c_{lh}h_so_far", f"#affected+cold{lc}+h{lh}+cumulative",
              f"people below {L} degC for {lh} h or more in a row, since the start (last date only)", "people"),
        (f"people_65plus_cold_{lc}c_{lh}h_so_far_p50", f"#affected+cold{lc}+h{lh}+cumulative+elderly+age65plus+p50",
         "... of whom aged 65+, median [people]"),
        (f"people_under5_cold_{lc}c_{lh}h_so_far_p50", f"#affected+cold{lc}+h{lh}+cumulative+infants+age0_4+p50",
         "... of whom under 5, median [people]"),
        (f"households_cold_{lc}c_{lh}h_so_far_p50", f"#affected+hh+cold{lc}+h{lh}+cumulative+p50",
         f"households below {L} degC for {lh} h or more (people / household size), median [households]"),
        *trio(f"person_days_below_{sc}c_so_far", f"#indicator+person_days+cold{sc}+cumulative",
              f"person-days below {S} degC since the start", "person-days"),
        ("buildings_without_heat_p50", "#indicator+buildings+noheat+p50",
         "apartment buildings on district heating without heat, peak of the day, median [buildings]"),
        ("buildings_without_heat_peak_so_far_p50", "#indicator+buildings+noheat+peak+cumulative+p50",
         "the same, highest at any hour since the start in each run, median over runs [buildings]"),
        ("buildings_frozen_p50", "#indicator+buildings+frozen+p50",
         "buildings whose heating system froze, peak of the day, median [buildings]"),
        ("share_without_power_pct_p50", "#indicator+pct+nopower+p50",
         "share of residents whose feeder has no power, peak of the day, median [%]"),
        *trio("heating_point_demand", "#inneed+heating_point",
              "people who would sit in a heating point at the same time, peak of the day", "places"),
        ("heating_point_demand_peak_so_far_p50", "#inneed+heating_point+peak+cumulative+p50",
         "the same, highest at any hour since the start in each run, median over runs [places]"),
        ("heating_point_capacity", "#capacity+heating_point", "places in heating points [places]"),
        ("heating_point_unmet_p50", "#inneed+heating_point+unmet+p50",
         "demand above the district's places, peak of the day, median [places]"),
        ("generators_p50", "#inneed+generators+p50",
         "generators running at heating points (open and additional points without power), peak of the day, "
         "median [generators]"),
        ("generators_peak_so_far_p50", "#inneed+generators+peak+cumulative+p50",
         "the same, highest at any hour since the start in each run, median over runs [generators]"),
        ("generator_kw_p50", "#inneed+generators+kw+rated+p50",
         "rated capacity of those generators, peak of the day, median [kW]"),
        ("generator_load_kw_p50", "#inneed+generators+kw+load+p50",
         "load of those generators, peak of the day, median [kW]"),
        ("diesel_l_p50", "#inneed+diesel+litres+p50",
         "diesel burned by heating-point generators that day, median [L]"),
        ("model_version", "#meta+model_version", "model and version that produced the figures"),
        ("nowcast", "#meta+nowcast",
         "nowcasts only: conditioned, collapsed (the ensemble rests on a handful of histories and its ranges "
         "are not reliable; the brief withholds its key figures) or unconditioned (no report up to as_of)"),
    ]


COLUMNS = columns()

README = """coldgrid summary.csv: custom HXL attributes
===========================================

Row 1 is a human-readable header, row 2 the HXL hashtags, then one row per scenario x date x district
and one city-total row per scenario x date (#adm5+name = "All districts", #adm5+code empty).
Figures come from a Monte Carlo model: a model-based scenario analysis, not a forecast.
headline.csv, comparison.csv and triggers.csv use the same attributes.

Custom attributes
-----------------
+p05, +p50, +p95   5th percentile, median and 95th percentile over the Monte Carlo runs
                   (the 90 % interval of the brief; other intervals give other numbers, e.g. +p10).
                   Percentiles are taken per row: the p5 of the city total is not the sum of the
                   districts' p5.
+cold16, +cold12   indoor temperature strictly below 16 or 12 degC (the thresholds of the run's
                   config; indoor cold bands: 18 adequate, 16-18 cool, 12-16 cold, 9-12 very cold,
                   below 6 for 2 h dangerous). The temperature is the operative one (the mean of
                   the air and the room's surfaces, what a person feels) unless the run set
                   buildings.exposure_temperature=air (result.nc attribute exposure_temperature).
+h24, +h72         for 24 or 72 hours or more in a row.
+daily_mean        average over the hours of that day (not the peak).
+cumulative        counted from the start of the run to the end of that date. Counts of people below
                   a threshold for 24 or 72 h are only known at the end of the run, so these cells are
                   filled on the last date only; person-days are filled on every date where the data
                   allow.
+peak              with +cumulative: the highest value at any hour since the start, in each run, then
                   the median over runs; on the last date it is the brief's "at the peak" figure.
+person_days       person-days: the sum over people of the days spent below the threshold.
+elderly+age65plus aged 65 or over.      +infants+age0_4  under 5 years.
+hh                households (people / household size, 2.42 by default: Shelter Cluster Ukraine).
+heating_point     places in heating points ("Points of Invincibility"); #inneed = people who would
                   sit there at the same time; #capacity = places available; +unmet = demand above
                   the district's places.
+generators        generators running at heating points: the open points and the additional points
                   demand needs, while their district has no grid power; +kw+rated their rating,
                   +kw+load their load (rating x load share); +kw10, +kw30 ... a size class.
+buildings+noheat  apartment buildings on district heating without heat (buildings, not people).
+frozen            buildings whose heating system froze (weeks to restore).
+pct+nopower       share of residents (%) whose electricity feeder is off (rolling, emergency or damage).
+diesel+litres     litres of diesel burned by heating-point generators that day.
+model_version     model name and version (#meta).
+scenario          the scenario (#meta): a sweep label such as attacks=pause_week, or the run's scenario.
+nowcast           nowcasts only (#meta): conditioned, collapsed or unconditioned. "collapsed": the
                   ensemble rests on a handful of histories; its ranges are not reliable and the brief
                   withholds its key figures.

Daily figures (without +cumulative or +daily_mean) are the peak of that day (people at the same
time), except diesel (the day's total). Units are kept apart: people, households, buildings, places,
generators, kW, litres. Empty cells: not available at that level, or no result: in a sweep, the
rows of a scenario whose job has no values for a column (a failed job, or a result without that
variable) are empty, never 0.

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


def _nan_kind(a: np.ndarray) -> bool:
    """Whether xarray's reductions skip NaN in ``a`` by default (float and complex data)."""
    return a.dtype.kind in "cf"


def _vals(da: xr.DataArray, *dims: str) -> np.ndarray:
    """``da``'s values with its dimensions in the order ``dims`` (those it has), C-contiguous."""
    return np.ascontiguousarray(da.transpose(*[d for d in dims if d in da.dims], ...).values)


def _sum_district(a: np.ndarray) -> np.ndarray:
    """``DataArray.sum("district")`` of an array whose last axis is the district: NaN skipped in float data."""
    if _nan_kind(a):
        return np.sum(np.where(np.isnan(a), np.zeros_like(a), a), axis=-1)
    return np.sum(a, axis=-1)


def _day_groups(ds: xr.Dataset) -> list[np.ndarray]:
    """The time steps of each calendar date of the run, in date order (the groups of a groupby over the
    date index)."""
    dates = pd.DatetimeIndex(ds["time"].values).normalize()
    return _groups(np.searchsorted(dates.unique(), dates))


def _daily(a: np.ndarray, groups: list[np.ndarray], how: str) -> np.ndarray:
    """Daily max / mean / last of a plain array (realization, time, ...) over the calendar dates ``groups``:
    ``DataArray.groupby(date index).max / mean / last("time")`` (NaN skipped in float data), on the array.
    -> (realization, day, ...)."""
    return _reduce_groups(a, groups, how, axis=1)


def _runmax(a: np.ndarray) -> np.ndarray:
    """Running maximum over the dates (axis 1: highest so far, in each run)."""
    return np.maximum.accumulate(a, axis=1)


def _scenario_frame(label: str, ds: xr.Dataset) -> pd.DataFrame:
    s = Settings.from_dataset(ds)
    pcts = s.percentiles
    lo, _, hi = pcts
    dates = pd.DatetimeIndex(ds["time"].values).normalize().unique()
    n_days = len(dates)
    groups = _day_groups(ds)
    districts = [str(d) for d in ds["district"].values] if "district" in ds.dims else []
    codes = [str(c) for c in ds["katotth"].values] if "katotth" in ds.coords else [""] * len(districts)
    n_d = len(districts)
    cols: dict[str, np.ndarray] = {}
    lc, sc = _c(s.long_c), _c(s.severe_c)
    lh, sh = f"{s.long_h:g}", f"{s.severe_h:g}"
    weights = realization_weights(ds)  # a conditioned nowcast's (None: equal)
    dims = ("realization", "time", "day", "district")

    def vals(da: xr.DataArray) -> np.ndarray:
        return _vals(da, *dims)

    def daily(a: np.ndarray, how: str = "max") -> np.ndarray:
        return _daily(a, groups, how)

    def put(name: str, district: np.ndarray | None, city: np.ndarray | None) -> None:
        out = np.full((n_days, n_d + 1), np.nan)
        if district is not None:
            out[:, :n_d] = district
        if city is not None:
            out[:, n_d] = city
        cols[name] = out

    def last_only(values: np.ndarray | float) -> np.ndarray:
        out = np.full((n_days, *np.shape(values)), np.nan)
        out[-1] = values
        return out

    def q(a: np.ndarray, which=pcts) -> np.ndarray:
        """Percentiles over realizations (axis 0) -> (P, day[, district]) array (:func:`sim.stats.summarize`)."""
        return _summarize_np(a, which, weights)

    def trio(prefix: str, dist: np.ndarray | None, city: np.ndarray | None, last: bool = False) -> None:
        for i, p in enumerate((lo, 50.0, hi)):
            dv = None if dist is None else (last_only(dist[i]) if last else dist[i])
            cv = None if city is None else (last_only(city[i]) if last else city[i])
            put(f"{prefix}_{_p(p)}", dv, cv)

    pop = ds["population"].values.astype(float) if "population" in ds else np.full(n_d, np.nan)
    # the city total is unknown if any district's is (not a partial sum, not 0)
    put("population", np.broadcast_to(pop, (n_days, n_d)), np.full(n_days, pop.sum()))

    by_d = "people_below_threshold_by_district"
    thresholds = ds["threshold"].values.astype(float) if "threshold" in ds.coords else np.array([])
    for c, tag in ((s.long_c, lc), (s.severe_c, sc)):
        if "people_below_threshold" not in ds or not np.isclose(thresholds, c).any():
            continue
        thr = float(thresholds[np.argmin(np.abs(thresholds - c))])
        city_a = vals(ds["people_below_threshold"].sel(threshold=thr))
        dist_a = vals(ds[by_d].sel(threshold=thr)) if by_d in ds else None
        trio(f"people_below_{tag}c", None if dist_a is None else q(daily(dist_a)), q(daily(city_a)))
        put(f"people_below_{tag}c_mean_p50",
            None if dist_a is None else q(daily(dist_a, "mean"), (50,))[0],
            q(daily(city_a, "mean"), (50,))[0])
        if tag == lc and "people_below_threshold_by_age" in ds:
            by_age = ds["people_below_threshold_by_age"].sel(threshold=thr)
            by_da = ds.get("people_below_long_by_district_age")
            if by_da is not None and not np.isclose(float(by_da.attrs.get("threshold_c", np.nan)), c):
                by_da = None  # recorded at another threshold
            for g, name in (("65plus", f"people_65plus_below_{lc}c_p50"), ("under5", f"people_under5_below_{lc}c_p50")):
                if g in by_age["age_group"].values:
                    put(name, None if by_da is None else q(daily(vals(by_da.sel(age_group=g))), (50,))[0],
                        q(daily(vals(by_age.sel(age_group=g))), (50,))[0])

    for var, tag, hours, by_age_var in (
        ("people_severe_cold", sc, sh, "people_severe_cold"),
        ("people_cold_24h", lc, lh, "people_cold_24h_by_age"),
    ):
        if var not in ds:
            continue
        v = vals(ds[var].sel(age_group="all") if "age_group" in ds[var].dims else ds[var])
        v_city = _sum_district(v)
        trio(f"people_cold_{tag}c_{hours}h_so_far", q(v), q(v_city), last=True)
        if by_age_var in ds:
            for g in ("65plus", "under5"):
                a = vals(ds[by_age_var].sel(age_group=g))
                put(f"people_{g}_cold_{tag}c_{hours}h_so_far_p50", last_only(q(a, (50,))[0]),
                    last_only(q(_sum_district(a), (50,))[0]))
        if var == "people_cold_24h":
            hh = s.household_size
            put(f"households_cold_{lc}c_{lh}h_so_far_p50", last_only(q(v, (50,))[0] / hh),
                last_only(q(v_city, (50,))[0] / hh))

    if "person_hours_below_threshold" in ds and np.isclose(thresholds, s.severe_c).any():
        thr = float(thresholds[np.argmin(np.abs(thresholds - s.severe_c))])
        ph = vals(ds["person_hours_below_threshold"].sel(threshold=thr))
        dist_final, city_final = q(ph / 24.0), q(_sum_district(ph) / 24.0)
        city_cum = dist_cum = None
        dt_h = _dt_h(ds)

        def cumulative(a: np.ndarray) -> np.ndarray:  # DataArray.cumsum("time"): NaN counts as 0 in float data
            a = a * dt_h / 24.0
            return np.nancumsum(a, axis=1) if _nan_kind(a) else np.cumsum(a, axis=1)

        if "people_below_threshold" in ds:
            city_cum = q(daily(cumulative(vals(ds["people_below_threshold"].sel(threshold=thr))), "last"))
        if by_d in ds:
            dist_cum = q(daily(cumulative(vals(ds[by_d].sel(threshold=thr))), "last"))
        for i, p in enumerate((lo, 50.0, hi)):
            city_col = city_cum[i].copy() if city_cum is not None else np.full(n_days, np.nan)
            city_col[-1] = city_final[i]  # exactly the headline figure
            dist_col = dist_cum[i].copy() if dist_cum is not None else np.full((n_days, n_d), np.nan)
            dist_col[-1] = dist_final[i]  # exactly the district figure
            put(f"person_days_below_{sc}c_so_far_{_p(p)}", dist_col, city_col)

    derived: dict[str, np.ndarray] = {}  # district series the result does not hold (generator kW by district)

    def daily_and_peak(var: str, var_d: str | None, name: str, peak_name: str | None, scale: float = 1.0) -> None:
        if var not in ds:
            return
        full = vals(ds[var])
        city = full if "district" not in ds[var].dims else _sum_district(full)
        dist = (derived[var_d] if var_d in derived else vals(ds[var_d])) if var_d and (
            var_d in derived or var_d in ds) else (full if "district" in ds[var].dims else None)
        dist_day = None if dist is None else daily(dist)
        city_day = daily(city)
        put(name, None if dist_day is None else scale * q(dist_day, (50,))[0], scale * q(city_day, (50,))[0])
        if peak_name:
            put(peak_name, None if dist_day is None else q(_runmax(dist_day), (50,))[0],
                q(_runmax(city_day), (50,))[0])

    daily_and_peak("buildings_without_heat", None, "buildings_without_heat_p50", "buildings_without_heat_peak_so_far_p50")
    daily_and_peak("buildings_frozen", None, "buildings_frozen_p50", None)
    if "share_without_power" in ds:
        sh_ = vals(ds["share_without_power"])
        city = None  # empty: not available without every district's population (not the known ones' share)
        people = float(ds["population"].sum(skipna=False)) if "population" in ds else float("nan")
        if people > 0:
            city = 100 * q(daily(_sum_district(sh_ * vals(ds["population"])) / people), (50,))[0]
        put("share_without_power_pct_p50", 100 * q(daily(sh_), (50,))[0], city)
    if "heating_point_demand" in ds:
        dd = vals(ds["heating_point_demand_by_district"]) if "heating_point_demand_by_district" in ds else None
        dd_day = None if dd is None else daily(dd)
        hp_day = daily(vals(ds["heating_point_demand"]))
        trio("heating_point_demand", None if dd_day is None else q(dd_day), q(hp_day))
        put("heating_point_demand_peak_so_far_p50",
            None if dd_day is None else q(_runmax(dd_day), (50,))[0], q(_runmax(hp_day), (50,))[0])
    if "heating_point_capacity" in ds:
        cap_d = (ds["heating_point_capacity_by_district"].values.astype(float)
                 if "heating_point_capacity_by_district" in ds else None)
        put("heating_point_capacity", None if cap_d is None else np.broadcast_to(cap_d, (n_days, n_d)),
            np.full(n_days, float(ds["heating_point_capacity"].max())))
    if "heating_point_demand_by_district" in ds and "heating_point_capacity_by_district" in ds:
        unmet_d = np.clip(vals(ds["heating_point_demand_by_district"]) - vals(ds["heating_point_capacity_by_district"]),
                          0, None)
        put("heating_point_unmet_p50", q(daily(unmet_d), (50,))[0],
            q(daily(vals(ds["heating_point_unmet_demand"])), (50,))[0]
            if "heating_point_unmet_demand" in ds else None)
    daily_and_peak("generators_running", "generators_running_by_district", "generators_p50", "generators_peak_so_far_p50")
    for var in ("generator_kw", "generator_load_kw"):
        if var in ds and "generators_running" in ds and "generators_running_by_district" in ds:
            # each district's share of the city's generators carries the same rating and load per generator
            # (sim.exposure: kW = generators x the mean rating of a point's generator, load = kW x load share)
            running = vals(ds["generators_running"])
            with np.errstate(divide="ignore", invalid="ignore"):
                per_gen = vals(ds[var]) / np.where(running > 0, running, np.nan)
            per_gen = np.where(np.isnan(per_gen), 0.0, per_gen)
            derived[f"_{var}_by_district"] = vals(ds["generators_running_by_district"]) * per_gen[..., None]
        daily_and_peak(var, f"_{var}_by_district", f"{var}_p50", None)
    if "diesel_consumption" in ds and ds.sizes.get("day", 0) >= 1:
        # L/day rates per day of the run -> litres per calendar date (a partial day for the hours it covers)
        run_day = _day_index(ds)
        day_h = np.bincount(run_day.values, minlength=ds.sizes["day"])[: ds.sizes["day"]] * _dt_h(ds)
        frac = day_h / 24.0
        if n_days == ds.sizes["day"]:
            litres = vals(ds["diesel_consumption"]) * frac
            dist = (vals(ds["diesel_consumption_by_district"]) * frac[:, None]
                    if "diesel_consumption_by_district" in ds else None)
            put("diesel_l_p50", None if dist is None else q(dist, (50,))[0], q(litres, (50,))[0])

    n = n_days * (n_d + 1)
    frame = {
        "date": np.repeat([f"{d:%Y-%m-%d}" for d in dates], n_d + 1),
        "scenario": [label] * n,
        "adm1_code": [_adm1(ds)] * n,
        "adm5_code": np.tile([*codes, ""], n_days),
        "adm5_name": np.tile([*districts, ALL_DISTRICTS], n_days),
    }
    for name, arr in cols.items():
        frame[name] = arr.reshape(-1)
    frame["model_version"] = [str(ds.attrs.get("source", "coldgrid"))] * n
    state = nowcast_state(ds.attrs)
    if state is not None:
        frame["nowcast"] = [state] * n
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
        percentages to 0.1. The hashtags, one per column (:func:`columns`).
    """
    from sim.report.scenarios import split_scenarios

    scenarios = split_scenarios(ds)
    if "scenario" in ds.dims:
        if scenario is not None:
            scenarios = [sc for sc in scenarios if sc[0] == scenario]
            if not scenarios:
                raise ValueError(f"scenario {scenario!r} not in {[str(x) for x in ds['scenario'].values]}")
    elif scenario is not None:
        scenarios = [(scenario, scenarios[0][1])]
    frames = [_scenario_frame(label, sub) for label, sub in scenarios]
    df = pd.concat(frames, ignore_index=True)
    spec = columns(Settings.from_dataset(scenarios[0][1]))
    order = [c for c, _, _ in spec if c in df.columns]
    df = _round(df[order])
    tags = {c: t for c, t, _ in spec}
    return df, [tags[c] for c in order]


def write_summary_csv(ds: xr.Dataset, path: str | Path) -> list[Path]:
    """Write ``summary.csv`` (header, HXL hashtag row, data; atomic) and ``summary_readme.txt`` beside it.

    Returns
    -------
    list of Path
        The CSV and the readme.
    """
    df, tags = summary_frame(ds)
    path = Path(path)
    csv = write_csv(df, path, header_rows=[tags])
    readme = atomic_write_text(path.with_name("summary_readme.txt"), _readme())
    return [csv, readme]


# ------------------------------------------------------------------------------- headline, comparison
#: Hashtags of the columns of headline.csv, comparison.csv and triggers.csv (percentile columns by rule).
_TAGS = {
    "scenario": "#meta+scenario",
    "baseline": "#meta+baseline",
    "figure": "#indicator+code",
    "label": "#indicator+name",
    "unit": "#indicator+unit",
    "section": "#meta+section",
    "lead": "#meta+lead",
    "definition": "#description",
    "adm5_code": "#adm5+code",
    "adm5_name": "#adm5+name",
    "p50": "#indicator+value+p50",
    "shown": "#indicator+text+shown",
    "ceiling": "#indicator+value+ceiling",
    "at_ceiling": "#meta+at_ceiling",
    "p50_ci_low": "#indicator+value+p50+ci_low",
    "p50_ci_high": "#indicator+value+p50+ci_high",
    "mc_rel_error": "#indicator+mc_error",
    "mc_enough": "#meta+mc_enough",
    "baseline_p50": "#indicator+value+baseline+p50",
    "scenario_p50": "#indicator+value+scenario+p50",
    "diff_p50": "#indicator+value+diff+p50",
    "rel_diff_p50": "#indicator+share+diff+p50",
    "diff_ci_low": "#indicator+value+diff+p50+ci_low",
    "diff_ci_high": "#indicator+value+diff+p50+ci_high",
    "paired": "#meta+paired",
    "note": "#meta+note",
    "trigger": "#meta+trigger+id",
    "chosen": "#meta+trigger+chosen",
    "forecast_min_below_c": "#indicator+temp+forecast_min+threshold",
    "blocks_without_heat_over": "#indicator+buildings+noheat+threshold",
    "blocks_frac": "#indicator+buildings+noheat+threshold+share",
    "sustained_h": "#indicator+hours+sustained",
    "forecast_days": "#indicator+days+forecast",
    "runs_triggered": "#indicator+probability+trigger",
    "probability": "#indicator+probability+need",
    "hit_rate": "#indicator+probability+hit",
    "trigger_day_p50": "#indicator+day+trigger+p50",
    "trigger_date_p50": "#date+trigger+p50",
    "lead_time_days_p50": "#indicator+days+lead_time+p50",
    "places_to_open_p50": "#inneed+heating_point+places+p50",
    "places_to_open_p95": "#inneed+heating_point+places+p95",
}


def hxl_tags(cols: list[str]) -> list[str]:
    """HXL hashtags for the columns of headline.csv, comparison.csv and triggers.csv."""
    out = []
    for c in cols:
        if c in _TAGS:
            out.append(_TAGS[c])
            continue
        m = re.fullmatch(r"(diff_)?p(\d+(?:\.\d+)?)", c)
        if m:
            out.append(f"#indicator+value{'+diff' if m.group(1) else ''}+{_p(float(m.group(2)))}")
            continue
        m = re.fullmatch(r"prob_reduction(?:_(\d+))?", c)
        if m:
            out.append(f"#indicator+probability+cut{m.group(1) or ''}")
            continue
        out.append("#meta+" + re.sub(r"[^a-z0-9_]", "_", c.lower()))
    return out


def write_headline_csv(table: pd.DataFrame, path: str | Path) -> Path:
    """Write ``headline.csv``: header, HXL hashtag row, one row per figure (city, then districts)."""
    return write_csv(table, Path(path), header_rows=[hxl_tags(list(table.columns))])


def write_comparison_csv(table: pd.DataFrame, path: str | Path) -> Path:
    """Write ``comparison.csv``: header, HXL hashtag row, one row per pair x figure x (city, districts)."""
    return write_csv(table, Path(path), header_rows=[hxl_tags(list(table.columns))])


def read_hxl_csv(path: str | Path) -> pd.DataFrame:
    """Read a coldgrid CSV with its HXL hashtag row (row 2) left out; empty codes stay empty strings."""
    return pd.read_csv(path, skiprows=[1], keep_default_na=False, na_values=[""],
                       dtype={"adm5_code": str, "adm5_name": str, "adm1_code": str}).fillna(
        {"adm5_code": "", "adm5_name": "", "adm1_code": ""})
