"""``magchain``: the registry from the command line. Each command calls the library once."""

from __future__ import annotations

import functools
import logging
from pathlib import Path

import click
import typer
from rich.markup import escape
from rich.panel import Panel
from rich.table import Table

from magchain.cli.faults import INTERNAL, INTERRUPTED, as_magchain_error
from magchain.cli.output import Format, console, emit, emit_object, errors, pick_format
from magchain.coerce import as_of_date, user_date
from magchain.errors import InvalidInput
from magchain.io.export import FORMATS, export_bundle
from magchain.io.files import read_path
from magchain.registry import Registry
from magchain.store import ChangeReport, Store
from magchain.tables import TABLE_ORDER, table, tables
from magchain.vocab import EVENT_KINDS, STAGES, STATUSES

app = typer.Typer(
    help="magchain: an open, sourced registry and model of the NdFeB magnet value chain.\n\n"
    "Example: magchain facilities --stage magnet --country US",
    no_args_is_help=True,
    rich_markup_mode="rich",
    pretty_exceptions_enable=False,
)
db_app = typer.Typer(help="Create, migrate and describe the store.\n\nExample: magchain db init", no_args_is_help=True)
app.add_typer(db_app, name="db")

_state: dict = {"url": None, "debug": False}

JSON = typer.Option(False, "--json", help="Print JSON (an array of objects with snake_case keys).")
CSV = typer.Option(False, "--csv", help="Print CSV.")
AS_OF = typer.Option(None, "--as-of", help="Show what was known on this date (YYYY, YYYY-MM or YYYY-MM-DD).")


def handle_errors(func):
    """Every fault becomes one message of its kind and that kind's exit code; no traceback
    (``magchain --debug`` shows it)."""

    @functools.wraps(func)
    def wrapper(*args, **kwargs):
        try:
            return func(*args, **kwargs)
        except (click.exceptions.ClickException, click.exceptions.Exit, click.exceptions.Abort, typer.Exit):
            raise  # click's and typer's own usage errors and exits (typer.Exit is not click's Exit)
        except KeyboardInterrupt:
            errors.print("Interrupted. Every change to the store is one transaction, so it is as it was.")
            raise typer.Exit(INTERRUPTED) from None
        except Exception as exc:
            if _state["debug"]:
                raise
            error = as_magchain_error(exc, _state["url"])
            if error is None and isinstance(exc, ValueError | KeyError):  # the library's plain refusals
                message = exc.args[0] if isinstance(exc, KeyError) and exc.args else exc
                errors.print(f"[bold red]Error:[/bold red] {escape(str(message))}")
                raise typer.Exit(1) from None
            if error is None:
                errors.print(f"[bold red]Internal error:[/bold red] {escape(type(exc).__name__)}: {escape(str(exc))}. "
                             "This is a fault in magchain; run the command again with magchain --debug and "
                             "report what it prints.")
                raise typer.Exit(INTERNAL) from None
            errors.print(f"[bold red]Error:[/bold red] {escape(str(error))}")
            raise typer.Exit(error.exit_code) from None

    return wrapper


def _print_version(value: bool) -> None:
    if value:
        from magchain import __version__

        console.print(f"magchain {__version__}")
        raise typer.Exit()


@app.callback()
def main(
    db: str | None = typer.Option(
        None, "--db", envvar="MAGCHAIN_DATABASE_URL",
        help="Database URL (default: a SQLite file in your data directory). "
        "Example: postgresql://user@localhost/magchain",
    ),
    verbose: bool = typer.Option(False, "--verbose", "-v", help="Log what the library does."),
    debug: bool = typer.Option(False, "--debug", help="Show the traceback of a fault instead of its message."),
    version: bool = typer.Option(False, "--version", is_eager=True, callback=_print_version,
                                 help="Print magchain's version and exit."),
) -> None:
    _state["url"] = db
    _state["debug"] = debug
    logging.basicConfig(level=logging.INFO if verbose else logging.WARNING, format="%(levelname)s %(message)s")


def _store() -> Store:
    return Store(_state["url"])


def _registry(as_of: str | None = None) -> Registry:
    return Registry(_store(), as_of_date(as_of))


def _choice(value: str | None, allowed: tuple[str, ...], option: str) -> str | None:
    if value is None or value in allowed:
        return value
    raise InvalidInput(f"{option} {value!r} is not one of: {', '.join(allowed)}")


