"""Statistics over Monte Carlo realizations: percentiles, paired differences, headline figures.

Every figure in a brief is a median with a 90 % interval (p5-p95) over realizations; two scenarios run with
the same seed share their random numbers (common random numbers), so they are compared realization by
realization (paired differences), not by their separate intervals (reference/report.md).
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd
import xarray as xr

__all__ = [
    "HEADLINE_COLUMNS",
    "comparison_table",
    "duration_survival",
    "headline_table",
    "headline_values",
    "paired_difference",
    "prob_reduction_at_least",
    "summarize",
]

#: Columns of :func:`headline_table`.
HEADLINE_COLUMNS = ["figure", "label", "p50", "p5", "p95", "unit", "definition"]


def summarize(
    da: xr.DataArray, dim: str = "realization", percentiles: Sequence[float] = (5, 50, 95)
) -> xr.DataArray:
    """Percentiles of ``da`` over ``dim``.

    Parameters
    ----------
    da : xarray.DataArray
        Values with a ``dim`` dimension.
    dim : str
        Dimension to reduce (the Monte Carlo realizations).
    percentiles : sequence of float
        Percentiles in [0, 100]; linear interpolation between realizations (numpy's default). [%]

    Returns
    -------
    xarray.DataArray
        ``da`` without ``dim``, with a leading ``percentile`` coordinate (attribute ``units="%"``); the
        attributes of ``da`` (``units``, ``long_name``) are kept.

    Examples
    --------
    >>> da = xr.DataArray(np.arange(101.0), dims="realization")
    >>> summarize(da).values
    array([ 5., 50., 95.])
    """
    pct = np.asarray(percentiles, dtype=float)
    if pct.ndim != 1 or ((pct < 0) | (pct > 100)).any():
        raise ValueError(f"percentiles must be a sequence within [0, 100], got {percentiles!r}")
    out = da.quantile(pct / 100.0, dim=dim, keep_attrs=True)
    out = out.rename(quantile="percentile").assign_coords(percentile=pct)
    out["percentile"].attrs.update(units="%", long_name=f"percentile over {dim}s")
    return out


def paired_difference(
    a: xr.DataArray,
    b: xr.DataArray,
    dim: str = "realization",
    percentiles: Sequence[float] | None = (5, 50, 95),
) -> xr.DataArray:
    """Realization-wise difference ``b - a`` of two scenarios run with the same seed, then its percentiles.

    Parameters
    ----------
    a, b : xarray.DataArray
        The same quantity in scenario ``a`` (e.g. ``continued``) and ``b`` (e.g. ``pause_week``); their
        ``dim`` coordinates must be identical (same seed and number of realizations).
    dim : str
        The realization dimension.
    percentiles : sequence of float or None
        Percentiles of the difference [%]; ``None`` returns the realization-wise differences.

    Returns
    -------
    xarray.DataArray
        ``b - a`` (negative: ``b`` has less), summarized by :func:`summarize` unless ``percentiles`` is None.
    """
    a, b = xr.align(a, b, join="exact")
    diff = b - a
    diff.attrs = {
        "units": a.attrs.get("units", "1"),
        "long_name": f"paired difference (b - a) of {a.attrs.get('long_name', a.name or 'value')}",
    }
    if percentiles is None:
        return diff
    return summarize(diff, dim=dim, percentiles=percentiles)


def prob_reduction_at_least(
    a: xr.DataArray,
    b: xr.DataArray,
    frac: float = 0.25,
    dim: str = "realization",
    zero_baseline: str = "fail",
) -> xr.DataArray:
    """Probability over realizations that scenario ``b`` cuts exposure by at least ``frac`` relative to ``a``.

    A realization counts as a success when ``a > 0`` and ``a - b >= frac a`` (for ``frac > 0`` also
    ``b < a``, so that a tie is never a cut). Where the baseline has no
    exposure (``a == 0``) there is nothing to cut: with ``zero_baseline="fail"`` (default) the realization
    counts as no success, so the probability never credits ``b`` with exposure that did not exist; with
    ``"exclude"`` such realizations are left out (a probability conditional on ``a > 0``; NaN if all are
    left out). The number of realizations with ``a == 0`` is in the attribute ``n_baseline_zero``.

    Parameters
    ----------
    a, b : xarray.DataArray
        Exposure (>= 0) per realization in the baseline and the alternative scenario, same seed.
    frac : float
        Relative reduction, in [0, 1]. [1]
    dim : str
        The realization dimension.
    zero_baseline : {"fail", "exclude"}
        Treatment of realizations with ``a == 0``.

    Returns
    -------
    xarray.DataArray
        Probability, without ``dim``. [1]

    Examples
    --------
    >>> a = xr.DataArray([100.0, 100.0, 100.0, 0.0], dims="realization")
    >>> b = xr.DataArray([75.0, 80.0, 10.0, 0.0], dims="realization")
    >>> float(prob_reduction_at_least(a, b))
    0.5
    """
    if not 0.0 <= frac <= 1.0:
        raise ValueError(f"frac must be within [0, 1], got {frac}")
    if zero_baseline not in ("fail", "exclude"):
        raise ValueError(f"zero_baseline must be 'fail' or 'exclude', got {zero_baseline!r}")
    a, b = xr.align(a, b, join="exact")
    positive = a > 0
    # a - b >= frac a; for frac > 0 also b < a, so that underflow in frac * a never credits a tie
    success = positive & (a - b >= frac * a) & ((b < a) | (frac == 0.0))
    if zero_baseline == "fail":
        prob = success.mean(dim).astype(float)
    else:
        n_pos = positive.sum(dim)
        prob = (success.sum(dim) / n_pos.where(n_pos > 0)).astype(float)
    prob.attrs = {
        "units": "1",
        "long_name": f"probability that b cuts {a.attrs.get('long_name', a.name or 'exposure')} "
        f"by at least {frac:.0%} relative to a",
        "n_baseline_zero": int((~positive).sum()),
        "zero_baseline": zero_baseline,
    }
    return prob


def duration_survival(histogram: xr.DataArray, bin_dim: str = "duration_bin") -> xr.DataArray:
    """Duration curve: share of affected people whose duration is at least each bin's lower edge.

    Exact at the lower edges (bins are ``[lower, upper)``). Reads ``cold_hours_histogram`` or
    ``cold_spell_histogram`` of :func:`sim.people.exposure_to_dataset`.

    Parameters
    ----------
    histogram : xarray.DataArray
        Affected people per duration bin. [people]
    bin_dim : str
        The bin dimension; its coordinate holds the lower edges. [h]

    Returns
    -------
    xarray.DataArray
        Share still cold after ``duration_bin`` hours (1 at the first edge 0; 0 where nobody is affected). [1]
    """
    total = histogram.sum(bin_dim)
    at_least = (
        histogram.isel({bin_dim: slice(None, None, -1)})
        .cumsum(bin_dim)
        .isel({bin_dim: slice(None, None, -1)})
    )
    share = (at_least / total.where(total > 0)).fillna(0.0)
    share.attrs = {"units": "1", "long_name": "share of affected people still cold after the given duration"}
    return share


def _restore_days(series: np.ndarray, hours: np.ndarray, dt_h: float, restored_frac: float) -> np.ndarray:
    """(R, T) count -> (R,) days from the peak until the count is at or below ``restored_frac`` x peak.

    Censored at the end of the run when that never happens; 0 when the peak is 0.
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


def headline_values(
    ds: xr.Dataset, restored_frac: float = 0.1, household_size: float | None = None
) -> xr.Dataset:
    """Headline figures of reference/report.md per realization, from one run's Dataset.

    Only figures whose source variables are present are computed. Each variable has dims
    ``(realization,)`` and attributes ``units`` (plain: people, households, person-days, h, places, kW,
    L/day, buildings, days, %), ``long_name`` (the plain-language label) and ``definition`` (a footnote).

    Parameters
    ----------
    ds : xarray.Dataset
        A run's result (variables of :func:`sim.people.exposure_to_dataset`, and optionally
        ``buildings_without_heat`` (realization, time, district) and ``share_without_power``
        (realization, time, district)).
    restored_frac : float
        Heat counts as restored when buildings without heat fall to this share of their peak. [1]
    household_size : float, optional
        People per household; default ``ds.attrs["household_size"]`` or 2.42 (reference/report.md). [people]

    Returns
    -------
    xarray.Dataset
    """
    hh = float(household_size if household_size is not None else ds.attrs.get("household_size", 2.42))
    out: dict[str, xr.DataArray] = {}

    def put(key: str, da: xr.DataArray, unit: str, label: str, definition: str) -> None:
        da = da.astype(float).drop_vars([c for c in da.coords if c != "realization"])
        da.attrs = {"units": unit, "long_name": label, "definition": definition}
        out[key] = da

    if "people_cold_24h" in ds:
        v = ds["people_cold_24h"]
        lc, lh = v.attrs.get("threshold_c", 16.0), v.attrs.get("duration_h", 24.0)
        what = f"below {lc:g} °C indoors for {lh:g} h or more"
        d = f"people whose home stayed below {lc:g} °C for at least {lh:g} h in a row at some time of the run"
        n = v.sum("district")
        put("people_cold_24h", n, "people", f"People {what}", d)
        put(
            "households_cold_24h",
            n / hh,
            "households",
            f"Households {what}",
            d + f"; households = people / {hh:g}",
        )
        if "people_cold_24h_by_age" in ds:
            by_age = ds["people_cold_24h_by_age"].sum("district")
            put("people_cold_24h_65plus", by_age.sel(age_group="65plus"), "people", "... of whom aged 65+", d)
            put("people_cold_24h_under5", by_age.sel(age_group="under5"), "people", "... of whom under 5", d)
    if "person_hours_below_threshold" in ds and 12.0 in ds["threshold"].values:
        d = "sum over people of the time their home was below 12 °C, in days"
        ph = ds["person_hours_below_threshold"].sel(threshold=12.0).sum("district")
        put("person_days_below_12", ph / 24.0, "person-days", "Person-days below 12 °C indoors", d)
        if "person_hours_below_threshold_by_age" in ds:
            pa = ds["person_hours_below_threshold_by_age"].sel(threshold=12.0).sum("district") / 24.0
            put(
                "person_days_below_12_65plus",
                pa.sel(age_group="65plus"),
                "person-days",
                "... of which aged 65+",
                d,
            )
            put(
                "person_days_below_12_under5",
                pa.sel(age_group="under5"),
                "person-days",
                "... of which under 5",
                d,
            )
    if "people_dangerous_cold" in ds:
        v = ds["people_dangerous_cold"]
        dc, dh = v.attrs.get("threshold_c", 9.0), v.attrs.get("duration_h", 2.0)
        v = v.sum("district")
        put(
            "people_dangerous_cold",
            v.sel(age_group="all"),
            "people",
            f"People in the dangerous band (below {dc:g} °C for {dh:g} h or more)",
            "hypothermia risk band of reference/report.md; continuous time",
        )
    if "cold_hours_median" in ds:
        d = (
            "total hours below 16 °C over the run per person who was below 16 °C at all; the median over "
            "realizations of each realization's median (or 90th percentile) over people"
        )
        put(
            "cold_hours_median",
            ds["cold_hours_median"].sel(age_group="all"),
            "h",
            "Hours below 16 °C per affected person: median",
            d,
        )
        put(
            "cold_hours_p90",
            ds["cold_hours_p90"].sel(age_group="all"),
            "h",
            "Hours below 16 °C per affected person: 90th percentile",
            d,
        )
    if "heating_point_demand" in ds:
        d = "people who would sit in a heating point at the same time (65+ and under-5 below 16 °C, everyone below 12 °C, times uptake)"
        put(
            "heating_point_demand_peak",
            ds["heating_point_demand"].max("time"),
            "places",
            "Peak concurrent demand for heating-point places",
            d,
        )
        if "heating_point_capacity" in ds:
            cap = ds["heating_point_capacity"] + 0.0 * ds["heating_point_demand"].isel(time=0)
            put(
                "heating_point_capacity",
                cap,
                "places",
                "Heating-point places (capacity)",
                "heating points x places per point (calibration D5)",
            )
        if "heating_point_unmet_demand" in ds:
            put(
                "heating_point_unmet_peak",
                ds["heating_point_unmet_demand"].max("time"),
                "places",
                "Peak demand for heating-point places above capacity",
                d,
            )
    if "generator_kw" in ds:
        put(
            "generator_kw_peak",
            ds["generator_kw"].max("time"),
            "kW",
            "Peak generator capacity running at heating points",
            "rated kW of generators at heating points without grid power at the same time",
        )
    if "diesel_consumption" in ds:
        d = "generator load x diesel per kWh (calibration G5: 0.2-0.3 L/kWh)"
        put(
            "diesel_l_per_day_mean",
            ds["diesel_consumption"].mean("day"),
            "L/day",
            "Diesel for heating-point generators, average day",
            d,
        )
        put(
            "diesel_l_per_day_peak",
            ds["diesel_consumption"].max("day"),
            "L/day",
            "Diesel for heating-point generators, peak day",
            d,
        )
    if "people_without_water" in ds:
        put(
            "people_without_water_peak",
            ds["people_without_water"].max("time"),
            "people",
            "Peak people without water (upper floors, no power for pumps)",
            "calibration D6",
        )
    if "buildings_without_heat" in ds:
        series = ds["buildings_without_heat"].sum("district").transpose("realization", "time")
        put(
            "buildings_without_heat_peak",
            series.max("time"),
            "buildings",
            "Peak apartment buildings without heat",
            "buildings without heat at the same time",
        )
        hours = ((ds["time"].values - ds["time"].values[0]) / np.timedelta64(1, "h")).astype(float)
        dt_h = float(hours[1] - hours[0]) if len(hours) > 1 else 1.0
        days = _restore_days(series.values.astype(float), hours, dt_h, restored_frac)
        put(
            "days_to_restore_heat",
            xr.DataArray(days, dims="realization", coords={"realization": series["realization"]}),
            "days",
            f"Days from the peak until heat is back in {1 - restored_frac:.0%} of those buildings",
            f"from the peak until buildings without heat fall to {restored_frac:.0%} of the peak; "
            "censored at the end of the run (then a lower bound)",
        )
    if "share_without_power" in ds:
        share = ds["share_without_power"]
        if "occupants" in ds:
            w = ds["occupants"].sel(age_group="all")
            city = (
                (share * w).sum("district") / float(w.sum()) if float(w.sum()) > 0 else share.mean("district")
            )
        else:
            city = share.mean("district")
        put(
            "share_without_power_peak",
            100.0 * city.max("time"),
            "%",
            "Peak share of residents without power",
            "residents on feeders without power at the same time (weighted by people present)",
        )
    return xr.Dataset(out)


def headline_table(
    ds: xr.Dataset, restored_frac: float = 0.1, household_size: float | None = None
) -> pd.DataFrame:
    """The headline figures of reference/report.md that one run's Dataset supports, as a table.

    Parameters
    ----------
    ds : xarray.Dataset
        A run's result (see :func:`headline_values`).
    restored_frac : float
        Heat counts as restored at this share of the peak of buildings without heat. [1]
    household_size : float, optional
        People per household. [people]

    Returns
    -------
    pandas.DataFrame
        One row per figure; columns ``figure`` (key), ``label`` (plain language), ``p50`` (the median),
        ``p5``, ``p95`` (over realizations), ``unit``, ``definition``.
    """
    values = headline_values(ds, restored_frac=restored_frac, household_size=household_size)
    rows = []
    for key, da in values.data_vars.items():
        p5, p50, p95 = summarize(da, percentiles=(5, 50, 95)).values
        rows.append([key, da.attrs["long_name"], p50, p5, p95, da.attrs["units"], da.attrs["definition"]])
    return pd.DataFrame(rows, columns=HEADLINE_COLUMNS)


def comparison_table(
    a: xr.Dataset, b: xr.Dataset, frac: float = 0.25, restored_frac: float = 0.1
) -> pd.DataFrame:
    """Headline figures of two scenarios run with the same seed, with paired differences.

    Parameters
    ----------
    a, b : xarray.Dataset
        Results of the baseline (e.g. ``continued``) and the alternative (e.g. ``pause_week``).
    frac : float
        Relative reduction for the probability column. [1]
    restored_frac : float
        See :func:`headline_values`. [1]

    Returns
    -------
    pandas.DataFrame
        Columns ``figure``, ``label``, ``unit``, ``a_p50``, ``b_p50`` (medians), ``diff_p50``, ``diff_p5``,
        ``diff_p95`` (of ``b - a``, realization by realization) and ``prob_reduction`` (probability that
        ``b`` is at least ``frac`` below ``a``, see :func:`prob_reduction_at_least`).
    """
    va = headline_values(a, restored_frac=restored_frac)
    vb = headline_values(b, restored_frac=restored_frac)
    rows = []
    for key in [k for k in va.data_vars if k in vb.data_vars]:
        d5, d50, d95 = paired_difference(va[key], vb[key]).values
        rows.append(
            [
                key,
                va[key].attrs["long_name"],
                va[key].attrs["units"],
                float(va[key].median()),
                float(vb[key].median()),
                d50,
                d5,
                d95,
                float(prob_reduction_at_least(va[key], vb[key], frac=frac)),
            ]
        )
    cols = [
        "figure",
        "label",
        "unit",
        "a_p50",
        "b_p50",
        "diff_p50",
        "diff_p5",
        "diff_p95",
        "prob_reduction",
    ]
    return pd.DataFrame(rows, columns=cols)
