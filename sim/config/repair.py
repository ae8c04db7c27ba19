"""Schema of the ``repair`` config group: crews, spares, restoration and heat-network restart.

Defaults are Kyiv in late January 2026 (``reference/calibration.md`` B1-B7, E7); the heat-network restart
rate is fitted to the B3 restoration curve (``docs/grid_model.md``).
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass
class RepairConfig:
    """Repair crews by trade, spare transformers, emergency outages and heat-network drain and restart."""

    description: str = ""
    power_crews: int = 120  # power crews (B6: 166 by day, 74 at night, mean ~120) [crews]
    power_crews_per_job: int = 10  # crews that work together on one damaged grid node or CHP [crews]
    heat_crews: int = 60  # heat-network crews: boiler repairs, refill and restart of buildings [crews]
    heat_crews_per_job: int = 5  # crews that refill and restart one building group (or repair a boiler house) together [crews]
    crew_multiplier: float = 1.0  # scales both crew counts (repair_capacity sweeps) [1]
    repair_time_multiplier: float = 1.0  # scales every repair duration drawn by the threat model [1]
    transformer_spares: int = 2  # large transformers in stock (B5: a spare moved and installed) [units]
    transformer_lead_days: float = 180.0  # lead time of a new large transformer (B5: ~6 months) [d]
    drain_delay_h: float = 4.0  # hours without circulation in frost before systems are drained (E7) [h]
    drain_threshold_c: float = 0.0  # outdoor temperature below which stopped systems are drained (E7) [degC]
    undrained_prob: float = 0.02  # probability a building group is not drained in time (E7) [1]
    freeze_after_h: float = 6.0  # hours an undrained system survives below freeze_threshold_c (E7) [h]
    freeze_threshold_c: float = -15.0  # outdoor temperature below which undrained systems freeze (E7) [degC]
    frozen_repair_days: float = 21.0  # median restoration of a frozen system (E7: weeks) [d]
    restart_h_per_building: float = 0.7  # crew-hours to refill and restart one drained building (B2; fit to B3) [h]
    restart_cv: float = 0.3  # variation of restart work between building groups [1]
    emergency_outage_h: float = 12.0  # emergency outages replace schedules after a major strike (C3) [h]
    emergency_min_hits: int = 3  # node hits in a wave that make it a major strike (C3) [-]
    emergency_extra_queues: float = 2.0  # queues off beyond the deficit during emergency outages (C3) [-]
    emergency_max_queues: int = 4  # emergency outages switch off at most this many queues (A3) [-]