# -- registry listings -----------------------------------------------------------------------
FACILITY_COLUMNS = ["id", "company", "country", "stage", "status", "capacity_t_per_yr", "start_year", "sources",
                    "material", "flags"]
FACILITY_DROPS = ["flags", "material", "sources", "start_year", "stage"]  # left out first on a narrow terminal


@app.command()
@handle_errors
def facilities(
    stage: str | None = typer.Option(None, help=f"One of: {', '.join(STAGES)}."),
    country: str | None = typer.Option(None, help="ISO 3166-1 alpha-2 code, e.g. US."),
    status: str | None = typer.Option(None, help=f"One of: {', '.join(STATUSES)}."),
    company: str | None = typer.Option(None, help="Company name, id or alias (includes its subsidiaries)."),
    as_of: str | None = AS_OF,
    as_json: bool = JSON,
    as_csv: bool = CSV,
) -> None:
    """List facilities with capacity, status, start year and sources.

    Example: magchain facilities --stage magnet --country US --json
    """
    rows = _registry(as_of).facilities(
        stage=_choice(stage, STAGES, "--stage"), country=country,
        status=_choice(status, STATUSES, "--status"), company=company,
    )
    emit(rows, pick_format(as_json, as_csv), FACILITY_COLUMNS, title="Facilities", drop=FACILITY_DROPS)


@app.command()
@handle_errors
def facility(
    facility_id: str = typer.Argument(..., metavar="ID", help="Facility id, e.g. evac-sumter."),
    as_of: str | None = AS_OF,
    as_json: bool = JSON,
) -> None:
    """Show one facility's whole history of capacity and status records, each with its sources.

    Example: magchain facility usar-stillwater
    """
    data = _registry(as_of).facility(facility_id)
    if emit_object(data, as_json):
        return
    console.print(Panel.fit(
        f"[bold]{escape(data['name'])}[/bold] ({data['id']})\n{escape(data['company'] or '')} · "
        f"{data['country'] or 'location not stated'} {escape(data['region'] or '')} · {data['stage']} · "
        f"{data['status']}\n{escape(data['products'] or '')}"
    ))
    history = Table(title="Capacity and status records", header_style="bold")
    for column in ("known", "status", "t/yr", "material", "type", "phase", "year", "first", "source", "evidence"):
        history.add_column(column, overflow="fold")
    for r in data["history"]:
        source = r["sources"][0] if r["sources"] else {}
        history.add_row(
            r["known_from"], r["status"], f"{r['capacity_t_per_yr']:,.0f}" if r["capacity_t_per_yr"] is not None else "—",
            r["material"] or "—", r["capacity_type"] or "", r["phase"] or "", str(r["year"] or ""),
            str(r["first_year"] or ""), escape(source.get("title") or ""), escape(source.get("evidence") or ""),
        )
    console.print(history)
    for conflict in data["conflicts"]:
        values = ", ".join(f"{r['value']:,.0f} ({r['sources'][0]['id']})" for r in conflict["records"])
        console.print(f"[yellow]Conflict[/yellow] on {conflict['what']}: {values}")
    if data["notes"]:
        console.print(f"[dim]{escape(data['notes'])}[/dim]")


@app.command()
@handle_errors
def companies(as_of: str | None = AS_OF, as_json: bool = JSON, as_csv: bool = CSV) -> None:
    """List companies with their parent and number of facilities.

    Example: magchain companies --csv > companies.csv
    """
    rows = _registry(as_of).companies()
    emit(rows, pick_format(as_json, as_csv), ["id", "name", "country", "parent", "facilities"], title="Companies")


@app.command()
@handle_errors
def company(
    name: str = typer.Argument(..., help="Name, id or alias, e.g. Vacuumschmelze or VAC."),
    as_of: str | None = AS_OF,
    as_json: bool = JSON,
) -> None:
    """Show a company: parent, subsidiaries, facilities and events.

    Example: magchain company "MP Materials"
    """
    data = _registry(as_of).company(name)
    if emit_object(data, as_json):
        return
    parent = f" · subsidiary of {data['parent']}" if data["parent"] else ""
    subs = f"\nSubsidiaries: {', '.join(data['subsidiaries'])}" if data["subsidiaries"] else ""
    console.print(Panel.fit(f"[bold]{escape(data['name'])}[/bold] ({data['id']}) · {data['country'] or '—'}{parent}{escape(subs)}"))
    emit(data["facilities"], Format.table, FACILITY_COLUMNS, title="Facilities", drop=FACILITY_DROPS)
    emit(data["events"], Format.table, ["date", "type", "description", "magnitude", "unit"], title="Events")


