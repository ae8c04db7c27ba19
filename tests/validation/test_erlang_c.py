"""Validation: the repair shop reproduces the M/M/c queue (Erlang C).

Reference: the Erlang C formula for the mean wait in queue of an M/M/c system,
W_q = C(c, a) / (c mu - lambda), a = lambda / mu, e.g. Kleinrock, Queueing Systems Vol. 1 (1975), sec. 3.5;
Gross, Shortle, Thompson & Harris, Fundamentals of Queueing Theory, 4th ed. (2008), sec. 2.3.
Damage arrives as a Poisson process, repair work is exponential, and the crews are the model's own
:class:`~sim.des.repair.RepairShop` and :func:`~sim.des.repair.repair_crew` (one trade, equal priority).
"""

from __future__ import annotations

import math

import numpy as np
import simpy

from sim.des.repair import RepairShop, repair_crew


def erlang_c_wait(lam: float, mu: float, c: int) -> float:
    """Mean waiting time in queue of M/M/c. [h]"""
    a = lam / mu
    rho = a / c
    tail = a**c / math.factorial(c) / (1 - rho)
    p_wait = tail / (sum(a**k / math.factorial(k) for k in range(c)) + tail)
    return p_wait / (c * mu - lam)


def _replication(seed: int, lam: float, mu: float, c: int, n_jobs: int, warmup: int) -> float:
    rng = np.random.default_rng(seed)
    env = simpy.Environment()
    shop = RepairShop(env, {"power": c}, 0, 0.0)

    def damage(env):
        for node in range(n_jobs):
            yield env.timeout(rng.exponential(1.0 / lam))
            shop.add_work(node, rng.exponential(1.0 / mu))
            env.process(repair_crew(env, shop, node, "substation"))

    env.process(damage(env))
    env.run()
    # waits are appended in order of crew assignment; drop the warm-up (jobs that started first)
    return float(np.mean(shop.waits_h[warmup:]))


def test_mm_c_mean_wait_matches_erlang_c():
    lam, mu, c = 2.4, 1.0, 3  # rho = 0.8 [1/h, 1/h, crews]
    theory = erlang_c_wait(lam, mu, c)  # 1.079 h
    means = np.array([_replication(seed, lam, mu, c, 4000, 200) for seed in range(12)])
    se = means.std(ddof=1) / math.sqrt(len(means))
    # within the Monte Carlo 99.7 % confidence interval of the mean of replications
    assert abs(means.mean() - theory) < 3 * se, (means.mean(), theory, se)
    assert abs(means.mean() / theory - 1) < 0.1
