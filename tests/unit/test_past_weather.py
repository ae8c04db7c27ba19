"""``nowcast.past_weather``: one observed series spliced with the forecast at ``nowcast.as_of``.

Expected values are written by hand from the files the tests write (a linear ramp observed, members with a
constant offset each), never computed by the code under test. Errors are those of a weather file
(sim.weather_file), one line, prefixed by the key.
"""

from __future__ import annotations

import warnings

import numpy as np
import pandas as pd
import pytest
import xarray as xr

from sim.config.validate import validate
from sim.errors import ColdgridWarning, ConfigError, InputError
from sim.timegrid import TimeGrid
from sim.weather import Forecast, make_forecast, splice_past_weather
from tests.conftest import compose_config

START = "2026-01-29T00:00"
#: 2-day hourly grid: 48 steps; as_of at 20:00 of day 0 leaves steps 0..19 observed
GRID = TimeGrid.from_config(START, 2.0, 60.0, 2.0)
AS_OF = np.datetime64("2026-01-29T20:00", "ns")
N_PAST = 20


def _observed_csv(path, hours=range(0, 31), every_h=1, realization=None):
    """Observed temperature: -20 degC at 00:00 falling 0.5 K per hour (a ramp, so the values are known)."""
    t = pd.Timestamp(START) + pd.to_timedelta(list(hours)[::every_h], unit="h")
    df = pd.DataFrame({"time": t.strftime("%Y-%m-%dT%H:%M"),
                       "outdoor_temperature_c": -20.0 - 0.5 * np.asarray(list(hours)[::every_h], float)})
    if realization is not None:
        df = pd.concat([df.assign(realization=r) for r in realization])
    df.to_csv(path, index=False)
    return path


def _member_forecast_nc(path, first_h=20, n_members=3):
    """An ensemble forecast issued at as_of (20:00): member m is 5 + m degC at every time, to the run's end."""
    t = pd.Timestamp(START) + pd.to_timedelta(np.arange(first_h, 48), unit="h")
    values = 5.0 + np.arange(n_members)[None, :] + np.zeros((len(t), 1))
    xr.Dataset({"outdoor_temperature": (("time", "member"), values, {"units": "degC"})},
               coords={"time": t.values, "member": np.arange(n_members)}).to_netcdf(path)
    return path


def _weather(path):
    return compose_config(["city=small_town", "weather=file", f"weather.path={path}"]).weather


def test_every_member_takes_the_observed_weather_before_as_of_and_its_own_forecast_after(tmp_path):
    obs = _observed_csv(tmp_path / "observed.csv")
    ens = _member_forecast_nc(tmp_path / "ens.nc")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ColdgridWarning)  # 3 members for 5 realizations: cycled
        fc = make_forecast(_weather(ens), GRID, 5, 1, past_weather=str(obs), as_of=AS_OF)
    assert fc.outdoor_c.shape == (5, 48)
    ramp = -20.0 - 0.5 * np.arange(N_PAST)  # 00:00 .. 19:00 observed
    np.testing.assert_array_equal(fc.outdoor_c[:, :N_PAST], np.broadcast_to(ramp, (5, N_PAST)))
    for r in range(5):  # from 20:00 (as_of) on: member r mod 3, i.e. 5, 6, 7, 5, 6 degC
        np.testing.assert_array_equal(fc.outdoor_c[r, N_PAST:], 5.0 + r % 3)
    assert fc.source.startswith(f"observed before 2026-01-29 20:00:00: {obs}; then file: {ens}")


def test_the_observed_file_may_be_coarser_within_max_gap_and_longer_than_as_of(tmp_path):
    obs = _observed_csv(tmp_path / "observed.csv", hours=range(0, 48), every_h=2)  # every 2 h, to the end
    cold = compose_config(["city=small_town", "weather.max_gap_h=2"]).weather
    fc = make_forecast(cold, GRID, 2, 1, past_weather=str(obs), as_of=AS_OF)
    plain = make_forecast(cold, GRID, 2, 1)
    # linear between the 2-hourly values of the ramp, so the same ramp at every hour
    np.testing.assert_allclose(fc.outdoor_c[:, :N_PAST], np.broadcast_to(-20.0 - 0.5 * np.arange(N_PAST), (2, N_PAST)))
    # observations after as_of are ignored: the cold snap's own numbers from as_of on
    np.testing.assert_array_equal(fc.outdoor_c[:, N_PAST:], plain.outdoor_c[:, N_PAST:])


def test_without_the_key_nothing_changes(tmp_path):
    cold = compose_config(["city=small_town"]).weather
    plain = make_forecast(cold, GRID, 3, 7)
    for past in (None, ""):
        same = make_forecast(cold, GRID, 3, 7, past_weather=past, as_of=AS_OF)
        np.testing.assert_array_equal(same.outdoor_c, plain.outdoor_c)
        assert same.source == plain.source
    # and a forecast file must still cover the whole run when there is no observed weather
    with pytest.raises(InputError, match=r"covers 2026-01-29 20:00:00 .. 2026-01-30 23:00:00, but the run needs "
                                         r"2026-01-29 00:00:00 .. 2026-01-30 23:00:00 \(start .. start \+ horizon - dt\)"):
        make_forecast(_weather(_member_forecast_nc(tmp_path / "ens.nc")), GRID, 3, 7, as_of=AS_OF)


