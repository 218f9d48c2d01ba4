"""Full exports of the filtered (and searched) rows on the real corpus: never capped, stable columns, CSV and
Parquet alike."""

from __future__ import annotations

import io

import pandas as pd
import pytest

from analysis import export, views
from analysis.filters import Filters, Options, ViewState


def read(data: bytes, file_format: str) -> pd.DataFrame:
    """A downloaded file back as a frame."""
    return pd.read_parquet(io.BytesIO(data)) if file_format == "parquet" else pd.read_csv(io.BytesIO(data))


@pytest.mark.parametrize("file_format", ["csv", "parquet"])
@pytest.mark.parametrize(
    ("table", "columns", "key"),
    [
        ("events", export.EVENT_COLUMNS, "event_id"),
        ("mentions", export.MENTION_COLUMNS, "entity_id"),
        ("articles", export.ARTICLE_COLUMNS, "article_id"),
    ],
)
def test_unfiltered_export_holds_every_row_of_the_table(dataset_dir, table, columns, key, file_format, dataset):
    stored = pd.read_parquet(dataset_dir / table)
    frame = read(export.export_bytes(dataset, ViewState(), table, file_format), file_format)
    assert len(frame) == len(stored)
    assert table == "articles" or len(frame) > 500  # more than the old on-screen cap
    assert list(frame.columns) == list(columns)
    assert sorted(frame[key].astype(str)) == sorted(stored[key].astype(str))


def test_exports_follow_the_filters_and_the_search(dataset):
    actor = next(iter(views.choices(dataset).actors))
    state = ViewState(Filters(actors=(actor,)), Options(search="korea"))
    view = views.evidence_view(dataset, state, limit=100_000)
    assert 0 < view.events_total < len(dataset.events)
    assert set(export.export_events(dataset, state)["event_id"]) == set(view.events["event_id"])
    assert len(export.export_mentions(dataset, state)) == view.mentions_total
    assert set(export.export_articles(dataset, state)["article_id"]) == set(view.articles["article_id"])


def test_exported_events_keep_the_sentence_and_names_newest_first(dataset):
    frame = export.export_events(dataset, ViewState())
    stored = dataset.events.set_index("event_id")
    assert (frame.set_index("event_id")["evidence"] == stored.loc[frame["event_id"], "evidence"]).all()
    assert frame["day"].dropna().is_monotonic_decreasing
    assert frame.loc[frame["place_id"].isna(), "place_name"].eq("unknown").all()
    csv = read(export.to_csv_bytes(frame), "csv")
    assert csv["evidence"].tolist() == frame["evidence"].tolist()  # sentences with commas and quotes survive


def test_mention_export_carries_each_sentence_and_offsets(dataset):
    frame = export.export_mentions(dataset, ViewState())
    texts = dataset.articles.set_index("article_id")["text"]
    sample = frame.sample(50, random_state=1)
    for row in sample.itertuples():
        assert texts[row.article_id][row.start : row.end] == row.surface
        assert row.surface in row.sentence_text or row.sentence_text == ""


def test_whole_network_export_holds_every_actor_named_not_only_the_drawn_sixty(dataset, dataset_dir):
    import networkx as nx

    graph = nx.parse_graphml(export.export_network(dataset, ViewState()))
    mentions = pd.read_parquet(dataset_dir / "mentions")
    entities = pd.read_parquet(dataset_dir / "entities").set_index("entity_id")
    named_actors = {e for e in mentions["entity_id"].unique() if e in dataset.entity_index
                    and dataset.entities["is_actor"].iat[dataset.entity_index[e]]}
    assert set(graph.nodes) == named_actors
    assert len(graph.nodes) > len(views.network_view(dataset, ViewState()).nodes)  # more than the chart draws
    a, b = next(iter(graph.edges))
    # A sentence names an actor when it mentions them or when one of its events has them as source or target.
    events = pd.read_parquet(dataset_dir / "events")
    named = pd.concat(
        [mentions[["article_id", "sentence", "entity_id"]]]
        + [events[["article_id", "sentence", role]].rename(columns={role: "entity_id"}) for role in
           ("source_id", "target_id", "place_id")]
    )
    together = named[named["entity_id"].isin([a, b])].groupby(["article_id", "sentence"])["entity_id"].nunique()
    assert graph.edges[a, b]["weight"] == int((together == 2).sum())
    assert graph.nodes[a]["name"] == entities.at[a, "name"]
