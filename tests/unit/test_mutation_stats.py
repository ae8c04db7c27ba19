"""Tests written to kill mutants of sim.stats that survived ``make mutation`` (issue 20, fourth session).

Each test names the fault it catches; expected values are worked out by hand (in the comments) or with
plain numpy, never with the code under test."""

from __future__ import annotations

import warnings

import numpy as np
import pytest
import xarray as xr

from sim.keyfigures import Settings
from sim.stats import (
    COMPARISON_COLUMNS,
    comparison_table,
    duration_survival,
    mc_error,
    paired_weights,
    prob_reduction_at_least,
    summarize,
)
from tests.unit.test_mutation_kills import _pair, _tiny_run, _weighted_pair


def _runs(values, dim="realization", weight=None, **attrs):
    da = xr.DataArray(np.asarray(values, dtype=float), dims=dim, attrs=attrs)
    if weight is not None:
        da = da.assign_coords(realization_weight=(dim, np.asarray(weight, dtype=float)))
    return da


def _grid(rows, weight=None):
    """A (realization, district) array: one row per realization."""
    da = xr.DataArray(np.asarray(rows, dtype=float), dims=("realization", "district"))
    if weight is not None:
        da = da.assign_coords(realization_weight=("realization", np.asarray(weight, dtype=float)))
    return da


class TestProbReductionByDistrict:
    """prob_reduction_at_least over realizations of a 2-D array keeps the other dimension."""

    # district 0: a 100, 100, 100, 0 -> b 50, 90, 10, 0: a cut of >= 25 % in runs 0 and 2
    # district 1: a 10, 10, 0, 0 -> b 10, 5, 0, 0: a cut only in run 1
    A = ((100.0, 10.0), (100.0, 10.0), (100.0, 0.0), (0.0, 0.0))
    B = ((50.0, 10.0), (90.0, 5.0), (10.0, 0.0), (0.0, 0.0))

    def test_unweighted_fail_is_a_share_per_district(self):
        prob = prob_reduction_at_least(_grid(self.A), _grid(self.B))
        assert prob.dims == ("district",)
        np.testing.assert_array_equal(prob.values, [2 / 4, 1 / 4])
        # zero baselines: 1 in district 0, 2 in district 1
        assert prob.attrs["n_baseline_zero"] == 3

    def test_unweighted_exclude_divides_by_the_runs_with_exposure(self):
        prob = prob_reduction_at_least(_grid(self.A), _grid(self.B), zero_baseline="exclude")
        np.testing.assert_array_equal(prob.values, [2 / 3, 1 / 2])

    def test_weighted_fail_and_exclude(self):
        w = np.array([1.0, 1.0, 2.0, 4.0])  # shares 1/8, 1/8, 2/8, 4/8
        prob = prob_reduction_at_least(_grid(self.A), _grid(self.B), weights=w)
        np.testing.assert_allclose(prob.values, [3 / 8, 1 / 8], rtol=1e-12)
        prob = prob_reduction_at_least(_grid(self.A), _grid(self.B), weights=w, zero_baseline="exclude")
        # district 0: 3/8 of 4/8 with exposure; district 1: 1/8 of 2/8
        np.testing.assert_allclose(prob.values, [3 / 4, 1 / 2], rtol=1e-12)

    @pytest.mark.parametrize("side", ["a", "b", "both"])
    def test_the_weights_coordinate_is_not_carried_into_the_probability(self, side):
        # reduced over districts the realizations stay: a's or b's weights must not come along
        rows_a = [[100.0, 100.0], [100.0, 0.0]]
        rows_b = [[10.0, 100.0], [10.0, 0.0]]
        a = _grid(rows_a, weight=[1.0, 3.0] if side in ("a", "both") else None)
        b = _grid(rows_b, weight=[2.0, 5.0] if side in ("b", "both") else None)
        prob = prob_reduction_at_least(a, b, dim="district")
        np.testing.assert_array_equal(prob.values, [0.5, 0.5])
        assert "realization_weight" not in prob.coords


def test_a_tie_below_the_smallest_float_is_no_cut():
    """5e-324 x 0.25 underflows to 0, so a - b >= frac a holds for a tie; b < a keeps it from counting."""
    tiny = np.nextafter(0.0, 1.0)
    assert 0.25 * tiny == 0.0  # the premise: the product underflows
    assert float(prob_reduction_at_least(_runs([tiny]), _runs([tiny]), frac=0.25)) == 0.0
    # frac 0: a tie is a cut of at least 0 %
    assert float(prob_reduction_at_least(_runs([tiny]), _runs([tiny]), frac=0.0)) == 1.0


