"""The Evidence page's data: every filtered event, mention and article, narrowed by a free-text search; the
newest rows of each for the tables, the selected event in detail, and its article with that sentence marked.

The search looks at every row the filters keep, not only the rows shown: a row is kept when each word of
the search occurs (ignoring case and accents) in its sentence, its article's title, the names and aliases
of its actors, or, for a mention, the words as written. Texts are folded once per dataset with pyarrow
(NFKD, marks dropped, lower case), so a search is a handful of vectorised substring scans.
"""

from __future__ import annotations

import html
import threading
import unicodedata
from dataclasses import dataclass

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from analysis import palette
from analysis.filters import ViewState
from analysis.views.query import is_query_dataset
from analysis.views.dataset import SENTENCE_END, Dataset, _day_numbers, _latest, select, sentence_text

_INDEX_LOCK = threading.Lock()
TABLE_LIMIT = 1000  # rows a table shows on screen; the exports carry every row
MARKS = r"\p{M}+"


@dataclass(frozen=True)
class EvidenceRows:
    """Row numbers of the events, mentions and articles the filters and search keep, with counts before search."""

    events: np.ndarray
    mentions: np.ndarray
    articles: np.ndarray
    events_filtered: int
    mentions_filtered: int
    articles_filtered: int
    article_events: np.ndarray  # article number → filtered events in it
    article_mentions: np.ndarray  # article number → filtered mentions in it
    words: tuple[str, ...]
    empty: bool


@dataclass(frozen=True)
class EvidenceView:
    """The newest rows of each table, how many match, the selected event and the article to read."""

    events: pd.DataFrame
    events_total: int  # after the search
    events_filtered: int  # before the search
    mentions: pd.DataFrame
    mentions_total: int
    mentions_filtered: int
    articles: pd.DataFrame
    articles_total: int
    articles_filtered: int
    limit: int
    words: tuple[str, ...]
    selected_event: dict | None  # the event's fields, ready to show
    article: dict | None  # title, published, source, url, language, html (escaped, entities and sentence marked)
    empty: bool


def evidence_view(ds: Dataset, state: ViewState, limit: int = TABLE_LIMIT) -> EvidenceView:
    """The newest `limit` events, mentions and articles that the filters and search keep, and the reader."""
    if is_query_dataset(ds):
        from analysis.views.query_views import query_evidence_view

        return query_evidence_view(ds, state, limit)
    rows = evidence_rows(ds, state)
    o = state.options
    events = _latest(ds.arr("events", "day"), rows.events, limit)
    mention_days = ds.arr("articles", "published")[ds.arr("mentions", "art")]
    mentions = _latest(mention_days, rows.mentions, limit)
    articles = _latest(ds.arr("articles", "published"), rows.articles, limit)
    selected = event_detail(ds, o.event) if o.event else None
    article_id = o.article or (selected["article_id"] if selected else None)
    highlight = selected["event_number"] if selected and selected["article_id"] == article_id else None
    return EvidenceView(
        events=event_frame(ds, events),
        events_total=len(rows.events),
        events_filtered=rows.events_filtered,
        mentions=mention_frame(ds, mentions),
        mentions_total=len(rows.mentions),
        mentions_filtered=rows.mentions_filtered,
        articles=article_frame(ds, articles, rows.article_events, rows.article_mentions),
        articles_total=len(rows.articles),
        articles_filtered=rows.articles_filtered,
        limit=limit,
        words=rows.words,
        selected_event=selected,
        article=article_reader(ds, article_id, highlight_event=highlight) if article_id else None,
        empty=rows.empty,
    )


# ---------------------------------------------------------------- what the filters and the search keep


