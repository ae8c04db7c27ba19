"""A consistent sky for weather without irradiance: clear-sky irradiance scaled by a cloudiness, and wind.

Deep cold spells over Ukraine come with anticyclones (the Siberian or Scandinavian high): clear, calm skies,
the coldest and the sunniest days of the winter; ordinary January and February weather is dominated by
overcast Atlantic air with more wind. The synthetic cold snap (:func:`sim.weather.cold_snap`) therefore
ties the sky to the spell::

    k[r, t]   = clip(k_base + (k_spell - k_base) * spell(t) - k_per_k * anomaly[r, t], k_min, 1)
    GHI       = k * GHI_clear(t)              (Ineichen-Perez clear sky, :func:`sim.solar.clear_sky`)
    DNI, DHI  = Erbs decomposition of GHI     (:func:`sim.solar.decompose`)
    wind[r,t] = wind_base + (wind_spell - wind_base) * spell(t)

``k`` is the clear-sky index (GHI over its clear-sky value), ``spell`` in [0, 1] the shape of the cold spell
(1 on its plateau) and ``anomaly`` the realization's departure from the central forecast [K] (colder
realizations are clearer). Defaults (``weather.*``, :class:`sim.config.weather.WeatherConfig`):

* ``k_base`` = 0.45: overcast-dominated winter days. The monthly-mean clear-sky index of central Ukraine in
  January-February is about 0.6 (satellite-derived monthly means of about 1 kWh/m2/day in January and
  1.7 in February against 1.5 and 2.7 of clear sky at Kyiv) [L]; ordinary days are below the monthly
  mean, which the clear anticyclonic days raise.
* ``k_spell`` = 0.85: a clear sky with thin haze (Kasten and Czeplak 1980: ``k = 1 - 0.75 C^3.4``,
  cloud cover C <= 0.4 gives k >= 0.96; 0.85 allows for cirrus and urban haze) [L].
* ``k_per_k`` = 0.02 per K of anomaly [L]; ``wind_base`` 3.5 m/s (mean of the cold months in Kyiv, [M]),
  ``wind_spell`` 2.0 m/s (anticyclonic calm) [L].

Weather files without irradiance get a constant index ``k_base`` and ``wind_base`` (:func:`default_sky`).

References
----------
.. [1] F. Kasten and G. Czeplak, "Solar and terrestrial radiation dependent on the amount and type of
   cloud", Solar Energy 24(2), 177-189, 1980.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from sim.solar import Site, clear_sky, decompose

__all__ = ["Sky", "SkyRule", "cold_snap_sky", "default_sky"]


@dataclass(frozen=True)
class SkyRule:
    """Parameters of the synthetic sky (module docstring). Clear-sky indices [1], [1/K]; wind [m/s]."""

    k_base: float = 0.45
    k_spell: float = 0.85
    k_per_k: float = 0.02
    k_min: float = 0.05
    wind_base_m_per_s: float = 3.5
    wind_spell_m_per_s: float = 2.0

    def __post_init__(self) -> None:
        for name in ("k_base", "k_spell", "k_min"):
            if not 0.0 <= getattr(self, name) <= 1.0:
                raise ValueError(f"SkyRule.{name} must be within [0, 1]")
        if self.wind_base_m_per_s < 0 or self.wind_spell_m_per_s < 0:
            raise ValueError("SkyRule: wind speeds must be >= 0")


@dataclass(frozen=True)
class Sky:
    """Irradiance and wind per realization and step, shape (R, T) each (R = 1: one sky for all).

    Attributes: ``ghi_w_per_m2``, ``dni_w_per_m2``, ``dhi_w_per_m2`` [W/m2], ``wind_m_per_s`` [m/s], and
    ``source`` (a short description for metadata).
    """

    ghi_w_per_m2: np.ndarray
    dni_w_per_m2: np.ndarray
    dhi_w_per_m2: np.ndarray
    wind_m_per_s: np.ndarray
    source: str


def cold_snap_sky(
    times: np.ndarray,
    site: Site,
    spell: np.ndarray,
    anomaly_c: np.ndarray,
    rule: SkyRule | None = None,
    step_h: float = 1.0,
) -> Sky:
    """The sky of the synthetic cold snap (module docstring).

    Parameters
    ----------
    times : numpy.ndarray of datetime64, shape (T,)
        Step starts (naive local standard time).
    site : Site
        Location for the sun.
    spell : numpy.ndarray, shape (T,)
        Spell shape in [0, 1]. [1]
    anomaly_c : numpy.ndarray, shape (R, T)
        Daily-mean anomalies of the realizations from the central forecast. [K]
    rule : SkyRule, optional
        Parameters; default :class:`SkyRule`.
    step_h : float
        Step length. [h]

    Examples
    --------
    >>> t = np.arange("2026-02-01T00", "2026-02-03T00", dtype="datetime64[h]")
    >>> spell = np.r_[np.zeros(24), np.ones(24)]
    >>> sky = cold_snap_sky(t, Site(), spell, np.zeros((1, 48)))
    >>> bool(sky.ghi_w_per_m2[0, 24:].sum() > sky.ghi_w_per_m2[0, :24].sum())  # the spell is sunnier
    True
    """
    rule = SkyRule() if rule is None else rule
    ghi_clear, _, _ = clear_sky(times, site, step_h)
    s = np.clip(np.asarray(spell, dtype=float), 0.0, 1.0)[None, :]
    k = rule.k_base + (rule.k_spell - rule.k_base) * s - rule.k_per_k * np.asarray(anomaly_c, dtype=float)
    k = np.clip(k, rule.k_min, 1.0)
    ghi = k * ghi_clear[None, :]
    dni, dhi = decompose(ghi, times, site, step_h)
    wind = rule.wind_base_m_per_s + (rule.wind_spell_m_per_s - rule.wind_base_m_per_s) * s
    wind = np.broadcast_to(wind, ghi.shape).copy()
    src = (f"clear sky x cloudiness index {rule.k_base:g} (overcast) to {rule.k_spell:g} (cold anticyclone); "
           f"wind {rule.wind_base_m_per_s:g} to {rule.wind_spell_m_per_s:g} m/s")  # fmt: skip
    return Sky(ghi, dni, dhi, wind, src)


def default_sky(times: np.ndarray, site: Site, n_realizations: int = 1, rule: SkyRule | None = None,
                step_h: float = 1.0) -> Sky:  # fmt: skip
    """A constant-cloudiness sky (``k_base``, ``wind_base``) for weather without irradiance, shape (1, T)."""
    rule = SkyRule() if rule is None else rule
    ghi_clear, _, _ = clear_sky(times, site, step_h)
    ghi = (rule.k_base * ghi_clear)[None, :]
    dni, dhi = decompose(ghi, times, site, step_h)
    wind = np.full_like(ghi, rule.wind_base_m_per_s)
    return Sky(ghi, dni, dhi, wind, f"default sky: clear sky x {rule.k_base:g}, wind {rule.wind_base_m_per_s:g} m/s")
