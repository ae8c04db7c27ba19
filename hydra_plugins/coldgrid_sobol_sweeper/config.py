"""The config of ``hydra/sweeper=sobol`` (registered in Hydra's ConfigStore when Hydra scans its plugins).

No ``from __future__ import annotations`` here: Hydra's plugin scan executes this module without entering
it in ``sys.modules``, where :mod:`dataclasses` looks string annotations up.
"""

from dataclasses import dataclass, field

from hydra.core.config_store import ConfigStore


@dataclass
class SobolSweeperConf:
    """``hydra.sweeper`` of a Sobol sweep.

    ``params``: the basic sweep each design row is run under (``attacks: continued,pause_week``), as for
    Hydra's basic sweeper; ``max_batch_size``: jobs handed to the launcher at a time (None: all).
    """

    _target_: str = "hydra_plugins.coldgrid_sobol_sweeper.sobol_sweeper.SobolSweeper"
    max_batch_size: int | None = None
    params: dict[str, str] = field(default_factory=dict)


ConfigStore.instance().store(group="hydra/sweeper", name="sobol", node=SobolSweeperConf,
                             provider="coldgrid_sobol_sweeper")
