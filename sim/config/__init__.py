"""Config schemas: one dataclass per Hydra config group, registered in Hydra's ConfigStore.

YAML files in ``configs/`` hold values only; these dataclasses give their types and defaults. The
top-level schema is :class:`ColdgridConfig`; see :func:`register` and :mod:`sim.config.validate`.
"""

from sim.config.schema import (
    AttacksConfig,
    BuildingsConfig,
    CityConfig,
    ColdgridConfig,
    DistrictConfig,
    NowcastConfig,
    OutputConfig,
    PeopleConfig,
    RepairConfig,
    WeatherConfig,
    register,
)

__all__ = [
    "AttacksConfig",
    "BuildingsConfig",
    "CityConfig",
    "ColdgridConfig",
    "DistrictConfig",
    "NowcastConfig",
    "OutputConfig",
    "PeopleConfig",
    "RepairConfig",
    "WeatherConfig",
    "register",
]
