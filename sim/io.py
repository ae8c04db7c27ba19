"""Writing results: CF-1.10 NetCDF, CSV, all written to a temporary name and renamed.

Nothing already written is lost or half-written: every file goes to ``<name>.tmp-<pid>`` in the same folder
and is moved into place with :func:`os.replace` (atomic on POSIX), so an interrupted run leaves either no
file or a complete one.
"""

from __future__ import annotations

import contextlib
import logging
import os
from collections.abc import Callable, Iterator
from pathlib import Path

import numpy as np
import pandas as pd
import xarray as xr

from sim import __version__
from sim.errors import ResultError
from sim.timegrid import format_utc_offset

log = logging.getLogger(__name__)

CONVENTIONS = "CF-1.10"
INSTITUTION = "coldgrid developers (model-based scenario analysis, not a forecast)"
REFERENCES = (
    "coldgrid model description (docs/model.md, ODD protocol, Grimm et al. 2020, JASSS 23(2) 7); "
    "calibration sheet (docs/parameters.md)"
)


@contextlib.contextmanager
def atomic_path(path: str | os.PathLike) -> Iterator[Path]:
    """Yield a temporary path next to ``path``; on success move it into place, on failure remove it."""
    final = Path(path)
    final.parent.mkdir(parents=True, exist_ok=True)
    tmp = final.with_name(f".{final.name}.tmp-{os.getpid()}")
    try:
        yield tmp
        os.replace(tmp, final)
    finally:
        with contextlib.suppress(FileNotFoundError):
            tmp.unlink()


def atomic_write(path: str | os.PathLike, writer: Callable[[Path], object]) -> Path:
    """Call ``writer(tmp_path)`` (its return value is ignored) and rename the result to ``path``."""
    with atomic_path(path) as tmp:
        writer(tmp)
    return Path(path)


def atomic_write_text(path: str | os.PathLike, text: str) -> Path:
    """Write ``text`` to ``path`` atomically (UTF-8)."""
    return atomic_write(path, lambda p: p.write_text(text, encoding="utf-8"))


def check_finite(ds: xr.Dataset) -> None:
    """Raise ResultError if any numeric variable holds NaN or inf (results never do)."""
    bad = [
        name
        for name, v in ds.data_vars.items()
        if np.issubdtype(v.dtype, np.number) and v.size and not np.isfinite(v.values).all()
    ]
    if bad:
        raise ResultError(f"result would contain NaN or inf in: {', '.join(map(str, bad))} (a model fault; please report it)")


#: Epoch of the stored time axis; the UTC offset of the model clock is appended (CF 4.4, UDUNITS). [-]
TIME_EPOCH = "1970-01-01 00:00:00"


def utc_offset_h(ds: xr.Dataset) -> float:
    """UTC offset of the ``time`` coordinate's clock (attribute ``utc_offset``, e.g. ``+02:00``). [h]

    Datasets without the attribute are taken as UTC.

    Examples
    --------
    >>> ds = xr.Dataset(coords={"time": ("time", [np.datetime64("2026-01-29T00:00", "ns")], {"utc_offset": "-03:30"})})
    >>> utc_offset_h(ds)
    -3.5
    """
    if "time" not in ds.coords:
        return 0.0
    text = str(ds["time"].attrs.get("utc_offset", "+00:00")).strip()
    sign = -1.0 if text.startswith("-") else 1.0
    hours, _, minutes = text.lstrip("+-").partition(":")
    return sign * (float(hours or 0) + float(minutes or 0) / 60.0)


def _offset(ds: xr.Dataset) -> np.timedelta64:
    return np.timedelta64(round(utc_offset_h(ds) * 3600), "s")


def _encoding(ds: xr.Dataset) -> dict:
    """CF encoding: compression of large arrays, no ``_FillValue`` on coordinates or float data
    (results are finite by construction), and the time axis in hours since the epoch of the model clock,
    with its UTC offset in the units (``hours since 1970-01-01 00:00:00+02:00``), so that CF readers
    decode the true instant."""
    enc: dict = {}
    for name, v in ds.variables.items():
        e: dict = {}
        numeric = np.issubdtype(v.dtype, np.floating) or np.issubdtype(v.dtype, np.integer)
        if numeric and v.ndim >= 2 and v.size > 1000:
            e.update(zlib=True, complevel=4)
        if name in ds.coords or np.issubdtype(v.dtype, np.floating) or np.issubdtype(v.dtype, np.datetime64):
            e["_FillValue"] = None
        if name == "time":
            e.update(units=f"hours since {TIME_EPOCH}{format_utc_offset(utc_offset_h(ds))}",
                     calendar="proleptic_gregorian", dtype="float64")
        if e:
            enc[name] = e
    return enc


