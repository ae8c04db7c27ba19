"""RC thermal model of building groups (two or three nodes), integrated exactly for piecewise-constant inputs.

Each building group is a small network of heat capacities linked to each other and to the outdoors by
conductances. Two parameter sets share one engine:

* :class:`RCParams`, two nodes, indoor air (with furnishings) and building mass::

    C_a dT_a/dt = H_ao (T_o - T_a) + H_am (T_m - T_a) + q_a
    C_m dT_m/dt = H_mo (T_o - T_m) + H_am (T_a - T_m) + q_m

  (ISO 13790 5R1C with the surface node folded into the coupling);
* :class:`RCParams3`, three nodes, air, the room-side half of the massive layers ("surface" mass, which
  the sun, the radiant gains and the radiators heat) and their far half ("deep" mass, which conducts to
  the outdoors)::

    C_a dT_a/dt = H_ao (T_o - T_a) + H_as (T_s - T_a) + q_a
    C_s dT_s/dt = H_as (T_a - T_s) + H_sm (T_m - T_s) + q_s
    C_m dT_m/dt = H_sm (T_s - T_m) + H_mo (T_o - T_m) + q_m

  It is the two-node model with each massive layer split into two finite volumes (the surface volume
  answers within hours, the deep one over days; see :mod:`sim.archetypes`).

In matrix form ``x' = A x + B u`` with ``x`` the node temperatures and ``u = (T_o, q_0, ..., q_{N-1})``
(heat into each node, in node order). With ``u`` constant over a step of ``dt`` the exact solution is
``x(t + dt) = Phi x(t) + Gamma u`` with ``Phi = exp(A dt)`` and ``Gamma = int_0^dt exp(A s) ds B``, both read
off one matrix exponential of the augmented matrix ``[[A, B], [0, 0]] dt`` (Van Loan 1978); they are
computed once per group and step size, so a time step is one compiled pass of multiply-adds over
(realizations, groups). The air change may vary with the weather and the indoor temperature
(:class:`GroupVentilation`): the coefficients are then precomputed on a ladder of ventilation levels.

References
----------
.. [1] ISO 13790:2008, Energy performance of buildings - Calculation of energy use for space heating and
   cooling, 7.2.2 (the 5R1C network).
.. [2] C. F. Van Loan, "Computing integrals involving the matrix exponential", IEEE Trans. Automatic
   Control 23(3), 395-404, 1978.
.. [3] P. Bacher and H. Madsen, "Identifying suitable models for the heat dynamics of buildings",
   Energy and Buildings 43(7), 1511-1522, 2011 (grey-box RC models of buildings; two- and three-state
   models).
"""

from __future__ import annotations

from dataclasses import dataclass

import numba
import numpy as np
from llvmlite import ir  # type: ignore[import-untyped]  # no stubs, no py.typed
from numba.core import cgutils, types
from numba.extending import intrinsic
from scipy.linalg import expm

from sim.rc_params import Params, RCParams, RCParams3
from sim.ventilation import DT_REF_K, V_REF_M_PER_S, GroupVentilation, LevelLookup, level_index_kernel

__all__ = [
    "EnergyBalance",
    "GroupVentilation",
    "RCModel",
    "RCParams",
    "RCParams3",
    "TwoNodeModel",
    "discretize",
    "discretize_first_order_hold",
    "energy_balance",
    "rc3_kernel",
    "steady_state",
    "step_integrals",
    "system_matrices",
]


def system_matrices(params: Params) -> tuple[np.ndarray, np.ndarray]:
    """Continuous-time system ``x' = A x + B u``, ``u = (T_o, q_0, ..., q_{N-1})``.

    Parameters
    ----------
    params : RCParams or RCParams3
        Parameters with shape ``S``.

    Returns
    -------
    a : numpy.ndarray, shape S + (N, N)
        State matrix. [1/s]
    b : numpy.ndarray, shape S + (N, N + 1)
        Input matrix: column 0 outdoor temperature [1/s], then heat into each node [K/J].
    """
    c = params.capacities()
    n = params.n_nodes
    a = -params.conductance_matrix() / c[..., :, None]
    b = np.zeros((*params.shape, n, n + 1))
    b[..., :, 0] = params.out_conductances() / c
    idx = np.arange(n)
    b[..., idx, idx + 1] = 1.0 / c
    return a, b


def _check_dt(dt_s: float) -> float:
    dt_s = float(dt_s)
    if not dt_s > 0 or not np.isfinite(dt_s):
        raise ValueError(f"dt_s must be a positive number of seconds, got {dt_s!r}")
    return dt_s


