"""Hand-computed cases for the figure table (sim.keyfigures), its statistics (sim.stats) and the triggers."""

from __future__ import annotations

import os
import subprocess
import sys

import numpy as np
import pandas as pd
import pytest
import xarray as xr

from sim import keyfigures, stats
from sim.keyfigures import Settings
from sim.report.triggers import trigger_table

TIME = pd.date_range("2026-01-29", periods=8, freq="h").values


def _buildings(series: list[list[float]]) -> xr.Dataset:
    arr = np.asarray(series, dtype=float)[:, :, None]
    return xr.Dataset(
        {"buildings_without_heat": (("realization", "time", "district"), arr, {"units": "1"})},
        coords={"realization": np.arange(arr.shape[0]), "time": TIME[: arr.shape[1]], "district": ["A"]},
    )


class TestRestoreDays:
    """Days from the peak until buildings without heat fall to a share of the peak, by hand."""

    def test_default_share_is_a_tenth(self):
        # hourly: peak 100 at h1; 10 (= 10 % of it) first at h6 -> 5 h; 50 % would be reached at h4
        ds = _buildings([[0, 100, 80, 60, 40, 20, 10, 5]])
        v = stats.headline_values(ds)
        np.testing.assert_allclose(v["days_to_restore_heat"], [5 / 24])

    def test_share_from_the_run_config(self):
        ds = _buildings([[0, 100, 80, 60, 40, 20, 10, 5]])
        ds.attrs["config"] = "output:\n  restored_frac: 0.5\n"
        np.testing.assert_allclose(stats.headline_values(ds)["days_to_restore_heat"], [3 / 24])
        np.testing.assert_allclose(stats.headline_values(ds, restored_frac=0.2)["days_to_restore_heat"], [4 / 24])

    def test_censored_and_zero(self):
        ds = _buildings([[0, 100, 90, 90, 90, 90, 90, 90], [0] * 8])
        # never back: censored at the end of the run (h8) -> 7 h, a lower bound; no peak: 0
        np.testing.assert_allclose(stats.headline_values(ds)["days_to_restore_heat"], [7 / 24, 0.0])


class TestMedianCI:
    @pytest.mark.parametrize(("n", "lo", "hi"), [(10, 2, 9), (20, 6, 15), (100, 40, 61)])
    def test_order_statistics(self, n, lo, hi):
        """Distribution-free 95 % intervals of the median: [x_(2), x_(9)] for n = 10, [x_(6), x_(15)] for
        n = 20 and [x_(40), x_(61)] for n = 100 (tables of Conover 1999, Table A3 / binomial tails)."""
        x = np.arange(1.0, n + 1)[::-1].copy()  # unsorted input
        a, b, cov = stats.median_ci(x, 0.95)
        assert (a, b) == (lo, hi) and cov >= 0.95

    def test_rule(self):
        s = Settings(mc_rel_tolerance=0.05)
        tight = np.full(50, 100.0) + np.linspace(-1, 1, 50)
        wide = np.linspace(0, 200, 50)
        assert stats.mc_error(tight, s)["enough"] and not stats.mc_error(wide, s)["enough"]
        assert not stats.mc_error(np.array([1.0, 2.0, 3.0]), s)["enough"]  # too few runs for 95 %
        assert stats.mc_error(np.zeros(30), s) == {"ci_low": 0.0, "ci_high": 0.0, "rel_error": 0.0, "enough": True}


def test_ranking_probability_by_hand():
    """3 districts, 4 runs, top 1: A is worst in runs 0, 1, 2 and C in run 3 -> P(A) = 0.75, P(C) = 0.25."""
    rates = np.array([[9, 1, 2], [9, 2, 1], [5, 4, 3], [1, 2, 8]], dtype=float)  # person-days per person
    ds = xr.Dataset(
        {
            "person_hours_below_threshold": (("realization", "threshold", "district"), 24.0 * rates[:, None, :]),
            "population": ("district", [1000.0, 1000.0, 1000.0]),
        },
        coords={"threshold": [12.0], "district": ["A", "B", "C"]},
    )
    r = keyfigures.district_ranking(ds, Settings(top_districts=1))
    assert list(r["district"].values) == ["A", "C", "B"]
    np.testing.assert_allclose(r["p_top"].values, [0.75, 0.25, 0.0])


