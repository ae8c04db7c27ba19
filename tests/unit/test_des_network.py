"""Unit tests of the synthetic grid and heat-network topology (sim.des.network)."""

from __future__ import annotations

from functools import lru_cache

import numpy as np
import pytest
from omegaconf import OmegaConf

from sim.city import build_city
from sim.config import CityConfig
from sim.des.network import build_network
from sim.errors import ConfigError
from tests.conftest import ROOT


@lru_cache
def _city(name: str):
    cfg = OmegaConf.merge(OmegaConf.structured(CityConfig), OmegaConf.load(ROOT / f"configs/city/{name}.yaml"))
    return build_city(cfg), cfg


@pytest.mark.parametrize("name", ["kyiv", "small_town"])
def test_every_group_has_a_feeder_and_district_groups_a_source(name):
    city, cfg = _city(name)
    net = build_network(city, cfg.grid)
    g = city.groups
    assert net.group_feeder.shape == (len(g),)
    assert (net.group_feeder >= 0).all() and (net.group_feeder < net.n_feeders).all()
    # groups hang on non-critical feeders of their own district
    assert (net.feeder_queue[net.group_feeder] >= 0).all()
    f_district = net.nodes.loc[net.feeders[net.group_feeder], "district"].to_numpy()
    assert (f_district == g["district"].to_numpy()).all()
    dh = (g["heating"] == "district").to_numpy()
    assert (net.group_heat_source[dh] >= 0).all()
    assert (net.group_heat_source[~dh] == -1).all()
    # every heat source has a critical (queue-exempt) pumping feeder
    assert (net.feeder_queue[net.heat_source_feeder] == -1).all()
    assert set(net.feeder_queue[net.feeder_queue >= 0]) <= set(range(6))


def test_kyiv_topology_follows_calibration():
    city, cfg = _city("kyiv")
    net = build_network(city, cfg.grid)
    kinds = net.nodes["kind"].value_counts()
    assert kinds["chp"] == 3  # CHP-5, CHP-6, Darnytsia (calibration C4, D4)
    assert kinds["transmission"] == 5
    assert kinds["substation"] == 30
    names = set(net.nodes["name"])
    assert {"CHP-5", "CHP-6", "Darnytsia CHP", "TS-1", "SS-Obolonskyi-2"} <= names
    nb = city.groups["n_buildings"].to_numpy()
    darnytsia = int(np.flatnonzero(net.nodes.loc[net.heat_sources, "name"].to_numpy() == "Darnytsia CHP")[0])
    # calibration B4: ~1,126 buildings on the Darnytsia CHP
    assert abs(nb[net.group_heat_source == darnytsia].sum() - 1126) < 60
    # some substations survive the loss of one transmission substation, some do not
    n_feeds = [len(f) for f in net.substation_feeds]
    assert 1 in n_feeds and 2 in n_feeds
    # no coordinates anywhere
    assert not {"lat", "lon", "x", "y"} & set(net.nodes.columns)


def test_network_is_deterministic():
    city, cfg = _city("kyiv")
    a, b = build_network(city, cfg.grid), build_network(city, cfg.grid)
    assert a.nodes.equals(b.nodes)
    assert (a.group_feeder == b.group_feeder).all() and (a.group_heat_source == b.group_heat_source).all()


@pytest.mark.parametrize(
    ("grid", "match"),
    [
        ({"substations_per_dist": 2}, "city.grid.substations_per_dist"),
        ({"substations_per_district": 0}, "city.grid.substations_per_district"),
        ({"dual_fed_frac": 1.5}, "city.grid.dual_fed_frac"),
        ({"heat_sources": [{"name": "X", "districts": {"Nowhere": 0.5}}]}, "unknown district"),
        ({"heat_sources": [{"name": "X", "districts": {"North": 0.7}}, {"name": "Y", "districts": {"North": 0.7}}]},
         "sum to"),
    ],
)
def test_bad_grid_config_names_the_key(grid, match):
    city, _ = _city("small_town")
    with pytest.raises(ConfigError, match=match):
        build_network(city, grid)
