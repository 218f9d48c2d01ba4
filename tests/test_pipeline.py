"""The bundled dataset: built when missing, reused while fresh, rebuilt when the corpus changes."""

from __future__ import annotations

import shutil
from pathlib import Path

import pandas as pd
import pytest

from analysis.pipeline import ExtractOptions, dataset_is_stale, ensure_dataset
from analysis.store import DatasetError, load_tables, table_files

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


def test_pipeline_rebuild_keeps_articles_an_analyst_added(tmp_path: Path):
    corpus = small_corpus(tmp_path / "corpus")
    out = tmp_path / "processed"
    ensure_dataset(corpus, out)
    mine = tmp_path / "mine.md"
    mine.write_text("---\ntitle: Port deal\npublished: 2024-06-03\nlanguage: en\n---\nAKTAU - The Aktau Sea Trade "
                    "Port signed an agreement with Caspian Bridge Logistics on Friday.\n", encoding="utf-8")
    from analysis.pipeline import run_extraction
    run_extraction([str(mine)], out)
    before = load_tables(out).articles.set_index("path")
    assert str(mine) in before.index

    shutil.copy(sorted((CORPUS / "id").glob("*.md"))[0], corpus / "new.md")  # the corpus changes: a rebuild
    assert ensure_dataset(corpus, out) is True
    after = load_tables(out).articles.set_index("path")
    assert len(after) == 5
    assert after.loc[str(mine), "article_id"] == before.loc[str(mine), "article_id"]
    assert after.loc[str(mine), "published"] == "2024-06-03"


def added_by_an_analyst(out: Path, tmp_path: Path) -> Path:
    """An article without a publication date, title or source, added to the dataset as an analyst would."""
    mine = tmp_path / "undated.txt"
    mine.write_text("Port deal\n\nAKTAU - The Aktau Sea Trade Port signed an agreement with Caspian Bridge "
                    "Logistics, the port said, without naming a date.\n", encoding="utf-8")
    from analysis.pipeline import run_extraction
    assert run_extraction([str(mine)], out, ExtractOptions(language="en")).added == 1
    stored = load_tables(out).articles.set_index("path")
    assert stored.loc[str(mine), "published"] is None or pd.isna(stored.loc[str(mine), "published"])
    return mine


def test_pipeline_rebuild_keeps_an_analysts_article_without_a_date(tmp_path: Path):
    corpus = small_corpus(tmp_path / "corpus")
    out = tmp_path / "processed"
    ensure_dataset(corpus, out)
    mine = added_by_an_analyst(out, tmp_path)
    shutil.copy(sorted((CORPUS / "id").glob("*.md"))[0], corpus / "new.md")  # the corpus changes: a rebuild
    assert ensure_dataset(corpus, out) is True
    assert not dataset_is_stale(corpus, out)
    assert str(mine) in set(load_tables(out).articles["path"])


def test_pipeline_rebuild_with_a_damaged_table_keeps_analysts_articles_or_stops(tmp_path: Path):
    corpus = small_corpus(tmp_path / "corpus")
    out = tmp_path / "processed"
    ensure_dataset(corpus, out)
    mine = added_by_an_analyst(out, tmp_path)
    for path in table_files(out)["mentions"]:
        path.write_bytes(b"damaged")
    (corpus / "new.md").write_text(sorted((CORPUS / "id").glob("*.md"))[0].read_text(encoding="utf-8"),
                                   encoding="utf-8")
    assert ensure_dataset(corpus, out) is True  # the articles' text is whole: the rebuild re-extracts it
    assert str(mine) in set(load_tables(out).articles["path"])

    (corpus / "new.md").unlink()
    for path in table_files(out)["articles"]:
        path.write_bytes(b"damaged")
    before = {p: p.read_bytes() for p in out.rglob("*") if p.is_file() and p.name != ".lock"}
    with pytest.raises(DatasetError, match="articles"):
        ensure_dataset(corpus, out)
    assert {p: p.read_bytes() for p in out.rglob("*") if p.is_file() and p.name != ".lock"} == before


def test_pipeline_an_article_over_the_length_cap_fails_alone_with_the_limit(tmp_path: Path):
    from analysis.pipeline import MAX_ARTICLE_CHARS, run_extraction

    paragraph = "Officials in Vladivostok said the port would open a new berth next spring. "
    (tmp_path / "huge.txt").write_text("A very long report\n\n" + paragraph * (MAX_ARTICLE_CHARS // len(paragraph) + 2),
                                       encoding="utf-8")
    shutil.copy(sorted((CORPUS / "en").glob("*.md"))[0], tmp_path / "normal.md")
    summary = run_extraction([str(tmp_path / "huge.txt"), str(tmp_path / "normal.md")], tmp_path / "ds")
    assert summary.added == 1
    [(path, reason)] = summary.failed
    assert path.endswith("huge.txt") and "1,000,000" in reason and "split it" in reason


def test_pipeline_an_article_past_its_time_budget_fails_alone_and_the_cli_refuses_an_impossible_budget(
        tmp_path: Path, capsys: pytest.CaptureFixture):
    from analysis.cli import main
    from analysis.pipeline import run_extraction

    # Sentences with an event in each, so that every one is parsed: seconds even in a warm process (a sentence
    # the engine needs only to tokenise repeats at tens of thousands of words a second).
    paragraph = "Russian officials met North Korean envoys in Vladivostok on Monday and signed a new port agreement. "
    (tmp_path / "long.txt").write_text("A long report\n\n" + paragraph * 1500, encoding="utf-8")
    (tmp_path / "short.txt").write_text("A short note\n\nThe port opened.", encoding="utf-8")
    # The long article needs a few seconds; the short one far less than the budget.
    summary = run_extraction([str(tmp_path / "long.txt"), str(tmp_path / "short.txt")], tmp_path / "ds",
                             options=ExtractOptions(article_seconds=0.25))
    assert summary.added == 1
    [(path, reason)] = summary.failed
    assert path.endswith("long.txt") and "0.25 s one article may take" in reason and "--article-seconds" in reason
    assert len(load_tables(tmp_path / "ds").articles) == 1

    with pytest.raises(SystemExit):
        main(["extract", str(tmp_path / "short.txt"), "--out", str(tmp_path / "ds2"), "--article-seconds", "inf"])
    assert "positive, finite number of seconds" in capsys.readouterr().err
