"""Outdoor temperature forcing: a synthetic cold-snap forecast ensemble or a file.

The weather stage turns the ``weather`` config group into a :class:`Forecast`: outdoor air temperature
per realization and time step [degC] on the run's :class:`~sim.timegrid.TimeGrid`. Two sources, chosen by
``weather.kind``:

``cold_snap``
    A synthetic forecast ensemble (:func:`cold_snap`): a cold spell of a given shape (onset, plateau,
    decay) from a baseline down to ``min_temperature_c``, a diurnal cycle, and day-to-day anomalies that
    follow an AR(1) process whose ensemble spread grows with lead time. The figures are derived from the
    Kyiv GHCN-Daily record (station UPM00033345); see ``docs/weather.md`` and
    ``docs/scripts/derive_weather_figures.py``.
``file``
    A CSV or NetCDF file (:func:`load_file`, implemented in :mod:`sim.weather_file`), or an EnergyPlus
    weather file (``.epw``, read with :func:`pvlib.iotools.read_epw`, mapped onto the run's dates by month,
    day and hour as for any typical year).

Besides the temperature, a forecast carries the sky the solar gains need (:mod:`sim.solar`): global,
direct normal and diffuse horizontal irradiance and the wind speed (stack and wind driven air change,
:mod:`sim.ventilation`), and the site (latitude, longitude, UTC offset, altitude, ground albedo;
``weather.latitude_deg`` and the like, Kyiv by default). The cold snap derives a consistent sky from the
spell (:func:`sim.sky.cold_snap_sky`: clear, calm anticyclonic days in the spell, overcast and windier
outside it); files may carry irradiance and wind columns (:func:`sim.weather_file.read_sky_columns`);
without them a constant-cloudiness default (:func:`sim.sky.default_sky`) applies.

Times are naive local wall-clock times, the same clock as the run's ``start``.
"""

from __future__ import annotations

import dataclasses
import logging
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd
from scipy.optimize import brentq

from sim.errors import InputError
from sim.rng import stream
from sim.sky import Sky, SkyRule, cold_snap_sky, default_sky
from sim.solar import Site
from sim.timegrid import TimeGrid
from sim.weather_file import read_observed_series, read_sky_columns, read_temperature_file

log = logging.getLogger(__name__)

__all__ = [
    "Forecast",
    "cold_snap",
    "daily_min_max_c",
    "diurnal_shape",
    "ensemble_spread_c",
    "knot_ar1",
    "load_epw",
    "load_file",
    "make_forecast",
    "site_from_config",
    "sky_rule_from_config",
    "spell_shape",
    "splice_past_weather",
]

KINDS = ("cold_snap", "file")


