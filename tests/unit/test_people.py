"""Hand-computed cases for the exposure and needs metrics (sim.exposure, sim.needs, sim.people)."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import numpy as np
import pytest
import xarray as xr
from omegaconf import OmegaConf

from sim import needs
from sim.config.people import PeopleConfig, validate_people_config
from sim.errors import ConfigError
from sim.exposure import weighted_quantile_steps
from sim.people import AGE_GROUPS, ExposureAccumulator, exposure_to_dataset

CONFIGS = Path(__file__).resolve().parents[2] / "configs"
START = np.datetime64("2026-01-29T00:00", "ns")


def run(
    indoor_c,
    powered=None,
    occupants=None,
    dt_h=1.0,
    cfg=None,
    share_65plus=None,
    share_under5=None,
    upper=None,
    district=None,
    n_districts=None,
    unpowered=None,
):
    """Feed (R, T, G) indoor temperatures through an accumulator and return its Exposure."""
    indoor_c = np.asarray(indoor_c, dtype=float)
    R, T, G = indoor_c.shape
    occ = np.full(G, 10.0) if occupants is None else np.asarray(occupants, dtype=float)
    district = np.zeros(G, dtype=int) if district is None else np.asarray(district)
    acc = ExposureAccumulator(
        occ,
        np.zeros(G) if share_65plus is None else np.asarray(share_65plus, dtype=float),
        np.zeros(G) if share_under5 is None else np.asarray(share_under5, dtype=float),
        np.zeros(G) if upper is None else np.asarray(upper, dtype=float),
        district,
        int(district.max()) + 1 if n_districts is None else n_districts,
        cfg or PeopleConfig(heating_points=1300),
        dt_h,
        R,
        T,
    )
    powered = np.ones((R, T, G), dtype=bool) if powered is None else np.asarray(powered, dtype=bool)
    for t in range(T):
        acc.update(t, indoor_c[:, t], powered[:, t])
    return acc.finish(points_unpowered_frac=unpowered)


def spell(steps_cold: list[int], cold_c=15.0, warm_c=20.0):
    """One group's series: alternating cold/warm run lengths, starting cold."""
    out = []
    for i, n in enumerate(steps_cold):
        out += [cold_c if i % 2 == 0 else warm_c] * n
    return np.asarray(out)


class TestPeopleBelow:
    def test_hand_case(self):
        # group 0 (10 people): 15 degC for 3 steps; group 1 (30 people): 17, 17, 11
        indoor = np.array([[[15.0, 17.0], [15.0, 17.0], [15.0, 11.0]]])
        e = run(indoor, occupants=[10.0, 30.0], dt_h=0.5)
        k = {18.0: 0, 16.0: 1, 12.0: 2, 9.0: 3}
        all_ = e.people_below[0, :, :, 0]
        np.testing.assert_array_equal(all_[:, k[18.0]], [40, 40, 40])
        np.testing.assert_array_equal(all_[:, k[16.0]], [10, 10, 40])
        np.testing.assert_array_equal(all_[:, k[12.0]], [0, 0, 30])
        np.testing.assert_array_equal(all_[:, k[9.0]], [0, 0, 0])
        # person-hours: sum of people below x 0.5 h
        np.testing.assert_allclose(e.person_hours_below_h[0, :, 0, 0], [60.0, 30.0, 15.0, 0.0])
        np.testing.assert_allclose(e.people_ever_below[0, :, 0, 0], [40, 40, 30, 0])

    def test_strictly_below(self):
        e = run(np.full((1, 2, 1), 16.0))
        assert e.people_below[0, :, 1, 0].sum() == 0  # 16.0 is not below 16
        assert e.people_below[0, :, 0, 0].sum() == 20  # but below 18

    def test_person_hours_equal_integral(self):
        rng = np.random.default_rng(1)
        indoor = rng.uniform(5, 22, (3, 40, 6))
        e = run(indoor, occupants=rng.uniform(0, 50, 6), district=[0, 1, 1, 2, 0, 2], dt_h=0.25)
        np.testing.assert_allclose(e.person_hours_below_h.sum(axis=2), e.people_below.sum(axis=1) * 0.25)

    def test_age_groups_and_districts(self):
        indoor = np.array([[[10.0, 20.0, 10.0]]])
        e = run(
            indoor,
            occupants=[100.0, 50.0, 40.0],
            share_65plus=[0.2, 0.5, 0.25],
            share_under5=[0.05, 0.1, 0.0],
            district=[0, 0, 1],
        )
        assert AGE_GROUPS == ("all", "65plus", "under5")
        np.testing.assert_allclose(e.people_below[0, 0, 1], [140.0, 30.0, 5.0])  # below 16
        np.testing.assert_allclose(e.person_hours_below_h[0, 1], [[100.0, 20.0, 5.0], [40.0, 10.0, 0.0]])
        np.testing.assert_allclose(e.occupants, [[150.0, 45.0, 10.0], [40.0, 10.0, 0.0]])


