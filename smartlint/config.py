"""Configuration: `[tool.smartlint]` in pyproject.toml or `.smartlint.yaml`, the file closest to the
linted path wins; command-line flags come on top. Rule selection works like ruff's: codes, code
prefixes (`SL1`), dotted names (`operator.slow`) or their first part (`operator`), groups
(`performance`) and `ALL`; where `select` and `ignore` both match a rule, the more specific wins."""

from __future__ import annotations

import fnmatch
import os
from dataclasses import dataclass, field, replace
from functools import cache, lru_cache
from pathlib import Path
from typing import Any

from .activity import RETENTION_SETTING  # no cost: catalog imports activity already
from .catalog import SEVERITIES, RuleMeta, rules

CONFIG_FILES = (".smartlint.yaml", ".smartlint.yml", "pyproject.toml")
TOP_KEYS = {
    "select", "ignore", "extend-select", "extend-ignore", "fail-on", "per-file-ignores", "rules", "max-file-bytes",
    "exclude", "extend-exclude", "force-exclude", "activity-retention-months",
}
DEFAULT_MAX_FILE_BYTES = 64 * 1024 * 1024
# Never smart lists, found in ordinary repositories: tool folders (ruff's defaults, and the CI
# folders), package manifests and tool configs in JSON or YAML, and smartlint's own baseline.
# `exclude` replaces this list, `extend-exclude` adds to it (as in ruff).
DEFAULT_EXCLUDE = (
    ".git", ".hg", ".svn", ".venv", "venv", ".tox", ".nox", "__pycache__", ".mypy_cache", ".pytest_cache",
    ".ruff_cache", ".vscode", ".idea", "node_modules", "site-packages", "build", "dist", "_build",
    ".github", ".gitlab", ".gitlab-ci.yml", ".circleci", ".pre-commit-config.yaml", ".pre-commit-hooks.yaml",
    "package.json", "package-lock.json", "renovate.json", ".renovaterc.json", "tsconfig*.json", "composer.json",
    "smartlint-baseline.json",
)


class ConfigError(Exception):
    """A usage error in a configuration file or on the command line (exit code 2)."""


@dataclass(frozen=True)
class Config:
    select: tuple[str, ...] = ("ALL",)
    ignore: tuple[str, ...] = ()
    extend_select: tuple[str, ...] = ()
    fail_on: str = "warning"
    per_file_ignores: tuple[tuple[str, tuple[str, ...]], ...] = ()
    rule_options: dict[str, dict[str, Any]] = field(default_factory=dict)  # code -> options
    severities: dict[str, str] = field(default_factory=dict)  # code -> severity override
    max_file_bytes: int = DEFAULT_MAX_FILE_BYTES
    exclude: tuple[str, ...] = DEFAULT_EXCLUDE  # file and folder names, or absolute glob patterns
    extend_exclude: tuple[str, ...] = ()
    force_exclude: bool = False  # exclude files named on the command line too (pre-commit names them)
    retention_months: int | None = None  # activity-retention-months: the instance's 25-month tier (37 premium)
    source: str | None = None  # the file it came from
    root: str = "."  # per-file-ignores globs are relative to this folder

    def options(self, code: str) -> dict[str, Any]:
        meta = rules()[code]
        options = {**meta.options, **self.rule_options.get(code, {})}
        if self.retention_months is not None and RETENTION_SETTING in options:
            options[RETENTION_SETTING] = self.retention_months  # one value for every rule that reads it
        return options

    def severity(self, code: str) -> str:
        return self.severities.get(code, rules()[code].severity)


# ---- selection --------------------------------------------------------------------------------


def _specificity(selector: str, meta: RuleMeta) -> int:
    """How specifically `selector` names the rule; -1 when it does not."""
    s = selector.strip()
    if s.upper() == "ALL":
        return 0
    if s.upper() == meta.code:
        return 100
    if s.upper().startswith("SL") and meta.code.startswith(s.upper()):
        return len(s)
    lowered = s.lower()
    if lowered == meta.name:
        return 100
    if "." not in lowered and meta.name.split(".")[0] == lowered:
        return 50
    if lowered in meta.groups:
        return 1
    return -1


