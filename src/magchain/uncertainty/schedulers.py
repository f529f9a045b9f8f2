"""Where chunks of draws run: in this process, on local processes, or on a Dask cluster.

Every scheduler returns the chunks' results in chunk order and reports progress as chunks
finish. A chunk's draws depend only on the seed and the chunk's index, never on where it ran,
so a seed gives bit-identical results on every scheduler.
"""

from __future__ import annotations

import logging
import os
import re
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor, as_completed
from dataclasses import dataclass

from magchain.errors import InvalidInput, SchedulerUnavailable

_ADDRESS = re.compile(r"^tcp://(?P<host>[A-Za-z0-9.\-]+|\[[0-9a-fA-F:]+\]):(?P<port>\d{1,5})$")
HELP = "local, processes:N, dask, dask:N or tcp://HOST:PORT"
CONNECT_TIMEOUT_S = 10


@dataclass(frozen=True)
class Scheduler:
    kind: str  # local, processes, dask
    workers: int = 1
    address: str | None = None

    def describe(self) -> str:
        if self.kind == "local":
            return "local (this process)"
        if self.kind == "processes":
            return f"{self.workers} local processes"
        return f"Dask scheduler at {self.address}" if self.address else f"local Dask cluster of {self.workers} workers"

    def map(self, function: Callable, job, indices: list[int], progress: Callable | None = None) -> list:
        """``function(job, index)`` for every index, results in index order."""
        if self.kind == "local":
            results = []
            for index in indices:
                results.append(function(job, index))
                if progress:
                    progress(len(results), len(indices))
            return results
        if self.kind == "processes":
            return _on_processes(function, job, indices, self.workers, progress)
        return _on_dask(function, job, indices, self, progress)


def parse(text: str | None) -> Scheduler:
    """``local``, ``processes:N``, ``dask`` (a local cluster of one worker per core), ``dask:N`` or ``tcp://HOST:PORT``."""
    text = (text or "local").strip()
    if text == "local":
        return Scheduler("local")
    kind, _, count = text.partition(":")
    if kind in ("processes", "dask") and not text.startswith("tcp://"):
        if kind == "dask" and not count:
            return Scheduler("dask", os.cpu_count() or 1)
        if not count.isdigit() or not 1 <= int(count) <= 1024:
            raise InvalidInput(f"Scheduler '{text}': the number of workers must be a whole number from 1 to 1024, "
                               f"e.g. {kind}:2.")
        return Scheduler(kind, int(count))
    match = _ADDRESS.match(text)
    if match:
        if not 1 <= int(match.group("port")) <= 65535:
            raise InvalidInput(f"Scheduler '{text}': the port must lie between 1 and 65535.")
        return Scheduler("dask", address=text)
    raise InvalidInput(f"Scheduler '{text}' is not understood. Use {HELP} (e.g. tcp://127.0.0.1:8786).")


_JOB = None  # the job of a worker process, set once when the process starts


def _set_job(job) -> None:
    global _JOB
    _JOB = job


def _run_in_process(function: Callable, index: int):
    return function(_JOB, index)


def _on_processes(function, job, indices, workers, progress) -> list:
    results = {}
    with ProcessPoolExecutor(max_workers=workers, initializer=_set_job, initargs=(job,)) as pool:
        futures = {pool.submit(_run_in_process, function, index): index for index in indices}
        for future in as_completed(futures):
            results[futures[future]] = future.result()
            if progress:
                progress(len(results), len(indices))
    return [results[i] for i in indices]


def _on_dask(function, job, indices, scheduler: Scheduler, progress) -> list:
    try:
        from dask.distributed import Client, LocalCluster
        from dask.distributed import as_completed as dask_completed
    except ImportError:
        raise InvalidInput("The dask schedulers need the dask extra: pip install -e \".[dask]\"") from None
    cluster = None
    try:
        if scheduler.address:
            client = Client(scheduler.address, timeout=CONNECT_TIMEOUT_S)
        else:
            cluster = LocalCluster(n_workers=scheduler.workers, threads_per_worker=1, processes=True,
                                   dashboard_address=None, silence_logs=logging.ERROR)
            client = Client(cluster)
    except (OSError, TimeoutError) as error:
        where = scheduler.address or "a local cluster"
        raise SchedulerUnavailable(f"No Dask scheduler answered at {where} within {CONNECT_TIMEOUT_S} s ({error}). "
                                   "Start one with `dask scheduler` and workers with `dask worker ADDRESS`, "
                                   "or use --scheduler dask for a local cluster.") from None
    try:
        shared = client.scatter(job, broadcast=True)
        futures = client.map(function, [shared] * len(indices), indices, pure=False)
        position = {future.key: index for future, index in zip(futures, indices)}
        results = {}
        for future in dask_completed(futures):
            results[position[future.key]] = future.result()
            future.release()
            if progress:
                progress(len(results), len(indices))
        return [results[i] for i in indices]
    finally:
        client.close()
        if cluster is not None:
            cluster.close()
