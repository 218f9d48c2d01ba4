"""Storage: tables round-trip with their types; commits add parts without rewriting what is stored; writes are
atomic; older whole-file folders open and convert; damaged files are named."""

from __future__ import annotations

from pathlib import Path

import duckdb
import pandas as pd
import pyarrow.parquet as pq
import pytest

from analysis import store
from analysis.store import (DatasetError, Tables, append_tables, compact, load_tables, merge, remove_articles,
                            table_files, write_tables)


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


def every_file(folder: Path) -> dict[str, bytes]:
    """Every file under a dataset folder (but its lock) with its bytes."""
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*"))
            if p.is_file() and p.name != ".lock"}


def three_commits(folder: Path) -> None:
    """A dataset written as three commits of one article each, the way extraction writes it."""
    write_tables(folder, small_tables("a1", "First story."))
    append_tables(folder, Tables(**{**small_tables("a2", "Second story.").as_dict(),
                                    "entities": store.empty_table("entities")}))
    third = small_tables("a3", "Third story.")
    kim = pd.DataFrame([{"entity_id": "kim-jong-un", "name": "Kim Jong Un", "type": "PERSON", "country": "PRK",
                         "kb": True}])
    mentions = pd.DataFrame([{"article_id": "a3", "entity_id": "kim-jong-un", "sentence": 0, "start": 0,
                              "end": 3, "surface": "Kim"}])
    append_tables(folder, Tables(third.articles, kim, mentions, third.events))


@pytest.mark.parametrize("fmt", ["parquet", "csv"])
def test_store_round_trip_keeps_columns_and_types(tmp_path: Path, fmt: str):
    write_tables(tmp_path, small_tables(), fmt)
    loaded = load_tables(tmp_path)
    assert list(loaded.articles.columns) == store.SCHEMAS["articles"].names
    assert loaded.events.loc[0, "confidence"] == pytest.approx(0.7)
    assert bool(loaded.entities.loc[0, "kb"]) is True
    assert int(loaded.mentions.loc[0, "end"]) == 5
    assert store.detect_format(tmp_path) == fmt


def test_store_append_writes_only_the_new_part_and_leaves_stored_files_untouched(tmp_path: Path):
    write_tables(tmp_path, small_tables("a1", "First story."))
    before = {k: v for k, v in every_file(tmp_path).items() if k != store.MANIFEST}
    report = append_tables(tmp_path, small_tables("a2", "Second story."))
    after = every_file(tmp_path)
    assert all(after[name] == content for name, content in before.items())  # nothing stored was rewritten
    new = sorted(set(after) - set(before) - {store.MANIFEST})
    assert [name.split("/")[0] for name in new] == ["articles", "entities", "events", "mentions"]
    assert report.bytes == sum(len(after[name]) for name in new)
    assert sorted(load_tables(tmp_path).articles["article_id"]) == ["a1", "a2"]


def test_store_pandas_and_duckdb_read_each_table_folder_as_one_table(tmp_path: Path):
    three_commits(tmp_path)
    assert len(table_files(tmp_path)["articles"]) == 3
    assert sorted(pd.read_parquet(tmp_path / "articles")["article_id"]) == ["a1", "a2", "a3"]
    names = duckdb.sql(f"SELECT e.name, count(*) AS n FROM '{tmp_path}/mentions/*.parquet' m "
                       f"JOIN '{tmp_path}/entities/*.parquet' e USING (entity_id) GROUP BY 1 ORDER BY 1").fetchall()
    assert names == [("Kim Jong Un", 1), ("Vladimir Putin", 2)]


