"""Where `pull` writes: server data never becomes a path.

Every file name is built from an asset id that :func:`asset_id` has validated as a positive
integer within the Asset API's documented range; the folders are opened once without following
symbolic links and every write goes through their descriptors (`dir_fd`, `O_NOFOLLOW`), so
neither a hostile id nor a symbolic link planted inside `--out` can send a write elsewhere."""

from __future__ import annotations

import os
import re
import secrets
import stat
from pathlib import Path
from typing import Any, Callable

try:
    import fcntl
except ImportError:  # not a POSIX system: ExportFolder refuses to start, see below
    fcntl = None  # type: ignore[assignment]

# The Asset API's schema types a smart list id as int64 and a smart campaign id as int32.
SMART_LIST_ID_MAX = 2**63 - 1
CAMPAIGN_ID_MAX = 2**31 - 1
FOLDERS = {"smart-list": "smart-lists", "campaign": "campaigns"}

# `.<id>.json.<random>.tmp`: what a write in progress leaves behind when the process is killed
TEMPORARY = re.compile(r"\.[1-9][0-9]*\.json\.[A-Za-z0-9_]+\.tmp")


class UnsafePath(Exception):
    """A write `pull` refuses: it would leave the export folder or go through a link."""


def printable(value: Any, limit: int = 80, redact: Callable[[str], str] | None = None) -> str:
    """Server text fit for one line of a message: control characters, escapes and lone
    surrogates shown as escapes (a hostile name cannot drive the terminal), cut at `limit`.
    `redact` runs on the whole text first: a cut must not leave half a secret unrecognised."""
    text = value if isinstance(value, str) else repr(value)
    if redact is not None:
        text = redact(text)
    if len(text) > limit:
        text = text[:limit] + "…"
    if text.isprintable():
        return text
    return "".join(c if c.isprintable() and not 0xD800 <= ord(c) <= 0xDFFF else repr(c)[1:-1] for c in text)


def asset_id(value: Any, maximum: int, redact: Callable[[str], str] | None = None) -> int:
    """`value` as an asset id, or ValueError saying why not.

    Only a JSON integer is an id (Marketo sends ids as numbers): booleans, floats, numeric
    strings such as "123", zero, negatives and values beyond the documented range are refused,
    so what reaches a file name is always the decimal digits of a validated int."""
    if type(value) is int and 0 < value <= maximum:
        return value
    if isinstance(value, str):
        raise ValueError(f'the id "{printable(value, 40, redact)}" is not a number; Marketo ids are positive whole numbers')
    if type(value) is int:
        raise ValueError(f"the id {printable(value, 40, redact)} is out of range (1 to {maximum})")
    kind = "missing" if value is None else f"a {type(value).__name__.replace('dict', 'object').replace('list', 'array')}"
    raise ValueError(f"the id is {kind}, not a positive whole number")


class ExportFolder:
    """`--out`, opened once: writes go only to `<out>/smart-lists/<id>.json` and
    `<out>/campaigns/<id>.json`, each atomically (a temporary file, then a rename)."""

    def __init__(self, out: Path) -> None:
        if fcntl is None or os.open not in os.supports_dir_fd:
            raise OSError("pull writes through folder descriptors, which this system does not offer")
        out.mkdir(parents=True, exist_ok=True)
        self.root = out.resolve()
        self._fd = os.open(self.root, os.O_RDONLY | os.O_DIRECTORY | os.O_CLOEXEC)
        self._folders: dict[str, int] = {}

    def close(self) -> None:
        for fd in self._folders.values():
            os.close(fd)
        os.close(self._fd)

    def lock(self) -> None:
        """Only one pull writes into a folder at a time (the lock goes with the process, even on kill -9)."""
        try:
            fcntl.flock(self._fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise UnsafePath(f"another smartlint pull is writing into {self.root}") from None

    def folder(self, kind: str) -> int:
        """The descriptor of the kind's sub-folder, created if missing; a link or a file in its
        place is refused."""
        name = FOLDERS[kind]
        if name not in self._folders:
            try:
                os.mkdir(name, dir_fd=self._fd)
            except FileExistsError:
                pass
            try:
                self._folders[name] = os.open(name, os.O_RDONLY | os.O_DIRECTORY | os.O_NOFOLLOW | os.O_CLOEXEC, dir_fd=self._fd)
            except OSError:
                raise UnsafePath(f"{self.root / name} is a symbolic link or not a folder; smartlint writes only inside {self.root}") from None
        return self._folders[name]

    def remove_stale_temporaries(self, kind: str) -> int:
        """Delete the temporary files a killed pull left (only names `pull` itself makes)."""
        fd = self.folder(kind)
        removed = 0
        for name in os.listdir(fd):
            if TEMPORARY.fullmatch(name):
                try:
                    os.unlink(name, dir_fd=fd)
                    removed += 1
                except OSError:
                    pass
        return removed

    def _target(self, kind: str, ident: int) -> tuple[int, str]:
        if type(ident) is not int or ident <= 0:  # the one place names are made: only from a validated int
            raise UnsafePath(f'refusing a file name from "{printable(ident, 40)}"')
        name = f"{ident}.json"
        fd = self.folder(kind)
        expected = os.path.join(self.root, FOLDERS[kind], name)
        real = os.path.realpath(expected)
        if real != expected or os.path.commonpath([self.root, real]) != str(self.root):
            raise UnsafePath(f"{expected} is a symbolic link (to {real}); not written")
        return fd, name

    def read(self, kind: str, ident: int, limit: int) -> bytes | None:
        """What an earlier pull wrote for this asset (None if missing, a link or too large)."""
        try:
            fd, name = self._target(kind, ident)
            # O_NONBLOCK: a FIFO planted under an asset's name must not hang the pull
            handle = os.open(name, os.O_RDONLY | os.O_NOFOLLOW | os.O_CLOEXEC | os.O_NONBLOCK, dir_fd=fd)
        except (OSError, UnsafePath):
            return None
        try:
            if not stat.S_ISREG(os.fstat(handle).st_mode):  # a folder, a FIFO, a device: not ours
                return None
            data = os.read(handle, limit + 1)
        except OSError:
            return None
        finally:
            os.close(handle)
        return data if len(data) <= limit else None

    def write(self, kind: str, ident: int, data: bytes) -> Path:
        fd, name = self._target(kind, ident)
        temporary = f".{name}.{secrets.token_hex(6)}.tmp"
        handle = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW | os.O_CLOEXEC, 0o666, dir_fd=fd)
        try:
            with os.fdopen(handle, "wb") as stream:
                stream.write(data)
                stream.flush()
                os.fsync(stream.fileno())
            os.replace(temporary, name, src_dir_fd=fd, dst_dir_fd=fd)
        except BaseException:
            try:
                os.unlink(temporary, dir_fd=fd)
            except OSError:
                pass
            raise
        return self.root / FOLDERS[kind] / name
