"""Network: actors named together, with communities and centrality."""

import numpy as np
import plotly.graph_objects as go
import streamlit as st

from analysis import filters as fl
from analysis import network
from app_pages import _shared as shared

PALETTE = (
    "#1f77b4",
    "#d62728",
    "#2ca02c",
    "#ff7f0e",
    "#9467bd",
    "#8c564b",
    "#e377c2",
    "#17becf",
    "#bcbd22",
    "#7f7f7f",
    "#393b79",
    "#ad494a",
)

LABELS = 25

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
shared.set_options(level=level, colour=colour, min_weight=min_weight)

view = shared.view("network_view")
if view.empty:
    shared.nothing_matches()
else:
    nodes, edges = view.nodes, view.edges
    fig = go.Figure()
    # One trace per width band: plotly draws one line width per trace.
    if len(edges):
        bands = np.minimum(1 + np.log2(edges["weight"].to_numpy() / max(min_weight, 1)).astype(int), 8)
        for band in sorted(set(bands)):
            part = edges[bands == band]
            xs = np.column_stack([part["x0"], part["x1"], np.full(len(part), np.nan)]).ravel()
            ys = np.column_stack([part["y0"], part["y1"], np.full(len(part), np.nan)]).ravel()
            fig.add_trace(
                go.Scatter(
                    x=xs,
                    y=ys,
                    mode="lines",
                    line={"width": 0.6 + band, "color": "rgba(100,116,139,0.45)"},
                    hoverinfo="skip",
                    showlegend=False,
                )
            )
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
    key = {"country": "country_name", "sector": "sector", "community": "community"}[colour]
    sizes = 12 + 38 * np.sqrt(nodes["mentions"] / max(nodes["mentions"].max(), 1))
    # Name the most mentioned actors on the chart; the rest show their name on hover, keeping it legible.
    labelled = set(nodes.nlargest(LABELS, "mentions")["entity_id"])
    for i, (group, part) in enumerate(nodes.groupby(key, sort=True)):
        fig.add_trace(
            go.Scatter(
                x=part["x"],
                y=part["y"],
                mode="markers+text",
                name=str(group),
                text=[shared.escape(n) if e in labelled else "" for n, e in zip(part["name"], part["entity_id"])],
                textposition="top center",
                customdata=part[["entity_id"]].to_numpy(),
                hoverinfo="text",
                hovertext=[
                    f"<b>{shared.escape(n)}</b><br>{m} mentions<br>community {c}"
                    for n, m, c in zip(part["name"], part["mentions"], part["community"])
                ],
                marker={
                    "size": sizes[part.index],
                    "color": PALETTE[i % len(PALETTE)],
                    "line": {"width": 1, "color": "white"},
                },
            )
        )
    fig.update_layout(
        height=640,
        margin={"l": 0, "r": 0, "t": 10, "b": 0},
        legend_title_text=colour,
        xaxis={"visible": False},
        yaxis={"visible": False, "scaleanchor": "x"},
        dragmode="pan",
        clickmode="event+select",
    )

    def pick_node() -> None:
        """Narrow the view to the clicked actor (clicking the background clears it)."""
        picked = st.session_state["network_chart"].selection.points
        ids = [p["customdata"][0] for p in picked if p.get("customdata")]
        shared.set_options(focus=ids[0] if ids else None)

    st.plotly_chart(fig, key="network_chart", on_select=pick_node, selection_mode="points")
    st.caption(
        f"{len(nodes)} actors, {len(edges)} links"
        + (f" ({view.hidden_edges} weaker links hidden by the minimum)" if view.hidden_edges else "")
        + " · click an actor to narrow the view to it."
    )
    st.download_button(
        "Network (GraphML)", network.graphml(view.graph), file_name="network.graphml", mime="application/graphml+xml"
    )

    if view.focus:
        st.subheader(f"Sentences naming {shared.md(view.focus_name)}")
        st.button("Show the whole network", key="unfocus", on_click=shared.set_options, kwargs={"focus": None})
        shared.sentence_cards(view.sentences, shared.linked_query(actors=(view.focus,)))

    st.subheader("Communities and centrality")
    table = nodes[["name", "type", "country_name", "sector", "mentions", "community", "degree", "betweenness"]]
    st.dataframe(
        table.sort_values(["community", "mentions"], ascending=[True, False]),
        hide_index=True,
        column_config={
            "degree": st.column_config.NumberColumn(format="%.3f"),
            "betweenness": st.column_config.NumberColumn(format="%.3f"),
            "country_name": "country",
        },
    )
