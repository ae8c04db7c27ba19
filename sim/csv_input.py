"""Reading input CSV files (weather files, reports) as strings, for their readers to check cell by cell.

A base module: :mod:`sim.weather_file` and :mod:`sim.observations` both read CSVs with it, and the input
layer may not import :mod:`sim.io` (the result files come after the model stages; tests/packaging/test_imports.py).
"""

from __future__ import annotations

import warnings
from pathlib import Path
from typing import Any

import pandas as pd

__all__ = ["read_csv_strings"]


def read_csv_strings(p: Path, **kwargs: Any) -> pd.DataFrame:
    """A CSV file as strings, its columns named by the header line; a data row with more fields than the
    header raises ValueError naming its line (pandas would take the extra fields for an index and shift
    every column by one, so that e.g. a trailing comma made the temperature read as the time)."""
    with warnings.catch_warnings():
        warnings.simplefilter("error", pd.errors.ParserWarning)
        try:
            return pd.read_csv(p, dtype=str, keep_default_na=False, index_col=False, **kwargs)
        except pd.errors.ParserWarning:
            pass
    import csv

    with p.open(encoding="utf-8", errors="replace", newline="") as f:
        rows = csv.reader(f)
        width = len(next(rows, []))
        for line, row in enumerate(rows, start=2):
            if len(row) > width:
                raise ValueError(f"line {line} has {len(row)} fields but the header has {width} "
                                 "(a trailing comma or an unquoted comma in a value?)")
    raise ValueError(f"a row has more fields than the header ({width})")  # pragma: no cover - csv agrees
