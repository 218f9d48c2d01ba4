"""Storage: tables round-trip with their types; writes are atomic; damaged files are named."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from analysis import store
from analysis.store import DatasetError, Tables, load_tables, merge, write_tables


def small_tables(article_id: str = "a1", text: str = "Putin met Kim.") -> Tables:
    """A one-article dataset in the table contract."""
    return Tables(
        articles=pd.DataFrame([{"article_id": article_id, "title": "T", "published": "2024-06-19", "source": "s",
                                "url": None, "language": "en", "text": text, "n_words": 3, "path": "p"}]),
        entities=pd.DataFrame([{"entity_id": "vladimir-putin", "name": "Vladimir Putin", "type": "PERSON",
                                "country": "RUS", "sector": "GOV", "wikidata": "Q7747", "lat": None, "lon": None,
                                "geocoder": None, "kb": True}]),
        mentions=pd.DataFrame([{"article_id": article_id, "entity_id": "vladimir-putin", "sentence": 0, "start": 0,
                                "end": 5, "surface": "Putin"}]),
        events=pd.DataFrame([{"event_id": f"e-{article_id}", "article_id": article_id, "sentence": 0,
                              "type": "CONSULT", "mode": "meet", "source_id": "vladimir-putin", "target_id": None,
                              "place_id": None, "date": "2024-06-19", "date_precision": "article",
                              "modality": "asserted", "trigger": "met", "evidence": text, "confidence": 0.7}]),
    )


@pytest.mark.parametrize("fmt", ["parquet", "csv"])
def test_store_round_trip_keeps_columns_and_types(tmp_path: Path, fmt: str):
    write_tables(tmp_path, small_tables(), fmt)
    loaded = load_tables(tmp_path)
    assert list(loaded.articles.columns) == store.SCHEMAS["articles"].names
    assert loaded.events.loc[0, "confidence"] == pytest.approx(0.7)
    assert bool(loaded.entities.loc[0, "kb"]) is True
    assert int(loaded.mentions.loc[0, "end"]) == 5
    assert (tmp_path / f"events.{fmt}").exists()


def test_store_failed_write_leaves_previous_tables_whole(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    write_tables(tmp_path, small_tables("a1", "First story."))
    calls = {"n": 0}
    real_write = store.pq.write_table

    def failing_write(table, where, *args, **kwargs):
        calls["n"] += 1
        if calls["n"] == 3:
            raise OSError("disk full")
        return real_write(table, where, *args, **kwargs)

    monkeypatch.setattr(store.pq, "write_table", failing_write)
    with pytest.raises(OSError):
        write_tables(tmp_path, merge(load_tables(tmp_path), small_tables("a2", "Second story.")))
    monkeypatch.undo()
    loaded = load_tables(tmp_path)
    assert list(loaded.articles["article_id"]) == ["a1"]
    assert not list(tmp_path.glob(".staging-*"))


def test_store_write_interrupted_after_its_journal_is_rolled_forward(tmp_path: Path,
                                                                       monkeypatch: pytest.MonkeyPatch):
    write_tables(tmp_path, small_tables("a1", "First story."))
    # The process dies after the journal is written, before any table is moved into place.
    monkeypatch.setattr(store, "recover", lambda folder: None)
    write_tables(tmp_path, merge(load_tables(tmp_path), small_tables("a2", "Second story.")))
    monkeypatch.undo()
    assert (tmp_path / store.JOURNAL).exists()
    loaded = load_tables(tmp_path)  # the next open finishes the write
    assert sorted(loaded.articles["article_id"]) == ["a1", "a2"]
    assert not (tmp_path / store.JOURNAL).exists()


def test_store_merge_keeps_stored_rows_and_adds_new_ones():
    merged = merge(small_tables("a1", "One."), merge(small_tables("a1", "One again."), small_tables("a2", "Two.")))
    assert sorted(merged.articles["article_id"]) == ["a1", "a2"]
    assert len(merged.entities) == 1


def test_store_damaged_table_is_named_in_the_error(tmp_path: Path):
    write_tables(tmp_path, small_tables())
    (tmp_path / "mentions.parquet").write_bytes(b"not a parquet file")
    with pytest.raises(DatasetError, match="mentions.parquet"):
        load_tables(tmp_path)


def test_store_missing_folder_or_tables_is_a_clear_error(tmp_path: Path):
    with pytest.raises(DatasetError, match="no such dataset folder"):
        load_tables(tmp_path / "nowhere")
    with pytest.raises(DatasetError, match="holds no tables"):
        load_tables(tmp_path)