def test_every_baseline_zero_excluded_is_nan_without_a_warning():
    """Nothing to cut in any run: NaN, weighted or not, and no warning."""
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        prob = prob_reduction_at_least(_runs([0.0, 0.0]), _runs([0.0, 1.0]), zero_baseline="exclude")
        assert np.isnan(float(prob)) and prob.attrs["n_baseline_zero"] == 2
        prob = prob_reduction_at_least(_runs([0.0, 0.0]), _runs([0.0, 1.0]), zero_baseline="exclude",
                                       weights=np.array([1.0, 1.0]))
        assert np.isnan(float(prob))


class TestProbReductionAttributes:
    def test_attributes_with_a_long_name(self):
        a = _runs([100.0, 100.0], long_name="people below 16 degC")
        prob = prob_reduction_at_least(a, _runs([50.0, 100.0]), frac=0.25)
        assert prob.attrs == {
            "units": "1",
            "long_name": "probability that b cuts people below 16 degC by at least 25% relative to a",
            "n_baseline_zero": 0,
            "zero_baseline": "fail",
        }

    def test_the_name_then_exposure_when_there_is_no_long_name(self):
        named = _runs([100.0], long_name=None).rename("people_cold_24h")
        named.attrs = {}
        prob = prob_reduction_at_least(named, _runs([10.0]), frac=0.5)
        assert prob.attrs["long_name"] == "probability that b cuts people_cold_24h by at least 50% relative to a"
        prob = prob_reduction_at_least(_runs([100.0]), _runs([10.0]), frac=0.5, zero_baseline="exclude")
        assert prob.attrs["long_name"] == "probability that b cuts exposure by at least 50% relative to a"
        assert prob.attrs["zero_baseline"] == "exclude"


class TestComparisonTableEdges:
    """comparison.csv on the 5-run pair of test_mutation_kills (b - a = -5, 0, -20, 0, -25 people)."""

    @staticmethod
    def _row(table, figure="people_cold_24h", district=""):
        return table.set_index(["figure", "adm5_name"]).loc[(figure, district)]

    def test_weighted_pairs_monte_carlo_interval(self):
        # weight 0 on run 4: Kish's n = 4, too few for 95 % (coverage 1 - 2/16): the range of the differences
        # of runs 0-3 (-5, 0, -20, 0) = (-20, 0); unweighted it would be the range of all five, (-25, 0)
        row = self._row(comparison_table(*_pair(weights=(1.0, 1.0, 1.0, 1.0, 0.0))))
        assert (row["diff_ci_low"], row["diff_ci_high"], bool(row["mc_enough"])) == (-20.0, 0.0, False)

    def test_no_baseline_exposure_weighted_and_without_warnings(self):
        # no run has a > 0: no relative difference, weighted or not, and no all-NaN warning
        with warnings.catch_warnings():
            warnings.simplefilter("error")
            for weights in (None, (1.0, 1.0, 1.0, 1.0, 0.0)):
                a, b = _pair(weights=weights)
                zero = a.assign(people_cold_24h=a["people_cold_24h"] * 0.0)
                row = self._row(comparison_table(zero, b))
                assert np.isnan(row["rel_diff_p50"]) and row["prob_reduction"] == 0.0

    def test_baseline_exposure_only_in_a_run_of_weight_zero(self):
        # a > 0 only in run 4, whose weight is 0: no run of the ensemble has a ratio
        w = (1.0, 1.0, 1.0, 1.0, 0.0)
        a = _tiny_run(people=(0.0, 0.0, 0.0, 0.0, 50.0), weights=w)
        b = _tiny_run(people=(5.0, 20.0, 10.0, 40.0, 25.0), weights=w)
        assert np.isnan(self._row(comparison_table(a, b))["rel_diff_p50"])

    def test_district_rows_without_katotth_have_an_empty_code(self):
        t = comparison_table(*_pair())
        assert set(t.loc[t["adm5_name"] != "", "adm5_code"]) == {""}
        assert (t["adm5_name"] != "").sum() > 0

    def test_district_rows_use_the_baselines_settings_for_both(self):
        # households = people / household size of a (2.0) in both scenarios, city and districts alike:
        # district b people 2.5, 10, 5, 20, 12.5 -> households 1.25, 5, 2.5, 10, 6.25: median 5 (not 2.5)
        a = _tiny_run(household_size=2.0)
        b = _tiny_run(people=(5.0, 20.0, 10.0, 40.0, 25.0), household_size=4.0)
        t = comparison_table(a, b)
        assert self._row(t, "households_cold_24h")["b_p50"] == 10.0  # city: 20 people / 2
        for name in ("A", "B"):
            row = self._row(t, "households_cold_24h", name)
            assert (row["a_p50"], row["b_p50"]) == (7.5, 5.0)  # a: 15 people / 2

    def test_no_figures_gives_an_empty_table_with_the_columns(self):
        # runs without districts or figures: no rows, the columns all the same
        empty = xr.Dataset(coords={"realization": np.arange(3)})
        t = comparison_table(empty, empty)
        assert len(t) == 0 and list(t.columns) == COMPARISON_COLUMNS

    def test_a_figure_missing_from_b_is_left_out_by_district_too(self):
        a, b = _pair()
        t = comparison_table(a, b.drop_vars("buildings_without_heat"))
        assert not t["figure"].str.contains("heat").any()
        assert set(t.loc[t["figure"] == "people_cold_24h", "adm5_name"]) == {"", "A", "B"}


