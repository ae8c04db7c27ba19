"""Schema of the ``attacks`` config group: the strike campaign and its policy."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass
class AttacksConfig:
    """A strike campaign: wave timing and size, interception, targeting and damage, shaped by ``policy``.

    Policies: ``continued``, ``pause_week``, ``pause_then_surge``, ``pause_broken``, ``single_wave``,
    ``total_heat_loss``, ``none``.
    """

    policy: str = "continued"
    description: str = ""
    # timing: gamma-distributed intervals between waves that reach the city
    mean_interval_days: float = 4.5  # mean days between waves on the city [d]
    interval_shape: float = 2.0  # gamma shape of the interval (1 = Poisson) [-]
    first_wave_day: float | None = None  # fixed day of the first wave (None: drawn) [d]
    # size of a wave (launched nationally)
    drones_mean: float = 390.0  # drones per wave [drones]
    drones_cv: float = 0.25  # coefficient of variation of drones per wave [1]
    missiles_mean: float = 40.0  # missiles per wave [missiles]
    missiles_cv: float = 0.5  # coefficient of variation of missiles per wave [1]
    ballistic_frac: float = 0.35  # share of missiles that are ballistic [1]
    # interception probabilities by type
    intercept_drone_prob: float = 0.92
    intercept_cruise_prob: float = 0.78
    intercept_ballistic_prob: float = 0.6
    # share of the leakers that hit the city's energy system, and what they aim at
    city_energy_frac: float = 0.5  # share of unintercepted weapons aimed at the city's energy [1]
    weapons_per_hit: float = 1.5  # unintercepted weapons needed per damaged node [weapons]
    target_weights: dict[str, float] = field(default_factory=dict)  # node kind -> relative weight
    damage_probs: dict[str, float] = field(default_factory=dict)  # damage level -> probability
    alert_hours: float = 4.0  # air-raid alert around a wave; repairs stop [h]
    # policy parameters
    pause_start_day: float = 0.0  # day the pause begins [d]
    pause_days: float = 7.0  # length of the pause [d]
    surge_stockpile_frac: float = 1.0  # share of the weapons withheld in the pause added to the next wave [1]
    # single_wave
    day: float = 1.0  # day of the single wave [d]
    drones: float = 339.0  # drones in the single wave [drones]
    missiles: float = 34.0  # missiles in the single wave [missiles]
