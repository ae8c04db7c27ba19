"""Reports of the city's state (buildings without heat, share without power, outage queues) from a CSV file.

Format
------
A header line with the columns ``time`` (ISO 8601 local time, the clock of the run's ``start``),
``district`` (a district name, its KATOTTH code, or ``city`` for a city total; ``All districts``, the
city-total label of ``summary.csv``, is accepted too) and one or more of

``buildings_without_heat``
    buildings on district heating without heat (a count, district or city),
``share_without_power``
    share of residents without power, in [0, 1] (district or city; the city share is the
    population-weighted mean of the districts'),
``queues_off``
    rolling-blackout outage queues off, in [0, number of queues] (city only).

An empty cell means "not reported"; every row reports at least one quantity. An HXL hashtag row
(https://hxlstandard.org) right below the header is recognized and skipped; a file whose first line is
the hashtag row is read by its tags (:data:`HXL_TAGS`). Other columns are ignored. Line numbers in
errors count from the header (line 1).

A report names a time and a place once per quantity: the same quantity for the same place and time on
two lines is an error, and so is a city total of a quantity also reported by district at the same time
(the two would count the same buildings twice).

The file is read with :func:`pandas.read_csv` (strings only); nothing is evaluated or unpickled.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from sim.csv_input import read_csv_strings
from sim.errors import InputError
from sim.folders import check_input_file
from sim.timegrid import local_time_ns

__all__ = [
    "CITY",
    "HXL_TAGS",
    "QUANTITIES",
    "Observations",
    "read_observations",
]

#: The quantities a report may hold, as columns of the file and variables of ``result.nc``.
QUANTITIES = ("buildings_without_heat", "share_without_power", "queues_off")
#: ``district_index`` of a city total.
CITY = -1
CITY_NAMES = ("city", "all districts")
#: HXL hashtags recognized in a file without a plain header (attributes in any order).
HXL_TAGS = {
    "#date": "time",
    "#adm5+name": "district",
    "#adm5+code": "district",
    "#adm2+name": "district",
    "#adm2+code": "district",
    "#indicator+buildings+noheat": "buildings_without_heat",
    "#indicator+share+nopower": "share_without_power",
    "#indicator+queues+off": "queues_off",
}
_REQUIRED = ("time", "district")


@dataclass(frozen=True)
class Observations:
    """Reports as a table, one row per (time, place, quantity).

    Attributes
    ----------
    table : pandas.DataFrame
        Columns ``time`` (datetime64[ns], local), ``district`` (name, or ``city``), ``district_index``
        (int; :data:`CITY` for a city total), ``quantity`` (one of :data:`QUANTITIES`), ``value``
        (float; count [buildings], share [1] or queues [queues]) and ``line`` (line of the file), sorted
        by time, district and quantity. Only reports up to ``as_of``.
    as_of : numpy.datetime64
        Reports up to this time are used (the last report by default).
    source : str
        The file, for messages and metadata.
    n_in_file : int
        Reports in the file, including those after ``as_of``. [-]
    """

    table: pd.DataFrame
    as_of: np.datetime64
    source: str
    n_in_file: int

    @property
    def times(self) -> np.ndarray:
        """The distinct report times, sorted, datetime64[ns]."""
        return np.unique(self.table["time"].to_numpy("datetime64[ns]"))

    def __len__(self) -> int:
        return len(self.table)

    def describe(self) -> str:
        """One line: how many reports, from when to when, from which file."""
        if len(self) == 0:
            return f"no reports up to {_fmt(self.as_of)} in {self.source} ({self.n_in_file} in the file)"
        t = self.times
        return (f"{len(self)} reports at {len(t)} times, {_fmt(t[0])} .. {_fmt(t[-1])} (as of "
                f"{_fmt(self.as_of)}) from {self.source}")


def read_observations(
    path: str | os.PathLike[str],
    district_names: Sequence[str],
    district_codes: Sequence[str] = (),
    *,
    start: np.datetime64 | None = None,
    end: np.datetime64 | None = None,
    n_queues: int = 6,
    as_of: str | np.datetime64 | None = None,
) -> Observations:
    """Read and check a CSV file of reports.

    Parameters
    ----------
    path : str or os.PathLike
        The CSV file.
    district_names, district_codes : sequence of str
        The city's districts in order (names; KATOTTH codes, empty for synthetic cities).
    start, end : numpy.datetime64, optional
        The run's period ``[start, end)``; a report outside it is an error.
    n_queues : int
        The city's number of outage queues; ``queues_off`` may not exceed it. [queues]
    as_of : str or numpy.datetime64, optional
        Use reports up to and including this time; default the last report of the file.

    Returns
    -------
    Observations

    Raises
    ------
    InputError
        With a one-line message naming the file, the line and the column.
    """
    name = str(path)
    where = f"observations file {name}"
    p = check_input_file(path, where, "not found (nowcast.observations)")
    try:
        df = read_csv_strings(p, skip_blank_lines=True)
    except pd.errors.EmptyDataError:
        raise InputError(f"{where}: empty file, expected a header line with columns {_expected()}") from None
    except (pd.errors.ParserError, UnicodeDecodeError, ValueError) as e:
        raise InputError(f"{where}: not a readable CSV file: {' '.join(str(e).split())[:200]}") from None
    df.columns = [str(c).strip() for c in df.columns]
    lines = _line_numbers(p, len(df))
    df, lines = _apply_hxl(df, lines)
    missing = [c for c in _REQUIRED if c not in df.columns]
    quantities = [q for q in QUANTITIES if q in df.columns]
    if missing or not quantities:
        found = ", ".join(df.columns) or "(none)"
        what = f"missing column(s) {', '.join(missing)}" if missing else "no column with reports"
        raise InputError(f"{where}: {what}; found: {found}; expected: {_expected()}")
    if len(df) == 0:
        raise InputError(f"{where}: no reports after the header")

    times = _parse_times(df["time"], lines, where)
    d_index, d_label = _resolve_districts(df["district"], lines, where, district_names, district_codes)
    rows = []
    for q in quantities:
        values = _parse_values(df[q], q, lines, where, d_index, n_queues)
        has = ~np.isnan(values)
        rows.append(pd.DataFrame({"time": times[has], "district": d_label[has], "district_index": d_index[has],
                                  "quantity": q, "value": values[has], "line": lines[has]}))
    table = pd.concat(rows, ignore_index=True)
    reported = np.zeros(len(df), bool)
    reported[np.searchsorted(lines, table["line"].to_numpy())] = True
    for i in np.flatnonzero(~reported):
        raise InputError(f"{where}: line {lines[i]}: no value in any of {', '.join(quantities)}")
    _check_unique(table, where)
    _check_period(table, where, start, end)

    if as_of is None:
        cut = table["time"].max().to_datetime64()
    else:
        if isinstance(as_of, np.datetime64):
            cut = as_of.astype("<M8[ns]")
        else:
            try:
                cut = local_time_ns(str(as_of), "nowcast.as_of")
            except ValueError as e:
                raise InputError(str(e)) from None
        if start is not None and cut < start:
            raise InputError(f"nowcast.as_of={_fmt(cut)}: before the run's start {_fmt(start)}")
        if end is not None and cut >= end:
            raise InputError(f"nowcast.as_of={_fmt(cut)}: at or after the run's end {_fmt(end)}")
    used = table[table["time"] <= cut].sort_values(["time", "district_index", "quantity"], kind="stable")
    return Observations(table=used.reset_index(drop=True), as_of=cut, source=name, n_in_file=len(table))


# --------------------------------------------------------------------------------------------------
# parsing, one column at a time; every error names the line and the column
# --------------------------------------------------------------------------------------------------


def _expected() -> str:
    return f"time, district and any of {', '.join(QUANTITIES)}"


def _line_numbers(p: Path, n_rows: int) -> np.ndarray:
    """File line of each data row (the header is line 1; blank lines are skipped by the reader)."""
    with p.open(encoding="utf-8", errors="replace", newline="") as f:
        nonblank = [i + 1 for i, text in enumerate(f) if text.strip()]
    lines = np.asarray(nonblank[1 : n_rows + 1], dtype=np.int64)
    if len(lines) < n_rows:  # quoted fields with line breaks: fall back to row order
        lines = np.arange(n_rows, dtype=np.int64) + 2
    return lines


def _is_hxl(cells: Sequence[str]) -> bool:
    filled = [c.strip() for c in cells if str(c).strip()]
    return bool(filled) and all(c.startswith("#") for c in filled)


def _hxl_key(tag: str) -> str:
    """A hashtag with its attributes sorted, e.g. ``#indicator+noheat+buildings`` -> ``#indicator+buildings+noheat``."""
    head, *attrs = tag.strip().lower().replace(" ", "").split("+")
    return "+".join([head, *sorted(attrs)])