def to_cf(ds: xr.Dataset) -> tuple[xr.Dataset, dict]:
    """The dataset as stored (time shifted from the model clock to UTC) and its encoding.

    xarray takes naive datetimes as UTC and converts the reference time of the units to UTC; storing the
    UTC instants under units that state the offset keeps the stored numbers on the model clock (hours
    since 1970-01-01 00:00 local) while every CF reader decodes the true instant.
    """
    stored = ds
    if "time" in ds.coords and np.issubdtype(ds["time"].dtype, np.datetime64):
        stored = ds.assign_coords(time=ds["time"] - _offset(ds))
        stored["time"].attrs = dict(ds["time"].attrs)
    for name in ("realization", "scenario_index"):
        if name in stored.coords and "units" not in stored[name].attrs:
            stored = stored.assign_coords({name: stored[name]})
            stored[name].attrs = {**ds[name].attrs, "units": "1"}  # CF: a count index is dimensionless
    return stored, _encoding(ds)


def write_netcdf(ds: xr.Dataset, path: str | os.PathLike, *, check: bool = True) -> Path:
    """Write ``ds`` as NetCDF-4 (CF-1.10) atomically, after checking that it is finite (``check``)."""
    if check:
        check_finite(ds)
    stored, encoding = to_cf(ds)
    out = atomic_write(path, lambda p: stored.to_netcdf(p, engine="netcdf4", encoding=encoding))
    log.debug("io: wrote %s (%d variables)", out, len(stored.data_vars))
    return out


def open_result(path: str | os.PathLike, require_coldgrid: bool = True) -> xr.Dataset:
    """Load a coldgrid ``result.nc`` or ``sweep.nc`` into memory, with ``time`` on the model clock.

    CF readers (``xarray.open_dataset``, netCDF4, cftime) decode ``time`` as UTC instants; this adds the
    UTC offset stated in the file back, so that the dataset equals the one the run returned. Raises
    InputError, on one line, for a file that is not readable NetCDF or (``require_coldgrid``) not a
    coldgrid result.
    """
    from sim.errors import InputError

    path = Path(path)
    if not path.is_file():
        raise InputError(f"{path}: no such file")
    try:
        with xr.open_dataset(path, engine="netcdf4") as ds:
            ds = ds.load()
    except Exception as e:  # the backends raise many types (OSError, ValueError, KeyError, ...)
        raise InputError(f"{path}: not a readable NetCDF file ({' '.join(str(e).split())[:160]})") from None
    ours = str(ds.attrs.get("source", "")).startswith("coldgrid") or "config_hash" in ds.attrs
    if require_coldgrid and (not ours or "time" not in ds.coords or not ds.data_vars):
        raise InputError(f"{path}: not a coldgrid result (no 'source: coldgrid ...' attribute, time axis "
                         "and data); give a result.nc or sweep.nc written by coldgrid")
    if "time" in ds.coords and np.issubdtype(ds["time"].dtype, np.datetime64):
        attrs = dict(ds["time"].attrs)
        ds = ds.assign_coords(time=ds["time"] + _offset(ds))
        ds["time"].attrs = attrs
    return ds


def write_csv(df: pd.DataFrame, path: str | os.PathLike, *, header_rows: list[list[str]] | None = None) -> Path:
    """Write a table as CSV atomically; ``header_rows`` (e.g. an HXL hashtag row) go after the header."""

    def _write(p: Path) -> None:
        with open(p, "w", encoding="utf-8", newline="") as fh:
            fh.write(",".join(_csv_cell(c) for c in df.columns) + "\n")
            for row in header_rows or []:
                fh.write(",".join(_csv_cell(c) for c in row) + "\n")
            df.to_csv(fh, index=False, header=False, lineterminator="\n")

    out = atomic_write(path, _write)
    log.debug("io: wrote %s (%d rows)", out, len(df))
    return out


def _csv_cell(value: object) -> str:
    s = str(value)
    if any(ch in s for ch in ',"\n'):
        s = '"' + s.replace('"', '""') + '"'
    return s


def global_attrs(*, title: str, scenario: str, seed: int, config_yaml: str, label: str, history: str) -> dict:
    """The global attributes every coldgrid NetCDF file carries (CF-1.10 and DESIGN.md)."""
    return {
        "Conventions": CONVENTIONS,
        "title": title,
        "institution": INSTITUTION,
        "source": f"coldgrid {__version__}",
        "history": history,
        "references": REFERENCES,
        "comment": "Model-based scenario analysis, not a forecast. District-level aggregates only.",
        "scenario": scenario,
        "seed": int(seed),
        "label": label,
        "config": config_yaml,
    }
