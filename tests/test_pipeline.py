"""The bundled dataset: built when missing, reused while fresh, rebuilt when the corpus changes."""

from __future__ import annotations

import shutil
from pathlib import Path

from analysis.pipeline import dataset_is_stale, ensure_dataset
from analysis.store import load_tables

CORPUS = Path(__file__).resolve().parents[1] / "data" / "corpus"


def small_corpus(folder: Path) -> Path:
    """A copy of a few corpus articles."""
    folder.mkdir()
    for path in sorted((CORPUS / "en").glob("2023-09-1*.md"))[:3]:
        shutil.copy(path, folder / path.name)
    return folder


def test_pipeline_dataset_is_built_once_and_rebuilt_when_the_corpus_changes(tmp_path: Path):
    corpus = small_corpus(tmp_path / "corpus")
    out = tmp_path / "processed"
    progress: list[tuple[int, int]] = []
    assert ensure_dataset(corpus, out, lambda done, total, label: progress.append((done, total))) is True
    assert progress[-1] == (3, 3)
    assert len(load_tables(out).articles) == 3
    assert ensure_dataset(corpus, out) is False and not dataset_is_stale(corpus, out)

    extra = sorted((CORPUS / "id").glob("*.md"))[0]
    shutil.copy(extra, corpus / extra.name)
    assert dataset_is_stale(corpus, out)
    assert ensure_dataset(corpus, out) is True
    assert len(load_tables(out).articles) == 4

    (corpus / extra.name).unlink()
    assert ensure_dataset(corpus, out) is True
    assert len(load_tables(out).articles) == 3  # a rebuild replaces the tables, it does not add to them