@dataclass(frozen=True)
class Forecast:
    """Outdoor air temperature per realization and time step.

    Attributes
    ----------
    times : numpy.ndarray
        Start of each time step, datetime64[ns], shape (T,), equal to the grid's ``times``.
    outdoor_c : numpy.ndarray
        Outdoor air temperature at each step start, float64, shape (R, T). [degC]
    source : str
        Short human-readable description for metadata, e.g. ``"cold_snap: spell to -25.0 degC ..."``.
    ghi_w_per_m2, dni_w_per_m2, dhi_w_per_m2 : numpy.ndarray, optional
        Global horizontal, direct normal and diffuse horizontal irradiance, step means, shape (R, T) or
        (T,); None: not given (:meth:`sky` supplies the default sky). [W/m2]
    wind_m_per_s : numpy.ndarray, optional
        Wind speed at the station, (R, T) or (T,); None: the default sky's. [m/s]
    site : sim.solar.Site
        Where the sun is computed (Kyiv by default).
    sky_source : str
        Where the irradiance and wind come from (metadata).
    """

    times: np.ndarray
    outdoor_c: np.ndarray
    source: str
    ghi_w_per_m2: np.ndarray | None = None
    dni_w_per_m2: np.ndarray | None = None
    dhi_w_per_m2: np.ndarray | None = None
    wind_m_per_s: np.ndarray | None = None
    site: Site = field(default_factory=Site)
    sky_source: str = ""

    def __post_init__(self) -> None:
        if self.outdoor_c.ndim != 2 or self.outdoor_c.shape[1] != self.times.shape[0]:
            raise ValueError(
                f"outdoor_c has shape {self.outdoor_c.shape}, expected (R, {self.times.shape[0]})"
            )
        for name in ("ghi_w_per_m2", "dni_w_per_m2", "dhi_w_per_m2", "wind_m_per_s"):
            v = getattr(self, name)
            if v is None:
                continue
            v = np.atleast_2d(np.asarray(v, dtype=float))
            if v.shape[1] != self.times.shape[0] or v.shape[0] not in (1, self.outdoor_c.shape[0]):
                raise ValueError(f"{name} has shape {v.shape}, expected (R, T) or (T,)")
            object.__setattr__(self, name, v)
        given = [getattr(self, n) is not None for n in ("ghi_w_per_m2", "dni_w_per_m2", "dhi_w_per_m2")]
        if any(given) and not all(given):
            raise ValueError("Forecast: give all three of ghi, dni and dhi, or none")

    def sky(self, step_h: float = 1.0, rule: SkyRule | None = None) -> Sky:
        """Irradiance and wind of the forecast, (R or 1, T) each; the default sky fills what is absent."""
        ghi, dni, dhi, wind = self.ghi_w_per_m2, self.dni_w_per_m2, self.dhi_w_per_m2, self.wind_m_per_s
        if ghi is not None and dni is not None and dhi is not None and wind is not None:
            return Sky(ghi, dni, dhi, wind, self.sky_source)
        d = default_sky(self.times, self.site, rule=rule, step_h=step_h)
        if self.ghi_w_per_m2 is not None:
            return Sky(self.ghi_w_per_m2, self.dni_w_per_m2, self.dhi_w_per_m2, d.wind_m_per_s,  # type: ignore[arg-type]
                       f"{self.sky_source}; {d.source} (wind)")  # fmt: skip
        wind = d.wind_m_per_s if self.wind_m_per_s is None else self.wind_m_per_s
        return Sky(d.ghi_w_per_m2, d.dni_w_per_m2, d.dhi_w_per_m2, wind, d.source)

    @property
    def n_realizations(self) -> int:
        """Number of realizations R. [-]"""
        return int(self.outdoor_c.shape[0])


def make_forecast(cfg: Any, grid: TimeGrid, n_realizations: int, seed: int, past_weather: Any = None,
                  as_of: np.datetime64 | None = None) -> Forecast:
    """Build the forecast named by ``cfg.kind`` (see :func:`_make_forecast`), with a debug log line.

    With ``past_weather`` (``nowcast.past_weather``: a CSV or NetCDF file of one observed series) and
    ``as_of`` (``nowcast.as_of``), the steps before ``as_of`` take the observed temperature in every
    realization and the forecast holds from ``as_of`` on (:func:`splice_past_weather`); a forecast file
    (``weather=file``) then need only cover ``[as_of, start + horizon)``. Errors of the observed file are
    those of a weather file, prefixed by ``nowcast.past_weather:``.
    """
    spliced = past_weather is not None and str(past_weather).strip() != "" and as_of is not None
    fc = _make_forecast(cfg, grid, n_realizations, seed, needed_from=as_of if spliced else None)
    if spliced and as_of is not None:
        try:
            observed_c, source = read_observed_series(past_weather, grid, as_of,
                                                      max_gap_h=_get(cfg, "max_gap_h", None),
                                                      utc_offset_h=float(grid.utc_offset_h))
        except InputError as e:
            raise InputError(f"nowcast.past_weather: {e}") from None
        fc = splice_past_weather(fc, observed_c, source)
    log.debug("weather %s: %d realizations x %d steps, %.1f to %.1f degC (%s)", _get(cfg, "kind", "cold_snap"),
              fc.outdoor_c.shape[0], fc.outdoor_c.shape[1], float(np.min(fc.outdoor_c)), float(np.max(fc.outdoor_c)),
              fc.source)
    return fc


