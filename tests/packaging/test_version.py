"""The version a result is stamped with (``source`` of result.nc, the brief's renderer line) is the version
CHANGES.md describes: one source, ``sim.__version__``, read by setuptools ([tool.setuptools.dynamic]).

A result made by unreleased code must not carry the number of the last release, whose figures differ
(CHANGES.md says what moved), so an "(unreleased)" top section needs a development version of it.
"""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

from packaging.version import Version

import sim

ROOT = Path(__file__).resolve().parents[2]


def _top_changes_section() -> tuple[str, bool]:
    """The version of CHANGES.md's first ``## X.Y.Z`` heading and whether it is marked unreleased."""
    for line in (ROOT / "CHANGES.md").read_text(encoding="utf-8").splitlines():
        m = re.match(r"^## (\d+\.\d+\.\d+)\s*(\(unreleased\))?", line)
        if m:
            return m.group(1), m.group(2) is not None
    raise AssertionError("CHANGES.md has no '## X.Y.Z' section")


def test_version_is_single_sourced_from_sim():
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    assert "version" not in project["project"], "a second version number in pyproject.toml"
    assert "version" in project["project"]["dynamic"]
    assert project["tool"]["setuptools"]["dynamic"]["version"] == {"attr": "sim.__version__"}


def test_version_names_the_top_section_of_changes():
    version = Version(sim.__version__)  # raises on a string that is not PEP 440
    top, unreleased = _top_changes_section()
    assert version.base_version == top, f"sim.__version__ {version} but CHANGES.md's top section is {top}"
    if unreleased:
        assert version.is_devrelease or version.is_prerelease, (
            f"CHANGES.md's {top} is unreleased but sim.__version__ is the final {version}")
    else:
        assert not (version.is_devrelease or version.is_prerelease), f"{top} is released but {version} is not final"
