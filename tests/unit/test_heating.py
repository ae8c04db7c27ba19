"""Unit tests of the heat inputs: supply curve, heaters, stoves, boilers and gains."""

from __future__ import annotations

import dataclasses

import numpy as np
import pandas as pd
import pytest

from sim.archetypes import archetype, group_parameters, group_ventilation
from sim.config.buildings import BuildingsConfig, validate_buildings_config
from sim.errors import ConfigError
from sim.heating import (
    BuildingInputs,
    heat_inputs_w,
    initial_state_c,
    normal_operation_w,
    radiant_inputs,
    setpoint_ventilation_extra_w_per_k,
)
from sim.occupancy import mean_presence
from sim.thermal import RCModel, steady_state

# groups: two district-heated apartment groups, one house group with boilers, one apartment group with
# own gas boilers
ARCH = np.array(["panel_9", "khrushchyovka_5", "private_old", "modern_monolithic"])
N = np.array([20.0, 10.0, 300.0, 5.0])
R = 3


@pytest.fixture
def cfg() -> BuildingsConfig:
    return BuildingsConfig()


@pytest.fixture
def setup(cfg):
    params = group_parameters(ARCH, N, cfg, np.random.default_rng(0))
    groups = pd.DataFrame(
        {
            "archetype": ARCH,
            "n_buildings": N,
            "floor_area_m2": N * np.array([4600.0, 3200.0, 90.0, 5000.0]),
            "occupants": N * np.array([200.0, 140.0, 2.5, 220.0]),
            "households": N * np.array([80.0, 60.0, 1.0, 90.0]),
            "kind": ["apartment", "apartment", "house", "apartment"],
            "heating": ["district", "district", "gas_boiler", "gas_boiler"],
        }
    )
    return params, BuildingInputs.from_groups(groups, params), groups


def _full(value, dtype=float):
    return np.full((R, len(ARCH)), value, dtype=dtype)


def test_from_groups_checks_the_table(setup):
    params, bp, groups = setup
    assert bp.n_groups == 4
    np.testing.assert_array_equal(bp.is_house, [False, False, True, False])
    np.testing.assert_array_equal(bp.uses_district_heat, [True, True, False, False])
    with pytest.raises(ValueError, match="lacks columns: households"):
        BuildingInputs.from_groups(groups.drop(columns="households"), params)
    with pytest.raises(ValueError, match="unknown heating"):
        BuildingInputs.from_groups(groups.assign(heating="coal"), params)
    with pytest.raises(ValueError, match="rows"):
        BuildingInputs.from_groups(groups.iloc[:2], params)


def test_normal_operation_keeps_the_setpoint_exactly(setup, cfg):
    params, bp, _ = setup
    t_out = np.array([[-25.0], [-10.0], [0.0]])
    on = _full(True, bool)
    q_air, q_rad = heat_inputs_w(bp, t_out, _full(cfg.indoor_setpoint_c), on, on, cfg, presence=mean_presence())
    x = steady_state(params, t_out, q_air, **radiant_inputs(params, q_rad))
    np.testing.assert_allclose(x[..., 0], cfg.indoor_setpoint_c, rtol=1e-12)
    np.testing.assert_allclose(initial_state_c(bp, params, t_out, cfg), x, rtol=1e-12)
    qa, qm = normal_operation_w(bp, t_out, cfg)
    np.testing.assert_allclose(qm, q_rad, rtol=1e-12)
    np.testing.assert_allclose(qa, q_air, rtol=1e-12)


