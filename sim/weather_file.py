"""Outdoor temperature from a CSV or NetCDF file, checked and put on the run's time grid.

Formats
-------
CSV
    Columns ``time`` (ISO 8601, e.g. ``2026-01-29T06:00``) and ``outdoor_temperature_c`` [degC], optional
    ``realization`` (integer); other columns are ignored. One row per time (and realization).
NetCDF
    Variable ``outdoor_temperature`` with dimensions ``(time)`` or ``(time, realization)`` in any order
    (other dimensions of length 1, e.g. a single ``latitude``/``longitude``, are dropped) and a ``units``
    attribute: degC (``degC``, ``Celsius``, ``degree_Celsius``, ...) or K (``K``, ``kelvin``); K is
    converted. The member dimension may also be named ``member``, ``number``, ``ensemble``, ...
GRIB
    The 2 m temperature of one ensemble forecast at one grid point, through cfgrib; times are UTC and
    moved by ``utc_offset_h``. Both: :mod:`sim.weather_ensemble`.

Times are naive local wall-clock times, the clock of the run's ``start``; a UTC offset in a CSV time is
dropped and the wall-clock time kept. Every row of the file is checked, not only those in the run period.
The file must cover ``[start, start + horizon)`` (its first time <= the first step, its last time >= the
last step start), with no interval longer than the model step within the run (``weather.max_gap_h``
widens this, e.g. to use 3-hourly data with an hourly step). Values are interpolated linearly to the
grid's step starts.

Realizations: a file with one series gives it to every realization; a file with more realizations than
requested gives the first R (in order of the ``realization`` values); fewer than requested (but more
than one) are cycled (realization r gets file realization r mod n) with a :class:`ColdgridWarning`.

Files are read with :func:`pandas.read_csv` and :func:`xarray.open_dataset` only; nothing is unpickled.
"""

from __future__ import annotations

import os
import warnings
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from sim.csv_input import read_csv_strings
from sim.errors import ColdgridWarning, InputError
from sim.folders import check_input_file
from sim.timegrid import TimeGrid

__all__ = ["SKY_COLUMNS", "read_observed_series", "read_series", "read_sky_columns", "read_temperature_file"]

VALID_RANGE_C = (-70.0, 50.0)
CSV_TIME, CSV_VALUE, CSV_REALIZATION = "time", "outdoor_temperature_c", "realization"
NC_VARIABLE = "outdoor_temperature"
_CELSIUS = {
    "degc",
    "deg_c",
    "degreec",
    "degree_c",
    "degrees_c",
    "celsius",
    "degree_celsius",
    "degrees_celsius",
    "°c",
    "c",
}
_KELVIN = {"k", "kelvin", "kelvins", "degk", "deg_k"}
_NETCDF_SUFFIXES = {".nc", ".nc4", ".netcdf", ".cdf", ".h5"}

#: A function giving the location of element i of a series in its file, e.g. "line 7".
Locator = Callable[[int | np.integer], str]


def _max_gap_h(max_gap_h: float | None, grid: TimeGrid) -> float:
    """``weather.max_gap_h`` checked, or the model step when unset. [h]"""
    gap_h = float(grid.dt_h if max_gap_h is None else max_gap_h)
    if not np.isfinite(gap_h) or gap_h <= 0.0:  # NaN would disable the gap check silently
        raise InputError(f"weather.max_gap_h={max_gap_h}: must be a number of hours > 0")
    return gap_h


