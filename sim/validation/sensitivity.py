"""The Sobol collection (:mod:`sim.sensitivity`) against the Ishigami function's closed-form indices.

Reference: Ishigami & Homma (1990), Proc. ISUMA '90, 398-403; closed-form variances from Sobol' & Levitan
(1999), Comput. Phys. Commun. 117:52-61, and Saltelli et al. (2010), Comput. Phys. Commun. 181:259-270
(a = 7, b = 0.1: S1 = 0.3139, 0.4424, 0; ST = 0.5576, 0.4424, 0.2437; S13 = 0.2437). A validation (no
parameter is fitted). Tolerance: SALib's own regression test of this function (tests/test_regression.py,
``test_regression_sobol``: ``atol=5e-2, rtol=1e-1`` with N = 10,000); here N = 2^13.
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING

import numpy as np
import xarray as xr

if TYPE_CHECKING:
    from sim.sensitivity import Design

A, B = 7.0, 0.1
N = 2**13
ATOL, RTOL = 5e-2, 1e-1
SEED = 20260129


def closed_form() -> dict[str, np.ndarray]:
    """S1, ST and S13 of the Ishigami function from its analytic variance decomposition."""
    pi = math.pi
    v1 = 0.5 * (1 + B * pi**4 / 5) ** 2
    v2 = A**2 / 8
    v13 = B**2 * pi**8 * (1 / 18 - 1 / 50)
    v = v1 + v2 + v13
    return {"S1": np.array([v1, v2, 0.0]) / v, "ST": np.array([v1 + v13, v2, v13]) / v, "S13": np.array(v13 / v)}


def ishigami(X: np.ndarray) -> np.ndarray:
    """The Ishigami function of the first three columns of ``X`` (further columns are not used)."""
    return np.sin(X[:, 0]) + A * np.sin(X[:, 1]) ** 2 + B * X[:, 2] ** 4 * np.sin(X[:, 0])


def design(n_extra: int = 0, second_order: bool = True, n: int = N) -> Design:
    """A :class:`sim.sensitivity.Design` over x1..x3 (and ``n_extra`` inputs without effect), U(-pi, pi)."""
    from sim import sensitivity as sa

    params = [sa.Parameter(f"x{i + 1}", "unif", (-math.pi, math.pi), source="[test]") for i in range(3 + n_extra)]
    return sa.Design(params, n, second_order, SEED, sa.saltelli_design(params, n, SEED, second_order), resamples=200)


def outputs(d: Design) -> xr.Dataset:
    """The table of per-sample outputs a sweep's collection builds, with the Ishigami function as the model."""
    y = ishigami(d.X)
    return xr.Dataset({"output": (("scenario", "figure", "sample"), y[None, None, :])},
                      coords={"scenario": ["ishigami"], "figure": ["y"], "sample": np.arange(len(y)),
                              "quantity": ("scenario", ["level"]), "baseline": ("scenario", [""]),
                              "figure_label": ("figure", ["Ishigami function"]), "figure_unit": ("figure", ["1"])})


def ishigami_check(n_extra: int = 1) -> tuple[object, xr.Dataset]:
    """The design and the indices (:func:`sim.sensitivity.analyze`) of the Ishigami function."""
    from sim import sensitivity as sa

    d = design(n_extra=n_extra, second_order=True)
    return d, sa.analyze(d, outputs(d))
