"""Occupants at home by hour of the day, for the internal gains of the thermal model.

Exposure counts every resident of a building group (people return to their flat); the heat people give
off depends on how many are at home. The profile below is the share of residents at home in each local
hour, after the residential occupancy schedule of ISO 17772-1:2017 / EN 16798-1:2019 Annex C (full
occupancy at night, about half during working hours), with the daytime share raised to 0.6 for a winter of
outages in which schools and many workplaces close or move online [L]. Its daily mean is 0.82.

References
----------
.. [1] EN 16798-1:2019, Energy performance of buildings - Ventilation for buildings - Part 1, Annex C
   (occupancy schedules of residential buildings); the same schedules as ISO 17772-1:2017.
"""

from __future__ import annotations

import numpy as np

__all__ = ["PRESENCE_BY_HOUR", "mean_presence", "presence"]

#: Share of residents at home in each local hour 0-23. [1]
PRESENCE_BY_HOUR = np.array(
    [1.0] * 7 + [0.8] + [0.6] * 9 + [0.7] + [0.9] * 3 + [1.0] * 3, dtype=float
)


def mean_presence() -> float:
    """Daily mean share of residents at home (sizes the supply curve's nominal gains). [1]

    Examples
    --------
    >>> round(mean_presence(), 3)
    0.817
    """
    return float(PRESENCE_BY_HOUR.mean())


def presence(times: np.ndarray, step_h: float = 1.0) -> np.ndarray:
    """Share of residents at home over each step (mean of the hours it covers), shape (T,). [1]

    Parameters
    ----------
    times : numpy.ndarray of datetime64, shape (T,)
        Step starts, local time.
    step_h : float
        Step length. [h]

    Examples
    --------
    >>> t = np.array(["2026-02-01T03:00", "2026-02-01T12:00"], dtype="datetime64[m]")
    >>> presence(t).tolist()
    [1.0, 0.6]
    """
    t = np.asarray(times, dtype="datetime64[m]")
    minute = (t - t.astype("datetime64[D]")).astype(np.int64)
    n_sub = max(1, round(step_h * 4))  # quarter-hour sampling over the step
    offsets = (np.arange(n_sub) + 0.5) * step_h * 60.0 / n_sub
    hours = ((minute[:, None] + offsets[None, :]) // 60).astype(np.int64) % 24
    return PRESENCE_BY_HOUR[hours].mean(axis=1)
