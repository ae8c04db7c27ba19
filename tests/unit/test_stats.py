"""Statistics over realizations: percentiles, paired differences, headline figures (sim.stats)."""

from __future__ import annotations

import numpy as np
import pytest
import xarray as xr

from sim import keyfigures
from sim.config.people import PeopleConfig
from sim.keyfigures import Settings
from sim.people import ExposureAccumulator, exposure_to_dataset
from sim.stats import (
    HEADLINE_COLUMNS,
    _paired_difference_np,
    _prob_reduction_np,
    comparison_table,
    duration_survival,
    headline_table,
    headline_values,
    mc_error,
    median,
    paired_difference,
    paired_weights,
    prob_reduction_at_least,
    realization_weights,
    summarize,
)
from tests.unit.report_fixtures import make_run

START = np.datetime64("2026-01-29T00:00", "ns")


def realizations(values, name="x", units="1"):
    return xr.DataArray(
        np.asarray(values, dtype=float),
        dims="realization",
        name=name,
        coords={"realization": np.arange(len(values))},
        attrs={"units": units, "long_name": "thing"},
    )


class TestSummarize:
    def test_known_percentiles(self):
        out = summarize(realizations(np.arange(101)))
        np.testing.assert_allclose(out.values, [5.0, 50.0, 95.0])
        assert out.dims == ("percentile",)
        assert out["percentile"].attrs["units"] == "%"
        assert out.attrs["units"] == "1"

    def test_linear_interpolation_and_other_dims(self):
        da = xr.DataArray(
            [[0.0, 10.0], [1.0, 20.0], [2.0, 30.0], [3.0, 40.0]], dims=("realization", "district")
        )
        out = summarize(da, percentiles=(0, 50, 100))
        np.testing.assert_allclose(out.sel(district=0), [0.0, 1.5, 3.0])
        np.testing.assert_allclose(out.sel(district=1), [10.0, 25.0, 40.0])

    def test_bad_percentiles(self):
        with pytest.raises(ValueError, match="percentiles"):
            summarize(realizations([1.0]), percentiles=(5, 150))


class TestPaired:
    def test_identical_scenarios_give_exact_zero(self):
        a = realizations(np.random.default_rng(0).uniform(0, 1e6, 50))
        diff = paired_difference(a, a.copy(), percentiles=None)
        assert (diff.values == 0.0).all()
        assert (paired_difference(a, a.copy()).values == 0.0).all()

    def test_realization_wise(self):
        a, b = realizations([10.0, 20.0, 30.0]), realizations([5.0, 25.0, 0.0])
        np.testing.assert_array_equal(paired_difference(a, b, percentiles=None).values, [-5.0, 5.0, -30.0])
        np.testing.assert_allclose(paired_difference(a, b, percentiles=(50,)).values, [-5.0])

    def test_mismatched_realizations_raise(self):
        with pytest.raises(ValueError):
            paired_difference(realizations([1.0, 2.0]), realizations([1.0, 2.0, 3.0]))


class TestProbReduction:
    def test_threshold_is_inclusive(self):
        a = realizations([100.0, 100.0, 100.0, 100.0])
        b = realizations([75.0, 75.1, 0.0, 120.0])
        assert float(prob_reduction_at_least(a, b)) == 0.5

    def test_zero_baseline(self):
        a, b = realizations([0.0, 0.0, 100.0, 100.0]), realizations([0.0, 5.0, 50.0, 90.0])
        fail = prob_reduction_at_least(a, b)
        assert float(fail) == 0.25
        assert fail.attrs["n_baseline_zero"] == 2
        assert float(prob_reduction_at_least(a, b, zero_baseline="exclude")) == 0.5
        assert np.isnan(float(prob_reduction_at_least(a[:2], b[:2], zero_baseline="exclude")))

    def test_identical_scenarios(self):
        a = realizations([3.0, 5.0])
        assert float(prob_reduction_at_least(a, a)) == 0.0
        assert float(prob_reduction_at_least(a, a, frac=0.0)) == 1.0


