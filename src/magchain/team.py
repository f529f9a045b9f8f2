"""Team mode: users with API tokens scoped read, review or admin, and the audit log.

``add_user`` returns a token once; the store keeps only its SHA-256 digest. A token's scope
includes the scopes before it (admin can review and read). Every review decision, edit and
import made through the service is logged with who made it and when, in the same transaction
as the change itself, so the log cannot miss a change or record one that did not happen.
"""

from __future__ import annotations

import hashlib
import json
import secrets

from sqlalchemy import insert, select

from magchain.errors import Conflict, InvalidInput
from magchain.store import Store, timestamp
from magchain.store.team import SCOPES, audit_log, users


def digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def add_user(store: Store, name: str, scope: str, by: str = "cli") -> str:
    """Add a user and return their token (shown once, never stored); ``by`` is who added them."""
    if scope not in SCOPES:
        raise InvalidInput(f"Scope '{scope}' is not one of {', '.join(SCOPES)}.")
    if not name.strip():
        raise InvalidInput("A user needs a name.")
    store.ensure_current()
    token = secrets.token_urlsafe(32)
    with store.engine.begin() as conn:
        if conn.execute(select(users.c.name).where(users.c.name == name)).first():
            raise Conflict(f"User '{name}' exists already; pick another name.")
        conn.execute(insert(users).values(name=name, scope=scope, token_sha256=digest(token), created_at=timestamp()))
        record(conn, by, "add-user", name, {"scope": scope})
    return token


def list_users(store: Store) -> list[dict]:
    store.ensure_current()
    with store.engine.connect() as conn:
        rows = conn.execute(select(users.c.name, users.c.scope, users.c.created_at).order_by(users.c.name))
        return [dict(r._mapping) for r in rows]


def authenticate(store: Store, token: str | None) -> dict | None:
    """The user a token belongs to, or None."""
    if not token:
        return None
    with store.engine.connect() as conn:
        row = conn.execute(select(users.c.name, users.c.scope).where(users.c.token_sha256 == digest(token))).first()
    return dict(row._mapping) if row else None


def allows(scope: str, needed: str) -> bool:
    return SCOPES.index(scope) >= SCOPES.index(needed)


def record(conn, user: str, action: str, target: str, detail: dict | None = None) -> None:
    """One line of the audit log, inside the caller's transaction."""
    conn.execute(insert(audit_log).values(at=timestamp(), user=user, action=action, target=target,
                                          detail=json.dumps(detail, ensure_ascii=False, default=str) if detail else None))


def log(store: Store, limit: int = 1000) -> list[dict]:
    """The audit log, newest first."""
    store.ensure_current()
    with store.engine.connect() as conn:
        rows = conn.execute(select(audit_log).order_by(audit_log.c.id.desc()).limit(limit))
        return [{**dict(r._mapping), "detail": json.loads(r.detail) if r.detail else None} for r in rows]
