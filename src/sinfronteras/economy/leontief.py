"""The Leontief model: technical coefficients, gross output, labour values.

An :class:`Economy` holds the technical coefficients ``A`` (inputs per unit of
output, sparse) and the labour coefficients ``l`` (labour per unit of output).
Gross output for a final demand ``d`` is ``x = (I - A)^-1 d``, the least ``x``
with ``(I - A) x >= d`` (the inverse is non-negative when ``A`` is productive);
labour values are ``v = l (I - A)^-1``, so ``l . x = v . d``.

Small economies are solved with a dense LU factorisation; large ones
(``n > DENSE_MAX``) with BiCGSTAB on the sparse matrix, never forming the
inverse.

Examples
--------
>>> import numpy as np
>>> econ = Economy(("food", "tools"), np.array([[0.1, 0.2], [0.3, 0.1]]), np.array([0.5, 0.4]))
>>> x = econ.gross_output(np.array([10.0, 5.0]))
>>> np.round(x, 4).tolist()
[13.3333, 10.0]
>>> float(np.round(econ.labour_values() @ [10.0, 5.0], 6)) == float(np.round(econ.labour @ x, 6))
True
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property

import numpy as np

from .errors import NotProductive

#: Up to this many products, solves use a dense LU and the inverse may be written out.
DENSE_MAX = 3000
#: Relative residual the iterative solver must reach.
RTOL = 1e-12


@dataclass(frozen=True, eq=False)
class Economy:
    """Technical coefficients and labour coefficients of ``n`` products.

    Parameters
    ----------
    codes : tuple of str
        Product codes, in order.
    coefficients : array_like or scipy sparse, shape (n, n)
        ``A[i, j]``: product i used per unit of product j.
    labour : ndarray, shape (n,)
        Labour (hours, or compensation) per unit of each product's output.
    labels : tuple of str, optional
        Readable names, for reports.
    """

    codes: tuple[str, ...]
    coefficients: object
    labour: np.ndarray
    labels: tuple[str, ...] | None = None

    @classmethod
    def from_table(cls, table) -> "Economy":
        """``A = Z / output`` and ``l = D1 / output``, column by column (0 where output is 0)."""
        output = table.output
        scale = np.divide(1.0, output, out=np.zeros_like(output), where=output > 0)
        return cls(table.codes, table.flows * scale[None, :], table.labour * scale, table.labels)

    @property
    def n(self) -> int:
        return len(self.codes)

    @cached_property
    def sparse(self):
        """``A`` as a CSR matrix."""
        import scipy.sparse as sp

        return sp.csr_matrix(self.coefficients, dtype=float)

    @cached_property
    def _lu(self):
        import scipy.linalg as la

        dense = np.eye(self.n) - self.sparse.toarray()
        return la.lu_factor(dense, check_finite=True)

    @cached_property
    def _systems(self):
        """``I - A`` and its transpose, as CSR, for the iterative solves."""
        import scipy.sparse as sp

        system = (sp.identity(self.n, format="csr") - self.sparse).tocsr()
        return system, system.T.tocsr()

    def check_productive(self) -> float:
        """The spectral radius of ``A``, or raise :class:`NotProductive` when it is at least 1."""
        A = self.sparse
        if A.nnz == 0:
            return 0.0
        bound = float(abs(A).sum(axis=0).max())  # rho(A) <= rho(|A|) <= max column sum
        if bound < 1:
            radius = bound if self.n > DENSE_MAX else _radius_dense(A.toarray())
        else:
            radius = _radius_dense(A.toarray()) if self.n <= DENSE_MAX else _radius_sparse(A)
        if radius >= 1 - 1e-12:
            column = int(np.argmax(np.asarray(abs(A).sum(axis=0)).ravel()))
            raise NotProductive(
                f"the technical coefficients have spectral radius {radius:.4g} >= 1: no economy can "
                f"produce its own inputs (column {self.codes[column]} uses the most inputs per unit "
                "of output); check the table's flows and outputs")
        return radius

    def solve(self, rhs: np.ndarray, *, transpose: bool = False) -> np.ndarray:
        """Solve ``(I - A) x = rhs`` (or ``(I - A)^T x = rhs``)."""
        rhs = np.asarray(rhs, dtype=float)
        if self.n <= DENSE_MAX:
            import scipy.linalg as la

            return la.lu_solve(self._lu, rhs, trans=1 if transpose else 0)
        return _iterative(self._systems[1 if transpose else 0], rhs)

    def gross_output(self, final_demand: np.ndarray) -> np.ndarray:
        """The least gross output that meets ``final_demand``: ``(I - A)^-1 d``."""
        return self.solve(final_demand)

    def labour_values(self) -> np.ndarray:
        """Labour embodied in one unit of each product, directly and indirectly: ``l (I - A)^-1``."""
        return self.solve(self.labour, transpose=True)

    def output_multipliers(self) -> np.ndarray:
        """Column sums of the Leontief inverse: gross output per unit of each product's final demand."""
        return self.solve(np.ones(self.n), transpose=True)

    def inverse_row(self, product: int) -> np.ndarray:
        """Row ``product`` of ``(I - A)^-1``: how much of it one unit of each final demand takes."""
        unit = np.zeros(self.n)
        unit[product] = 1.0
        return self.solve(unit, transpose=True)

    def leontief_inverse(self) -> np.ndarray:
        """The whole inverse ``(I - A)^-1`` (dense; only up to :data:`DENSE_MAX` products)."""
        if self.n > DENSE_MAX:
            raise ValueError(f"{self.n} products: the inverse is written out only up to {DENSE_MAX}")
        return self.solve(np.eye(self.n))


def _radius_dense(A: np.ndarray) -> float:
    return float(np.max(np.abs(np.linalg.eigvals(A)))) if A.size else 0.0


def _radius_sparse(A) -> float:
    import scipy.sparse.linalg as sla

    values = sla.eigs(A, k=1, which="LM", return_eigenvectors=False, maxiter=5000, tol=1e-8)
    return float(np.abs(values).max())


def _iterative(system, rhs: np.ndarray) -> np.ndarray:
    """BiCGSTAB, Jacobi-preconditioned, checked by its residual; GMRES if it stalls."""
    import scipy.sparse.linalg as sla

    diagonal = system.diagonal()
    precondition = sla.LinearOperator(system.shape, matvec=lambda v: v / diagonal)
    norm = float(np.linalg.norm(rhs)) or 1.0
    x, info = sla.bicgstab(system, rhs, rtol=RTOL, atol=0.0, maxiter=2000, M=precondition)
    if info != 0 or np.linalg.norm(system @ x - rhs) > 1e-9 * norm:
        x, info = sla.gmres(system, rhs, x0=x, rtol=RTOL, atol=0.0, restart=100, maxiter=50,
                            M=precondition)
    if np.linalg.norm(system @ x - rhs) > 1e-8 * norm:
        raise NotProductive("the iterative solver did not converge: the technical coefficients "
                            "are not productive enough (spectral radius close to 1)")
    return x