def splice_past_weather(forecast: Forecast, observed_c: np.ndarray, source: str = "observed") -> Forecast:
    """The forecast with its first steps replaced by one observed series, in every realization.

    Parameters
    ----------
    forecast : Forecast
        Outdoor temperature (R, T), e.g. the members of an ensemble forecast. [degC]
    observed_c : numpy.ndarray
        Observed temperature at the first ``n_past`` step starts (those before ``nowcast.as_of``), shape
        (n_past,), ``n_past <= T``. [degC]
    source : str
        Where the observations come from (metadata; prefixed to the forecast's ``source``).

    Returns
    -------
    Forecast
        ``outdoor_c[r, :n_past] = observed_c`` for every realization r, ``outdoor_c[r, n_past:]`` the
        forecast's; the sky (irradiance, wind) stays the forecast's.

    >>> fc = Forecast(times=np.arange(4).astype("datetime64[h]").astype("datetime64[ns]"),
    ...               outdoor_c=np.array([[0.0, 1, 2, 3], [10, 11, 12, 13]]), source="ens")
    >>> splice_past_weather(fc, np.array([-5.0, -6.0]), "obs").outdoor_c
    array([[-5., -6.,  2.,  3.],
           [-5., -6., 12., 13.]])
    """
    obs = np.asarray(observed_c, dtype=np.float64).reshape(-1)
    n_past = obs.shape[0]
    if n_past > forecast.outdoor_c.shape[1]:
        raise ValueError(f"observed_c has {n_past} steps, the forecast {forecast.outdoor_c.shape[1]}")
    out = np.array(forecast.outdoor_c, dtype=np.float64, copy=True)
    out[:, :n_past] = obs[None, :]
    return dataclasses.replace(forecast, outdoor_c=out, source=f"{source}; then {forecast.source}")


def _make_forecast(cfg: Any, grid: TimeGrid, n_realizations: int, seed: int,
                   needed_from: np.datetime64 | None = None) -> Forecast:
    """Build the forecast named by ``cfg.kind``.

    Parameters
    ----------
    cfg : WeatherConfig or omegaconf.DictConfig
        The ``weather`` config group (:class:`sim.config.WeatherConfig`).
    grid : TimeGrid
        The run's time grid.
    n_realizations : int
        Number of Monte Carlo realizations R. [-]
    seed : int
        The run's seed. [-]
    needed_from : numpy.datetime64, optional
        A forecast file need only cover the steps from this time on (observed weather replaces the
        earlier ones, :func:`splice_past_weather`). Default: the whole run.

    Returns
    -------
    Forecast
    """
    kind = str(_get(cfg, "kind", "cold_snap"))
    if kind == "cold_snap":
        return cold_snap(cfg, grid, n_realizations, seed)
    if kind == "file":
        path = _get(cfg, "path", None)
        if path is None or str(path) in ("", "???"):  # a user's config: sim.config.weather checks it
            raise ValueError("weather.path: required for weather=file (a CSV or NetCDF file)")
        if str(path).lower().endswith(".epw"):
            return load_epw(path, grid, n_realizations)
        fc = load_file(path, grid, n_realizations, max_gap_h=_get(cfg, "max_gap_h", None),
                       utc_offset_h=float(grid.utc_offset_h), needed_from=needed_from)
        site = site_from_config(cfg, grid.utc_offset_h)
        sky = read_sky_columns(path, grid, n_realizations, max_gap_h=_get(cfg, "max_gap_h", None),
                               needed_from=needed_from)
        ghi, dni, dhi, wind, sky_src = sky
        if ghi is not None and dni is None:
            from sim.solar import decompose

            dni, dhi = decompose(ghi, grid.times, site, grid.dt_h)
        forecast = Forecast(times=fc.times, outdoor_c=fc.outdoor_c, source=fc.source, ghi_w_per_m2=ghi,
                            dni_w_per_m2=dni, dhi_w_per_m2=dhi, wind_m_per_s=wind, site=site,
                            sky_source=sky_src)  # fmt: skip
        return _bias_corrected(cfg, forecast, grid)
    raise ValueError(f"weather.kind: unknown value {kind!r}, expected one of {', '.join(KINDS)}")


