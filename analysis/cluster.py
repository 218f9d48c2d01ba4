"""Extraction on a Dask cluster: a local one of N worker processes, or a running one at a scheduler's address.

The client (the process that runs `python -m analysis extract`) reads the inputs and sends the articles' text to
the workers in batches; workers only extract, and send rows back; the client alone writes the dataset. So
workers on other machines need the project installed (the same version, with its models) but not the inputs nor
the output folder. Batches are submitted a few at a time, so memory stays bounded however many inputs there are,
and their results come back in the order they were read, so a run gives the same tables however many workers
it had. A batch whose worker dies is run again on another one (Dask reschedules it); a batch that still fails is
reported, its articles listed as failed, and the run goes on.
"""

from __future__ import annotations

import contextlib
import logging
import os
import sys
import types
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from itertools import islice
from typing import Any

from distributed import Client, LocalCluster, WorkerPlugin

log = logging.getLogger(__name__)
# spaCy's networks would otherwise spread each worker over every core, and workers would fight for them.
ONE_CORE = {"OMP_NUM_THREADS": "1", "OPENBLAS_NUM_THREADS": "1", "MKL_NUM_THREADS": "1"}


# What Dask says when the scheduler or a worker cannot unpickle a task: it lacks the project or its libraries.
CANNOT_LOAD_CODE = "deserializ"


class ClusterError(RuntimeError):
    """The cluster could not be started or reached; the message says which and why."""


class BuildPipelinesOnce(WorkerPlugin):
    """Build the knowledge base, pipelines and date parsers when a worker starts, not in its first batch."""

    name = "newsint-warm-up"

    def setup(self, worker: Any) -> None:
        """Warm the worker up (also run on a worker that restarts after a crash)."""
        from analysis.pipeline import warm_up

        warm_up()


@dataclass(frozen=True)
class BatchFailure:
    """A batch that failed on the cluster even after it was retried."""

    reason: str


@contextlib.contextmanager
def connect(workers: int = 1, scheduler: str | None = None, timeout: float = 30.0) -> Iterator[Client]:
    """A client on the running cluster at `scheduler`, or on a local cluster of `workers` processes (stopped
    on exit); every worker has built the pipelines before this returns."""
    cluster = None
    try:
        if scheduler:
            client = Client(scheduler, timeout=timeout)
        else:
            cluster = local_cluster(workers)
            client = Client(cluster)
    except (OSError, TimeoutError, ValueError, RuntimeError) as exc:
        if cluster is not None:
            cluster.close()
        where = f"the scheduler at {scheduler}" if scheduler else f"a local cluster of {workers} workers"
        raise ClusterError(f"cannot use {where} ({type(exc).__name__}: {exc}); start one with `dask scheduler` "
                           "and `dask worker ADDRESS` or give --dask N to run a local one") from exc
    try:
        client.register_plugin(BuildPipelinesOnce())
        yield client
    finally:
        client.close()
        if cluster is not None:
            cluster.close()


def local_cluster(workers: int) -> LocalCluster:
    """A local cluster of single-threaded worker processes, each held to one core."""
    with environment(ONE_CORE), plain_main_module():
        return LocalCluster(n_workers=workers, threads_per_worker=1, processes=True, dashboard_address=":0",
                            silence_logs=logging.ERROR, memory_limit=0)


@contextlib.contextmanager
def plain_main_module() -> Iterator[None]:
    """Start worker processes without re-running the caller's main script in them.

    Worker processes are spawned, and spawning imports the parent's `__main__` file again: a script without an
    `if __name__ == "__main__":` guard would run twice, and a main module replaced by a tool (a test runner, a
    notebook) may not import at all. The workers need none of it: they import newsint by name.
    """
    saved = sys.modules.get("__main__")
    sys.modules["__main__"] = types.ModuleType("__main__")
    try:
        yield
    finally:
        if saved is not None:
            sys.modules["__main__"] = saved


@contextlib.contextmanager
def environment(values: dict[str, str]) -> Iterator[None]:
    """Set environment variables for worker processes started inside the block."""
    saved = {key: os.environ.get(key) for key in values}
    os.environ.update(values)
    try:
        yield
    finally:
        for key, value in saved.items():
            if value is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = value


def batched(items: Iterable[Any], size: int) -> Iterator[list[Any]]:
    """Consecutive lists of `size` items (the last may be shorter)."""
    iterator = iter(items)
    while batch := list(islice(iterator, size)):
        yield batch


def run_batches(client: Client, work: Callable[[list[Any]], list[Any]], items: Iterable[Any], batch_size: int,
                in_flight: int | None = None, retries: int = 1) -> Iterator[tuple[list[Any], list[Any] | BatchFailure]]:
    """Run work(batch) on the cluster for consecutive batches of items; yield (batch, its results or its failure)
    in the order the batches were read, with at most `in_flight` batches submitted and not yet yielded."""
    in_flight = in_flight or 2 * max(1, len(client.nthreads())) + 1
    pending: deque = deque()
    for batch in batched(items, batch_size):
        pending.append((batch, client.submit(work, batch, retries=retries, pure=False)))
        while len(pending) >= in_flight:
            yield _collected(*pending.popleft())
    while pending:
        yield _collected(*pending.popleft())


def _collected(batch: list[Any], future: Any) -> tuple[list[Any], list[Any] | BatchFailure]:
    """A batch with its results, or with why it failed after its retries."""
    try:
        return batch, future.result()
    except Exception as exc:  # KilledWorker after repeated worker deaths, or the batch's own error twice
        reason = " ".join(str(exc).split())
        if CANNOT_LOAD_CODE in reason.casefold():
            # Every batch would fail the same way: stop at once and say how to fix the cluster.
            raise ClusterError(f"the cluster cannot load newsint's code ({reason[:200]}); start `dask scheduler` "
                               "and every `dask worker` with this project importable (PYTHONPATH=/path/to/newsint) "
                               "and the same versions of Python and of requirements.txt") from exc
        log.warning("a batch of %d failed on the cluster: %s", len(batch), reason)
        return batch, BatchFailure(f"the extraction failed on the cluster after a retry ({type(exc).__name__}: "
                                   f"{reason[:300]})")
    finally:
        future.release()
