"""Smoke test of the benchmark code path with tiny sizes (no timings are asserted)."""

import json

from benchmarks.headline import bare_numpy_steps_per_s, bare_simpy_events_per_s, main


def test_baselines_run():
    assert bare_simpy_events_per_s(2000, 10) > 0
    assert bare_numpy_steps_per_s(2, 5, 3) > 0


def test_headline_code_path_tiny(capsys):
    figures = main(["--city", "small_town", "--realizations", "2", "--horizon-days", "1",
                    "--scaling", "2,4", "--thermal-steps", "2", "--sweep-jobs", "0"])
    last = capsys.readouterr().out.strip().splitlines()[-1]
    parsed = json.loads(last)
    for key in ("headline_s", "peak_memory_mb", "des_events_per_s", "des_ratio_vs_bare_simpy", "des_ms_per_realization",
                "des_simpy_runs_ratio_vs_bare_simpy",
                "thermal_steps_per_s", "thermal_ratio_vs_bare_numpy", "scaling_exponent"):
        assert key in parsed
    assert parsed == json.loads(json.dumps(figures))


def test_sweep_speedup_code_path_tiny():
    from benchmarks.headline import sweep_speedup

    basic_s, joblib_s = sweep_speedup(2, ["city=small_town", "realizations=1", "horizon_days=1"])
    assert basic_s > 0 and joblib_s > 0