def evidence_rows(ds: Dataset, state: ViewState) -> EvidenceRows:
    """Every event, mention and article the filters keep and the search finds, as row numbers."""
    f = state.filters
    sel = select(ds, f)
    mention_ok = sel.sentences[ds.arr("mentions", "sent")]
    named = [ds.entity_index[i] for i in f.actors + f.places if i in ds.entity_index]
    if named:  # with actors or places chosen, list their mentions rather than every co-mention
        mention_ok &= np.isin(ds.arr("mentions", "ent"), named)
    n_articles = len(ds.articles)
    article_events = np.bincount(ds.arr("events", "art")[sel.events], minlength=n_articles)
    article_mentions = np.bincount(ds.arr("mentions", "art")[mention_ok], minlength=n_articles)
    events, mentions, articles = sel.events, mention_ok, sel.articles
    filtered = (int(events.sum()), int(mentions.sum()), int(articles.sum()))
    words = search_words(state.options.search)
    for word in words:
        events = events & event_hits(ds, word)
        mentions = mentions & mention_hits(ds, word)
        articles = articles & article_hits(ds, word)
    return EvidenceRows(
        events=np.flatnonzero(events),
        mentions=np.flatnonzero(mentions),
        articles=np.flatnonzero(articles),
        events_filtered=filtered[0],
        mentions_filtered=filtered[1],
        articles_filtered=filtered[2],
        article_events=article_events,
        article_mentions=article_mentions,
        words=words,
        empty=sel.empty,
    )


def fold_text(text: str) -> str:
    """A search word as the folded texts hold it: compatibility-decomposed, marks dropped, lower case."""
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if not unicodedata.category(c).startswith("M")).lower()


def search_words(search: str | None) -> tuple[str, ...]:
    """The distinct folded words of a search."""
    return tuple(dict.fromkeys(w for w in fold_text(search or "").split() if w))


def _fold_array(values: pa.Array) -> pa.Array:
    """Fold every string of an Arrow array (see fold_text), nulls as empty strings."""
    values = pc.fill_null(values.cast(pa.large_string()), "")
    return pc.utf8_lower(pc.replace_substring_regex(pc.utf8_normalize(values, "NFKD"), MARKS, ""))


def _contains(folded: pa.Array, word: str) -> np.ndarray:
    """Which folded strings contain the word."""
    return pc.match_substring(folded, word).to_numpy(zero_copy_only=False)


def _coded(values: np.ndarray) -> tuple[np.ndarray, pa.Array]:
    """Each value's code and the folded distinct values: a search then scans each distinct text once."""
    codes, uniques = pd.factorize(pd.Series(values, dtype=object).fillna(""))
    return codes.astype(np.int32), _fold_array(pa.array(np.asarray(uniques, dtype=object), pa.large_string()))


@dataclass(frozen=True)
class SearchIndex:
    """Every searchable text of a dataset folded once: the words of each sentence as codes into a vocabulary,
    titles, entity names with aliases, and the distinct written forms and triggers."""

    vocabulary: pa.Array  # distinct whitespace-separated words of all sentences, folded
    postings_start: np.ndarray  # vocabulary code → where its sentences start in postings (one more at the end)
    postings: np.ndarray  # sentence numbers of each word occurrence, grouped by vocabulary code
    titles: pa.Array
    labels: pa.Array
    surface_code: np.ndarray
    surfaces: pa.Array
    trigger_code: np.ndarray
    triggers: pa.Array
    own_events: np.ndarray  # events whose evidence is not their sentence's shown text (rare)
    own_evidence: pa.Array


def search_index(ds: Dataset) -> SearchIndex:
    """The dataset's search index, built once (vectorised: ~7 s at 100k articles) even when asked from
    several threads: the app starts building it in the background as soon as a dataset is loaded."""
    if "search_index" not in ds.extra:
        with _INDEX_LOCK:
            if "search_index" not in ds.extra:
                ds.extra["search_index"] = _build_search_index(ds)
    return ds.extra["search_index"]


def prepare_search_in_background(ds: Dataset) -> threading.Thread:
    """Start building the search index on a daemon thread, so the first search rarely waits for it."""
    worker = threading.Thread(target=search_index, args=(ds,), name="search-index", daemon=True)
    worker.start()
    return worker


