"""Seeded synthetic economies: sparse, cyclic, productive, for tests and benchmarks.

Examples
--------
>>> econ, demand = random_economy(50, seed=1)
>>> econ.n, bool(econ.check_productive() < 1)
(50, True)
"""

from __future__ import annotations

import numpy as np

from .leontief import Economy


def random_economy(n: int, *, inputs: tuple[int, int] = (10, 20), seed: int = 0,
                   column_sum: tuple[float, float] = (0.3, 0.7)):
    """An economy of ``n`` products, each using ``inputs`` other products (any, so cyclic).

    Each column of ``A`` sums to a value drawn in ``column_sum`` (below 1: productive).
    Returns the economy and a final demand of 1 to 100 units per product.
    """
    import scipy.sparse as sp

    rng = np.random.default_rng(seed)
    low, high = inputs
    per_column = rng.integers(min(low, n), min(high, n) + 1, size=n)
    cols = np.repeat(np.arange(n), per_column)
    rows = rng.integers(0, n, size=len(cols))
    values = rng.uniform(0.1, 1.0, size=len(cols))
    sums = np.bincount(cols, weights=values, minlength=n)
    target = rng.uniform(*column_sum, size=n)
    values *= (target / sums)[cols]
    A = sp.csr_matrix((values, (rows, cols)), shape=(n, n))
    labour = rng.uniform(0.1, 1.0, size=n)
    codes = tuple(f"p{j}" for j in range(n))
    return Economy(codes, A, labour), rng.uniform(1.0, 100.0, size=n)
