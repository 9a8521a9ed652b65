"""The REST structure written as YAML, with positions taken from the YAML nodes."""

from __future__ import annotations

import bisect
import re

import yaml

from ..model import Document, InputError, Location, Suppression
from . import comment_owner
from .rest import DISABLE_RE, disabled_codes, load_rest, long_number

class _Loader(getattr(yaml, "CSafeLoader", yaml.SafeLoader)):  # type: ignore[misc]
    """Safe loading, with timestamps kept as the text they are: Marketo's dates are strings, and
    PyYAML raises on impossible ones such as 10:82 (found by fuzzing)."""


_Loader.add_constructor("tag:yaml.org,2002:timestamp", lambda loader, node: loader.construct_scalar(node))


def load_yaml(text: str, document: Document) -> None:
    loader = _Loader(text)
    try:
        nodes = []
        while loader.check_node():  # `---` separates documents: one smart list each, like a JSON array
            nodes.append(loader.get_node())
        if len(nodes) > 1:  # an empty document (a trailing `---`) holds nothing
            nodes = [n for n in nodes if not (isinstance(n, yaml.ScalarNode) and n.tag.endswith(":null") and not n.value)]
        if not nodes:
            document.errors.append(InputError("YAML file holds no document: expected a smart list", Location(document.path, 1, 1)))
            return
        several = len(nodes) > 1  # then pointers start with the document's index, as in a JSON array
        for node in nodes if several else ():  # an API response is a file of its own
            if isinstance(node, yaml.MappingNode) and any(getattr(k, "value", None) in ("result", "success") for k, _ in node.value):
                mark = node.start_mark
                document.errors.append(InputError(
                    "an API response (`result`) in a YAML file of several documents: such a file holds one smart "
                    "list in each document; put the response in a file of its own",
                    Location(document.path, mark.line + 1, mark.column + 1)))
                return
        marks = {"": (1, 1)}
        for index, node in enumerate(nodes):
            found = _marks(node, document, f"/{index}" if several else "")
            if found is None:
                return
            marks.update(found)
        data = [loader.construct_document(node) for node in nodes] if several else loader.construct_document(nodes[0])
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line, column = (mark.line + 1, mark.column + 1) if mark else (1, 1)
        problem = exc.problem or exc.context or "invalid YAML"
        document.errors.append(InputError(f"invalid YAML: {problem}", Location(document.path, line, column)))
        return
    except yaml.YAMLError as exc:
        document.errors.append(InputError(f"invalid YAML: {exc}", Location(document.path, 1, 1)))
        return
    except (ValueError, TypeError, OverflowError) as exc:  # a constructor refused a value
        document.errors.append(long_number(text, document.path) or InputError(f"invalid YAML value: {exc}", Location(document.path, 1, 1)))
        return
    finally:
        loader.dispose()
    def locate(pointer: str) -> tuple[int, int]:
        # inside a node reached again through an alias (`- *filter`), whose children were marked
        # where the anchor is: the closest mark above, that of the alias itself
        found = marks.get(pointer)
        while found is None and pointer:
            pointer = pointer[: pointer.rfind("/")]
            found = marks.get(pointer)
        return found or (1, 1)

    load_rest(data, document, locate)
    if "smartlint:" in text and document.lists:  # most files have no suppression comment: no second scan
        _comment_suppressions(text, document, nodes)


