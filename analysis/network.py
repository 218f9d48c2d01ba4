"""The actor co-mention network: pair counting, seeded layout, communities, centrality, GraphML."""

from __future__ import annotations

import unicodedata
from functools import lru_cache

import networkx as nx
import numpy as np
import pandas as pd

SEED = 7  # one seed for layout and Louvain, so the same data always draws the same picture
STRESS_LAYOUT_MAX = 150  # above this many nodes the stress layout (quadratic in nodes) gives way to a spring layout
OTHER_COMMUNITY = "other"  # the catch-all of actors in groups too small to name
# Share of an em per character class for estimating label widths; anything else: capitals 0.7, others 0.58.
CHARACTER_EMS = (("MWmw@", 0.9), ("iljtfrI.,;:'|!()[]- ", 0.34))


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
    if len(nodes) <= STRESS_LAYOUT_MAX:
        positions = _stress_layout(graph)
    else:
        # A wide k spreads the dense core of hubs (Putin, Kim) so labels stay readable.
        positions = nx.spring_layout(graph, seed=SEED, weight="weight", k=3.0 / np.sqrt(len(nodes)), iterations=100)
    return tuple((node, (float(x), float(y))) for node, (x, y) in positions.items())


def _stress_layout(graph: nx.Graph, iterations: int = 300) -> dict:
    """Stress majorisation on hop distances (the Kamada-Kawai energy, solved in plain numpy).

    Hubs named with everyone stand apart instead of piling up in the middle, because every link counts as
    one hop: a strong link drawn short would pull the hubs back together. Actors in separate components sit
    one hop beyond the farthest pair.
    """
    order = list(graph.nodes)
    n = len(order)
    if n < 3:
        return {node: (float(i), 0.0) for i, node in enumerate(order)}
    index = {node: i for i, node in enumerate(order)}
    hops = np.full((n, n), np.inf)
    for source, lengths in nx.all_pairs_shortest_path_length(graph):
        hops[index[source], [index[t] for t in lengths]] = list(lengths.values())
    reachable = np.isfinite(hops)
    target = np.where(reachable, hops, hops[reachable].max() + 1)
    np.fill_diagonal(target, 0.0)
    weights = np.zeros_like(target)
    off = ~np.eye(n, dtype=bool)
    weights[off] = target[off] ** -2.0
    laplacian = -weights
    np.fill_diagonal(laplacian, weights.sum(axis=1))
    inverse = np.linalg.pinv(laplacian)
    start = nx.spring_layout(graph, seed=SEED, weight="weight", iterations=50)
    positions = np.array([start[node] for node in order]) * target.max()
    for _ in range(iterations):
        gaps = np.linalg.norm(positions[:, None, :] - positions[None, :, :], axis=2)
        pull = np.where(gaps > 1e-9, -weights * target / np.maximum(gaps, 1e-9), 0.0)
        np.fill_diagonal(pull, 0.0)
        np.fill_diagonal(pull, -pull.sum(axis=1))
        moved = inverse @ pull @ positions
        if np.abs(moved - positions).max() < 1e-4:
            positions = moved
            break
        positions = moved
    return {node: (float(x), float(y)) for node, (x, y) in zip(order, positions)}


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


# ---------------------------------------------------------------- drawing: frame and labels


def fit_to_frame(
    positions: dict[str, tuple[float, float]], width: float, height: float, margin: float, stretch: float = 1.6
) -> dict[str, tuple[float, float]]:
    """Layout coordinates scaled into a width × height pixel frame, `margin` pixels from its edges.

    A layout's aspect is arbitrary, so one axis may be stretched to fill the frame, by at most `stretch`
    times the other: more room for labels without distorting distances beyond recognition.
    """
    if not positions:
        return {}
    points = np.array(list(positions.values()), dtype=float)
    low, high = points.min(axis=0), points.max(axis=0)
    span = np.maximum(high - low, 1e-9)
    scales = np.array([(width - 2 * margin) / span[0], (height - 2 * margin) / span[1]])
    scales = np.minimum(scales, scales.min() * stretch)
    # Centre the drawing: any unused width or height is split evenly on both sides.
    offset = (np.array([width, height]) - span * scales) / 2
    fitted = (points - low) * scales + offset
    return {node: (float(x), float(y)) for node, (x, y) in zip(positions, fitted)}


def text_width(text: str, size: float, bold: bool = False) -> float:
    """Estimated drawn width of a label in pixels, erring wide: each character's share of an em by its class."""
    ems = sum(_em_share(c) for c in text)
    return ems * size * (1.1 if bold else 1.0) + 4.0


def _em_share(character: str) -> float:
    """How much of an em a character takes in a sans-serif font (full-width characters a whole em)."""
    if unicodedata.east_asian_width(character) in "WF":
        return 1.0
    for characters, share in CHARACTER_EMS:
        if character in characters:
            return share
    return 0.7 if character.isupper() else 0.58


