"""Each config group's checks live next to its schema in ``sim.config`` and run in
:func:`sim.config.validate.validate`, before any stage: a bad value is one line naming the key.

The stages read the values without checking them again (``docs/decisions.md``, "Config checks in one
place"); the messages asserted here are the ones the stages raised before the checks moved.
"""

from __future__ import annotations

import dataclasses

import pytest
from omegaconf import OmegaConf

from sim.config import RepairConfig
from sim.config.repair import INT_KEYS, KEYS, validate_repair_config
from sim.config.validate import validate
from sim.errors import ConfigError
from tests.conftest import compose_config

SMALL = ["city=small_town", "realizations=1", "horizon_days=1"]


def rejected(overrides: list[str]) -> str:
    """The message of :func:`validate` for the small town with ``overrides`` (fails if it passes)."""
    cfg = compose_config([*SMALL, *overrides])
    with pytest.raises(ConfigError) as e:
        validate(cfg)
    msg = str(e.value)
    assert "\n" not in msg
    return msg


def test_the_small_town_passes():
    validate(compose_config(SMALL))


# --- repair -----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("override", "message"),
    [
        ("repair.power_crews_per_job=0", "repair.power_crews_per_job must be >= 1, got 0"),
        ("repair.emergency_extra_queues=-1", "repair.emergency_extra_queues must be >= 0, got -1"),
        ("repair.reswitch_frac=1.5", "repair.reswitch_frac must be in [0, 1], got 1.5"),
        ("repair.boost_h=-1", "repair.boost_h must be >= 0, got -1"),
        ("repair.replan_h=0", "repair.replan_h must be > 0, got 0"),
    ],
)
def test_bad_repair_values_are_rejected_by_validate(override, message):
    assert rejected([override]) == message


def test_repair_check_takes_dataclass_dict_and_dictconfig():
    validate_repair_config(RepairConfig())
    validate_repair_config(dataclasses.asdict(RepairConfig()))
    with pytest.raises(ConfigError, match=r"^repair\.heat_crews_per_job: missing or not a number$"):
        validate_repair_config({k: v for k, v in dataclasses.asdict(RepairConfig()).items()
                                if k != "heat_crews_per_job"})
    with pytest.raises(ConfigError, match=r"^repair\.drain_delay_h must be finite, got inf$"):
        validate_repair_config(OmegaConf.structured(RepairConfig(drain_delay_h=float("inf"))))


def test_des_reads_the_keys_the_check_checks():
    from sim.des.params import _INTS as DES_INTS
    from sim.des.params import KEYS as DES_KEYS
    from sim.des.params import repair_params

    assert set(DES_KEYS) == set(KEYS) and DES_INTS == INT_KEYS
    fields = {f.name: f.type for f in dataclasses.fields(RepairConfig)}
    assert set(KEYS) == set(fields) - {"description"}
    assert set(INT_KEYS) <= {k for k, t in fields.items() if t == "int"}
    with pytest.raises(ConfigError, match=r"^repair\.frozen_crews must be an integer >= 0, got 2\.5$"):
        validate_repair_config(dataclasses.replace(RepairConfig(), frozen_crews=2.5))
    p = repair_params(RepairConfig(frozen_crews=7))
    assert p["frozen_crews"] == 7 and isinstance(p["frozen_crews"], int) and p["boost_h"] == 24.0


