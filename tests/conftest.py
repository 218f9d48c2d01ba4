"""Shared fixtures: the knowledge base and pipelines are built once per test session."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from analysis.pipeline import warm_up


@pytest.fixture(scope="session", autouse=True)
def engine() -> None:
    """Build the knowledge base and every language pipeline once (a blank pipeline takes ~2 s)."""
    warm_up()


@pytest.fixture(scope="session")
def dask_scheduler() -> Iterator[str]:
    """The address of a local Dask cluster of two worker processes, started once for the tests that need one."""
    from distributed import LocalCluster

    from analysis.cluster import ONE_CORE, environment

    with environment(ONE_CORE):
        cluster = LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=":0",
                               memory_limit=0)
    try:
        yield cluster.scheduler_address
    finally:
        cluster.close()
