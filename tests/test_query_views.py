"""The query path (DuckDB over the dataset's parts) shows what the in-memory path shows, for every page and for
view states a user sets: no filter, actors, roles, places, dates, event filters, language, source, a search."""

from __future__ import annotations

import dataclasses
import datetime as dt
import os
import shutil
import sys
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from analysis import store, synthetic, views
from analysis.filters import Filters, Options, ViewState
from analysis.views import query, timeline
from analysis.views.query import QueryDataset, open_query_dataset
from analysis.views.query_views import densest_window_counted

CORPUS_DATASET = Path(os.environ.get("NEWSINT_CORPUS_DATASET", "/tmp/ds/processed"))
PAGES = ("overview_view", "map_view", "network_view", "timeline_view", "profile_view", "evidence_view")


def _write_in_parts(folder: Path, tables, parts: int) -> None:
    """Append the tables as several commits of whole articles, entities with the first."""
    ids = tables.articles["article_id"].to_numpy()
    for k, chunk in enumerate(np.array_split(ids, parts)):
        keep = set(chunk)
        with store.lock(folder):
            store.append_tables(folder, store.Tables(
                tables.articles[tables.articles["article_id"].isin(keep)],
                tables.entities if k == 0 else tables.entities.iloc[0:0],
                tables.mentions[tables.mentions["article_id"].isin(keep)],
                tables.events[tables.events["article_id"].isin(keep)],
            ))


@pytest.fixture(scope="module")
def synthetic_pair(tmp_path_factory) -> tuple[views.Dataset, QueryDataset]:
    """A synthetic dataset in three parts, loaded in memory and opened for queries."""
    folder = tmp_path_factory.mktemp("synthetic_parts")
    _write_in_parts(folder, synthetic.generate(600, seed=5), 3)
    # Sentences derived 250 articles at a time: chunks that end inside a part, aggregates summed again at the end.
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(query, "CHUNK_ARTICLES", 250)
        return views.load_dataset(folder), open_query_dataset(folder)


@pytest.fixture(scope="module")
def corpus_pair(tmp_path_factory) -> tuple[views.Dataset, QueryDataset]:
    """The dataset built from the bundled corpus (a copy: opening it for queries writes beside the tables)."""
    folder = tmp_path_factory.mktemp("corpus") / "processed"
    if CORPUS_DATASET.exists():
        shutil.copytree(CORPUS_DATASET, folder)
    else:
        from analysis.pipeline import ensure_dataset

        ensure_dataset(Path(__file__).resolve().parents[1] / "data" / "corpus", folder)
    return views.load_dataset(folder), open_query_dataset(folder)


