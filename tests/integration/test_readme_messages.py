"""The README's table of messages ("When something goes wrong"), row by row (issue 17).

Every row of the table is a test case: the row's example message, with ``...`` (and ``<file>``) standing
for the text that varies, must match the one line coldgrid prints for an input that causes it, word for
word elsewhere. Rows whose condition cannot be made here in a few seconds (a finished run, a full disk, a
sweep, a signal, a model fault) name the test that produces it through the CLI; that test must check the
row's words. A new row without a case fails, so the table cannot drift from the code.
"""

from __future__ import annotations

import fcntl
import re
from pathlib import Path

import pytest

from tests.conftest import ROOT
from tests.properties.test_fuzz_overrides import _cli_in_process

SMALL = ["city=small_town", "realizations=1", "horizon_days=1", "output.report=false"]


def readme_messages() -> list[str]:
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    table = text[text.index("| message (example) | what to do |"):]
    table = table[: table.index("\n\n")]
    return [m.group(1) for m in re.finditer(r"^\| `(.+?)` \|", table, re.M)]


def pattern(message: str, numbers_vary: bool = False) -> re.Pattern:
    """The row's words in order; ``...`` and ``<file>`` match anything, digits too where the row's
    figures are examples (sizes, counts)."""
    parts = re.split(r"\.\.\.|<file>", message)
    out = []
    for part in parts:
        p = re.escape(part)
        if numbers_vary:
            p = re.sub(r"\d+(?:\\\.\d+)?", r"\\d+(?:\\.\\d+)?", p)
        out.append(p)
    return re.compile(".*?".join(out), re.S)


