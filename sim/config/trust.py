"""The trust boundary: a config received from someone else sets values; it never runs code.

coldgrid's own configs (``configs/``, shipped with the package) and Hydra's are trusted. Everything else is
*user input*: the command line, and every YAML file in a folder added with ``--config-dir`` or
``hydra.searchpath``. The rules (docs/decisions.md, "Trust model") are enforced in three steps, all
before Hydra instantiates anything (callbacks, launcher, sweeper, logging):

1. :func:`parse_command_line` parses the arguments exactly as Hydra's own parser does, but without
   abbreviations (``--config-d`` is not ``--config-dir``); it refuses ``--experimental-rerun`` (it
   unpickles a file), ``--config-path``/``-cp`` and ``--config-name``/``-cn`` (they replace the project's
   primary config), and returns a canonical argument list, so that what was checked is what Hydra runs.
2. :func:`check_user_dir` reads every ``*.yaml`` of a user folder with PyYAML's safe composer (no
   object is constructed), bounded in size and in alias expansion (a YAML alias bomb is refused in
   linear time), and refuses: ``_target_``-like keys and logging factories ``()``, resolvers
   (``${oc.env:...}``, ``${oc.create:...}``, ``${now:...}``, ...; plain ``${key}`` interpolation is
   fine), non-standard YAML tags, configs for Hydra's own groups (``hydra/``, ``@package hydra...``,
   ``override hydra/...``) and any ``hydra.*`` key other than :data:`USER_HYDRA_KEYS`.
3. :func:`check_composed` checks the config Hydra will run (composed by :func:`compose`, Hydra's part
   and the job's): only :data:`ALLOWED_TARGETS` in ``_target_``, no ``()`` anywhere, logging handlers and
   formatters of :data:`ALLOWED_LOG_CLASSES` only, log files inside the run folder, no resolver at all in
   the job's config (so ``.hydra/config.yaml`` and ``result.nc`` record the values that ran) and only
   :data:`ALLOWED_HYDRA_RESOLVERS` in Hydra's, every group choice an existing option
   (``experiment=nope`` is an error, not silently nothing), and ``hydra.searchpath`` only folders
   that step 2 checked.
"""

from __future__ import annotations

import argparse
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, NoReturn

import yaml

from sim.errors import ConfigError

#: The only classes a coldgrid config may name in ``_target_`` (Hydra's part only; the job's has none).
ALLOWED_TARGETS = frozenset(
    {
        "sim.callbacks.CollectSweep",
        "hydra._internal.core_plugins.basic_launcher.BasicLauncher",
        "hydra._internal.core_plugins.basic_sweeper.BasicSweeper",
        "hydra_plugins.coldgrid_sobol_sweeper.sobol_sweeper.SobolSweeper",  # coldgrid's own (experiment=sobol)
        "hydra_plugins.hydra_joblib_launcher.joblib_launcher.JoblibLauncher",
        "hydra_plugins.hydra_ray_launcher.ray_launcher.RayLauncher",
    }
)
#: Keys that make Hydra or :func:`logging.config.dictConfig` call something.
CODE_KEYS = frozenset({"_target_", "_partial_", "_convert_", "_recursive_", "_args_", "()"})
#: ``class`` values allowed in ``hydra.job_logging`` and ``hydra.hydra_logging`` (dictConfig imports them).
ALLOWED_LOG_CLASSES = frozenset(
    {
        "logging.StreamHandler",
        "logging.FileHandler",
        "logging.NullHandler",
        "logging.Formatter",
        "logging.handlers.RotatingFileHandler",
        "colorlog.ColoredFormatter",
    }
)
#: ``ext://`` references allowed in logging configs.
ALLOWED_LOG_STREAMS = frozenset({"ext://sys.stdout", "ext://sys.stderr"})
#: Resolvers allowed in Hydra's part of the composed config (from coldgrid's or Hydra's own files, or
#: typed on the command line): folder names with the time, Hydra's job fields, an environment variable
#: (``hydra/launcher=ray_cluster`` reads ``RAY_ADDRESS``). The job's config allows none.
ALLOWED_HYDRA_RESOLVERS = frozenset({"now", "hydra", "oc.env", "oc.select"})
#: ``hydra.*`` keys a user config file may set (sweeps and their collection); prefixes end with ".".
USER_HYDRA_KEYS = (
    "hydra.sweeper.params.",
    "hydra.callbacks.collect.baseline",
    "hydra.callbacks.collect.reduction_frac",
    "hydra.callbacks.collect.enabled",
    "hydra.launcher.n_jobs",
)
#: Launchers a user config file may select with ``override hydra/launcher: NAME``.
USER_LAUNCHERS = frozenset({"basic", "joblib", "ray", "ray_cluster"})
#: Flags that are refused, with the reason shown.
REFUSED_FLAGS = {
    "experimental_rerun": ("--experimental-rerun", "it unpickles a file, which can run any code"),
    "config_path": ("--config-path/-cp", "it replaces coldgrid's own configs; add a folder with --config-dir"),
    "config_name": ("--config-name/-cn", "it replaces coldgrid's primary config; select options instead"),
}
#: Bounds of the scan of a user folder.
MAX_FILES = 2000
MAX_FILE_BYTES = 1_000_000
MAX_EXPANDED_NODES = 200_000
_STANDARD_TAGS = frozenset(
    f"tag:yaml.org,2002:{t}" for t in ("str", "int", "float", "bool", "null", "map", "seq", "timestamp")
)
_RESOLVER = re.compile(r"(?<!\\)\$\{\s*([A-Za-z_][\w.\-]*)\s*:")


