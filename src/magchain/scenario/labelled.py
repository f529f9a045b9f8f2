"""A linear program whose variables and constraints come in named, labelled families.

Each family is an n-dimensional block with named dimensions and coordinates (like an xarray
DataArray), so that a column or row has a name (``ship[magnet,CN,US,2025-06]``) and solutions
and duals come back as labelled arrays. The model is handed to HiGHS once; later solves change
bounds and right-hand sides in place, so HiGHS starts from the previous basis (warm start).
"""

from __future__ import annotations

import os
import sys
from dataclasses import dataclass

import highspy
import numpy as np
import xarray as xr
from scipy.sparse import coo_matrix

from magchain.errors import Infeasible

INF = highspy.kHighsInf


@dataclass
class Family:
    """A block of columns or rows: ``start`` is its first position, then C order over ``dims``."""

    name: str
    dims: tuple[str, ...]
    coords: dict[str, list]
    start: int

    @property
    def shape(self) -> tuple[int, ...]:
        return tuple(len(self.coords[d]) for d in self.dims)

    @property
    def size(self) -> int:
        return int(np.prod(self.shape)) if self.dims else 1

    def positions(self) -> np.ndarray:
        """Global positions as an array of the family's shape."""
        return self.start + np.arange(self.size).reshape(self.shape)

    def label(self, position: int) -> str:
        local = np.unravel_index(position - self.start, self.shape) if self.dims else ()
        return f"{self.name}[{','.join(str(self.coords[d][i]) for d, i in zip(self.dims, local))}]"

    def array(self, values: np.ndarray) -> xr.DataArray:
        block = np.asarray(values[self.start:self.start + self.size]).reshape(self.shape)
        return xr.DataArray(block, dims=self.dims, coords={d: self.coords[d] for d in self.dims}, name=self.name)


def _silent_highs() -> highspy.Highs:
    """A quiet HiGHS instance. Its C++ constructor prints a banner to standard output on the first
    construction in a process, which would corrupt ``--json`` output, so standard output is
    pointed at /dev/null (at the file-descriptor level) while it is made."""
    sys.stdout.flush()
    saved = os.dup(1)
    try:
        with open(os.devnull, "w") as null:
            os.dup2(null.fileno(), 1)
            highs = highspy.Highs()
    finally:
        os.dup2(saved, 1)
        os.close(saved)
    highs.setOptionValue("output_flag", False)
    return highs