class TestNumpyCores:
    """The numpy cores of paired_difference and prob_reduction_at_least (what comparison_table calls per
    row) against values worked out by hand, and the xarray functions giving the cores' numbers."""

    # 4 realizations: a cut of 30 %, a tie, a zero baseline, a cut of 12.5 %
    A = np.array([100.0, 100.0, 0.0, 40.0])
    B = np.array([70.0, 100.0, 0.0, 35.0])

    def test_prob_reduction_unweighted(self):
        # frac 0.25: only run 0 is a cut; run 2 (a = 0) fails, or is left out (1 of the 3 with exposure)
        assert _prob_reduction_np(self.A, self.B, 0.25) == (0.25, 1)
        assert _prob_reduction_np(self.A, self.B, 0.25, zero_baseline="exclude") == (1 / 3, 1)
        # frac 0: the tie (run 1) and run 3 count too; 3 of 4, 3 of 3
        assert _prob_reduction_np(self.A, self.B, 0.0) == (0.75, 1)
        assert _prob_reduction_np(self.A, self.B, 0.0, zero_baseline="exclude") == (1.0, 1)

    def test_prob_reduction_weighted(self):
        w = np.array([1.0, 2.0, 3.0, 2.0])  # shares 1/8, 2/8, 3/8, 2/8
        prob, n_zero = _prob_reduction_np(self.A, self.B, 0.25, w)
        assert prob == pytest.approx(1 / 8, rel=1e-15) and n_zero == 1
        # exclude: run 0's 1/8 of the 5/8 with exposure
        assert _prob_reduction_np(self.A, self.B, 0.25, w, "exclude")[0] == pytest.approx(1 / 5, rel=1e-15)
        assert _prob_reduction_np(self.A, self.B, 0.0, w)[0] == pytest.approx(5 / 8, rel=1e-15)
        # weight 0 on the zero baseline: not in the ensemble, not counted as a zero baseline
        prob, n_zero = _prob_reduction_np(self.A, self.B, 0.25, np.array([1.0, 2.0, 0.0, 2.0]))
        assert prob == pytest.approx(1 / 5, rel=1e-15) and n_zero == 0

    def test_prob_reduction_rows_are_independent(self):
        # realizations on the last axis; row 1 swaps a and b: b >= a in every run, no cut; a zero baseline each
        prob, n_zero = _prob_reduction_np(np.stack([self.A, self.B]), np.stack([self.B, self.A]), 0.25)
        np.testing.assert_array_equal(prob, [0.25, 0.0])
        assert n_zero == 2

    def test_paired_difference_type_7(self):
        a, b = np.array([10.0, 20.0, 30.0, 40.0]), np.array([12.0, 15.0, 30.0, 10.0])
        # b - a = 2, -5, 0, -30; sorted -30, -5, 0, 2; type 7 at h = 3p: p5 -30 + 0.15 x 25,
        # p50 -5 + 0.5 x 5, p95 0 + 0.85 x 2 (rounding in h - floor(h): 1e-15 relative)
        np.testing.assert_allclose(_paired_difference_np(a, b, (5, 50, 95)), [-26.25, -2.5, 1.7], rtol=1e-15)
        assert _paired_difference_np(a, b, (50,))[0] == -2.5
        # as DataArray.quantile: a NaN run is skipped (sorted -30, 0, 2: p50 0)
        assert _paired_difference_np(a, np.array([12.0, np.nan, 30.0, 10.0]), (50,))[0] == 0.0
        # weight 0 removes run 3 (-30); equal weights on the rest: type 7 of -5, 0, 2 at h = 2p
        np.testing.assert_allclose(_paired_difference_np(a, b, (5, 50, 95), np.array([1.0, 1.0, 1.0, 0.0])),
                                   [-4.5, 0.0, 1.8], rtol=1e-12, atol=1e-12)

    @pytest.mark.parametrize("weighted", [False, True])
    def test_the_xarray_functions_give_the_cores_numbers(self, weighted):
        rng = np.random.default_rng(5)
        a = realizations(rng.gamma(1.0, 100.0, 12))
        b = realizations(a.values * rng.uniform(0.3, 1.2, 12))
        w = rng.uniform(0.5, 2.0, 12) if weighted else None
        np.testing.assert_array_equal(paired_difference(a, b, percentiles=(5, 50, 95), weights=w).values,
                                      _paired_difference_np(a.values, b.values, (5, 50, 95), w))
        for zero_baseline in ("fail", "exclude"):
            prob = prob_reduction_at_least(a, b, frac=0.25, zero_baseline=zero_baseline, weights=w)
            expected, _ = _prob_reduction_np(a.values, b.values, 0.25, w, zero_baseline)
            assert float(prob) == float(expected)


