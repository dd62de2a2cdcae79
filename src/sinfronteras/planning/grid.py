"""Which points lie within a distance of each of many centres: a grid of cubes, with numpy alone.

The full planner finds each offer's candidate need places with it
(:func:`~sinfronteras.planning.arcs.build_arcs`). scipy's ``cKDTree`` did it
before; importing ``scipy.spatial`` cost a plan more CPU than the searches, and
its answers came back as Python lists. Here the points are sorted by the cube
they fall in, for one cube size per class of radii (a power of two at least the
radius); a centre's ball then lies within the 27 cubes around its own (those
its bounding box meets are searched), and the exact test keeps the points at a
distance of at most the radius, as ``cKDTree.query_ball_point`` does.
"""

from __future__ import annotations

import math

import numpy as np

#: Smallest cube side, for points within the unit ball (2**-19: about 12 m on Earth): keys stay within int64.
MIN_SIDE_LOG2 = -19
#: Candidate points looked at in one go, at most (a centre's own may be more).
CHUNK = 1 << 22
#: The 27 cube offsets around a cube.
_AROUND = np.array([(i, j, k) for i in (-1, 0, 1) for j in (-1, 0, 1) for k in (-1, 0, 1)], np.int64)


class PlaceGrid:
    """Points in space (here unit vectors of places), searched by balls.

    Examples
    --------
    >>> import numpy as np
    >>> g = PlaceGrid(np.array([[0.0, 0, 0], [1, 0, 0], [0, 0.5, 0]]))
    >>> ptr, idx = g.ball(np.array([[0.0, 0, 0], [1, 0, 0]]), np.array([0.6, 0.1]))
    >>> ptr.tolist(), idx.tolist()
    ([0, 2, 3], [0, 2, 1])
    >>> [h.tolist() for h in g.query_ball_point(np.array([[0.0, 0, 0]]), 1.0)]
    [[0, 1, 2]]
    """

    def __init__(self, points: np.ndarray) -> None:
        self.points = np.ascontiguousarray(points, float).reshape(-1, 3)
        self._span = max(float(np.abs(self.points).max(initial=1.0)), 1.0)
        self._lowest = MIN_SIDE_LOG2 + math.ceil(math.log2(self._span))  # keys stay within int64
        self._sorted: dict[int, tuple] = {}

    def _cubes(self, side_log2: int):
        """(base, shift, sorted keys, point order) of the cubes of side ``2**side_log2``."""
        got = self._sorted.get(side_log2)
        if got is None:
            shift = math.ceil(self._span * 2.0**-side_log2) + 2  # the points' cubes and their neighbours >= 0
            base = 2 * shift + 2
            key = self._key(np.floor(self.points * 2.0**-side_log2).astype(np.int64) + shift, base)
            order = np.argsort(key, kind="stable")
            got = self._sorted[side_log2] = (base, shift, key[order], order)
        return got

    @staticmethod
    def _key(ijk: np.ndarray, base: int) -> np.ndarray:
        return (ijk[..., 0] * base + ijk[..., 1]) * base + ijk[..., 2]

    def ball(self, centres: np.ndarray, radii) -> tuple[np.ndarray, np.ndarray]:
        """The points within ``radii[k]`` of ``centres[k]``, as ranges: ``idx[ptr[k]:ptr[k+1]]``, ascending."""
        centres = np.asarray(centres, float).reshape(-1, 3)
        radii = np.broadcast_to(np.asarray(radii, float), (len(centres),))
        far = np.abs(centres[np.isfinite(centres).all(axis=1)]).max(initial=0.0)
        highest = math.ceil(math.log2(max(self._span, far))) + 2  # a cube this big holds every point and centre
        reach = np.clip(np.nan_to_num(radii, nan=0.0), 2.0**self._lowest, 2.0**highest)
        side = np.ceil(np.log2(reach)).astype(np.int64)
        found_q, found_p = [], []
        for s in np.unique(side).tolist():
            q = np.flatnonzero(side == s)
            base, shift, keys, order = self._cubes(s)
            at = np.nan_to_num(centres[q], nan=0.0, posinf=0.0, neginf=0.0)  # (the exact test refuses these)
            cube = np.floor(at * 2.0**-s).astype(np.int64) + shift
            around = cube[:, None, :] + _AROUND[None, :, :]
            # Only the cubes that the ball's bounding box meets (a little wider, for rounding).
            box = (reach[q] * (1 + 1e-9) + 1e-12)[:, None]
            low = np.floor((at - box) * 2.0**-s).astype(np.int64) + shift
            high = np.floor((at + box) * 2.0**-s).astype(np.int64) + shift
            meets = ((around >= low[:, None, :]) & (around <= high[:, None, :])).all(axis=2)
            want = self._key(around, base)
            lo, hi = np.searchsorted(keys, want, "left"), np.searchsorted(keys, want, "right")
            hi = np.where(meets, hi, lo)
            # Centres in chunks of at most CHUNK candidates (or one centre), to bound memory.
            per = np.cumsum((hi - lo).sum(axis=1))
            cut = 0
            while cut < len(q):
                end = max(int(np.searchsorted(per, (per[cut - 1] if cut else 0) + CHUNK, "right")), cut + 1)
                lo_c, hi_c = lo[cut:end].reshape(-1), hi[cut:end].reshape(-1)
                owner, point = self._near(q[cut:end], lo_c, hi_c, order, centres, radii)
                found_q.append(owner)
                found_p.append(point)
                cut = end
        q = np.concatenate(found_q) if found_q else np.zeros(0, np.int64)
        p = np.concatenate(found_p) if found_p else np.zeros(0, np.int64)
        by = np.argsort(q * max(len(self.points), 1) + p, kind="stable")
        ptr = np.zeros(len(centres) + 1, np.int64)
        np.cumsum(np.bincount(q, minlength=len(centres)), out=ptr[1:])
        return ptr, p[by]

    def _near(self, q, lo, hi, order, centres, radii) -> tuple[np.ndarray, np.ndarray]:
        """Of the points in the ranges ``lo``-``hi`` of the sorted order (27 per centre ``q``), those in the ball."""
        lens = hi - lo
        owner = np.repeat(np.repeat(q, len(_AROUND)), lens)
        start = np.repeat(lo - (np.cumsum(lens) - lens), lens)
        point = order[start + np.arange(int(lens.sum()))]
        d = self.points[point] - centres[owner]
        r = radii[owner]
        near = (np.einsum("ij,ij->i", d, d) <= r * r) & (r >= 0)
        return owner[near], point[near]

    def query_ball_point(self, centres: np.ndarray, radii) -> list[np.ndarray]:
        """:meth:`ball` as one array per centre, as ``scipy.spatial.cKDTree.query_ball_point`` lists them."""
        ptr, idx = self.ball(centres, radii)
        return [idx[ptr[k] : ptr[k + 1]] for k in range(len(ptr) - 1)]
