"""The ``repair`` config as plain, validated values for the DES."""

from __future__ import annotations

import math
from typing import Any

from sim.errors import ConfigError

#: Integer keys (counts).
_INTS = ("power_crews", "heat_crews", "transformer_spares", "emergency_min_hits", "emergency_max_queues",
         "mobile_transformers", "frozen_crews", "frozen_crews_mobilized", "refill_max_teams", "mobile_boilers")
#: Shares in [0, 1].
_FRACS = ("reswitch_frac", "drain_safety_frac", "restart_fault_prob", "mobile_boilers_housing_frac")
#: Everything else: finite and >= 0.
_NONNEG = ("crew_multiplier", "repair_time_multiplier", "transformer_lead_days", "mobile_transformer_install_h",
           "reswitch_h", "drain_delay_h", "drain_forecast_h", "drain_buildings_per_h", "freeze_k_h", "freeze_cv",
           "frozen_team_days_per_building", "frozen_mobilize_days", "frozen_mobilize_buildings",
           "frozen_mains_repair_days", "restart_h_per_building", "restart_cv", "refill_extra_teams_per_kbuilding",
           "restart_fault_h", "boost_h", "mobile_boiler_mw", "mobile_deploy_h", "mobile_min_outage_h",
           "emergency_outage_h", "emergency_extra_queues")
KEYS = (*_INTS, *_FRACS, *_NONNEG, "power_crews_per_job", "heat_crews_per_job", "drain_threshold_c",
        "boost_max_frac", "replan_h")


def _get(cfg: Any, key: str) -> Any:
    """A config value from a dataclass instance, a DictConfig or a dict."""
    return cfg[key] if isinstance(cfg, dict) or hasattr(cfg, "__getitem__") else getattr(cfg, key)


def repair_params(cfg: Any) -> dict[str, Any]:
    """Validate the ``repair`` config; return plain values (raises ConfigError naming the key)."""
    p: dict[str, Any] = {}
    for k in KEYS:
        try:
            p[k] = float(_get(cfg, k))
        except (KeyError, AttributeError, TypeError, ValueError):
            raise ConfigError(f"repair.{k}: missing or not a number") from None
        if not math.isfinite(p[k]):
            raise ConfigError(f"repair.{k} must be finite, got {p[k]:g}")
    for k in _INTS:
        if p[k] < 0 or p[k] != int(p[k]):
            raise ConfigError(f"repair.{k} must be an integer >= 0, got {p[k]:g}")
        p[k] = int(p[k])
    for k in _FRACS:
        if not 0.0 <= p[k] <= 1.0:
            raise ConfigError(f"repair.{k} must be in [0, 1], got {p[k]:g}")
    for k in _NONNEG:
        if p[k] < 0:
            raise ConfigError(f"repair.{k} must be >= 0, got {p[k]:g}")
    for k in ("power_crews_per_job", "heat_crews_per_job", "boost_max_frac"):
        if p[k] < 1:
            raise ConfigError(f"repair.{k} must be >= 1, got {p[k]:g}")
    for k in ("crew_multiplier", "drain_buildings_per_h", "replan_h", "frozen_team_days_per_building"):
        if p[k] <= 0:
            raise ConfigError(f"repair.{k} must be > 0, got {p[k]:g}")
    return p
