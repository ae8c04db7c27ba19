"""Tests written to kill mutants that survived ``make mutation`` (mutmut over sim.stats, sim.exposure,
sim.needs, sim.keyfigures and sim.report.content). Each test names the fault it catches; expected values
are worked out by hand or with plain numpy, never with the code under test."""

from __future__ import annotations

import warnings

import numpy as np
import pytest
import xarray as xr
from omegaconf import OmegaConf

from sim import needs
from sim.config.people import PeopleConfig
from sim.exposure import ExposureAccumulator, weighted_quantile_steps
from sim.keyfigures import Settings
from sim.stats import (
    COMPARISON_COLUMNS,
    HEADLINE_COLUMNS,
    _ceiling_hit,
    comparison_table,
    duration_survival,
    headline_table,
    headline_values,
    mc_error,
    median_ci,
    paired_difference,
    paired_weights,
    prob_reduction_at_least,
    summarize,
    weighted_median_ci,
)


class TestHeatingPointEligibleBoundaries:
    """reference/report.md bands: people seek a place *below* a threshold; exactly at it they stay home."""

    def test_exactly_at_the_thresholds_nobody_is_counted(self):
        occ, vul = np.array([10.0]), np.array([4.0])
        # vulnerable below max(12, 9) = 12 degC, everyone else below 9 degC
        assert needs.heating_point_eligible(np.array([[12.0]]), occ, vul, 12.0, 9.0)[0] == 0.0
        assert needs.heating_point_eligible(np.array([[9.0]]), occ, vul, 12.0, 9.0)[0] == 4.0  # only the vulnerable
        assert needs.heating_point_eligible(np.array([[8.99]]), occ, vul, 12.0, 9.0)[0] == 10.0


class TestPointsUnpoweredFrac:
    def test_default_rule_is_the_occupant_weighted_share(self):
        powered = np.array([[True, False, False]])
        occ = np.array([1.0, 1.0, 2.0])
        # by hand: groups 2 and 3 dark, 3 of 4 people
        np.testing.assert_allclose(needs.points_unpowered_frac(powered, occ), [0.75])

    def test_powered_given_as_zero_one_integers(self):
        powered = np.array([[1, 0, 0]])  # e.g. read from a CSV of 0/1 flags
        np.testing.assert_allclose(needs.points_unpowered_frac(powered, np.array([1.0, 1.0, 2.0])), [0.75])

    def test_weights_summing_to_one_are_still_weights(self):
        # occupants that are shares (total 1.0) must not fall back to the unweighted mean (which gives 0.5)
        powered = np.array([[True, False]])
        np.testing.assert_allclose(needs.points_unpowered_frac(powered, np.array([0.25, 0.75])), [0.75])

    def test_nobody_present_gives_the_plain_share_of_dark_groups(self):
        powered = np.array([[True, False, False, True]])
        np.testing.assert_allclose(needs.points_unpowered_frac(powered, np.zeros(4)), [0.5])

    @pytest.mark.parametrize("shape", [(2, 0), (2, 3, 0)])
    def test_no_groups_gives_zero_of_the_leading_shape(self, shape):
        out = needs.points_unpowered_frac(np.ones(shape, dtype=bool), np.zeros(0))
        assert out.shape == shape[:-1]
        np.testing.assert_array_equal(out, 0.0)

    def test_time_axis_is_kept_and_groups_are_the_last_axis(self):
        # (R=1, T=2, G=3): at t0 group 0 dark, at t1 all lit
        powered = np.array([[[False, True, True], [True, True, True]]])
        np.testing.assert_allclose(needs.points_unpowered_frac(powered, np.array([1.0, 1.0, 2.0])), [[0.25, 0.0]])
        np.testing.assert_array_equal(needs.points_unpowered_frac(powered, np.ones(3), "any_blackout"), [[1.0, 0.0]])
        np.testing.assert_allclose(needs.points_unpowered_frac(powered, np.zeros(3)), [[1 / 3, 0.0]])

    def test_unknown_rule_names_the_rule(self):
        with pytest.raises(ValueError, match="unknown generator rule 'every_point'"):
            needs.points_unpowered_frac(np.ones((1, 1), dtype=bool), np.ones(1), "every_point")


def test_points_needed_with_fewer_than_one_place_per_point():
    # 3 people at points of half a place each need 6 points (by hand); the guard against 0 stays tiny
    np.testing.assert_allclose(needs.points_needed(np.array([[3.0]]), np.array([1.0]), 0.5), [[6.0]])


class TestPointsByDistrict:
    def test_people_given_as_shares_are_weights(self):
        # weights summing to 1 (shares of the population) still spread the points: 10 x (0.2, 0.8)
        np.testing.assert_allclose(needs.points_by_district(10, np.array([0.2, 0.8])), [2.0, 8.0])

    @pytest.mark.parametrize(("n", "expected"), [(1, [6.0]), (3, [2.0, 2.0, 2.0])])
    def test_nobody_present_spreads_the_points_evenly(self, n, expected):
        np.testing.assert_allclose(needs.points_by_district(6, np.zeros(n)), expected)

    def test_by_district_needs_names_and_known_names(self):
        with pytest.raises(ValueError, match=r"^heating_points_by_district needs the district names$"):
            needs.points_by_district(4, np.ones(2), {"A": 1})
        with pytest.raises(ValueError, match=r"unknown districts: C, D$"):
            needs.points_by_district(4, np.ones(2), {"C": 1, "D": 2}, ["A", "B"])


class TestDieselPerDay:
    """Fuel = rating x load x hours x L/kWh (calibration G5); worked out by hand for each case."""

    def test_two_hour_steps(self):
        # 100 kW x 0.5 load x 2 h x 0.25 L/kWh = 25 L per step, 12 steps a day: 300 L/d
        np.testing.assert_allclose(needs.diesel_l_per_day(np.full((1, 24), 100.0), 2.0, 0.5, 0.25), [[300.0, 300.0]])

    def test_half_hour_steps_and_a_partial_last_day(self):
        # 40 kW x 1.0 x 0.5 h x 0.25 = 5 L per step; day 0: 48 steps = 240 L; day 1: 12 steps (6 h) = 60 L,
        # scaled to a daily rate: 60 x 24 / 6 = 240 L/d
        out = needs.diesel_l_per_day(np.full((2, 60), 40.0), 0.5, 1.0, 0.25)
        np.testing.assert_allclose(out, [[240.0, 240.0], [240.0, 240.0]])

    def test_last_day_shorter_than_an_hour(self):
        # 49 half-hour steps: day 1 is one step (0.5 h) of 5 L, a rate of 5 x 24 / 0.5 = 240 L/d
        np.testing.assert_allclose(needs.diesel_l_per_day(np.full(49, 40.0), 0.5, 1.0, 0.25), [240.0, 240.0])

    def test_uneven_use_within_a_day(self):
        # hourly, 26 h: generators run only in hour 25 (day 1, 2 h covered): 10 kW x 1 x 1 h x 0.3 = 3 L -> 36 L/d
        kw = np.zeros(26)
        kw[25] = 10.0
        np.testing.assert_allclose(needs.diesel_l_per_day(kw, 1.0, 1.0, 0.3), [0.0, 36.0])

    def test_no_steps_no_days(self):
        assert needs.diesel_l_per_day(np.zeros((3, 0)), 1.0, 0.5, 0.25).shape == (3, 0)


def test_generator_kw_broadcasts_points_per_district():
    # (R=1, T=2, D=2) shares x points per district (3, 5) x 20 kW
    frac = np.array([[[0.5, 1.0], [0.0, 0.2]]])
    np.testing.assert_allclose(needs.generator_kw(frac, np.array([3, 5]), 20.0), [[[30.0, 100.0], [0.0, 20.0]]])


# --- sim.exposure -------------------------------------------------------------------------------------------


