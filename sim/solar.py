"""Solar irradiance on building surfaces, with pvlib: sun position, transposition, glazing, clear sky.

Buildings receive the sun on five surface kinds: vertical facades facing north, east, south and west and
the horizontal roof (:data:`SURFACES`). :func:`surface_irradiance` takes global horizontal, direct normal
and diffuse horizontal irradiance (GHI, DNI, DHI) at the weather station and returns, per surface,

* the irradiance incident on it (plane of array, Perez sky model [1]_ via
  :func:`pvlib.irradiance.get_total_irradiance`), which heats opaque surfaces, and
* the irradiance transmitted by glazing relative to normal incidence: the beam part weighted by the
  incidence-angle modifier of clear multi-pane glazing (:func:`glazing_iam`: Fresnel reflection at both
  faces of every pane with the inter-reflections between them, and absorption along the refracted path,
  Duffie and Beckman [2]_) and the sky and ground diffuse parts by the hemispherical averages of that
  modifier (:func:`pvlib.iam.marion_integrate` [3]_). Multiplied by the glazing's total solar energy
  transmittance at normal incidence ``g`` it gives the solar heat through a window. The glass
  (:class:`Glass`) sets the shape of the modifier: the chain's buildings have :data:`CHAIN_GLASS`, the
  ASHRAE 140 validation the pane of the 2020 standard (:data:`GLASS_ASHRAE140_2020`).

:func:`clear_sky` gives the clear-sky irradiance (Ineichen-Perez with the Linke turbidity climatology
shipped with pvlib [4]_); :func:`decompose` splits GHI into DNI and DHI (Erbs [5]_), for skies that are
given by GHI alone (the synthetic cold snap, :mod:`sim.sky`).

Times are naive local standard (wall-clock) times of the step starts; the sun position is taken at the
middle of each step, because irradiance is an average over it.

References
----------
.. [1] R. Perez et al., "Modeling daylight availability and irradiance components from direct and global
   irradiance", Solar Energy 44(5), 271-289, 1990.
.. [2] J. A. Duffie and W. A. Beckman, "Solar Engineering of Thermal Processes", 4th ed., Wiley, 2013,
   sections 5.1-5.3 (eqs. 5.1.4-5.1.8: reflection of N covers with inter-reflections; eq. 5.2.2:
   absorption; 5.3: the product). pvlib's :func:`pvlib.iam.physical` (De Soto et al. 2006) is the
   modifier of a PV module's cover, one air-glass face; raised to the number of panes it counted half
   the faces of a window and overstated its transmittance at oblique incidence.
.. [3] B. Marion, "Numerical method for angle-of-incidence correction factors for diffuse radiation
   incident photovoltaic modules", Solar Energy 147, 344-348, 2017.
.. [4] P. Ineichen and R. Perez, "A new airmass independent formulation for the Linke turbidity
   coefficient", Solar Energy 73(3), 151-157, 2002.
.. [5] D. G. Erbs, S. A. Klein and J. A. Duffie, "Estimation of the diffuse radiation fraction for hourly,
   daily and monthly-average global radiation", Solar Energy 28(4), 293-302, 1982.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

__all__ = [
    "CHAIN_GLASS",
    "GLASS_ASHRAE140_2020",
    "GLASS_BESTEST_1995",
    "SURFACES",
    "Glass",
    "Site",
    "SurfaceIrradiance",
    "clear_sky",
    "decompose",
    "glazing_iam",
    "glazing_transmittance",
    "solar_position",
    "surface_irradiance",
]

#: Surface kinds: (name, tilt from horizontal [deg], azimuth clockwise from north [deg]).
SURFACES: tuple[tuple[str, float, float], ...] = (
    ("north", 90.0, 0.0),
    ("east", 90.0, 90.0),
    ("south", 90.0, 180.0),
    ("west", 90.0, 270.0),
    ("roof", 0.0, 180.0),
)


@dataclass(frozen=True)
class Glass:
    """A clear glass pane for :func:`glazing_transmittance`: refractive index ``n`` [1], extinction
    coefficient ``k_per_m`` [1/m] and thickness ``thickness_m`` [m] (Duffie and Beckman 5.2: K from about
    4 /m for "water-white" to 32 /m for greenish glass)."""

    n: float
    k_per_m: float
    thickness_m: float

    def __post_init__(self) -> None:
        if not (self.n > 1.0 and self.k_per_m >= 0.0 and self.thickness_m > 0.0):
            raise ValueError("Glass: n > 1, k_per_m >= 0 and thickness_m > 0")


#: The clear pane of ANSI/ASHRAE 140-2020 (cases 600 and 670): 3.048 mm, index of refraction 1.493 and extinction coefficient 0.0337 /mm as the standard
#: gives them, normal-incidence transmittance 0.834 per pane, 0.703 for the double glazing of case 600
#: (as summarised in VICUS-Software/vicus-validation ``docs/bestest_cases/Case600.md``/``Case670.md`` and
#: encoded in lbl-srg/modelica-buildings ``BESTEST.Data.Glass600``, issue #3005). The glass of the
#: ASHRAE 140 validation (:mod:`sim.validation.ashrae140`).
GLASS_ASHRAE140_2020 = Glass(n=1.493, k_per_m=33.7, thickness_m=0.003048)
#: The clear pane of the earlier editions (BESTEST 1995, ASHRAE 140-2001 to -2017): 3.175 mm, n 1.526,
#: 0.0196 /mm, normal-incidence transmittance 0.86156 per pane and 0.747 for two (ESP-r's BESTEST optics
#: database ``models/validation/BESTEST/dbs/opticdb``, ``DG_Bestest``: 0.747, 0.730, 0.680, 0.517, 0.263 at
#: 0, 40, 55, 70, 80 deg). Less absorbing
#: and more reflective than the 2020 pane; the chain's default glass (:data:`CHAIN_GLASS`).
GLASS_BESTEST_1995 = Glass(n=1.526, k_per_m=19.6, thickness_m=0.003175)
#: The glass of the chain's buildings (:func:`surface_irradiance`'s default); the archetypes give the
#: total solar energy transmittance at normal incidence, this only the shape of the angular dependence.
CHAIN_GLASS = GLASS_BESTEST_1995


def glazing_transmittance(aoi_deg: np.ndarray | float, panes: int = 2, glass: Glass = CHAIN_GLASS) -> np.ndarray:
    """Solar transmittance of ``panes`` clear panes of ``glass`` at incidence angle ``aoi_deg`` [deg] [1]
    (Duffie and Beckman 2013, eqs. 5.1.4-5.1.8, 5.2.2, 5.3.1): ``tau = tau_a tau_r``, with ``tau_r`` the mean
    over both polarizations of ``(1 - r) / (1 + (2 N - 1) r)`` (Fresnel reflectance ``r`` at each of the 2 N
    faces, inter-reflections included) and ``tau_a = exp(-N K L / cos theta_2)`` (absorption along the
    refracted path). 0 at and beyond grazing incidence.

    Examples
    --------
    >>> round(float(glazing_transmittance(0.0, panes=1, glass=GLASS_ASHRAE140_2020)), 3)  # spec: 0.834
    0.834
    >>> round(float(glazing_transmittance(0.0, panes=2, glass=GLASS_ASHRAE140_2020)), 3)  # spec: 0.703
    0.7
    >>> round(float(glazing_transmittance(0.0, panes=2, glass=GLASS_BESTEST_1995)), 3)  # spec: 0.747
    0.747
    """
    n, k_per_m, thickness_m = glass.n, glass.k_per_m, glass.thickness_m
    theta1 = np.radians(np.asarray(aoi_deg, dtype=float))
    grazing = ~(theta1 < np.pi / 2)  # NaN (sun behind) counts as grazing
    theta1 = np.clip(np.where(grazing, 0.0, theta1), 1e-9, None)  # the limit at 0 is (n - 1)^2 / (n + 1)^2
    theta2 = np.arcsin(np.sin(theta1) / n)
    r_perp = np.sin(theta2 - theta1) ** 2 / np.sin(theta2 + theta1) ** 2
    r_par = np.tan(theta2 - theta1) ** 2 / np.tan(theta2 + theta1) ** 2
    m = 2 * int(panes) - 1
    tau_r = 0.5 * ((1.0 - r_par) / (1.0 + m * r_par) + (1.0 - r_perp) / (1.0 + m * r_perp))
    tau_a = np.exp(-int(panes) * k_per_m * thickness_m / np.cos(theta2))
    return np.where(grazing, 0.0, tau_r * tau_a)


def glazing_iam(aoi_deg: np.ndarray | float, panes: int = 2, glass: Glass = CHAIN_GLASS) -> np.ndarray:
    """Incidence-angle modifier of clear glazing: :func:`glazing_transmittance` relative to normal
    incidence. [1]

    >>> [round(float(x), 3) for x in glazing_iam(np.array([0.0, 60.0, 80.0]), glass=GLASS_BESTEST_1995)]
    [1.0, 0.873, 0.352]
    """
    return glazing_transmittance(aoi_deg, panes, glass) / glazing_transmittance(0.0, panes, glass)


@dataclass(frozen=True)
class Site:
    """Where the sun is computed: latitude and longitude [deg], UTC offset of the local standard time [h],
    altitude [m] and ground albedo (reflectance, 0.2 bare ground, 0.6-0.8 fresh snow) [1]."""

    latitude_deg: float = 50.45
    longitude_deg: float = 30.52
    utc_offset_h: float = 2.0
    altitude_m: float = 170.0
    albedo: float = 0.2

    def __post_init__(self) -> None:
        if not (-90.0 <= self.latitude_deg <= 90.0 and -180.0 <= self.longitude_deg <= 360.0):
            raise ValueError("Site: latitude within [-90, 90] and longitude within [-180, 360] degrees")
        if not 0.0 <= self.albedo <= 1.0:
            raise ValueError("Site: albedo must be within [0, 1]")

    def aware(self, times: np.ndarray, shift_h: float = 0.0) -> pd.DatetimeIndex:
        """Naive local standard times (+ ``shift_h``) as a timezone-aware index (fixed UTC offset)."""
        idx = pd.DatetimeIndex(np.asarray(times, dtype="datetime64[ns]")) + pd.Timedelta(hours=shift_h)
        return idx.tz_localize(f"{'+' if self.utc_offset_h >= 0 else '-'}{_hhmm(abs(self.utc_offset_h))}")


def _hhmm(hours: float) -> str:
    h = int(hours)
    return f"{h:02d}:{round((hours - h) * 60):02d}"


def solar_position(times: np.ndarray, site: Site, step_h: float = 1.0) -> pd.DataFrame:
    """Apparent zenith and azimuth of the sun [deg] at the middle of each step (NREL SPA, pvlib)."""
    import pvlib

    idx = site.aware(times, 0.5 * step_h)
    return pvlib.solarposition.get_solarposition(idx, site.latitude_deg, site.longitude_deg, site.altitude_m)


def clear_sky(times: np.ndarray, site: Site, step_h: float = 1.0) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Clear-sky GHI, DNI and DHI at the middle of each step, shape (T,) each. [W/m2]

    Ineichen-Perez model with the monthly Linke turbidity climatology shipped with pvlib.

    Examples
    --------
    >>> t = np.arange("2026-06-21T00", "2026-06-22T00", dtype="datetime64[h]")
    >>> ghi, dni, dhi = clear_sky(t, Site())
    >>> bool(ghi.max() > 700 and ghi[0] == 0.0)
    True
    """
    import pvlib

    loc = pvlib.location.Location(site.latitude_deg, site.longitude_deg, altitude=site.altitude_m)
    idx = site.aware(times, 0.5 * step_h)
    pos = solar_position(times, site, step_h)
    cs = loc.get_clearsky(idx, model="ineichen", solar_position=pos)
    return tuple(np.nan_to_num(cs[c].to_numpy(float)) for c in ("ghi", "dni", "dhi"))  # type: ignore[return-value]