def test_duration_survival():
    hist = xr.DataArray(
        [[1.0, 2.0, 0.0, 1.0], [0.0, 0.0, 0.0, 0.0]],
        dims=("realization", "duration_bin"),
        coords={"duration_bin": [0.0, 6.0, 12.0, 24.0]},
    )
    out = duration_survival(hist)
    np.testing.assert_allclose(out.values, [[1.0, 0.75, 0.25, 0.25], [0.0, 0.0, 0.0, 0.0]])


@pytest.fixture
def run_ds():
    """Two realizations, two districts, 48 h; realization 1 is 3 degC colder than realization 0."""
    G, T = 3, 48
    occ = np.array([100.0, 200.0, 50.0])
    base = np.stack(
        [np.full(T, 20.0), np.r_[np.full(30, 14.0), np.full(18, 20.0)], np.full(T, 11.0)], axis=-1
    )
    indoor = np.stack([base, base - 3.0])
    cfg = PeopleConfig(heating_points=10, places_per_point=10.0)
    acc = ExposureAccumulator(
        occ, np.full(G, 0.2), np.full(G, 0.05), occ / 2, np.array([0, 1, 1]), 2, cfg, 1.0, 2, T
    )
    for t in range(T):
        acc.update(t, indoor[:, t], np.ones((2, G), bool))
    times = START + np.arange(T) * np.timedelta64(1, "h")
    ds = exposure_to_dataset(acc.finish(), times, ["A", "B"], ["UA1", "UA2"], cfg.thresholds_c)
    bwh = np.zeros((2, T, 2))
    bwh[:, 5:, 0] = 100.0  # peak 100 at h 5 ...
    bwh[0, 17:, 0] = 10.0  # ... back to 10 % at h 17 (0.5 days) in realization 0; never in realization 1
    ds["buildings_without_heat"] = (
        ("realization", "time", "district"),
        bwh,
        {"units": "1", "long_name": "b"},
    )
    swp = np.zeros((2, T, 2))
    swp[:, 3, 1] = 1.0  # district B (250 of 350 people) fully off at h 3
    ds["share_without_power"] = (("realization", "time", "district"), swp, {"units": "1", "long_name": "s"})
    return ds


class TestHeadline:
    def test_values(self, run_ds):
        v = headline_values(run_ds)
        # realization 0: group 1 (200) 30 h below 16 and group 2 (50) all 48 h -> 250 people; r1 the same
        np.testing.assert_allclose(v["people_cold_24h"], [250.0, 250.0])
        np.testing.assert_allclose(v["households_cold_24h"], [250.0 / 2.42] * 2)
        np.testing.assert_allclose(v["people_cold_24h_65plus"], [50.0, 50.0])
        # below 12: r0 only group 2 (50 people x 48 h); r1 adds group 1 (200 x 30 h)
        np.testing.assert_allclose(v["person_days_below_12"], [100.0, 350.0])
        np.testing.assert_allclose(v["person_days_below_12_under5"], [5.0, 17.5])
        # dangerous (< 6 for 2 h, calibration G2): nobody; group 2 is at 8 degC in r1
        np.testing.assert_allclose(v["people_dangerous_cold"], [0.0, 0.0])
        np.testing.assert_allclose(v["cold_hours_median"], [30.0, 30.0])
        np.testing.assert_allclose(v["cold_hours_p90"], [48.0, 48.0])
        np.testing.assert_allclose(v["days_to_restore_heat"], [0.5, 43 / 24])
        np.testing.assert_allclose(v["buildings_without_heat_peak"], [100.0, 100.0])
        np.testing.assert_allclose(v["share_without_power_peak"], [100 * 250 / 350] * 2)
        np.testing.assert_allclose(v["heating_point_capacity"], [100.0, 100.0])
        # r0 peak demand: group 1 vulnerable 50 at 14 degC + group 2 all 50 at 11 degC, x 0.3 uptake
        np.testing.assert_allclose(v["heating_point_demand_peak"][0], 0.3 * 100.0)
        for da in v.data_vars.values():
            assert da.dims == ("realization",)
            assert {"units", "long_name", "definition"} <= set(da.attrs)

    def test_table(self, run_ds):
        table = headline_table(run_ds)
        assert list(table.columns) == HEADLINE_COLUMNS
        row = table.set_index("figure").loc["person_days_below_12"]
        assert row["unit"] == "person-days"
        assert row["p5"] <= row["p50"] <= row["p95"]
        np.testing.assert_allclose(row["p50"], 225.0)
        assert table["label"].str.len().min() > 0

    def test_optional_variables(self, run_ds):
        figures = set(
            headline_table(run_ds.drop_vars(["buildings_without_heat", "share_without_power"])).figure
        )
        assert "people_cold_24h" in figures
        assert not figures & {"days_to_restore_heat", "share_without_power_peak"}

    def test_comparison_identical(self, run_ds):
        table = comparison_table(run_ds, run_ds.copy(deep=True))
        assert (table[["diff_p50", "diff_p5", "diff_p95"]].to_numpy() == 0.0).all()
        assert (table["prob_reduction"].dropna() == 0.0).all()