def _accumulate(indoor_c, powered=None, occupants=None, cfg=None, dt_h=1.0, district=None, n_districts=None,
                share_65plus=None, share_under5=None, upper=None, unpowered=None):
    """Run (R, T, G) indoor temperatures through an ExposureAccumulator and return the Exposure.

    ``unpowered``: a per-step share of heating points without grid power, given to ``update`` (a list of T
    values, each a float or an (R,) array)."""
    indoor_c = np.asarray(indoor_c, dtype=float)
    R, T, G = indoor_c.shape
    district = np.zeros(G, dtype=int) if district is None else np.asarray(district)
    acc = ExposureAccumulator(
        np.full(G, 10.0) if occupants is None else np.asarray(occupants, dtype=float),
        np.zeros(G) if share_65plus is None else np.asarray(share_65plus, dtype=float),
        np.zeros(G) if share_under5 is None else np.asarray(share_under5, dtype=float),
        np.zeros(G) if upper is None else np.asarray(upper, dtype=float),
        district,
        int(district.max()) + 1 if n_districts is None else n_districts,
        cfg or PeopleConfig(heating_points=4),
        dt_h,
        R,
        T,
    )
    powered = np.ones((R, T, G), dtype=bool) if powered is None else np.asarray(powered, dtype=bool)
    for t in range(T):
        acc.update(t, indoor_c[:, t], powered[:, t], None if unpowered is None else unpowered[t])
    return acc.finish()


def _new(occupants=(1.0, 1.0), share_65plus=None, share_under5=None, upper=None, district=None, n_districts=1,
         cfg=None, dt_h=1.0):
    G = len(occupants)
    return ExposureAccumulator(
        np.asarray(occupants, dtype=float),
        np.zeros(G) if share_65plus is None else np.asarray(share_65plus, dtype=float),
        np.zeros(G) if share_under5 is None else np.asarray(share_under5, dtype=float),
        np.zeros(G) if upper is None else np.asarray(upper, dtype=float),
        np.zeros(G, dtype=int) if district is None else np.asarray(district),
        n_districts,
        cfg or PeopleConfig(heating_points=4),
        dt_h,
        1,
        2,
    )


class TestWeightedQuantileSteps:
    """The median and p90 of hours below 16 degC over affected people (the brief's duration figures)."""

    def test_one_step_spells_count_as_affected(self):
        # 3 people cold for 1 step, 1 person for 3 steps: half of the 4 affected are at 1 step or less
        assert weighted_quantile_steps(np.array([[1, 3]]), np.array([3.0, 1.0]), 0.5)[0] == 1

    def test_returns_whole_steps(self):
        out = weighted_quantile_steps(np.array([[0, 1, 3, 5]]), np.array([9.0, 1.0, 1.0, 2.0]), 0.5)
        assert np.issubdtype(out.dtype, np.integer)  # documented "ndarray of int" (steps)
        np.testing.assert_array_equal(out, [3])

    def test_durations_of_groups_without_people_are_nobody_affected(self):
        # the groups were cold but nobody lives there (e.g. no 65+ among them): 0, not the shortest spell
        np.testing.assert_array_equal(weighted_quantile_steps(np.array([[2, 5]]), np.zeros(2), 0.5), [0])

    def test_fewer_than_one_person_in_total(self):
        # fractional occupants (0.25 and 0.5 people): cum 0.25 < 0.375 <= 0.75 -> the 5-step group
        np.testing.assert_array_equal(weighted_quantile_steps(np.array([[2, 5]]), np.array([0.25, 0.5]), 0.5), [5])

    def test_no_groups_gives_zero(self):
        # no groups, nobody affected: 0 for each realization (this raised "argmax of an empty sequence")
        out = weighted_quantile_steps(np.zeros((2, 0), dtype=int), np.zeros(0), 0.9)
        np.testing.assert_array_equal(out, [0, 0])


class TestAccumulatorErrorsNameTheInput:
    """Bad input to the accumulator: a one-line error that names the argument and the rule."""

    @pytest.mark.parametrize("name", ["share_65plus", "share_under5", "upper_floor_occupants", "district_index"])
    def test_wrong_shape_names_the_argument(self, name):
        args = {"share_65plus": None, "share_under5": None, "upper": None, "district": None}
        key = {"upper_floor_occupants": "upper", "district_index": "district"}.get(name, name)
        args[key] = np.zeros(3, dtype=int) if name == "district_index" else np.zeros(3)
        with pytest.raises(ValueError, match=rf"^{name} has shape \(3,\), expected \(2,\)$"):
            _new(**args)

    def test_negative_occupants(self):
        with pytest.raises(ValueError, match=r"^occupants must be finite and >= 0$"):
            _new(occupants=(1.0, -1.0))

    def test_shares_above_one(self):
        with pytest.raises(ValueError, match=r"^share_65plus and share_under5 must be >= 0 and sum to at most 1$"):
            _new(share_65plus=(0.8, 0.0), share_under5=(0.3, 0.0))

    def test_everyone_on_upper_floors_is_allowed(self):
        # a tower whose 1000 occupants all live above the pump floor: all lose water when the power is off
        acc = _new(occupants=(1000.0,), upper=(1000.0,))
        acc.update(0, np.full((1, 1), 20.0), np.zeros((1, 1), dtype=bool))
        acc.update(1, np.full((1, 1), 20.0), np.ones((1, 1), dtype=bool))
        np.testing.assert_array_equal(acc.finish().people_without_water, [[1000.0, 0.0]])

    def test_more_upper_floor_occupants_than_occupants(self):
        with pytest.raises(ValueError, match=r"^upper_floor_occupants must be within \[0, occupants\]$"):
            _new(occupants=(10.0,), upper=(15.0,))

    def test_district_index_equal_to_the_number_of_districts(self):
        with pytest.raises(ValueError, match=r"^district_index must be integers in \[0, 2\)$"):
            _new(district=np.array([0, 2]), n_districts=2)

    def test_zero_time_step(self):
        with pytest.raises(ValueError, match=r"^dt_h must be > 0$"):
            _new(dt_h=0.0)

    def test_heating_points_not_filled(self):
        with pytest.raises(ValueError, match=r"^people\.heating_points is None \(the city's figure\): fill it "
                                             r"first, e\.g\. with sim\.chain\.resolve_defaults\(cfg\), or give a number$"):
            _new(cfg=PeopleConfig())

    @pytest.mark.parametrize(("kw", "share"), [([10.0, 30.0], [0.5, 0.6]), ([10.0, 30.0], [1.0])])
    def test_generator_classes(self, kw, share):
        cfg = PeopleConfig(heating_points=4, generator_class_kw=kw, generator_class_share=share)
        with pytest.raises(ValueError, match=r"^generator_class_kw and generator_class_share need one share per "
                                             r"class, summing to 1$"):
            _new(cfg=cfg)

    def test_step_beyond_the_run(self):
        acc = _new()
        for t in range(2):
            acc.update(t, np.full((1, 2), 20.0), np.ones((1, 2), dtype=bool))
        with pytest.raises(ValueError, match=r"^step 2 is beyond n_steps=2$"):
            acc.update(2, np.full((1, 2), 20.0), np.ones((1, 2), dtype=bool))

    def test_only_powered_has_the_wrong_shape(self):
        with pytest.raises(ValueError, match=r"^indoor_c \(1, 2\) and powered \(1, 3\) must be \(1, 2\)$"):
            _new().update(0, np.full((1, 2), 20.0), np.ones((1, 3), dtype=bool))