def read_temperature_file(
    path: str | os.PathLike[str], grid: TimeGrid, n_realizations: int, max_gap_h: float | None = None,
    utc_offset_h: float = 0.0, needed_from: np.datetime64 | None = None,
) -> tuple[np.ndarray, str]:
    """Read, check and interpolate a temperature file to the grid.

    Parameters
    ----------
    path : str or os.PathLike
        CSV (``.csv``) or NetCDF file; other suffixes are sniffed from the first bytes.
    grid : TimeGrid
        The run's time grid.
    n_realizations : int
        Number of realizations R to return. [-]
    max_gap_h : float, optional
        Largest accepted interval between consecutive file times within the run; default the model
        step. [h]
    utc_offset_h : float
        Local time minus UTC, applied to GRIB files (whose times are UTC; :mod:`sim.weather_ensemble`). [h]
    needed_from : numpy.datetime64, optional
        The file need only cover the steps from this time on (a forecast spliced with observed weather
        before it, ``nowcast.past_weather``); earlier steps hold the file's first value (the caller
        replaces them). Default: the whole run.

    Returns
    -------
    outdoor_c : numpy.ndarray
        Temperature at the grid's step starts, shape (R, T). [degC]
    source : str
        Short description for metadata.

    Raises
    ------
    InputError
        With a one-line message naming the file and the row (CSV line) or the variable.
    """
    name = str(path)
    gap_h = _max_gap_h(max_gap_h, grid)
    series = read_series(path, utc_offset_h)
    on_grid = [
        _check_and_interpolate(name, times, values, where, grid, gap_h, needed_from) for times, values, where in series
    ]
    n_file = len(on_grid)
    R = int(n_realizations)
    if 1 < n_file < R:
        warnings.warn(
            f"weather file {name}: {n_file} realizations for {R} requested; cycling them",
            ColdgridWarning,
            stacklevel=3,
        )
    outdoor_c = np.stack([on_grid[r % n_file] for r in range(R)]).astype(np.float64)
    note = "1 series for all realizations" if n_file == 1 else f"{n_file} realizations"
    if 1 < n_file < R:
        note += ", cycled"
    elif n_file > R:
        note += f", first {R} used"
    return outdoor_c, f"file: {name} ({note})"


def read_observed_series(
    path: str | os.PathLike[str], grid: TimeGrid, until: np.datetime64, max_gap_h: float | None = None,
    utc_offset_h: float = 0.0,
) -> tuple[np.ndarray, str]:
    """The observed outdoor temperature of ``nowcast.past_weather`` at the step starts before ``until``.

    The file is read and checked as a weather file (:func:`read_series`: CSV or NetCDF, the same columns,
    variables and one-line errors) and must hold one series (no ``realization`` column or member
    dimension of length > 1: it is what happened, not an ensemble). It must cover the step starts in
    ``[start, until)`` with no interval longer than ``max_gap_h`` (default the model step) among them;
    times after ``until`` are allowed and ignored (the forecast holds from ``until`` on).

    Parameters
    ----------
    path : str or os.PathLike
        CSV or NetCDF file of observed temperatures.
    grid : TimeGrid
        The run's time grid.
    until : numpy.datetime64
        ``nowcast.as_of``: the first time that is not observed.
    max_gap_h : float, optional
        Largest accepted interval between consecutive file times within ``[start, until)``. [h]
    utc_offset_h : float
        Local time minus UTC for zoned NetCDF times (:mod:`sim.weather_ensemble`). [h]

    Returns
    -------
    observed_c : numpy.ndarray
        Temperature at the step starts before ``until``, shape (n_past,). [degC]
    source : str
        Short description for metadata.

    Raises
    ------
    InputError
        One line naming the file and the row (CSV line) or variable, as for ``weather=file``.
    """
    name = str(path)
    gap_h = _max_gap_h(max_gap_h, grid)
    series = read_series(path, utc_offset_h)
    if len(series) != 1:
        raise InputError(f"weather file {name}: {len(series)} realizations or members; observed weather "
                         "(nowcast.past_weather) is one series, without a realization column or member dimension")
    times, values, where = series[0]
    until = _ns(until)
    n_past = int(np.count_nonzero(grid.times < until))
    on_grid = _check_and_interpolate(name, times, values, where, grid, gap_h, needed_until=until)
    return on_grid[:n_past].astype(np.float64), f"observed before {_fmt(until)}: {name}"


def read_series(path: str | os.PathLike[str], utc_offset_h: float = 0.0) -> list[tuple[np.ndarray, np.ndarray, Locator]]:
    """Every series of a weather file (one per realization or member), checked but not put on a grid.

    Returns a list of ``(times datetime64[ns], values [degC], locator)``; values are finite and in range,
    times strictly increase. Raises :class:`InputError` as :func:`read_temperature_file`.
    """
    name = str(path)
    p = check_input_file(path, f"weather file {name}")
    from sim.weather_ensemble import is_grib

    series = _read_netcdf(p, name, utc_offset_h) if _is_netcdf(p) or is_grib(p) else _read_csv(p, name)
    for times, values, where in series:
        _check_series(name, times, values, where)
    return series