def discretize(params: Params, dt_s: float) -> tuple[np.ndarray, np.ndarray]:
    """Exact discretization for inputs held constant over a step (zero-order hold).

    ``x(t + dt) = phi @ x(t) + gamma @ u`` holds exactly for constant ``u``. Both come from one (batched)
    matrix exponential of ``[[A, B], [0, 0]] dt`` [2]_.

    Parameters
    ----------
    params : RCParams or RCParams3
        Parameters with shape ``S`` (e.g. (G,)).
    dt_s : float
        Step length. [s]

    Returns
    -------
    phi : numpy.ndarray, shape S + (N, N)
        State transition matrix ``exp(A dt)``. [1]
    gamma : numpy.ndarray, shape S + (N, N + 1)
        Input matrix: column 0 for outdoor temperature [1], the others for heat into each node [K/W].

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
    n = params.n_nodes
    m = np.zeros((*params.shape, 2 * n + 1, 2 * n + 1))
    m[..., :n, :n] = a * dt_s
    m[..., :n, n:] = b * dt_s
    e = expm(m)
    return e[..., :n, :n].copy(), e[..., :n, n:].copy()


def discretize_first_order_hold(params: Params, dt_s: float) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Exact discretization for inputs that vary linearly over a step (first-order hold).

    With ``u(t + s) = u0 + (u1 - u0) s / dt`` the exact solution is
    ``x(t + dt) = phi @ x(t) + gamma @ u0 + gamma_ramp @ (u1 - u0)``, read off the matrix exponential of
    ``[[A, B, 0], [0, 0, I], [0, 0, 0]]`` scaled by ``dt`` [2]_.

    Returns
    -------
    phi : numpy.ndarray, shape S + (N, N)
        As in :func:`discretize`. [1]
    gamma : numpy.ndarray, shape S + (N, N + 1)
        As in :func:`discretize`.
    gamma_ramp : numpy.ndarray, shape S + (N, N + 1)
        Response to the change of the inputs over the step, ``int_0^dt exp(A (dt - s)) B s / dt ds``.
    """
    dt_s = _check_dt(dt_s)
    a, b = system_matrices(params)
    n = params.n_nodes
    p = n + 1
    m = np.zeros((*params.shape, n + 2 * p, n + 2 * p))
    m[..., :n, :n] = a * dt_s
    m[..., :n, n : n + p] = b * dt_s
    m[..., n : n + p, n + p :] = np.eye(p)
    e = expm(m)
    return e[..., :n, :n].copy(), e[..., :n, n : n + p].copy(), e[..., :n, n + p :].copy()


def step_integrals(params: Params, dt_s: float) -> tuple[np.ndarray, np.ndarray]:
    """Exact time integral of the state over one step with constant inputs.

    ``int_0^dt x(t + s) ds = psi @ x(t) + theta @ u``, from the exponential of the augmented matrix
    ``[[A, B, 0], [0, 0, 0], [I, 0, 0]] dt`` [2]_; used for energy balances.

    Returns
    -------
    psi : numpy.ndarray, shape S + (N, N)
        [s]
    theta : numpy.ndarray, shape S + (N, N + 1)
        Column 0 [s], the others [K s/W].
    """
    dt_s = _check_dt(dt_s)
    a, b = system_matrices(params)
    n = params.n_nodes
    p = n + 1
    m = np.zeros((*params.shape, n + p + n, n + p + n))
    m[..., :n, :n] = a * dt_s
    m[..., :n, n : n + p] = b * dt_s
    m[..., n + p :, :n] = np.eye(n)
    e = expm(m)
    return e[..., n + p :, :n] * dt_s, e[..., n + p :, n : n + p] * dt_s


def steady_state(
    params: Params,
    t_out_c: np.ndarray | float,
    q_air_w: np.ndarray | float = 0.0,
    q_mass_w: np.ndarray | float = 0.0,
    q_surface_w: np.ndarray | float = 0.0,
) -> np.ndarray:
    """Steady-state node temperatures for constant outdoor temperature and heat inputs.

    ``x = T_o + K^-1 q`` with ``K`` the conductance matrix; ``q_mass_w`` goes to the last (mass) node,
    ``q_surface_w`` to the surface node of a three-node model (ignored for two nodes).

    Parameters
    ----------
    params : RCParams or RCParams3
        Parameters with shape ``S`` (e.g. (G,)); ``H`` must be > 0.
    t_out_c : array_like
        Outdoor temperature, broadcastable with ``S`` (e.g. (R, 1)). [degC]
    q_air_w, q_mass_w, q_surface_w : array_like
        Heat into the nodes, broadcastable with ``S``. [W]

    Returns
    -------
    numpy.ndarray, shape broadcast + (N,)
        Node temperatures in node order (air, [surface,] mass). [degC]

    Examples
    --------
    >>> from sim.archetypes import archetype_parameters
    >>> p = archetype_parameters("panel_9")
    >>> x = steady_state(p, -10.0, q_air_w=p.h_total_w_per_k * 31.0)
    >>> round(float(x[0]), 9)
    21.0
    """
    t_out = np.asarray(t_out_c, dtype=float)
    qs = [np.asarray(q_air_w, dtype=float)]
    if params.n_nodes == 3:
        qs.append(np.asarray(q_surface_w, dtype=float))
    qs.append(np.asarray(q_mass_w, dtype=float))
    batch = np.broadcast_shapes(params.shape, t_out.shape, *(q.shape for q in qs))
    q = np.stack([np.broadcast_to(v, batch) for v in qs], axis=-1)
    resp = np.broadcast_to(params.steady_response(), (*batch, params.n_nodes, params.n_nodes))
    rise = np.einsum("...ij,...j->...i", resp, q)
    return np.broadcast_to(t_out, batch)[..., None] + rise


