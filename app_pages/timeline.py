"""Timeline: events at the precision of their dates, by type and modality, under a lane of milestones,
with counts per period; the window shown lives in the link."""

import datetime as dt

import pandas as pd
import plotly.express as px
import plotly.graph_objects as go
import streamlit as st
from plotly.subplots import make_subplots

from analysis import filters as fl
from analysis import palette
from analysis.views.timeline import LABEL_LEVELS, milestone_labels
from app_pages import _shared as shared

CHART_KEY = "timeline_chart"
PLOT_PX = "timeline_plot_px"  # session key: the events plot's width in the browser, for the milestone labels
ASSUMED_PLOT_PX = 840  # until the browser says: the plot of a 1400-pixel-wide window, so most screens need no rerun
# How a mark shows how exactly its date is known; month and year events also get a bar over their period.
PRECISION_MARKS = {
    "day": {"size": 11, "opacity": 1.0},
    "month": {"size": 11, "opacity": 0.9},
    "year": {"size": 11, "opacity": 0.9},
    "article": {"size": 7, "opacity": 0.45},
    palette.MISSING: {"size": 7, "opacity": 0.45},
}
PRECISION_LEGEND = {
    "day": "● day known",
    "month": "●━ month known (bar = the month)",
    "year": "●━ year known (bar = the year)",
    "article": "· publication day (no date in the text)",
}
PERIODS = ("month", "year")
LANE_PX = 26 * (LABEL_LEVELS + 1)
# Reports the window the reader zoomed or panned to (and the plot's width) so the link and the milestone
# labels follow it: Streamlit's plotly_chart reports selections only, not relayout events.
WINDOW_WATCHER = """
export default function(component) {
  const { setTriggerValue } = component;
  let chart = null, timer = null;
  const day = (value) => String(value).slice(0, 10);
  const report = () => {
    if (!chart || !chart._fullLayout || !chart.layout || !chart.layout.meta) return;
    const axis = chart._fullLayout.xaxis2, drawn = chart.layout.meta;
    const range = axis.range.map(String), width = Math.round(axis._length);
    const moved = day(range[0]) !== day(drawn.window[0]) || day(range[1]) !== day(drawn.window[1]);
    if (moved || Math.abs(width - drawn.labels_px) > 40) setTriggerValue('window', {range, width, moved});
  };
  const watch = () => {
    const found = document.querySelector('.st-key-timeline_chart .js-plotly-plot');
    if (!found || found === chart || !found.on || !found._fullLayout) return;
    chart = found;
    chart.on('plotly_relayout', () => { clearTimeout(timer); timer = setTimeout(report, 350); });
    report();
  };
  const poll = setInterval(watch, 300);
  watch();
  return () => { clearInterval(poll); clearTimeout(timer); };
}
"""
window_watcher = st.components.v2.component("newsint.timeline_window", js=WINDOW_WATCHER)


def as_date(stamp: pd.Timestamp) -> dt.date:
    """A window edge as a date."""
    return stamp.to_pydatetime().date()


def set_zoom(start: dt.date | None, end: dt.date | None) -> None:
    """Show the window from `start` to `end` (both included); None, None: the window that holds the data."""
    shared.set_options(zoom_from=start, zoom_to=end)


def zoom_typed() -> None:
    """Callback of the Show from / to inputs."""
    start, end = st.session_state.get("w_zoom_from"), st.session_state.get("w_zoom_to")
    if isinstance(start, dt.date) and isinstance(end, dt.date):
        set_zoom(min(start, end), max(start, end))


def zoom_dragged() -> None:
    """Callback of the window watcher: the reader zoomed, panned or resized the chart."""
    report = st.session_state.get("timeline_window_watcher", {}).get("window") or {}
    if report.get("width"):
        st.session_state[PLOT_PX] = int(report["width"])
    if report.get("moved") and len(report.get("range") or ()) == 2:
        try:
            start, end = (pd.Timestamp(r) for r in report["range"])
        except ValueError:
            return
        # The end the chart shows is exclusive: its last whole day is the one before.
        set_zoom(as_date(start), as_date(end - pd.Timedelta(milliseconds=1)))