def states(ds: views.Dataset) -> dict[str, ViewState]:
    """View states a user sets, with actors, places and words taken from the data."""
    ranked = list(views.choices(ds).actors)
    actors = [a for a in ranked if (ds.events["src"] == ds.entity_index[a]).any()][:2]
    places = views.choices(ds).places
    place = max(places, key=lambda p: ds.entities["mention_count"].iat[ds.entity_index[p]])
    days = ds.events["day"].dropna().sort_values().to_numpy()
    low, high = days[len(days) // 4].astype(dt.date), days[3 * len(days) // 4].astype(dt.date)
    word = max(str(ds.events["evidence"].iat[len(ds.events) // 2]).split(), key=len)
    source = ds.articles["source"].value_counts().index[0]
    language = ds.articles["language"].value_counts().index[-1]
    busiest = ds.events["type"].value_counts().index[0]
    event = ds.events["event_id"].iat[len(ds.events) // 3]
    without_event = np.flatnonzero(ds.extra["evidence_event"] < 0)
    plain_sentence = views.sentence_text(ds, int(without_event[len(without_event) // 2]))
    rare = ds.articles[ds.articles["language"] == language]
    title_word = max(str(rare["title"].iat[len(rare) // 2]).split(), key=len)
    return {
        "no filter": ViewState(),
        "one actor": ViewState(Filters(actors=(actors[0],)), Options(focus=actors[0], pin=place)),
        "two actors together": ViewState(Filters(actors=tuple(actors), match="all")),
        "actor as source": ViewState(Filters(actors=(actors[0],), role="source")),
        "actor as target": ViewState(Filters(actors=(actors[0],), role="target")),
        "actor named": ViewState(Filters(actors=(actors[0],), role="named")),
        "place": ViewState(Filters(places=(place,)), Options(pin=place, map_mode="events")),
        "date range": ViewState(Filters(date_from=low, date_to=high), Options(time_bin="week")),
        "event type": ViewState(Filters(event_types=(busiest,)), Options(level="article")),
        "modality": ViewState(Filters(modalities=("reported", "planned"))),
        "language": ViewState(Filters(languages=(language,)), Options(y_axis="pair")),
        "source": ViewState(Filters(sources=(source,)), Options(event=event)),
        "precision": ViewState(Filters(precisions=("month", "article"))),
        "search": ViewState(options=Options(search=word)),
        "search a sentence without event": ViewState(options=Options(search=max(plain_sentence.split(), key=len))),
        "search two words, one of a title": ViewState(Filters(event_types=(busiest,)),
                                                      Options(search=f"{word.upper()} {title_word}")),
        "article open": ViewState(options=Options(article=rare["article_id"].iat[0], tab="articles")),
        "actor in a date range": ViewState(Filters(actors=(actors[1],), date_from=low + dt.timedelta(days=3),
                                                   date_to=high)),
        "actor, dates, type, language": ViewState(Filters(actors=(actors[0],), date_from=low, date_to=high,
                                                          event_types=(busiest,), languages=(language,))),
        "actor in one language": ViewState(Filters(actors=(actors[0],), languages=(language,))),
        "actor in one source": ViewState(Filters(actors=(actors[1],), sources=(source,), role="source")),
        "actor over whole months": ViewState(Filters(actors=(actors[0],), date_from=low.replace(day=1),
                                                     date_to=high.replace(day=1) - dt.timedelta(days=1))),
        "zoomed": ViewState(Filters(actors=(actors[1],)),
                            Options(zoom_from=low, zoom_to=low + dt.timedelta(days=40))),
    }


def assert_same(memory: object, query: object, where: str) -> None:
    """Two view objects show the same thing: equal fields, frames equal value for value."""
    if dataclasses.is_dataclass(memory):
        for item in dataclasses.fields(memory):
            assert_same(getattr(memory, item.name), getattr(query, item.name), f"{where}.{item.name}")
    elif isinstance(memory, pd.DataFrame):
        assert_frames(memory, query, where)
    elif hasattr(memory, "nodes") and hasattr(memory, "edges"):  # a networkx graph
        assert set(memory.nodes) == set(query.nodes), where
        assert {frozenset(e) for e in memory.edges} == {frozenset(e) for e in query.edges}, where
    elif isinstance(memory, dict):
        assert memory.keys() == query.keys(), where
        for key in memory:
            assert_same(memory[key], query[key], f"{where}[{key}]")
    else:
        assert _plain(memory) == _plain(query), where


def _plain(value: object) -> object:
    """A value compared as a user reads it (NaN and None alike, numpy scalars as Python ones)."""
    if value is None or (isinstance(value, float) and np.isnan(value)) or value is pd.NaT:
        return None
    if isinstance(value, (np.generic,)):
        return value.item()
    return value


def assert_frames(memory: pd.DataFrame, query: pd.DataFrame, where: str) -> None:
    """Same columns and rows; among the newest rows, same-day rows may come in another order."""
    assert list(memory.columns) == list(query.columns), where
    assert len(memory) == len(query), where
    if "offset" in memory.columns:
        # Timeline marks of one day and row are spread in the order the rows came: the same offsets, any order.
        spread = [sorted(frame.groupby(["lane", "x"])["offset"].apply(lambda o: tuple(sorted(o.round(6)))).items())
                  for frame in (memory, query)]
        assert spread[0] == spread[1], f"{where}[offset]"
        memory, query = memory.drop(columns="offset"), query.drop(columns="offset")
    key = _row_key(memory)
    if key:
        # The newest N: which of the rows tied on the last day are shown, and in which order, may differ.
        day = next(c for c in ("day", "date", "published") if c in memory.columns)
        memory, query = _tied_rows_aligned(memory, query, day, key)
    for column in memory.columns:
        left, right = memory[column].to_numpy(), query[column].to_numpy()
        assert [_cell(v) for v in left] == [_cell(v) for v in right], f"{where}[{column}]"


def _row_key(frame: pd.DataFrame) -> list[str]:
    """The columns naming one row of a list of the newest events, mentions or articles (none for other frames)."""
    if "event_id" in frame.columns:
        return ["event_id"]
    if {"surface", "start", "entity_id", "article_id"} <= set(frame.columns):
        return ["article_id", "start", "entity_id"]
    if {"events", "mentions", "article_id"} <= set(frame.columns):
        return ["article_id"]
    return []


def _tied_rows_aligned(memory: pd.DataFrame, query: pd.DataFrame, day: str, key: list[str]
                       ) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Both frames' rows in one order, leaving out rows of the last day shown that the other frame lacks."""
    last = str(memory[day].iloc[-1])[:10] if len(memory) else None
    keys = [_joined(frame, key) for frame in (memory, query)]
    both = set(keys[0]) & set(keys[1])
    out = []
    for frame, names in zip((memory, query), keys):
        kept = frame[((frame[day].astype(str).str[:10] != last) | names.isin(both)).to_numpy()]
        out.append(kept.sort_values(key).reset_index(drop=True))
    assert [tuple(r) for r in out[0][key].astype(str).to_numpy()] == \
        [tuple(r) for r in out[1][key].astype(str).to_numpy()]
    return out[0], out[1]


def _joined(frame: pd.DataFrame, key: list[str]) -> pd.Series:
    """Each row's key columns as one string (column by column: a row-wise join is slow on long lists)."""
    joined = frame[key[0]].astype(str)
    for column in key[1:]:
        joined = joined + "|" + frame[column].astype(str)
    return joined


def _cell(value: object) -> object:
    """A cell as a user reads it."""
    if isinstance(value, (list, tuple, np.ndarray)):
        return [_cell(v) for v in value]
    if isinstance(value, float) and np.isnan(value):
        return None
    if isinstance(value, (np.datetime64, pd.Timestamp, dt.date)):
        return None if pd.isna(value) else str(pd.Timestamp(value))
    if isinstance(value, np.generic):
        return value.item()
    if isinstance(value, float):
        return round(value, 6)
    return None if value is None or value is pd.NaT or value is pd.NA else value


@pytest.mark.parametrize("page", PAGES)
def test_every_page_matches_on_synthetic_parts(synthetic_pair, page) -> None:
    """Each page's view on a dataset of several parts is the same through DuckDB as in memory."""
    memory, query = synthetic_pair
    for label, state in states(memory).items():
        assert_same(getattr(views, page)(memory, state), getattr(views, page)(query, state), f"{label}: {page}")


@pytest.mark.parametrize("page", PAGES)
def test_every_page_matches_on_the_corpus(corpus_pair, page) -> None:
    """Each page's view on the dataset the engine built from the bundled corpus is the same through DuckDB."""
    memory, query = corpus_pair
    for label, state in states(memory).items():
        assert_same(getattr(views, page)(memory, state), getattr(views, page)(query, state), f"{label}: {page}")


def test_timeline_window_from_day_counts_is_the_window_of_the_days() -> None:
    """The timeline opens on the same window whether the events' days are listed one by one or counted per day."""
    rng = np.random.default_rng(7)
    for trial in range(200):
        spread = int(rng.choice([3, 40, 400, 4000]))
        listed = rng.integers(18000, 18000 + spread, size=int(rng.integers(1, 300)))
        if trial % 3 == 0:  # a few far outliers
            listed = np.append(listed, rng.integers(10000, 30000, size=3))
        days = listed.astype("datetime64[D]")
        distinct, counts = np.unique(days, return_counts=True)
        assert densest_window_counted(distinct, counts) == timeline.densest_window(days), trial


def test_sidebar_choices_and_link_vocabulary_match(synthetic_pair) -> None:
    """The sidebar offers the same actors, places, sources, languages and dates; links resolve the same ids."""
    memory, query = synthetic_pair
    assert views.choices(memory) == views.choices(query)
    left, right = views.vocabulary(memory), views.vocabulary(query)
    for name in ("actors", "places", "sources", "languages", "actor_names", "place_names"):
        assert getattr(left, name) == getattr(right, name), name
    event, article = memory.events["event_id"].iat[5], memory.articles["article_id"].iat[7]
    assert event in right.events and article in right.articles
    assert "0000000000000000" not in right.articles and article not in right.events


def test_appended_articles_are_derived_alone_and_shown(tmp_path) -> None:
    """Opening again after a commit derives only the new parts, and the pages count the new articles."""
    tables = synthetic.generate(300, seed=3)
    _write_in_parts(tmp_path, tables, 2)
    before = open_query_dataset(tmp_path)
    more = synthetic.generate(20, seed=4)
    with store.lock(tmp_path):
        store.append_tables(tmp_path, store.Tables(more.articles, more.entities.iloc[0:0], more.mentions,
                                                   more.events))
    after = open_query_dataset(tmp_path)
    assert after.key != before.key
    assert after.counts["articles"] == before.counts["articles"] + 20
    assert_same(views.overview_view(views.load_dataset(tmp_path), ViewState()),
                views.overview_view(after, ViewState()), "after append")


def test_an_interrupted_derivation_resumes_where_it_stopped(tmp_path, monkeypatch) -> None:
    """An open stopped after some chunks of sentences (a crash, a kill) leaves what it committed; the next open
    derives the rest, and the pages show what the in-memory path shows, each aggregate key once."""
    _write_in_parts(tmp_path, synthetic.generate(400, seed=8), 2)
    monkeypatch.setattr(query, "CHUNK_ARTICLES", 150)
    derive_chunk = query._add_sentences
    calls = []

    def stop_after_two(con, low, high):
        if len(calls) == 2:
            raise KeyboardInterrupt("stopped")
        calls.append((low, high))
        derive_chunk(con, low, high)

    monkeypatch.setattr(query, "_add_sentences", stop_after_two)
    with pytest.raises(KeyboardInterrupt):
        open_query_dataset(tmp_path)
    monkeypatch.setattr(query, "_add_sentences", derive_chunk)
    resumed = open_query_dataset(tmp_path)
    memory = views.load_dataset(tmp_path)
    actor = next(iter(views.choices(memory).actors))
    for state in (ViewState(), ViewState(Filters(actors=(actor,)))):
        for page in PAGES:
            assert_same(getattr(views, page)(memory, state), getattr(views, page)(resumed, state), page)
    for table, (keys, _, _) in query.AGGREGATES.items():
        rows, distinct = resumed.rows(f"SELECT count(*), count(DISTINCT ({keys})) FROM {table}")[0]
        assert rows == distinct, table


def _dashboard(root: str, start: str) -> None:
    """AppTest script: the real app opened on one page."""
    import sys

    sys.path.insert(0, root)
    from app import run

    run(start)


@pytest.mark.parametrize("page", ["overview", "map", "network", "timeline", "actor", "evidence"])
def test_app_serves_a_big_dataset_by_queries(synthetic_pair, monkeypatch, page) -> None:
    """Above the mentions threshold the app serves the folder by queries: every page draws, never with a
    trace or a 'not available' notice."""
    from streamlit.testing.v1 import AppTest

    monkeypatch.setitem(sys.modules, "__main__", sys.modules["__main__"])  # AppTest leaves its script as __main__
    monkeypatch.setenv("NEWSINT_DATA", str(synthetic_pair[1].folder))
    monkeypatch.setenv("NEWSINT_QUERY_MENTIONS", "0")
    app = AppTest.from_function(_dashboard, args=(str(Path(__file__).resolve().parents[1]), page),
                                default_timeout=120).run()
    assert not app.exception
    notices = " ".join(i.value for i in app.info)
    assert "not available" not in notices and app.title, [e.value for e in app.error]
    if page == "network":  # the full export needs the dataset in memory: it is not offered, rather than failing
        assert any("export is not available" in c.value for c in app.caption)
    if page == "evidence":  # the same for the tables' downloads
        assert not app.get("download_button")
        assert any("Downloads of whole tables need the dataset in memory" in c.value for c in app.caption)
