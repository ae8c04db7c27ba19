"""Validation (self-consistency): the nowcast filter against an identical twin (sim.validation.nowcast).

A perfect-model experiment (Evensen 2009, *Data Assimilation*, ch. 4): realization 0 of a run with another
seed plays the city, its reports of the first two days are drawn from the nowcast's own error model, and an
80-realization ensemble is conditioned on them (Kyiv, ``attacks=continued``, 7 days). The truth comes from
the model itself, so this checks the filter's self-consistency, not the model against the world; nothing in
it was fitted. One run of 50 truths (seeds 20262129-20262178, ``TWIN_VALIDATION``); the quick test's six
truths (``TWIN_QUICK``, seeds 20262129-20262134) are its first six (each truth is run on its own).

Criteria:

* **Analysis** (the state at the last report time, which the filter has seen), on the quick test's six
  truths: the conditioned ensemble is closer to the truth than the prior by the CRPS of buildings without
  heat per district, in every truth, with mean skill above 0.5. A filter that ignored or inverted the
  reports would fail this. The thresholds were set after a first run of these settings (mean skill 0.91,
  lowest 0.65): they are a regression guard below the measured figures, not a design target.
* **Forecast, restated** (days 2-7; docs/nowcast.md "The forecast criterion restated", written before it
  was run): over the 50 truths the conditioned forecast is better in at least 32, a one-sided sign test at
  the 5 % level (P(B(50, 1/2) >= 32) = 0.032), and the mean skill is above 0. The reference is the
  unconditioned ensemble of the same run; the level is the usual 5 %, not tuned.
* **Collapses are said**: every truth whose final effective sample size is below
  ``nowcast.collapse_ess_frac`` R has the status "nowcast collapsed".
* **Forecast, the design's criterion** (mean CRPS skill above 0.1, better than the unconditioned forecast
  in at least 70 % of the quick test's six truths, no collapse): **not met** (measured on these truths,
  once: mean skill +0.07, 4 of 6 better, 2 collapses; the filters before it, each once: -0.24, 3 of 6, 3
  collapses; -0.30, 2 of 6, 4 collapses); beyond the oracle on some truth sets (docs/nowcast.md). It is an
  xfail (strict), so that a filter which meets it turns this test red until the marker is removed.

The filter was changed and tuned on other truths (seeds 20263129-20263148, docs/nowcast.md "The forecast
criterion: causes tested"), not on these. The per-truth figures of one run are stored in
``docs/data/nowcast_twin*.csv`` by ``docs/scripts/nowcast_twin_figures.py`` (with the commit) and shown on
docs/validation.md; rerun it when the filter changes.
"""

from __future__ import annotations

import pytest

from sim.config.nowcast import NowcastConfig
from sim.validation.nowcast import (
    TWIN_QUICK,
    TWIN_VALIDATION,
    forecast_sign_test,
    truth_seeds,
    twin_experiment,
)

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def twin_all():
    return twin_experiment(TWIN_VALIDATION)


@pytest.fixture(scope="module")
def twin(twin_all):
    quick = twin_all[twin_all["truth_seed"].isin(truth_seeds(TWIN_QUICK))]
    assert list(quick["truth_seed"]) == truth_seeds(TWIN_QUICK)
    return quick


def test_the_conditioned_analysis_is_closer_to_the_truth_than_the_prior(twin):
    assert len(twin) == TWIN_QUICK["truths"]
    assert (twin["skill_analysis"] > 0).all(), twin[["truth_seed", "skill_analysis"]]
    assert twin["skill_analysis"].mean() > 0.5


def test_the_conditioned_forecast_is_measurably_closer_over_fifty_truths(twin_all):
    assert len(twin_all) == 50 and list(twin_all["truth_seed"]) == list(range(20262129, 20262179))
    r = forecast_sign_test(twin_all["skill"])
    assert r["better_needed"] == 32
    assert r["better"] >= 32 and r["p_value"] < 0.05, r
    assert r["mean_skill"] > 0, r


def test_every_collapsed_ensemble_says_so(twin_all):
    low = twin_all["ess_final"] < NowcastConfig().collapse_ess_frac * twin_all.attrs["n_realizations"]
    assert (twin_all.loc[low, "collapsed"]).all(), twin_all.loc[low, ["truth_seed", "ess_final", "collapsed"]]


@pytest.mark.xfail(strict=True, reason="stage B filter: the design's forecast criterion of docs/nowcast.md not met")
def test_the_conditioned_forecast_beats_the_unconditioned_one(twin):
    assert twin["skill"].mean() > 0.1
    assert (twin["skill"] > 0).mean() >= 0.7
    assert not twin["collapsed"].any()
