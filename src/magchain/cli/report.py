"""``magchain report``: the periodic assessment of a region's magnet industrial base, to a file."""

from __future__ import annotations

from pathlib import Path

import typer

from magchain.cli.output import console
from magchain.errors import InvalidInput


def register(app: typer.Typer, handle_errors, url) -> None:
    @app.command()
    @handle_errors
    def report(
        region: str = typer.Option("US", help="Region or country code, e.g. US, EU, JP."),
        as_of: str | None = typer.Option(None, "--as-of", help="Assess as known on this date (YYYY-MM-DD); today by default."),
        since: str | None = typer.Option(None, help="List what changed since this date; 90 days before --as-of by default."),
        fmt: str = typer.Option("html", "--format", help="html, pdf (printed by headless Chromium) or xlsx."),
        output: Path | None = typer.Option(None, "--output", "-o", help="File to write; magchain-report-REGION-DATE.FORMAT by default."),
        draws: int = typer.Option(1000, min=100, max=100_000, help="Monte Carlo draws behind the probabilities."),
    ) -> None:
        """Write the assessment of a region's NdFeB magnet industrial base, every number cited.

        Status and outlook by stage, self-sufficiency and its chance, weak links, the suppliers
        that matter most, exposure to export controls, prices, what changed, and the sources.

        Example: magchain report --region US --format pdf -o us-2026.pdf
        """
        from magchain.report.assess import assess
        from magchain.report.write import FORMATS, write
        from magchain.service import Service

        if fmt not in FORMATS:
            raise InvalidInput(f"--format '{fmt}' is not one of: {', '.join(FORMATS)}.")
        service = Service(url())
        with console.status("Assessing") as status:
            done = assess(service, region, as_of, since, draws=draws, progress=lambda step: status.update(f"Assessing: {step}"))
        target = output or Path(f"magchain-report-{done.region}-{done.as_of}.{fmt}")
        with console.status(f"Writing {fmt}"):
            write(done, target, fmt)
        for sentence in done.answer:
            console.print("".join(p if isinstance(p, str) else p.text for p in sentence), highlight=False)
        console.print(f"Wrote {target} ({len(done.bibliography.entries)} sources cited).")