def load_file(
    path: Any, grid: TimeGrid, n_realizations: int, max_gap_h: float | None = None, utc_offset_h: float = 0.0,
    needed_from: np.datetime64 | None = None,
) -> Forecast:
    """Read outdoor temperature from a CSV or NetCDF file and put it on the grid.

    See :func:`sim.weather_file.read_temperature_file` for the formats, checks and realization rules
    (a single series serves all realizations; fewer realizations than requested are cycled; more are
    truncated to the first R).

    Parameters
    ----------
    path : str or os.PathLike
        The file; ``.csv`` or ``.nc``/``.nc4``/``.netcdf`` (other names are sniffed).
    grid : TimeGrid
        The run's time grid; the file must cover ``[start, start + horizon)``.
    n_realizations : int
        Number of realizations R to return. [-]
    max_gap_h : float, optional
        Largest accepted interval between consecutive file times within the run; default the model
        step ``grid.dt_h``. [h]
    utc_offset_h : float
        Local time minus UTC for GRIB files, whose times are UTC (:mod:`sim.weather_ensemble`). [h]
    needed_from : numpy.datetime64, optional
        The file need only cover the steps from this time on (:func:`splice_past_weather`).

    Returns
    -------
    Forecast
    """
    outdoor_c, source = read_temperature_file(path, grid, n_realizations, max_gap_h=max_gap_h,
                                              utc_offset_h=utc_offset_h, needed_from=needed_from)
    return Forecast(times=grid.times, outdoor_c=outdoor_c, source=source)


def _bias_corrected(cfg: Any, forecast: Forecast, grid: TimeGrid) -> Forecast:
    """``weather.bias_correction`` (:mod:`sim.bias_correction`); the forecast itself when it is ``none``."""
    if str(_get(cfg, "bias_correction", "none")) == "none":
        return forecast
    from sim.bias_correction import apply_bias_correction

    corrected, note = apply_bias_correction(cfg, forecast.outdoor_c, grid)
    return dataclasses.replace(forecast, outdoor_c=corrected, source=f"{forecast.source}; {note}")


def _numbers(cfg: Any, keys: dict[str, str], cls: type, defaults: Any) -> Any:
    """``cls(**{attr: float(cfg.key)})`` for ``keys`` (config key -> attribute), defaults where absent.

    The values are checked beforehand by :func:`sim.config.weather.validate_weather_config`."""
    return cls(**{attr: float(_get(cfg, key, getattr(defaults, attr))) for key, attr in keys.items()})


def site_from_config(cfg: Any, utc_offset_h: float = 2.0) -> Site:
    """The solar site of the ``weather`` group (``latitude_deg``, ``longitude_deg``, ``altitude_m``,
    ``ground_albedo``; Kyiv's when absent) on the run's clock ``utc_offset_h`` (``city.utc_offset_h``:
    the grid's times are local times of that offset) [h]."""
    keys = {"latitude_deg": "latitude_deg", "longitude_deg": "longitude_deg",
            "altitude_m": "altitude_m", "ground_albedo": "albedo"}  # fmt: skip
    return dataclasses.replace(_numbers(cfg, keys, Site, Site()), utc_offset_h=float(utc_offset_h))


def sky_rule_from_config(cfg: Any) -> SkyRule:
    """The synthetic-sky parameters of the ``weather`` group (``sky_*``, ``wind_*``; defaults of SkyRule)."""
    keys = {"sky_clear_index_base": "k_base", "sky_clear_index_spell": "k_spell",
            "sky_clear_index_per_k": "k_per_k", "wind_base_m_per_s": "wind_base_m_per_s",
            "wind_spell_m_per_s": "wind_spell_m_per_s"}  # fmt: skip
    return _numbers(cfg, keys, SkyRule, SkyRule())


def load_epw(path: Any, grid: TimeGrid, n_realizations: int) -> Forecast:
    """Temperature, irradiance and wind from an EnergyPlus weather file, on the run's grid.

    Read with :func:`pvlib.iotools.read_epw`; its records (hourly means of the hour after the index, local
    standard time) are mapped onto the grid by month, day and hour of day, ignoring the year (a typical
    meteorological year stands for any year; 29 February takes 28 February). The site (latitude,
    longitude, time zone, altitude) comes from the file's header.
    """
    import pvlib

    try:
        data, meta = pvlib.iotools.read_epw(str(path))
    except FileNotFoundError:
        raise InputError(f"weather file {path}: not found") from None
    except Exception as e:
        raise InputError(f"weather file {path}: not a readable EPW file ({type(e).__name__})") from None
    if grid.dt_h > 1.0 + 1e-9:  # a user's dt_minutes with an EPW file: sim.config.weather checks it
        raise ValueError("dt_minutes: EPW weather needs steps of at most 60 minutes")
    idx = data.index
    key = {(m, d, h): i for i, (m, d, h) in enumerate(zip(idx.month, idx.day, idx.hour, strict=True))}
    t = pd.DatetimeIndex(grid.times)
    rows = []
    for m, d, h in zip(t.month, t.day, t.hour, strict=True):
        i = key.get((m, 28 if (m, d) == (2, 29) else d, h))
        if i is None:
            raise InputError(f"weather file {path}: no record for {m:02d}-{d:02d} {h:02d}:00")
        rows.append(i)
    sel = data.iloc[rows]
    series = {c: sel[c].to_numpy(float) for c in ("temp_air", "ghi", "dni", "dhi", "wind_speed")}
    site = Site(float(meta["latitude"]), float(meta["longitude"]), float(meta["TZ"]), float(meta["altitude"]), 0.2)
    r = int(n_realizations)
    return Forecast(
        times=grid.times, outdoor_c=np.tile(series["temp_air"], (r, 1)),
        source=f"file: {path} (EPW {meta.get('city', '')}, {meta.get('data_type', '')})",
        ghi_w_per_m2=series["ghi"], dni_w_per_m2=series["dni"], dhi_w_per_m2=series["dhi"],
        wind_m_per_s=series["wind_speed"], site=site, sky_source=f"EPW {path}",
    )  # fmt: skip