def check_selectors(selectors: tuple[str, ...] | list[str], where: str) -> None:
    for selector in selectors:
        if not any(_specificity(selector, meta) >= 0 for meta in rules().values()):
            raise ConfigError(f"{where}: unknown rule selector `{_cut(selector)}` (see `smartlint rules`)")


def matches(selectors: tuple[str, ...] | list[str], code: str) -> bool:
    meta = rules()[code]
    return any(_specificity(s, meta) >= 0 for s in selectors)


def enabled_codes(config: Config, path: str | None = None) -> frozenset[str]:
    extra = tuple(per_file_ignored(config, path)) if path is not None else ()
    key = (id(config), extra)
    found = _ENABLED.get(key)
    if found is None or found[0] is not config:
        found = _ENABLED[key] = (config, _enabled(config, extra))
    return found[1]


_ENABLED: dict[tuple, tuple[Config, frozenset[str]]] = {}


def _enabled(config: Config, extra: tuple[str, ...]) -> frozenset[str]:
    ignore = [*config.ignore, *extra]
    out = set()
    for code, meta in rules().items():
        chosen = max((_specificity(s, meta) for s in (*config.select, *config.extend_select)), default=-1)
        dropped = max((_specificity(s, meta) for s in ignore), default=-1)
        if chosen >= 0 and chosen > dropped:
            out.add(code)
    out.add("SL001")  # unreadable input is always reported
    return frozenset(out)


def per_file_ignored(config: Config, path: str) -> list[str]:
    if not config.per_file_ignores:
        return []
    absolute = os.path.abspath(path)
    relative = os.path.relpath(absolute, config.root).replace(os.sep, "/")
    out: list[str] = []
    for pattern, codes in config.per_file_ignores:
        if fnmatch.fnmatch(relative, pattern) or fnmatch.fnmatch(os.path.basename(path), pattern):
            out.extend(codes)
    return out


# ---- files ------------------------------------------------------------------------------------


def _as_list(value: Any, key: str, where: str) -> tuple[str, ...]:
    if isinstance(value, str):
        value = [v for v in value.split(",") if v.strip()]
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise ConfigError(f"{where}: `{key}` must be a list of rule selectors")
    return tuple(v.strip() for v in value)


def exclude_patterns(value: Any, key: str, where: str, root: str) -> tuple[str, ...]:
    """Glob patterns as ruff reads them: a pattern without a slash names a file or folder anywhere
    (`node_modules`, `*.bak.json`); one with a slash is a path relative to `root` (the folder of
    the configuration file, or the working directory on the command line), made absolute here."""
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, (list, tuple)) or not all(isinstance(v, str) and v.strip() for v in value):
        raise ConfigError(f"{where}: `{key}` must be a list of glob patterns")
    out = []
    for pattern in (v.strip() for v in value):
        if "/" in pattern.rstrip("/"):
            pattern = os.path.join(os.path.abspath(root), pattern.removeprefix("./")).rstrip("/")
        out.append(pattern.rstrip("/") or pattern)
    return tuple(out)


def _rule_code(key: str, where: str) -> str:
    for code, meta in rules().items():
        if key.upper() == code or key.lower() == meta.name:
            return code
    raise ConfigError(f"{where}: unknown rule `{key}` under `rules` (see `smartlint rules`)")


RETENTION_RANGE = (25, 120)  # Marketo keeps the 25-month tier 25 months, or 37 with the premium option
MAX_FILE_BYTES_LIMIT = 4 * 1024**3  # a smart-list file larger than 4 GiB is not a smart-list file
MAX_CONFIG_BYTES = 1024 * 1024


def _show(value: Any) -> str:
    """repr() of a configured value for a message, cut short (a YAML alias can make it huge)."""
    import reprlib

    shown = reprlib.Repr()
    shown.maxstring = shown.maxother = 60
    shown.maxlevel = 2
    return shown.repr(value)


def _cut(text: str, length: int = 80) -> str:
    return text if len(text) <= length else text[:length] + "…"


