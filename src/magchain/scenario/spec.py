"""Scenario files: YAML read into pydantic models, with errors that name the line and the fix.

A scenario names its base (as-of date, demand preset, first and last period, monthly or
yearly periods, the stages the trade model covers) and a list of events. Every event may
carry ``source``: the registry source id or the citation it rests on.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Literal

import yaml
from pydantic import (
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    PrivateAttr,
    ValidationError,
    field_validator,
    model_validator,
)

from magchain.errors import InvalidInput
from magchain.vocab import STAGES

# YAML reads 2026 as a number: periods are taken as text before the pattern is checked.
Period = Annotated[str, BeforeValidator(lambda v: str(v) if isinstance(v, int) else v),
                   Field(pattern=r"^\d{4}(-(0[1-9]|1[0-2]))?$", description="YYYY or YYYY-MM")]

Share = Annotated[float, Field(ge=0, le=1)]


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


class Base(Strict):
    as_of: str | None = None
    demand: Literal["base", "high", "low"] = "base"
    start: Period
    end: Period
    periods: Literal["month", "year"] = "month"
    stages: list[str] = ["magnet"]
    fill_unlisted: bool = Field(True, description="upstream capacity for downstream plants where none is listed")
    inventory_months: float | None = Field(None, ge=0, description="users' magnet stocks; default from factors.csv")
    horizon: Literal["rolling", "foresight"] | None = Field(
        None, description="rolling: each month decided with what is known then (default with a disruption); "
                          "foresight: one decision over all periods")

    @field_validator("stages")
    @classmethod
    def _known_stages(cls, stages: list[str]) -> list[str]:
        unknown = [s for s in stages if s not in STAGES or s == "recycling"]
        if unknown or not stages:
            raise ValueError(f"stages must be a non-empty list of {', '.join(s for s in STAGES if s != 'recycling')}")
        return [s for s in STAGES if s in stages]  # upstream first

    @model_validator(mode="after")
    def _ordered(self) -> Base:
        if self.end < self.start:
            raise ValueError(f"end {self.end} comes before start {self.start}")
        return self


class Event(Strict):
    source: str | None = None
    notes: str | None = None


class ExportControl(Event):
    kind: Literal["export_control"]
    exporter: str
    stages: list[str] = Field(["magnet"], description="stages whose output is controlled; heavy_re for Dy+Tb")
    destinations: str | list[str] = "all"
    start: Period
    end: Period | None = None
    cut: float | None = Field(None, ge=0, le=1)
    quota_t: float | None = Field(None, ge=0, description="tonnes per period, over all listed destinations")
    licence_approval: float = Field(0.0, ge=0, le=1, description="share of the cut volume licensed after the delay")
    licence_delay_months: float = Field(0, ge=0)

    @model_validator(mode="after")
    def _one_limit(self) -> ExportControl:
        if (self.cut is None) == (self.quota_t is None):
            raise ValueError("give either cut (a fraction, 0.74 for -74 %) or quota_t (tonnes per period)")
        return self


Fitted = float | Literal["fit"]


class Expedite(Strict):
    """An announced change of terms: from ``start``, applications for these destinations are decided
    within ``review_months`` (0: at once), e.g. the June 2025 London framework for US buyers."""

    start: Period
    destinations: str | list[str] = "all"
    review_months: float = Field(0.0, ge=0)
    source: str | None = None


class GeneralLicence(Strict):
    """From ``start``, ``share`` of the controlled exports ship under general licences, without review."""

    start: Period
    share: Share
    source: str | None = None


class FitWindow(Strict):
    """The months whose observed exports fix the parameters given as 'fit'; later months are predicted."""

    start: Period
    end: Period


class LicenceRegime(Event):
    """Exports that need a licence: applications wait ``review_months`` for a decision; a share is
    approved and the rest apply again. Exports that need no licence flow as ordered."""

    kind: Literal["licence_regime"]
    exporter: str
    stages: list[str] = Field(["magnet"], description="stages whose output is controlled; heavy_re for Dy+Tb")
    destinations: str | list[str] = "all"
    start: Period
    start_day: int = Field(1, ge=1, le=31, description="day of the start month the rule took effect")
    end: Period | None = Field(None, description="suspension: no licence needed after this period")
    review_months: float = Field(ge=0, description="months from application to decision")
    approval_share: Share = Field(description="share of decided applications approved")
    controlled_share: dict[str, Fitted] = Field(
        description="share of orders that need a licence, by destination code or 'default'; 'fit' to fit it")
    cleared_share: Fitted = Field(0.0, description="share of the first month's licensable exports cleared before "
                                                   "the rule bit (goods declared or in transit); 'fit' to fit it")
    expedite: list[Expedite] = []
    general_licences: list[GeneralLicence] = []
    fit: FitWindow | None = None

    @model_validator(mode="after")
    def _fits_need_a_window(self) -> LicenceRegime:
        fitted = "fit" in self.controlled_share.values() or self.cleared_share == "fit"
        if fitted and self.fit is None:
            raise ValueError("parameters given as 'fit' need a fit window: fit: {start: YYYY-MM, end: YYYY-MM}")
        if "default" not in self.controlled_share:
            raise ValueError("controlled_share needs a 'default' entry (the share for destinations not listed)")
        for key, value in self.controlled_share.items():
            if value != "fit" and not 0 <= value <= 1:
                raise ValueError(f"controlled_share.{key} must be between 0 and 1 or 'fit'")
        return self


class FinishedGoodsControl(Event):
    """A cut of an exporter's finished goods (cars, motors, electronics) with magnets inside."""

    kind: Literal["finished_goods_control"]
    exporter: str
    destinations: str | list[str] = "all"
    start: Period
    end: Period | None = None
    cut: float = Field(ge=0, le=1, description="share of the finished goods' magnet content stopped")


