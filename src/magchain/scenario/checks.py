"""A scenario checked against the registry and its own run before it is solved.

Pydantic checks each field's shape; this checks what only the registry knows: that every region,
stage, sector and producer an event names exists, and that every date falls inside the run, so
that a typo is refused with its line instead of silently doing nothing.
"""

from __future__ import annotations

from magchain.errors import InvalidInput, MagchainError
from magchain.scenario.network import HEAVY, REST, month_index
from magchain.scenario.spec import (
    DemandShock,
    ExportControl,
    FinishedGoodsControl,
    LicenceRegime,
    PriceFloor,
    Recycling,
    Scenario,
    Stockpile,
    Tariff,
    Thrifting,
)
from magchain.vocab import STAGES

EARLIEST_YEAR, LATEST_YEAR = 1950, 2100  # years a path (adoption, collection) may name


def check(chain, scenario: Scenario) -> None:
    """Refuse the first event that names something unknown or falls outside the run."""
    run_end = month_index(scenario.base.end, end=True)
    sectors = _sectors(chain)
    for sector in scenario.priorities:
        _known(sector, sectors, scenario.where_priorities(), "sector", "a sector of sectors.csv")
    for number, event in enumerate(scenario.events):
        where = scenario.where_event(number)
        for code in _codes(event):
            _known_region(chain, code, where)
        for stage in getattr(event, "stages", []) if isinstance(event, ExportControl | LicenceRegime | Tariff) else []:
            _known(stage, set(STAGES) - {"recycling"} | {HEAVY}, where, "stage", "a stage or heavy_re")
        for sector in _sectors_of(event):
            _known(sector, sectors, where, "sector", "a sector of sectors.csv")
        if isinstance(event, PriceFloor):
            _known_producer(chain, event.producer, where)
        start = getattr(event, "start", None)
        if start is not None and month_index(start) > run_end:
            raise InvalidInput(f"{where}: {event.kind} starts {start}, after the run ends ({scenario.base.end}). "
                               "Move it inside the run or extend base.end.")
        for year in _path_years(event):
            if not EARLIEST_YEAR <= year <= LATEST_YEAR:
                raise InvalidInput(f"{where}: year {year} in {event.kind} is outside {EARLIEST_YEAR}-{LATEST_YEAR}. "
                                   "Give the calendar year, e.g. 2030.")


def _codes(event) -> list[str]:
    if isinstance(event, ExportControl | LicenceRegime | FinishedGoodsControl):
        destinations = [] if event.destinations == "all" else (
            [event.destinations] if isinstance(event.destinations, str) else event.destinations)
        own = [k for k in event.controlled_share if k != "default"] if isinstance(event, LicenceRegime) else []
        return [event.exporter, *destinations, *own]
    if isinstance(event, DemandShock | Recycling):
        return [event.region]
    if isinstance(event, Stockpile):
        return [event.holder]
    if isinstance(event, Tariff):
        return [event.importer, event.exporter]
    return []


def _sectors_of(event) -> list[str]:
    if isinstance(event, DemandShock) and event.sector != "all":
        return [event.sector]
    if isinstance(event, Stockpile):
        return event.priority_sectors
    return []


def _path_years(event) -> list[int]:
    if isinstance(event, Thrifting):
        return list(event.adoption)
    if isinstance(event, Recycling):
        return list(event.collection)
    return []


def _sectors(chain) -> set[str]:
    return set(chain.sectors["sector"]) | {"other"} if len(chain.sectors) else {"other"}


def _known(value: str, allowed: set[str], where: str, what: str, hint: str) -> None:
    if value not in allowed:
        raise InvalidInput(f"{where}: {what} '{value}' is not known. Use {hint}: {', '.join(sorted(allowed))}.")


def _known_region(chain, code: str, where: str) -> None:
    if code.upper() == REST:
        return
    try:
        chain.regions.members(code)
    except MagchainError as error:
        raise InvalidInput(f"{where}: {error}") from None


def _known_producer(chain, producer: str, where: str) -> None:
    companies, facilities = chain.tables["companies"], chain.tables["facilities"]
    names = set(companies["id"]) | set(companies["name"]) | set(facilities["id"])
    if producer not in names:
        raise InvalidInput(f"{where}: price_floor producer '{producer}' is not a company or facility in the "
                           "registry. Use an id from `magchain companies` or `magchain facilities`.")
