"""The figures of a brief, defined once: key, label, unit, definition and how to compute them per run.

One table, :data:`FIGURES` (plus one generator-count figure per size class found in a result, see
:func:`definitions`), builds every place a figure appears: the brief's key figures, highlights and
tables (:mod:`sim.report.content`), ``headline.csv`` and the console summary (:func:`sim.stats.headline_table`),
``comparison.csv`` (:func:`sim.stats.comparison_table`) and the district rows of ``summary.csv``.

Each figure is computed per Monte Carlo run (realization) from a run's Dataset (``result.nc``); the
statistics over runs (median, interval, paired differences, Monte Carlo error) are :mod:`sim.stats`'s job.
Thresholds, durations and shares are not written here: they come from the run's config (:class:`Settings`),
so a brief states what the run was asked for. Labels and definitions are English message ids with
``{placeholders}`` filled from :meth:`Settings.placeholders`; the report translates them (gettext).

"Peak" means one thing everywhere: the highest value at any hour of the run, in each run; the figure is the
median over runs of those peaks (not the highest point of the median curve, which is lower).

Cold bands (calibration G1, G2): WHO Housing and Health Guidelines (2018), 18 degC minimum; Department of
Health, Cold Weather Plan for England (2011), below 16 degC resistance to respiratory infection falls, below
12 degC cardiovascular strain, below 9 degC for more than 2 h core body temperature falls; Collins (1986),
Age and Ageing 15(4):212-220, high risk of hypothermia near 5-6 degC.
"""

from __future__ import annotations

import copy
import functools
import json
import os
import warnings
from collections.abc import Callable
from dataclasses import dataclass, field, fields, replace
from typing import Any

import numpy as np
import xarray as xr
import yaml

__all__ = [
    "FIGURES",
    "N_",
    "PEAK_NOTE",
    "FigureDef",
    "Settings",
    "daily_mean_worst",
    "definitions",
    "district_ranking",
    "district_values",
    "restore_days",
    "values",
]


def N_(message: str) -> str:  # noqa: N802 - the gettext convention
    """Mark a message id for extraction (``pybabel extract``); translated where it is shown."""
    return message


#: Labels of the two figures that exist only by district (:func:`sim.report.exports.headline_frame`).
EXTRA_LABELS = {
    "hardest_hit_share": N_("Share of runs in which the district is among the {k} hardest hit"),
    "person_days_below_12_per_1000": N_("Person-days below {severe_c} °C per 1,000 people present"),
}
#: Units of the figures (message ids).
UNITS = [N_(u) for u in ("people", "households", "person-days", "h", "places", "points", "generators", "kW",
                         "L/day", "L", "buildings", "days", "%", "per 1,000")]

#: The definition of "peak", appended to the footnote of every peak figure.
PEAK_NOTE = N_("peak: the highest value at any hour of the run, in each run (the median is over runs of these peaks)")


# ------------------------------------------------------------------------------------------------ settings
@dataclass(frozen=True)
class Settings:
    """Definitions and summary settings of a run's figures, read from its config (``people``, ``output``).

    Attributes mirror config keys: ``long_c``/``long_h`` are ``people.long_exposure_c``/``_h``,
    ``severe_c``/``severe_h`` ``people.severe_exposure_c``/``_h``, ``danger_c``/``danger_h``
    ``people.danger_c``/``_h``, ``household_size`` ``city.household_size``; the rest are keys of the
    ``output`` group (:class:`sim.config.output.OutputConfig`).
    """

    long_c: float = 16.0  # [degC]
    long_h: float = 24.0  # [h]
    severe_c: float = 12.0  # [degC]
    severe_h: float = 72.0  # [h]
    danger_c: float = 6.0  # [degC]
    danger_h: float = 2.0  # [h]
    household_size: float = 2.42  # [people]
    interval_pct: float = 90.0  # [%]
    reduction_frac: float = 0.25  # [1]
    restored_frac: float = 0.1  # [1]
    top_districts: int = 3
    mc_confidence: float = 0.95  # [1]
    mc_rel_tolerance: float = 0.1  # [1]
    trigger_forecast_min_c: tuple[float, ...] = (-10.0, -15.0, -20.0)  # [degC]
    trigger_blocks_frac: tuple[float, ...] = (0.02, 0.05, 0.1)  # [1]
    trigger_sustained_h: float = 48.0  # [h]
    trigger_forecast_days: float = 5.0  # [d]
    trigger_min_probability: float = 0.5  # [1]
    horizon_days: float = 0.0  # [d], 0: from the time axis

    @property
    def percentiles(self) -> tuple[float, float, float]:
        """(low, 50, high) percentiles of the interval, e.g. (5, 50, 95). [%]"""
        lo = (100.0 - float(self.interval_pct)) / 2.0
        return lo, 50.0, 100.0 - lo

    @property
    def pct_names(self) -> tuple[str, str]:
        """Column names of the interval's ends, e.g. ``("p5", "p95")``."""
        lo, _, hi = self.percentiles
        return f"p{lo:g}", f"p{hi:g}"

    def placeholders(self, number: Callable[[float], str] | None = None) -> dict[str, str]:
        """Values for the ``{placeholders}`` of labels and definitions, written by ``number`` (a brief's
        locale-aware :meth:`sim.report.i18n.Lang.exact`; default Python's ``:g``)."""
        g = number or _g
        return {
            "long_c": g(self.long_c),
            "long_h": g(self.long_h),
            "severe_c": g(self.severe_c),
            "severe_h": g(self.severe_h),
            "danger_c": g(self.danger_c),
            "danger_h": g(self.danger_h),
            "household_size": g(self.household_size),
            "restored_pct": g(100 * (1 - self.restored_frac)),
            "restored_frac_pct": g(100 * self.restored_frac),
            "interval": g(self.interval_pct),
            "reduction_pct": g(100 * self.reduction_frac),
        }

    @classmethod
    def from_dataset(cls, ds: xr.Dataset, **overrides: Any) -> Settings:
        """Settings of a run: its resolved config (``config`` attribute), then the variables' own
        ``threshold_c``/``duration_h`` attributes (what was computed), then ``overrides`` (None is ignored)."""
        cfg = config_of(ds)
        people: dict[str, Any] = cfg["people"] if isinstance(cfg.get("people"), dict) else {}
        output: dict[str, Any] = cfg["output"] if isinstance(cfg.get("output"), dict) else {}
        city: dict[str, Any] = cfg["city"] if isinstance(cfg.get("city"), dict) else {}
        kw: dict[str, Any] = {}
        for key, src in (
            ("long_c", people.get("long_exposure_c")),
            ("long_h", people.get("long_exposure_h")),
            ("severe_c", people.get("severe_exposure_c")),
            ("severe_h", people.get("severe_exposure_h")),
            ("danger_c", people.get("danger_c")),
            ("danger_h", people.get("danger_h")),
            ("household_size", city.get("household_size")),
        ):
            if src is not None:
                kw[key] = float(src)
        for f in fields(cls):
            if f.name in output and output[f.name] is not None:
                value = output[f.name]
                kw[f.name] = tuple(float(x) for x in value) if isinstance(value, list) else value
        for var, (kc, kh) in {
            "people_cold_24h": ("long_c", "long_h"),
            "people_severe_cold": ("severe_c", "severe_h"),
            "people_dangerous_cold": ("danger_c", "danger_h"),
        }.items():
            if var in ds and "threshold_c" in ds[var].attrs:
                kw[kc] = float(ds[var].attrs["threshold_c"])
                kw[kh] = float(ds[var].attrs.get("duration_h", kw.get(kh, getattr(cls, kh))))
        if "household_size" in ds.attrs:
            kw["household_size"] = float(ds.attrs["household_size"])
        if ds.attrs.get("horizon_days"):
            kw["horizon_days"] = float(ds.attrs["horizon_days"])
        kw.update({k: v for k, v in overrides.items() if v is not None})
        return replace(cls(), **kw)


