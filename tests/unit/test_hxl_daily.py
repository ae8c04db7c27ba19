"""The summary table's plain-array reductions equal the xarray formulation they replace, bit for bit.

:func:`sim.report.hxl._daily` (daily max / mean / last over calendar dates) against ``DataArray.groupby``
over the same date index (the former ``_by_day``), and :func:`sim.stats._summarize_np`'s vectorised path
(NaN-free float data) against :func:`sim.weighted_stats.summary_values` (``numpy.nanquantile``), on small
inputs with ties, NaN, integer data and a partial first and last date.
"""

from __future__ import annotations

import warnings

import numpy as np
import pandas as pd
import pytest
import xarray as xr

from sim.report.hxl import _daily, _day_groups, _runmax
from sim.stats import _summarize_np
from sim.weighted_stats import summary_values


def _ds(hours: int = 53, start: str = "2026-01-29 07:00") -> xr.Dataset:
    return xr.Dataset(coords={"time": pd.date_range(start, periods=hours, freq="h").values})


def _old_by_day(da: xr.DataArray, ds: xr.Dataset, how: str) -> xr.DataArray:
    """The former ``sim.report.hxl._by_day``."""
    dates = pd.DatetimeIndex(ds["time"].values).normalize()
    day = xr.DataArray(np.searchsorted(dates.unique(), dates), dims="time", name="date_index")
    g = da.groupby(day)
    return {"max": g.max, "mean": g.mean, "sum": g.sum, "last": g.last}[how]("time")


@pytest.mark.parametrize("how", ["max", "mean", "last"])
@pytest.mark.parametrize("kind", ["float", "nan", "int", "city", "view"])
def test_daily_is_the_groupby_reduction(how, kind):
    ds = _ds()
    rng = np.random.default_rng(3)
    a = rng.normal(size=(5, ds.sizes["time"], 4)) * 1e3 + 1e6 / 3
    if kind == "nan":
        a[a > 1e6 / 3 + 800] = np.nan
        a[1, 17:48, 2] = np.nan  # a whole date without a value in one run and district
    if kind == "int":
        a = np.round(a).astype(np.int64)
    if kind == "view":  # a strided view, as ds[...].sel(threshold=...) gives
        a = a[:, :, 1]
    if kind == "city":  # time the last axis: a sum along it would be pairwise, not the groupby's order
        a = np.ascontiguousarray(a[:, :, 0])
    da = xr.DataArray(a, dims=("realization", "time", "district")[: a.ndim])
    groups = _day_groups(ds)
    assert [len(g) for g in groups] == [17, 24, 12]  # partial first and last dates
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)  # all-NaN slices, as in the run's own tables
        old = _old_by_day(da, ds, how).transpose("realization", "date_index", ...).values
    new = _daily(a, groups, how)
    assert new.dtype == old.dtype
    np.testing.assert_array_equal(new, old)  # NaN in the same cells, every other value bit for bit
    if how == "max":
        old_run = np.maximum.accumulate(old, axis=1)
        np.testing.assert_array_equal(_runmax(new), old_run)


@pytest.mark.parametrize("shape", [(10,), (10, 1), (10, 21), (7, 3, 4), (4, 2, 5)])
def test_vectorised_percentiles_equal_nanquantile_bit_for_bit(shape):
    rng = np.random.default_rng(11)
    x = rng.gamma(2.0, 1e4, size=shape)
    x[1] = x[0]  # ties
    for pct in ((5, 50, 95), (50,), (2.5, 50.0, 97.5)):
        want = summary_values(x, np.asarray(pct, dtype=float))  # numpy.nanquantile, one slice at a time
        got = _summarize_np(x, pct)
        assert got.shape == want.shape
        assert np.array_equal(got, want)
        assert np.array_equal(got.view(np.int64), np.asarray(want).view(np.int64))  # the same bits
    if x.ndim > 1:  # another realization axis
        np.testing.assert_array_equal(_summarize_np(x, (5, 50, 95), axis=1),
                                      summary_values(x, np.array([5.0, 50.0, 95.0]), axis=1))


def test_percentiles_with_nan_or_weights_keep_their_path():
    x = np.arange(24.0).reshape(6, 4)
    x[2, 1] = np.nan  # skipped, as numpy.nanquantile skips it
    np.testing.assert_array_equal(_summarize_np(x, (50,)), summary_values(x, np.array([50.0])))
    assert _summarize_np(x, (50,))[0, 1] == np.nanmedian(x[:, 1])
    w = np.array([1.0, 2.0, 0.0, 1.0, 3.0, 1.0])
    y = np.nan_to_num(x)
    np.testing.assert_array_equal(_summarize_np(y, (5, 50, 95), w), summary_values(y, np.array([5.0, 50.0, 95.0]), w))


def test_daily_mean_worst_is_the_groupby_mean_then_max():
    from sim.keyfigures import _day_index, daily_mean_worst

    ds = _ds(77, "2026-01-29 00:00")
    rng = np.random.default_rng(5)
    for a in (rng.normal(size=(6, 77)) * 1e3 + 1e6 / 3, rng.normal(size=(6, 77, 3, 2))[:, :, :, 1] * 1e3 + 1e6 / 3):
        da = xr.DataArray(a, dims=("realization", "time", "district")[: a.ndim], name="x",
                          coords={"realization": np.arange(6)})
        old = da.groupby(_day_index(ds).rename("run_day")).mean("time").max("run_day")
        new = daily_mean_worst(da, ds)
        xr.testing.assert_identical(new, old)
        assert new.values.tobytes() == old.values.tobytes()
