"""The exploration notebooks in notebooks/ run from top to bottom and are stored without outputs.

Each notebook is executed with nbclient in a fresh ``python3`` kernel. jupyter_client starts a kernelspec
whose command is ``python`` with the interpreter running the tests, so under ``.venv/bin/python -m pytest``
the notebooks run in the project's virtual environment (checked by :func:`test_kernel_is_this_interpreter`).
The working directory is a temporary folder, matplotlib uses the non-interactive Agg backend, and the
test checks that nothing was written into notebooks/.
"""

from __future__ import annotations

import os
import shutil
import sys
from pathlib import Path

import nbformat
import pytest
from nbclient import NotebookClient
from nbformat.v4 import new_code_cell, new_notebook

ROOT = Path(__file__).resolve().parents[2]
NOTEBOOK_DIR = ROOT / "notebooks"
NOTEBOOKS = sorted(NOTEBOOK_DIR.glob("*.ipynb"))
KERNEL = "python3"
CELL_TIMEOUT_S = 300  # per cell; each notebook takes well under a minute in total


def _execute(nb: nbformat.NotebookNode, cwd: Path) -> nbformat.NotebookNode:
    client = NotebookClient(
        nb, timeout=CELL_TIMEOUT_S, kernel_name=KERNEL, resources={"metadata": {"path": str(cwd)}}
    )
    return client.execute()


@pytest.fixture
def agg_backend(monkeypatch: pytest.MonkeyPatch) -> None:
    """The kernel inherits the environment: plots go to the non-interactive Agg backend."""
    monkeypatch.setenv("MPLBACKEND", "Agg")


def test_the_notebooks_are_there():
    names = [p.name for p in NOTEBOOKS]
    for expected in (
        "01-quickstart.ipynb",
        "02-building-cooling.ipynb",
        "03-pause-vs-continued.ipynb",
        "04-calibration.ipynb",
        "05-sensitivity.ipynb",
        "06-nowcast.ipynb",
    ):
        assert expected in names


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_notebook_is_stored_clean(path: Path):
    nb = nbformat.read(path, as_version=4)
    nbformat.validate(nb)
    assert nb.metadata.kernelspec.name == KERNEL, "kernel name must be python3 (the venv's kernel)"
    for i, cell in enumerate(nb.cells):
        if cell.cell_type != "code":
            continue
        assert cell.outputs == [], f"cell {i} has outputs: run nbstripout {path.relative_to(ROOT)}"
        assert cell.execution_count is None, f"cell {i} has an execution count: run nbstripout"


def test_kernel_is_this_interpreter(tmp_path: Path, agg_backend: None):
    nb = new_notebook(
        cells=[new_code_cell("import sys, matplotlib\nprint(sys.prefix)\nprint(matplotlib.get_backend())")]
    )
    out = _execute(nb, tmp_path).cells[0].outputs
    prefix, backend = "".join(o.get("text", "") for o in out).split()
    assert Path(prefix).resolve() == Path(sys.prefix).resolve()
    assert backend.lower() == "agg"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_notebook_runs(path: Path, tmp_path: Path, agg_backend: None):
    before = sorted(os.listdir(NOTEBOOK_DIR))
    work = tmp_path / "notebooks"
    work.mkdir()
    shutil.copy(path, work / path.name)
    nb = nbformat.read(work / path.name, as_version=4)
    _execute(nb, work)  # raises CellExecutionError naming the cell on any error
    assert sorted(os.listdir(NOTEBOOK_DIR)) == before, "a notebook wrote into notebooks/"
