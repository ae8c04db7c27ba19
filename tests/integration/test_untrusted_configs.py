"""Untrusted configs run no code: _target_ in files or overrides is refused, YAML is loaded safely."""

from __future__ import annotations

import pytest

from sim.config.trust import ALLOWED_TARGETS, check_dirs
from sim.errors import ConfigError
from tests.conftest import ROOT
from tests.integration.test_cli_errors import run


def write(folder, text):
    (folder / "experiment").mkdir(parents=True, exist_ok=True)
    (folder / "experiment" / "shared.yaml").write_text(text)


@pytest.mark.parametrize(
    "text",
    [
        "# @package _global_\nhydra:\n  callbacks:\n    x:\n      _target_: os.system\n      command: touch {flag}\n",
        "# @package _global_\ncity:\n  grid:\n    x:\n      _target_: os.system\n",
        "# @package _global_\nlabel: !!python/object/apply:os.system ['touch {flag}']\n",
    ],
)
def test_shared_config_with_code_is_refused_and_runs_nothing(tmp_path, text):
    flag = tmp_path / "pwned"
    write(tmp_path / "cfg", text.format(flag=flag))
    r = run("--config-dir", str(tmp_path / "cfg"), "experiment=shared", "city=small_town",
            f"hydra.run.dir={tmp_path / 'run'}")
    assert r.returncode == 2, r.stderr
    assert r.stderr.startswith("coldgrid: error: ") and len(r.stderr.strip().splitlines()) == 1
    assert "shared.yaml" in r.stderr
    assert not flag.exists()
    assert not (tmp_path / "run" / "result.nc").exists()


def test_project_configs_use_only_allowed_targets():
    check_dirs([ROOT / "configs"])  # raises if a shipped config names anything else
    assert "os.system" not in ALLOWED_TARGETS


def test_check_dirs_names_the_file(tmp_path):
    write(tmp_path, "hydra:\n  launcher:\n    _target_: builtins.eval\n")
    with pytest.raises(ConfigError, match=r"shared\.yaml: hydra\.launcher\._target_=builtins\.eval"):
        check_dirs([tmp_path])