@dataclass(frozen=True)
class EnergyBalance:
    """Heat flows of one exact step, each integrated over the step. [J]"""

    stored_j: np.ndarray  # change of stored heat, sum C dT [J]
    supplied_j: np.ndarray  # heat put into the nodes, sum q dt [J]
    lost_j: np.ndarray  # heat lost to outdoors, int sum H_out (T - T_o) [J]

    @property
    def residual_j(self) -> np.ndarray:
        """``stored - (supplied - lost)``: zero up to round-off for an exact step. [J]"""
        return self.stored_j - (self.supplied_j - self.lost_j)


def energy_balance(
    params: Params,
    dt_s: float,
    state_c: np.ndarray,
    t_out_c: np.ndarray | float,
    q_air_w: np.ndarray | float = 0.0,
    q_mass_w: np.ndarray | float = 0.0,
    q_surface_w: np.ndarray | float = 0.0,
) -> tuple[np.ndarray, EnergyBalance]:
    """Advance one exact step and account for its heat flows (a check on the discretization).

    Parameters
    ----------
    params : RCParams or RCParams3
        Parameters with shape ``S``.
    dt_s : float
        Step length. [s]
    state_c : numpy.ndarray, shape broadcastable to S + (N,)
        Node temperatures at the start of the step. [degC]
    t_out_c : array_like
        Outdoor temperature over the step, broadcastable with ``S``. [degC]
    q_air_w, q_mass_w, q_surface_w : array_like
        Heat into the nodes over the step, broadcastable with ``S``. [W]

    Returns
    -------
    state_c : numpy.ndarray
        Node temperatures at the end of the step. [degC]
    balance : EnergyBalance
        Stored, supplied and lost heat over the step. [J]
    """
    p = params
    n = p.n_nodes
    phi, gamma = discretize(p, dt_s)
    psi, theta = step_integrals(p, dt_s)
    x0 = np.asarray(state_c, dtype=float)
    qs = [q_air_w, q_surface_w, q_mass_w] if n == 3 else [q_air_w, q_mass_w]
    inputs = [np.asarray(v, dtype=float) for v in (t_out_c, *qs)]
    batch = np.broadcast_shapes(p.shape, x0.shape[:-1], *(v.shape for v in inputs))
    x0 = np.broadcast_to(x0, (*batch, n))
    u = np.stack([np.broadcast_to(v, batch) for v in inputs], axis=-1)
    x1 = np.einsum("...ij,...j->...i", phi, x0) + np.einsum("...ij,...j->...i", gamma, u)
    integral = np.einsum("...ij,...j->...i", psi, x0) + np.einsum("...ij,...j->...i", theta, u)
    t_out_b = u[..., 0]
    h_out = p.out_conductances()
    lost = (h_out * (integral - t_out_b[..., None] * dt_s)).sum(axis=-1)
    stored = (p.capacities() * (x1 - x0)).sum(axis=-1)
    supplied = u[..., 1:].sum(axis=-1) * dt_s
    return x1, EnergyBalance(stored_j=stored, supplied_j=supplied, lost_j=lost)


