"""The Overview page's data: the corpus at a glance."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from analysis.filters import ViewState
from analysis.views.dataset import Dataset, _event_rows, _latest, select


@dataclass(frozen=True)
class OverviewView:
    """Corpus at a glance."""

    totals: dict[str, int]
    by_language: pd.DataFrame
    by_source: pd.DataFrame
    by_month: pd.DataFrame
    top_actors: pd.DataFrame
    latest_events: pd.DataFrame
    empty: bool


def overview_view(ds: Dataset, state: ViewState, top: int = 15) -> OverviewView:
    """Articles by language, source and month, the most named actors and the latest events."""
    sel = select(ds, state.filters)
    arts = np.flatnonzero(sel.articles)
    language = pd.Series(ds.arr("articles", "language")[arts]).value_counts()
    source = pd.Series(ds.arr("articles", "source")[arts]).value_counts()
    months = ds.arr("articles", "published")[arts].astype("datetime64[M]")
    by_month = (
        pd.DataFrame({"month": months, "language": ds.arr("articles", "language")[arts]})
        .dropna()
        .value_counts()
        .rename("articles")
        .reset_index()
        .sort_values("month")
    )
    by_month["month"] = pd.to_datetime(by_month["month"])

    mention_rows = sel.sentences[ds.arr("mentions", "sent")]
    counts = np.bincount(ds.arr("mentions", "ent")[mention_rows], minlength=len(ds.entities))
    actors = ds.entities.assign(mentions=counts)
    actors = actors[actors["is_actor"] & (actors["mentions"] > 0)].nlargest(top, "mentions")
    events = np.flatnonzero(sel.events)
    latest = _event_rows(ds, _latest(ds.arr("events", "day"), events, 10))
    return OverviewView(
        totals={
            "articles": int(len(arts)),
            "events": int(len(events)),
            "mentions": int(mention_rows.sum()),
            "sources": int(len(source)),
            "languages": int(len(language)),
        },
        by_language=language.rename_axis("language").rename("articles").reset_index(),
        by_source=source.rename_axis("source").rename("articles").reset_index(),
        by_month=by_month,
        top_actors=actors[["entity_id", "name", "type", "country", "country_name", "sector", "mentions"]].reset_index(
            drop=True
        ),
        latest_events=latest,
        empty=sel.empty,
    )