def _comment_suppressions(text: str, document: Document, nodes: list[yaml.Node]) -> None:
    """`# smartlint: disable=…` comments, read as the text form reads them: on a filter's lines (from
    its first line to the next filter's) for that filter, elsewhere in a list for the whole list, and
    between or above lists for the list below. A `#` inside a quoted or block scalar is no comment:
    the scanner's scalar tokens tell them apart."""
    scalars = sorted((t.start_mark.index, t.end_mark.index) for t in yaml.scan(text, Loader=_Loader) if isinstance(t, yaml.ScalarToken))
    comments: list[tuple[int, int, tuple[str, ...], bool]] = []  # (line, column, codes, alone on its line), 1-based
    lines = text.splitlines(keepends=True)
    offset = 0
    for number, line in enumerate(lines, 1):
        for match in _COMMENT.finditer(line):
            at = offset + match.start(1)
            inside = bisect.bisect_right(scalars, (at, float("inf"))) - 1
            if inside >= 0 and scalars[inside][0] <= at < scalars[inside][1]:
                continue
            found = DISABLE_RE.search(line, match.end(1))
            if found:
                alone = not line[: match.start(1)].strip()
                comments.append((number, match.start(1) + 1, disabled_codes(found), alone))
            break  # the rest of the line is this comment
        offset += len(line)
    if not comments:
        return
    spans = []  # (first line, last line, list) of each list, in file order
    for smart_list in document.lists:
        node = _node_at(nodes, smart_list.location.pointer)
        if node is not None:
            spans.append((node.start_mark.line + 1, node.end_mark.line + (node.end_mark.column > 0), smart_list))
    spans.sort(key=lambda span: span[0])
    for line, column, codes, alone in comments:
        owner = next((s for s in spans if s[0] <= line <= s[1]), None) or next((s for s in spans if s[0] > line), None) or (spans[-1] if spans else None)
        if owner is None:
            continue
        smart_list = owner[2]
        rules = sorted([(f.location.line, f.number) for f in smart_list.filters] + [(t.location.line, None) for t in smart_list.triggers], key=lambda r: r[0] or 0)
        # a comment on a line of its own right above a filter is that filter's, as YAML comments
        # describe what follows them; any other comment belongs to the filter whose lines it is on
        below = line + 1
        while alone and below <= len(lines) and (not lines[below - 1].strip() or lines[below - 1].lstrip().startswith("#")):
            below += 1
        at = below if alone else line
        smart_list.suppressions += (Suppression(codes, comment_owner(at, rules), Location(document.path, line, column)),)


_COMMENT = re.compile(r"(?:^|(?<=[ \t]))(#)")


def _node_at(nodes: list[yaml.Node], pointer: str) -> yaml.Node | None:
    """The node a JSON pointer names (its first segment picks the document of a multi-document file)."""
    segments = pointer.split("/")[1:] if pointer else []
    if len(nodes) > 1:
        if not segments or not segments[0].isdigit() or int(segments[0]) >= len(nodes):
            return None
        node, segments = nodes[int(segments[0])], segments[1:]
    else:
        node = nodes[0]
    for segment in segments:
        key = segment.replace("~1", "/").replace("~0", "~")
        if isinstance(node, yaml.MappingNode):
            node = next((v for k, v in node.value if isinstance(k, yaml.ScalarNode) and str(k.value) == key), None)
        elif isinstance(node, yaml.SequenceNode) and key.isdigit() and int(key) < len(node.value):
            node = node.value[int(key)]
        else:
            return None
        if node is None:
            return None
    return node


def _marks(root: yaml.Node, document: Document, base: str = "") -> dict[str, tuple[int, int]] | None:
    """pointer -> (line, column) for every mapping entry and sequence item (below `base`: `/2`
    for the third document of a multi-document file). Each node is visited once, so aliases
    cannot blow the walk up; a duplicate key is an input error."""
    marks: dict[str, tuple[int, int]] = {base: (root.start_mark.line + 1, root.start_mark.column + 1)}
    seen: set[int] = set()
    stack: list[tuple[yaml.Node, str]] = [(root, base)]
    while stack:
        node, pointer = stack.pop()
        if id(node) in seen:
            continue
        seen.add(id(node))
        if isinstance(node, yaml.MappingNode):
            keys: set[str] = set()
            for key_node, value_node in node.value:
                key = str(key_node.value) if isinstance(key_node, yaml.ScalarNode) else "?"
                if key in keys and key != "<<":
                    mark = key_node.start_mark
                    document.errors.append(
                        InputError(f"duplicate key `{key}`: YAML keeps only one of them; remove the other", Location(document.path, mark.line + 1, mark.column + 1, pointer))
                    )
                    return None
                keys.add(key)
                child = f"{pointer}/{key.replace('~', '~0').replace('/', '~1')}"
                marks[child] = (key_node.start_mark.line + 1, key_node.start_mark.column + 1)
                stack.append((value_node, child))
        elif isinstance(node, yaml.SequenceNode):
            for index, item in enumerate(node.value):
                child = f"{pointer}/{index}"
                marks[child] = (item.start_mark.line + 1, item.start_mark.column + 1)
                stack.append((item, child))
    return marks