class RCModel:
    """Node temperatures of G building groups in R realizations, stepped exactly (two or three nodes).

    The state lives in two preallocated buffers of shape (N, R, G) that alternate between steps; a step is
    one compiled pass of multiply-adds over (R, G) with per-group coefficients precomputed by
    :func:`discretize` (no allocation for (R, 1) or (R, G) float inputs, no trajectory kept).

    With ``ventilation``, the coefficients are precomputed for every level of its ladder; each step picks,
    per realization and group, the level of the air change at the step's start (stack and wind driven,
    sealing when cold), so every step stays an exact step of a linear system.

    Parameters
    ----------
    params : RCParams or RCParams3
        Per-group parameters, shape (G,) (with ``ventilation``: at its reference air change).
    dt_s : float
        Step length. [s]
    n_realizations : int
        Number of realizations R. [-]
    initial_c : float or array_like, optional
        Initial temperature of every node, broadcastable to (R, G); default 20. [degC]
    first_order_hold : bool
        If true, :meth:`step` accepts ``t_out_end_c`` and treats the outdoor temperature as linear over the
        step (exact for piecewise-linear weather); heat inputs stay constant over a step.
    ventilation : GroupVentilation, optional
        Weather- and temperature-dependent air change; None keeps the air change of ``params``.

    Examples
    --------
    >>> from sim.archetypes import archetype_parameters
    >>> p = archetype_parameters("panel_9").scaled(np.ones(3))
    >>> model = RCModel(p, 3600.0, n_realizations=2, initial_c=21.0)
    >>> air = model.step(np.full((2, 1), -20.0), np.zeros((2, 3)))
    >>> air.shape, bool((air < 21.0).all())
    ((2, 3), True)
    """

    def __init__(
        self,
        params: Params,
        dt_s: float,
        n_realizations: int,
        initial_c: float | np.ndarray = 20.0,
        *,
        first_order_hold: bool = False,
        ventilation: GroupVentilation | None = None,
    ) -> None:
        if len(params.shape) != 1:
            raise ValueError(f"{type(self).__name__} needs per-group parameters of shape (G,), got {params.shape}")
        self.params = params
        self.n_nodes = params.n_nodes
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
        phis, gams, ramps = zip(*(self._coefficients(p) for p in sets), strict=True)
        self._phi = np.ascontiguousarray(np.stack(phis))  # (K, G, N, N)
        self._gam = np.ascontiguousarray(np.stack(gams))  # (K, G, N, N + 1)
        self._ramp = np.ascontiguousarray(np.stack(ramps))  # (K, G, N)
        self.phi, self.gamma = discretize(params, self.dt_s)  # at the reference air change
        shape = (self.n_realizations, self.n_groups)
        self._x = np.empty((2, self.n_nodes, *shape))
        self._k = 0
        self._no_input = np.zeros((self.n_realizations, 1))  # stands in for an absent input
        self._level = np.zeros(shape, dtype=np.int64)
        if ventilation is None:
            self._vent = (np.zeros(self.n_groups), np.ones(self.n_groups), 0.0, 1.0, 1.0, 1.0, 1.0, 0)
            self._lookup = LevelLookup(0, 0, np.zeros(1, dtype=np.int64), np.full(1, np.nan), np.zeros(0))
        else:
            lv, sl = ventilation.levels, ventilation.sealing
            k_wind = np.ascontiguousarray(ventilation.k_wind, dtype=float)
            thr = lv.squared_thresholds()
            self._vent = (k_wind, np.ascontiguousarray(1.0 / (DT_REF_K + k_wind * V_REF_M_PER_S**2)), sl.seal_frac,
                          sl.start_c, 1.0 / (sl.start_c - sl.full_c), float(thr[0]), 1.0 / (2.0 * np.log(lv.ratio)),
                          int(thr.shape[0]))  # fmt: skip
            self._lookup = LevelLookup.build(*self._vent[5:])
        # coefficients of each (group, level) in one contiguous row: phi (N*N), gamma (N*(N+1)), both column by
        # column (the N nodes' coefficients of one state node or input side by side, one short vector for
        # :func:`rc3_lanes`), then the ramp (N); a group's levels side by side, so that the realizations of a
        # group reuse cached rows
        n = self.n_nodes
        rows = np.concatenate([np.swapaxes(self._phi, -1, -2).reshape(*self._phi.shape[:2], n * n),
                               np.swapaxes(self._gam, -1, -2).reshape(*self._gam.shape[:2], n * (n + 1)), self._ramp],
                              axis=-1)  # fmt: skip
        self._coef = np.ascontiguousarray(np.swapaxes(rows, 0, 1))
        self._ref_wind2 = np.full((self.n_realizations, 1), V_REF_M_PER_S**2)
        self.set_state(initial_c)

    def _coefficients(self, p: Params) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        if self.first_order_hold:
            phi, gamma, ramp = discretize_first_order_hold(p, self.dt_s)
            # x1 = phi x0 + (gamma - ramp) u0 + ramp u1 for the outdoor temperature column
            gamma = gamma.copy()
            gamma[..., 0] -= ramp[..., 0]
            return phi, gamma, ramp[..., 0].copy()
        phi, gamma = discretize(p, self.dt_s)
        return phi, gamma, np.zeros(gamma.shape[:-1])

    # --- state ------------------------------------------------------------------------------------------
    @property
    def state(self) -> np.ndarray:
        """Node temperatures, shape (R, G, N) in node order (air, [surface,] mass) (a view). [degC]"""
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
    def surface_c(self) -> np.ndarray:
        """Temperature of the node next to the air (surface mass; the mass for two nodes), (R, G). [degC]"""
        return self._x[self._k, 1]

    @property
    def mass_c(self) -> np.ndarray:
        """Temperature of the (deep) mass node, shape (R, G) (a view). [degC]"""
        return self._x[self._k, self.n_nodes - 1]

    @property
    def air_change_factor(self) -> np.ndarray:
        """Air-change factor used in the last step, shape (R, G) (1 without ventilation). [1]"""
        if self.ventilation is None:
            return np.ones((self.n_realizations, self.n_groups))
        return self.ventilation.levels.factors[self._level]

    def set_state(
        self,
        air_c: float | np.ndarray,
        mass_c: float | np.ndarray | None = None,
        surface_c: float | np.ndarray | None = None,
    ) -> None:
        """Set the node temperatures (mass defaults to the air, the surface to the mean of both). [degC]"""
        shape = (self.n_realizations, self.n_groups)
        mass = air_c if mass_c is None else mass_c
        self._x[self._k, 0] = np.broadcast_to(air_c, shape)
        self._x[self._k, self.n_nodes - 1] = np.broadcast_to(mass, shape)
        if self.n_nodes == 3:
            surf = 0.5 * (np.asarray(air_c, dtype=float) + np.asarray(mass, dtype=float)) if surface_c is None else surface_c
            self._x[self._k, 1] = np.broadcast_to(surf, shape)

    def set_state_nodes(self, x_c: np.ndarray) -> None:
        """Set all node temperatures from an array broadcastable to (R, G, N) (as :func:`steady_state`). [degC]"""
        x = np.broadcast_to(np.asarray(x_c, dtype=float), (self.n_realizations, self.n_groups, self.n_nodes))
        self._x[self._k] = np.moveaxis(x, -1, 0)

    def initialize_steady(
        self,
        t_out_c: np.ndarray | float,
        q_air_w: np.ndarray | float = 0.0,
        q_mass_w: np.ndarray | float = 0.0,
        q_surface_w: np.ndarray | float = 0.0,
    ) -> None:
        """Set the state to the steady state for outdoor temperature ``t_out_c`` (e.g. (R, 1)) [degC] and
        constant heat inputs [W] (at the reference air change).

        The steady state of normal operation (heat and power on, indoor air at the setpoint) is
        :func:`sim.heating.initial_state_c`.
        """
        self.set_state_nodes(steady_state(self.params, t_out_c, q_air_w, q_mass_w, q_surface_w))

    def stored_heat_j(self) -> np.ndarray:
        """Heat stored above 0 degC, sum C T, shape (R, G). [J]"""
        c = self.params.capacities()
        return np.einsum("gn,nrg->rg", c, self._x[self._k])

    # --- dynamics ---------------------------------------------------------------------------------------
    def step(
        self,
        t_out_c: np.ndarray | float,
        q_air_w: np.ndarray | float,
        q_mass_w: np.ndarray | float | None = None,
        t_out_end_c: np.ndarray | float | None = None,
        wind_m_per_s: np.ndarray | float | None = None,
        q_surface_w: np.ndarray | float | None = None,
    ) -> np.ndarray:
        """Advance one step with inputs held constant over it.

        Parameters
        ----------
        t_out_c : array_like
            Outdoor temperature, (R, 1) or (R, G); with ``first_order_hold``, at the step's start. [degC]
        q_air_w : array_like
            Heat into the air node, (R, G) or broadcastable. [W]
        q_mass_w : array_like, optional
            Heat into the (deep) mass node; None skips the term (zero). [W]
        t_out_end_c : array_like, optional
            Outdoor temperature at the step's end (first-order hold only; default: ``t_out_c``). [degC]
        wind_m_per_s : array_like, optional
            Wind speed over the step, (R, 1) or (R, G); used with ``ventilation`` only; default the
            reference wind :data:`sim.ventilation.V_REF_M_PER_S`. [m/s]
        q_surface_w : array_like, optional
            Heat into the surface node of a three-node model (sun, radiant gains, radiators). [W]

        Returns
        -------
        numpy.ndarray, shape (R, G)
            Indoor air temperature at the end of the step: a view into the model's state, valid until
            the next-but-one step; copy it to keep it. [degC]
        """
        if t_out_end_c is not None and not self.first_order_hold:
            raise ValueError("t_out_end_c needs a model built with first_order_hold=True")
        if q_surface_w is not None and self.n_nodes != 3:
            raise ValueError("q_surface_w needs a three-node model (RCParams3)")
        x, y = self._x[self._k], self._x[1 - self._k]
        rows = self._input_rows
        no_input = self._no_input
        t_end = rows(t_out_c if t_out_end_c is None else t_out_end_c) if self.first_order_hold else no_input
        if wind_m_per_s is None:
            wind2 = self._ref_wind2
        else:
            wind2 = rows(wind_m_per_s)
            wind2 = wind2 * wind2
        q_s = no_input if q_surface_w is None else rows(q_surface_w)
        q_m = no_input if q_mass_w is None else rows(q_mass_w)
        q1, q2 = (q_s, q_m) if self.n_nodes == 3 else (q_m, no_input)
        kernel = _step_kernel3 if self.n_nodes == 3 else _step_kernel
        kernel(
            x, rows(t_out_c), rows(q_air_w), q1, q2, t_end, wind2, self._phi, self._gam, self._ramp, self._coef,
            *self._vent, self.first_order_hold, self.ventilation is not None, self._level, y,
        )  # fmt: skip
        self._k = 1 - self._k
        return y[0]

    # --- for callers that advance the model with their own compiled pass (sim.building_stage) --------------
    def advance_buffers(self) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """``(x, y, level)``: the current state and the buffer the next state goes into, (N, R, G) each, and
        the ventilation levels (R, G) int64, for a caller that computes the step itself with
        :func:`rc3_kernel` and :func:`sim.ventilation.level_index_kernel` on :attr:`coefficients` and
        :meth:`level_constants`; it calls :meth:`commit` once ``y`` holds the new state."""
        return self._x[self._k], self._x[1 - self._k], self._level

    def commit(self) -> None:
        """Make the buffer written after :meth:`advance_buffers` the current state."""
        self._k = 1 - self._k

    @property
    def coefficients(self) -> np.ndarray:
        """Exact-step coefficients, (G, K, N*N + N*(N + 1) + N): per group and ventilation level phi
        (column-major: ``phi[i, j]`` at ``N j + i``), gamma (column-major, column 0 the outdoor temperature:
        ``gamma[i, j]`` at ``N*N + N j + i``) and the first-order-hold ramp."""
        return self._coef

    def level_constants(self) -> tuple:
        """The trailing arguments of :func:`sim.ventilation.level_index_kernel` after the wind: ``k_wind``
        and ``1 / (dT_ref + k_wind v_ref^2)`` per group, the sealing rule and the ladder's thresholds."""
        return self._vent

    def level_lookup(self) -> tuple:
        """``(shift, base, level, breakpoint)`` of the :class:`sim.ventilation.LevelLookup` of
        :meth:`level_constants`' ladder, the arguments of :func:`sim.ventilation.level_from_lookup` after
        the squared factor and its bits (a single level 0 without ventilation)."""
        lk = self._lookup
        return lk.shift, lk.base, lk.level, lk.breakpoint

    def _input_rows(self, value: np.ndarray | float) -> np.ndarray:
        """An input as a C-contiguous, writeable float array (R, 1) (one value per realization) or (R, G).

        Writeable so that the kernel always sees the same array types (read-only views would compile a
        second version); copies only broadcast, read-only or non-contiguous inputs.
        """
        v = np.asarray(value, dtype=float)
        shape = (self.n_realizations, 1 if v.ndim == 0 or v.shape[-1] == 1 else self.n_groups)
        return np.require(v if v.shape == shape else np.broadcast_to(v, shape), float, ["C", "W"])