def parse_config(data: Any, where: str, root: str) -> Config:
    """The settings in `data`; anything that is not a setting smartlint knows, of the type it
    takes, is a ConfigError naming the file and the key (whatever the data: this is the guard)."""
    try:
        return _parse_config(data, where, root)
    except ConfigError:
        raise
    except Exception as exc:  # noqa: BLE001 - any other failure on hostile settings is theirs
        raise ConfigError(f"{where}: cannot be read as smartlint settings ({type(exc).__name__}: {_cut(str(exc), 200)})") from None


def _parse_config(data: Any, where: str, root: str) -> Config:
    if not isinstance(data, dict):
        raise ConfigError(f"{where}: the smartlint settings must be a table / mapping, not {_show(data)}")
    for key in data:
        if not isinstance(key, str):
            raise ConfigError(f"{where}: settings are named by words, not {_show(key)}")
    unknown = sorted(set(data) - TOP_KEYS)
    if unknown:
        raise ConfigError(f"{where}: unknown key `{_cut(unknown[0])}` (known: {', '.join(sorted(TOP_KEYS))})")
    config = Config(source=where, root=root)
    if "select" in data:
        config = replace(config, select=_as_list(data["select"], "select", where))
    ignore = _as_list(data.get("ignore", []), "ignore", where) + _as_list(data.get("extend-ignore", []), "extend-ignore", where)
    extend = _as_list(data.get("extend-select", []), "extend-select", where)
    check_selectors((*config.select, *ignore, *extend), where)
    config = replace(config, ignore=ignore, extend_select=extend)
    if "fail-on" in data:
        if data["fail-on"] not in SEVERITIES:
            raise ConfigError(f"{where}: `fail-on` must be one of {', '.join(SEVERITIES)}, not {_show(data['fail-on'])}")
        config = replace(config, fail_on=data["fail-on"])
    if "max-file-bytes" in data:
        value = data["max-file-bytes"]
        if isinstance(value, bool) or not isinstance(value, int) or not 0 < value <= MAX_FILE_BYTES_LIMIT:
            raise ConfigError(f"{where}: `max-file-bytes` must be a whole number from 1 to {MAX_FILE_BYTES_LIMIT} (4 GiB), not {_show(value)}")
        config = replace(config, max_file_bytes=value)
    if "exclude" in data:
        config = replace(config, exclude=exclude_patterns(data["exclude"], "exclude", where, root))
    if "extend-exclude" in data:
        config = replace(config, extend_exclude=exclude_patterns(data["extend-exclude"], "extend-exclude", where, root))
    if "force-exclude" in data:
        if not isinstance(data["force-exclude"], bool):
            raise ConfigError(f"{where}: `force-exclude` must be true or false")
        config = replace(config, force_exclude=data["force-exclude"])
    pfi = data.get("per-file-ignores", {})
    if not isinstance(pfi, dict):
        raise ConfigError(f"{where}: `per-file-ignores` must map glob patterns to rule selectors")
    entries = []
    for pattern, selectors in pfi.items():
        codes = _as_list(selectors, f"per-file-ignores.{pattern}", where)
        check_selectors(codes, where)
        entries.append((str(pattern), codes))
    rule_options: dict[str, dict[str, Any]] = {}
    severities: dict[str, str] = {}
    raw_rules = data.get("rules", {})
    if not isinstance(raw_rules, dict):
        raise ConfigError(f"{where}: `rules` must map rule codes to their options")
    for key, options in raw_rules.items():
        code = _rule_code(str(key)[:100], where)
        if not isinstance(options, dict):
            raise ConfigError(f"{where}: `rules.{key}` must be a table of options")
        defaults = rules()[code].options
        for name, value in options.items():
            if name == "severity":
                if not isinstance(value, str) or value not in SEVERITIES:
                    raise ConfigError(f"{where}: `rules.{key}.severity` must be one of {', '.join(SEVERITIES)}, not {_show(value)}")
                severities[code] = value
            elif name not in defaults:
                known = ", ".join(["severity", *defaults]) 
                raise ConfigError(f"{where}: unknown option `{_cut(str(name))}` for {code} (known: {known})")
            elif not _fits(value, defaults[name], name):
                raise ConfigError(f"{where}: `rules.{key}.{name}` must be {_kind_of(defaults[name], name)} like {_show(defaults[name])}, not {_show(value)}")
            else:
                rule_options.setdefault(code, {})[name] = value
    config = replace(config, per_file_ignores=tuple(entries), rule_options=rule_options, severities=severities)
    return replace(config, retention_months=_retention_months(data, rule_options, where))