def test_normal_operation_keeps_the_setpoint_with_variable_ventilation(setup, cfg):
    # the supply curve is sized with the air change of a flat at the setpoint (stack and wind)
    params, bp, _ = setup
    vent = group_ventilation(params, ARCH, N, cfg)
    t_out, wind = np.array([[-25.0], [-10.0], [0.0]]), np.array([[0.0], [3.5], [9.0]])
    x = initial_state_c(bp, params, t_out, cfg, vent, wind)
    np.testing.assert_allclose(x[..., 0], cfg.indoor_setpoint_c, rtol=1e-12)
    extra = setpoint_ventilation_extra_w_per_k(vent, t_out, cfg, wind)
    assert (extra[0] > 0).all() and extra[2, 2] > extra[1, 2]  # stack at -25 degC; wind (houses) at 9 m/s
    on = _full(True, bool)
    q_air, q_rad = heat_inputs_w(bp, t_out, x[..., 0], on, on, cfg, presence=mean_presence(), extra_h_w_per_k=extra)
    p = dataclasses.replace(params, h_air_out_w_per_k=params.h_air_out_w_per_k + extra)
    np.testing.assert_allclose(steady_state(p, t_out, q_air, **radiant_inputs(p, q_rad))[..., 0], cfg.indoor_setpoint_c,
                               rtol=1e-12)  # fmt: skip


def test_supply_curve_rises_as_it_gets_colder_and_stops_above_the_heating_limit(setup, cfg):
    _, bp, _ = setup
    t_out = np.array([[-20.0], [-5.0], [cfg.heating_limit_c + 0.5]])
    on = _full(True, bool)
    no_gains = dataclasses.replace(cfg, person_gain_w=0.0, appliance_w_per_m2=0.0)
    _, q_rad = heat_inputs_w(bp, t_out, _full(cfg.indoor_setpoint_c), on, on, no_gains)
    dh = bp.uses_district_heat
    assert (np.diff(q_rad[:2, dh], axis=0) < 0).all()
    assert (q_rad[2, dh] == 0).all()  # out of the heating season: no district heat
    assert (q_rad[2, ~dh] > 0).all()  # own boilers keep running


def test_district_heat_follows_the_delivered_fraction_up_to_what_radiators_emit(setup, cfg):
    _, bp, _ = setup
    t_out = np.full((R, 1), -10.0)
    on, off = _full(True, bool), _full(False, bool)
    base = dataclasses.replace(cfg, person_gain_w=0.0, appliance_w_per_m2=0.0, heater_share_frac=0.0,
                               gas_stove_share_frac=0.0)  # fmt: skip
    warm = _full(21.0)
    _, q_on = heat_inputs_w(bp, t_out, warm, on, on, base)
    _, q_off = heat_inputs_w(bp, t_out, warm, on, off, base)
    assert (q_on[:, :2] > 0).all() and (q_off[:, :2] == 0).all()
    # a float fraction scales the delivered heat; a bool array is 0/1
    _, q_half = heat_inputs_w(bp, t_out, warm, on, _full(0.5), base)
    np.testing.assert_allclose(q_half[:, :2], 0.5 * q_on[:, :2], rtol=1e-12)
    np.testing.assert_allclose(heat_inputs_w(bp, t_out, warm, on, _full(1.0), base)[1], q_on, rtol=1e-12)
    # district heat needs no power in the building (elevator units), the network's pumps are the chain's
    _, q_nopower = heat_inputs_w(bp, t_out, warm, off, on, base)
    np.testing.assert_allclose(q_nopower[:, :2], q_on[:, :2])
    # a boosted supply (fraction > 1) reaches a cold room up to what the radiators emit (EN 442)
    cold = _full(0.0)
    _, q_cold_normal = heat_inputs_w(bp, t_out, cold, on, on, base)
    np.testing.assert_allclose(q_cold_normal[:, :2], q_on[:, :2], rtol=1e-12)  # capped by the delivery
    _, q_boost = heat_inputs_w(bp, t_out, cold, on, _full(1.3), base)
    _, q_huge = heat_inputs_w(bp, t_out, cold, on, _full(50.0), base)
    assert (q_boost[:, :2] > q_on[:, :2]).all()
    assert (q_huge[:, :2] > q_boost[:, :2]).all()  # emitters allow more than 1.3x at 0 degC ...
    _, q_huge_warm = heat_inputs_w(bp, t_out, warm, on, _full(50.0), base)
    np.testing.assert_allclose(q_huge_warm[:, :2], q_on[:, :2], rtol=1e-12)  # ... but not into a warm room