# --------------------------------------------------------------------------------------------------
# cold_snap: a synthetic forecast ensemble
# --------------------------------------------------------------------------------------------------


def spell_shape(
    day: np.ndarray, start_day: float, onset_days: float, plateau_days: float, decay_days: float
) -> np.ndarray:
    """Depth of a cold spell as a fraction of its full depth: 0 outside, 1 on the plateau.

    A trapezoid with raised-cosine ramps: 0 before ``start_day``, rising as a half cosine over
    ``onset_days``, 1 for ``plateau_days``, falling as a half cosine over ``decay_days``, then 0.

    Parameters
    ----------
    day : numpy.ndarray
        Time since the run start. [d]
    start_day : float
        Time at which the spell begins to deepen; may be negative (spell under way at the start). [d]
    onset_days, plateau_days, decay_days : float
        Durations of the three phases; zero-length ramps give a step. [d]

    Returns
    -------
    numpy.ndarray
        Fraction of full depth, same shape as ``day``, in [0, 1]. [1]

    Examples
    --------
    >>> spell_shape(np.array([0.0, 1.0, 2.0, 3.0, 4.5, 6.0]), 0.0, 2.0, 1.0, 2.0).round(2).tolist()
    [0.0, 0.5, 1.0, 1.0, 0.15, 0.0]
    """
    d = np.asarray(day, dtype=float)
    t1 = start_day + onset_days
    t2 = t1 + plateau_days
    t3 = t2 + decay_days
    with np.errstate(invalid="ignore", divide="ignore"):
        rise = 0.5 * (1.0 - np.cos(np.pi * (d - start_day) / onset_days)) if onset_days > 0 else 1.0
        fall = 0.5 * (1.0 + np.cos(np.pi * (d - t2) / decay_days)) if decay_days > 0 else 0.0
    return np.select([d < start_day, d < t1, d < t2, d < t3], [0.0, rise, 1.0, fall], default=0.0).astype(
        float
    )


def diurnal_shape(hour_of_day_h: np.ndarray, min_hour_h: float = 6.0, max_hour_h: float = 14.5) -> np.ndarray:
    """Normalized diurnal cycle: 0 at the daily minimum, 1 at the maximum, daily mean exactly 0.5.

    Two half cosines: rising from ``min_hour_h`` to ``max_hour_h``, falling over the remaining hours
    (the long winter night).

    Parameters
    ----------
    hour_of_day_h : numpy.ndarray
        Local time of day. [h]
    min_hour_h, max_hour_h : float
        Local times of the daily minimum and maximum. [h]

    Returns
    -------
    numpy.ndarray
        Value in [0, 1], same shape as ``hour_of_day_h``. [1]

    Examples
    --------
    >>> diurnal_shape(np.array([6.0, 14.5, 0.0])).round(3).tolist()
    [0.0, 1.0, 0.326]
    """
    rise_h = (max_hour_h - min_hour_h) % 24.0
    u = (np.asarray(hour_of_day_h, dtype=float) - min_hour_h) % 24.0
    return np.where(
        u < rise_h,
        0.5 * (1.0 - np.cos(np.pi * u / rise_h)),
        0.5 * (1.0 + np.cos(np.pi * (u - rise_h) / (24.0 - rise_h))),
    )


