"""Unit tests of the weather stage: the cold-snap ensemble and the file loader."""

from __future__ import annotations

import dataclasses
import doctest
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
import xarray as xr
from omegaconf import OmegaConf

import sim.weather
from sim.config import WeatherConfig
from sim.config.weather import validate_weather_config
from sim.errors import ColdgridWarning, ConfigError, InputError
from sim.timegrid import TimeGrid
from sim.weather import (
    Forecast,
    cold_snap,
    daily_min_max_c,
    diurnal_shape,
    ensemble_spread_c,
    load_file,
    make_forecast,
    spell_shape,
)
from tests.conftest import compose_config

SEED = 20260129
START = "2026-01-29T00:00"

# Tolerance of the ensemble-median daily minimum at the coldest point against min_temperature_c, for
# R = 200: sampling error of a median (~0.2 degC) plus the minimum over the plateau days. [degC]
MEDIAN_MIN_TOL_C = 0.75


def grid(days: float = 14.0, dt_minutes: float = 60.0, start: str = START) -> TimeGrid:
    return TimeGrid.from_config(start, days, dt_minutes)


# --------------------------------------------------------------------------------------------------
# cold_snap
# --------------------------------------------------------------------------------------------------


def test_docstring_examples_run() -> None:
    result = doctest.testmod(sim.weather, raise_on_error=False)
    assert result.attempted >= 3
    assert result.failed == 0


def test_forecast_shape_and_times() -> None:
    g = grid(7, 60)
    f = cold_snap(WeatherConfig(), g, 5, SEED)
    assert isinstance(f, Forecast)
    assert f.outdoor_c.shape == (5, g.n_steps) == (5, 168)
    assert f.outdoor_c.dtype == np.float64
    assert f.times.dtype == np.dtype("datetime64[ns]")
    np.testing.assert_array_equal(f.times, g.times)
    assert np.isfinite(f.outdoor_c).all()
    assert f.n_realizations == 5
    assert f.source.startswith("cold_snap: spell to -25.0 degC")


def test_same_seed_identical_other_seed_or_realization_differs() -> None:
    g = grid(7)
    a = cold_snap(WeatherConfig(), g, 4, SEED).outdoor_c
    b = cold_snap(WeatherConfig(), g, 4, SEED).outdoor_c
    c = cold_snap(WeatherConfig(), g, 4, SEED + 1).outdoor_c
    np.testing.assert_array_equal(a, b)
    assert not np.allclose(a, c)
    for r in range(1, 4):
        assert not np.allclose(a[0], a[r])


def test_common_random_numbers_across_horizon_realizations_and_depth() -> None:
    cfg = WeatherConfig()
    short = cold_snap(cfg, grid(7), 3, SEED).outdoor_c
    long = cold_snap(cfg, grid(21), 5, SEED).outdoor_c
    # a longer run and more realizations extend the weather, they do not reshuffle it
    np.testing.assert_allclose(long[:3, : short.shape[1]], short, atol=1e-12)
    # a deeper spell shifts every realization by the same amount
    deeper = cold_snap(dataclasses.replace(cfg, min_temperature_c=-30.0), grid(21), 5, SEED).outdoor_c
    shift = long - deeper
    np.testing.assert_allclose(shift, np.broadcast_to(shift[0], shift.shape), atol=1e-9)
    assert shift.max() == pytest.approx(5.0)
    assert shift.min() >= -1e-9


@pytest.mark.parametrize("min_c", [-20.0, -25.0, -30.0])
def test_ensemble_median_daily_minimum_hits_target(min_c: float) -> None:
    g = grid(14)
    f = cold_snap(WeatherConfig(min_temperature_c=min_c), g, 200, SEED)
    _, day_min_c, day_max_c = daily_min_max_c(f.times, f.outdoor_c)
    median_min_c = np.median(day_min_c, axis=0)
    assert median_min_c.min() == pytest.approx(min_c, abs=MEDIAN_MIN_TOL_C)
    # default: the coldest nights fall on 1-3 Feb (days 3..5 of a run starting 29 Jan), calibration F3
    assert 3 <= int(np.argmin(median_min_c)) <= 5
    if min_c == -25.0:  # F3: days -15..-22 degC at the coldest
        assert -22.0 <= np.median(day_max_c, axis=0)[3:6].mean() <= -15.0


def test_spread_grows_with_lead_time() -> None:
    g = grid(21)
    f = cold_snap(WeatherConfig(), g, 200, SEED)
    daily_mean_c = f.outdoor_c.reshape(200, 21, 24).mean(axis=2)
    spread_c = daily_mean_c.std(axis=0)
    assert spread_c[0] < 1.6
    assert spread_c[0] < spread_c[4] < spread_c[10]
    assert spread_c[15:].mean() > 2.5 * spread_c[0]
    assert spread_c.max() < 1.2 * WeatherConfig().day_to_day_sd_c