def test_boilers_need_power_and_are_capped(setup, cfg):
    _, bp, _ = setup
    t_out = np.full((R, 1), -30.0)
    on, off = _full(True, bool), _full(False, bool)
    base = dataclasses.replace(cfg, person_gain_w=0.0, appliance_w_per_m2=0.0)
    _, q_on = heat_inputs_w(bp, t_out, _full(0.0), on, off, base)
    _, q_off = heat_inputs_w(bp, t_out, _full(0.0), off, off, base)
    assert (q_on[:, 2:] > 0).all() and (q_off[:, 2:] == 0).all()
    tiny = dataclasses.replace(base, boiler_kw=1.0)
    _, q_tiny = heat_inputs_w(bp, t_out, _full(0.0), on, off, tiny)
    cap = np.array([N[2] * 1e3, bp.households[3] * 1e3])  # one boiler per house, one per flat
    np.testing.assert_allclose(q_tiny[:, 2:], np.broadcast_to(cfg.radiant_frac * cap, (R, 2)), rtol=1e-12)


def test_heaters_stoves_and_gains_without_central_heat(setup, cfg):
    _, bp, _ = setup
    t_out = np.full((R, 1), -10.0)
    on, off = _full(True, bool), _full(False, bool)
    cold = _full(5.0)  # below supplement_full_c: everyone who has a stove or heater uses it
    people = bp.occupants * cfg.person_gain_w
    appliances = bp.floor_area_m2 * cfg.appliance_w_per_m2
    stove = bp.households * bp.gas_stove_frac * cfg.gas_stove_share_frac * cfg.gas_stove_kw * 1e3
    heater = bp.households * cfg.heater_share_frac * cfg.heater_kw * 1e3
    hh = np.empty((R, 4))
    # power on, district heat off: gains with appliances, stoves and heaters at full power (deep deficit)
    q_air, q_rad = heat_inputs_w(bp, t_out, cold, on, off, cfg, stove_households=hh)
    gains = people + appliances
    kept = bp.gains_air_frac + bp.gains_radiant_node_frac  # the rest of the radiant half leaves by the windows
    np.testing.assert_allclose((q_air + q_rad)[:, :2], np.broadcast_to((gains * kept + stove + heater)[:2], (R, 2)),
                               rtol=1e-12)  # fmt: skip
    np.testing.assert_allclose(q_rad[:, :2], np.broadcast_to((gains * bp.gains_radiant_node_frac)[:2], (R, 2)))
    np.testing.assert_allclose(hh, np.broadcast_to(stove / (cfg.gas_stove_kw * 1e3), (R, 4)), rtol=1e-12)
    # power off too: people and stoves only; houses and own-boiler flats lose their boilers, use stoves
    q_air, q_rad = heat_inputs_w(bp, t_out, cold, off, off, cfg)
    np.testing.assert_allclose(q_air + q_rad, np.broadcast_to(people * kept + stove, (R, 4)), rtol=1e-12)
    # fewer people at home, less heat
    q_air_half, q_rad_half = heat_inputs_w(bp, t_out, cold, off, off, cfg, presence=0.5)
    np.testing.assert_allclose(q_air_half + q_rad_half, np.broadcast_to(0.5 * people * kept + stove, (R, 4)),
                               rtol=1e-12)  # fmt: skip


