"""Write docs/parameters.md: every default parameter of coldgrid with its value, unit and source.

Reads the Hydra configs in ``configs/`` (the default option of each group, as chosen by the ``defaults``
list of ``configs/config.yaml``, plus the other options of each group) and the dataclass schemas in
``sim/config/*.py`` (for keys the YAML files do not set), and the grid defaults of
``sim/network/params.py`` (``GRID_DEFAULTS``, the free ``city.grid`` dict).

Per key:

* value: from the default option's YAML if set there, else the schema default;
* unit: the ``[unit]`` bracket of the YAML comment or of the schema comment, else the key's suffix
  (``_c`` degC, ``_h`` h, ``_days`` d, ``_kw`` kW, ``_frac`` 1, ...);
* confidence: the calibration tags ``[H]``, ``[M]``, ``[L]`` found in those comments;
* source: the YAML comment if there is one, else the schema comment (units and tags removed).

Usage::

    .venv/bin/python docs/scripts/make_parameter_table.py            # writes docs/parameters.md
    .venv/bin/python docs/scripts/make_parameter_table.py -o OUT.md  # writes elsewhere (tests)

The output is deterministic (no dates), so ``tests/integration/test_docs.py`` can check that the committed
table is up to date.
"""

from __future__ import annotations

import argparse
import ast
import dataclasses
import io
import re
import sys
import tokenize
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import yaml

ROOT = Path(__file__).resolve().parents[2]
CONFIGS = ROOT / "configs"
OUTPUT = ROOT / "docs" / "parameters.md"

#: Config groups in the order of the table, with their schema module and class.
GROUPS: list[tuple[str, str, str]] = [
    ("city", "sim/config/city.py", "CityConfig"),
    ("weather", "sim/config/weather.py", "WeatherConfig"),
    ("attacks", "sim/config/attacks.py", "AttacksConfig"),
    ("repair", "sim/config/repair.py", "RepairConfig"),
    ("buildings", "sim/config/buildings.py", "BuildingsConfig"),
    ("people", "sim/config/people.py", "PeopleConfig"),
    ("nowcast", "sim/config/nowcast.py", "NowcastConfig"),
]
TOP_SCHEMA = ("sim/config/schema.py", "ColdgridConfig")
OUTPUT_SCHEMA = ("sim/config/output.py", "OutputConfig")
GRID_SOURCE = "sim/network/params.py"

#: Key suffix -> unit, longest suffix first (the project's naming habit, reference/style.md).
SUFFIX_UNITS: list[tuple[str, str]] = [
    ("_c_per_day", "degC/d"),
    ("_w_per_k_m2", "W/(m2 K)"),
    ("_w_per_m2", "W/m2"),
    ("_l_per_kwh", "L/kWh"),
    ("_kw_per_person", "kW"),
    ("_kw_per_point", "kW"),
    ("_w_per_k", "W/K"),
    ("_j_per_k", "J/K"),
    ("_per_day", "1/d"),
    ("_minutes", "min"),
    ("_days", "d"),
    ("_day", "d"),
    ("_frac", "1"),
    ("_prob", "1"),
    ("_kw", "kW"),
    ("_mw", "MW"),
    ("_kv", "kV"),
    ("_m2", "m2"),
    ("_c", "degC"),
    ("_k", "K"),
    ("_h", "h"),
    ("_w", "W"),
]
CONFIDENCE_START = re.compile(r"^([HML](?:/[HML])*)(?![\w/])")
BRACKET = re.compile(r"\[([^\[\]]+)\]")


# ----------------------------------------------------------------------------------------------- comments
def _unit_token(token: str) -> bool:
    """A bracket that holds a unit, e.g. ``degC``, ``W/m2``, ``1``, ``-``, ``crews`` (not a range or list)."""
    return bool(re.fullmatch(r"[\w/ ().\-^%+]{1,24}", token)) and not re.search(r"\d\s*-\s*\d|,|:", token)


