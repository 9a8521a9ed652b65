"""The REST structure written as YAML, with positions taken from the YAML nodes."""

from __future__ import annotations

import yaml

from ..model import Document, InputError, Location
from .rest import load_rest, long_number

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
        if len(nodes) == 1:
            marks = _marks(nodes[0], document)
            if marks is None:
                return
            data = loader.construct_document(nodes[0])
        else:
            for node in nodes:  # an API response is a file of its own
                if isinstance(node, yaml.MappingNode) and any(getattr(k, "value", None) in ("result", "success") for k, _ in node.value):
                    mark = node.start_mark
                    document.errors.append(InputError(
                        "an API response (`result`) in a YAML file of several documents: such a file holds one smart "
                        "list in each document; put the response in a file of its own",
                        Location(document.path, mark.line + 1, mark.column + 1)))
                    return
            marks = {"": (1, 1)}
            for index, node in enumerate(nodes):
                found = _marks(node, document, f"/{index}")
                if found is None:
                    return
                marks.update(found)
            data = [loader.construct_document(node) for node in nodes]
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
