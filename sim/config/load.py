"""The one way coldgrid composes its configs outside the CLI: Hydra's compose API.

Tests, the validation suite, the benchmark, ``coldgrid --nodes`` and notebooks call
:func:`compose_config` (the whole config, as ``coldgrid`` would compose it from the same overrides) or
:func:`load_option` (one group's node); nothing here merges YAML files by hand, so a defaults list, a
package directive or an interpolation means what it means to Hydra.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from pathlib import Path

from omegaconf import DictConfig

from sim.resources import config_dir as _config_dir

log = logging.getLogger(__name__)

CONFIG_DIR = _config_dir()


def compose_config(
    overrides: Sequence[str] = (), config_dir: Path | None = None, return_hydra_config: bool = False
) -> DictConfig:
    """The project's config composed with ``overrides`` by Hydra, as the command line would compose it.

    Parameters
    ----------
    overrides : sequence of str
        Hydra overrides, e.g. ``["city=small_town", "realizations=2"]``.
    config_dir : pathlib.Path, optional
        Folder holding ``config.yaml`` and the groups; default the shipped configs
        (:func:`sim.resources.config_dir`).
    return_hydra_config : bool
        Keep the ``hydra`` node (sweeper, launcher, callbacks), e.g. to read a sweep preset.

    Returns
    -------
    omegaconf.DictConfig
        Not validated: call :func:`sim.config.validate.validate` for the range checks.

    Examples
    --------
    >>> compose_config(["city=small_town", "realizations=3"]).realizations
    3
    """
    from hydra import compose, initialize_config_dir

    from sim.config.schema import register

    register()
    folder = Path(config_dir or CONFIG_DIR)
    log.debug("composing %s with %s", folder, list(overrides))
    with initialize_config_dir(config_dir=str(folder), version_base="1.3"):
        return compose("config", overrides=list(overrides), return_hydra_config=return_hydra_config)


def load_option(group: str, name: str, config_dir: Path | None = None) -> DictConfig:
    """The node of ``group=name`` in the composed config (schema defaults, the option's defaults, the option).

    Examples
    --------
    >>> load_option("attacks", "pause_week").policy
    'pause_week'
    """
    node = compose_config([f"{group}={name}"], config_dir)[group]
    if not isinstance(node, DictConfig):
        raise TypeError(f"{group}: not a config group")
    return node