def resolvers_in(text: str) -> set[str]:
    """Names of the OmegaConf resolvers called in ``text`` (``${name:...}``; ``${key}`` is no call).

    Examples
    --------
    >>> sorted(resolvers_in("${oc.env:HOME}/x/${city.name}/${now:%H}"))
    ['now', 'oc.env']
    """
    return set(_RESOLVER.findall(text))


# ------------------------------------------------------------------------------------------ command line
@dataclass
class CommandLine:
    """A checked command line: what Hydra will be given."""

    overrides: list[str]
    config_dir: Path | None = None
    multirun: bool = False
    runs: bool = True  # runs jobs (not --cfg, --info, --hydra-help, --version, --shell-completion)
    flags: list[str] = field(default_factory=list)  # canonical option tokens, e.g. ["-m", "--cfg=job"]

    @property
    def argv(self) -> list[str]:
        """The canonical argument list for Hydra (options in ``--name=value`` form, then the overrides)."""
        out = list(self.flags)
        if self.config_dir is not None:
            out.append(f"--config-dir={self.config_dir}")
        return out + list(self.overrides)


def _hydra_parser() -> argparse.ArgumentParser:
    from hydra._internal.utils import get_args_parser

    parser = get_args_parser()
    parser.allow_abbrev = False  # "--config-d DIR" must not mean --config-dir

    def error(message: str) -> NoReturn:
        raise ConfigError(f"command line: {message} (see coldgrid --help)")

    parser.error = error  # type: ignore[method-assign]
    return parser


def parse_command_line(args: list[str]) -> CommandLine:
    """Parse ``args`` as Hydra would, without abbreviations; refuse :data:`REFUSED_FLAGS`.

    Examples
    --------
    >>> parse_command_line(["-m", "attacks=continued,pause_week"]).argv
    ['-m', 'attacks=continued,pause_week']
    >>> parse_command_line(["--config-d", "x"])
    Traceback (most recent call last):
    ...
    sim.errors.ConfigError: command line: unknown option --config-d (abbreviations are not accepted; see coldgrid --help)
    """
    ns, rest = _hydra_parser().parse_known_args(args)
    for token in rest:
        if token.startswith("-"):
            name = token.split("=", 1)[0]
            raise ConfigError(f"command line: unknown option {name} (abbreviations are not accepted; "
                              "see coldgrid --help)")
    for attr, (flag, why) in REFUSED_FLAGS.items():
        if getattr(ns, attr, None) is not None:
            raise ConfigError(f"{flag} is not accepted by coldgrid: {why}")
    commands = [bool(ns.run), bool(ns.multirun), ns.cfg is not None, ns.info is not None, bool(ns.shell_completion)]
    if sum(commands) > 1:
        raise ConfigError("command line: give only one of --run, -m/--multirun, --cfg, --info, --shell-completion")
    flags = []
    if ns.multirun:
        flags.append("-m")
    if ns.run:
        flags.append("--run")
    for name in ("cfg", "package", "info"):
        value = getattr(ns, name)
        if value is not None:
            flags.append(f"--{name}={value}")
    for name in ("resolve", "hydra_help", "shell_completion"):
        if getattr(ns, name):
            flags.append("--" + name.replace("_", "-"))
    runs = not (ns.cfg or ns.info or ns.hydra_help or ns.shell_completion)
    config_dir = None
    if ns.config_dir is not None:
        config_dir = Path(ns.config_dir).expanduser().absolute()
        if not config_dir.is_dir():
            raise ConfigError(f"--config-dir {ns.config_dir}: no such folder")
    return CommandLine(list(ns.overrides) + list(rest), config_dir, bool(ns.multirun), runs, flags)