def _split_comment(comment: str) -> tuple[str, list[str], list[str]]:
    """A comment -> (text without unit brackets and bare tags, units found, confidence tags found).

    ``[H]``, ``[M]``, ``[L]``, ``[H/M]`` are confidence tags of the calibration sheet; a bracket that starts
    with a tag and adds a note (``[M, conflicting]``, ``[L: duration]``) gives the tag and stays in the text.
    """
    units: list[str] = []
    tags: list[str] = []

    def repl(m: re.Match) -> str:
        token = m.group(1).strip()
        tag = CONFIDENCE_START.match(token)
        if tag:
            tags.append(tag.group(1))
            return "" if tag.group(0) == token else m.group(0)
        if _unit_token(token):
            units.append(token)
            return ""
        return m.group(0)

    text = BRACKET.sub(repl, comment)
    text = re.sub(r"\s+", " ", text)
    text = re.sub(r"\(\s*\)", "", text)
    text = re.sub(r"\s+([,;:.])", r"\1", text)
    text = re.sub(r"([,;:])(?=[,;:.]|$)", "", text.strip())
    return text.strip(), units, tags


def _comments_by_line(source: str) -> dict[int, str]:
    """Line number -> comment text (without '#') for every comment token of a Python source."""
    out: dict[int, str] = {}
    for tok in tokenize.generate_tokens(io.StringIO(source).readline):
        if tok.type == tokenize.COMMENT:
            out[tok.start[0]] = tok.string.lstrip("#").strip()
    return out


def _comment_only_lines(source: str) -> set[int]:
    return {i for i, line in enumerate(source.splitlines(), 1) if line.strip().startswith("#")}


@dataclasses.dataclass
class SchemaField:
    """A field of a dataclass schema: its default and the comment that documents it."""

    name: str
    default: Any
    comment: str


def _block_comments(comments: dict[int, str], comment_lines: set[int], first_line: int) -> list[str]:
    """The contiguous comment-only lines right above ``first_line``, top to bottom."""
    block = []
    line = first_line - 1
    while line in comment_lines:
        block.append(comments[line])
        line -= 1
    return [c for c in reversed(block) if not re.match(r"^-+\s.*\s-+$", c)]


def schema_fields(module_path: str, class_name: str, instance: Any) -> list[SchemaField]:
    """Fields of ``class_name`` in ``module_path`` with defaults (from ``instance``) and comments.

    A field's comment is its inline comment (possibly on a continuation line of a parenthesized default);
    fields without one take the comment block right above them, and fields that follow such a field with no
    blank line and no comment of their own share that block (e.g. the three ``spell_*_days`` keys).
    """
    source = (ROOT / module_path).read_text(encoding="utf-8")
    comments = _comments_by_line(source)
    comment_lines = _comment_only_lines(source)
    lines = source.splitlines()
    tree = ast.parse(source)
    cls = next(n for n in tree.body if isinstance(n, ast.ClassDef) and n.name == class_name)
    out: list[SchemaField] = []
    shared: list[str] = []
    prev_end = None
    for node in cls.body:
        if not isinstance(node, ast.AnnAssign) or not isinstance(node.target, ast.Name):
            continue
        name = node.target.id
        inline = [comments[i] for i in range(node.lineno, node.end_lineno + 1)
                  if i in comments and i not in comment_lines]
        block = _block_comments(comments, comment_lines, node.lineno)
        adjacent = prev_end is not None and node.lineno == prev_end + 1
        if block:
            shared = block
        elif not adjacent or (prev_end is not None and not lines[prev_end].strip()):
            shared = []
        text = " ".join(inline) if inline else " ".join(shared)
        out.append(SchemaField(name, getattr(instance, name), text))
        prev_end = node.end_lineno
    return out