@pytest.mark.parametrize("weighted", [False, True])
def test_comparison_district_rows_are_the_city_computation_on_that_district(weighted):
    """Each district row of comparison_table equals the city row's computation (xarray, as before the
    numpy rows) on that district selected by hand with isel: a vectorised district path that mixed up
    districts, codes or realizations would fail."""
    a, b = make_run(), make_run(policy="pause_week", severity=0.5, seed=8)
    if weighted:
        a = a.assign(realization_weight=("realization", np.linspace(1.0, 3.0, a.sizes["realization"])))
    s = Settings.from_dataset(a)
    table = comparison_table(a, b).set_index(["figure", "adm5_name"])
    da_, db_ = keyfigures.district_values(a, s), keyfigures.district_values(b, s)
    w, wa = paired_weights(a, b), realization_weights(a)
    assert (w is not None) == weighted
    key = "person_days_below_12"
    assert len(set(table.xs(key, level="figure")["diff_p50"])) == a.sizes["district"] + 1  # the premise: all differ
    for key in ("person_days_below_12", "people_cold_24h", "share_without_power_peak"):
        for i in (0, 4, a.sizes["district"] - 1):
            x, y = da_[key].isel(district=i), db_[key].isel(district=i)
            row = table.loc[(key, str(a["district"].values[i]))]
            assert row["adm5_code"] == str(a["katotth"].values[i])
            assert row["a_p50"] == float(median(x.values, wa))
            np.testing.assert_array_equal(row[["diff_p5", "diff_p50", "diff_p95"]].to_numpy(dtype=float),
                                          paired_difference(x, y, percentiles=(5, 50, 95), weights=w).values)
            assert row["prob_reduction"] == float(prob_reduction_at_least(x, y, frac=0.25, weights=w))
            err = mc_error((y - x).values, s, w)
            assert (row["diff_ci_low"], row["diff_ci_high"], row["mc_enough"]) == (
                err["ci_low"], err["ci_high"], err["enough"])


def test_binomial_half_cdf_and_ppf_are_scipy_stats_binom():
    """The median's order-statistic interval uses Binomial(n, 1/2) through scipy's own ufuncs instead of
    importing scipy.stats: the reference is scipy.stats.binom itself, for every n up to 1,500 and the
    quantiles the intervals use (exact equality: the same ufunc)."""
    from scipy.stats import binom

    from sim.stats import _binom_half_cdf, _binom_half_ppf

    for n in range(1, 1501):
        for q in (0.005, 0.025, 0.05, 0.1, 0.25):
            assert _binom_half_ppf(q, n) == int(binom.ppf(q, n, 0.5)), (q, n)
        for k in {0, n // 3, n // 2, n - 1}:
            assert _binom_half_cdf(k, n) == float(binom.cdf(k, n, 0.5)), (k, n)
