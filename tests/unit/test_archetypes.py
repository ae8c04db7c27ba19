"""Archetypes: the public names, the table, derived quantities and per-group parameters."""

from __future__ import annotations

import numpy as np
import pytest

from sim import archetypes as arch
from sim.archetypes import ARCHETYPES, archetype, archetype_parameters, archetype_table, group_parameters
from sim.config.buildings import BuildingsConfig
from sim.thermal import TwoNodeModel


def test_names_and_order_are_the_public_contract():
    assert ARCHETYPES == (
        "khrushchyovka_5",
        "panel_9",
        "panel_16",
        "brick_stalinka",
        "modern_monolithic",
        "private_old",
        "private_insulated",
    )
    assert [archetype(n).kind for n in ARCHETYPES] == ["apartment"] * 5 + ["house"] * 2
    assert archetype("panel_16").storeys == 16
    assert archetype("panel_9").floor_area_m2 == 4600.0
    with pytest.raises(KeyError, match="valid: khrushchyovka_5"):
        archetype("castle")


def test_table_has_one_row_per_archetype_with_units_in_column_names():
    t = archetype_table()
    assert list(t.index) == list(ARCHETYPES)
    for col in ("h_total_w_per_k", "h_w_per_k_m2", "tau_h", "tau_daily_h", "wall_area_m2", "window_area_m2",
                "roof_area_m2", "ground_floor_area_m2", "u_wall_w_per_k_m2", "air_changes_per_h",
                "c_eff_kj_per_k_m2", "c_long_kj_per_k_m2", "source"):  # fmt: skip
        assert col in t.columns
    numeric = t.select_dtypes("number")
    assert np.isfinite(numeric.to_numpy()).all()
    assert (numeric.drop(columns=["storeys", "gas_stove_frac", "c_long_kj_per_k_m2"]) > 0).all().all()
    assert (t[["gas_stove_frac", "c_long_kj_per_k_m2"]] >= 0).all().all()
    # every row names its sources: a calibration line or a reference
    assert all(("E1" in s or "E2" in s) and len(s) > 40 for s in t["source"])
    # the parts of H add up
    parts = t["h_ventilation_w_per_k"] + t["h_window_w_per_k"] + t["h_opaque_w_per_k"]
    np.testing.assert_allclose(parts, t["h_total_w_per_k"], rtol=1e-12)


def test_capacities_from_the_mass_inventory():
    # calibration E2 (ISO 13790 Table 12) is shown beside the inventory: the class of each archetype
    classes = {80.0, 110.0, 165.0, 260.0, 370.0}
    t = archetype_table()
    assert set(t["c_eff_kj_per_k_m2"]) <= classes
    # the daily capacity of the inventory (10 cm per face) is at least the ISO class value, and a
    # multi-day cool-down reaches at least as much mass
    assert (t["c_daily_kj_per_k_m2"] >= t["c_eff_kj_per_k_m2"]).all()
    assert (t["c_cooldown_kj_per_k_m2"] >= t["c_daily_kj_per_k_m2"]).all()
    assert (t["tau_h"] >= t["tau_daily_h"]).all() and (t["tau_daily_h"] > t["tau_iso_h"]).all()
    t0 = archetype_table(mass_participation_frac=0.0)
    np.testing.assert_allclose(t0["tau_h"], t0["tau_daily_h"], rtol=0.1)  # only air and furnishings added
    # the inventory by hand: panel_9's 150 mm inner slabs, (N-1)/N of the floor area, 2300 kg/m3 x 1000 J/(kg K)
    a = archetype("panel_9")
    inv = a.mass_inventory()
    slab = inv.iloc[0]
    assert slab["area_m2_per_m2"] == pytest.approx(8 / 9)
    assert slab["c_cooldown_kj_per_k_m2"] == pytest.approx(8 / 9 * 0.15 * 2300 * 1000 / 1e3)
    np.testing.assert_allclose(inv["c_cooldown_kj_per_k_m2"].sum() * 1e3, a.c_cooldown_j_per_k_m2(), rtol=1e-12)