def test_people_config_without_the_newer_keys_uses_their_defaults():
    """A people config written before the severe band and the per-district points (no severe_exposure_c/h,
    no heating_points_by_district): 12 degC for 72 h, points spread like the people present."""
    old = {k: v for k, v in vars(PeopleConfig(heating_points=4)).items()
           if k not in ("severe_exposure_c", "severe_exposure_h", "heating_points_by_district")}
    cfg = OmegaConf.create(old)
    # 1 person at 11.9 degC for 72 h (severe), 2 at 12.5 degC for 80 h (not below 12), 4 at 11.9 for 71 h
    cols = [np.r_[np.full(72, 11.9), np.full(8, 20.0)], np.full(80, 12.5), np.r_[np.full(71, 11.9), np.full(9, 20.0)]]
    e = _accumulate(np.stack(cols, axis=-1)[None], occupants=[1.0, 2.0, 4.0], district=[0, 1, 1], cfg=cfg)
    np.testing.assert_array_equal(e.people_severe[0, :, 0], [1.0, 0.0])
    np.testing.assert_allclose(e.heating_point_capacity_by_district, [400.0 / 7, 2400.0 / 7])  # 4 x 100 x (1, 6)/7


def test_severe_band_follows_the_config():
    # severe below 10 degC: 11 degC for 80 h is not severe, 9.5 degC for 72 h is
    cols = [np.full(80, 11.0), np.r_[np.full(72, 9.5), np.full(8, 20.0)]]
    e = _accumulate(np.stack(cols, axis=-1)[None], occupants=[3.0, 5.0],
                    cfg=PeopleConfig(heating_points=4, severe_exposure_c=10.0))
    assert e.people_severe[0, 0, 0] == 5.0


def test_daily_steps_one_step_can_reach_each_duration():
    """Steps of 24 h: one day at 5 degC is 24 h below 16 (long), 24 h below 6 (>= 2 h, dangerous) and, with
    severe_exposure_h = 24, 24 h below 12 (severe); the warm day after changes nothing."""
    cfg = PeopleConfig(heating_points=4, severe_exposure_h=24.0)
    e = _accumulate(np.array([[[5.0], [20.0]]]), occupants=[7.0], cfg=cfg, dt_h=24.0)
    assert (e.people_cold_long[0, 0, 0], e.people_danger[0, 0, 0], e.people_severe[0, 0, 0]) == (7.0, 7.0, 7.0)


def test_long_exposure_cut_shared_with_the_heating_point_cut():
    """long_exposure_c = 17 degC is no threshold but the vulnerable heating-point cut: hours below 17 are still
    counted (5 steps at 16.5 degC, then 3 warm)."""
    cfg = PeopleConfig(heating_points=4, long_exposure_c=17.0, vulnerable_seek_below_c=17.0)
    indoor = np.r_[np.full(5, 16.5), np.full(3, 20.0)][None, :, None]
    e = _accumulate(indoor, occupants=[2.0], cfg=cfg)
    assert (e.cold_hours_median_h[0, 0], e.cold_spell_median_h[0, 0]) == (5.0, 5.0)
    assert e.cold_hours_hist[0, 0, 0] == 2.0  # the [0, 6) h bin


def test_people_below_16_by_district_and_age_by_hand():
    # g0 (district 0): 10 people, 20 % 65+, 10 % under 5, 15 degC both steps;
    # g1 (district 1): 20 people, 50 % 65+, 15 degC then 17 degC; g2 (district 1): 5 people, 20 % under 5, 10 degC
    indoor = np.array([[[15.0, 15.0, 10.0], [15.0, 17.0, 10.0]]])
    e = _accumulate(indoor, occupants=[10.0, 20.0, 5.0], district=[0, 1, 1],
                    share_65plus=[0.2, 0.5, 0.0], share_under5=[0.1, 0.0, 0.2])
    np.testing.assert_allclose(e.people_below_long_by_district_age[0],
                               [[[10, 2, 1], [25, 10, 1]], [[10, 2, 1], [5, 0, 1]]])


def test_nobody_ever_below_a_threshold_they_sit_exactly_at():
    e = _accumulate(np.full((1, 3, 1), 16.0), occupants=[4.0])
    np.testing.assert_array_equal(e.people_ever_below[0, :, 0, 0], [4.0, 0.0, 0.0, 0.0])  # 18, 16, 12, 9 degC


class TestPointsUnpoweredGivenPerStep:
    """The grid model may give the share of heating points without grid power to ``update``."""

    def test_array_and_scalar_shares_are_clipped_to_0_1(self):
        # step 0: three realizations, shares off by round-off at both ends; step 1: one share for all
        unpowered = [np.array([-1e-9, 0.5, 1.0 + 1e-7]), 0.25]
        e = _accumulate(np.full((3, 2, 2), 20.0), district=[0, 1], unpowered=unpowered)
        np.testing.assert_array_equal(e.points_unpowered_frac, [[0.0, 0.25], [0.5, 0.25], [1.0, 0.25]])
        np.testing.assert_array_equal(e.points_unpowered_by_district[:, 0], [[0.0, 0.0], [0.5, 0.5], [1.0, 1.0]])
        np.testing.assert_array_equal(e.points_unpowered_by_district[:, 1], np.full((3, 2), 0.25))

    def test_share_given_to_finish_is_clipped(self):
        acc = _new()
        for t in range(2):
            acc.update(t, np.full((1, 2), 20.0), np.ones((1, 2), dtype=bool))
        e = acc.finish(points_unpowered_frac=np.array([[1.0 + 1e-7, -1e-9]]))
        np.testing.assert_array_equal(e.points_unpowered_frac, [[1.0, 0.0]])


class TestPointsUnpoweredByDistrict:
    def test_fractional_occupants(self):
        # 0.25 people in district 0 (dark), 0.5 in district 1 (lit): city 0.25/0.75, districts 1 and 0
        e = _accumulate(np.full((1, 1, 2), 20.0), powered=[[[False, True]]], occupants=[0.25, 0.5], district=[0, 1])
        np.testing.assert_allclose(e.points_unpowered_frac[0], [1 / 3])
        np.testing.assert_array_equal(e.points_unpowered_by_district[0, 0], [1.0, 0.0])

    def test_district_with_nobody_present_is_not_nan(self):
        e = _accumulate(np.full((1, 1, 2), 20.0), powered=np.zeros((1, 1, 2)), occupants=[10.0, 0.0],
                        district=[0, 1])
        assert np.isfinite(e.points_unpowered_by_district).all()
        assert e.points_unpowered_by_district[0, 0, 0] == 1.0
        assert e.points_unpowered_by_district[0, 0, 1] == 1.0  # its one group is dark: the plain group share

    def test_district_of_less_than_one_person_stays_people_weighted(self):
        """0.4 people in a dark group and 0.1 in a lit one: the people-weighted share 0.8, not the plain 0.5."""
        e = _accumulate(np.full((1, 1, 2), 20.0), powered=[[[False, True]]], occupants=[0.4, 0.1], district=[0, 0])
        np.testing.assert_allclose(e.points_unpowered_by_district[0, 0], [0.8])

    def test_district_without_groups_has_no_points_without_power(self):
        """Two districts, every group in the first (dark): the second has no grid modelled, share 0, not 0/0."""
        e = _accumulate(np.full((1, 1, 2), 20.0), powered=np.zeros((1, 1, 2)), occupants=[10.0, 5.0],
                        district=[0, 0], n_districts=2)
        np.testing.assert_array_equal(e.points_unpowered_by_district[0, 0], [1.0, 0.0])

    def test_open_points_in_a_district_with_nobody_run_generators_when_dark(self):
        """District "B" has two groups and nobody present, 2 points open by name; one of its groups is dark:
        half its points run generators (the plain share of its groups, as the city-wide fallback does), 1 of 2
        points x 20 kW. District "A" (10 people, lit) has none. Before: 0, i.e. open dark points ran none."""
        cfg = PeopleConfig(heating_points=2, heating_points_by_district={"B": 2.0}, generator_class_kw=[20.0],
                           generator_class_share=[1.0])
        acc = ExposureAccumulator(np.array([10.0, 0.0, 0.0]), np.zeros(3), np.zeros(3), np.zeros(3),
                                  np.array([0, 1, 1]), 2, cfg, 1.0, 1, 1, district_names=["A", "B"])
        acc.update(0, np.full((1, 3), 20.0), np.array([[True, False, True]]))
        e = acc.finish()
        np.testing.assert_array_equal(e.points_unpowered_by_district[0, 0], [0.0, 0.5])
        np.testing.assert_array_equal(e.generators_by_district[0, 0], [0.0, 1.0])
        np.testing.assert_array_equal(e.generator_kw_by_district[0, 0], [0.0, 20.0])
        assert e.points_unpowered_frac[0, 0] == 0.0  # the city's share stays people-weighted: all present are lit

    def test_any_blackout_rule_by_district(self):
        """any_blackout: one dark group puts every point on generators. 4 points spread like the people
        (100 and 300) -> 1 and 3, nobody cold -> the open points; 20 kW each -> 20 and 60 kW."""
        cfg = PeopleConfig(heating_points=4, generator_rule="any_blackout", generator_class_kw=[20.0],
                           generator_class_share=[1.0])
        powered = [[[False, True], [True, True]]]
        e = _accumulate(np.full((1, 2, 2), 20.0), powered=powered, occupants=[100.0, 300.0], district=[0, 1],
                        cfg=cfg)
        np.testing.assert_array_equal(e.points_unpowered_by_district[0], [[1.0, 1.0], [0.0, 0.0]])
        np.testing.assert_allclose(e.generator_kw_by_district[0], [[20.0, 60.0], [0.0, 0.0]])