def factory_comments(module_path: str, func_name: str) -> tuple[str, dict[str, str]]:
    """Comments of a ``default_factory`` function returning a dict literal.

    Returns the comment lines of the function body above the dict (for every key) and the inline comment
    of each top-level key of the returned dict.
    """
    source = (ROOT / module_path).read_text(encoding="utf-8")
    comments = _comments_by_line(source)
    tree = ast.parse(source)
    fn = next(n for n in tree.body if isinstance(n, ast.FunctionDef) and n.name == func_name)
    ret = next(n for n in ast.walk(fn) if isinstance(n, ast.Return))
    general = [comments[i] for i in range(fn.lineno, ret.lineno) if i in comments]
    per_key: dict[str, str] = {}
    if isinstance(ret.value, ast.Dict):
        for k, v in zip(ret.value.keys, ret.value.values, strict=True):
            if isinstance(k, ast.Constant):
                lines = range(k.lineno, v.end_lineno + 1)
                per_key[str(k.value)] = " ".join(comments[i] for i in lines if i in comments)
        # an inline comment after the closing brace of a one-line dict applies to all keys
        tail = comments.get(ret.value.end_lineno, "")
        if tail and ret.value.lineno == ret.value.end_lineno:
            general.append(tail)
            per_key = {}
    return " ".join(general), per_key


def grid_defaults() -> tuple[dict[str, Any], dict[str, str]]:
    """``GRID_DEFAULTS`` of sim/network/params.py and the inline comment of each key."""
    source = (ROOT / GRID_SOURCE).read_text(encoding="utf-8")
    comments = _comments_by_line(source)
    tree = ast.parse(source)
    for node in tree.body:
        target = node.target if isinstance(node, ast.AnnAssign) else None
        if isinstance(target, ast.Name) and target.id == "GRID_DEFAULTS" and isinstance(node.value, ast.Dict):
            values = ast.literal_eval(node.value)
            notes = {str(k.value): comments.get(k.lineno, "") for k in node.value.keys
                     if isinstance(k, ast.Constant)}
            return values, notes
    raise RuntimeError("GRID_DEFAULTS not found in sim/network/params.py")


# ---------------------------------------------------------------------------------------------------- YAML
def yaml_comments(path: Path) -> dict[str, str]:
    """Dotted key -> inline comment of a YAML file (block-style mappings).

    Multi-line comments are joined: a comment-only line indented deeper than the key above continues that
    key's comment (``min_temperature_c`` in configs/weather/cold_snap.yaml); an inline comment that is left
    open (unbalanced parenthesis, or ending on "the", "of", ...) continues on the next line's inline comment,
    and a comment already joined continues on a next comment that starts with a tag such as ``[L]``
    (``apartment_stock`` in configs/city/kyiv.yaml). Every key of a joined comment gets the whole comment.
    """
    found: list[tuple[int, str, str]] = []  # (line number, key, inline comment)
    extra: dict[str, str] = {}
    stack: list[tuple[int, str]] = []
    last_key: str | None = None
    last_indent = -1
    for no, raw in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        stripped = raw.strip()
        if not stripped:
            last_key = None
            continue
        indent = len(raw) - len(raw.lstrip(" "))
        if stripped.startswith("#"):
            if last_key is not None and indent > last_indent:
                extra[last_key] = (extra.get(last_key, "") + " " + stripped.lstrip("#").strip()).strip()
            continue
        m = re.match(r"^(\s*)(?:- )?([A-Za-z_][\w-]*)\s*:(.*)$", raw)
        if not m or raw.lstrip().startswith("- {"):
            last_key = None
            continue
        while stack and stack[-1][0] >= indent:
            stack.pop()
        key = ".".join([k for _, k in stack] + [m.group(2)])
        comment = _inline_comment(m.group(3))
        if comment:
            found.append((no, key, comment))
        stack.append((indent, m.group(2)))
        last_key, last_indent = key, indent

    out: dict[str, str] = {}
    i = 0
    while i < len(found):
        no, key, text = found[i]
        keys = [key]
        j = i + 1
        while j < len(found) and found[j][0] == found[j - 1][0] + 1 and (
            _open(text) or (len(keys) > 1 and found[j][2].startswith("["))
        ):
            text = f"{text} {found[j][2]}"
            keys.append(found[j][1])
            j += 1
        for k in keys:
            out[k] = text
        i = j
    for k, more in extra.items():
        out[k] = f"{out.get(k, '')} {more}".strip()
    return out