def searchpath_dirs(overrides: Iterable[str]) -> list[Path]:
    """Folders added by ``hydra.searchpath=[file://...]`` overrides; other schemes are refused."""
    from hydra.core.override_parser.overrides_parser import OverridesParser

    out: list[Path] = []
    wanted = [o for o in overrides if o.lstrip("+~").split("=", 1)[0] == "hydra.searchpath"]
    if not wanted:
        return out
    for override in OverridesParser.create().parse_overrides(wanted):
        value = override.value()
        items = value if isinstance(value, list) else [value]
        for item in items:
            item = str(item)
            if not item.startswith("file://"):
                raise ConfigError(f"hydra.searchpath: {item}: only file:// folders can be added to the search path")
            out.append(Path(item[len("file://"):]).expanduser().absolute())
    return out


def refuse_removals(overrides: Iterable[str], dirs: Iterable[Path]) -> None:
    """Raise ConfigError for a ``~key`` override that removes a key (a group option ``~group`` is fine).

    Parameters
    ----------
    overrides : iterable of str
        The command line's overrides.
    dirs : iterable of pathlib.Path
        The config folders: a ``~name`` whose name is a group folder in one of them removes an option.
    """
    folders = list(dirs)
    for o in overrides:
        if o.startswith("~"):
            key = o[1:].split("=", 1)[0]
            group = key.split("/", 1)[0].split("@", 1)[0]
            if not any((d / group).is_dir() for d in folders):
                raise ConfigError(f"{o}: keys cannot be removed (every key of a coldgrid config needs a value); "
                                  f"set a value instead, e.g. {key}=...")


def check_override_keys(overrides: Iterable[str]) -> None:
    """Refuse ``_target_``-like keys and resolvers in the job's overrides (Hydra's may use the allowed ones)."""
    for o in overrides:
        key, _, value = o.partition("=")
        parts = re.split(r"[./@]", key.lstrip("+~"))
        for part in parts:
            if part in CODE_KEYS:
                raise ConfigError(f"{key}: '{part}' is not allowed in coldgrid configs (configs never run code)")
        names = resolvers_in(value)
        if key.lstrip("+~").startswith("hydra"):
            names -= ALLOWED_HYDRA_RESOLVERS
        if names:
            raise ConfigError(_resolver_message(key.lstrip("+~"), sorted(names)[0]))


def _resolver_message(key: str, name: str) -> str:
    if key.startswith("hydra"):
        return f"{key}: resolver '{name}' is not allowed (coldgrid configs never run code)"
    return (f"{key}: resolver '{name}' is not allowed in the job's config: give the value itself, "
            "so that .hydra/config.yaml and result.nc record what ran")


# ------------------------------------------------------------------------------------- user config folders
def check_user_dir(folder: Path) -> None:
    """Check every ``*.yaml`` under a user config folder (see the module docstring, step 2)."""
    folder = Path(folder)
    if not folder.is_dir():
        return
    files = []
    for f in folder.rglob("*.yaml"):
        files.append(f)
        if len(files) > MAX_FILES:
            raise ConfigError(f"{folder}: more than {MAX_FILES} YAML files; not a config folder")
    for f in sorted(files):
        check_user_file(f, folder)


def check_dirs(dirs: Iterable[Path]) -> None:
    """Check several user config folders (:func:`check_user_dir`)."""
    for d in dirs:
        check_user_dir(Path(d))


