"""Ensemble forecast files (sim.weather_ensemble): member dimensions of NetCDF files, and GRIB via cfgrib."""

from __future__ import annotations

import sys

import numpy as np
import pandas as pd
import pytest
import xarray as xr

from sim.errors import InputError
from sim.timegrid import TimeGrid
from sim.weather import load_file

GRID = TimeGrid.from_config("2026-01-29T00:00", 1, 60)
TIMES = pd.date_range("2026-01-29T00:00", "2026-01-30T00:00", freq="h")


def ensemble_nc(path, dim: str, n: int = 3, extra: dict | None = None):
    values = np.stack([np.linspace(-5.0, -15.0, len(TIMES)) - m for m in range(n)])
    da = xr.DataArray(values + 273.15, dims=(dim, "time"), coords={dim: np.arange(10, 10 + n), "time": TIMES},
                      attrs={"units": "K"})
    ds = xr.Dataset({"outdoor_temperature": da})
    if extra:
        ds = ds.assign(extra)
    ds.to_netcdf(path)
    return values


@pytest.mark.parametrize("dim", ["realization", "member", "number", "ensemble", "Ensemble_Member"])
def test_member_dimension_names(tmp_path, dim):
    values = ensemble_nc(tmp_path / "ens.nc", dim)
    f = load_file(tmp_path / "ens.nc", GRID, 3)
    np.testing.assert_allclose(f.outdoor_c, values[:, :-1], atol=1e-9)
    assert "3 realizations" in f.source


def test_member_labels_name_the_member_in_errors(tmp_path):
    values = np.zeros((2, len(TIMES)))
    values[1, 5] = np.nan
    xr.Dataset({"outdoor_temperature": (("member", "time"), values, {"units": "degC"})},
               coords={"member": [4, 7], "time": TIMES}).to_netcdf(tmp_path / "ens.nc")
    with pytest.raises(InputError, match=r"time index 5 \(2026-01-29 05:00:00, realization 7\): missing value"):
        load_file(tmp_path / "ens.nc", GRID, 2)


def test_two_member_dimensions_are_refused(tmp_path):
    values = np.zeros((2, 2, len(TIMES)))
    xr.Dataset({"outdoor_temperature": (("member", "number", "time"), values, {"units": "degC"})},
               coords={"time": TIMES}).to_netcdf(tmp_path / "ens.nc")
    with pytest.raises(InputError, match=r"2 member dimensions \(member, number\)"):
        load_file(tmp_path / "ens.nc", GRID, 2)


# --------------------------------------------------------------------------------------------------
# GRIB (cfgrib + eccodes: the [grib] extra)
# --------------------------------------------------------------------------------------------------


def write_grib(path, members=(0, 1, 2), steps_h=range(0, 31, 6), shape=(1, 1), dates=(20260128,)):
    """A GRIB2 ensemble of 2 m temperature (K) written with ecCodes: value 260 + member + step/6."""
    eccodes = pytest.importorskip("eccodes")
    with open(path, "wb") as f:
        for date in dates:
            for number in members:
                for step in steps_h:
                    h = eccodes.codes_grib_new_from_samples("GRIB2")
                    for key, value in [("dataDate", date), ("dataTime", 1800), ("typeOfGeneratingProcess", 4),
                                       ("productDefinitionTemplateNumber", 1), ("perturbationNumber", number),
                                       ("numberOfForecastsInEnsemble", len(members)),
                                       ("typeOfFirstFixedSurface", 103), ("scaleFactorOfFirstFixedSurface", 0),
                                       ("scaledValueOfFirstFixedSurface", 2), ("discipline", 0),
                                       ("parameterCategory", 0), ("parameterNumber", 0), ("stepUnits", 1),
                                       ("forecastTime", step), ("Ni", shape[1]), ("Nj", shape[0]),
                                       ("latitudeOfFirstGridPointInDegrees", 50.5),
                                       ("longitudeOfFirstGridPointInDegrees", 30.5),
                                       ("latitudeOfLastGridPointInDegrees", 50.5 - 0.25 * (shape[0] - 1)),
                                       ("longitudeOfLastGridPointInDegrees", 30.5 + 0.25 * (shape[1] - 1)),
                                       ("iDirectionIncrementInDegrees", 0.25), ("jDirectionIncrementInDegrees", 0.25)]:
                        eccodes.codes_set(h, key, value)
                    eccodes.codes_set_values(h, np.full(shape[0] * shape[1], 260.0 + number + step / 6))
                    eccodes.codes_write(h, f)
                    eccodes.codes_release(h)


