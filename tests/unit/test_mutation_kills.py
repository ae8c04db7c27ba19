"""Tests written to kill mutants that survived ``make mutation`` (mutmut over sim.stats, sim.exposure,
sim.needs, sim.keyfigures and sim.report.content). Each test names the fault it catches; expected values
are worked out by hand or with plain numpy, never with the code under test."""

from __future__ import annotations

import numpy as np
import pytest

from sim import needs


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