def test_store_failed_write_leaves_previous_tables_whole(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    write_tables(tmp_path, small_tables("a1", "First story."))
    calls = {"n": 0}
    real_write = pq.ParquetWriter.write

    def failing_write(self, table, *args, **kwargs):
        calls["n"] += 1
        if calls["n"] == 3:
            raise OSError("disk full")
        return real_write(self, table, *args, **kwargs)

    monkeypatch.setattr(pq.ParquetWriter, "write", failing_write)
    with pytest.raises(OSError):
        append_tables(tmp_path, small_tables("a2", "Second story."))
    monkeypatch.undo()
    loaded = load_tables(tmp_path)
    assert list(loaded.articles["article_id"]) == ["a1"]
    assert not [p for p in tmp_path.rglob(".staging-*")]
    assert all(len(files) == 1 for files in table_files(tmp_path).values())


def test_store_write_interrupted_after_its_journal_is_rolled_forward(tmp_path: Path,
                                                                       monkeypatch: pytest.MonkeyPatch):
    write_tables(tmp_path, small_tables("a1", "First story."))
    # The process dies after the journal is written, before any part is moved into place.
    monkeypatch.setattr(store, "recover", lambda folder: None)
    append_tables(tmp_path, small_tables("a2", "Second story."))
    monkeypatch.undo()
    assert (tmp_path / store.JOURNAL).exists()
    assert sorted(pd.read_parquet(tmp_path / "articles")["article_id"]) == ["a1"]  # staged parts are hidden
    loaded = load_tables(tmp_path)  # the next open finishes the write
    assert sorted(loaded.articles["article_id"]) == ["a1", "a2"]
    assert not (tmp_path / store.JOURNAL).exists()


def test_store_part_left_by_a_write_that_died_before_its_manifest_is_swept(tmp_path: Path):
    write_tables(tmp_path, small_tables("a1", "First story."))
    stray = tmp_path / "articles" / "part-99999999-dead00.parquet"
    stray.write_bytes((tmp_path / "articles" / table_files(tmp_path)["articles"][0].name).read_bytes())
    append_tables(tmp_path, small_tables("a2", "Second story."))
    assert not stray.exists()
    assert sorted(load_tables(tmp_path).articles["article_id"]) == ["a1", "a2"]


def test_store_folder_of_whole_files_opens_and_is_converted_on_first_write(tmp_path: Path):
    for name, frame in small_tables("a1", "First story.").as_dict().items():
        store.conform(name, frame).to_parquet(tmp_path / f"{name}.parquet", index=False)
    assert list(load_tables(tmp_path).articles["article_id"]) == ["a1"]
    assert store.has_tables(tmp_path)
    append_tables(tmp_path, small_tables("a2", "Second story."))
    assert not (tmp_path / "articles.parquet").exists()
    assert (tmp_path / store.MANIFEST).exists()
    assert sorted(load_tables(tmp_path).articles["article_id"]) == ["a1", "a2"]
    assert sorted(pd.read_parquet(tmp_path / "articles")["article_id"]) == ["a1", "a2"]


def test_store_compact_merges_parts_and_keeps_every_row(tmp_path: Path):
    three_commits(tmp_path)
    before = load_tables(tmp_path)
    files_before, files_after = compact(tmp_path)
    assert (files_before, files_after) == (11, 4)  # the second commit had no new entity
    after = load_tables(tmp_path)
    for name in store.TABLE_NAMES:
        key = store.KEYS[name]
        pd.testing.assert_frame_equal(getattr(before, name).sort_values(key).reset_index(drop=True),
                                      getattr(after, name).sort_values(key).reset_index(drop=True))
    assert len(table_files(tmp_path)["articles"]) == 1


def test_store_files_a_write_replaced_stay_for_readers_then_go(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    three_commits(tmp_path)
    replaced = [path for paths in table_files(tmp_path).values() for path in paths]
    compact(tmp_path)
    # Out of the table folders, so outside tools reading a folder see each row once ...
    assert not any(path.exists() for path in replaced)
    assert sorted(pd.read_parquet(tmp_path / "articles")["article_id"]) == ["a1", "a2", "a3"]
    # ... yet still readable by a reader that holds the old manifest.
    assert all(store.part_path(path).exists() for path in replaced)
    monkeypatch.setattr(store, "RETAIN_SECONDS", 0.0)
    append_tables(tmp_path, small_tables("a4", "Fourth story."))
    assert not any(store.part_path(path).exists() for path in replaced)
    assert not [p for p in (tmp_path / store.RETIRED).rglob("*") if p.is_file()]
    assert sorted(load_tables(tmp_path).articles["article_id"]) == ["a1", "a2", "a3", "a4"]


def test_store_remove_rewrites_only_the_parts_holding_the_article(tmp_path: Path):
    three_commits(tmp_path)
    first_parts = {name: files[0] for name, files in table_files(tmp_path).items()}
    first_bytes = {name: path.read_bytes() for name, path in first_parts.items()}
    assert remove_articles(tmp_path, "a3") == 1
    tables = load_tables(tmp_path)
    assert sorted(tables.articles["article_id"]) == ["a1", "a2"]
    assert "kim-jong-un" not in set(tables.entities["entity_id"])  # only a3 named him
    assert "vladimir-putin" in set(tables.entities["entity_id"])
    assert {name: path.read_bytes() for name, path in first_parts.items()} == first_bytes
    assert remove_articles(tmp_path, ["nope"]) == 0


def test_store_merge_keeps_stored_rows_and_adds_new_ones():
    merged = merge(small_tables("a1", "One."), merge(small_tables("a1", "One again."), small_tables("a2", "Two.")))
    assert sorted(merged.articles["article_id"]) == ["a1", "a2"]
    assert len(merged.entities) == 1


def test_store_damaged_table_is_named_in_the_error(tmp_path: Path):
    write_tables(tmp_path, small_tables())
    damaged = table_files(tmp_path)["mentions"][0]
    damaged.write_bytes(b"not a parquet file")
    with pytest.raises(DatasetError, match=damaged.name):
        load_tables(tmp_path)


def test_store_damaged_manifest_is_named_and_nothing_is_swept(tmp_path: Path):
    write_tables(tmp_path, small_tables())
    (tmp_path / store.MANIFEST).write_text("{not json")
    with pytest.raises(DatasetError, match="manifest.json"):
        load_tables(tmp_path)
    assert all(path.exists() for path in (tmp_path / "articles").iterdir())


def test_store_missing_folder_or_tables_is_a_clear_error(tmp_path: Path):
    with pytest.raises(DatasetError, match="no such dataset folder"):
        load_tables(tmp_path / "nowhere")
    with pytest.raises(DatasetError, match="holds no tables"):
        load_tables(tmp_path)


def test_store_finds_which_keys_are_stored_across_parts(tmp_path: Path):
    three_commits(tmp_path)
    assert store.stored_among(tmp_path, "articles", ["a1", "zz", "a3"]) == {"a1", "a3"}
    assert store.stored_among(tmp_path, "entities", ["kim-jong-un", "nobody"]) == {"kim-jong-un"}
    assert store.stored_rows(tmp_path, "articles") == 3
