"""Erlang C: the model's repair crews as an M/M/c queue against queueing theory (a validation)."""

from __future__ import annotations

import math
from typing import Any

import numpy as np
import simpy

# ---------------------------------------------------------------------------------------------------------
# Erlang C: the repair crews as an M/M/c queue
# ---------------------------------------------------------------------------------------------------------


def erlang_c_wait(lam: float, mu: float, c: int) -> float:
    """Mean waiting time in queue of M/M/c, ``W_q = C(c, a) / (c mu - lambda)``. [h]"""
    return erlang_c_prob_wait(lam, mu, c) / (c * mu - lam)


def erlang_c_prob_wait(lam: float, mu: float, c: int) -> float:
    """Erlang C: probability that an arrival waits, ``C(c, a)`` with ``a = lambda / mu``. [1]"""
    a = lam / mu
    rho = a / c
    if rho >= 1.0:
        raise ValueError(f"unstable queue: rho = {rho:.3f} >= 1")
    tail = a**c / math.factorial(c) / (1 - rho)
    return tail / (sum(a**k / math.factorial(k) for k in range(c)) + tail)


def _erlang_replication(seed: int, lam: float, mu: float, c: int, n_jobs: int, warmup: int) -> np.ndarray:
    """Waits [h] of one replication (Poisson damage, exponential work, the model's repair crews)."""
    from sim.des.repair import RepairShop, repair_crew

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
    return np.asarray(shop.waits_h[warmup:], dtype=float)


def erlang_c_check(lam: float = 2.4, mu: float = 1.0, c: int = 3, n_jobs: int = 4000, warmup: int = 200,
                   replications: int = 12) -> dict[str, Any]:
    """Simulate the repair shop as M/M/c and compare its mean wait with Erlang C.

    Replication ``k`` uses seed ``k``. Returns the theory (``theory_wait_h``, ``theory_prob_wait``), the mean
    wait of each replication (``replication_means_h``), their mean and standard error, the relative error,
    the error in standard errors (``z``), the simulated share of jobs that waited, and all waits pooled
    (``waits_h``, for the distribution plot: ``P(W_q > t) = C(c, a) exp(-(c mu - lambda) t)``).
    """
    waits = [_erlang_replication(seed, lam, mu, c, n_jobs, warmup) for seed in range(replications)]
    means = np.array([w.mean() for w in waits])
    theory = erlang_c_wait(lam, mu, c)
    se = float(means.std(ddof=1) / math.sqrt(len(means)))
    pooled = np.concatenate(waits)
    return {
        "lam_per_h": lam, "mu_per_h": mu, "crews": c, "rho": lam / (c * mu), "n_jobs": n_jobs,
        "warmup": warmup, "replications": replications,
        "theory_wait_h": theory,
        "theory_prob_wait": erlang_c_prob_wait(lam, mu, c),
        "replication_means_h": means,
        "mean_wait_h": float(means.mean()),
        "se_h": se,
        "rel_error": float(means.mean() / theory - 1.0),
        "z": float((means.mean() - theory) / se),
        "prob_wait": float(np.mean(pooled > 1e-12)),
        "waits_h": pooled,
    }  # fmt: skip




def figures(quick: bool = False) -> dict[str, float]:
    """Scalar results under stable keys (``erlang_c.*``): a validation against queueing theory."""
    e = erlang_c_check()
    return {f"erlang_c.{k}": float(e[k]) for k in
            ("rho", "theory_wait_h", "mean_wait_h", "se_h", "rel_error", "z", "theory_prob_wait", "prob_wait")}