def _retention_months(data: dict, rule_options: dict[str, dict[str, Any]], where: str) -> int | None:
    """`activity-retention-months`: how long the instance keeps its 25-month tier. It is a fact
    about the Marketo instance, not about one rule, so SL201, SL206 and anything else that reads
    it get one value. The top-level key is the place for it; the option under `rules.SL206` (where
    v1 read it) still works and applies to every rule, and two different values are an error."""
    given: list[tuple[str, Any]] = []
    if RETENTION_SETTING in data:
        given.append((RETENTION_SETTING, data[RETENTION_SETTING]))
    given.extend((f"rules.{code}.{RETENTION_SETTING}", options[RETENTION_SETTING])
                 for code, options in sorted(rule_options.items()) if RETENTION_SETTING in options)
    low, high = RETENTION_RANGE
    for key, value in given:
        if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
            raise ConfigError(f"{where}: `{key}` must be a whole number of months from {low} to {high} "
                              f"(25 by default, 37 with Marketo's premium data retention option), not {_show(value)}")
    if len({value for _, value in given}) > 1:
        shown = ", ".join(f"`{key}` = {value}" for key, value in given)
        raise ConfigError(f"{where}: {shown} disagree; `{RETENTION_SETTING}` is a property of your Marketo instance: "
                          "set it once, at the top level")
    return given[0][1] if given else None


# The least a rule option may be where 0 makes no sense: a repeated *set* has two filters or more,
# and two lists at least must share it (export/repeated.py); a limit of 0 filters fires on every
# list; one campaign is the least that listens to a trigger. Other numbers: 0 or more.
_OPTION_MINIMUM = {"min-set-size": 2, "min-lists": 2, "error-filters": 1, "min-campaigns": 1}


def _fits(value: Any, default: Any, name: str) -> bool:
    """A rule option is of its default's kind: a number finite, within its range and 64-bit (as
    every number smartlint writes), a list one of strings."""
    if isinstance(default, bool) or isinstance(value, bool):
        return type(value) is type(default)
    if isinstance(default, (int, float)):
        if not isinstance(value, int if isinstance(default, int) else (int, float)):
            return False
        return value == value and _OPTION_MINIMUM.get(name, 0) <= value < 2**63  # NaN is not equal to itself
    if isinstance(default, list):
        return isinstance(value, list) and all(isinstance(v, str) for v in value)
    return type(value) is type(default)


def _kind_of(default: Any, name: str) -> str:
    """What a rule option must be, in a user's words: `a whole number, at least 0`."""
    if isinstance(default, bool):
        return "true or false,"
    if isinstance(default, (int, float)):
        number = "a whole number" if isinstance(default, int) else "a number"
        return f"{number}, at least {_OPTION_MINIMUM.get(name, 0)},"
    if isinstance(default, list):
        return "a list of field names" if name.endswith("fields") else "a list of strings"
    return "a string" if isinstance(default, str) else f"a {type(default).__name__}"


def _read(path: Path, where: str) -> str:
    """The text of a configuration file: a regular file of at most 1 MiB (a pipe given as
    --config would wait for ever for a writer; /dev/zero would never end)."""
    import stat

    try:
        descriptor = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
        with open(descriptor, "rb") as handle:
            if not stat.S_ISREG(os.fstat(descriptor).st_mode):
                raise ConfigError(f"{where}: cannot read: not a regular file")
            raw = handle.read(MAX_CONFIG_BYTES + 1)
    except OSError as exc:
        raise ConfigError(f"{where}: cannot read: {exc.strerror or exc}") from None
    if len(raw) > MAX_CONFIG_BYTES:
        raise ConfigError(f"{where}: over {MAX_CONFIG_BYTES:,} bytes: not a configuration file")
    try:
        return raw.decode("utf-8").removeprefix("\ufeff")
    except UnicodeDecodeError as exc:
        line = raw.count(b"\n", 0, exc.start) + 1
        raise ConfigError(f"{where}:{line}: not UTF-8 (byte 0x{raw[exc.start]:02x}); save it as UTF-8") from None