class TestLongExposure:
    def test_24h_counts_23h_does_not(self):
        indoor = np.stack([spell([24, 6]), spell([23, 7])], axis=-1)[None]
        e = run(indoor, occupants=[7.0, 5.0])
        assert e.people_cold_long[0, 0, 0] == 7.0

    def test_interrupted_spell_resets(self):
        indoor = spell([12, 1, 12])[None, :, None]
        e = run(indoor, occupants=[3.0])
        assert e.people_cold_long[0, 0, 0] == 0.0
        assert e.cold_hours_median_h[0, 0] == 24.0  # total hours below 16
        assert e.cold_spell_median_h[0, 0] == 12.0  # longest spell

    def test_counted_once(self):
        indoor = spell([30, 2, 30])[None, :, None]
        assert run(indoor, occupants=[4.0]).people_cold_long[0, 0, 0] == 4.0

    def test_sub_hourly_steps(self):
        indoor = np.stack([spell([96, 1]), spell([95, 2])], axis=-1)[None]
        e = run(indoor, occupants=[1.0, 2.0], dt_h=0.25)
        assert e.people_cold_long[0, 0, 0] == 1.0

    def test_coarse_steps_need_full_duration(self):
        # 5 h steps: 4 steps = 20 h < 24 h, 5 steps = 25 h
        indoor = np.stack([spell([5, 1]), spell([4, 2])], axis=-1)[None]
        assert run(indoor, occupants=[1.0, 2.0], dt_h=5.0).people_cold_long[0, 0, 0] == 1.0

    def test_dangerous_band(self):
        cols = [spell([2, 1], cold_c=5.9), spell([1, 1, 1], cold_c=5.9), spell([3], cold_c=6.0)]
        e = run(np.stack(cols, axis=-1)[None], occupants=[1.0, 2.0, 4.0], share_65plus=[1.0, 0.0, 0.0])
        np.testing.assert_allclose(e.people_danger[0, 0], [1.0, 1.0, 0.0])


class TestDurations:
    def test_histogram_and_quantiles(self):
        cfg = PeopleConfig(heating_points=1300, duration_bin_edges_h=[0.0, 6.0, 12.0, 24.0])
        # total hours below 16: 0, 3, 8, 30 for groups of 5, 1, 2, 1 people (run of 40 h)
        cols = [spell([0, 40]), spell([3, 37]), spell([4, 1, 4, 31]), spell([30, 10])]
        e = run(np.stack(cols, axis=-1)[None], occupants=[5.0, 1.0, 2.0, 1.0], cfg=cfg)
        np.testing.assert_allclose(e.duration_bin_edges_h, [0, 6, 12, 24, 40])
        np.testing.assert_allclose(e.cold_hours_hist[0, :, 0], [1.0, 2.0, 0.0, 1.0])
        np.testing.assert_allclose(e.cold_spell_hist[0, :, 0], [3.0, 0.0, 0.0, 1.0])
        assert e.cold_hours_median_h[0, 0] == 8.0  # affected: 3 h x1, 8 h x2, 30 h x1
        assert e.cold_hours_p90_h[0, 0] == 30.0
        assert e.cold_spell_median_h[0, 0] == 4.0
        assert e.cold_hours_median_h[0, 1] == 0.0  # nobody 65+: 0, not NaN

    def test_weighted_quantile_matches_expanded_sample(self):
        steps = np.array([[0, 4, 2, 7, 2]])
        weights = np.array([3.0, 2.0, 1.0, 1.0, 4.0])
        sample = np.repeat(steps[0], weights.astype(int))
        sample = np.sort(sample[sample > 0])
        for q in (0.1, 0.5, 0.75, 0.9, 1.0):
            expected = sample[int(np.ceil(q * len(sample))) - 1]
            assert weighted_quantile_steps(steps, weights, q)[0] == expected


