"""Quantile-mapping bias correction (sim.bias_correction) on synthetic data with a known bias.

The synthetic climate: daily means ``T = s(doy) + e`` with a seasonal cycle ``s`` (-4 degC in late
January) and independent anomalies ``e ~ N(0, 4^2)``; the station record holds 1951-2020 (written as a
GHCN-Daily file, so the reader is exercised too), the forecast system's climatology is 30 years x 5
members (6-hourly, member dimension ``number``) of another draw passed through a known error
``m = 2.5 + 0.7 T`` (2.5 degC too warm, 70 % of the variability). A forecast made by the same system
from a known truth must be mapped back to the truth.

Tolerance: the empirical quantiles of 2,170 station days and 4,650 model days in a +-15-day window
have a sampling error sqrt(p (1 - p) / n) / pdf(z_p) * sd of 0.13 degC at the median (both sides) and
about 0.35 degC at the 1 % level, and the errors of one map are shared by every forecast hour; over
ten seeds (2026-2035) the mean absolute error was 0.09-0.27 degC and the largest 0.25-0.83 degC
(seed 2026: 0.17 and 0.41), against a raw mean absolute error of 3.77 degC. The test requires a mean
below 0.3 degC and a largest error below 1.0 degC.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
import xarray as xr

from sim.bias_correction import (
    PROBABILITIES,
    QuantileMap,
    apply_bias_correction,
    correct_forecast,
    daily_means,
    fit_quantile_map,
    running_daily_mean,
    station_daily_means,
)
from sim.config import WeatherConfig
from sim.errors import ConfigError, InputError
from sim.station_daily import DEFAULT_STATION_FILE, read_ghcn_daily
from sim.timegrid import TimeGrid
from tests.conftest import compose_config

SHIFT_C, SCALE = 2.5, 0.7
ANOMALY_SD_C = 4.0


def seasonal_c(doy: np.ndarray) -> np.ndarray:
    """Seasonal cycle of the synthetic climate: -4 degC on day 20, +21 degC in July. [degC]"""
    return 8.5 - 12.5 * np.cos(2 * np.pi * (np.asarray(doy) - 20) / 365.25)


def synthetic_days(first: int, last: int, rng: np.random.Generator) -> pd.Series:
    dates = pd.date_range(f"{first}-01-01", f"{last}-12-31", freq="D")
    return pd.Series(seasonal_c(dates.day_of_year) + rng.normal(0, ANOMALY_SD_C, len(dates)), index=dates)


def write_ghcn(path, tavg: pd.Series, station: str = "UPM00033345") -> None:
    """A GHCN-Daily .dly file holding TAVG (tenths of degC; -9999 for days a month does not have)."""
    lines = []
    for (year, month), days in tavg.groupby([tavg.index.year, tavg.index.month]):
        values = ["-9999"] * 31
        for d, v in zip(days.index.day, days.to_numpy(), strict=True):
            values[d - 1] = f"{round(v * 10):5d}"
        body = "".join(f"{v:>5}   " for v in values)
        lines.append(f"{station}{year:4d}{month:02d}TAVG{body}")
    path.write_text("\n".join(lines) + "\n", encoding="ascii")


@pytest.fixture(scope="module")
def synthetic(tmp_path_factory):
    """Station file, model-climatology NetCDF (member dim 'number', 6-hourly), and the raw station series."""
    folder = tmp_path_factory.mktemp("bias")
    rng = np.random.default_rng(2026)
    station = synthetic_days(1951, 2020, rng)
    write_ghcn(folder / "station.dly", station)
    members = np.stack([SHIFT_C + SCALE * synthetic_days(1991, 2020, rng).to_numpy() for _ in range(5)])
    days = pd.date_range("1991-01-01", "2020-12-31", freq="D")
    times = pd.date_range("1991-01-01", "2020-12-31T18:00", freq="6h")
    # a diurnal cycle with zero daily mean, so that the daily means are the members' values
    diurnal = np.tile([-2.0, -1.0, 2.0, 1.0], len(days))
    values = np.repeat(members, 4, axis=1) + diurnal
    ds = xr.Dataset({"outdoor_temperature": (("number", "time"), values.astype("float32"), {"units": "degC"})},
                    coords={"number": np.arange(5), "time": times})
    ds.to_netcdf(folder / "reforecasts.nc")
    return {"folder": folder, "station": station, "station_file": folder / "station.dly",
            "model_file": folder / "reforecasts.nc"}


def test_ghcn_reader_round_trips_the_synthetic_record(synthetic):
    daily = read_ghcn_daily(synthetic["station_file"])
    np.testing.assert_allclose(daily["TAVG"].to_numpy(), np.round(synthetic["station"].to_numpy() * 10) / 10)
    assert daily.index[0] == pd.Timestamp("1951-01-01") and daily.index[-1] == pd.Timestamp("2020-12-31")


def test_quantile_mapping_removes_a_known_shift_and_scale_error(synthetic):
    """Forecast = 2.5 + 0.7 truth (hourly, 14 days from 25 Jan); after the correction, the truth."""
    grid = TimeGrid.from_config("2026-01-25T00:00", 14, 60)
    doy = pd.DatetimeIndex(grid.times).day_of_year.to_numpy()
    hours = grid.hours
    # two truths: a cold spell to about -13 degC (the 0.7 % level of the window) and a mild spell
    truth = np.stack([seasonal_c(doy) - 8.0 * np.sin(np.pi * hours / hours[-1]) ** 2,
                      seasonal_c(doy) + 6.0 * np.sin(np.pi * hours / hours[-1]) ** 2])
    raw = SHIFT_C + SCALE * truth
    cfg = WeatherConfig(kind="file", bias_correction="quantile_mapping",
                        bias_model_climatology=str(synthetic["model_file"]),
                        bias_station_file=str(synthetic["station_file"]), bias_reference_years=[1951, 2020])
    corrected, note = apply_bias_correction(cfg, raw, grid)
    err_raw, err = np.abs(raw - truth), np.abs(corrected - truth)
    assert err_raw.mean() > 2.0  # the bias is real: 2.5 + 0.3 |T|
    assert err.mean() < 0.3, f"mean absolute error {err.mean():.3f} degC"
    assert err.max() < 1.0, f"largest error {err.max():.3f} degC"
    assert "quantile mapping" in note and "1951-2020" in note


def test_identical_climates_leave_the_forecast_unchanged():
    rng = np.random.default_rng(1)
    s = synthetic_days(1991, 2020, rng)
    grid = TimeGrid.from_config("2026-01-25T00:00", 5, 60)
    doy = pd.DatetimeIndex(grid.times).day_of_year.to_numpy()
    qmap = fit_quantile_map(s, s, doy, 15.0)
    x = seasonal_c(doy)[None, :] + rng.normal(0, 3, (3, grid.n_steps))
    np.testing.assert_allclose(correct_forecast(x, grid, qmap), x, atol=1e-9)


def test_constant_extrapolation_beyond_the_model_climatology():
    """Beyond the outermost quantiles, the correction there is kept (Boe et al. 2007)."""
    qm = np.linspace(-10.0, 10.0, len(PROBABILITIES))[None, :]
    qo = qm - 3.0 + 0.1 * qm  # a shift and a small scale change
    qmap = QuantileMap(np.array([30]), qm, qo, np.array([500]), np.array([500]))
    x = np.array([-25.0, -10.0, 0.0, 10.0, 30.0])
    np.testing.assert_allclose(qmap(x, 30), [-25.0 + (qo[0, 0] - qm[0, 0]), qo[0, 0], -3.0, qo[0, -1],
                                             30.0 + (qo[0, -1] - qm[0, -1])])
    with pytest.raises(ValueError, match="not covered"):
        qmap(x, 31)


def test_running_mean_is_centred_and_one_sided_at_the_ends():
    x = np.arange(48.0)[None, :]
    m = running_daily_mean(x, 1.0)
    assert m[0, 24] == pytest.approx(np.mean(np.arange(12, 36)))
    assert m[0, 0] == pytest.approx(np.mean(np.arange(0, 12)))  # only what the run covers


def test_daily_means_drop_incomplete_days():
    times = pd.date_range("2026-01-01T06:00", "2026-01-03T12:00", freq="6h").to_numpy()
    values = np.arange(len(times), dtype=float)
    means = daily_means([(times, values, None)])
    assert list(means.index) == [pd.Timestamp("2026-01-02")]  # 1 and 3 Jan have 3 values of 4
    assert means.iloc[0] == pytest.approx(np.mean(values[3:7]))


def test_small_windows_are_refused(synthetic):
    s = synthetic["station"]
    with pytest.raises(InputError, match="the station record has 62 daily means within 15 days of day 29"):
        fit_quantile_map(s["2019":"2020"], s, [29], 15.0)


def test_missing_station_record_names_the_key(tmp_path, synthetic):
    cfg = WeatherConfig(kind="file", bias_correction="quantile_mapping",
                        bias_model_climatology=str(synthetic["model_file"]), bias_station_file=str(tmp_path / "x.dly"))
    with pytest.raises(InputError, match=r"weather\.bias_station_file: station record .*x\.dly not found"):
        apply_bias_correction(cfg, np.zeros((1, 24)), TimeGrid.from_config("2026-01-29", 1, 60))


def test_kyiv_record_gives_the_published_january_normal():
    """Validation of the reader on the real record: TAVG January 1991-2020 vs calibration F1 (-3.2 degC,
    the official normal [H]); the station's own mean is -3.35 degC. Tolerance 0.5 degC: the normal is a
    rounded figure from a homogenized series, GHCN TAVG is unadjusted."""
    if not DEFAULT_STATION_FILE.exists():
        pytest.skip("Kyiv GHCN-Daily record not available beside the repository")
    tavg = station_daily_means(DEFAULT_STATION_FILE, 1991, 2020)
    assert tavg[tavg.index.month == 1].mean() == pytest.approx(-3.2, abs=0.5)


def test_real_record_through_make_forecast(tmp_path):
    """With the Kyiv record as station and a model climatology equal to it plus 3 degC, weather=file with
    quantile_mapping lowers the forecast by exactly 3 degC (identical quantiles up to the shift)."""
    if not DEFAULT_STATION_FILE.exists():
        pytest.skip("Kyiv GHCN-Daily record not available beside the repository")
    tavg = station_daily_means(DEFAULT_STATION_FILE, 1991, 2020)
    pd.DataFrame({"time": tavg.index.strftime("%Y-%m-%dT12:00"), "outdoor_temperature_c": tavg.to_numpy() + 3.0}
                 ).to_csv(tmp_path / "model.csv", index=False)
    from sim.weather import make_forecast

    grid = TimeGrid.from_config("2026-01-29T00:00", 7, 60)
    forecast_file = "tests/data/weather/cold_snap_7d_2members.nc"
    plain = make_forecast(WeatherConfig(kind="file", path=forecast_file), grid, 2, 0)
    corrected = make_forecast(WeatherConfig(kind="file", path=forecast_file, bias_correction="quantile_mapping",
                                            bias_model_climatology=str(tmp_path / "model.csv")), grid, 2, 0)
    np.testing.assert_allclose(corrected.outdoor_c, plain.outdoor_c - 3.0, atol=1e-9)
    assert "quantile mapping" in corrected.source


@pytest.mark.parametrize(
    ("overrides", "expected"),
    [
        (["weather.bias_correction=linear"], "weather.bias_correction=linear: must be one of: none, quantile_mapping"),
        (["weather=file", "weather.path=x.csv", "weather.bias_correction=quantile_mapping"],
         "weather.bias_model_climatology: quantile_mapping needs"),
        (["weather.bias_correction=quantile_mapping"], "applies to forecasts read from a file"),
        (["weather=file", "weather.path=x.csv", "weather.bias_correction=quantile_mapping",
          "weather.bias_model_climatology=m.nc", "weather.bias_reference_years=[2020,1991]"],
         "weather.bias_reference_years=[2020, 1991]"),
    ],
)
def test_bad_bias_keys_name_the_key(overrides, expected):
    from sim.config.validate import validate

    with pytest.raises(ConfigError) as e:
        validate(compose_config(["city=small_town", *overrides]))
    assert expected in str(e.value)
