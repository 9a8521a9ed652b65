"""Which files `lint` reads: folders are searched for `*.json *.yaml *.yml *.smartlist`, skipping
hidden entries and whatever `exclude` / `extend-exclude` name, as ruff does. Files named on the
command line are read whatever their name, unless `force-exclude` is on (the pre-commit hook
sets it, since pre-commit names every changed file)."""

from __future__ import annotations

import os
import re
from fnmatch import translate
from functools import lru_cache
from pathlib import Path
from typing import Iterable, Iterator

from .config import Config, Overrides, resolve
from .sources import SUFFIXES


@lru_cache(maxsize=64)
def _matchers(patterns: tuple[str, ...]) -> tuple[re.Pattern[str] | None, re.Pattern[str] | None]:
    """One regular expression for the name patterns and one for the path patterns: a file is
    matched once, not once per pattern (tens of thousands of files, ~30 patterns)."""
    names = [translate(p) for p in patterns if not os.path.isabs(p)]
    paths = [translate(p) for p in patterns if os.path.isabs(p)]
    return (re.compile("|".join(names)) if names else None, re.compile("|".join(paths)) if paths else None)


def is_excluded(path: str, config: Config) -> bool:
    """Whether `path` (a file or a folder) itself matches the configuration's exclusions."""
    names, paths = _matchers(config.exclude + config.extend_exclude)
    if names is not None and names.match(os.path.basename(path) or path):
        return True
    return paths is not None and paths.match(os.path.abspath(path)) is not None


def _excluded_named(path: str, overrides: Overrides) -> bool:
    """For a path named on the command line under force-exclude: it, or a folder above it up to
    its configuration's root, is excluded (as ruff's `is_file_excluded`). Folders above the root
    are not looked at: a project kept in `~/build/` is not excluded by `build`."""
    current = os.path.abspath(path)
    root = os.path.abspath(resolve(current, overrides).root)
    while True:
        if is_excluded(current, resolve(current, overrides)):
            return True
        parent = os.path.dirname(current)
        if current == root or parent == current or os.path.commonpath([parent, root]) != root:
            return False
        current = parent


def discover(paths: Iterable[str | Path], overrides: Overrides = Overrides()) -> Iterator[tuple[str, bool]]:
    """Files to lint, in a stable order: (path, named_explicitly). Each file comes once, however
    often and however it is named (`x`, `./x`, a file and its folder, a link to it). A folder
    that cannot be read comes too, for its SL001: it is not silently left out."""
    seen: set[str] = set()
    for path, explicit, real in _discover(paths, overrides):
        if real not in seen:
            seen.add(real)
            yield path, explicit


def _discover(paths: Iterable[str | Path], overrides: Overrides) -> Iterator[tuple[str, bool, str]]:
    """(path, named_explicitly, real path)."""
    for raw in paths:
        path = Path(raw)
        if os.path.isdir(path):  # False, not an error, where it cannot be looked at
            if resolve(str(path), overrides).force_exclude and _excluded_named(str(path), overrides):
                continue
            found: dict[str, str] = {}  # path: real path
            unreadable: list[OSError] = []
            for root, dirs, files in os.walk(path, onerror=unreadable.append):
                config = resolve(root, overrides)
                dirs[:] = sorted(d for d in dirs if not d.startswith(".") and not is_excluded(os.path.join(root, d), config))
                real_root = None
                for name in files:
                    if name.startswith(".") or os.path.splitext(name)[1].lower() not in SUFFIXES:
                        continue
                    full = os.path.normpath(os.path.join(root, name))  # `x.json`, not `./x.json`
                    if not is_excluded(full, config):
                        # the folder's real path once, then one lstat per file instead of a
                        # realpath (an lstat per folder on the way): 10,000 files 0.08 s -> 0.01 s
                        if real_root is None:
                            real_root = os.path.realpath(os.path.dirname(full))
                        found[full] = os.path.realpath(full) if os.path.islink(full) else os.path.join(real_root, name)
            for error in unreadable:
                if error.filename:
                    found[os.path.normpath(error.filename)] = os.path.realpath(os.path.normpath(error.filename))
            for item in sorted(found):
                yield item, False, found[item]
        else:
            if os.path.exists(raw) and resolve(str(raw), overrides).force_exclude and _excluded_named(str(raw), overrides):
                continue
            yield str(raw), True, os.path.realpath(raw)
