"""Reporters: each turns a lint result into one output format. They only read the result."""


# Names and values come from the export, which a hostile server may have written: a control
# character (an ANSI escape, a bell, a carriage return) is shown as its escape, never sent to a
# terminal or a CI log, where it could recolour, retitle or overwrite what the user reads.
_CONTROLS = {c: f"\\u{c:04x}" for c in (*range(0x20), *range(0x7F, 0xA0))}


def escape_controls(text: str) -> str:
    """`text` with every C0/C1 control character written as its `\\uXXXX` escape."""
    return text.translate(_CONTROLS)
