"""sim.resources.config_dir: one place locates the configs, from a folder or from a zipped package."""

from __future__ import annotations

import zipfile
from pathlib import Path

import pytest

import sim.resources
from sim.resources import config_dir, extract_tree
from tests.conftest import ROOT

GROUPS = ("attacks", "buildings", "city", "experiment", "people", "repair", "weather")


def _tree(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in folder.rglob("*.yaml")}


def test_config_dir_holds_the_configs():
    d = config_dir()
    assert d.is_absolute() and (d / "config.yaml").is_file()
    assert all((d / g).is_dir() for g in GROUPS)
    assert _tree(d) == _tree(ROOT / "configs")  # this tree's configs/ (editable install)


def test_every_locator_is_config_dir():
    from sim.cli import CONFIG_DIR
    from sim.config.load import CONFIG_DIR as LOAD_DIR
    from sim.des.testing import CONFIGS as DES_DIR
    from sim.validation import CONFIGS as VALIDATION_DIR

    assert CONFIG_DIR == LOAD_DIR == DES_DIR == VALIDATION_DIR == config_dir()


def test_zipped_package_is_extracted_to_a_real_folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    archive = tmp_path / "site.zip"
    with zipfile.ZipFile(archive, "w") as z:
        for p in sorted((ROOT / "configs").rglob("*.yaml")):
            z.write(p, "sim/configs/" + p.relative_to(ROOT / "configs").as_posix())
    monkeypatch.setattr(sim.resources.resources, "files", lambda _pkg: zipfile.Path(archive, "sim/configs/"))
    d = config_dir.__wrapped__()
    assert d.is_dir() and not d.is_relative_to(ROOT)
    assert _tree(d) == _tree(ROOT / "configs")


def test_extract_tree_copies_nested_folders(tmp_path: Path):
    archive = tmp_path / "a.zip"
    with zipfile.ZipFile(archive, "w") as z:
        z.writestr("top/a.yaml", "a: 1\n")
        z.writestr("top/x/y/b.yaml", "b: 2\n")
    out = extract_tree(zipfile.Path(archive, "top/"), tmp_path / "out")
    assert _tree(out) == {"a.yaml": b"a: 1\n", "x/y/b.yaml": b"b: 2\n"}
