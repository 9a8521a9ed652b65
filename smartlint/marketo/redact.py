"""Secrets out of every message and every file `pull` writes, in any encoding a hostile echo
could produce.

A secret is matched character by character, each character in any of its encodings (itself in
either case, `%XX` and double `%25XX` URL escapes of its UTF-8 bytes in either hex case, `+` for a
space, JSON `\\uXXXX` and short escapes, `\\xXX`, HTML character references), so raw, `quote`,
`quote_plus`, JSON-escaped and mixed forms are one pattern; its hex and base64 forms (at each of
the three alignments base64 can put it in, so inside `Basic base64(id:secret)` too) are matched
as well. Finding comes first and is cheap: case-folded substring searches in the text and in its
decodings (URL with and without `+`, HTML, backslash escapes in either case), three layers deep
for a message; the pattern runs only on a text found to hold a secret, and a text that still
holds one after it (a nesting the pattern does not know) is withheld whole."""

from __future__ import annotations

import base64
import binascii
import html
import re
from typing import Any, Iterable
from urllib.parse import unquote, unquote_plus

MASK = "***"
WITHHELD = "[withheld: it held a secret]"
_JSON_SHORT = {'"': r'\\"', "\\": r"\\\\", "/": r"\\/", "\b": r"\\b", "\f": r"\\f", "\n": r"\\n", "\r": r"\\r", "\t": r"\\t"}
_HTML_NAMED = {'"': "&quot;", "&": "&amp;", "<": "&lt;", ">": "&gt;", "'": "&(?:#39|apos);"}


def _char(c: str) -> str:
    forms = [re.escape(c)]
    forms.append("".join(f"%(?:25)?{b:02x}" for b in c.encode("utf-8")))
    forms.append("".join(rf"\\x{b:02x}" for b in c.encode("utf-8")))
    code = ord(c)
    if code <= 0xFFFF:
        forms.append(rf"\\u{code:04x}")
    else:  # a JSON surrogate pair
        high, low = 0xD800 + ((code - 0x10000) >> 10), 0xDC00 + ((code - 0x10000) & 0x3FF)
        forms.append(rf"\\u{high:04x}\\u{low:04x}")
    forms.append(rf"&#0*{code};")
    forms.append(rf"&#x0*{code:x};")
    if c in _JSON_SHORT:
        forms.append(_JSON_SHORT[c])
    if c in _HTML_NAMED:
        forms.append(_HTML_NAMED[c])
    if c == " ":
        forms.append(r"\+")
    return "(?:" + "|".join(forms) + ")"


def _base64_cores(secret: bytes) -> set[str]:
    """The base64 characters that depend only on `secret`, at each alignment, both alphabets."""
    cores = set()
    for shift in range(3):
        for encode in (base64.b64encode, base64.urlsafe_b64encode):
            text = encode(b"\0" * shift + secret + b"\0\0").decode()
            first = -(-8 * shift // 6)
            last = 8 * (shift + len(secret)) // 6
            core = text[first:last]
            if len(core) >= 4:
                cores.add(core)
    return cores


_BACKSLASH = re.compile(r"\\(?:[uU]([0-9a-fA-F]{4})|[xX]([0-9a-fA-F]{2})|([\"\\/bfnrtBFNRT]))")
_SHORT = {"b": "\b", "f": "\f", "n": "\n", "r": "\r", "t": "\t"}


def _unbackslash(match: re.Match[str]) -> str:
    """One JSON or Python backslash escape, in either case (an upper-cased echo stays readable)."""
    if match.group(1):
        return chr(int(match.group(1), 16))
    if match.group(2):
        return chr(int(match.group(2), 16))
    char = match.group(3)
    return _SHORT.get(char.lower(), char)


def _decodings(text: str) -> list[str]:
    """`text` decoded each way a hostile echo may have encoded it (the ones that change it)."""
    out = []
    if "%" in text:
        out.append(unquote(text))
    if "+" in text:
        out.append(unquote_plus(text))
    if "&" in text:
        out.append(html.unescape(text))
    if "\\" in text:
        unescaped = _BACKSLASH.sub(_unbackslash, text)
        try:  # JSON writes a character beyond the BMP as a surrogate pair
            unescaped = unescaped.encode("utf-16", "surrogatepass").decode("utf-16")
        except UnicodeError:
            pass
        out.append(unescaped)
        if "\\x" in text.lower():  # \xHH escapes of UTF-8 bytes
            out.append(unescaped.encode("latin-1", "ignore").decode("utf-8", "replace"))
    return out


class Redactor:
    def __init__(self, secrets: Iterable[str | None] = ()) -> None:
        self._secrets: list[str] = []
        self._pattern: re.Pattern[str] | None = None
        self._cores: list[str] = []
        for secret in secrets:
            self.add(secret)

    def add(self, secret: str | None) -> None:
        if not secret or secret in self._secrets:
            return
        self._secrets.append(secret)
        self._secrets.sort(key=len, reverse=True)  # the longest first: a token holding the id stays whole
        alternatives = ["".join(_char(c) for c in s) for s in self._secrets]
        alternatives += [s.encode("utf-8").hex() for s in self._secrets]
        self._pattern = re.compile("|".join(alternatives), re.IGNORECASE)
        self._cores = sorted({core for s in self._secrets for core in _base64_cores(s.encode("utf-8"))}, key=len, reverse=True)
        self._needles = [s.casefold() for s in self._secrets] + [s.encode("utf-8").hex() for s in self._secrets]

    def __call__(self, text: str) -> str:
        """`text` with every secret masked (or withheld whole when one survives decoding)."""
        if not text or not self.holds(text):
            return text
        text = self._pattern.sub(MASK, text)
        for core in self._cores:
            text = text.replace(core, MASK)
        return WITHHELD if self.holds(text) else text

    def holds(self, text: str) -> bool:
        """Whether `text` holds a secret in any form this module knows. Fast: substring searches
        in the text and in its decodings (URL, HTML, backslash escapes), three layers deep for a
        message, one for a whole asset; the pattern runs only where this says yes."""
        if self._pattern is None or not text:
            return False
        if any(core in text for core in self._cores):
            return True
        layers = [text]
        for _ in range(3 if len(text) <= 65536 else 1):
            for layer in layers:
                folded = layer.casefold()
                if any(secret in folded for secret in self._needles):
                    return True
            layers = [d for d in dict.fromkeys(decoded for layer in layers for decoded in _decodings(layer)) if d not in layers]
            if not layers:
                return False
        folded_layers = (layer.casefold() for layer in layers)
        return any(secret in folded for folded in folded_layers for secret in self._needles)

    def scrub(self, value: Any) -> tuple[Any, bool]:
        """`value` (parsed JSON) with every string, keys too, redacted; True if anything changed.
        Iterative: a body nested as deep as the JSON parser allows does not exhaust the stack."""
        changed = False

        def clean(text: str) -> str:
            nonlocal changed
            result = self(text)
            if result != text:
                changed = True
            return result

        if isinstance(value, str):
            return clean(value), changed
        root = [value]
        stack: list[tuple[Any, Any]] = [(root, 0)]
        while stack:
            container, key = stack.pop()
            item = container[key]
            if isinstance(item, str):
                container[key] = clean(item)
            elif isinstance(item, list):
                stack.extend((item, i) for i in range(len(item)))
            elif isinstance(item, dict):
                renamed = {clean(k) if isinstance(k, str) else k: v for k, v in item.items()}
                if list(renamed) != list(item):
                    item.clear()
                    item.update(renamed)
                stack.extend((item, k) for k in item)
        return root[0], changed
