"""Parameter tables of the RC thermal model of building groups: heat capacities and conductances per group.

:class:`RCParams` (two nodes: indoor air with furnishings, building mass) and :class:`RCParams3` (three
nodes: air, the room-side "surface" mass and the "deep" mass) hold one value per group (and realization,
when broadcast) and know their network form (capacities, conductances to outdoors, links between nodes).
They are plain tables, built by :mod:`sim.archetypes` from the construction and integrated by
:mod:`sim.thermal` (which re-exports them); this module sits below both, so that the archetypes do not
import the engine. Equations and references: :mod:`sim.thermal`.
"""

from __future__ import annotations

from dataclasses import dataclass, fields

import numpy as np

__all__ = ["Params", "RCParams", "RCParams3"]


class _Params:
    """Shared behaviour of the parameter sets: validation, broadcasting and the general network form."""

    _CONDUCTANCES: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        arrays = np.broadcast_arrays(*(np.asarray(getattr(self, f.name), dtype=float) for f in fields(self)))  # type: ignore[arg-type]
        for f, arr in zip(fields(self), arrays, strict=True):  # type: ignore[arg-type]
            arr = np.array(arr)  # own, writeable copy of the broadcast view
            arr.flags.writeable = False
            object.__setattr__(self, f.name, arr)
        if not all(np.isfinite(getattr(self, f.name)).all() for f in fields(self)):  # type: ignore[arg-type]
            raise ValueError(f"{type(self).__name__}: all values must be finite")
        if (self.capacities() <= 0).any():
            raise ValueError(f"{type(self).__name__}: heat capacities must be > 0")
        if min(float(np.min(getattr(self, n), initial=0.0)) for n in self._CONDUCTANCES) < 0:
            raise ValueError(f"{type(self).__name__}: conductances must be >= 0")

    # general form ------------------------------------------------------------------------------------
    n_nodes: int = 0

    def capacities(self) -> np.ndarray:  # pragma: no cover - overridden
        raise NotImplementedError

    def out_conductances(self) -> np.ndarray:  # pragma: no cover - overridden
        raise NotImplementedError

    def links(self) -> list[tuple[int, int, np.ndarray]]:  # pragma: no cover - overridden
        raise NotImplementedError

    @property
    def shape(self) -> tuple[int, ...]:
        """Common shape of the parameter arrays."""
        return self.capacities().shape[:-1]

    def conductance_matrix(self) -> np.ndarray:
        """``K`` with ``C dx/dt = -K x + h_out T_o + q``, shape S + (N, N). [W/K]"""
        n = self.n_nodes
        k = np.zeros((*self.shape, n, n))
        for i, j, h in self.links():
            k[..., i, i] += h
            k[..., j, j] += h
            k[..., i, j] -= h
            k[..., j, i] -= h
        idx = np.arange(n)
        k[..., idx, idx] += self.out_conductances()
        return k

    def steady_response(self) -> np.ndarray:
        """``K^-1``: steady-state temperature rise of each node per watt into each node, S + (N, N). [K/W]"""
        return np.linalg.inv(self.conductance_matrix())

    @property
    def h_total_w_per_k(self) -> np.ndarray:
        """Steady-state heat-loss coefficient seen from the air node, ``1 / (K^-1)_00``. [W/K]"""
        return 1.0 / self.steady_response()[..., 0, 0]

    def to_air_frac(self, node: int) -> np.ndarray:
        """Share of heat put into ``node`` that acts on the air's steady state, ``(K^-1)_0j / (K^-1)_00``. [1]"""
        r = self.steady_response()
        return r[..., 0, node] / r[..., 0, 0]

    @property
    def c_total_j_per_k(self) -> np.ndarray:
        """Total heat capacity. [J/K]"""
        return self.capacities().sum(axis=-1)

    @property
    def tau_h(self) -> np.ndarray:
        """Time constant C / H of the whole building, with H the steady-state coefficient. [h]"""
        return self.c_total_j_per_k / self.h_total_w_per_k / 3600.0

    def scaled(self, factor: np.ndarray | float):
        """All conductances and capacities times ``factor`` (e.g. buildings per group); tau is unchanged."""
        return type(self)(*(getattr(self, f.name) * factor for f in fields(self)))  # type: ignore[arg-type]

    def take(self, index: np.ndarray | slice):
        """Parameters of a subset of groups (numpy indexing on the leading axis)."""
        return type(self)(*(getattr(self, f.name)[index] for f in fields(self)))  # type: ignore[arg-type]