_OPEN_WORDS = ("the", "of", "a", "an", "and", "or", "to", "with", "is", "in", "for", "by")


def _open(comment: str) -> bool:
    """A comment that continues on the next line: unbalanced '(' or a trailing function word."""
    if comment.count("(") > comment.count(")"):
        return True
    words = comment.rstrip().split()
    return bool(words) and words[-1].lower() in _OPEN_WORDS


def _inline_comment(rest: str) -> str:
    """The comment after a YAML value (a '#' preceded by whitespace, outside quotes)."""
    quote = None
    for i, ch in enumerate(rest):
        if quote:
            if ch == quote:
                quote = None
        elif ch in "'\"":
            quote = ch
        elif ch == "#" and (i == 0 or rest[i - 1].isspace()):
            return rest[i + 1 :].strip()
    return ""


def load_yaml(path: Path) -> dict:
    return yaml.safe_load(path.read_text(encoding="utf-8")) or {}


def default_options() -> dict[str, str]:
    """Group -> default option, from the ``defaults`` list of configs/config.yaml."""
    out = {}
    for item in load_yaml(CONFIGS / "config.yaml").get("defaults", []):
        if isinstance(item, dict):
            for k, v in item.items():
                if v is not None and not str(k).startswith("optional"):
                    out[str(k)] = str(v)
    return out


# -------------------------------------------------------------------------------------------- formatting
@dataclasses.dataclass
class Row:
    key: str
    value: Any
    unit: str
    confidence: str
    source: str
    where: str


def unit_of(key: str, *comments: str) -> str:
    """The unit of a key: the one unit bracket of its comment, else its suffix, else "".

    A comment with several different unit brackets (a block shared by several keys, e.g. ``[degC], [1]``)
    is ambiguous and ignored.
    """
    for c in comments:
        units = set(_split_comment(c)[1])
        if len(units) == 1:
            return units.pop()
    leaf = key.rsplit(".", 1)[-1]
    for suffix, unit in SUFFIX_UNITS:
        if leaf.endswith(suffix):
            return unit
    return ""


#: Keys that name the chosen option of a group, not a parameter with a source.
SELECTORS = {"city.name": "city", "weather.kind": "weather", "attacks.policy": "attacks", "experiment": "experiment"}


def make_row(key: str, value: Any, where: str, yaml_comment: str = "", schema_comment: str = "") -> Row:
    y_text, _, y_tags = _split_comment(yaml_comment)
    s_text, _, s_tags = _split_comment(schema_comment)
    tags = y_tags or s_tags
    source = y_text or s_text
    if not source and key in SELECTORS:
        source = f"names the chosen option (set by {SELECTORS[key]}=...)"
    return Row(key, value, unit_of(key, yaml_comment, schema_comment), ", ".join(dict.fromkeys(tags)),
               source, where)


def fmt_value(value: Any) -> str:
    if value is None:
        return "`null`"
    if isinstance(value, bool):
        return f"`{str(value).lower()}`"
    if isinstance(value, float):
        return f"`{value:g}`" if abs(value) < 1e6 else f"`{value:.0f}`"
    if isinstance(value, int):
        return f"`{value}`"
    if isinstance(value, list):
        return "`[" + ", ".join(fmt_value(v).strip("`") for v in value) + "]`"
    if value == "":
        return '`""`'
    return f"`{value}`"


def md(text: str) -> str:
    """Escape text for a Markdown table cell."""
    text = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    text = text.replace("|", "\\|").replace("*", "\\*").replace("_", "\\_")
    return text


def plausible(key: str) -> str:
    """The plausible range of a key (``PLAUSIBLE`` of its group's schema module), e.g. ``10..30``; "" if none."""
    sys.path.insert(0, str(ROOT))
    try:
        from sim.config.validate import plausible_range
    finally:
        sys.path.pop(0)
    b = plausible_range(key)
    return "" if b is None else f"{b.lo:g}..{b.hi:g}"


