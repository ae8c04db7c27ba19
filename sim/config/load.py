"""Load one option of a config group without Hydra, e.g. for tests and notebooks.

Resolves the option's in-group ``defaults`` (e.g. ``attacks/pause_week.yaml`` builds on
``attacks/continued.yaml``) and merges the result onto the group's schema, as Hydra does.
"""

from __future__ import annotations

from pathlib import Path

from omegaconf import DictConfig, OmegaConf

from sim.config.schema import (
    AttacksConfig,
    BuildingsConfig,
    CityConfig,
    NowcastConfig,
    PeopleConfig,
    RepairConfig,
    WeatherConfig,
)
from sim.resources import config_dir

CONFIG_DIR = config_dir()
SCHEMAS = {
    "city": CityConfig,
    "weather": WeatherConfig,
    "attacks": AttacksConfig,
    "repair": RepairConfig,
    "buildings": BuildingsConfig,
    "people": PeopleConfig,
    "nowcast": NowcastConfig,
}


def _raw(group: str, name: str, config_dir: Path) -> DictConfig:
    node = OmegaConf.load(config_dir / group / f"{name}.yaml")
    defaults = node.pop("defaults", [])
    merged = OmegaConf.create()
    self_done = False
    for entry in defaults:
        if entry == "_self_":
            merged = OmegaConf.merge(merged, node)
            self_done = True
        else:
            merged = OmegaConf.merge(merged, _raw(group, str(entry), config_dir))
    return merged if self_done else OmegaConf.merge(merged, node)


def load_option(group: str, name: str, config_dir: Path | None = None) -> DictConfig:
    """The config of ``group=name`` (schema defaults, then the option's defaults list, then the option).

    Examples
    --------
    >>> load_option("attacks", "pause_week").policy
    'pause_week'
    """
    return OmegaConf.merge(OmegaConf.structured(SCHEMAS[group]), _raw(group, name, config_dir or CONFIG_DIR))
