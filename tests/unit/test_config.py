import pytest
from omegaconf import OmegaConf

from sim.config.validate import POLICIES, validate
from sim.errors import ConfigError
from tests.conftest import ROOT, compose_config


def test_defaults_compose_and_validate():
    cfg = compose_config()
    validate(cfg)
    assert cfg.city.name == "kyiv" and cfg.weather.kind == "cold_snap" and cfg.attacks.policy == "continued"
    assert cfg.horizon_days == 21 and cfg.weather.min_temperature_c == -25


def test_every_attack_option_file_exists():
    assert {p.stem for p in (ROOT / "configs/attacks").glob("*.yaml")} == set(POLICIES)


@pytest.mark.parametrize(
    ("override", "key"),
    [
        ("realizations=0", "realizations"),
        ("horizon_days=400", "horizon_days"),
        ("weather.min_temperature_c=-61", "weather.min_temperature_c"),
        ("weather.min_temperature_c=12", "weather.min_temperature_c"),
        ("repair.power_crews=-1", "repair.power_crews"),
        ("people.heating_points=-3", "people.heating_points"),
        ("attacks.intercept_drone_prob=1.5", "attacks.intercept_drone_prob"),
        ("dt_minutes=7", "dt_minutes"),
        ("horizon_days=0.01", "horizon_days"),
        ("start=yesterday", "start"),
    ],
)
def test_out_of_range_values_name_the_key(override, key):
    cfg = compose_config([override])
    with pytest.raises(ConfigError, match=key.replace(".", r"\.")):
        validate(cfg)


def test_target_anywhere_is_refused():
    cfg = compose_config()
    # as `+city.grid.x._target_=os.system` adds it (city.grid is typed: a plain assignment is refused)
    OmegaConf.update(cfg, "city.grid.x", {"_target_": "os.system"}, force_add=True)
    with pytest.raises(ConfigError, match="_target_"):
        validate(cfg)


def test_summary_csv_false_with_a_brief_is_refused_not_ignored():
    """The brief writes summary.csv (it cites every number from it): ``output.summary_csv=false`` with a brief
    was silently ignored; it is refused, naming the key, and accepted together with ``output.report=false``
    (as the sobol preset sets it)."""
    with pytest.raises(ConfigError, match=r"output\.summary_csv: .*output\.report=false"):
        validate(compose_config(["output.summary_csv=false"]))
    validate(compose_config(["output.summary_csv=false", "output.report=false"]))
    validate(compose_config(["experiment=sobol"]))


def _typed_compose_refuses_a_string_temperature() -> None:
    """The composed config is typed by base_config: a string for a float is refused (no schema: accepted)."""
    from hydra.errors import ConfigCompositionException
    from omegaconf.errors import ValidationError

    assert compose_config(["realizations=2"]).realizations == 2
    with pytest.raises((ConfigCompositionException, ValidationError)):
        compose_config(["people.danger_c=warm"])


def test_register_builds_the_schemas_once_and_again_when_the_store_lost_or_replaced_them():
    import copy

    from hydra.core.config_store import ConfigStore
    from hydra.core.singleton import Singleton

    from sim.config import schema
    from sim.config.people import PeopleConfig

    schema.register()
    cs = ConfigStore.instance()
    base, people = cs.repo["base_config.yaml"], cs.repo["schema"]["people"]["base.yaml"]
    schema.register()
    assert cs.repo["base_config.yaml"] is base  # found in place: not built again
    try:
        del cs.repo["base_config.yaml"]  # lost
        cs.repo["schema"]["people"]["base.yaml"] = cs.repo["schema"]["city"]["base.yaml"]  # replaced
        schema.register()
        assert cs.repo["base_config.yaml"] is not base
        assert OmegaConf.get_type(cs.repo["schema"]["people"]["base.yaml"].node) is PeopleConfig
        _typed_compose_refuses_a_string_temperature()
        # another ConfigStore in its place (Hydra's launchers restore a copy in a worker), here without base_config
        other = copy.deepcopy(cs)
        del other.repo["base_config.yaml"]
        Singleton._instances[ConfigStore] = other
        schema.register()
        assert OmegaConf.get_type(other.repo["base_config.yaml"].node) is schema.ColdgridConfig
        _typed_compose_refuses_a_string_temperature()
    finally:
        Singleton._instances[ConfigStore] = cs
        cs.repo["base_config.yaml"], cs.repo["schema"]["people"]["base.yaml"] = base, people
    schema.register()  # the entries it stored last are gone again: stored anew, and composing types the config
    assert ConfigStore.instance() is cs and cs.repo["base_config.yaml"] is not base
    _typed_compose_refuses_a_string_temperature()
