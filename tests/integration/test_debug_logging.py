"""Debug logging: a run at debug level says what each stage of the chain did, under the ``sim.*`` loggers
(one ``logging.getLogger(__name__)`` per module), and ``coldgrid --verbose`` shows those lines on the console."""

from __future__ import annotations

import logging
import subprocess
import sys

import pytest

from sim.run import run_job
from tests.conftest import compose_config

#: The stages of sim.chain.run_scenario_full, as sim.run logs their timings.
CHAIN_STAGES = ("city", "weather", "threat", "des", "thermal+people", "dataset")


def test_a_debug_run_logs_every_stage(tmp_path, caplog):
    cfg = compose_config(["city=small_town", "realizations=2", "horizon_days=1", "output.pdf=false",
                          "output.progress=never"])
    with caplog.at_level(logging.DEBUG, logger="sim"):
        run_job(cfg, tmp_path / "run", echo=lambda _text: None)
    by_logger: dict[str, list[str]] = {}
    for rec in caplog.records:
        by_logger.setdefault(rec.name, []).append(rec.getMessage())
    # each module logs under its own name
    for name, needle in [("sim.city", "city small_town: "), ("sim.weather", "weather cold_snap: 2 realizations"),
                         ("sim.threat", "threat continued: "), ("sim.people", "people: exposure at"),
                         ("sim.io", "result.nc"), ("sim.report.brief", "report: "), ("sim.run", "run: continued")]:
        assert any(needle in m for m in by_logger.get(name, [])), (name, by_logger.get(name))
    stage_lines = [m for m in by_logger["sim.run"] if m.startswith("stage ") and " done in " in m]
    assert [m.split()[1] for m in stage_lines] == list(CHAIN_STAGES)
    # nothing at debug level leaks into the "coldgrid" logger or the root logger from these modules
    assert not [r for r in caplog.records if r.name in ("coldgrid", "root") and r.levelno == logging.DEBUG]


@pytest.mark.slow
def test_verbose_flag_prints_debug_lines_on_the_console(tmp_path):
    out = tmp_path / "run"
    proc = subprocess.run(
        [sys.executable, "-m", "sim.cli", "--verbose", "city=small_town", "realizations=2", "horizon_days=1",
         "output.report=false", f"hydra.run.dir={out}"],
        cwd=tmp_path, capture_output=True, text=True, timeout=600,
    )
    assert proc.returncode == 0, proc.stderr[-2000:]
    console = proc.stdout + proc.stderr  # Hydra's console handler
    assert "[sim.city][DEBUG] - city small_town" in console, console[-2000:]
    assert "stage des done in" in console
    assert (out / "result.nc").exists()
    # without --verbose: no debug lines
    quiet = subprocess.run(
        [sys.executable, "-m", "sim.cli", "city=small_town", "realizations=2", "horizon_days=1",
         "output.report=false", f"hydra.run.dir={tmp_path / 'quiet'}"],
        cwd=tmp_path, capture_output=True, text=True, timeout=600,
    )
    assert quiet.returncode == 0, quiet.stderr[-2000:]
    assert "DEBUG" not in quiet.stdout + quiet.stderr