def _apply_hxl(df: pd.DataFrame, lines: np.ndarray) -> tuple[pd.DataFrame, np.ndarray]:
    """Skip an HXL row below the header, or rename hashtag columns when the header is the HXL row."""
    known = {_hxl_key(k): v for k, v in HXL_TAGS.items()}
    if _is_hxl([str(c) for c in df.columns]):
        df = df.rename(columns={c: known.get(_hxl_key(c), c) for c in df.columns})
    elif len(df) and _is_hxl(df.iloc[0].tolist()):
        df, lines = df.iloc[1:].reset_index(drop=True), lines[1:]
    return df, lines


def _parse_times(raw: pd.Series, lines: np.ndarray, where: str) -> np.ndarray:
    text = raw.str.strip()
    for k in np.flatnonzero(text.to_numpy() == ""):
        raise InputError(f"{where}: line {lines[k]}: column time: empty")
    out = np.empty(len(text), "datetime64[ns]")
    for i, s in enumerate(text):
        try:
            t = pd.to_datetime(s, format="ISO8601")
        except (ValueError, TypeError):
            raise InputError(
                f"{where}: line {lines[i]}: column time: cannot parse {s!r} as ISO 8601 (e.g. 2026-01-30T08:00)"
            ) from None
        # a UTC offset is dropped and the wall-clock time kept, as in weather files
        out[i] = (t.tz_localize(None) if t.tzinfo is not None else t).to_datetime64()
    return out


