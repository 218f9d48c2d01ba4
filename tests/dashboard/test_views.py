"""The data step of each page: what a user sees is what the filters select."""

import datetime as dt
import json
import xml.etree.ElementTree as ElementTree

import networkx as nx
import numpy as np
import pandas as pd
import pytest

from analysis import geo, network, synthetic, views
from analysis.filters import Filters, Options, ViewState

PUTIN, KIM = "putin", "kim_jong_un"


def state(**filters) -> ViewState:
    """A view state with the given filters and default options."""
    return ViewState(Filters(**filters))


def test_synthetic_tables_follow_the_contract():
    tables = synthetic.generate(50, seed=1)
    assert list(tables.articles.columns) == [
        "article_id",
        "title",
        "published",
        "source",
        "url",
        "language",
        "text",
        "n_words",
        "path",
    ]
    assert list(tables.events.columns) == [
        "event_id",
        "article_id",
        "sentence",
        "type",
        "mode",
        "source_id",
        "target_id",
        "place_id",
        "date",
        "date_precision",
        "modality",
        "trigger",
        "evidence",
        "confidence",
    ]
    texts = tables.articles.set_index("article_id")["text"]
    for row in tables.mentions.itertuples():
        assert texts[row.article_id][row.start : row.end] == row.surface
    places = tables.entities[tables.entities["lat"].notna()]
    assert set(places["type"]) <= {"GPE", "LOC", "FAC"}
    assert synthetic.generate(50, seed=1).articles.equals(tables.articles)


def test_actor_filter_keeps_only_sentences_naming_the_actor(synthetic_dataset):
    ds = synthetic_dataset
    sel = views.select(ds, Filters(actors=(PUTIN,)))
    putin = ds.entity_index[PUTIN]
    naming = np.unique(ds.se_sent[ds.se_ent == putin])
    assert set(np.flatnonzero(sel.sentences)) == set(naming)
    events = views.evidence_view(ds, state(actors=(PUTIN,))).events
    assert len(events) and all(
        "Putin" in f"{e.pair} {e.evidence}" or "Путин" in e.evidence or "푸틴" in e.evidence
        for e in events.itertuples()
    )


def test_all_actors_requires_each_in_the_same_sentence(synthetic_dataset):
    any_view = views.evidence_view(synthetic_dataset, state(actors=(PUTIN, KIM), match="any"))
    all_view = views.evidence_view(synthetic_dataset, state(actors=(PUTIN, KIM), match="all"))
    assert 0 < all_view.events_total < any_view.events_total
    pairs = set(all_view.events["pair"])
    assert pairs <= {"Vladimir Putin → Kim Jong Un", "Kim Jong Un → Vladimir Putin"}


def test_dates_select_events_by_when_they_happen(synthetic_dataset):
    view = views.timeline_view(synthetic_dataset, state(date_from=dt.date(2024, 6, 1), date_to=dt.date(2024, 6, 30)))
    assert view.total > 0
    assert view.events["day"].between(pd.Timestamp("2024-06-01"), pd.Timestamp("2024-06-30")).all()


def test_event_type_and_modality_narrow_every_view(synthetic_dataset):
    ds = synthetic_dataset
    chosen = state(event_types=("MOBILIZE",), modalities=("denied",))
    timeline = views.timeline_view(ds, chosen)
    assert set(timeline.events["type"]) == {"MOBILIZE"} and set(timeline.events["modality"]) == {"denied"}
    overview_all, overview_chosen = views.overview_view(ds, ViewState()), views.overview_view(ds, chosen)
    assert overview_chosen.totals["mentions"] < overview_all.totals["mentions"]
    assert overview_chosen.totals["articles"] <= overview_all.totals["articles"]


def test_language_and_source_filters(synthetic_dataset):
    view = views.overview_view(synthetic_dataset, state(languages=("ko",), sources=("Yonhap",)))
    assert list(view.by_language["language"]) == ["ko"]
    assert list(view.by_source["source"]) == ["Yonhap"]


