"""Two-node RC thermal model of building groups, integrated exactly for piecewise-constant inputs.

Each building group is a network of two heat capacities, the indoor air (with furnishings) and the
building mass (ISO 13790 effective capacity plus the long-term mass of :mod:`sim.archetypes`), linked to
each other and to the outdoors by conductances::

    C_a dT_a/dt = H_ao (T_o - T_a) + H_am (T_m - T_a) + q_a
    C_m dT_m/dt = H_mo (T_o - T_m) + H_am (T_a - T_m) + q_m

``H_ao`` is ventilation plus windows, ``H_mo`` the opaque envelope and ``H_am`` the air-mass coupling
(ISO 13790 5R1C with the surface node folded into the coupling). In matrix form ``x' = A x + B u`` with
``x = (T_a, T_m)`` and ``u = (T_o, q_a, q_m)``. With ``u`` constant over a step of ``dt`` the exact
solution is ``x(t + dt) = Phi x(t) + Gamma u`` with ``Phi = exp(A dt)`` and
``Gamma = int_0^dt exp(A s) ds B``, both read off one matrix exponential of the augmented matrix
``[[A, B], [0, 0]] dt`` (Van Loan 1978); they are computed once per group and step size, so a time step is
one compiled pass of multiply-adds over (realizations, groups).

References
----------
.. [1] ISO 13790:2008, Energy performance of buildings - Calculation of energy use for space heating and
   cooling, 7.2.2 (the 5R1C network).
.. [2] C. F. Van Loan, "Computing integrals involving the matrix exponential", IEEE Trans. Automatic
   Control 23(3), 395-404, 1978.
.. [3] P. Bacher and H. Madsen, "Identifying suitable models for the heat dynamics of buildings",
   Energy and Buildings 43(7), 1511-1522, 2011 (grey-box RC models of buildings).
"""

from __future__ import annotations

from dataclasses import dataclass, fields, replace

import numba
import numpy as np
from scipy.linalg import expm

from sim.ventilation import (
    DT_REF_K,
    V_REF_M_PER_S,
    SealingRule,
    VentilationLevels,
    level_index_kernel,
)

__all__ = [
    "EnergyBalance",
    "GroupVentilation",
    "RCParams",
    "TwoNodeModel",
    "discretize",
    "discretize_first_order_hold",
    "energy_balance",
    "steady_state",
    "step_integrals",
    "system_matrices",
]


