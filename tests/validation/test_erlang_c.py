"""Validation: the repair shop reproduces the M/M/c queue (Erlang C).

Reference: the Erlang C formula for the mean wait in queue of an M/M/c system,
W_q = C(c, a) / (c mu - lambda), a = lambda / mu, e.g. Kleinrock, Queueing Systems Vol. 1 (1975), sec. 3.5;
Gross, Shortle, Thompson & Harris, Fundamentals of Queueing Theory, 4th ed. (2008), sec. 2.3.
Damage arrives as a Poisson process, repair work is exponential, and the crews are the model's own
:class:`~sim.des.repair.RepairShop` and :func:`~sim.des.repair.repair_crew` (one trade, equal priority).
The computation is :func:`sim.validation.erlang_c_check`, which the validation report plots.
"""

from __future__ import annotations

import math

import pytest

from sim.validation import TOLERANCES, erlang_c_check, erlang_c_prob_wait, erlang_c_wait


@pytest.fixture(scope="module")
def check():
    return erlang_c_check(lam=2.4, mu=1.0, c=3, n_jobs=4000, warmup=200, replications=12)  # rho = 0.8


def test_erlang_c_formula():
    assert erlang_c_wait(2.4, 1.0, 3) == pytest.approx(1.0787, abs=1e-4)  # 1.079 h
    # c = 1 reduces to M/M/1: W_q = rho / (mu - lambda)
    assert erlang_c_wait(0.5, 1.0, 1) == pytest.approx(0.5 / 0.5)
    assert erlang_c_prob_wait(0.5, 1.0, 1) == pytest.approx(0.5)


def test_mm_c_mean_wait_matches_erlang_c(check):
    assert len(check["replication_means_h"]) == 12
    se = check["replication_means_h"].std(ddof=1) / math.sqrt(12)
    assert check["se_h"] == pytest.approx(se)
    # within the Monte Carlo 99.7 % confidence interval of the mean of replications (3 standard errors)
    assert abs(check["mean_wait_h"] - check["theory_wait_h"]) < TOLERANCES["erlang_c_se"] * se, check
    assert abs(check["mean_wait_h"] / check["theory_wait_h"] - 1) < TOLERANCES["erlang_c_rel"]


def test_mm_c_probability_of_waiting_matches_erlang_c(check):
    # C(3, 2.4) = 0.647; 45,600 pooled jobs (correlated within a replication): a 0.03 band is loose
    assert abs(check["prob_wait"] - check["theory_prob_wait"]) < 0.03