def table(rows: Iterable[Row]) -> list[str]:
    out = ["| key | default | unit | plausible | conf. | source or note | set in |",
           "|---|---|---|---|---|---|---|"]
    for r in rows:
        out.append(f"| `{r.key}` | {fmt_value(r.value)} | {md(r.unit)} | {plausible(r.key)} | {r.confidence} | "
                   f"{md(r.source) or '*no source stated*'} | `{r.where}` |")
    return out


# ------------------------------------------------------------------------------------------------- groups
def _instance(module_path: str, class_name: str) -> Any:
    sys.path.insert(0, str(ROOT))
    try:
        mod = __import__(module_path[:-3].replace("/", "."), fromlist=[class_name])
    finally:
        sys.path.pop(0)
    return getattr(mod, class_name)()


def group_rows(group: str, module_path: str, class_name: str, option: str) -> tuple[list[Row], dict]:
    """Rows of one group (default option) and the complex values rendered as their own tables."""
    yaml_path = CONFIGS / group / f"{option}.yaml"
    values = load_yaml(yaml_path)
    notes = yaml_comments(yaml_path)
    rel_yaml = f"configs/{group}/{option}.yaml"
    instance = _instance(module_path, class_name)
    rows: list[Row] = []
    extra: dict[str, Any] = {}
    for f in schema_fields(module_path, class_name, instance):
        if f.name == "description":
            continue
        in_yaml = f.name in values
        value = values[f.name] if in_yaml else f.default
        where = rel_yaml if in_yaml else module_path
        if f.name == "grid":
            extra["grid"] = (values.get("grid") or {}, notes)
            continue
        if f.name == "districts":
            extra["districts"] = value
            continue
        if isinstance(value, dict):
            func = _factory_name(module_path, class_name, f.name)
            general, per_key = factory_comments(module_path, func) if func and not in_yaml else ("", {})
            for k, v in value.items():
                if isinstance(v, dict):
                    for k2, v2 in v.items():
                        key = f"{group}.{f.name}.{k}.{k2}"
                        rows.append(make_row(key, v2, where, notes.get(f"{f.name}.{k}.{k2}", ""),
                                             "; ".join(x for x in (f.comment, general, per_key.get(k, "")) if x)))
                else:
                    key = f"{group}.{f.name}.{k}"
                    y = notes.get(f"{f.name}.{k}", "") or (notes.get(f.name, "") if in_yaml else "")
                    rows.append(make_row(key, v, where, y,
                                         "; ".join(x for x in (f.comment, general, per_key.get(k, "")) if x)))
            continue
        rows.append(make_row(f"{group}.{f.name}", value, where, notes.get(f.name, "") if in_yaml else "",
                             f.comment))
    return rows, extra


def _factory_name(module_path: str, class_name: str, field_name: str) -> str | None:
    tree = ast.parse((ROOT / module_path).read_text(encoding="utf-8"))
    cls = next(n for n in tree.body if isinstance(n, ast.ClassDef) and n.name == class_name)
    for node in cls.body:
        if isinstance(node, ast.AnnAssign) and isinstance(node.target, ast.Name) and node.target.id == field_name:
            call = node.value
            if isinstance(call, ast.Call):
                for kw in call.keywords:
                    if kw.arg == "default_factory" and isinstance(kw.value, ast.Name):
                        return kw.value.id
    return None


def grid_rows(option: str, grid_yaml: dict, notes: dict[str, str]) -> tuple[list[Row], list]:
    defaults, code_notes = grid_defaults()
    rows = []
    for key, default in defaults.items():
        if key == "heat_sources":
            continue
        in_yaml = key in grid_yaml
        rows.append(make_row(f"city.grid.{key}", grid_yaml[key] if in_yaml else default,
                             f"configs/city/{option}.yaml" if in_yaml else GRID_SOURCE,
                             notes.get(f"grid.{key}", "") if in_yaml else "", code_notes.get(key, "")))
    return rows, grid_yaml.get("heat_sources", defaults["heat_sources"])