@dataclass(frozen=True)
class RCParams:
    """Conductances and capacities of a two-node RC model, arrays of one common shape (e.g. (G,)).

    Attributes
    ----------
    h_air_out_w_per_k : numpy.ndarray
        Air node to outdoors: ventilation, infiltration and windows. [W/K]
    h_air_mass_w_per_k : numpy.ndarray
        Air node to mass node (surface heat transfer in series with the mass). [W/K]
    h_mass_out_w_per_k : numpy.ndarray
        Mass node to outdoors: walls, roof and ground floor. [W/K]
    c_air_j_per_k : numpy.ndarray
        Heat capacity of the air node (air and furnishings). [J/K]
    c_mass_j_per_k : numpy.ndarray
        Heat capacity of the mass node (effective plus long-term mass). [J/K]
    """

    h_air_out_w_per_k: np.ndarray
    h_air_mass_w_per_k: np.ndarray
    h_mass_out_w_per_k: np.ndarray
    c_air_j_per_k: np.ndarray
    c_mass_j_per_k: np.ndarray

    def __post_init__(self) -> None:
        arrays = np.broadcast_arrays(*(np.asarray(getattr(self, f.name), dtype=float) for f in fields(self)))
        for f, arr in zip(fields(self), arrays, strict=True):
            arr = np.array(arr)  # own, writeable copy of the broadcast view
            arr.flags.writeable = False
            object.__setattr__(self, f.name, arr)
        if not all(np.isfinite(getattr(self, f.name)).all() for f in fields(self)):
            raise ValueError("RCParams: all values must be finite")
        if (self.c_air_j_per_k <= 0).any() or (self.c_mass_j_per_k <= 0).any():
            raise ValueError("RCParams: heat capacities must be > 0")
        if min(float(np.min(getattr(self, f.name), initial=0.0)) for f in fields(self)[:3]) < 0:
            raise ValueError("RCParams: conductances must be >= 0")

    @property
    def shape(self) -> tuple[int, ...]:
        """Common shape of the parameter arrays."""
        return self.c_air_j_per_k.shape

    @property
    def h_total_w_per_k(self) -> np.ndarray:
        """Steady-state heat-loss coefficient seen from the air node, H_ao + H_am H_mo / (H_am + H_mo). [W/K]"""
        den = self.h_air_mass_w_per_k + self.h_mass_out_w_per_k
        series = np.divide(
            self.h_air_mass_w_per_k * self.h_mass_out_w_per_k, den, out=np.zeros(self.shape), where=den > 0
        )
        return self.h_air_out_w_per_k + series

    @property
    def h_loss_w_per_k(self) -> np.ndarray:
        """Sum of the conductances to outdoors, H_ao + H_mo (the envelope's UA). [W/K]"""
        return self.h_air_out_w_per_k + self.h_mass_out_w_per_k

    @property
    def mass_to_air_frac(self) -> np.ndarray:
        """Share of heat put into the mass that reaches the air node in steady state, H_am / (H_am + H_mo). [1]"""
        den = self.h_air_mass_w_per_k + self.h_mass_out_w_per_k
        return np.divide(self.h_air_mass_w_per_k, den, out=np.zeros(self.shape), where=den > 0)

    @property
    def c_total_j_per_k(self) -> np.ndarray:
        """Total heat capacity, C_a + C_m. [J/K]"""
        return self.c_air_j_per_k + self.c_mass_j_per_k

    @property
    def tau_h(self) -> np.ndarray:
        """Time constant C / H of the whole building, with H the steady-state coefficient. [h]"""
        return self.c_total_j_per_k / self.h_total_w_per_k / 3600.0

    def scaled(self, factor: np.ndarray | float) -> RCParams:
        """All conductances and capacities times ``factor`` (e.g. buildings per group); tau is unchanged."""
        return RCParams(*(getattr(self, f.name) * factor for f in fields(self)))

    def take(self, index: np.ndarray | slice) -> RCParams:
        """Parameters of a subset of groups (numpy indexing on the leading axis)."""
        return RCParams(*(getattr(self, f.name)[index] for f in fields(self)))


def system_matrices(params: RCParams) -> tuple[np.ndarray, np.ndarray]:
    """Continuous-time system ``x' = A x + B u``, ``x = (T_a, T_m)``, ``u = (T_o, q_a, q_m)``.

    Parameters
    ----------
    params : RCParams
        Parameters with shape ``S``.

    Returns
    -------
    a : numpy.ndarray, shape S + (2, 2)
        State matrix. [1/s]
    b : numpy.ndarray, shape S + (2, 3)
        Input matrix: columns outdoor temperature [1/s], heat into air and into mass [K/J].
    """
    p = params
    a = np.zeros((*p.shape, 2, 2))
    b = np.zeros((*p.shape, 2, 3))
    a[..., 0, 0] = -(p.h_air_out_w_per_k + p.h_air_mass_w_per_k) / p.c_air_j_per_k
    a[..., 0, 1] = p.h_air_mass_w_per_k / p.c_air_j_per_k
    a[..., 1, 0] = p.h_air_mass_w_per_k / p.c_mass_j_per_k
    a[..., 1, 1] = -(p.h_mass_out_w_per_k + p.h_air_mass_w_per_k) / p.c_mass_j_per_k
    b[..., 0, 0] = p.h_air_out_w_per_k / p.c_air_j_per_k
    b[..., 0, 1] = 1.0 / p.c_air_j_per_k
    b[..., 1, 0] = p.h_mass_out_w_per_k / p.c_mass_j_per_k
    b[..., 1, 2] = 1.0 / p.c_mass_j_per_k
    return a, b


def _check_dt(dt_s: float) -> float:
    dt_s = float(dt_s)
    if not dt_s > 0 or not np.isfinite(dt_s):
        raise ValueError(f"dt_s must be a positive number of seconds, got {dt_s!r}")
    return dt_s