def test_participating_depth_is_the_diffusion_length_capped_at_the_layer():
    brick = archetype("brick_stalinka").mass[-1]  # 0.64 m brick outer wall, one face
    d72 = brick.depth_per_face_m(72.0)
    assert d72 == pytest.approx(np.sqrt(0.7 / (1800 * 1000) * 72 * 3600))  # sqrt(a t) ~ 0.32 m
    assert brick.depth_per_face_m(None) == pytest.approx(0.10)  # daily: 10 cm (ISO 13786)
    assert brick.depth_per_face_m(1e6) == pytest.approx(0.64)  # capped at the layer
    slab = archetype("panel_9").mass[0]  # 150 mm, two faces: at most half per face
    assert slab.depth_per_face_m(72.0) == pytest.approx(0.075)


def test_expert_ordering_of_cooling_speed_e4():
    # calibration E4: 16-storey panel cools fastest, then 9-storey panel, then khrushchyovka; stalinka slowest
    tau = archetype_table()["tau_h"]
    assert tau["panel_16"] < tau["panel_9"] < tau["khrushchyovka_5"] < tau["brick_stalinka"]
    # the same ordering in the model: air temperature after 48 h without heat at -20 degC
    names = ["panel_16", "panel_9", "khrushchyovka_5", "brick_stalinka"]
    p = group_parameters(np.array(names), np.ones(4), BuildingsConfig(ua_cv=0.0), np.random.default_rng(0))
    model = TwoNodeModel(p, 3600.0, 1, initial_c=21.0)
    for _ in range(48):
        air = model.step(np.full((1, 1), -20.0), 0.0)
    assert np.all(np.diff(air[0]) > 0)


def test_design_loads_match_ukrainian_apartments_e3():
    # calibration E3: design heat loads 44-87 W/m2 in Ukrainian apartments (at the -22 degC design point)
    t = archetype_table()
    apartments = t[t["kind"] == "apartment"]
    assert apartments["design_load_w_per_m2"].between(40.0, 90.0).all()


def test_time_constants_are_days_not_hours_e6():
    # calibration E6: "18 to 8 degC in 12 h" contradicts physics; time constants of heavy stock are days
    t = archetype_table()
    assert (t["tau_h"] > 48.0).all()
    assert (t["tau_h"] < 500.0).all()


def test_geometry_is_consistent():
    for name in ARCHETYPES:
        a = archetype(name)
        assert a.footprint_m2 * a.storeys == pytest.approx(a.floor_area_m2)
        assert a.wall_area_m2 > 0 and 0.05 < a.window_area_m2 / (a.wall_area_m2 + a.window_area_m2) < 0.5
        assert a.room_height_m < a.storey_height_m


def test_group_parameters_scale_with_buildings_without_variation():
    cfg = BuildingsConfig(ua_cv=0.0)
    names = np.array(["panel_9", "private_old", "panel_9"])
    n = np.array([20.0, 300.0, 1.0])
    p = group_parameters(names, n, cfg, np.random.default_rng(1))
    assert p.shape == (3,)
    one = archetype_parameters("panel_9")
    np.testing.assert_allclose(p.h_total_w_per_k[0], 20 * one.h_total_w_per_k, rtol=1e-12)
    np.testing.assert_allclose(p.c_mass_j_per_k[2], one.c_mass_j_per_k, rtol=1e-12)
    np.testing.assert_allclose(p.tau_h[0], p.tau_h[2], rtol=1e-12)  # tau does not depend on n
    # the network's steady-state heat loss is the envelope's H of the table (H_mo chosen for that)
    np.testing.assert_allclose(
        p.h_total_w_per_k[1], 300 * archetype("private_old").h_total_w_per_k, rtol=1e-12
    )
    np.testing.assert_allclose(p.tau_h[1], archetype("private_old").tau_h(), rtol=1e-12)


