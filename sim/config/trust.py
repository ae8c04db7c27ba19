"""Untrusted configs run no code.

Hydra instantiates any ``_target_`` it finds in the ``hydra:`` part of a config (callbacks, launchers,
sweepers) before coldgrid sees the job's config. So before Hydra starts, every YAML file on the config
search path is read with a safe loader and any ``_target_`` that is not one of coldgrid's own or Hydra's
launcher and sweeper plugins is refused. The job's own config never reaches ``_target_`` at all
(:func:`sim.config.validate.refuse_targets`).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

import yaml

from sim.errors import ConfigError

#: The only classes a coldgrid config may name in ``_target_``.
ALLOWED_TARGETS = frozenset(
    {
        "sim.callbacks.CollectSweep",
        "hydra._internal.core_plugins.basic_launcher.BasicLauncher",
        "hydra._internal.core_plugins.basic_sweeper.BasicSweeper",
        "hydra_plugins.hydra_joblib_launcher.joblib_launcher.JoblibLauncher",
        "hydra_plugins.hydra_ray_launcher.ray_launcher.RayLauncher",
    }
)


def _targets(node: Any, path: str = "") -> Iterator[tuple[str, Any]]:
    if isinstance(node, dict):
        for key, value in node.items():
            sub = f"{path}.{key}" if path else str(key)
            if key == "_target_":
                yield sub, value
            yield from _targets(value, sub)
    elif isinstance(node, list):
        for i, value in enumerate(node):
            yield from _targets(value, f"{path}[{i}]")


def check_file(path: Path) -> None:
    """Raise ConfigError if the YAML file names a ``_target_`` outside :data:`ALLOWED_TARGETS`."""
    try:
        docs = list(yaml.safe_load_all(path.read_text(encoding="utf-8")))
    except yaml.YAMLError as e:
        mark = getattr(e, "problem_mark", None)
        where = f" line {mark.line + 1}" if mark is not None else ""
        raise ConfigError(f"{path}{where}: not valid YAML ({getattr(e, 'problem', e)})") from None
    for doc in docs:
        for key, value in _targets(doc):
            if value not in ALLOWED_TARGETS:
                raise ConfigError(f"{path}: {key}={value} is not allowed (coldgrid configs never run code)")


def check_dirs(dirs: Iterable[Path]) -> None:
    """Check every ``*.yaml`` under the given config directories (see :func:`check_file`)."""
    for d in dirs:
        d = Path(d)
        if d.is_dir():
            for f in sorted(d.rglob("*.yaml")):
                check_file(f)


def config_dirs_from_args(args: list[str]) -> list[Path]:
    """Config directories named on a command line (``-cd``/``--config-dir``, ``hydra.searchpath``)."""
    out: list[Path] = []
    for i, a in enumerate(args):
        if a in ("-cd", "--config-dir") and i + 1 < len(args):
            out.append(Path(args[i + 1]))
        elif a.startswith("--config-dir="):
            out.append(Path(a.split("=", 1)[1]))
        elif a.startswith(("hydra.searchpath=", "+hydra.searchpath=")):
            for item in a.split("=", 1)[1].strip("[]").split(","):
                item = item.strip().strip("'\"")
                if item.startswith("file://"):
                    out.append(Path(item[len("file://"):]))
    return out