def test_nothing_matching_is_reported_empty(synthetic_dataset):
    nothing = state(languages=("ko",), sources=("TASS",))
    for step in (views.overview_view, views.map_view, views.network_view, views.timeline_view, views.evidence_view):
        assert step(synthetic_dataset, nothing).empty, step.__name__


def test_map_counts_mentions_or_events_and_names_companions(synthetic_dataset):
    ds = synthetic_dataset
    mentions = views.map_view(ds, ViewState(options=Options(map_mode="mentions"))).points.set_index("entity_id")
    events = views.map_view(ds, ViewState(options=Options(map_mode="events"))).points.set_index("entity_id")
    kursk = ds.entity_index["kursk"]
    assert mentions.loc["kursk", "mentions"] == int((ds.mentions["ent"] == kursk).sum())
    assert events.loc["kursk", "size"] == int((ds.events["place"] == kursk).sum())
    assert "Vladimir Putin" in mentions.loc["kursk", "top_actors"]
    assert set(mentions["type"]) <= {"GPE", "LOC", "FAC"} and mentions["lat"].notna().all()


def test_map_pin_lists_sentences_naming_the_place(synthetic_dataset):
    view = views.map_view(synthetic_dataset, ViewState(options=Options(pin="kursk")))
    assert view.pinned_name == "Kursk" and len(view.sentences)
    assert all(any(k in s for k in ("Kursk", "Курск", "쿠르스크")) for s in view.sentences["sentence"])


def test_network_threshold_hides_weak_links_without_moving_nodes(synthetic_dataset):
    ds = synthetic_dataset
    loose = views.network_view(ds, ViewState(options=Options(min_weight=1)))
    strict = views.network_view(ds, ViewState(options=Options(min_weight=20)))
    assert (strict.edges["weight"] >= 20).all() and len(strict.edges) < len(loose.edges)
    moved = loose.nodes.set_index("entity_id")[["x", "y"]].join(
        strict.nodes.set_index("entity_id")[["x", "y"]], how="inner", suffixes=("", "_strict")
    )
    assert len(moved) and np.allclose(moved["x"], moved["x_strict"]) and np.allclose(moved["y"], moved["y_strict"])
    again = views.network_view(ds, ViewState(options=Options(min_weight=1)))
    pd.testing.assert_frame_equal(loose.nodes, again.nodes)


