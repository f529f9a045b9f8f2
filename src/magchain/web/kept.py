"""Kept answers served on the event loop: a hit costs no thread hop, a miss is built on a worker
thread so that a slow build (an outlook, the backtests) never blocks other requests."""

from __future__ import annotations

from starlette.concurrency import run_in_threadpool


async def kept(service, kind: str, key, build):
    found = service.recall(kind, key)
    if found is not None:
        return found
    return await run_in_threadpool(service.remember, kind, key, build)