# --- attacks ----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("override", "message"),
    [
        ("attacks.weapons_per_hit=0.5", "attacks.weapons_per_hit must be >= 1, got 0.5"),
        ("attacks.repair_sigma=-0.1", "attacks.repair_sigma must be >= 0, got -0.1"),
        ("attacks.damage_escalation_prob=1.5", "attacks.damage_escalation_prob must be in [0, 1], got 1.5"),
        ("attacks.wave_focus=dams", "attacks.wave_focus: unknown focus 'dams'; valid: heat_generation, "
                                    "transmission, mixed"),
        ("+attacks.target_weights.dam=1", "attacks.target_weights.dam: unknown node kind"),
        ("attacks.damage_probs.light=-1", "attacks.damage_probs.light must be in [0.0, None], got -1.0"),
        ("attacks.repair_median_h.feeder.severe=0", "attacks.repair_median_h.feeder.severe: missing or not > 0"),
        ("attacks.unit_repair_median_h.light=0", "attacks.unit_repair_median_h.light: missing or not > 0"),
        ("attacks.first_wave_day=-2", "attacks.first_wave_day must be >= 0, got -2.0"),
        ("+attacks.hits=[{node: CHP-5, damage: destroyed, repair_days: 3}]",
         "attacks.hits[0].repair_days: a destroyed node is never repaired (use damage: severe)"),
        ("+attacks.waves=[{day: -1}]", "attacks.waves[0].day must be a number >= 0, got -1.0"),
    ],
)
def test_bad_attacks_values_are_rejected_by_validate(override, message):
    assert rejected([override]) == message


def test_a_hit_on_an_unknown_node_passes_validate_and_fails_when_the_network_is_built():
    """Node names are run-time data (the network built from the city): the one check left in sim.threat."""
    from sim.chain import run_scenario

    cfg = compose_config([*SMALL, "+attacks.hits=[{node: CHP-7, day: 1.0, damage: severe}]"])
    validate(cfg)
    with pytest.raises(ConfigError, match=r"^attacks\.hits\[0\]\.node: unknown node 'CHP-7'"):
        run_scenario(cfg)


def test_a_node_name_in_the_wrong_case_or_of_a_large_network_gets_a_short_hint():
    """Input audit: on main a name in the wrong case got the list of every node (341 names for Kyiv on one line)."""
    from sim.chain import run_scenario
    from sim.threat import _node_hint

    cfg = compose_config([*SMALL, "+attacks.hits=[{node: ss-north-1, day: 1.0}]"])
    with pytest.raises(ConfigError, match=r"unknown node 'ss-north-1'; did you mean 'SS-North-1'\? \(names are "):
        run_scenario(cfg)
    names = [f"SS-{k}" for k in range(100)] + ["Darnytsia CHP"]
    hint = _node_hint("Darnitsa CHP", names)
    assert hint == "closest: Darnytsia CHP; coldgrid --nodes city=... lists all 101 names"


def test_names_the_config_repeats_agree_with_the_model():
    import sim.config.attacks as ca
    import sim.config.checks as cc
    import sim.config.grid as cg
    import sim.network as net
    import sim.network.params as netp
    import sim.threat as threat

    assert ca.POLICIES == threat.POLICIES and ca.DRAWN_LEVELS == threat.DRAWN_LEVELS
    assert ca.SOURCE_KINDS == threat.SOURCE_KINDS and ca.NODE_KINDS == net.NODE_KINDS
    assert cc.DAMAGE_LEVELS == net.DAMAGE_LEVELS and cg.UNIT_KINDS == netp.UNIT_KINDS
    assert dataclasses.asdict(cg.GridConfig()) == {**net.GRID_DEFAULTS, "transmission_kv": [330.0, 330.0]}
    assert net.GRID_DEFAULTS["transmission_kv"] == [330, 330]


