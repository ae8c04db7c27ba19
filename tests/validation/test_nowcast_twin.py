"""Validation (self-consistency): the nowcast filter against an identical twin (sim.validation.nowcast).

A perfect-model experiment (Evensen 2009, *Data Assimilation*, ch. 4): realization 0 of a run with another
seed plays the city, its reports of the first two days are drawn from the nowcast's own error model, and an
80-realization ensemble is conditioned on them (6 truths, Kyiv, ``attacks=continued``, 7 days). The truth
comes from the model itself, so this checks the filter's self-consistency, not the model against the
world; nothing in it was fitted.

Criteria:

* **Analysis** (the state at the last report time, which the filter has seen): the conditioned ensemble is
  closer to the truth than the prior by the CRPS of buildings without heat per district, in every truth,
  with mean skill above 0.5. A filter that ignored or inverted the reports would fail this. The thresholds
  were set after a first run of these settings (mean skill 0.91, lowest 0.65): they are a regression
  guard below the measured figures, not a design target.
* **Forecast** (days 2-7, the design's criterion in docs/nowcast.md, fixed before any run: mean CRPS skill
  above 0.1, better than the unconditioned forecast in at least 70 % of the truths, no collapse): **not
  met** by the current filter (measured on these truths, once: mean skill +0.07, 4 of 6 better, 2
  collapses; the filters before it, each once: -0.24, 3 of 6, 3 collapses; -0.30, 2 of 6, 4 collapses). The filter was changed and
  tuned on other truths (seeds 20263129-20263148, docs/nowcast.md "The forecast criterion: causes
  tested"), not on these. It is an xfail (strict), so that a filter which meets it turns this test red
  until the marker is removed.

The per-truth figures of one run of these settings are stored in ``docs/data/nowcast_twin.csv`` by
``docs/scripts/nowcast_twin_figures.py`` (with the commit) and shown on docs/validation.md; rerun it when
the filter changes.
"""

from __future__ import annotations

import pytest

from sim.validation.nowcast import TWIN_QUICK, twin_experiment

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def twin():
    return twin_experiment(TWIN_QUICK)


def test_the_conditioned_analysis_is_closer_to_the_truth_than_the_prior(twin):
    assert len(twin) == TWIN_QUICK["truths"]
    assert (twin["skill_analysis"] > 0).all(), twin[["truth_seed", "skill_analysis"]]
    assert twin["skill_analysis"].mean() > 0.5


@pytest.mark.xfail(strict=True, reason="stage B filter: forecast skill criterion of docs/nowcast.md not met yet")
def test_the_conditioned_forecast_beats_the_unconditioned_one(twin):
    assert twin["skill"].mean() > 0.1
    assert (twin["skill"] > 0).mean() >= 0.7
    assert not twin["collapsed"].any()