def check_user_file(path: Path, root: Path | None = None) -> None:
    """Check one YAML file received from someone else; raise ConfigError naming the file and the key."""
    path = Path(path)
    rel = path.relative_to(root) if root is not None else Path(path.name)
    if "hydra" in rel.parts[:-1]:
        raise ConfigError(f"{path}: shared config folders may not hold configs for Hydra's own groups (hydra/)")
    try:
        size = path.stat().st_size
        if size > MAX_FILE_BYTES:
            raise ConfigError(f"{path}: {size} bytes; config files are at most {MAX_FILE_BYTES} bytes")
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError:
        raise ConfigError(f"{path}: not UTF-8 text") from None
    except OSError as e:
        raise ConfigError(f"{path}: cannot read ({e.strerror})") from None
    m = re.search(r"^#\s*@package\s+(\S+)", text, re.MULTILINE)
    if m and "hydra" in m.group(1):
        raise ConfigError(f"{path}: '@package {m.group(1)}' puts values into Hydra's own config; not allowed")
    try:
        docs = list(yaml.compose_all(text, Loader=yaml.SafeLoader))
    except yaml.YAMLError as e:
        mark = getattr(e, "problem_mark", None)
        where = f" line {mark.line + 1}" if mark is not None else ""
        raise ConfigError(f"{path}{where}: not valid YAML ({getattr(e, 'problem', None) or e})") from None
    for doc in docs:
        if doc is None:
            continue
        n = _expanded_size(doc)
        if n > MAX_EXPANDED_NODES:
            raise ConfigError(f"{path}: YAML aliases expand to more than {MAX_EXPANDED_NODES} nodes "
                              "(an alias bomb?); not allowed")
        for key, node in _unique_nodes(doc):
            _check_node(path, key, node)
        _check_defaults_and_hydra(path, doc)


def _expanded_size(root: yaml.Node) -> int:
    """Nodes of ``root`` with every alias expanded, counted in linear time (memoised by identity)."""
    memo: dict[int, int] = {}
    order: list[yaml.Node] = []
    stack = [root]
    seen: set[int] = set()
    while stack:  # post-order without recursion (deep documents)
        node = stack.pop()
        if id(node) in seen:
            continue
        seen.add(id(node))
        order.append(node)
        stack.extend(_children(node))
    for node in reversed(order):
        memo[id(node)] = 1 + sum(memo.get(id(c), 1) for c in _children(node))
        if memo[id(node)] > MAX_EXPANDED_NODES:
            return memo[id(node)]
    return memo[id(root)]


def _children(node: yaml.Node) -> list[yaml.Node]:
    if isinstance(node, yaml.MappingNode):
        return [x for kv in node.value for x in kv]
    if isinstance(node, yaml.SequenceNode):
        return list(node.value)
    return []


def _unique_nodes(root: yaml.Node) -> Iterator[tuple[str, yaml.Node]]:
    """Each distinct node once, with a dotted key path (the first path that reaches it)."""
    seen: set[int] = set()
    stack: list[tuple[str, yaml.Node]] = [("", root)]
    while stack:
        path, node = stack.pop()
        if id(node) in seen:
            continue
        seen.add(id(node))
        yield path, node
        if isinstance(node, yaml.MappingNode):
            for k, v in node.value:
                name = str(k.value) if isinstance(k, yaml.ScalarNode) else "?"
                sub = f"{path}.{name}" if path else name
                yield sub, k
                stack.append((sub, v))
        elif isinstance(node, yaml.SequenceNode):
            stack.extend((f"{path}[{i}]", v) for i, v in enumerate(node.value))


def _check_node(path: Path, key: str, node: yaml.Node) -> None:
    if node.tag not in _STANDARD_TAGS:
        raise ConfigError(f"{path}: {key or '(document)'}: YAML tag {node.tag} is not allowed "
                          "(configs hold plain values)")
    if isinstance(node, yaml.MappingNode):
        for k, v in node.value:
            if isinstance(k, yaml.ScalarNode) and str(k.value) in CODE_KEYS:
                sub = f"{key}.{k.value}" if key else str(k.value)
                shown = f"={v.value}" if isinstance(v, yaml.ScalarNode) else ""
                raise ConfigError(f"{path}: {sub}{shown} is not allowed (coldgrid configs never run code)")
    if isinstance(node, yaml.ScalarNode) and isinstance(node.value, str):
        names = resolvers_in(node.value)
        if names:
            raise ConfigError(f"{path}: {key}: resolver '{sorted(names)[0]}' is not allowed in shared config "
                              "files (configs never run code; values must be recorded as they ran)")


