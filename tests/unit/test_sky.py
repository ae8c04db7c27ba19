"""The sky of the weather stage: the cold snap's consistent sky, sky columns of weather files, EPW files."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from sim.errors import InputError
from sim.solar import Site, clear_sky
from sim.timegrid import TimeGrid
from sim.weather import Forecast, make_forecast
from tests.conftest import compose_config

ROOT = Path(__file__).resolve().parents[2]
EPW = ROOT.parent / "shared" / "data" / "USA_CO_Denver.Intl.AP.725650_TMY3.epw"


def test_cold_snap_sky_is_clear_and_calm_in_the_spell():
    cfg = compose_config(["weather=cold_snap"]).weather
    grid = TimeGrid.from_config("2026-01-25T00:00", 12, 60)
    fc = make_forecast(cfg, grid, 20, 3)
    assert fc.ghi_w_per_m2.shape == (20, grid.n_steps) and fc.wind_m_per_s.shape == (20, grid.n_steps)
    ghi_clear, _, _ = clear_sky(grid.times, fc.site)
    daily = fc.ghi_w_per_m2.reshape(20, 12, 24).sum(axis=2).mean(axis=0)
    clear = ghi_clear.reshape(12, 24).sum(axis=1)
    k = daily / clear
    cold = fc.outdoor_c.reshape(20, 12, 24).mean(axis=(0, 2))
    # the coldest days are the sunniest (clear-sky index rises with the spell) and the calmest
    assert k[np.argmin(cold)] > k[np.argmax(cold)] + 0.2
    wind = fc.wind_m_per_s.reshape(20, 12, 24).mean(axis=(0, 2))
    assert wind[np.argmin(cold)] < wind[np.argmax(cold)]
    # the diffuse and direct parts add up to GHI (Erbs closure, dni on the horizontal)
    assert (fc.dhi_w_per_m2 <= fc.ghi_w_per_m2 + 1e-9).all() and (fc.ghi_w_per_m2 >= 0).all()
    assert "anticyclone" in fc.sky_source


def test_forecast_without_irradiance_gets_the_default_sky():
    times = np.arange("2026-01-20T00", "2026-01-22T00", dtype="datetime64[h]")
    fc = Forecast(times=times, outdoor_c=np.zeros((2, times.size)), source="test")
    sky = fc.sky()
    ghi_clear, _, _ = clear_sky(times, Site())
    np.testing.assert_allclose(sky.ghi_w_per_m2[0], 0.45 * ghi_clear, rtol=1e-12)
    assert (sky.wind_m_per_s == 3.5).all() and "default sky" in sky.source
    with pytest.raises(ValueError, match="ghi, dni and dhi"):
        Forecast(times=times, outdoor_c=np.zeros((1, times.size)), source="t", ghi_w_per_m2=np.zeros(times.size))


def _csv(tmp_path, **cols):
    times = pd.date_range("2026-01-29", periods=60, freq="h")
    df = pd.DataFrame({"time": times.strftime("%Y-%m-%dT%H:%M"), "outdoor_temperature_c": -10.0, **cols})
    path = tmp_path / "w.csv"
    df.to_csv(path, index=False)
    return path


def test_weather_file_sky_columns(tmp_path):
    ghi = np.clip(np.sin(np.arange(60) / 24 * 2 * np.pi) * 300, 0, None)
    path = _csv(tmp_path, ghi_w_per_m2=ghi, wind_m_per_s=5.0)
    cfg = compose_config(["weather=file", f"weather.path={path}", "horizon_days=2", "start=2026-01-29T00:00"]).weather
    grid = TimeGrid.from_config("2026-01-29T00:00", 2, 60)
    fc = make_forecast(cfg, grid, 3, 1)
    np.testing.assert_allclose(fc.ghi_w_per_m2[0], ghi[:48])
    assert (fc.wind_m_per_s == 5.0).all()
    assert fc.dni_w_per_m2.shape == (3, 48)  # DNI and DHI derived from GHI (Erbs)
    bad = _csv(tmp_path, ghi_w_per_m2=-5.0)
    cfg_bad = compose_config(["weather=file", f"weather.path={bad}"]).weather
    with pytest.raises(InputError, match="ghi_w_per_m2 must be within"):
        make_forecast(cfg_bad, grid, 1, 1)


@pytest.mark.skipif(not EPW.is_file(), reason="needs ../shared/data (Denver TMY3 EPW)")
def test_epw_weather_file_brings_temperature_sky_and_site():
    cfg = compose_config(["weather=file", f"weather.path={EPW}"]).weather
    grid = TimeGrid.from_config("2026-02-08T00:00", 2, 60)
    fc = make_forecast(cfg, grid, 2, 1)
    assert fc.site.latitude_deg == pytest.approx(39.83) and fc.site.utc_offset_h == -7.0
    assert fc.outdoor_c.shape == (2, 48) and fc.outdoor_c.min() < -15.0  # Denver's coldest days of the TMY3
    assert fc.ghi_w_per_m2.max() > 300 and (fc.wind_m_per_s >= 0).all()
