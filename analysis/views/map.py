"""The Map page's data: places with their counts, companions and sentences."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from analysis.filters import ViewState
from analysis.views.dataset import Dataset, Selection, _names, select, sentence_rows


@dataclass(frozen=True)
class MapView:
    """Places to draw, and the sentences behind the selected one."""

    points: pd.DataFrame  # entity_id, name, country, country_name, lat, lon, mentions, events, size, top_actors
    mode: str
    pinned: str | None
    pinned_name: str | None
    sentences: pd.DataFrame
    empty: bool


def map_view(ds: Dataset, state: ViewState, sentence_limit: int = 25) -> MapView:
    """Places mentioned (or where events happen) with counts and the actors most often named with them."""
    sel = select(ds, state.filters)
    o = state.options
    n = len(ds.entities)
    mention_rows = sel.sentences[ds.arr("mentions", "sent")]
    mentions = np.bincount(ds.arr("mentions", "ent")[mention_rows], minlength=n)
    places = ds.arr("events", "place")
    at_place = sel.events & (places >= 0)
    events = np.bincount(places[at_place], minlength=n)
    ents = ds.entities
    size = events if o.map_mode == "events" else mentions
    shown = ds.arr("entities", "is_place") & (size > 0)
    numbers = np.flatnonzero(shown)
    points = pd.DataFrame(
        {
            "entity_id": ds.arr("entities", "entity_id")[numbers],
            "name": ds.arr("entities", "name")[numbers],
            "type": ds.arr("entities", "type")[numbers],
            "country": ds.arr("entities", "country")[numbers],
            "country_name": ds.arr("entities", "country_name")[numbers],
            "lat": ds.arr("entities", "lat")[numbers],
            "lon": ds.arr("entities", "lon")[numbers],
            "mentions": mentions[numbers],
            "events": events[numbers],
            "size": size[numbers],
        }
    )
    points["top_actors"] = _top_companions(ds, sel, numbers)
    points = points.sort_values("size", ascending=False).reset_index(drop=True)

    pinned = o.pin if o.pin in ds.entity_index else None
    sentences = pd.DataFrame(columns=["sentence", "title", "published", "source", "url", "article_id", "language"])
    if pinned:
        number = ds.entity_index[pinned]
        sents = np.unique(ds.se_sent[(ds.se_ent == number) & sel.sentences[ds.se_sent]])
        sentences = sentence_rows(ds, sents, sentence_limit)
    return MapView(
        points=points,
        mode=o.map_mode,
        pinned=pinned,
        pinned_name=ents["name"].iat[ds.entity_index[pinned]] if pinned else None,
        sentences=sentences,
        empty=len(points) == 0,
    )


def _pair_counts(ds: Dataset, sel: Selection) -> np.ndarray:
    """How many selected sentences name each entity pair together."""
    return np.bincount(ds.pair_code[sel.sentences[ds.pair_sent]], minlength=len(ds.pair_a))


def _top_companions(ds: Dataset, sel: Selection, places: np.ndarray, top: int = 3) -> list[str]:
    """For each place, the actors most often named in the same sentence, as 'Name (n), …'."""
    counts = _pair_counts(ds, sel)
    is_place = np.zeros(len(ds.entities), bool)
    is_place[places] = True
    actor = ds.arr("entities", "is_actor")
    a, b = ds.pair_a, ds.pair_b
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
