"""Plausibility bounds of the numeric config keys (``PLAUSIBLE`` next to each group's schema).

A value outside its key's plausible range (``buildings.indoor_setpoint_c=100``) is meaningless or a typo:
the run stops with one line naming the key, the range and its unit. No shipped config, preset, sweep or
Sobol range may fall outside a bound, and every bound names a key of its schema.
"""

from __future__ import annotations

import dataclasses
import re
from pathlib import Path
from typing import Any

import pytest
import yaml

from sim.config.attacks import AttacksConfig, HitConfig, WaveConfig, validate_attacks_config
from sim.config.buildings import BuildingsConfig, validate_buildings_config
from sim.config.checks import Plausible, check_plausible
from sim.config.city import CityConfig
from sim.config.grid import GridConfig, HeatSourceConfig, LinkConfig, UnitConfig, validate_grid_config
from sim.config.people import PeopleConfig, validate_people_config
from sim.config.repair import RepairConfig, validate_repair_config
from sim.config.validate import PLAUSIBLE, plausible_range
from sim.config.weather import WeatherConfig, validate_weather_config
from sim.errors import ConfigError
from tests.conftest import ROOT, compose_config

CONFIGS = ROOT / "configs"
GROUPS = ("city", "weather", "attacks", "repair", "buildings", "people")
SCHEMAS: dict[str, Any] = {"city.grid": GridConfig, "city": CityConfig, "weather": WeatherConfig,
                           "attacks": AttacksConfig, "repair": RepairConfig, "buildings": BuildingsConfig,
                           "people": PeopleConfig}
#: Item schemas of the lists a bound reaches into (``heat_sources[].units[].power_mw``).
ITEMS: dict[str, Any] = {"heat_sources": HeatSourceConfig, "units": UnitConfig, "links": LinkConfig,
                         "waves": WaveConfig, "hits": HitConfig}


def leaves(value: Any, path: str) -> list[tuple[str, float]]:
    """Every number of a YAML value with its dotted key (list indices as ``[i]``)."""
    if isinstance(value, dict):
        return [x for k, v in value.items() for x in leaves(v, f"{path}.{k}" if path else str(k))]
    if isinstance(value, list):
        return [x for i, v in enumerate(value) for x in leaves(v, f"{path}[{i}]")]
    if isinstance(value, int | float) and not isinstance(value, bool):
        return [(path, value)]
    return []


def outside(key: str, value: float) -> Plausible | None:
    b = plausible_range(key)
    return b if b is not None and not b.lo <= value <= b.hi else None


def shipped_values() -> list[tuple[str, str, float]]:
    """(file, key, value) of every number in configs/: group options, presets and their sweeps."""
    out = []
    for group in GROUPS:
        for path in sorted((CONFIGS / group).glob("*.yaml")):
            data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
            out += [(path.name, k, v) for k, v in leaves(data, group)]
    for path in sorted((CONFIGS / "experiment").rglob("*.yaml")):
        data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        params = ((data.pop("hydra", None) or {}).get("sweeper") or {}).get("params") or {}
        out += [(path.name, k, v) for k, v in leaves(data, "")]
        for key, spec in params.items():
            for item in str(spec).split(","):
                if re.fullmatch(r"-?[\d.]+(e[+-]?\d+)?", item.strip()):  # not an option name or glob(*)
                    out.append((path.name, str(key), float(item)))
    return out


def test_every_shipped_value_lies_within_its_plausible_range():
    values = shipped_values()
    assert len(values) > 300 and any(k == "attacks.pause_days" and v == 14 for _, k, v in values)
    bad = [(f, k, v, outside(k, v)) for f, k, v in values if outside(k, v)]
    assert not bad, bad


@pytest.mark.parametrize("prefix", sorted(SCHEMAS))
def test_schema_defaults_lie_within_their_plausible_ranges(prefix):
    check_plausible(prefix, SCHEMAS[prefix](), PLAUSIBLE[prefix])


def _sobol_ranges() -> list[tuple[str, dict]]:
    out = []
    for path in sorted((CONFIGS / "sobol").glob("*.yaml")):
        out += [(path.stem, p) for p in yaml.safe_load(path.read_text(encoding="utf-8"))["parameters"]]
    return out