# --- city and city.grid -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("override", "message"),
    [
        ("city.household_size=0", "city.household_size must be > 0, got 0.0"),
        ("city.share_65plus_frac=1.2", "city.share_65plus_frac must be in [0, 1], got 1.2"),
        ("city.private_population_frac=-0.1", "city.private_population_frac must be in [0, 1], got -0.1"),
        ("city.apartment_blocks=0 & city.private_houses=0", "city: no buildings (apartment_blocks and private_houses are both zero)"),
        ("city.grid.queues=0", "city.grid.queues must be an integer >= 1, got 0"),
        ("city.grid.queue_block_h=30", "city.grid.queue_block_h must be in [0.25, 24.0], got 30.0"),
        ("city.grid.mild_temperature_c=-25", "city.grid.mild_temperature_c must be above "
                                             "city.grid.design_temperature_c"),
        ("city.grid.allotment_response=[[0,0],[100]]",
         "city.grid.allotment_response must be a list of [lost_mw, extra_mw] pairs"),
        ("city.grid.heat_sources=[{name: X, districts: {Nowhere: 0.5}}]",
         "city.grid.heat_sources[0].districts: unknown district 'Nowhere'"),
        ("city.grid.heat_sources=[{name: X, units: [{kind: reactor}]}]",
         "city.grid.heat_sources[0].units[0].kind: unknown unit kind 'reactor'; valid: turbine, peak_boiler"),
        ("city.grid.links=[{a: BH-North-1, b: BH-North-1, capacity_mw: 5}]",
         "city.grid.links[0]: a link joins two different sources"),
    ],
)
def test_bad_city_values_are_rejected_by_validate(override, message):
    assert rejected(override.split(" & ")) == message


@pytest.mark.parametrize(
    ("override", "where"),
    [("city.grid.queus=3", "queus"), ("city.grid.queues=many", "city.grid.queues"),
     ("city.grid.heat_sources=[{name: X, colour: red}]", "colour")],
)
def test_city_grid_is_typed(override, where):
    """An unknown key or a wrong type under city.grid fails when Hydra composes (one line in the CLI)."""
    from hydra.errors import ConfigCompositionException

    from sim.cli import one_line

    with pytest.raises(ConfigCompositionException) as e:
        compose_config([*SMALL, override])
    assert where in one_line(e.value) and "\n" not in one_line(e.value)


def test_city_grid_node_is_a_grid_config():
    from sim.config.grid import GridConfig, HeatSourceConfig

    cfg = compose_config(["city=kyiv"])
    assert OmegaConf.get_type(cfg.city.grid) is GridConfig
    assert OmegaConf.get_type(cfg.city.grid.heat_sources[0]) is HeatSourceConfig
    assert cfg.city.grid.queues == 6 and cfg.city.grid.heat_sources[0].name == "CHP-5"


# --- weather and the run's keys ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("override", "message"),
    [
        ("weather.day_to_day_autocorr=1.0", "weather.day_to_day_autocorr: must be in [0, 1), got 1"),
        ("weather.diurnal_max_hour=6", "weather.diurnal_max_hour: must be different from diurnal_min_hour, got 6"),
        ("weather.ground_albedo=1.5", "weather: Site: albedo must be within [0, 1]"),
        ("weather.latitude_deg=95", "weather: Site: latitude within [-90, 90] and longitude within [-180, 360] "
                                    "degrees"),
        ("weather.sky_clear_index_spell=1.2", "weather: SkyRule.k_spell must be within [0, 1]"),
        ("weather.wind_base_m_per_s=-1", "weather: SkyRule: wind speeds must be >= 0"),
        ("weather=file", "weather.path: weather=file needs weather.path=<CSV or NetCDF file>"),
        ("weather=file & weather.path=x.epw & dt_minutes=120",
         "dt_minutes: EPW weather needs steps of at most 60 minutes"),
        ("weather.bias_correction=quantile_mapping",
         "weather.bias_correction=quantile_mapping: applies to forecasts read from a file (weather=file); "
         "weather=cold_snap is derived from the station record already"),
        ("start=2026-02-30", "start=2026-02-30: not an ISO 8601 date (e.g. 2026-01-29 or 2026-01-29T00:00)"),
        ("start=2262-04-11", "start=2262-04-11: outside the dates a run can cover (1677-09-22 .. 2262-04-11)"),
    ],
)
def test_bad_weather_and_run_values_are_rejected_by_validate(override, message):
    assert rejected(override.split(" & ")) == message