#: The engine's former name, kept for callers of the two-node model (any parameter set works).
TwoNodeModel = RCModel


@numba.njit(cache=True, fastmath=False, error_model="numpy")
def _step_kernel(
    x, t_out, q0, q1, q2, t_end, wind2, phi, gam, ramp, coef,
    k_wind, inv_ref, seal_frac, seal_start_c, inv_seal_span_k, thr0, inv_log_q, n_thr,
    first_order_hold, has_vent, level, y,
):  # pragma: no cover - compiled; exercised through RCModel.step
    """One exact step in one pass over (R, G): ``y = phi x + gamma u`` (+ the ramp term), N <= 3 nodes.

    ``phi`` (K, G, N, N), ``gam`` (K, G, N, N + 1), ``ramp`` (K, G, N): one row per ventilation level; with
    ``has_vent`` the level of each (realization, group) follows from the state and weather at the step's
    start (:func:`sim.ventilation.level_index_kernel`) and is written to ``level``, otherwise row 0 is
    used. Inputs are (R, 1) or (R, G) arrays (``q0`` air, ``q1``/``q2`` the next nodes; absent ones are
    zeros). Terms are added in a fixed order: state, outdoor temperature, heat per node, end temperature.
    """
    n = x.shape[0]
    n_real, n_groups = x.shape[1], x.shape[2]
    wide_t, wide_q0, wide_q1, wide_q2 = t_out.shape[1] > 1, q0.shape[1] > 1, q1.shape[1] > 1, q2.shape[1] > 1
    wide_te, wide_w = t_end.shape[1] > 1, wind2.shape[1] > 1
    u = np.empty(4)
    xs = np.empty(3)
    for r in range(n_real):
        for g in range(n_groups):
            t_o = t_out[r, g] if wide_t else t_out[r, 0]
            u[0] = t_o
            u[1] = q0[r, g] if wide_q0 else q0[r, 0]
            u[2] = q1[r, g] if wide_q1 else q1[r, 0]
            u[3] = q2[r, g] if wide_q2 else q2[r, 0]
            for i in range(n):
                xs[i] = x[i, r, g]
            k = 0
            if has_vent:
                w2 = wind2[r, g] if wide_w else wind2[r, 0]
                k = level_index_kernel(xs[0], t_o, w2, k_wind[g], inv_ref[g], seal_frac, seal_start_c,
                                       inv_seal_span_k, thr0, inv_log_q, n_thr)  # fmt: skip
                level[r, g] = k
            te = 0.0
            if first_order_hold:
                te = t_end[r, g] if wide_te else t_end[r, 0]
            for i in range(n):
                acc = 0.0
                for j in range(n):
                    acc += xs[j] * phi[k, g, i, j]
                for j in range(n + 1):
                    acc += u[j] * gam[k, g, i, j]
                if first_order_hold:
                    acc += te * ramp[k, g, i]
                y[i, r, g] = acc