def config_of(ds: xr.Dataset) -> dict:
    """A run's resolved config (``config`` attribute, YAML) as a dict; ``{}`` when absent or unreadable.

    A brief reads the same run's config many times (every :meth:`Settings.from_dataset`), so the text is
    parsed once (:func:`_parsed_config`, LibYAML's parser where PyYAML has it) and each call gets its own
    deep copy: a caller that changes the dict changes nothing that another call returns.
    """
    return copy.deepcopy(_parsed_config(str(ds.attrs.get("config", ""))))


#: PyYAML's safe loader in C (LibYAML) when PyYAML was built with it, else the pure-Python one (same result).
_SAFE_LOADER: Any = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def _parse_config(text: str) -> dict:
    """The config text parsed (YAML, then JSON); ``{}`` when unreadable or not a mapping."""
    try:
        cfg = yaml.load(text or "{}", Loader=_SAFE_LOADER)  # a safe loader (C or Python)
    except yaml.YAMLError:
        try:
            cfg = json.loads(text)
        except ValueError:
            return {}
    return cfg if isinstance(cfg, dict) else {}


#: :func:`_parse_config` cached by the text: never change what it returns (:func:`config_of` hands out copies).
#: A decorator-free wrapper, so that mutation testing still mutates the parser; a forked child (mutmut runs
#: each mutant in one, the DES forks its realizations) starts with an empty cache and parses anew.
_parsed_config = functools.lru_cache(maxsize=32)(_parse_config)
if hasattr(os, "register_at_fork"):  # POSIX
    os.register_at_fork(after_in_child=_parsed_config.cache_clear)


# --------------------------------------------------------------------------------------------- the table
Compute = Callable[[xr.Dataset, Settings], xr.DataArray]


@dataclass(frozen=True)
class FigureDef:
    """One figure of the brief.

    Attributes
    ----------
    key : str
        Stable key (column ``figure`` of ``headline.csv`` and ``comparison.csv``).
    label : str
        Plain-language label, an English message id with ``{placeholders}`` (:meth:`Settings.placeholders`).
    unit : str
        Unit kept apart from the number: people, households, person-days, h, places, points, generators,
        kW, L/day, L, buildings, days, %.
    definition : str
        The footnote: what exactly is counted (message id with placeholders).
    city : callable
        ``city(ds, settings) -> DataArray (realization,)``.
    needs : tuple of str
        Variables the figure needs; a figure whose variables are missing is left out.
    section : str
        ``exposure``, ``vulnerable``, ``supply`` or ``needs``: where the brief shows it.
    lead : bool
        A lead figure (chosen because it does not saturate): starred first in the printed summary and
        ``headline.csv``, and counted by the brief's Monte Carlo statement. Not the same set as the brief's
        key-figure boxes (:func:`sim.report.content.run_content` chooses those).
    district : callable, optional
        ``district(ds, settings) -> DataArray (realization, district)``: the figure by district.
    ceiling : callable, optional
        ``ceiling(ds, settings) -> float``: a physical upper bound (everyone, every building, 100 %); an
        interval end at the ceiling is marked as such.
    cut_is_good : bool
        Whether a reduction is an improvement (probability of a cut is shown), else only the difference.
    threshold : str, optional
        ``long`` or ``severe``: the figure needs that temperature among the result's thresholds.
    extra : dict
        More placeholder values for the label and definition.
    peak : bool
        A peak figure: its definition ends with :data:`PEAK_NOTE`.
    """

    key: str
    label: str
    unit: str
    definition: str
    city: Compute
    needs: tuple[str, ...]
    section: str
    lead: bool = False
    district: Callable[[xr.Dataset, Settings], xr.DataArray | None] | None = None
    ceiling: Callable[[xr.Dataset, Settings], float] | None = None
    cut_is_good: bool = True
    threshold: str | None = None
    extra: dict = field(default_factory=dict)
    peak: bool = False

    def available(self, ds: xr.Dataset, s: Settings) -> bool:
        """Whether ``ds`` has what this figure needs."""
        if not all(v in ds for v in self.needs):
            return False
        if self.threshold is not None:
            if "threshold" not in ds.coords:
                return False
            c = s.long_c if self.threshold == "long" else s.severe_c
            return bool(np.isclose(ds["threshold"].values.astype(float), c).any())
        return True