@app.command()
@handle_errors
def events(
    kind: str | None = typer.Option(None, help=f"One of: {', '.join(EVENT_KINDS)}."),
    actor: str | None = typer.Option(None, help="Acting country code or name, e.g. CN."),
    since: str | None = typer.Option(None, help="Only events on or after this date."),
    as_of: str | None = AS_OF,
    as_json: bool = JSON,
    as_csv: bool = CSV,
) -> None:
    """List dated events (export controls, funding, offtakes, price floors, stockpiles, tariffs...).

    Example: magchain events --kind export_control --actor CN --since 2025-01-01 --json
    """
    since_text = user_date(since, "--since")
    rows = _registry(as_of).events(kind=_choice(kind, EVENT_KINDS, "--kind"), actor=actor, since=since_text)
    columns = ["date", "kind", "actor", "target", "magnitude", "unit", "description", "effects", "sources", "type"]
    emit(rows, pick_format(as_json, as_csv), columns, title="Events", drop=["type", "sources", "unit", "target"])


@app.command()
@handle_errors
def sources(as_json: bool = JSON, as_csv: bool = CSV) -> None:
    """List sources with how many records each supports.

    Example: magchain sources --csv
    """
    rows = _registry().sources()
    emit(rows, pick_format(as_json, as_csv), ["id", "published", "confidence", "records", "title"], title="Sources")


@app.command()
@handle_errors
def source(source_id: str = typer.Argument(..., metavar="ID"), as_json: bool = JSON) -> None:
    """Show one source and every record that cites it.

    Example: magchain source usgs_mcs2025
    """
    data = _registry().source(source_id)
    if emit_object(data, as_json):
        return
    console.print(Panel.fit(
        f"[bold]{escape(data['title'])}[/bold]\n{escape(data['publisher'] or '')} · {data['published'] or 'undated'}"
        f" · confidence {data['confidence']}\n{escape(data['url'] or '')}"
    ))
    emit(data["records"], Format.table, ["table", "id", "evidence"], title="Records citing it")


@app.command()
@handle_errors
def conflicts(as_of: str | None = AS_OF, as_json: bool = JSON) -> None:
    """List figures on which sources disagree, side by side.

    Example: magchain conflicts --json
    """
    rows = _registry(as_of).conflicts()
    if emit_object(rows, as_json):
        return
    flat = [
        {"subject": c["subject"], "what": c["what"],
         "values": "; ".join(f"{r['value']:g} ({r['sources'][0]['id'] if r['sources'] else '?'})" for r in c["records"])}
        for c in rows
    ]
    emit(flat, Format.table, ["subject", "what", "values"], title="Conflicts")


# -- import, export, schema ------------------------------------------------------------------
def _print_report(report: ChangeReport) -> None:
    verb = "Would change" if report.dry_run else "Changed"
    emit(report.rows(), Format.table, ["table", "added", "changed", "unchanged"],
         title=f"{verb}: {report.total_added} added, {report.total_changed} changed")
    if report.dry_run:
        for name, changes in report.tables.items():
            for label in changes.added[:20]:
                console.print(f"  [green]+[/green] {name} {label}")
            for label in changes.changed[:20]:
                console.print(f"  [yellow]~[/yellow] {name} {label}")


@app.command("import")
@handle_errors
def import_(
    path: Path = typer.Argument(..., metavar="FILE", help="A .csv, .xlsx, .json or .parquet file, or a folder of them."),
    dry_run: bool = typer.Option(False, "--dry-run", help="Show what would change; write nothing."),
) -> None:
    """Import records in the documented schema (see `magchain schema`); all or nothing.

    Example: magchain import my_plants.csv --dry-run
    """
    from magchain.ingest import decisions

    kept = decisions.read(path) if path.is_dir() else []
    report = _store().apply(read_path(path), dry_run=dry_run, also=lambda conn: decisions.restore(conn, kept))
    _print_report(report)
    if kept:
        console.print(f"{'Would restore' if dry_run else 'Restored'} {len(kept)} review decision(s) "
                      "(ones the queue already held are kept as they are).")