def top_rows() -> list[Row]:
    values = load_yaml(CONFIGS / "config.yaml")
    notes = yaml_comments(CONFIGS / "config.yaml")
    instance = _instance(*TOP_SCHEMA)
    rows = []
    for f in schema_fields(*TOP_SCHEMA, instance):
        if dataclasses.is_dataclass(f.default):
            continue
        in_yaml = f.name in values
        rows.append(make_row(f.name, values[f.name] if in_yaml else f.default,
                             "configs/config.yaml" if in_yaml else TOP_SCHEMA[0],
                             notes.get(f.name, "") if in_yaml else "", f.comment))
    return rows


def output_rows() -> list[Row]:
    instance = _instance(*OUTPUT_SCHEMA)
    return [make_row(f"output.{f.name}", f.default, OUTPUT_SCHEMA[0], "", f.comment)
            for f in schema_fields(*OUTPUT_SCHEMA, instance)]


def option_lines(group: str, default: str, defaults: dict[str, Any]) -> list[str]:
    """One bullet per other option of a group: its description and what it sets differently.

    ``defaults`` are the effective values of the default option (YAML or schema), by key without group.
    """
    out = []
    for path in sorted((CONFIGS / group).glob("*.yaml")):
        if path.stem == default:
            continue
        values = load_yaml(path)
        desc = str(values.pop("description", "")).strip()
        scalars, structures = [], []
        for k, v in values.items():
            if k in defaults and defaults[k] == v:
                continue
            if isinstance(v, dict | list):
                structures.append(f"`{group}.{k}`")
            else:
                scalars.append(f"`{group}.{k}={fmt_value(v).strip('`')}`")
        line = f"- `{group}={path.stem}`"
        if desc:
            line += ": " + md(desc) + ("" if desc.endswith(".") else ".")
        if scalars:
            line += " Sets " + ", ".join(scalars) + "."
        if structures:
            line += " Own " + ", ".join(structures) + "."
        out.append(line)
    return out


GROUP_TITLES = {
    "city": "City (`city`)",
    "weather": "Weather (`weather`)",
    "attacks": "Attacks (`attacks`)",
    "repair": "Repair and heat-network restart (`repair`)",
    "buildings": "Buildings and heat inputs (`buildings`)",
    "people": "People, heating points and fuel (`people`)",
    "nowcast": "Nowcasting: reports and their error model (`nowcast`)",
}