# --------------------------------------------------------------------------------------------------
# readers: each returns a list of (times datetime64[ns], values [degC], locator) per file realization
# --------------------------------------------------------------------------------------------------


def _is_netcdf(p: Path) -> bool:
    if p.suffix.lower() in _NETCDF_SUFFIXES:
        return True
    if p.suffix.lower() == ".csv":
        return False
    with p.open("rb") as f:
        magic = f.read(4)
    return magic[:3] == b"CDF" or magic == b"\x89HDF"


def _read_csv(p: Path, name: str) -> list[tuple[np.ndarray, np.ndarray, Locator]]:
    try:
        df = read_csv_strings(p, skip_blank_lines=False)
    except pd.errors.EmptyDataError:
        raise InputError(
            f"weather file {name}: empty file, expected a header line with columns "
            f"{CSV_TIME}, {CSV_VALUE}[, {CSV_REALIZATION}]"
        ) from None
    except (pd.errors.ParserError, UnicodeDecodeError, ValueError) as e:
        raise InputError(f"weather file {name}: not a readable CSV file: {_one_line(e)}") from None
    df.columns = [str(c).strip() for c in df.columns]
    missing = [c for c in (CSV_TIME, CSV_VALUE) if c not in df.columns]
    if missing:
        found = ", ".join(df.columns) or "(none)"
        raise InputError(
            f"weather file {name}: missing column(s) {', '.join(missing)}; found: {found}; "
            f"expected: {CSV_TIME}, {CSV_VALUE}[, {CSV_REALIZATION}]"
        )
    if len(df) == 0:
        raise InputError(f"weather file {name}: no data rows after the header")
    lines = np.arange(len(df)) + 2  # the header is line 1

    raw_t = df[CSV_TIME].str.strip()
    for i in np.flatnonzero(raw_t.to_numpy() == ""):
        raise InputError(f"weather file {name}: line {lines[i]}: empty {CSV_TIME}")
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            parsed = pd.to_datetime(raw_t, format="ISO8601", errors="coerce")
    except (ValueError, TypeError) as e:
        if "timezone" in str(e).lower() or "offset" in str(e).lower():
            e = ValueError(
                "mixed UTC offsets; write local times without offsets, the clock of the run's start"
            )
        raise InputError(
            f"weather file {name}: column {CSV_TIME}: cannot parse times ({_one_line(e)})"
        ) from None
    if parsed.dtype == object:
        raise InputError(
            f"weather file {name}: column {CSV_TIME}: mixed UTC offsets; write local times "
            "without offsets, the clock of the run's start"
        )
    for i in np.flatnonzero(parsed.isna().to_numpy()):
        raise InputError(
            f"weather file {name}: line {lines[i]}: cannot parse {CSV_TIME} "
            f"{raw_t.iloc[i]!r} as ISO 8601 (e.g. 2026-01-29T06:00)"
        )
    if getattr(parsed.dt, "tz", None) is not None:
        parsed = parsed.dt.tz_localize(None)
    times = parsed.to_numpy().astype("datetime64[ns]")

    raw_v = df[CSV_VALUE].str.strip()
    values = pd.to_numeric(raw_v, errors="coerce").to_numpy(dtype=float)
    for i in np.flatnonzero(np.isnan(values)):
        what = (
            "missing value"
            if raw_v.iloc[i].lower() in ("", "nan", "na", "null")
            else f"not a number {raw_v.iloc[i]!r}"
        )
        raise InputError(f"weather file {name}: line {lines[i]}: {CSV_VALUE}: {what} (NaN)")

    if CSV_REALIZATION not in df.columns:
        groups = [np.arange(len(df))]
    else:
        raw_r = df[CSV_REALIZATION].str.strip()
        real = pd.to_numeric(raw_r, errors="coerce").to_numpy(dtype=float)
        for i in np.flatnonzero(~np.isfinite(real) | (real != np.round(real))):
            raise InputError(
                f"weather file {name}: line {lines[i]}: {CSV_REALIZATION} {raw_r.iloc[i]!r} is not an integer"
            )
        groups = [np.flatnonzero(real == r) for r in np.unique(real)]

    out = []
    for rows in groups:
        out.append((times[rows], values[rows], _line_locator(lines[rows])))
    return out


