"""Extraction on a Dask cluster: a worker killed mid-batch loses nothing, a rerun skips what is stored, and a
cluster that cannot be reached or cannot load the project is a clear error."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest
from distributed import Client

from analysis.cli import main
from analysis.pipeline import ExtractOptions, run_extraction
from analysis.store import KEYS, TABLE_NAMES, Tables, has_tables, load_tables

CORPUS = Path(__file__).resolve().parents[1] / "data" / "corpus"


def corpus_files(count: int) -> list[str]:
    """The first `count` English and Indonesian articles of the bundled corpus."""
    return sorted(str(p) for p in (CORPUS / "en").glob("*.md"))[: count // 2] + \
        sorted(str(p) for p in (CORPUS / "id").glob("*.md"))[: count - count // 2]


def assert_same_tables(one: Tables, two: Tables) -> None:
    """Both datasets hold the same rows, whatever their order."""
    for name in TABLE_NAMES:
        a, b = getattr(one, name), getattr(two, name)
        pd.testing.assert_frame_equal(a.sort_values(KEYS[name]).reset_index(drop=True),
                                      b.sort_values(KEYS[name]).reset_index(drop=True))


def test_cluster_worker_killed_mid_batch_loses_nothing_and_its_batch_is_run_again(tmp_path: Path,
                                                                                  dask_scheduler: str):
    files = corpus_files(12)
    killed: dict[str, list] = {}
    with Client(dask_scheduler) as client:
        pids = client.run(os.getpid)

        def kill_a_busy_worker(done: int, total: int, label: str) -> None:
            # Called as the first results come back, while later batches are still being extracted.
            if killed:
                return
            busy = {worker: list(keys) for worker, keys in client.processing().items() if keys}
            if busy:
                worker = sorted(busy)[0]
                killed[worker] = busy[worker]
                os.kill(pids[worker], signal.SIGKILL)

        options = ExtractOptions(scheduler=dask_scheduler, batch_size=2)
        summary = run_extraction(files, tmp_path / "cluster", options, kill_a_busy_worker, commit_every=2)
    assert killed, "no worker was busy when the first results came back"
    assert summary.failed == [] and summary.added == len(files)
    single = run_extraction(files, tmp_path / "single", ExtractOptions(), commit_every=2)
    assert single.added == len(files)
    assert_same_tables(load_tables(tmp_path / "single"), load_tables(tmp_path / "cluster"))


def test_cluster_rerun_skips_stored_articles_and_adds_only_new_ones(tmp_path: Path, dask_scheduler: str):
    files = corpus_files(6)
    options = ExtractOptions(scheduler=dask_scheduler, batch_size=2)
    first = run_extraction(files[:4], tmp_path / "ds", options, commit_every=2)
    assert first.added == 4
    stored = {p: p.read_bytes() for p in (tmp_path / "ds").rglob("*.parquet")}
    again = run_extraction(files, tmp_path / "ds", options, commit_every=2)
    assert (again.added, again.duplicates) == (2, 4)
    assert sorted(a.path for a in again.skipped) == sorted(files[:4])
    assert all(path.read_bytes() == content for path, content in stored.items())  # nothing stored was rewritten
    assert len(load_tables(tmp_path / "ds").articles) == 6


def test_cluster_unreachable_scheduler_is_a_clear_error_and_writes_nothing(tmp_path: Path, capsys):
    code = main(["extract", corpus_files(2)[0], "--out", str(tmp_path / "ds"), "--scheduler",
                 "tcp://127.0.0.1:9", "--scheduler-timeout", "2", "--quiet"])
    err = capsys.readouterr().err
    assert code == 1
    assert "tcp://127.0.0.1:9" in err and "dask scheduler" in err and "nothing was written" in err
    assert not has_tables(tmp_path / "ds")


def test_cluster_scheduler_without_the_project_stops_the_run_with_how_to_fix_it(tmp_path: Path, capsys):
    port = free_port()
    env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}
    # Started outside the project, the scheduler cannot unpickle tasks that name newsint's functions.
    # By module, not the `dask` script: a virtual environment's scripts need not be on PATH.
    command = [sys.executable, "-m", "distributed.cli.dask_scheduler", "--host", "127.0.0.1", "--port", str(port),
               "--dashboard-address", ":0"]
    scheduler = subprocess.Popen(command, cwd=tmp_path, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        code = main(["extract", *corpus_files(4), "--out", str(tmp_path / "ds"), "--scheduler",
                     f"tcp://127.0.0.1:{port}", "--quiet"])
    finally:
        scheduler.terminate()
        scheduler.wait(timeout=30)
    err = capsys.readouterr().err
    assert code == 1
    assert "cannot load newsint's code" in err and "PYTHONPATH" in err and "nothing was written" in err
    assert not has_tables(tmp_path / "ds")


def free_port() -> int:
    """A TCP port nothing listens on now."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]