class TestNeeds:
    def test_water(self):
        powered = np.array([[[True, False], [False, False]]])
        e = run(np.full((1, 2, 2), 20.0), powered=powered, occupants=[10.0, 20.0], upper=[4.0, 5.0])
        np.testing.assert_allclose(e.people_without_water[0], [5.0, 9.0])

    def test_heating_point_demand(self):
        cfg = PeopleConfig(uptake_frac=0.5, heating_points=2, places_per_point=10.0)
        # 100 people, 30 % vulnerable: 14 degC -> 30 eligible; 11 degC -> 100 (nobody twice); 17 -> 0
        indoor = np.array([[[14.0], [11.0], [17.0]]])
        e = run(indoor, occupants=[100.0], share_65plus=[0.2], share_under5=[0.1], cfg=cfg)
        np.testing.assert_allclose(e.heating_point_demand[0], [15.0, 50.0, 0.0])
        assert e.heating_point_capacity == 20.0
        np.testing.assert_allclose(e.heating_point_unmet[0], [0.0, 30.0, 0.0])

    def test_generators_and_diesel_share_unpowered(self):
        cfg = PeopleConfig(
            heating_points=10,
            generator_class_kw=[20.0],
            generator_class_share=[1.0],
            generator_load_frac=0.5,
            diesel_l_per_kwh=0.25,
        )
        powered = np.zeros((1, 48, 2), dtype=bool)
        powered[:, 24:, 0] = True  # day 2: group 0 (1 of 4 people) back on
        e = run(np.full((1, 48, 2), 20.0), powered=powered, occupants=[1.0, 3.0], cfg=cfg)
        np.testing.assert_allclose(e.points_unpowered_frac[0, [0, 30]], [1.0, 0.75])
        np.testing.assert_allclose(e.generator_kw[0, [0, 30]], [200.0, 150.0])
        # 200 kW x 0.5 x 24 h x 0.25 L/kWh = 600 L; then 450 L
        np.testing.assert_allclose(e.diesel_l_per_day[0], [600.0, 450.0])

    def test_any_blackout_rule_and_override(self):
        cfg = PeopleConfig(heating_points=1300, generator_rule="any_blackout")
        powered = np.array([[[True, False], [True, True]]])
        e = run(np.full((1, 2, 2), 20.0), powered=powered, occupants=[1.0, 3.0], cfg=cfg)
        np.testing.assert_allclose(e.points_unpowered_frac[0], [1.0, 0.0])
        e = run(np.full((1, 2, 2), 20.0), powered=powered, cfg=cfg, unpowered=np.array([[0.5, 0.25]]))
        np.testing.assert_allclose(e.generator_kw[0], [0.5 * 1300 * 30, 0.25 * 1300 * 30])

    def test_district_needs_by_hand(self):
        """Two districts; 100 people in district 0 below 12 degC without power, 300 warm in district 1.
        By hand: 4 points spread like people -> 1 and 3; 10 places each -> 10 and 30 places; demand 0.5 x 100
        = 50 in district 0 -> 5 points needed (4 more), all without power -> 5 generators; classes 10 and
        30 kW half each -> 20 kW mean -> 100 kW rated, 50 kW load, 50 x 24 x 0.25 = 300 L/day; unmet 40
        (the city-wide shortfall 50 - 40 = 10 would hide it)."""
        cfg = PeopleConfig(
            heating_points=4,
            places_per_point=10.0,
            uptake_frac=0.5,
            generator_class_kw=[10.0, 30.0],
            generator_class_share=[0.5, 0.5],
            generator_load_frac=0.5,
            diesel_l_per_kwh=0.25,
        )
        indoor = np.stack([np.full(24, 11.0), np.full(24, 20.0)], axis=-1)[None]
        powered = np.zeros((1, 24, 2), dtype=bool)
        powered[..., 1] = True
        e = run(indoor, powered=powered, occupants=[100.0, 300.0], district=[0, 1], cfg=cfg)
        np.testing.assert_allclose(e.heating_point_capacity_by_district, [10.0, 30.0])
        np.testing.assert_allclose(e.heating_point_demand_by_district[0, 0], [50.0, 0.0])
        np.testing.assert_allclose(e.generators_by_district[0, 0], [5.0, 0.0])
        np.testing.assert_allclose(e.generator_kw[0, 0], 100.0)
        np.testing.assert_allclose(e.generator_load_kw[0, 0], 50.0)
        np.testing.assert_allclose(e.diesel_l_per_day_by_district[0, 0], [300.0, 0.0])
        np.testing.assert_allclose(e.diesel_l_per_day[0], [300.0])
        np.testing.assert_allclose(e.heating_point_unmet[0, 0], 40.0)

    def test_points_by_district_given_by_name(self):
        cfg = PeopleConfig(heating_points=4, heating_points_by_district={"B": 4.0})
        acc = ExposureAccumulator(
            np.ones(2), np.zeros(2), np.zeros(2), np.zeros(2), np.array([0, 1]), 2, cfg, 1.0, 1, 1,
            district_names=["A", "B"],
        )
        acc.update(0, np.full((1, 2), 20.0), np.ones((1, 2), bool))
        np.testing.assert_allclose(acc.finish().heating_point_capacity_by_district, [0.0, 400.0])
        with pytest.raises(ValueError, match="unknown districts: C"):
            ExposureAccumulator(
                np.ones(2), np.zeros(2), np.zeros(2), np.zeros(2), np.array([0, 1]), 2,
                PeopleConfig(heating_points=4, heating_points_by_district={"C": 1.0}), 1.0, 1, 1,
                district_names=["A", "B"],
            )

    def test_severe_spell_72h(self):
        """Below 12 degC for 72 h in a row counts; 71 h, or 72 h interrupted once, do not."""
        cols = [spell([72, 9], cold_c=11.9), spell([71, 10], cold_c=11.9), spell([40, 1, 40], cold_c=11.9)]
        e = run(np.stack(cols, axis=-1)[None], occupants=[1.0, 2.0, 4.0], share_under5=[1.0, 0.0, 0.0])
        np.testing.assert_allclose(e.people_severe[0, 0], [1.0, 0.0, 1.0])
        # longest spells 72, 71, 40 h -> bins with lower edges 72, 48, 36 of the default edges
        edges = list(PeopleConfig().duration_bin_edges_h)
        hist = e.severe_spell_hist[0, :, 0]
        assert hist[edges.index(72.0)] == 1.0 and hist[edges.index(48.0)] == 2.0 and hist[edges.index(36.0)] == 4.0

    def test_partial_last_day_is_a_daily_rate(self):
        out = needs.diesel_l_per_day(np.full((1, 36), 100.0), 1.0, 1.0, 0.25)
        np.testing.assert_allclose(out, [[600.0, 600.0]])

    def test_eligible_without_double_counting(self):
        eligible = needs.heating_point_eligible(
            np.array([[10.0, 15.0]]), np.array([10.0, 10.0]), np.array([4.0, 4.0]), 16.0, 12.0
        )
        np.testing.assert_allclose(eligible, [14.0])


