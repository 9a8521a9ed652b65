"""The Member of Smart List graph: which list references which, by name (or id)."""

from __future__ import annotations

from dataclasses import dataclass, field

from ..checks import Problem
from ..model import Filter, ListKind, SmartList


@dataclass
class Graph:
    edges: list[list[int]]  # list index -> referenced list indices
    uses: list[list[tuple[Filter, str, int | None]]]  # per list: (filter, referenced name, target or None)
    depth: list[int] = field(default_factory=list)
    best: list[int | None] = field(default_factory=list)  # the next list on the deepest chain below each list
    cycles: list[list[int]] = field(default_factory=list)
    # a name that several lists of the export have: (list, name) -> every candidate. `edges` and
    # `uses` follow the first; cycles are searched through all of them (`possible` edges)
    ambiguous: dict[tuple[int, str], list[int]] = field(default_factory=dict)
    possible: set[tuple[int, int]] = field(default_factory=set)  # (from, to) edges of an ambiguous name
    cycle_edges: list[list[int]] = field(default_factory=list)  # `edges` and the possible ones
    # campaign smart lists by folded name: never a reference's target, named when a reference is unresolved
    campaigns: dict[str, list[int]] = field(default_factory=dict)


def build_graph(lists: list[SmartList]) -> Graph:
    by_name: dict[str, list[int]] = {}
    by_folded: dict[str, list[int]] = {}
    by_id: dict[str, int] = {}
    campaigns: dict[str, list[int]] = {}
    for index, smart_list in enumerate(lists):
        if smart_list.kind is ListKind.CAMPAIGN:
            # a campaign's smart list belongs to its campaign: Member of Smart List picks smart lists only
            campaigns.setdefault(smart_list.name.casefold().strip(), []).append(index)
            if smart_list.id is not None:  # a reference by id, as Member of Smart List also takes
                campaigns.setdefault(str(smart_list.id), []).append(index)
            continue
        by_name.setdefault(smart_list.name, []).append(index)
        by_folded.setdefault(smart_list.name.casefold().strip(), []).append(index)
        if smart_list.id is not None:
            by_id.setdefault(str(smart_list.id), index)
    edges: list[list[int]] = []
    uses: list[list[tuple[Filter, str, int | None]]] = []
    ambiguous: dict[tuple[int, str], list[int]] = {}
    for node, smart_list in enumerate(lists):
        out_edges: list[int] = []
        out_uses: list[tuple[Filter, str, int | None]] = []
        for item in smart_list.filters:
            if item.kind != "smart-list" or not item.conditions:
                continue
            for name in item.primary.values if item.primary else ():
                candidates = by_name.get(name) or by_folded.get(name.casefold().strip())
                if candidates is None:
                    found = by_id.get(name.strip())
                    candidates = [found] if found is not None else None
                target = candidates[0] if candidates else None
                if candidates is not None and len(candidates) > 1:
                    ambiguous[(node, name)] = candidates
                out_uses.append((item, name, target))
                if target is not None:
                    out_edges.append(target)
        edges.append(out_edges)
        uses.append(out_uses)
    graph = Graph(edges, uses, ambiguous=ambiguous, campaigns=campaigns)
    if ambiguous:  # a cycle through any of the lists a name may mean is a possible cycle
        every = [list(e) for e in edges]
        for (node, _), candidates in ambiguous.items():
            every[node].extend(c for c in candidates[1:] if c not in every[node])
            graph.possible.update((node, c) for c in candidates)
        graph.cycle_edges = every
    else:
        graph.cycle_edges = edges
    graph.cycles = _cycles(graph.cycle_edges)
    graph.depth, graph.best = _depths(edges, graph.cycles)
    return graph


def _cycles(edges: list[list[int]]) -> list[list[int]]:
    """Strongly connected components with a cycle (Tarjan's algorithm, iterative)."""
    index_of: dict[int, int] = {}
    low: dict[int, int] = {}
    on_stack: set[int] = set()
    stack: list[int] = []
    out: list[list[int]] = []
    counter = 0
    for root in range(len(edges)):
        if root in index_of or not edges[root]:
            continue
        work = [(root, 0)]
        index_of[root] = low[root] = counter
        counter += 1
        stack.append(root)
        on_stack.add(root)
        while work:
            node, i = work[-1]
            if i < len(edges[node]):
                work[-1] = (node, i + 1)
                child = edges[node][i]
                if child not in index_of:
                    index_of[child] = low[child] = counter
                    counter += 1
                    stack.append(child)
                    on_stack.add(child)
                    work.append((child, 0))
                elif child in on_stack:
                    low[node] = min(low[node], index_of[child])
                continue
            work.pop()
            if work:
                parent = work[-1][0]
                low[parent] = min(low[parent], low[node])
            if low[node] == index_of[node]:
                component = []
                while True:
                    member = stack.pop()
                    on_stack.discard(member)
                    component.append(member)
                    if member == node:
                        break
                if len(component) > 1 or node in edges[node]:
                    out.append(sorted(component))
    return out


