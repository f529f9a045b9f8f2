"""``magchain serve``: the REST API (and, as they come, the pages) on one local server."""

from __future__ import annotations

import typer

from magchain.cli.output import console


def register(app: typer.Typer, handle_errors, url) -> None:
    @app.command()
    @handle_errors
    def serve(
        host: str = typer.Option("127.0.0.1", help="Address to listen on; 0.0.0.0 to serve the network."),
        port: int = typer.Option(8000, min=1, max=65535, help="Port to listen on."),
    ) -> None:
        """Serve the REST API over the store: JSON at /api, OpenAPI at /openapi.json.

        Example: magchain serve --port 8000, then open http://127.0.0.1:8000/api
        """
        import uvicorn

        from magchain.service import Service
        from magchain.web.api import create_app

        service = Service(url())  # opens (creating and loading on first use) before listening
        service.store.ensure_current()
        console.print(f"magchain serving {service.store.safe_url} at http://{host}:{port}/api (Ctrl+C stops)")
        uvicorn.run(create_app(service), host=host, port=port, log_level="warning")