def _resolve_districts(
    raw: pd.Series, lines: np.ndarray, where: str, names: Sequence[str], codes: Sequence[str]
) -> tuple[np.ndarray, np.ndarray]:
    lookup = {str(n).strip().casefold(): i for i, n in enumerate(names)}
    lookup |= {str(c).strip().casefold(): i for i, c in enumerate(codes) if str(c).strip()}
    lookup |= {c: CITY for c in CITY_NAMES}
    index = np.empty(len(raw), np.int64)
    j: int | None
    for i, s in enumerate(raw.str.strip()):
        if not s:
            raise InputError(f"{where}: line {lines[i]}: column district: empty (a district name, KATOTTH code or city)")
        j = lookup.get(s.casefold())
        if j is None:
            raise InputError(
                f"{where}: line {lines[i]}: column district: unknown district {s!r}; expected a district "
                f"name ({', '.join(names)}), its KATOTTH code, or city"
            )
        index[i] = j
    label = np.array(["city" if k == CITY else str(names[int(k)]) for k in index], dtype=object)
    return index, label


def _parse_values(
    raw: pd.Series, q: str, lines: np.ndarray, where: str, d_index: np.ndarray, n_queues: int
) -> np.ndarray:
    """The column's values [buildings], [1] or [queues]; NaN where the cell is empty (not reported)."""
    text = raw.str.strip()
    values = pd.to_numeric(text, errors="coerce").to_numpy(dtype=float)
    bad = ~np.isfinite(values) & (text.to_numpy() != "")
    for i in np.flatnonzero(bad):
        hint = " (write 1900, without thousands separators)" if "," in text.iloc[i] else ""
        raise InputError(f"{where}: line {lines[i]}: column {q}: not a number {text.iloc[i]!r}{hint}")

    def fail(i: int | np.integer, why: str) -> None:
        raise InputError(f"{where}: line {lines[i]}: column {q}: {values[i]:g} {why}")

    has = np.isfinite(values)
    if q == "buildings_without_heat":
        for i in np.flatnonzero(has & (values < 0)):
            fail(i, "is negative; a count of buildings is >= 0")
        for i in np.flatnonzero(has & (np.abs(values - np.round(values)) > 1e-9)):
            fail(i, "is not a whole number of buildings")
    elif q == "share_without_power":
        for i in np.flatnonzero(has & ((values < 0) | (values > 1))):
            pct = " (it looks like a percentage; give the share, e.g. 0.35 for 35 %)" if values[i] <= 100 else ""
            fail(i, f"is outside [0, 1]{pct}")
    elif q == "queues_off":
        for i in np.flatnonzero(has & ((values < 0) | (values > n_queues))):
            fail(i, f"is outside 0..{n_queues} (the city's outage queues)")
        for i in np.flatnonzero(has & (d_index != CITY)):
            raise InputError(
                f"{where}: line {lines[i]}: column {q}: outage queues are city-wide; report them with district city"
            )
    return values


def _check_unique(table: pd.DataFrame, where: str) -> None:
    key = ["time", "district_index", "quantity"]
    dup = table[table.duplicated(key, keep=False)].sort_values("line")
    if len(dup):
        first = dup.iloc[0]
        again = dup[(dup[key] == first[key]).all(axis=1)].iloc[1]
        raise InputError(
            f"{where}: line {again['line']}: {first['quantity']} for {first['district']} at "
            f"{_fmt(first['time'])} is also on line {first['line']}"
        )
    city = table[table["district_index"] == CITY]
    by_district = table[table["district_index"] != CITY]
    both = city.merge(by_district, on=["time", "quantity"], suffixes=("", "_d"))
    if len(both):
        r = both.sort_values("line").iloc[0]
        raise InputError(
            f"{where}: line {r['line']}: city total of {r['quantity']} at {_fmt(r['time'])} is also reported "
            f"by district (line {r['line_d']}); give one or the other, not both"
        )


def _check_period(table: pd.DataFrame, where: str, start: np.datetime64 | None, end: np.datetime64 | None) -> None:
    t = table["time"].to_numpy("datetime64[ns]")
    if start is not None:
        for i in np.flatnonzero(t < start)[:1]:
            raise InputError(
                f"{where}: line {table['line'].iloc[i]}: column time: {_fmt(t[i])} is before the run's start "
                f"{_fmt(start)}; start the run at or before the first report"
            )
    if end is not None:
        for i in np.flatnonzero(t >= end)[:1]:
            raise InputError(
                f"{where}: line {table['line'].iloc[i]}: column time: {_fmt(t[i])} is at or after the run's end "
                f"{_fmt(end)} (start + horizon_days)"
            )


def _fmt(t: np.datetime64 | pd.Timestamp) -> str:
    return pd.Timestamp(t).strftime("%Y-%m-%d %H:%M")