def decompose(ghi_w_per_m2: np.ndarray, times: np.ndarray, site: Site, step_h: float = 1.0) -> tuple[np.ndarray, np.ndarray]:
    """DNI and DHI from GHI (Erbs et al. 1982 diffuse fraction), shapes of ``ghi`` ((T,) or (R, T)). [W/m2]"""
    import pvlib

    pos = solar_position(times, site, step_h)
    zen = pos["apparent_zenith"].to_numpy(float)
    doy = pd.DatetimeIndex(pos.index).day_of_year.to_numpy()
    ghi = np.asarray(ghi_w_per_m2, dtype=float)
    flat = np.atleast_2d(ghi)
    dni, dhi = np.empty_like(flat), np.empty_like(flat)
    for r in range(flat.shape[0]):
        out = pvlib.irradiance.erbs(flat[r], zen, doy)
        dni[r] = np.nan_to_num(np.asarray(out["dni"], dtype=float))
        dhi[r] = np.nan_to_num(np.asarray(out["dhi"], dtype=float))
    return (dni.reshape(ghi.shape), dhi.reshape(ghi.shape))


@dataclass(frozen=True)
class SurfaceIrradiance:
    """Irradiance on the :data:`SURFACES`, shape (R, T, 5) each (R may be 1 for one sky for all). [W/m2]"""

    incident_w_per_m2: np.ndarray  # on the surface (plane of array)
    transmitted_w_per_m2: np.ndarray  # through glazing, relative to its normal-incidence transmittance