# ----------------------------------------------------------------------------------------------- helpers
def _hours(ds: xr.Dataset) -> np.ndarray:
    t = ds["time"].values
    return ((t - t[0]) / np.timedelta64(1, "h")).astype(float)


def _dt_h(ds: xr.Dataset) -> float:
    h = _hours(ds)
    return float(h[1] - h[0]) if len(h) > 1 else 1.0


def covered_days(ds: xr.Dataset) -> float:
    """The days a result covers: its ``horizon_days`` unless its time axis differs from it by a step or more
    (a result cut short, a sweep job's own period), then the axis. [d]"""
    recorded = ds.attrs.get("horizon_days")
    if "time" not in ds.coords or not ds.sizes.get("time"):
        return float(recorded or 0.0)
    dt_h = _dt_h(ds)
    axis = (float(_hours(ds)[-1]) + dt_h) / 24.0
    if recorded and abs(float(recorded) - axis) < dt_h / 24.0:
        return float(recorded)
    return axis


def _day_index(ds: xr.Dataset) -> xr.DataArray:
    """Day of the run of each time step, counted from the start (day 0 = the first 24 hours)."""
    return xr.DataArray(np.floor(_hours(ds) / 24.0 + 1e-9).astype(int), dims="time", name="run_day")


def _thr(ds: xr.Dataset, c: float) -> float:
    values = ds["threshold"].values.astype(float)
    return float(values[np.argmin(np.abs(values - c))])


def _groups(codes: np.ndarray) -> list[np.ndarray]:
    """The positions of each code, codes in sorted order (the groups of ``DataArray.groupby(codes)``)."""
    return [np.flatnonzero(codes == k) for k in np.unique(codes)]


def _max(a: np.ndarray, axis: int) -> np.ndarray:
    """``DataArray.max`` along ``axis``: NaN skipped in float data (``numpy.nanmax`` is ``fmax.reduce``)."""
    return np.fmax.reduce(a, axis=axis) if a.dtype.kind in "cf" else np.max(a, axis=axis)


def _reduce_groups(a: np.ndarray, groups: list[np.ndarray], how: str, axis: int = 1) -> np.ndarray:
    """``DataArray.groupby(...).max / mean / last`` along ``axis`` of a plain array, group by group, with the
    reductions xarray applies to each group (NaN skipped in float data: ``nanmax``, ``nanmean``, the last value
    that is not NaN), without its per-group overhead; the groups' results stacked along ``axis``."""
    skip = a.dtype.kind in "cf"
    out = []
    for idx in groups:
        # indexed as xarray indexes a group (an integer array): numpy lays the result out group-axis first, and
        # nanmean's sum then runs along it step by step, not pairwise: the same bits as the groupby
        g = a[(slice(None),) * axis + (idx,)]
        if how == "max":
            out.append(_max(g, axis))
        elif how == "mean":
            if skip:
                with warnings.catch_warnings():
                    warnings.filterwarnings("ignore", r"Mean of empty slice", category=RuntimeWarning)
                    out.append(np.nanmean(g, axis=axis))
            else:
                out.append(np.mean(g, axis=axis))
        elif how == "last":
            if skip:
                rev = np.flip(~np.isnan(g), axis=axis)
                pos = g.shape[axis] - 1 - np.argmax(rev, axis=axis)
                out.append(np.squeeze(np.take_along_axis(g, np.expand_dims(pos, axis), axis=axis), axis=axis))
            else:
                out.append(np.take(g, -1, axis=axis))
        else:
            raise ValueError(f"unknown reduction {how!r}")
    return np.stack(out, axis=axis)


def daily_mean_worst(da: xr.DataArray, ds: xr.Dataset) -> xr.DataArray:
    """Highest daily average of ``da`` (dims ``realization, time, ...``) over the days of the run.

    Days are counted from the run's start; a last, partial day is averaged over the hours it covers.
    (``da.groupby(run day).mean("time").max()``, computed on the array.)
    """
    axis = da.get_axis_num("time")
    daily = _reduce_groups(da.values, _groups(_day_index(ds).values), "mean", axis=axis)
    return xr.DataArray(_max(daily, axis), dims=[d for d in da.dims if d != "time"],
                        coords={k: c for k, c in da.coords.items() if "time" not in c.dims}, name=da.name)


def restore_days(series: np.ndarray, hours: np.ndarray, dt_h: float, restored_frac: float) -> np.ndarray:
    """(R, T) count -> (R,) days from the peak until the count is at or below ``restored_frac`` x peak.

    Censored at the end of the run when that never happens (then a lower bound); 0 when the peak is 0.

    Examples
    --------
    >>> restore_days(np.array([[0.0, 10.0, 6.0, 1.0, 0.0]]), np.arange(5) * 24.0, 24.0, 0.1)
    array([2.])
    """
    n_steps = series.shape[-1]
    peak_idx = np.argmax(series, axis=-1)
    peak = np.take_along_axis(series, peak_idx[:, None], axis=-1)
    steps = np.arange(n_steps)[None, :]
    back = (steps > peak_idx[:, None]) & (series <= restored_frac * peak)
    first = np.argmax(back, axis=-1)
    end_h = np.where(back.any(axis=-1), hours[first], hours[-1] + dt_h)
    days = (end_h - hours[peak_idx]) / 24.0
    return np.where(peak[:, 0] > 0, days, 0.0)


