"""Network: actors named together, with named communities, centrality and a search that highlights one actor."""

from functools import partial

import numpy as np
import plotly.graph_objects as go
import streamlit as st

from analysis import filters as fl
from analysis import export, network, palette
from analysis.views.network import LABEL_SIZE
from app_pages import _shared as shared

# Communities are coloured in order of size from one fixed sequence; the catch-all "other" is grey.
COMMUNITY_COLOURS = (
    "#1f77b4",
    "#d62728",
    "#2ca02c",
    "#ff7f0e",
    "#9467bd",
    "#8c564b",
    "#e377c2",
    "#17becf",
    "#bcbd22",
    "#393b79",
    "#ad494a",
    "#637939",
)
HIGHLIGHT = "#f59e0b"
EDGE_COLOUR = "rgba(100,116,139,0.35)"
LABEL_COLOUR = "#1f2937"
HIDE_LABELS = {"countries": "Countries", "organisations": "Organisations", "people": "People"}


def node_colours(nodes, colour: str, communities: tuple[str, ...]) -> tuple[str, dict[str, str], list[str]]:
    """The column nodes are grouped by, each group's colour and the legend's order, from the one palette."""
    if colour == "community":
        colours = {
            name: palette.MISSING_COLOUR
            if name == network.OTHER_COMMUNITY
            else COMMUNITY_COLOURS[i % len(COMMUNITY_COLOURS)]
            for i, name in enumerate(communities)
        }
        return "community_name", colours, list(communities)
    if colour == "sector":
        colours = palette.colour_map("sector", nodes["sector"])
        return "sector", colours, sorted(colours, key=lambda s: (s == palette.MISSING, s))
    colours = palette.country_colours(
        [None if c == palette.MISSING else c for c in nodes["country"]], nodes["country_name"]
    )
    return "country_name", colours, sorted(colours, key=lambda c: (c == palette.MISSING, c))


def edge_traces(fig: go.Figure, edges, min_weight: int) -> None:
    """Links as lines, one trace per width band (plotly draws one width per trace), the searched actor's on top."""
    bands = np.minimum(1 + np.log2(edges["weight"].to_numpy() / max(min_weight, 1)).astype(int), 8)
    for band in sorted(set(bands)):
        part = edges[bands == band]
        fig.add_trace(line_trace(part, {"width": 0.5 + 0.8 * band, "color": EDGE_COLOUR}))
    found = edges[edges["found"]]
    if len(found):
        fig.add_trace(line_trace(found, {"width": 2.5, "color": HIGHLIGHT}))
    # Invisible markers mid-edge carry each link's hover: its count and a sample sentence.
    hover = [
        f"<b>{shared.escape(s)} — {shared.escape(t)}</b><br>{w} co-mentions<br><i>{shared.wrap(x)}</i>"
        for s, t, w, x in zip(edges["source_name"], edges["target_name"], edges["weight"], edges["sample"])
    ]
    fig.add_trace(
        go.Scatter(
            x=(edges["x0"] + edges["x1"]) / 2,
            y=(edges["y0"] + edges["y1"]) / 2,
            mode="markers",
            marker={"size": 10, "opacity": 0},
            hovertext=hover,
            hoverinfo="text",
            showlegend=False,
            name="links",
        )
    )


def line_trace(part, line: dict) -> go.Scatter:
    """Edges as one polyline broken by gaps."""
    xs = np.column_stack([part["x0"], part["x1"], np.full(len(part), np.nan)]).ravel()
    ys = np.column_stack([part["y0"], part["y1"], np.full(len(part), np.nan)]).ravel()
    return go.Scatter(x=xs, y=ys, mode="lines", line=line, hoverinfo="skip", showlegend=False)