def zoom_controls(view) -> None:
    """Show from / to inputs seeded with the window shown, and buttons back to the data's window or all dates."""
    start, end = view.window
    low, high = as_date(min(view.extent[0], start)), as_date(max(view.extent[1], end))
    # The inputs always show the window drawn; a change goes through the callback into the link.
    st.session_state["w_zoom_from"] = as_date(start)
    st.session_state["w_zoom_to"] = as_date(end - pd.Timedelta(days=1))
    c1, c2, c3, c4 = st.columns([2, 2, 1.3, 1.3], vertical_alignment="bottom")
    c1.date_input("Show from", key="w_zoom_from", min_value=low, max_value=high, on_change=zoom_typed)
    c2.date_input("Show to", key="w_zoom_to", min_value=low, max_value=high, on_change=zoom_typed)
    c3.button(
        "Fit to data",
        key="timeline_fit",
        on_click=set_zoom,
        args=(None, None),
        help="The span where most events lie; outliers stay on the range slider.",
    )
    c4.button(
        "All dates",
        key="timeline_all",
        on_click=set_zoom,
        args=(as_date(view.extent[0]), as_date(view.extent[1])),
    )


def event_traces(fig: go.Figure, events: pd.DataFrame) -> None:
    """One marker trace per type, modality and precision, and a bar over the period of month and year dates."""
    for (kind, modality, precision), part in events.groupby(["type", "modality", "precision"], sort=False):
        colour = palette.colour_of("type", kind)
        y = part["lane"] + part["offset"]
        if precision in PERIODS:
            fig.add_trace(period_bars(part["start"], part["end"], y, colour, precision), row=2, col=1)
        mark = PRECISION_MARKS.get(precision, PRECISION_MARKS[palette.MISSING])
        fig.add_trace(
            go.Scatter(
                x=part["x"],
                y=y,
                mode="markers",
                name=kind,
                legendgroup=kind,
                showlegend=False,
                meta={"precision": precision},
                opacity=mark["opacity"],
                marker={
                    "symbol": palette.MODALITY_SYMBOLS.get(modality, "circle"),
                    "size": mark["size"],
                    "color": colour,
                    "line": {"width": 1.5, "color": colour},
                },
                customdata=part[
                    ["event_id", "hover", "pair", "title_hover", "outlet", "modality", "when", "type"]
                ].to_numpy(),
                # Every value rides in customdata: text from the data is never part of the template itself.
                hovertemplate="<b>%{customdata[2]}</b> · %{customdata[7]} · %{customdata[5]}"
                "<br>date: %{customdata[6]}<br>%{customdata[1]}"
                "<br><i>%{customdata[3]} — %{customdata[4]}</i><extra></extra>",
            ),
            row=2,
            col=1,
        )


def period_bars(starts: pd.Series, ends: pd.Series, y: pd.Series, colour: str, precision: str) -> go.Scatter:
    """Horizontal bars from the first to the last day of each event's month or year."""
    xs, ys = [], []
    for start, end, lane in zip(starts, ends, y):
        xs += [start, end, None]
        ys += [lane, lane, None]
    return go.Scatter(
        x=xs,
        y=ys,
        mode="lines",
        line={"color": colour, "width": 3},
        opacity=0.5,
        hoverinfo="skip",
        showlegend=False,
        meta={"precision": precision, "bars": True},
    )


def stack_counts(fig: go.Figure, events: pd.DataFrame) -> None:
    """A count beside every pile of same-day events in a row; its hover lists them."""
    piles = events[events["stacked"] > 1].groupby(["lane", "x"], sort=False)
    if not len(piles):
        return
    summary = piles.agg(
        count=("event_id", "size"),
        top=("offset", "max"),
        names=("line", lambda lines: "<br>".join(list(lines)[:12]) + ("<br>…" if len(lines) > 12 else "")),
    ).reset_index()
    fig.add_trace(
        go.Scatter(
            x=summary["x"],
            y=summary["lane"],
            mode="text",
            text=["×" + str(n) for n in summary["count"]],
            textposition="middle right",
            textfont={"size": 10, "color": "#374151"},
            hovertext=[f"{n} events this day<br>{names}" for n, names in zip(summary["count"], summary["names"])],
            hoverinfo="text",
            showlegend=False,
            meta={"stack_counts": True},
            name="same-day events",
        ),
        row=2,
        col=1,
    )