def _held_lock(tmp_path: Path) -> list[str]:
    folder = tmp_path / "held"
    folder.mkdir()
    handle = open(folder / ".coldgrid.lock", "a+", encoding="utf-8")  # noqa: SIM115 - released at exit
    fcntl.flock(handle.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
    _HELD.append(handle)
    return [*SMALL, f"hydra.run.dir={folder}"]


_HELD: list = []


def _shared_code(tmp_path: Path) -> list[str]:
    cfg = tmp_path / "cfg" / "experiment"
    cfg.mkdir(parents=True)
    (cfg / "shared.yaml").write_text("# @package _global_\nhydra:\n  callbacks:\n    x:\n      _target_: os.system\n")
    return ["--config-dir", str(tmp_path / "cfg"), "experiment=shared", *SMALL, f"hydra.run.dir={tmp_path / 'r'}"]


def _file_in_the_way(tmp_path: Path) -> list[str]:
    (tmp_path / "blocker").write_text("x")
    return [*SMALL, f"hydra.run.dir={tmp_path / 'blocker' / 'run'}"]


def _used_sweep_folder(tmp_path: Path) -> list[str]:
    (tmp_path / "sw").mkdir()
    (tmp_path / "sw" / "multirun.yaml").write_text("hydra: {}\n")
    return ["-m", *SMALL, "attacks=continued,pause_week", f"hydra.sweep.dir={tmp_path / 'sw'}"]


#: row -> the input (overrides, or a function of tmp_path giving them) run in this process
IN_PROCESS = {
    "city=paris: unknown option; valid: kyiv, small_town": ["city=paris"],
    "foo: unknown key (see coldgrid --help or coldgrid --cfg job)": ["+foo=1"],
    "realizations: Value 'abc' of type 'str' could not be converted to Integer": ["realizations=abc"],
    "realizations=0: must be an integer in [1, 100000]": ["realizations=0"],
    "weather.min_temperature_c=-80.0: must be between -60 degC and the heating threshold (8 degC)":
        ["weather.min_temperature_c=-80"],
    "attacks.intercept_drone_prob=1.5: must be a probability in [0, 1]": ["attacks.intercept_drone_prob=1.5"],
    "attacks.drones=1e+308: must be between 0 and 10000 per wave": ["attacks.drones=1e308"],
    "buildings.indoor_setpoint_c=100: must be between 10 and 30 degC (an indoor setpoint of a heated home)":
        ["buildings.indoor_setpoint_c=100"],
    "horizon_days=0.01: shorter than one time step (dt_minutes=60)": ["horizon_days=0.01"],
    "start=1600-01-01: outside the dates a run can cover (1677-09-22 .. 2262-04-11)": ["start=1600-01-01"],
    "start=2026-01-29T00:00+02:00: give the local time of the city without a UTC offset ...":
        ["start=2026-01-29T00:00+02:00"],
    "label: Interpolation key 'nope' not found": ["label=${nope}"],
    "~seed: keys cannot be removed ...": ["~seed"],
    "seed: resolver 'now' is not allowed in the job's config: give the value itself, ...": ["seed=${now:%s}"],
    "+x._target_: '_target_' is not allowed in coldgrid configs (configs never run code)": ["+x._target_=os.system"],
    "<file>.yaml: hydra.callbacks.x._target_=os.system is not allowed (coldgrid configs never run code)": _shared_code,
    "command line: unknown option --config-d (abbreviations are not accepted; ...)": ["--config-d", "x"],
    "--experimental-rerun is not accepted by coldgrid: it unpickles a file, ...": ["--experimental-rerun", "x"],
    "weather.path: weather=file needs weather.path=<CSV or NetCDF file>": ["weather=file"],
    "hydra.run.dir=...: another coldgrid run is writing into this folder; ...": _held_lock,
    "hydra.sweep.dir=... already holds a sweep; choose another folder (...), or add resume=true ...":
        _used_sweep_folder,
    "hydra.run.dir='': an empty folder name would write into the current folder; give a folder": ["hydra.run.dir="],
    "hydra.run.dir=...: cannot create the output folder (a file is in the way where a folder should be)":
        _file_in_the_way,
}

#: row -> (test file, the test that makes the condition through the CLI or in process, regex it must hold)
ELSEWHERE = {
    "weather file f.csv: line 4: time 2026-01-29 01:00:00 is before the previous time ...; times must increase":
        ("tests/unit/test_weather.py", r"line 4: time .\* is before the previous time"),
    ".../result.nc exists; choose another hydra.run.dir or remove it (...)":
        ("tests/integration/test_cli_outputs.py", r"result\.nc exists"),
    "resume: .../result.nc was made from another config (config_hash differs); ...":
        ("tests/integration/test_sweep_integrity.py", r"made from another config"),
    "...: the outputs need about 900 MB but only 300 MB is free; use realizations=... or fewer, ...":
        ("tests/integration/test_cli_outputs.py", r"MB but only 3 MB is free"),
    "cannot write ...: no space left on the device; ... (finished files were not touched)":
        ("tests/integration/test_cli_outputs.py", r"no space left on the device"),
    "result would contain NaN or inf in: ... (a model fault; please report it)":
        ("tests/integration/test_readme_messages.py", r"result would contain NaN or inf in"),
    "this run needs about 30.2 GiB but only 20.1 GiB is available (it may plan 80%: 16.1 GiB); use "
    "realizations=600 or fewer ...":
        ("tests/unit/test_memory.py", r"it may plan 80%"),
    "this nowcast needs about 18.3 GiB with 3 rejuvenations of 1000 realizations but only 19.0 GiB is available "
    "(...); use nowcast.restart_realizations=... or fewer, ...":
        ("tests/integration/test_cli_nowcast.py", r"this nowcast needs about "),
    "coldgrid: interrupted; no partial result was written":
        ("tests/integration/test_interrupt.py", r"coldgrid: interrupted; no partial result was written"),
    "coldgrid: error: 1 of 8 sweep jobs failed; see .../failed.txt":
        ("tests/integration/test_sweep_integrity.py", r"coldgrid: error: 1 of 2 sweep jobs failed"),
}

NUMBERS_VARY: set[str] = set()  # rows whose figures are examples (none run here)


def test_every_row_has_a_case():
    rows = readme_messages()
    assert len(rows) >= 30
    assert set(rows) == set(IN_PROCESS) | set(ELSEWHERE), (set(rows) ^ (set(IN_PROCESS) | set(ELSEWHERE)))


@pytest.mark.parametrize("message", sorted(IN_PROCESS))
def test_readme_row_is_what_coldgrid_prints(tmp_path, message):
    args = IN_PROCESS[message]
    args = args(tmp_path) if callable(args) else ["city=small_town", *args]
    if not any(a.startswith(("hydra.run.dir", "hydra.sweep.dir")) for a in args):
        args = [*args, f"hydra.run.dir={tmp_path / 'run'}"]
    try:
        code, err = _cli_in_process(args)
    finally:
        while _HELD:
            _HELD.pop().close()
    lines = [ln for ln in err.splitlines() if ln.strip()]
    assert code == 2, (args, err)
    assert len(lines) == 1 and lines[0].startswith("coldgrid: error: "), err
    shown = lines[0].removeprefix("coldgrid: error: ")
    body = message.removeprefix("coldgrid: error: ")
    assert pattern(body, message in NUMBERS_VARY).match(shown), (message, shown)


@pytest.mark.parametrize("message", sorted(ELSEWHERE))
def test_readme_row_is_checked_by_a_named_test(message):
    path, regex = ELSEWHERE[message]
    assert re.search(regex, (ROOT / path).read_text(encoding="utf-8")), (path, regex)


def test_a_result_with_nan_is_refused_in_one_line(tmp_path):
    """The "model fault" row: a result holding NaN is never written (sim.io refuses it)."""
    import numpy as np
    import xarray as xr

    from sim.errors import ColdgridError
    from sim.io import write_netcdf

    ds = xr.Dataset({"people_below_threshold": (("time",), np.array([1.0, np.nan]))})
    with pytest.raises(ColdgridError) as e:
        write_netcdf(ds, tmp_path / "result.nc")
    assert "result would contain NaN or inf in: people_below_threshold" in str(e.value)
    assert "(a model fault; please report it)" in str(e.value)
    assert not (tmp_path / "result.nc").exists()
