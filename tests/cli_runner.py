"""``coldgrid ARGS`` in this process: what a subprocess of the command would give, without its start-up.

Each ``coldgrid`` subprocess imports the whole stack (Hydra, xarray, numba...) for seconds before it reads
its first override; the error tests only need its exit status and its two streams. :func:`run_in_process`
calls :func:`sim.cli.main`, the console script's entry point, with

* ``sys.stdout`` and ``sys.stderr`` captured (what the terminal would show),
* the exit status of its ``SystemExit`` (``None`` is 0, a message is printed and is 1, as the interpreter
  does), and an uncaught exception printed as a traceback with status 1 (so ``"Traceback" not in stderr``
  still catches one),
* the warning filters of a fresh interpreter (pytest's ``error::`` filters would turn a warning that
  the command prints into an exception), and
* the working directory, ``sys.argv``, the environment, the signal handlers, the warning format and the
  logging set-up (Hydra adds handlers, a log file among them) put back as they were afterwards.

A few tests keep the real command as a subprocess (tests/integration/test_cli_errors.py,
test_cli_nodes.py, test_cli_run.py...): the console script exists, starts and exits with these statuses.
"""

from __future__ import annotations

import contextlib
import io
import logging
import os
import signal
import subprocess
import sys
import traceback
import warnings
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

#: The warning filters of an interpreter started without -W or PYTHONWARNINGS (Python 3.11-3.13).
_DEFAULT_FILTERS = (
    ("default", DeprecationWarning, "__main__"),
    ("ignore", DeprecationWarning, None),
    ("ignore", PendingDeprecationWarning, None),
    ("ignore", ImportWarning, None),
    ("ignore", ResourceWarning, None),
)


def _show_on_stderr(message, category, filename, lineno, file=None, line=None) -> None:
    """Print a warning as the interpreter does (pytest's capture records them instead)."""
    (file or sys.stderr).write(warnings.formatwarning(message, category, filename, lineno, line))


def _fresh_warning_filters() -> None:
    warnings.showwarning = _show_on_stderr  # put back by the enclosing catch_warnings()
    warnings.resetwarnings()
    for action, category, module in reversed(_DEFAULT_FILTERS):
        if module is None:
            warnings.filterwarnings(action, category=category)
        else:
            warnings.filterwarnings(action, category=category, module=module)


def _logging_state() -> dict[str, tuple[int, list[logging.Handler], bool, bool]]:
    loggers = {"": logging.getLogger()}
    loggers.update({name: lg for name, lg in logging.Logger.manager.loggerDict.items()
                    if isinstance(lg, logging.Logger)})
    return {name: (lg.level, list(lg.handlers), lg.propagate, lg.disabled) for name, lg in loggers.items()}


def _restore_logging(before: dict[str, tuple[int, list[logging.Handler], bool, bool]]) -> None:
    after = _logging_state()
    kept = {id(h) for _, handlers, _, _ in before.values() for h in handlers}
    for name, (_, handlers, _, _) in after.items():
        for h in handlers:
            if id(h) not in kept:
                with contextlib.suppress(Exception):
                    h.close()
        lg = logging.getLogger(name or None)
        if name in before:
            level, old, propagate, disabled = before[name]
            lg.setLevel(level)
            lg.handlers[:] = old
            lg.propagate, lg.disabled = propagate, disabled
        else:
            lg.handlers[:] = []
            lg.setLevel(logging.NOTSET)
            lg.propagate, lg.disabled = True, False


def run_in_process(*args: str, cwd: Path = ROOT) -> subprocess.CompletedProcess:
    """``coldgrid ARGS`` run from ``cwd`` through :func:`sim.cli.main` in this process; returncode, stdout
    and stderr as :func:`subprocess.run` with ``capture_output=True, text=True`` would give them."""
    from sim import cli

    return _call(cli.main, "coldgrid", args, cwd)


def report_in_process(*args: str, cwd: Path = ROOT) -> subprocess.CompletedProcess:
    """``coldgrid-report ARGS`` through :func:`sim.report.cli.main` in this process, as :func:`run_in_process`."""
    from sim.report import cli

    return _call(cli.main, "coldgrid-report", args, cwd)


def _call(main: Callable[[list[str]], object], prog: str, args: tuple[str, ...], cwd: Path
          ) -> subprocess.CompletedProcess:
    out, err = io.StringIO(), io.StringIO()
    saved_argv, saved_env, saved_cwd = sys.argv[:], os.environ.copy(), os.getcwd()
    saved_signals = {s: signal.getsignal(s) for s in (signal.SIGINT, signal.SIGTERM)}
    saved_format, saved_hook = warnings.formatwarning, sys.unraisablehook
    saved_logging = _logging_state()
    code: int
    try:
        os.chdir(cwd)
        sys.argv = [prog, *args]
        with warnings.catch_warnings(), contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            _fresh_warning_filters()
            try:
                main(list(args))
                code = 0
            except SystemExit as e:
                if e.code is None:
                    code = 0
                elif isinstance(e.code, int):
                    code = e.code
                else:
                    print(e.code, file=sys.stderr)
                    code = 1
            except Exception:
                traceback.print_exc()
                code = 1
            with contextlib.suppress(Exception):
                sys.stdout.flush()
    finally:
        os.chdir(saved_cwd)
        sys.argv = saved_argv
        os.environ.clear()
        os.environ.update(saved_env)
        for s, handler in saved_signals.items():
            signal.signal(s, handler)
        warnings.formatwarning, sys.unraisablehook = saved_format, saved_hook
        _restore_logging(saved_logging)
    return subprocess.CompletedProcess([prog, *args], code, out.getvalue(), err.getvalue())
