"""Experiment presets compose with hydra.compose, declare their sweeps and validate job by job."""

from __future__ import annotations

import itertools
from pathlib import Path

import pytest
from omegaconf import DictConfig

from sim.config.load import compose_config
from sim.config.validate import validate
from tests.conftest import CONFIG_DIR

EXPERIMENTS = sorted(p.stem for p in (Path(CONFIG_DIR) / "experiment").glob("*.yaml"))
SENSITIVITY_CASES = sorted(p.stem for p in (Path(CONFIG_DIR) / "experiment" / "sensitivity").glob("*.yaml"))


def _compose(overrides: list[str], hydra_config: bool = False) -> DictConfig:
    return compose_config(overrides, return_hydra_config=hydra_config)


def _expand(params: dict) -> list[list[str]]:
    """The job overrides of Hydra's basic sweeper for simple ``a,b,c`` and ``glob(*)`` params."""
    axes = []
    for key, value in params.items():
        if str(value) == "glob(*)":
            assert key == "+experiment/sensitivity"
            options = SENSITIVITY_CASES
        else:
            options = [v.strip() for v in str(value).split(",")]
        axes.append([f"{key}={v}" for v in options])
    return [list(combo) for combo in itertools.product(*axes)]


def test_presets_exist():
    assert {"pause_vs_continued", "pause_length", "cold_sensitivity", "repair_capacity", "heating_points",
            "sensitivity"} <= set(EXPERIMENTS)


@pytest.mark.parametrize("name", EXPERIMENTS)
def test_preset_states_only_what_differs_and_describes_itself(name: str):
    lines = (Path(CONFIG_DIR) / "experiment" / f"{name}.yaml").read_text(encoding="utf-8").splitlines()
    assert lines[0] == "# @package _global_"
    assert lines[1].startswith("# ") and len(lines[1]) > 20  # shown by coldgrid --help
    assert "seed:" not in "\n".join(lines)  # paired comparisons need the default seed shared by all jobs


@pytest.mark.parametrize("name", EXPERIMENTS)
def test_preset_composes_with_a_sweep_and_every_job_validates(name: str):
    cfg = _compose([f"experiment={name}"], hydra_config=True)
    assert cfg.experiment == name
    params = dict(cfg.hydra.sweeper.params or {})
    assert params, f"{name} declares no hydra.sweeper.params"
    baseline = cfg.hydra.callbacks.collect.baseline
    jobs = _expand(params)
    assert len(jobs) >= 2
    # the baseline override matches at least one job
    assert any(baseline in job for job in jobs), (baseline, jobs[:3])
    for job in jobs:
        job_cfg = _compose([f"experiment={name}", *job])
        validate(job_cfg)


def test_pause_vs_continued_values():
    cfg = _compose(["experiment=pause_vs_continued"], hydra_config=True)
    assert cfg.realizations == 200
    assert cfg.weather.min_temperature_c == -25.0
    assert dict(cfg.hydra.sweeper.params) == {"attacks": "continued,pause_week"}
    assert cfg.hydra.callbacks.collect.baseline == "attacks=continued"
    # command-line values still win over the preset's
    assert _compose(["experiment=pause_vs_continued", "realizations=4"]).realizations == 4
    pause = _compose(["experiment=pause_vs_continued", "attacks=pause_week"])
    cont = _compose(["experiment=pause_vs_continued", "attacks=continued"])
    assert (pause.attacks.policy, cont.attacks.policy) == ("pause_week", "continued")
    assert pause.seed == cont.seed


def test_pause_length_uses_pause_week_with_zero_day_baseline():
    cfg = _compose(["experiment=pause_length", "attacks.pause_days=0"], hydra_config=True)
    assert cfg.attacks.policy == "pause_week"
    assert cfg.attacks.pause_days == 0.0
    assert cfg.hydra.callbacks.collect.baseline == "attacks.pause_days=0"


@pytest.fixture(scope="module")
def sensitivity_baseline() -> DictConfig:
    """The sensitivity baseline, composed once for every case (read only)."""
    return _compose(["experiment=sensitivity", "+experiment/sensitivity=baseline"])


@pytest.mark.parametrize("case", SENSITIVITY_CASES)
def test_sensitivity_case_moves_one_input(sensitivity_baseline: DictConfig, case: str):
    base = sensitivity_baseline
    cfg = _compose(["experiment=sensitivity", f"+experiment/sensitivity={case}"])
    validate(cfg)

    def flat(node, prefix=""):
        out = {}
        for k, v in node.items():
            out.update(flat(v, f"{prefix}{k}.") if isinstance(v, DictConfig) else {f"{prefix}{k}": v})
        return out

    a, b = flat(base), flat(cfg)
    changed = {k for k in b if a.get(k) != b[k]}
    if case == "baseline":
        assert not changed
    else:
        groups = {k.split(".")[0] for k in changed}
        assert len(groups) == 1 and changed, (case, changed)


def test_sensitivity_inputs_have_low_and_high():
    inputs = {c.rsplit("_", 1)[0] for c in SENSITIVITY_CASES if c != "baseline"}
    assert len(inputs) >= 8
    for name in inputs:
        assert {f"{name}_low", f"{name}_high"} <= set(SENSITIVITY_CASES)