def test_grib_ensemble_is_read_with_valid_times_moved_to_local_time(tmp_path):
    """Reference time 28 Jan 18:00 UTC, steps 0-30 h every 6 h: valid 18:00 UTC .. 29 Jan 24:00 UTC, that is
    20:00 .. 02:00 local (UTC+2); the run needs 29 Jan 00:00-23:00 local at 6-h spacing."""
    pytest.importorskip("cfgrib")
    write_grib(tmp_path / "ens.grib2")
    f = load_file(tmp_path / "ens.grib2", GRID, 3, max_gap_h=6, utc_offset_h=2.0)
    # member m at local 02:00 (step 6 h: 260 + m + 1 K) ... linear in between
    hours_local = GRID.hours  # 0..23 local on 29 Jan = 22 UTC 28 Jan + hours
    step_h = hours_local + 4.0  # hours since the reference time 18 UTC
    for m in range(3):
        np.testing.assert_allclose(f.outdoor_c[m], 260.0 + m + step_h / 6 - 273.15, atol=1e-4)
    assert list(tmp_path.iterdir()) == [tmp_path / "ens.grib2"]  # cfgrib wrote no index file


def test_grib_grid_and_several_forecasts_are_refused(tmp_path):
    pytest.importorskip("cfgrib")
    write_grib(tmp_path / "grid.grib2", shape=(2, 3))
    with pytest.raises(InputError, match="2 x 3 grid points; cut it to the city's grid point"):
        load_file(tmp_path / "grid.grib2", GRID, 3, max_gap_h=6)
    write_grib(tmp_path / "two.grib2", dates=(20260127, 20260128))
    with pytest.raises(InputError, match="2 forecast reference times"):
        load_file(tmp_path / "two.grib2", GRID, 3, max_gap_h=6)


def test_grib_without_cfgrib_is_one_clear_error(tmp_path, monkeypatch):
    (tmp_path / "f.grib2").write_bytes(b"GRIB" + bytes(100))
    monkeypatch.setitem(sys.modules, "cfgrib", None)  # import cfgrib now raises ImportError
    with pytest.raises(InputError, match=r"GRIB needs cfgrib and eccodes \(pip install -e '\.\[grib\]'"):
        load_file(tmp_path / "f.grib2", GRID, 1)


def test_a_broken_grib_file_is_one_line(tmp_path):
    pytest.importorskip("cfgrib")
    (tmp_path / "bad.grb").write_bytes(b"GRIB" + bytes(100))
    with pytest.raises(InputError) as e:
        load_file(tmp_path / "bad.grb", GRID, 1)
    assert str(e.value).startswith(f"weather file {tmp_path / 'bad.grb'}: ") and "\n" not in str(e.value)


@pytest.mark.parametrize(("units", "shift_h"), [
    ("hours since 1970-01-01 00:00:00+02:00", 0),  # coldgrid's own result.nc: local clock stated as UTC+2
    ("hours since 1970-01-01 00:00:00 UTC", 2),  # UTC times: 00 UTC is 02:00 in Kyiv
    ("hours since 1970-01-01 00:00:00", 0),  # no zone: taken as local wall-clock time
])
def test_netcdf_times_with_a_stated_zone_move_to_the_city_clock(tmp_path, units, shift_h):
    """A time axis whose CF units name a zone decodes to UTC in xarray; the reader moves it to the run's
    clock (``city.utc_offset_h``, here +2 h). Expected values: the written series, shifted by hand."""
    values = np.arange(len(TIMES), dtype=float) - 20.0  # one degree per hour: a shift shows as an offset
    local = TIMES.to_numpy()
    # with an offset in the units, the values to write are the UTC instants that CF readers decode
    stored = local - np.timedelta64(2, "h") if units.endswith("+02:00") else local
    ds = xr.Dataset({"outdoor_temperature": ("time", values, {"units": "degC"})}, coords={"time": stored})
    ds["time"].encoding.update(units=units, dtype="float64")
    ds.to_netcdf(tmp_path / "w.nc")
    grid = TimeGrid.from_config("2026-01-29T03:00", 0.5, 60, utc_offset_h=2.0)
    f = load_file(tmp_path / "w.nc", grid, 1, utc_offset_h=2.0)
    # at local 03:00 the file's value is that of its row 3 (local clock) or row 1 (UTC rows, 01 UTC = 03 local)
    np.testing.assert_allclose(f.outdoor_c[0], values[3 - shift_h : 3 - shift_h + grid.n_steps])