class LabelledLP:
    """Minimise cost @ x subject to row_lower <= A x <= row_upper and col_lower <= x <= col_upper."""

    def __init__(self):
        self.columns: dict[str, Family] = {}
        self.rows: dict[str, Family] = {}
        self.cost: list[np.ndarray] = []
        self.col_lower: list[np.ndarray] = []
        self.col_upper: list[np.ndarray] = []
        self.row_lower: list[np.ndarray] = []
        self.row_upper: list[np.ndarray] = []
        self.triplets: list[tuple[np.ndarray, np.ndarray, np.ndarray]] = []
        self.named_terms: dict[str, tuple[int, tuple[int, ...]]] = {}  # name -> (triplet index, shape)
        self.n_cols = self.n_rows = 0
        self._highs: highspy.Highs | None = None

    # -- building ---------------------------------------------------------------------------------
    def add_variables(self, name: str, coords: dict[str, list], cost=0.0, lower=0.0, upper=INF) -> np.ndarray:
        """A family of columns; returns their positions shaped like the coordinates."""
        family = Family(name, tuple(coords), {d: list(v) for d, v in coords.items()}, self.n_cols)
        self.columns[name] = family
        self.n_cols += family.size
        for store, value in ((self.cost, cost), (self.col_lower, lower), (self.col_upper, upper)):
            store.append(np.broadcast_to(np.asarray(value, float), family.shape).ravel().copy())
        return family.positions()

    def add_constraints(self, name: str, coords: dict[str, list], terms: list[tuple], lower=-INF, upper=INF) -> np.ndarray:
        """A family of rows: row i is the sum over ``terms`` of coefficient x column, where each term
        is (coefficients, columns), both broadcastable to the row family's shape plus any trailing
        dimensions that are summed over. A term given a third element, a name, keeps every entry
        (zeros too) so that :meth:`set_coefficients` can change its coefficients later."""
        family = Family(name, tuple(coords), {d: list(v) for d, v in coords.items()}, self.n_rows)
        self.rows[name] = family
        self.n_rows += family.size
        rows = family.positions()
        for coefficients, columns, *term_name in terms:
            columns = np.asarray(columns)
            padded = rows.reshape(rows.shape + (1,) * max(columns.ndim - rows.ndim, 0))
            shape = np.broadcast_shapes(np.shape(coefficients), columns.shape, padded.shape)
            row_of, cols = np.broadcast_to(padded, shape), np.broadcast_to(columns, shape)
            coef = np.broadcast_to(np.asarray(coefficients, float), shape)
            keep = np.ones(shape, bool) if term_name else coef != 0
            if term_name:
                self.named_terms[term_name[0]] = (len(self.triplets), shape)
            self.triplets.append((row_of[keep], cols[keep], coef[keep].copy()))
        for store, value in ((self.row_lower, lower), (self.row_upper, upper)):
            store.append(np.broadcast_to(np.asarray(value, float), family.shape).ravel().copy())
        return rows

    # -- names ------------------------------------------------------------------------------------
    def column_name(self, position: int) -> str:
        return _family_at(self.columns, position).label(position)

    def row_name(self, position: int) -> str:
        return _family_at(self.rows, position).label(position)

    # -- changing an already built model ----------------------------------------------------------
    def set_column_bounds(self, name: str, lower=None, upper=None) -> None:
        self._change(self.columns[name], self.col_lower, self.col_upper, lower, upper, rows=False)

    def set_row_bounds(self, name: str, lower=None, upper=None) -> None:
        self._change(self.rows[name], self.row_lower, self.row_upper, lower, upper, rows=True)

    def set_column_costs(self, name: str, cost) -> None:
        family = self.columns[name]
        index = list(self.columns).index(name)
        self.cost[index] = np.broadcast_to(np.asarray(cost, float), family.shape).ravel().copy()
        if self._highs is not None:
            positions = family.positions().ravel().astype(np.int32)
            self._highs.changeColsCost(positions.size, positions, self.cost[index])

    def set_coefficients(self, term: str, coefficients) -> None:
        """New coefficients for a named term (same rows and columns)."""
        index, shape = self.named_terms[term]
        rows, cols, current = self.triplets[index]
        values = np.broadcast_to(np.asarray(coefficients, float), shape).ravel().copy()
        if np.array_equal(values, current):
            return
        self.triplets[index] = (rows, cols, values)
        if self._highs is not None:
            for row, col, value in zip(rows.tolist(), cols.tolist(), values.tolist()):
                self._highs.changeCoeff(row, col, value)

    def _change(self, family, lowers, uppers, lower, upper, rows: bool) -> None:
        index = list(self.rows if rows else self.columns).index(family.name)
        unchanged = all(value is None or np.array_equal(np.broadcast_to(np.asarray(value, float), family.shape).ravel(),
                                                        store[index])
                        for value, store in ((lower, lowers), (upper, uppers)))
        if unchanged:
            return
        if lower is not None:
            lowers[index] = np.broadcast_to(np.asarray(lower, float), family.shape).ravel().copy()
        if upper is not None:
            uppers[index] = np.broadcast_to(np.asarray(upper, float), family.shape).ravel().copy()
        if self._highs is not None:
            positions = family.positions().ravel().astype(np.int32)
            change = self._highs.changeRowsBounds if rows else self._highs.changeColsBounds
            change(positions.size, positions, lowers[index], uppers[index])

    # -- solving ----------------------------------------------------------------------------------
    def solve(self) -> Solution:
        if self._highs is None:
            self._highs = _silent_highs()
            self._highs.passModel(self._model())
        status = self._highs.run()
        self._highs.setOptionValue("presolve", "off")  # later solves start from this basis
        model_status = self._highs.getModelStatus()
        if status == highspy.HighsStatus.kError or model_status != highspy.HighsModelStatus.kOptimal:
            raise Infeasible(f"The allocation problem could not be solved ({self._highs.modelStatusToString(model_status)}). "
                             "Check the scenario's events for contradictions (e.g. a quota below zero).")
        solution = self._highs.getSolution()
        return Solution(self, np.asarray(solution.col_value), np.asarray(solution.row_dual),
                        int(self._highs.getInfo().simplex_iteration_count))

    def _model(self) -> highspy.HighsLp:
        rows, cols, vals = (np.concatenate(part) if part else np.zeros(0) for part in zip(*self.triplets)) \
            if self.triplets else (np.zeros(0, int), np.zeros(0, int), np.zeros(0))
        matrix = coo_matrix((vals, (rows, cols)), shape=(self.n_rows, self.n_cols)).tocsc()
        model = highspy.HighsLp()
        model.num_col_, model.num_row_ = self.n_cols, self.n_rows
        model.col_cost_ = np.concatenate(self.cost)
        model.col_lower_, model.col_upper_ = np.concatenate(self.col_lower), np.concatenate(self.col_upper)
        model.row_lower_ = np.concatenate(self.row_lower) if self.row_lower else np.zeros(0)
        model.row_upper_ = np.concatenate(self.row_upper) if self.row_upper else np.zeros(0)
        model.a_matrix_.format_ = highspy.MatrixFormat.kColwise
        model.a_matrix_.start_ = matrix.indptr.astype(np.int32)
        model.a_matrix_.index_ = matrix.indices.astype(np.int32)
        model.a_matrix_.value_ = matrix.data
        return model


def _family_at(families: dict[str, Family], position: int) -> Family:
    for family in families.values():
        if family.start <= position < family.start + family.size:
            return family
    raise IndexError(position)


@dataclass
class Solution:
    model: LabelledLP
    x: np.ndarray
    dual: np.ndarray
    iterations: int

    def value(self, name: str) -> xr.DataArray:
        return self.model.columns[name].array(self.x)

    def duals(self, name: str) -> xr.DataArray:
        """The rows' duals: the change in the objective per unit more right-hand side."""
        return self.model.rows[name].array(self.dual)