def reference_exposure(indoor_c, powered, occ, s65, s5, upper, district, n_districts, cfg, dt_h):
    """The metrics straight from the definitions, one step and one threshold at a time (slow, plain)."""
    R, T, G = indoor_c.shape
    thr = [float(x) for x in cfg.thresholds_c]
    K, D = len(thr), n_districts
    w = np.stack([occ, occ * s65, occ * s5], axis=-1)  # (G, A)
    vulnerable = occ * np.clip(s65 + s5, 0.0, 1.0)
    need_long = max(1, int(np.ceil(cfg.long_exposure_h / dt_h - 1e-9)))
    need_danger = max(1, int(np.ceil(cfg.danger_h / dt_h - 1e-9)))
    need_severe = max(1, int(np.ceil(cfg.severe_exposure_h / dt_h - 1e-9)))
    out = {
        "people_below": np.zeros((R, T, K, 3)),
        "person_hours_below_h": np.zeros((R, K, D, 3)),
        "people_ever_below": np.zeros((R, K, D, 3)),
        "people_cold_long": np.zeros((R, D, 3)),
        "people_danger": np.zeros((R, D, 3)),
        "people_severe": np.zeros((R, D, 3)),
        "heating_point_demand_by_district": np.zeros((R, T, D)),
        "people_without_water": np.zeros((R, T)),
        "heating_point_demand": np.zeros((R, T)),
        "points_unpowered_frac": np.zeros((R, T)),
    }
    cold_steps, max_spell = np.zeros((R, G), int), np.zeros((R, G), int)
    for r in range(R):
        for g in range(G):
            d = district[g]
            run_long = run_danger = run_severe = 0
            ever_long = ever_danger = ever_severe = False
            for t in range(T):
                x = indoor_c[r, t, g]
                for k, c in enumerate(thr):
                    if x < c:
                        out["people_below"][r, t, k] += w[g]
                        out["person_hours_below_h"][r, k, d] += w[g] * dt_h
                run_long = run_long + 1 if x < cfg.long_exposure_c else 0
                run_danger = run_danger + 1 if x < cfg.danger_c else 0
                run_severe = run_severe + 1 if x < cfg.severe_exposure_c else 0
                ever_severe |= run_severe >= need_severe
                cold_steps[r, g] += x < cfg.long_exposure_c
                max_spell[r, g] = max(max_spell[r, g], run_long)
                ever_long |= run_long >= need_long
                ever_danger |= run_danger >= need_danger
                if not powered[r, t, g]:
                    out["people_without_water"][r, t] += upper[g]
                vulnerable_below = max(cfg.vulnerable_seek_below_c, cfg.everyone_seek_below_c)
                eligible = vulnerable[g] * (x < vulnerable_below) + (occ[g] - vulnerable[g]) * (
                    x < cfg.everyone_seek_below_c
                )
                out["heating_point_demand"][r, t] += cfg.uptake_frac * eligible
                out["heating_point_demand_by_district"][r, t, d] += cfg.uptake_frac * eligible
            for k, c in enumerate(thr):
                out["people_ever_below"][r, k, d] += w[g] * (indoor_c[r, :, g].min() < c)
            out["people_cold_long"][r, d] += w[g] * ever_long
            out["people_danger"][r, d] += w[g] * ever_danger
            out["people_severe"][r, d] += w[g] * ever_severe
    for r in range(R):
        for t in range(T):
            out["points_unpowered_frac"][r, t] = needs.points_unpowered_frac(
                powered[r, t][None], occ, cfg.generator_rule
            )[0]
    return out, cold_steps, max_spell


