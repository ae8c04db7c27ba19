"""Checks of the run's top-level keys (``start``, ``horizon_days``, ``dt_minutes``) across keys.

Ranges of each key on its own are rules of :mod:`sim.config.validate`; :func:`validate_run_config` checks
what needs two keys or a parse (called by :func:`sim.config.validate.validate`).
"""

from __future__ import annotations

from typing import Any

from sim.errors import ConfigError
from sim.timegrid import parse_start


def validate_run_config(cfg: Any) -> None:
    """Check that the horizon holds a time step and that ``start`` is a date the run can cover.

    Examples
    --------
    >>> from omegaconf import OmegaConf
    >>> validate_run_config(OmegaConf.create({"start": "1600-01-01", "horizon_days": 2, "dt_minutes": 60}))
    Traceback (most recent call last):
    ...
    sim.errors.ConfigError: start=1600-01-01: outside the dates a run can cover (1677-09-22 .. 2262-04-11)
    """
    if float(cfg.horizon_days) * 1440.0 / float(cfg.dt_minutes) < 1.0:
        raise ConfigError(
            f"horizon_days={float(cfg.horizon_days):g}: shorter than one time step "
            f"(dt_minutes={float(cfg.dt_minutes):g})"
        )
    steps = float(cfg.horizon_days) * 1440.0 / float(cfg.dt_minutes)
    if abs(steps - round(steps)) > 1e-6:  # the grid would round it: the run would cover another period
        hours = round(steps) * float(cfg.dt_minutes) / 60.0
        raise ConfigError(
            f"horizon_days={float(cfg.horizon_days):g}: not a whole number of time steps ({steps:g} steps of "
            f"dt_minutes={float(cfg.dt_minutes):g}); the grid would run {round(steps)} steps ({hours:g} h) instead"
        )
    try:
        parse_start(str(cfg.start), float(cfg.horizon_days))
    except ValueError as e:
        raise ConfigError(str(e)) from None