def _pop(ds: xr.Dataset, s: Settings) -> float:
    """The city's people present as a ceiling: none (NaN) when a district's population is unknown (the
    known districts' sum would be too low a bound), none (inf) without a population."""
    return float(ds["population"].sum(skipna=False)) if "population" in ds else float("inf")


def _age_total(group: str) -> Callable[[xr.Dataset, Settings], float]:
    """The city's people of an age group as a ceiling: none (NaN) when a district's are unknown (the known
    districts' sum would be too low a bound), as :func:`_pop`."""
    def f(ds: xr.Dataset, s: Settings) -> float:
        if "occupants" in ds and "age_group" in ds["occupants"].dims:
            return float(ds["occupants"].sel(age_group=group).sum(skipna=False))
        return _pop(ds, s)

    return f


def _buildings(ds: xr.Dataset, s: Settings) -> float:
    return float(ds["apartment_buildings"].sum()) if "apartment_buildings" in ds else float("inf")


def _below(ds: xr.Dataset, c: float, by_district: bool = False) -> xr.DataArray:
    if by_district:
        return ds["people_below_threshold_by_district"].sel(threshold=_thr(ds, c))
    return ds["people_below_threshold"].sel(threshold=_thr(ds, c))


def _age(da: xr.DataArray, group: str) -> xr.DataArray:
    return da.sel(age_group=group) if "age_group" in da.dims else da


def _peak(da: xr.DataArray) -> xr.DataArray:
    return da.max("time")


def _unmet_d(ds: xr.Dataset) -> xr.DataArray:
    return (ds["heating_point_demand_by_district"] - ds["heating_point_capacity_by_district"]).clip(min=0.0)


def _points_needed_d(ds: xr.Dataset) -> xr.DataArray:
    places = float(ds["heating_point_capacity_by_district"].attrs.get("places_per_point", 100.0)) or 1.0
    return xr.ufuncs.maximum(ds["heating_point_demand_by_district"] / places,
                      ds["heating_point_capacity_by_district"] / places)


def _share_without_power_city(ds: xr.Dataset) -> xr.DataArray:
    """The city's share of residents without power, (realization, time): the districts' shares weighted by
    their people present (``occupants``, all ages). [1]

    NaN (not available) when any district's people present are unknown (NaN), like the city's rate per
    1,000: over the known districts only it would be their share, labelled as the whole city's. Without
    ``occupants`` (never in a result the model writes: :func:`sim.people.exposure_to_dataset` always has
    them) or with none present, the districts' unweighted mean.
    """
    share = ds["share_without_power"]
    if "occupants" in ds:
        w = ds["occupants"].sel(age_group="all")
        total = float(w.sum(skipna=False))
        if np.isnan(total) or total > 0:  # NaN: a district's weight unknown, and so is the city's share
            return (share * w).sum("district", skipna=False) / total
    return share.mean("district")


def _days_to_restore(ds: xr.Dataset, s: Settings) -> xr.DataArray:
    series = ds["buildings_without_heat"].sum("district").transpose("realization", "time")
    days = restore_days(series.values.astype(float), _hours(ds), _dt_h(ds), s.restored_frac)
    return xr.DataArray(days, dims="realization", coords={"realization": series["realization"]})


def _by_class(share_index: int) -> Compute:
    def f(ds: xr.Dataset, s: Settings) -> xr.DataArray:
        return ds["generators_running"].max("time") * float(ds["generator_class_share"][share_index])

    return f


def _by_class_d(share_index: int) -> Compute:
    def f(ds: xr.Dataset, s: Settings) -> xr.DataArray:
        return ds["generators_running_by_district"].max("time") * float(ds["generator_class_share"][share_index])

    return f


