"""The ``repair`` config as plain values for the DES (checked beforehand by :mod:`sim.config.repair`)."""

from __future__ import annotations

from typing import Any

#: Integer keys (counts).
_INTS = ("power_crews", "heat_crews", "transformer_spares", "emergency_min_hits", "emergency_max_queues",
         "mobile_transformers", "frozen_crews", "frozen_crews_mobilized", "refill_max_teams", "mobile_boilers")
#: Every number the DES reads (the same keys as :data:`sim.config.repair.KEYS`).
KEYS = (*_INTS, "reswitch_frac", "drain_safety_frac", "restart_fault_prob", "mobile_boilers_housing_frac",
        "crew_multiplier", "repair_time_multiplier", "transformer_lead_days", "mobile_transformer_install_h",
        "reswitch_h", "drain_delay_h", "drain_forecast_h", "drain_buildings_per_h", "freeze_k_h", "freeze_cv",
        "frozen_team_days_per_building", "frozen_mobilize_days", "frozen_mobilize_buildings",
        "frozen_mains_repair_days", "restart_h_per_building", "restart_cv", "refill_extra_teams_per_kbuilding",
        "restart_fault_h", "boost_h", "mobile_boiler_mw", "mobile_deploy_h", "mobile_min_outage_h",
        "emergency_outage_h", "emergency_extra_queues", "power_crews_per_job", "heat_crews_per_job",
        "drain_threshold_c", "boost_max_frac", "replan_h")


def _get(cfg: Any, key: str) -> Any:
    """A config value from a dataclass instance, a DictConfig or a dict."""
    return cfg[key] if isinstance(cfg, dict) or hasattr(cfg, "__getitem__") else getattr(cfg, key)


def repair_params(cfg: Any) -> dict[str, Any]:
    """The ``repair`` config as plain values: floats, and ints for the counts (:data:`_INTS`).

    The values are checked before the run by :func:`sim.config.repair.validate_repair_config` (called by
    :func:`sim.config.validate.validate`); this only reads them.
    """
    p: dict[str, Any] = {k: float(_get(cfg, k)) for k in KEYS}
    for k in _INTS:
        p[k] = int(p[k])
    return p
