"""Unit tests of the synthetic grid and heat-network topology (sim.network): component tables and indices."""

from __future__ import annotations

from functools import lru_cache

import numpy as np
import pytest
from omegaconf import OmegaConf

from sim.city import build_city
from sim.config import CityConfig
from sim.config.grid import validate_grid_config
from sim.errors import ConfigError
from sim.network import COMPONENTS, build_network, node_listing
from tests.conftest import ROOT


@lru_cache
def _city(name: str):
    cfg = OmegaConf.merge(OmegaConf.structured(CityConfig), OmegaConf.load(ROOT / f"configs/city/{name}.yaml"))
    return build_city(cfg), cfg


@lru_cache
def _net(name: str):
    city, cfg = _city(name)
    return build_network(city, cfg.grid)


@pytest.mark.parametrize("name", ["kyiv", "small_town"])
def test_every_group_has_a_feeder_and_district_groups_a_source(name):
    city, _ = _city(name)
    net = _net(name)
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


@pytest.mark.parametrize("name", ["kyiv", "small_town"])
def test_component_tables_have_exactly_the_declared_columns(name):
    net = _net(name)
    tables = {"nodes": net.nodes, "substations": net.substation_table, "feeders": net.feeder_table,
              "sources": net.source_table, "units": net.unit_table, "links": net.link_table,
              "groups": net.group_table}
    for comp, table in tables.items():
        cols = COMPONENTS[comp]
        assert list(table.columns) == [c.name for c in cols], comp
        for c in cols:
            assert table[c.name].dtype == np.dtype(c.dtype), (comp, c.name)


def test_units_make_up_each_source_and_boiler_houses_split_their_clusters():
    _, cfg = _city("kyiv")
    net = _net("kyiv")
    units, src, groups = net.unit_table, net.source_table, net.group_table
    cap = units.groupby("source")["heat_mw"].sum()
    np.testing.assert_allclose(cap.to_numpy(), src["capacity_mw"].to_numpy(), rtol=1e-9)
    # CHPs: installed heat = capacity_frac x the zone's design load; electric capacity as configured (C4)
    for h, s in enumerate(cfg.grid.heat_sources):
        row = src.iloc[h]
        assert row["capacity_mw"] == pytest.approx(s.capacity_frac * row["design_heat_mw"])
        assert units.loc[units["source"] == h, "power_mw"].sum() == pytest.approx(
            {"CHP-5": 700, "CHP-6": 500, "Darnytsia CHP": 100}[s.name])
    # zone design load = sum of its groups' design loads
    zone_design = groups[groups["source"] >= 0].groupby("source")["design_heat_mw"].sum()
    np.testing.assert_allclose(zone_design.to_numpy(), src["design_heat_mw"].to_numpy(), rtol=1e-9)
    # 180 boiler houses (D4) are the units of the 30 clusters; each heats its own section of groups
    boilers = src.index[src["kind"] == "boiler"]
    assert len(boilers) == 30
    houses = units[units["source"].isin(boilers)]
    assert len(houses) == 180 and set(houses["kind"]) == {"boiler_house"}
    on_clusters = groups["source"].isin(boilers)
    assert (units.loc[groups.loc[on_clusters, "section"], "source"].to_numpy()
            == groups.loc[on_clusters, "source"].to_numpy()).all()
    assert (groups.loc[~on_clusters, "section"] == -1).all()
    # the serve order is a permutation of each zone
    for h in range(len(src)):
        ranks = np.sort(groups.loc[groups["source"] == h, "shed_rank"].to_numpy())
        assert (ranks == np.arange(len(ranks))).all()
    # the right-bank CHPs can cross-feed
    assert net.link_table[["source_a", "source_b"]].values.tolist() == [[0, 1]]


def test_kyiv_topology_follows_calibration():
    city, _ = _city("kyiv")
    net = _net("kyiv")
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
    # some pumping feeders have a second substation
    crit = net.feeder_table[net.feeder_table["queue"] < 0]
    assert (crit["alt_substation"] >= 0).any() and (crit["alt_substation"] < 0).any()
    # no coordinates anywhere
    for table in (net.nodes, net.substation_table, net.feeder_table, net.source_table, net.group_table):
        assert not {"lat", "lon", "x", "y", "latitude", "longitude"} & set(table.columns)


def test_node_listing_names_kinds_and_districts_only():
    listing = node_listing(_net("kyiv"))
    assert list(listing.columns) == ["name", "kind", "district"]
    assert len(listing) == len(_net("kyiv").nodes) and listing["name"].is_unique


def test_network_is_deterministic():
    city, cfg = _city("kyiv")
    a, b = build_network(city, cfg.grid), build_network(city, cfg.grid)
    assert a.nodes.equals(b.nodes) and a.unit_table.equals(b.unit_table) and a.group_table.equals(b.group_table)


@pytest.mark.parametrize(
    ("grid", "match"),
    [
        ({"substations_per_dist": 2}, "city.grid.substations_per_dist"),
        ({"substations_per_district": 0}, "city.grid.substations_per_district"),
        ({"dual_fed_frac": 1.5}, "city.grid.dual_fed_frac"),
        ({"heat_sources": [{"name": "X", "districts": {"Nowhere": 0.5}}]}, "unknown district"),
        ({"heat_sources": [{"name": "X", "districts": {"North": 0.7}}, {"name": "Y", "districts": {"North": 0.7}}]},
         "sum to"),
        ({"heat_sources": [{"name": "X", "districts": {"North": 0.5}, "units": [{"kind": "reactor"}]}]},
         r"heat_sources\[0\].units\[0\].kind"),
        ({"heat_sources": [{"name": "X", "units": [{"kind": "peak_boiler", "heat_share": 1, "power_mw": 5}]}]},
         "no power"),
        ({"links": [{"a": "BH-North-1", "b": "CHP-9", "capacity_mw": 1}]}, r"links\[0\].b: unknown heat source"),
        ({"allotment_response": [[0, 0], [100]]}, "allotment_response"),
    ],
)
def test_bad_grid_config_names_the_key(grid, match):
    """Values are checked by sim.config.grid; a link's ends by build_network (clusters are named as built)."""
    city, _ = _city("small_town")
    with pytest.raises(ConfigError, match=match):
        validate_grid_config(grid, city.district_names)
        build_network(city, grid)
