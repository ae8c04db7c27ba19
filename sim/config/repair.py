"""Schema of the ``repair`` config group: crews, spares, restoration and heat-network restart."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass
class RepairConfig:
    """Repair crews by trade, spare transformers, repair-time distributions and heat-network restart."""

    description: str = ""
    power_crews: int = 120  # power repair crews [crews]
    heat_crews: int = 60  # heat-network crews (drain, refill, restart) [crews]
    crew_multiplier: float = 1.0  # scales both crew counts (repair_capacity sweeps) [1]
    transformer_spares: int = 3  # large transformers in stock [units]
    transformer_lead_days: float = 180.0  # lead time of a new large transformer [d]
    repair_median_h: dict[str, float] = field(default_factory=dict)  # node kind -> median repair [h]
    repair_sigma: float = 0.6  # lognormal sigma of repair times [-]
    drain_delay_h: float = 4.0  # hours without circulation in frost before systems are drained [h]
    drain_threshold_c: float = 0.0  # outdoor temperature below which stopped systems are drained [degC]
    undrained_prob: float = 0.02  # probability a building group is not drained in time [1]
    freeze_after_h: float = 6.0  # hours an undrained system survives below freeze_threshold_c [h]
    freeze_threshold_c: float = -15.0  # outdoor temperature below which undrained systems freeze [degC]
    frozen_repair_days: float = 21.0  # median restoration of a frozen system [d]
    restart_h_per_building: float = 1.2  # crew-hours to refill and restart one drained building [h]
    emergency_outage_h: float = 12.0  # emergency outages replace schedules after a major strike [h]