def test_network_edges_count_sentences_naming_both(synthetic_dataset):
    ds = synthetic_dataset
    view = views.network_view(ds, ViewState())
    edge = view.edges.iloc[len(view.edges) // 2]
    a, b = ds.entity_index[edge["source"]], ds.entity_index[edge["target"]]
    with_a = set(ds.se_sent[ds.se_ent == a])
    with_b = set(ds.se_sent[ds.se_ent == b])
    assert edge["weight"] == len(with_a & with_b)
    assert edge["sample"]


def test_network_article_level_counts_articles_naming_both(synthetic_dataset):
    ds = synthetic_dataset
    edges = views.network_view(ds, ViewState(options=Options(level="article"))).edges
    edge = edges.iloc[len(edges) // 2]
    art, ent = ds.article_entities
    with_a = set(art[ent == ds.entity_index[edge["source"]]])
    with_b = set(art[ent == ds.entity_index[edge["target"]]])
    assert edge["weight"] == len(with_a & with_b)


def test_network_focus_narrows_to_the_node_and_its_neighbours(synthetic_dataset):
    view = views.network_view(synthetic_dataset, ViewState(options=Options(focus="kcna", min_weight=5)))
    assert view.focus_name == "Korean Central News Agency"
    assert ((view.edges["source"] == "kcna") | (view.edges["target"] == "kcna")).any()
    neighbours = set(view.edges["source"]) | set(view.edges["target"])
    assert set(view.nodes["entity_id"]) <= neighbours | {"kcna"}
    assert len(view.sentences)


def test_communities_and_centrality_are_reproducible():
    graph = nx.barbell_graph(5, 1)
    assert network.communities(graph) == network.communities(graph)
    assert len(set(network.communities(graph).values())) == 2
    table = network.centrality(graph).set_index("entity_id")
    assert table["betweenness"].idxmax() == 5  # the bridge node


def test_layout_is_seeded_and_ignores_input_order():
    edges = (("a", "b", 3), ("b", "c", 1), ("c", "a", 2))
    assert network.layout(("a", "b", "c"), edges) == network.layout(("c", "b", "a"), tuple(reversed(edges)))


def test_graphml_export_parses_with_weights(synthetic_dataset):
    view = views.network_view(synthetic_dataset, ViewState())
    text = network.graphml(view.graph)
    ElementTree.fromstring(text)
    graph = nx.parse_graphml(text)
    assert graph.number_of_edges() == len(view.edges)
    some = view.edges.iloc[0]
    assert int(graph.edges[some["source"], some["target"]]["weight"]) == some["weight"]


def test_places_geojson_has_a_point_per_place(synthetic_dataset):
    points = views.map_view(synthetic_dataset, ViewState()).points
    collection = json.loads(geo.geojson_text(geo.places_geojson(points)))
    assert len(collection["features"]) == len(points)
    kursk = next(f for f in collection["features"] if f["id"] == "kursk")
    assert kursk["geometry"]["coordinates"] == pytest.approx([36.19, 51.73], abs=0.01)


def test_country_outlines_cover_the_countries_of_the_story():
    outlines = geo.country_outlines()
    ids = {f["id"] for f in outlines["features"]}
    assert {"RUS", "PRK", "KOR", "UKR"} <= ids
    assert len(json.dumps(outlines)) < 400_000  # light enough to send with every map


def test_timeline_counts_per_week_start_on_monday(synthetic_dataset):
    view = views.timeline_view(synthetic_dataset, ViewState(options=Options(time_bin="week")))
    assert (view.counts["period"].dt.day_of_week == 0).all()
    assert view.counts["events"].sum() == view.total


def test_timeline_pairs_and_milestones(synthetic_dataset):
    view = views.timeline_view(synthetic_dataset, ViewState(options=Options(y_axis="pair")))
    assert set(view.events["y"]) <= set(view.y_order) and all("→" in y for y in view.y_order)
    in_range = [
        label
        for day, label in views.load_milestones()
        if view.events["day"].min() <= pd.Timestamp(day) <= view.events["day"].max()
    ]
    assert in_range and set(view.milestones["label"]) >= set(in_range[1:-1])


def test_milestones_come_from_the_corpus_file_with_month_dates(tmp_path):
    path = tmp_path / "milestones.yaml"
    path.write_text(
        "- {id: a, date: 2024-06-19, title: Treaty signed}\n- {id: b, date: '2000-02', title: Old treaty}\n"
    )
    assert views.load_milestones(path) == [
        (np.datetime64("2024-06-19"), "Treaty signed"),
        (np.datetime64("2000-02-01"), "Old treaty"),
    ]
    assert views.load_milestones(tmp_path / "missing.yaml")[0][1] == "Kim–Putin summit, Vladivostok"


def test_article_reader_escapes_everything_from_the_article(hostile_dir):
    ds = views.load_dataset(hostile_dir)
    article_id = ds.articles["article_id"].iat[0]
    article = views.article_reader(ds, article_id)
    assert "<script" not in article["html"] and "<img" not in article["html"]
    assert "&lt;script&gt;" in article["html"]
    assert '<mark style="background:#fde68a" title="Vladimir Putin (PERSON)">Putin</mark>' in article["html"]
    assert article["url"] is None  # a javascript: link is never offered


def test_sentence_text_is_cut_around_mentions():
    assert views._expand_to_sentence("First one. Putin met Kim here. Last.", 11, 16) == "Putin met Kim here."


def test_pickers_show_canonical_names_and_aliases_are_looked_up_behind_them(synthetic_dataset):
    labels = views.choices(synthetic_dataset).actors
    assert labels[PUTIN] == "Vladimir Putin"  # no alias list in the option: typing "Putin" must not hit ten actors
    assert list(labels)[0] == PUTIN  # most mentioned first
    names = views.vocabulary(synthetic_dataset).actor_names
    assert names["путин"] == PUTIN and names["푸틴"] == PUTIN and names["vladimir putin"] == PUTIN