class TestPairedWeightsEdges:
    def test_weights_within_1e_12_are_the_first_runs_exactly(self):
        # b's last weight 1e-14 apart (relative): "the same weights", a's returned as they are, not the mean
        wa = np.array([1.0, 1.0, 2.0])
        wb = np.array([1.0, 1.0, 2.0 * (1 + 1e-14)])
        na, nb = wa / wa.sum(), wb / wb.sum()
        assert not np.array_equal(0.5 * (na + nb), na)  # the premise: the mean differs in the last bits
        np.testing.assert_array_equal(paired_weights(*_weighted_pair(wa=wa, wb=wb)), na)

    def test_a_run_without_realizations_against_a_weighted_one_is_refused(self):
        b = xr.Dataset({"realization_weight": ("realization", [1.0, 2.0])})
        with pytest.raises(ValueError, match=r"^the two runs have different realizations"):
            paired_weights(xr.Dataset(), b)


def test_duration_survival_per_district():
    """A (duration_bin, district) histogram: each district's curve over its own people, by hand."""
    # district 0: 2, 1, 1 people in bins 0, 24, 72 h -> at least: 4, 2, 1 of 4
    # district 1: 0, 3, 1 -> 4, 4, 1 of 4
    h = xr.DataArray([[2.0, 0.0], [1.0, 3.0], [1.0, 1.0]], dims=("duration_bin", "district"),
                     coords={"duration_bin": [0.0, 24.0, 72.0]})
    out = duration_survival(h)
    assert out.dims == ("duration_bin", "district")
    np.testing.assert_array_equal(out.values, [[1.0, 1.0], [0.5, 1.0], [0.25, 0.25]])


class TestSummarizeWeightsEdges:
    VALUES = (10.0, 20.0, 30.0, 40.0, 1000.0)

    def test_equal_weights_of_zero_are_equal_weights(self):
        # like realization_weights(), which reads all-equal weights (0 too) as none: unweighted type 7,
        # p5 = 10 + 0.2 x 10, p50 = 30, p95 = 40 + 0.8 x 960
        out = summarize(_runs(self.VALUES), weights=np.zeros(5))
        np.testing.assert_allclose(out.values, [12.0, 30.0, 808.0], rtol=1e-12)

    def test_nan_weights_are_refused(self):
        with pytest.raises(ValueError, match="weights must be finite"):
            summarize(_runs(self.VALUES), weights=np.full(5, np.nan))

    def test_over_another_dimension_the_weights_coordinate_is_dropped(self):
        # percentiles over districts of each realization: the realizations stay, their weights do not
        da = _grid([[1.0, 3.0], [2.0, 6.0]], weight=[1.0, 3.0])
        out = summarize(da, dim="district", percentiles=(0, 50, 100))
        assert out.dims == ("percentile", "realization")
        np.testing.assert_array_equal(out.values, [[1.0, 2.0], [2.0, 4.0], [3.0, 6.0]])
        assert "realization_weight" not in out.coords


def test_mc_error_coverage_exactly_1e_12_short_is_enough():
    """The coverage rule allows 1e-12 of round-off, inclusive: 62/64 (n = 6, [min, max]) reaches 62/64 + 1e-12."""
    confidence = 62 / 64 + 1e-12
    assert confidence - 1e-12 == 62 / 64  # the premise: the slack brings it back to 62/64 exactly
    err = mc_error(np.full(6, 3.0), Settings(mc_confidence=confidence))
    assert (err["rel_error"], err["enough"]) == (0.0, True)
