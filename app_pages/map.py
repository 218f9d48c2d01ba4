"""Map: which places are named most. Countries as shaded outlines, cities and other places as bubbles on
top, a ranked table beside the map, and the pinned place's events and sentences under the table."""

import itertools

import plotly.graph_objects as go
import streamlit as st

from analysis import filters as fl
from analysis import geo
from analysis.views.map import MAP_HEIGHT
from app_pages import _shared as shared

LAYER_LABELS = {"both": "countries and cities", "cities": "cities and places", "countries": "countries"}
MODE_LABELS = {"mentions": "mentions", "events": "events there"}
FIT = "map_fit"  # session key: bumped by the view buttons, so the map moves even to a view it showed before
PANEL_HEIGHT = 420
HOVER = "<b>%{hovertext}</b>%{text}<extra></extra>"  # the place's name in bold, then hover_details()

st.title("Map of places")
state = shared.current()
with st.container(horizontal=True, vertical_alignment="bottom", gap="medium"):
    layer = shared.seeded(
        st.segmented_control,
        "Show",
        "map_layer",
        state.options.map_layer,
        options=list(fl.MAP_LAYERS),
        format_func=LAYER_LABELS.get,
        required=True,
    )
    mode = shared.seeded(
        st.radio,
        "Rank and size by",
        "map_mode",
        state.options.map_mode,
        options=list(fl.MAP_MODES),
        format_func=MODE_LABELS.get,
        horizontal=True,
    )
    basemap = shared.seeded(
        st.selectbox,
        "Background",
        "basemap",
        state.options.basemap,
        options=list(fl.BASEMAPS),
        format_func=lambda b: "country outlines (offline)" if b == "offline" else f"{b} tiles (online)",
        width=260,
    )
shared.set_options(map_layer=layer or "both", map_mode=mode or "mentions", basemap=basemap)


def move_map(at: str | None) -> None:
    """Open the map on a view (None: the one that fits the data) and keep it in the link."""
    st.session_state[FIT] = st.session_state.get(FIT, 0) + 1
    shared.set_options(map_at=at)


def hover_details(frame) -> list[str]:
    """What a hover says under the name: kind, country, both counts and the actors named with it, escaped."""
    return [
        f" · {shared.escape(r.kind, shared.LABEL)} · {shared.escape(r.country_name, shared.LABEL)}<br>"
        f"mentions {r.mentions} · events there {r.events}"
        + (f"<br>named with: {shared.wrap(r.top_actors, 60, 2)}" if r.top_actors else "")
        for r in frame.itertuples(index=False)
    ]


def country_layer(countries) -> list:
    """Countries filled in their own colour, stronger the more they are named; outline-less ones as faint discs."""
    traces = []
    outlined = countries[countries["outlined"]]
    if len(outlined):
        colours = list(outlined["colour"])
        # One colour per location: a step colour scale indexed by row number.
        steps = len(colours)
        scale = [
            [edge, colour]
            for i, colour in enumerate(colours)
            for edge in (i / steps, (i + 1) / steps)
        ]
        traces.append(
            go.Choroplethmap(
                geojson=geo.outlines_of(list(outlined["country"])),
                featureidkey="id",
                locations=list(outlined["country"]),
                z=[i + 0.5 for i in range(steps)],
                zmin=0,
                zmax=steps,
                colorscale=scale,
                showscale=False,
                marker={"opacity": list(outlined["shade"]), "line": {"width": 0.6, "color": "#ffffff"}},
                customdata=[[e] for e in outlined["entity_id"]],
                hovertext=[shared.escape(n) for n in outlined["name"]],
                text=hover_details(outlined),
                hovertemplate=HOVER,
                name="countries",
                showlegend=False,
            )
        )
    loose = countries[~countries["outlined"]]
    if len(loose):
        traces.append(
            go.Scattermap(
                lat=list(loose["lat"]),
                lon=list(loose["lon"]),
                mode="markers",
                marker={"size": 40, "color": list(loose["colour"]), "opacity": 0.18},
                customdata=[[e] for e in loose["entity_id"]],
                hovertext=[shared.escape(n) for n in loose["name"]],
                text=hover_details(loose),
                hovertemplate=HOVER,
                name="countries",
                showlegend=False,
            )
        )
    return traces


