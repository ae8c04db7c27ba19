import numpy as np
import pandas as pd
import pytest
import xarray as xr

from sim.errors import ResultError
from sim.io import atomic_write, write_csv, write_netcdf


def small_ds():
    return xr.Dataset(
        {"x": (("realization", "time"), np.arange(6.0).reshape(2, 3), {"units": "1", "long_name": "x"})},
        coords={"realization": [0, 1], "time": pd.date_range("2026-01-29", periods=3, freq="h")},
        attrs={"Conventions": "CF-1.10"},
    )


def test_netcdf_roundtrip(tmp_path):
    p = write_netcdf(small_ds(), tmp_path / "r.nc")
    with xr.open_dataset(p) as back:
        xr.testing.assert_identical(back.load(), small_ds())
    assert [f.name for f in tmp_path.iterdir()] == ["r.nc"]


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
