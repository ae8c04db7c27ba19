"""Weather: the cold-snap generator against the GHCN-Daily record of Kyiv (calibration F1-F5)."""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

# ---------------------------------------------------------------------------------------------------------
# Weather: the cold-snap generator against GHCN-Daily (calibration F1-F5)
# ---------------------------------------------------------------------------------------------------------

#: Figures derived from GHCN-Daily UPM00033345 (Kyiv) by ``docs/scripts/derive_weather_figures.py``
#: (docs/weather.md): diurnal range on DJF days with TAVG <= -10 degC 1961-2020 (mean, SD); DJF daily-mean
#: anomalies 1991-2020, each winter's mean removed (SD, lag-1 autocorrelation, SD of the day-to-day change).
GHCN_FIGURES: dict[str, float] = {
    "dtr_cold_mean_c": 7.12, "dtr_cold_sd_c": 2.76,
    "anomaly_sd_c": 5.01, "anomaly_lag1": 0.839, "change_sd_c": 2.84,
}  # fmt: skip
#: Calibration F4: coldest week 1991-2020 and the record low. [degC]
COLDEST_WEEK_C = -20.3
RECORD_LOW_C = -32.2


def weather_climatology(n_days: int = 120, n_members: int = 60, seed: int = 11,
                        saturated_from_day: int = 45) -> dict[str, Any]:
    """A long ensemble with the spell far beyond the horizon (pure climatological noise), and its statistics.

    Daily-mean anomalies from ``saturated_from_day`` on (spread saturated at ``day_to_day_sd_c``):
    ``anomaly_sd_c``, ``anomaly_lag1``, ``change_sd_c``, ``anomaly_acf`` (lags 0-5); diurnal ranges
    (daily max - min) of all days: ``dtr_mean_c``, ``dtr_sd_c``, ``dtr_min_c``. Arrays ``anomaly_c``
    (members x days) and ``dtr_c`` for plots.
    """
    from sim.config import WeatherConfig
    from sim.timegrid import TimeGrid
    from sim.weather import cold_snap, daily_min_max_c

    cfg = WeatherConfig(spell_start_day=1000.0)
    grid = TimeGrid.from_config("2026-01-01T00:00", n_days, 60)
    f = cold_snap(cfg, grid, n_members, seed=seed)
    daily_mean_c = f.outdoor_c.reshape(n_members, n_days, 24).mean(axis=2)
    _, day_min_c, day_max_c = daily_min_max_c(f.times, f.outdoor_c)
    anomaly = (daily_mean_c - cfg.baseline_temperature_c)[:, saturated_from_day:]
    dtr = day_max_c - day_min_c
    acf = [1.0] + [float(np.corrcoef(anomaly[:, :-k].ravel(), anomaly[:, k:].ravel())[0, 1]) for k in range(1, 6)]
    return {
        "n_days": n_days, "n_members": n_members, "seed": seed, "saturated_from_day": saturated_from_day,
        "anomaly_c": anomaly, "dtr_c": dtr,
        "anomaly_sd_c": float(anomaly.std()),
        "anomaly_lag1": acf[1],
        "anomaly_acf": np.array(acf),
        "anomaly_mean_c": float(anomaly.mean()),
        "change_sd_c": float(np.diff(anomaly, axis=1).std()),
        "dtr_mean_c": float(dtr.mean()), "dtr_sd_c": float(dtr.std()), "dtr_min_c": float(dtr.min()),
        "defaults": {"diurnal_range_c": WeatherConfig().diurnal_range_c,
                     "diurnal_range_sd_c": WeatherConfig().diurnal_range_sd_c,
                     "day_to_day_sd_c": WeatherConfig().day_to_day_sd_c,
                     "day_to_day_autocorr": WeatherConfig().day_to_day_autocorr},
    }  # fmt: skip


def cold_snap_extremes(n_members: int = 100, days: int = 14, seed: int = 3,
                       start: str = "2026-01-29T00:00") -> dict[str, Any]:
    """The default cold snap (``weather=cold_snap``, -25 degC) from 29 Jan: per-day ensemble statistics of
    the daily mean (``daily_mean_median_c``, ``daily_mean_p5_c``, ``daily_mean_p95_c``) and daily minimum
    (``daily_min_median_c``), the coldest median daily mean and the median over members of each member's
    lowest hourly temperature (``median_member_min_c``)."""
    from sim.config import WeatherConfig
    from sim.timegrid import TimeGrid
    from sim.weather import cold_snap

    f = cold_snap(WeatherConfig(), TimeGrid.from_config(start, days, 60), n_members, seed=seed)
    x = f.outdoor_c.reshape(n_members, days, 24)
    daily_mean = x.mean(axis=2)
    median_daily_mean = np.median(daily_mean, axis=0)
    return {
        "n_members": n_members, "days": days, "seed": seed, "start": start,
        "times": f.times, "outdoor_c": f.outdoor_c,
        "day": pd.date_range(start, periods=days, freq="D"),
        "daily_mean_median_c": median_daily_mean,
        "daily_mean_p5_c": np.percentile(daily_mean, 5, axis=0),
        "daily_mean_p95_c": np.percentile(daily_mean, 95, axis=0),
        "daily_min_median_c": np.median(x.min(axis=2), axis=0),
        "coldest_median_daily_mean_c": float(median_daily_mean.min()),
        "median_member_min_c": float(np.median(f.outdoor_c.min(axis=1))),
    }  # fmt: skip


def figures(quick: bool = False) -> dict[str, float]:
    """Scalar results under stable keys: ``ghcn.*`` (model vs GHCN-Daily: the generator's defaults were
    derived from the same record, so this is a calibration check) and ``cold_snap.*``."""
    c = weather_climatology()
    out = {f"ghcn.{k}.model": float(c[k]) for k in ("anomaly_sd_c", "anomaly_lag1", "change_sd_c")}
    out |= {f"ghcn.{k}.reference": float(GHCN_FIGURES[k]) for k in ("anomaly_sd_c", "anomaly_lag1", "change_sd_c")}
    out["ghcn.dtr_mean_c.model"] = float(c["dtr_mean_c"])
    out["ghcn.dtr_mean_c.reference"] = float(GHCN_FIGURES["dtr_cold_mean_c"])
    x = cold_snap_extremes()
    out["cold_snap.coldest_median_daily_mean_c"] = x["coldest_median_daily_mean_c"]
    out["cold_snap.median_member_min_c"] = x["median_member_min_c"]
    return out