def test_as_of_at_the_start_observes_nothing(tmp_path):
    obs = _observed_csv(tmp_path / "observed.csv", hours=range(0, 3))
    cold = compose_config(["city=small_town"]).weather
    fc = make_forecast(cold, GRID, 2, 7, past_weather=str(obs), as_of=GRID.times[0])
    np.testing.assert_array_equal(fc.outdoor_c, make_forecast(cold, GRID, 2, 7).outdoor_c)


@pytest.mark.parametrize(
    ("write", "expected"),
    [
        (lambda p: p, "nowcast.past_weather: weather file {p}: not found"),
        (lambda p: _observed_csv(p, hours=range(0, 15)),
         "nowcast.past_weather: weather file {p}: covers 2026-01-29 00:00:00 .. 2026-01-29 14:00:00, but the run needs "
         "2026-01-29 00:00:00 .. 2026-01-29 19:00:00 (start .. the last step before nowcast.as_of)"),
        (lambda p: _observed_csv(p, hours=range(3, 30)),
         "nowcast.past_weather: weather file {p}: covers 2026-01-29 03:00:00 .. 2026-01-30 05:00:00, but the run needs"),
        (lambda p: _observed_csv(p, realization=(0, 1)),
         "nowcast.past_weather: weather file {p}: 2 realizations or members; observed weather"),
        (lambda p: _observed_csv(p, every_h=3), "line 3: gap of 3 h after 2026-01-29 00:00:00 exceeds 1 h"),
        (lambda p: p.write_text("time,temperature\n2026-01-29T00:00,-3\n") and p,
         "nowcast.past_weather: weather file {p}: missing column(s) outdoor_temperature_c"),
    ],
)
def test_bad_observed_files_are_one_line_errors(tmp_path, write, expected):
    p = write(tmp_path / "observed.csv")
    cold = compose_config(["city=small_town"]).weather
    with pytest.raises(InputError) as e:
        make_forecast(cold, GRID, 2, 1, past_weather=str(p), as_of=AS_OF)
    assert expected.format(p=p) in str(e.value)
    assert "\n" not in str(e.value)


def test_a_forecast_file_must_still_cover_as_of_to_the_end(tmp_path):
    obs = _observed_csv(tmp_path / "observed.csv")
    late = _member_forecast_nc(tmp_path / "late.nc", first_h=22)  # issued two hours after as_of
    with pytest.raises(InputError, match=r"but the run needs 2026-01-29 20:00:00 .. 2026-01-30 23:00:00 "
                                         r"\(nowcast.as_of .. start \+ horizon - dt\)"):
        make_forecast(_weather(late), GRID, 3, 1, past_weather=str(obs), as_of=AS_OF)


def test_splice_is_a_pure_replacement_of_the_first_steps():
    times = GRID.times[:4]
    fc = Forecast(times=times, outdoor_c=np.array([[1.0, 2, 3, 4], [5, 6, 7, 8]]), source="f")
    out = splice_past_weather(fc, np.array([-1.0, -2.0, -3.0]), "o")
    np.testing.assert_array_equal(out.outdoor_c, [[-1, -2, -3, 4], [-1, -2, -3, 8]])
    np.testing.assert_array_equal(fc.outdoor_c, [[1, 2, 3, 4], [5, 6, 7, 8]])  # the input is not modified
    assert out.source == "o; then f"
    np.testing.assert_array_equal(splice_past_weather(fc, np.array([])).outdoor_c, fc.outdoor_c)
    with pytest.raises(ValueError, match="5 steps"):
        splice_past_weather(fc, np.zeros(5))


@pytest.mark.parametrize(
    ("overrides", "expected"),
    [
        (["nowcast.past_weather=obs.csv"], "nowcast.past_weather=obs.csv: needs nowcast.observations"),
        (["nowcast.observations=r.csv", "nowcast.past_weather=' '"], "nowcast.past_weather= : empty path"),
        (["nowcast.observations=r.csv", "nowcast.past_weather=kyiv.epw"], "not a typical year (EPW)"),
    ],
)
def test_bad_past_weather_keys_name_the_key(overrides, expected):
    with pytest.raises(ConfigError) as e:
        validate(compose_config(["city=small_town", *overrides]))
    assert expected in str(e.value)


def test_a_nowcast_run_uses_the_observed_weather_before_as_of(tmp_path):
    from sim.chain import run_scenario

    obs = _observed_csv(tmp_path / "observed.csv")
    reports = tmp_path / "reports.csv"
    reports.write_text("time,district,buildings_without_heat\n2026-01-29T20:00,North,2\n")
    base = ["city=small_town", "realizations=3", "horizon_days=2", f"nowcast.observations={reports}"]
    ds = run_scenario(compose_config([*base, f"nowcast.past_weather={obs}"]))
    plain = run_scenario(compose_config(base))
    t = ds["outdoor_temperature"].values
    np.testing.assert_array_equal(t[:, :N_PAST], np.broadcast_to(-20.0 - 0.5 * np.arange(N_PAST), (3, N_PAST)))
    np.testing.assert_array_equal(t[:, N_PAST:], plain["outdoor_temperature"].values[:, N_PAST:])
    assert ds["outdoor_temperature"].attrs["source"].startswith("observed before 2026-01-29 20:00:00")
