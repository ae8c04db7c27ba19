"""The Sobol design and its jobs (sim.sensitivity, sim.config.sobol): sizes, overrides, seeds, checks."""

from __future__ import annotations

import numpy as np
import pytest
from omegaconf import OmegaConf

from sim import sensitivity as sa
from sim.config.sobol import SobolConfig, SobolParameter, validate_sobol_config
from sim.errors import ConfigError


def _cfg(**kw) -> SobolConfig:
    params = [SobolParameter("weather.min_temperature_c", bounds=[-30.0, -18.0], source="F3"),
              SobolParameter("repair.heat_crews", bounds=[0.5, 1.5], relative=True, integer=True, source="[L]")]
    return SobolConfig(**{"samples": 4, "parameters": params, **kw})


def test_plan_runs_every_scenario_at_every_row_and_the_nominal_point():
    scen = [["attacks=continued"], ["attacks=pause_week"]]
    base = [{"weather.min_temperature_c": -25.0, "repair.heat_crews": 60.0}] * 2
    d = sa.plan(_cfg(), 7, scen, base)
    rows = sa.n_points(4, 2, False)
    assert d.X.shape == (rows, 2) == (16, 2)
    assert len(d.jobs) == 2 + 2 * rows
    assert [j["num"] for j in d.jobs] == list(range(len(d.jobs)))
    assert d.jobs[0]["overrides"] == ["attacks=continued", "sobol.sample=-1"]
    # row by row: both scenarios of a row are neighbours and carry the same parameter values
    a, b = d.jobs[2], d.jobs[3]
    assert a["sample"] == b["sample"] == 0 and a["overrides"][1:] == b["overrides"][1:]
    x = d.X[0]
    assert a["overrides"][1:] == ["sobol.sample=0", f"weather.min_temperature_c={float(x[0])!r}",
                                  f"repair.heat_crews={round(60.0 * x[1])}"]
    assert d.X[:, 0].min() >= -30.0 and d.X[:, 0].max() <= -18.0


def test_second_order_doubles_the_rows_and_the_seed_fixes_the_design():
    base = [{"weather.min_temperature_c": -25.0, "repair.heat_crews": 60.0}]
    a = sa.plan(_cfg(second_order=True), 7, [[]], base)
    assert a.X.shape[0] == 4 * (2 * 2 + 2)
    b = sa.plan(_cfg(second_order=True), 7, [[]], base)
    c = sa.plan(_cfg(second_order=True), 8, [[]], base)
    assert np.array_equal(a.X, b.X) and not np.array_equal(a.X, c.X)
    assert a.same_plan(b) and not a.same_plan(c)


def test_design_file_round_trip_and_resume_refuses_another_design(tmp_path):
    base = [{"weather.min_temperature_c": -25.0, "repair.heat_crews": 60.0}]
    d = sa.plan(_cfg(), 7, [["attacks=continued"]], base)
    sa.write_design(tmp_path, d, resume=False)
    back = sa.read_design(tmp_path)
    assert back is not None and back.same_plan(d) and back.parameters == d.parameters
    sa.write_design(tmp_path, d, resume=True)  # the same design: fine
    other = sa.plan(_cfg(samples=8), 7, [["attacks=continued"]], base)
    with pytest.raises(ConfigError, match="another Sobol design"):
        sa.write_design(tmp_path, other, resume=True)
    assert sa.read_design(tmp_path).same_plan(d)  # nothing overwritten


@pytest.mark.parametrize(("change", "message"), [
    ({"samples": 48}, "power of 2"),
    ({"statistic": "mode"}, "sobol.statistic"),
    ({"parameters": []}, "empty"),
    ({"parameters": [SobolParameter("a.b", dist="beta", bounds=[0, 1], source="[L]")]}, "dist=beta"),
    ({"parameters": [SobolParameter("a.b", bounds=[1, 0], source="[L]")]}, "lower bound"),
    ({"parameters": [SobolParameter("a.b", dist="triang", bounds=[0, 1], source="[L]")]}, "needs 3"),
    ({"parameters": [SobolParameter("a.b", bounds=[0, 1])]}, "calibration line or \\[L\\]"),
    ({"parameters": [SobolParameter("a.b", bounds=[0, 1], source="x")] * 2}, "listed twice"),
    ({"parameters": [SobolParameter("seed", bounds=[0, 1], source="x")]}, "not a model parameter"),
])
def test_bad_sobol_settings_are_one_line_errors_naming_the_key(change, message):
    with pytest.raises(ConfigError, match=message):
        validate_sobol_config(_cfg(**change))


def test_shipped_parameter_lists_are_valid_and_cite_a_source():
    from sim.resources import config_dir

    for name in ("default", "quick"):
        node = OmegaConf.merge(OmegaConf.structured(SobolConfig), OmegaConf.load(config_dir() / "sobol" / f"{name}.yaml"))
        params = sa.parameters_of(node)
        assert all("calibration" in p.source or "[L]" in p.source for p in params), name
        assert len({p.key for p in params}) == len(params)


def test_sample_statistic_and_its_monte_carlo_error():
    rng = np.random.default_rng(1)
    x = rng.normal(10.0, 2.0, 400)
    m, se = sa.summarize_sample(x, np.full(400, 1 / 400), "mean")
    assert m == pytest.approx(x.mean()) and se == pytest.approx(x.std(ddof=1) / 20.0)
    med, se_med = sa.summarize_sample(x, np.full(400, 1 / 400), "median")
    assert med == pytest.approx(np.median(x), abs=0.05)
    # the median's error is about sqrt(pi/2) times the mean's for normal data (Kendall & Stuart)
    assert 1.0 < se_med / se < 1.6


def test_missing_message_lists_the_rows_and_says_resume():
    text = sa.missing_message([(5, 1, "attacks=continued"), (9, 3, "attacks=pause_week")], 40)
    assert "2 of 40 sample jobs" in text and "design rows 1, 3" in text and "jobs 5, 9" in text
    assert "resume=true" in text and "\n" not in text


@pytest.mark.parametrize("name", ["default", "quick"])
def test_shipped_ranges_hold_the_configured_value_of_the_default_scenario(name):
    """Each uniform range must contain the value the default scenario runs with (the nominal point of the
    brief), so that a calibrated default that moved (e.g. a refill rate refitted to B3) cannot leave the
    Sobol range describing another model. Relative ranges are factors: they must hold 1."""
    from sim.config.load import compose_config
    from sim.resources import config_dir

    node = OmegaConf.merge(OmegaConf.structured(SobolConfig), OmegaConf.load(config_dir() / "sobol" / f"{name}.yaml"))
    cfg = compose_config([])
    for p in sa.parameters_of(node):
        if p.dist != "unif":
            continue
        lo, hi = p.bounds
        nominal = 1.0 if p.relative else float(OmegaConf.select(cfg, p.key))
        assert lo <= nominal <= hi, f"{p.key}: configured {nominal} outside the Sobol range [{lo}, {hi}]"