def _build_search_index(ds: Dataset) -> SearchIndex:
    """Fold and cut every searchable text; see SearchIndex."""
    sentences = _fold_array(_sentence_texts(ds))
    words = pc.utf8_split_whitespace(sentences)
    encoded = pc.dictionary_encode(pc.list_flatten(words))
    evidence = ds.arr("events", "evidence")
    shown = ds.extra["evidence_event"][ds.arr("events", "sent")]
    own = np.flatnonzero(evidence != evidence[shown])
    surface_code, surfaces = _coded(ds.arr("mentions", "surface"))
    trigger_code, triggers = _coded(ds.arr("events", "trigger"))
    codes = encoded.indices.to_numpy(zero_copy_only=False)
    order = np.argsort(codes, kind="stable")
    return SearchIndex(
        vocabulary=encoded.dictionary,
        postings_start=np.searchsorted(codes[order], np.arange(len(encoded.dictionary) + 1)),
        postings=pc.list_parent_indices(words).to_numpy(zero_copy_only=False).astype(np.int32)[order],
        titles=_fold_array(pa.array(ds.arr("articles", "title"), pa.large_string())),
        labels=_fold_array(pa.array(ds.entities["label"].astype(object), pa.large_string())),
        surface_code=surface_code,
        surfaces=surfaces,
        trigger_code=trigger_code,
        triggers=triggers,
        own_events=own,
        own_evidence=_fold_array(pa.array(evidence[own].astype(object), pa.large_string())),
    )


def _sentence_texts(ds: Dataset) -> pa.Array:
    """Every sentence's text as sentence_text shows it: its event's evidence, else cut from its article (the
    article split at sentence ends by pyarrow, then each sentence's pieces from its first to last mention)."""
    texts = pc.replace_substring(pa.array(ds.arr("articles", "text"), pa.large_string()), "\x00", " ")
    # A NUL after every sentence end cuts each article into pieces that keep their end, so lengths add up.
    marked = pc.replace_substring_regex(texts, SENTENCE_END.pattern, "\\0\x00")
    pieces = pc.list_flatten(pc.split_pattern(marked, "\x00"))
    lengths = pc.utf8_length(pieces).to_numpy(zero_copy_only=False).astype(np.int64)
    piece_start = np.concatenate([[0], np.cumsum(lengths)[:-1]]) if len(lengths) else np.zeros(1, np.int64)
    text_lengths = pc.utf8_length(texts).to_numpy(zero_copy_only=False).astype(np.int64)
    base = np.concatenate([[0], np.cumsum(text_lengths)[:-1]])[ds.sent_art]
    span_first, span_last = ds.extra["span_first"], ds.extra["span_last"]
    first_char = base + np.clip(span_first, 0, None)
    first = np.clip(np.searchsorted(piece_start, first_char, "right") - 1, 0, max(len(lengths) - 1, 0))
    last = np.searchsorted(piece_start, np.maximum(base + span_last - 1, first_char), "right") - 1
    out = pc.take(pieces, pa.array(first)).to_numpy(zero_copy_only=False).astype(object) if len(lengths) else (
        np.full(ds.n_sentences, "", dtype=object)
    )
    for s in np.flatnonzero(last > first):  # a sentence over several pieces (a name with a full stop): rare
        out[s] = "".join(pieces[int(first[s]) : int(last[s]) + 1].to_pylist())
    out[span_last < 0] = ""  # no mention: such a sentence is only ever shown through its event's evidence
    event = ds.extra["evidence_event"]
    carried = np.flatnonzero(event >= 0)
    evidence = ds.arr("events", "evidence")[event[carried]]
    out[carried[evidence != ""]] = evidence[evidence != ""]
    return pa.array(out, pa.large_string())


def _word_hits(ds: Dataset, word: str) -> dict[str, np.ndarray]:
    """Which sentences, titles, entities, written forms, triggers and own evidences contain a word."""
    cache = ds.extra.setdefault("word_hits", {})
    if word not in cache:
        index = search_index(ds)
        sentences = np.zeros(ds.n_sentences, bool)
        codes = np.flatnonzero(_contains(index.vocabulary, word))
        sentences[index.postings[_ranges(index.postings_start, codes)]] = True
        own = np.zeros(len(ds.events), bool)
        own[index.own_events] = _contains(index.own_evidence, word)
        cache[word] = {
            "sentences": sentences,
            "titles": _contains(index.titles, word),
            "entities": np.append(_contains(index.labels, word), False),  # -1 (no entity) never matches
            "surfaces": _contains(index.surfaces, word)[index.surface_code],
            "triggers": _contains(index.triggers, word)[index.trigger_code],
            "own": own,
        }
        while len(cache) > 16:  # the last few searches, so changing a filter does not search again
            cache.pop(next(iter(cache)))
    return cache[word]