def discretize(params: RCParams, dt_s: float) -> tuple[np.ndarray, np.ndarray]:
    """Exact discretization for inputs held constant over a step (zero-order hold).

    ``x(t + dt) = phi @ x(t) + gamma @ u`` holds exactly for constant ``u = (T_o, q_a, q_m)``. Both come
    from one (batched) matrix exponential of ``[[A, B], [0, 0]] dt`` [2]_.

    Parameters
    ----------
    params : RCParams
        Parameters with shape ``S`` (e.g. (G,)).
    dt_s : float
        Step length. [s]

    Returns
    -------
    phi : numpy.ndarray, shape S + (2, 2)
        State transition matrix ``exp(A dt)``. [1]
    gamma : numpy.ndarray, shape S + (2, 3)
        Input matrix: column 0 for outdoor temperature [1], columns 1-2 for heat into air and mass [K/W].

    References
    ----------
    .. [2] C. F. Van Loan, IEEE Trans. Automatic Control 23(3), 395-404, 1978.

    Examples
    --------
    >>> from sim.archetypes import archetype_parameters
    >>> phi, gamma = discretize(archetype_parameters("panel_9"), 3600.0)
    >>> bool(np.allclose(phi.sum(axis=-1) + gamma[..., 0], 1.0))  # T = T_o is a fixed point
    True
    """
    dt_s = _check_dt(dt_s)
    a, b = system_matrices(params)
    m = np.zeros((*params.shape, 5, 5))
    m[..., :2, :2] = a * dt_s
    m[..., :2, 2:] = b * dt_s
    e = expm(m)
    return e[..., :2, :2].copy(), e[..., :2, 2:].copy()


