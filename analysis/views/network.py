"""The Network page's data: actors named together, laid out, with communities and centrality."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from analysis import network
from analysis.filters import ViewState
from analysis.views.dataset import Dataset, Selection, _names, select, sentence_rows, sentence_text


@dataclass(frozen=True)
class NetworkView:
    """Actors and their co-mentions, laid out, with communities and centrality."""

    nodes: pd.DataFrame  # entity_id, name, type, country_name, sector, mentions, x, y, community, degree, betweenness
    edges: pd.DataFrame  # source, target, source_name, target_name, weight, sample, x0, y0, x1, y1
    graph: object  # networkx.Graph of what is shown, for GraphML
    focus: str | None
    focus_name: str | None
    sentences: pd.DataFrame
    hidden_edges: int  # edges below the minimum weight
    empty: bool


def network_view(ds: Dataset, state: ViewState, max_nodes: int = 60, sentence_limit: int = 25) -> NetworkView:
    """Co-mention network of the most named actors in the selection, thresholded and optionally focused."""
    sel = select(ds, state.filters)
    o = state.options
    ents = ds.entities
    actor = ds.arr("entities", "is_actor")
    mention_rows = sel.sentences[ds.arr("mentions", "sent")]
    mentions = np.bincount(ds.arr("mentions", "ent")[mention_rows], minlength=len(ents))
    candidates = np.flatnonzero(actor & (mentions > 0))
    top = candidates[np.argsort(-mentions[candidates], kind="stable")][:max_nodes]
    in_top = np.zeros(len(ents), bool)
    in_top[top] = True

    edges = _edges(ds, sel, in_top, o.level)
    ids = ds.arr("entities", "entity_id")
    # Lay out every candidate edge, before the threshold, so moving the slider never moves a node.
    positions = network.layout(tuple(ids[top]), tuple(zip(ids[edges["a"]], ids[edges["b"]], edges["weight"].tolist())))
    strong = edges[edges["weight"] >= o.min_weight]
    hidden = len(edges) - len(strong)

    nodes = pd.DataFrame(
        {
            "entity_id": ids[top],
            "name": ds.arr("entities", "name")[top],
            "type": ds.arr("entities", "type")[top],
            "country": ds.arr("entities", "country")[top],
            "country_name": ds.arr("entities", "country_name")[top],
            "sector": ents["sector"].fillna("none").to_numpy()[top],
            "mentions": mentions[top],
        }
    )
    edge_frame = pd.DataFrame(
        {
            "source": ids[strong["a"]],
            "target": ids[strong["b"]],
            "source_name": _names(ds, strong["a"].to_numpy()),
            "target_name": _names(ds, strong["b"].to_numpy()),
            "weight": strong["weight"].to_numpy(),
            "sample": strong["sample"].to_numpy(),
        }
    )
    linked = set(edge_frame["source"]) | set(edge_frame["target"])
    focus = o.focus if o.focus in set(nodes["entity_id"]) else None
    nodes = nodes[nodes["entity_id"].isin(linked | ({focus} if focus else set()))]
    graph = network.build_graph(nodes, edge_frame)
    community = network.communities(graph)
    nodes = nodes.assign(community=nodes["entity_id"].map(community).fillna(-1).astype(int))
    nodes = nodes.merge(network.centrality(graph), on="entity_id", how="left")
    for node in graph.nodes:
        graph.nodes[node]["community"] = int(community.get(node, -1))
    if focus:
        graph = network.ego(graph, focus)
        nodes = nodes[nodes["entity_id"].isin(graph.nodes)]
        edge_frame = edge_frame[edge_frame["source"].isin(graph.nodes) & edge_frame["target"].isin(graph.nodes)]
    nodes = nodes.assign(
        x=nodes["entity_id"].map(lambda e: positions[e][0]), y=nodes["entity_id"].map(lambda e: positions[e][1])
    )
    nodes = nodes.sort_values("mentions", ascending=False).reset_index(drop=True)
    edge_frame = edge_frame.assign(
        x0=edge_frame["source"].map(lambda e: positions[e][0]),
        y0=edge_frame["source"].map(lambda e: positions[e][1]),
        x1=edge_frame["target"].map(lambda e: positions[e][0]),
        y1=edge_frame["target"].map(lambda e: positions[e][1]),
    ).reset_index(drop=True)
    edge_frame["sample"] = [sentence_text(ds, int(s)) if s >= 0 else "" for s in edge_frame["sample"]]

    sentences = pd.DataFrame(columns=["sentence", "title", "published", "source", "url", "article_id", "language"])
    if focus:
        number = ds.entity_index[focus]
        sents = np.unique(ds.se_sent[(ds.se_ent == number) & sel.sentences[ds.se_sent]])
        sentences = sentence_rows(ds, sents, sentence_limit)
    return NetworkView(
        nodes=nodes,
        edges=edge_frame,
        graph=graph,
        focus=focus,
        focus_name=ents["name"].iat[ds.entity_index[focus]] if focus else None,
        sentences=sentences,
        hidden_edges=hidden,
        empty=len(nodes) == 0,
    )


def _edges(ds: Dataset, sel: Selection, in_top: np.ndarray, level: str) -> pd.DataFrame:
    """Co-mention counts among the chosen actors (columns a, b, weight, sample sentence number)."""
    rows = np.flatnonzero(sel.sentences[ds.pair_sent])
    codes = ds.pair_code[rows]
    wanted = in_top[ds.pair_a[codes]] & in_top[ds.pair_b[codes]] & (ds.pair_a[codes] != ds.pair_b[codes])
    rows, codes = rows[wanted], codes[wanted]
    # Rows are sorted by pair code, so each pair's first row gives its sample sentence.
    unique_codes, first, counts = np.unique(codes, return_index=True, return_counts=True)
    sentence_level = pd.DataFrame(
        {
            "a": ds.pair_a[unique_codes],
            "b": ds.pair_b[unique_codes],
            "weight": counts,
            "sample": ds.pair_sent[rows[first]].astype(np.int64),
        }
    )
    if level != "article":
        return sentence_level
    art, ent = ds.article_entities
    keep = in_top[ent] & (np.bincount(ds.sent_art[sel.sentences], minlength=len(ds.articles)) > 0)[art]
    pairs = network.pairs_within_groups(art[keep], ent[keep])
    counted = pairs.groupby(["a", "b"]).size().rename("weight").reset_index()
    return (
        counted.merge(sentence_level[["a", "b", "sample"]], on=["a", "b"], how="left")
        .fillna({"sample": -1})
        .astype({"sample": np.int64})
    )
