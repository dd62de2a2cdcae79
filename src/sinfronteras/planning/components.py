"""Connected components of an undirected graph, with numpy alone.

The planner splits its network into connected components before each stage
(:mod:`~sinfronteras.planning.leximin`, :mod:`~sinfronteras.planning.distance`).
scipy's ``connected_components`` did it before; importing ``scipy.sparse`` cost
a plan more CPU than the labelling itself, so the labels are found here by
hooking and pointer jumping, and numbered exactly as scipy numbers them: in the
order of each component's lowest node. Above :data:`SCIPY_ABOVE_EDGES` edges
(the sparse core at planet scale) scipy labels them, faster there than these
rounds, its import then a small part; the labels are the same either way.
"""

from __future__ import annotations

import numpy as np

#: Graphs with more edges than this are labelled by scipy (the same labels).
SCIPY_ABOVE_EDGES = 1_000_000


def components(n: int, u: np.ndarray, v: np.ndarray) -> np.ndarray:
    """The component label of each of ``n`` nodes, given the edges ``u[k] - v[k]``.

    Components are numbered 0, 1, ... in the order of their lowest node, as
    ``scipy.sparse.csgraph.connected_components(..., directed=False)`` numbers
    them; a node with no edge is a component of its own.

    Examples
    --------
    >>> import numpy as np
    >>> components(6, np.array([4, 1, 5]), np.array([2, 3, 3])).tolist()
    [0, 1, 2, 1, 2, 1]
    >>> components(3, np.array([], np.int64), np.array([], np.int64)).tolist()
    [0, 1, 2]
    """
    if len(u) > SCIPY_ABOVE_EDGES:
        from scipy.sparse import coo_matrix  # deferred: heavy to import, and only for big graphs
        from scipy.sparse.csgraph import connected_components

        g = coo_matrix((np.ones(len(u), np.int8), (u, v)), shape=(n, n))
        return connected_components(g, directed=False)[1]
    return hooked(n, u, v)


def hooked(n: int, u: np.ndarray, v: np.ndarray) -> np.ndarray:
    """:func:`components` by numpy alone, for any number of edges.

    Each round hooks, for every edge whose ends lie in different trees, the
    higher root under the lower one, then shortens every path to its root; a
    root that meets an unfinished edge joins another tree in every round, so
    the rounds are at most about ``log2(n)``.

    >>> import numpy as np
    >>> hooked(4, np.array([3, 1]), np.array([2, 0])).tolist()
    [0, 0, 1, 1]
    """
    parent = np.arange(n, dtype=np.int64)
    u = np.asarray(u, np.int64)
    v = np.asarray(v, np.int64)
    while len(u):
        pu, pv = parent[u], parent[v]
        open_ = pu != pv  # an edge within one tree stays so: trees only ever merge
        if not open_.all():
            u, v, pu, pv = u[open_], v[open_], pu[open_], pv[open_]
        if not len(u):
            break
        # Every parent is a root here; a root is the lowest node of its tree.
        np.minimum.at(parent, np.maximum(pu, pv), np.minimum(pu, pv))
        while True:
            up = parent[parent]
            if np.array_equal(up, parent):
                break
            parent = up
    return np.unique(parent, return_inverse=True)[1].reshape(-1)