def _line_locator(lines: np.ndarray) -> Locator:
    return lambda i: f"line {lines[i]}"


def _read_netcdf(p: Path, name: str, utc_offset_h: float = 0.0) -> list[tuple[np.ndarray, np.ndarray, Locator]]:
    from sim.weather_ensemble import open_weather_dataset  # member dims (member, number, ...) and GRIB

    ds = open_weather_dataset(p, name, utc_offset_h)
    with ds:
        if NC_VARIABLE not in ds.data_vars:
            found = ", ".join(map(str, ds.data_vars)) or "(none)"
            raise InputError(
                f"weather file {name}: no variable {NC_VARIABLE!r}; found: {found}; "
                f"expected {NC_VARIABLE} with dims (time[, realization])"
            )
        da = ds[NC_VARIABLE]
        extra = [d for d in da.dims if d not in ("time", "realization")]
        if "time" not in da.dims or any(da.sizes[d] != 1 for d in extra):
            raise InputError(
                f"weather file {name}: variable {NC_VARIABLE!r} has dims {tuple(map(str, da.dims))}, "
                "expected (time[, realization])"
            )
        da = da.squeeze([d for d in extra], drop=True)
        da = (
            da.transpose("time", "realization")
            if "realization" in da.dims
            else da.expand_dims("realization", 1)
        )

        units = str(da.attrs.get("units", "")).strip()
        key = units.lower().replace(" ", "_")
        if key in _CELSIUS:
            offset_c = 0.0
        elif key in _KELVIN:
            offset_c = -273.15
        else:
            raise InputError(
                f"weather file {name}: variable {NC_VARIABLE!r} has units {units!r}, "
                "expected degC (Celsius) or K (kelvin)"
            )
        if "time" not in da.coords or not np.issubdtype(da["time"].dtype, np.datetime64):
            raise InputError(
                f"weather file {name}: variable 'time' is not a decodable time coordinate "
                "(CF units such as 'hours since 2026-01-29 00:00', standard calendar)"
            )
        if da.sizes["time"] == 0:
            raise InputError(f"weather file {name}: variable {NC_VARIABLE!r} has an empty time axis (no data)")
        times = da["time"].to_numpy().astype("datetime64[ns]")
        try:
            values = da.to_numpy().astype(float) + offset_c
        except (TypeError, ValueError):
            raise InputError(
                f"weather file {name}: variable {NC_VARIABLE!r} holds {da.dtype} values, not numbers"
            ) from None
        labels = (
            da["realization"].to_numpy() if "realization" in da.coords else np.arange(da.sizes["realization"])
        )

    out = []
    for j in range(values.shape[1]):
        suffix = f", realization {labels[j]}" if values.shape[1] > 1 else ""
        out.append((times, values[:, j], _nc_locator(times, suffix)))
    return out


def _nc_locator(times: np.ndarray, suffix: str) -> Locator:
    return lambda i: f"variable {NC_VARIABLE!r} at time index {i} ({_fmt(times[i])}{suffix})"


# --------------------------------------------------------------------------------------------------
# checks shared by both formats
# --------------------------------------------------------------------------------------------------


def _check_series(name: str, times: np.ndarray, values: np.ndarray, where: Locator) -> None:
    """Check one series: no NaN, values in range, times strictly increasing."""
    for i in np.flatnonzero(np.isnan(values)):
        raise InputError(f"weather file {name}: {where(i)}: missing value (NaN)")
    lo, hi = VALID_RANGE_C
    for i in np.flatnonzero((values < lo) | (values > hi)):
        raise InputError(
            f"weather file {name}: {where(i)}: {values[i]:.2f} degC is outside {lo:g}..{hi:g} degC"
        )
    step = np.diff(times)
    zero = np.timedelta64(0, "ns")
    for i in np.flatnonzero(step == zero):
        raise InputError(
            f"weather file {name}: {where(i + 1)}: duplicated time {_fmt(times[i + 1])} (also at {where(i)})"
        )
    for i in np.flatnonzero(step < zero):
        raise InputError(
            f"weather file {name}: {where(i + 1)}: time {_fmt(times[i + 1])} is before the "
            f"previous time {_fmt(times[i])}; times must increase"
        )