class TestAgainstReference:
    """The vectorized accumulator against :func:`reference_exposure`, over configs that exercise every
    path: cuts outside the thresholds, the any_blackout rule, nobody present, runs longer than 255 steps."""

    @pytest.mark.parametrize(
        ("cfg", "n_steps", "dt_h", "empty"),
        [
            (PeopleConfig(heating_points=1300, long_exposure_h=6.0, severe_exposure_h=5.0), 40, 1.0, False),
            (
                PeopleConfig(
                    heating_points=10,
                    thresholds_c=[14.0, 20.0],
                    long_exposure_c=17.0,
                    long_exposure_h=3.0,
                    danger_c=8.0,
                    danger_h=1.0,
                    vulnerable_seek_below_c=15.0,
                    everyone_seek_below_c=11.0,
                    generator_rule="any_blackout",
                ),
                30,
                0.5,
                False,
            ),
            (PeopleConfig(heating_points=1300, long_exposure_h=2.0), 300, 0.25, False),
            (PeopleConfig(heating_points=1300), 12, 1.0, True),
        ],
    )
    def test_matches_reference(self, cfg, n_steps, dt_h, empty):
        rng = np.random.default_rng(n_steps)
        R, G, D = 3, 5, 2
        indoor = 14.0 + np.cumsum(rng.normal(0.0, 1.5, (R, n_steps, G)), axis=1)
        powered = rng.random((R, n_steps, G)) < 0.6
        occ = np.zeros(G) if empty else rng.uniform(0.0, 50.0, G)
        s65, s5 = rng.uniform(0.0, 0.4, G), rng.uniform(0.0, 0.4, G)
        upper = occ * rng.uniform(0.0, 1.0, G)
        district = np.array([0, 1, 1, 0, 1])
        e = run(indoor, powered, occ, dt_h, cfg, s65, s5, upper, district, D)
        ref, cold_steps, max_spell = reference_exposure(
            indoor, powered, occ, s65, s5, upper, district, D, cfg, dt_h
        )
        for name, expected in ref.items():
            np.testing.assert_allclose(getattr(e, name), expected, rtol=1e-12, atol=1e-9, err_msg=name)
        affected = (cold_steps > 0)[:, :, None] * np.stack([occ, occ * s65, occ * s5], axis=-1)
        np.testing.assert_allclose(e.cold_hours_hist.sum(axis=1), affected.sum(axis=1), rtol=1e-12, atol=1e-9)
        for a, weights in enumerate([occ, occ * s65, occ * s5]):
            for got, steps, q in [
                (e.cold_hours_median_h, cold_steps, 0.5),
                (e.cold_hours_p90_h, cold_steps, 0.9),
                (e.cold_spell_median_h, max_spell, 0.5),
                (e.cold_spell_p90_h, max_spell, 0.9),
            ]:
                np.testing.assert_array_equal(got[:, a], weighted_quantile_steps(steps, weights, q) * dt_h)