#: The figures, in the order the brief and the CSVs list them.
FIGURES: list[FigureDef] = [
    # ---- exposure: lead figures that do not saturate
    FigureDef(
        "people_below_16_mean", "People below {long_c} °C indoors, average over the period", "people",
        "people whose home is below {long_c} °C, averaged over every hour of the period",
        lambda ds, s: _below(ds, s.long_c).mean("time"), ("people_below_threshold",), "exposure", lead=True,
        district=lambda ds, s: _below(ds, s.long_c, True).mean("time"), ceiling=_pop, threshold="long",
    ),
    FigureDef(
        "people_below_16_worst_day", "People below {long_c} °C indoors on the worst day", "people",
        "people whose home is below {long_c} °C, averaged over each day of the run; the worst day's average",
        lambda ds, s: daily_mean_worst(_below(ds, s.long_c), ds), ("people_below_threshold",), "exposure",
        lead=True, district=lambda ds, s: daily_mean_worst(_below(ds, s.long_c, True), ds), ceiling=_pop,
        threshold="long",
    ),
    FigureDef(
        "people_below_12_mean", "People below {severe_c} °C indoors, average over the period", "people",
        "people whose home is below {severe_c} °C, averaged over every hour of the period",
        lambda ds, s: _below(ds, s.severe_c).mean("time"), ("people_below_threshold",), "exposure", lead=True,
        district=lambda ds, s: _below(ds, s.severe_c, True).mean("time"), ceiling=_pop, threshold="severe",
    ),
    FigureDef(
        "people_below_12_worst_day", "People below {severe_c} °C indoors on the worst day", "people",
        "people whose home is below {severe_c} °C, averaged over each day of the run; the worst day's average",
        lambda ds, s: daily_mean_worst(_below(ds, s.severe_c), ds), ("people_below_threshold",), "exposure",
        lead=True, district=lambda ds, s: daily_mean_worst(_below(ds, s.severe_c, True), ds), ceiling=_pop,
        threshold="severe",
    ),
    FigureDef(
        "person_days_below_12", "Person-days below {severe_c} °C indoors", "person-days",
        "sum over people of the time their home was below {severe_c} °C, in days",
        lambda ds, s: ds["person_hours_below_threshold"].sel(threshold=_thr(ds, s.severe_c)).sum("district") / 24.0,
        ("person_hours_below_threshold",), "exposure", lead=True,
        district=lambda ds, s: ds["person_hours_below_threshold"].sel(threshold=_thr(ds, s.severe_c)) / 24.0,
        threshold="severe",
    ),
    FigureDef(
        "people_cold_72h", "People below {severe_c} °C indoors for {severe_h} h or more", "people",
        "people whose home stayed below {severe_c} °C for at least {severe_h} h in a row at some time of the run",
        lambda ds, s: _age(ds["people_severe_cold"], "all").sum("district"), ("people_severe_cold",), "exposure",
        lead=True, district=lambda ds, s: _age(ds["people_severe_cold"], "all"), ceiling=_pop,
    ),
    FigureDef(
        "people_cold_72h_65plus", "Aged 65+ below {severe_c} °C for {severe_h} h or more", "people",
        "people aged 65 or over whose home stayed below {severe_c} °C for at least {severe_h} h in a row",
        lambda ds, s: _age(ds["people_severe_cold"], "65plus").sum("district"), ("people_severe_cold",),
        "vulnerable", lead=True, district=lambda ds, s: _age(ds["people_severe_cold"], "65plus"),
        ceiling=_age_total("65plus"),
    ),
    FigureDef(
        "people_cold_72h_under5", "Under 5 below {severe_c} °C for {severe_h} h or more", "people",
        "children under 5 whose home stayed below {severe_c} °C for at least {severe_h} h in a row",
        lambda ds, s: _age(ds["people_severe_cold"], "under5").sum("district"), ("people_severe_cold",),
        "vulnerable", lead=True, district=lambda ds, s: _age(ds["people_severe_cold"], "under5"),
        ceiling=_age_total("under5"),
    ),
    # ---- exposure: secondary figures
    FigureDef(
        "people_cold_24h", "People below {long_c} °C indoors for {long_h} h or more", "people",
        "people whose home stayed below {long_c} °C for at least {long_h} h in a row at some time of the run "
        "(saturates: most people with an outage longer than a day or two are counted)",
        lambda ds, s: ds["people_cold_24h"].sum("district"), ("people_cold_24h",), "exposure",
        district=lambda ds, s: ds["people_cold_24h"], ceiling=_pop,
    ),
    FigureDef(
        "households_cold_24h", "Households below {long_c} °C indoors for {long_h} h or more", "households",
        "the same, in households: people / {household_size} (Shelter Cluster Ukraine)",
        lambda ds, s: ds["people_cold_24h"].sum("district") / s.household_size, ("people_cold_24h",), "exposure",
        district=lambda ds, s: ds["people_cold_24h"] / s.household_size,
        ceiling=lambda ds, s: _pop(ds, s) / s.household_size,
    ),
    FigureDef(
        "people_cold_24h_65plus", "Aged 65+ below {long_c} °C for {long_h} h or more", "people",
        "people aged 65 or over whose home stayed below {long_c} °C for at least {long_h} h in a row",
        lambda ds, s: ds["people_cold_24h_by_age"].sel(age_group="65plus").sum("district"),
        ("people_cold_24h_by_age",), "vulnerable",
        district=lambda ds, s: ds["people_cold_24h_by_age"].sel(age_group="65plus"), ceiling=_age_total("65plus"),
    ),
    FigureDef(
        "people_cold_24h_under5", "Under 5 below {long_c} °C for {long_h} h or more", "people",
        "children under 5 whose home stayed below {long_c} °C for at least {long_h} h in a row",
        lambda ds, s: ds["people_cold_24h_by_age"].sel(age_group="under5").sum("district"),
        ("people_cold_24h_by_age",), "vulnerable",
        district=lambda ds, s: ds["people_cold_24h_by_age"].sel(age_group="under5"), ceiling=_age_total("under5"),
    ),
    FigureDef(
        "person_days_below_12_65plus", "Person-days below {severe_c} °C, aged 65+", "person-days",
        "sum over people aged 65 or over of the time their home was below {severe_c} °C, in days",
        lambda ds, s: ds["person_hours_below_threshold_by_age"].sel(threshold=_thr(ds, s.severe_c),
                                                                    age_group="65plus").sum("district") / 24.0,
        ("person_hours_below_threshold_by_age",), "vulnerable", threshold="severe",
    ),
    FigureDef(
        "person_days_below_12_under5", "Person-days below {severe_c} °C, under 5", "person-days",
        "sum over children under 5 of the time their home was below {severe_c} °C, in days",
        lambda ds, s: ds["person_hours_below_threshold_by_age"].sel(threshold=_thr(ds, s.severe_c),
                                                                    age_group="under5").sum("district") / 24.0,
        ("person_hours_below_threshold_by_age",), "vulnerable", threshold="severe",
    ),
    FigureDef(
        "people_dangerous_cold", "People below {danger_c} °C indoors for {danger_h} h or more", "people",
        "dangerous band: high hypothermia risk near 5-6 °C (Collins 1986; Cold Weather Plan for England); "
        "a home below {danger_c} °C for at least {danger_h} h in a row",
        lambda ds, s: _age(ds["people_dangerous_cold"], "all").sum("district"), ("people_dangerous_cold",),
        "exposure", district=lambda ds, s: _age(ds["people_dangerous_cold"], "all"), ceiling=_pop,
    ),
    FigureDef(
        "cold_hours_median", "Hours below {long_c} °C per affected person: median", "h",
        "total hours below {long_c} °C over the run per person who was below {long_c} °C at all; the median "
        "over people in each run",
        lambda ds, s: _age(ds["cold_hours_median"], "all"), ("cold_hours_median",), "exposure", cut_is_good=False,
    ),
    FigureDef(
        "cold_hours_p90", "Hours below {long_c} °C per affected person: 90th percentile", "h",
        "total hours below {long_c} °C over the run per person who was below {long_c} °C at all; the 90th "
        "percentile over people in each run",
        lambda ds, s: _age(ds["cold_hours_p90"], "all"), ("cold_hours_p90",), "exposure", cut_is_good=False,
    ),
    # ---- supply
    FigureDef(
        "buildings_without_heat_peak", "Apartment buildings without heat at the peak", "buildings",
        "buildings on district heating without heat at the same time",
        lambda ds, s: _peak(ds["buildings_without_heat"].sum("district")), ("buildings_without_heat",), "supply",
        district=lambda ds, s: _peak(ds["buildings_without_heat"]), ceiling=_buildings,
        peak=True,
    ),
    FigureDef(
        "days_to_restore_heat", "Days from the peak until heat is back in {restored_pct} % of those buildings",
        "days",
        "from the peak until buildings without heat fall to {restored_frac_pct} % of the peak; censored at the "
        "end of the run (then a lower bound)",
        _days_to_restore, ("buildings_without_heat",), "supply",
    ),
    FigureDef(
        "buildings_drained_peak", "Buildings with drained heating systems at the peak", "buildings",
        "buildings whose heating system was drained (or froze) at the same time",
        lambda ds, s: _peak(ds["buildings_drained"].sum("district")), ("buildings_drained",), "supply",
        district=lambda ds, s: _peak(ds["buildings_drained"]), ceiling=_buildings,
        peak=True,
    ),
    FigureDef(
        "buildings_frozen_peak", "Buildings whose heating systems froze (weeks to restore)", "buildings",
        "buildings whose undrained heating system froze, at the peak (a frozen system stays out for weeks)",
        lambda ds, s: _peak(ds["buildings_frozen"].sum("district")), ("buildings_frozen",), "supply",
        district=lambda ds, s: _peak(ds["buildings_frozen"]), ceiling=_buildings,
    ),
    FigureDef(
        "share_without_power_peak", "Residents without power at the peak", "%",
        "share of residents on feeders without power at the same time (weighted by people present)",
        lambda ds, s: 100.0 * _peak(_share_without_power_city(ds)), ("share_without_power",), "supply",
        district=lambda ds, s: 100.0 * _peak(ds["share_without_power"]), ceiling=lambda ds, s: 100.0,
        peak=True,
    ),
    # ---- needs
    FigureDef(
        "heating_point_demand_peak", "Heating-point places needed at the peak", "places",
        "people who would sit in a heating point at the same time (65+ and under-5 below {long_c} °C, everyone "
        "below {severe_c} °C, times uptake)",
        lambda ds, s: _peak(ds["heating_point_demand"]), ("heating_point_demand",), "needs",
        district=lambda ds, s: _peak(ds["heating_point_demand_by_district"])
        if "heating_point_demand_by_district" in ds else None,
        ceiling=_pop,
        peak=True,
    ),
    FigureDef(
        "heating_point_capacity", "Heating-point places available", "places",
        "heating points x places per point (calibration D5); by district: spread like the people present unless "
        "configured",
        lambda ds, s: ds["heating_point_capacity"] + 0.0 * ds["heating_point_demand"].isel(time=0, drop=True),
        ("heating_point_capacity", "heating_point_demand"), "needs", cut_is_good=False,
        district=lambda ds, s: ds["heating_point_capacity_by_district"]
        + 0.0 * ds["heating_point_demand_by_district"].isel(time=0, drop=True)
        if "heating_point_capacity_by_district" in ds else None,
    ),
    FigureDef(
        "heating_point_unmet_peak", "Heating-point places short at the peak", "places",
        "demand above the places of each district's points, summed over districts",
        lambda ds, s: _peak(ds["heating_point_unmet_demand"]), ("heating_point_unmet_demand",), "needs",
        district=lambda ds, s: _peak(_unmet_d(ds)) if "heating_point_demand_by_district" in ds else None,
        peak=True,
    ),
    FigureDef(
        "heating_points_needed_peak", "Heating points needed at the peak (open and additional)", "points",
        "the open points, plus as many more of the same size as demand above their places fills",
        lambda ds, s: _peak(_points_needed_d(ds).sum("district")),
        ("heating_point_demand_by_district", "heating_point_capacity_by_district"), "needs",
        district=lambda ds, s: _peak(_points_needed_d(ds)),
        peak=True,
    ),
    FigureDef(
        "generators_peak", "Generators running at heating points at the peak", "generators",
        "heating points needed (open and additional) without grid power at the same time, each running one "
        "generator",
        lambda ds, s: _peak(ds["generators_running"]), ("generators_running",), "needs",
        district=lambda ds, s: _peak(ds["generators_running_by_district"])
        if "generators_running_by_district" in ds else None,
        peak=True,
    ),
    FigureDef(
        "generator_kw_peak", "Rated capacity of those generators at the peak", "kW",
        "sum of the ratings of the generators running (size classes of people.generator_class_kw); the "
        "rating, not the load",
        lambda ds, s: _peak(ds["generator_kw"]), ("generator_kw",), "needs",
        peak=True,
    ),
    FigureDef(
        "generator_load_kw_peak", "Load of those generators at the peak", "kW",
        "rating x mean load share of a running generator (people.generator_load_frac)",
        lambda ds, s: _peak(ds["generator_load_kw"]), ("generator_load_kw",), "needs",
        peak=True,
    ),
    FigureDef(
        "diesel_l_per_day_mean", "Diesel for heating-point generators, average day", "L/day",
        "generator load x diesel per kWh (calibration G5: 0.2-0.3 L/kWh), open and additional points",
        lambda ds, s: ds["diesel_consumption"].mean("day"), ("diesel_consumption",), "needs",
        district=lambda ds, s: ds["diesel_consumption_by_district"].mean("day")
        if "diesel_consumption_by_district" in ds else None,
    ),
    FigureDef(
        "diesel_l_per_day_peak", "Diesel for heating-point generators, peak day", "L/day",
        "the day of the run with the most diesel burned, in each run",
        lambda ds, s: ds["diesel_consumption"].max("day"), ("diesel_consumption",), "needs",
        district=lambda ds, s: ds["diesel_consumption_by_district"].max("day")
        if "diesel_consumption_by_district" in ds else None,
    ),
    FigureDef(
        "diesel_total_l", "Diesel for heating-point generators over the whole period", "L",
        "sum of the daily diesel figures (a last, partial day counted for the hours it covers)",
        lambda ds, s: _diesel_total(ds), ("diesel_consumption",), "needs",
    ),
    FigureDef(
        "people_without_water_peak", "People without water at the peak (upper floors)", "people",
        "upper-floor residents whose booster pumps have no power (calibration D6)",
        lambda ds, s: _peak(ds["people_without_water"]), ("people_without_water",), "needs", ceiling=_pop,
        peak=True,
    ),
]


