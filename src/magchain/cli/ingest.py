"""``magchain ingest``, ``magchain review`` and ``magchain digest``: shells over magchain.ingest."""

from __future__ import annotations

import json

import typer
from rich.progress import track

from magchain.cli.output import Format, console, emit, errors
from magchain.coerce import user_date
from magchain.errors import MagchainError
from magchain.ingest.extract import READING_BUDGET_S
from magchain.numbers import amount

FACT_COLUMNS = ["id", "kind", "company", "facility_id", "quantity", "unit", "year", "status", "review"]
JSON_FACT_KEYS = ["kind", "company", "facility", "country", "stage", "quantity", "unit", "material", "year",
                  "status", "agency", "evidence"]


def register(app: typer.Typer, handle_errors, store) -> None:
    @app.command("ingest")
    @handle_errors
    def ingest(
        paths: list[str] = typer.Argument(None, help="Files (.txt .md .html .pdf) or folders."),
        published: str | None = typer.Option(None, help="Publication date YYYY-MM-DD, if the text lacks one."),
        title: str | None = typer.Option(None, help="Title, if the text's first line is not it."),
        url: str | None = typer.Option(None, help="Where the document can be read."),
        dry_run: bool = typer.Option(False, "--dry-run", help="Show the facts; write nothing."),
        as_json: bool = typer.Option(False, "--json", help="Print the candidate facts as JSON."),
        evaluate: str | None = typer.Option(None, help="Score the extractor against a gold folder instead."),
        time_budget: float = typer.Option(READING_BUDGET_S, "--time-budget", min=0.1,
                                          help="Seconds of reading per document before it is refused."),
        watch: str | None = typer.Option(None, "--watch", metavar="DIR",
                                         help="Keep watching DIR and read each new file as it arrives (Ctrl-C stops)."),
        feed: str | None = typer.Option(None, "--feed", metavar="URL", help="Read every entry of an RSS or Atom feed."),
    ) -> None:
        """Read documents into sources and candidate facts, each with the sentence it came from.

        Example: magchain ingest news/ --dry-run --json
        Example: magchain ingest --feed https://example.org/rare-earths.rss
        Example: magchain ingest --watch inbox/
        """
        if evaluate:
            _evaluate(evaluate, as_json)
            return
        from magchain.ingest.pipeline import ingest as run_ingest
        from magchain.ingest.pipeline import ingest_feed

        progress = None if as_json else lambda files: track(files, description="Reading")
        if watch:
            _watch(watch, lambda files: _report(run_ingest(store(), files, dry_run=dry_run, budget_s=time_budget),
                                                dry_run, as_json, stop_on_refusal=False))
            return
        if feed:
            _report(ingest_feed(store(), feed, dry_run=dry_run, progress=progress, budget_s=time_budget), dry_run, as_json)
            return
        if not paths:
            raise typer.BadParameter("give at least one file or folder (or --feed URL, --watch DIR, --evaluate GOLD)")
        published = user_date(published, "--published")
        run = run_ingest(store(), paths, published=published, title=title, url=url, dry_run=dry_run,
                         progress=progress, budget_s=time_budget)
        _report(run, dry_run, as_json)

    def _watch(folder: str, read) -> None:
        from magchain.ingest.watch import watch as watch_folder

        console.print(f"Watching {folder} for new documents (Ctrl-C stops).")
        try:
            watch_folder(folder, read)
        except KeyboardInterrupt:
            console.print("Stopped watching.")

    def _report(run, dry_run: bool, as_json: bool, stop_on_refusal: bool = True) -> None:
        results, refused = run.results, run.refused
        if as_json:
            facts = [{k: c.get(k) for k in JSON_FACT_KEYS} | {"id": c["id"], "source_id": c["source_id"],
                                                               "review": c["review"]}
                     for r in results for c in r.candidates]
            print(json.dumps(facts, ensure_ascii=False, indent=2))
        else:
            for result in results:
                state = "already ingested, nothing changed" if result.already_ingested else (
                    "dry run, nothing written" if dry_run else "written")
                console.print(f"[bold]{result.title}[/bold] ({result.source_id}, {result.published or 'no date'}): "
                              f"{len(result.candidates)} facts {result.counts} — {state}")
                emit(result.candidates, Format.table, FACT_COLUMNS)
            if results:
                console.print("Next: magchain review list, then accept or reject each fact.")
        if refused:
            errors.print(f"{len(refused)} of {len(results) + len(refused)} document(s) could not be read "
                         "(the others were):")
            for refusal in refused:
                errors.print(f"  - {refusal.problem}")
            if stop_on_refusal:
                raise typer.Exit(1)

    review_app = typer.Typer(help="Review candidate facts: list, show, accept, reject, edit.\n\n"
                                  "Example: magchain review list, then magchain review accept 3f2a",
                             no_args_is_help=True)
    app.add_typer(review_app, name="review")

    @review_app.command("list")
    @handle_errors
    def review_list(
        state: str = typer.Option("pending", help="pending, accepted, rejected, known or all."),
        source: str | None = typer.Option(None, help="Only facts of this source id."),
        as_json: bool = typer.Option(False, "--json", help="Print JSON."),
    ) -> None:
        """Candidate facts awaiting a decision (or in another state).

        Example: magchain review list --state pending
        """
        from magchain.ingest.review import listing

        rows = listing(store(), None if state == "all" else state, source)
        if as_json:
            print(json.dumps(rows, ensure_ascii=False, indent=2))
            return
        emit(rows, Format.table, FACT_COLUMNS + ["conflict"], title=f"Candidate facts ({state})")

    @review_app.command("walk")
    @handle_errors
    def review_walk(source: str | None = typer.Option(None, help="Only facts of this source id.")) -> None:
        """Step through pending facts: [a]ccept, [r]eject, [e]dit the facility, [s]kip or [q]uit.

        Example: magchain review walk
        """
        from magchain.ingest.review import accept, edit, listing, reject

        pending = listing(store(), "pending", source)
        for number, fact in enumerate(pending, start=1):
            stated = amount(fact["quantity"], fact["unit"]) if fact["quantity"] is not None else ""
            what = " ".join(str(x) for x in (fact["kind"], fact["company"], fact["facility_id"] or fact["facility"],
                                             stated, fact["year"]) if x)
            console.print(f"\n[bold]{number}/{len(pending)}[/bold] {what} ({fact['id'][:8]})", highlight=False)
            console.print(f'  "{fact["evidence"]}"', highlight=False)
            if fact["conflict"]:
                console.print(f"  conflict: {fact['conflict']}", style="yellow")
            choice = typer.prompt("  [a]ccept, [r]eject, [e]dit facility, [s]kip, [q]uit", default="s").lower()
            if choice.startswith("q"):
                break
            if choice.startswith("e"):
                edit(store(), fact["id"], {"facility_id": typer.prompt("  facility id")})
                choice = "a"
            if choice.startswith("a"):
                known = {f["id"] for f in store().rows("facilities")}
                try:
                    done = accept(store(), fact["id"])
                except MagchainError as error:  # e.g. a plant fact without a facility: say why, go on
                    console.print(f"  not accepted: {error}", style="red")
                    continue
                plant = _plant_note(done["facility_id"], fact["facility_id"], known)
                console.print(f"  accepted -> {done['record_table']} {done['record_id']}{plant}")
            elif choice.startswith("r"):
                reject(store(), fact["id"])
                console.print("  rejected")

    @review_app.command("show")
    @handle_errors
    def review_show(candidate: str = typer.Argument(..., help="Id (or its first characters).")) -> None:
        """One candidate with its sentence.

        Example: magchain review show 3f2a
        """
        from magchain.service import Service

        fact = Service(store=store()).candidate(candidate)
        proposal = fact.pop("proposal")
        for key, value in fact.items():
            if value is not None:
                console.print(f"[bold]{key}[/bold]: {value}", highlight=False)
        for name in ("company", "facility"):
            if name in proposal:
                record = proposal[name]
                console.print(f"[bold]accepting adds the {name}[/bold] {record['id']}: {record['name']}"
                              f"{', ' + record['stage'] if name == 'facility' else ''}, "
                              f"{record['country'] or 'country unknown'}", highlight=False)
        if proposal.get("missing"):
            console.print(f"[yellow]to accept, give {', '.join(proposal['missing'])}[/yellow]", highlight=False)

    @review_app.command("accept")
    @handle_errors
    def review_accept(candidates: list[str] = typer.Argument(..., help="Ids (or their first characters).")) -> None:
        """Write facts to the registry, each with its document as source and sentence as evidence.

        Example: magchain review accept 3f2a 9b1c
        """
        from magchain.ingest.review import accept

        for candidate in candidates:
            fact = accept(store(), candidate)
            plant = f" (facility {fact['facility_id']})" if fact.get("facility_id") else ""
            console.print(f"accepted {fact['id']} -> {fact['record_table']} {fact['record_id']}{plant}")

    @review_app.command("reject")
    @handle_errors
    def review_reject(candidates: list[str] = typer.Argument(..., help="Ids (or their first characters).")) -> None:
        """Reject facts; they will not be proposed again for that source.

        Example: magchain review reject 3f2a
        """
        from magchain.ingest.review import reject

        for candidate in candidates:
            console.print(f"rejected {reject(store(), candidate)['id']}")

    @review_app.command("edit")
    @handle_errors
    def review_edit(
        candidate: str = typer.Argument(..., help="Id (or its first characters)."),
        facility_id: str | None = typer.Option(None, help="Registry facility id."),
        company_id: str | None = typer.Option(None, help="Registry company id."),
        quantity: float | None = typer.Option(None, help="Corrected number."),
        unit: str | None = typer.Option(None, help="Corrected unit, e.g. t/yr."),
        year: int | None = typer.Option(None, help="Corrected year."),
        status: str | None = typer.Option(None, help="Corrected status."),
        kind: str | None = typer.Option(None, help="Corrected kind."),
        stage: str | None = typer.Option(None, help="Corrected stage: mine, separation, metal, alloy, magnet."),
        material: str | None = typer.Option(None, help="Material basis, e.g. magnet, NdPr_oxide, REO."),
    ) -> None:
        """Correct a candidate before accepting it.

        Example: magchain review edit 3f2a --facility-id mp-independence-magnet --unit t/yr
        """
        from magchain.ingest.review import edit

        changes = {k: v for k, v in {"facility_id": facility_id, "company_id": company_id, "quantity": quantity,
                                     "unit": unit, "year": year, "status": status, "kind": kind, "stage": stage,
                                     "material": material}.items()
                   if v is not None}
        fact = edit(store(), candidate, changes)
        console.print(f"edited {fact['id']}: " + ", ".join(f"{k}={v}" for k, v in changes.items()))

    @app.command("digest")
    @handle_errors
    def digest(
        since: str | None = typer.Option(None, help="YYYY-MM-DD: documents published on or after this day; a week ago by default."),
        year: int = typer.Option(2028, help="The year whose answers are shown before and after the accepted facts."),
        as_json: bool = typer.Option(False, "--json", help="Print JSON."),
    ) -> None:
        """What changed: new plants, capacity and status changes, controls, funding, open conflicts,
        and what the accepted facts do to each affected region's answer.

        Example: magchain digest --since 2026-11-16 --year 2030
        """
        from magchain.ingest.digest import digest as make_digest

        report = make_digest(store(), since, year)
        if as_json:
            print(json.dumps(report, ensure_ascii=False, indent=2))
            return
        console.print(f"[bold]Since {report['since']}[/bold]: {len(report['documents'])} documents; "
                      f"{report['pending']} facts to review, {report['accepted']} accepted, "
                      f"{report['already_known']} already in the registry.")
        for answer in report["answers"]:
            console.print(answer["sentence"], highlight=False)
        for section in report["sections"]:
            console.print(f"\n[bold]{section['title']}[/bold]")
            for item in section["items"]:
                line = " ".join(str(x) for x in (item["who"], item["amount"], item["year"] or "") if x)
                sentence = " ".join(item["evidence"].split())  # PDF text keeps its line breaks
                console.print(f"  [{item['review']}] {line}: \"{sentence}\" ({item['source_id']})",
                              highlight=False)
        if report["conflicts"]:
            console.print("\n[bold]Open conflicts[/bold]")
            for item in report["conflicts"]:
                console.print(f"  {item['who']} {item['amount']}: {item['conflict']}", highlight=False)


def _evaluate(gold: str, as_json: bool) -> None:
    from magchain.ingest.adapter import evaluate

    scores = evaluate(gold)
    if as_json:
        print(json.dumps(scores, ensure_ascii=False, indent=2))
        return
    emit(scores, Format.table, ["kind", "gold", "predicted", "matched", "precision", "recall", "f1"],
         title=f"Extraction against {gold}")


def _plant_note(facility_id: str | None, proposed_by_fact: str | None, known: set[str]) -> str:
    """Which plant an accepted fact went to, when review chose it: one its acceptance created, or
    one an earlier acceptance in the walk created."""
    if facility_id is None or facility_id == proposed_by_fact:
        return ""
    return f" (facility {facility_id})" if facility_id in known else f" (new facility {facility_id})"
