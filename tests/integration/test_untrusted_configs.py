"""Untrusted configs run no code: the trust boundary of sim.config.trust, tried as a user would.

Each case reproduces a way around "configs never run code" found on the main branch (issue 17): it is
refused with one line and exit status 2, and the file the payload would create never appears. The real
command runs the spellings of --config-dir, the alias bomb and the accepted configs; the other refusals
run through its main in this process (tests/cli_runner.py: the same check, the same one line and status,
without seconds of start-up each; a payload that got through would create its file here as well).
"""

from __future__ import annotations

import pickle
import time

import pytest
from omegaconf import OmegaConf

from sim.config.trust import ALLOWED_TARGETS, check_composed, check_user_dir, compose, parse_command_line
from sim.errors import ConfigError
from tests.cli_runner import run_in_process
from tests.conftest import ROOT
from tests.integration.test_cli_errors import run

SMALL = ["city=small_town", "realizations=1", "horizon_days=1", "output.report=false"]


def write(folder, text, name="shared"):
    (folder / "experiment").mkdir(parents=True, exist_ok=True)
    (folder / "experiment" / f"{name}.yaml").write_text(text)


def assert_refused(r, *expected):
    assert r.returncode == 2, r.stdout + r.stderr
    lines = [ln for ln in r.stderr.splitlines() if ln.strip()]
    assert len(lines) == 1 and lines[0].startswith("coldgrid: error: "), r.stderr
    for text in expected:
        assert text in lines[0], lines[0]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("# @package _global_\nhydra:\n  callbacks:\n    x:\n      _target_: os.system\n      command: touch {flag}\n",
         "_target_=os.system"),
        ("# @package _global_\ncity:\n  grid:\n    x:\n      _target_: os.system\n", "_target_=os.system"),
        ("# @package _global_\nlabel: !!python/object/apply:os.system ['touch {flag}']\n", "YAML tag"),
        # oc.create builds a _target_ node at resolve time: the scan of the file never saw a _target_ key
        ("# @package _global_\nhydra:\n  callbacks:\n    x: '${{oc.create:{{_target_: os.system, command: touch {flag}}}}}'\n",
         "resolver 'oc.create'"),
        # a logging factory needs no _target_: dictConfig calls "()" itself
        ("# @package _global_\nhydra:\n  job_logging:\n    filters:\n      x:\n        (): os.system\n        command: touch {flag}\n",
         "()=os.system"),
        ("# @package _global_\nhydra:\n  job_logging:\n    handlers:\n      file:\n        class: logging.FileHandler\n"
         "        filename: {flag}\n", "hydra.job_logging"),
        ("# @package hydra.job_logging\nroot:\n  level: INFO\n", "@package hydra.job_logging"),
        ("defaults:\n  - override /hydra/job_logging: none\n", "changes Hydra's own config"),
        # a shared file may not move the outputs, nor read the environment into the result's label
        ("# @package _global_\nhydra:\n  run:\n    dir: {flag}\n", "hydra.run.dir is not allowed"),
        ("# @package _global_\nlabel: ${{oc.env:HOME}}\n", "resolver 'oc.env'"),
        ("# @package _global_\nseed: ${{now:%s}}\n", "resolver 'now'"),
        ("# @package _global_\nlabel: '${{oc.decode:\"[1, 2]\"}}'\n", "resolver 'oc.decode'"),
    ],
)
def test_shared_config_with_code_is_refused_and_runs_nothing(tmp_path, text, expected):
    flag = tmp_path / "pwned"
    write(tmp_path / "cfg", text.format(flag=flag))
    r = run_in_process("--config-dir", str(tmp_path / "cfg"), "experiment=shared", *SMALL, f"hydra.run.dir={tmp_path / 'run'}")
    assert_refused(r, "shared.yaml", expected)
    assert not flag.exists()
    assert not (tmp_path / "run").exists()