def _diesel_total(ds: xr.Dataset) -> xr.DataArray:
    hours = np.bincount(_day_index(ds).values, minlength=ds.sizes["day"])[: ds.sizes["day"]] * _dt_h(ds)
    return (ds["diesel_consumption"] * xr.DataArray(hours / 24.0, dims="day")).sum("day")


#: Durations of the "vulnerable people by duration" figures (those that are duration-bin edges). [h]
SPELL_HOURS = (24.0, 48.0, 72.0, 168.0)
_AGE_WORDS = {"65plus": "Aged 65+", "under5": "Under 5"}


def _spell(var: str, age: str, hours: float) -> Compute:
    def f(ds: xr.Dataset, s: Settings) -> xr.DataArray:
        h = ds[var].sel(age_group=age)
        return h.where(h["duration_bin"] >= hours - 1e-9, 0.0).sum("duration_bin")

    return f


def _spell_figures(ds: xr.Dataset, s: Settings) -> list[FigureDef]:
    """People aged 65+ and under 5 by their longest spell below the severe and the long threshold."""
    out = []
    for var, c, skip in (("severe_spell_histogram", s.severe_c, s.severe_h), ("cold_spell_histogram", s.long_c, s.long_h)):
        if var not in ds or "age_group" not in ds[var].dims:
            continue
        edges = ds["duration_bin"].values.astype(float)
        for age in ("65plus", "under5"):
            for h in SPELL_HOURS:
                if not np.isclose(edges, h).any() or np.isclose(h, skip):
                    continue
                out.append(FigureDef(
                    f"spell_{c:g}c_{age}_{h:g}h", _AGE_WORDS[age] + " below {c} °C for {h} h or more", "people",
                    "people of this age whose longest spell below {c} °C in a row lasted at least {h} h",
                    _spell(var, age, h), (var,), "vulnerable", ceiling=_age_total(age),
                    extra={"c": f"{c:g}", "h": f"{h:g}"},
                ))
    return out


