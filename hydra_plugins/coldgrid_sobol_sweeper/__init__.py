"""coldgrid's Sobol sweeper for Hydra: ``hydra/sweeper=sobol`` (selected by ``experiment=sobol``).

Hydra finds it in the ``hydra_plugins`` namespace (like hydra-optuna-sweeper); :mod:`.config` registers
its config, :mod:`.sobol_sweeper` holds the sweeper. See :mod:`sim.sensitivity` and docs/sweeps.md.
"""
