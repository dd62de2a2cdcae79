"""Input-output tables: reading them, and what they say about themselves.

Two layouts are read:

- **plain CSV**: first column ``code``; one column per product, in the order of
  the product rows (``Z[i, j]``: flow of product i into the production of product
  j); then ``final_demand`` and ``output``; one row per product; a last row
  ``D1`` (compensation of employees, or hours, per product column);
- **Eurostat** symmetric tables as the Eurostat Manual (2008) and the iotables
  project publish them (``,`` or ``;`` separated): product rows are the rows
  whose key names a column; final-use columns follow the product columns; the
  output row (``P1``, ``output_bp``, ``output``) gives each product's output, the
  ``D1`` or ``compensation_employees`` row its compensation of employees.

A table is used as published: small negative flows (tables built from make and
use tables carry them) stay, and :meth:`Table.notes` says so in one line.

Examples
--------
>>> from sinfronteras import data
>>> t = read_table(data.path("economy", "germany_1995_beutel_table_15_4.csv"))
>>> t.codes[:2], len(t.codes)
(('cpa_a', 'cpa_c'), 6)
>>> round(float(t.output[1]))
1079446
"""

from __future__ import annotations

import csv
import math
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from .errors import TableError

#: A relative row imbalance above this is worth a line (published tables round their cells).
IMBALANCE_NOTE = 1e-3
OUTPUT_KEYS = ("P1", "output_bp", "output", "total_output_bp")
LABOUR_KEYS = ("D1", "compensation_employees")
TOTAL_NAMES = {"total", "TOTAL", "cpa_total", "total_use", "total_output_bp", "output_bp"}
#: A column that only repeats part of another final-use column (Eurostat: households
#: are part of private consumption), so it is not counted twice.
PART_OF = {"final_consumption_households": "final_consumption_private"}


@dataclass(frozen=True)
class Table:
    """A product-by-product input-output table.

    Attributes
    ----------
    codes, labels : tuple of str
        Product codes in order, and readable names (the code when none).
    flows : ndarray, shape (n, n)
        ``flows[i, j]``: product i used to produce product j.
    final_demand, output, labour : ndarray, shape (n,)
        Final use of each product, its gross output, and its compensation of
        employees (or hours).
    source : str
        Where it was read from, for messages.
    """

    codes: tuple[str, ...]
    labels: tuple[str, ...]
    flows: np.ndarray
    final_demand: np.ndarray
    output: np.ndarray
    labour: np.ndarray
    source: str = "table"
    treated: tuple[str, ...] = field(default=())

    def imbalance(self) -> tuple[str, float]:
        """The row whose intermediate plus final use differs most from its output.

        Returns the product code and the relative difference.
        """
        use = self.flows.sum(axis=1) + self.final_demand
        scale = np.maximum(np.abs(self.output), 1e-300)
        relative = np.abs(use - self.output) / scale
        worst = int(np.argmax(relative)) if len(relative) else 0
        return (self.codes[worst], float(relative[worst])) if len(relative) else ("", 0.0)

    def notes(self) -> list[str]:
        """One line for each thing about this table a reader should know."""
        out = list(self.treated)
        negative = self.flows < 0
        if negative.any():
            with np.errstate(divide="ignore", invalid="ignore"):
                coeff = np.where(self.output > 0, self.flows / self.output, 0.0)
            i, j = np.unravel_index(int(np.argmin(coeff)), coeff.shape)
            out.append(f"warning: {int(negative.sum())} negative flows, used as published "
                       f"(worst coefficient {coeff[i, j]:.3g}, row {self.codes[i]}, "
                       f"column {self.codes[j]})")
        code, gap = self.imbalance()
        if gap > IMBALANCE_NOTE:
            out.append(f"note: the table does not balance: row {code} differs from its output "
                       f"by {gap:.2%} (intermediate + final use against output)")
        return out


def read_table(path: str | Path) -> Table:
    """Read a table in either layout (see the module docstring).

    Raises
    ------
    TableError
        Naming the file, row and column of the first wrong cell.
    """
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as exc:
        raise TableError(str(path), f"cannot read: {getattr(exc, 'strerror', None) or exc}") from None
    first = text.split("\n", 1)[0]
    delimiter = ";" if first.count(";") > first.count(",") else ","
    rows = [r for r in csv.reader(text.splitlines(), delimiter=delimiter) if any(c.strip() for c in r)]
    if len(rows) < 2:
        raise TableError(str(path), "no rows: expected a header and one row per product")
    header = [c.strip() for c in rows[0]]
    if header[0] == "code" and "final_demand" in header and "output" in header:
        return _read_plain(path.name, header, rows[1:])
    return _read_eurostat(path.name, header, rows[1:])


def _number(source, row, column, text) -> float:
    value = text.strip()
    try:
        number = float(value)
    except ValueError:
        shown = repr(value) if value else "an empty cell"
        raise TableError(f"{source} row {row}, column {column}",
                         f"{shown} is not a number") from None
    if not math.isfinite(number):
        raise TableError(f"{source} row {row}, column {column}", f"{value} is not a finite number")
    return number


