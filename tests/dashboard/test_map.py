"""The Map page's data step: ranking, layers, kinds of place, the fitted view, the view from a link, and the
pinned place's events and sentences."""

from __future__ import annotations

import json
import math

import numpy as np
import pandas as pd
import pytest

from analysis import geo, palette, views
from analysis.filters import Filters, Options, ViewState, read_partial_date


def pixel(lat: float, lon: float, at: geo.MapAt, width: float, height: float) -> tuple[float, float]:
    """Where a point falls on a Web Mercator map of 512-pixel tiles, nearest world copy to the centre."""
    scale = 512 * 2**at.zoom

    def x(lo: float) -> float:
        return (lo + 180) / 360 * scale

    def y(la: float) -> float:
        return (1 - math.log(math.tan(math.radians(la)) + 1 / math.cos(math.radians(la))) / math.pi) / 2 * scale

    px = min((x(lon + s) - x(at.lon) + width / 2 for s in (-360, 0, 360)), key=lambda v: abs(v - width / 2))
    return px, y(lat) - y(at.lat) + height / 2


@pytest.fixture(scope="module")
def parquet_counts(dataset_dir) -> pd.Series:
    """Mentions per entity id, counted straight from the stored mentions table."""
    return pd.read_parquet(dataset_dir / "mentions")["entity_id"].value_counts()


def test_map_table_ranks_places_by_the_chosen_measure(dataset, parquet_counts):
    by_mentions = views.map_view(dataset, ViewState()).table
    assert list(by_mentions["rank"]) == list(range(1, len(by_mentions) + 1))
    assert by_mentions["mentions"].is_monotonic_decreasing
    assert list(by_mentions["mentions"]) == [parquet_counts[e] for e in by_mentions["entity_id"]]
    by_events = views.map_view(dataset, ViewState(options=Options(map_mode="events"))).table
    assert by_events["events"].is_monotonic_decreasing and (by_events["events"] > 0).all()


def test_map_layers_split_countries_from_cities(dataset):
    both = views.map_view(dataset, ViewState())
    cities = views.map_view(dataset, ViewState(options=Options(map_layer="cities")))
    countries = views.map_view(dataset, ViewState(options=Options(map_layer="countries")))
    assert set(both.countries["entity_id"]) and set(both.bubbles["entity_id"])
    assert all(e.startswith("country:") for e in both.countries["entity_id"])
    assert not any(e.startswith("country:") for e in both.bubbles["entity_id"])
    assert len(cities.countries) == 0 and set(cities.table["entity_id"]) == set(both.bubbles["entity_id"])
    assert len(countries.bubbles) == 0 and set(countries.table["entity_id"]) == set(both.countries["entity_id"])
    # The export keeps every place the filters leave, whichever layer is drawn.
    exported = json.loads(geo.geojson_text(geo.places_geojson(cities.points)))
    assert {f["id"] for f in exported["features"]} == set(both.points["entity_id"])


def test_place_kinds_follow_the_ids_and_types():
    kinds = geo.place_kinds(
        np.array(["country:RUS", "city:2013348", "kursk", "kursk-oblast", "soviet-union"]),
        np.array(["GPE", "GPE", "GPE", "LOC", "GPE"]),
        np.array([True, False, False, False, True]),
    )
    assert list(kinds) == ["country", "city", "city", "other", "other"]


def test_place_colours_are_their_countrys_everywhere(dataset):
    all_places = views.map_view(dataset, ViewState()).points.set_index("entity_id")
    narrowed = views.map_view(dataset, ViewState(Filters(languages=(dataset.articles["language"].iat[0],))))
    for row in narrowed.points.itertuples(index=False):
        assert row.colour == all_places.loc[row.entity_id, "colour"] == palette.country_colour(row.country)
    missing = all_places[all_places["country"].isna()]
    assert (missing["colour"] == palette.MISSING_COLOUR).all()
    assert (missing["country_name"] == palette.MISSING).all()


@pytest.mark.parametrize(
    "places",
    [
        [(38.0, -97.0), (40.0, 127.0), (55.75, 37.62)],  # the United States, North Korea and Moscow
        [(43.1, 131.9), (61.2, -149.9)],  # Vladivostok and Anchorage: across the antimeridian
        [(39.03, 125.75)],  # one place
    ],
)
def test_fitted_view_shows_every_point(places):
    lats, lons = np.array(places).T
    at = geo.fit_view(lats, lons, 480, 560)
    for lat, lon in places:
        x, y = pixel(lat, lon, at, 480, 560)
        assert 0 <= x <= 480 and 0 <= y <= 560, (lat, lon, at)


def test_fitted_view_takes_the_short_way_across_the_pacific():
    at = geo.fit_view(np.array([43.1, 61.2]), np.array([131.9, -149.9]), 480, 560)
    assert abs(at.lon) > 150 and at.zoom >= 1.5


def test_map_view_opens_on_the_link_view_else_on_the_fit(dataset):
    fitted = views.map_view(dataset, ViewState())
    assert fitted.at == fitted.fitted
    linked = views.map_view(dataset, ViewState(options=Options(map_at="40.00,127.50,4.0")))
    assert (linked.at.lat, linked.at.lon, linked.at.zoom) == (40.0, 127.5, 4.0)
    assert geo.MapAt.parse(linked.at.text()) == linked.at


def test_pinned_place_events_newest_first_and_sentences_by_article(dataset, dataset_dir):
    events = pd.read_parquet(dataset_dir / "events")
    place = events["place_id"].value_counts().index[0]
    view = views.map_view(dataset, ViewState(options=Options(pin=place)))
    involved = events[(events["place_id"] == place) | (events["source_id"] == place) | (events["target_id"] == place)]
    assert view.events_total == len(involved)
    assert set(view.events["event_id"]) <= set(involved["event_id"])
    days = [read_partial_date(d) for d in view.events["date"]]
    assert days == sorted(days, reverse=True)
    # One block per article, newest article first.
    articles = list(dict.fromkeys(view.sentences["article_id"]))
    ids = list(view.sentences["article_id"])
    blocks = [a for i, a in enumerate(ids) if i == 0 or ids[i - 1] != a]
    assert blocks == articles
    published = view.sentences.drop_duplicates("article_id")["published"]
    assert published.is_monotonic_decreasing
    assert view.pinned_at is not None and view.pinned_at.zoom > view.fitted.zoom
