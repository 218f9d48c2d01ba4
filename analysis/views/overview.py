"""The Overview page's data: the corpus at a glance."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from analysis.filters import ViewState
from analysis.views.dataset import Dataset, _event_rows, _latest, select
from analysis.views.query import is_query_dataset


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
    if is_query_dataset(ds):
        from analysis.views.query_views import query_overview_view

        return query_overview_view(ds, state, top)
    sel = select(ds, state.filters)
    arts = np.flatnonzero(sel.articles)
    language = _counts_by_code(ds, "language", arts)
    source = _counts_by_code(ds, "source", arts)
    # Month × language counted on integer codes: string value_counts costs ~100 ms at 100k articles.
    published = ds.arr("articles", "published")[arts]
    dated = ~np.isnat(published)
    months = published[dated].astype("datetime64[M]").astype(np.int64)
    codes = ds.arr("articles", "language_code")[arts][dated].astype(np.int64)
    n_languages = int(ds.arr("articles", "language_code").max(initial=-1)) + 1
    pairs, counts = np.unique(months * max(n_languages, 1) + codes, return_counts=True)
    names = pd.Categorical(ds.articles["language"]).categories.to_numpy()
    by_month = pd.DataFrame(
        {
            "month": pd.to_datetime((pairs // max(n_languages, 1)).astype("datetime64[M]")),
            "language": names[pairs % max(n_languages, 1)] if len(pairs) else np.array([], dtype=object),
            "articles": counts,
        }
    )

    mention_rows = sel.sentences[ds.arr("mentions", "sent")]
    counts = np.bincount(ds.arr("mentions", "ent")[mention_rows], minlength=len(ds.entities))
    actors = ds.entities.assign(mentions=counts)
    actors = actors[actors["is_actor"] & (actors["mentions"] > 0)].nlargest(top, "mentions")
    events = np.flatnonzero(sel.events)
    latest = _event_rows(ds, _latest(ds.arr("events", "day"), events, 10))
    return overview_of(int(len(arts)), int(len(events)), int(mention_rows.sum()), language, source, by_month, actors,
                       latest, sel.empty)


def overview_of(articles: int, events: int, mentions: int, language: pd.Series, source: pd.Series,
                by_month: pd.DataFrame, actors: pd.DataFrame, latest: pd.DataFrame, empty: bool) -> OverviewView:
    """The Overview from its counts, however they were computed (in memory or by queries)."""
    return OverviewView(
        totals={"articles": articles, "events": events, "mentions": mentions, "sources": int(len(source)),
                "languages": int(len(language))},
        by_language=language.rename_axis("language").rename("articles").reset_index(),
        by_source=source.rename_axis("source").rename("articles").reset_index(),
        by_month=by_month,
        top_actors=actors[["entity_id", "name", "type", "country", "country_name", "sector", "mentions"]].reset_index(
            drop=True
        ),
        latest_events=latest,
        empty=empty,
    )


def _counts_by_code(ds: Dataset, column: str, arts: np.ndarray) -> pd.Series:
    """Articles per value of a categorical column (language, source), most first, from its integer codes."""
    names = pd.Categorical(ds.articles[column]).categories.to_numpy()
    counts = np.bincount(ds.arr("articles", f"{column}_code")[arts], minlength=len(names))
    kept = np.flatnonzero(counts)
    order = kept[np.lexsort((names[kept].astype(str), -counts[kept]))]
    return pd.Series(counts[order], index=pd.Index(names[order], name=column), name="count")