def ensemble_spread_c(
    lead_days: np.ndarray, initial_c: float, growth_c_per_day: float, max_c: float
) -> np.ndarray:
    """Ensemble spread (standard deviation of daily-mean anomalies) at a lead time.

    Grows from ``initial_c`` with initial slope ``growth_c_per_day`` and saturates exponentially at
    ``max_c`` (the climatological day-to-day variability):
    ``max_c - (max_c - initial_c) * exp(-growth_c_per_day * lead / (max_c - initial_c))``.

    Parameters
    ----------
    lead_days : numpy.ndarray
        Lead time since the run start (negative values count as 0). [d]
    initial_c : float
        Spread at lead 0. [degC]
    growth_c_per_day : float
        Growth of the spread per day at short lead. [degC/d]
    max_c : float
        Saturation spread. [degC]

    Returns
    -------
    numpy.ndarray
        Spread, same shape as ``lead_days``. [degC]

    Examples
    --------
    >>> ensemble_spread_c(np.array([0.0, 100.0]), 1.0, 0.5, 5.0).round(2).tolist()
    [1.0, 5.0]
    """
    lead = np.maximum(np.asarray(lead_days, dtype=float), 0.0)
    room_c = max_c - initial_c
    if room_c <= 0.0 or growth_c_per_day <= 0.0:
        return np.full_like(lead, initial_c if growth_c_per_day <= 0.0 else max_c)
    return max_c - room_c * np.exp(-growth_c_per_day * lead / room_c)


#: Weights of the noon knots of the previous day, the day and the next day in the daily mean of a
#: series interpolated linearly between noon knots.
DAILY_MEAN_WEIGHTS = np.array([0.125, 0.75, 0.125])


def knot_ar1(daily_autocorr: float) -> tuple[float, float]:
    """AR(1) parameters at the noon knots that give daily means the wanted lag-1 autocorrelation.

    Interpolating linearly between noon knots makes each daily mean a weighted sum of three knots
    (:data:`DAILY_MEAN_WEIGHTS`), which smooths the series: it lowers the variance and raises the
    lag-1 autocorrelation. This returns the knots' lag-1 autocorrelation and the factor on their
    standard deviation such that the daily means have unit variance and lag-1 ``daily_autocorr``.

    Parameters
    ----------
    daily_autocorr : float
        Wanted lag-1 autocorrelation of daily means, in [0, 1). [1]

    Returns
    -------
    knot_autocorr : float
        Lag-1 autocorrelation of the knot process (negative for weak ``daily_autocorr``). [1]
    sd_factor : float
        Standard deviation of the knots per unit standard deviation of the daily means. [1]

    Examples
    --------
    >>> rho, k = knot_ar1(0.84)
    >>> round(rho, 3), round(k, 3)
    (0.738, 1.062)
    """

    def cov(rho: float, lag: int) -> float:
        w = DAILY_MEAN_WEIGHTS
        return float(sum(w[i] * w[j] * rho ** abs(lag + j - i) for i in range(3) for j in range(3)))

    rho = brentq(lambda r: cov(r, 1) / cov(r, 0) - daily_autocorr, -0.95, 0.9999)
    return float(rho), float(1.0 / np.sqrt(cov(rho, 0)))


