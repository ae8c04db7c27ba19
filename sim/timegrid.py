"""The simulation clock: start, step and horizon shared by every stage."""

from __future__ import annotations

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

    @classmethod
    def from_config(cls, start: str, horizon_days: float, dt_minutes: float) -> TimeGrid:
        dt_h = dt_minutes / 60.0
        n_steps = round(horizon_days * 24.0 / dt_h)
        return cls(np.datetime64(start, "ns"), dt_h, n_steps)

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