def _depths(edges: list[list[int]], cycles: list[list[int]]) -> tuple[list[int], list[int | None]]:
    """Longest chain of references below each list, and the next list on that chain; edges inside
    a cycle are not followed, so what is followed has no cycle. Depth first, children before
    their parents."""
    in_cycle = {n: i for i, comp in enumerate(cycles) for n in comp}
    depth = [-1] * len(edges)
    best: list[int | None] = [None] * len(edges)

    def followed(node: int) -> list[int]:
        c = in_cycle.get(node)
        return [x for x in edges[node] if c is None or in_cycle.get(x) != c]

    for root in range(len(edges)):
        if depth[root] >= 0:
            continue
        if not edges[root]:  # most lists reference none
            depth[root] = 0
            continue
        work = [(root, iter(followed(root)))]
        on_path = {root}  # a guard: what is followed has no cycle
        while work:
            node, children = work[-1]
            for child in children:  # resumes where this node left off
                if depth[child] < 0 and child not in on_path:
                    work.append((child, iter(followed(child))))
                    on_path.add(child)
                    break
            else:  # every child is done, so this node's depth is known
                work.pop()
                on_path.discard(node)
                value, chosen = 0, None
                for child in followed(node):
                    if depth[child] + 1 > value:
                        value, chosen = depth[child] + 1, child
                depth[node], best[node] = value, chosen
    return depth, best


def chain_below(graph: Graph, node: int, limit: int | None = None) -> list[int]:
    """The deepest chain of references from `node`: node, the list it references, and so on (its
    first `limit` lists)."""
    chain, current, seen = [node], graph.best[node], {node}
    while current is not None and current not in seen and (limit is None or len(chain) < limit):
        chain.append(current)
        seen.add(current)
        current = graph.best[current]
    return chain


SHOWN = 12  # names a message shows of a longer chain or cycle


def _names(lists: list[SmartList], head: list[int], length: int, tail: list[int] | tuple = ()) -> str:
    """`"A" → "B" → "C"` for a path of `length` lists, given by its first lists (`head`: all of
    them when it is short) and its last (`tail`). The middle of a long path is left out: a chain
    of thousands of lists would otherwise write its whole length into the message of each."""
    shown = head if length <= len(head) + len(tail) else [*head, None, *tail]
    hidden = length - len(head) - len(tail)
    return " → ".join(f'"{lists[i].name}"' if i is not None else f"… {hidden:,} more …" for i in shown)


def _cycle_paths(edges: list[list[int]], component: list[int]):
    """(member, head, tail, length) of a cycle through each member of a strongly connected
    component: the shortest cycle through its first member, begun at each member it passes, and
    for any other member a search of its own. (A search from every member was quadratic on a
    cycle of thousands of lists.)"""
    ring = _cycle_path(edges, component, component[0])[:-1]
    place = {node: i for i, node in enumerate(ring)}
    size = len(ring)
    for node in component:
        if node in place:
            i = place[node]
            if size + 1 <= SHOWN:
                yield node, [*ring[i:], *ring[:i], node], [], size + 1
            else:
                yield node, [ring[(i + j) % size] for j in range(SHOWN - 2)], [ring[(i - 1) % size], node], size + 1
        else:
            path = _cycle_path(edges, component, node)
            yield node, (path if len(path) <= SHOWN else path[: SHOWN - 2]), ([] if len(path) <= SHOWN else path[-2:]), len(path)


def _cycle_path(edges: list[list[int]], component: list[int], start: int) -> list[int]:
    """A shortest path start → … → start inside the component (breadth first)."""
    members = set(component)
    previous = {start: None}
    queue = [start]
    for node in queue:
        for child in edges[node]:
            if child == start:
                path = [node]
                while previous[path[-1]] is not None:
                    path.append(previous[path[-1]])
                return [*reversed(path), start]
            if child in members and child not in previous:
                previous[child] = node
                queue.append(child)
    return [start, start]


def _use_of(graph: Graph, node: int, target: int) -> Filter | None:
    """The filter of `node` that references `target` (or may: an ambiguous name)."""
    for item, name, first in graph.uses[node]:
        if first == target or target in graph.ambiguous.get((node, name), ()):
            return item
    return None