def test_a_missing_weather_value_names_the_key():
    from sim.config import WeatherConfig
    from sim.config.weather import validate_weather_config

    cfg = OmegaConf.structured(WeatherConfig)
    cfg.spell_onset_days = "???"
    with pytest.raises(ConfigError, match=r"^weather\.spell_onset_days: required, but no value is set \(\?\?\?\)$"):
        validate_weather_config(cfg)


def test_weather_names_agree_with_the_model():
    import sim.bias_correction as bc
    import sim.config.weather as cw
    import sim.weather as w

    assert cw.KINDS == w.KINDS and cw.BIAS_METHODS == bc.METHODS and cw.COLD_SNAP_KEYS == w._COLD_SNAP_KEYS
    assert {k: getattr(cw.WeatherConfig(), k) for k in cw.COLD_SNAP_KEYS}.keys() == cw.COLD_SNAP_KEYS.keys()


def test_a_stage_is_never_reached_with_a_bad_value(monkeypatch):
    """run_scenario validates first: a bad value of each group fails before the city is built."""
    import sim.chain

    def never(*args, **kwargs):
        raise AssertionError("a stage ran")

    monkeypatch.setattr(sim.chain, "build_city", never)
    for override in ("repair.replan_h=0", "city.grid.queues=0", "attacks.first_wave_day=-2",
                     "weather.ground_albedo=2", "buildings.ua_cv=-1", "people.danger_h=0", "start=2026-02-30"):
        with pytest.raises(ConfigError):
            sim.chain.run_scenario(compose_config([*SMALL, override]))


# --- the command line and the output folder (sim.config.trust, sim.config.output) ------------------


def test_removing_a_key_is_refused_and_removing_an_option_is_not(tmp_path):
    from sim.config.trust import refuse_removals

    (tmp_path / "attacks").mkdir()
    refuse_removals(["~attacks", "seed=3"], [tmp_path])
    with pytest.raises(ConfigError, match=r"^~seed: keys cannot be removed .*set a value instead, e\.g\. seed=\.\.\.$"):
        refuse_removals(["~seed"], [tmp_path])


@pytest.mark.parametrize("raw", ["", " ", "."])
def test_an_empty_output_folder_is_refused(raw):
    from sim.config.output import output_folder

    cfg = OmegaConf.create({"hydra": {"run": {"dir": raw}}})
    with pytest.raises(ConfigError, match=r"^hydra\.run\.dir='.*': an empty folder name would write into the current"):
        output_folder(cfg)


def test_the_output_folder_is_absolute(tmp_path, monkeypatch):
    from sim.config.output import output_folder

    monkeypatch.chdir(tmp_path)
    cfg = OmegaConf.create({"hydra": {"sweep": {"dir": "runs/a"}}})
    assert output_folder(cfg, "hydra.sweep.dir") == tmp_path / "runs" / "a"


def test_weather_path_without_weather_file_is_named_not_ignored_silently():
    """``weather.path=...`` with ``weather=cold_snap`` ran the synthetic cold snap without a word. It is a
    warning, not an error: a sweep ``weather=cold_snap,file weather.path=...`` gives every job the path."""
    from sim.config.weather import ignored_path_warning

    cfg = compose_config(["city=small_town", "weather.path=forecast.csv"])
    validate(cfg)
    assert ignored_path_warning(cfg.weather) == (
        "weather.path is ignored: weather=cold_snap does not read a file; add weather=file")
    assert ignored_path_warning(compose_config(["city=small_town"]).weather) is None
    assert ignored_path_warning(compose_config(["weather=file", "weather.path=forecast.csv"]).weather) is None
    assert ignored_path_warning(compose_config(["weather=file"]).weather) is None  # path: ??? (an error elsewhere)


