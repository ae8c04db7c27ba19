"""coldgrid: energy-outage and cold-risk simulator.

The public entry point is :func:`sim.chain.run_scenario`; see ``DESIGN.md`` in the docs for the chain of
stages (city -> weather -> threat -> des -> thermal -> people -> io).
"""

__version__ = "0.2.0.dev0"

__all__ = ["__version__"]
