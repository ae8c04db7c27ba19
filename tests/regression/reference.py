"""The small saved result the regression test compares against, and how to regenerate it.

Regenerate (deliberately, after a change of the model's numbers that you have checked):

    .venv/bin/python -m tests.regression.reference

and say in CHANGES.md why the numbers moved.
"""

from __future__ import annotations

from pathlib import Path

import xarray as xr

from tests.conftest import compose_config

REFERENCE = Path(__file__).resolve().parents[1] / "data" / "regression" / "small_town_seed7.nc"
OVERRIDES = ["city=small_town", "realizations=3", "horizon_days=3", "seed=7", "attacks=single_wave",
             "attacks.day=0.5"]
#: Attributes that legitimately differ between runs of the same numbers.
VOLATILE_ATTRS = ("history", "source", "config")


def compute() -> xr.Dataset:
    from sim.chain import run_scenario

    ds = run_scenario(compose_config(OVERRIDES))
    for key in VOLATILE_ATTRS:
        ds.attrs.pop(key, None)
    return ds


def main() -> None:
    from sim.io import write_netcdf

    write_netcdf(compute(), REFERENCE)
    print(f"wrote {REFERENCE} ({REFERENCE.stat().st_size / 1024:.0f} KiB)")


if __name__ == "__main__":
    main()
