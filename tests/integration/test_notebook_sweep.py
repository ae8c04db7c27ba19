"""notebooks/05-sensitivity.ipynb runs (its Sobol sweep takes most of a minute): a module of its own, so
that ``--dist loadfile`` can run it beside tests/integration/test_notebooks.py, which checks the other
notebooks and how every notebook is stored."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.integration.test_notebooks import FAST_SIZES, NOTEBOOK_DIR, OWN_MODULE, _run_copy, agg_backend

__all__ = ["agg_backend"]  # the fixture, imported for the tests below


@pytest.mark.parametrize("name", OWN_MODULE)
def test_notebook_runs(name: str, tmp_path: Path, agg_backend: None):
    """Every cell runs, at :data:`~tests.integration.test_notebooks.FAST_SIZES` where it has some."""
    _run_copy(NOTEBOOK_DIR / name, tmp_path, FAST_SIZES.get(name))


@pytest.mark.slow
@pytest.mark.parametrize("name", [n for n in OWN_MODULE if n in FAST_SIZES])
def test_notebook_runs_at_full_size(name: str, tmp_path: Path, agg_backend: None):
    """At the notebook's own sizes (as a reader runs it)."""
    _run_copy(NOTEBOOK_DIR / name, tmp_path, None)