def _check_and_interpolate(
    name: str, times: np.ndarray, values: np.ndarray, where: Locator, grid: TimeGrid, max_gap_h: float,
    needed_from: np.datetime64 | None = None, needed_until: np.datetime64 | None = None,
) -> np.ndarray:
    """Interpolate one checked series (times, values) to the grid, shape (T,). [degC]

    The file must cover the step starts in ``[needed_from, needed_until)`` (default: every step); outside
    them the first or last value is held (np.interp)."""
    step = np.diff(times)
    grid_times = grid.times
    needed = np.ones(grid_times.shape, bool)
    if needed_from is not None:
        needed &= grid_times >= _ns(needed_from)
    if needed_until is not None:
        needed &= grid_times < _ns(needed_until)
    what = ("start .. start + horizon - dt" if needed_from is None and needed_until is None
            else "start .. the last step before nowcast.as_of" if needed_from is None
            else "nowcast.as_of .. start + horizon - dt")  # fmt: skip
    if not needed.any():
        return np.interp(grid.hours, (times - grid_times[0]) / np.timedelta64(1, "h"), values)
    first, last = grid_times[needed][0], grid_times[needed][-1]
    if times[0] > first or times[-1] < last:
        raise InputError(
            f"weather file {name}: covers {_fmt(times[0])} .. {_fmt(times[-1])}, but the run needs "
            f"{_fmt(first)} .. {_fmt(last)} ({what})"
        )
    gap_h = step / np.timedelta64(1, "h")
    relevant = (times[1:] > first) & (times[:-1] < last)
    for i in np.flatnonzero(relevant & (gap_h > max_gap_h + 1e-9)):
        raise InputError(
            f"weather file {name}: {where(i + 1)}: gap of {gap_h[i]:g} h after {_fmt(times[i])} "
            f"exceeds {max_gap_h:g} h (the model step; set weather.max_gap_h to accept coarser data)"
        )
    x_h = (times - grid_times[0]) / np.timedelta64(1, "h")
    return np.interp(grid.hours, x_h, values)


def _ns(t: Any) -> np.datetime64:
    """A time as numpy.datetime64[ns]."""
    return np.datetime64(t, "ns")


def _fmt(t: Any) -> str:
    return str(np.datetime64(t, "s")).replace("T", " ")


def _one_line(e: BaseException) -> str:
    text = " ".join(str(e).split())
    return text[:200] or type(e).__name__


# --------------------------------------------------------------------------------------------------
# optional sky columns: irradiance and wind (sim.solar, sim.ventilation)
# --------------------------------------------------------------------------------------------------

#: Optional columns (CSV) or variables (NetCDF) of the sky, with their valid ranges.
SKY_COLUMNS: dict[str, tuple[float, float]] = {
    "ghi_w_per_m2": (0.0, 1500.0),  # global horizontal irradiance, step mean [W/m2]
    "dni_w_per_m2": (0.0, 1500.0),  # direct normal irradiance [W/m2]
    "dhi_w_per_m2": (0.0, 1000.0),  # diffuse horizontal irradiance [W/m2]
    "wind_m_per_s": (0.0, 75.0),  # wind speed at the station [m/s]
}