def definitions(ds: xr.Dataset | None = None, settings: Settings | None = None) -> list[FigureDef]:
    """The figures a Dataset supports, in order; generator counts by size class are added after
    ``generators_peak`` for every class of the result (``generator_class``), and people aged 65+ and
    under 5 by duration (:data:`SPELL_HOURS`) after the lead vulnerable figures."""
    out: list[FigureDef] = []
    s = settings or (Settings.from_dataset(ds) if ds is not None else Settings())
    for f in FIGURES:
        if ds is not None and not f.available(ds, s):
            continue
        out.append(f)
        if f.key == "people_cold_72h_under5" and ds is not None:
            out.extend(_spell_figures(ds, s))
        if f.key == "generators_peak" and ds is not None and "generator_class_share" in ds:
            for i, cls in enumerate(ds["generator_class"].values):
                kw = float(ds["generator_class_kw"][i])
                out.append(FigureDef(
                    f"generators_peak_{cls}", "... of which {kw} kW class", "generators",
                    "generators running at the peak x the share of points needing this size class",
                    _by_class(i), ("generators_running", "generator_class_share"), "needs",
                    district=_by_class_d(i) if "generators_running_by_district" in ds else None,
                    extra={"kw": f"{kw:g}"},
                ))
    return out


def _finish(da: xr.DataArray, keep: tuple[str, ...]) -> xr.DataArray:
    da = da.astype(float)
    return da.drop_vars([c for c in da.coords if c not in keep])


def _g(x: float) -> str:
    return f"{float(x):g}"


def _extra(f: FigureDef, number: Callable[[float], str] | None) -> dict[str, str]:
    """The figure's own placeholders; their numbers (written with ``:g``) rewritten by ``number``."""
    if number is None:
        return dict(f.extra)
    out = {}
    for k, v in f.extra.items():
        try:
            out[k] = number(float(v))
        except (TypeError, ValueError):
            out[k] = v
    return out


