"""Readers never see a torn dataset: while another process adds, removes and compacts in a loop, every read is
one committed state, whole."""

from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path

from analysis.store import DatasetError, load_tables, lock, write_tables
from test_store import small_tables

WRITER = """
import sys, time
from pathlib import Path
sys.path[:0] = [{root!r}, {tests!r}]
from analysis.store import Tables, append_tables, compact, lock, remove_articles
from test_store import small_tables

folder, until = Path({folder!r}), time.monotonic() + {seconds}
n = 0
while time.monotonic() < until and n < {commits}:
    n += 1
    ids = [f"w{{n}}-{{k}}" for k in range(3)]
    parts = [small_tables(i, f"Story {{i}} told in full.") for i in ids]
    batch = Tables(*(__import__("pandas").concat([getattr(p, name) for p in parts], ignore_index=True)
                     for name in ("articles", "entities", "mentions", "events")))
    with lock(folder):
        append_tables(folder, Tables(batch.articles, batch.entities.iloc[:0], batch.mentions, batch.events))
    remove_articles(folder, ids[:2])
    if n % 5 == 0:
        compact(folder)
print(n)
"""


def test_store_readers_see_whole_states_while_a_writer_adds_removes_and_compacts(tmp_path: Path):
    folder = tmp_path / "ds"
    with lock(folder):
        write_tables(folder, small_tables("a0", "The first story."))
    root, tests = str(Path(__file__).resolve().parents[1]), str(Path(__file__).resolve().parent)
    script = WRITER.format(root=root, tests=tests, folder=str(folder), seconds=30, commits=60)
    writer = subprocess.Popen([sys.executable, "-c", script], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                              text=True)
    reads, problems = 0, []
    while writer.poll() is None:
        try:
            tables = load_tables(folder)
        except DatasetError as exc:
            problems.append(f"failed read: {exc}")
            continue
        reads += 1
        articles = set(tables.articles["article_id"])
        # Each article has exactly one mention and one event: a torn read shows one without the other.
        if set(tables.mentions["article_id"]) != articles or set(tables.events["article_id"]) != articles:
            problems.append(f"torn read: {sorted(articles ^ set(tables.mentions['article_id']))[:5]}")
        if "vladimir-putin" not in set(tables.entities["entity_id"]):
            problems.append("torn read: an entity that mentions point at is missing")
        time.sleep(0.01)
    out, err = writer.communicate()
    assert writer.returncode == 0, err[-2000:]
    commits = int(out.strip())
    assert commits >= 10 and reads >= 50, (commits, reads)
    assert problems == []