def legend_entries(fig: go.Figure, types: list[str]) -> None:
    """Legend entries: the colour of each type, the symbol of each modality, the mark of each precision."""
    for kind in types:
        fig.add_trace(
            go.Scatter(
                x=[None],
                y=[None],
                mode="markers",
                name=kind,
                legendgroup=kind,
                marker={"symbol": "circle", "size": 10, "color": palette.colour_of("type", kind)},
            ),
            row=2,
            col=1,
        )
    grey = "#4b5563"
    for modality, symbol in palette.MODALITY_SYMBOLS.items():
        fig.add_trace(
            go.Scatter(
                x=[None],
                y=[None],
                mode="markers",
                name=modality,
                legend="legend2",
                legendgroup="modality",
                legendgrouptitle={"text": "modality"},
                marker={"symbol": symbol, "size": 10, "color": grey, "line": {"width": 1.5, "color": grey}},
            ),
            row=2,
            col=1,
        )
    for precision, label in PRECISION_LEGEND.items():
        mark = PRECISION_MARKS[precision]
        fig.add_trace(
            go.Scatter(
                x=[None],
                y=[None],
                mode="lines+markers" if precision in PERIODS else "markers",
                name=label.split(" ", 1)[1],
                legend="legend2",
                legendgroup="date",
                legendgrouptitle={"text": "date known to the"},
                opacity=mark["opacity"],
                line={"width": 3, "color": grey},
                marker={"symbol": "circle", "size": mark["size"], "color": grey},
            ),
            row=2,
            col=1,
        )


def milestone_lane(fig: go.Figure, view, width_px: float) -> None:
    """Milestones in their own lane above the events: a star each, labels where they fit, every title on hover."""
    milestones = view.milestones
    if not len(milestones):
        return
    fig.add_trace(
        go.Scatter(
            x=milestones["day"],
            y=[0] * len(milestones),
            mode="markers",
            marker={"symbol": "star", "size": 11, "color": "#111827"},
            name="milestone",
            showlegend=False,
            hovertext=[shared.escape(m) for m in milestones["label"]],
            hovertemplate="%{x|%Y-%m-%d}<br>%{hovertext}<extra>milestone</extra>",
        ),
        row=1,
        col=1,
    )
    for day in milestones["day"]:
        fig.add_shape(
            type="line",
            x0=day,
            x1=day,
            y0=0,
            y1=1,
            xref="x2",
            yref="y2 domain",
            line={"dash": "dot", "color": "#d1d5db", "width": 1},
        )
    labels = milestone_labels(milestones, view.window[0], view.window[1], width_px)
    for row in labels[labels["level"] >= 0].itertuples(index=False):
        fig.add_shape(
            type="line",
            x0=row.day,
            x1=row.day,
            y0=0.25,
            y1=row.level + 0.7,
            xref="x",
            yref="y",
            line={"color": "#9ca3af", "width": 1},
        )
        fig.add_annotation(
            x=row.day,
            y=row.level + 1,
            xref="x",
            yref="y",
            text=shared.escape(row.short),
            hovertext=shared.escape(row.label),
            showarrow=False,
            xanchor=row.anchor,
            yanchor="middle",
            font={"size": 11, "color": "#1f2937"},
            bgcolor="rgba(255,255,255,0.85)",
            name="milestone label",
        )


