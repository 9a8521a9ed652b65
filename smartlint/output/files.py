"""Where output goes: standard output, or a file written whole or not at all.

Two rules hold for every command and every format:

- A character that UTF-8 cannot hold (a lone surrogate in a list name, the undecodable byte of a
  file name that is not UTF-8) is written as its `\\uXXXX` escape: readable in text, and in JSON
  the standard escape of the very same string.
- A write that fails (a folder, a missing or read-only place, a full disk, a closed pipe) is an
  :class:`OutputError` with a message that names the place, and the command exits 2. A file is
  written to a temporary file beside it and renamed over it at the end, so a failed run never
  leaves a truncated file where the user's previous output was.
"""

from __future__ import annotations

import io
import os
import stat
import sys
from contextlib import contextmanager
from typing import Iterator, TextIO

ERRORS = "backslashreplace"  # see the module's docstring


class OutputError(Exception):
    """The output cannot be written: a usage or environment error (exit 2), not a bug."""


def _reason(exc: OSError) -> str:
    return exc.strerror or str(exc) or type(exc).__name__


class _Stream(io.TextIOWrapper):
    """A text stream whose failures are :class:`OutputError` naming `where` (an OSError would be
    taken by the command-line library for its own: it exits 1 on a closed pipe)."""

    where = "standard output"

    def write(self, text: str) -> int:
        try:
            return super().write(text)
        except OSError as exc:
            raise OutputError(f"cannot write {self.where}: {_reason(exc)}") from None

    def flush(self) -> None:
        try:
            super().flush()
        except OSError as exc:
            raise OutputError(f"cannot write {self.where}: {_reason(exc)}") from None


def install_stdout() -> None:
    """Make sys.stdout such a stream (UTF-8, escapes for what UTF-8 cannot hold). A stream that
    is not a file (a test's capture) is left as it is."""
    current = sys.stdout
    if current is not sys.__stdout__ or isinstance(current, _Stream) or not isinstance(current, io.TextIOWrapper):
        return
    try:
        line_buffering = current.line_buffering
        current.flush()
        buffer = current.detach()
    except (OSError, ValueError):
        return
    sys.stdout = _Stream(buffer, encoding="utf-8", errors=ERRORS, line_buffering=line_buffering)
    if isinstance(sys.stderr, io.TextIOWrapper):
        sys.stderr.reconfigure(errors=ERRORS)


def _umask() -> int:
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


@contextmanager
def output_file(path: str | os.PathLike[str]) -> Iterator[TextIO]:
    """A text stream to `path`, written whole or not at all (see the module's docstring). Missing
    parent folders are made. A device or pipe (`/dev/null`, `/dev/stdout`) is written directly:
    nothing can be renamed over it."""
    shown = os.fspath(path)
    target = os.path.realpath(shown)  # through a symbolic link: the link stays a link
    try:
        info = os.stat(target)
    except FileNotFoundError:
        info = None
    except OSError as exc:
        raise OutputError(f"cannot write {shown}: {_reason(exc)}") from None
    if info is not None and stat.S_ISDIR(info.st_mode):
        raise OutputError(f"cannot write {shown}: it is a folder; give a file name")
    if info is not None and not stat.S_ISREG(info.st_mode):
        try:
            raw = open(target, "wb")  # noqa: SIM115 - closed below
        except OSError as exc:
            raise OutputError(f"cannot write {shown}: {_reason(exc)}") from None
        stream = _Stream(raw, encoding="utf-8", errors=ERRORS, newline="")
        stream.where = shown
        try:
            yield stream
            stream.flush()
        finally:
            try:
                stream.close()
            except (OSError, OutputError):
                pass
        return
    import tempfile  # only when writing a file (with random, ~1.5 ms of start-up otherwise)

    folder = os.path.dirname(target) or "."
    try:
        os.makedirs(folder, exist_ok=True)
        handle, temporary = tempfile.mkstemp(prefix=f".{os.path.basename(target)}.", suffix=".tmp", dir=folder)
    except OSError as exc:
        raise OutputError(f"cannot write {shown}: {_reason(exc)}") from None
    stream = _Stream(os.fdopen(handle, "wb"), encoding="utf-8", errors=ERRORS, newline="")  # "\n" on every system
    stream.where = shown
    done = False
    try:
        yield stream
        stream.flush()
        try:
            os.fsync(stream.fileno())  # a full disk may only say so here
            os.chmod(temporary, stat.S_IMODE(info.st_mode) if info is not None else 0o666 & ~_umask())
            stream.close()
            os.replace(temporary, target)
        except OSError as exc:
            raise OutputError(f"cannot write {shown}: {_reason(exc)}") from None
        done = True
    finally:
        if not done:
            try:
                stream.close()
            except (OSError, OutputError):
                pass
            try:
                os.unlink(temporary)
            except OSError:
                pass


@contextmanager
def output_stream(path: str | os.PathLike[str] | None) -> Iterator[TextIO]:
    """`output_file(path)`, or standard output when `path` is None."""
    if path is None:
        yield sys.stdout
        return
    with output_file(path) as stream:
        yield stream


def write_output(path: str | os.PathLike[str] | None, text: str) -> None:
    with output_stream(path) as stream:
        stream.write(text)


def read_input(path: str | os.PathLike[str]) -> bytes:
    """The bytes of a file the user gave to be read whole (a baseline, a previous report): only a
    regular file, opened without waiting (a pipe given by mistake would block the run for ever,
    /dev/zero would never end). Failures are OSError with a message for people."""
    import errno

    descriptor = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_CLOEXEC", 0))
    with open(descriptor, "rb") as handle:
        if not stat.S_ISREG(os.fstat(descriptor).st_mode):
            raise OSError(errno.EINVAL, "not a regular file")
        return handle.read()
