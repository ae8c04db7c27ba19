"""Bias correction of a temperature forecast against the station record: empirical quantile mapping.

``weather.bias_correction=quantile_mapping`` (with ``weather=file``) maps the forecast's daily-mean
temperature through ``x -> F_obs^-1(F_model(x))``, where ``F_model`` is the distribution of the forecast
system's own daily means (its hindcasts or reforecasts, ``weather.bias_model_climatology``) and
``F_obs`` that of the station's daily means (GHCN-Daily TAVG, ``weather.bias_station_file``, default the
Kyiv record of calibration F5, years ``weather.bias_reference_years``), both taken in a window of
``weather.bias_window_days`` around the forecast day's day of year and pooled over years and members.
This is empirical quantile mapping ("QUANT" in Gudmundsson et al. 2012, Hydrol. Earth Syst. Sci. 16
3383-3390; moving calendar windows as in Themeßl et al. 2011, Int. J. Climatol. 31 1530-1544); beyond
the range of the model climatology the correction at the outermost quantile is kept (constant
extrapolation, Boé et al. 2007, Int. J. Climatol. 27 1643-1655), which matters for cold snaps.

The mapping needs the model's climatology: mapping the forecast ensemble onto the station climate
without it would replace a forecast cold snap by an ordinary winter. Quantile mapping corrects the
bias of the distribution, not the spread or reliability of an ensemble (Zhao et al. 2017, J. Climate
30 3185-3196).

Applied to the hourly series on the run's grid: the correction is evaluated at the centred 24-hour
running mean ``m_t`` of each realization (one-sided at the ends of the run) and added to every step,
``T'_t = T_t + QM(m_t) - m_t``: the daily mean is corrected, the forecast's diurnal cycle is kept, and
there is no jump at midnight.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
from scipy.ndimage import uniform_filter1d

from sim.errors import InputError
from sim.timegrid import TimeGrid

__all__ = [
    "METHODS",
    "PROBABILITIES",
    "QuantileMap",
    "apply_bias_correction",
    "correct_forecast",
    "daily_means",
    "fit_quantile_map",
    "running_daily_mean",
    "station_daily_means",
]

METHODS = ("none", "quantile_mapping")
#: Probability levels of the empirical quantiles (0.5 %, 1.5 %, ..., 99.5 %). [1]
PROBABILITIES = (np.arange(100) + 0.5) / 100.0
#: Fewest daily means a window may hold on either side of the mapping. [days]
MIN_SAMPLE_DAYS = 100
DAYS_PER_YEAR = 365.25


@dataclass(frozen=True)
class QuantileMap:
    """Empirical quantiles of model and station daily means, per day of year.

    Attributes
    ----------
    days_of_year : numpy.ndarray
        Days of year (1-366) the map covers, sorted, shape (D,).
    model_q, station_q : numpy.ndarray
        Quantiles at :data:`PROBABILITIES`, shape (D, P). [degC]
    n_model, n_station : numpy.ndarray
        Daily means in each window, shape (D,). [days]
    """

    days_of_year: np.ndarray
    model_q: np.ndarray
    station_q: np.ndarray
    n_model: np.ndarray
    n_station: np.ndarray

    def __call__(self, x: np.ndarray, day_of_year: np.ndarray) -> np.ndarray:
        """Map daily means ``x`` [degC] on days ``day_of_year`` (broadcast together) to the station climate."""
        x = np.asarray(x, dtype=float)
        doy = np.broadcast_to(np.asarray(day_of_year), x.shape)
        out = np.empty_like(x)
        for d in np.unique(doy):
            i = np.searchsorted(self.days_of_year, d)
            if i >= len(self.days_of_year) or self.days_of_year[i] != d:
                raise ValueError(f"day of year {d} is not covered by the quantile map")
            sel = doy == d
            qm, qo = self.model_q[i], self.station_q[i]
            mapped = np.interp(x[sel], qm, qo)
            # constant extrapolation of the correction beyond the model climatology's range (Boe et al. 2007)
            mapped = np.where(x[sel] < qm[0], x[sel] + (qo[0] - qm[0]), mapped)
            mapped = np.where(x[sel] > qm[-1], x[sel] + (qo[-1] - qm[-1]), mapped)
            out[sel] = mapped
        return out


def fit_quantile_map(
    station: pd.Series, model: pd.Series, days_of_year: Sequence[int] | np.ndarray, window_days: float,
    probabilities: np.ndarray = PROBABILITIES,
) -> QuantileMap:
    """Empirical quantiles of station and model daily means in a window around each day of year.

    Parameters
    ----------
    station, model : pandas.Series
        Daily means [degC] indexed by date (a model series may repeat dates: one per member).
    days_of_year : sequence of int
        The days of year (1-366) to map.
    window_days : float
        Half-width of the calendar window (circular over the year). [d]
    probabilities : numpy.ndarray
        Probability levels of the quantiles. [1]

    Returns
    -------
    QuantileMap

    Raises
    ------
    InputError
        When a window holds fewer than :data:`MIN_SAMPLE_DAYS` values on either side.
    """
    doys = np.unique(np.asarray(days_of_year, dtype=int))
    sides = {"station record": station.dropna(), "model climatology": model.dropna()}
    quantiles: dict[str, np.ndarray] = {}
    counts: dict[str, np.ndarray] = {}
    for label, series in sides.items():
        s_doy = pd.DatetimeIndex(series.index).day_of_year.to_numpy()
        values = series.to_numpy(dtype=float)
        q = np.empty((len(doys), len(probabilities)))
        n = np.empty(len(doys), dtype=np.int64)
        for i, d in enumerate(doys):
            gap = np.abs(s_doy - d)
            in_window = np.minimum(gap, DAYS_PER_YEAR - gap) <= window_days
            n[i] = int(in_window.sum())
            if n[i] < MIN_SAMPLE_DAYS:
                raise InputError(
                    f"bias correction: the {label} has {n[i]} daily means within {window_days:g} days of day "
                    f"{d} of the year, fewer than {MIN_SAMPLE_DAYS}; widen weather.bias_window_days or the period"
                )
            q[i] = np.quantile(values[in_window], probabilities)
        quantiles[label], counts[label] = q, n
    return QuantileMap(doys, quantiles["model climatology"], quantiles["station record"],
                       counts["model climatology"], counts["station record"])


def station_daily_means(path: str | os.PathLike[str], first_year: int, last_year: int) -> pd.Series:
    """Daily mean temperature (GHCN-Daily TAVG) of a station over calendar years [first, last]. [degC]"""
    from sim.station_daily import read_ghcn_daily

    daily = read_ghcn_daily(path)
    if "TAVG" not in daily.columns:
        raise InputError(f"station file {path}: no TAVG (daily mean temperature) records")
    tavg = daily["TAVG"]
    year = pd.DatetimeIndex(tavg.index).year
    tavg = tavg[(year >= first_year) & (year <= last_year)].dropna()
    if tavg.empty:
        raise InputError(f"station file {path}: no TAVG values in {first_year}-{last_year} (weather.bias_reference_years)")
    return tavg


def daily_means(series: Sequence[tuple[np.ndarray, np.ndarray, Any]]) -> pd.Series:
    """Calendar-day means of each (times, values [degC]) series, pooled; incomplete days are dropped.

    A day is complete when it holds as many values as the series' fullest day (24 for hourly data, 4 for
    6-hourly, 1 for daily values). [degC]
    """
    parts = []
    for times, values, *_ in series:
        frame = pd.DataFrame({"value": values}, index=pd.DatetimeIndex(times).normalize())
        grouped = frame.groupby(level=0)["value"]
        count, mean = grouped.count(), grouped.mean()
        parts.append(mean[count == count.max()])
    return pd.concat(parts)


def running_daily_mean(outdoor_c: np.ndarray, dt_h: float) -> np.ndarray:
    """Centred 24-hour running mean along time (axis 1), one-sided at the ends. [degC]"""
    width = max(1, round(24.0 / dt_h))
    x = np.asarray(outdoor_c, dtype=float)
    if width == 1:
        return x.copy()
    ones = np.ones_like(x)
    # sum over the window / number of steps inside the run: the mean of what the run covers
    total = uniform_filter1d(x, width, axis=1, mode="constant", cval=0.0)
    inside = uniform_filter1d(ones, width, axis=1, mode="constant", cval=0.0)
    return total / inside


def correct_forecast(outdoor_c: np.ndarray, grid: TimeGrid, qmap: QuantileMap) -> np.ndarray:
    """Quantile-map a forecast on the run's grid: ``T + QM(m) - m`` with ``m`` the 24-h running mean.

    Parameters
    ----------
    outdoor_c : numpy.ndarray
        Forecast, shape (R, T). [degC]
    grid : TimeGrid
        The run's grid (times give the day of year).
    qmap : QuantileMap
        From :func:`fit_quantile_map`, covering the grid's days of year.

    Returns
    -------
    numpy.ndarray
        Corrected forecast, shape (R, T). [degC]
    """
    m = running_daily_mean(outdoor_c, grid.dt_h)
    doy = pd.DatetimeIndex(grid.times).day_of_year.to_numpy()[None, :]
    return np.asarray(outdoor_c, dtype=float) + (qmap(m, doy) - m)


def apply_bias_correction(cfg: Any, outdoor_c: np.ndarray, grid: TimeGrid) -> tuple[np.ndarray, str]:
    """The ``weather.bias_correction`` step of the weather stage: corrected forecast and a source note.

    Parameters
    ----------
    cfg : WeatherConfig or omegaconf.DictConfig
        The ``weather`` group.
    outdoor_c : numpy.ndarray
        Forecast read from ``weather.path``, shape (R, T). [degC]
    grid : TimeGrid
        The run's grid.
    """
    method = str(getattr(cfg, "bias_correction", "none") or "none")
    if method == "none":
        return outdoor_c, ""
    from sim.station_daily import DEFAULT_STATION_FILE
    from sim.weather_file import read_series

    station_file = Path(str(cfg.bias_station_file)) if cfg.bias_station_file else DEFAULT_STATION_FILE
    if not station_file.is_file():
        raise InputError(f"weather.bias_station_file: station record {station_file} not found "
                         "(a GHCN-Daily .dly file; the default is the Kyiv record in ../shared/data)")
    first, last = (int(y) for y in cfg.bias_reference_years)
    station = station_daily_means(station_file, first, last)
    model = daily_means(read_series(str(cfg.bias_model_climatology), float(grid.utc_offset_h)))
    doy = pd.DatetimeIndex(grid.times).day_of_year.to_numpy()
    qmap = fit_quantile_map(station, model, doy, float(cfg.bias_window_days))
    note = (f"quantile mapping of daily means: {Path(str(cfg.bias_model_climatology)).name} onto "
            f"{station_file.name} TAVG {first}-{last}, window +-{float(cfg.bias_window_days):g} d")
    return correct_forecast(outdoor_c, grid, qmap), note
