"""Where coldgrid's own files are: the one place that locates the Hydra configs.

The configs live in ``configs/`` at the top of the source tree (the layout the docs show). The build maps
that folder to the package ``sim.configs`` (``[tool.setuptools.package-dir]`` in ``pyproject.toml``), so
a wheel carries them as ``sim/configs/`` and an editable install finds them in the source tree; either way
:mod:`importlib.resources` finds them, and everything that needs the configs (the CLI, Hydra's
``initialize_config_dir``, the trust scan, :func:`sim.config.load.load_option`, the validation and test
helpers) asks :func:`config_dir`.
"""

from __future__ import annotations

import atexit
import functools
import shutil
import tempfile
from importlib import resources
from importlib.resources.abc import Traversable
from pathlib import Path

__all__ = ["config_dir", "extract_tree"]

#: The package that holds the configs (``configs/`` in the source tree).
CONFIG_PACKAGE = "sim.configs"


@functools.cache
def config_dir() -> Path:
    """The folder of coldgrid's Hydra configs (``config.yaml`` and one folder per group).

    Always a real folder on disk, as Hydra and the trust scan need: when the package is imported from a
    zip file, the configs are extracted once per process into a temporary folder that is removed at exit.

    Returns
    -------
    pathlib.Path
        Absolute path of the config folder.

    Examples
    --------
    >>> (config_dir() / "config.yaml").is_file()
    True
    >>> sorted(p.stem for p in (config_dir() / "city").glob("*.yaml"))
    ['kyiv', 'small_town']
    """
    files = resources.files(CONFIG_PACKAGE)
    if isinstance(files, Path):
        return files.resolve()
    tmp = Path(tempfile.mkdtemp(prefix="coldgrid-configs-"))
    atexit.register(shutil.rmtree, tmp, ignore_errors=True)
    return extract_tree(files, tmp / "configs")


def extract_tree(src: Traversable, dest: Path) -> Path:
    """Copy a resource folder (e.g. inside a zip file) to ``dest`` on disk; returns ``dest``.

    :func:`importlib.resources.as_file` extracts single files only before Python 3.12, so folders are
    walked here, each file going through ``as_file``.
    """
    dest.mkdir(parents=True, exist_ok=True)
    for item in src.iterdir():
        if item.is_dir():
            extract_tree(item, dest / item.name)
        elif item.is_file():
            with resources.as_file(item) as path:
                shutil.copyfile(path, dest / item.name)
    return dest