@numba.njit(cache=True, fastmath=False, error_model="numpy")
def _step_kernel3(
    x, t_out, q0, q1, q2, t_end, wind2, phi, gam, ramp, coef,
    k_wind, inv_ref, seal_frac, seal_start_c, inv_seal_span_k, thr0, inv_log_q, n_thr,
    first_order_hold, has_vent, level, y,
):  # pragma: no cover - compiled; exercised through RCModel.step
    """:func:`_step_kernel` unrolled for three nodes, the chain's model (same arithmetic and order).

    ``coef[g, k]`` holds phi (9, column-major), gamma (12, column-major) and the ramp (3) of group ``g`` at
    level ``k`` (:attr:`RCModel.coefficients`).
    """
    n_real, n_groups = x.shape[1], x.shape[2]
    wide_t, wide_q0, wide_q1, wide_q2 = t_out.shape[1] > 1, q0.shape[1] > 1, q1.shape[1] > 1, q2.shape[1] > 1
    wide_te, wide_w = t_end.shape[1] > 1, wind2.shape[1] > 1
    # groups outer, realizations inner: a group's coefficient rows (one per ventilation level) stay in
    # cache while its realizations pass; the state's cache lines serve the next group
    for g in range(n_groups):
        for r in range(n_real):
            t_o = t_out[r, g] if wide_t else t_out[r, 0]
            u1 = q0[r, g] if wide_q0 else q0[r, 0]
            u2 = q1[r, g] if wide_q1 else q1[r, 0]
            u3 = q2[r, g] if wide_q2 else q2[r, 0]
            a, s, m = x[0, r, g], x[1, r, g], x[2, r, g]
            k = 0
            if has_vent:
                w2 = wind2[r, g] if wide_w else wind2[r, 0]
                k = level_index_kernel(a, t_o, w2, k_wind[g], inv_ref[g], seal_frac, seal_start_c, inv_seal_span_k,
                                       thr0, inv_log_q, n_thr)  # fmt: skip
                level[r, g] = k
            y0, y1, y2 = rc3_kernel(coef, g, k, a, s, m, t_o, u1, u2, u3)
            if first_order_hold:
                te = t_end[r, g] if wide_te else t_end[r, 0]
                y0 += te * coef[g, k, 21]
                y1 += te * coef[g, k, 22]
                y2 += te * coef[g, k, 23]
            y[0, r, g] = y0
            y[1, r, g] = y1
            y[2, r, g] = y2


