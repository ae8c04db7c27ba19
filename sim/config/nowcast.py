"""Schema of the ``nowcast`` config group: reports that condition the ensemble, and their error model.

Nowcasting is off unless ``nowcast.observations`` names a file (``sim.observations`` reads it); the
conditioning is described in ``docs/nowcast.md``. Sources are tagged as in ``reference/calibration.md``:
[H] official or consistent, [M] one source or derived, [L] assumption (a sweep parameter, not a fact).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

from sim.errors import ConfigError
from sim.timegrid import local_time_ns

#: The rejuvenation moves of ``nowcast.rejuvenation`` (docs/nowcast.md, "Stage B as built").
REJUVENATION_MOVES = ("reported", "ancestors")


@dataclass
class NowcastConfig:
    """What the city reported (a CSV file), up to when, and how far a report may be from the truth."""

    description: str = ""
    # CSV of reports: time, district (name, KATOTTH code or "city") and any of buildings_without_heat,
    # share_without_power, queues_off (sim.observations); None: no nowcast [-]
    observations: str | None = None
    # Use reports up to this time (ISO 8601 local time); None: the last report in the file [-]
    as_of: str | None = None
    # Observed outdoor temperature (CSV or NetCDF, one series, the format of weather=file): every
    # realization takes it before as_of, the forecast (weather.*) from as_of on; None: the forecast
    # throughout [-]
    past_weather: str | None = None
    # Reported buildings without heat: negative binomial around the model's count plus an offset.
    # Dispersion k: coefficient of variation 1/sqrt(k) at large counts; k = 25 gives 20 %, the change
    # of the restoration curve of calibration B3 over about 6 h of report timing [L]. [-]
    heat_dispersion: float = 25.0
    # Buildings without heat for reasons the model does not simulate (routine repairs, leaks) [L] [buildings]
    heat_offset_buildings: float = 5.0
    # Reported share without power: beta with the model's share as mean and this precision; 30 gives a
    # standard deviation of 0.09 at a share of 0.5 (customers vs residents, snapshot vs daily mean) [L] [-]
    power_precision: float = 30.0
    # Reported outage queues: rounded to half queues (calibration C2), Gaussian error of this standard
    # deviation before rounding (schedules change within a day, region vs city) [L] [queues]
    queue_sd: float = 0.5
    # Resample and rejuvenate when the effective sample size falls below this share of realizations
    # (the usual rule, Doucet & Johansen 2009) [1]
    resample_ess_frac: float = 0.5
    # The ensemble has collapsed when the effective sample size falls below this share of realizations
    # after the last rejuvenation [L] [1]
    collapse_ess_frac: float = 0.1
    # Rejuvenations at most: each simulates restart_realizations new realizations from the reported
    # state (sim.warm_start) at the report time the ensemble degenerated; 0: weights only [-]
    max_rejuvenations: int = 3
    # Realizations per rejuvenation; None: the run's realizations [-]
    restart_realizations: int | None = None
    # The rejuvenation move (docs/nowcast.md, "Stage B as built"): "reported" restarts every realization
    # from the one state inverted from the reports (sim.warm_start); "ancestors" resamples ancestors by
    # their weights and restarts each from its ancestor's damage history (sim.ancestor_start) [-]
    rejuvenation: str = "reported"


def validate_nowcast_config(cfg: Any) -> None:
    """Check a nowcast config (dataclass or DictConfig); raise :class:`ConfigError` naming the key.

    Parameters
    ----------
    cfg : NowcastConfig or omegaconf.DictConfig
        The ``nowcast`` group.
    """

    def fail(key: str, why: str) -> None:
        raise ConfigError(f"nowcast.{key}={getattr(cfg, key)}: {why}")

    if cfg.observations is not None and not str(cfg.observations).strip():
        fail("observations", "empty path; give a CSV file of reports or leave it unset")
    if cfg.as_of is not None:
        try:
            local_time_ns(str(cfg.as_of), "nowcast.as_of")
        except ValueError as e:
            raise ConfigError(str(e)) from None
        if cfg.observations is None:
            fail("as_of", "needs nowcast.observations=<CSV file of reports>")
    past = getattr(cfg, "past_weather", None)
    if past is not None:
        if not str(past).strip():
            fail("past_weather", "empty path; give a CSV or NetCDF file of observed temperatures or leave it unset")
        if cfg.observations is None:
            fail("past_weather", "needs nowcast.observations=<CSV file of reports> (the observed weather is "
                                 "spliced with the forecast at nowcast.as_of)")
        if str(past).lower().endswith(".epw"):
            fail("past_weather", "observed weather is a CSV or NetCDF file (time, outdoor_temperature_c), "
                                 "not a typical year (EPW)")
    for key in ("heat_dispersion", "power_precision", "queue_sd"):
        value = float(getattr(cfg, key))
        if not (math.isfinite(value) and value > 0.0):
            fail(key, "must be > 0")
    offset = float(cfg.heat_offset_buildings)
    if not (math.isfinite(offset) and offset > 0.0):
        fail("heat_offset_buildings", "must be > 0 (a report of buildings without heat is never impossible)")
    for key in ("resample_ess_frac", "collapse_ess_frac"):
        if not 0.0 < float(getattr(cfg, key)) <= 1.0:
            fail(key, "must be a share in (0, 1]")
    mr = getattr(cfg, "max_rejuvenations", 0)
    if isinstance(mr, bool) or not isinstance(mr, int) or mr < 0:
        fail("max_rejuvenations", "must be a whole number >= 0")
    rr = getattr(cfg, "restart_realizations", None)
    if rr is not None and (isinstance(rr, bool) or not isinstance(rr, int) or rr < 1):
        fail("restart_realizations", "must be a whole number >= 1 or null (the run's realizations)")
    if str(getattr(cfg, "rejuvenation", "reported")) not in REJUVENATION_MOVES:
        fail("rejuvenation", "must be one of " + ", ".join(REJUVENATION_MOVES))
    if float(cfg.collapse_ess_frac) > float(cfg.resample_ess_frac):
        fail("collapse_ess_frac", f"must not exceed nowcast.resample_ess_frac={cfg.resample_ess_frac}")