def bubble_layer(bubbles) -> list:
    """Cities and other places as one bubble trace (the biggest first, so smaller ones lie on top), outlined."""
    if not len(bubbles):
        return []
    # Scattermap markers have no outline: a slightly larger white disc under each bubble sets it off from a
    # country filled in the same colour.
    outline = go.Scattermap(
        lat=list(bubbles["lat"]),
        lon=list(bubbles["lon"]),
        mode="markers",
        marker={"size": list(bubbles["diameter"] + 3), "color": "#ffffff", "opacity": 0.9},
        hoverinfo="skip",
        name="outline",
        showlegend=False,
    )
    return [
        outline,
        go.Scattermap(
            lat=list(bubbles["lat"]),
            lon=list(bubbles["lon"]),
            mode="markers",
            marker={"size": list(bubbles["diameter"]), "color": list(bubbles["colour"]), "opacity": 0.85},
            customdata=[[e] for e in bubbles["entity_id"]],
            hovertext=[shared.escape(n) for n in bubbles["name"]],
            text=hover_details(bubbles),
            hovertemplate=HOVER,
            name="places",
            showlegend=False,
        )
    ]


def pinned_ring(view) -> list:
    """A dark ring under the pinned place's bubble, so the place being read about stands out."""
    pinned = view.bubbles[view.bubbles["entity_id"] == view.pinned]
    if not len(pinned):
        return []
    return [
        go.Scattermap(
            lat=list(pinned["lat"]),
            lon=list(pinned["lon"]),
            mode="markers",
            marker={"size": list(pinned["diameter"] + 12), "color": "#111827", "opacity": 0.55},
            hoverinfo="skip",
            name="pinned",
            showlegend=False,
        )
    ]


def map_figure(view, basemap: str) -> go.Figure:
    """The map: background, country layer, bubbles; opened on the view's centre and zoom."""
    fig = go.Figure(country_layer(view.countries) + pinned_ring(view) + bubble_layer(view.bubbles))
    fig.update_layout(
        height=MAP_HEIGHT,
        margin={"l": 0, "r": 0, "t": 0, "b": 0},
        map={
            "style": "white-bg" if basemap == "offline" else basemap,
            "center": {"lat": view.at.lat, "lon": view.at.lon},
            "zoom": view.at.zoom,
        },
        # The view a user panned to survives reruns (a click, a filter) until a view button asks for another.
        uirevision=f"{view.at.text()}|{st.session_state.get(FIT, 0)}",
        hoverlabel={"align": "left"},
    )
    if basemap == "offline":
        # Country outlines as map layers: a white background plus GeoJSON draws without any tile server.
        outlines = geo.country_outlines()
        fig.update_layout(
            map_layers=[
                {"sourcetype": "geojson", "source": outlines, "type": "fill", "color": "#f3f4f6", "below": "traces"},
                {
                    "sourcetype": "geojson",
                    "source": outlines,
                    "type": "line",
                    "color": "#9ca3af",
                    "line": {"width": 0.6},
                    "below": "traces",
                },
            ]
        )
    return fig


def pick_place() -> None:
    """Remember the clicked place in the view (and so in the URL)."""
    picked = st.session_state["map_chart"].selection.points
    ids = [p["customdata"][0] for p in picked if p.get("customdata")]
    shared.set_options(pin=ids[0] if ids else None)


def pick_row(key: str, ids: list[str]) -> None:
    """Pin the place of the selected table row, exactly as clicking its bubble does."""
    rows = st.session_state[key].selection.rows
    shared.set_options(pin=ids[rows[0]] if rows else None)