class PlantOutage(Event):
    kind: Literal["plant_outage"]
    facility: str
    start: Period
    months: float = Field(gt=0)


class PlantDelay(Event):
    kind: Literal["plant_delay"]
    facility: str = Field(description="a facility id, or 'US-planned' for every planned plant of a country")
    years: float = Field(gt=0)


class CapacityChange(Event):
    kind: Literal["capacity_change"]
    facility: str
    start: Period
    tonnes: float = Field(description="added (or, if negative, removed) magnet-equivalent tonnes per year")


class DemandShock(Event):
    kind: Literal["demand_shock"]
    region: str
    sector: str = "all"
    factor: float = Field(ge=0)
    start: Period
    end: Period | None = None


class Stockpile(Event):
    kind: Literal["stockpile"]
    holder: str
    material: Literal["magnet"] = "magnet"
    initial_t: float = Field(ge=0)
    purchases_t: float = Field(0, ge=0, description="tonnes added each period")
    priority_sectors: list[str] = ["defense"]
    max_release_t: float | None = Field(None, ge=0, description="per period")
    release_from: Period | None = Field(None, description="trigger: no release before this period")


class PriceFloor(Event):
    kind: Literal["price_floor"]
    material: str = "NdPr oxide"
    floor_usd_per_kg: float = Field(gt=0)
    producer: str
    covered_t_per_year: float = Field(ge=0)
    start: Period | None = Field(None, description="first period the floor pays for (default: the run's start)")
    end: Period | None = None
    price_path: dict[Period, float] | None = Field(
        None, description="an assumed market price by period or year, US$/kg (default: the modelled NdPr price outside China)")


class Recycling(Event):
    kind: Literal["recycling"]
    region: str
    collection: dict[int, Share] = Field(description="end-of-life collection rate by year (linear between)")
    recovery: float = Field(0.9, ge=0, le=1)


class Thrifting(Event):
    kind: Literal["thrifting"]
    element: Literal["DyTb"] = "DyTb"
    reduction: float = Field(ge=0, le=1)
    adoption: dict[int, Share] = Field(description="share of magnets made thrifted, by year (linear between)")


class Tariff(Event):
    kind: Literal["tariff"]
    importer: str
    exporter: str
    stages: list[str] = ["magnet"]
    rate: float = Field(ge=0)


AnyEvent = Annotated[
    ExportControl | LicenceRegime | FinishedGoodsControl | PlantOutage | PlantDelay | CapacityChange | DemandShock | Stockpile
    | PriceFloor | Recycling | Thrifting | Tariff,
    Field(discriminator="kind"),
]


class Scenario(Strict):
    name: str
    title: str = ""
    description: str = ""
    base: Base
    priorities: dict[str, int] = Field(default_factory=lambda: {"defense": 1, "wind": 2, "ev_traction": 2})
    events: list[AnyEvent] = []
    _source: str = PrivateAttr("<scenario>")
    _lines: dict[str, int] = PrivateAttr(default_factory=dict)  # 'events.3', 'priorities' -> line in the file

    def where_event(self, number: int) -> str:
        line = self._lines.get(f"events.{number}")
        return f"{self._source}, line {line}, events[{number}]" if line else f"{self._source}, events[{number}]"

    def where_priorities(self) -> str:
        line = self._lines.get("priorities")
        return f"{self._source}, line {line}, priorities" if line else f"{self._source}, priorities"


