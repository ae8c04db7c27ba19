"""The city's grid and heat network as component tables: built from the city and ``city.grid``.

Both the threat (which nodes a strike can hit) and the DES (how supply flows) read a :class:`Network`;
it sits below both in the flow config -> city -> network -> threat -> des.
"""

from sim.network.build import NODE_KINDS, Network, build_network, group_design_heat_mw, node_listing
from sim.network.components import COMPONENTS, Column, component_table, describe
from sim.network.params import DAMAGE_LEVELS, GRID_DEFAULTS, grid_params

__all__ = [
    "COMPONENTS",
    "DAMAGE_LEVELS",
    "GRID_DEFAULTS",
    "NODE_KINDS",
    "Column",
    "Network",
    "build_network",
    "component_table",
    "describe",
    "grid_params",
    "group_design_heat_mw",
    "node_listing",
]
