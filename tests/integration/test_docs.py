"""The documentation site builds with --strict, and the generated pages are true to the code."""

from __future__ import annotations

import os
import re
import subprocess
import sys

import pytest

from tests.conftest import ROOT, compose_config

DOCS = ROOT / "docs"
SCRIPT = DOCS / "scripts" / "make_parameter_table.py"

#: Dimension abbreviations of the variable tables in docs/outputs.md.
DIM_ABBREV = {
    "R": "realization", "T": "time", "group": "group", "K": "threshold", "D": "district", "A": "archetype",
    "G": "age_group", "B": "duration_bin", "N": "day", "C": "cause", "Z": "generator_class",
}


def test_mkdocs_build_strict(tmp_path):
    """No broken links or anchors, every page in nav, no warnings (mkdocs.yml sets strict validation)."""
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    r = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "-d", str(tmp_path / "site")],
        cwd=ROOT, capture_output=True, text=True, env=env, timeout=300,
    )
    assert r.returncode == 0, r.stdout + r.stderr
    for page in ("index", "user-guide", "outputs", "model", "model-card", "parameters", "decisions"):
        assert (tmp_path / "site" / f"{page}.html").exists(), page
    assert not (tmp_path / "site" / "scripts").exists(), "docs/scripts/ must not be published"


def test_parameter_table_is_up_to_date(tmp_path):
    """docs/parameters.md is what docs/scripts/make_parameter_table.py generates from configs/ and sim/config/."""
    out = tmp_path / "parameters.md"
    r = subprocess.run([sys.executable, str(SCRIPT), "-o", str(out)], cwd=ROOT, capture_output=True, text=True)
    assert r.returncode == 0, r.stdout + r.stderr
    committed = (DOCS / "parameters.md").read_text(encoding="utf-8")
    assert out.read_text(encoding="utf-8") == committed, (
        "docs/parameters.md is out of date; regenerate it with "
        "`.venv/bin/python docs/scripts/make_parameter_table.py`"
    )


def test_parameter_table_covers_every_schema_key():
    """Every scalar key of every group schema appears in docs/parameters.md."""
    import dataclasses

    from sim.config import schema

    text = (DOCS / "parameters.md").read_text(encoding="utf-8")
    top = schema.ColdgridConfig()
    for f in dataclasses.fields(top):
        value = getattr(top, f.name)
        if not dataclasses.is_dataclass(value):
            assert f"| `{f.name}` |" in text, f.name
            continue
        for g in dataclasses.fields(value):
            if g.name in ("description", "districts", "grid"):
                continue
            assert f"`{f.name}.{g.name}" in text, f"{f.name}.{g.name}"


def _documented_variables() -> dict[str, tuple[set[str], str]]:
    """name -> (dims, units) from the coordinate and variable tables of docs/outputs.md."""
    text = (DOCS / "outputs.md").read_text(encoding="utf-8")
    section = text.split("## `result.nc`", 1)[1].split("### Global attributes", 1)[0]
    out: dict[str, tuple[set[str], str]] = {}
    for line in section.splitlines():
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if len(cells) < 4 or not cells[0].startswith("`"):
            continue
        names = re.findall(r"`([a-z0-9_]+)`", cells[0])
        if "," in cells[1] or cells[1] in DIM_ABBREV or cells[1] == "(scalar)":  # variable table
            dims = set() if cells[1] == "(scalar)" else {DIM_ABBREV[d.strip()] for d in cells[1].split(",")}
        else:  # coordinate table: the dim column holds the dimension's name
            dims = {cells[1]}
        for name in names:
            out[name] = (dims, cells[2])
    return out


def _documented_attributes() -> tuple[set[str], set[str]]:
    """Global attributes in docs/outputs.md: (all, those written by the CLI rather than the chain)."""
    text = (DOCS / "outputs.md").read_text(encoding="utf-8")
    section = text.split("### Global attributes", 1)[1].split("\n## ", 1)[0]
    names: set[str] = set()
    cli_only: set[str] = set()
    for line in section.splitlines():
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if len(cells) < 2 or not cells[0].startswith("`"):
            continue
        found = set(re.findall(r"`([A-Za-z_]+)`", cells[0]))
        names |= found
        if "written by the CLI" in cells[1]:
            cli_only |= found
    return names, cli_only


