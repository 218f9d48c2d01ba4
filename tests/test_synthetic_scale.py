"""Large synthetic datasets written part by part: the parts read back as one consistent dataset, the same seed
gives the same tables, and the articles keep the shape of the small generator's."""

from __future__ import annotations

from pathlib import Path

import duckdb
import pandas as pd
import pytest

from analysis import store, synthetic

ARTICLES, CHUNK = 6_000, 2_000


@pytest.fixture(scope="module")
def folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A synthetic dataset of three chunks."""
    out = tmp_path_factory.mktemp("synthetic_parts")
    synthetic.write_partitioned(ARTICLES, out, seed=3, chunk=CHUNK)
    return out


@pytest.fixture(scope="module")
def tables(folder: Path) -> dict[str, pd.DataFrame]:
    """The dataset's tables read with pandas, each table folder as one table."""
    return {name: pd.read_parquet(folder / name) for name in store.TABLE_NAMES}


def test_each_chunk_is_a_part_and_the_entities_are_written_once(folder: Path):
    files = store.table_files(folder)
    assert [len(files[name]) for name in ("articles", "mentions", "events")] == [3, 3, 3]
    assert len(files["entities"]) == 1
    assert sum(part["rows"] for part in store.read_manifest(folder)["tables"]["articles"]) == ARTICLES


def test_pandas_reads_the_parts_as_one_dataset_with_unique_keys(tables: dict[str, pd.DataFrame]):
    assert len(tables["articles"]) == ARTICLES
    for name, key in store.KEYS.items():
        assert not tables[name].duplicated(key).any(), name
    assert tables["articles"]["article_id"].str.fullmatch(r"[0-9a-f]{16}").all()


def test_every_mention_and_event_points_at_stored_articles_and_entities(tables: dict[str, pd.DataFrame]):
    articles = set(tables["articles"]["article_id"])
    entities = set(tables["entities"]["entity_id"])
    assert set(tables["mentions"]["article_id"]) <= articles
    assert set(tables["events"]["article_id"]) <= articles
    assert set(tables["mentions"]["entity_id"]) <= entities
    for column in ("source_id", "target_id", "place_id"):
        assert set(tables["events"][column].dropna()) <= entities, column


def test_duckdb_reads_the_manifests_files_as_one_dataset(folder: Path):
    files = store.table_files(folder)
    con = duckdb.connect()
    for name, paths in files.items():
        con.execute(f"CREATE VIEW {name} AS SELECT * FROM read_parquet({[str(p) for p in paths]})")
    assert con.execute("SELECT count(*), count(DISTINCT article_id) FROM articles").fetchone() == (ARTICLES,) * 2
    assert con.execute("SELECT count(*) = count(DISTINCT event_id) FROM events").fetchone() == (True,)
    orphans = con.execute(
        "SELECT count(*) FROM mentions m LEFT JOIN articles a USING (article_id) "
        "LEFT JOIN entities e USING (entity_id) WHERE a.article_id IS NULL OR e.entity_id IS NULL"
    ).fetchone()
    assert orphans == (0,)
    # Every article has between 4 and 10 sentences, and every sentence names at least one entity or place.
    low, high = con.execute(
        "SELECT min(n), max(n) FROM (SELECT count(DISTINCT sentence) AS n FROM mentions GROUP BY article_id)"
    ).fetchone()
    assert (low, high) == (4, 10)


def test_mentions_point_at_their_surface_in_the_text(tables: dict[str, pd.DataFrame]):
    texts = tables["articles"].set_index("article_id")["text"]
    mentions = tables["mentions"]
    found = [texts[row.article_id][row.start : row.end] for row in mentions.itertuples()]
    assert found == list(mentions["surface"])


def test_articles_count_their_words_and_titles_quote_their_first_sentence(tables: dict[str, pd.DataFrame]):
    articles = tables["articles"]
    assert list(articles["n_words"]) == [len(text.split()) for text in articles["text"]]
    leads = [text.split(".")[0][:70] for text in articles["text"]]
    assert all(title.endswith(f": {lead}") for title, lead in zip(articles["title"], leads))


def test_dates_links_and_languages_follow_the_generators_shares(tables: dict[str, pd.DataFrame]):
    articles, events = tables["articles"], tables["events"]
    assert 0.01 < articles["published"].isna().mean() < 0.03
    assert 0.03 < articles["url"].isna().mean() < 0.07
    shares = articles["language"].value_counts(normalize=True)
    for language, weight in zip(synthetic.LANGUAGES, synthetic.LANGUAGE_WEIGHTS):
        assert shares[language] == pytest.approx(weight, abs=0.03)
    published = events.merge(articles[["article_id", "published"]], on="article_id")
    by_precision = {precision: rows for precision, rows in published.groupby("date_precision")}
    assert set(by_precision) == {"day", "month", "article"}
    assert (by_precision["day"]["date"] == by_precision["day"]["published"]).all()
    assert (by_precision["month"]["date"] == by_precision["month"]["published"].str[:7]).all()
    assert by_precision["article"]["date"].isna().all() and by_precision["article"]["published"].isna().all()
    # A few actors dominate: the most named entity is named far more often than the median one.
    counts = tables["mentions"]["entity_id"].value_counts()
    assert counts.iloc[0] > 10 * counts.median()


def test_the_same_seed_gives_the_same_tables_and_another_seed_other_ids(tmp_path: Path, folder: Path):
    again = synthetic.write_partitioned(ARTICLES, tmp_path / "again", seed=3, chunk=CHUNK)
    assert again.bytes > 0
    first, second = store.load_tables(folder), store.load_tables(tmp_path / "again")
    for name in store.TABLE_NAMES:
        pd.testing.assert_frame_equal(getattr(first, name), getattr(second, name), obj=name)
    other = synthetic.write_partitioned(CHUNK, tmp_path / "other", seed=4, chunk=CHUNK)
    assert len(other.files) == 4
    assert not set(store.load_tables(tmp_path / "other").articles["article_id"]) & set(first.articles["article_id"])


def test_the_first_chunk_is_what_generate_returns(folder: Path):
    first_part = pd.read_parquet(store.table_files(folder)["articles"][0])
    small = synthetic.generate(CHUNK, seed=3)
    pd.testing.assert_frame_equal(first_part, store.conform("articles", small.articles))


def test_writing_again_replaces_the_folder_instead_of_adding_to_it(tmp_path: Path):
    synthetic.write_partitioned(3_000, tmp_path, seed=3, chunk=CHUNK)
    synthetic.write_partitioned(1_500, tmp_path, seed=3, chunk=CHUNK)
    assert len(store.load_tables(tmp_path).articles) == 1_500
    assert all(len(paths) == 1 for paths in store.table_files(tmp_path).values())