def _read_plain(source, header, rows) -> Table:
    products = header[1:header.index("final_demand")]
    if header[-2:] != ["final_demand", "output"] and header.index("output") != len(products) + 2:
        raise TableError(f"{source} header", "expected the product columns, then final_demand, output")
    body, labour_row = rows, None
    if rows and rows[-1][0].strip() == "D1":
        body, labour_row = rows[:-1], rows[-1]
    if labour_row is None:
        raise TableError(f"{source} last row", "expected a row D1 (compensation or hours per product)")
    codes = [r[0].strip() for r in body]
    if len(codes) != len(products):
        raise TableError(f"{source}", f"{len(products)} product columns but {len(codes)} product rows")
    for k, (column, code) in enumerate(zip(products, codes)):
        if column != code:
            raise TableError(f"{source} row {k + 2}, column {k + 2}",
                             f"row {code!r} and column {column!r} do not match: rows and columns "
                             "must list the products in the same order")
    n = len(codes)
    width = n + 3
    flows = np.zeros((n, n))
    final, output = np.zeros(n), np.zeros(n)
    for i, row in enumerate(body):
        if len(row) < width:
            raise TableError(f"{source} row {codes[i]}", f"{len(row)} cells, expected {width}")
        for j in range(n):
            flows[i, j] = _number(source, codes[i], products[j], row[j + 1])
        final[i] = _number(source, codes[i], "final_demand", row[n + 1])
        output[i] = _number(source, codes[i], "output", row[n + 2])
    labour = np.array([_number(source, "D1", products[j], labour_row[j + 1] if j + 1 < len(labour_row) else "")
                       for j in range(n)])
    return _checked(Table(tuple(codes), tuple(codes), flows, final, output, labour, source))


def _read_eurostat(source, header, rows) -> Table:
    key_column = header.index("iotables_row") if "iotables_row" in header else 0
    label_column = 1 if len(header) > 1 and header[1].endswith("_lab") else None
    keyed = {r[key_column].strip(): r for r in rows if len(r) > key_column}
    keyed.update({r[0].strip(): r for r in rows if r})
    columns = {name: j for j, name in enumerate(header)}
    body, product_columns = _product_rows(source, header, rows, key_column)
    last = product_columns[-1]
    output_row = next((keyed[k] for k in OUTPUT_KEYS if k in keyed and k not in columns), None)
    labour_row = next((keyed[k] for k in LABOUR_KEYS if k in keyed), None)
    if output_row is None or labour_row is None:
        missing = "an output row (P1 or output_bp)" if output_row is None else "a D1 row"
        raise TableError(source, f"no {missing}")
    final_columns = [j for j in range(last + 1, len(header))
                     if header[j] not in TOTAL_NAMES and j != len(header) - 1]
    treated = []
    for part, whole in PART_OF.items():
        if part in columns and whole in columns and columns[part] in final_columns:
            final_columns.remove(columns[part])
            treated.append(f"note: column {part} is part of {whole} and is not counted twice")
    codes = [r[0].strip() for r in body]
    labels = [r[label_column].strip() if label_column is not None else r[0].strip() for r in body]
    n = len(codes)
    flows = np.array([[_number(source, codes[i], header[c], body[i][c]) for c in product_columns]
                      for i in range(n)])
    final = np.array([sum(_number(source, codes[i], header[c], body[i][c] or "0")
                          for c in final_columns) for i in range(n)])
    output = np.array([_number(source, output_row[0], header[c], output_row[c]) for c in product_columns])
    labour = np.array([_number(source, labour_row[0], header[c], labour_row[c]) for c in product_columns])
    return _checked(Table(tuple(codes), tuple(labels), flows, final, output, labour, source,
                          tuple(treated)))


def _product_rows(source, header, rows, key_column):
    """The product rows and their columns: by quadrant 10 (iotables), else by name."""
    def is_total(row):
        return row[0].strip() in TOTAL_NAMES or row[key_column].strip() in TOTAL_NAMES

    if "quadrant" in header:
        quadrant = header.index("quadrant")
        body = [r for r in rows if len(r) > key_column and r[quadrant].strip() == "10" and not is_total(r)]
        first = key_column + 1
        product_columns = list(range(first, first + len(body)))
    else:
        columns = {name: j for j, name in enumerate(header)}
        body = [r for r in rows if r[key_column].strip() in columns and not is_total(r)]
        product_columns = [columns[r[key_column].strip()] for r in body]
    if not body:
        raise TableError(source, "no product rows found: neither the plain layout (code, ..., "
                                 "final_demand, output, row D1) nor a Eurostat table")
    if product_columns != list(range(product_columns[0], product_columns[0] + len(body))) \
            or product_columns[-1] >= len(header):
        raise TableError(f"{source} header", "the product columns must follow one another in "
                                             "the order of the product rows")
    return body, product_columns


def _checked(table: Table) -> Table:
    negative = np.flatnonzero(table.output < 0)
    if len(negative):
        code = table.codes[int(negative[0])]
        raise TableError(f"{table.source} row {code}, column output",
                         f"output {table.output[negative[0]]:g} is negative; a product's gross "
                         "output is zero or more")
    return table