def read_sky_columns(
    path: str | os.PathLike[str], grid: TimeGrid, n_realizations: int, max_gap_h: float | None = None,
    needed_from: np.datetime64 | None = None,
) -> tuple[np.ndarray | None, np.ndarray | None, np.ndarray | None, np.ndarray | None, str]:
    """Irradiance and wind from the optional columns of a weather file, on the grid.

    A CSV may carry columns, a NetCDF file variables, named as in :data:`SKY_COLUMNS` (same time axis and
    ``realization`` rule as the temperature). GHI alone is accepted (DNI and DHI are then derived from
    it by the caller); DNI and DHI need GHI. Values are interpolated linearly to the step starts. With
    ``needed_from`` the columns need only cover the steps from that time on (as the temperature, for a
    forecast spliced with observed weather; earlier steps hold the first value).

    Returns
    -------
    ghi, dni, dhi, wind : numpy.ndarray of shape (R, T), or None where absent
        [W/m2], [m/s]
    source : str
        Which columns were read (metadata).
    """
    p = Path(path).expanduser()
    name = str(path)
    found: dict[str, list[tuple[np.ndarray, np.ndarray]]] = {}
    from sim.weather_ensemble import is_grib, open_weather_dataset

    if is_grib(p):  # GRIB files bring the 2 m temperature only (sim.weather_ensemble)
        return None, None, None, None, ""
    if _is_netcdf(p):
        # the same time axis as the temperature: member dims renamed, zoned times on the run's clock
        with open_weather_dataset(p, name, grid.utc_offset_h) as ds:
            for col in SKY_COLUMNS:
                if col not in ds.variables:
                    continue
                da = ds[col]
                extra = [d for d in da.dims if d not in ("time", "realization")]
                if "time" not in da.dims or any(da.sizes[d] != 1 for d in extra):
                    raise InputError(f"weather file {name}: variable {col!r} has dims {tuple(map(str, da.dims))}, "
                                     "expected (time[, realization]) as the temperature")
                da = da.squeeze(extra, drop=True)
                times = ds["time"].to_numpy().astype("datetime64[ns]")
                if "realization" in da.dims:
                    da = da.transpose("realization", "time")
                    found[col] = [(times, da.isel(realization=i).to_numpy().astype(float)) for i in range(da.sizes["realization"])]
                else:
                    found[col] = [(times, da.to_numpy().astype(float).reshape(-1))]
    else:
        header = pd.read_csv(p, nrows=0).columns
        cols = [c for c in SKY_COLUMNS if c in header]
        if cols:
            use = [CSV_TIME, *cols] + ([CSV_REALIZATION] if CSV_REALIZATION in header else [])
            df = pd.read_csv(p, usecols=use)
            df[CSV_TIME] = pd.to_datetime(df[CSV_TIME].astype(str).str.slice(0, 19), errors="coerce")
            if df[CSV_TIME].isna().any():
                raise InputError(f"weather file {name}: line {int(df[CSV_TIME].isna().to_numpy().argmax()) + 2}: bad time")
            groups = [g for _, g in df.groupby(CSV_REALIZATION, sort=True)] if CSV_REALIZATION in df else [df]
            for col in cols:
                found[col] = [(g[CSV_TIME].to_numpy("datetime64[ns]"), pd.to_numeric(g[col], errors="coerce").to_numpy(float))
                              for g in groups]  # fmt: skip
    if ("dni_w_per_m2" in found or "dhi_w_per_m2" in found) and not (
        "ghi_w_per_m2" in found and "dni_w_per_m2" in found and "dhi_w_per_m2" in found
    ):
        raise InputError(f"weather file {name}: give ghi_w_per_m2 alone or all of ghi, dni and dhi_w_per_m2")
    grid_ns = grid.times.astype("datetime64[ns]").astype(np.int64)
    need_ns = grid_ns if needed_from is None else grid_ns[grid_ns >= _ns(needed_from).astype(np.int64)]
    need_ns = grid_ns if need_ns.size == 0 else need_ns
    out: dict[str, np.ndarray] = {}
    for col, series in found.items():
        lo, hi = SKY_COLUMNS[col]
        on_grid = []
        for times, values in series:
            bad = ~np.isfinite(values) | (values < lo) | (values > hi)
            if bad.any():
                raise InputError(f"weather file {name}: {col} must be within {lo:g}..{hi:g}, got "
                                 f"{float(values[bad][0]):g} (record {int(bad.argmax()) + 1})")  # fmt: skip
            order = np.argsort(times)
            t_ns = times[order].astype(np.int64)
            if t_ns[0] > need_ns[0] or t_ns[-1] < need_ns[-1]:
                raise InputError(f"weather file {name}: {col} does not cover the run period")
            on_grid.append(np.interp(grid_ns, t_ns, values[order]))
        r = int(n_realizations)
        out[col] = np.stack([on_grid[i % len(on_grid)] for i in range(r)])
    src = f"file: {name} ({', '.join(found)})" if found else ""
    return (out.get("ghi_w_per_m2"), out.get("dni_w_per_m2"), out.get("dhi_w_per_m2"), out.get("wind_m_per_s"), src)