def ranked_table(view) -> None:
    """The places in the map's order; selecting a row pins its place."""
    ids = list(view.table["entity_id"])
    key = f"places_table_{view.pinned or ''}"  # a new table per pin, so the pinned row shows selected
    selected = [ids.index(view.pinned)] if view.pinned in ids else []
    st.dataframe(
        view.table,
        key=key,
        on_select=lambda: pick_row(key, ids),
        selection_mode="single-row",
        selection_default={"selection": {"rows": selected}},
        hide_index=True,
        height=300,
        column_order=["rank", "place", "code", "kind", "mentions", "events"],
        column_config={
            "rank": st.column_config.NumberColumn("#", width=30),
            "place": st.column_config.TextColumn("place", width=120),
            "code": st.column_config.TextColumn("country", width=58, help="ISO 3166 code of the place's country"),
            "kind": st.column_config.TextColumn("kind", width=56),
            "mentions": st.column_config.NumberColumn("mentions", help="Mentions in the filtered sentences"),
            "events": st.column_config.NumberColumn("events", help="Events that happen there"),
        },
    )


def pinned_panel(view) -> None:
    """The pinned place's events by date, then the sentences naming it, article by article."""
    st.markdown(f"**{shared.md(view.pinned_name)}** · {view.events_total} events · {view.sentences_total} sentences")
    with st.container(horizontal=True, gap="small"):
        if view.pinned_at is not None:
            st.button(
                "Zoom to it",
                key="zoom_to_pin",
                icon=":material/zoom_in:",
                on_click=move_map,
                args=(view.pinned_at.text(),),
            )
        st.button(
            "Clear selection", key="unpin", icon=":material/close:", on_click=shared.set_options, kwargs={"pin": None}
        )
    link_query = shared.linked_query(places=(view.pinned,))
    with st.container(height=PANEL_HEIGHT, border=False):
        pinned_events(view, link_query)
        pinned_sentences(view, link_query)


def pinned_events(view, link_query: dict) -> None:
    """The place's events, newest first: date, type, modality, source → target, the sentence, its evidence."""
    if not view.events_total:
        return
    shown = "" if view.events_total <= len(view.events) else f", latest {len(view.events)}"
    st.markdown(f"**Events** (newest first{shown})")
    for event in view.events.itertuples(index=False):
        with st.container(border=True):
            st.caption(
                f"{shared.md(event.date, shared.LABEL)} · {shared.md(event.type, shared.LABEL)} · "
                f"{shared.md(event.modality, shared.LABEL)} · {shared.md(event.pair)}"
            )
            st.text(event.evidence)  # st.text: article text is shown as plain text, never as markup
            st.page_link(
                shared.page("evidence"),
                label="Read in Evidence",
                icon=":material/format_quote:",
                query_params={**link_query, "event": event.event_id, "article": event.article_id},
            )


def pinned_sentences(view, link_query: dict) -> None:
    """The sentences naming the place, one card per article, newest article first."""
    st.markdown(f"**Sentences naming {shared.md(view.pinned_name)}**, by article")
    for article_id, rows in itertools.groupby(view.sentences.itertuples(index=False), key=lambda r: r.article_id):
        rows = list(rows)
        first = rows[0]
        day = str(first.published)[:10]
        with st.container(border=True):
            st.caption(
                f"{shared.md(first.title)} · {shared.md(first.source)} · {shared.md(day)} · "
                f"{shared.md(first.language, shared.LABEL)}"
            )
            for row in rows:
                st.text(row.sentence)
            st.page_link(
                shared.page("evidence"),
                label="Read in Evidence",
                icon=":material/format_quote:",
                query_params={**link_query, "article": article_id},
            )


view = shared.view("map_view")
if view.empty:
    shared.nothing_matches()
else:
    with st.container(horizontal=True, gap="medium"):
        with st.container(width="stretch"):
            st.plotly_chart(
                map_figure(view, basemap),
                key="map_chart",
                on_select=pick_place,
                selection_mode="points",
                config={"scrollZoom": True},
            )
            with st.container(horizontal=True, vertical_alignment="center"):
                st.caption(
                    f"{len(view.table)} places shown · colour: their country · countries shaded by "
                    f"{MODE_LABELS[view.mode]} · click a place, or a row, to read about it."
                )
                st.button("Fit to data", key="fit_map", icon=":material/fit_screen:", on_click=move_map, args=(None,))
                st.download_button(
                    "Places (GeoJSON)",
                    geo.geojson_text(geo.places_geojson(view.points)),
                    file_name="places.geojson",
                    mime="application/geo+json",
                    icon=":material/download:",
                )
        with st.container(width=420):
            ranked_table(view)
            if view.pinned:
                pinned_panel(view)
