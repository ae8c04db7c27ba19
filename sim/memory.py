"""Estimate the memory a run needs before running it, and refuse runs that would not fit.

The big arrays of a run are the supply timeline (power per feeder, heat and state per building group, for
every realization and step), the occupant-weighted indoor temperatures per district and archetype, and the
exposure series. Their sizes follow from the config and the city, so the estimate is exact up to a
working-set factor for temporaries.
"""

from __future__ import annotations

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


def estimate(
    realizations: int,
    n_steps: int,
    n_groups: int,
    n_feeders: int,
    n_districts: int,
    n_archetypes: int,
    n_thresholds: int,
    trajectories: bool = False,
) -> MemoryEstimate:
    """Estimate the memory of a run from its dimensions (see module docstring). [B]

    ``trajectories``: the run keeps per-group indoor temperatures (``buildings.trajectories``).
    """
    r, t = int(realizations), int(n_steps)
    supply = r * t * (n_feeders + 7 * n_groups)  # power bool; heat bool, state int8, cause int8, heat_frac float32
    supply += r * t * 8 * 3  # waves, hits, queues
    thermal = r * n_groups * 8 * 12  # states, inputs and running exposure per group
    outputs = r * t * n_districts * n_archetypes * 4  # indoor temperature (float32)
    outputs += r * t * 8 * (n_thresholds * 3 + 8 + 12 * n_districts)  # exposure series (with 16 degC by age), power/heat/causes by district
    if trajectories:
        outputs += r * t * n_groups * 4  # indoor temperature per group (float32)
    return MemoryEstimate(supply, thermal, outputs)


def check_fits(est: MemoryEstimate, realizations: int, available_b: int | None = None) -> None:
    """Raise ColdgridError if the run would need more than the usable share of available memory."""
    avail = psutil.virtual_memory().available if available_b is None else int(available_b)
    if est.total_b > USABLE_FRAC * avail:
        per_real = est.total_b / max(realizations, 1)
        fit = max(1, int(USABLE_FRAC * avail / per_real))
        raise ColdgridError(
            f"this run needs about {est.total_b / 2**30:.1f} GiB but only {avail / 2**30:.1f} GiB is available; "
            f"use realizations={fit} or fewer (run several seeds as a sweep), or a shorter horizon_days"
        )
