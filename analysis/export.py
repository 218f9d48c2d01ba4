"""Full exports of what a view selects: every filtered (and searched) event, mention and article, never capped.

The frames are built for a view state exactly as the Evidence page selects rows (filters, then the search
words of `q`), newest first, and written as CSV (UTF-8, header row, empty cell = no value) or Parquet.
Their columns are stable; outside tools may rely on them:

events — one row per event
    event_id, date (as the text gives it: YYYY-MM-DD, YYYY-MM or YYYY), date_precision (day, month, year,
    article), day (YYYY-MM-DD the event is placed on), type, modality, mode (PLOVER: verbal or material, when given),
    source_id, source_name, target_id,
    target_name, place_id, place_name, trigger, evidence (the sentence), confidence, article_id, sentence
    (index within the article), title, published (YYYY-MM-DD), outlet, language, url

mentions — one row per name in a sentence
    article_id, sentence (index within the article), entity_id, entity_name, entity_type, surface (as
    written), start, end (character offsets into the article's text), sentence_text, title, published,
    outlet, language, url

articles — one row per article
    article_id, published, title, outlet, language, url, events, mentions (how many of the filtered events
    and mentions the article holds)

network (GraphML) — every actor named in the filtered sentences, not only those the Network page draws
    nodes: name, type, country, country_name, sector, mentions; edges: weight (sentences, or articles with
    level=article, naming both)

Ids, urls and dates are empty when unknown; names of a missing actor or place read "unknown".
"""

from __future__ import annotations

import io

import numpy as np
import pandas as pd

from analysis import network

from analysis.filters import ViewState
from analysis.views.dataset import Dataset, select
from analysis.views.evidence import (
    article_frame,
    event_frame,
    evidence_rows,
    mention_frame,
    newest_first,
)

EVENT_COLUMNS = {  # export column ← event_frame column
    "event_id": "event_id",
    "date": "date",
    "date_precision": "date_precision",
    "day": "day",
    "type": "type",
    "modality": "modality",
    "mode": "mode",
    "source_id": "source_id",
    "source_name": "source_name",
    "target_id": "target_id",
    "target_name": "target_name",
    "place_id": "place_id",
    "place_name": "place",
    "trigger": "trigger",
    "evidence": "evidence",
    "confidence": "confidence",
    "article_id": "article_id",
    "sentence": "sentence",
    "title": "title",
    "published": "published",
    "outlet": "outlet",
    "language": "language",
    "url": "url",
}
MENTION_COLUMNS = {
    "article_id": "article_id",
    "sentence": "sentence_index",
    "entity_id": "entity_id",
    "entity_name": "entity",
    "entity_type": "type",
    "surface": "surface",
    "start": "start",
    "end": "end",
    "sentence_text": "sentence",
    "title": "title",
    "published": "published",
    "outlet": "source",
    "language": "language",
    "url": "url",
}
ARTICLE_COLUMNS = {
    "article_id": "article_id",
    "published": "published",
    "title": "title",
    "outlet": "source",
    "language": "language",
    "url": "url",
    "events": "events",
    "mentions": "mentions",
}
DAY_COLUMNS = ("day", "published")


def _renamed(frame: pd.DataFrame, columns: dict[str, str]) -> pd.DataFrame:
    """The export's columns in order, days as ISO text (empty when unknown)."""
    out = pd.DataFrame({name: frame[source].to_numpy() for name, source in columns.items()})
    for name in DAY_COLUMNS:
        if name in out:
            days = pd.to_datetime(out[name])
            out[name] = days.dt.strftime("%Y-%m-%d").astype(object).where(days.notna(), None)
    return out


def export_events(ds: Dataset, state: ViewState) -> pd.DataFrame:
    """Every event the view selects, newest first."""
    rows = newest_first(ds.arr("events", "day"), evidence_rows(ds, state).events)
    return _renamed(event_frame(ds, rows), EVENT_COLUMNS)


def export_mentions(ds: Dataset, state: ViewState) -> pd.DataFrame:
    """Every mention the view selects, newest article first, then in reading order."""
    rows = evidence_rows(ds, state).mentions
    days = ds.arr("articles", "published")[ds.arr("mentions", "art")]
    rows = newest_first(days, rows, within=ds.arr("mentions", "start"))
    return _renamed(mention_frame(ds, rows), MENTION_COLUMNS)


def export_articles(ds: Dataset, state: ViewState) -> pd.DataFrame:
    """Every article the view selects, newest first, with its counts of filtered events and mentions."""
    rows = evidence_rows(ds, state)
    numbers = newest_first(ds.arr("articles", "published"), rows.articles)
    return _renamed(article_frame(ds, numbers, rows.article_events, rows.article_mentions), ARTICLE_COLUMNS)


def can_export(ds: object) -> bool:
    """True when the full exports can be built for this dataset (held in memory, not served by queries)."""
    from analysis.views.query import is_query_dataset

    return not is_query_dataset(ds)


def export_network(ds: Dataset, state: ViewState) -> str:
    """The whole co-mention network of the view's sentences as GraphML: every actor, every link, no cap."""
    from analysis.views.network import _edges  # the Network page's own pair counting, without its 60-node cut

    sel = select(ds, state.filters)
    in_view = sel.sentences[ds.arr("mentions", "sent")]
    mentioned = np.bincount(ds.arr("mentions", "ent")[in_view], minlength=len(ds.entities))
    actors = ds.arr("entities", "is_actor") & (mentioned > 0)
    edges = _edges(ds, sel, actors, state.options.level)
    ids = ds.arr("entities", "entity_id")
    numbers = np.flatnonzero(actors)
    nodes = pd.DataFrame(
        {
            "entity_id": ids[numbers],
            "name": ds.arr("entities", "name")[numbers],
            "type": ds.arr("entities", "type")[numbers],
            "country": ds.entities["country"].to_numpy()[numbers],
            "country_name": ds.arr("entities", "country_name")[numbers],
            "sector": ds.entities["sector"].to_numpy()[numbers],
            "mentions": mentioned[numbers],
        }
    )
    links = pd.DataFrame({"source": ids[edges["a"]], "target": ids[edges["b"]], "weight": edges["weight"].to_numpy()})
    return network.graphml(network.build_graph(nodes, links))


def to_csv_bytes(frame: pd.DataFrame) -> bytes:
    """A frame as UTF-8 CSV with a header row."""
    return frame.to_csv(index=False).encode("utf-8")


def to_parquet_bytes(frame: pd.DataFrame) -> bytes:
    """A frame as a Parquet file."""
    buffer = io.BytesIO()
    frame.to_parquet(buffer, index=False)
    return buffer.getvalue()


EXPORTS = {"events": export_events, "mentions": export_mentions, "articles": export_articles}


def export_bytes(ds: Dataset, state: ViewState, table: str, file_format: str) -> bytes:
    """One table of the view as CSV or Parquet bytes (what a download button hands over)."""
    frame = EXPORTS[table](ds, state)
    return to_parquet_bytes(frame) if file_format == "parquet" else to_csv_bytes(frame)


__all__ = [
    "export_articles",
    "export_bytes",
    "export_events",
    "export_mentions",
    "export_network",
    "to_csv_bytes",
    "to_parquet_bytes",
]
