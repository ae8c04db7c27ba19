"""Reconstruct hourly Kyiv outdoor temperatures for 8 January - 17 February 2026 (NOT observations).

Daily means are set by hand from the calibration sheet (``reference/calibration.md``): F2 (January 2026
mean about -7.6 degC; the coldest day 10 February with -20.2 degC, read here as the day's mean), F3 (the
forecast cold of 1-3 February: nights -20..-25, days -15..-22 degC, read as daily means of about -18) and
A3 (the days of the waves: -10..-15 degC around 20 January, -10 degC on 24 January). The hours follow the
diurnal cycle of coldgrid's weather model (:func:`sim.weather.diurnal_shape`: minimum at 06:00, maximum at
14:30) with the GHCN-Daily mean diurnal range of cold DJF days in Kyiv, 7.1 degC (docs/weather.md).

Run ``python examples/hindcast_2026/make_weather.py`` from the repository root to rewrite ``weather.csv``.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from sim.weather import diurnal_shape

HERE = Path(__file__).resolve().parent
#: Daily mean outdoor temperature from 8 January 2026 [degC] (see the module docstring and README.md).
DAILY_MEAN_C = [
    # 8-31 January (24 days): cold 9-12 Jan, milder mid-month, -10..-13 around the 20 and 24 Jan waves
    -8.5, -11.5, -13.5, -12.5, -10.5, -7.5, -5.5, -4.0, -3.0, -4.0, -6.0, -9.5, -12.0, -12.5, -10.5, -10.0,
    -10.0, -7.5, -5.0, -2.5, -1.5, -2.5, -5.5, -9.0,
    # 1-17 February: the forecast cold of 1-3 Feb, the coldest day on 10 Feb (-20.2), a thaw after
    -17.0, -19.0, -18.0, -14.0, -10.0, -8.0, -9.0, -12.0, -16.0, -20.2, -17.0, -12.0, -8.0, -5.0, -3.0, -1.5,
    0.0,
]
DIURNAL_RANGE_C = 7.1  # GHCN-Daily UPM00033345, DJF days with daily mean <= -10 degC, 1961-2020 (docs/weather.md)


def hourly() -> pd.DataFrame:
    days = len(DAILY_MEAN_C)
    times = pd.date_range("2026-01-08T00:00", periods=days * 24, freq="h")
    mean = np.repeat(DAILY_MEAN_C, 24)
    shape = diurnal_shape(times.hour.to_numpy(float))  # daily mean 0.5
    return pd.DataFrame({"time": times.strftime("%Y-%m-%dT%H:%M"),
                         "outdoor_temperature_c": np.round(mean + DIURNAL_RANGE_C * (shape - 0.5), 2)})


if __name__ == "__main__":
    hourly().to_csv(HERE / "weather.csv", index=False)