def _mapping(node: yaml.Node) -> dict[str, yaml.Node]:
    if not isinstance(node, yaml.MappingNode):
        return {}
    return {str(k.value): v for k, v in node.value if isinstance(k, yaml.ScalarNode)}


def _leaf_keys(node: yaml.Node, prefix: str) -> Iterator[str]:
    items = _mapping(node)
    if not items:
        yield prefix
        return
    for k, v in items.items():
        yield from _leaf_keys(v, f"{prefix}.{k}")


def _check_defaults_and_hydra(path: Path, doc: yaml.Node) -> None:
    top = _mapping(doc)
    defaults = top.get("defaults")
    if isinstance(defaults, yaml.SequenceNode):
        for entry in defaults.value:
            texts = [entry.value] if isinstance(entry, yaml.ScalarNode) else [
                f"{k.value}: {getattr(v, 'value', '')}" for k, v in getattr(entry, "value", [])
                if isinstance(k, yaml.ScalarNode)
            ]
            for text in texts:
                text = str(text)
                group = text.split(":", 1)[0].replace("override", "").strip().lstrip("/")
                option = text.split(":", 1)[1].strip() if ":" in text else ""
                if "@" in group and "hydra" in group.split("@", 1)[1]:
                    raise ConfigError(f"{path}: defaults entry '{text}' puts values into Hydra's config; not allowed")
                if group.startswith("hydra/"):
                    if group == "hydra/launcher" and option in USER_LAUNCHERS:
                        continue
                    raise ConfigError(f"{path}: defaults entry '{text}' changes Hydra's own config; "
                                      f"only hydra/launcher ({', '.join(sorted(USER_LAUNCHERS))}) may be chosen")
    if "hydra" in top:
        for key in _leaf_keys(top["hydra"], "hydra"):
            if not any(key == k or (k.endswith(".") and key.startswith(k)) for k in USER_HYDRA_KEYS):
                raise ConfigError(f"{path}: {key} is not allowed in shared config files (they may set "
                                  "hydra.sweeper.params and hydra.callbacks.collect settings only)")


# -------------------------------------------------------------------------------------- composed config
def compose(cl: CommandLine, config_dir: Path, config_name: str = "config") -> Any:
    """Compose the config Hydra will run for ``cl`` (Hydra's part included), without running anything.

    Uses Hydra's own composition with the search path ``hydra.main`` builds (the project's configs, then
    ``--config-dir``), so that the checked config is the one that runs.
    """
    from hydra._internal.hydra import Hydra
    from hydra._internal.utils import create_config_search_path
    from hydra.core.config_search_path import SearchPathQuery
    from hydra.core.global_hydra import GlobalHydra
    from hydra.types import RunMode

    from sim.config.schema import register

    register()
    search_path = create_config_search_path(str(config_dir))
    if cl.config_dir is not None:  # as hydra.main does for --config-dir
        search_path.prepend(provider="command-line", path=f"file://{cl.config_dir}",
                            anchor=SearchPathQuery(provider="schema"))
    GlobalHydra.instance().clear()
    hydra = Hydra.create_main_hydra2(task_name="cli", config_search_path=search_path)
    try:
        mode = RunMode.MULTIRUN if cl.multirun else RunMode.RUN
        try:
            cfg = hydra.compose_config(config_name, list(cl.overrides), run_mode=mode, with_log_configuration=False)
        except (AttributeError, AssertionError):  # OmegaConf cannot merge into a mapping that is null
            culprit = _null_mapping_override(hydra, config_name, list(cl.overrides), mode)
            raise ConfigError(f"{culprit}: this mapping is null by default and OmegaConf cannot fill it from the "
                              "command line; set it in a config file instead (an experiment in --config-dir, "
                              "e.g. people: {heating_points_by_district: {North: 2}})") from None
        repository = hydra.config_loader.repository  # type: ignore[attr-defined]
        options = {}
        for group, choice in cfg.hydra.runtime.choices.items():
            if choice is not None and not str(group).startswith("hydra/"):
                options[str(group)] = set(repository.get_group_options(str(group)))
        return cfg, options
    finally:
        GlobalHydra.instance().clear()