def test_group_parameters_variation_is_lognormal_mean_one_and_reproducible():
    cfg = BuildingsConfig(ua_cv=0.2, ua_multiplier=1.5)
    names = np.array(["panel_16"] * 20000)
    n = np.ones(20000)
    p = group_parameters(names, n, cfg, np.random.default_rng(7))
    base = archetype_parameters("panel_16")
    # the factors from the same draws, independently of the code: 1.5 x mean-one lognormal, cv 0.2
    z = np.random.default_rng(7).standard_normal(20000)
    sigma = np.sqrt(np.log1p(0.2**2))
    factor = 1.5 * np.exp(sigma * z - 0.5 * sigma**2)
    ratio = p.h_total_w_per_k / base.h_total_w_per_k
    np.testing.assert_allclose(ratio, factor, rtol=1e-10)  # the whole steady-state heat loss scales
    assert ratio.mean() == pytest.approx(1.5, rel=0.01)
    assert ratio.std() / ratio.mean() == pytest.approx(0.2, rel=0.05)
    # capacities and the internal conduction are not varied
    np.testing.assert_allclose(p.c_mass_j_per_k, base.c_mass_j_per_k, rtol=1e-12)
    np.testing.assert_allclose(p.h_surface_mass_w_per_k, base.h_surface_mass_w_per_k, rtol=1e-12)
    again = group_parameters(names, n, cfg, np.random.default_rng(7))
    np.testing.assert_array_equal(again.h_air_out_w_per_k, p.h_air_out_w_per_k)


def test_group_parameters_draws_do_not_depend_on_cv():
    # common random numbers: the stream advances by one normal per group whatever ua_cv is
    names = np.array(["panel_9", "panel_16"])
    r1, r2 = np.random.default_rng(3), np.random.default_rng(3)
    group_parameters(names, np.ones(2), BuildingsConfig(ua_cv=0.0), r1)
    group_parameters(names, np.ones(2), BuildingsConfig(ua_cv=0.3), r2)
    assert r1.random() == r2.random()


def test_mass_participation_scales_long_term_mass_only():
    a = archetype("panel_9")
    c0 = a.c_mass_j_per_k(0.0)
    c1 = a.c_mass_j_per_k(1.0)
    assert c0 == pytest.approx(a.c_daily_j_per_k_m2() * a.floor_area_m2)
    assert c1 - c0 == pytest.approx(a.c_long_j_per_k_m2 * a.floor_area_m2)
    p = group_parameters(np.array(["panel_9"]), np.ones(1), BuildingsConfig(mass_participation_frac=0.5),
                         np.random.default_rng(0))  # fmt: skip
    assert p.c_surface_j_per_k[0] + p.c_mass_j_per_k[0] == pytest.approx(a.c_mass_j_per_k(0.5))


def test_group_parameters_rejects_bad_input():
    with pytest.raises(KeyError):
        group_parameters(np.array(["igloo"]), np.ones(1), BuildingsConfig(), np.random.default_rng(0))
    with pytest.raises(ValueError, match="same length"):
        group_parameters(np.array(["panel_9"]), np.ones(2), BuildingsConfig(), np.random.default_rng(0))


def test_iso13790_coupling_constants_and_the_exact_star_fold():
    # ISO 13790 7.2.2.2: h_ms = 9.1, h_is = 3.45 W/(m2 K)
    assert arch.H_MS_W_PER_K_M2 == 9.1 and arch.H_IS_W_PER_K_M2 == 3.45
    # folding the capacity-less star (air, surface mass, outdoors) is exact: the same heat flows for any
    # node temperatures, by Kirchhoff at the star
    g = np.array([500.0, 900.0, 80.0])
    star = arch.fold_star(*g)
    t = np.array([20.0, 14.0, -10.0])  # air, surface mass, outdoors
    t_star = (g @ t) / g.sum()
    flows_star = g * (t_star - t)  # into each node from the star
    flows_delta = np.array([
        star.h_air_surface_w_per_k * (t[1] - t[0]) + star.h_air_out_w_per_k * (t[2] - t[0]),
        star.h_air_surface_w_per_k * (t[0] - t[1]) + star.h_surface_out_w_per_k * (t[2] - t[1]),
        star.h_air_out_w_per_k * (t[0] - t[2]) + star.h_surface_out_w_per_k * (t[1] - t[2]),
    ])  # fmt: skip
    np.testing.assert_allclose(flows_delta, flows_star, rtol=1e-12)
    np.testing.assert_allclose(sum(star.shares), 1.0, rtol=1e-14)
    # radiant heat: A_m / A_t into the mass, the rest at the star (ISO 13790 C.3)
    a, b, _c = arch.radiant_distribution(star.shares, 0.6)
    assert a == pytest.approx(0.4 * star.shares[0]) and b == pytest.approx(0.6 + 0.4 * star.shares[1])
    # the operative-temperature weights add up to one
    assert sum(archetype("panel_9").operative_weights()) == pytest.approx(1.0)