#: Payloads Hydra 1.3 itself does not block (hydra/_internal/target_policy.py blocklists os.system, not these):
#: each creates the file {flag} when instantiated, so "the file never appears" can fail (see the control).
OPEN_TARGET = "_target_: builtins.open\n      file: {flag}\n      mode: w\n"
UNBLOCKED = {
    "callback builtins.open": ("# @package _global_\nhydra:\n  callbacks:\n    x:\n      " + OPEN_TARGET,
                               "_target_=builtins.open"),
    "oc.create builtins.open": ("# @package _global_\nhydra:\n  callbacks:\n    x: '${{oc.create:{{_target_: "
                                "builtins.open, file: {flag}, mode: w}}}}'\n", "resolver 'oc.create'"),
    "callback pathlib touch": ("# @package _global_\nhydra:\n  callbacks:\n    x:\n      _target_: "
                               "pathlib.Path.touch\n      _args_: ['{flag}']\n", "_target_=pathlib.Path.touch"),
}


def test_control_hydra_itself_would_run_the_unblocked_payloads(tmp_path):
    """Without coldgrid's check, Hydra instantiates these targets and the file appears: the payloads below
    are live, so their "never created" assertions can fail."""
    from hydra.utils import instantiate

    flag = tmp_path / "pwned"
    instantiate({"_target_": "builtins.open", "file": str(flag), "mode": "w"}).close()
    assert flag.exists()
    flag.unlink()
    instantiate({"_target_": "pathlib.Path.touch", "_args_": [str(flag)]})
    assert flag.exists()


@pytest.mark.parametrize("case", sorted(UNBLOCKED))
@pytest.mark.parametrize("spelling", [["--config-dir", "{d}"], ["--config-d", "{d}"], ["-cd={d}"]])
def test_payloads_hydra_does_not_block_are_refused_and_create_nothing(tmp_path, case, spelling):
    flag = tmp_path / "pwned"
    text, expected = UNBLOCKED[case]
    write(tmp_path / "cfg", text.format(flag=flag))
    args = [a.format(d=tmp_path / "cfg") for a in spelling]
    r = run_in_process(*args, "experiment=shared", *SMALL, f"hydra.run.dir={tmp_path / 'run'}")
    assert r.returncode == 2, r.stdout + r.stderr
    lines = [ln for ln in r.stderr.splitlines() if ln.strip()]
    assert len(lines) == 1 and lines[0].startswith("coldgrid: error: "), r.stderr
    if spelling[0] != "--config-d":  # the abbreviation is refused before any file is read
        assert expected in lines[0], lines[0]
    assert not flag.exists()
    assert not (tmp_path / "run").exists()


@pytest.mark.parametrize("spelling", [["--config-dir", "{d}"], ["--config-dir={d}"], ["-cd", "{d}"], ["-cd={d}"]])
def test_every_spelling_of_config_dir_is_checked(tmp_path, spelling):
    flag = tmp_path / "pwned"
    write(tmp_path / "cfg", f"# @package _global_\nhydra:\n  callbacks:\n    x:\n      _target_: os.system\n"
                            f"      command: touch {flag}\n")
    args = [a.format(d=tmp_path / "cfg") for a in spelling]
    r = run(*args, "experiment=shared", *SMALL, f"hydra.run.dir={tmp_path / 'run'}")
    assert_refused(r, "_target_=os.system")
    assert not flag.exists()


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (["--config-d", "{d}"], "unknown option --config-d (abbreviations are not accepted"),
        (["--config-p", "{d}"], "unknown option --config-p"),
        (["--config-path", "{d}"], "--config-path/-cp is not accepted"),
        (["-cp", "{d}"], "--config-path/-cp is not accepted"),
        (["--config-name", "shared"], "--config-name/-cn is not accepted"),
        (["--experimental-rerun", "{d}/config.pickle"], "--experimental-rerun is not accepted"),
        (["hydra.searchpath=[pkg://os]"], "only file:// folders"),
    ],
)
def test_flags_that_load_or_unpickle_are_refused(tmp_path, args, expected):
    flag = tmp_path / "pwned"
    (tmp_path / "cfg").mkdir()
    with open(tmp_path / "cfg" / "config.pickle", "wb") as f:
        pickle.dump(_Touch(str(flag)), f)
    r = run_in_process(*[a.format(d=tmp_path / "cfg") for a in args], *SMALL, f"hydra.run.dir={tmp_path / 'run'}")
    assert_refused(r, expected)
    assert not flag.exists()