def test_diesel_per_day_has_one_row_per_realization():
    # one district, two realizations: dark all day / lit all day; 1 point x 20 kW x 0.5 x 24 h x 0.25 L/kWh = 60 L/d
    cfg = PeopleConfig(heating_points=1, generator_class_kw=[20.0], generator_class_share=[1.0],
                       generator_load_frac=0.5, diesel_l_per_kwh=0.25)
    powered = np.zeros((2, 24, 1), dtype=bool)
    powered[1] = True
    e = _accumulate(np.full((2, 24, 1), 20.0), powered=powered, occupants=[5.0], cfg=cfg)
    np.testing.assert_allclose(e.diesel_l_per_day, [[60.0], [0.0]])


class TestDurationBins:
    def test_two_hour_steps(self):
        """dt_h = 2 h, 10 steps (20 h), edges 0/6/12 h: 4 cold steps = 8 h -> [6, 12); 7 steps = 14 h ->
        [12, 20); the last edge is the run length."""
        cfg = PeopleConfig(heating_points=4, duration_bin_edges_h=[0.0, 6.0, 12.0])
        cols = [np.r_[np.full(4, 15.0), np.full(6, 20.0)], np.r_[np.full(7, 15.0), np.full(3, 20.0)]]
        e = _accumulate(np.stack(cols, axis=-1)[None], occupants=[1.0, 2.0], cfg=cfg, dt_h=2.0)
        np.testing.assert_array_equal(e.duration_bin_edges_h, [0.0, 6.0, 12.0, 20.0])
        np.testing.assert_array_equal(e.cold_hours_hist[0, :, 0], [0.0, 1.0, 2.0])

    def test_run_shorter_than_the_last_edge(self):
        # 10 h run, edges up to 24 h: the open last bin ends at the last configured edge
        cfg = PeopleConfig(heating_points=4, duration_bin_edges_h=[0.0, 6.0, 12.0, 24.0])
        e = _accumulate(np.full((1, 10, 1), 20.0), cfg=cfg)
        np.testing.assert_array_equal(e.duration_bin_edges_h, [0.0, 6.0, 12.0, 24.0, 24.0])


# --- sim.stats ----------------------------------------------------------------------------------------------


def _tiny_run(people=(10.0, 20.0, 30.0, 40.0, 50.0), left=(5.0, 30.0, 30.0, 60.0, 30.0), weights=None,
              config="", household_size=None):
    """A run of R realizations, 2 districts (20 and 30 residents; one person aged 65+, no children under 5)
    and 2 daily steps: ``people`` below 16 degC for 24 h per realization (half in each district, 65+ person
    always among them, and the same people below 12 degC for 72 h); 100 buildings without heat on day 0, ``left`` of them still without heat on day 1."""
    p = np.asarray(people, dtype=float)
    R = p.size
    ds = xr.Dataset(coords={
        "realization": np.arange(R), "district": ["A", "B"], "age_group": ["all", "65plus", "under5"],
        "time": np.datetime64("2026-01-29", "ns") + np.arange(2) * np.timedelta64(24, "h"),
    })
    ds["population"] = ("district", [20.0, 30.0])
    ds["occupants"] = (("district", "age_group"), [[20.0, 1.0, 0.0], [30.0, 0.0, 0.0]])
    ds["people_cold_24h"] = (("realization", "district"), np.stack([p / 2, p / 2], axis=-1))
    ds["people_severe_cold"] = ds["people_cold_24h"]  # the same people also below 12 degC for 72 h
    by_age = np.zeros((R, 2, 3))
    by_age[:, :, 0] = p[:, None] / 2
    by_age[:, 0, 1] = 1.0
    ds["people_cold_24h_by_age"] = (("realization", "district", "age_group"), by_age)
    bwh = np.zeros((R, 2, 2))
    bwh[:, 0, 0] = 100.0
    bwh[:, 1, 0] = left
    ds["buildings_without_heat"] = (("realization", "time", "district"), bwh)
    if weights is not None:
        ds["realization_weight"] = ("realization", np.asarray(weights, dtype=float))
    if config:
        ds.attrs["config"] = config
    if household_size is not None:
        ds.attrs["household_size"] = household_size
    return ds


class TestHeadlineTableArguments:
    """headline_table uses the restored_frac and household_size it is given, the run's realization weights
    and the order-statistic interval of the median; expected values by hand on 5 realizations."""

    def test_restored_frac_argument_sets_the_restore_days(self):
        # peak 100 on day 0; day 1 leaves 5, 30, 30, 60, 30. restored_frac 0.5: back (<= 50) on day 1 in 4 of 5
        # -> 1 d, else censored at the run's end, 2 d: median 1. The default 0.1 (<= 10): only the first -> 2 d.
        ds = _tiny_run(config="output: {restored_frac: 0.1}")
        row = headline_table(ds, restored_frac=0.5).set_index("figure").loc["days_to_restore_heat"]
        assert row["p50"] == 1.0
        assert headline_table(ds).set_index("figure").loc["days_to_restore_heat", "p50"] == 2.0

    def test_household_size_argument_wins_over_the_runs(self):
        # people 10..50, median 30; 2.5 people per household -> 12 (the run says 4 -> 7.5); ceiling 50 / 2.5
        ds = _tiny_run(household_size=4.0)
        row = headline_table(ds, household_size=2.5).set_index("figure").loc["households_cold_24h"]
        assert (row["p50"], row["ceiling"]) == (12.0, 20.0)
        assert headline_table(ds).set_index("figure").loc["households_cold_24h", "p50"] == 7.5

    @pytest.mark.parametrize(("confidence", "low", "high", "coverage_ok"), [
        # median_ci (Conover 1999, 3.2): [x_(k), x_(n-k+1)] with coverage 1 - 2 P(B <= k - 1), B ~ Bin(5, 1/2).
        # 95 %: P(B <= 0) = 1/32, 2/32 > 0.05, so no k >= 1 qualifies: (min, max), coverage 30/32 < 0.95.
        (0.95, 10.0, 50.0, False),
        # 60 %: k = 2 gives 1 - 2 x 6/32 = 0.625 >= 0.6 (k = 3 would give 1 - 2 x 16/32 = 0): [x_(2), x_(4)].
        (0.6, 20.0, 40.0, True),
    ])
    def test_median_interval_is_the_order_statistic_interval(self, confidence, low, high, coverage_ok):
        ds = _tiny_run(config=f"output: {{mc_confidence: {confidence}, mc_rel_tolerance: 0.5}}")
        row = headline_table(ds).set_index("figure").loc["people_cold_24h"]
        assert (row["p50_ci_low"], row["p50_ci_high"]) == (low, high)
        # half-width (high - low) / 2 over the median 30 must be <= 0.5, and the coverage reached
        np.testing.assert_allclose(row["mc_rel_error"], (high - low) / 2 / 30.0)
        assert row["mc_enough"] == coverage_ok

    def test_a_zero_weight_removes_its_realization(self):
        # weight 0 on the 1000-people realization: type 7 over 10, 20, 30, 40 (Akinshin, arXiv:2304.07265):
        # p50 25, p5 10 + 0.05 x 3 x 10 = 11.5, p95 10 + 0.95 x 30 = 38.5; Kish's n = 4, too few for 95 %
        # (2 P(B <= 0) = 2/16 > 0.05): the interval is (min, max) of the four, (10, 40).
        ds = _tiny_run(people=(10.0, 20.0, 30.0, 40.0, 1000.0), weights=(1.0, 1.0, 1.0, 1.0, 0.0))
        row = headline_table(ds).set_index("figure").loc["people_cold_24h"]
        np.testing.assert_allclose([row["p50"], row["p5"], row["p95"]], [25.0, 11.5, 38.5], rtol=1e-12)
        np.testing.assert_allclose([row["p50_ci_low"], row["p50_ci_high"]], [10.0, 40.0], rtol=1e-12)


