"""What a run imports: a run with ``output.report=false`` (sweeps of many jobs, scripts) writes its result,
CSVs and console summary without importing the brief's stack (matplotlib, Jinja2, WeasyPrint), scipy.stats
or scipy.signal. Together they cost ~0.9 s of a small run's ~4.6 s start (measured in the session notes); an
eager import that comes back fails here, not in a timing."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

HEAVY = ("scipy.stats", "scipy.signal", "matplotlib", "jinja2", "weasyprint", "sim.report.brief",
         "sim.report.figures", "sim.report.content")


def test_a_run_without_a_brief_imports_no_brief_and_no_scipy_stats(tmp_path: Path):
    code = (
        "import sys\n"
        f"sys.argv = ['coldgrid', 'city=small_town', 'realizations=2', 'horizon_days=1', 'output.report=false',"
        f" 'output.progress=never', 'hydra.run.dir={tmp_path / 'run'}']\n"
        "from sim.cli import main\n"
        "main()\n"
        f"print('imported:', ','.join(m for m in {HEAVY!r} if m in sys.modules))\n"
    )
    r = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=tmp_path, timeout=600)
    assert r.returncode == 0, r.stderr
    assert (tmp_path / "run" / "result.nc").is_file() and (tmp_path / "run" / "summary.csv").is_file()
    assert r.stdout.splitlines()[-1] == "imported: ", r.stdout.splitlines()[-1]


def test_the_package_still_offers_its_public_names():
    import sim.report as report

    assert callable(report.render_run) and callable(report.render_comparison)
    assert callable(report.summary_frame) and callable(report.write_summary_csv)
    assert set(report.__all__) <= set(dir(report))
    try:
        report.no_such_name  # noqa: B018
    except AttributeError as e:
        assert "no_such_name" in str(e)
    else:  # pragma: no cover
        raise AssertionError("an unknown name must raise AttributeError")
