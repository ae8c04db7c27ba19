"""Schema of the ``output`` group: which files a run writes, in which languages, and how briefs summarize.

The summary settings (interval, reduction share, restoration share, number of districts ranked, Monte
Carlo tolerance, trigger grid) are read back from the run's resolved config (``result.nc`` attribute
``config``) by :mod:`sim.keyfigures`, so a brief re-rendered later states what the run was asked for.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from omegaconf import OmegaConf

from sim.errors import ConfigError

#: Languages a brief can be written in (gettext catalogs in ``sim/report/locale``).
LANGUAGES = ("en", "uk")
#: ``output.progress``: a progress bar on a terminal only, always, or never.
PROGRESS = ("auto", "always", "never")


@dataclass
class OutputConfig:
    """What a run writes besides ``result.nc``, and the summary settings of its brief."""

    summary_csv: bool = True  # write summary.csv (HXL-tagged); false only with report=false (the brief cites it) [-]
    report: bool = True  # render report.html and report.pdf [-]
    pdf: bool = True  # render the PDF as well as the HTML [-]
    events_csv: bool = True  # write the DES event log [-]
    progress: str = "auto"  # progress bar: auto (only on a terminal), always, never [-]
    # briefs: en -> report.html/.pdf; every other language -> report.<lang>.html/.pdf [-]
    languages: list[str] = field(default_factory=lambda: ["en"])
    interval_pct: float = 90.0  # central interval of every figure (90: p5-p95, reference/report.md) [%]
    reduction_frac: float = 0.25  # comparisons: probability of a cut of at least this share (report.md) [1]
    restored_frac: float = 0.1  # heat counts as restored when buildings without heat fall to this share of the peak [1]
    top_districts: int = 3  # district ranking: probability of being among this many hardest hit [-]
    mc_confidence: float = 0.95  # confidence of the order-statistic interval of each median [1]
    mc_rel_tolerance: float = 0.1  # enough realizations: that interval within this share of the median (the brief rounds to 2 significant digits) [1]
    trigger_forecast_min_c: list[float] = field(default_factory=lambda: [-10.0, -15.0, -20.0])  # candidate X [degC]
    trigger_blocks_frac: list[float] = field(default_factory=lambda: [0.02, 0.05, 0.1])  # candidate Y / blocks [1]
    trigger_sustained_h: float = 48.0  # blocks without heat for this long (IFRC EAP style trigger) [h]
    trigger_forecast_days: float = 5.0  # forecast window after the trigger time [d]
    trigger_min_probability: float = 0.5  # a trigger is usable when the need follows in at least this share [1]


def validate_output_config(cfg: Any) -> None:
    """Check an ``output`` group (dataclass or DictConfig); raise :class:`ConfigError` naming the key."""

    def fail(key: str, why: str) -> None:
        raise ConfigError(f"output.{key}: {why} (got {getattr(cfg, key)!r})")

    if not bool(cfg.summary_csv) and bool(cfg.report):
        # the brief writes summary.csv (every number it prints is there): the key would be silently ignored
        fail("summary_csv", "false needs output.report=false too: the brief cites its numbers from summary.csv")
    langs = [str(x) for x in cfg.languages]
    if not langs or any(lang not in LANGUAGES for lang in langs) or len(set(langs)) != len(langs):
        fail("languages", f"must list distinct languages among {', '.join(LANGUAGES)}")
    if str(getattr(cfg, "progress", "auto")) not in PROGRESS:
        fail("progress", f"must be one of {', '.join(PROGRESS)}")
    if not 0.0 < float(cfg.interval_pct) < 100.0:
        fail("interval_pct", "must be within (0, 100)")
    for key in ("reduction_frac", "restored_frac", "trigger_min_probability"):
        if not 0.0 <= float(getattr(cfg, key)) <= 1.0:
            fail(key, "must be within [0, 1]")
    if not 0.5 <= float(cfg.mc_confidence) < 1.0:
        fail("mc_confidence", "must be within [0.5, 1)")
    if not float(cfg.mc_rel_tolerance) > 0:
        fail("mc_rel_tolerance", "must be > 0")
    if not int(cfg.top_districts) >= 1:
        fail("top_districts", "must be >= 1")
    temps = [float(x) for x in cfg.trigger_forecast_min_c]
    if not temps or any(not math.isfinite(x) for x in temps):
        fail("trigger_forecast_min_c", "needs at least one finite temperature")
    fracs = [float(x) for x in cfg.trigger_blocks_frac]
    if not fracs or any(not 0.0 <= x <= 1.0 for x in fracs):
        fail("trigger_blocks_frac", "needs shares within [0, 1]")
    for key in ("trigger_sustained_h", "trigger_forecast_days"):
        if not float(getattr(cfg, key)) > 0:
            fail(key, "must be > 0")


def output_folder(cfg: Any, key: str = "hydra.run.dir") -> Path:
    """The absolute output folder ``key`` (``hydra.run.dir`` or ``hydra.sweep.dir``) of a composed config
    with its Hydra part; raise :class:`ConfigError` for an empty name (it would write into the current
    folder)."""
    raw = OmegaConf.select(cfg, key)
    if str(raw or "").strip() in ("", "."):
        raise ConfigError(f"{key}='{raw or ''}': an empty folder name would write into the current folder; "
                          "give a folder")
    return Path(str(raw)).expanduser().absolute()
