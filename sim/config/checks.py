"""Helpers of the group checks (:mod:`sim.config.attacks`, :mod:`sim.config.city`, ...): plain values and
one-line :class:`~sim.errors.ConfigError` messages naming the key."""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import Any

from omegaconf import DictConfig, ListConfig, OmegaConf

from sim.errors import ConfigError

#: Damage levels of a node (``sim.network.DAMAGE_LEVELS``; tests/unit/test_config_groups.py checks both agree).
DAMAGE_LEVELS = ("light", "moderate", "severe", "destroyed")


def plain(value: Any) -> Any:
    """OmegaConf containers -> plain Python (lists/dicts), other values unchanged."""
    if isinstance(value, DictConfig | ListConfig):
        return OmegaConf.to_container(value, resolve=True)
    return value


def plain_dict(value: Any) -> dict:
    """A mapping (or None) as a plain dict."""
    return dict(plain(value) or {})


def number(key: str, v: Any, lo: float | None = None, hi: float | None = None) -> float:
    """``v`` as a finite float within ``[lo, hi]``; else ConfigError ``<key> must be ...``."""
    if isinstance(v, bool) or not isinstance(v, int | float) or not math.isfinite(v):
        raise ConfigError(f"{key} must be a number, got {v!r}")
    if (lo is not None and v < lo) or (hi is not None and v > hi):
        raise ConfigError(f"{key} must be in [{lo}, {hi}], got {v!r}")
    return float(v)


def integer(key: str, v: Any, lo: int) -> int:
    """``v`` as a whole number >= ``lo``; else ConfigError ``<key> must be an integer >= lo``."""
    if isinstance(v, bool) or not isinstance(v, int | float) or int(v) != v or v < lo:
        raise ConfigError(f"{key} must be an integer >= {lo}, got {v!r}")
    return int(v)


def check_damage_probs(key: str, raw: Any, levels: tuple[str, ...] = DAMAGE_LEVELS) -> None:
    """Damage-level probabilities: known levels, numbers >= 0, not all zero (the model normalizes them)."""
    d = {str(k): v for k, v in plain_dict(raw).items()}
    for lv, p in d.items():
        if lv not in levels:
            raise ConfigError(f"{key}.{lv}: unknown damage level; valid: {', '.join(levels)}")
        number(f"{key}.{lv}", p, 0.0)
    if sum(float(p) for p in d.values()) <= 0:
        raise ConfigError(f"{key}: probabilities sum to zero")


def is_mapping(value: Any) -> bool:
    return isinstance(value, Mapping)