def _where(lists: list[SmartList], paths: list[str] | None, index: int) -> str:
    smart_list = lists[index]
    label = f"[id {smart_list.id}]" if smart_list.id is not None else f'"{smart_list.name}"'
    return f"{label} in {paths[index]}" if paths is not None else label


def graph_problems(lists: list[SmartList], graph: Graph, max_depth: int, paths: list[str] | None = None):
    """(list index, code, Problem) for cycles, deep chains, unresolved and ambiguous names and
    referenced Random Samples. `paths`: each list's file, to name the candidates of a name."""
    in_cycle = set()
    for component in graph.cycles:
        members = set(component)
        for node, head, tail, length in _cycle_paths(graph.cycle_edges, component):
            in_cycle.add(node)
            target = head[1]
            item = _use_of(graph, node, target)
            path = [*head, *tail]
            if len(path) == length:  # the whole cycle is shown: is any of its steps only possible?
                steps = list(zip(path, path[1:]))
            else:
                steps = [(a, b) for a, b in graph.possible if a in members and b in members]
            uncertain = [(a, b) for a, b in steps if (a, b) in graph.possible]
            if uncertain:
                names = sorted({n for a, _ in uncertain for (m, n) in graph.ambiguous if m == a})
                yield node, "SL403", Problem(
                    f"possible Member of Smart List cycle {_names(lists, head, length, tail)}: "
                    f"{', '.join(f'{chr(34)}{n}{chr(34)}' for n in names)} is the name of several lists of the export (SL404), and "
                    "if the reference means the list on this path, a list includes itself and Marketo cannot evaluate it; "
                    "check which list Marketo uses (the filter in the Marketo UI) and break the cycle if it is one",
                    item,
                    severity="warning",  # a guess through an ambiguous name must not fail CI as a certain cycle does
                )
                continue
            yield node, "SL403", Problem(
                f"Member of Smart List cycle {_names(lists, head, length, tail)}: a list cannot include itself; "
                "Marketo cannot evaluate these lists; break the cycle",
                item,
            )
    for node, depth in enumerate(graph.depth):
        if depth > max_depth:
            chain = chain_below(graph, node, SHOWN if depth + 1 <= SHOWN else SHOWN - 2)
            item = _use_of(graph, node, chain[1])
            yield node, "SL402", Problem(
                f"Member of Smart List nests {depth} levels deep ({_names(lists, chain, depth + 1)}), over {max_depth}: "
                "every level is evaluated on each run; reference a static list (or a Boolean field) kept by a daily batch "
                "campaign at the deepest level that does not need to be live, so the chain stops there",
                item,
            )
    reported: set[str] = set()
    for node, uses in enumerate(graph.uses):
        for item, name, target in uses:
            candidates = graph.ambiguous.get((node, name))
            if candidates is not None:
                key = "\0" + name.casefold().strip()
                if key not in reported:
                    reported.add(key)
                    shown = "; ".join(_where(lists, paths, c) for c in candidates[:SHOWN])
                    more = f" and {len(candidates) - SHOWN:,} more" if len(candidates) > SHOWN else ""
                    yield node, "SL404", Problem(
                        f'Member of Smart List references "{name}", which is the name of {len(candidates)} lists in this '
                        f"export ({shown}{more}): the reference gives only the name, so smartlint cannot tell which "
                        "one Marketo uses, and checks cycles through each of them; check the filter in the Marketo UI, "
                        "and give the lists distinct names",
                        item,
                    )
            if target is None:
                key = name.casefold().strip()
                if key not in reported:
                    reported.add(key)
                    campaigns = graph.campaigns.get(key)
                    if campaigns:
                        shown = "; ".join(_where(lists, paths, c) for c in campaigns[:SHOWN])
                        yield node, "SL404", Problem(
                            f'Member of Smart List references "{name}", which is not in this export as a smart list: '
                            f"the list of that name or id ({shown}) is a campaign's smart list, which Member of Smart List "
                            "cannot reference (it offers smart lists only); if that is the audience meant, move its filters "
                            "into a smart list that the campaign and this list both reference, else include the smart list "
                            "so that its cost and its own references are checked",
                            item,
                        )
                        continue
                    yield node, "SL404", Problem(
                        f'Member of Smart List references "{name}", which is not in this export; '
                        "include it so that its cost and its own references are checked",
                        item,
                    )
            elif any(f.name.strip().lower() == "random sample" for f in lists[target].filters):
                yield node, "SL205", Problem(
                    f'references "{lists[target].name}", which uses Random Sample: Random Sample does not work '
                    "through Member of Smart List; fill a static list with the sample and reference that",
                    item,
                )
