"""The validation computations: each function returns the numbers (and curves) that a validation test
asserts on and that the validation report (``docs/validation.md``) plots and tabulates.

The tests in ``tests/validation/`` and the report script ``docs/scripts/make_validation_report.py`` call the
same functions, so a figure in the report shows exactly what a test measures. The tolerances the tests use
are in :data:`TOLERANCES` (each test pins the value it relies on). ``python -m sim.validation --json``
prints every headline figure as one JSON object with stable dotted keys (:func:`figures`).

Modules (one per reference)
---------------------------
* :mod:`~sim.validation.queueing` - the model's repair crews as an M/M/c queue against Erlang C.
* :mod:`~sim.validation.thermal` - the exact discretization against closed-form solutions (one and two
  nodes, constant and ramp outdoor temperature), the energy balance of every step, the small houses of E5.
* :mod:`~sim.validation.ashrae140` - ANSI/ASHRAE Standard 140-2020 free-float cases 600FF and 900FF.
* :mod:`~sim.validation.apartments` - unheated apartment blocks cooling over days: Kyiv readings of January 2026.
* :mod:`~sim.validation.supply` - the 20 January 2026 wave on Kyiv and the restoration curve of B3;
  freezing of undrained systems (E7, Alchevsk 2006); the winter record of ``continued`` (21 days and
  eight weeks); Darnytsia CHP destroyed (B4); the January-February 2026 hindcast.
* :mod:`~sim.validation.weather` - the cold-snap generator against GHCN-Daily.

Each module has ``figures(quick: bool) -> dict[str, float]``: its scalar results under stable keys
(``<check>.<figure>``, unique across modules). Whether a check is a *calibration* (its reference was used to fit a
parameter) or a *validation* (an independent reference) is stated in its docstring and in the report.
"""

from __future__ import annotations

from sim.validation._common import CONFIGS, TOLERANCES, compose_config
from sim.validation.queueing import erlang_c_check, erlang_c_prob_wait, erlang_c_wait
from sim.validation.supply import (
    B3_PEAK,
    B3_POINTS,
    B7_HOUSEHOLDS,
    HINDCAST_DAYS,
    PEAK_WINDOW_H,
    alchevsk_check,
    darnytsia_b4,
    freezing_check,
    hindcast_2026,
    restoration_20jan,
    restoration_points,
    weekly_power,
    winter_record,
)
from sim.validation.thermal import (
    THERMAL_DT_S,
    THERMAL_STEPS,
    cool_down,
    cool_down_heat_accounting,
    energy_balance_check,
    one_node_constant,
    one_node_ramp,
    small_house_cooling,
    thermal_closed_form_errors,
    two_node,
)
from sim.validation.weather import (
    COLDEST_WEEK_C,
    GHCN_FIGURES,
    RECORD_LOW_C,
    cold_snap_extremes,
    weather_climatology,
)

#: The modules whose ``figures()`` make up :func:`figures`, in report order.
MODULES = ("queueing", "thermal", "ashrae140", "apartments", "supply", "weather")


def figures(quick: bool = False, only: tuple[str, ...] | None = None) -> dict[str, float]:
    """Every headline validation figure as one flat mapping ``"<check>.<figure>" -> value`` (keys unique
    across modules, e.g. ``erlang_c.rel_error``, ``b3_20jan.peak_model``).

    Parameters
    ----------
    quick : bool
        Use the tests' (smaller) settings where a check has a larger report setting.
    only : tuple of str, optional
        Restrict to these modules (:data:`MODULES`).
    """
    import importlib

    out: dict[str, float] = {}
    for name in MODULES:
        if only is not None and name not in only:
            continue
        module = importlib.import_module(f"sim.validation.{name}")
        for key, value in module.figures(quick=quick).items():
            if key in out:
                raise RuntimeError(f"validation figure {key!r} is defined by two modules")
            out[key] = value
    return out


__all__ = [
    "B3_PEAK",
    "B3_POINTS",
    "B7_HOUSEHOLDS",
    "COLDEST_WEEK_C",
    "CONFIGS",
    "GHCN_FIGURES",
    "HINDCAST_DAYS",
    "MODULES",
    "PEAK_WINDOW_H",
    "RECORD_LOW_C",
    "THERMAL_DT_S",
    "THERMAL_STEPS",
    "TOLERANCES",
    "alchevsk_check",
    "cold_snap_extremes",
    "compose_config",
    "cool_down",
    "cool_down_heat_accounting",
    "darnytsia_b4",
    "energy_balance_check",
    "erlang_c_check",
    "erlang_c_prob_wait",
    "erlang_c_wait",
    "figures",
    "freezing_check",
    "hindcast_2026",
    "one_node_constant",
    "one_node_ramp",
    "restoration_20jan",
    "restoration_points",
    "small_house_cooling",
    "thermal_closed_form_errors",
    "two_node",
    "weather_climatology",
    "weekly_power",
    "winter_record",
]