@app.command()
@handle_errors
def export(
    folder: Path = typer.Argument(..., metavar="DIR", help="Folder to write into (created if missing)."),
    fmt: str = typer.Option("csv", "--format", help=f"One of: {', '.join(FORMATS)}."),
    replace: bool = typer.Option(False, "--replace", help="Replace the tables exported into DIR before."),
) -> None:
    """Export every table, and the review decisions, into an empty folder; importing it into an
    empty store reproduces the store, and documents ingested again keep their decisions.

    Example: magchain export backup/ --format xlsx
    """
    from magchain.ingest import decisions

    store = _store()
    written = export_bundle(store.bundle(), folder, fmt, replace=replace)
    written.append(decisions.write(decisions.decided(store), folder))
    console.print(f"Wrote {len(written)} file(s) to {folder}, review decisions included")


@app.command()
@handle_errors
def schema(name: str | None = typer.Argument(None, metavar="TABLE", help="One table; all when omitted.")) -> None:
    """Describe the tables and columns that import and export use.

    Example: magchain schema capacities
    """
    for spec in [table(name)] if name else tables().values():
        grid = Table(title=spec.name, header_style="bold")
        for column in ("column", "type", "required", "unit", "description"):
            grid.add_column(column, overflow="fold")
        for c in spec.columns:
            grid.add_row(c.name, c.type, "yes" if c.required else "", c.unit, escape(c.description))
        console.print(grid)


# -- database --------------------------------------------------------------------------------
@db_app.command("init")
@handle_errors
def db_init() -> None:
    """Create the store if needed, migrate it and load the shipped dataset (a second run changes nothing).

    Example: magchain db init
    """
    store = Store(_state["url"], initialise=False)
    report = store.init()
    console.print(f"Store: {store.safe_url}")
    _print_report(report)


@db_app.command("upgrade")
@handle_errors
def db_upgrade() -> None:
    """Migrate the store to the newest schema.

    Example: MAGCHAIN_DATABASE_URL=postgresql://localhost/magchain magchain db upgrade
    """
    store = Store(_state["url"], initialise=False)
    before, after = store.upgrade()
    console.print(f"Store {store.safe_url}: schema {before or 'empty'} -> {after}")


@db_app.command("info")
@handle_errors
def db_info(as_json: bool = JSON) -> None:
    """Show where the store is, its schema revision and how many records each table holds.

    Example: magchain db info
    """
    store = _store()
    info = {"url": store.safe_url, "revision": store.revision(),
            "tables": {name: len(store.rows(name)) for name in TABLE_ORDER}}
    if emit_object(info, as_json):
        return
    console.print(f"Store: {info['url']} (schema {info['revision']})")
    emit([{"table": k, "records": v} for k, v in info["tables"].items()], Format.table, ["table", "records"])


# -- outlook -----------------------------------------------------------------------------------
from magchain.cli.outlook import register as _register_outlook

_register_outlook(app, handle_errors, _store, AS_OF)

# -- scenarios ---------------------------------------------------------------------------------
from magchain.cli.scenario import register as _register_scenario

_register_scenario(app, handle_errors, _store, AS_OF)

# -- ingest, review, digest --------------------------------------------------------------------
from magchain.cli.ingest import register as _register_ingest

_register_ingest(app, handle_errors, _store)

# -- uncertainty -------------------------------------------------------------------------------
from magchain.cli.uncertainty import register as _register_uncertainty

_register_uncertainty(app, handle_errors, _store, AS_OF)

# -- backtests ---------------------------------------------------------------------------------
from magchain.cli.backtest import register as _register_backtest

_register_backtest(app, handle_errors, _store)

# -- the server --------------------------------------------------------------------------------
from magchain.cli.serve import register as _register_serve

_register_serve(app, handle_errors, lambda: _state["url"])

# -- team mode ---------------------------------------------------------------------------------
from magchain.cli.team import register as _register_team

_register_team(app, handle_errors, _store)

# -- the report --------------------------------------------------------------------------------
from magchain.cli.report import register as _register_report

_register_report(app, handle_errors, lambda: _state["url"])
