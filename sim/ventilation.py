"""Air change of building groups: stack and wind driven infiltration, and residents sealing a cold flat.

Soviet-era blocks are ventilated naturally: outdoor air leaks in through windows and panel joints and
leaves through the kitchen and bathroom exhaust shafts, driven by the stack effect (the indoor-outdoor
temperature difference) and by wind. The air change therefore falls as a flat without heat cools, and
residents of a cold flat seal windows and cover vents, which lowers it further (and raises humidity and
mould, as reported from Kyiv in January 2026).

Model (the LBL "basic" infiltration model of Sherman and Grimsrud [1]_, ASHRAE Fundamentals ch. 16 [2]_,
written relative to the archetype's reference air change)::

    n(t) = n_ref * f(t)
    f    = sqrt((|T_in - T_out| + k_w v^2) / (dT_ref + k_w v_ref^2)) * s(T_in)
    k_w  = C_w / C_s                                      [K s^2 / m^2]
    s    = 1 - seal_frac * clip((seal_start_c - T_in) / (seal_start_c - seal_full_c), 0, 1)

``C_s`` and ``C_w`` are the stack and wind coefficients of [2]_ (Table 4 and 5, shielding class 4, "typical
suburban/urban"): for 1, 2 and 3 storeys ``C_s`` = 0.000145, 0.000290, 0.000435 (L/s)^2/(cm^4 K), i.e.
proportional to the height, and ``C_w`` = 0.000104, 0.000137, 0.000161 (L/s)^2/(cm^4 (m/s)^2), which
``0.000104 N^0.4`` reproduces within 1 %. Extrapolating both to N storeys gives
``k_w = 0.717 N^-0.6`` (:func:`wind_stack_ratio`): wind matters in houses, the stack dominates in tall
blocks. The archetypes' ``air_changes_per_h`` (:mod:`sim.archetypes`) are the reference ``n_ref`` at the
heating-season mean conditions of Kyiv: ``dT_ref`` = 21 - (-0.1) = 21 K (DSTU-N B V.1.1-27:2010: mean
outdoor temperature of the heating period -0.1 degC) and ``v_ref`` = 3.5 m/s [M] (mean wind speed of
Kyiv in the cold months). Sealing is an assumption [L]: residents start at 18 degC (the WHO minimum,
calibration G1) and have sealed what they can (``seal_frac`` = 30 % of the leakage) at 12 degC.

The thermal model takes the air change as piecewise constant over a step, evaluated at the step's start
(:class:`VentilationLevels` rounds it to the nearest of a geometric ladder of levels so that each level
keeps an exact discretization).

References
----------
.. [1] M. H. Sherman and D. T. Grimsrud, "Infiltration-pressurization correlation: simplified physical
   modeling", ASHRAE Transactions 86(2), 778-807, 1980.
.. [2] ASHRAE Handbook - Fundamentals 2009, ch. 16 "Ventilation and infiltration", Eq. (40) and
   Tables 4-5 (stack and wind coefficients of the basic model).
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field, replace

import numba
import numpy as np

from sim.rc_params import Params

__all__ = [
    "DT_REF_K",
    "V_REF_M_PER_S",
    "GroupVentilation",
    "LevelLookup",
    "SealingRule",
    "VentilationLevels",
    "air_change_factor",
    "wind_stack_ratio",
]

#: Reference indoor-outdoor difference of the archetypes' air change: 21 degC inside, the Kyiv heating
#: period mean -0.1 degC outside (DSTU-N B V.1.1-27:2010). [K]
DT_REF_K = 21.1
#: Reference wind speed of the archetypes' air change: mean of the cold months in Kyiv [M]. [m/s]
V_REF_M_PER_S = 3.5


def wind_stack_ratio(storeys: np.ndarray | float) -> np.ndarray:
    """Ratio of the wind to the stack coefficient, ``k_w = C_w / C_s = 0.717 N^-0.6``. [K s^2/m^2]

    From the basic-model coefficients of ASHRAE Fundamentals 2009 ch. 16, Tables 4-5, shielding class 4,
    extended from 1-3 storeys to N (stack coefficient proportional to the height, wind coefficient
    ``0.000104 N^0.4``, which reproduces the tabulated 1-3 storey values within 1 %).

    Examples
    --------
    >>> [round(float(x), 3) for x in wind_stack_ratio(np.array([1, 2, 3]))]
    [0.717, 0.473, 0.371]
    """
    n = np.maximum(np.asarray(storeys, dtype=float), 1.0)
    return 0.000104 * n**0.4 / (0.000145 * n)


@dataclass(frozen=True)
class SealingRule:
    """Residents sealing windows and vents when the flat is cold (assumption [L], see the module docstring).

    Attributes
    ----------
    seal_frac : float
        Share of the air change removed once fully sealed. [1]
    start_c : float
        Indoor temperature below which residents begin to seal. [degC]
    full_c : float
        Indoor temperature at and below which sealing is complete. [degC]
    """

    seal_frac: float = 0.3
    start_c: float = 18.0
    full_c: float = 12.0

    def __post_init__(self) -> None:
        if not 0.0 <= self.seal_frac < 1.0:
            raise ValueError(f"SealingRule.seal_frac must be within [0, 1), got {self.seal_frac}")
        if not self.full_c < self.start_c:
            raise ValueError("SealingRule.full_c must be below start_c")


def air_change_factor(
    indoor_c: np.ndarray | float,
    outdoor_c: np.ndarray | float,
    wind_m_per_s: np.ndarray | float,
    k_wind: np.ndarray | float,
    sealing: SealingRule | None = None,
) -> np.ndarray:
    """Air change relative to the archetype's reference, ``f`` of the module docstring. [1]

    Parameters
    ----------
    indoor_c, outdoor_c : array_like
        Indoor and outdoor air temperature (broadcastable). [degC]
    wind_m_per_s : array_like
        Wind speed at the weather station. [m/s]
    k_wind : array_like
        Wind over stack coefficient, :func:`wind_stack_ratio`. [K s^2/m^2]
    sealing : SealingRule, optional
        Residents' sealing; None: no sealing.

    Examples
    --------
    >>> k = wind_stack_ratio(9)
    >>> round(float(air_change_factor(21.0, -0.1, 3.5, k)), 6)  # the reference conditions
    1.0
    >>> bool(air_change_factor(10.0, -10.0, 3.5, k) < air_change_factor(21.0, -10.0, 3.5, k))
    True
    """
    dt = np.abs(np.asarray(indoor_c, dtype=float) - np.asarray(outdoor_c, dtype=float))
    k = np.asarray(k_wind, dtype=float)
    v2 = np.asarray(wind_m_per_s, dtype=float) ** 2
    f = np.sqrt((dt + k * v2) / (DT_REF_K + k * V_REF_M_PER_S**2))
    if sealing is not None:
        s = np.clip((sealing.start_c - np.asarray(indoor_c, dtype=float)) / (sealing.start_c - sealing.full_c),
                    0.0, 1.0)  # fmt: skip
        f = f * (1.0 - sealing.seal_frac * s)
    return f


@dataclass(frozen=True)
class VentilationLevels:
    """A geometric ladder of air-change factors ``f_k = f_min ratio^k``, k = 0..K-1, for exact steps.

    The thermal model precomputes one exact discretization per level and group; each step uses the level
    nearest (in log) to the factor at the step's start, so the air change is exact up to a relative
    rounding of at most ``(ratio - 1) / 2`` (3 % for the default ratio 1.06).

    Attributes
    ----------
    f_min, f_max : float
        Smallest and largest factor (factors outside are clipped). [1]
    ratio : float
        Ratio between neighbouring levels. [1]
    """

    f_min: float = 0.1
    f_max: float = 2.5
    ratio: float = 1.06

    def __post_init__(self) -> None:
        if not (0.0 < self.f_min < self.f_max and self.ratio > 1.0):
            raise ValueError("VentilationLevels: need 0 < f_min < f_max and ratio > 1")

    @property
    def n_levels(self) -> int:
        """Number of levels K. [-]"""
        return int(np.ceil(np.log(self.f_max / self.f_min) / np.log(self.ratio))) + 1

    @property
    def factors(self) -> np.ndarray:
        """The factors ``f_k``, shape (K,). [1]"""
        return self.f_min * self.ratio ** np.arange(self.n_levels)

    def squared_thresholds(self) -> np.ndarray:
        """Squared factors halfway (in log) between neighbouring levels, shape (K - 1,): a factor belongs to
        level k when exactly k thresholds lie at or below its square. [1]"""
        return (self.f_min * self.ratio ** (np.arange(self.n_levels - 1) + 0.5)) ** 2

    def index(self, factor: np.ndarray | float) -> np.ndarray:
        """Index of the nearest level (in log) of each factor, clipped to the ladder. [-]

        Examples
        --------
        >>> lv = VentilationLevels()
        >>> int(lv.index(1.0)) == int(np.argmin(np.abs(np.log(lv.factors))))
        True
        """
        f2 = np.asarray(factor, dtype=float) ** 2
        return np.searchsorted(self.squared_thresholds(), f2, side="right").astype(np.int64)


@dataclass(frozen=True)
class GroupVentilation:
    """Air change that varies with the weather and the indoor temperature (this module).

    The air node's conductance to outdoors is ``h_air_out + h_vent (f - 1)``: windows plus the reference
    ventilation conductance scaled by the air-change factor ``f`` of
    :func:`air_change_factor`, evaluated at each step's start and rounded to the nearest
    level of ``levels``.

    Attributes
    ----------
    h_vent_w_per_k : numpy.ndarray, shape (G,)
        Ventilation part of ``h_air_out_w_per_k`` at the reference conditions. [W/K]
    k_wind : numpy.ndarray, shape (G,)
        Wind over stack coefficient of each group (:func:`wind_stack_ratio`). [K s^2/m^2]
    sealing : SealingRule
        Residents sealing a cold flat.
    levels : VentilationLevels
        The ladder of factors with precomputed exact steps.
    """

    h_vent_w_per_k: np.ndarray
    k_wind: np.ndarray
    sealing: SealingRule = field(default_factory=SealingRule)
    levels: VentilationLevels = field(default_factory=VentilationLevels)

    def params_at(self, params: Params, factor: np.ndarray | float) -> Params:
        """``params`` with the air change scaled by ``factor`` (broadcast against the groups)."""
        extra = self.h_vent_w_per_k * (np.asarray(factor, dtype=float) - 1.0)
        return replace(params, h_air_out_w_per_k=np.maximum(params.h_air_out_w_per_k + extra, 0.0))


@numba.njit(cache=True, fastmath=False, error_model="numpy", inline="always")
def squared_factor_kernel(indoor_c, outdoor_c, wind2, k_wind, inv_ref, seal_frac, seal_start_c, inv_seal_span_k):
    """Squared air-change factor ``f^2`` of one (realization, group): the scalar form of
    :func:`air_change_factor` squared (``inv_ref = 1 / (dT_ref + k_w v_ref^2)``, ``inv_seal_span_k =
    1 / (start - full)``). [1]"""  # pragma: no cover - compiled; exercised through sim.thermal.RCModel.step
    dt = indoor_c - outdoor_c
    if dt < 0.0:
        dt = -dt
    s = (seal_start_c - indoor_c) * inv_seal_span_k
    s = 0.0 if s < 0.0 else (1.0 if s > 1.0 else s)
    s = 1.0 - seal_frac * s
    return (dt + k_wind * wind2) * inv_ref * (s * s)


@numba.njit(cache=True, fastmath=False, error_model="numpy", inline="always")
def level_of_squared_factor(f2, thr0, inv_log_q, n_thresholds):  # pragma: no cover - compiled
    """Level index of a squared factor: the count of :meth:`VentilationLevels.squared_thresholds`
    (``thr0 q^j``) at or below ``f2``, from one logarithm (``inv_log_q = 1 / log q``)."""
    if f2 < thr0:
        return 0
    k = int(math.log(f2 / thr0) * inv_log_q) + 1
    return n_thresholds if k > n_thresholds else k


@numba.njit(cache=True, fastmath=False, error_model="numpy")
def level_index_kernel(indoor_c, outdoor_c, wind2, k_wind, inv_ref, seal_frac, seal_start_c, inv_seal_span_k,
                       thr0, inv_log_q, n_thresholds):  # fmt: skip
    """Level index of one (realization, group): the scalar form of :func:`air_change_factor` and
    :meth:`VentilationLevels.index` (:func:`squared_factor_kernel`, :func:`level_of_squared_factor`).
    """  # pragma: no cover - compiled; exercised through sim.thermal.RCModel.step
    f2 = squared_factor_kernel(indoor_c, outdoor_c, wind2, k_wind, inv_ref, seal_frac, seal_start_c, inv_seal_span_k)
    return level_of_squared_factor(f2, thr0, inv_log_q, n_thresholds)


@dataclass(frozen=True)
class LevelLookup:
    """The level of a squared factor from a table instead of a logarithm: exactly
    :func:`level_of_squared_factor` (same thresholds, same rounding), for the fused thermal step.

    ``f2 -> k`` is a step function of ``f2`` with ``n_thresholds`` breakpoints (the smallest ``f2`` of
    each level, found by bisection over the doubles with :func:`level_of_squared_factor` itself). The
    positive doubles are cut into buckets by their exponent and leading ``mantissa_bits`` mantissa bits
    (``key = bits(f2) >> shift``, a bucket spans a ratio of at most ``2^(2^-mantissa_bits)``, narrower
    than the ladder's step), so a bucket holds at most one breakpoint: ``k = level[i] + (f2 >= breakpoint[i])``
    with ``i = clip(key - base, 0, len(level) - 1)`` (:func:`level_from_lookup`). The first bucket lies
    below the first breakpoint and the last above the last, so values outside the ladder clip to levels
    0 and ``n_thresholds`` as the logarithm does.

    Attributes
    ----------
    shift : int
        ``52 - mantissa_bits``. [-]
    base : int
        Key of the first bucket. [-]
    level : numpy.ndarray of int64, shape (B,)
        Level at each bucket's lower end. [-]
    breakpoint : numpy.ndarray, shape (B,)
        The breakpoint inside each bucket (NaN if none: no ``f2`` compares at or above it). [1]
    breakpoints : numpy.ndarray, shape (n_thresholds,)
        Smallest squared factor of levels 1..n_thresholds. [1]
    """

    shift: int
    base: int
    level: np.ndarray
    breakpoint: np.ndarray
    breakpoints: np.ndarray

    @classmethod
    def build(cls, thr0: float, inv_log_q: float, n_thresholds: int) -> LevelLookup:
        """The table of :func:`level_of_squared_factor` with these arguments (see the class docstring)."""
        thr0, inv_log_q, n_thr = float(thr0), float(inv_log_q), int(n_thresholds)

        def level(bits: int) -> int:
            return int(level_of_squared_factor(_double(bits), thr0, inv_log_q, n_thr))

        lo = _bits(thr0)
        if not (n_thr >= 1 and level(lo) == 1 and level(lo - 1) == 0):
            raise ValueError(f"LevelLookup: no ladder with thr0={thr0}, n_thresholds={n_thr}")
        bps = [lo]
        for j in range(2, n_thr + 1):
            lo = bps[-1]
            hi = _bits(_double(lo) * 2.0)
            while level(hi) < j:
                hi = _bits(_double(hi) * 2.0)
            while hi - lo > 1:  # level(lo) < j <= level(hi)
                mid = (lo + hi) // 2
                lo, hi = (lo, mid) if level(mid) >= j else (mid, hi)
            bps.append(hi)
        for m in range(4, 20):
            shift = 52 - m
            base = (bps[0] >> shift) - 1  # a bucket entirely below the first breakpoint
            keys = [b >> shift for b in bps]
            if len(set(keys)) < len(keys):  # two breakpoints in one bucket: finer buckets
                continue
            n_b = keys[-1] + 2 - base  # up to a bucket entirely above the last breakpoint
            lut_level = np.array([level((base + i) << shift) for i in range(n_b)], dtype=np.int64)
            lut_bp = np.full(n_b, np.nan)  # no breakpoint: f2 >= nan is false, inf included
            for b, key in zip(bps, keys, strict=True):
                if b != key << shift:  # a breakpoint at a bucket's lower end is in its level already
                    lut_bp[key - base] = _double(b)
            return cls(shift, base, lut_level, lut_bp, np.array([_double(b) for b in bps]))
        raise ValueError("LevelLookup: ladder too fine for 19 mantissa bits")  # pragma: no cover

    def __call__(self, f2: np.ndarray | float) -> np.ndarray:
        """Levels of squared factors (any shape), as :func:`level_from_lookup` computes them. [-]"""
        f = np.asarray(f2, dtype=np.float64)
        i = np.clip((f.view(np.int64) >> self.shift) - self.base, 0, self.level.shape[0] - 1)
        return self.level[i] + (f >= self.breakpoint[i])


def _bits(x: float) -> int:
    return int(np.array(x, dtype=np.float64).view(np.int64))


def _double(bits: int) -> float:
    return float(np.array(bits, dtype=np.int64).view(np.float64))


@numba.njit(cache=True, fastmath=False, error_model="numpy", inline="always")
def level_from_lookup(f2, f2_bits, shift, base, lut_level, lut_bp):  # pragma: no cover - compiled
    """Level index of a squared factor ``f2`` (its bits as int64 ``f2_bits``) from a :class:`LevelLookup`:
    the same as :func:`level_of_squared_factor`, without the logarithm. [-]"""
    i = (f2_bits >> shift) - base
    last = lut_level.shape[0] - 1
    i = 0 if i < 0 else (last if i > last else i)
    return lut_level[i] + (1 if f2 >= lut_bp[i] else 0)
