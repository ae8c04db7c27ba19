"""The top-level config schema and its registration in Hydra's ConfigStore."""

from __future__ import annotations

from dataclasses import dataclass, field

from hydra.core.config_store import ConfigStore

from sim.config.attacks import AttacksConfig
from sim.config.buildings import BuildingsConfig
from sim.config.city import CityConfig, DistrictConfig
from sim.config.nowcast import NowcastConfig
from sim.config.output import OutputConfig
from sim.config.people import PeopleConfig
from sim.config.repair import RepairConfig
from sim.config.sobol import SobolConfig, SobolParameter
from sim.config.weather import WeatherConfig


@dataclass
class ColdgridConfig:
    """Every key of a coldgrid run; groups are filled from ``configs/<group>/<option>.yaml``."""

    seed: int = 20260129
    realizations: int = 100
    start: str = "2026-01-29T00:00"
    horizon_days: float = 21.0
    dt_minutes: float = 60.0
    label: str = ""
    resume: bool = False
    experiment: str | None = None
    city: CityConfig = field(default_factory=CityConfig)
    weather: WeatherConfig = field(default_factory=WeatherConfig)
    attacks: AttacksConfig = field(default_factory=AttacksConfig)
    repair: RepairConfig = field(default_factory=RepairConfig)
    buildings: BuildingsConfig = field(default_factory=BuildingsConfig)
    people: PeopleConfig = field(default_factory=PeopleConfig)
    output: OutputConfig = field(default_factory=OutputConfig)
    nowcast: NowcastConfig = field(default_factory=NowcastConfig)
    sobol: SobolConfig | None = None  # experiment=sobol (sim/config/sobol.py); never read by the chain


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
    "SobolConfig",
    "SobolParameter",
    "WeatherConfig",
    "register",
]


#: The schemas :func:`register` stores: (group or None, name, dataclass).
_SCHEMAS: tuple[tuple[str | None, str, type], ...] = (
    (None, "base_config", ColdgridConfig),
    *((f"schema/{group}", "base", node) for group, node in [
        ("city", CityConfig),
        ("weather", WeatherConfig),
        ("attacks", AttacksConfig),
        ("repair", RepairConfig),
        ("buildings", BuildingsConfig),
        ("people", PeopleConfig),
        ("nowcast", NowcastConfig),
        ("sobol", SobolConfig),
    ]),
)
#: The ConfigStore entries the last :func:`register` stored, by (group, name): found unchanged in the store,
#: they need not be built again.
_STORED: dict[tuple[str | None, str], object] = {}


def _entry(cs: ConfigStore, group: str | None, name: str) -> object:
    """The ConfigStore entry ``group/name.yaml`` (None when absent), read without building anything."""
    cur: object = cs.repo
    for part in (group.split("/") if group else []):
        cur = cur.get(part) if isinstance(cur, dict) else None
    return cur.get(f"{name}.yaml") if isinstance(cur, dict) else None


def register() -> None:
    """Register the schemas in Hydra's ConfigStore (idempotent).

    ``base_config`` types the whole tree; the group schemas are stored under ``schema/<group>`` for
    config files that want to extend them explicitly. Building the structured configs costs tens of
    milliseconds, so a call that finds the very entries it stored before in the store (the usual case: every
    :func:`sim.config.load.compose_config` and the CLI call this) stores nothing again; one that finds any of
    them missing or replaced (a cleared or restored ConfigStore, another node under the same name) stores
    them all again. The Sobol sweeper is registered with Hydra's plugins on every call (cheap).
    """
    cs = ConfigStore.instance()
    if not _STORED or any(_entry(cs, group, name) is not _STORED.get((group, name)) for group, name, _ in _SCHEMAS):
        _STORED.clear()
        for group, name, node in _SCHEMAS:
            cs.store(group=group, name=name, node=node)
        # recorded only once all are stored: an interrupted call leaves nothing that a later call would trust
        _STORED.update({(group, name): _entry(cs, group, name) for group, name, _ in _SCHEMAS})
    register_sobol_sweeper()


def register_sobol_sweeper() -> None:
    """Register coldgrid's Sobol sweeper (``hydra/sweeper=sobol``) with Hydra (idempotent).

    Hydra finds plugins by listing the ``hydra_plugins`` namespace, which an editable install
    (``pip install -e``) does not expose to :mod:`pkgutil`; registering the config and the class through
    Hydra's public ``Plugins.register`` makes the sweeper available however coldgrid is installed.
    """
    from hydra.core.plugins import Plugins

    from hydra_plugins.coldgrid_sobol_sweeper import config as _config  # noqa: F401 - stores hydra/sweeper/sobol
    from hydra_plugins.coldgrid_sobol_sweeper.sobol_sweeper import SobolSweeper

    Plugins.instance().register(SobolSweeper)
