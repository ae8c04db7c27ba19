import numpy as np
import pandas as pd
import pytest
import xarray as xr

from sim.errors import InputError, ResultError
from sim.io import atomic_write, open_result, write_csv, write_netcdf
from sim.timegrid import TimeGrid


def small_ds(utc_offset_h: float = 2.0):
    grid = TimeGrid(np.datetime64("2026-01-29T00:00", "ns"), 1.0, 3, utc_offset_h)
    return xr.Dataset(
        {"x": (("realization", "time"), np.arange(6.0).reshape(2, 3), {"units": "1", "long_name": "x"}),
         "k": (("threshold",), [1.0, 2.0], {"units": "1", "long_name": "k"})},
        coords={"realization": ("realization", [0, 1], {"units": "1"}),
                "time": ("time", grid.times, grid.time_attrs()),
                "threshold": ("threshold", [16.0, 12.0], {"units": "degC"})},
        attrs={"Conventions": "CF-1.10", "source": "coldgrid test"},
    )


def test_netcdf_roundtrip_on_the_model_clock(tmp_path):
    p = write_netcdf(small_ds(), tmp_path / "r.nc")
    xr.testing.assert_identical(open_result(p), small_ds())
    assert [f.name for f in tmp_path.iterdir()] == ["r.nc"]


@pytest.mark.parametrize("offset_h", [2.0, -3.5, 0.0])
def test_cf_readers_decode_the_true_instant(tmp_path, offset_h):
    """Local standard time L at UTC offset o is the instant L - o (ISO 8601); xarray, netCDF4 and cftime
    all decode that instant from the stored units (e.g. ``hours since 1970-01-01 00:00:00+02:00``)."""
    import cftime
    import netCDF4

    p = write_netcdf(small_ds(offset_h), tmp_path / "r.nc")
    local = small_ds(offset_h)["time"].values
    utc = local - np.timedelta64(round(offset_h * 3600), "s")
    with netCDF4.Dataset(p) as nc:
        t = nc["time"]
        assert t.units.endswith({2.0: "+02:00", -3.5: "-03:30", 0.0: "+00:00"}[offset_h])
        # the stored numbers are hours on the model clock: 2026-01-29 00:00 local is 491568 h after 1970
        assert float(t[0]) == (np.datetime64("2026-01-29T00:00") - np.datetime64("1970-01-01T00:00")) / np.timedelta64(1, "h")
        assert "_FillValue" not in t.ncattrs()
        assert "_FillValue" not in nc["threshold"].ncattrs()
        assert t.standard_name == "time"
        assert nc["realization"].units == "1"
        via_cftime = cftime.num2date(t[:], t.units, calendar=t.calendar, only_use_cftime_datetimes=False)
        via_netcdf4 = netCDF4.num2date(t[:], t.units, calendar=t.calendar, only_use_cftime_datetimes=False)
    for decoded in (via_cftime, via_netcdf4):
        assert [np.datetime64(d, "ns") for d in decoded] == list(utc)
    with xr.open_dataset(p) as ds:
        np.testing.assert_array_equal(ds["time"].values, utc)


def test_open_result_refuses_foreign_files(tmp_path):
    foreign = xr.Dataset({"t2m": (("time",), [1.0])}, coords={"time": pd.date_range("2026-01-01", periods=1)})
    foreign.to_netcdf(tmp_path / "era5.nc")
    with pytest.raises(InputError, match="not a coldgrid result"):
        open_result(tmp_path / "era5.nc")
    (tmp_path / "junk.nc").write_bytes(b"not netcdf at all")
    with pytest.raises(InputError, match="not a readable NetCDF file"):
        open_result(tmp_path / "junk.nc")


def test_nan_is_refused_and_nothing_written(tmp_path):
    ds = small_ds()
    ds["x"][0, 0] = np.nan
    with pytest.raises(ResultError, match="NaN"):
        write_netcdf(ds, tmp_path / "r.nc")
    assert list(tmp_path.iterdir()) == []


def test_failed_write_leaves_old_file_intact(tmp_path):
    target = tmp_path / "a.txt"
    target.write_text("old")

    def boom(p):
        p.write_text("half")
        raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        atomic_write(target, boom)
    assert target.read_text() == "old"
    assert [f.name for f in tmp_path.iterdir()] == ["a.txt"]


def test_csv_with_hashtag_row(tmp_path):
    df = pd.DataFrame({"a": [1, 2], "b": ["x,y", "z"]})
    p = write_csv(df, tmp_path / "t.csv", header_rows=[["#a", "#b"]])
    lines = p.read_text().splitlines()
    assert lines[0] == "a,b" and lines[1] == "#a,#b" and lines[2] == '1,"x,y"'


def test_read_csv_strings_is_one_reader_for_every_input_csv_and_names_a_row_wider_than_the_header(tmp_path):
    """The CSV reader of every input (weather files, reports) is sim.csv_input's (a base module: the input
    layer may not import sim.io); sim.weather_file keeps the name for its callers."""
    from sim import observations, weather_file
    from sim.csv_input import read_csv_strings

    assert weather_file.read_csv_strings is read_csv_strings is observations.read_csv_strings
    path = tmp_path / "f.csv"
    path.write_text("time,outdoor_temperature_c\n2026-01-29T00:00,-5,\n", encoding="utf-8")
    with pytest.raises(ValueError, match="line 2 has 3 fields but the header has 2"):
        read_csv_strings(path)
    path.write_text("time,outdoor_temperature_c\n2026-01-29T00:00,-5\n", encoding="utf-8")
    df = read_csv_strings(path)
    assert list(df.columns) == ["time", "outdoor_temperature_c"] and df.iloc[0, 1] == "-5"
