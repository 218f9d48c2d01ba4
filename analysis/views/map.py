"""The Map page's data: places ranked by how often they are named, as a country layer and a layer of cities
and other places, the view that fits them, and the events and sentences of the pinned place."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from analysis import geo, palette
from analysis.filters import ViewState
from analysis.views.dataset import (
    Dataset,
    Selection,
    _day_numbers,
    _event_rows,
    _latest,
    _names,
    article_fields,
    select,
    sentence_text,
)
from analysis.views.query import is_query_dataset

# The map's size as the page draws it at 1400 px with the sidebar open; the fitted view is computed for it.
MAP_WIDTH = 480
MAP_HEIGHT = 560
ZOOM_TO_PLACE = {"city": 6.0, "other": 5.0, "country": 3.0}  # zoom of "Zoom to" a pinned place, by its kind
LAYER_KINDS = {"both": ("city", "other", "country"), "cities": ("city", "other"), "countries": ("country",)}
TABLE_COLUMNS = ["rank", "place", "country", "code", "kind", "mentions", "events", "entity_id"]
SENTENCE_COLUMNS = ["article_id", "title", "published", "source", "url", "language", "sentence"]
EVENT_COLUMNS = ["event_id", "date", "type", "modality", "pair", "evidence", "article_id", "title", "outlet"]


@dataclass(frozen=True)
class MapView:
    """Places to draw and rank, the view that shows them, and what the pinned place's sentences say."""

    points: pd.DataFrame  # every place the filters leave, most counted first: entity_id, name, kind, country, ...
    bubbles: pd.DataFrame  # cities and other places of the chosen layer, drawn as bubbles
    countries: pd.DataFrame  # countries of the chosen layer, drawn as shaded outlines
    table: pd.DataFrame  # the chosen layer's places ranked by the chosen measure (TABLE_COLUMNS)
    mode: str
    layer: str
    at: geo.MapAt  # the view the map opens on: the link's, else the fitted one
    fitted: geo.MapAt  # the view that shows every drawn place
    pinned: str | None
    pinned_name: str | None
    pinned_at: geo.MapAt | None  # a close view of the pinned place
    events: pd.DataFrame  # the pinned place's events, newest first (EVENT_COLUMNS)
    events_total: int
    sentences: pd.DataFrame  # sentences naming the pinned place, by article, newest article first
    sentences_total: int
    empty: bool


def map_view(ds: Dataset, state: ViewState, sentence_limit: int = 30, event_limit: int = 50) -> MapView:
    """Places mentioned (or where events happen) with counts, the actors most often named with them and a fit."""
    if is_query_dataset(ds):
        from analysis.views.query_views import query_map_view

        return query_map_view(ds, state, sentence_limit, event_limit)
    sel = select(ds, state.filters)
    n = len(ds.entities)
    mention_rows = sel.sentences[ds.arr("mentions", "sent")]
    mentions = np.bincount(ds.arr("mentions", "ent")[mention_rows], minlength=n)
    places = ds.arr("events", "place")
    at_place = sel.events & (places >= 0)
    events = np.bincount(places[at_place], minlength=n)
    pinned = state.options.pin if state.options.pin in ds.entity_index else None
    number = ds.entity_index[pinned] if pinned else -1
    event_rows = _pinned_events(ds, sel, number)
    sentence_numbers = _pinned_sentences(ds, sel, number)
    return assemble_map(
        ds,
        state,
        mentions,
        events,
        lambda numbers: _top_companions(ds, sel, numbers),
        _event_frame(ds, _latest(ds.arr("events", "day"), event_rows, event_limit)),
        len(event_rows),
        _sentence_frame(ds, sentence_numbers[:sentence_limit]),
        len(sentence_numbers),
    )


