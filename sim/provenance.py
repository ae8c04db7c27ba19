"""Where a result came from: the config hash, the state of a saved result, a job's failure marker.

``result.nc`` carries the SHA-256 of the resolved config that made it (global attribute ``config_hash``)
and the job's command-line overrides (``overrides``, a JSON list). A job (:mod:`sim.run`) uses them to
resume, a sweep (:mod:`sim.sweep`) to label its scenarios: labels always come from the result itself,
never from files Hydra rewrites (``.hydra/overrides.yaml``).
"""

from __future__ import annotations

import hashlib
import json
import os
from pathlib import Path
from typing import Any

from omegaconf import DictConfig, ListConfig, OmegaConf

from sim.errors import ColdgridError

RESULT = "result.nc"
FAILED = "FAILED"  # marker file in a job folder: the job's one-line error message

#: Top-level keys left out of :func:`config_hash`: they do not change the numbers of ``result.nc``.
#: ``hydra`` (Hydra's own settings, present only with ``return_hydra_config``), ``resume`` (the switch
#: itself), ``label`` (free text shown in outputs; a resumed job keeps the label it was run with),
#: ``experiment`` (the preset's name; its values are hashed), ``output`` (which files and progress bars
#: a run writes, not what is in them) and ``sobol`` (the design of a Sobol sweep, never read by the chain;
#: each job's parameter values are overrides of their own keys, which are hashed).
HASH_EXCLUDED_KEYS = ("hydra", "resume", "label", "experiment", "output", "sobol")


def config_hash(cfg: DictConfig | dict) -> str:
    """SHA-256 of the resolved config, without :data:`HASH_EXCLUDED_KEYS`.

    The config is resolved (interpolations replaced), keys are sorted and serialised as JSON, so the hash
    is the same whatever the order of overrides or the launcher. Values typed by the schemas are already
    normalised (``-25`` and ``-25.0`` give the same float).

    Parameters
    ----------
    cfg : omegaconf.DictConfig or dict
        A composed coldgrid config.

    Returns
    -------
    str
        64 hexadecimal digits.
    """
    data: dict[str, Any] = {}
    for key in cfg:
        if key in HASH_EXCLUDED_KEYS:
            continue
        value = cfg[key]  # resolved against the whole config; excluded keys are never resolved
        if isinstance(value, DictConfig | ListConfig):
            value = OmegaConf.to_container(value, resolve=True, throw_on_missing=False)
        data[str(key)] = value
    text = json.dumps(data, sort_keys=True, separators=(",", ":"), default=str, allow_nan=True)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def encode_overrides(overrides: list[str]) -> str:
    """The ``overrides`` attribute of ``result.nc``: a JSON list (values may hold spaces)."""
    return json.dumps([str(o) for o in overrides], ensure_ascii=False)


def decode_overrides(text: Any) -> list[str]:
    """Inverse of :func:`encode_overrides`; also reads the space-separated form of older results.

    Examples
    --------
    >>> decode_overrides('["label=a b", "seed=2"]')
    ['label=a b', 'seed=2']
    >>> decode_overrides("attacks=pause_week seed=2")
    ['attacks=pause_week', 'seed=2']
    """
    text = str(text or "").strip()
    if text.startswith("["):
        try:
            data = json.loads(text)
            if isinstance(data, list):
                return [str(x) for x in data]
        except ValueError:
            pass
    return text.split()


def result_state(path: str | os.PathLike, expected_hash: str | None = None) -> str:
    """State of a saved result: ``"missing"``, ``"incomplete"``, ``"mismatch"`` or ``"complete"``.

    ``incomplete``: the file does not open as NetCDF, has no data variables or no ``config_hash``
    attribute (a truncated copy, or a file written by something else). ``mismatch``: complete, but made
    from another config than ``expected_hash``. ``complete``: opens, has data and the expected hash (any
    hash if ``expected_hash`` is None).
    """
    import xarray as xr

    path = Path(path)
    if not path.is_file():
        return "missing"
    try:
        with xr.open_dataset(path, engine="netcdf4", decode_times=False) as ds:
            found = ds.attrs.get("config_hash")
            has_data = len(ds.data_vars) > 0
    except Exception:  # a truncated or foreign file: never complete
        return "incomplete"
    if not found or not has_data:
        return "incomplete"
    if expected_hash is not None and str(found) != expected_hash:
        return "mismatch"
    return "complete"


def result_provenance(path: str | os.PathLike) -> tuple[list[str], str]:
    """The overrides and config hash stored in a complete ``result.nc``."""
    import xarray as xr

    with xr.open_dataset(path, engine="netcdf4", decode_times=False) as ds:
        return decode_overrides(ds.attrs.get("overrides", "")), str(ds.attrs.get("config_hash", ""))


def one_line_message(exc: BaseException | str) -> str:
    """A job's error on one line: a :class:`ColdgridError`'s message, else ``Type: message``."""
    if isinstance(exc, str):
        text = exc
    elif isinstance(exc, ColdgridError):
        text = str(exc)
    else:
        text = f"{type(exc).__name__}: {exc}"
    return " ".join(text.split()) or "unknown error"


def record_failure(job_dir: str | os.PathLike, exc: BaseException | str) -> Path:
    """Write ``<job_dir>/FAILED`` with the one-line message of ``exc``; a sweep then goes on."""
    from sim.io import atomic_write_text

    return atomic_write_text(Path(job_dir) / FAILED, one_line_message(exc) + "\n")


def clear_failure(job_dir: str | os.PathLike) -> None:
    """Remove a stale ``FAILED`` marker (a resumed job that now succeeds)."""
    (Path(job_dir) / FAILED).unlink(missing_ok=True)
