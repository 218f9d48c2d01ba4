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
    from analysis.cluster import local_cluster

    cluster = local_cluster(2)
    try:
        yield cluster.scheduler_address
    finally:
        cluster.close()