def place_labels(
    x: np.ndarray,
    y: np.ndarray,
    radius: np.ndarray,
    width: np.ndarray,
    height: np.ndarray,
    frame: tuple[float, float],
) -> tuple[np.ndarray, np.ndarray]:
    """Label centres that overlap no label placed before, NaN where no position is free.

    Inputs are in pixels (y up) and in priority order: each label takes the first free position among
    several around its node (above, right, below, left, the corners, then the same a little farther out),
    preferring positions that cover no other node. A label is dropped only when every position is taken.
    """
    count = len(x)
    label_x, label_y = np.full(count, np.nan), np.full(count, np.nan)
    placed = np.empty((0, 4))
    for i in range(count):
        centres = _candidate_centres(x[i], y[i], radius[i], width[i], height[i])
        boxes = np.column_stack(
            [centres[:, 0] - width[i] / 2, centres[:, 1] - height[i] / 2,
             centres[:, 0] + width[i] / 2, centres[:, 1] + height[i] / 2]
        )
        inside = (boxes[:, 0] >= 0) & (boxes[:, 1] >= 0) & (boxes[:, 2] <= frame[0]) & (boxes[:, 3] <= frame[1])
        free = inside & ~_boxes_overlap(boxes, placed)
        others = np.arange(count) != i
        clear = free & ~_boxes_cover_circles(boxes, x[others], y[others], radius[others])
        choice = np.flatnonzero(clear) if clear.any() else np.flatnonzero(free)
        if not len(choice):
            continue
        label_x[i], label_y[i] = centres[choice[0]]
        placed = np.vstack([placed, boxes[choice[0]]])
    return label_x, label_y


def _candidate_centres(x: float, y: float, radius: float, width: float, height: float) -> np.ndarray:
    """Label centres around a node, in order of preference, two rings deep."""
    out = []
    for extra in (2.0, 10.0, 20.0):
        reach = radius + extra
        corner = reach / np.sqrt(2)
        out += [
            (0, reach + height / 2),
            (reach + width / 2, 0),
            (0, -reach - height / 2),
            (-reach - width / 2, 0),
            (corner + width / 2, corner + height / 2),
            (corner + width / 2, -corner - height / 2),
            (-corner - width / 2, corner + height / 2),
            (-corner - width / 2, -corner - height / 2),
        ]
    return np.array(out) + np.array([x, y])


def _boxes_overlap(boxes: np.ndarray, placed: np.ndarray) -> np.ndarray:
    """For each box (x0, y0, x1, y1), whether it overlaps any placed box."""
    if not len(placed):
        return np.zeros(len(boxes), bool)
    apart = (
        (boxes[:, None, 2] <= placed[None, :, 0])
        | (boxes[:, None, 0] >= placed[None, :, 2])
        | (boxes[:, None, 3] <= placed[None, :, 1])
        | (boxes[:, None, 1] >= placed[None, :, 3])
    )
    return ~apart.all(axis=1)


def _boxes_cover_circles(boxes: np.ndarray, x: np.ndarray, y: np.ndarray, radius: np.ndarray) -> np.ndarray:
    """For each box, whether it covers part of any of the circles."""
    if not len(x):
        return np.zeros(len(boxes), bool)
    nearest_x = np.clip(x[None, :], boxes[:, None, 0], boxes[:, None, 2])
    nearest_y = np.clip(y[None, :], boxes[:, None, 1], boxes[:, None, 3])
    return (((nearest_x - x[None, :]) ** 2 + (nearest_y - y[None, :]) ** 2) < radius[None, :] ** 2).any(axis=1)


# ---------------------------------------------------------------- communities named by their members


def community_names(
    community: dict[str, int], names: dict[str, str], mentions: dict[str, int], smallest: int = 3, members: int = 3
) -> tuple[dict[str, int], dict[int, str]]:
    """Communities renumbered by size with a name made of their most named members ("Putin · Kim Jong Un · …").

    Groups smaller than `smallest` (isolated actors, pairs) join one catch-all numbered -1 and named "other".
    Returns node → number and number → name.
    """
    groups: dict[int, list[str]] = {}
    for node, number in community.items():
        groups.setdefault(number, []).append(node)
    big = [g for g in groups.values() if len(g) >= smallest]
    big.sort(key=lambda g: (-len(g), -max(mentions.get(n, 0) for n in g), min(g)))
    numbers = {node: -1 for node in community}
    labels = {}
    for number, group in enumerate(big):
        ranked = sorted(group, key=lambda n: (-mentions.get(n, 0), names.get(n, n)))
        labels[number] = " · ".join(names.get(n, n) for n in ranked[:members])
        numbers.update({node: number for node in group})
    if -1 in numbers.values():
        labels[-1] = OTHER_COMMUNITY
    return numbers, labels