@pytest.fixture(scope="module")
def small_result():
    from sim.chain import run_scenario

    # with trajectories, so that the optional per-group variable is checked too
    return run_scenario(
        compose_config(["city=small_town", "realizations=2", "horizon_days=2", "buildings.trajectories=true"])
    )


def test_outputs_page_lists_every_global_attribute(small_result):
    names, cli_only = _documented_attributes()
    attrs = set(small_result.attrs)
    assert not attrs - names, f"global attributes not documented in docs/outputs.md: {sorted(attrs - names)}"
    assert not names - cli_only - attrs, f"documented but not in result.nc: {sorted(names - cli_only - attrs)}"


def test_outputs_page_lists_every_variable_of_result_nc(small_result):
    """docs/outputs.md documents every variable and coordinate of a real run, with its dims and units."""
    ds = small_result
    documented = _documented_variables()
    missing = sorted(set(ds.variables) - set(documented))
    assert not missing, f"variables of result.nc not documented in docs/outputs.md: {missing}"
    stale = sorted(set(documented) - set(ds.variables))
    assert not stale, f"docs/outputs.md documents variables that result.nc does not have: {stale}"
    for name, (dims, units) in documented.items():
        var = ds[name]
        assert set(var.dims) == dims, f"{name}: dims {var.dims} in result.nc, {sorted(dims)} in docs"
        assert str(var.attrs.get("units", "")) == units, (
            f"{name}: units {var.attrs.get('units')!r} in result.nc, {units!r} in docs"
        )


@pytest.mark.parametrize("page", ["user-guide.md", "outputs.md", "model.md", "model-card.md", "decisions.md"])
def test_pages_name_no_coordinates(page):
    """Data responsibility: the hand-written pages carry no latitude/longitude pairs."""
    text = (DOCS / page).read_text(encoding="utf-8")
    assert not re.search(r"\b\d{1,2}\.\d{3,}\s*°?\s*[NS]?,\s*\d{1,3}\.\d{3,}", text)


def _section(page: str, start: str, end: str = "\n## ") -> str:
    text = (DOCS / page).read_text(encoding="utf-8")
    return text.split(start, 1)[1].split(end, 1)[0]


def _first_cells(section: str) -> list[str]:
    return [line.strip().strip("|").split("|")[0] for line in section.splitlines() if line.startswith("| `")]


def test_every_experiment_preset_is_in_the_user_guide_and_on_the_sweeps_page():
    """The tables of presets name every file of configs/experiment/ (a new preset must be documented)."""
    from sim.resources import config_dir

    presets = {p.stem for p in (config_dir() / "experiment").glob("*.yaml")}
    guide = {c.strip().strip("`") for c in _first_cells(_section("user-guide.md", "### Experiments"))}
    sweeps = {c.strip().strip("`") for c in _first_cells(_section("sweeps.md", "## Experiment presets"))}
    assert presets <= guide, f"presets missing from docs/user-guide.md: {sorted(presets - guide)}"
    assert presets <= sweeps, f"presets missing from docs/sweeps.md: {sorted(presets - sweeps)}"


def test_every_config_group_is_in_the_user_guide():
    """The user guide's table of config groups names every group of the schema and every option folder."""
    import dataclasses

    from sim.config import schema
    from sim.resources import config_dir

    top = schema.ColdgridConfig()
    groups = {f.name for f in dataclasses.fields(top) if dataclasses.is_dataclass(getattr(top, f.name))}
    groups |= {p.name for p in config_dir().iterdir() if p.is_dir() and not p.name.startswith("_")}
    groups = (groups - {"hydra"}) | {"hydra/launcher"}
    documented = {c.strip().strip("`") for c in _first_cells(_section("user-guide.md", "### Config groups"))}
    assert groups <= documented, f"config groups missing from docs/user-guide.md: {sorted(groups - documented)}"