def test_central_forecast_without_noise_follows_spell_and_diurnal_cycle() -> None:
    cfg = WeatherConfig(spread_initial_c=0.0, spread_growth_c_per_day=0.0, diurnal_range_sd_c=0.0)
    g = grid(14)
    f = cold_snap(cfg, g, 3, SEED)
    np.testing.assert_allclose(f.outdoor_c[0], f.outdoor_c[2])
    _, day_min_c, _ = daily_min_max_c(f.times, f.outdoor_c)
    assert day_min_c.min() == pytest.approx(cfg.min_temperature_c, abs=1e-9)
    # last days: back at the baseline, daily range = diurnal_range_c, mean = baseline
    x = f.outdoor_c[0].reshape(14, 24)
    assert x[12].mean() == pytest.approx(cfg.baseline_temperature_c, abs=1e-9)
    assert x[12].max() - x[12].min() == pytest.approx(
        cfg.diurnal_range_c, abs=0.05
    )  # hourly samples miss 14:30
    assert int(np.argmin(x[12])) == 6
    assert int(np.argmax(x[12])) in (14, 15)


def test_diurnal_cycle_follows_local_time_for_any_start() -> None:
    cfg = WeatherConfig(
        spread_initial_c=0.0, spread_growth_c_per_day=0.0, diurnal_range_sd_c=0.0, spell_start_day=50.0
    )
    f = cold_snap(cfg, grid(3, 30, start="2026-01-29T09:30"), 1, SEED)
    hour_of_min = (f.times[np.argmin(f.outdoor_c[0])] - np.datetime64("2026-01-29", "ns")) / np.timedelta64(
        1, "h"
    )
    assert hour_of_min % 24 == pytest.approx(6.0)


def test_make_forecast_dispatch_and_dictconfig() -> None:
    g = grid(3)
    dc = OmegaConf.structured(WeatherConfig)
    a = make_forecast(dc, g, 2, SEED)
    b = make_forecast(WeatherConfig(), g, 2, SEED)
    np.testing.assert_array_equal(a.outdoor_c, b.outdoor_c)
    # a user's values are checked by sim.config.weather before the run; the stage guards its arguments
    with pytest.raises(ConfigError, match=r"weather\.kind"):
        validate_weather_config(WeatherConfig(kind="ensemble"))
    with pytest.raises(ConfigError, match=r"weather\.path"):
        validate_weather_config(WeatherConfig(kind="file"))
    with pytest.raises(ConfigError, match=r"weather\.path"):
        validate_weather_config(OmegaConf.create({"kind": "file", "path": "???"}))
    with pytest.raises(ValueError, match=r"weather\.kind"):
        make_forecast(WeatherConfig(kind="ensemble"), g, 2, SEED)
    with pytest.raises(ValueError, match=r"weather\.path"):
        make_forecast(WeatherConfig(kind="file"), g, 2, SEED)


@pytest.mark.parametrize(
    ("key", "value"),
    [
        ("day_to_day_autocorr", 1.0),
        ("spell_onset_days", -1.0),
        ("diurnal_range_c", -2.0),
        ("min_temperature_c", -90.0),
        ("min_temperature_c", "cold"),
        ("diurnal_max_hour", 6.0),
        ("spread_growth_c_per_day", float("nan")),
    ],
)
def test_bad_cold_snap_values_raise_config_error(key: str, value: object) -> None:
    cfg = OmegaConf.create(dataclasses.asdict(WeatherConfig()))
    cfg[key] = value
    with pytest.raises(ConfigError, match=rf"^weather\.{key}: ") as info:
        validate_weather_config(cfg)
    assert "\n" not in str(info.value)


def test_zero_realizations_rejected() -> None:
    with pytest.raises(ValueError, match="realizations"):
        cold_snap(WeatherConfig(), grid(2), 0, SEED)