@numba.njit(cache=True, fastmath=False, error_model="numpy", inline="always")
def rc3_kernel(coef, g, k, a, s, m, t_o, q_air, q_surface, q_mass):  # pragma: no cover - compiled
    """The exact three-node step of one (realization, group) at ventilation level ``k``: ``(y0, y1, y2) =
    phi x + gamma u`` from the row ``coef[g, k]`` (phi column-major, then gamma, as :attr:`RCModel.coefficients`
    lays it out), for the state ``(a, s, m)`` [degC] and inputs ``u = (t_o, q_air, q_surface, q_mass)``
    [degC, W]. Terms are added in a fixed order (state, then inputs), so every caller gets the same
    round-off: :meth:`RCModel.step` and, lane by lane, :func:`rc3_lanes` (the fused step of
    :mod:`sim.building_stage`)."""
    y0 = a * coef[g, k, 0] + s * coef[g, k, 3] + m * coef[g, k, 6]
    y1 = a * coef[g, k, 1] + s * coef[g, k, 4] + m * coef[g, k, 7]
    y2 = a * coef[g, k, 2] + s * coef[g, k, 5] + m * coef[g, k, 8]
    y0 += t_o * coef[g, k, 9] + q_air * coef[g, k, 12] + q_surface * coef[g, k, 15] + q_mass * coef[g, k, 18]
    y1 += t_o * coef[g, k, 10] + q_air * coef[g, k, 13] + q_surface * coef[g, k, 16] + q_mass * coef[g, k, 19]
    y2 += t_o * coef[g, k, 11] + q_air * coef[g, k, 14] + q_surface * coef[g, k, 17] + q_mass * coef[g, k, 20]
    return y0, y1, y2


