"""SIGTERM and Ctrl-C for the command-line tools: the run unwinds, removes its temporary files, and ends in
one line with exit status 143 (SIGTERM) or 130 (SIGINT), never a traceback.

A signal raises :class:`Terminated` (a :class:`KeyboardInterrupt`) in the main thread wherever it happens
to be. Most code lets it through, but a library caught mid-construction may not: OmegaConf, interrupted
while building a structured config, restores its flags on a half-built node and raises an
``AttributeError`` in place of the interrupt. So the signal is also recorded, and :func:`signal_wins` turns
*any* exception that unwinds after a signal arrived into the interrupted exit: whatever the exception
says, its cause is the signal.
"""

from __future__ import annotations

import signal
import sys
from collections.abc import Iterator
from contextlib import contextmanager

#: The signals received by this process so far (normally none, or one). A process-wide record by nature:
#: a signal is delivered to the process, not to an object.
_RECEIVED: list[int] = []


class Terminated(KeyboardInterrupt):
    """Raised in the main thread on SIGTERM or SIGINT so that the run unwinds and cleans up."""


def _handler(signum: int, frame: object) -> None:
    _RECEIVED.append(signum)
    # Generators (SimPy processes) closed while unwinding would report the interrupt again as
    # "Exception ignored"; the process is ending, so those reports are noise.
    sys.unraisablehook = lambda _unraisable: None
    raise Terminated(signum)


def install() -> None:
    """Install the handler for SIGTERM and SIGINT (call it first thing in ``main``)."""
    signal.signal(signal.SIGTERM, _handler)
    signal.signal(signal.SIGINT, _handler)


def received() -> int | None:
    """The first signal this process received, or ``None``."""
    return _RECEIVED[0] if _RECEIVED else None


def exit_status() -> int:
    """143 after SIGTERM, else 130 (SIGINT, or a plain ``KeyboardInterrupt`` without a handled signal)."""
    return 128 + int(signal.SIGTERM) if received() == signal.SIGTERM else 128 + int(signal.SIGINT)


def interrupted(prog: str, what: str = "result") -> None:
    """Print the one line and exit with the signal's status."""
    print(f"{prog}: interrupted; no partial {what} was written", file=sys.stderr)
    sys.exit(exit_status())


@contextmanager
def signal_wins(prog: str, what: str = "result") -> Iterator[None]:
    """Exit as interrupted if anything unwinds through this block after a signal (or is a Ctrl-C)."""
    try:
        yield
    except KeyboardInterrupt:
        interrupted(prog, what)
    except BaseException:
        if received() is not None:
            interrupted(prog, what)
        raise