def test_shape_functions() -> None:
    d = np.linspace(-1, 12, 300)
    s = spell_shape(d, 1.0, 2.0, 3.0, 4.0)
    assert s.min() == 0.0
    assert s.max() == 1.0
    assert np.all(np.diff(s[d < 4.0]) >= 0)
    assert np.all(np.diff(s[d > 6.0]) <= 0)
    np.testing.assert_array_equal(spell_shape(np.array([0.5, 1.5, 3.0]), 1.0, 0.0, 1.0, 0.0), [0.0, 1.0, 0.0])
    h = np.arange(0, 24, 0.01)
    f = diurnal_shape(h, 6.0, 14.5)
    assert f.mean() == pytest.approx(0.5, abs=1e-3)
    assert h[np.argmin(f)] == pytest.approx(6.0)
    assert h[np.argmax(f)] == pytest.approx(14.5)
    lead = np.arange(0, 60.0)
    sp = ensemble_spread_c(lead, 1.0, 0.5, 5.0)
    assert sp[0] == 1.0
    assert np.all(np.diff(sp) > 0)
    assert sp[-1] == pytest.approx(5.0, abs=0.01)
    assert (sp[1] - sp[0]) == pytest.approx(0.5, abs=0.05)


# --------------------------------------------------------------------------------------------------
# load_file: CSV
# --------------------------------------------------------------------------------------------------


def hourly(days: float = 3.0, start: str = START) -> pd.DatetimeIndex:
    return pd.date_range(start, periods=int(days * 24) + 1, freq="h")


def write_csv(path, times, values, realization=None, time_col="time", value_col="outdoor_temperature_c"):
    df = pd.DataFrame({time_col: [t.strftime("%Y-%m-%dT%H:%M") for t in times], value_col: values})
    if realization is not None:
        df["realization"] = realization
    df.to_csv(path, index=False)
    return path


def test_csv_single_series_for_all_realizations(tmp_path) -> None:
    t = hourly(3)
    v = -10.0 + np.sin(np.arange(len(t)))
    p = write_csv(tmp_path / "w.csv", t, v)
    g = grid(2)
    f = load_file(p, g, 3)
    assert f.outdoor_c.shape == (3, 48)
    np.testing.assert_allclose(f.outdoor_c[1], v[:48])
    np.testing.assert_array_equal(f.times, g.times)
    assert str(p) in f.source


def test_csv_interpolates_to_grid(tmp_path) -> None:
    t = pd.date_range(START, periods=2 * 48 + 1, freq="30min")
    v = np.linspace(-20.0, -4.0, len(t))
    f = load_file(write_csv(tmp_path / "w.csv", t, v), grid(2), 1)
    np.testing.assert_allclose(f.outdoor_c[0], v[:96:2])
    # a coarser file on a finer grid, accepted with max_gap_h
    f15 = load_file(tmp_path / "w.csv", grid(1, 15), 1, max_gap_h=0.5)
    np.testing.assert_allclose(f15.outdoor_c[0, :3], [v[0], (v[0] + v[1]) / 2, v[1]])


def test_csv_realizations_truncated_cycled(tmp_path) -> None:
    t = hourly(2)
    n = len(t)
    real = np.repeat([7, 3, 5], n)  # labels sort as 3, 5, 7
    values = np.concatenate([np.full(n, -7.0), np.full(n, -3.0), np.full(n, -5.0)])
    times = list(t) * 3
    p = write_csv(tmp_path / "w.csv", times, values, realization=real)
    g = grid(1)
    f2 = load_file(p, g, 2)
    np.testing.assert_allclose(f2.outdoor_c[:, 0], [-3.0, -5.0])
    with pytest.warns(ColdgridWarning, match="cycling"):
        f5 = load_file(p, g, 5)
    np.testing.assert_allclose(f5.outdoor_c[:, 0], [-3.0, -5.0, -7.0, -3.0, -5.0])


def test_csv_utc_offset_keeps_wall_clock(tmp_path) -> None:
    t = hourly(2)
    p = tmp_path / "w.csv"
    pd.DataFrame(
        {
            "time": [x.strftime("%Y-%m-%dT%H:%M+02:00") for x in t],
            "outdoor_temperature_c": np.arange(len(t), dtype=float),
        }
    ).to_csv(p, index=False)
    f = load_file(p, grid(1), 1)
    assert f.outdoor_c[0, 0] == 0.0


def _csv_text(tmp_path, text: str, name: str = "bad.csv"):
    p = tmp_path / name
    p.write_text(text)
    return p


def _good_lines(n_hours: int = 4) -> list[str]:
    t = pd.date_range(START, periods=n_hours + 1, freq="h")
    return [f"{x:%Y-%m-%dT%H:%M},-10.0" for x in t]


