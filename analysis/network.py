"""The actor co-mention network: pair counting, seeded layout, communities, centrality, GraphML."""

from __future__ import annotations

from functools import lru_cache

import networkx as nx
import numpy as np
import pandas as pd

SEED = 7  # one seed for layout and Louvain, so the same data always draws the same picture


def pairs_within_groups(groups: np.ndarray, entities: np.ndarray) -> pd.DataFrame:
    """Every unordered pair of distinct entities sharing a group (sentence or article), one row per group.

    Input rows must be distinct (group, entity). Output columns: group, a, b with a < b.
    """
    frame = pd.DataFrame({"group": groups, "ent": entities})
    # Only groups with two or more entities can make a pair: drop the rest before the self-join.
    sizes = frame.groupby("group")["ent"].transform("size")
    frame = frame[sizes.to_numpy() > 1]
    joined = frame.merge(frame, on="group", suffixes=("_a", "_b"))
    joined = joined[joined["ent_a"].to_numpy() < joined["ent_b"].to_numpy()]
    return pd.DataFrame(
        {"group": joined["group"].to_numpy(), "a": joined["ent_a"].to_numpy(), "b": joined["ent_b"].to_numpy()}
    )


def build_graph(nodes: pd.DataFrame, edges: pd.DataFrame) -> nx.Graph:
    """A weighted graph from node rows (entity_id + attributes) and edge rows (source, target, weight)."""
    graph = nx.Graph()
    for row in nodes.to_dict("records"):
        attributes = {k: _graphml_value(v) for k, v in row.items() if k not in ("entity_id", "x", "y")}
        graph.add_node(row["entity_id"], **attributes)
    for row in edges.itertuples(index=False):
        graph.add_edge(row.source, row.target, weight=int(row.weight))
    return graph


def _graphml_value(value: object) -> object:
    """GraphML takes str, int, float and bool only: turn missing values into empty strings."""
    if value is None or (isinstance(value, float) and np.isnan(value)):
        return ""
    if isinstance(value, (np.integer,)):
        return int(value)
    if isinstance(value, (np.floating,)):
        return float(value)
    return value


def layout(nodes: tuple[str, ...], edges: tuple[tuple[str, str, int], ...]) -> dict[str, tuple[float, float]]:
    """Seeded spring layout, cached: the same nodes and edges always land in the same places."""
    return dict(_layout(tuple(sorted(nodes)), tuple(sorted(edges))))


@lru_cache(maxsize=64)
def _layout(nodes: tuple[str, ...], edges: tuple[tuple[str, str, int], ...]) -> tuple:
    """The cached body of layout(); inputs sorted so set order cannot move a node."""
    graph = nx.Graph()
    graph.add_nodes_from(nodes)
    # Log weights: a pair named together 500 times should pull harder than one named twice, not 250× harder.
    graph.add_weighted_edges_from((a, b, 1.0 + np.log(w)) for a, b, w in edges)
    if not nodes:
        return ()
    # A wide k spreads the dense core of hubs (Putin, Kim) so labels stay readable.
    positions = nx.spring_layout(graph, seed=SEED, weight="weight", k=3.0 / np.sqrt(len(nodes)), iterations=100)
    return tuple((node, (float(x), float(y))) for node, (x, y) in positions.items())


def communities(graph: nx.Graph) -> dict[str, int]:
    """Louvain communities (seeded), numbered from the largest: node → community number."""
    if graph.number_of_edges() == 0:
        return {node: i for i, node in enumerate(sorted(graph.nodes))}
    groups = nx.community.louvain_communities(graph, weight="weight", seed=SEED)
    ordered = sorted(groups, key=lambda g: (-len(g), min(g)))
    return {node: number for number, group in enumerate(ordered) for node in group}


def centrality(graph: nx.Graph) -> pd.DataFrame:
    """Degree and betweenness centrality per node (unweighted: counts are strengths, not distances)."""
    if graph.number_of_nodes() == 0:
        return pd.DataFrame(columns=["entity_id", "degree", "betweenness"])
    degree = nx.degree_centrality(graph)
    betweenness = nx.betweenness_centrality(graph, normalized=True)
    return pd.DataFrame(
        {"entity_id": list(degree), "degree": list(degree.values()), "betweenness": [betweenness[n] for n in degree]}
    )


def ego(graph: nx.Graph, focus: str) -> nx.Graph:
    """The focus node, its neighbours and the edges among them."""
    if focus not in graph:
        return graph.subgraph([]).copy()
    return nx.ego_graph(graph, focus, radius=1)


def graphml(graph: nx.Graph) -> str:
    """The graph as GraphML text for Gephi, Cytoscape or networkx."""
    return "\n".join(nx.generate_graphml(graph))
