"""The Evidence page's data: filtered events and mentions with their sentences, and the article reader."""

from __future__ import annotations

from dataclasses import dataclass

import html

import numpy as np
import pandas as pd

from analysis.filters import ViewState
from analysis.views.dataset import TYPE_COLOURS, Dataset, _event_rows, _latest, select, sentence_text


@dataclass(frozen=True)
class EvidenceView:
    """The filtered events and mentions with their sentences, and the article open in the reader."""

    events: pd.DataFrame
    events_total: int
    mentions: pd.DataFrame
    mentions_total: int
    selected_event: pd.DataFrame
    article: dict | None  # title, published, source, url, language, html (escaped, entities highlighted)
    empty: bool


def evidence_view(ds: Dataset, state: ViewState, limit: int = 500) -> EvidenceView:
    """The newest `limit` filtered events and mentions, the selected event and the article to read."""
    f, o = state.filters, state.options
    sel = select(ds, f)
    events = np.flatnonzero(sel.events)
    event_rows = _event_rows(ds, _latest(ds.arr("events", "day"), events, limit))

    mention_ok = sel.sentences[ds.arr("mentions", "sent")]
    named = [ds.entity_index[i] for i in f.actors + f.places if i in ds.entity_index]
    if named:  # with actors or places chosen, list their mentions rather than every co-mention
        mention_ok &= np.isin(ds.arr("mentions", "ent"), named)
    mention_numbers = np.flatnonzero(mention_ok)
    published = ds.arr("articles", "published")[ds.arr("mentions", "art")]
    mention_numbers = _latest(published, mention_numbers, limit)
    mentions = _mention_rows(ds, mention_numbers)

    selected = pd.DataFrame()
    article_id = o.article
    if o.event:
        match = np.flatnonzero(ds.arr("events", "event_id") == o.event)
        selected = _event_rows(ds, match[:1])
        if article_id is None and len(selected):
            article_id = selected["article_id"].iat[0]
    article = article_reader(ds, article_id, highlight_sentence=_event_sentence(ds, o.event)) if article_id else None
    return EvidenceView(
        events=event_rows,
        events_total=len(events),
        mentions=mentions,
        mentions_total=int(mention_ok.sum()),
        selected_event=selected,
        article=article,
        empty=sel.empty,
    )


def _event_sentence(ds: Dataset, event_id: str | None) -> int | None:
    """The sentence number of an event, to highlight it in the reader."""
    if not event_id:
        return None
    match = np.flatnonzero(ds.arr("events", "event_id") == event_id)
    return int(ds.arr("events", "sent")[match[0]]) if len(match) else None


def _mention_rows(ds: Dataset, numbers: np.ndarray) -> pd.DataFrame:
    """Mentions with their entity, sentence and article."""
    arts = ds.arr("mentions", "art")[numbers]
    ents = ds.arr("mentions", "ent")[numbers]
    sentence_cache: dict[int, str] = {}
    sentences = []
    for s in ds.arr("mentions", "sent")[numbers]:
        if s not in sentence_cache:
            sentence_cache[s] = sentence_text(ds, int(s))
        sentences.append(sentence_cache[s])
    return pd.DataFrame(
        {
            "entity": ds.arr("entities", "name")[ents],
            "type": ds.arr("entities", "type")[ents],
            "surface": ds.arr("mentions", "surface")[numbers],
            "sentence": sentences,
            "title": ds.arr("articles", "title")[arts],
            "published": ds.arr("articles", "published")[arts],
            "source": ds.arr("articles", "source")[arts],
            "url": ds.arr("articles", "url")[arts],
            "article_id": ds.arr("articles", "article_id")[arts],
            "language": ds.arr("articles", "language")[arts],
        }
    )


def article_reader(ds: Dataset, article_id: str, highlight_sentence: int | None = None) -> dict | None:
    """An article's text as safe HTML: every character escaped, entity mentions wrapped in <mark>."""
    number = ds.article_index.get(article_id)
    if number is None:
        return None
    a = ds.articles.iloc[number]
    text = a["text"]
    m = ds.mentions[ds.arr("mentions", "art") == number].sort_values("start")
    names, types = ds.arr("entities", "name"), ds.arr("entities", "type")
    parts, cursor = [], 0
    for row in m.itertuples(index=False):
        start, end = int(row.start), int(row.end)
        if start < cursor or end > len(text) or start >= end:
            continue  # overlapping or out-of-range offsets: leave that text plain rather than garble it
        parts.append(html.escape(text[cursor:start]))
        colour = TYPE_COLOURS.get(types[row.ent], "#e5e7eb")
        label = html.escape(f"{names[row.ent]} ({types[row.ent]})", quote=True)
        parts.append(f'<mark style="background:{colour}" title="{label}">{html.escape(text[start:end])}</mark>')
        cursor = end
    parts.append(html.escape(text[cursor:]))
    body = "".join(parts).replace("\n", "<br>")
    sentence = None
    if highlight_sentence is not None and ds.sent_art[highlight_sentence] == number:
        sentence = sentence_text(ds, highlight_sentence)
    return {
        "article_id": article_id,
        "title": a["title"],
        "published": a["published"],
        "source": a["source"],
        "url": a["url"],
        "language": a["language"],
        "html": body,
        "sentence": sentence,
        "entities": sorted(set(names[ds.arr("mentions", "ent")])),
    }