def _trigger_ds() -> xr.Dataset:
    """2 runs, 10 hourly steps, 1 district with 100 blocks and 10 places.

    Run 0: blocks without heat 50 from h2 on; outdoor -20; demand 0 until h5, then 30 (peak 40 at h7).
    Run 1: 50 blocks without heat only at h2-h3; outdoor -5; no demand.
    """
    T = 10
    blocks = np.zeros((2, T))
    blocks[0, 2:] = 50
    blocks[1, 2:4] = 50
    outdoor = np.stack([np.full(T, -20.0), np.full(T, -5.0)])
    demand = np.zeros((2, T))
    demand[0, 5:] = 30.0
    demand[0, 7] = 40.0
    return xr.Dataset(
        {
            "buildings_without_heat": (("realization", "time", "district"), blocks[:, :, None]),
            "outdoor_temperature": (("realization", "time"), outdoor),
            "heating_point_demand_by_district": (("realization", "time", "district"), demand[:, :, None]),
            "heating_point_capacity_by_district": ("district", [10.0]),
            "apartment_buildings": ("district", [100]),
        },
        coords={"realization": [0, 1], "time": pd.date_range("2026-01-29", periods=T, freq="h").values,
                "district": ["A"], "katotth": ("district", ["UA1"])},
    )


def test_trigger_by_hand():
    """Trigger: blocks without heat > 20 (20 % of 100) for 3 h and forecast minimum < -10 degC.

    Run 0: the 3-hour window h2-h4 is complete at h4 -> fires at h4; shortfall after: 40 - 10 = 30 places at
    h7; demand peaks at h7 -> lead 3 h. Run 1: never 3 h in a row, and too warm -> does not fire.
    """
    s = Settings(trigger_forecast_min_c=(-10.0,), trigger_blocks_frac=(0.2,), trigger_sustained_h=3.0,
                 trigger_forecast_days=1.0, trigger_min_probability=0.5)
    t = trigger_table(_trigger_ds(), s)
    city = t[t["adm5_name"] == ""].iloc[0]
    assert city["blocks_without_heat_over"] == 20 and bool(city["chosen"])
    assert city["runs_triggered"] == 0.5 and city["probability"] == 1.0 and city["hit_rate"] == 1.0
    assert city["trigger_day_p50"] == pytest.approx(4 / 24)
    assert city["lead_time_days_p50"] == pytest.approx(3 / 24)
    assert city["places_to_open_p50"] == 30.0
    district = t[t["adm5_name"] == "A"].iloc[0]
    assert district["adm5_code"] == "UA1" and district["places_to_open_p50"] == 30.0


def test_spell_figures_agree_with_the_72h_count():
    from tests.unit.report_fixtures import make_run

    ds = make_run()
    # the fixture's severe count is 0.4 x (24 h count); its spell histogram is half the 16 degC one: make
    # them consistent by construction and check that both definitions then agree
    edges = ds["duration_bin"].values
    hist = ds["severe_spell_histogram"].values.copy()
    hist[:, edges >= 72, :] = 0.0
    hist[:, list(edges).index(72.0), :] = ds["people_severe_cold"].sum("district").values
    ds["severe_spell_histogram"] = (ds["severe_spell_histogram"].dims, hist)
    v = keyfigures.values(ds)
    assert "spell_12c_65plus_48h" in v and "spell_12c_65plus_72h" not in v  # 72 h is people_cold_72h_65plus
    np.testing.assert_allclose(
        keyfigures._spell("severe_spell_histogram", "65plus", 72.0)(ds, Settings()), v["people_cold_72h_65plus"]
    )


