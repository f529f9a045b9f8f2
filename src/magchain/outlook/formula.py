"""Small arithmetic over registry figures, so outlook tables cite values instead of copying them.

A formula is a space-separated expression of numbers, factor names (factors.csv), registry
parameter ids, ``name@year`` (the one parameter of that name and year) or registry figure ids
(national statistics), with + - * / and parentheses, for example::

    electric_car_sales-world-2024-iea * 1000 * pm_share_ev * kg_magnet_per_ev_motor
    ndfeb_production-cn-2024-argus - ndfeb_exports-cn-2024-adamas

Operators and parentheses must stand apart from the names, since ids contain '-'.
"""

from __future__ import annotations

import operator
from dataclasses import dataclass

import pandas as pd

from magchain.errors import MagchainError

_OPERATORS = {"+": (1, operator.add), "-": (1, operator.sub), "*": (2, operator.mul), "/": (2, operator.truediv)}


@dataclass(frozen=True)
class Term:
    """One resolved name of a formula: its value and, for registry figures, the record."""

    token: str
    value: float
    kind: str  # "number", "factor" or "parameter"
    record: dict | None = None


@dataclass(frozen=True)
class Evaluated:
    value: float
    terms: tuple[Term, ...]
    postfix: tuple[str, ...] = ()
    where: str = ""

    @property
    def parameters(self) -> list[dict]:
        return [t.record for t in self.terms if t.kind == "parameter"]

    def factors(self) -> set[str]:
        return {t.token for t in self.terms if t.kind == "factor"}

    def value_with(self, factors: dict[str, float]) -> float:
        """The formula's value with some factors at other values (e.g. one Monte Carlo draw's)."""
        terms = {t.token: Term(t.token, float(factors[t.token]), t.kind) if t.kind == "factor" and t.token in factors
                 else t for t in self.terms}
        return _compute(list(self.postfix), terms, self.where)


def evaluate(text: str, chain, where: str) -> Evaluated | None:
    """Value of a formula on the chain; None when a figure it needs is not yet known as of the date.

    ``where`` names the file, row and column for error messages.
    """
    tokens = _tokens(text, where)
    terms = {}
    for token in tokens:
        if token not in _OPERATORS and token not in "()":
            term = _resolve(token, chain, where)
            if term is None:
                return None
            terms[token] = term
    postfix = _postfix(tokens, where)
    return Evaluated(_compute(postfix, terms, where), tuple(terms.values()), tuple(postfix), where)


def share_rows(table: pd.DataFrame, file: str, columns: tuple[str, ...], chain):
    """(row, share) for each row of an outlook table of shares whose formula is known as of the
    chain's date; a share outside 0-1 or a missing column is refused, naming file, row and fix."""
    missing = [c for c in columns + ("share",) if c not in table.columns]
    if missing and len(table):
        raise MagchainError(f"{file}: column(s) {', '.join(missing)} missing; the header is "
                            f"{','.join(columns + ('share', 'notes'))}.")
    for number, row in enumerate(table.to_dict("records"), start=2):
        where = f"{file}, row {number}, column share"
        evaluated = evaluate(row["share"], chain, where)
        if evaluated is None:
            continue
        if not 0.0 <= evaluated.value <= 1.0:
            raise MagchainError(f"{where}: the share is {evaluated.value:g}; a share lies between 0 and 1 "
                                "(divide a percentage by 100).")
        yield row, evaluated.value


def _tokens(text: str, where: str) -> list[str]:
    tokens = (text or "").replace("(", " ( ").replace(")", " ) ").split()
    if not tokens:
        raise MagchainError(f"{where}: empty formula. Give a number, a factor or a registry parameter id.")
    return tokens


def _resolve(token: str, chain, where: str) -> Term | None:
    try:
        return Term(token, float(token), "number")
    except ValueError:
        pass
    if token in chain.factors:
        return Term(token, chain.factors[token].value, "factor")
    record = _parameter(token, chain, where)
    if record is None:
        return None
    return Term(token, _central(record, token, where), "parameter", record)


def _parameter(token: str, chain, where: str) -> dict | None:
    """The parameter record a token names, None if recorded but not known as of the chain's date."""
    frame = chain.tables["parameters"]
    if "@" in token:
        name, _, year = token.partition("@")
        ever = name in chain.parameters_ever
        match = frame[(frame["name"] == name) & (frame["year"].astype(str) == year)]
    else:  # a parameter id, or a figure id (national statistics)
        ever = token in chain.record_ids_ever
        match = frame[frame["id"] == token]
        if match.empty:
            match = chain.tables["figures"][chain.tables["figures"]["id"] == token]
    if not ever:
        raise MagchainError(f"{where}: '{token}' is neither a factor in factors.csv nor a registry parameter or "
                            "figure. Use a parameter or figure id, name@year, or add the figure with its source.")
    if len(match) > 1:
        ids = ", ".join(match["id"])
        raise MagchainError(f"{where}: '{token}' matches several parameters ({ids}); name one by its id.")
    return None if match.empty else match.iloc[0].to_dict()


def _central(record: dict, token: str, where: str) -> float:
    """The stated value, else the middle of a stated range, else the one stated bound."""
    value, low, high = (record.get(k) for k in ("value", "low", "high"))
    if pd.notna(value):
        return float(value)
    bounds = [float(b) for b in (low, high) if pd.notna(b)]
    if not bounds:
        raise MagchainError(f"{where}: parameter '{token}' has no value or range.")
    return sum(bounds) / len(bounds)


def _postfix(tokens: list[str], where: str) -> list[str]:
    """Shunting-yard: infix tokens to postfix, so precedence and parentheses are honoured."""
    output, stack = [], []
    for token in tokens:
        if token in _OPERATORS:
            while stack and stack[-1] in _OPERATORS and _OPERATORS[stack[-1]][0] >= _OPERATORS[token][0]:
                output.append(stack.pop())
            stack.append(token)
        elif token == "(":
            stack.append(token)
        elif token == ")":
            while stack and stack[-1] != "(":
                output.append(stack.pop())
            if not stack:
                raise MagchainError(f"{where}: unbalanced ')' in the formula.")
            stack.pop()
        else:
            output.append(token)
    if "(" in stack:
        raise MagchainError(f"{where}: unbalanced '(' in the formula.")
    return output + stack[::-1]


def _compute(postfix: list[str], terms: dict[str, Term], where: str) -> float:
    stack: list[float] = []
    for token in postfix:
        if token in _OPERATORS:
            if len(stack) < 2:
                raise MagchainError(f"{where}: operator '{token}' lacks an operand. Put spaces around operators.")
            right, left = stack.pop(), stack.pop()
            try:
                stack.append(_OPERATORS[token][1](left, right))
            except ZeroDivisionError:
                raise MagchainError(f"{where}: division by zero.") from None
        else:
            stack.append(terms[token].value)
    if len(stack) != 1:
        raise MagchainError(f"{where}: two values without an operator between them. Put + - * / between names.")
    return stack[0]