def node_traces(fig: go.Figure, nodes, colour: str, communities: tuple[str, ...]) -> None:
    """One marker trace per colour group, in legend order; ids ride in customdata for clicks."""
    key, colours, order = node_colours(nodes, colour, communities)
    for rank, group in enumerate(order):
        part = nodes[nodes[key] == group]
        if not len(part):
            continue
        fig.add_trace(
            go.Scatter(
                x=part["x"],
                y=part["y"],
                mode="markers",
                name=shared.escape(group, shared.LABEL),  # a legend entry: plotly reads its tags
                legendrank=rank,
                customdata=part[["entity_id"]].to_numpy(),
                hoverinfo="text",
                hovertext=[
                    f"<b>{shared.escape(n)}</b><br>{m} mentions · {shared.escape(c)}<br>community: {shared.escape(k)}"
                    for n, m, c, k in zip(part["name"], part["mentions"], part["country_name"], part["community_name"])
                ],
                marker={"size": part["size"], "color": colours[group], "line": {"width": 1, "color": "white"}},
            )
        )


def found_ring(fig: go.Figure, nodes) -> None:
    """A ring around the searched actor."""
    found = nodes[nodes["found"]]
    if len(found):
        fig.add_trace(
            go.Scatter(
                x=found["x"],
                y=found["y"],
                mode="markers",
                meta="find",
                name="searched",
                hoverinfo="skip",
                showlegend=False,
                marker={"size": found["size"] + 12, "symbol": "circle-open", "color": HIGHLIGHT, "line": {"width": 3}},
            )
        )


def label_trace(fig: go.Figure, nodes) -> None:
    """Names placed by the view where they overlap no other name; the searched actor's in bold."""
    shown = nodes[nodes["label_x"].notna()]
    fig.add_trace(
        go.Scatter(
            x=shown["label_x"],
            y=shown["label_y"],
            mode="text",
            meta="labels",
            text=[
                f"<b>{shared.escape(n)}</b>" if f else shared.escape(n) for n, f in zip(shown["name"], shown["found"])
            ],
            textposition="middle center",
            textfont={"size": LABEL_SIZE, "color": LABEL_COLOUR},
            hoverinfo="skip",
            showlegend=False,
            cliponaxis=False,
        )
    )


def figure(view, colour: str, min_weight: int) -> go.Figure:
    """The network drawing in the view's pixel frame: one data unit is one pixel when the plot is big enough."""
    fig = go.Figure()
    if len(view.edges):
        edge_traces(fig, view.edges, min_weight)
    node_traces(fig, view.nodes, colour, view.communities)
    found_ring(fig, view.nodes)
    label_trace(fig, view.nodes)
    width, height = view.frame
    # The legend sits below the drawing, in a margin sized for it: beside it, long community names would
    # narrow the plot and squeeze the drawing below the scale its labels were placed for.
    legend = legend_height([t.name for t in fig.data if t.showlegend is not False and t.name], width)
    fig.update_layout(
        height=height + 10 + legend,
        margin={"l": 0, "r": 0, "t": 10, "b": legend, "autoexpand": False},
        legend={"orientation": "h", "x": 0, "y": 0, "yanchor": "top", "title_text": f"{colour}:"},
        xaxis={"visible": False, "range": [0, width]},
        yaxis={"visible": False, "range": [0, height], "scaleanchor": "x"},
        dragmode="pan",
        clickmode="event+select",
        plot_bgcolor="white",
    )
    return fig


def legend_height(entries: list[str], width: float) -> int:
    """Pixels for a horizontal legend of these entries, wrapped at the drawing's width (erring tall)."""
    widths = [network.text_width(e, 12) + 44 for e in [*entries, "community:"]]
    rows, used = 1, 0.0
    for entry in widths:
        if used and used + entry > width:
            rows, used = rows + 1, 0.0
        used += entry
    return 24 * rows + 16


def pick_node() -> None:
    """Narrow the view to the clicked actor (clicking the background clears it)."""
    picked = st.session_state["network_chart"].selection.points
    ids = [p["customdata"][0] for p in picked if p.get("customdata")]
    shared.set_options(focus=ids[0] if ids else None)


def pick_row(ids: list[str]) -> None:
    """Narrow the view to the actor of the table row selected, as a click on its node does."""
    rows = st.session_state["network_table"].selection.rows
    if rows:
        shared.set_options(focus=ids[rows[0]])


