"""The Network page's data: actors named together, laid out, labelled, with named communities and centrality."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from analysis import network
from analysis.filters import ViewState
from analysis.palette import MISSING
from analysis.views.dataset import Dataset, Selection, _names, select, sentence_rows, sentence_text
from analysis.views.query import is_query_dataset

# The drawing is laid out in pixels for a plot at least this wide and tall, so labels can be placed without
# overlapping; a bigger plot only spreads them further apart.
FRAME = (640.0, 600.0)
FRAME_MARGIN = 32.0  # room between the outermost nodes and the frame's edge, for their labels
LABEL_SIZE = 11  # label font size in pixels
NODE_SIZES = (12.0, 38.0)  # marker diameter in pixels: the least named actor, plus this much for the most named
# Which kinds of actor each hide option leaves out, by entity type; states are also known by their "country:" id.
HIDDEN_TYPES = {"countries": ("GPE",), "organisations": ("ORG",), "people": ("PERSON",)}
STATE_PREFIX = "country:"


@dataclass(frozen=True)
class NetworkView:
    """Actors and their co-mentions, laid out and labelled, with named communities and centrality."""

    # entity_id, name, type, country, country_name, sector, mentions, community, community_name, degree,
    # betweenness, x, y, size, label_x, label_y (NaN: no room for the label), found; most central first
    nodes: pd.DataFrame
    edges: pd.DataFrame  # source, target, source_name, target_name, weight, sample, x0, y0, x1, y1, found
    graph: object  # networkx.Graph of what is shown, for GraphML
    focus: str | None
    focus_name: str | None
    find: str | None  # the actor searched for, when it is shown
    find_name: str | None
    communities: tuple[str, ...]  # community names, largest first, "other" last
    sentences: pd.DataFrame
    hidden_edges: int  # edges below the minimum weight
    frame: tuple[float, float]  # pixel width and height the coordinates are laid out in
    empty: bool


def network_view(ds: Dataset, state: ViewState, max_nodes: int = 60, sentence_limit: int = 25) -> NetworkView:
    """Co-mention network of the most named actors in the selection, thresholded and optionally focused."""
    if is_query_dataset(ds):
        from analysis.views.query_views import query_network_view

        return query_network_view(ds, state, max_nodes, sentence_limit)
    sel = select(ds, state.filters)
    mention_rows = sel.sentences[ds.arr("mentions", "sent")]
    mentions = np.bincount(ds.arr("mentions", "ent")[mention_rows], minlength=len(ds.entities))

    def focus_sentences(number: int) -> pd.DataFrame:
        sents = np.unique(ds.se_sent[(ds.se_ent == number) & sel.sentences[ds.se_sent]])
        return sentence_rows(ds, sents, sentence_limit)

    return assemble_network(
        ds,
        state,
        mentions,
        lambda in_top: _edges(ds, sel, in_top, state.options.level),
        lambda samples: [sentence_text(ds, int(s)) if s >= 0 else "" for s in samples],
        focus_sentences,
        max_nodes,
    )


def top_actors(ds, hide: tuple[str, ...], mentions: np.ndarray, max_nodes: int) -> np.ndarray:
    """The most named actors of the kinds shown, most named first (ties in entity order)."""
    candidates = np.flatnonzero(_shown_kinds(ds, hide) & (mentions > 0))
    return candidates[np.argsort(-mentions[candidates], kind="stable")][:max_nodes]


def assemble_network(ds, state: ViewState, mentions: np.ndarray, edges_of, sample_texts, focus_sentences,
                     max_nodes: int) -> NetworkView:
    """The network's view from per-entity mention counts (however counted): `edges_of(in_top)` gives the links
    among the chosen actors (a, b, weight, sample sentence), `sample_texts` their sentences' texts and
    `focus_sentences(number)` the sentences naming the focused actor."""
    o = state.options
    ents = ds.entities
    top = top_actors(ds, o.hide, mentions, max_nodes)
    in_top = np.zeros(len(ents), bool)
    in_top[top] = True

    edges = edges_of(in_top)
    ids = ds.arr("entities", "entity_id")
    # Lay out every candidate edge, before the threshold, so moving the slider never moves a node. Actors with
    # no link at all are never drawn (unless focused, alone): they would only push the others together.
    linked_top = np.union1d(edges["a"].to_numpy(), edges["b"].to_numpy()).astype(int)
    laid_out = network.layout(
        tuple(ids[linked_top]), tuple(zip(ids[edges["a"]], ids[edges["b"]], edges["weight"].tolist()))
    )
    positions = {e: (FRAME[0] / 2, FRAME[1] / 2) for e in ids[top]}
    positions.update(network.fit_to_frame(laid_out, *FRAME, margin=FRAME_MARGIN))
    strong = edges[edges["weight"] >= o.min_weight]
    hidden = len(edges) - len(strong)

    nodes = pd.DataFrame(
        {
            "entity_id": ids[top],
            "name": ds.arr("entities", "name")[top],
            "type": ds.arr("entities", "type")[top],
            "country": ents["country"].fillna(MISSING).to_numpy()[top],
            "country_name": np.where(ents["country"].isna().to_numpy(), MISSING, ds.arr("entities", "country_name"))[
                top
            ],
            "sector": ents["sector"].fillna(MISSING).to_numpy()[top],
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
    numbers, names = network.community_names(
        network.communities(graph),
        dict(zip(nodes["entity_id"], nodes["name"])),
        dict(zip(nodes["entity_id"], nodes["mentions"])),
    )
    nodes = nodes.assign(community=nodes["entity_id"].map(numbers).fillna(-1).astype(int))
    nodes = nodes.assign(community_name=nodes["community"].map(names).fillna(network.OTHER_COMMUNITY))
    nodes = nodes.merge(network.centrality(graph), on="entity_id", how="left")
    for node in graph.nodes:
        graph.nodes[node]["community"] = names.get(numbers.get(node, -1), network.OTHER_COMMUNITY)
    if focus:
        graph = network.ego(graph, focus)
        nodes = nodes[nodes["entity_id"].isin(graph.nodes)]
        edge_frame = edge_frame[edge_frame["source"].isin(graph.nodes) & edge_frame["target"].isin(graph.nodes)]
    find = o.find if o.find in set(nodes["entity_id"]) else None
    nodes = _draw_nodes(nodes, positions, mentions[top].max() if len(top) else 1, find, focus)
    edge_frame = edge_frame.assign(
        x0=edge_frame["source"].map(lambda e: positions[e][0]),
        y0=edge_frame["source"].map(lambda e: positions[e][1]),
        x1=edge_frame["target"].map(lambda e: positions[e][0]),
        y1=edge_frame["target"].map(lambda e: positions[e][1]),
        found=(edge_frame["source"] == find) | (edge_frame["target"] == find),
    ).reset_index(drop=True)
    edge_frame["sample"] = list(sample_texts(edge_frame["sample"].to_numpy()))

    sentences = pd.DataFrame(columns=["sentence", "title", "published", "source", "url", "article_id", "language"])
    if focus:
        sentences = focus_sentences(ds.entity_index[focus])
    shown = sorted(set(nodes["community"]), key=lambda c: (c < 0, c))
    return NetworkView(
        nodes=nodes,
        edges=edge_frame,
        graph=graph,
        focus=focus,
        focus_name=ents["name"].iat[ds.entity_index[focus]] if focus else None,
        find=find,
        find_name=ents["name"].iat[ds.entity_index[find]] if find else None,
        communities=tuple(names[c] for c in shown),
        sentences=sentences,
        hidden_edges=hidden,
        frame=FRAME,
        empty=len(nodes) == 0,
    )


def _shown_kinds(ds, hide: tuple[str, ...]) -> np.ndarray:
    """Actors not left out by the hide options: hiding countries drops every state ("country:…" or GPE)."""
    shown = ds.arr("entities", "is_actor").copy()
    types = ds.arr("entities", "type")
    for kind in hide:
        shown &= ~np.isin(types, HIDDEN_TYPES.get(kind, ()))
        if kind == "countries":
            shown &= ~ds.entities["entity_id"].str.startswith(STATE_PREFIX).to_numpy()
    return shown


def _draw_nodes(
    nodes: pd.DataFrame, positions: dict, most: int, find: str | None, focus: str | None
) -> pd.DataFrame:
    """Nodes with pixel positions, marker sizes and label positions, most central first (the table's order)."""
    nodes = nodes.assign(
        x=nodes["entity_id"].map(lambda e: positions[e][0]),
        y=nodes["entity_id"].map(lambda e: positions[e][1]),
        size=NODE_SIZES[0] + NODE_SIZES[1] * np.sqrt(nodes["mentions"] / max(most, 1)),
        found=nodes["entity_id"] == find,
    )
    # Labels go to the searched and focused actors first, then to the most named.
    priority = nodes.assign(first=(nodes["entity_id"] == find) * 2 + (nodes["entity_id"] == focus)).sort_values(
        ["first", "mentions", "name"], ascending=[False, False, True]
    )
    widths = np.array(
        [network.text_width(n, LABEL_SIZE, bold=f) for n, f in zip(priority["name"], priority["found"])], dtype=float
    )
    label_x, label_y = network.place_labels(
        priority["x"].to_numpy(float),
        priority["y"].to_numpy(float),
        priority["size"].to_numpy(float) / 2,
        widths,
        np.full(len(priority), LABEL_SIZE * 1.4),
        FRAME,
    )
    nodes = nodes.join(pd.DataFrame({"label_x": label_x, "label_y": label_y}, index=priority.index))
    order = ["betweenness", "degree", "mentions", "name"]
    return nodes.sort_values(order, ascending=[False, False, False, True]).reset_index(drop=True)


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
