"""The Map page in a real browser: the ranked table, the two layers, the fitted view, the view in the link and
the pinned place's events. Counts are recomputed here from the Parquet tables, not taken from the app."""

from __future__ import annotations

import pandas as pd
import pytest

from analysis import views
from analysis.filters import Options, ViewState

from .browser import query_of, wait_for_charts

PLACE_TYPES = ("GPE", "LOC", "FAC")
# Every drawn point of the map: its id, trace, and pixel (the copy of the world nearest the canvas centre).
DRAWN_POINTS = """() => {
  const g = document.querySelector('.js-plotly-plot');
  const map = g._fullLayout.map._subplot.map, canvas = map.getCanvas();
  const w = canvas.clientWidth, h = canvas.clientHeight, out = [];
  g._fullData.forEach((trace, i) => g.calcdata[i].forEach((c, j) => {
    if (!c.lonlat || !trace.customdata) return;
    const copies = [-360, 0, 360].map(s => map.project([c.lonlat[0] + s, c.lonlat[1]]));
    const off = q => Math.hypot(q.x - w / 2, q.y - h / 2);
    const p = copies.reduce((a, b) => off(a) <= off(b) ? a : b);
    out.push({id: trace.customdata[j][0], uid: trace.uid, type: trace.type, x: p.x, y: p.y, w: w, h: h});
  }));
  return out;
}"""
# The map layer drawn on top at each given pixel (MapLibre lists rendered features topmost first).
TOPMOST_LAYER = """(points) => {
  const map = document.querySelector('.js-plotly-plot')._fullLayout.map._subplot.map;
  return points.map(p => { const f = map.queryRenderedFeatures([p.x, p.y]); return f.length ? f[0].layer.id : null; });
}"""
MAP_CENTRE = """() => {
  const map = document.querySelector('.js-plotly-plot')._fullLayout.map._subplot.map, c = map.getCenter();
  return {lat: c.lat, lon: c.lng, zoom: map.getZoom(), w: map.getCanvas().clientWidth, h: map.getCanvas().clientHeight};
}"""
TABLE_ROWS = """() => [...document.querySelectorAll('[data-testid=stDataFrame] tbody tr')].map(
  tr => [...tr.querySelectorAll('td')].map(td => td.innerText))"""
ROW_HEIGHT = 35  # Streamlit's dataframe rows and header, in pixels


@pytest.fixture(scope="module")
def default_map(shared_context, server):
    """The Map page opened without parameters, shared by the tests that only read it."""
    tab = shared_context.new_page()
    open_map(tab, server)
    yield tab
    tab.close()


@pytest.fixture(scope="module")
def place_mentions(dataset_dir) -> pd.DataFrame:
    """Mentions per located place, counted straight from the Parquet tables: entity_id, name, mentions."""
    entities = pd.read_parquet(dataset_dir / "entities")
    mentions = pd.read_parquet(dataset_dir / "mentions")
    located = entities[entities["type"].isin(PLACE_TYPES) & entities["lat"].notna() & entities["lon"].notna()]
    counts = mentions["entity_id"].value_counts().rename("mentions")
    return located[["entity_id", "name"]].join(counts, on="entity_id").dropna().astype({"mentions": int})


def open_map(page, server: str, query: str = "") -> None:
    """Open the Map page and wait until the map has drawn."""
    page.goto(f"{server}/map{'?' + query if query else ''}")
    wait_for_charts(page, 1)


def test_ranked_table_lists_the_most_mentioned_places_first(default_map, place_mentions):
    page = default_map
    page.wait_for_function("() => document.querySelectorAll('[data-testid=stDataFrame] tbody tr').length >= 5")
    rows = page.evaluate(TABLE_ROWS)[:5]
    top = sorted(place_mentions["mentions"], reverse=True)[:5]
    assert [int(r[0]) for r in rows] == [1, 2, 3, 4, 5]
    assert [int(r[4]) for r in rows] == top
    counts = place_mentions.groupby("name")["mentions"].agg(set)
    assert all(int(r[4]) in counts[r[1]] for r in rows), rows


def test_selecting_a_table_row_pins_its_place(server, page, dataset):
    table = views.map_view(dataset, ViewState()).table
    open_map(page, server)
    grid = page.get_by_test_id("stDataFrame")
    grid.wait_for()
    box = grid.bounding_box()
    third = 2
    page.mouse.click(box["x"] + 16, box["y"] + ROW_HEIGHT * (third + 1) + ROW_HEIGHT / 2)
    expected = table["entity_id"].iat[third]
    page.wait_for_url(lambda url: query_of(url).get("pin") == [expected])
    # The pinned place's panel opens beside the table, on the first screen.
    title = page.get_by_text(f"Sentences naming {table['place'].iat[third]}").first
    panel = page.get_by_text("Events (newest first").or_(title).first
    panel.wait_for()
    assert panel.bounding_box()["y"] < 1000


