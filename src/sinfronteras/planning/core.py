"""A core of arcs that grows until it certifies the leximin stage against all arcs.

The core starts as each need's arcs from its :data:`CORE_K` nearest offer
places (:func:`~sinfronteras.planning.regions.nearest_core`), plus one arc for
every need that has an arc at all but none among those. The leximin stage
(:func:`~sinfronteras.planning.leximin.leximin`) runs on the core, and asks a
:class:`Core` three things, each answered with an exact search over all arcs
(:class:`~sinfronteras.planning.regions.ArcSource`):

* **components** of each tier's network over all arcs: the core's components,
  joined by any arc between two of them; such an arc has an end outside the
  largest component, so only those ends are searched (repeat until none);
* **a certificate for each maximum flow**: in the residual network of the core
  flow, the source side ``S`` of the minimal minimum cut. An arc of the full
  set from an offer in ``S`` to a need outside it (same open group) would be
  residual and could augment; if there is none, the same cut has the same
  capacity over all arcs, so the flow is maximal there, and ``S`` is the full
  network's minimal source side too: the decomposition takes the same steps as
  with all arcs. Arcs found join the core and the flow is solved again;
* **every arc among some offers and needs**, for the rounding to whole steps
  (the arcs its flow uses join the core).
"""

from __future__ import annotations

import numpy as np

from .arcs import Arcs
from .leximin import _components
from .regions import ArcSource, concat, finish, nearest_core

#: Each need's arcs from this many nearest offer places start the core.
CORE_K = 8


class Core:
    """The growing core of arcs, and the searches over all arcs that grow it.

    Examples
    --------
    >>> from sinfronteras.planning.generate import city_problem
    >>> p = city_problem(400, seed=2)
    >>> core = Core.start(ArcSource(p.arrays), k=4)
    >>> from sinfronteras.planning.arcs import build_arcs
    >>> len(core) < len(build_arcs(p.arrays))
    True
    """

    def __init__(self, src: ArcSource, arcs: Arcs) -> None:
        self.src = src
        self._parts = [arcs]
        self._arcs = arcs
        self.searches = 0  # searches over all arcs
        self.added = 0  # arcs the searches added

    @classmethod
    def start(cls, src: ArcSource, k: int = CORE_K) -> Core:
        """Each need's arcs from its ``k`` nearest offer places, and one arc for each need reached otherwise."""
        core = cls(src, nearest_core(src, k))
        a = src.a
        seen = np.zeros(len(a.need_quantity), bool)
        seen[core.need] = True
        missing = np.flatnonzero(~seen)
        if len(missing):
            core.search(src.arcs(None, missing))
        return core

    def __len__(self) -> int:
        return len(self.arcs)

    @property
    def arcs(self) -> Arcs:
        """The core's arcs, without duplicates, sorted by offer then need."""
        if len(self._parts) > 1:
            self._arcs = concat(self._parts)
            self._parts = [self._arcs]
        return self._arcs

    @property
    def offer(self) -> np.ndarray:
        return self.arcs.offer

    @property
    def need(self) -> np.ndarray:
        return self.arcs.need

    def add(self, offer: np.ndarray, need: np.ndarray, km: np.ndarray | None = None) -> None:
        """Add arcs (of the full set) to the core."""
        if not len(offer):
            return
        if km is None:
            part = finish(self.src.a, np.asarray(offer, np.int64), np.asarray(need, np.int64))
        else:
            part = Arcs(np.asarray(offer, np.int64), np.asarray(need, np.int64), np.asarray(km, float))
        self._parts.append(part)
        self.added += len(part)

    def search(self, chunks, keep=None) -> tuple[np.ndarray, np.ndarray]:
        """Gather the arcs of ``chunks`` (that ``keep(offer, need)`` allows) into the core; return them."""
        self.searches += 1
        got = []
        for c in chunks:
            if keep is not None:
                m = keep(c.offer, c.need)
                c = Arcs(c.offer[m], c.need[m], c.km[m])
            if len(c):
                got.append(c)
        if not got:
            return np.zeros(0, np.int64), np.zeros(0, np.int64)
        new = concat(got)
        self.add(new.offer, new.need, new.km)
        return new.offer, new.need

    # The three questions of the leximin stage.

    def components(self, alive_offer, alive_need, ao, an):
        """Component labels (offers, then needs) over all arcs among alive nodes, and the core arcs among them.

        Arcs join only an offer and a need of one resource, so each resource is
        searched apart: an arc between two of the core's components has an end
        outside the largest component among that resource's nodes.
        """
        n_o, n_n = len(alive_offer), len(alive_need)
        a = self.src.a
        while True:
            label = _components(n_o, n_n, ao, an)
            lo, ln = label[:n_o], label[n_o:]
            cross = lambda o, n: lo[o] != ln[n]  # noqa: E731
            found = []
            for res in np.unique(a.need_resource[alive_need]):
                needs = alive_need & (a.need_resource == res)
                offers = np.zeros(n_o, bool)
                offers[self.src.pair_offer[a.offer_resource == res]] = True
                offers &= alive_offer
                if not offers.any():
                    continue
                giant = int(np.bincount(np.concatenate([lo[offers], ln[needs]])).argmax())
                out_o = np.flatnonzero(offers & (lo != giant))
                out_n = np.flatnonzero(needs & (ln != giant))
                if len(out_o):
                    found.append(self.search(self.src.arcs(out_o, np.flatnonzero(needs)), cross))
                if len(out_n):
                    found.append(self.search(self.src.arcs(np.flatnonzero(offers & (lo == giant)), out_n), cross))
            found = [f for f in found if len(f[0])]
            if not found:
                return label, ao, an
            ao = np.concatenate([ao, *(f[0] for f in found)])
            an = np.concatenate([an, *(f[1] for f in found)])

    def augmenting(self, go, gn, open_group, side_o, side_n):
        """Arcs of the full set from source-side offers to sink-side needs of one open group."""
        o = np.flatnonzero((go >= 0) & open_group[np.maximum(go, 0)] & side_o)
        n = np.flatnonzero((gn >= 0) & open_group[np.maximum(gn, 0)] & ~side_n)
        if not len(o) or not len(n):
            return np.zeros(0, np.int64), np.zeros(0, np.int64)
        return self.search(self.src.arcs(o, n), lambda a, b: go[a] == gn[b])

    def between(self, offers, needs):
        """Every arc (of the full set) from ``offers`` to ``needs``."""
        got = self.src.all_arcs(offers, needs)
        return got.offer, got.need
