"""Validation of the Sobol collection (:func:`sim.sensitivity.analyze`) on the Ishigami function.

Reference: Ishigami & Homma (1990), Proc. ISUMA '90, 398-403; the closed-form variances below are those of
Sobol' & Levitan (1999), Comput. Phys. Commun. 117:52-61, and Saltelli et al. (2010), Comput. Phys. Commun.
181:259-270 (a = 7, b = 0.1: S1 = 0.3139, 0.4424, 0; ST = 0.5576, 0.4424, 0.2437; S13 = 0.2437). The
expected values are computed here from those formulas, not by the code under test.

Tolerance: SALib's own regression test of its Sobol analysis on this function (tests/test_regression.py,
``test_regression_sobol``: ``atol=5e-2, rtol=1e-1`` with N = 10,000); here N = 2^13 = 8192 base samples
(the design is a power of 2, SALib's Sobol' sequence), the same order of size.

The outputs go through the same path as a sweep's: a :class:`~sim.sensitivity.Design` from
:func:`~sim.sensitivity.saltelli_design`, a table of per-sample outputs with dims (scenario, figure,
sample), :func:`~sim.sensitivity.analyze`, then ``sobol.nc``/``sobol.csv`` by
:func:`~sim.sensitivity.sobol_dataset` and :func:`~sim.sensitivity.sobol_table`.
"""

from __future__ import annotations

import numpy as np
import pytest
import xarray as xr

from sim import sensitivity as sa
from sim.validation.sensitivity import ATOL, RTOL, closed_form, outputs

_outputs = outputs


def _design(n_extra: int = 0, second_order: bool = True) -> sa.Design:
    from sim.validation.sensitivity import design

    return design(n_extra=n_extra, second_order=second_order)


def test_closed_form_values_are_the_published_ones():
    ref = closed_form()
    np.testing.assert_allclose(ref["S1"], [0.3139, 0.4424, 0.0], atol=1e-4)
    np.testing.assert_allclose(ref["ST"], [0.5576, 0.4424, 0.2437], atol=1e-4)


@pytest.fixture(scope="module")
def ishigami_indices() -> tuple[sa.Design, xr.Dataset]:
    design = _design()
    return design, sa.analyze(design, _outputs(design))


def test_ishigami_first_order_and_total_indices(ishigami_indices):
    _, ds = ishigami_indices
    ref = closed_form()
    np.testing.assert_allclose(ds["S1"].values[0, 0], ref["S1"], atol=ATOL, rtol=RTOL)
    np.testing.assert_allclose(ds["ST"].values[0, 0], ref["ST"], atol=ATOL, rtol=RTOL)
    # the intervals are informative at this N: narrower than the tolerance
    assert (ds["ST_conf"].values[0, 0] < ATOL).all()


def test_ishigami_second_order_interaction(ishigami_indices):
    _, ds = ishigami_indices
    s2 = ds["S2"].values[0, 0]
    np.testing.assert_allclose(s2[0, 2], closed_form()["S13"], atol=ATOL, rtol=RTOL)
    np.testing.assert_allclose([s2[0, 1], s2[1, 2]], [0.0, 0.0], atol=ATOL)


def test_ishigami_through_sobol_nc_and_csv(ishigami_indices, tmp_path):
    design, ind = ishigami_indices
    ds = sa.sobol_dataset(design, _outputs(design), ind)
    from sim.io import write_netcdf
    from sim.report.hxl import read_hxl_csv, write_comparison_csv

    write_netcdf(ds, tmp_path / "sobol.nc", check=False)
    write_comparison_csv(sa.sobol_table(ds), tmp_path / "sobol.csv")
    with xr.open_dataset(tmp_path / "sobol.nc") as back:
        np.testing.assert_allclose(back["ST"].values, ds["ST"].values)
        assert back.attrs["Conventions"] == "CF-1.10"
        assert all("units" in back[v].attrs and "long_name" in back[v].attrs for v in back.data_vars)
    table = read_hxl_csv(tmp_path / "sobol.csv")
    assert list(table["parameter"]) == ["x1", "x2", "x3"]
    np.testing.assert_allclose(table["ST"], np.round(ds["ST"].values[0, 0], 4))
    assert sa.top_total(ds, 0, 0, k=2)[0][0] == "x1"  # ST 0.56 > 0.44


def test_a_parameter_without_effect_gets_an_index_indistinguishable_from_zero():
    """x4 does not enter the function: its S1 and ST intervals contain 0 and ST is below 0.01.

    With Saltelli's (2010) total-effect estimator an input that never changes the output gives exactly 0
    (f(A) - f(A_B^i) vanishes row by row), so the bound holds far below the Monte Carlo error; S1 is a
    noisy estimate around 0 (Saltelli 2010 eq. (b)), hence the interval check.
    """
    design = _design(n_extra=1, second_order=False)
    ds = sa.analyze(design, _outputs(design))
    s1, s1c = ds["S1"].values[0, 0, 3], ds["S1_conf"].values[0, 0, 3]
    st, stc = ds["ST"].values[0, 0, 3], ds["ST_conf"].values[0, 0, 3]
    assert abs(s1) <= s1c + 1e-12 and abs(st) <= stc + 1e-12
    assert abs(st) < 0.01 and abs(s1) < ATOL
    # and the three real inputs still match the closed form with a fourth, inert input in the design
    np.testing.assert_allclose(ds["ST"].values[0, 0, :3], closed_form()["ST"], atol=ATOL, rtol=RTOL)


def test_an_output_without_variance_has_no_indices():
    design = _design(second_order=False)
    out = _outputs(design)
    out["output"][:] = 3.0
    ds = sa.analyze(design, out)
    assert np.isnan(ds["ST"].values).all() and np.isnan(ds["S1"].values).all()