def load_file(path: Path) -> Config | None:
    """The settings in one file; None for a pyproject.toml without `[tool.smartlint]`."""
    where = str(path)
    text = _read(path, where)
    if path.name == "pyproject.toml":
        import tomllib

        try:
            data = tomllib.loads(text)
        except (tomllib.TOMLDecodeError, RecursionError, ValueError) as exc:  # the message has line and column
            raise ConfigError(f"{where}: invalid TOML: {_cut(str(exc), 200)}") from None
        tool = data.get("tool", {})
        if not isinstance(tool, dict):
            raise ConfigError(f"{where}: `tool` must be a table ([tool.smartlint]), not {_show(tool)}")
        section = tool.get("smartlint")
        if section is None:
            return None
        return parse_config(section, where, str(path.parent.resolve()))
    import yaml

    from .sources.yaml_form import _Loader  # safe, and dates kept as text (an impossible one raised)

    loader = _Loader(text)
    try:
        data = loader.get_single_data() or {}
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        at = f":{mark.line + 1}:{mark.column + 1}" if mark else ""
        raise ConfigError(f"{where}{at}: invalid YAML: {exc.problem or exc.context}") from None
    except (yaml.YAMLError, ValueError, TypeError, OverflowError, RecursionError) as exc:
        raise ConfigError(f"{where}: invalid YAML: {_cut(str(exc), 200)}") from None
    finally:
        loader.dispose()
    return parse_config(data, where, str(path.parent.resolve()))


@cache
def config_for_dir(directory: str) -> Config:
    """The closest configuration at or above `directory` (defaults when there is none)."""
    current = Path(directory).resolve()
    while True:
        for name in CONFIG_FILES:
            candidate = current / name
            if os.path.isfile(candidate):  # False, not an error, in a folder that cannot be read
                found = load_file(candidate)
                if found is not None:
                    return found
        if current.parent == current:
            return Config()
        current = current.parent


@dataclass(frozen=True)
class Overrides:
    """Command-line settings, applied on top of every configuration file."""

    config_file: str | None = None
    select: tuple[str, ...] | None = None
    ignore: tuple[str, ...] = ()
    extend_select: tuple[str, ...] = ()
    fail_on: str | None = None
    exclude: tuple[str, ...] | None = None  # made absolute already (exclude_patterns)
    extend_exclude: tuple[str, ...] = ()
    force_exclude: bool | None = None

    def apply(self, config: Config) -> Config:
        if self.exclude is not None:
            config = replace(config, exclude=self.exclude)
        if self.extend_exclude:
            config = replace(config, extend_exclude=config.extend_exclude + self.extend_exclude)
        if self.force_exclude is not None:
            config = replace(config, force_exclude=self.force_exclude)
        if self.select is not None:
            config = replace(config, select=self.select)
        if self.ignore:
            config = replace(config, ignore=config.ignore + self.ignore)
        if self.extend_select:
            config = replace(config, extend_select=config.extend_select + self.extend_select)
        if self.fail_on is not None:
            config = replace(config, fail_on=self.fail_on)
        return config

    def validate(self) -> None:
        check_selectors((*(self.select or ()), *self.ignore, *self.extend_select), "command line")
        if self.fail_on is not None and self.fail_on not in SEVERITIES:
            raise ConfigError(f"command line: --fail-on must be one of {', '.join(SEVERITIES)}")


def resolve(path: str, overrides: Overrides) -> Config:
    """The configuration for `path`: the closest file (or --config) with the flags on top.
    Files in the same folder share one Config object."""
    return _resolve_dir(_directory_of(path), overrides)


@lru_cache(maxsize=65536)
def _directory_of(path: str) -> str:
    """The folder whose configuration applies (one stat per path: a run asks several times)."""
    return path if os.path.isdir(path) else os.path.dirname(path)


@cache
def _resolve_dir(directory: str, overrides: Overrides) -> Config:
    if overrides.config_file:
        base = load_file(Path(overrides.config_file))
        if base is None:
            raise ConfigError(f"{overrides.config_file}: no [tool.smartlint] section")
    else:
        base = config_for_dir(str(Path(directory or ".").resolve()))
    return overrides.apply(base)