def test_every_notebook_is_named_in_the_user_guide_and_the_readme():
    names = sorted(p.name for p in (ROOT / "notebooks").glob("*.ipynb"))
    guide = (DOCS / "user-guide.md").read_text(encoding="utf-8")
    assert all(f"`{n}`" in guide for n in names), [n for n in names if f"`{n}`" not in guide]
    words = {1: "one", 2: "two", 3: "three", 4: "four", 5: "five", 6: "six", 7: "seven", 8: "eight"}
    assert f"holds {words.get(len(names), len(names))} exploration notebooks" in guide
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    topics = readme.split("`notebooks/` teaches the tool by using it (", 1)[1].split(")", 1)[0]
    assert len(topics.split(",")) == len(names), f"README names {topics!r} for {len(names)} notebooks"


def test_index_lists_every_page_of_the_nav():
    import yaml

    nav = yaml.safe_load((ROOT / "mkdocs.yml").read_text(encoding="utf-8"))["nav"]
    pages = {next(iter(item.values())) for item in nav} - {"index.md"}
    index = (DOCS / "index.md").read_text(encoding="utf-8")
    missing = sorted(p for p in pages if f"]({p})" not in index)
    assert not missing, f"pages of the nav missing from the table of docs/index.md: {missing}"


def test_outputs_page_lists_the_event_kinds_and_causes():
    from sim.des.timeline import CAUSES, EVENT_KINDS

    text = (DOCS / "outputs.md").read_text(encoding="utf-8")
    kinds = text.split("`kind` (", 1)[1].split("), `node`", 1)[0]
    documented = set(re.findall(r"`([a-z_]+)`", kinds))
    assert documented == set(EVENT_KINDS), (sorted(set(EVENT_KINDS) - documented), sorted(documented - set(EVENT_KINDS)))
    cause_row = next(line for line in text.splitlines() if line.startswith("| `cause` |"))
    assert set(re.findall(r"`([a-z_]+)`", cause_row.split("|")[4])) == set(CAUSES) - {"heated"}


def _documented_figures() -> tuple[list[str], set[str]]:
    """Figure keys (templates such as ``spell_<c>c_<age>_<h>h`` as regexes) and those marked lead."""
    names: list[str] = []
    lead: set[str] = set()
    for cell in _first_cells(_section("outputs.md", "## The figures of the brief")):
        full: list[str] = []
        first = ""
        for m in re.finditer(r"`([a-z0-9_<>]+)`( \(lead\))?", cell):
            name = m.group(1)
            if name.startswith("_"):
                name = first + name
            first = first or name
            full.append(name)
            if m.group(2):
                lead.add(name)
        if "(both lead)" in cell or "(all lead)" in cell:
            lead |= set(full)
        names += full
    return names, lead


def test_outputs_page_lists_every_figure_of_headline_csv_and_the_lead_ones(small_result):
    from sim.keyfigures import FIGURES
    from sim.report.exports import headline_frame

    names, lead = _documented_figures()
    patterns = [re.compile(re.sub(r"<[a-z]+>", r"[A-Za-z0-9]+", n) + r"\Z") for n in names]
    figures = set(headline_frame(small_result)["figure"])
    missing = sorted(f for f in figures if not any(p.match(f) for p in patterns))
    assert not missing, f"figures of headline.csv not documented in docs/outputs.md: {missing}"
    assert lead == {f.key for f in FIGURES if f.lead}, "the (lead) marks of docs/outputs.md differ from FIGURES"


@pytest.mark.slow  # a real run, brief and PDF included (~8 s)
def test_outputs_page_lists_every_file_of_a_run_folder(tmp_path):
    """Every file and folder a run writes is in the table "Run folder" of docs/outputs.md."""
    from tests.properties.test_fuzz_overrides import _cli_in_process

    run = tmp_path / "run"
    code, err = _cli_in_process(["city=small_town", "realizations=1", "horizon_days=1", "output.pdf=false",
                                 f"hydra.run.dir={run}"])
    assert code == 0, err
    documented: set[str] = set()
    for line in _section("outputs.md", "## Run folder", "## Sweep folder").splitlines():
        if line.startswith("| `"):
            documented |= {n.rstrip("/") for n in re.findall(r"`([^`]+)`", line)}
    written = {p.name for p in run.iterdir()}
    missing = sorted(written - documented)
    assert not missing, f"files of a run folder not documented in docs/outputs.md: {missing}"