@pytest.mark.parametrize("city", ["kyiv", "small_town"])
def test_every_sobol_range_lies_within_the_plausible_range_of_its_key(city):
    """The support of each Sobol parameter (a factor on the city's configured value where ``relative``)
    lies within the key's plausible range, and the config at the extremes of every list validates."""
    from omegaconf import OmegaConf

    from sim.config.validate import validate

    base = compose_config([f"city={city}"])
    extremes: dict[str, tuple[list[str], list[str]]] = {}
    checked = 0
    for name, p in _sobol_ranges():
        assert p.get("dist", "unif") in ("unif", "triang", "truncnorm"), p  # bounded supports only
        lo, hi = float(p["bounds"][0]), float(p["bounds"][1])
        if p.get("relative"):
            configured = float(OmegaConf.select(base, p["key"]))
            lo, hi = lo * configured, hi * configured
        if p.get("integer"):
            lo, hi = round(lo), round(hi)
        b = plausible_range(p["key"])
        if b is not None:
            checked += 1
            assert b.lo <= lo and hi <= b.hi, (name, p["key"], (lo, hi), b)
        low, high = extremes.setdefault(name, ([], []))
        fmt = (lambda v: str(int(v))) if p.get("integer") else repr
        low.append(f"{p['key']}={fmt(lo)}")
        high.append(f"{p['key']}={fmt(hi)}")
    assert checked >= 8  # the others are shares and probabilities (checked within [0, 1]) or min_temperature_c
    for low, high in extremes.values():
        for over in (low, high):
            validate(compose_config([f"city={city}", *over]))


@pytest.mark.parametrize("prefix", sorted(PLAUSIBLE))
def test_every_bound_names_a_key_of_its_schema(prefix):
    for key in PLAUSIBLE[prefix]:
        schema: Any = SCHEMAS[prefix]
        for part in key.split("."):
            name = part.removesuffix("[]")
            assert name in {f.name for f in dataclasses.fields(schema)}, (prefix, key)
            schema = ITEMS.get(name, schema)
        assert PLAUSIBLE[prefix][key].lo < PLAUSIBLE[prefix][key].hi, key


@pytest.mark.parametrize(
    ("check", "message"),
    [
        (lambda: validate_buildings_config(BuildingsConfig(indoor_setpoint_c=100.0)),
         "buildings.indoor_setpoint_c=100: must be between 10 and 30 degC (an indoor setpoint of a heated home)"),
        (lambda: validate_buildings_config(BuildingsConfig(heater_kw=15.0)),
         "buildings.heater_kw=15: must be between 0 and 10 kW (electric heating of one household)"),
        (lambda: validate_buildings_config(BuildingsConfig(design_outdoor_c=-70.0)),
         "buildings.design_outdoor_c=-70: must be between -60 and 10 degC (a design outdoor temperature, EN 12831)"),
        (lambda: validate_repair_config(RepairConfig(power_crews=50_000)),
         "repair.power_crews=50000: must be between 0 and 5000 crews (power crews of one city)"),
        (lambda: validate_people_config(PeopleConfig(places_per_point=100_000.0)),
         "people.places_per_point=100000: must be between 0 and 5000 people (places at one heating point)"),
        (lambda: validate_people_config(PeopleConfig(duration_bin_edges_h=[0.0, 6.0, 1e5])),
         "people.duration_bin_edges_h[2]=100000: must be between 0 and 8784 h"),
        (lambda: validate_weather_config(WeatherConfig(wind_base_m_per_s=40.0)),
         "weather.wind_base_m_per_s=40: must be between 0 and 30 m/s (a mean wind speed)"),
        (lambda: validate_attacks_config(AttacksConfig(policy="waves", waves=[WaveConfig(day=1.0, drones=1e5)])),
         "attacks.waves[0].drones=100000: must be between 0 and 10000 drones (drones per wave)"),
        (lambda: validate_grid_config(GridConfig(queues=30), []),
         "city.grid.queues=30: must be between 1 and 24 (outage queues)"),
    ],
)
def test_an_implausible_value_is_one_line_naming_key_range_and_unit(check, message):
    with pytest.raises(ConfigError) as e:
        check()
    assert str(e.value).startswith(message) and "\n" not in str(e.value), str(e.value)


def test_a_bound_itself_is_accepted_and_the_city_checks_its_keys():
    validate_buildings_config(BuildingsConfig(indoor_setpoint_c=30.0, heater_kw=10.0, design_outdoor_c=-60.0))
    validate_repair_config(RepairConfig(power_crews=5000))
    with pytest.raises(ConfigError, match=r"^city\.household_size=20: must be between 1 and 12 people"):
        from sim.config.validate import validate

        validate(compose_config(["city=small_town", "city.household_size=20"]))


def test_the_parameter_table_shows_the_plausible_ranges():
    text = (ROOT / "docs" / "parameters.md").read_text(encoding="utf-8")
    assert "| key | default | unit | plausible |" in text
    row = next(ln for ln in text.splitlines() if ln.startswith("| `buildings.indoor_setpoint_c` |"))
    assert "| 10..30 |" in row
    assert re.search(r"\| `repair\.power_crews` \| `\d+` \| crews \| 0\.\.5000 \|", text)


def test_yaml_leaves_walks_lists_of_mappings():
    assert leaves({"a": [{"b": 1}, {"b": 2.5}], "c": True}, "g") == [("g.a[0].b", 1), ("g.a[1].b", 2.5)]
    assert Path(CONFIGS / "sobol" / "default.yaml").exists()
