"""Ensemble forecast files: the member dimension of NetCDF files, and GRIB through cfgrib.

:mod:`sim.weather_file` reads a temperature variable with dimensions ``(time[, realization])``; this
module opens the file and brings an ensemble to that form.

NetCDF
    The member dimension may be named ``realization`` (CF standard name), ``member``, ``number`` (the
    name ECMWF and cfgrib use), ``ensemble``, ``ensemble_member`` or ``ens`` (case-insensitive); it is
    renamed ``realization``. A variable with two such dimensions is refused.
GRIB (editions 1 and 2; ``.grib``, ``.grib2``, ``.grb``, ``.grb2``, or the ``GRIB`` magic bytes)
    Read with cfgrib (``pip install -e '.[grib]'``: ``cfgrib`` and ``eccodes``, whose wheels bundle the
    ecCodes library). The 2 m temperature (shortName ``2t``, paramId 167) of one forecast (one
    reference time) at one grid point: cut a larger grid to the city's point first (e.g.
    ``cdo remapnn,lon=30.52_lat=50.45``). Times are the valid times (reference time + step), which GRIB
    gives in UTC; they are moved to the run's local clock by ``city.utc_offset_h`` (Kyiv: +2 h, EET).
    Members are GRIB's ``number`` (0 is the control forecast). cfgrib writes no index file next to the
    input.

Every problem raises :class:`sim.errors.InputError` with one line naming the file.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import numpy as np
import xarray as xr

from sim.errors import InputError

__all__ = ["GRIB_SUFFIXES", "MEMBER_DIMS", "is_grib", "open_weather_dataset", "to_realization_dim"]

#: Names of an ensemble's member dimension, in the order of preference.
MEMBER_DIMS = ("realization", "member", "number", "ensemble", "ensemble_member", "ens")
GRIB_SUFFIXES = {".grib", ".grib1", ".grib2", ".grb", ".grb1", ".grb2"}
GRIB_SHORT_NAME = "2t"  # 2 m temperature, paramId 167
VARIABLE = "outdoor_temperature"


def is_grib(p: Path) -> bool:
    """True for a GRIB file (by suffix, else by its first four bytes ``GRIB``)."""
    if p.suffix.lower() in GRIB_SUFFIXES:
        return True
    with p.open("rb") as f:
        return f.read(4) == b"GRIB"


def open_weather_dataset(p: Path, name: str, utc_offset_h: float = 0.0) -> xr.Dataset:
    """Open a NetCDF or GRIB weather file as a Dataset whose variable ``outdoor_temperature`` has dims
    ``(time[, realization], ...)`` (any other dims are the caller's to check).

    Parameters
    ----------
    p : pathlib.Path
        The file.
    name : str
        The file as the user named it, for messages.
    utc_offset_h : float
        Local time minus UTC (``city.utc_offset_h``), applied to GRIB times (which are UTC) and to NetCDF
        times whose units state a time zone. [h]

    Returns
    -------
    xarray.Dataset
        Use as a context manager; the caller closes it.
    """
    if is_grib(p):
        return _open_grib(p, name, utc_offset_h)
    try:
        ds = xr.open_dataset(p)
    except Exception as e:  # the backends raise many types (OSError, ValueError, KeyError, ...)
        raise InputError(f"weather file {name}: cannot read as NetCDF: {_one_line(e)}") from None
    if "time" in ds.coords and np.issubdtype(ds["time"].dtype, np.datetime64) and _states_utc(ds["time"]):
        # CF readers decode times whose units state an offset (``hours since ... +02:00``, coldgrid's own
        # result.nc) or UTC to the UTC instant: back to the run's local clock
        ds = ds.assign_coords(time=ds["time"].values + np.timedelta64(round(float(utc_offset_h) * 3600), "s"))
    if VARIABLE in ds.data_vars:
        ds[VARIABLE] = to_realization_dim(ds[VARIABLE], name)
    return ds


#: The reference of CF time units: a date, an optional time of day and an optional zone (``+02:00``,
#: ``-0330``, ``+2``, ``UTC``, ``Z``); a zone means the times decode to UTC.
_REFERENCE = re.compile(
    r"^\d{1,4}-\d{1,2}-\d{1,2}(?:[ T]\d{1,2}:\d{2}(?::\d{2}(?:\.\d*)?)?)?"
    r"\s*(?P<zone>[+-]\d{1,2}(?::?\d{2})?|utc|z|gmt)?$",
    re.IGNORECASE,
)


def _states_utc(time: xr.DataArray) -> bool:
    """True when the (decoded) time coordinate's CF units name a time zone, i.e. decode to UTC.

    Examples
    --------
    >>> t = xr.DataArray(np.array(["2026-01-29"], "datetime64[ns]"), dims="time")
    >>> t.encoding["units"] = "hours since 1970-01-01 00:00:00+02:00"
    >>> _states_utc(t)
    True
    >>> t.encoding["units"] = "hours since 2026-01-29 00:00"
    >>> _states_utc(t)
    False
    >>> t.encoding["units"] = "hours since 1970-01-01"  # xarray's own spelling: a date ends in "-01"
    >>> _states_utc(t)
    False
    """
    units = str(time.encoding.get("units", "")).strip()
    if " since " not in units:
        return False
    m = _REFERENCE.match(units.split(" since ", 1)[1].strip())
    return bool(m and m.group("zone"))


def to_realization_dim(da: xr.DataArray, name: str) -> xr.DataArray:
    """Rename the member dimension of ``da`` (any of :data:`MEMBER_DIMS`) to ``realization``."""
    found = [str(d) for d in da.dims if str(d).lower() in MEMBER_DIMS]
    if len(found) > 1:
        raise InputError(
            f"weather file {name}: variable {da.name!r} has {len(found)} member dimensions "
            f"({', '.join(found)}); keep one (e.g. select one of them)"
        )
    if not found or found[0] == "realization":
        return da
    dim = found[0]
    if "realization" in da.coords:  # a scalar coordinate of that name would clash
        da = da.drop_vars("realization")
    return da.rename({dim: "realization"})


def _open_grib(p: Path, name: str, utc_offset_h: float) -> xr.Dataset:
    try:
        import cfgrib  # noqa: F401  (registers the xarray engine)
    except (ImportError, RuntimeError) as e:  # RuntimeError: the ecCodes library is missing
        raise InputError(
            f"weather file {name}: GRIB needs cfgrib and eccodes (pip install -e '.[grib]'; "
            f"{_one_line(e)}), or convert the file to NetCDF"
        ) from None
    kwargs: dict[str, Any] = {"indexpath": "", "filter_by_keys": {"shortName": GRIB_SHORT_NAME}}
    try:
        ds = xr.open_dataset(p, engine="cfgrib", backend_kwargs=kwargs)
    except Exception as e:  # cfgrib and ecCodes raise many types
        raise InputError(f"weather file {name}: cannot read as GRIB: {_one_line(e)}") from None
    with ds:
        if not ds.data_vars:
            raise InputError(
                f"weather file {name}: no 2 m temperature in the GRIB file (shortName 2t, paramId 167)"
            )
        da = ds[next(iter(ds.data_vars))].load()
    if "time" in da.dims and da.sizes["time"] > 1:
        raise InputError(
            f"weather file {name}: {da.sizes['time']} forecast reference times in the GRIB file; give one forecast"
        )
    da = da.squeeze("time", drop=True) if "time" in da.dims else da.drop_vars("time", errors="ignore")
    grid = {d: da.sizes[d] for d in ("latitude", "longitude", "values") if d in da.dims}
    if any(n > 1 for n in grid.values()):
        shape = " x ".join(str(n) for n in grid.values())
        raise InputError(
            f"weather file {name}: the GRIB field has {shape} grid points; cut it to the city's grid point "
            "first (e.g. cdo remapnn,lon=30.52_lat=50.45)"
        )
    da = da.squeeze(list(grid), drop=True)
    if "step" not in da.dims or "valid_time" not in da.coords:
        raise InputError(f"weather file {name}: the GRIB field has no forecast steps (valid times)")
    local = da["valid_time"].values + np.timedelta64(round(float(utc_offset_h) * 3600), "s")
    da = da.assign_coords(time=("step", local)).swap_dims(step="time")
    da = da.drop_vars([c for c in da.coords if c not in ("time", "number")])
    da = to_realization_dim(da, name)
    units = str(da.attrs.get("units", "K")) or "K"
    out = da.rename(VARIABLE).assign_attrs(units=units)
    out.attrs["source"] = f"GRIB 2t, valid times UTC{float(utc_offset_h):+g} h"
    return out.to_dataset()


def _one_line(e: BaseException) -> str:
    text = " ".join(str(e).split())
    return text[:200] or type(e).__name__
