"""Every figure of sim.keyfigures, per run and per district, recomputed with numpy from the arrays of the
synthetic run (tests/unit/report_fixtures.py): the definitions of reference/report.md and of the figure
table, never the code under test. Written to kill mutants of ``make mutation`` in sim.keyfigures; fast
(no simulation chain), and each test computes its figures itself (mutmut maps functions to the tests that
call them while they run, not inside module-scoped fixtures)."""

from __future__ import annotations

import numpy as np
import pytest

from sim import keyfigures
from sim.keyfigures import Settings
from tests.unit.report_fixtures import EDGES, KYIV_DISTRICTS, THRESHOLDS, make_run

K12, K16 = THRESHOLDS.index(12.0), THRESHOLDS.index(16.0)
ALL, A65, U5 = 0, 1, 2  # the fixture's age groups
EDGE = np.asarray(EDGES, dtype=float)


def _daily_worst(x):
    """(R, T) hourly -> (R,) the highest daily mean (days from the start)."""
    R, T = x.shape
    return x.reshape(R, T // 24, 24).mean(axis=2).max(axis=1)


def _restore_days(series, frac=0.1, dt_h=1.0):
    """(R, T) -> days from each run's peak until at most ``frac`` x peak (censored one step after the end)."""
    out = []
    for s in series:
        i = int(np.argmax(s))
        later = [j for j in range(i + 1, s.size) if s[j] <= frac * s[i]]
        end = later[0] * dt_h if later else s.size * dt_h
        out.append((end - i * dt_h) / 24.0 if s[i] > 0 else 0.0)
    return np.array(out)


def _expected_city(ds):
    v = {k: ds[k].values for k in ds.data_vars}
    pb, ph = v["people_below_threshold"], v["person_hours_below_threshold"]
    occ = v["occupants"]  # (D, age)
    share = v["share_without_power"]  # (R, T, D)
    sev, spell, hist = v["people_severe_cold"], v["severe_spell_histogram"], v["cold_spell_histogram"]
    gens = v["generators_running"]
    cap_d, dem_d = v["heating_point_capacity_by_district"], v["heating_point_demand_by_district"]
    out = {
        "people_below_16_mean": pb[:, :, K16].mean(axis=1),
        "people_below_16_worst_day": _daily_worst(pb[:, :, K16]),
        "people_below_12_mean": pb[:, :, K12].mean(axis=1),
        "people_below_12_worst_day": _daily_worst(pb[:, :, K12]),
        "person_days_below_12": ph[:, K12, :].sum(axis=1) / 24.0,
        "people_cold_72h": sev[:, :, ALL].sum(axis=1),
        "people_cold_72h_65plus": sev[:, :, A65].sum(axis=1),
        "people_cold_72h_under5": sev[:, :, U5].sum(axis=1),
        "people_cold_24h": v["people_cold_24h"].sum(axis=1),
        "households_cold_24h": v["people_cold_24h"].sum(axis=1) / 2.42,
        "people_cold_24h_65plus": v["people_cold_24h_by_age"][:, :, A65].sum(axis=1),
        "people_cold_24h_under5": v["people_cold_24h_by_age"][:, :, U5].sum(axis=1),
        "person_days_below_12_65plus": v["person_hours_below_threshold_by_age"][:, K12, :, A65].sum(axis=1) / 24,
        "person_days_below_12_under5": v["person_hours_below_threshold_by_age"][:, K12, :, U5].sum(axis=1) / 24,
        "people_dangerous_cold": v["people_dangerous_cold"][:, :, ALL].sum(axis=1),
        "cold_hours_median": v["cold_hours_median"][:, ALL],
        "cold_hours_p90": v["cold_hours_p90"][:, ALL],
        "buildings_without_heat_peak": v["buildings_without_heat"].sum(axis=2).max(axis=1),
        "days_to_restore_heat": _restore_days(v["buildings_without_heat"].sum(axis=2).astype(float)),
        "buildings_drained_peak": v["buildings_drained"].sum(axis=2).max(axis=1),
        "buildings_frozen_peak": v["buildings_frozen"].sum(axis=2).max(axis=1),
        # the share of people present without power: weighted by the district's occupants
        "share_without_power_peak": 100 * ((share * occ[:, ALL]).sum(axis=2) / occ[:, ALL].sum()).max(axis=1),
        "heating_point_demand_peak": v["heating_point_demand"].max(axis=1),
        "heating_point_capacity": np.full(10, 130_000.0),
        "heating_point_unmet_peak": v["heating_point_unmet_demand"].max(axis=1),
        # open points, plus as many more of 100 places as demand above the places fills, summed over districts
        "heating_points_needed_peak": (np.maximum(dem_d, cap_d) / 100.0).sum(axis=2).max(axis=1),
        "generators_peak": gens.max(axis=1),
        "generators_peak_10kW": 0.2 * gens.max(axis=1),
        "generators_peak_30kW": 0.6 * gens.max(axis=1),
        "generators_peak_50kW": 0.2 * gens.max(axis=1),
        "generator_kw_peak": v["generator_kw"].max(axis=1),
        "generator_load_kw_peak": v["generator_load_kw"].max(axis=1),
        "diesel_l_per_day_mean": v["diesel_consumption"].mean(axis=1),
        "diesel_l_per_day_peak": v["diesel_consumption"].max(axis=1),
        "diesel_total_l": v["diesel_consumption"].sum(axis=1),  # three whole days
        "people_without_water_peak": v["people_without_water"].max(axis=1),
    }
    for c, h, age in ((12, 24, A65), (12, 48, A65), (12, 24, U5), (12, 48, U5)):
        out[f"spell_{c}c_{'65plus' if age == A65 else 'under5'}_{h}h"] = spell[:, h <= EDGE, age].sum(axis=1)
    for c, h, age in ((16, 48, A65), (16, 72, A65), (16, 48, U5), (16, 72, U5)):
        out[f"spell_{c}c_{'65plus' if age == A65 else 'under5'}_{h}h"] = hist[:, h <= EDGE, age].sum(axis=1)
    return out


def test_every_city_figure_per_run():
    ds = make_run()
    v = keyfigures.values(ds)
    expected = _expected_city(ds)
    assert set(v.data_vars) == set(expected)
    for key, x in expected.items():
        assert v[key].dims == ("realization",), key
        np.testing.assert_allclose(v[key].values, x, rtol=1e-12, atol=1e-9, err_msg=key)
        assert v[key].dtype == np.float64, key


def test_ceilings_and_attributes():
    ds = make_run()
    v = keyfigures.values(ds)
    pop = float(ds["population"].values.sum())
    occ = ds["occupants"].values
    buildings = float(ds["apartment_buildings"].values.sum())
    ceilings = {
        "people_below_16_mean": pop, "people_cold_72h": pop, "people_cold_72h_65plus": occ[:, A65].sum(),
        "people_cold_72h_under5": occ[:, U5].sum(), "households_cold_24h": pop / 2.42,
        "spell_12c_65plus_24h": occ[:, A65].sum(), "spell_16c_under5_72h": occ[:, U5].sum(),
        "buildings_without_heat_peak": buildings, "buildings_frozen_peak": buildings,
        "share_without_power_peak": 100.0, "heating_point_demand_peak": pop, "people_without_water_peak": pop,
    }
    for key, c in ceilings.items():
        assert v[key].attrs["ceiling"] == pytest.approx(c, rel=1e-12), key
    assert np.isnan(v["person_days_below_12"].attrs["ceiling"]) and np.isnan(v["generators_peak"].attrs["ceiling"])
    a = v["people_cold_72h"].attrs
    assert (a["units"], a["section"], a["lead"], a["cut_is_good"]) == ("people", "exposure", 1, 1)
    assert a["long_name"] == "People below 12 °C indoors for 72 h or more"
    assert a["definition"] == ("people whose home stayed below 12 °C for at least 72 h in a row at some time of "
                               "the run")
    assert v["heating_point_capacity"].attrs["cut_is_good"] == 0 and v["people_cold_24h"].attrs["lead"] == 0
    assert v["generators_peak_30kW"].attrs["long_name"] == "... of which 30 kW class"
    assert v["spell_16c_under5_72h"].attrs["long_name"] == "Under 5 below 16 °C for 72 h or more"
    assert v["buildings_without_heat_peak"].attrs["definition"].endswith(
        "; peak: the highest value at any hour of the run, in each run (the median is over runs of these peaks)")
    assert list(keyfigures.values(ds, keys=["people_cold_72h", "generators_peak"]).data_vars) == [
        "people_cold_72h", "generators_peak"]


def test_every_district_figure_per_run():
    ds = make_run()
    v = {k: ds[k].values for k in ds.data_vars}
    cap_d, dem_d = v["heating_point_capacity_by_district"], v["heating_point_demand_by_district"]
    gens_d = v["generators_running_by_district"]
    pbd = v["people_below_threshold_by_district"]  # (R, T, K, D)
    R, T = pbd.shape[:2]
    expected = {
        "people_below_16_mean": pbd[:, :, K16, :].mean(axis=1),
        "people_below_16_worst_day": pbd[:, :, K16, :].reshape(R, T // 24, 24, -1).mean(axis=2).max(axis=1),
        "people_below_12_mean": pbd[:, :, K12, :].mean(axis=1),
        "person_days_below_12": v["person_hours_below_threshold"][:, K12, :] / 24.0,
        "people_cold_72h": v["people_severe_cold"][:, :, ALL],
        "people_cold_72h_65plus": v["people_severe_cold"][:, :, A65],
        "people_cold_24h": v["people_cold_24h"],
        "households_cold_24h": v["people_cold_24h"] / 2.42,
        "buildings_without_heat_peak": v["buildings_without_heat"].max(axis=1),
        "share_without_power_peak": 100 * v["share_without_power"].max(axis=1),
        "heating_point_demand_peak": dem_d.max(axis=1),
        "heating_point_capacity": np.broadcast_to(cap_d, (R, cap_d.size)),
        "heating_point_unmet_peak": np.clip(dem_d - cap_d, 0, None).max(axis=1),
        "heating_points_needed_peak": (np.maximum(dem_d, cap_d) / 100.0).max(axis=1),
        "generators_peak": gens_d.max(axis=1),
        "generators_peak_50kW": 0.2 * gens_d.max(axis=1),
        "diesel_l_per_day_mean": v["diesel_consumption_by_district"].mean(axis=1),
        "diesel_l_per_day_peak": v["diesel_consumption_by_district"].max(axis=1),
    }
    dv = keyfigures.district_values(ds)
    for key, x in expected.items():
        assert dv[key].dims == ("realization", "district"), key
        np.testing.assert_allclose(dv[key].values, x, rtol=1e-12, atol=1e-9, err_msg=key)
    assert list(dv["district"].values) == list(KYIV_DISTRICTS)
    assert list(dv["katotth"].values) == list(KYIV_DISTRICTS.values())
    assert dv["heating_point_demand_peak"].attrs == {
        "units": "places", "long_name": "Heating-point places needed at the peak",
        "definition": keyfigures.values(ds)["heating_point_demand_peak"].attrs["definition"]}
    assert "people_without_water_peak" not in dv and "days_to_restore_heat" not in dv  # city-wide only


def test_district_ranking():
    ds = make_run()
    rate = 1000.0 * ds["person_hours_below_threshold"].values[:, K12, :] / 24.0 / ds["population"].values
    order = np.argsort(-rate, axis=1, kind="stable")
    top = np.zeros_like(rate, dtype=bool)
    np.put_along_axis(top, order[:, :3], True, axis=1)
    p_top = top.mean(axis=0)
    names = np.array(list(KYIV_DISTRICTS))
    sort = sorted(range(names.size), key=lambda d: (-p_top[d], -np.median(rate[:, d])))
    r = keyfigures.district_ranking(ds)
    assert list(r["district"].values) == list(names[sort])
    np.testing.assert_allclose(r["p_top"].values, p_top[sort], rtol=0, atol=1e-12)
    np.testing.assert_allclose(r["rate"].transpose("realization", "district").values, rate[:, sort], rtol=1e-12)
    assert r["p_top"].attrs == {"units": "1", "long_name": "share of runs among the 3 hardest hit"}
    assert r["rate"].attrs == {"units": "person-days per 1,000 people",
                               "long_name": "person-days below 12 °C per 1,000 people present"}
    # top 1 from the config, and a district with nobody present has a rate of 0
    ds.attrs["config"] += "output:\n  top_districts: 1\n"
    pop = ds["population"].values.copy()
    pop[0] = 0.0
    ds["population"].values[:] = pop
    r1 = keyfigures.district_ranking(ds)
    rate1 = np.where(pop > 0, 1000.0 * ds["person_hours_below_threshold"].values[:, K12, :] / 24.0
                     / np.where(pop > 0, pop, 1.0), 0.0)
    top1 = np.zeros_like(rate1, dtype=bool)
    np.put_along_axis(top1, np.argsort(-rate1, axis=1, kind="stable")[:, :1], True, axis=1)
    np.testing.assert_allclose(r1["p_top"].sel(district=names).values, top1.mean(axis=0), atol=1e-12)
    assert float(r1["rate"].sel(district=names[0]).max()) == 0.0


def test_ranking_with_weights():
    # weight only on runs 0 and 1: the share of those two runs in which each district is in the top 3
    ds = make_run()
    w = np.zeros(10)
    w[:2] = 0.5
    ds["realization_weight"] = ("realization", w)
    rate = 1000.0 * ds["person_hours_below_threshold"].values[:2, K12, :] / 24.0 / ds["population"].values
    top = np.zeros_like(rate, dtype=bool)
    np.put_along_axis(top, np.argsort(-rate, axis=1, kind="stable")[:, :3], True, axis=1)
    names = list(KYIV_DISTRICTS)
    r = keyfigures.district_ranking(ds)
    np.testing.assert_allclose(r["p_top"].sel(district=names).values, top.mean(axis=0), atol=1e-12)


@pytest.mark.parametrize(("series", "frac", "expected"), [
    ([[0, 10, 6, 1, 0]], 0.1, [2.0]),  # peak on day 1, at most 1 on day 3
    ([[0, 10, 6, 2, 0]], 0.1, [3.0]),  # 2 > 1: only day 4
    ([[0, 10, 6, 5, 9]], 0.5, [2.0]),  # exactly half on day 3 counts
    ([[0, 10, 6, 6, 6]], 0.1, [4.0]),  # never back: censored one day after the last step (day 5 - day 1)
    ([[0, 0, 0, 0, 0]], 0.1, [0.0]),  # no peak
    ([[10, 10, 0, 0, 0], [0, 0, 5, 0, 5]], 0.1, [2.0, 1.0]),  # the first peak of a tie; two runs
])
def test_restore_days_by_hand(series, frac, expected):
    s = np.asarray(series, dtype=float)
    out = keyfigures.restore_days(s, np.arange(s.shape[1]) * 24.0, 24.0, frac)
    np.testing.assert_array_equal(out, expected)


def _hourly(n_hours, step_h=1.0, **vars_):
    import xarray as xr

    t = np.datetime64("2026-01-29T00:00", "ns") + (np.arange(n_hours) * step_h * 3600).astype("timedelta64[s]")
    return xr.Dataset({k: (("realization", "time"), np.asarray(x, dtype=float)) for k, x in vars_.items()},
                      coords={"time": t})


def test_daily_mean_worst_with_a_partial_last_day():
    # 30 hours: day 0 is 24 h of 1, day 1 is 6 h of 3 -> worst daily mean 3 (the part day's own mean)
    x = np.r_[np.ones(24), np.full(6, 3.0)][None, :]
    ds = _hourly(30, x=x)
    np.testing.assert_array_equal(keyfigures.daily_mean_worst(ds["x"], ds).values, [3.0])
    # 3-hourly steps: 8 a day; day 1 = 2.0, day 0 = 1.0
    ds3 = _hourly(16, step_h=3.0, x=np.r_[np.ones(8), np.full(8, 2.0)][None, :])
    np.testing.assert_array_equal(keyfigures.daily_mean_worst(ds3["x"], ds3).values, [2.0])


def test_days_to_restore_with_three_hour_steps():
    # 3-hourly: peak 100 at 3 h, 10 at 12 h -> 9 h = 0.375 d; a run never back -> censored at 4 x 3 h + 3 h
    import xarray as xr

    bwh = np.array([[0.0, 100.0, 50.0, 30.0, 10.0], [0.0, 100.0, 50.0, 30.0, 20.0]])
    t = np.datetime64("2026-01-29T00:00", "ns") + np.arange(5) * np.timedelta64(3, "h")
    ds = xr.Dataset({"buildings_without_heat": (("realization", "time", "district"), bwh[:, :, None])},
                    coords={"time": t, "realization": [0, 1]})
    v = keyfigures.values(ds)
    np.testing.assert_allclose(v["days_to_restore_heat"].values, [9 / 24, 12 / 24], rtol=1e-12)


def test_diesel_total_of_a_partial_last_day():
    # 36 hourly steps: day 0 has 24 h, day 1 has 12 h -> the second day's rate counts for half a day
    import xarray as xr

    t = np.datetime64("2026-01-29T00:00", "ns") + np.arange(36) * np.timedelta64(1, "h")
    ds = xr.Dataset({"diesel_consumption": (("realization", "day"), [[100.0, 60.0]])},
                    coords={"time": t, "day": [0, 1]})
    v = keyfigures.values(ds)
    np.testing.assert_allclose(v["diesel_total_l"].values, [100.0 + 30.0], rtol=1e-12)
    np.testing.assert_allclose(v["diesel_l_per_day_mean"].values, [80.0], rtol=1e-12)


def test_share_without_power_with_nobody_present_is_the_plain_mean():
    import xarray as xr

    share = np.array([[[0.2, 0.6], [0.4, 1.0]]])  # (R, T, D)
    ds = xr.Dataset({"share_without_power": (("realization", "time", "district"), share),
                     "occupants": (("district", "age_group"), np.zeros((2, 1)))},
                    coords={"age_group": ["all"], "time": np.datetime64("2026-01-29", "ns")
                            + np.arange(2) * np.timedelta64(1, "h")})
    np.testing.assert_allclose(keyfigures.values(ds)["share_without_power_peak"].values, [70.0], rtol=1e-12)
    ds["occupants"] = (("district", "age_group"), [[1.0], [3.0]])  # weighted: max(0.5, 0.85) x 100
    np.testing.assert_allclose(keyfigures.values(ds)["share_without_power_peak"].values, [85.0], rtol=1e-12)


def test_points_needed_use_the_places_per_point_attribute():
    import xarray as xr

    ds = xr.Dataset({
        "heating_point_demand_by_district": (("realization", "time", "district"), [[[30.0, 0.0], [90.0, 10.0]]]),
        "heating_point_capacity_by_district": ("district", [60.0, 20.0], {"places_per_point": 20.0}),
    }, coords={"time": np.datetime64("2026-01-29", "ns") + np.arange(2) * np.timedelta64(1, "h")})
    # hour 1: max(90, 60)/20 + max(10, 20)/20 = 4.5 + 1 points
    np.testing.assert_allclose(keyfigures.values(ds)["heating_points_needed_peak"].values, [5.5], rtol=1e-12)
    ds["heating_point_capacity_by_district"].attrs = {}  # 100 places a point by default
    np.testing.assert_allclose(keyfigures.values(ds)["heating_points_needed_peak"].values, [1.1], rtol=1e-12)


def test_thresholds_nearest_to_the_settings():
    # a run whose threshold axis holds 16.2 and 11.8 degC: the figures read the nearest ones
    ds = make_run()
    ds = ds.assign_coords(threshold=[18.0, 16.2, 11.8, 9.0])
    ds["people_cold_24h"].attrs["threshold_c"] = 16.2
    v = keyfigures.values(ds, Settings(long_c=16.2, severe_c=11.8))
    np.testing.assert_allclose(v["people_below_12_mean"].values,
                               ds["people_below_threshold"].values[:, :, K12].mean(axis=1), rtol=1e-12)
    assert "people_below_12_mean" not in keyfigures.values(ds, Settings(long_c=16.2, severe_c=12.0))