@pytest.mark.parametrize(
    ("edit", "pattern"),
    [
        (
            lambda rows: ["time,temp", *rows],
            r"missing column\(s\) outdoor_temperature_c; found: time, temp; expected",
        ),
        (
            lambda rows: ["time,outdoor_temperature_c", *rows[:2], "29/01/2026 02:00,-10", *rows[3:]],
            r"line 4: cannot parse time '29/01/2026 02:00'",
        ),
        (
            lambda rows: ["time,outdoor_temperature_c", *rows[:2], rows[1], *rows[2:]],
            r"line 4: duplicated time",
        ),
        (
            lambda rows: ["time,outdoor_temperature_c", rows[0], rows[2], rows[1], *rows[3:]],
            r"line 4: time .* is before the previous time",
        ),
        (lambda rows: ["time,outdoor_temperature_c", *rows[:2], *rows[3:]], r"line 4: gap of 2 h"),
        (
            lambda rows: ["time,outdoor_temperature_c", *rows[:2], rows[2].split(",")[0] + ",", *rows[3:]],
            r"line 4: outdoor_temperature_c: missing value \(NaN\)",
        ),
        (
            lambda rows: ["time,outdoor_temperature_c", *rows[:2], rows[2].split(",")[0] + ",NaN", *rows[3:]],
            r"line 4: outdoor_temperature_c: missing value",
        ),
        (
            lambda rows: ["time,outdoor_temperature_c", *rows[:2], rows[2].split(",")[0] + ",abc", *rows[3:]],
            r"line 4: outdoor_temperature_c: not a number 'abc'",
        ),
        (
            lambda rows: ["time,outdoor_temperature_c", *rows[:2], rows[2].split(",")[0] + ",-75", *rows[3:]],
            r"line 4: -75.00 degC is outside -70..50 degC",
        ),
        (
            lambda rows: [
                "time,outdoor_temperature_c",
                *rows[:2],
                rows[2].split(",")[0] + ",323.15",
                *rows[3:],
            ],
            r"line 4: 323.15 degC is outside",
        ),
        (
            lambda rows: ["time,outdoor_temperature_c", *rows[1:]],
            r"covers 2026-01-29 01:00:00 .. .* but the run needs",
        ),
        (
            lambda rows: ["time,outdoor_temperature_c", *rows[:3]],
            r"covers .* but the run needs 2026-01-29 00:00:00 .. 2026-01-29 03:00:00",
        ),
        (
            lambda rows: ["time,outdoor_temperature_c,realization", *(r + ",x" for r in rows)],
            r"line 2: realization 'x' is not an integer",
        ),
        (lambda rows: ["time,outdoor_temperature_c", *rows[:2], "", *rows[2:]], r"line 4: empty time"),
        (lambda rows: [], r"empty file"),
        (lambda rows: ["time,outdoor_temperature_c"], r"no data rows"),
    ],
)
def test_csv_errors_name_file_and_line(tmp_path, edit, pattern) -> None:
    lines = edit(_good_lines(4))
    p = _csv_text(tmp_path, "\n".join(lines) + ("\n" if lines else ""))
    with pytest.raises(InputError, match=pattern) as info:
        load_file(p, grid(4 / 24), 2)
    message = str(info.value)
    assert "\n" not in message
    assert message.startswith(f"weather file {p}: ")


def test_missing_file(tmp_path) -> None:
    with pytest.raises(InputError, match=r"nowhere\.csv: not found"):
        load_file(tmp_path / "nowhere.csv", grid(1), 1)


def test_csv_realization_group_errors_name_line(tmp_path) -> None:
    rows = _good_lines(4)
    text = "time,outdoor_temperature_c,realization\n" + "\n".join(
        [*(r + ",0" for r in rows), *(r + ",1" for r in rows[:2]), *(r + ",1" for r in rows[3:])]
    )
    with pytest.raises(InputError, match=r"line 9: gap of 2 h"):
        load_file(_csv_text(tmp_path, text), grid(4 / 24), 2)


# --------------------------------------------------------------------------------------------------
# load_file: NetCDF
# --------------------------------------------------------------------------------------------------


def write_nc(path, values, times, units="degC", dims=("time",), name="outdoor_temperature", **coords):
    da = xr.DataArray(
        values,
        dims=dims,
        coords={"time": times, **coords},
        name=name,
        attrs={"units": units} if units else {},
    )
    da.to_dataset().to_netcdf(path)
    return path


def test_netcdf_kelvin_and_realizations(tmp_path) -> None:
    t = hourly(2)
    v_k = 263.15 + np.stack([np.zeros(len(t)), np.ones(len(t))])  # dims (realization, time)
    p = write_nc(tmp_path / "w.nc", v_k, t, units="K", dims=("realization", "time"), realization=[0, 1])
    f = load_file(p, grid(1), 2)
    np.testing.assert_allclose(f.outdoor_c[:, 0], [-10.0, -9.0])
    assert "2 realizations" in f.source