def test_settings_follow_the_config_keys():
    ds = xr.Dataset(attrs={"config": "people:\n  long_exposure_c: 15\n  severe_exposure_c: 10\n  severe_exposure_h: 48\n"
                                     "output:\n  interval_pct: 80\n  reduction_frac: 0.5\n  top_districts: 2\n"})
    s = Settings.from_dataset(ds)
    assert (s.long_c, s.severe_c, s.severe_h, s.reduction_frac, s.top_districts) == (15.0, 10.0, 48.0, 0.5, 2)
    assert s.percentiles == (10.0, 50.0, 90.0) and s.pct_names == ("p10", "p90")


def test_exposure_imports_no_config():
    """The people stage does not import the config stage's validation (issue 20: no import against the
    flow config -> ... -> people -> io)."""
    code = "import sys, sim.exposure, sim.people, sim.needs; print(sorted(m for m in sys.modules if m.startswith('sim.config')))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


class TestConfigOf:
    """config_of parses a run's config once per text; every call still gets a dict of its own."""

    def test_a_changed_result_does_not_reach_the_next_call(self):
        ds = xr.Dataset(attrs={"config": "people:\n  danger_c: 5\noutput:\n  trigger_blocks_frac: [0.1, 0.2]\n"})
        first = keyfigures.config_of(ds)
        first["people"]["danger_c"] = 99
        first["output"]["trigger_blocks_frac"].append(0.3)
        first["seed"] = 1
        assert keyfigures.config_of(ds) == {"people": {"danger_c": 5}, "output": {"trigger_blocks_frac": [0.1, 0.2]}}
        assert Settings.from_dataset(ds).danger_c == 5.0
        assert Settings.from_dataset(ds).trigger_blocks_frac == (0.1, 0.2)

    def test_each_text_is_parsed_once_and_a_new_text_is_read(self):
        keyfigures._parsed_config.cache_clear()
        ds = xr.Dataset(attrs={"config": "people:\n  danger_c: 4\n"})
        for _ in range(3):
            assert keyfigures.config_of(ds) == {"people": {"danger_c": 4}}
        info = keyfigures._parsed_config.cache_info()
        assert (info.misses, info.hits) == (1, 2)
        ds.attrs["config"] = "people:\n  danger_c: 3\n"  # same Dataset, new text: read anew
        assert keyfigures.config_of(ds) == {"people": {"danger_c": 3}}

    @pytest.mark.skipif(not hasattr(os, "fork"), reason="os.fork is POSIX only")
    def test_a_forked_child_parses_anew(self):
        """mutmut runs each mutant in a fork of a process that ran the tests: a cache inherited from it
        would hide the mutated parser."""
        ds = xr.Dataset(attrs={"config": "people:\n  danger_c: 2\n"})
        keyfigures.config_of(ds)
        assert keyfigures._parsed_config.cache_info().currsize >= 1
        pid = os.fork()
        if pid == 0:  # the child: exit 0 only if its cache starts empty and the text is parsed again
            ok = keyfigures._parsed_config.cache_info().currsize == 0
            ok = ok and keyfigures.config_of(ds) == {"people": {"danger_c": 2}}
            ok = ok and keyfigures._parsed_config.cache_info().misses == 1
            os._exit(0 if ok else 1)
        _, status = os.waitpid(pid, 0)
        assert os.waitstatus_to_exitcode(status) == 0
        assert keyfigures._parsed_config.cache_info().currsize >= 1  # the parent keeps its cache

    def test_the_parser_reads_a_composed_config_as_pyyaml_safe_load_does(self):
        import yaml
        from omegaconf import OmegaConf

        from tests.conftest import compose_config

        text = OmegaConf.to_yaml(compose_config(["experiment=pause_vs_continued"]), resolve=True)
        assert keyfigures.config_of(xr.Dataset(attrs={"config": text})) == yaml.safe_load(text)