def load(path: str | Path) -> Scenario:
    """Read and validate a scenario file; any problem is one message naming the line and the fix."""
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as error:
        raise InvalidInput(f"{path}: cannot read the scenario ({error}). Give a UTF-8 YAML file.") from None
    return parse(text, str(path))


def parse(text: str, where: str = "<scenario>") -> Scenario:
    try:
        node = yaml.compose(text, Loader=yaml.SafeLoader)
        data = yaml.safe_load(text)
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        line = f", line {mark.line + 1}" if mark else ""
        raise InvalidInput(f"{where}{line}: not valid YAML ({getattr(error, 'problem', error)}).") from None
    if not isinstance(data, dict):
        raise InvalidInput(f"{where}: a scenario is a mapping with 'name', 'base' and 'events'.")
    duplicate = _duplicate_key(node)
    if duplicate:
        key, line = duplicate
        raise InvalidInput(f"{where}, line {line}: '{key}' is given twice; keep one.")
    try:
        scenario = Scenario.model_validate(data)
    except ValidationError as error:
        problems = [_describe(problem, node, where) for problem in error.errors()]
        raise InvalidInput("Scenario is not valid:\n" + "\n".join(problems)) from None
    scenario._source = where
    scenario._lines = _lines_of(node)
    return scenario


def _duplicate_key(node) -> tuple[str, int] | None:
    """The first key given twice in one mapping, anywhere in the file, with its line."""
    stack = [node]
    while stack:
        current = stack.pop()
        if isinstance(current, yaml.MappingNode):
            seen = set()
            for key, value in current.value:
                if key.value in seen:
                    return key.value, key.start_mark.line + 1
                seen.add(key.value)
                stack.append(value)
        elif isinstance(current, yaml.SequenceNode):
            stack.extend(current.value)
    return None


def _lines_of(node) -> dict[str, int]:
    lines = {}
    for key, value in node.value if isinstance(node, yaml.MappingNode) else []:
        if key.value == "priorities":
            lines["priorities"] = key.start_mark.line + 1
        if key.value == "events" and isinstance(value, yaml.SequenceNode):
            for number, item in enumerate(value.value):
                lines[f"events.{number}"] = item.start_mark.line + 1
    return lines


def _describe(problem: dict, node, where: str) -> str:
    location = [part for part in problem["loc"] if not (isinstance(part, str) and part in _EVENT_KINDS)]
    line = _line(node, location)
    field = ".".join(str(p) for p in location) or "(top)"
    message = problem["msg"].removeprefix("Value error, ")
    fix = _FIXES.get(problem["type"], "see `magchain scenario list` for working examples")
    return f"  {where}{f', line {line}' if line else ''}: {field}: {message} ({fix})"


_EVENT_KINDS = {"export_control", "licence_regime", "finished_goods_control", "plant_outage", "plant_delay",
                "capacity_change", "demand_shock", "stockpile", "price_floor", "recycling", "thrifting", "tariff"}
_FIXES = {
    "missing": "add this field",
    "extra_forbidden": "remove it or check its spelling",
    "union_tag_invalid": f"kind must be one of {', '.join(sorted(_EVENT_KINDS))}",
    "union_tag_not_found": "give the event a kind",
    "string_pattern_mismatch": "write periods as YYYY or YYYY-MM",
    "literal_error": "use one of the allowed values",
    "greater_than_equal": "use a larger number",
    "less_than_equal": "use a smaller number",
    "float_parsing": "give a number",
}


def _line(node, location) -> int | None:
    """1-based line of the deepest YAML node the error location reaches."""
    line = None
    for part in location:
        if isinstance(node, yaml.MappingNode):
            match = next((v for k, v in node.value if k.value == part), None)
            line = (next((k for k, _ in node.value if k.value == part), node).start_mark.line + 1)
        elif isinstance(node, yaml.SequenceNode) and isinstance(part, int) and part < len(node.value):
            match = node.value[part]
            line = match.start_mark.line + 1
        else:
            break
        if match is None:
            line = node.start_mark.line + 1
            break
        node = match
    return line