class _Touch:
    """Unpickling this creates a file (what --experimental-rerun would do with a shared pickle)."""

    def __init__(self, path: str) -> None:
        self.path = path

    def __reduce__(self):
        return (open, (self.path, "w"))


def test_searchpath_folders_are_checked_too(tmp_path):
    write(tmp_path / "cfg", "# @package _global_\nlabel: ${oc.env:HOME}\n")
    r = run_in_process(f"hydra.searchpath=[file://{tmp_path / 'cfg'}]", "experiment=shared", *SMALL,
            f"hydra.run.dir={tmp_path / 'run'}")
    assert_refused(r, "shared.yaml", "oc.env")


def test_alias_bomb_anywhere_in_the_folder_is_refused_quickly(tmp_path):
    """A 486-byte YAML alias bomb (9 levels of 9 aliases: 9^9 = 387 million nodes) in a file that is never
    selected hung the old scan at 100 % CPU; the bounded scan refuses it in well under a second of work."""
    lines = ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    for prev, name in zip("abcdefgh", "bcdefghi", strict=True):
        lines.append(f"{name}: &{name} [{', '.join(['*' + prev] * 9)}]")
    bomb = "\n".join(lines) + "\n"
    assert len(bomb) < 600
    (tmp_path / "cfg" / "unused").mkdir(parents=True)
    (tmp_path / "cfg" / "unused" / "bomb.yaml").write_text(bomb)
    write(tmp_path / "cfg", "# @package _global_\nrealizations: 1\n")
    t0 = time.monotonic()
    r = run("--config-dir", str(tmp_path / "cfg"), "experiment=shared", *SMALL, f"hydra.run.dir={tmp_path / 'run'}")
    assert time.monotonic() - t0 < 60  # the old check never ended; the bound is for a loaded 2-core machine
    assert_refused(r, "bomb.yaml", "alias bomb")


def test_shared_experiment_with_values_and_sweep_is_accepted(tmp_path):
    write(tmp_path / "cfg", "# @package _global_\nrealizations: 1\nlabel: shared run\nhydra:\n  sweeper:\n"
                            "    params:\n      attacks: continued,none\n  callbacks:\n    collect:\n"
                            "      baseline: attacks=continued\n")
    check_user_dir(tmp_path / "cfg")  # no error
    r = run("--config-dir", str(tmp_path / "cfg"), "experiment=shared", "city=small_town", "horizon_days=1",
            "output.report=false", f"hydra.run.dir={tmp_path / 'run'}")
    assert r.returncode == 0, r.stderr
    assert (tmp_path / "run" / "result.nc").exists()


def test_label_with_target_in_its_value_is_not_refused(tmp_path):
    r = run("label=my_target_x", *SMALL, f"hydra.run.dir={tmp_path / 'run'}")
    assert r.returncode == 0, r.stderr
    assert "label: my_target_x" in r.stdout


def test_project_configs_pass_the_composed_check():
    """Every launcher preset of the project composes to a config the check accepts (only allowed targets,
    standard logging, allowed resolvers), and the shipped targets are the allowed ones."""
    for launcher in ("basic", "joblib"):
        cl = parse_command_line(["-m", f"hydra/launcher={launcher}", "experiment=pause_vs_continued"])
        cfg, options = compose(cl, ROOT / "configs")
        check_composed(cfg, options)
        assert cfg.hydra.launcher._target_ in ALLOWED_TARGETS
    assert "os.system" not in ALLOWED_TARGETS


def test_composed_check_refuses_a_target_built_at_resolve_time():
    """Even if a node arrives in the composed config by a route the file scan did not see, the composed
    check refuses it before Hydra instantiates anything."""
    cl = parse_command_line(["city=small_town"])
    cfg, options = compose(cl, ROOT / "configs")
    OmegaConf.update(cfg, "hydra.callbacks.evil", {"_target_": "os.system"}, force_add=True)
    with pytest.raises(ConfigError, match=r"hydra\.callbacks\.evil\._target_=os\.system"):
        check_composed(cfg, options)


def test_check_user_dir_names_the_file(tmp_path):
    write(tmp_path, "hydra:\n  launcher:\n    _target_: builtins.eval\n")
    with pytest.raises(ConfigError, match=r"shared\.yaml: hydra\.launcher\._target_=builtins\.eval"):
        check_user_dir(tmp_path)
