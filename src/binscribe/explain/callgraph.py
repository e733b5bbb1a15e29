"""Bottom-up order over the call graph: callees are explained before their callers.

Recursion and mutual recursion make cycles; they are broken deterministically by a depth-first
walk from the functions in address order, callees visited in address order: its post-order is
the explanation order, and a call edge is kept as a dependency only when the callee comes
earlier in it (so recursive calls back up the walk are dropped, nothing else).
"""

from __future__ import annotations

from collections.abc import Sequence

from binscribe.analysis.models import Function


def bottom_up(functions: Sequence[Function]) -> tuple[list[int], list[list[int]]]:
    """(order, dependencies) over indices of ``functions``.

    ``order`` lists every index once, callees before callers; ``dependencies[i]`` are the
    indices function ``i`` waits for (its callees among ``functions``, minus cycle-closing
    calls), sorted. Callees are matched by name or mangled name; calls to imports or to
    functions not in ``functions`` make no dependency.
    """
    index: dict[str, int] = {}
    for position, func in enumerate(functions):
        for name in (func.name, func.mangled_name):
            if name:
                index.setdefault(name, position)

    def by_address(position: int) -> tuple[int, int]:
        return functions[position].address, position

    children = [
        sorted(
            {index[c] for c in func.callees if c in index and index[c] != position},
            key=by_address,
        )
        for position, func in enumerate(functions)
    ]
    order: list[int] = []
    visited = [False] * len(functions)
    for root in sorted(range(len(functions)), key=by_address):
        if visited[root]:
            continue
        visited[root] = True
        stack = [(root, iter(children[root]))]
        while stack:
            node, pending = stack[-1]
            for child in pending:
                if not visited[child]:
                    visited[child] = True
                    stack.append((child, iter(children[child])))
                    break
            else:
                stack.pop()
                order.append(node)
    rank = {node: position for position, node in enumerate(order)}
    dependencies = [
        sorted(child for child in children[node] if rank[child] < rank[node])
        for node in range(len(functions))
    ]
    return order, dependencies