@intrinsic
def rc3_lanes(typingctx, coef, g, k, a, s, m, t_o, q_air, q_surface, q_mass):  # pragma: no cover - compiled
    """:func:`rc3_kernel` with the three nodes as the lanes of one 4-wide vector: the same products and sums,
    in the same order, lane ``i`` computing ``y_i`` (IEEE double operations without fast-math flags, so each
    lane rounds exactly as the scalar code does; ``tests/unit/test_building_stage.py`` checks it bit for bit).

    The coefficients of one state node or input for the three nodes are side by side in the row
    (:attr:`RCModel.coefficients`, column-major), so each is one unaligned 4-wide load at offsets 0, 3, ..., 18
    whose fourth lane (the next column, or the ramp after the last) is computed and dropped: 7 vector
    products and 6 vector sums instead of 21 and 18 scalar ones, and the step no longer needs the
    compiler to gather a row per element. ``coef`` must be a C-contiguous float64 (G, K, >= 22) array and
    ``g``, ``k`` valid indices (no negative-index wrap, no bounds check). Returns ``(y0, y1, y2)``. [degC]
    """
    if not (isinstance(coef, types.Array) and coef.ndim == 3 and coef.dtype == types.float64 and coef.layout == "C"):
        raise numba.core.errors.TypingError("rc3_lanes: coef must be a C-contiguous float64 array of 3 dimensions")
    sig = types.UniTuple(types.float64, 3)(coef, g, k, a, s, m, t_o, q_air, q_surface, q_mass)

    def codegen(context, builder, signature, args):  # type: ignore[no-untyped-def]
        aryty = signature.args[0]
        ary = context.make_array(aryty)(context, builder, args[0])
        idx = [context.cast(builder, v, t, types.intp) for v, t in zip(args[1:3], signature.args[1:3], strict=True)]
        row = cgutils.get_item_pointer(context, builder, aryty, ary, [*idx, context.get_constant(types.intp, 0)],
                                       wraparound=False)  # fmt: skip
        f64, i32 = ir.DoubleType(), ir.IntType(32)
        vec = ir.VectorType(f64, 4)
        undef = ir.Constant(vec, ir.Undefined)
        lane0 = ir.Constant(ir.VectorType(i32, 4), [0, 0, 0, 0])

        def column(j: int) -> ir.Value:  # coef[g, k, 3 j : 3 j + 4]
            ptr = builder.gep(row, [ir.Constant(ir.IntType(64), 3 * j)])
            return builder.load(builder.bitcast(ptr, vec.as_pointer()), align=8, typ=vec)

        def splat(v: ir.Value, t: types.Type) -> ir.Value:
            v = context.cast(builder, v, t, types.float64)
            return builder.shuffle_vector(builder.insert_element(undef, v, ir.Constant(i32, 0)), undef, lane0)

        x = [splat(v, t) for v, t in zip(args[3:], signature.args[3:], strict=True)]
        mul, add = builder.fmul, builder.fadd
        y = add(add(mul(x[0], column(0)), mul(x[1], column(1))), mul(x[2], column(2)))
        u = add(add(add(mul(x[3], column(3)), mul(x[4], column(4))), mul(x[5], column(5))), mul(x[6], column(6)))
        y = add(y, u)
        lanes = [builder.extract_element(y, ir.Constant(i32, i)) for i in range(3)]
        return context.make_tuple(builder, signature.return_type, lanes)

    return sig, codegen
