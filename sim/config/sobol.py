"""Schema of the ``sobol`` keys: the uncertain parameters of a global sensitivity analysis and its design.

The parameter list is data (``configs/sobol/<list>.yaml``, chosen by ``experiment=sobol`` or ``sobol=<list>``);
each entry names a numeric config key, its distribution (SALib's names and parameters) and where the range
comes from (a calibration line, or ``[L]`` for an assumption). The Hydra sweeper
``hydra/sweeper=sobol`` (:mod:`hydra_plugins.coldgrid_sobol_sweeper`) draws the Saltelli design from it,
and :mod:`sim.sensitivity` computes the indices; the chain never reads these keys (they are left out of
the config hash, :data:`sim.provenance.HASH_EXCLUDED_KEYS`: each job's parameter values are overrides
of their own keys, which are hashed).
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any

from omegaconf import MISSING

from sim.errors import ConfigError

#: SALib's distributions and the number of their ``bounds`` entries (SALib.util: ``unif`` [low, high];
#: ``triang`` [low, high, peak as a share of high - low]; ``norm`` [mean, sd]; ``truncnorm`` [low, high,
#: mean, sd]; ``lognorm`` [mean, sd] of the logarithm).
DISTRIBUTIONS = {"unif": 2, "triang": 3, "norm": 2, "truncnorm": 4, "lognorm": 2}
STATISTICS = ("mean", "median")
#: The index of the job at the nominal point (every parameter at its config value), run for the brief.
NOMINAL = -1
MAX_SAMPLES = 2**16


@dataclass
class SobolParameter:
    """One uncertain parameter: a numeric config key and its distribution.

    ``relative``: the distribution is of a factor on the key's configured value (``bounds: [0.5, 1.5]``
    around today's crews), so that one list serves several cities. ``integer``: the value is rounded
    (crew counts). ``source``: a calibration line (``calibration A3``) or ``[L]`` (assumption).
    """

    key: str = MISSING  # dotted config key, e.g. buildings.heater_share_frac [-]
    dist: str = "unif"  # unif, triang, norm, truncnorm or lognorm (SALib) [-]
    bounds: list[float] = field(default_factory=list)  # distribution parameters, in the key's unit [key's unit]
    relative: bool = False  # bounds are factors on the configured value [-]
    integer: bool = False  # round each value to an integer [-]
    label: str = ""  # plain-language name in briefs (English; translated by the catalogs) [-]
    source: str = ""  # calibration line or [L] [-]


@dataclass
class SobolConfig:
    """A Sobol analysis: the parameter list, the base sample size and how each sample is summarized."""

    description: str = ""
    samples: int = 64  # N, base sample size of the Saltelli design (a power of 2) [-]
    second_order: bool = False  # also S2: N (2D + 2) jobs per scenario instead of N (D + 2) [-]
    nominal: bool = True  # also run every scenario at the nominal point (for the comparison brief) [-]
    statistic: str = "mean"  # statistic of each figure over a job's realizations: mean or median [-]
    resamples: int = 1000  # bootstrap resamples of the confidence intervals (SALib) [-]
    confidence: float = 0.95  # confidence level of the intervals [1]
    brief: bool = True  # render the comparison brief with its sensitivity section at the end [-]
    sample: int | None = None  # set by the sweeper for each job: row of the design (-1: nominal) [-]
    parameters: list[SobolParameter] = field(default_factory=list)


def _is_power_of_two(n: int) -> bool:
    return n > 0 and n & (n - 1) == 0


def validate_sobol_config(cfg: Any) -> None:
    """Check a ``sobol`` node (dataclass or DictConfig); raise :class:`ConfigError` naming the key.

    Examples
    --------
    >>> validate_sobol_config(SobolConfig(samples=48, parameters=[SobolParameter("a.b", bounds=[0, 1])]))
    Traceback (most recent call last):
    ...
    sim.errors.ConfigError: sobol.samples=48: must be a power of 2 (2, 4, ..., 65536): Sobol' sequences are balanced only then
    """
    n = int(cfg.samples)
    if not _is_power_of_two(n) or not 2 <= n <= MAX_SAMPLES:
        raise ConfigError(f"sobol.samples={n}: must be a power of 2 (2, 4, ..., {MAX_SAMPLES}): Sobol' sequences "
                          "are balanced only then")
    if str(cfg.statistic) not in STATISTICS:
        raise ConfigError(f"sobol.statistic={cfg.statistic}: must be one of: {', '.join(STATISTICS)}")
    if not 10 <= int(cfg.resamples) <= 100_000:
        raise ConfigError(f"sobol.resamples={cfg.resamples}: must be between 10 and 100000")
    if not 0.5 <= float(cfg.confidence) < 1.0:
        raise ConfigError(f"sobol.confidence={cfg.confidence}: must be within [0.5, 1)")
    params = list(cfg.parameters)
    if not params:
        raise ConfigError("sobol.parameters: the list is empty; choose a list (sobol=default) or give parameters")
    seen: set[str] = set()
    for i, p in enumerate(params):
        where = f"sobol.parameters[{i}]"
        key = str(p.key)
        if not key or key.startswith(("sobol", "hydra", "seed", "experiment")):
            raise ConfigError(f"{where}.key={key}: not a model parameter")
        if key in seen:
            raise ConfigError(f"{where}.key={key}: listed twice")
        seen.add(key)
        dist = str(p.dist)
        if dist not in DISTRIBUTIONS:
            raise ConfigError(f"{where}.dist={dist}: must be one of: {', '.join(DISTRIBUTIONS)}")
        b = [float(x) for x in p.bounds]
        if len(b) != DISTRIBUTIONS[dist] or not all(math.isfinite(x) for x in b):
            raise ConfigError(f"{where}.bounds={b}: {dist} needs {DISTRIBUTIONS[dist]} finite numbers")
        if dist in ("unif", "triang", "truncnorm") and not b[0] < b[1]:
            raise ConfigError(f"{where}.bounds={b}: the lower bound must be below the upper bound")
        if dist == "triang" and not 0.0 <= b[2] <= 1.0:
            raise ConfigError(f"{where}.bounds={b}: the peak of triang is a share of the range, in [0, 1]")
        if dist in ("norm", "lognorm") and not b[1] > 0:
            raise ConfigError(f"{where}.bounds={b}: the standard deviation must be > 0")
        if dist == "truncnorm" and not b[3] > 0:
            raise ConfigError(f"{where}.bounds={b}: the standard deviation must be > 0")
        if not str(p.source).strip():
            raise ConfigError(f"{where}.source: give the calibration line or [L] for an assumption ({key})")
