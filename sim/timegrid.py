"""The simulation clock: start, step and horizon shared by every stage.

Times are naive datetimes on the city's *model clock*: local standard time at a fixed UTC offset
(``city.utc_offset_h``; Kyiv: EET, UTC+02:00; daylight saving time is not applied, a run is a uniform
sequence of steps). The offset travels with the ``time`` coordinate (attribute ``utc_offset``) and is
stated in the units of the stored time axis (:mod:`sim.io`), so CF readers decode true instants.
"""

from __future__ import annotations

import datetime as _dt
from dataclasses import dataclass

import numpy as np


@dataclass(frozen=True)
class TimeGrid:
    """A regular time grid of ``n_steps`` steps of ``dt_h`` hours from ``start``.

    The DES works in continuous hours since ``start``; the thermal model steps on this grid and treats
    every input as constant over a step (the value at the step's start).
    """

    start: np.datetime64
    dt_h: float
    n_steps: int
    utc_offset_h: float = 2.0

    @classmethod
    def from_config(cls, start: str, horizon_days: float, dt_minutes: float,
                    utc_offset_h: float = 2.0) -> TimeGrid:
        """The grid of a config; ``start`` is checked by :func:`parse_start`."""
        dt_h = dt_minutes / 60.0
        n_steps = round(horizon_days * 24.0 / dt_h)
        return cls(parse_start(start, horizon_days), dt_h, n_steps, float(utc_offset_h))

    def time_attrs(self) -> dict[str, str]:
        """CF attributes of the ``time`` coordinate on this clock."""
        offset = format_utc_offset(self.utc_offset_h)
        return {"standard_name": "time", "axis": "T", "utc_offset": offset,
                "long_name": f"time (start of step), local standard time UTC{offset}"}

    @property
    def horizon_h(self) -> float:
        """Length of the run. [h]"""
        return self.n_steps * self.dt_h

    @property
    def hours(self) -> np.ndarray:
        """Start of each step in hours since ``start``, shape (n_steps,). [h]"""
        return np.arange(self.n_steps) * self.dt_h

    @property
    def times(self) -> np.ndarray:
        """Start of each step as datetime64[ns], shape (n_steps,)."""
        step_ns = np.timedelta64(round(self.dt_h * 3600e9), "ns")
        return self.start + np.arange(self.n_steps) * step_ns

    def index_of(self, hours: np.ndarray | float) -> np.ndarray:
        """Index of the step holding each time in hours (clipped to the grid)."""
        idx = np.floor(np.asarray(hours, dtype=float) / self.dt_h + 1e-9).astype(np.int64)
        return np.clip(idx, 0, self.n_steps - 1)


#: The dates a run can cover: the range of datetime64[ns] (pandas.Timestamp.min .. max), whole days.
FIRST_DATE = _dt.datetime(1677, 9, 22)
LAST_DATE = _dt.datetime(2262, 4, 11)


def parse_start(start: str, horizon_days: float = 0.0) -> np.datetime64:
    """``start`` as datetime64[ns]; raise ValueError for an unparsable date, a UTC offset, or a run
    outside datetime64[ns] (which numpy would wrap around silently: 1600 would become 2184).

    A user's ``start`` is checked by :func:`sim.config.run.validate_run_config`, which turns this
    ValueError into a one-line :class:`~sim.errors.ConfigError` before the run.

    Examples
    --------
    >>> parse_start("2026-01-29")
    np.datetime64('2026-01-29T00:00:00.000000000')
    >>> parse_start("1600-01-01")
    Traceback (most recent call last):
    ...
    ValueError: start=1600-01-01: outside the dates a run can cover (1677-09-22 .. 2262-04-11)
    """
    text = str(start).strip()
    when = parse_local_time(text, "start")
    try:
        end = when + _dt.timedelta(days=float(horizon_days))
    except OverflowError:
        end = _dt.datetime.max
    if not (when >= FIRST_DATE and end <= LAST_DATE):
        raise ValueError(f"start={text}: outside the dates a run can cover "
                          f"({FIRST_DATE:%Y-%m-%d} .. {LAST_DATE:%Y-%m-%d})")
    return np.datetime64(when, "ns")


def parse_local_time(text: str, key: str) -> _dt.datetime:
    """``text`` as a naive local time of the model clock; ValueError ``<key>=<text>: ...`` for anything else.

    Only ISO 8601 dates and times are accepted (``2026-01-29``, ``2026-01-29T06:00``): not numpy's ``now``
    or ``today``, a bare year, an empty text, ``NaT``, nor a UTC offset (numpy would convert an offset to
    UTC, while report and weather times keep their wall-clock time).

    Examples
    --------
    >>> parse_local_time("2026-01-30T08:00", "nowcast.as_of")
    datetime.datetime(2026, 1, 30, 8, 0)
    >>> parse_local_time("2026-01-30T08:00Z", "nowcast.as_of")
    Traceback (most recent call last):
    ...
    ValueError: nowcast.as_of=2026-01-30T08:00Z: give the local time of the city without a UTC offset (the model clock is the city's standard time, city.utc_offset_h)
    """
    text = str(text).strip()
    example = "2026-01-29 or 2026-01-29T00:00" if key == "start" else "2026-01-30T08:00"
    try:
        when = _dt.datetime.fromisoformat(text)
    except ValueError:
        what = "date" if key == "start" else "time"
        raise ValueError(f"{key}={text}: not an ISO 8601 {what} (e.g. {example})") from None
    if when.tzinfo is not None:
        raise ValueError(f"{key}={text}: give the local time of the city without a UTC offset "
                         "(the model clock is the city's standard time, city.utc_offset_h)")
    return when


def local_time_ns(text: str, key: str) -> np.datetime64:
    """:func:`parse_local_time` as datetime64[ns], refusing a time outside the dates a run can cover."""
    when = parse_local_time(text, key)
    if not FIRST_DATE <= when <= LAST_DATE:
        raise ValueError(f"{key}={str(text).strip()}: outside the dates a run can cover "
                         f"({FIRST_DATE:%Y-%m-%d} .. {LAST_DATE:%Y-%m-%d})")
    return np.datetime64(when, "ns")


def format_utc_offset(offset_h: float) -> str:
    """``+02:00`` for 2.0 h, ``-03:30`` for -3.5 h (ISO 8601)."""
    sign = "-" if offset_h < 0 else "+"
    minutes = round(abs(offset_h) * 60)
    return f"{sign}{minutes // 60:02d}:{minutes % 60:02d}"
