"""Printing the summary to a standard output that may not take it.

A run's outputs are complete before its summary is printed, so a standard output that goes away
(``coldgrid ... | head``), fills up (``> /dev/full``) or cannot encode a character (a non-UTF-8 terminal)
must not turn a finished run into a traceback: characters it cannot encode are replaced, a closed pipe
silences the rest of the output, and a full device is reported once on stderr.
"""

from __future__ import annotations

import contextlib
import os
import sys

_state = {"gone": False}


def tolerant_streams() -> None:
    """Replace characters stdout and stderr cannot encode (e.g. ``°`` on an ASCII terminal)."""
    for stream in (sys.stdout, sys.stderr):
        with contextlib.suppress(AttributeError, ValueError):
            stream.reconfigure(errors="replace")  # type: ignore[union-attr]


def _gone(e: OSError) -> None:
    if not _state["gone"]:
        _state["gone"] = True
        if not isinstance(e, BrokenPipeError):
            with contextlib.suppress(OSError, ValueError):
                print(f"coldgrid: warning: could not print to standard output ({e.strerror or e}); "
                      "the outputs are complete", file=sys.stderr)
    with contextlib.suppress(OSError, ValueError):  # later writes and the final flush go nowhere
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        os.close(devnull)


def echo(text: str = "") -> None:
    """``print(text)`` that never raises because of the standard output."""
    if _state["gone"]:
        return
    try:
        print(text)
        sys.stdout.flush()
    except OSError as e:
        _gone(e)


def flush() -> None:
    """Flush stdout now, so that a failure is handled here rather than at interpreter exit."""
    if _state["gone"]:
        return
    try:
        sys.stdout.flush()
    except OSError as e:
        _gone(e)
