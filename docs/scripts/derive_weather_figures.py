"""Derive the cold_snap weather figures from the Kyiv GHCN-Daily record (station UPM00033345).

Usage::

    .venv/bin/python docs/scripts/derive_weather_figures.py ../shared/data/kyiv_ghcn_daily.dly

Prints the figures used as defaults in ``sim/config/weather.py`` and quoted in ``docs/weather.md``:
monthly normals (a check against calibration F1), the diurnal range in cold weather, the day-to-day
variability of DJF daily-mean anomalies (SD, lag-1 autocorrelation) and the shape of the coldest spells.
The data file is read, never copied. Values with a quality flag (QFLAG not blank) are discarded.

GHCN-Daily fixed-width format (readme of the GHCN-Daily archive): ID cols 1-11, YEAR 12-15, MONTH 16-17,
ELEMENT 18-21, then 31 groups of VALUE (5), MFLAG (1), QFLAG (1), SFLAG (1); temperatures in tenths
of degC; -9999 is missing.
"""

from __future__ import annotations

import argparse
import sys

import numpy as np
import pandas as pd
from scipy.optimize import least_squares

from sim.station_daily import read_ghcn_daily  # the reader lives in the package (bias correction uses it)

DJF = (12, 1, 2)


def monthly_normals_c(daily: pd.DataFrame, first: str = "1991", last: str = "2020") -> pd.Series:
    """Mean TAVG per calendar month over a period. [degC]"""
    t = daily["TAVG"][first:last]
    return t.groupby(t.index.month).mean()


def diurnal_range_c(
    daily: pd.DataFrame, first: str, last: str, max_mean_c: float = -10.0
) -> dict[str, float]:
    """TMAX - TMIN on DJF days whose TAVG <= max_mean_c: mean, SD, count, and (TAVG - TMIN)/(TMAX - TMIN)."""
    d = daily[first:last]
    d = d[d.index.month.isin(DJF) & (d["TAVG"] <= max_mean_c)].dropna()
    dtr = d["TMAX"] - d["TMIN"]
    return {
        "mean_c": float(dtr.mean()),
        "sd_c": float(dtr.std()),
        "n_days": len(dtr),
        "mean_minus_min_frac": float(((d["TAVG"] - d["TMIN"]) / dtr.where(dtr > 0)).median()),
    }


def daily_anomalies_c(daily: pd.DataFrame, first: str, last: str) -> pd.Series:
    """TAVG minus its daily climatology over [first, last], smoothed by a 31-day circular running mean."""
    t = daily["TAVG"][first:last]
    doy = np.minimum(t.index.day_of_year.to_numpy(), 365)
    clim = t.groupby(doy).mean().reindex(range(1, 366)).to_numpy()
    smooth = pd.Series(np.tile(clim, 3)).rolling(31, center=True, min_periods=1).mean().to_numpy()[365:730]
    return pd.Series(t.to_numpy() - smooth[doy - 1], index=t.index)


def day_to_day(anomaly_c: pd.Series, remove_winter_mean: bool = True) -> dict[str, float]:
    """SD and lag-1 autocorrelation of DJF daily-mean anomalies (pairs of consecutive DJF days)."""
    a = anomaly_c.copy()
    winter = np.where(a.index.month == 12, a.index.year + 1, a.index.year)
    in_djf = a.index.month.isin(DJF)
    if remove_winter_mean:
        means = a[in_djf].groupby(winter[in_djf]).mean()
        a = a - pd.Series(winter, index=a.index).map(means)
    today, tomorrow = a[in_djf], a.shift(-1)[in_djf]
    next_in_djf = (today.index + pd.Timedelta(days=1)).month.isin(DJF)
    ok = today.notna().to_numpy() & tomorrow.notna().to_numpy() & next_in_djf
    return {
        "sd_c": float(today.std()),
        "lag1_autocorr": float(np.corrcoef(today[ok], tomorrow[ok])[0, 1]),
        "diff_sd_c": float((tomorrow[ok] - today[ok]).std()),
    }


def spell_shape(day: np.ndarray, start_day: float, onset: float, plateau: float, decay: float) -> np.ndarray:
    """The raised-cosine trapezoid of ``sim.weather.spell_shape`` (repeated so the script stands alone)."""
    t1, t2 = start_day + onset, start_day + onset + plateau
    rise = 0.5 * (1.0 - np.cos(np.pi * (day - start_day) / onset))
    fall = 0.5 * (1.0 + np.cos(np.pi * (day - t2) / decay))
    return np.select([day < start_day, day < t1, day < t2, day < t2 + decay], [0.0, rise, 1.0, fall], 0.0)