def surface_irradiance(
    times: np.ndarray,
    site: Site,
    ghi_w_per_m2: np.ndarray,
    dni_w_per_m2: np.ndarray,
    dhi_w_per_m2: np.ndarray,
    step_h: float = 1.0,
    panes: int = 2,
    glass: Glass = CHAIN_GLASS,
) -> SurfaceIrradiance:
    """Incident and glazing-transmitted irradiance on each surface kind (module docstring).

    Parameters
    ----------
    times : numpy.ndarray of datetime64, shape (T,)
        Step starts, naive local standard time.
    site : Site
        Location, UTC offset, altitude and ground albedo.
    ghi_w_per_m2, dni_w_per_m2, dhi_w_per_m2 : numpy.ndarray, shape (T,) or (R, T)
        Step means of global horizontal, direct normal and diffuse horizontal irradiance. [W/m2]
    step_h : float
        Step length (the sun is placed at the middle of each step). [h]
    panes : int
        Clear panes of the glazing (:func:`glazing_transmittance`). [-]
    glass : Glass
        The panes' glass (:data:`CHAIN_GLASS` unless given).

    Returns
    -------
    SurfaceIrradiance
        Arrays of shape (R, T, 5), R = 1 for (T,) inputs.

    Examples
    --------
    >>> t = np.arange("2026-01-15T00", "2026-01-16T00", dtype="datetime64[h]")
    >>> ghi, dni, dhi = clear_sky(t, Site())
    >>> s = surface_irradiance(t, Site(), ghi, dni, dhi)
    >>> daily = s.incident_w_per_m2[0].sum(axis=0)  # Wh/m2 per surface over the day
    >>> bool(daily[2] > daily[1] > daily[0])  # south > east > north in January
    True
    """
    import pvlib

    pos = solar_position(times, site, step_h)
    zen = pos["apparent_zenith"].to_numpy(float)
    azi = pos["azimuth"].to_numpy(float)
    idx = site.aware(times, 0.5 * step_h)
    dni_extra = pvlib.irradiance.get_extra_radiation(idx).to_numpy(float)
    airmass = pvlib.atmosphere.get_relative_airmass(zen)
    ghi, dni, dhi = (np.atleast_2d(np.asarray(x, dtype=float)) for x in (ghi_w_per_m2, dni_w_per_m2, dhi_w_per_m2))
    n_r = max(ghi.shape[0], dni.shape[0], dhi.shape[0])
    ghi, dni, dhi = (np.broadcast_to(x, (n_r, zen.shape[0])) for x in (ghi, dni, dhi))
    incident = np.zeros((n_r, zen.shape[0], len(SURFACES)))
    transmitted = np.zeros_like(incident)
    up = zen < 90.0
    for s, (_, tilt, s_azi) in enumerate(SURFACES):
        aoi = pvlib.irradiance.aoi(tilt, s_azi, zen, azi)
        iam_beam = np.nan_to_num(glazing_iam(aoi, panes, glass))

        def modifier(a: np.ndarray) -> np.ndarray:
            return glazing_iam(a, panes, glass)

        iam_sky = float(np.asarray(pvlib.iam.marion_integrate(modifier, tilt, "sky")).ravel()[0])
        iam_ground = float(np.asarray(pvlib.iam.marion_integrate(modifier, tilt, "ground")).ravel()[0])
        for r in range(n_r):
            poa = pvlib.irradiance.get_total_irradiance(
                tilt, s_azi, zen, azi, dni[r], ghi[r], dhi[r], dni_extra=dni_extra, airmass=airmass,
                albedo=site.albedo, model="perez",
            )  # fmt: skip
            beam = np.where(up, np.nan_to_num(np.asarray(poa["poa_direct"], dtype=float)), 0.0)
            sky = np.where(up, np.nan_to_num(np.asarray(poa["poa_sky_diffuse"], dtype=float)), 0.0)
            ground = np.where(up, np.nan_to_num(np.asarray(poa["poa_ground_diffuse"], dtype=float)), 0.0)
            incident[r, :, s] = np.maximum(beam + sky + ground, 0.0)
            transmitted[r, :, s] = np.maximum(beam * iam_beam + sky * iam_sky + ground * iam_ground, 0.0)
    return SurfaceIrradiance(incident, transmitted)
