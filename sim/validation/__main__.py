"""``python -m sim.validation [--json] [--quick] [--only MODULE ...]``: every validation figure.

With ``--json`` one JSON object (stable dotted keys, see :func:`sim.validation.figures`) goes to stdout;
without it, one ``key = value`` line per figure.
"""

from __future__ import annotations

import argparse
import json
import math
import sys

from sim.validation import MODULES, figures


def _plain(value: object) -> object:
    """JSON-safe scalars: numpy numbers -> float/int/bool, non-finite -> None."""
    if hasattr(value, "item"):
        value = value.item()  # type: ignore[union-attr]
    if isinstance(value, float) and not math.isfinite(value):
        return None
    return value


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m sim.validation", allow_abbrev=False,
                                     description="Print every validation figure of coldgrid.")
    parser.add_argument("--json", action="store_true", help="one JSON object on stdout")
    parser.add_argument("--quick", action="store_true", help="the tests' settings (faster)")
    parser.add_argument("--only", nargs="+", choices=MODULES, help="only these modules")
    args = parser.parse_args(argv)
    figs = {k: _plain(v) for k, v in figures(quick=args.quick, only=tuple(args.only) if args.only else None).items()}
    if args.json:
        json.dump(figs, sys.stdout, indent=1, sort_keys=True)
        sys.stdout.write("\n")
    else:
        for k, v in figs.items():
            print(f"{k} = {v}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