def test_the_ignored_weather_path_is_one_warning_line_per_run(tmp_path):
    """The CLI validates before it claims the folder and the chain again: the warning is issued once, and
    the CLI prints it on one line (``coldgrid: warning: ...``)."""
    from sim import cli
    from sim.errors import ColdgridWarning
    from tests.properties.test_fuzz_overrides import _cli_in_process

    with pytest.warns(ColdgridWarning) as caught:
        code, err = _cli_in_process(["city=small_town", "realizations=1", "horizon_days=1", "output.report=false",
                                     "weather.path=forecast.csv", f"hydra.run.dir={tmp_path / 'run'}"])
    assert code == 0, err
    ours = [w for w in caught if issubclass(w.category, ColdgridWarning)]
    assert [str(w.message) for w in ours] == [
        "weather.path is ignored: weather=cold_snap does not read a file; add weather=file"]
    assert cli._format_warning(ours[0].message, ColdgridWarning, "x.py", 1) == (
        "coldgrid: warning: weather.path is ignored: weather=cold_snap does not read a file; add weather=file\n")


def test_listed_strikes_the_run_leaves_out_are_named():
    """``attacks.waves`` under another policy, and waves or hits on or after the end of the run, ran without a
    word (a hit on day 99 of a 3-day run simply did not happen). Warnings, not errors: a hindcast run for
    fewer days leaves its later strikes out on purpose, and a sweep ``attacks.policy=waves,none`` gives
    every job the same list."""
    from sim.config.attacks import left_out_warnings

    hit = 'attacks.hits=[{node:"Darnytsia CHP",day:2.5,damage:destroyed}]'
    waves = "attacks.waves=[{day:1,drones:10},{day:4,drones:20},{day:9,drones:30}]"
    cfg = compose_config(["attacks=waves", waves, hit])
    assert left_out_warnings(cfg.attacks, 10) == []
    assert left_out_warnings(cfg.attacks, 5) == [
        "attacks.waves: 1 of 3 waves (day 9) on or after the end of the run (horizon_days=5) is left out"]
    assert left_out_warnings(cfg.attacks, 2.5) == [  # a strike at the horizon itself is outside the run
        "attacks.waves: 2 of 3 waves (day 4, 9) on or after the end of the run (horizon_days=2.5) are left out",
        "attacks.hits: 1 of 1 hit on or after the end of the run (horizon_days=2.5) is left out: "
        "Darnytsia CHP on day 2.5"]
    other = compose_config(["attacks=continued", waves])
    assert left_out_warnings(other.attacks, 10) == [
        "attacks.waves is ignored: only attacks=waves runs the listed waves (this run: attacks=continued)"]
    assert left_out_warnings(compose_config(["attacks=continued"]).attacks, 1) == []
    many = "attacks.hits=[" + ",".join(f'{{node:"Darnytsia CHP",day:{d},damage:light}}' for d in (1, 6, 7, 8, 9)) + "]"
    assert left_out_warnings(compose_config([many]).attacks, 5) == [
        "attacks.hits: 4 of 5 hits on or after the end of the run (horizon_days=5) are left out: Darnytsia CHP on "
        "day 6, Darnytsia CHP on day 7, Darnytsia CHP on day 8 and 1 more"]


def test_a_hit_after_the_horizon_is_one_warning_line_and_the_run_goes_on(tmp_path):
    from sim.errors import ColdgridWarning
    from tests.properties.test_fuzz_overrides import _cli_in_process

    with pytest.warns(ColdgridWarning) as caught:
        code, err = _cli_in_process(["city=small_town", "realizations=1", "horizon_days=1", "output.report=false",
                                     'attacks.hits=[{node:"BH-North-1",day:3,damage:destroyed}]',
                                     f"hydra.run.dir={tmp_path / 'run'}"])
    assert code == 0, err
    assert [str(w.message) for w in caught if issubclass(w.category, ColdgridWarning)] == [
        "attacks.hits: 1 of 1 hit on or after the end of the run (horizon_days=1) is left out: BH-North-1 on day 3"]
    assert (tmp_path / "run" / "result.nc").is_file()