def discretize_first_order_hold(params: RCParams, dt_s: float) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Exact discretization for inputs that vary linearly over a step (first-order hold).

    With ``u(t + s) = u0 + (u1 - u0) s / dt`` the exact solution is
    ``x(t + dt) = phi @ x(t) + gamma @ u0 + gamma_ramp @ (u1 - u0)``, read off the matrix exponential of
    ``[[A, B, 0], [0, 0, I], [0, 0, 0]]`` scaled by ``dt`` [2]_.

    Parameters
    ----------
    params : RCParams
        Parameters with shape ``S``.
    dt_s : float
        Step length. [s]

    Returns
    -------
    phi : numpy.ndarray, shape S + (2, 2)
        As in :func:`discretize`. [1]
    gamma : numpy.ndarray, shape S + (2, 3)
        As in :func:`discretize`.
    gamma_ramp : numpy.ndarray, shape S + (2, 3)
        Response to the change of the inputs over the step, ``int_0^dt exp(A (dt - s)) B s / dt ds``.
    """
    dt_s = _check_dt(dt_s)
    a, b = system_matrices(params)
    m = np.zeros((*params.shape, 8, 8))
    m[..., :2, :2] = a * dt_s
    m[..., :2, 2:5] = b * dt_s
    m[..., 2:5, 5:8] = np.eye(3)
    e = expm(m)
    return e[..., :2, :2].copy(), e[..., :2, 2:5].copy(), e[..., :2, 5:8].copy()


def step_integrals(params: RCParams, dt_s: float) -> tuple[np.ndarray, np.ndarray]:
    """Exact time integral of the state over one step with constant inputs.

    ``int_0^dt x(t + s) ds = psi @ x(t) + theta @ u``, from the exponential of the augmented matrix
    ``[[A, B, 0], [0, 0, 0], [I, 0, 0]] dt`` [2]_; used for energy balances.

    Parameters
    ----------
    params : RCParams
        Parameters with shape ``S``.
    dt_s : float
        Step length. [s]

    Returns
    -------
    psi : numpy.ndarray, shape S + (2, 2)
        [s]
    theta : numpy.ndarray, shape S + (2, 3)
        Column 0 [s], columns 1-2 [K s/W].
    """
    dt_s = _check_dt(dt_s)
    a, b = system_matrices(params)
    m = np.zeros((*params.shape, 7, 7))
    m[..., :2, :2] = a * dt_s
    m[..., :2, 2:5] = b * dt_s
    m[..., 5:7, :2] = np.eye(2)
    e = expm(m)
    return e[..., 5:7, :2] * dt_s, e[..., 5:7, 2:5] * dt_s


def steady_state(
    params: RCParams,
    t_out_c: np.ndarray | float,
    q_air_w: np.ndarray | float = 0.0,
    q_mass_w: np.ndarray | float = 0.0,
) -> np.ndarray:
    """Steady-state node temperatures for constant outdoor temperature and heat inputs.

    ``T_a = T_o + (q_a + kappa q_m) / H`` and ``T_m = T_o + (H_am (T_a - T_o) + q_m) / (H_am + H_mo)``,
    with ``H`` = :attr:`RCParams.h_total_w_per_k` and ``kappa`` = :attr:`RCParams.mass_to_air_frac`.

    Parameters
    ----------
    params : RCParams
        Parameters with shape ``S`` (e.g. (G,)); ``H`` must be > 0.
    t_out_c : array_like
        Outdoor temperature, broadcastable with ``S`` (e.g. (R, 1)). [degC]
    q_air_w, q_mass_w : array_like
        Heat into the air and the mass node, broadcastable with ``S``. [W]

    Returns
    -------
    numpy.ndarray, shape broadcast + (2,)
        ``[..., 0]`` indoor air, ``[..., 1]`` mass temperature. [degC]

    Examples
    --------
    >>> from sim.archetypes import archetype_parameters
    >>> p = archetype_parameters("panel_9")
    >>> x = steady_state(p, -10.0, q_air_w=p.h_total_w_per_k * 31.0)
    >>> round(float(x[0]), 9)
    21.0
    """
    p = params
    t_out = np.asarray(t_out_c, dtype=float)
    y_air = (np.asarray(q_air_w, dtype=float) + p.mass_to_air_frac * np.asarray(q_mass_w, dtype=float)) / (
        p.h_total_w_per_k
    )
    den = p.h_air_mass_w_per_k + p.h_mass_out_w_per_k
    y_mass = (p.h_air_mass_w_per_k * y_air + q_mass_w) / den
    air, mass = np.broadcast_arrays(t_out + y_air, t_out + y_mass)
    return np.stack([air, mass], axis=-1)


@dataclass(frozen=True)
class EnergyBalance:
    """Heat flows of one exact step, each integrated over the step. [J]"""

    stored_j: np.ndarray  # change of stored heat, C_a dT_a + C_m dT_m [J]
    supplied_j: np.ndarray  # heat put into the nodes, (q_a + q_m) dt [J]
    lost_j: np.ndarray  # heat lost to outdoors, int H_ao (T_a - T_o) + H_mo (T_m - T_o) [J]

    @property
    def residual_j(self) -> np.ndarray:
        """``stored - (supplied - lost)``: zero up to round-off for an exact step. [J]"""
        return self.stored_j - (self.supplied_j - self.lost_j)


def energy_balance(
    params: RCParams,
    dt_s: float,
    state_c: np.ndarray,
    t_out_c: np.ndarray | float,
    q_air_w: np.ndarray | float = 0.0,
    q_mass_w: np.ndarray | float = 0.0,
) -> tuple[np.ndarray, EnergyBalance]:
    """Advance one exact step and account for its heat flows (a check on the discretization).

    Parameters
    ----------
    params : RCParams
        Parameters with shape ``S``.
    dt_s : float
        Step length. [s]
    state_c : numpy.ndarray, shape broadcastable to S + (2,)
        Node temperatures at the start of the step. [degC]
    t_out_c : array_like
        Outdoor temperature over the step, broadcastable with ``S``. [degC]
    q_air_w, q_mass_w : array_like
        Heat into air and mass over the step, broadcastable with ``S``. [W]

    Returns
    -------
    state_c : numpy.ndarray
        Node temperatures at the end of the step. [degC]
    balance : EnergyBalance
        Stored, supplied and lost heat over the step. [J]
    """
    p = params
    phi, gamma = discretize(p, dt_s)
    psi, theta = step_integrals(p, dt_s)
    x0 = np.asarray(state_c, dtype=float)
    inputs = [np.asarray(v, dtype=float) for v in (t_out_c, q_air_w, q_mass_w)]
    batch = np.broadcast_shapes(p.shape, x0.shape[:-1], *(v.shape for v in inputs))
    x0 = np.broadcast_to(x0, (*batch, 2))
    u = np.stack([np.broadcast_to(v, batch) for v in inputs], axis=-1)
    x1 = np.einsum("...ij,...j->...i", phi, x0) + np.einsum("...ij,...j->...i", gamma, u)
    integral = np.einsum("...ij,...j->...i", psi, x0) + np.einsum("...ij,...j->...i", theta, u)
    t_out_b = u[..., 0]
    lost = p.h_air_out_w_per_k * (integral[..., 0] - t_out_b * dt_s) + p.h_mass_out_w_per_k * (
        integral[..., 1] - t_out_b * dt_s
    )
    stored = p.c_air_j_per_k * (x1[..., 0] - x0[..., 0]) + p.c_mass_j_per_k * (x1[..., 1] - x0[..., 1])
    supplied = (u[..., 1] + u[..., 2]) * dt_s
    return x1, EnergyBalance(stored_j=stored, supplied_j=supplied, lost_j=lost)


@dataclass(frozen=True)
class GroupVentilation:
    """Air change that varies with the weather and the indoor temperature (:mod:`sim.ventilation`).

    The air node's conductance to outdoors is ``h_air_out + h_vent (f - 1)``: windows plus the reference
    ventilation conductance scaled by the air-change factor ``f`` of :func:`sim.ventilation.air_change_factor`,
    evaluated at each step's start and rounded to the nearest level of ``levels``.

    Attributes
    ----------
    h_vent_w_per_k : numpy.ndarray, shape (G,)
        Ventilation part of ``RCParams.h_air_out_w_per_k`` at the reference conditions. [W/K]
    k_wind : numpy.ndarray, shape (G,)
        Wind over stack coefficient of each group (:func:`sim.ventilation.wind_stack_ratio`). [K s^2/m^2]
    sealing : SealingRule
        Residents sealing a cold flat.
    levels : VentilationLevels
        The ladder of factors with precomputed exact steps.
    """

    h_vent_w_per_k: np.ndarray
    k_wind: np.ndarray
    sealing: SealingRule = SealingRule()
    levels: VentilationLevels = VentilationLevels()

    def params_at(self, params: RCParams, factor: np.ndarray | float) -> RCParams:
        """``params`` with the air change scaled by ``factor`` (broadcast against the groups)."""
        extra = self.h_vent_w_per_k * (np.asarray(factor, dtype=float) - 1.0)
        return replace(params, h_air_out_w_per_k=np.maximum(params.h_air_out_w_per_k + extra, 0.0))


_COEFS = ("p_aa", "p_am", "p_ma", "p_mm", "g_at", "g_aa", "g_am", "g_mt", "g_ma", "g_mm", "g_a_te", "g_m_te")


class TwoNodeModel:
    """Indoor air and mass temperatures of G building groups in R realizations, stepped exactly.

    The state lives in two preallocated buffers of shape (2, R, G) that alternate between steps; a step is
    one compiled pass of multiply-adds over (R, G) with per-group coefficients precomputed by
    :func:`discretize` (no allocation for (R, 1) or (R, G) float inputs, no trajectory kept).

    With ``ventilation``, the coefficients are precomputed for every level of its ladder (shape (K, G));
    each step picks, per realization and group, the level of the air change at the step's start (stack and
    wind driven, sealing when cold), so every step stays an exact step of a linear system.

    Parameters
    ----------
    params : RCParams
        Per-group parameters, shape (G,) (with ``ventilation``: at its reference air change).
    dt_s : float
        Step length. [s]
    n_realizations : int
        Number of realizations R. [-]
    initial_c : float or array_like, optional
        Initial temperature of both nodes, broadcastable to (R, G); default 20. [degC]
    first_order_hold : bool
        If true, :meth:`step` accepts ``t_out_end_c`` and treats the outdoor temperature as linear over the
        step (exact for piecewise-linear weather); heat inputs stay constant over a step.
    ventilation : GroupVentilation, optional
        Weather- and temperature-dependent air change; None keeps the air change of ``params``.

    Examples
    --------
    >>> from sim.archetypes import archetype_parameters
    >>> p = archetype_parameters("panel_9").scaled(np.ones(3))
    >>> model = TwoNodeModel(p, 3600.0, n_realizations=2, initial_c=21.0)
    >>> air = model.step(np.full((2, 1), -20.0), np.zeros((2, 3)))
    >>> air.shape, bool((air < 21.0).all())
    ((2, 3), True)
    """

    def __init__(
        self,
        params: RCParams,
        dt_s: float,
        n_realizations: int,
        initial_c: float | np.ndarray = 20.0,
        *,
        first_order_hold: bool = False,
        ventilation: GroupVentilation | None = None,
    ) -> None:
        if len(params.shape) != 1:
            raise ValueError(f"TwoNodeModel needs per-group parameters of shape (G,), got {params.shape}")
        self.params = params
        self.dt_s = _check_dt(dt_s)
        self.n_realizations = int(n_realizations)
        self.n_groups = params.shape[0]
        self.first_order_hold = bool(first_order_hold)
        self.ventilation = ventilation
        if ventilation is None:
            sets = [params]
        else:
            for name in ("h_vent_w_per_k", "k_wind"):
                if np.shape(getattr(ventilation, name)) != (self.n_groups,):
                    raise ValueError(f"GroupVentilation.{name} must have shape ({self.n_groups},)")
            sets = [ventilation.params_at(params, f) for f in ventilation.levels.factors]
        coefs = [self._coefficients(p) for p in sets]
        # (K, G) arrays, one row per ventilation level
        for j, name in enumerate(_COEFS):
            setattr(self, "_" + name, np.ascontiguousarray(np.stack([c[j] for c in coefs])))
        self.phi, self.gamma = discretize(params, self.dt_s)  # at the reference air change
        shape = (self.n_realizations, self.n_groups)
        self._x = np.empty((2, 2, *shape))
        self._k = 0
        self._no_input = np.zeros((self.n_realizations, 1))  # stands in for an absent input
        self._level = np.zeros(shape, dtype=np.int64)
        if ventilation is None:
            self._vent = (np.zeros(self.n_groups), np.ones(self.n_groups), 0.0, 1.0, 1.0, 0.0, 1.0, 1)
        else:
            lv, sl = ventilation.levels, ventilation.sealing
            k_wind = np.ascontiguousarray(ventilation.k_wind, dtype=float)
            self._vent = (k_wind, np.ascontiguousarray(DT_REF_K + k_wind * V_REF_M_PER_S**2), sl.seal_frac,
                          sl.start_c, sl.start_c - sl.full_c, float(np.log(lv.f_min)),
                          1.0 / float(np.log(lv.ratio)), lv.n_levels)  # fmt: skip
        self._ref_wind2 = np.full((self.n_realizations, 1), V_REF_M_PER_S**2)
        self.set_state(initial_c)

    def _coefficients(self, p: RCParams) -> list[np.ndarray]:
        if self.first_order_hold:
            phi, gamma, ramp = discretize_first_order_hold(p, self.dt_s)
            # x1 = phi x0 + (gamma - ramp) u0 + ramp u1 for the outdoor temperature column
            gamma = gamma.copy()
            gamma[:, :, 0] -= ramp[:, :, 0]
            te = (ramp[:, 0, 0], ramp[:, 1, 0])
        else:
            phi, gamma = discretize(p, self.dt_s)
            te = (np.zeros(self.n_groups), np.zeros(self.n_groups))
        return [phi[:, 0, 0], phi[:, 0, 1], phi[:, 1, 0], phi[:, 1, 1], gamma[:, 0, 0], gamma[:, 0, 1],
                gamma[:, 0, 2], gamma[:, 1, 0], gamma[:, 1, 1], gamma[:, 1, 2], *te]  # fmt: skip

    # --- state ------------------------------------------------------------------------------------------
    @property
    def state(self) -> np.ndarray:
        """Node temperatures, shape (R, G, 2): ``[..., 0]`` air, ``[..., 1]`` mass (a view). [degC]"""
        return np.moveaxis(self._x[self._k], 0, -1)

    @property
    def indoor_air_c(self) -> np.ndarray:
        """Indoor air temperature, shape (R, G) (a view, overwritten two steps later). [degC]"""
        return self._x[self._k, 0]

    @property
    def indoor_c(self) -> np.ndarray:
        """Alias of :attr:`indoor_air_c`. [degC]"""
        return self._x[self._k, 0]

    @property
    def mass_c(self) -> np.ndarray:
        """Mass temperature, shape (R, G) (a view). [degC]"""
        return self._x[self._k, 1]

    @property
    def air_change_factor(self) -> np.ndarray:
        """Air-change factor used in the last step, shape (R, G) (1 without ventilation). [1]"""
        if self.ventilation is None:
            return np.ones((self.n_realizations, self.n_groups))
        return self.ventilation.levels.factors[self._level]

    def set_state(self, air_c: float | np.ndarray, mass_c: float | np.ndarray | None = None) -> None:
        """Set the node temperatures (mass defaults to the air temperature). [degC]"""
        shape = (self.n_realizations, self.n_groups)
        self._x[self._k, 0] = np.broadcast_to(air_c, shape)
        self._x[self._k, 1] = np.broadcast_to(air_c if mass_c is None else mass_c, shape)

    def initialize_steady(
        self,
        t_out_c: np.ndarray | float,
        q_air_w: np.ndarray | float = 0.0,
        q_mass_w: np.ndarray | float = 0.0,
    ) -> None:
        """Set the state to the steady state for outdoor temperature ``t_out_c`` (e.g. (R, 1)) [degC] and
        constant heat inputs ``q_air_w``, ``q_mass_w`` [W] (at the reference air change).

        The steady state of normal operation (heat and power on, indoor air at the setpoint) is
        :func:`sim.heating.initial_state_c`.
        """
        x = steady_state(self.params, t_out_c, q_air_w, q_mass_w)
        self.set_state(x[..., 0], x[..., 1])

    def stored_heat_j(self) -> np.ndarray:
        """Heat stored above 0 degC, C_a T_a + C_m T_m, shape (R, G). [J]"""
        return self.params.c_air_j_per_k * self.indoor_air_c + self.params.c_mass_j_per_k * self.mass_c

    # --- dynamics ---------------------------------------------------------------------------------------
    def step(
        self,
        t_out_c: np.ndarray | float,
        q_air_w: np.ndarray | float,
        q_mass_w: np.ndarray | float | None = None,
        t_out_end_c: np.ndarray | float | None = None,
        wind_m_per_s: np.ndarray | float | None = None,
    ) -> np.ndarray:
        """Advance one step with inputs held constant over it.

        Parameters
        ----------
        t_out_c : array_like
            Outdoor temperature, (R, 1) or (R, G); with ``first_order_hold``, at the step's start. [degC]
        q_air_w : array_like
            Heat into the air node, (R, G) or broadcastable. [W]
        q_mass_w : array_like, optional
            Heat into the mass node; None skips the term (zero). [W]
        t_out_end_c : array_like, optional
            Outdoor temperature at the step's end (first-order hold only; default: ``t_out_c``). [degC]
        wind_m_per_s : array_like, optional
            Wind speed over the step, (R, 1) or (R, G); used with ``ventilation`` only; default the
            reference wind :data:`sim.ventilation.V_REF_M_PER_S`. [m/s]

        Returns
        -------
        numpy.ndarray, shape (R, G)
            Indoor air temperature at the end of the step: a view into the model's state, valid until
            the next-but-one step; copy it to keep it. [degC]
        """
        if t_out_end_c is not None and not self.first_order_hold:
            raise ValueError("t_out_end_c needs a model built with first_order_hold=True")
        x, y = self._x[self._k], self._x[1 - self._k]
        rows = self._input_rows
        no_input = self._no_input
        t_end = rows(t_out_c if t_out_end_c is None else t_out_end_c) if self.first_order_hold else no_input
        if wind_m_per_s is None:
            wind2 = self._ref_wind2
        else:
            wind2 = rows(wind_m_per_s)
            wind2 = wind2 * wind2
        _step_kernel(
            x[0], x[1], rows(t_out_c), rows(q_air_w), no_input if q_mass_w is None else rows(q_mass_w), t_end,
            wind2, self._p_aa, self._p_am, self._p_ma, self._p_mm, self._g_at, self._g_aa, self._g_am,
            self._g_mt, self._g_ma, self._g_mm, self._g_a_te, self._g_m_te, *self._vent,
            q_mass_w is not None, self.first_order_hold, self.ventilation is not None, self._level, y[0], y[1],
        )  # fmt: skip
        self._k = 1 - self._k
        return y[0]

    def _input_rows(self, value: np.ndarray | float) -> np.ndarray:
        """An input as a C-contiguous, writeable float array (R, 1) (one value per realization) or (R, G).

        Writeable so that the kernel always sees the same array types (read-only views would compile a
        second version); copies only broadcast, read-only or non-contiguous inputs.
        """
        v = np.asarray(value, dtype=float)
        shape = (self.n_realizations, 1 if v.ndim == 0 or v.shape[-1] == 1 else self.n_groups)
        return np.require(v if v.shape == shape else np.broadcast_to(v, shape), float, "CW")


@numba.njit(cache=True, fastmath=False)
def _step_kernel(
    a, m, t_out, q_air, q_mass, t_end, wind2,
    p_aa, p_am, p_ma, p_mm, g_at, g_aa, g_am, g_mt, g_ma, g_mm, g_a_te, g_m_te,
    k_wind, vent_ref, seal_frac, seal_start_c, seal_span_k, log_f_min, inv_log_ratio, n_levels,
    has_q_mass, first_order_hold, has_vent, level, ya, ym,
):  # pragma: no cover - compiled; exercised through TwoNodeModel.step
    """One exact step in one pass over (R, G): ``(ya, ym) = phi (a, m) + gamma u`` (+ the ramp term).

    Coefficients are (K, G) arrays, one row per ventilation level; with ``has_vent`` the level of each
    (realization, group) follows from the state and weather at the step's start
    (:func:`sim.ventilation.level_index_kernel`) and is written to ``level``, otherwise row 0 is used.
    Inputs are (R, 1) or (R, G) arrays; ``q_mass`` and ``t_end`` are ignored unless flagged. Terms are
    added in a fixed order: state, outdoor temperature, heat into air, heat into mass, end temperature.
    """
    n_real, n_groups = ya.shape
    wide_t, wide_qa = t_out.shape[1] > 1, q_air.shape[1] > 1
    wide_qm, wide_te, wide_w = q_mass.shape[1] > 1, t_end.shape[1] > 1, wind2.shape[1] > 1
    for r in range(n_real):
        for g in range(n_groups):
            t_o = t_out[r, g] if wide_t else t_out[r, 0]
            qa = q_air[r, g] if wide_qa else q_air[r, 0]
            k = 0
            if has_vent:
                w2 = wind2[r, g] if wide_w else wind2[r, 0]
                k = level_index_kernel(a[r, g], t_o, w2, k_wind[g], vent_ref[g], seal_frac, seal_start_c,
                                       seal_span_k, log_f_min, inv_log_ratio, n_levels)  # fmt: skip
                level[r, g] = k
            # air node
            y_a = a[r, g] * p_aa[k, g]
            y_a += m[r, g] * p_am[k, g]
            y_a += t_o * g_at[k, g]
            y_a += qa * g_aa[k, g]
            # mass node
            y_m = a[r, g] * p_ma[k, g]
            y_m += m[r, g] * p_mm[k, g]
            y_m += t_o * g_mt[k, g]
            y_m += qa * g_ma[k, g]
            if has_q_mass:
                qm = q_mass[r, g] if wide_qm else q_mass[r, 0]
                y_a += qm * g_am[k, g]
                y_m += qm * g_mm[k, g]
            if first_order_hold:
                te = t_end[r, g] if wide_te else t_end[r, 0]
                y_a += te * g_a_te[k, g]
                y_m += te * g_m_te[k, g]
            ya[r, g] = y_a
            ym[r, g] = y_m