def test_stoves_and_heaters_come_on_as_the_flat_gets_cold(setup, cfg):
    _, bp, _ = setup
    t_out = np.full((R, 1), -10.0)
    on, off = _full(True, bool), _full(False, bool)
    hh = np.empty((R, 4))
    use = []
    for room in (cfg.supplement_start_c + 0.5, 0.5 * (cfg.supplement_start_c + cfg.supplement_full_c),
                 cfg.supplement_full_c - 1.0):  # fmt: skip
        heat_inputs_w(bp, t_out, _full(room), on, off, cfg, stove_households=hh)
        use.append(hh[0, 0] / (bp.households[0] * bp.gas_stove_frac[0] * cfg.gas_stove_share_frac))
    np.testing.assert_allclose(use, [0.0, 0.5, 1.0], atol=1e-12)
    # they stay on after district heat returns while the flat is still cold (rewarming)
    heat_inputs_w(bp, t_out, _full(10.0), on, on, cfg, stove_households=hh)
    assert (hh[:, :2] > 0).all()
    heat_inputs_w(bp, t_out, _full(cfg.supplement_start_c), on, on, cfg, stove_households=hh)
    assert (hh == 0).all()


def test_blocks_above_ten_storeys_have_no_gas_stoves():
    # SNiP 2.04.08-87: electric cookers above 10 storeys; the modern monolithic archetype has none
    assert archetype("modern_monolithic").gas_stove_frac == 0.0
    assert archetype("panel_16").gas_stove_frac < archetype("panel_9").gas_stove_frac


def test_heaters_and_stoves_are_capped_by_the_deficit(setup, cfg):
    _, bp, _ = setup
    on, off = _full(True, bool), _full(False, bool)
    big = dataclasses.replace(cfg, heater_kw=1e3, gas_stove_kw=1e3, supplement_start_c=22.0, supplement_full_c=21.5)
    # mild outside and a warm room: the deficit is small, heaters fill only that
    t_out = np.full((R, 1), 5.0)
    room = _full(20.0)
    q_air, q_rad = heat_inputs_w(bp, t_out, room, on, off, big)
    gains = bp.occupants * cfg.person_gain_w + bp.floor_area_m2 * cfg.appliance_w_per_m2
    lost = gains * (1.0 - bp.gains_air_frac - bp.gains_radiant_node_frac)  # radiant gains out of the windows
    need = bp.h_total_w_per_k * ((21.0 - 5.0) + (21.0 - 20.0))
    np.testing.assert_allclose((q_air + q_rad)[:, :2], np.broadcast_to((need - lost)[:2], (R, 2)), rtol=1e-12)
    # at the setpoint with warm weather, gains cover the loss: no heater or stove heat
    q_air, q_rad = heat_inputs_w(bp, np.full((R, 1), 20.0), _full(21.0), on, off, big)
    np.testing.assert_allclose((q_air + q_rad)[:, :2], np.broadcast_to((gains - lost)[:2], (R, 2)), rtol=1e-12)


def test_heaters_never_overheat_a_flat(setup, cfg):
    # thermostatic cap: however strong the heaters, the flat approaches the setpoint and stays below it
    params, bp, _ = setup
    big = dataclasses.replace(cfg, heater_kw=1e3, gas_stove_kw=0.0, person_gain_w=0.0, appliance_w_per_m2=0.0,
                              supplement_start_c=22.0, supplement_full_c=21.5)  # fmt: skip
    model = RCModel(params, 3600.0, R, initial_c=5.0)
    on, off = _full(True, bool), _full(False, bool)
    t_out = np.full((R, 1), -15.0)
    indoor = model.indoor_c
    for _ in range(24 * 20):
        q_air, q_rad = heat_inputs_w(bp, t_out, indoor, on, off, big)
        indoor = model.step(t_out, q_air, **radiant_step(params, q_rad))
        assert (indoor[:, :2] <= big.indoor_setpoint_c + 1e-9).all()
    assert (indoor[:, :2] > big.indoor_setpoint_c - 0.5).all()


def radiant_step(params, q_rad):
    return {"q_surface_w": q_rad} if params.n_nodes == 3 else {"q_mass_w": q_rad}


