"""Regression: a small run reproduces the saved reference result (tests/regression/reference.py)."""

from __future__ import annotations

import xarray as xr

from sim.io import open_result
from tests.regression.reference import REFERENCE, compute


def test_small_run_matches_saved_result():
    assert REFERENCE.exists(), "no saved reference; run python -m tests.regression.reference"
    saved = open_result(REFERENCE, require_coldgrid=False)  # times on the model clock, as the run returns them
    now = compute()
    # same variables and coordinates, same numbers (float32 outputs round-trip exactly; allow round-off)
    assert sorted(now.data_vars) == sorted(saved.data_vars)
    xr.testing.assert_allclose(now, saved, rtol=1e-6, atol=1e-6)