class TestHeadlineTableColumns:
    """The columns of ``headline.csv`` besides the numbers: what each row is, and the interval's names."""

    def test_unit_definition_section_and_lead_of_a_row(self):
        t = headline_table(_tiny_run(), household_size=2.5).set_index("figure")
        hh = t.loc["households_cold_24h"]
        assert (hh["unit"], hh["section"], bool(hh["lead"])) == ("households", "exposure", False)
        assert hh["definition"] == "the same, in households: people / 2.5 (Shelter Cluster Ukraine)"
        assert bool(t.loc["people_cold_72h", "lead"]) is True  # a key-figure box of the brief

    def test_an_80_percent_interval_names_its_columns_p10_p90(self):
        # people 10, 20, 30, 40, 50, type 7: p10 = 10 + 0.4 x 10 = 14, p90 = 10 + 3.6 x 10 = 46
        t = headline_table(_tiny_run(config="output: {interval_pct: 80}"))
        assert list(t.columns) == [{"p5": "p10", "p95": "p90"}.get(c, c) for c in HEADLINE_COLUMNS]
        row = t.set_index("figure").loc["people_cold_24h"]
        np.testing.assert_allclose([row["p10"], row["p90"]], [14.0, 46.0], rtol=1e-12)

    def test_a_run_without_figures_still_has_the_columns(self):
        t = headline_table(xr.Dataset())
        assert t.empty and list(t.columns) == HEADLINE_COLUMNS


class TestHeadlineValuesArguments:
    def test_household_size_argument_wins_over_the_runs(self):
        # people 10, 20, 30, 40, 50 at 2.5 people per household (the run says 4)
        v = headline_values(_tiny_run(household_size=4.0), household_size=2.5)
        np.testing.assert_allclose(v["households_cold_24h"].values, [4.0, 8.0, 12.0, 16.0, 20.0], rtol=1e-12)

    def test_restored_frac_argument(self):
        v = headline_values(_tiny_run(), restored_frac=0.5)  # see TestHeadlineTableArguments
        np.testing.assert_array_equal(v["days_to_restore_heat"].values, [1.0, 1.0, 1.0, 2.0, 1.0])


class TestAtCeiling:
    """``at_ceiling``: the upper end of the interval is the figure's physical bound (everyone)."""

    def test_exactly_at_and_just_below_the_population(self):
        # 50 residents; p95 of 10, 20, 30, 50, 50 (type 7: x_(4) + 0.8 (x_(5) - x_(4))) is 50 -> at the bound
        at = headline_table(_tiny_run(people=(10.0, 20.0, 30.0, 50.0, 50.0))).set_index("figure")
        assert at.loc["people_cold_24h", "p95"] == 50.0
        assert bool(at.loc["people_cold_24h", "at_ceiling"]) is True
        # one person short in the two worst runs: p95 49, not at the bound
        below = headline_table(_tiny_run(people=(10.0, 20.0, 30.0, 49.0, 49.0))).set_index("figure")
        assert bool(below.loc["people_cold_24h", "at_ceiling"]) is False

    def test_a_bound_of_one_person_and_of_nobody(self):
        # the one person aged 65+ is cold in every run: p95 1 = the bound 1; nobody under 5 lives there: a
        # bound of 0 is no bound, never reported as hit (the figure is 0 too)
        t = headline_table(_tiny_run()).set_index("figure")
        assert (t.loc["people_cold_24h_65plus", "ceiling"], t.loc["people_cold_24h_65plus", "p95"]) == (1.0, 1.0)
        assert bool(t.loc["people_cold_24h_65plus", "at_ceiling"]) is True
        assert (t.loc["people_cold_24h_under5", "ceiling"], t.loc["people_cold_24h_under5", "p95"]) == (0.0, 0.0)
        assert bool(t.loc["people_cold_24h_under5", "at_ceiling"]) is False

    def test_round_off_tolerance_is_inclusive(self):
        # a p95 within a relative 1e-9 of the bound (round-off of a weighted share) counts as at the bound,
        # the edge included; 1e-8 below does not
        c = 100.0
        assert _ceiling_hit(c * (1 - 1e-9), c) is True
        assert _ceiling_hit(c * (1 - 1e-8), c) is False
        assert _ceiling_hit(c, float("inf")) is False
        assert _ceiling_hit(c, float("nan")) is False


class TestDurationSurvivalGuard:
    def test_less_than_one_person_affected(self):
        # 0.25 people in [0, 6) h and 0.25 in [6, 12) h: half of the 0.5 affected are cold for >= 6 h
        hist = xr.DataArray([[0.25, 0.25, 0.0]], dims=("realization", "duration_bin"),
                            coords={"duration_bin": [0.0, 6.0, 12.0]})
        np.testing.assert_array_equal(duration_survival(hist).values, [[1.0, 0.5, 0.0]])

    def test_nobody_affected_is_zero_and_attributes(self):
        hist = xr.DataArray(np.zeros((2, 3)), dims=("realization", "duration_bin"),
                            coords={"duration_bin": [0.0, 6.0, 12.0]})
        out = duration_survival(hist)
        np.testing.assert_array_equal(out.values, np.zeros((2, 3)))  # documented: 0 where nobody is affected
        assert out.attrs == {"units": "1",
                             "long_name": "share of affected people still cold after the given duration"}


def _weighted_pair(wa=None, wb=None, n=3):
    """Two runs of ``n`` realizations with the given ``realization_weight`` (None: none)."""
    out = []
    for w in (wa, wb):
        ds = xr.Dataset(coords={"realization": np.arange(n)})
        if w is not None:
            ds["realization_weight"] = ("realization", np.asarray(w, dtype=float))
        out.append(ds)
    return out