def coldest_spells(
    anomaly_c: pd.Series,
    n_spells: int = 40,
    window_days: int = 5,
    min_separation_days: int = 21,
    half_width_days: int = 10,
) -> pd.DataFrame:
    """Fit the spell shape to each of the coldest independent DJF spells.

    Spells are ranked by their centred ``window_days`` mean anomaly; a spell is kept if its centre is at
    least ``min_separation_days`` from every colder one. For each, ``baseline + depth * spell_shape`` is
    fitted by least squares to the daily anomalies within +-``half_width_days`` (day k stands for the
    interval [k, k + 1), evaluated at its middle; best of six starting points).
    """
    running = anomaly_c.rolling(window_days, center=True).mean()
    ranked = running[running.index.month.isin(DJF)].dropna().sort_values()
    centres: list[pd.Timestamp] = []
    for t in ranked.index:
        if all(abs((t - c).days) >= min_separation_days for c in centres):
            centres.append(t)
        if len(centres) == n_spells:
            break
    lags = np.arange(-half_width_days, half_width_days + 1)
    mid = lags + 0.5
    rows = []
    for c in centres:
        y = anomaly_c.reindex(c + pd.to_timedelta(lags, unit="D")).to_numpy()
        ok = ~np.isnan(y)

        def residual(p: np.ndarray, y: np.ndarray = y, ok: np.ndarray = ok) -> np.ndarray:
            return (p[0] + p[1] * spell_shape(mid, p[2], p[3], p[4], p[5]) - y)[ok]

        best = None
        for plateau0 in (0.5, 2.0, 4.0):
            for onset0 in (1.5, 4.0):
                x0 = [-2.0, -12.0, -onset0 - plateau0 / 2, onset0, plateau0, 4.0]
                bounds = ([-15, -40, -half_width_days, 0.3, 0.0, 0.3], [10, 0, 2, 10, 10, 10])
                fit = least_squares(residual, x0, bounds=bounds)
                if best is None or fit.cost < best.cost:
                    best = fit
        b, depth, _, onset, plateau, decay = best.x
        rows.append(
            {
                "centre": c.date(),
                "window_mean_c": running[c],
                "baseline_c": b,
                "depth_c": depth,
                "onset_days": onset,
                "plateau_days": plateau,
                "decay_days": decay,
            }
        )
    return pd.DataFrame(rows)


def cold_runs_days(daily: pd.DataFrame, first: str, last: str, max_mean_c: float = -10.0) -> np.ndarray:
    """Lengths of runs of consecutive days with TAVG <= max_mean_c. [d]"""
    cold = (daily["TAVG"][first:last] <= max_mean_c).to_numpy().astype(int)
    edges = np.diff(np.concatenate([[0], cold, [0]]))
    return np.flatnonzero(edges == -1) - np.flatnonzero(edges == 1)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("path", help="GHCN-Daily .dly file of Kyiv (UPM00033345)")
    args = parser.parse_args(argv)
    daily = read_ghcn_daily(args.path)
    print(f"record: {daily.index[0].date()} .. {daily.index[-1].date()}")

    normals = monthly_normals_c(daily)
    print(f"normals 1991-2020 TAVG [degC]: Dec {normals[12]:.2f}  Jan {normals[1]:.2f}  Feb {normals[2]:.2f}")
    week = daily["TAVG"]["1991":"2020"].rolling(7).mean()
    print(f"coldest 7-day mean 1991-2020: {week.min():.2f} degC, ending {week.idxmin().date()}")
    print(f"record low TMIN: {daily['TMIN'].min():.1f} degC on {daily['TMIN'].idxmin().date()}")

    for first, last in (("1961", "2020"), ("1991", "2020")):
        cold = diurnal_range_c(daily, first, last)
        every = diurnal_range_c(daily, first, last, max_mean_c=np.inf)
        print(
            f"diurnal range DJF {first}-{last}, TAVG <= -10 degC: mean {cold['mean_c']:.2f} SD {cold['sd_c']:.2f} "
            f"degC (n = {cold['n_days']}), (TAVG-TMIN)/DTR median {cold['mean_minus_min_frac']:.2f}; "
            f"all DJF days: mean {every['mean_c']:.2f} degC"
        )

    for first, last in (("1961", "2020"), ("1991", "2020")):
        anomaly = daily_anomalies_c(daily, first, last)
        for remove in (False, True):
            s = day_to_day(anomaly, remove_winter_mean=remove)
            label = "winter mean removed" if remove else "climatology only   "
            print(
                f"DJF daily-mean anomalies {first}-{last}, {label}: SD {s['sd_c']:.2f} degC, "
                f"lag-1 {s['lag1_autocorr']:.3f}, SD of day-to-day change {s['diff_sd_c']:.2f} degC"
            )

    anomaly = daily_anomalies_c(daily, "1961", "2020")
    spells = coldest_spells(anomaly)
    q = spells[["depth_c", "onset_days", "plateau_days", "decay_days"]].quantile([0.25, 0.5, 0.75])
    print(
        f"coldest {len(spells)} DJF spells 1961-2020 (5-day mean anomaly {spells['window_mean_c'].min():.1f} "
        f"to {spells['window_mean_c'].max():.1f} degC), fitted shape, median [IQR]:"
    )
    for col in q.columns:
        print(f"  {col:13s} {q.loc[0.5, col]:6.1f}  [{q.loc[0.25, col]:.1f} .. {q.loc[0.75, col]:.1f}]")
    runs = cold_runs_days(daily, "1961", "2020")
    print(
        f"runs of days with TAVG <= -10 degC 1961-2020: {len(runs)}, median {np.median(runs):.0f} d, "
        f"p90 {np.percentile(runs, 90):.0f} d, longest {runs.max()} d; runs >= 3 d: median "
        f"{np.median(runs[runs >= 3]):.1f} d"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