def test_netcdf_single_point_dims_dropped_and_celsius(tmp_path) -> None:
    t = hourly(2)
    v = np.linspace(-15, -5, len(t))[:, None, None]
    p = write_nc(
        tmp_path / "w.nc",
        v,
        t,
        units="Celsius",
        dims=("time", "latitude", "longitude"),
        latitude=[50.45],
        longitude=[30.52],
    )
    f = load_file(p, grid(1), 3)
    np.testing.assert_allclose(f.outdoor_c[2], v[:24, 0, 0])


@pytest.mark.parametrize(
    ("kwargs", "pattern"),
    [
        ({"units": "degF"}, r"variable 'outdoor_temperature' has units 'degF', expected degC"),
        ({"units": None}, r"has units '', expected degC"),
        ({"name": "t2m"}, r"no variable 'outdoor_temperature'; found: t2m"),
        (
            {"nan_at": 5},
            r"variable 'outdoor_temperature' at time index 5 \(2026-01-29 05:00:00\): missing value",
        ),
        ({"value": 400.0, "units": "K"}, r"time index 0 .*: 126.85 degC is outside"),
        ({"shift_h": 1}, r"covers 2026-01-29 01:00:00"),
    ],
)
def test_netcdf_errors_name_variable(tmp_path, kwargs, pattern) -> None:
    t = hourly(2) + pd.Timedelta(hours=kwargs.pop("shift_h", 0))
    v = np.full(len(t), kwargs.pop("value", -10.0))
    if "nan_at" in kwargs:
        v[kwargs.pop("nan_at")] = np.nan
    p = write_nc(tmp_path / "bad.nc", v, t, **kwargs)
    with pytest.raises(InputError, match=pattern) as info:
        load_file(p, grid(1), 1)
    assert "\n" not in str(info.value)
    assert str(info.value).startswith(f"weather file {p}: ")


def test_netcdf_unreadable_and_time_not_decodable(tmp_path) -> None:
    p = tmp_path / "junk.nc"
    p.write_bytes(b"this is not netcdf")
    with pytest.raises(InputError, match="cannot read as NetCDF"):
        load_file(p, grid(1), 1)
    q = tmp_path / "numeric_time.nc"
    xr.Dataset(
        {"outdoor_temperature": ("time", np.zeros(25), {"units": "degC"})}, coords={"time": np.arange(25.0)}
    ).to_netcdf(q)
    with pytest.raises(InputError, match="'time' is not a decodable time"):
        load_file(q, grid(1), 1)


# --------------------------------------------------------------------------------------------------
# fixtures shipped in tests/data/weather and the composed config
# --------------------------------------------------------------------------------------------------

DATA = Path(__file__).resolve().parents[1] / "data" / "weather"


def test_shipped_fixtures_load_through_the_composed_config() -> None:
    g = grid(7)
    for name, n_file in [("cold_snap_7d.csv", 1), ("cold_snap_7d_2members.nc", 2)]:
        cfg = compose_config(["weather=file", f"weather.path={DATA / name}"])
        f = make_forecast(cfg.weather, g, n_file, SEED)
        assert f.outdoor_c.shape == (n_file, 168)
        assert -30.0 < f.outdoor_c.min() < f.outdoor_c.max() < 0.0
    csv = load_file(DATA / "cold_snap_7d.csv", g, 1).outdoor_c
    nc = load_file(DATA / "cold_snap_7d_2members.nc", g, 2).outdoor_c
    np.testing.assert_allclose(csv[0], nc[0], atol=0.01)


def test_composed_default_config_is_the_cold_snap() -> None:
    cfg = compose_config([])
    f = make_forecast(cfg.weather, grid(3), 2, SEED)
    np.testing.assert_array_equal(f.outdoor_c, cold_snap(WeatherConfig(), grid(3), 2, SEED).outdoor_c)


@pytest.mark.parametrize("rho", [0.0, 0.3, 0.8, 0.999, -0.5])
def test_ar1_filter_is_scipy_lfilter_to_the_bit(rho):
    """The synthetic weather's AR(1) knots: ``sim.weather.ar1_filter`` replaced ``scipy.signal.lfilter([1],
    [1, -rho])`` (scipy.signal cost ~0.2 s of every run's start); the reference is lfilter itself, and the
    result must be identical, so that no weather ensemble moved."""
    from scipy.signal import lfilter

    eps = np.random.default_rng(5).standard_normal((40, 120)) * 3.0
    assert np.array_equal(sim.weather.ar1_filter(eps, rho), lfilter([1.0], [1.0, -rho], eps, axis=1))
    one = sim.weather.ar1_filter(eps[:, :1], rho)  # one knot: z_0 = eps_0
    assert np.array_equal(one, eps[:, :1])
