"""Writing results: CF-1.10 NetCDF, CSV, all written to a temporary name and renamed.

Nothing already written is lost or half-written: every file goes to ``<name>.tmp-<pid>`` in the same folder
and is moved into place with :func:`os.replace` (atomic on POSIX), so an interrupted run leaves either no
file or a complete one.
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Callable, Iterator
from pathlib import Path

import numpy as np
import pandas as pd
import xarray as xr

from sim import __version__
from sim.errors import ResultError

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


def atomic_write(path: str | os.PathLike, writer: Callable[[Path], None]) -> Path:
    """Call ``writer(tmp_path)`` and rename the result to ``path``."""
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
        raise ResultError(f"result would contain NaN or inf in: {', '.join(bad)} (a model fault; please report it)")


def _encoding(ds: xr.Dataset) -> dict:
    enc: dict = {}
    for name, v in ds.variables.items():
        e: dict = {}
        if np.issubdtype(v.dtype, np.floating) or np.issubdtype(v.dtype, np.integer):
            if v.ndim >= 2 and v.size > 1000:
                e.update(zlib=True, complevel=4)
            if np.issubdtype(v.dtype, np.floating) and name not in ds.coords:
                e["_FillValue"] = None
        if name == "time":
            e.update(units="hours since 1970-01-01 00:00:00", calendar="proleptic_gregorian", dtype="float64")
        if e:
            enc[name] = e
    return enc


def write_netcdf(ds: xr.Dataset, path: str | os.PathLike) -> Path:
    """Write ``ds`` as NetCDF-4 (CF-1.10) atomically, after checking that it is finite."""
    check_finite(ds)
    return atomic_write(path, lambda p: ds.to_netcdf(p, engine="netcdf4", encoding=_encoding(ds)))


def write_csv(df: pd.DataFrame, path: str | os.PathLike, *, header_rows: list[list[str]] | None = None) -> Path:
    """Write a table as CSV atomically; ``header_rows`` (e.g. an HXL hashtag row) go after the header."""

    def _write(p: Path) -> None:
        with open(p, "w", encoding="utf-8", newline="") as fh:
            fh.write(",".join(_csv_cell(c) for c in df.columns) + "\n")
            for row in header_rows or []:
                fh.write(",".join(_csv_cell(c) for c in row) + "\n")
            df.to_csv(fh, index=False, header=False, lineterminator="\n")

    return atomic_write(path, _write)


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
