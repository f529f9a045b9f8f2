"""A Dask cluster on a SLURM batch system (dask-jobqueue), for draws beyond one machine.

Example (on the cluster's login node)::

    from magchain.uncertainty.cluster import slurm_cluster
    cluster = slurm_cluster(cores=32, memory="64GiB", walltime="02:00:00", queue="compute")
    cluster.scale(jobs=4)                    # four batch jobs of 32 workers each
    print(cluster.scheduler_address)         # pass it as --scheduler tcp://HOST:PORT

Each batch job runs ``cores`` single-threaded worker processes (the core is numpy-bound and
releases no GIL worth sharing), with the job's memory split between them.
"""

from __future__ import annotations

import sys

from magchain.errors import InvalidInput


def slurm_cluster(cores: int = 8, memory: str = "16GiB", walltime: str = "01:00:00", queue: str | None = None,
                  account: str | None = None, **options):
    """A dask-jobqueue SLURMCluster whose workers run this Python (where magchain is installed)."""
    try:
        from dask_jobqueue import SLURMCluster
    except ImportError:
        raise InvalidInput("A SLURM cluster needs the dask extra: pip install -e \".[dask]\"") from None
    if cores < 1:
        raise InvalidInput(f"cores must be at least 1; got {cores}.")
    return SLURMCluster(cores=cores, processes=cores, memory=memory, walltime=walltime, queue=queue,
                        account=account, python=sys.executable, **options)