def cold_snap(cfg: Any, grid: TimeGrid, n_realizations: int, seed: int) -> Forecast:
    """Synthetic forecast ensemble of a cold spell.

    For realization r at time t (hours since start, local time of day ``tod``)::

        T[r, t] = mean(t) + a[r, t] + dtr[r, t] * (diurnal_shape(tod) - 0.5)
        mean(t) = baseline + spell_shape(t) * (coldest_mean - baseline)
        coldest_mean = min_temperature_c + diurnal_range_c / 2

    ``a`` are daily-mean anomalies: an AR(1) drawn at local noon of each day, scaled by
    :func:`ensemble_spread_c` at that lead (spread growing from ``spread_initial_c`` to
    ``day_to_day_sd_c``) and interpolated linearly in time; its parameters (:func:`knot_ar1`) are such
    that the daily means have standard deviation ``day_to_day_sd_c`` and lag-1 autocorrelation
    ``day_to_day_autocorr`` once the spread has saturated. ``dtr`` is the
    day's diurnal range, gamma-distributed with mean ``diurnal_range_c`` and standard deviation
    ``diurnal_range_sd_c``, also drawn at noon and interpolated. The anomalies have median 0, so the
    ensemble-median daily minimum on the plateau of the spell is ``min_temperature_c`` (within
    sampling error, about +-0.5 degC for R = 100). All realizations share the spell; they differ by
    their anomalies and diurnal ranges. Figures: ``docs/weather.md``.

    Parameters
    ----------
    cfg : WeatherConfig or omegaconf.DictConfig
        The ``weather`` group with the ``cold_snap`` keys (:class:`sim.config.WeatherConfig`).
    grid : TimeGrid
        The run's time grid; lead 0 is its start.
    n_realizations : int
        Number of realizations R. [-]
    seed : int
        The run's seed; realization r draws from ``stream(seed, "weather", r, k)``. [-]

    Returns
    -------
    Forecast
        ``outdoor_c`` of shape (R, T). [degC]
    """
    p = _cold_snap_params(cfg)
    R = int(n_realizations)
    if R < 1:  # the config key realizations is checked by sim.config.validate
        raise ValueError(f"realizations: must be >= 1, got {R}")
    times = grid.times
    hours = grid.hours
    start_tod_h = _hour_of_day_h(grid.start)
    tod_h = (start_tod_h + hours) % 24.0

    # Central forecast: spell and diurnal cycle, shape (T,).
    day = hours / 24.0
    coldest_mean_c = p["min_temperature_c"] + 0.5 * p["diurnal_range_c"]
    mean_c = p["baseline_temperature_c"] + (coldest_mean_c - p["baseline_temperature_c"]) * spell_shape(
        day, p["spell_start_day"], p["spell_onset_days"], p["spell_plateau_days"], p["spell_decay_days"]
    )
    diurnal = diurnal_shape(tod_h, p["diurnal_min_hour"], p["diurnal_max_hour"]) - 0.5

    # Daily knots at local noon, covering the grid with one knot to spare on each side.
    first_knot_h = (12.0 - start_tod_h) % 24.0 - 24.0
    n_knots = int(np.ceil((grid.horizon_h - first_knot_h) / 24.0)) + 1
    knot_h = first_knot_h + 24.0 * np.arange(n_knots)
    p["knot_autocorr"], p["knot_sd_factor"] = knot_ar1(p["day_to_day_autocorr"])
    z, dtr_c = _draw_knots(seed, R, n_knots, p)

    spread_c = ensemble_spread_c(
        knot_h / 24.0, p["spread_initial_c"], p["spread_growth_c_per_day"], p["day_to_day_sd_c"]
    )
    anom_knots_c = z * (spread_c * p["knot_sd_factor"])[None, :]

    idx = np.clip(np.searchsorted(knot_h, hours, side="right") - 1, 0, n_knots - 2)
    w = ((hours - knot_h[idx]) / 24.0)[None, :]
    anomaly_c = anom_knots_c[:, idx] * (1.0 - w) + anom_knots_c[:, idx + 1] * w
    range_c = dtr_c[:, idx] * (1.0 - w) + dtr_c[:, idx + 1] * w

    outdoor_c = mean_c[None, :] + anomaly_c + range_c * diurnal[None, :]
    source = (
        f"cold_snap: spell to {p['min_temperature_c']:.1f} degC (ensemble-median daily minimum) "
        f"from a baseline of {p['baseline_temperature_c']:.1f} degC"
    )
    site = site_from_config(cfg, grid.utc_offset_h)
    spell = spell_shape(day, p["spell_start_day"], p["spell_onset_days"], p["spell_plateau_days"],
                        p["spell_decay_days"])  # fmt: skip
    sky = cold_snap_sky(times, site, spell, anomaly_c, sky_rule_from_config(cfg), grid.dt_h)
    return Forecast(times=times, outdoor_c=np.ascontiguousarray(outdoor_c, dtype=np.float64), source=source,
                    ghi_w_per_m2=sky.ghi_w_per_m2, dni_w_per_m2=sky.dni_w_per_m2, dhi_w_per_m2=sky.dhi_w_per_m2,
                    wind_m_per_s=sky.wind_m_per_s, site=site, sky_source=sky.source)  # fmt: skip