@dataclass(frozen=True)
class RCParams(_Params):
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
        Heat capacity of the mass node. [J/K]
    """

    h_air_out_w_per_k: np.ndarray
    h_air_mass_w_per_k: np.ndarray
    h_mass_out_w_per_k: np.ndarray
    c_air_j_per_k: np.ndarray
    c_mass_j_per_k: np.ndarray

    _CONDUCTANCES = ("h_air_out_w_per_k", "h_air_mass_w_per_k", "h_mass_out_w_per_k")
    n_nodes = 2
    #: Node receiving the radiant heat (radiators' radiative share, radiant gains): the mass. [-]
    radiant_node = 1

    def capacities(self) -> np.ndarray:
        """Node capacities (air, mass), shape S + (2,). [J/K]"""
        return np.stack([self.c_air_j_per_k, self.c_mass_j_per_k], axis=-1)

    def out_conductances(self) -> np.ndarray:
        """Conductances of the nodes to outdoors, S + (2,). [W/K]"""
        return np.stack([self.h_air_out_w_per_k, self.h_mass_out_w_per_k], axis=-1)

    def links(self) -> list[tuple[int, int, np.ndarray]]:
        """Conductances between nodes as (i, j, H). [W/K]"""
        return [(0, 1, self.h_air_mass_w_per_k)]

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
    def radiant_to_air_frac(self) -> np.ndarray:
        """:attr:`mass_to_air_frac` (the radiant node is the mass). [1]"""
        return self.mass_to_air_frac

    @property
    def c_total_j_per_k(self) -> np.ndarray:
        """Total heat capacity, C_a + C_m. [J/K]"""
        return self.c_air_j_per_k + self.c_mass_j_per_k


@dataclass(frozen=True)
class RCParams3(_Params):
    """Conductances and capacities of the three-node model (air, surface mass, deep mass), one shape.

    The room surfaces (ISO 13790's capacity-less star node, linked to the air by ``h_is A_t``, to the
    surface mass by ``h_ms`` and to outdoors by the windows) are folded into the three nodes by the exact
    star-delta transform; hence the surface mass's own conductance to outdoors.

    Attributes
    ----------
    h_air_out_w_per_k : numpy.ndarray
        Air to outdoors: ventilation, infiltration and the windows' share through the folded star. [W/K]
    h_air_surface_w_per_k : numpy.ndarray
        Air to the surface mass through the room surfaces. [W/K]
    h_surface_mass_w_per_k : numpy.ndarray
        Surface mass to deep mass: conduction inside the massive layers. [W/K]
    h_mass_out_w_per_k : numpy.ndarray
        Deep mass to outdoors: the opaque envelope. [W/K]
    h_surface_out_w_per_k : numpy.ndarray
        Surface mass to outdoors: the windows' share through the folded star. [W/K]
    c_air_j_per_k, c_surface_j_per_k, c_mass_j_per_k : numpy.ndarray
        Capacities of air (and furnishings), the surface and the deep volumes. [J/K]
    """

    h_air_out_w_per_k: np.ndarray
    h_air_surface_w_per_k: np.ndarray
    h_surface_mass_w_per_k: np.ndarray
    h_mass_out_w_per_k: np.ndarray
    h_surface_out_w_per_k: np.ndarray
    c_air_j_per_k: np.ndarray
    c_surface_j_per_k: np.ndarray
    c_mass_j_per_k: np.ndarray

    _CONDUCTANCES = ("h_air_out_w_per_k", "h_air_surface_w_per_k", "h_surface_mass_w_per_k",
                     "h_mass_out_w_per_k", "h_surface_out_w_per_k")  # fmt: skip
    n_nodes = 3
    #: Node receiving the radiant heat: the surface mass. [-]
    radiant_node = 1

    def capacities(self) -> np.ndarray:
        """Node capacities (air, surface, deep mass), shape S + (3,). [J/K]"""
        return np.stack([self.c_air_j_per_k, self.c_surface_j_per_k, self.c_mass_j_per_k], axis=-1)

    def out_conductances(self) -> np.ndarray:
        """Conductances of the nodes to outdoors, S + (3,). [W/K]"""
        return np.stack([self.h_air_out_w_per_k, self.h_surface_out_w_per_k, self.h_mass_out_w_per_k], axis=-1)

    def links(self) -> list[tuple[int, int, np.ndarray]]:
        """Conductances between nodes as (i, j, H). [W/K]"""
        return [(0, 1, self.h_air_surface_w_per_k), (1, 2, self.h_surface_mass_w_per_k)]

    @property
    def radiant_to_air_frac(self) -> np.ndarray:
        """Share of heat put into the surface mass acting on the air's steady state. [1]"""
        return self.to_air_frac(1)

    @property
    def mass_to_air_frac(self) -> np.ndarray:
        """Share of heat put into the deep mass acting on the air's steady state. [1]"""
        return self.to_air_frac(2)

    @property
    def c_total_j_per_k(self) -> np.ndarray:
        """Total heat capacity. [J/K]"""
        return self.c_air_j_per_k + self.c_surface_j_per_k + self.c_mass_j_per_k


Params = RCParams | RCParams3
