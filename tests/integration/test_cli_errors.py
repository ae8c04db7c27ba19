"""The CLI as a user sees it: help, and one-line errors with exit status 2 for bad input."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from tests.cli_runner import run_in_process
from tests.conftest import ROOT

COLDGRID = str(Path(sys.executable).with_name("coldgrid"))


def run(*args: str, cwd: Path = ROOT) -> subprocess.CompletedProcess:
    """The real ``coldgrid`` command in a subprocess (seconds of start-up each: the error tests use
    :func:`tests.cli_runner.run_in_process`, and a few of them both)."""
    return subprocess.run([COLDGRID, *args], capture_output=True, text=True, cwd=cwd, timeout=120)


def test_help_lists_groups_options_and_descriptions():
    r = run("--help")
    assert r.returncode == 0
    for group in ("city", "weather", "attacks", "repair", "buildings", "people", "hydra/launcher"):
        assert f"\n  {group}\n" in r.stdout
    for option in ("kyiv", "small_town", "cold_snap", "pause_week", "single_wave", "total_heat_loss", "joblib"):
        assert f"    {option} " in r.stdout
    line = next(ln for ln in r.stdout.splitlines() if ln.strip().startswith("pause_week"))
    assert len(line.split(maxsplit=1)[1]) > 20  # a real description


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (["city=paris"], "city=paris: unknown option; valid: kyiv, small_town"),
        (["foo=1"], "foo: unknown key"),
        (["weather.nope=3"], "weather.nope: unknown key"),
        (["realizations=abc"], "realizations"),
        (["realizations=0"], "realizations=0: must be"),
        (["horizon_days=400"], "horizon_days=400"),
        (["repair.heat_crews=-2"], "repair.heat_crews=-2"),
        (["attacks.intercept_cruise_prob=2"], "attacks.intercept_cruise_prob=2"),
        (["weather.min_temperature_c=-80"], "weather.min_temperature_c=-80"),
        (["+city.grid.x._target_=os.system"], "'_target_' is not allowed"),
        (["weather=file"], "weather.path"),
        # issue 17: these ran silently, printed two lines, or were refused for a harmless value
        (["experiment=nope"], "experiment=nope: unknown option; valid: "),
        (["+foo=1"], "foo: unknown key"),
        (["~seed"], "~seed: keys cannot be removed"),
        (["label=${nope}"], "label: Interpolation key 'nope' not found"),
        (["realizations=${nope}"], "realizations: Interpolation key 'nope' not found"),
        (["-m", "--cfg", "job"], "give only one of"),
        # input audit: these gave a traceback, or ran on a value that was silently changed or misread
        (["nowcast.observations=r.csv", "nowcast.as_of=''"], "nowcast.as_of=: not an ISO 8601 time"),
        (["nowcast.observations=r.csv", "nowcast.as_of=NaT"], "nowcast.as_of=NaT: not an ISO 8601 time"),
        (["nowcast.observations=r.csv", "nowcast.as_of=now"], "nowcast.as_of=now: not an ISO 8601 time"),
        (["nowcast.observations=r.csv", "nowcast.as_of=1"], "nowcast.as_of=1: not an ISO 8601 time"),
        (["nowcast.observations=r.csv", "nowcast.as_of=2026-01-29T12:00+05:00"], "without a UTC offset"),
        (["city.utc_offset_h=30"], "city.utc_offset_h must be a time-zone offset in [-12, 14] hours, got 30"),
        (["city.buildings_per_group=0"], "city.buildings_per_group must be an integer >= 1, got 0"),
        (["people.heating_points_by_district={North:5}"],
         "people.heating_points_by_district={North:5}: this mapping is null by default"),
        (["people.heating_points_by_district.North=5"],
         "people.heating_points_by_district.North=5: this mapping is null by default"),
        # input audit: the key inside a list entry was named alone ("day: Value 'abc' ...")
        (["attacks=waves", "attacks.waves=[{day:abc,drones:100}]"],
         "attacks.waves[].day: Value 'abc' of type 'str' could not be converted to Float"),
        (["attacks.hits=[{node:TS-1,dya:1}]"], "attacks.hits[].dya: unknown key"),
        # input audit: the grid rounded it to 41 steps (1.708 days), silently
        (["horizon_days=1.7"], "horizon_days=1.7: not a whole number of time steps (40.8 steps of dt_minutes=60)"),
        (["output.progress=sometimes"], "output.progress: must be one of auto, always, never (got 'sometimes')"),
        (["attacks=waves"], "attacks.waves: empty; attacks=waves runs the waves listed"),
        (["attacks=waves", "horizon_days=3", "attacks.waves=[{day:30,drones:100}]"],
         "attacks.waves: every wave is on day 30 or later, at or after the end of the run (horizon_days=3)"),
        (["attacks=single_wave", "horizon_days=3", "attacks.day=5"], "attacks.day=5: at or after the end of the run"),
        # a continued run whose first wave comes after the end is attacks=none under another name; a pause that
        # begins after the end is attacks=continued under the name of a pause (both ran without a word)
        (["horizon_days=3", "attacks.first_wave_day=5"],
         "attacks.first_wave_day=5: at or after the end of the run (horizon_days=3); no wave would strike"),
        (["attacks=pause_then_surge", "horizon_days=3", "attacks.pause_start_day=3"],
         "attacks.pause_start_day=3: at or after the end of the run (horizon_days=3); the pause would never begin "
         "and attacks=pause_then_surge would run as attacks=continued"),
        (["city=small_town", "attacks.hits=[{node:TS-1,day:1},{node:TS-1,day:1,damage:severe}]"],
         "attacks.hits[1]: the same node (TS-1) and day (1) as attacks.hits[0]"),
    ],
)
def test_bad_input_is_one_line_exit_2(tmp_path, args, expected):
    r = run_in_process(*args, f"hydra.run.dir={tmp_path / 'run'}")
    _check_one_line_exit_2(r, tmp_path, expected)


# the real command for a few of the cases above: an error of composition, of validation, of an interpolation
# and of the command line, as the console script prints them (the others run in this process)
@pytest.mark.parametrize(("args", "expected"), [
    (["city=paris"], "city=paris: unknown option; valid: kyiv, small_town"),
    (["realizations=0"], "realizations=0: must be"),
    (["label=${nope}"], "label: Interpolation key 'nope' not found"),
    (["-m", "--cfg", "job"], "give only one of"),
])  # fmt: skip
def test_bad_input_through_the_real_command(tmp_path, args, expected):
    r = run(*args, f"hydra.run.dir={tmp_path / 'run'}")
    _check_one_line_exit_2(r, tmp_path, expected)


def _check_one_line_exit_2(r: subprocess.CompletedProcess, tmp_path: Path, expected: str) -> None:
    assert r.returncode == 2, r.stderr
    lines = [ln for ln in r.stderr.splitlines() if ln.strip()]
    assert len(lines) == 1, r.stderr
    assert lines[0].startswith("coldgrid: error: ")
    assert expected in lines[0]
    assert "Traceback" not in r.stderr
    assert not (tmp_path / "run" / "result.nc").exists()


def test_heating_points_of_an_unknown_district_are_refused_before_the_run(tmp_path):
    """Input audit: on main a district name not in city.districts was a ValueError traceback mid-run."""
    (tmp_path / "cfg" / "experiment").mkdir(parents=True)
    (tmp_path / "cfg" / "experiment" / "hp.yaml").write_text(
        "# @package _global_\npeople:\n  heating_points_by_district: {Nord: 5}\n")
    r = run_in_process("--config-dir", str(tmp_path / "cfg"), "experiment=hp", "city=small_town",
                       "realizations=1", "horizon_days=1", f"hydra.run.dir={tmp_path / 'run'}")
    assert r.returncode == 2, r.stderr
    lines = [ln for ln in r.stderr.splitlines() if ln.strip()]
    assert lines == ["coldgrid: error: people.heating_points_by_district.Nord: unknown district; valid: North, South"]
    assert not (tmp_path / "run").exists()


def test_run_that_cannot_fit_in_memory_is_refused_before_it_starts(tmp_path):
    r = run_in_process("realizations=100000", f"hydra.run.dir={tmp_path / 'run'}")
    assert r.returncode == 2
    assert "GiB but only" in r.stderr and "realizations=" in r.stderr and "or fewer" in r.stderr
    assert len(r.stderr.strip().splitlines()) == 1
    assert not (tmp_path / "run" / "result.nc").exists()


README_ROWS = {
    # README "When something goes wrong": the example message of a row -> overrides that produce it
    "city=paris: unknown option; valid: kyiv, small_town": ["city=paris"],
    "foo: unknown key (see coldgrid --help or coldgrid --cfg job)": ["+foo=1"],
    "realizations=0: must be an integer in [1, 100000]": ["realizations=0"],
    "attacks.intercept_drone_prob=1.5: must be a probability in [0, 1]": ["attacks.intercept_drone_prob=1.5"],
    "attacks.drones=1e+308: must be between 0 and 10000 per wave": ["attacks.drones=1e308"],
    "horizon_days=0.01: shorter than one time step (dt_minutes=60)": ["horizon_days=0.01"],
    "start=1600-01-01: outside the dates a run can cover (1677-09-22 .. 2262-04-11)": ["start=1600-01-01"],
    "start=2026-01-29T00:00+02:00: give the local time of the city without a UTC offset":
        ["start=2026-01-29T00:00+02:00"],
    "label: Interpolation key 'nope' not found": ["label=${nope}"],
    "~seed: keys cannot be removed": ["~seed"],
    "seed: resolver 'now' is not allowed in the job's config: give the value itself,": ["seed=${now:%s}"],
    "command line: unknown option --config-d (abbreviations are not accepted;": ["--config-d", "x"],
    "--experimental-rerun is not accepted by coldgrid: it unpickles a file,": ["--experimental-rerun", "x"],
    "hydra.run.dir='': an empty folder name would write into the current folder; give a folder":
        ["hydra.run.dir="],
}


def test_readme_table_of_messages_is_true(tmp_path):
    """Each example message of the README's table is what coldgrid prints for the matching input."""
    from tests.properties.test_fuzz_overrides import _cli_in_process

    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    for message, args in README_ROWS.items():
        assert f"`{message}" in readme, message
        extra = [] if any(a.startswith("hydra.run.dir") for a in args) else [f"hydra.run.dir={tmp_path / 'run'}"]
        code, err = _cli_in_process(["city=small_town", *args, *extra])
        assert code == 2, (args, err)
        assert err.startswith(f"coldgrid: error: {message}"), (args, err)
