"""A rich progress bar on standard error, for large exports on a terminal only."""

from __future__ import annotations

import sys

MIN_FILES = 200


class Progress:
    def __init__(self) -> None:
        self._bar = None
        self._task = None

    def start(self, total: int) -> None:
        if total < MIN_FILES or not sys.stderr.isatty():
            return
        from rich.console import Console
        from rich.progress import BarColumn, MofNCompleteColumn, Progress as Bar, TimeRemainingColumn

        self._bar = Bar("linting", BarColumn(), MofNCompleteColumn(), TimeRemainingColumn(), console=Console(stderr=True), transient=True)
        self._bar.start()
        self._task = self._bar.add_task("lint", total=total)

    def advance(self, count: int) -> None:
        if self._bar is not None:
            self._bar.advance(self._task, count)

    def stop(self) -> None:
        if self._bar is not None:
            self._bar.stop()
            self._bar = None