def _ranges(starts: np.ndarray, codes: np.ndarray) -> np.ndarray:
    """The positions from starts[c] to starts[c + 1] for every code c, concatenated, without a Python loop."""
    begin, end = starts[codes], starts[codes + 1]
    lengths = end - begin
    if not lengths.sum():
        return np.zeros(0, np.int64)
    offsets = np.repeat(begin - np.concatenate([[0], np.cumsum(lengths)[:-1]]), lengths)
    return np.arange(lengths.sum()) + offsets


def event_hits(ds: Dataset, word: str) -> np.ndarray:
    """Events whose sentence, trigger, article title or actor and place names contain the word."""
    hits = _word_hits(ds, word)
    names = hits["entities"]
    sentence = hits["sentences"][ds.arr("events", "sent")]
    sentence[search_index(ds).own_events] = False
    return (
        sentence
        | hits["own"]
        | hits["triggers"]
        | hits["titles"][ds.arr("events", "art")]
        | names[ds.arr("events", "src")]
        | names[ds.arr("events", "tgt")]
        | names[ds.arr("events", "place")]
    )


def mention_hits(ds: Dataset, word: str) -> np.ndarray:
    """Mentions whose sentence, article title, entity name or written form contain the word."""
    hits = _word_hits(ds, word)
    return (
        hits["sentences"][ds.arr("mentions", "sent")]
        | hits["titles"][ds.arr("mentions", "art")]
        | hits["entities"][ds.arr("mentions", "ent")]
        | hits["surfaces"]
    )


def article_hits(ds: Dataset, word: str) -> np.ndarray:
    """Articles whose title, or one of whose sentences or named entities, contains the word."""
    hits = _word_hits(ds, word)
    n = len(ds.articles)
    in_sentences = np.bincount(ds.sent_art[hits["sentences"]], minlength=n) > 0
    arts, ents = ds.article_entities
    naming = np.bincount(arts[hits["entities"][ents]], minlength=n) > 0
    return hits["titles"] | in_sentences | naming


# ---------------------------------------------------------------- rows to show and export


def _names_or_missing(ds: Dataset, numbers: np.ndarray) -> np.ndarray:
    """Entity names for entity numbers, palette.MISSING where there is none (-1)."""
    names = np.append(ds.entities["name"].to_numpy(dtype=object), palette.MISSING)
    return names[np.where(numbers >= 0, numbers, len(names) - 1)]


def _ids_or_none(ds: Dataset, numbers: np.ndarray) -> np.ndarray:
    """Entity ids for entity numbers, None where there is none (-1)."""
    ids = np.append(ds.entities["entity_id"].to_numpy(dtype=object), None)
    return ids[np.where(numbers >= 0, numbers, len(ids) - 1)]


def _or_missing(values: np.ndarray) -> np.ndarray:
    """Text values with palette.MISSING for null, empty or NaN."""
    series = pd.Series(values, dtype=object)
    return series.where(series.notna() & (series.astype(str) != ""), palette.MISSING).to_numpy(dtype=object)


def event_frame(ds: Dataset, rows: np.ndarray) -> pd.DataFrame:
    """Events with their actors, place, sentence and article, in the order given."""
    arts = ds.arr("events", "art")[rows]
    src = _names_or_missing(ds, ds.arr("events", "src")[rows])
    tgt = _names_or_missing(ds, ds.arr("events", "tgt")[rows])
    return pd.DataFrame(
        {
            "event_id": ds.arr("events", "event_id")[rows],
            "day": ds.arr("events", "day")[rows],
            "date": _or_missing(ds.arr("events", "date")[rows]),
            "date_precision": _or_missing(ds.arr("events", "date_precision")[rows]),
            "type": ds.arr("events", "type")[rows],
            "modality": ds.arr("events", "modality")[rows],
            "mode": ds.arr("events", "mode")[rows],
            "source_id": _ids_or_none(ds, ds.arr("events", "src")[rows]),
            "source_name": src,
            "target_id": _ids_or_none(ds, ds.arr("events", "tgt")[rows]),
            "target_name": tgt,
            "pair": pd.Series(src, dtype=object).str.cat(pd.Series(tgt, dtype=object), sep=" → ").to_numpy(),
            "place_id": _ids_or_none(ds, ds.arr("events", "place")[rows]),
            "place": _names_or_missing(ds, ds.arr("events", "place")[rows]),
            "trigger": ds.arr("events", "trigger")[rows],
            "evidence": ds.arr("events", "evidence")[rows],
            "confidence": ds.arr("events", "confidence")[rows],
            "sentence": ds.sent_index[ds.arr("events", "sent")[rows]],
            "title": ds.arr("articles", "title")[arts],
            "published": ds.arr("articles", "published")[arts],
            "outlet": ds.arr("articles", "source")[arts],
            "language": ds.arr("articles", "language")[arts],
            "url": ds.arr("articles", "url")[arts],
            "article_id": ds.arr("articles", "article_id")[arts],
        }
    )


