"""coldgrid's Hydra configs (values only; schemas in ``sim/config/``).

This folder is installed as the package ``sim.configs`` so that a wheel carries the configs; the file
exists only to make that package importable (``sim.resources.config_dir`` finds the folder through it).
"""