def test_cities_layer_draws_no_country(server, page, dataset):
    expected = views.map_view(dataset, ViewState(options=Options(map_layer="cities"))).bubbles
    open_map(page, server, "layer=cities")
    drawn = page.evaluate(DRAWN_POINTS)
    assert sorted(p["id"] for p in drawn) == sorted(expected["entity_id"])
    assert not any(p["id"].startswith("country:") for p in drawn)
    types = page.evaluate("() => document.querySelector('.js-plotly-plot')._fullData.map(t => t.type)")
    assert set(types) == {"scattermap"}  # no country outline filled


def test_no_city_lies_under_a_country(default_map, dataset):
    page = default_map
    view = views.map_view(dataset, ViewState())
    cities = set(view.bubbles.loc[view.bubbles["kind"] == "city", "entity_id"])
    drawn = page.evaluate(DRAWN_POINTS)
    holds_country = {p["uid"] for p in drawn if p["id"].startswith("country:")}
    shown = [p for p in drawn if p["id"] in cities and 0 <= p["x"] < p["w"] and 0 <= p["y"] < p["h"]]
    assert len(shown) == len(cities) > 0
    on_top = page.evaluate(TOPMOST_LAYER, shown)
    # On top at each city's own pixel lies a bubble of the trace drawing that city, a trace with no country in it.
    for city, layer in zip(shown, on_top, strict=True):
        assert layer and city["uid"] in layer and city["uid"] not in holds_country, (city["id"], layer)


def test_initial_view_shows_every_drawn_place(default_map, dataset):
    page = default_map
    view = views.map_view(dataset, ViewState())
    drawn = page.evaluate(DRAWN_POINTS)
    assert {p["id"] for p in drawn} >= set(view.bubbles["entity_id"])
    outside = [p["id"] for p in drawn if not (0 <= p["x"] <= p["w"] and 0 <= p["y"] <= p["h"])]
    assert not outside
    # The countries, drawn as outlines, have their centres inside the canvas too.
    centres = page.evaluate(
        """(points) => { const map = document.querySelector('.js-plotly-plot')._fullLayout.map._subplot.map;
           const c = map.getCanvas();
           return points.filter(([lon, lat]) => ![-360, 0, 360].some(s => { const p = map.project([lon + s, lat]);
             return p.x >= 0 && p.x <= c.clientWidth && p.y >= 0 && p.y <= c.clientHeight; })); }""",
        view.countries[["lon", "lat"]].values.tolist(),
    )
    assert not centres


def test_a_link_with_a_map_view_opens_on_it_and_zoom_to_writes_it(server, page, dataset):
    place = views.map_view(dataset, ViewState()).table.query("kind == 'city'")["entity_id"].iat[0]
    pinned = views.map_view(dataset, ViewState(options=Options(pin=place)))
    open_map(page, server, f"pin={place}&at=10.00,-20.50,4.0")
    centre = page.evaluate(MAP_CENTRE)
    assert centre["lat"] == pytest.approx(10.0, abs=0.05)
    assert centre["lon"] == pytest.approx(-20.5, abs=0.05)
    assert centre["zoom"] == pytest.approx(4.0, abs=0.05)

    page.get_by_role("button", name="Zoom to it").click()
    page.wait_for_url(lambda url: query_of(url).get("at") == [pinned.pinned_at.text()])
    page.wait_for_function(
        # The chart is briefly gone while the page reruns: wait through that rather than fail on it.
        "([lat, lon]) => { const g = document.querySelector('.js-plotly-plot');"
        " const m = g && g._fullLayout && g._fullLayout.map && g._fullLayout.map._subplot.map; if (!m) return false;"
        " const c = m.getCenter(); return Math.abs(c.lat - lat) < 0.05 && Math.abs(c.lng - lon) < 0.05; }",
        arg=[pinned.pinned_at.lat, pinned.pinned_at.lon],
    )


def test_pinned_place_lists_its_events_newest_first(server, page, dataset_dir):
    events = pd.read_parquet(dataset_dir / "events")
    place = events["place_id"].value_counts().index[0]
    own = events[(events["place_id"] == place) | (events["source_id"] == place) | (events["target_id"] == place)]
    open_map(page, server, f"pin={place}")
    page.get_by_text("Events (newest first").first.wait_for()
    captions = page.get_by_test_id("stCaptionContainer").all_inner_texts()
    dates = [c.split(" · ")[0] for c in captions if c[:4].isdigit() and c.count(" · ") >= 3]
    assert len(dates) == min(len(own), 50)
    padded = [d + "-01-01"[len(d) - 4 :] if len(d) < 10 else d for d in dates]
    assert padded == sorted(padded, reverse=True)
    assert set(dates) <= set(own["date"].dropna())