def label_of(f: FigureDef, s: Settings, translate: Callable[[str], str] = lambda x: x,
             number: Callable[[float], str] | None = None) -> str:
    """The figure's label in words (translated by ``translate``, a gettext function; numbers by ``number``,
    as :meth:`Settings.placeholders`)."""
    return translate(f.label).format(**s.placeholders(number), **_extra(f, number))


def definition_of(f: FigureDef, s: Settings, translate: Callable[[str], str] = lambda x: x,
                  number: Callable[[float], str] | None = None) -> str:
    """The figure's definition (footnote) in words; peak figures end with :data:`PEAK_NOTE`."""
    text = translate(f.definition).format(**s.placeholders(number), **_extra(f, number))
    return f"{text}; {translate(PEAK_NOTE)}" if f.peak else text


def message_ids() -> list[str]:
    """Every label and definition message id of the table (for the translation catalogs)."""
    out = [PEAK_NOTE, *EXTRA_LABELS.values(), *UNITS, "... of which {kw} kW class",
           "generators running at the peak x the share of points needing this size class",
           "people of this age whose longest spell below {c} °C in a row lasted at least {h} h"]
    out += [w + " below {c} °C for {h} h or more" for w in _AGE_WORDS.values()]
    for f in FIGURES:
        out += [f.label, f.definition]
    return list(dict.fromkeys(out))


def values(ds: xr.Dataset, settings: Settings | None = None, keys: list[str] | None = None) -> xr.Dataset:
    """Every figure ``ds`` supports, per realization (dims ``(realization,)``).

    Each variable has attributes ``units``, ``long_name`` (the English label), ``definition``,
    ``section``, ``lead`` (0/1), ``cut_is_good`` (0/1) and ``ceiling`` (NaN when none).
    """
    s = settings or Settings.from_dataset(ds)
    out = {}
    for f in definitions(ds, s):
        if keys is not None and f.key not in keys:
            continue
        da = _finish(f.city(ds, s), ("realization",))
        da.attrs = {
            "units": f.unit,
            "long_name": label_of(f, s),
            "definition": definition_of(f, s),
            "section": f.section,
            "lead": int(f.lead),
            "cut_is_good": int(f.cut_is_good),
            "ceiling": float(f.ceiling(ds, s)) if f.ceiling is not None else float("nan"),
        }
        out[f.key] = da
    return xr.Dataset(out)


def district_values(ds: xr.Dataset, settings: Settings | None = None) -> xr.Dataset:
    """The figures that exist by district, per realization and district (dims ``(realization, district)``)."""
    s = settings or Settings.from_dataset(ds)
    out = {}
    for f in definitions(ds, s):
        if f.district is None:
            continue
        try:
            da = f.district(ds, s)
        except KeyError:  # a district variable the result does not have
            continue
        if da is None:
            continue
        da = _finish(da.transpose("realization", "district"), ("realization", "district", "katotth"))
        da.attrs = {"units": f.unit, "long_name": label_of(f, s), "definition": definition_of(f, s)}
        out[f.key] = da
    return xr.Dataset(out)


def district_rate(ds: xr.Dataset, s: Settings) -> xr.DataArray:
    """Person-days below ``severe_c`` per 1,000 people present, per realization and district: 0 in a
    district of 0 people, NaN in one whose population is unknown (NaN; not 0, which would rank it last)."""
    pdays = ds["person_hours_below_threshold"].sel(threshold=_thr(ds, s.severe_c)) / 24.0
    pop = ds["population"].where(ds["population"] > 0)
    return (1000.0 * pdays / pop).fillna(0.0).where(ds["population"].notnull())


def district_ranking(ds: xr.Dataset, settings: Settings | None = None) -> xr.Dataset:
    """Which districts are hit hardest, and how sure that is.

    Districts are ranked in each run by person-days below ``severe_c`` per 1,000 people present; the
    probability is the share of runs in which a district is among the ``top_districts`` hardest hit
    (ties broken by the district order; a conditioned nowcast's runs count by their weights). Returns variables ``rate`` (realization, district) and ``p_top``
    (district), sorted by ``p_top`` then by the median rate, highest first. A district whose population is
    unknown has no rate and is not ranked (``p_top`` NaN, sorted last): the others are ranked among the known.
    """
    from sim import weighted_stats as stats

    s = settings or Settings.from_dataset(ds)
    w = stats.realization_weights(ds)  # a conditioned nowcast: the weights' share of the runs
    rate = district_rate(ds, s).transpose("realization", "district").drop_vars("realization_weight", errors="ignore")
    order = np.argsort(-rate.values, axis=1, kind="stable")
    ranks = np.empty_like(order)
    np.put_along_axis(ranks, order, np.arange(rate.sizes["district"])[None, :], axis=1)
    known = np.isfinite(rate.values).all(axis=0)  # NaN rates sort last, so they never take a known one's rank
    top = np.where(known, stats.probability(ranks < int(s.top_districts), w), np.nan)
    med = np.where(known, stats.median(np.where(known, rate.values, 0.0), w), np.nan)
    sort = np.lexsort((-np.asarray(med), -np.asarray(top)))
    out = xr.Dataset(
        {"rate": rate, "p_top": ("district", top)},
        coords={"district": rate["district"]},
    ).isel(district=sort)
    out["p_top"].attrs = {"units": "1", "long_name": f"share of runs among the {s.top_districts} hardest hit"}
    out["rate"].attrs = {"units": "person-days per 1,000 people",
                         "long_name": f"person-days below {s.severe_c:g} °C per 1,000 people present"}
    return out