class TestErrors:
    def test_out_of_order_and_early_finish(self):
        acc = ExposureAccumulator(
            np.ones(2), np.zeros(2), np.zeros(2), np.zeros(2), np.zeros(2, int), 1, PeopleConfig(heating_points=1300), 1.0, 1, 3
        )
        with pytest.raises(ValueError, match="expects step 0"):
            acc.update(1, np.zeros((1, 2)), np.ones((1, 2), bool))
        acc.update(0, np.zeros((1, 2)), np.ones((1, 2), bool))
        with pytest.raises(ValueError, match="finish after 1 of 3"):
            acc.finish()
        with pytest.raises(ValueError, match="NaN"):
            acc.update(1, np.full((1, 2), np.nan), np.ones((1, 2), bool))
        with pytest.raises(ValueError, match="must be"):
            acc.update(1, np.zeros((2, 2)), np.ones((2, 2), bool))

    def test_bad_inputs(self):
        with pytest.raises(ValueError, match="district_index"):
            ExposureAccumulator(
                np.ones(2),
                np.zeros(2),
                np.zeros(2),
                np.zeros(2),
                np.array([0, 3]),
                2,
                PeopleConfig(heating_points=1300),
                1.0,
                1,
                3,
            )
        with pytest.raises(ValueError, match="share_65plus"):
            ExposureAccumulator(
                np.ones(2),
                np.full(2, 0.8),
                np.full(2, 0.3),
                np.zeros(2),
                np.zeros(2, int),
                1,
                PeopleConfig(heating_points=1300),
                1.0,
                1,
                3,
            )

    @pytest.mark.parametrize(
        ("key", "value"),
        [
            ("uptake_frac", 1.5),
            ("duration_bin_edges_h", [0.0, 5.0, 5.0]),
            ("generator_rule", "x"),
            ("thresholds_c", [16.0, 16.0]),
            ("long_exposure_h", 0.0),
        ],
    )
    def test_config_errors_name_the_key(self, key, value):
        with pytest.raises(ConfigError, match=f"people.{key}"):
            validate_people_config(replace(PeopleConfig(), **{key: value}))