def mention_frame(ds: Dataset, rows: np.ndarray) -> pd.DataFrame:
    """Mentions with their entity, sentence and article, in the order given."""
    arts = ds.arr("mentions", "art")[rows]
    ents = ds.arr("mentions", "ent")[rows]
    sents = ds.arr("mentions", "sent")[rows]
    distinct, inverse = np.unique(sents, return_inverse=True)
    texts = np.array([sentence_text(ds, int(s)) for s in distinct] + [""], dtype=object)[: len(distinct)]
    return pd.DataFrame(
        {
            "entity": ds.arr("entities", "name")[ents],
            "entity_id": ds.arr("entities", "entity_id")[ents],
            "type": _or_missing(ds.arr("entities", "type")[ents]),
            "surface": ds.arr("mentions", "surface")[rows],
            "sentence": texts[inverse] if len(rows) else np.array([], dtype=object),
            "sentence_index": ds.sent_index[sents],
            "start": ds.arr("mentions", "start")[rows],
            "end": ds.arr("mentions", "end")[rows],
            "title": ds.arr("articles", "title")[arts],
            "published": ds.arr("articles", "published")[arts],
            "source": ds.arr("articles", "source")[arts],
            "language": ds.arr("articles", "language")[arts],
            "url": ds.arr("articles", "url")[arts],
            "article_id": ds.arr("articles", "article_id")[arts],
        }
    )


def article_frame(
    ds: Dataset, rows: np.ndarray, article_events: np.ndarray, article_mentions: np.ndarray
) -> pd.DataFrame:
    """Articles with how many filtered events and mentions each holds, in the order given."""
    return pd.DataFrame(
        {
            "published": ds.arr("articles", "published")[rows],
            "title": ds.arr("articles", "title")[rows],
            "source": ds.arr("articles", "source")[rows],
            "language": ds.arr("articles", "language")[rows],
            "events": article_events[rows],
            "mentions": article_mentions[rows],
            "url": ds.arr("articles", "url")[rows],
            "article_id": ds.arr("articles", "article_id")[rows],
        }
    )


def newest_first(days: np.ndarray, rows: np.ndarray, within: np.ndarray | None = None) -> np.ndarray:
    """Every row, newest first (undated last), then by `within` (e.g. sentence order), then as given."""
    keys = [-_day_numbers(days[rows])]
    if within is not None:
        keys.insert(0, within[rows])
    return rows[np.lexsort(keys)]


# ---------------------------------------------------------------- the selected event and its article


def event_detail(ds: Dataset, event_id: str) -> dict | None:
    """What the detail panel shows of one event, or None when the dataset has no such event."""
    match = np.flatnonzero(ds.arr("events", "event_id") == event_id)
    if not len(match):
        return None
    row = event_frame(ds, match[:1]).iloc[0].to_dict()
    row["event_number"] = int(match[0])
    row["day"] = str(row["day"])[:10] if not pd.isna(row["day"]) else palette.MISSING
    row["published"] = str(row["published"])[:10] if not pd.isna(row["published"]) else palette.MISSING
    confidence = row["confidence"]
    row["confidence"] = None if confidence is None or np.isnan(confidence) else float(confidence)
    return row


def evidence_nearest(text: str, evidence: str | None, near: int) -> tuple[int, int] | None:
    """Where an event's evidence is written in its article: the same words may recur, so the copy nearest the
    sentence's own mentions (character `near`); None when the text does not hold it."""
    if not evidence:
        return None
    starts, at = [], text.find(evidence)
    while at >= 0:
        starts.append(at)
        at = text.find(evidence, at + 1)
    if not starts:
        return None
    start = min(starts, key=lambda s: abs(s - near))
    return start, start + len(evidence)


