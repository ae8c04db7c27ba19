"""Shared fixtures: compose the real configs with hydra.compose, shrunk for tests."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from hydra import compose, initialize_config_dir
from omegaconf import DictConfig

from sim.config import register

os.environ.setdefault("MPLBACKEND", "Agg")

ROOT = Path(__file__).resolve().parents[1]
CONFIG_DIR = str(ROOT / "configs")


def compose_config(overrides: list[str] | None = None) -> DictConfig:
    """Compose the project's real config with overrides (as the CLI would)."""
    register()
    with initialize_config_dir(config_dir=CONFIG_DIR, version_base="1.3"):
        return compose("config", overrides=list(overrides or []))


@pytest.fixture
def small_cfg() -> DictConfig:
    """A tiny scenario: small_town, 3 realizations, 2 days."""
    return compose_config(["city=small_town", "realizations=3", "horizon_days=2"])
