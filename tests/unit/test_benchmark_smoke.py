"""The benchmark's code path (``make bench``) at tiny sizes: the figures it prints are complete and agree
with one another. No timing is compared with a number (timings belong to ``make bench``); the checks
are the relations that hold whatever the machine: rates positive and finite (a DES that counted no
events would report 0), the stage timers inside the wall time they are part of, ratios of the printed
rates, the scaling table over the sizes asked for.
"""

import json
import math

import pytest

from benchmarks.headline import main, sweep_speedup

STAGES = ("city", "weather", "threat", "des", "thermal+people", "dataset")


@pytest.fixture(scope="module")
def tiny() -> tuple[dict, str]:
    """``benchmarks/headline.py`` on the small town: its figures and what it printed."""
    import contextlib
    import io

    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        figures = main(["--city", "small_town", "--realizations", "2", "--horizon-days", "1",
                        "--scaling", "2,4", "--thermal-steps", "2", "--thermal-repeats", "1", "--sweep-jobs", "0",
                        "--warm-memory-mb", "8"])
    return figures, out.getvalue()


def test_printed_json_is_the_returned_figures(tiny):
    figures, printed = tiny
    assert json.loads(printed.strip().splitlines()[-1]) == json.loads(json.dumps(figures))
    assert "headline (small_town, 1 d, 2 x 2 realizations)" in printed


def test_rates_are_positive_and_ratios_agree(tiny):
    f, _ = tiny
    for key in ("des_events_per_s", "bare_simpy_events_per_s", "thermal_steps_per_s", "bare_numpy_steps_per_s",
                "bare_numpy_rc3_steps_per_s",
                "headline_s", "peak_memory_mb", "des_ms_per_realization", "memory_first_touch_us_per_page", "des_simpy_runs_ratio_vs_bare_simpy"):
        assert math.isfinite(f[key]) and f[key] > 0, key
    assert f["des_ratio_vs_bare_simpy"] == pytest.approx(f["des_events_per_s"] / f["bare_simpy_events_per_s"],
                                                         rel=1e-3, abs=1e-4)
    for key in ("des_one_process_ms_per_realization", "des_processes_ms_per_realization", "des_processes_speedup",
                "des_one_process_ratio_vs_bare_simpy"):
        assert math.isfinite(f[key]) and f[key] > 0, key
    assert f["des_processes"] >= 1
    assert f["des_processes_speedup"] == pytest.approx(
        f["des_one_process_ms_per_realization"] / f["des_processes_ms_per_realization"],
        rel=1e-2)  # the two times are printed to 0.01 ms, and the small town's are about 2 ms
    assert f["thermal_ratio_vs_bare_numpy"] == pytest.approx(
        f["thermal_steps_per_s"] / f["bare_numpy_steps_per_s"], rel=1e-3, abs=1e-4)
    assert f["thermal_ratio_vs_bare_numpy_rc3"] == pytest.approx(
        f["thermal_steps_per_s"] / f["bare_numpy_rc3_steps_per_s"], rel=1e-3, abs=1e-4)


def test_stage_timers_cover_every_stage_within_the_wall_time(tiny):
    f, _ = tiny
    stages = f["stage_seconds"]
    assert set(stages) == set(STAGES)
    assert all(v >= 0 for v in stages.values())
    assert sum(stages.values()) <= f["headline_s"] + 0.01  # both runs' stages lie inside both runs' wall time


def test_scaling_table_has_the_sizes_asked_for(tiny):
    f, _ = tiny
    assert list(f["scaling"]) == ["2", "4"] and all(t > 0 for t in f["scaling"].values())
    assert math.isfinite(f["scaling_exponent"])
    assert f["sweep_basic_s"] is None and f["joblib_speedup"] is None  # --sweep-jobs 0 skips the comparison


@pytest.mark.slow
def test_sweep_speedup_times_complete_sweeps_only():
    small = ["city=small_town", "realizations=1", "horizon_days=1"]
    basic_s, joblib_s = sweep_speedup(2, small)
    assert basic_s > 0 and joblib_s > 0
    # a sweep whose jobs fail times nothing: the benchmark must refuse to report its time
    with pytest.raises(RuntimeError, match=r"basic sweep: 0 of 1 jobs wrote a result; failed jobs: \['0'\]"):
        sweep_speedup(1, [*small, "weather=file", "weather.path=/nonexistent/forecast.csv"])