def _null_mapping_override(hydra: Any, config_name: str, overrides: list[str], mode: Any) -> str:
    """The override without which the composition no longer fails as merging into a null mapping does."""
    for i, override in enumerate(overrides):
        try:
            hydra.compose_config(config_name, overrides[:i] + overrides[i + 1:], run_mode=mode,
                                 with_log_configuration=False)
        except (AttributeError, AssertionError):
            continue
        except Exception:  # another error of the remaining overrides: this one was the failing merge
            return override
        return override
    return " ".join(overrides) or "the config"


def _walk(node: Any, path: str = "") -> Iterator[tuple[str, Any, Any]]:
    """(dotted path, key, value node) of every entry, without resolving interpolations."""
    from omegaconf import DictConfig, ListConfig

    if isinstance(node, DictConfig):
        for key in node:
            sub = f"{path}.{key!s}" if path else str(key)
            child: Any = node._get_node(key)
            yield sub, key, child
            yield from _walk(child, sub)
    elif isinstance(node, ListConfig):
        for i in range(len(node)):
            child = node._get_node(i)
            yield f"{path}[{i}]", i, child
            yield from _walk(child, f"{path}[{i}]")


def _raw(node: Any) -> Any:
    from omegaconf import ValueNode

    return node._value() if isinstance(node, ValueNode) else None


def check_composed(cfg: Any, options: dict[str, set[str]] | None = None,
                   checked_dirs: Iterable[Path] = ()) -> None:
    """Check a composed config (Hydra's part and the job's) before anything is instantiated."""
    for path, key, node in _walk(cfg):
        raw = _raw(node)
        in_hydra = path == "hydra" or path.startswith("hydra.")
        if str(key) in CODE_KEYS:
            if not in_hydra or str(key) != "_target_":
                raise ConfigError(f"{path}: '{key}' is not allowed in coldgrid configs (configs never run code)")
            if raw not in ALLOWED_TARGETS:
                raise ConfigError(f"{path}={raw} is not allowed (coldgrid configs never run code)")
        if isinstance(raw, str):
            names = resolvers_in(raw)
            if in_hydra:
                names -= ALLOWED_HYDRA_RESOLVERS
            if names:
                raise ConfigError(_resolver_message(path, sorted(names)[0]))
            if path.startswith(("hydra.job_logging.", "hydra.hydra_logging.")):
                _check_logging(path, str(key), raw)
    if options is not None:
        choices = cfg.hydra.runtime.choices
        for group in choices:
            choice = choices[group]
            if choice is None or str(group).startswith("hydra/"):
                continue
            valid = options.get(str(group), set())
            if str(choice) not in valid:
                listed = ", ".join(sorted(valid)) or "(none)"
                raise ConfigError(f"{group}={choice}: unknown option; valid: {listed}")
    allowed = {Path(d).resolve() for d in checked_dirs}
    for entry in cfg.hydra.searchpath or []:
        entry = str(entry)
        folder = Path(entry[len("file://"):]).resolve() if entry.startswith("file://") else None
        if folder is None or folder not in allowed:
            raise ConfigError(f"hydra.searchpath: {entry}: only file:// folders given on the command line "
                              "can be added to the search path")


def _check_logging(path: str, key: str, value: str) -> None:
    if key == "class" and value not in ALLOWED_LOG_CLASSES:
        raise ConfigError(f"{path}={value} is not allowed (logging configs may use standard handlers only)")
    if value.startswith(("ext://", "cfg://")) and value not in ALLOWED_LOG_STREAMS:
        raise ConfigError(f"{path}={value} is not allowed (logging configs may use standard streams only)")
    if key == "filename" and not value.startswith(("${hydra.runtime.output_dir}", "${hydra:runtime.output_dir}")):
        raise ConfigError(f"{path}={value}: log files must be inside the run folder "
                          "(${hydra.runtime.output_dir}/...)")