st.title("Actor network")
state = shared.current()
c1, c2, c3 = st.columns([1, 1, 2])
level = shared.seeded(
    c1.radio,
    "Named together in",
    "level",
    state.options.level,
    options=list(fl.NETWORK_LEVELS),
    format_func={"sentence": "a sentence", "article": "an article"}.get,
    horizontal=True,
)
colour = shared.seeded(
    c2.radio, "Colour by", "colour", state.options.colour, options=list(fl.NODE_COLOURS), horizontal=True
)
min_weight = shared.seeded(
    c3.slider,
    "Minimum co-mentions per link",
    "min_weight",
    state.options.min_weight,
    min_value=1,
    max_value=max(50, state.options.min_weight),
)
c4, c5 = st.columns([1, 2])
hide = shared.seeded(
    c4.pills,
    "Hide",
    "hide",
    list(state.options.hide),
    options=list(fl.NETWORK_HIDE),
    selection_mode="multi",
    format_func=HIDE_LABELS.get,
    help="Hiding countries shows how people and organisations connect among themselves.",
)
hide = tuple(h for h in fl.NETWORK_HIDE if h in (hide or []))
shared.set_options(level=level, colour=colour, min_weight=min_weight, hide=hide)

view = shared.view("network_view")
shown = dict(sorted(zip(view.nodes["entity_id"], view.nodes["name"]), key=lambda item: item[1].casefold()))
if st.session_state.get("w_find", None) not in (None, *shown):
    st.session_state["w_find"] = None  # the actor searched for is no longer shown: the search starts over
find = shared.seeded(
    c5.selectbox,
    "Find an actor",
    "find",
    state.options.find if state.options.find in shown else None,
    options=[None, *shown],
    format_func=lambda e: "—" if e is None else shown[e],
    help="Rings the actor, bolds their name and colours their links.",
)
if find != view.find:
    shared.set_options(find=find)
    view = shared.view("network_view")

if view.empty:
    shared.nothing_matches()
else:
    nodes, edges = view.nodes, view.edges
    st.plotly_chart(
        figure(view, colour, min_weight), key="network_chart", on_select=pick_node, selection_mode="points"
    )
    st.caption(
        f"{len(nodes)} actors, {len(edges)} links"
        + (f" ({view.hidden_edges} weaker links hidden by the minimum)" if view.hidden_edges else "")
        + " · click an actor or a table row to narrow the view to it."
    )
    drawn, whole = st.columns(2)
    drawn.download_button(
        "Drawn network (GraphML)",
        network.graphml(view.graph),
        file_name="network.graphml",
        mime="application/graphml+xml",
        help="The actors and links on the chart, with their communities and centrality.",
    )
    if export.can_export(st.session_state["_dataset"]):
        whole.download_button(
            "Whole network (GraphML)",
            data=partial(export.export_network, st.session_state["_dataset"], shared.current()),
            file_name="network-all.graphml",
            mime="application/graphml+xml",
            on_click="ignore",
            help="Every actor named in the filtered sentences and every link, however many (built when clicked).",
        )
    else:
        whole.caption("The whole network's export is not available on a dataset this large yet.")

    if view.focus:
        st.subheader(f"Sentences naming {shared.md(view.focus_name)}")
        st.button("Show the whole network", key="unfocus", on_click=shared.set_options, kwargs={"focus": None})
        shared.sentence_cards(view.sentences, shared.linked_query(actors=(view.focus,)))

    st.subheader("Actors by centrality")
    ids = list(nodes["entity_id"])
    st.dataframe(
        nodes[["name", "type", "country_name", "sector", "mentions", "community_name", "betweenness", "degree"]],
        hide_index=True,
        key="network_table",
        on_select=lambda: pick_row(ids),
        selection_mode="single-row",
        column_config={
            "name": "actor",
            "country_name": "country",
            "community_name": "community",
            "betweenness": st.column_config.NumberColumn(
                format="%.3f", help="Share of shortest paths through the actor"
            ),
            "degree": st.column_config.NumberColumn(format="%.3f", help="Share of the other actors linked to it"),
        },
    )
