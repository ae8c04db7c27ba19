import numpy as np
import pytest
from omegaconf import OmegaConf

from sim.archetypes import ARCHETYPES
from sim.city import GROUP_COLUMNS, _split_integer, build_city
from sim.config import CityConfig
from sim.config.city import validate_city_config
from sim.errors import ConfigError
from tests.conftest import ROOT


def city_cfg(name: str, **changes):
    cfg = OmegaConf.merge(OmegaConf.structured(CityConfig), OmegaConf.load(ROOT / f"configs/city/{name}.yaml"))
    for k, v in changes.items():
        OmegaConf.update(cfg, k, v)
    return cfg


def test_split_integer_sums_and_is_proportional():
    out = _split_integer(10, np.array([1.0, 1.0, 2.0]))
    assert out.sum() == 10
    assert list(out) == [2, 3, 5] or list(out) == [3, 2, 5]


def test_kyiv_matches_calibration():
    city = build_city(city_cfg("kyiv"))
    g = city.groups
    assert list(g.columns) == list(GROUP_COLUMNS)
    assert len(city.districts) == 10  # calibration D7
    assert city.apartment_blocks == 12000  # calibration D2
    # people present = 3.7 M x (1 - 0.16)  (calibration D1)
    assert city.population == pytest.approx(3.7e6 * 0.84)
    assert g["occupants"].sum() == pytest.approx(city.population)
    # mean floor area of a block ~ 4,300 m2 (calibration D2), within 5 %
    apt = g[g.kind == "apartment"]
    assert apt.floor_area_m2.sum() / apt.n_buildings.sum() == pytest.approx(4300, rel=0.05)
    # khrushchyovka share of blocks 20 % (calibration D3)
    assert apt.loc[apt.archetype == "khrushchyovka_5", "n_buildings"].sum() / 12000 == pytest.approx(0.2, abs=0.01)
    assert set(g.archetype) == set(ARCHETYPES)
    assert (g.loc[g.kind == "apartment", "heating"] == "district").all()
    assert (g.loc[g.kind == "house", "heating"] == "gas_boiler").all()
    assert city.districts.katotth.iloc[0] == "UA80000000000126643"


def test_people_per_district_add_up():
    city = build_city(city_cfg("kyiv"))
    by_d = city.groups.groupby("district")["occupants"].sum()
    np.testing.assert_allclose(by_d[city.district_names].to_numpy(), city.districts["population"].to_numpy())
    assert (city.groups.households * 2.42).sum() == pytest.approx(city.population)


def test_upper_floor_occupants_only_in_tall_buildings():
    g = build_city(city_cfg("kyiv")).groups
    assert (g.loc[g.storeys < 6, "upper_floor_occupants"] == 0).all()
    tall = g[g.storeys >= 6]
    assert (tall.upper_floor_occupants > 0).all() and (tall.upper_floor_occupants < tall.occupants).all()


def test_small_town_is_small():
    city = build_city(city_cfg("small_town"))
    assert 100 <= city.population <= 1000
    assert len(city.groups) <= 20


@pytest.mark.parametrize(
    ("key", "value", "match"),
    [
        ("apartment_stock", {"castle": 1.0}, "unknown archetype"),
        ("apartment_stock", {"private_old": 1.0}, "is a house"),
        ("share_left_frac", 1.0, "share_left_frac"),
        ("population_total", -5, "population_total"),
    ],
)
def test_bad_city_config_names_the_key(key, value, match):
    """Archetype names are checked by build_city (the archetype table); the values by sim.config.city."""
    cfg = city_cfg("small_town", **{key: value})
    with pytest.raises(ConfigError, match=match):
        validate_city_config(cfg)
        build_city(cfg)