def test_default_yaml_matches_schema():
    merged = OmegaConf.merge(
        OmegaConf.structured(PeopleConfig), OmegaConf.load(CONFIGS / "people" / "default.yaml")
    )
    validate_people_config(merged)
    assert OmegaConf.to_object(merged) == replace(PeopleConfig(), description=merged.description)


class TestDataset:
    @pytest.fixture
    def ds(self):
        rng = np.random.default_rng(3)
        G, R, T = 4, 2, 30
        indoor = rng.uniform(5.0, 22.0, (R, T, G))
        powered = rng.random((R, T, G)) > 0.5
        e = run(
            indoor,
            powered=powered,
            occupants=[10.0, 20.0, 30.0, 40.0],
            share_65plus=[0.2] * 4,
            share_under5=[0.05] * 4,
            upper=[1.0, 2.0, 3.0, 4.0],
            district=[0, 1, 1, 0],
        )
        times = START + np.arange(T) * np.timedelta64(1, "h")
        return exposure_to_dataset(
            e,
            times,
            ["Holosiivskyi", "Darnytskyi"],
            ["UA80000000000126643", "UA80000000000210193"],
            [18.0, 16.0, 12.0, 9.0],
        )

    def test_contract(self, ds, tmp_path):
        contract = {
            "people_below_threshold": (("realization", "time", "threshold"), "1"),
            "person_hours_below_threshold": (("realization", "threshold", "district"), "h"),
            "people_cold_24h": (("realization", "district"), "1"),
            "heating_point_demand": (("realization", "time"), "1"),
            "generator_kw": (("realization", "time"), "kW"),
            "diesel_consumption": (("realization", "day"), "L d-1"),
            "cold_hours_histogram": (("realization", "duration_bin", "age_group"), "1"),
        }
        for name, (dims, units) in contract.items():
            assert ds[name].dims == dims
            assert ds[name].attrs["units"] == units
        for name, var in ds.variables.items():
            if name not in ("time", "day", "district", "katotth", "age_group", "realization", "generator_class"):
                assert "units" in var.attrs, name
            if name in ds.data_vars:
                assert var.attrs["long_name"], name
                assert np.isfinite(var.values).all(), name
        assert ds["threshold"].attrs["units"] == "degC"
        assert ds["katotth"].dims == ("district",)
        assert np.issubdtype(ds["time"].dtype, np.datetime64)
        assert list(ds["age_group"].values) == ["all", "65plus", "under5"]
        path = tmp_path / "people.nc"
        ds.to_netcdf(path)
        with xr.open_dataset(path) as back:
            xr.testing.assert_allclose(back.load(), ds)

    def test_consistency(self, ds):
        xr.testing.assert_allclose(
            ds["people_below_threshold"], ds["people_below_threshold_by_age"].sel(age_group="all", drop=True)
        )
        affected = ds["people_ever_below_threshold"].sel(threshold=16.0, drop=True).sum("district")
        xr.testing.assert_allclose(
            ds["cold_hours_histogram"].sum("duration_bin"), affected, check_dim_order=False
        )

    def test_threshold_mismatch(self, ds):
        e = run(np.full((1, 2, 1), 20.0))
        with pytest.raises(ValueError, match="differ"):
            exposure_to_dataset(e, START + np.arange(2) * np.timedelta64(1, "h"), ["a"], ["b"], [18.0, 16.0])


def test_people_below_by_district_sums_to_the_city_total():
    """The district breakdown over time adds up to the city-wide count at every step and threshold."""
    rng = np.random.default_rng(3)
    occ = rng.uniform(10, 100, 6)
    acc = ExposureAccumulator(occ, np.full(6, 0.2), np.full(6, 0.05), np.zeros(6), np.array([0, 0, 1, 1, 2, 2]),
                              3, PeopleConfig(heating_points=10), 1.0, 2, 5)
    for t in range(5):
        acc.update(t, rng.uniform(5, 22, (2, 6)), np.ones((2, 6), bool))
    e = acc.finish()
    assert e.people_below_by_district.shape == (2, 5, 4, 3)
    np.testing.assert_allclose(e.people_below_by_district.sum(axis=-1), e.people_below[..., 0], rtol=1e-12)
