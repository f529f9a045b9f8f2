"""Long runs (scenarios, comparisons, backtests, uncertainty, reports) as background jobs with a status and a cancel.

Jobs run one at a time on a worker thread (the machines have two cores and an LP solve uses
one). A queued job can be cancelled outright; a running one is marked and its result dropped
when it ends, since a solve in progress cannot be interrupted safely.
"""

from __future__ import annotations

import logging
import threading
import uuid
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from magchain.errors import MagchainError, NotFound

LOG = logging.getLogger("magchain.web")


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


@dataclass
class Job:
    id: str
    kind: str
    request: dict
    status: str = "queued"  # queued | running | done | failed | cancelled
    created: str = field(default_factory=_now)
    finished: str | None = None
    result: Any = None
    error: dict | None = None
    future: Future | None = field(default=None, repr=False)
    present: Callable[[Any], Any] = field(default=lambda result: result, repr=False)  # the result as JSON

    def as_dict(self, with_result: bool = True) -> dict:
        row = {"id": self.id, "kind": self.kind, "request": self.request, "status": self.status,
               "created": self.created, "finished": self.finished, "error": self.error}
        if with_result:
            row["result"] = None if self.result is None else self.present(self.result)
        return row


class Jobs:
    def __init__(self, error_shape: Callable[[Exception], dict], workers: int = 1, keep: int = 200):
        self._pool = ThreadPoolExecutor(max_workers=workers, thread_name_prefix="magchain-job")
        self._jobs: dict[str, Job] = {}
        self._lock = threading.Lock()
        self._error_shape = error_shape
        self._keep = keep

    def submit(self, kind: str, request: dict, work: Callable[[], Any], present: Callable | None = None) -> Job:
        """Queue ``work``; its result is kept as returned and shown through ``present`` (JSON)."""
        job = Job(uuid.uuid4().hex[:12], kind, request)
        if present is not None:
            job.present = present
        with self._lock:
            self._jobs[job.id] = job
            self._forget_oldest()
        job.future = self._pool.submit(self._run, job, work)
        return job

    def _run(self, job: Job, work: Callable[[], Any]) -> None:
        with self._lock:
            if job.status == "cancelled":
                return
            job.status = "running"
        try:
            result, status, error = work(), "done", None
        except MagchainError as problem:
            result, status, error = None, "failed", self._error_shape(problem)
        except Exception as problem:
            LOG.exception("job %s (%s) failed", job.id, job.kind)
            result, status, error = None, "failed", self._error_shape(problem)
        with self._lock:
            if job.status != "cancelled":
                job.status, job.result, job.error = status, result, error
            job.finished = _now()

    def get(self, job_id: str) -> Job:
        with self._lock:
            if job_id not in self._jobs:
                raise NotFound(f"No job '{job_id}'; GET /api/jobs lists the jobs kept.")
            return self._jobs[job_id]

    def cancel(self, job_id: str) -> Job:
        job = self.get(job_id)
        with self._lock:
            if job.status in ("queued", "running"):
                job.status = "cancelled"
                if job.future is not None:
                    job.future.cancel()
                job.finished = _now()
        return job

    def latest(self, kind: str, where: Callable[[Job], bool]) -> Job | None:
        """The newest finished job of ``kind`` that ``where`` accepts."""
        with self._lock:
            done = [j for j in self._jobs.values() if j.kind == kind and j.status == "done" and where(j)]
        return done[-1] if done else None

    def all(self) -> list[Job]:
        with self._lock:
            return list(self._jobs.values())

    def _forget_oldest(self) -> None:
        finished = [j for j in self._jobs.values() if j.status in ("done", "failed", "cancelled")]
        for job in finished[: max(0, len(self._jobs) - self._keep)]:
            del self._jobs[job.id]

    def shutdown(self) -> None:
        self._pool.shutdown(wait=False, cancel_futures=True)
