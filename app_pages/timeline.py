"""Timeline: events by date, type and modality, with counts per period and milestones."""

import pandas as pd
import plotly.express as px
import plotly.graph_objects as go
import streamlit as st

from analysis import filters as fl
from app_pages import _shared as shared

# Asserted events are solid; planned, reported, denied and hypothetical ones must not be mistaken for them.
SYMBOLS = {
    "asserted": "circle",
    "planned": "circle-open",
    "reported": "diamond-open",
    "denied": "x-thin-open",
    "hypothetical": "square-open",
}

# One fixed colour per PLOVER type, so a type keeps its colour whatever the filters leave.
TYPE_COLOURS = dict(zip(fl.EVENT_TYPES, px.colors.qualitative.Dark24))

MILESTONE_ROW = "★ milestones"

st.title("Timeline of events")
state = shared.current()
c1, c2 = st.columns(2)
y_axis = shared.seeded(
    c1.radio,
    "Rows",
    "y_axis",
    state.options.y_axis,
    options=list(fl.TIMELINE_AXES),
    format_func={"type": "event type", "pair": "actor pair"}.get,
    horizontal=True,
)
time_bin = shared.seeded(
    c2.radio, "Count per", "time_bin", state.options.time_bin, options=list(fl.TIME_BINS), horizontal=True
)
shared.set_options(y_axis=y_axis, time_bin=time_bin)

view = shared.view("timeline_view")
if view.empty:
    shared.nothing_matches()
else:
    # Plotly reads tags in labels and hovers: text from the data is escaped first.
    events = view.events.assign(
        hover=[shared.wrap(e) for e in view.events["evidence"]],
        title_hover=[shared.wrap(t, lines=1) for t in view.events["title"]],
        pair=view.events["pair"].map(shared.escape),
        y=view.events["y"].map(shared.escape),
        outlet=view.events["outlet"].map(shared.escape),
    )
    y_order = [shared.escape(y) for y in view.y_order]
    fig = go.Figure()
    # One trace per (type, modality): colour says the type, symbol the modality; the legend lists each
    # type once, and a second legend the modality symbols.
    for (kind, modality), part in events.groupby(["type", "modality"], sort=False):
        fig.add_trace(
            go.Scatter(
                x=part["day"],
                y=part["y"],
                mode="markers",
                name=kind,
                legendgroup=kind,
                showlegend=False,
                marker={
                    "symbol": SYMBOLS.get(modality, "circle"),
                    "size": 10,
                    "color": TYPE_COLOURS.get(kind, "#6b7280"),
                    "line": {"width": 1.5, "color": TYPE_COLOURS.get(kind, "#6b7280")},
                },
                customdata=part[["event_id", "hover", "pair", "title_hover", "outlet", "modality"]].to_numpy(),
                hovertemplate="<b>%{customdata[2]}</b> · %{x|%Y-%m-%d} · %{customdata[5]}<br>%{customdata[1]}"
                "<br><i>%{customdata[3]} — %{customdata[4]}</i><extra></extra>",
            )
        )
    for kind in [t for t in fl.EVENT_TYPES if t in set(events["type"])]:
        fig.add_trace(
            go.Scatter(
                x=[None],
                y=[None],
                mode="markers",
                name=kind,
                legendgroup=kind,
                marker={"symbol": "circle", "size": 10, "color": TYPE_COLOURS[kind]},
            )
        )
    for modality, symbol in SYMBOLS.items():
        fig.add_trace(
            go.Scatter(
                x=[None],
                y=[None],
                mode="markers",
                name=modality,
                legend="legend2",
                marker={"symbol": symbol, "size": 10, "color": "#4b5563", "line": {"width": 1.5, "color": "#4b5563"}},
            )
        )
    span = (view.events["day"].max() - view.events["day"].min()) or pd.Timedelta(days=1)
    last_label = None
    for row in view.milestones.itertuples(index=False):
        # A shape and an annotation rather than add_vline: its annotation breaks on date axes.
        fig.add_shape(
            type="line",
            x0=row.day,
            x1=row.day,
            y0=0,
            y1=1,
            yref="paper",
            line={"dash": "dot", "color": "#9ca3af", "width": 1},
        )
        # Label a milestone only if it stands clear of the last labelled one; all of them show on hover.
        if last_label is None or row.day - last_label > span * 0.06:
            fig.add_annotation(
                x=row.day,
                y=1.0,
                yref="paper",
                text=shared.escape(row.label)[:48],
                showarrow=False,
                textangle=-90,
                xanchor="right",
                yanchor="top",
                font={"size": 10, "color": "#374151"},
            )
            last_label = row.day
    if len(view.milestones):
        fig.add_trace(
            go.Scatter(
                x=view.milestones["day"],
                y=[MILESTONE_ROW] * len(view.milestones),
                mode="markers",
                marker={"symbol": "star", "size": 9, "color": "#111827"},
                name="milestone",
                legend="legend2",
                hovertext=[shared.escape(m) for m in view.milestones["label"]],
                hoverinfo="text+x",
            )
        )
    fig.update_layout(
        height=max(420, 26 * len(view.y_order) + 160),
        margin={"t": 10},
        yaxis={
            "categoryorder": "array",
            "title": "",
            "categoryarray": list(reversed(y_order)) + [MILESTONE_ROW] * bool(len(view.milestones)),
        },
        xaxis={"title": "date"},
        legend={"title": {"text": "event type"}, "y": 1},
        legend2={"title": {"text": "modality"}, "y": 0.25, "yanchor": "top"},
    )

    def pick_event() -> None:
        """Remember the clicked event (and so show its evidence)."""
        picked = st.session_state["timeline_chart"].selection.points
        ids = [p["customdata"][0] for p in picked if p.get("customdata")]
        shared.set_options(event=ids[0] if ids else None)

    st.plotly_chart(fig, key="timeline_chart", on_select=pick_event, selection_mode="points")
    shown = len(view.events)
    st.caption(
        f"{view.total:,} events"
        + (f"; the newest {shown:,} are plotted" if shown < view.total else "")
        + " · ● asserted ○ planned ◇ reported ✕ denied □ hypothetical · click an event to read its evidence."
    )

    if len(view.selected):
        event = view.selected.iloc[0]
        with st.container(border=True):
            st.markdown(
                f"**{event['type']}** · {event['modality']} · {shared.md(event['pair'])} · {str(event['day'])[:10]}"
            )
            st.text(event["evidence"])
            st.caption(f"{shared.md(event['title'])} · {shared.md(event['outlet'])}")
            st.page_link(
                shared.page("evidence"),
                label="Open its evidence",
                icon=":material/format_quote:",
                query_params=shared.linked_query(event=event["event_id"], article=event["article_id"]),
            )

    counts = px.bar(
        view.counts,
        x="period",
        y="events",
        color="type",
        height=300,
        color_discrete_map=TYPE_COLOURS,
        category_orders={"type": list(fl.EVENT_TYPES)},
        labels={"period": time_bin},
    )
    counts.update_layout(margin={"t": 10}, bargap=0.1)
    st.subheader(f"Events per {time_bin}")
    st.plotly_chart(counts, key="timeline_counts")
