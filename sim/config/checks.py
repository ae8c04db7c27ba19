"""Helpers of the group checks (:mod:`sim.config.attacks`, :mod:`sim.config.city`, ...): plain values and
one-line :class:`~sim.errors.ConfigError` messages naming the key."""

from __future__ import annotations

import dataclasses
import math
import re
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
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


@dataclass(frozen=True)
class Plausible:
    """The range outside which a value of a key is meaningless or almost surely a typo.

    Wider than any value a shipped config, preset, sweep or Sobol range uses
    (``tests/unit/test_plausible_bounds.py`` checks it); ``docs/parameters.md`` lists each bound (the
    *plausible* column). ``unit`` is shown after the bounds ("1" and "-" show nothing); ``why`` is the
    short reason shown in the message.
    """

    lo: float
    hi: float
    unit: str
    why: str


def plausible_bound(bounds: Mapping[str, Plausible], leaf: str) -> Plausible | None:
    """The bound that applies to a leaf key (list indices written ``[]``): the bound of the key itself,
    else of the mapping or list that holds it (``repair_median_h`` covers ``repair_median_h.chp.light``)."""
    key = re.sub(r"\[\d+\]", "[]", leaf)
    while True:
        if key in bounds:
            return bounds[key]
        cut = max(key.rfind("."), key.rfind("["))
        if cut <= 0:
            return None
        key = key[:cut]


def _numeric_leaves(value: Any, path: str) -> Iterator[tuple[str, float]]:
    if isinstance(value, Mapping):
        for k, v in value.items():
            yield from _numeric_leaves(v, f"{path}.{k}" if path else str(k))
    elif isinstance(value, Sequence) and not isinstance(value, str):
        for i, v in enumerate(value):
            yield from _numeric_leaves(v, f"{path}[{i}]")
    elif isinstance(value, int | float) and not isinstance(value, bool):
        yield path, value


def _fmt(v: float) -> str:
    return str(v) if isinstance(v, int) else f"{v:g}"


def check_plausible(prefix: str, cfg: Any, bounds: Mapping[str, Plausible]) -> None:
    """Raise ConfigError ``<prefix>.<key>=<value>: must be between <lo> and <hi> <unit> (<why>)`` for the
    first number of ``cfg`` (a dataclass, DictConfig or mapping) outside its :class:`Plausible` range.

    Run after a group's own checks (types, signs, shares), so that those keep their messages.
    """
    if dataclasses.is_dataclass(cfg) and not isinstance(cfg, type):
        values: Any = dataclasses.asdict(cfg)
    elif isinstance(cfg, DictConfig):
        values = OmegaConf.to_container(cfg, resolve=True, throw_on_missing=False)
    else:
        values = plain_dict(cfg)
    for leaf, v in _numeric_leaves(values, ""):
        b = plausible_bound(bounds, leaf)
        if b is not None and not b.lo <= v <= b.hi:
            unit = "" if b.unit in ("1", "-") else f" {b.unit}"
            raise ConfigError(f"{prefix}.{leaf}={_fmt(v)}: must be between {_fmt(b.lo)} and {_fmt(b.hi)}{unit} "
                              f"({b.why})")