def test_out_buffers_and_shapes(setup, cfg):
    _, bp, _ = setup
    on = _full(True, bool)
    out = (np.empty((R, 4)), np.empty((R, 4)))
    q_air, q_mass = heat_inputs_w(bp, np.full((R, 1), -5.0), _full(18.0), on, on, cfg, out=out)
    assert q_air is out[0] and q_mass is out[1]
    ref = heat_inputs_w(bp, np.full((R, 4), -5.0), _full(18.0), on, on, cfg)
    np.testing.assert_allclose(q_air, ref[0])
    np.testing.assert_allclose(q_mass, ref[1])


def test_config_validation(cfg):
    validate_buildings_config(cfg)
    with pytest.raises(ConfigError, match=r"buildings\.radiant_frac"):
        validate_buildings_config(dataclasses.replace(cfg, radiant_frac=1.5))
    with pytest.raises(ConfigError, match=r"buildings\.ua_multiplier"):
        validate_buildings_config(dataclasses.replace(cfg, ua_multiplier=0.0))
    with pytest.raises(ConfigError, match=r"buildings\.design_outdoor_c"):
        validate_buildings_config(dataclasses.replace(cfg, design_outdoor_c=25.0))
    with pytest.raises(ConfigError, match=r"buildings\.exposure_temperature"):
        validate_buildings_config(dataclasses.replace(cfg, exposure_temperature="radiant"))
    with pytest.raises(ConfigError, match=r"buildings\.supplement_full_c"):
        validate_buildings_config(dataclasses.replace(cfg, supplement_full_c=30.0))
    with pytest.raises(ConfigError, match=r"buildings\.sealing_frac"):
        validate_buildings_config(dataclasses.replace(cfg, sealing_frac=1.0))


def test_input_layouts_and_broadcasting_agree(setup, cfg):
    # the compiled kernel sees (R, 1) or (R, G) C-contiguous arrays; every other layout is normalized
    _, bp, _ = setup
    rng = np.random.default_rng(3)
    weather = rng.normal(-8.0, 6.0, (R, 10))
    t_col = weather[:, 2:3]  # a non-contiguous column view, as the chain passes it
    indoor = rng.normal(16.0, 4.0, (R, 4))
    powered, heat_on = rng.random((R, 4)) < 0.5, rng.random((R, 4)) < 0.5
    ref = heat_inputs_w(bp, np.ascontiguousarray(t_col), indoor, powered, heat_on, cfg)
    wide = heat_inputs_w(bp, np.repeat(t_col, 4, axis=1), indoor, powered, heat_on, cfg)
    view = heat_inputs_w(bp, t_col, np.asfortranarray(indoor), powered.astype(int), heat_on, cfg)
    out = (np.empty((4, R)).T, np.empty((4, R)).T)  # non-contiguous buffers are filled too
    q_air, q_mass = heat_inputs_w(bp, t_col, indoor, powered, heat_on, cfg, out=out)
    assert q_air is out[0] and q_mass is out[1]
    for got in (wide, view, (q_air, q_mass)):
        np.testing.assert_allclose(got[0], ref[0], rtol=1e-12)
        np.testing.assert_allclose(got[1], ref[1], rtol=1e-12)
    # one realization as 1-D arrays and scalars
    row = heat_inputs_w(bp, float(t_col[1, 0]), indoor[1], powered[1], heat_on[1], cfg)
    assert row[0].shape == (4,)
    np.testing.assert_allclose(row[0], ref[0][1], rtol=1e-12)
    np.testing.assert_allclose(row[1], ref[1][1], rtol=1e-12)
    scalar_indoor = heat_inputs_w(bp, t_col, 18.0, powered, heat_on, cfg)
    np.testing.assert_allclose(
        scalar_indoor[0], heat_inputs_w(bp, t_col, _full(18.0), powered, heat_on, cfg)[0], rtol=1e-12
    )
