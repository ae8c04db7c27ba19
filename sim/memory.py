"""Estimate the memory a run needs before running it, and refuse runs that would not fit.

The big arrays of a run are the supply timeline (power per feeder, heat and state per building group, for
every realization and step), the thermal stage (node states, per-step inputs, the exact-step coefficients
per ventilation level and the sun on each surface: :func:`thermal_stage_b`), the occupant-weighted indoor
air and operative temperatures per district and archetype, and the exposure series. Their sizes follow from the config and the city, so the estimate is exact up to a
working-set factor for temporaries.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import psutil

from sim.errors import ColdgridError

#: Temporaries (masks, matrix products, xarray copies while writing) on top of the stored arrays; measured:
#: a 200-realization Kyiv run peaks at ~1.2x its stored arrays plus the interpreter (benchmark). [1]
WORKING_SET_FACTOR = 1.5
#: Share of the available memory a run may plan to use. [1]
USABLE_FRAC = 0.8


@dataclass(frozen=True)
class MemoryEstimate:
    """Bytes a run needs, by part. [B]"""

    supply_b: int
    thermal_b: int
    outputs_b: int

    @property
    def total_b(self) -> int:
        return int((self.supply_b + self.thermal_b + self.outputs_b) * WORKING_SET_FACTOR)


#: Ventilation levels assumed when the caller gives none: the default ladder of
#: :class:`sim.ventilation.VentilationLevels` (0.1 to 2.5 x the reference in steps of 6 %; a test checks
#: that the two agree). [-]
DEFAULT_LEVELS = 57


def thermal_stage_b(
    realizations: int, n_steps: int, n_groups: int, n_levels: int | None = None, sky_realizations: int | None = None
) -> int:
    """Bytes the thermal stage (:class:`sim.building_stage.BuildingStage`) keeps for a run, counted array by
    array (float64 and int64 unless said) [B]:

    * the three-node state in two alternating buffers, 2 x 3 x (R, G), and the ventilation levels (R, G);
    * the stage's per-step arrays, 8 x (R, G): heat into air and radiant node, gas-stove households,
      operative temperature, sun into air, surface and deep mass, ventilation above the reference;
    * the exact-step coefficients per (group, ventilation level): phi (9), gamma (12) and ramp (3), stored
      once stacked by level and once as the rows the compiled pass reads, 2 x 24 x (G, K);
    * the sun on each surface kind, incident and transmitted, as computed and as the step-major copies of
      the fused pass, 4 x (R_sky, T, 5) (``sky_realizations`` R_sky: 1 for one sky, R for an ensemble;
      default R, the upper bound);
    * the per-group table of the fused pass (32 x G), the per-step presence (T) and the wind (R, T) of the
      chain.

    ``n_levels`` K defaults to :data:`DEFAULT_LEVELS`.
    ``tests/unit/test_memory.py`` checks the count against tracemalloc.
    """
    r, t, g = int(realizations), int(n_steps), int(n_groups)
    k = DEFAULT_LEVELS if n_levels is None else int(n_levels)
    r_sky = r if sky_realizations is None else int(sky_realizations)
    state = 8 * (2 * 3 + 1) * r * g
    per_step = 8 * 8 * r * g
    coefficients = 8 * 2 * 24 * g * k
    sun = 8 * 4 * r_sky * t * 5
    other = 8 * (32 * g + t + r * t)
    return state + per_step + coefficients + sun + other


def estimate(
    realizations: int,
    n_steps: int,
    n_groups: int,
    n_feeders: int,
    n_districts: int,
    n_archetypes: int,
    n_thresholds: int,
    trajectories: bool = False,
    n_levels: int | None = None,
) -> MemoryEstimate:
    """Estimate the memory of a run from its dimensions (see module docstring). [B]

    ``trajectories``: the run keeps per-group indoor temperatures (``buildings.trajectories``);
    ``n_levels``: ventilation levels of the thermal stage (:func:`thermal_stage_b`).
    """
    r, t = int(realizations), int(n_steps)
    supply = r * t * (n_feeders + 7 * n_groups)  # power bool; heat bool, state int8, cause int8, heat_frac float32
    supply += r * t * 8 * 3  # waves, hits, queues
    thermal = thermal_stage_b(r, t, n_groups, n_levels)
    thermal += r * n_groups * 8 * 12  # running exposure per group (sim.exposure.ExposureAccumulator)
    outputs = 2 * r * t * n_districts * n_archetypes * 4  # indoor air and operative temperature (float32)
    # exposure series (with 16 degC by district and age), power/heat/causes by district
    outputs += r * t * 8 * (n_thresholds * 3 + 8 + 12 * n_districts)
    if trajectories:
        outputs += r * t * n_groups * 4  # indoor temperature per group (float32)
    return MemoryEstimate(supply, thermal, outputs)


def _usable(available_b: int | None) -> tuple[float, float]:
    """(bytes a run may plan to use, bytes available)."""
    avail = float(psutil.virtual_memory().available if available_b is None else int(available_b))
    return USABLE_FRAC * avail, avail


def _gib(b: float) -> str:
    return f"{b / 2**30:.1f} GiB"


def check_fits(est: MemoryEstimate, realizations: int, available_b: int | None = None) -> None:
    """Raise ColdgridError if the run would need more than the usable share of available memory."""
    usable, avail = _usable(available_b)
    if est.total_b > usable:
        per_real = est.total_b / max(realizations, 1)
        fit = max(1, int(usable / per_real))
        raise ColdgridError(
            f"this run needs about {_gib(est.total_b)} but only {_gib(avail)} is available (it may plan "
            f"{USABLE_FRAC:.0%}: {_gib(usable)}); use realizations={fit} or fewer (run several seeds as a sweep), "
            "or a shorter horizon_days"
        )


def nowcast_peak_b(estimate_of: Callable[[int], MemoryEstimate], realizations: int, restart_realizations: int,
                   rejuvenations: int) -> int:
    """Peak bytes of a nowcast that restarts ``rejuvenations`` generations of ``restart_realizations``. [B]

    The filter keeps every generation's outputs (the Datasets pooled along ``realization``,
    :mod:`sim.rejuvenation`), while the supply and thermal arrays of a generation are freed once its
    Dataset is built. So the peak is the largest of: the prior run itself; the last restart, a whole run of
    ``restart_realizations`` on top of the outputs of the generations before it; and the pooling at the
    end, which copies all outputs once (:func:`sim.nowcast.condition`). ``estimate_of(n)`` is
    :func:`estimate` for ``n`` realizations of this run.
    """
    r, n_r, g = int(realizations), int(restart_realizations), int(rejuvenations)
    peak = estimate_of(r).total_b
    if g > 0:
        held = estimate_of(r + (g - 1) * n_r).outputs_b * WORKING_SET_FACTOR
        pooled = 2 * estimate_of(r + g * n_r).outputs_b * WORKING_SET_FACTOR
        peak = max(peak, int(held + estimate_of(n_r).total_b), int(pooled))
    return int(peak)


def check_nowcast_fits(estimate_of: Callable[[int], MemoryEstimate], realizations: int, restart_realizations: int,
                       rejuvenations: int, available_b: int | None = None) -> None:
    """Refuse, before anything runs, a nowcast whose rejuvenations would not fit (:func:`nowcast_peak_b`);
    the message names the largest ``nowcast.restart_realizations`` that fits with these rejuvenations."""
    usable, avail = _usable(available_b)
    need = nowcast_peak_b(estimate_of, realizations, restart_realizations, rejuvenations)
    if need <= usable:
        return
    lo, hi = 0, int(restart_realizations)  # the largest restart size that fits (need grows with it)
    while lo < hi:
        mid = (lo + hi + 1) // 2
        if nowcast_peak_b(estimate_of, realizations, mid, rejuvenations) <= usable:
            lo = mid
        else:
            hi = mid - 1
    hint = (f"use nowcast.restart_realizations={lo} or fewer, fewer nowcast.max_rejuvenations"
            if lo >= 1 else "use fewer nowcast.max_rejuvenations")
    raise ColdgridError(
        f"this nowcast needs about {_gib(need)} with {rejuvenations} rejuvenation"
        f"{'s' if rejuvenations != 1 else ''} of {restart_realizations} realizations but only {_gib(avail)} is "
        f"available (it may plan {USABLE_FRAC:.0%}: {_gib(usable)}); {hint}, or fewer realizations"
    )