def assemble_map(
    ds,
    state: ViewState,
    mentions: np.ndarray,
    events: np.ndarray,
    companions,
    pinned_events: pd.DataFrame,
    events_total: int,
    pinned_sentences: pd.DataFrame,
    sentences_total: int,
) -> MapView:
    """The map's view from per-entity mention and event counts (however counted) and the pinned place's rows;
    `companions(place numbers)` gives each place's most named actors."""
    o = state.options
    size = events if o.map_mode == "events" else mentions
    other = mentions if o.map_mode == "events" else events
    shown = ds.arr("entities", "is_place") & (size > 0)
    numbers = np.flatnonzero(shown)
    points = _places(ds, numbers, mentions, events, size)
    points["top_actors"] = companions(numbers)
    # The chosen measure first, the other one breaking ties, then the name: a stable ranking.
    order = np.lexsort((points["name"].to_numpy(str), -other[numbers], -size[numbers]))
    points = points.iloc[order].reset_index(drop=True)

    drawn = points[points["kind"].isin(LAYER_KINDS[o.map_layer])].reset_index(drop=True)
    countries = drawn[drawn["kind"] == "country"].reset_index(drop=True)
    countries["shade"] = _shades(countries["size"].to_numpy())
    countries["outlined"] = countries["country"].isin(geo.outlined_countries()).to_numpy()
    bubbles = drawn[drawn["kind"] != "country"].reset_index(drop=True)
    bubbles["diameter"] = _diameters(bubbles["size"].to_numpy())
    fitted = geo.fit_view(drawn["lat"].to_numpy(), drawn["lon"].to_numpy(), MAP_WIDTH, MAP_HEIGHT)

    pinned = o.pin if o.pin in ds.entity_index else None
    number = ds.entity_index[pinned] if pinned else -1
    return MapView(
        points=points,
        bubbles=bubbles,
        countries=countries,
        table=_ranked_table(drawn),
        mode=o.map_mode,
        layer=o.map_layer,
        at=geo.MapAt.parse(o.map_at) or fitted,
        fitted=fitted,
        pinned=pinned,
        pinned_name=ds.entities["name"].iat[number] if pinned else None,
        pinned_at=_close_view(ds, number) if pinned else None,
        events=pinned_events,
        events_total=events_total,
        sentences=pinned_sentences,
        sentences_total=sentences_total,
        empty=len(points) == 0,
    )


def _places(
    ds: Dataset, numbers: np.ndarray, mentions: np.ndarray, events: np.ndarray, size: np.ndarray
) -> pd.DataFrame:
    """The places' names, kinds, countries (missing shown as palette.MISSING), colours, coordinates and counts."""
    countries = ds.arr("entities", "country")[numbers]
    known = np.array([isinstance(c, str) and c != "" for c in countries], bool)
    return pd.DataFrame(
        {
            "entity_id": ds.arr("entities", "entity_id")[numbers],
            "name": ds.arr("entities", "name")[numbers],
            "type": ds.arr("entities", "type")[numbers],
            "kind": geo.place_kinds(
                ds.arr("entities", "entity_id")[numbers],
                ds.arr("entities", "type")[numbers],
                ds.arr("entities", "is_actor")[numbers],
            ),
            "country": np.where(known, countries, None),
            "country_name": np.where(known, ds.arr("entities", "country_name")[numbers], palette.MISSING),
            "colour": [palette.country_colour(c) for c in countries],
            "lat": ds.arr("entities", "lat")[numbers],
            "lon": ds.arr("entities", "lon")[numbers],
            "mentions": mentions[numbers],
            "events": events[numbers],
            "size": size[numbers],
        }
    )


def _shades(counts: np.ndarray) -> np.ndarray:
    """Fill opacity of each country by its count: faint for the least named, strong for the most."""
    if not len(counts):
        return np.array([], float)
    return 0.1 + 0.4 * np.sqrt(counts / max(counts.max(), 1))


def _diameters(counts: np.ndarray, smallest: float = 7.0, largest: float = 34.0) -> np.ndarray:
    """Bubble diameters in pixels, area proportional to the count."""
    if not len(counts):
        return np.array([], float)
    return smallest + (largest - smallest) * np.sqrt(counts / max(counts.max(), 1))


def _ranked_table(drawn: pd.DataFrame) -> pd.DataFrame:
    """Rank, place, country (name and code), kind and both counts of the drawn places, in the map's order."""
    return pd.DataFrame(
        {
            "rank": np.arange(1, len(drawn) + 1),
            "place": drawn["name"].to_numpy(),
            "country": drawn["country_name"].to_numpy(),
            "code": drawn["country"].fillna(palette.MISSING).to_numpy(),
            "kind": drawn["kind"].to_numpy(),
            "mentions": drawn["mentions"].to_numpy(),
            "events": drawn["events"].to_numpy(),
            "entity_id": drawn["entity_id"].to_numpy(),
        },
        columns=TABLE_COLUMNS,
    )


