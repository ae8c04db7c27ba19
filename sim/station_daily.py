"""GHCN-Daily station records (fixed-width ``.dly`` files): daily TAVG, TMAX, TMIN [degC].

Format (readme of the GHCN-Daily archive, Menne et al. 2012, J. Atmos. Oceanic Technol. 29(7) 897-910):
ID columns 1-11, YEAR 12-15, MONTH 16-17, ELEMENT 18-21, then 31 groups of VALUE (5 characters), MFLAG,
QFLAG, SFLAG (1 each); temperatures in tenths of degC; -9999 is missing. Values with a quality flag
(QFLAG not blank) are discarded. The Kyiv record (station UPM00033345, calibration F5) lives outside the
repository, in ``../shared/data``; it is read, never copied.
"""

from __future__ import annotations

import os
from pathlib import Path

import numpy as np
import pandas as pd

from sim.errors import InputError

__all__ = ["DEFAULT_STATION_FILE", "ELEMENTS", "read_ghcn_daily"]

ELEMENTS = ("TAVG", "TMAX", "TMIN")
#: The Kyiv record beside the repository (``ROOT.parent / "shared" / "data"``, calibration F5).
DEFAULT_STATION_FILE = Path(__file__).resolve().parents[2] / "shared" / "data" / "kyiv_ghcn_daily.dly"
_LINE = 21 + 31 * 8  # characters of a complete record line


def read_ghcn_daily(path: str | os.PathLike[str]) -> pd.DataFrame:
    """Daily TAVG, TMAX, TMIN [degC] on a complete daily index (missing days are NaN).

    Parameters
    ----------
    path : str or os.PathLike
        A GHCN-Daily ``.dly`` file.

    Returns
    -------
    pandas.DataFrame
        Index: every date from the first to the last record; columns: the elements present of
        :data:`ELEMENTS`. [degC]

    Raises
    ------
    InputError
        If the file is missing, holds no temperature record, or a record line is malformed.
    """
    p = Path(path).expanduser()
    if not p.is_file():
        raise InputError(f"station file {path}: not found (a GHCN-Daily .dly file)")
    lines = p.read_bytes().splitlines()
    numbers = [i for i, ln in enumerate(lines, start=1) if ln[17:21].decode("ascii", "replace") in ELEMENTS]
    if not numbers:
        raise InputError(f"station file {path}: no TAVG, TMAX or TMIN records (not a GHCN-Daily .dly file?)")
    for number in numbers:
        if len(lines[number - 1].rstrip()) < _LINE - 3:  # trailing blank flags may be stripped
            raise InputError(f"station file {path}: line {number}: too short for a GHCN-Daily record ({_LINE} characters)")
    chars = np.array([lines[i - 1].ljust(_LINE)[:_LINE] for i in numbers], dtype=f"S{_LINE}")
    chars = chars.view("S1").reshape(len(numbers), _LINE)
    groups = chars[:, 21:].reshape(len(numbers), 31, 8)
    try:
        year = _ints(chars[:, 11:15])
        month = _ints(chars[:, 15:17])
        value = _ints(groups[:, :, :5].reshape(-1, 5)).reshape(len(numbers), 31)
    except ValueError:
        raise InputError(f"station file {path}: a year, month or value is not a number") from None
    element = _strs(chars[:, 17:21])
    good = (value != -9999) & (groups[:, :, 6] == b" ")
    row, day = np.nonzero(good)
    frame = pd.DataFrame({"year": year[row], "month": month[row], "day": day + 1,
                          "element": element[row], "value_c": value[row, day] / 10.0})
    frame["date"] = pd.to_datetime(frame[["year", "month", "day"]])
    daily = frame.pivot_table(index="date", columns="element", values="value_c")
    return daily.reindex(pd.date_range(daily.index[0], daily.index[-1], freq="D"))


def _strs(chars: np.ndarray) -> np.ndarray:
    """Strings from a (n, width) array of single bytes."""
    return np.ascontiguousarray(chars).view(f"S{chars.shape[1]}").ravel().astype(str)


def _ints(chars: np.ndarray) -> np.ndarray:
    """Integers from a (n, width) array of characters (blanks allowed around the digits)."""
    return np.ascontiguousarray(chars).view(f"S{chars.shape[1]}").ravel().astype(np.int64)
