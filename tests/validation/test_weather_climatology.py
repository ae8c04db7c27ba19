"""Validation: the cold-snap generator against figures derived from the Kyiv GHCN-Daily record.

The figures below were derived from GHCN-Daily station UPM00033345 (Kyiv, calibration F5) with
``docs/scripts/derive_weather_figures.py ../shared/data/kyiv_ghcn_daily.dly`` (method: docs/weather.md):

* diurnal range TMAX - TMIN on DJF days with TAVG <= -10 degC, 1961-2020: mean 7.12, SD 2.76 degC (n = 641);
* DJF daily-mean anomalies (TAVG minus the 31-day-smoothed 1991-2020 daily climatology, each winter's mean
  removed): SD 5.01 degC, lag-1 autocorrelation 0.839, SD of the day-to-day change 2.84 degC.

They are hard-coded in :data:`sim.validation.GHCN_FIGURES` (which the tests and the report read) so that
the main assertions need no data file; the last test recomputes them from the data file (``../shared``:
required in CI, skipped elsewhere when absent). The generator's statistics come from
:func:`sim.validation.weather_climatology` and :func:`sim.validation.cold_snap_extremes`, which the
validation report plots.
"""

from __future__ import annotations

import importlib.util
from pathlib import Path

import numpy as np
import pytest

from sim.config import WeatherConfig
from sim.validation import GHCN_FIGURES, cold_snap_extremes, weather_climatology

GHCN_DTR_COLD_MEAN_C = GHCN_FIGURES["dtr_cold_mean_c"]  # 7.12
GHCN_DTR_COLD_SD_C = GHCN_FIGURES["dtr_cold_sd_c"]  # 2.76
GHCN_ANOMALY_SD_C = GHCN_FIGURES["anomaly_sd_c"]  # 5.01
GHCN_ANOMALY_LAG1 = GHCN_FIGURES["anomaly_lag1"]  # 0.839
GHCN_CHANGE_SD_C = GHCN_FIGURES["change_sd_c"]  # 2.84

ROOT = Path(__file__).resolve().parents[2]
GHCN_FILE = ROOT.parent / "shared" / "data" / "kyiv_ghcn_daily.dly"
SCRIPT = ROOT / "docs" / "scripts" / "derive_weather_figures.py"

N_DAYS = 120
SATURATED_FROM_DAY = 45  # spread within 1 % of day_to_day_sd_c from here on (default growth)


@pytest.fixture(scope="module")
def long_run() -> dict:
    """A 120-day, 60-member ensemble with the spell far beyond the horizon: pure climatological noise."""
    return weather_climatology(n_days=N_DAYS, n_members=60, seed=11, saturated_from_day=SATURATED_FROM_DAY)


def test_defaults_are_the_ghcn_figures() -> None:
    cfg = WeatherConfig()
    assert cfg.diurnal_range_c == pytest.approx(GHCN_DTR_COLD_MEAN_C, abs=0.05)
    assert cfg.diurnal_range_sd_c == pytest.approx(GHCN_DTR_COLD_SD_C, abs=0.05)
    assert cfg.day_to_day_sd_c == pytest.approx(GHCN_ANOMALY_SD_C, abs=0.05)
    assert cfg.day_to_day_autocorr == pytest.approx(GHCN_ANOMALY_LAG1, abs=0.005)


def test_day_to_day_variability_matches_ghcn(long_run) -> None:
    anomaly_c = long_run["anomaly_c"]
    assert anomaly_c.shape == (60, N_DAYS - SATURATED_FROM_DAY)
    assert long_run["anomaly_sd_c"] == anomaly_c.std()
    assert anomaly_c.std() == pytest.approx(GHCN_ANOMALY_SD_C, rel=0.08)
    a, b = anomaly_c[:, :-1].ravel(), anomaly_c[:, 1:].ravel()
    assert long_run["anomaly_lag1"] == pytest.approx(np.corrcoef(a, b)[0, 1])
    assert np.corrcoef(a, b)[0, 1] == pytest.approx(GHCN_ANOMALY_LAG1, abs=0.04)
    assert long_run["change_sd_c"] == np.diff(anomaly_c, axis=1).std()
    assert np.diff(anomaly_c, axis=1).std() == pytest.approx(GHCN_CHANGE_SD_C, rel=0.12)


def test_diurnal_range_matches_ghcn(long_run) -> None:
    dtr_c = long_run["dtr_c"]
    assert dtr_c.shape == (60, N_DAYS)
    # the generated daily range also holds the day's synoptic change, as TMAX - TMIN does
    assert dtr_c.mean() == pytest.approx(GHCN_DTR_COLD_MEAN_C, abs=0.6)
    assert dtr_c.std() == pytest.approx(GHCN_DTR_COLD_SD_C, abs=0.8)
    assert dtr_c.min() > 0.0
    assert (long_run["dtr_mean_c"], long_run["dtr_sd_c"]) == (dtr_c.mean(), dtr_c.std())


def test_coldest_point_plausible_against_record() -> None:
    """The default spell: coldest daily means near the coldest week of 1991-2020 (-20.3 degC, F4)."""
    snap = cold_snap_extremes(n_members=100, days=14, seed=3, start="2026-01-29T00:00")
    daily_mean_c = snap["daily_mean_median_c"]
    assert snap["outdoor_c"].shape == (100, 14 * 24)
    assert -23.0 < daily_mean_c.min() < -19.0
    assert snap["median_member_min_c"] > -32.2 - 3.0  # record low -32.2 degC (F4), with ensemble tails


@pytest.mark.skipif(not GHCN_FILE.is_file(), reason="GHCN data file not available")
def test_hard_coded_figures_reproduce_from_data() -> None:
    spec = importlib.util.spec_from_file_location("derive_weather_figures", SCRIPT)
    script = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(script)
    daily = script.read_ghcn_daily(GHCN_FILE)
    dtr = script.diurnal_range_c(daily, "1961", "2020")
    assert dtr["mean_c"] == pytest.approx(GHCN_DTR_COLD_MEAN_C, abs=0.01)
    assert dtr["sd_c"] == pytest.approx(GHCN_DTR_COLD_SD_C, abs=0.01)
    d2d = script.day_to_day(script.daily_anomalies_c(daily, "1991", "2020"))
    assert d2d["sd_c"] == pytest.approx(GHCN_ANOMALY_SD_C, abs=0.01)
    assert d2d["lag1_autocorr"] == pytest.approx(GHCN_ANOMALY_LAG1, abs=0.001)
    assert d2d["diff_sd_c"] == pytest.approx(GHCN_CHANGE_SD_C, abs=0.01)
    normals = script.monthly_normals_c(daily)
    assert normals[1] == pytest.approx(-3.2, abs=0.3)  # calibration F1: January normal 1991-2020 ~ -3.2 degC
