"""Map: places named in the news, sized by mentions or events, coloured by country."""

import plotly.express as px
import streamlit as st

from analysis import filters as fl
from analysis import geo
from app_pages import _shared as shared

st.title("Map of places")
state = shared.current()
left, right = st.columns([2, 1])
mode = shared.seeded(
    left.radio,
    "Bubble size",
    "map_mode",
    state.options.map_mode,
    options=list(fl.MAP_MODES),
    horizontal=True,
    format_func={"mentions": "places mentioned", "events": "places where events happen"}.get,
)
basemap = shared.seeded(
    right.selectbox,
    "Background",
    "basemap",
    state.options.basemap,
    options=list(fl.BASEMAPS),
    format_func=lambda b: "country outlines (works offline)" if b == "offline" else f"{b} tiles (online)",
)
shared.set_options(map_mode=mode, basemap=basemap)

view = shared.view("map_view")
if view.empty:
    shared.nothing_matches()
else:
    # Plotly reads tags in hovers: names from the data are escaped first.
    points = view.points.assign(
        name=lambda f: f["name"].map(shared.escape), top_actors=lambda f: f["top_actors"].map(shared.escape)
    )
    fig = px.scatter_map(
        points,
        lat="lat",
        lon="lon",
        size="size",
        color="country_name",
        hover_name="name",
        hover_data={
            "mentions": True,
            "events": True,
            "top_actors": True,
            "lat": False,
            "lon": False,
            "size": False,
            "country_name": False,
        },
        labels={"top_actors": "named with", "country_name": "country"},
        custom_data=["entity_id"],
        size_max=45,
        color_discrete_sequence=px.colors.qualitative.Dark24,
        zoom=1.3,
        center={"lat": 45, "lon": 95},
        height=620,
        map_style="white-bg" if basemap == "offline" else basemap,
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
    # Legend under the map, so the map itself takes the page's full width.
    fig.update_layout(
        margin={"l": 0, "r": 0, "t": 0, "b": 0},
        legend_title_text="country",
        legend={"orientation": "h", "yanchor": "top", "y": -0.02, "xanchor": "left", "x": 0},
    )

    def pick_place() -> None:
        """Remember the clicked place in the view (and so in the URL)."""
        points_picked = st.session_state["map_chart"].selection.points
        ids = [p["customdata"][0] for p in points_picked if p.get("customdata")]
        shared.set_options(pin=ids[0] if ids else None)

    st.plotly_chart(fig, key="map_chart", on_select=pick_place, selection_mode="points", config={"scrollZoom": True})
    st.caption(f"{len(points)} places · click a bubble to read the sentences that name it.")
    st.download_button(
        "Places (GeoJSON)",
        geo.geojson_text(geo.places_geojson(points)),
        file_name="places.geojson",
        mime="application/geo+json",
    )

    if view.pinned:
        st.subheader(f"Sentences naming {shared.md(view.pinned_name)}")
        st.button("Clear selection", key="unpin", on_click=shared.set_options, kwargs={"pin": None})
        shared.sentence_cards(view.sentences, shared.linked_query(places=(view.pinned,)))
