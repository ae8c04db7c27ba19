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