def build() -> str:
    options = default_options()
    lines = [
        "# Parameters",
        "",
        "<!-- Generated by docs/scripts/make_parameter_table.py from configs/ and sim/config/; do not edit. -->",
        "",
        "Every default of a coldgrid run: its value, unit, the confidence tag of the calibration sheet "
        "(H official or several consistent sources, M one reputable source or derived, L assumption) and "
        "its source as stated next to the value. *set in* says whether the value comes from a YAML file "
        "in `configs/` or, where no YAML sets it, from the schema default in `sim/config/`. "
        "Lines such as \"calibration B3\" or \"A3\" refer to the project's calibration sheet of public "
        "figures for winter 2025-26.",
        "",
        "*plausible* is the range outside which a value is meaningless or almost surely a typo: the run "
        "stops before it starts with one line naming the key, the range and its unit (the `PLAUSIBLE` table "
        "next to each group's schema in `sim/config/` gives the reason for each bound). Other checks are not "
        "listed: shares are in [0, 1], counts and durations >= 0, and a few keys have ranges of their own "
        "(e.g. `weather.min_temperature_c` -60..8, `realizations` 1..100000; see the messages in the "
        "README).",
        "",
        "The table is generated from the code; `tests/integration/test_docs.py` fails when it is out of date. "
        "Regenerate with `.venv/bin/python docs/scripts/make_parameter_table.py`. "
        "To change a value for a run, override it on the command line (`coldgrid repair.heat_crews=90`, "
        "see the [user guide](user-guide.md)); to see every composed value, `coldgrid --cfg job`.",
        "",
        "Defaults: " + ", ".join(f"`{g}={o}`" for g, o in options.items()) + ".",
        "",
        "## Run (top level)",
        "",
        *table(top := top_rows()),
        "",
    ]
    missing = sum(1 for r in top if not r.source)
    for group, module_path, class_name in GROUPS:
        option = options.get(group, "default")
        rows, extra = group_rows(group, module_path, class_name, option)
        missing += sum(1 for r in rows if not r.source)
        lines += [f"## {GROUP_TITLES[group]}", "", f"Default option: `{group}={option}`.", "", *table(rows), ""]
        if "districts" in extra:
            lines += ["### Districts", "", "| name | KATOTTH code | population weight |", "|---|---|---|"]
            for d in extra["districts"]:
                lines.append(f"| {md(str(d.get('name', '')))} | {md(str(d.get('katotth', '')) or '-')} | "
                             f"{fmt_value(d.get('population_weight'))} |")
            lines += ["", "Population weights are relative; they are scaled to `city.population_total`.", ""]
        if "grid" in extra:
            g_rows, sources = grid_rows(option, *extra["grid"])
            missing += sum(1 for r in g_rows if not r.source)
            lines += ["### Grid and heat-network topology (`city.grid`)", "",
                      "`city.grid` is typed by `GridConfig` (`sim/config/grid.py`, which also checks its values); "
                      "keys not set in the city's YAML take the defaults listed there (`GRID_DEFAULTS` of "
                      "`sim/network/params.py` repeats them).", "", *table(g_rows), ""]
            if sources:
                lines += ["CHP heat sources (`city.grid.heat_sources`): electric output and the share of "
                          "each district's apartment blocks in the source's heat zone (the rest are served "
                          "by boiler-house clusters).", "",
                          "| name | power_mw | districts (share of blocks) |", "|---|---|---|"]
                for s in sources:
                    dist = ", ".join(f"{md(str(k))} {v:g}" for k, v in (s.get("districts") or {}).items())
                    lines.append(f"| {md(str(s.get('name', '')))} | {fmt_value(s.get('power_mw'))} | {dist} |")
                lines.append("")
        effective = {r.key.split(".", 1)[1]: r.value for r in rows if r.key.count(".") == 1}
        other = option_lines(group, option, effective)
        if other:
            lines += ["Other options of this group:", "", *other, ""]
    out_rows = output_rows()
    lines += ["## Output (`output`)", "",
              "Which files a run writes; these keys do not change the numbers (they are left out of the "
              "config hash used by `resume`).", "", *table(out_rows), ""]
    lines += ["## Experiments", "",
              "Presets in `configs/experiment/` set sweep parameters (run with `coldgrid -m "
              "experiment=NAME`); see the [user guide](user-guide.md#sweeps).", ""]
    for path in sorted((CONFIGS / "experiment").glob("*.yaml")):
        first = next((ln.lstrip("# ").strip() for ln in path.read_text(encoding="utf-8").splitlines()
                      if ln.startswith("#") and "@package" not in ln), "")
        params = (load_yaml(path).get("hydra") or {}).get("sweeper", {}).get("params", {})
        sweep = "; ".join(f"`{k}={v}`" for k, v in params.items())
        first = first if first.endswith(".") else first + "."
        lines.append(f"- `experiment={path.stem}`: {md(first)}" + (f" Sweeps {sweep}." if sweep else ""))
    lines += ["", f"Keys without a stated source in the code or configs: {missing}.", ""]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("-o", "--output", type=Path, default=OUTPUT, help="where to write (default docs/parameters.md)")
    args = parser.parse_args(argv)
    text = build()
    args.output.parent.mkdir(parents=True, exist_ok=True)
    args.output.write_text(text, encoding="utf-8")
    print(f"wrote {args.output}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