class TestPairedWeights:
    """Weights of realization pairs (docs/nowcast.md): None, the common normalized weights, or their mean."""

    def test_two_unweighted_runs_have_no_weights(self):
        assert paired_weights(*_weighted_pair()) is None

    @pytest.mark.parametrize("weighted_side", ["a", "b"])
    def test_one_weighted_run_averages_with_equal_weights(self, weighted_side):
        # weights 1, 1, 2 -> 1/4, 1/4, 1/2; the other run is 1/3 each: the mean of the two, by hand
        w = [1.0, 1.0, 2.0]
        pair = _weighted_pair(wa=w) if weighted_side == "a" else _weighted_pair(wb=w)
        np.testing.assert_allclose(paired_weights(*pair), [7 / 24, 7 / 24, 10 / 24], rtol=1e-12)

    def test_the_same_weights_unnormalized_are_the_common_weights(self):
        out = paired_weights(*_weighted_pair(wa=[1.0, 1.0, 2.0], wb=[2.0, 2.0, 4.0]))
        np.testing.assert_array_equal(out, [0.25, 0.25, 0.5])

    def test_weights_apart_by_1e_8_are_averaged(self):
        # the test is relative 1e-12 with no absolute slack: 1e-8 apart is not "the same weights"
        wa = np.array([1.0, 1.0, 2.0])
        wb = np.array([1.0, 1.0, 2.0 * (1 + 1e-8)])
        expected = 0.5 * (wa / wa.sum() + wb / wb.sum())
        out = paired_weights(*_weighted_pair(wa=wa, wb=wb))
        np.testing.assert_array_equal(out, expected)
        assert not np.array_equal(out, wa / wa.sum())

    def test_different_realizations_are_refused(self):
        a, _ = _weighted_pair(wa=[1.0, 2.0, 3.0])
        _, b = _weighted_pair(wb=[1.0, 2.0], n=2)
        with pytest.raises(ValueError, match=r"^the two runs have different realizations; paired differences "
                                             r"need the same ones$"):
            paired_weights(a, b)


class TestWeightedMedianCi:
    """median_ci on Kish's effective sample size (Conover 1999, 3.2); expected values by hand."""

    @pytest.mark.parametrize("w", [np.full(10, 0.1), np.ones(10)])
    def test_equal_weights_give_the_order_statistics(self, w):
        # n = 10: k = 2 (2 P(B <= 1) = 22/1024 <= 0.05 < 2 P(B <= 2) = 112/1024): [x_(2), x_(9)], coverage 1 - 22/1024
        lo, hi, cov = weighted_median_ci(np.arange(1.0, 11.0), w)
        np.testing.assert_allclose([lo, hi], [2.0, 9.0], rtol=1e-12)
        assert cov == 1 - 22 / 1024

    def test_six_realizations_give_min_and_max_with_their_coverage(self):
        # n = 6: k = 1 (2 P(B <= 0) = 2/64): [x_(1), x_(6)], coverage 62/64
        assert weighted_median_ci(np.array([4.0, 1.0, 6.0, 2.0, 5.0, 3.0]), np.ones(6)) == (1.0, 6.0, 62 / 64)

    def test_two_realizations_are_too_few_for_95_percent(self):
        # n = 2: no k >= 1 reaches 95 %; (min, max) with coverage 1 - 2 x 0.5^2 = 0.5
        assert weighted_median_ci(np.array([7.0, 3.0]), np.array([1.0, 1.0])) == (3.0, 7.0, 0.5)

    def test_a_point_mass_spans_every_realization_with_no_coverage(self):
        # Kish's n = 1: no interval can be had; the range of the values, coverage 0
        assert weighted_median_ci(np.array([5.0, 100.0, 20.0]), np.array([1.0, 1e-300, 1e-300])) == (5.0, 100.0, 0.0)

    def test_no_realizations(self):
        lo, hi, cov = weighted_median_ci(np.array([]), np.array([]))
        assert np.isnan(lo) and np.isnan(hi) and cov == 0.0


def _pair(config_a="", config_b="", weights=None, capacity=False):
    """Baseline a (people 10..50 below 16 degC for 24 h) and alternative b (5, 20, 10, 40, 25), same seed;
    with ``capacity`` also 100 heating-point places in both (a figure whose cut is no improvement)."""
    a = _tiny_run(config=config_a, weights=weights)
    b = _tiny_run(people=(5.0, 20.0, 10.0, 40.0, 25.0), config=config_b, weights=weights)
    if capacity:
        for ds, demand in ((a, 50.0), (b, 30.0)):
            ds["heating_point_capacity"] = 100.0
            ds["heating_point_demand"] = (("realization", "time"), np.full((5, 2), demand))
    return a, b


