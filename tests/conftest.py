"""Shared fixtures: the knowledge base and pipelines are built once per test session."""

from __future__ import annotations

import pytest

from analysis.pipeline import warm_up


@pytest.fixture(scope="session", autouse=True)
def engine() -> None:
    """Build the knowledge base and every language pipeline once (a blank pipeline takes ~2 s)."""
    warm_up()
