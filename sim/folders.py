"""Run and sweep folders: claim one exclusively, tell whether it is finished, check its free space.

A run writes into one folder (``hydra.run.dir``), a sweep into one folder with a sub-folder per job
(``hydra.sweep.dir``). Before anything is written, the folder is *claimed*: created if needed, and locked
with an exclusive advisory lock (:func:`fcntl.flock` on ``.coldgrid.lock``) held until the process ends.
A second coldgrid started into the same folder while the first runs is refused; a folder whose
``result.nc`` exists is finished and is never written again (outputs are never overwritten). A lock dies
with its process, so a run that was killed leaves a folder that can be claimed again; it has no
``result.nc``, so nothing finished is lost.

Problems with the location (a file where a folder should be, no permission, a read-only file system, a
name too long, a full disk) become one-line :class:`~sim.errors.OutputError` messages.
"""

from __future__ import annotations

import contextlib
import errno
import os
import shutil
from dataclasses import dataclass
from pathlib import Path
from typing import IO

from sim.errors import OutputError

LOCK = ".coldgrid.lock"
RESULT = "result.nc"
SWEEP = "sweep.nc"

#: Bytes a run folder grows by per value of the (realization, time, district) grid, measured on the
#: default Kyiv run (10 districts, 504 hourly steps; 5 and 20 realizations, output.report=false):
#: ``result.nc`` grows by 0.21 MB and the whole folder (with ``events.csv`` and ``summary.csv``) by
#: 0.34 MB per realization, i.e. 68 B per realization, step and district, rounded up. [B]
BYTES_PER_REALIZATION_STEP_DISTRICT = 70.0
#: Outputs that do not grow with realizations: the brief (HTML, PDF, figures), ``.hydra/``, the log; the
#: measured folder without the brief is 0.5 MB plus the per-realization part. [B]
FIXED_B = 5_000_000
#: Margin on the estimate before a run is refused for lack of space. [1]
DISK_MARGIN = 1.5


def describe_os_error(e: OSError) -> str:
    """A short reason for an OSError about a path (no errno numbers, no traceback)."""
    reasons = {
        errno.ENOSPC: "no space left on the device",
        errno.EDQUOT: "disk quota exceeded",
        errno.EROFS: "read-only file system",
        errno.EACCES: "permission denied",
        errno.EPERM: "permission denied",
        errno.ENAMETOOLONG: "file name too long",
        errno.ENOTDIR: "a file is in the way where a folder should be",
        errno.EEXIST: "a file is in the way where a folder should be",
        errno.EISDIR: "a folder is in the way where a file should be",
    }
    return reasons.get(e.errno or 0, e.strerror or type(e).__name__)


def check_input_file(path: str | os.PathLike, what: str, missing: str = "not found") -> Path:
    """``path`` as a readable regular file, else :class:`~sim.errors.InputError` ``<what>: <reason>``.

    A folder or an unreadable file is named as such, on one line: an OSError raised later, while the file
    is read, would reach the command as if the output folder could not be written.
    """
    from sim.errors import InputError

    p = Path(path).expanduser()
    if p.is_dir():
        raise InputError(f"{what}: is a folder, not a file")
    if not p.exists():
        raise InputError(f"{what}: {missing}")
    if not p.is_file():
        raise InputError(f"{what}: not a regular file")
    try:
        with p.open("rb") as f:
            f.read(1)
    except OSError as e:
        raise InputError(f"{what}: cannot be read ({describe_os_error(e)})") from None
    return p


def output_error(e: OSError, what: str) -> OutputError:
    """Turn an OSError raised while writing ``what`` into a one-line OutputError."""
    where = e.filename or what
    hint = ("free some space or choose another hydra.run.dir / hydra.sweep.dir"
            if e.errno in (errno.ENOSPC, errno.EDQUOT) else "choose another hydra.run.dir / hydra.sweep.dir")
    return OutputError(f"cannot write {where}: {describe_os_error(e)}; {hint} "
                       "(finished files were not touched)")


@dataclass
class Claim:
    """An exclusive claim of a folder; released when closed or when the process ends."""

    folder: Path
    handle: IO[str] | None

    def release(self) -> None:
        if self.handle is not None:
            with contextlib.suppress(OSError):
                self.handle.close()
            self.handle = None


def claim(folder: str | os.PathLike, key: str = "hydra.run.dir") -> Claim:
    """Create ``folder`` if needed and lock it exclusively; raise OutputError if that is impossible.

    ``key`` names the setting in messages (``hydra.run.dir`` or ``hydra.sweep.dir``).
    """
    folder = Path(folder)
    if str(folder).strip() in ("", "."):
        raise OutputError(f"{key}='{folder}': an empty folder name would write into the current folder; "
                          "give a folder")
    try:
        folder.mkdir(parents=True, exist_ok=True)
        handle = open(folder / LOCK, "a+", encoding="utf-8")  # noqa: SIM115 - held for the process' lifetime
    except OSError as e:
        raise OutputError(f"{key}={folder}: cannot create the output folder ({describe_os_error(e)})") from None
    try:
        import fcntl
    except ImportError:  # pragma: no cover - not POSIX: no lock, the result.nc check still holds
        return Claim(folder, handle)
    try:
        fcntl.flock(handle.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
    except OSError as e:
        handle.close()
        if e.errno in (errno.EWOULDBLOCK, errno.EAGAIN, errno.EACCES):
            raise OutputError(f"{key}={folder}: another coldgrid run is writing into this folder; "
                              "wait for it or choose another folder") from None
        raise OutputError(f"{key}={folder}: cannot lock the output folder ({describe_os_error(e)})") from None
    handle.seek(0)
    handle.truncate()
    handle.write(f"{os.getpid()}\n")
    handle.flush()
    return Claim(folder, handle)


def is_finished_run(folder: str | os.PathLike) -> bool:
    """True if ``folder`` holds a run's ``result.nc`` (written last: the run finished)."""
    return (Path(folder) / RESULT).exists()


def holds_sweep(folder: str | os.PathLike) -> bool:
    """True if ``folder`` holds (part of) a sweep: ``sweep.nc``, ``multirun.yaml`` or a job folder."""
    folder = Path(folder)
    if not folder.is_dir():
        return False
    if (folder / SWEEP).exists() or (folder / "multirun.yaml").exists():
        return True
    return any(p.is_dir() and p.name.isdigit() and any(p.iterdir()) for p in folder.iterdir())


def estimate_result_bytes(realizations: int, n_steps: int, n_districts: int) -> int:
    """Upper estimate of the bytes a run writes (see :data:`BYTES_PER_REALIZATION_STEP_DISTRICT`). [B]"""
    per = BYTES_PER_REALIZATION_STEP_DISTRICT * int(n_steps) * max(int(n_districts), 1)
    return int(FIXED_B + per * int(realizations))


def check_free_space(folder: str | os.PathLike, need_b: int, realizations: int,
                     free_b: int | None = None) -> None:
    """Raise OutputError if ``folder``'s file system has less free space than ``need_b`` x margin."""
    free = shutil.disk_usage(folder).free if free_b is None else int(free_b)
    if need_b * DISK_MARGIN > free:
        per = max((need_b - FIXED_B) / max(realizations, 1), 1.0)
        fit = int(max(free / DISK_MARGIN - FIXED_B, 0) / per)
        hint = f"use realizations={fit} or fewer, or " if fit >= 1 else ""
        raise OutputError(
            f"{folder}: the outputs need about {need_b / 1e6:.0f} MB but only {free / 1e6:.0f} MB is free; "
            f"{hint}choose a folder on another disk (hydra.run.dir)"
        )