def _close_view(ds: Dataset, number: int) -> geo.MapAt | None:
    """A view centred on one place, closer for a town than for a country."""
    lat, lon = ds.arr("entities", "lat")[number], ds.arr("entities", "lon")[number]
    if np.isnan(lat) or np.isnan(lon):
        return None
    kind = geo.place_kinds(
        ds.arr("entities", "entity_id")[[number]],
        ds.arr("entities", "type")[[number]],
        ds.arr("entities", "is_actor")[[number]],
    )[0]
    return geo.MapAt(lat, lon, ZOOM_TO_PLACE[kind])


def _pinned_events(ds: Dataset, sel: Selection, number: int) -> np.ndarray:
    """Selected events that happen at the place or have it as source or target."""
    if number < 0:
        return np.array([], np.int64)
    involved = ds.arr("events", "place") == number
    involved |= (ds.arr("events", "src") == number) | (ds.arr("events", "tgt") == number)
    return np.flatnonzero(sel.events & involved)


def _event_frame(ds: Dataset, rows: np.ndarray) -> pd.DataFrame:
    """The panel's event rows: date as the text gives it, type, source → target, sentence and article."""
    frame = _event_rows(ds, rows)
    frame["date"] = frame["date"].where(frame["date"].notna(), frame["day"].astype(str).str[:10])
    return frame[EVENT_COLUMNS].reset_index(drop=True)


def _pinned_sentences(ds: Dataset, sel: Selection, number: int) -> np.ndarray:
    """Sentence numbers naming the place, newest article first, each article's sentences in reading order."""
    if number < 0:
        return np.array([], np.int64)
    sents = np.unique(ds.se_sent[(ds.se_ent == number) & sel.sentences[ds.se_sent]])
    arts = ds.sent_art[sents]
    order = np.lexsort((ds.sent_index[sents], arts, -_day_numbers(ds.arr("articles", "published")[arts])))
    return sents[order]


def _sentence_frame(ds: Dataset, sents: np.ndarray) -> pd.DataFrame:
    """Sentences with their article's id, title, date, source, link and language (grouped rows stay together)."""
    fields = article_fields(ds, ds.sent_art[sents])
    return pd.DataFrame({**fields, "sentence": [sentence_text(ds, int(s)) for s in sents]}, columns=SENTENCE_COLUMNS)


def _pair_counts(ds: Dataset, sel: Selection) -> np.ndarray:
    """How many selected sentences name each entity pair together."""
    return np.bincount(ds.pair_code[sel.sentences[ds.pair_sent]], minlength=len(ds.pair_a))


def _top_companions(ds: Dataset, sel: Selection, places: np.ndarray, top: int = 3) -> list[str]:
    """For each place, the actors most often named in the same sentence, as 'Name (n), …'."""
    return companions_text(ds, ds.pair_a, ds.pair_b, _pair_counts(ds, sel), places, top)


def companions_text(
    ds, a: np.ndarray, b: np.ndarray, counts: np.ndarray, places: np.ndarray, top: int = 3
) -> list[str]:
    """Each place's `top` actors by sentences shared, from pair counts (entity pairs a < b in code order)."""
    is_place = np.zeros(len(ds.entities), bool)
    is_place[places] = True
    actor = ds.arr("entities", "is_actor")
    forward = (counts > 0) & is_place[a] & actor[b] & (a != b)
    backward = (counts > 0) & is_place[b] & actor[a] & (a != b)
    frame = pd.DataFrame(
        {
            "place": np.concatenate([a[forward], b[backward]]),
            "actor": np.concatenate([b[forward], a[backward]]),
            "n": np.concatenate([counts[forward], counts[backward]]),
        }
    )
    frame = frame.sort_values(["place", "n"], ascending=[True, False]).groupby("place").head(top)
    frame["text"] = _names(ds, frame["actor"].to_numpy()) + " (" + frame["n"].astype(str) + ")"
    joined = frame.groupby("place")["text"].agg(", ".join)
    return [joined.get(p, "") for p in places]
