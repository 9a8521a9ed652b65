"""Rule documentation, generated from the rule's data in `rules/` (so it cannot drift): the
`explain` command and docs/rules.md both use it."""

from __future__ import annotations

import re

from .catalog import RuleMeta

_PLACEHOLDER = re.compile(r"\{values:(\d+)\}")


def expand_example(text: str) -> str:
    """Examples may write `{values:120}` for a list of 120 values; this writes them out."""
    return _PLACEHOLDER.sub(lambda m: ", ".join(f'"value {i}"' for i in range(1, int(m.group(1)) + 1)), text)


def _shown(text: str) -> str:
    return _PLACEHOLDER.sub(lambda m: f'"value 1", "value 2", … "value {m.group(1)}"', text)


def _prose(text: str) -> str:
    """Rule prose as Markdown text: a placeholder such as <field> outside a code span would be
    read as an HTML tag and vanish from `explain`, so its `<` is written as an entity."""
    parts = text.split("`")
    return "`".join(part if i % 2 else part.replace("<", "&lt;") for i, part in enumerate(parts))


def rule_markdown(meta: RuleMeta) -> str:
    options = ""
    if meta.options:
        rows = "\n".join(f"- `{name}` (default `{value}`)" for name, value in meta.options.items())
        options = f"\n## Options\n{rows}\n"
    sources = ""
    if meta.sources:
        rows = "\n".join(f"- {title}: <{url}>" if url else f"- {title}" for title, url in meta.sources)
        sources = f"\n## Sources\n{rows}\n"
    return (
        f"# {meta.code} `{meta.name}` ({meta.severity})\n\n"
        f"{_prose(meta.summary)}\n\n"
        f"## What it does\n{_prose(meta.what)}\n\n"
        f"## Why is this bad\n{_prose(meta.why)}\n\n"
        f"## Example\n```\n{_shown(meta.bad).rstrip()}\n```\n\n"
        f"## Use instead\n{_prose(meta.use_instead)}\n\n```\n{_shown(meta.good).rstrip()}\n```\n"
        f"{options}"
        f"{sources}"
    )
