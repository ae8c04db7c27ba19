"""The exploration notebooks in notebooks/ run from top to bottom and are stored without outputs.

Each notebook is executed with nbclient in a fresh ``python3`` kernel. jupyter_client starts a kernelspec
whose command is ``python`` with the interpreter running the tests, so under ``.venv/bin/python -m pytest``
the notebooks run in the project's virtual environment (checked by :func:`test_kernel_is_this_interpreter`).
The working directory is a temporary folder, matplotlib uses the non-interactive Agg backend, and the
test checks that nothing was written into notebooks/.

The fast suite runs the larger notebooks smaller, in papermill's convention: the notebook's cell tagged
``parameters`` assigns its sizes, and the test's in-memory copy gets a cell after it that assigns the
sizes of :data:`FAST_SIZES` (the stored notebook stays as it is, without outputs). Every cell runs; the
notebooks at their own sizes are :func:`test_notebook_runs_at_full_size`, marked slow.
"""

from __future__ import annotations

import ast
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
#: The sizes the fast suite runs a notebook with (assigned after its ``parameters`` cell); each notebook
#: at its own sizes is a slow test. 03: 10 days keep days after the 7-day pause; 04: 20 realizations keep
#: several near the reported peak; 05: N = 2 stays (the smallest design), shorter and fewer runs.
FAST_SIZES: dict[str, dict[str, object]] = {
    "03-pause-vs-continued.ipynb": {"REALIZATIONS": 8, "HORIZON_DAYS": 10},
    "04-calibration.ipynb": {"N_REALIZATIONS": 20, "OTHER_SEEDS": [1], "RESTART_H": [0.75, 2.25],
                             "REPAIR_MULT": [0.5, 1.5]},
    "05-sensitivity.ipynb": {"SAMPLES": 2, "REALIZATIONS": 2, "HORIZON_DAYS": 2},
    "06-nowcast.ipynb": {"REALIZATIONS": 12},
}
#: Notebooks run by a module of their own (tests/integration/test_notebook_sweep.py), so that ``--dist
#: loadfile`` can run them on another worker than the others (05 runs a Sobol sweep of 22 jobs).
OWN_MODULE = ("05-sensitivity.ipynb",)


def _execute(nb: nbformat.NotebookNode, cwd: Path) -> nbformat.NotebookNode:
    client = NotebookClient(
        nb, timeout=CELL_TIMEOUT_S, kernel_name=KERNEL, resources={"metadata": {"path": str(cwd)}}
    )
    return client.execute()


def _parameters_cell(nb: nbformat.NotebookNode) -> int:
    """The index of the notebook's one cell tagged ``parameters``."""
    tagged = [i for i, c in enumerate(nb.cells) if "parameters" in c.metadata.get("tags", [])]
    assert len(tagged) == 1, f"{len(tagged)} cells tagged parameters"
    return tagged[0]


def _with_sizes(nb: nbformat.NotebookNode, sizes: dict[str, object]) -> nbformat.NotebookNode:
    """The notebook with a cell assigning ``sizes`` after its ``parameters`` cell (papermill's convention)."""
    cell = new_code_cell("\n".join(f"{name} = {value!r}" for name, value in sizes.items()))
    cell.metadata["tags"] = ["injected-parameters"]
    nb.cells.insert(_parameters_cell(nb) + 1, cell)
    return nb


def _run_copy(path: Path, tmp_path: Path, sizes: dict[str, object] | None) -> None:
    before = sorted(os.listdir(NOTEBOOK_DIR))
    work = tmp_path / "notebooks"
    work.mkdir()
    shutil.copy(path, work / path.name)
    nb = nbformat.read(work / path.name, as_version=4)
    if sizes:
        nb = _with_sizes(nb, sizes)
    _execute(nb, work)  # raises CellExecutionError naming the cell on any error
    assert sorted(os.listdir(NOTEBOOK_DIR)) == before, "a notebook wrote into notebooks/"


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


@pytest.mark.parametrize("name", sorted(FAST_SIZES))
def test_the_fast_sizes_replace_sizes_of_the_parameters_cell(name: str):
    """Each size the fast suite sets is one the notebook's ``parameters`` cell assigns (not a name it no
    longer uses), and the fast sizes differ from the notebook's own."""
    nb = nbformat.read(NOTEBOOK_DIR / name, as_version=4)
    tree = ast.parse(nb.cells[_parameters_cell(nb)].source)
    assigned = {t.id: ast.literal_eval(node.value) for node in tree.body if isinstance(node, ast.Assign)
                for t in node.targets if isinstance(t, ast.Name)}
    assert set(FAST_SIZES[name]) <= set(assigned), set(FAST_SIZES[name]) - set(assigned)
    assert any(assigned[k] != v for k, v in FAST_SIZES[name].items())
    used = "\n".join(c.source for i, c in enumerate(nb.cells) if c.cell_type == "code" and i != _parameters_cell(nb))
    for key in assigned:
        assert key in used, f"{key} is assigned in the parameters cell and never used"


@pytest.mark.parametrize("path", [p for p in NOTEBOOKS if p.name not in OWN_MODULE], ids=lambda p: p.name)
def test_notebook_runs(path: Path, tmp_path: Path, agg_backend: None):
    """Every cell of every notebook runs, the larger ones at :data:`FAST_SIZES`."""
    _run_copy(path, tmp_path, FAST_SIZES.get(path.name))


@pytest.mark.slow
@pytest.mark.parametrize("path", [NOTEBOOK_DIR / n for n in sorted(FAST_SIZES) if n not in OWN_MODULE],
                         ids=lambda p: p.name)
def test_notebook_runs_at_full_size(path: Path, tmp_path: Path, agg_backend: None):
    """The notebooks the fast suite runs smaller, at their own sizes (as a reader runs them)."""
    _run_copy(path, tmp_path, None)