class TestComparisonTableByHand:
    """comparison.csv on two 5-realization runs; b - a = -5, 0, -20, 0, -25 people, run by run."""

    def test_city_row(self):
        row = comparison_table(*_pair()).set_index(["figure", "adm5_name"]).loc[("people_cold_24h", "")]
        assert (row["label"], row["unit"], row["adm5_code"]) == (
            "People below 16 °C indoors for 24 h or more", "people", "")
        assert (row["a_p50"], row["b_p50"]) == (30.0, 20.0)
        # sorted differences -25, -20, -5, 0, 0; type 7: p5 = -25 + 0.2 x 5, p95 = 0
        np.testing.assert_allclose([row["diff_p50"], row["diff_p5"], row["diff_p95"]], [-5.0, -24.0, 0.0],
                                   rtol=1e-12, atol=1e-12)
        # (b - a) / a = -1/2, 0, -2/3, 0, -1/2: median -1/2
        assert row["rel_diff_p50"] == -0.5
        # a cut of >= 25 % with b < a in runs 0, 2 and 4
        assert row["prob_reduction"] == 0.6
        # n = 5 is too few for a 95 % interval: (min, max) of the differences, not enough
        assert (row["diff_ci_low"], row["diff_ci_high"], bool(row["mc_enough"])) == (-25.0, 0.0, False)

    def test_district_rows(self):
        t = comparison_table(*_pair()).set_index(["figure", "adm5_name"])
        # half the people in each district: a 5..25, b 2.5, 10, 5, 20, 12.5
        for name in ("A", "B"):
            row = t.loc[("people_cold_24h", name)]
            assert (row["a_p50"], row["b_p50"], row["diff_p50"]) == (15.0, 10.0, -2.5)
            assert row["prob_reduction"] == 0.6
        assert set(t.index.get_level_values("adm5_name")) == {"", "A", "B"}

    def test_district_codes_are_the_katotth_coordinate(self):
        a, b = _pair()
        codes = ["UA01", "UA02"]
        t = comparison_table(a.assign_coords(katotth=("district", codes)), b.assign_coords(katotth=("district", codes)))
        rows = t[t["figure"] == "people_cold_24h"].set_index("adm5_name")
        assert (rows.loc["A", "adm5_code"], rows.loc["B", "adm5_code"], rows.loc["", "adm5_code"]) == ("UA01", "UA02", "")

    def test_city_rows_only(self):
        t = comparison_table(*_pair(), districts=False)
        assert set(t["adm5_name"]) == {""} and "people_cold_24h" in set(t["figure"])

    @pytest.mark.parametrize(("kwargs", "config", "expected"), [
        # a - b >= frac a and b < a: frac 0.6 only in run 2 (20 >= 18); 0.5 in runs 0, 2, 4 (5 >= 5: inclusive)
        ({"frac": 0.6}, "", 0.2),
        ({"frac": 0.5}, "", 0.6),
        ({}, "output: {reduction_frac: 0.6}", 0.2),  # the baseline's config
    ])
    def test_reduction_frac(self, kwargs, config, expected):
        t = comparison_table(*_pair(config_a=config), **kwargs).set_index(["figure", "adm5_name"])
        assert t.loc[("people_cold_24h", ""), "prob_reduction"] == expected

    def test_restored_frac_argument(self):
        # see TestHeadlineTableArguments: restored_frac 0.5 gives 1 day in 4 of 5 runs of both
        t = comparison_table(*_pair(), restored_frac=0.5).set_index(["figure", "adm5_name"])
        assert t.loc[("days_to_restore_heat", ""), "a_p50"] == 1.0
        assert comparison_table(*_pair()).set_index(["figure", "adm5_name"]).loc[
            ("days_to_restore_heat", ""), "a_p50"] == 2.0

    def test_a_cut_that_is_no_improvement_has_no_probability(self):
        t = comparison_table(*_pair(capacity=True)).set_index(["figure", "adm5_name"])
        assert np.isnan(t.loc[("heating_point_capacity", ""), "prob_reduction"])
        assert t.loc[("heating_point_demand_peak", ""), "prob_reduction"] == 1.0  # 50 -> 30 places in every run

    def test_interval_columns_follow_the_interval(self):
        # 80 %: p10 of -25, -20, -5, 0, 0 = -25 + 0.4 x 5, p90 = 0
        t = comparison_table(*_pair(config_a="output: {interval_pct: 80}"))
        assert list(t.columns) == [{"diff_p5": "diff_p10", "diff_p95": "diff_p90"}.get(c, c)
                                   for c in COMPARISON_COLUMNS]
        row = t.set_index(["figure", "adm5_name"]).loc[("people_cold_24h", "")]
        np.testing.assert_allclose([row["diff_p10"], row["diff_p90"]], [-23.0, 0.0], rtol=1e-12, atol=1e-12)

    def test_monte_carlo_columns_at_60_percent(self):
        # 60 %, n = 5: k = 2, [x_(2), x_(4)] of the differences = (-20, 0); half-width 10 / |median 5| = 2
        cfg = "output: {mc_confidence: 0.6, mc_rel_tolerance: 2.0}"
        row = comparison_table(*_pair(config_a=cfg)).set_index(["figure", "adm5_name"]).loc[("people_cold_24h", "")]
        assert (row["diff_ci_low"], row["diff_ci_high"], bool(row["mc_enough"])) == (-20.0, 0.0, True)

    def test_weighted_pairs(self):
        # weight 0 on run 4: the others are 10, 20, 30, 40 against 5, 20, 10, 40 (differences -5, 0, -20, 0)
        a, b = _pair(weights=(1.0, 1.0, 1.0, 1.0, 0.0))
        row = comparison_table(a, b).set_index(["figure", "adm5_name"]).loc[("people_cold_24h", "")]
        # type 7 over the four: a 25, b 15, differences -20, -5, 0, 0 -> -2.5; (b - a)/a -1/2, 0, -2/3, 0 -> -1/4
        assert (row["a_p50"], row["b_p50"]) == (25.0, 15.0)
        np.testing.assert_allclose([row["diff_p50"], row["rel_diff_p50"]], [-2.5, -0.25], rtol=1e-12)
        assert row["prob_reduction"] == 0.5  # runs 0 and 2 of the four

    def test_no_baseline_exposure_gives_no_relative_difference(self):
        a, b = _pair()
        zero = a.assign(people_cold_24h=a["people_cold_24h"] * 0.0)
        row = comparison_table(zero, b).set_index(["figure", "adm5_name"]).loc[("people_cold_24h", "")]
        assert np.isnan(row["rel_diff_p50"]) and row["prob_reduction"] == 0.0

    def test_relative_difference_over_runs_with_exposure_only(self):
        # a = 0, 0.5, 30, 40, 50; b = 5, 0.75, 10, 40, 25: (b - a)/a = +1/2, -2/3, 0, -1/2 where a > 0 (the run
        # with a = 0 has no ratio, and half a person is exposure): median of the four -1/4
        a = _tiny_run(people=(0.0, 0.5, 30.0, 40.0, 50.0))
        b = _tiny_run(people=(5.0, 0.75, 10.0, 40.0, 25.0))
        row = comparison_table(a, b).set_index(["figure", "adm5_name"]).loc[("people_cold_24h", "")]
        assert row["rel_diff_p50"] == -0.25

    def test_restored_frac_argument_applies_to_both_scenarios(self):
        a, b = _pair()
        b["buildings_without_heat"] = b["buildings_without_heat"] * 0 + a["buildings_without_heat"]
        row = comparison_table(a, b, restored_frac=0.5).set_index(["figure", "adm5_name"]).loc[
            ("days_to_restore_heat", "")]
        assert (row["a_p50"], row["b_p50"], row["diff_p50"]) == (1.0, 1.0, 0.0)


def _runs(values, dim="realization", weight=None, **attrs):
    da = xr.DataArray(np.asarray(values, dtype=float), dims=dim, attrs=attrs)
    if weight is not None:
        da = da.assign_coords(realization_weight=(dim, np.asarray(weight, dtype=float)))
    return da


class TestSummarizeWeights:
    """summarize: the run's weights (a coordinate) or given ones; type 7 by hand (Akinshin 2023 for zero weights)."""

    VALUES = (10.0, 20.0, 30.0, 40.0, 1000.0)
    W = (1.0, 1.0, 1.0, 1.0, 0.0)

    def test_the_weights_coordinate_is_used_and_dropped(self):
        # weight 0 on 1000: type 7 over 10..40: p5 = 10 + 0.15 x 10, p50 = 25, p95 = 10 + 2.85 x 10
        out = summarize(_runs(self.VALUES, weight=self.W))
        np.testing.assert_allclose(out.values, [11.5, 25.0, 38.5], rtol=1e-12)
        assert "realization_weight" not in out.coords

    def test_given_weights(self):
        np.testing.assert_allclose(summarize(_runs(self.VALUES), weights=np.array(self.W)).values,
                                   [11.5, 25.0, 38.5], rtol=1e-12)

    def test_weights_false_ignores_the_coordinate(self):
        # unweighted type 7 over all five: p5 = 10 + 0.2 x 10, p95 = 40 + 0.8 x 960
        out = summarize(_runs(self.VALUES, weight=self.W), weights=False)
        np.testing.assert_allclose(out.values, [12.0, 30.0, 808.0], rtol=1e-12)
        assert "realization_weight" not in out.coords

    def test_equal_given_weights_are_unweighted(self):
        np.testing.assert_allclose(summarize(_runs(self.VALUES), weights=np.full(5, 3.0)).values,
                                   [12.0, 30.0, 808.0], rtol=1e-12)

    def test_a_single_weighted_realization(self):
        np.testing.assert_array_equal(summarize(_runs([7.0]), weights=np.array([1.0])).values, [7.0, 7.0, 7.0])

    def test_another_dimension_reads_no_weights_coordinate(self):
        # the coordinate belongs to realizations; a summary over "run" is unweighted unless weights are given
        out = summarize(_runs(self.VALUES, dim="run", weight=self.W), dim="run")
        np.testing.assert_allclose(out.values, [12.0, 30.0, 808.0], rtol=1e-12)
        out = summarize(_runs(self.VALUES, dim="run"), dim="run", weights=np.array(self.W), percentiles=(0, 50, 100))
        np.testing.assert_allclose(out.values, [10.0, 25.0, 40.0], rtol=1e-12)
        assert out.dims == ("percentile",)

    def test_weighted_over_a_second_dimension(self):
        da = xr.DataArray(np.stack([np.array(self.VALUES), 2 * np.array(self.VALUES)], axis=1),
                          dims=("realization", "district"),
                          coords={"realization_weight": ("realization", np.array(self.W))})
        out = summarize(da)
        assert out.dims == ("percentile", "district")
        np.testing.assert_allclose(out.values, [[11.5, 23.0], [25.0, 50.0], [38.5, 77.0]], rtol=1e-12)

    @pytest.mark.parametrize("bad", [(5, 100.5), (-0.5, 50), [[5, 50]]])
    def test_percentiles_outside_0_100(self, bad):
        with pytest.raises(ValueError, match=r"^percentiles must be a sequence within \[0, 100\], got "):
            summarize(_runs(self.VALUES), percentiles=bad)

    def test_0_and_100_are_allowed(self):
        np.testing.assert_array_equal(summarize(_runs(self.VALUES), percentiles=(0, 100)).values, [10.0, 1000.0])


