"""``magchain users add|list`` and ``magchain audit``: team mode's users, tokens and log."""

from __future__ import annotations

import typer

from magchain.cli.output import Format, console, emit


def register(app: typer.Typer, handle_errors, store) -> None:
    users_app = typer.Typer(help="Users of a shared server and their API tokens.", no_args_is_help=True)
    app.add_typer(users_app, name="users")

    @users_app.command("add")
    @handle_errors
    def add(
        name: str = typer.Argument(..., help="The user's name, as it appears in the audit log."),
        scope: str = typer.Option("read", help="read, review (accept, edit, reject) or admin (also the audit log)."),
    ) -> None:
        """Add a user and print their API token, once: the store keeps only its hash.

        Example: magchain users add alice --scope review
        """
        from magchain import team

        token = team.add_user(store(), name, scope)
        console.print(f"Token for {name} ({scope}); it is shown only now:")
        print(token)

    @users_app.command("list")
    @handle_errors
    def list_users(as_json: bool = typer.Option(False, "--json", help="Print JSON rows.")) -> None:
        """The users and their scopes (never their tokens).

        Example: magchain users list
        """
        from magchain import team

        emit(team.list_users(store()), Format.json if as_json else Format.table, ["name", "scope", "created_at"],
             title="Users")

    @app.command("audit")
    @handle_errors
    def audit(
        limit: int = typer.Option(50, min=1, help="How many of the latest entries."),
        as_json: bool = typer.Option(False, "--json", help="Print JSON rows."),
    ) -> None:
        """Who accepted, edited, rejected or imported what, and when; newest first.

        Example: magchain audit --limit 20
        """
        from magchain import team

        rows = team.log(store(), limit)
        emit(rows, Format.json if as_json else Format.table, ["at", "user", "action", "target"], title="Audit log")