def daily_min_max_c(times: np.ndarray, outdoor_c: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Daily minimum and maximum per realization and calendar day (local).

    Parameters
    ----------
    times : numpy.ndarray
        datetime64, shape (T,).
    outdoor_c : numpy.ndarray
        Temperature, shape (R, T). [degC]

    Returns
    -------
    days : numpy.ndarray
        Calendar days, datetime64[D], shape (D,); partial days at the ends are included.
    min_c, max_c : numpy.ndarray
        Daily minimum and maximum, shape (R, D). [degC]
    """
    day_of = np.asarray(times).astype("datetime64[D]")
    days, starts = np.unique(day_of, return_index=True)
    x = np.asarray(outdoor_c, dtype=float)
    return days, np.minimum.reduceat(x, starts, axis=1), np.maximum.reduceat(x, starts, axis=1)


# --------------------------------------------------------------------------------------------------
# helpers
# --------------------------------------------------------------------------------------------------

_COLD_SNAP_KEYS: dict[str, float] = {
    # key: default used only if the config object lacks the key (the schema gives the real defaults)
    "min_temperature_c": -25.0,
    "baseline_temperature_c": -7.6,
    "spell_start_day": -1.0,
    "spell_onset_days": 4.0,
    "spell_plateau_days": 2.5,
    "spell_decay_days": 4.5,
    "diurnal_range_c": 7.1,
    "diurnal_range_sd_c": 2.8,
    "diurnal_min_hour": 6.0,
    "diurnal_max_hour": 14.5,
    "day_to_day_sd_c": 5.0,
    "day_to_day_autocorr": 0.84,
    "spread_initial_c": 1.0,
    "spread_growth_c_per_day": 0.5,
}


def _get(cfg: Any, key: str, default: Any) -> Any:
    """Attribute of a dataclass or DictConfig; ``default`` if absent (ConfigAttributeError is an AttributeError)."""
    try:
        value = getattr(cfg, key)
    except AttributeError:
        return default
    return default if value is None and default is not None else value


def _cold_snap_params(cfg: Any) -> dict[str, float]:
    """The cold_snap keys as floats (checked beforehand by :func:`sim.config.weather.validate_weather_config`)."""
    return {key: float(_get(cfg, key, default)) for key, default in _COLD_SNAP_KEYS.items()}


def ar1_filter(eps: np.ndarray, rho: float) -> np.ndarray:
    """``z_k = eps_k + rho z_(k-1)`` along the last axis, ``z_0 = eps_0``: what ``scipy.signal.lfilter([1.0],
    [1.0, -rho], eps, axis=-1)`` computes, the same operations in the same order (so the same bits), without
    importing scipy.signal (~0.2 s on every run's start); a loop over the (few) knots, vectorized over
    realizations."""
    z = np.array(eps, dtype=float, copy=True)
    for k in range(1, z.shape[-1]):
        z[..., k] = z[..., k] + rho * z[..., k - 1]
    return z


def _draw_knots(
    seed: int, n_realizations: int, n_knots: int, p: dict[str, float]
) -> tuple[np.ndarray, np.ndarray]:
    """Unit-variance AR(1) anomalies and diurnal ranges at the daily knots, shape (R, K) each.

    Each realization draws from its own streams (key 0: anomalies, key 1: diurnal ranges), so a
    longer horizon extends, and does not reshuffle, the weather of the first days.
    """
    rho = p["knot_autocorr"]
    eps = np.empty((n_realizations, n_knots))
    gam = np.empty((n_realizations, n_knots))
    mean_c, sd_c = p["diurnal_range_c"], p["diurnal_range_sd_c"]
    for r in range(n_realizations):
        eps[r] = stream(seed, "weather", r, 0).standard_normal(n_knots)
        if sd_c > 0.0 and mean_c > 0.0:
            gam[r] = stream(seed, "weather", r, 1).gamma((mean_c / sd_c) ** 2, sd_c**2 / mean_c, n_knots)
        else:
            gam[r] = mean_c
    eps[:, 1:] *= np.sqrt(1.0 - rho**2)  # stationary AR(1): z0 ~ N(0, 1), z_k = rho z_k-1 + sqrt(1-rho^2) e_k
    z = ar1_filter(eps, rho)
    return z, gam


def _hour_of_day_h(t: np.datetime64) -> float:
    """Local time of day of a datetime64. [h]"""
    t_ns = t.astype("datetime64[ns]")
    return float((t_ns - t_ns.astype("datetime64[D]")) / np.timedelta64(1, "h"))