class TestPairedDifferenceAttributesAndWeights:
    def test_attributes(self):
        a = _runs([1.0, 2.0], units="people", long_name="people cold")
        diff = paired_difference(a, _runs([3.0, 1.0]), percentiles=None)
        np.testing.assert_array_equal(diff.values, [2.0, -1.0])
        assert diff.attrs == {"units": "people", "long_name": "paired difference (b - a) of people cold"}
        assert paired_difference(_runs([1.0]), _runs([2.0]), percentiles=None).attrs == {
            "units": "1", "long_name": "paired difference (b - a) of value"}
        assert paired_difference(_runs([1.0]).rename("x"), _runs([2.0]), percentiles=None).attrs["long_name"] == (
            "paired difference (b - a) of x")

    @pytest.mark.parametrize("side", ["a", "b", "both"])
    def test_the_weights_coordinate_is_not_carried_into_the_differences(self, side):
        w = (1.0, 2.0)
        a = _runs([1.0, 2.0], weight=w if side in ("a", "both") else None)
        b = _runs([3.0, 1.0], weight=w if side in ("b", "both") else None)
        assert "realization_weight" not in paired_difference(a, b, percentiles=None).coords

    def test_pair_weights(self):
        # differences 0, 0, 0, 0, 990 with weight 0 on the last: every percentile 0; unweighted p95 = 0.8 x 990
        a, b = _runs([10.0, 20.0, 30.0, 40.0, 10.0]), _runs([10.0, 20.0, 30.0, 40.0, 1000.0])
        np.testing.assert_array_equal(paired_difference(a, b, weights=np.array(TestSummarizeWeights.W)).values, 0.0)
        np.testing.assert_allclose(paired_difference(a, b).values, [0.0, 0.0, 792.0], rtol=1e-12)

    def test_other_dimension_and_two_dimensions(self):
        a = xr.DataArray([[0.0, 1.0], [1.0, 2.0], [2.0, 3.0]], dims=("run", "district"))
        out = paired_difference(a, 2 * a, dim="run", percentiles=(0, 50, 100))
        assert out.dims == ("percentile", "district")
        np.testing.assert_allclose(out.values, [[0.0, 1.0], [1.0, 2.0], [2.0, 3.0]])


class TestProbReductionEdges:
    """prob_reduction_at_least: its bounds, the baseline-zero count and weights; by hand."""

    def test_a_cut_of_100_percent_is_allowed(self):
        assert float(prob_reduction_at_least(_runs([100.0, 100.0]), _runs([0.0, 50.0]), frac=1.0)) == 0.5

    @pytest.mark.parametrize("frac", [1.5, -0.1])
    def test_frac_outside_0_1(self, frac):
        with pytest.raises(ValueError, match=rf"^frac must be within \[0, 1\], got {frac}$"):
            prob_reduction_at_least(_runs([1.0]), _runs([1.0]), frac=frac)

    def test_unknown_zero_baseline(self):
        with pytest.raises(ValueError, match=r"^zero_baseline must be 'fail' or 'exclude', got 'skip'$"):
            prob_reduction_at_least(_runs([1.0]), _runs([1.0]), zero_baseline="skip")

    def test_different_realizations_are_refused(self):
        a = _runs([1.0, 2.0]).assign_coords(realization=[0, 1])
        b = _runs([1.0, 2.0]).assign_coords(realization=[1, 2])
        with pytest.raises(ValueError):
            prob_reduction_at_least(a, b)

    def test_less_than_one_person_is_exposure(self):
        # 0.5 people -> 0.1: a cut of 80 %
        assert float(prob_reduction_at_least(_runs([0.5]), _runs([0.1]))) == 1.0

    def test_count_of_zero_baselines(self):
        prob = prob_reduction_at_least(_runs([100.0, 100.0, 0.0]), _runs([50.0, 100.0, 0.0]))
        assert (float(prob), prob.attrs["n_baseline_zero"]) == (pytest.approx(1 / 3), 1)

    def test_weights_are_shares_and_weightless_zeros_are_not_counted(self):
        # successes in runs 0 and 3 (weights 2 and 4 of 8); run 1 (weight 2) is a zero baseline, run 2 weighs 0
        a, b = _runs([100.0, 0.0, 0.0, 100.0]), _runs([10.0, 0.0, 0.0, 50.0])
        w = np.array([2.0, 2.0, 0.0, 4.0])
        prob = prob_reduction_at_least(a, b, weights=w)
        assert float(prob) == 0.75 and prob.attrs["n_baseline_zero"] == 1
        # excluding zero baselines: 6 of the 6 that have something to cut
        assert float(prob_reduction_at_least(a, b, weights=w, zero_baseline="exclude")) == 1.0
        # normalized weights of 0.5 each: neither run weighs more than 1, both zero baselines count
        prob = prob_reduction_at_least(_runs([0.0, 0.0]), _runs([0.0, 0.0]), weights=np.array([1.0, 1.0]))
        assert prob.attrs["n_baseline_zero"] == 2



class TestMedianCiEdges:
    def test_no_values(self):
        lo, hi, cov = median_ci(np.array([]))
        assert np.isnan(lo) and np.isnan(hi) and cov == 0.0

    def test_one_value(self):
        # n = 1: no interval; the value itself, coverage 1 - 2 x 0.5 = 0
        assert median_ci(np.array([7.0])) == (7.0, 7.0, 0.0)


class TestMcError:
    """The Monte Carlo rule (``output.mc_rel_tolerance``): half-width of the median's interval over the median."""

    def test_no_values_give_no_interval_and_no_warning(self):
        with warnings.catch_warnings():
            warnings.simplefilter("error")
            for w in (None, np.array([])):
                err = mc_error(np.array([]), Settings(), w)
                assert np.isnan(err["ci_low"]) and np.isnan(err["ci_high"])
                assert (err["rel_error"], err["enough"]) == (float("inf"), False)

    def test_a_zero_median_with_a_wider_interval_is_never_enough(self):
        err = mc_error(np.array([-1.0, 0.0, 0.0, 0.0, 1.0]), Settings(mc_rel_tolerance=100.0))
        assert (err["ci_low"], err["ci_high"], err["rel_error"], err["enough"]) == (-1.0, 1.0, float("inf"), False)

    def test_a_median_of_one(self):
        # n = 6: [min, max] = [0, 2], half-width 1 over the median 1
        err = mc_error(np.array([0.0, 1.0, 1.0, 1.0, 1.0, 2.0]), Settings(mc_rel_tolerance=1.0))
        assert (err["rel_error"], err["enough"]) == (1.0, True)

    def test_exactly_at_the_tolerance_is_enough(self):
        # n = 6 (coverage 62/64 >= 95 %): half-width 0.5 over the median 10 = 0.05
        err = mc_error(np.array([9.5, 10.0, 10.0, 10.0, 10.0, 10.5]), Settings(mc_rel_tolerance=0.05))
        assert (err["rel_error"], err["enough"]) == (0.05, True)

    def test_exactly_at_the_coverage_is_enough_and_below_it_is_not(self):
        same = np.full(6, 3.0)  # an interval of zero width: rel 0
        assert mc_error(same, Settings(mc_confidence=62 / 64))["enough"] is True
        # n = 5 reaches 30/32 < 95 % only
        assert mc_error(np.full(5, 3.0), Settings())["enough"] is False

    def test_weighted(self):
        # weight 0 on the first of 1..10: Kish's n = 9; 60 %: k = 3 (2 P(B <= 2) = 92/512 <= 0.4 < 2 P(B <= 3));
        # type 7 over 2..10 at 2/8 and 6/8: 4 and 8; weighted median 6: half-width 2 / 6
        w = np.r_[0.0, np.ones(9)]
        err = mc_error(np.arange(1.0, 11.0), Settings(mc_confidence=0.6, mc_rel_tolerance=0.5), w)
        np.testing.assert_allclose([err["ci_low"], err["ci_high"], err["rel_error"]], [4.0, 8.0, 1 / 3], rtol=1e-12)
        assert err["enough"] is True