def timeline_figure(view, events: pd.DataFrame, width_px: float) -> go.Figure:
    """The milestone lane over the events, one shared time axis with a range slider, legends that fit."""
    rows = max(len(view.y_order), 1)
    events_px = max(320, 30 * rows + 40)
    fig = make_subplots(
        rows=2, cols=1, shared_xaxes=True, row_heights=[LANE_PX, events_px], vertical_spacing=0.03
    )
    milestone_lane(fig, view, width_px)
    event_traces(fig, events)
    stack_counts(fig, events)
    legend_entries(fig, [t for t in fl.EVENT_TYPES if t in set(events["type"])])
    start, end = view.window
    fig.update_layout(
        height=LANE_PX + events_px + 190,
        margin={"t": 10, "l": 10, "r": 10, "b": 10},
        dragmode="zoom",
        hovermode="closest",
        meta={"window": [start.isoformat(), end.isoformat()], "labels_px": width_px},
        # The type legend runs above the chart and the mark legend below the range slider: they cannot meet.
        legend={
            "orientation": "h",
            "title": {"text": "event type"},
            "x": 0,
            "y": 1.0,
            "yref": "container",
            "yanchor": "top",
            "font": {"size": 11},
        },
        legend2={
            "orientation": "h",
            "x": 0,
            "y": 0,
            "yref": "container",
            "yanchor": "bottom",
            "font": {"size": 11},
            "groupclick": "toggleitem",
        },
    )
    fig.update_xaxes(range=[start, end], showgrid=True)
    fig.update_xaxes(
        rangeslider={
            "visible": True,
            "thickness": 0.07,
        },
        row=2,
        col=1,
    )
    fig.update_yaxes(
        row=1,
        col=1,
        range=[-0.6, LABEL_LEVELS + 0.6],
        fixedrange=True,
        showgrid=False,
        zeroline=False,
        tickvals=[0],
        ticktext=["★ milestones"],
    )
    y_labels = [shared.escape(y, shared.LABEL) for y in view.y_order]
    fig.update_yaxes(
        row=2,
        col=1,
        range=[-0.6, rows - 0.4],
        fixedrange=True,
        zeroline=False,
        tickvals=[rows - 1 - i for i in range(len(y_labels))],
        ticktext=y_labels,
    )
    return fig


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
    zoom_controls(view)
    # Plotly reads tags in labels and hovers: text from the data is escaped first (known types and modalities
    # read the same escaped, so their colours and symbols still apply).
    events = view.events.assign(
        hover=[shared.wrap(e) for e in view.events["evidence"]],
        title_hover=[shared.wrap(t, lines=1) for t in view.events["title"]],
        pair=view.events["pair"].map(shared.escape),
        outlet=view.events["outlet"].map(shared.escape),
        type=view.events["type"].map(lambda t: shared.escape(t, shared.LABEL)),
        modality=view.events["modality"].map(lambda m: shared.escape(m, shared.LABEL)),
    )
    events["line"] = events["type"] + " · " + events["pair"]
    width_px = st.session_state.get(PLOT_PX, ASSUMED_PLOT_PX)
    fig = timeline_figure(view, events, width_px)

    def pick_event() -> None:
        """Remember the clicked event (and so show its evidence)."""
        picked = st.session_state[CHART_KEY].selection.points
        ids = [p["customdata"][0] for p in picked if p.get("customdata")]
        shared.set_options(event=ids[0] if ids else None)

    st.plotly_chart(
        fig,
        key=CHART_KEY,
        on_select=pick_event,
        selection_mode="points",
        config={"scrollZoom": False, "displaylogo": False},
    )
    window_watcher(key="timeline_window_watcher", on_window_change=zoom_dragged, height=0)
    shown = len(view.events)
    st.caption(
        f"{view.total:,} events"
        + (f"; {shown:,} are plotted, those in the window first" if shown < view.total else "")
        + " · colour: type · symbol: modality (● asserted ○ planned ◇ reported ✕ denied □ hypothetical)"
        + " · a bar spans the month or year an event is dated to; small faded marks carry only their article's"
        " publication day · ×N: N events the same day in that row · drag to zoom, double-click to see all"
        " · click an event to read its evidence."
    )

    with st.expander("Events as a table"):
        st.dataframe(
            pd.DataFrame(
                {
                    "date": view.events["when"],
                    "precision": view.events["precision"],
                    "type": view.events["type"],
                    "modality": view.events["modality"],
                    "source → target": view.events["pair"],
                    "sentence": view.events["evidence"],
                }
            ),
            hide_index=True,
            key="timeline_table",
        )

    if len(view.selected):
        event = view.selected.iloc[0]
        with st.container(border=True):
            st.markdown(
                f"**{shared.md(event['type'], shared.LABEL)}** · {shared.md(event['modality'], shared.LABEL)} · "
                f"{shared.md(event['pair'])} · {shared.md(str(event['day'])[:10])}"
            )
            st.text(event["evidence"])
            st.caption(f"{shared.md(event['title'])} · {shared.md(event['outlet'])}")
            st.page_link(
                shared.page("evidence"),
                label="Open its evidence",
                icon=":material/format_quote:",
                query_params=shared.linked_query(event=event["event_id"], article=event["article_id"]),
            )

    counts_shown = view.counts.assign(type=view.counts["type"].map(lambda t: shared.escape(t, shared.LABEL)))
    types = list(dict.fromkeys(counts_shown["type"]))
    counts = px.bar(
        counts_shown,
        x="period",
        y="events",
        color="type",
        height=300,
        color_discrete_map=palette.colour_map("type", types),
        category_orders={"type": [t for t in fl.EVENT_TYPES if t in types]},
        labels={"period": time_bin},
    )
    counts.update_layout(margin={"t": 10}, bargap=0.1, showlegend=False)
    counts.update_xaxes(range=list(view.window))
    st.subheader(f"Events per {time_bin}")
    st.caption("Colours as in the timeline above; the same window.")
    st.plotly_chart(counts, key="timeline_counts")