def _event_span(ds: Dataset, event: int, text: str) -> tuple[int, int] | None:
    """Where an event's sentence lies in its article's text: the evidence found as written, else its mentions'
    sentence."""
    evidence = ds.arr("events", "evidence")[event]
    sent = int(ds.arr("events", "sent")[event])
    first, last = int(ds.extra["span_first"][sent]), int(ds.extra["span_last"][sent])
    found = evidence_nearest(text, evidence, first if last >= 0 else 0)
    if found is not None:
        return found
    if last < 0 or first > len(text):
        return None
    sentence = sentence_text(ds, sent)
    start = text.rfind(sentence, 0, first + 1) if sentence else -1
    return (start, start + len(sentence)) if start >= 0 else None


def article_reader(
    ds: Dataset,
    article_id: str,
    highlight_sentence: int | None = None,
    highlight_event: int | None = None,
) -> dict | None:
    """An article's text as safe HTML: every character escaped, entity mentions in <mark>, and the sentence of
    the selected event in <mark class="event-sentence">."""
    number = ds.article_index.get(article_id)
    if number is None:
        return None
    a = ds.articles.iloc[number]
    text = a["text"]
    if highlight_event is None and highlight_sentence is not None:
        events = np.flatnonzero(ds.arr("events", "sent") == highlight_sentence)
        highlight_event = int(events[0]) if len(events) else None
    span, event_type = None, None
    if highlight_event is not None and ds.arr("events", "art")[highlight_event] == number:
        span = _event_span(ds, highlight_event, text)
        event_type = ds.arr("events", "type")[highlight_event]
    m = ds.mentions[ds.arr("mentions", "art") == number].sort_values("start")
    body = _marked_html(text, m, ds, span, event_type)
    return {
        "article_id": article_id,
        "title": a["title"],
        "published": a["published"],
        "source": a["source"],
        "url": a["url"],
        "language": a["language"],
        "html": body,
        "sentence": text[span[0] : span[1]] if span else None,
        "entities": sorted(set(ds.arr("entities", "name")[m["ent"].to_numpy()])),
    }


def _marked_html(
    text: str, mentions: pd.DataFrame, ds: Dataset, span: tuple[int, int] | None, event_type: str | None
) -> str:
    """Escaped text with each entity mention marked, and the event's sentence wrapped around them."""
    names, types = ds.arr("entities", "name"), ds.arr("entities", "type")
    colour = palette.EVENT_TYPE_COLOURS.get(event_type or "", palette.MISSING_COLOUR)
    opening = (
        f'<mark class="event-sentence" id="event-sentence" style="background:{colour}22;'
        f'outline:2px solid {colour};border-radius:3px;padding:1px 0">'
    )
    # Tags still to write, by position; a name never straddles either edge, so they fall between names.
    pending = [(span[0], opening), (span[1], "</mark>")] if span and span[0] < span[1] else []

    def plain(begin: int, end: int) -> str:
        """Escaped text from begin to end, with any sentence tag that falls from begin to end included."""
        out, cursor = [], begin
        while pending and begin <= pending[0][0] <= end:
            at, tag = pending.pop(0)
            out += [html.escape(text[cursor:at]), tag]
            cursor = at
        out.append(html.escape(text[cursor:end]))
        return "".join(out)

    edges = [at for at, _ in pending]
    parts, cursor = [], 0
    for row in mentions.itertuples(index=False):
        start, end = int(row.start), int(row.end)
        if start < cursor or end > len(text) or start >= end:
            continue  # overlapping or out-of-range offsets: leave that text plain rather than garble it
        if any(start < edge < end for edge in edges):
            continue  # a name across the sentence's edge stays plain so the marks nest
        parts.append(plain(cursor, start))
        tint = palette.ENTITY_HIGHLIGHTS.get(types[row.ent], palette.MISSING_COLOUR)
        label = html.escape(f"{names[row.ent]} ({types[row.ent]})", quote=True)
        parts.append(f'<mark style="background:{tint}" title="{label}">{html.escape(text[start:end])}</mark>')
        cursor = end
    parts.append(plain(cursor, len(text)))
    return "".join(parts).replace("\n", "<br>")
