"""Row access on the report's tables (``headline.csv`` and ``comparison.csv`` frames indexed by figure)."""

from __future__ import annotations

import pandas as pd

__all__ = ["series_at"]


def series_at(frame: pd.DataFrame, key: str) -> pd.Series:
    """The one row of ``frame`` labelled ``key``; KeyError if there is none or more than one.

    Examples
    --------
    >>> series_at(pd.DataFrame({"p50": [1.0]}, index=["a"]), "a")["p50"]
    np.float64(1.0)
    >>> series_at(pd.DataFrame({"p50": [1.0, 2.0]}, index=["a", "a"]), "a")
    Traceback (most recent call last):
    ...
    KeyError: "'a': 2 rows, expected one"
    """
    row = frame.loc[key]
    if isinstance(row, pd.DataFrame):
        raise KeyError(f"{key!r}: {len(row)} rows, expected one")
    return row
