"""Each page's data step on a QueryDataset: the same view objects as the in-memory path, computed by DuckDB.

Counts come from the aggregates where they answer: the monthly and daily totals when only language, source and
dates filter (`query.monthly`), the per-actor ones when one actor is chosen (`query.one_actor`,
`query.actor_events`); from the rows otherwise. Only what a page draws leaves DuckDB: counts per entity or pair,
the newest rows (looked for in the last month, then the last year, before every row is sorted), and the texts
of the rows shown.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Callable

import numpy as np
import pandas as pd
import pyarrow as pa

from analysis.filters import Filters, ViewState
from analysis.palette import MISSING
from analysis.views import evidence as evidence_page
from analysis.views import map as map_page
from analysis.views import network as network_page
from analysis.views import profile as profile_page
from analysis.views import timeline as timeline_page
from analysis.views.dataset import _expand_to_sentence
from analysis.views.overview import OverviewView, overview_of
from analysis.views.query import (
    SENTENCE_BITS,
    QueryDataset,
    actor_events,
    article_terms,
    day_terms,
    entity_numbers,
    event_terms,
    events_sql,
    monthly,
    narrowed,
    numbers,
    one_actor,
    replace_filters,
    role_terms,
    sentences_sql,
    where,
)

EVENT_COLUMNS = "e.evn, e.event_id, e.day, e.date, e.type, e.modality, e.actor_src, e.actor_tgt, e.place, " \
    "e.trigger, e.evidence, e.confidence, a.title, a.published, a.source AS outlet, a.url, a.article_id, a.language"
RECENT_WINDOWS = (31, 366)  # days back from the newest event tried before scanning every row for the newest


# ---------------------------------------------------------------- counts


def selected_sentences(qd: QueryDataset, f: Filters) -> str:
    """A query of the kept sentence keys, or '' when every sentence of a kept article is kept."""
    return sentences_sql(qd, f) if narrowed(f) else ""


def mention_counts(qd: QueryDataset, f: Filters) -> np.ndarray:
    """Mentions per entity number in the sentences the filters keep."""
    kept = selected_sentences(qd, f)
    actor = one_actor(qd, f)
    if actor is not None:
        raw = f"""(SELECT {actor} AS x, m.ent, m.lang_c, m.source_c, m.aday, date_trunc('month', m.aday) AS month
                  FROM men m WHERE m.sent IN ({actor_sentences(f, actor)}))"""
        inner = monthly(f, "x_men_m", raw, "aday", "sum(n) AS n", "ent", "count(*) AS n",
                        article_terms(qd, f, day_column=None), [f"x = {actor}"])
        sql = f"SELECT ent, sum(n) AS n FROM ({inner}) GROUP BY ent"
    elif kept:
        sql = f"SELECT ent, count(*) AS n FROM men WHERE sent IN ({kept}) GROUP BY ent"
    else:
        raw = "(SELECT *, date_trunc('month', aday) AS month FROM men)"
        inner = monthly(f, "men_m", raw, "aday", "sum(n) AS n", "ent", "count(*) AS n",
                        article_terms(qd, f, day_column=None))
        sql = f"SELECT ent, sum(n) AS n FROM ({inner}) GROUP BY ent"
    return _per_entity(qd, qd.rows(sql))


def actor_sentences(f: Filters, actor: int) -> str:
    """A query of the sentences naming the actor within the filters' dates (a bound the rows read meet anyway,
    given so that the sentences of other days are never listed)."""
    return f"SELECT sent FROM se {where([f'ent = {actor}'] + day_terms(f, 'aday'))}"


def _per_entity(qd: QueryDataset, rows: list[tuple]) -> np.ndarray:
    """(entity number, count) rows as an array over every entity."""
    out = np.zeros(len(qd.entities), np.int64)
    for ent, n in rows:
        if ent is not None and ent >= 0:
            out[ent] = n
    return out


def pair_counts(qd: QueryDataset, f: Filters) -> pd.DataFrame:
    """Sentence-level co-mention pairs in the kept sentences: a, b (a < b, in that order), n, sample sentence."""
    kept = selected_sentences(qd, f)
    actor = one_actor(qd, f)
    if actor is not None and not article_terms(qd, f):
        sql = f"SELECT a, b, n, sample FROM x_pairs WHERE x = {actor}"
    elif kept:
        sql = f"SELECT a, b, count(*) AS n, min(sent) AS sample FROM pairs WHERE sent IN ({kept}) GROUP BY a, b"
    elif not article_terms(qd, f):
        sql = "SELECT a, b, n, sample FROM pairs_t"
    else:
        raw = "(SELECT *, date_trunc('month', aday) AS month FROM pairs)"
        inner = monthly(f, "pairs_m", raw, "aday", "sum(n) AS n, min(sample) AS sample", "a, b",
                        "count(*) AS n, min(sent) AS sample", article_terms(qd, f, day_column=None))
        sql = f"SELECT a, b, sum(n) AS n, min(sample) AS sample FROM ({inner}) GROUP BY a, b"
    frame = qd.frame(sql + " ORDER BY a, b")
    return frame.astype({"a": np.int64, "b": np.int64, "n": np.int64, "sample": np.int64})


def place_event_counts(qd: QueryDataset, f: Filters) -> np.ndarray:
    """Kept events per place number."""
    actor = actor_events(qd, f)
    if actor is not None and not event_terms(f):
        undated = replace_filters(f, date_from=None, date_to=None)
        raw = f"(SELECT *, date_trunc('month', day) AS month FROM ({events_sql(qd, undated)}))"
        inner = monthly(f, "x_place_m", raw, "day", "sum(n) AS n", "place", "count(*) AS n",
                        article_terms(qd, f, day_column=None) + ["place >= 0"], [f"x = {actor}"] + role_terms(f))
        sql = f"SELECT place, sum(n) FROM ({inner}) GROUP BY place"
    elif f.actors or f.places:
        sql = f"SELECT place, count(*) FROM ({events_sql(qd, f)}) WHERE place >= 0 GROUP BY place"
    else:
        # Without actors or places, an event filter keeps exactly the events it matches.
        raw = "(SELECT *, date_trunc('month', day) AS month FROM ev)"
        terms = article_terms(qd, f, day_column=None) + event_terms(f) + ["place >= 0"]
        inner = monthly(f, "ev_m", raw, "day", "sum(n) AS n", "place", "count(*) AS n", terms)
        sql = f"SELECT place, sum(n) FROM ({inner}) GROUP BY place"
    return _per_entity(qd, qd.rows(sql))


def event_total(qd: QueryDataset, f: Filters) -> int:
    """How many events the filters keep."""
    actor = actor_events(qd, f)
    if actor is not None:
        terms = [f"x = {actor}"] + role_terms(f) + article_terms(qd, f, day_column=None) + event_terms(f) + \
            day_terms(f, "day")
        return int(qd.rows(f"SELECT coalesce(sum(n), 0) FROM x_ev_d {where(terms)}")[0][0])
    if f.actors or f.places:
        return int(qd.rows(f"SELECT count(*) FROM ({events_sql(qd, f)})")[0][0])
    raw = "(SELECT *, date_trunc('month', day) AS month FROM ev)"
    terms = article_terms(qd, f, day_column=None) + event_terms(f)
    inner = monthly(f, "ev_m", raw, "day", "sum(n) AS n", "1 AS one", "count(*) AS n", terms)
    return int(qd.rows(f"SELECT coalesce(sum(n), 0) FROM ({inner})")[0][0])


# ---------------------------------------------------------------- rows


def latest_events(qd: QueryDataset, events: str, limit: int) -> pd.DataFrame:
    """The newest `limit` of the events a query keeps (undated last) as _event_rows shows them, with `evn`.

    The newest rows are looked for in the last month, then the last year, before every row is sorted."""
    newest = _newest_day(qd, "ev", "day")
    for days in RECENT_WINDOWS if newest else ():
        since = newest - pd.Timedelta(days=days).to_pytimedelta()
        rows = qd.frame(
            f"SELECT * FROM ({events}) WHERE day >= DATE '{since}' ORDER BY day DESC, evn LIMIT {int(limit)}"
        )
        if len(rows) >= limit:
            return event_rows(qd, rows)
    rows = qd.frame(f"SELECT * FROM ({events}) ORDER BY day DESC NULLS LAST, evn LIMIT {int(limit)}")
    return event_rows(qd, rows)


def event_rows(qd: QueryDataset, events: pd.DataFrame) -> pd.DataFrame:
    """Event rows (the ev table's columns) with names, evidence and their article's title, source and link,
    in the columns and types of _event_rows."""
    arts = qd.frame(
        f"SELECT art, title, published, source, url, article_id, language FROM art "
        f"WHERE art IN {LISTED}", [_listed(events["art"].unique())]
    ).set_index("art") if len(events) else pd.DataFrame(
        columns=["title", "published", "source", "url", "article_id", "language"])
    article = arts.reindex(events["art"].to_numpy()) if len(events) else arts
    names = np.append(qd.entities["name"].to_numpy(dtype=object), "")

    def name(column: str) -> np.ndarray:
        values = events[column].to_numpy(np.int64)
        return names[np.where(values >= 0, values, len(names) - 1)]

    src, tgt = name("actor_src"), name("actor_tgt")
    frame = pd.DataFrame(
        {
            "event_id": events["event_id"].to_numpy(dtype=object),
            "day": _days(events["day"]),
            "date": events["date"].to_numpy(dtype=object),
            "type": events["type"].to_numpy(dtype=object),
            "modality": events["modality"].to_numpy(dtype=object),
            "source_actor": src,
            "target_actor": tgt,
            "pair": [f"{s or '?'} → {t or '?'}" for s, t in zip(src, tgt)],
            "place": name("place"),
            "trigger": events["trigger"].to_numpy(dtype=object),
            "evidence": events["evidence"].to_numpy(dtype=object),
            "confidence": events["confidence"].to_numpy(float),
            "title": article["title"].to_numpy(dtype=object),
            "published": _days(article["published"]),
            "outlet": article["source"].to_numpy(dtype=object),
            "url": article["url"].to_numpy(dtype=object),
            "article_id": article["article_id"].to_numpy(dtype=object),
            "language": article["language"].to_numpy(dtype=object),
        }
    )
    return frame


# Rows looked up by number: a list parameter joined as a table reads faster than a long literal IN list.
LISTED = "(SELECT unnest(?::BIGINT[]))"


def _listed(values) -> list[int]:
    """Row numbers as the list parameter of LISTED."""
    return [int(v) for v in values]


def _days(values: pd.Series) -> np.ndarray:
    """Dates as numpy days (NaT where missing), as the in-memory tables hold them."""
    return pd.to_datetime(pd.Series(values)).to_numpy().astype("datetime64[D]")


def sentence_texts(qd: QueryDataset, sents) -> list[str]:
    """Each sentence's text as sentence_text gives it: its first event's evidence, else cut from its article."""
    sents = [int(s) for s in sents]
    if not sents:
        return []
    spans = qd.frame(f"SELECT sent, art, span_first, span_last, first_event FROM sen WHERE sent IN {LISTED}",
                     [_listed(set(sents))]).set_index("sent")
    firsts = spans["first_event"].dropna()
    evidence = dict(qd.rows(f"SELECT evn, evidence FROM ev WHERE evn IN {LISTED}", [_listed(set(firsts))])) \
        if len(firsts) else {}
    spans["evidence"] = [evidence.get(int(e)) if not pd.isna(e) else None for e in spans["first_event"]]
    need = spans[spans["evidence"].fillna("").eq("")]["art"].unique()
    texts = dict(qd.rows(f"SELECT art, text FROM art_text WHERE art IN {LISTED}", [_listed(need)])) if len(need) else {}
    out = []
    for sent in sents:
        if sent not in spans.index:
            out.append("")
            continue
        row = spans.loc[sent]
        if isinstance(row["evidence"], str) and row["evidence"]:
            out.append(row["evidence"])
            continue
        text = texts.get(int(row["art"]), "")
        first, last = row["span_first"], int(row["span_last"])
        if last < 0 or pd.isna(first) or int(first) > len(text):
            out.append("")
        else:
            out.append(_expand_to_sentence(text, int(first), last))
    return out


def article_columns(qd: QueryDataset, arts, fetched: pd.DataFrame | None = None) -> dict[str, np.ndarray]:
    """Title, publication day, source, link, id and language of article numbers, as article_fields gives them
    (from `fetched`, articles_by_number's frame, when it holds them)."""
    arts = np.asarray(arts, np.int64)
    found = (fetched if fetched is not None else articles_by_number(qd, arts)).reindex(arts)
    return {
        "title": found["title"].to_numpy(dtype=object),
        "published": _days(found["published"]),
        "source": found["source"].to_numpy(dtype=object),
        "url": found["url"].to_numpy(dtype=object),
        "article_id": found["article_id"].to_numpy(dtype=object),
        "language": found["language"].to_numpy(dtype=object),
    }


def articles_by_number(qd: QueryDataset, arts) -> pd.DataFrame:
    """The shown columns of some articles, indexed by article number (one lookup for all the rows of a page)."""
    return qd.frame(
        f"SELECT art, title, published, source, url, article_id, language FROM art WHERE art IN {LISTED}",
        [_listed(set(np.asarray(arts, np.int64).tolist()))],
    ).set_index("art")


def sentences_naming(qd: QueryDataset, f: Filters, number: int, order: str, limit: int) -> tuple[pd.DataFrame, int]:
    """The kept sentences naming an entity, sorted by `order` (over aday, sent, idx), the first `limit`, and
    how many there are."""
    kept = selected_sentences(qd, f)
    terms = [f"ent = {int(number)}"] + ([f"sent IN ({kept})"] if kept else article_terms(qd, f))
    base = f"SELECT sent, art, aday, sent & {(1 << SENTENCE_BITS) - 1} AS idx FROM se {where(terms)}"
    total = int(qd.rows(f"SELECT count(*) FROM ({base})")[0][0])
    rows = qd.frame(f"SELECT sent, art FROM ({base}) ORDER BY {order} LIMIT {int(limit)}")
    return rows, total


# ---------------------------------------------------------------- pages


def query_overview_view(qd: QueryDataset, state: ViewState, top: int = 15) -> OverviewView:
    """The Overview: articles by language, source and month, the most named actors and the latest events."""
    f = state.filters
    counts = qd.frame(article_counts_sql(qd, f))
    languages = {code: name for name, code in qd.languages.items()}
    sources = {code: name for name, code in qd.sources.items()}
    counts["language"] = counts["lang_c"].map(languages)
    counts["source"] = counts["source_c"].map(sources)
    counts["n"] = counts["n"].astype(np.int64)
    language = _ranked(counts, "language")
    source = _ranked(counts, "source")
    dated = counts[counts["month"].notna()]
    by_month = dated.groupby(["month", "language"], as_index=False)["n"].sum().sort_values(["month", "language"])
    by_month = pd.DataFrame(
        {
            "month": pd.to_datetime(_days(by_month["month"]).astype("datetime64[M]")),
            "language": by_month["language"].to_numpy(dtype=object),
            "articles": by_month["n"].to_numpy(np.int64),
        }
    )
    mentions = mention_counts(qd, f)
    actors = qd.entities.assign(mentions=mentions)
    actors = actors[actors["is_actor"] & (actors["mentions"] > 0)].nlargest(top, "mentions")
    n_events = event_total(qd, f)
    latest = latest_events(qd, events_sql(qd, f), 10)
    n_articles = int(counts["n"].sum())
    return overview_of(n_articles, n_events, int(mentions.sum()), language, source, by_month, actors, latest,
                       n_articles == 0 and n_events == 0)


def article_counts_sql(qd: QueryDataset, f: Filters) -> str:
    """A query of the kept articles counted per language code, source code and month (n)."""
    kept = selected_sentences(qd, f)
    actor = one_actor(qd, f)
    if actor is not None:
        raw = f"""(SELECT {actor} AS x, lang_c, source_c, published, date_trunc('month', published) AS month FROM art
                  WHERE art IN (SELECT art FROM se {where([f'ent = {actor}'] + day_terms(f, 'aday'))}))"""
        return monthly(f, "x_art_m", raw, "published", "sum(n) AS n", "lang_c, source_c, month", "count(*) AS n",
                       article_terms(qd, f, day_column=None), [f"x = {actor}"])
    if kept:
        return (f"SELECT lang_c, source_c, date_trunc('month', published) AS month, count(*) AS n FROM art "
                f"WHERE art IN (SELECT art FROM sen WHERE sent IN ({kept})) GROUP BY ALL")
    raw = "(SELECT *, date_trunc('month', published) AS month FROM art)"
    return monthly(f, "art_m", raw, "published", "sum(n) AS n", "lang_c, source_c, month", "count(*) AS n",
                   article_terms(qd, f, day_column=None))


def _ranked(counts: pd.DataFrame, column: str) -> pd.Series:
    """Articles per value of a column, most first, then by name."""
    totals = counts.groupby(column)["n"].sum()
    totals = totals[totals > 0]
    order = np.lexsort((totals.index.to_numpy().astype(str), -totals.to_numpy()))
    return pd.Series(totals.to_numpy()[order], index=pd.Index(totals.index.to_numpy()[order], name=column),
                     name="count")


def query_map_view(qd: QueryDataset, state: ViewState, sentence_limit: int, event_limit: int) -> map_page.MapView:
    """The Map: places with mention and event counts, their companions, and the pinned place's rows."""
    f = state.filters
    pin = state.options.pin if state.options.pin in qd.entity_index else None
    number = qd.entity_index[pin] if pin else -1
    pairs = None

    def companions(places: np.ndarray) -> list[str]:
        nonlocal pairs
        pairs = pair_counts(qd, f) if pairs is None else pairs
        return map_page.companions_text(qd, pairs["a"].to_numpy(), pairs["b"].to_numpy(), pairs["n"].to_numpy(),
                                        places)

    events = pd.DataFrame(columns=map_page.EVENT_COLUMNS)
    events_total, sentences, sentences_total = 0, pd.DataFrame(columns=map_page.SENTENCE_COLUMNS), 0
    if pin:
        involved = f"SELECT * FROM ({events_sql(qd, f)}) WHERE place = {number} OR actor_src = {number} " \
                   f"OR actor_tgt = {number}"
        events_total = int(qd.rows(f"SELECT count(*) FROM ({involved})")[0][0])
        frame = latest_events(qd, involved, event_limit)
        frame["date"] = frame["date"].where(frame["date"].notna(), frame["day"].astype(str).str[:10])
        events = frame[map_page.EVENT_COLUMNS].reset_index(drop=True)
        rows, sentences_total = sentences_naming(qd, f, number, "aday DESC NULLS LAST, art, idx", sentence_limit)
        fields = article_columns(qd, rows["art"].to_numpy())
        sentences = pd.DataFrame({**fields, "sentence": sentence_texts(qd, rows["sent"])},
                                 columns=map_page.SENTENCE_COLUMNS)
    return map_page.assemble_map(qd, state, mention_counts(qd, f), place_event_counts(qd, f), companions, events,
                                 events_total, sentences, sentences_total)


def query_network_view(qd: QueryDataset, state: ViewState, max_nodes: int, sentence_limit: int
                       ) -> network_page.NetworkView:
    """The Network: the most named actors and their co-mentions, from the pair counts."""
    f = state.filters

    def edges_of(in_top: np.ndarray) -> pd.DataFrame:
        pairs = pair_counts(qd, f)
        a, b = pairs["a"].to_numpy(), pairs["b"].to_numpy()
        keep = in_top[a] & in_top[b] & (a != b)
        sentence_level = pd.DataFrame({"a": a[keep], "b": b[keep], "weight": pairs["n"].to_numpy()[keep],
                                       "sample": pairs["sample"].to_numpy()[keep]})
        if state.options.level != "article":
            return sentence_level
        return _article_edges(qd, f, np.flatnonzero(in_top), sentence_level)

    def focus_sentences(number: int) -> pd.DataFrame:
        rows, _ = sentences_naming(qd, f, number, "aday DESC NULLS LAST, idx, sent", sentence_limit)
        return pd.DataFrame({"sentence": sentence_texts(qd, rows["sent"]),
                             **article_columns(qd, rows["art"].to_numpy())})

    return network_page.assemble_network(qd, state, mention_counts(qd, f), edges_of,
                                         lambda samples: _samples(qd, samples), focus_sentences, max_nodes)


def _samples(qd: QueryDataset, samples) -> list[str]:
    """Texts of sample sentences, '' where a link has none (-1)."""
    known = [int(s) for s in samples if s >= 0]
    texts = dict(zip(known, sentence_texts(qd, known)))
    return [texts.get(int(s), "") for s in samples]


def _article_edges(qd: QueryDataset, f: Filters, top: np.ndarray, sentence_level: pd.DataFrame) -> pd.DataFrame:
    """Article-level links among the chosen actors: articles with a kept sentence naming both."""
    kept = selected_sentences(qd, f)
    articles = f"SELECT DISTINCT art FROM sen WHERE sent IN ({kept})" if kept else \
        f"SELECT art FROM art {where(article_terms(qd, f, 'published'))}"
    counted = qd.frame(
        f"""WITH ae AS (SELECT DISTINCT art, ent FROM se WHERE ent IN {numbers(top)} AND art IN ({articles}))
            SELECT x.ent AS a, y.ent AS b, count(*) AS weight FROM ae x JOIN ae y ON x.art = y.art AND x.ent < y.ent
            GROUP BY ALL ORDER BY a, b"""
    ).astype({"a": np.int64, "b": np.int64, "weight": np.int64})
    return (
        counted.merge(sentence_level[["a", "b", "sample"]], on=["a", "b"], how="left")
        .fillna({"sample": -1})
        .astype({"sample": np.int64})
    )


# ---------------------------------------------------------------- timeline


# An event's period (a month or a year for partial dates, else its day) and the middle day it is drawn on.
PERIOD_START = ("CASE date_precision WHEN 'month' THEN date_trunc('month', day)::DATE "
                "WHEN 'year' THEN date_trunc('year', day)::DATE ELSE day END")
PERIOD_END = ("CASE date_precision WHEN 'month' THEN (date_trunc('month', day) + INTERVAL 1 MONTH)::DATE "
              "WHEN 'year' THEN (date_trunc('year', day) + INTERVAL 1 YEAR)::DATE ELSE day + 1 END")
MIDDLE_DAY = f"(({PERIOD_START}) + ((({PERIOD_END}) - ({PERIOD_START})) // 2)::INTEGER)"


def query_timeline_view(qd: QueryDataset, state: ViewState, limit: int) -> timeline_page.TimelineView:
    """The Timeline: the kept dated events counted per day, precision and type in one pass (periods and middle
    days are worked out on those few thousand counts), then the newest `limit` of them (those in the window
    first) fetched as rows, reading only the days the counts say hold them."""
    f, o = state.filters, state.options
    dated = f"SELECT * FROM ({events_sql(qd, f)}) WHERE day IS NOT NULL"
    tally = qd.frame(tally_sql(qd, f, dated))
    if not len(tally):
        return timeline_page._empty_view()
    days = _days(tally["day"])
    start, end = timeline_page.period_bounds(days, timeline_page._precisions(tally["date_precision"].to_numpy()))
    tally["middle"] = start + (end - start) // 2
    tally["period"] = timeline_page._period_start(days, o.time_bin)
    by_middle = tally.groupby("middle")["n"].sum()
    middles = by_middle.index.to_numpy().astype("datetime64[D]")
    data_window = densest_window_counted(middles, by_middle.to_numpy(np.int64))
    extent = timeline_page._padded(middles.min(), middles.max())
    window = timeline_page.zoom_window(o.zoom_from, o.zoom_to) or data_window
    low, high = np.datetime64(window[0], "D"), np.datetime64(window[1], "D")
    inside = ((tally["middle"] >= low) & (tally["middle"] <= high)).to_numpy()
    in_window = f"{MIDDLE_DAY} BETWEEN DATE '{low}' AND DATE '{high}'"
    plotted = _newest_dated(qd, dated, in_window, tally[inside], limit)
    if len(plotted) < limit:
        outside = _newest_dated(qd, dated, f"NOT ({in_window})", tally[~inside], limit - len(plotted))
        plotted = pd.concat([plotted, outside], ignore_index=True) if len(outside) else plotted

    shown = event_rows(qd, plotted)
    precision = timeline_page._precisions(plotted["date_precision"].to_numpy(dtype=object))
    start, end = timeline_page.period_bounds(_days(plotted["day"]), precision)
    shown["precision"], shown["start"], shown["end"] = precision, start, end
    shown["x"] = start + (end - start) // 2
    shown["when"] = timeline_page.date_text(shown)
    shown, y_order = timeline_page.chart_rows(shown, o.y_axis)

    counts = tally.groupby(["period", "type"], as_index=False)["n"].sum().sort_values(["period", "type"])
    counts = pd.DataFrame({"period": pd.to_datetime(_days(counts["period"])),
                           "type": counts["type"].to_numpy(dtype=object),
                           "events": counts["n"].to_numpy(np.int64)})
    milestones = timeline_page.milestones_between(days.min(), days.max())
    selected = pd.DataFrame()
    if o.event:
        selected = event_rows(qd, qd.frame("SELECT * FROM ev WHERE event_id = ? ORDER BY evn LIMIT 1", [o.event]))
    return timeline_page.TimelineView(
        events=shown.reset_index(drop=True),
        total=int(tally["n"].sum()),
        counts=counts,
        milestones=milestones,
        y_order=y_order,
        selected=selected,
        empty=False,
        data_window=data_window,
        extent=extent,
        window=window,
    )


def tally_sql(qd: QueryDataset, f: Filters, dated: str) -> str:
    """A query of the kept dated events counted per day, precision and type (n): from the daily aggregates when
    no actor or place narrows them, or one actor in a role does."""
    terms = article_terms(qd, f, day_column=None) + event_terms(f) + day_terms(f, "day") + ["day IS NOT NULL"]
    actor = actor_events(qd, f)
    if actor is not None:
        terms = [f"x = {actor}"] + role_terms(f) + terms
        return f"SELECT day, date_precision, type, sum(n)::BIGINT AS n FROM x_ev_d {where(terms)} GROUP BY ALL"
    if not (f.actors or f.places):
        return f"SELECT day, date_precision, type, sum(n)::BIGINT AS n FROM ev_d {where(terms)} GROUP BY ALL"
    return f"SELECT day, date_precision, type, count(*) AS n FROM ({dated}) GROUP BY ALL"


def _newest_dated(qd: QueryDataset, dated: str, condition: str, tally: pd.DataFrame, limit: int) -> pd.DataFrame:
    """The newest `limit` rows of a query of dated events that meet a condition, newest first (then by number),
    read from the days that the query's counts per day (`tally`, rows meeting the condition) say hold them."""
    if not len(tally) or limit <= 0:
        return qd.frame(f"SELECT * FROM ({dated}) LIMIT 0")
    per_day = tally.groupby("day")["n"].sum().sort_index(ascending=False)
    reached = np.flatnonzero(per_day.cumsum().to_numpy() >= limit)
    since = per_day.index[reached[0]] if len(reached) else per_day.index[-1]
    return qd.frame(f"SELECT * FROM ({dated}) WHERE day >= DATE '{pd.Timestamp(since).date()}' AND {condition} "
                    f"ORDER BY day DESC, evn LIMIT {int(limit)}")


def densest_window_counted(days: np.ndarray, counts: np.ndarray) -> tuple[pd.Timestamp, pd.Timestamp]:
    """densest_window of each day repeated `counts` times, from the distinct days alone (days sorted, unique)."""
    values = days.astype("datetime64[D]").astype(np.int64)
    ends = np.cumsum(counts)  # one past each day's last position in the repeated order
    starts = ends - counts
    total = int(ends[-1])
    keep = max(1, int(np.ceil(timeline_page.WINDOW_SHARE * total)))
    # Within a run of one day the span only grows, so the shortest span starts where some day's run starts.
    candidates = np.flatnonzero(starts <= total - keep)
    last_day = np.searchsorted(ends, starts[candidates] + keep - 1, side="right")
    widths = values[last_day] - values[candidates]
    low_run = int(candidates[np.argmin(widths)])
    high_run = int(last_day[np.argmin(widths)])
    near = max(timeline_page.NEAR_GAP * (values[high_run] - values[low_run]), 1)
    far = np.flatnonzero(np.diff(values) > near)  # a gap after run k
    before, after = far[far < low_run], far[far >= high_run]
    low_run = int(before.max()) + 1 if len(before) else 0
    high_run = int(after.min()) if len(after) else len(values) - 1
    return timeline_page._padded(np.datetime64(int(values[low_run]), "D"), np.datetime64(int(values[high_run]), "D"))


# ---------------------------------------------------------------- actor profile


def query_profile_view(qd: QueryDataset, state: ViewState, partner_limit: int, quote_limit: int
                       ) -> profile_page.ProfileView:
    """One actor's profile: their mentions, events by role, month and type, partners, places and quotes, each
    counted by DuckDB over what the other filters keep."""
    f = state.filters
    actor = next((a for a in f.actors if a in qd.entity_index), None)
    if actor is None:
        empty = pd.DataFrame()
        return profile_page.ProfileView(None, "", MISSING, MISSING, MISSING, (), None, None, 0, 0, 0, 0, empty,
                                        empty, empty, empty, 0, _actor_choices(qd))
    number = qd.entity_index[actor]
    others = replace_filters(f, actors=(), match="any", role="participant")
    row = qd.entities.iloc[number]
    involved = f"SELECT * FROM ({events_sql(qd, others)}) WHERE actor_src = {number} OR actor_tgt = {number}"
    as_source, as_target, total, quoted_sentences = _event_counts(qd, others, involved, number)
    together = _named_together(qd, others, number)
    wikidata = profile_page._wikidata(row.get("wikidata"))
    return profile_page.ProfileView(
        actor=actor,
        name=str(row["name"]),
        type=profile_page._text(row["type"]),
        country=profile_page._text(row["country_name"]) if profile_page._text(row["country"]) != MISSING
        else MISSING,
        sector=profile_page._text(row["sector"]),
        aliases=profile_page._aliases(qd, number),
        wikidata=wikidata,
        wikidata_url=profile_page.WIKIDATA.format(wikidata) if wikidata else None,
        mentions=_mentions_of(qd, others, number),
        events=int(total),
        as_source=int(as_source),
        as_target=int(as_target),
        timeline=_role_months(qd, others, involved, number),
        partners=_partners(qd, others, involved, number, together, partner_limit),
        places=_places(qd, together, partner_limit),
        quotes=_quotes(qd, others, involved, number, quote_limit),
        quotes_total=int(quoted_sentences),
        actors=_actor_choices(qd),
    )


def _aggregated(f: Filters) -> bool:
    """True when the profile's other filters are of articles and events only (no place): the per-actor event
    aggregates answer for them."""
    return not (f.places or f.actors)


def _actor_terms(qd: QueryDataset, f: Filters, number: int) -> list[str]:
    """Predicates of the filters on the per-actor daily event counts of one actor."""
    return [f"x = {number}"] + article_terms(qd, f, day_column=None) + event_terms(f) + day_terms(f, "day")


def _event_counts(qd: QueryDataset, f: Filters, involved: str, number: int) -> tuple[int, int, int, int]:
    """The actor's events as source, as target and in all, and the sentences of those it starts."""
    if not _aggregated(f):
        return qd.rows(
            f"SELECT count(*) FILTER (actor_src = {number}), count(*) FILTER (actor_tgt = {number}), count(*), "
            f"count(DISTINCT sent) FILTER (actor_src = {number}) FROM ({involved})")[0]
    as_source, as_target, total = qd.rows(
        f"""SELECT coalesce(sum(n) FILTER (role IN ('s', 'b')), 0), coalesce(sum(n) FILTER (role IN ('t', 'b')), 0),
                   coalesce(sum(n), 0) FROM x_ev_d {where(_actor_terms(qd, f, number))}""")[0]
    if _quotes_aggregated(f):
        quoted = qd.rows(f"SELECT count(*) FROM x_quotes {where(_quote_terms(qd, f, number))}")[0][0]
    else:
        quoted = qd.rows(f"SELECT count(DISTINCT sent) FROM ({involved}) WHERE actor_src = {number}")[0][0]
    return as_source, as_target, total, quoted


def _quotes_aggregated(f: Filters) -> bool:
    """True when the filters keep all the events of a sentence or none (language and source only), so that the
    first event the actor starts in each sentence, derived once, is the one shown."""
    return _aggregated(f) and not (event_terms(f) or f.date_from or f.date_to)


def _quote_terms(qd: QueryDataset, f: Filters, number: int) -> list[str]:
    """Predicates of the filters on the actor's quoted sentences."""
    return [f"x = {number}"] + article_terms(qd, f, day_column=None)


def _actor_choices(qd: QueryDataset) -> dict[str, str]:
    """Actors named at least once, most mentioned first: id → canonical name."""
    ents = qd.entities
    chosen = ents[ents["is_actor"].to_numpy() & (ents["mention_count"].to_numpy() > 0)]
    order = np.lexsort((chosen["name"].to_numpy().astype(str), -chosen["mention_count"].to_numpy()))
    return dict(zip(chosen["entity_id"].to_numpy()[order], chosen["name"].to_numpy()[order]))


def _mentions_of(qd: QueryDataset, f: Filters, number: int) -> int:
    """The entity's mentions in the sentences the filters keep."""
    kept = selected_sentences(qd, f)
    if kept:
        return int(qd.rows(f"SELECT count(*) FROM men WHERE ent = {number} AND sent IN ({kept})")[0][0])
    raw = "(SELECT *, date_trunc('month', aday) AS month FROM men)"
    inner = monthly(f, "men_m", raw, "aday", "sum(n) AS n", "ent", "count(*) AS n",
                    article_terms(qd, f, day_column=None) + [f"ent = {number}"])
    return int(qd.rows(f"SELECT coalesce(sum(n), 0) FROM ({inner})")[0][0])


def _named_together(qd: QueryDataset, f: Filters, number: int) -> np.ndarray:
    """Per entity, how many kept sentences name it with the entity (from the co-mention pairs)."""
    kept = selected_sentences(qd, f)
    other = f"CASE WHEN a = {number} THEN b ELSE a END"
    if not kept and not article_terms(qd, f):
        sql = f"SELECT {other} AS ent, n FROM pairs_t WHERE a = {number} OR b = {number}"
    elif kept:
        sql = (f"SELECT {other} AS ent, count(*) FROM pairs WHERE (a = {number} OR b = {number}) "
               f"AND sent IN ({kept}) GROUP BY ALL")
    else:
        raw = "(SELECT *, date_trunc('month', aday) AS month FROM pairs)"
        inner = monthly(f, "pairs_m", raw, "aday", "sum(n) AS n", f"{other} AS ent", "count(*) AS n",
                        article_terms(qd, f, day_column=None) + [f"(a = {number} OR b = {number})"])
        sql = f"SELECT ent, sum(n) FROM ({inner}) GROUP BY ent"
    return _per_entity(qd, qd.rows(sql))


def _role_months(qd: QueryDataset, f: Filters, involved: str, number: int) -> pd.DataFrame:
    """The entity's dated events per month, role and type."""
    source, target = profile_page.ROLES
    terms = _actor_terms(qd, f, number) + ["day IS NOT NULL"]
    counted = qd.frame(
        f"""SELECT month, role, type, sum(n)::BIGINT AS events FROM (
                SELECT date_trunc('month', day)::DATE AS month, '{source}' AS role, type, n FROM x_ev_d
                {where(terms + ["role IN ('s', 'b')"])}
                UNION ALL
                SELECT date_trunc('month', day)::DATE, '{target}', type, n FROM x_ev_d
                {where(terms + ["role IN ('t', 'b')"])})
            GROUP BY ALL ORDER BY month, role, type"""
    ) if _aggregated(f) else qd.frame(
        f"""SELECT month, role, type, count(*) AS events FROM (
                SELECT date_trunc('month', day)::DATE AS month, '{source}' AS role, type FROM ({involved})
                WHERE actor_src = {number} AND day IS NOT NULL
                UNION ALL
                SELECT date_trunc('month', day)::DATE, '{target}', type FROM ({involved})
                WHERE actor_tgt = {number} AND day IS NOT NULL)
            GROUP BY ALL ORDER BY month, role, type"""
    )
    return pd.DataFrame({
        "month": _days(counted["month"]).astype("datetime64[M]").astype("datetime64[s]"),
        "role": counted["role"].to_numpy(dtype=object),
        "type": counted["type"].to_numpy(dtype=object),
        "events": counted["events"].to_numpy(np.int64),
    })


def _partners(qd: QueryDataset, f: Filters, involved: str, number: int, together: np.ndarray, limit: int
              ) -> pd.DataFrame:
    """Actors sharing the entity's events or sentences, most shared events first, then sentences, then name."""
    shared = _shared_events(qd, f, involved, number)
    ents = qd.entities
    numbers = np.flatnonzero(ents["is_actor"].to_numpy() & (shared + together > 0))
    names = ents["name"].to_numpy()[numbers].astype(str)
    numbers = numbers[np.lexsort((names, -together[numbers], -shared[numbers]))][:limit]
    return pd.DataFrame({"entity_id": ents["entity_id"].to_numpy()[numbers], "name": ents["name"].to_numpy()[numbers],
                         "events": shared[numbers], "sentences": together[numbers]})


def _shared_events(qd: QueryDataset, f: Filters, involved: str, number: int) -> np.ndarray:
    """Per entity, how many of the kept events it shares with the entity, one as source and the other as target."""
    if _aggregated(f) and not event_terms(f):
        other = f"CASE WHEN actor_src = {number} THEN actor_tgt ELSE actor_src END"
        raw = f"""(SELECT {other} AS other, lang_c, source_c, day, date_trunc('month', day) AS month FROM ev
                  WHERE (actor_src = {number} AND actor_tgt >= 0 AND actor_tgt != {number})
                     OR (actor_tgt = {number} AND actor_src >= 0 AND actor_src != {number}))"""
        inner = monthly(f, "x_partner_m", raw, "day", "sum(n) AS n", "other", "count(*) AS n",
                        article_terms(qd, f, day_column=None), [f"x = {number}"])
        return _per_entity(qd, qd.rows(f"SELECT other, sum(n) FROM ({inner}) GROUP BY other"))
    return _per_entity(qd, qd.rows(
        f"""SELECT other, count(*) FROM (
                SELECT actor_tgt AS other FROM ({involved}) WHERE actor_src = {number} AND actor_tgt != {number}
                UNION ALL
                SELECT actor_src FROM ({involved}) WHERE actor_tgt = {number} AND actor_src != {number})
            WHERE other >= 0 GROUP BY other"""))


def _places(qd: QueryDataset, together: np.ndarray, limit: int) -> pd.DataFrame:
    """Places named in the entity's kept sentences, most often first."""
    ents = qd.entities
    numbers = np.flatnonzero(ents["is_place"].to_numpy() & (together > 0))
    numbers = numbers[np.lexsort((ents["name"].to_numpy()[numbers].astype(str), -together[numbers]))][:limit]
    return pd.DataFrame({
        "entity_id": ents["entity_id"].to_numpy()[numbers],
        "name": ents["name"].to_numpy()[numbers],
        "country_name": [profile_page._text(c) for c in ents["country_name"].to_numpy()[numbers]],
        "sentences": together[numbers],
    })


def _quotes(qd: QueryDataset, f: Filters, involved: str, number: int, limit: int) -> pd.DataFrame:
    """The sentences of the events the entity starts, one row per sentence (its first event), newest first."""
    chosen = [int(e) for (e,) in qd.rows(
        f"""SELECT evn FROM x_quotes {where(_quote_terms(qd, f, number))}
            ORDER BY day DESC NULLS LAST, sent LIMIT {int(limit)}""")] if _quotes_aggregated(f) else \
        _quoted_events(qd, involved, number, limit)
    rows = qd.frame(f"SELECT * FROM ev WHERE evn IN {LISTED}", [chosen]).set_index("evn").reindex(chosen)
    return event_rows(qd, rows.reset_index())


def _quoted_events(qd: QueryDataset, involved: str, number: int, limit: int) -> list[int]:
    """The first event of each sentence in which the entity starts one of the kept events, newest first."""
    return [int(e) for (e,) in qd.rows(
        f"""WITH own AS (SELECT evn, sent, day FROM ({involved}) WHERE actor_src = {number})
            SELECT evn FROM own WHERE evn IN (SELECT min(evn) FROM own GROUP BY sent)
            ORDER BY day DESC NULLS LAST, sent LIMIT {int(limit)}""")]


# ---------------------------------------------------------------- evidence


SEARCHED_ROWS = 20_000  # the newest events, mentions and articles a search looks through, each


def _literal(text: str) -> str:
    """A SQL string literal."""
    return "'" + text.replace("'", "''") + "'"


def _contains_sql(column: str, word: str) -> str:
    """SQL true when the column, folded (lower case, accents dropped), contains the folded search word. ASCII
    text needs only lower case; other text is folded by DuckDB, which keeps Hangul syllables whole, so the word
    is compared in composed form (NFC) there."""
    composed = unicodedata.normalize("NFC", word)
    ascii_branch = f"contains(lower({column}), {_literal(word)})" if word.isascii() else "false"
    return (f"(CASE WHEN strlen({column}) = length({column}) THEN {ascii_branch} "
            f"ELSE contains(strip_accents(lower({column})), {_literal(composed)}) END)")


def _named_by(qd: QueryDataset, word: str) -> list[int]:
    """Entity numbers whose label contains the word."""
    cache = qd.extra.setdefault("folded_labels", {})
    if "labels" not in cache:
        cache["labels"] = evidence_page._fold_array(pa.array(qd.entities["label"].astype(object), pa.large_string()))
    return np.flatnonzero(evidence_page._contains(cache["labels"], word)).tolist()


def _sentences_saying(word: str, articles: str, since: str, cut_only: bool = False) -> str:
    """A query of the sentences of some articles whose shown text (their first event's evidence, else cut from
    the article around their mentions; with `cut_only`, only the latter) contains the word, read from the text
    each sentence keeps; `since` bounds the article days read (see searched_rows)."""
    only_cut = "AND cut" if cut_only else ""
    return f"""
        WITH spans AS MATERIALIZED (SELECT sent, said FROM sen WHERE art IN ({articles}) {since} {only_cut})
        SELECT sent FROM spans WHERE {_contains_sql('said', word)}"""


def _titled(word: str, articles: str) -> str:
    """A query of those of some articles whose title contains the word (materialised first, as above)."""
    return f"""WITH titles AS MATERIALIZED (SELECT art, title FROM art WHERE art IN ({articles}))
        SELECT art FROM titles WHERE {_contains_sql('title', word)}"""


def _event_search(qd: QueryDataset, events: str, word: str, since: str) -> str:
    """The events of a query whose sentence (their own evidence), trigger, article title or actor and place
    names contain the word."""
    named = numbers(_named_by(qd, word))
    # An event without evidence of its own is found by its sentence's text only when no event of the sentence
    # has evidence (the first one's would be shown): the sentence cut from the article.
    cut_sentences = _sentences_saying(word, "SELECT art FROM kept WHERE evidence = ''", since, cut_only=True)
    return f"""WITH kept AS MATERIALIZED ({events})
        SELECT * FROM kept WHERE (evidence != '' AND {_contains_sql('evidence', word)})
            OR (evidence = '' AND sent IN ({cut_sentences}))
            OR {_contains_sql('trigger', word)} OR art IN ({_titled(word, 'SELECT art FROM kept')})
            OR actor_src IN {named} OR actor_tgt IN {named} OR place IN {named}"""


def _mention_search(qd: QueryDataset, mentions: str, word: str, since: str) -> str:
    """The mentions of a query whose sentence, article title, entity name or written form contain the word."""
    named = numbers(_named_by(qd, word))
    return f"""WITH kept AS MATERIALIZED ({mentions})
        SELECT * FROM kept WHERE sent IN ({_sentences_saying(word, 'SELECT DISTINCT art FROM kept', since)})
            OR art IN ({_titled(word, 'SELECT art FROM kept')}) OR ent IN {named} OR {_contains_sql('surface', word)}"""


def _article_search(qd: QueryDataset, articles: str, word: str, since: str) -> str:
    """The articles of a query whose title, one of whose sentences, or one of whose named entities contain the
    word."""
    named = numbers(_named_by(qd, word))
    return f"""WITH kept AS MATERIALIZED ({articles})
        SELECT * FROM kept WHERE {_contains_sql('title', word)}
            OR art IN (SELECT art FROM sen WHERE sent IN ({_sentences_saying(word, 'SELECT art FROM kept', since)})
                       {since})
            OR art IN (SELECT art FROM se WHERE ent IN {named} AND art IN (SELECT art FROM kept) {since})"""


def _only_actors(f: Filters) -> bool:
    """True when the sentences are narrowed by actors alone, any one of which is enough: a sentence is kept
    exactly when it names one of them."""
    return bool(f.actors) and (f.match == "any" or len(f.actors) == 1) and not (
        f.places or event_terms(f))


def kept_mentions_sql(qd: QueryDataset, f: Filters) -> str:
    """A query of the mentions the filters keep: those of kept sentences, only the chosen actors' and places'
    when some are chosen."""
    kept = selected_sentences(qd, f)
    # A chosen actor's mention lies in a sentence naming that actor: no lookup of the sentences is needed.
    terms = [f"sent IN ({kept})"] if kept and not _only_actors(f) else article_terms(qd, f)
    named = entity_numbers(qd, f.actors + f.places)
    if named:
        terms.append(f"ent IN {numbers(named)}")
    return f"SELECT * FROM men {where(terms)}"


def kept_articles_sql(qd: QueryDataset, f: Filters, since: str = "") -> str:
    """A query of the articles the filters keep: by language, source and date, and with a kept sentence when
    actors, places or event filters narrow the sentences. `since` (a predicate on days) bounds the sentences read
    when actors alone narrow them."""
    terms = article_terms(qd, f, "published")
    kept = selected_sentences(qd, f)
    if _only_actors(f):
        named = [f"ent IN {numbers(entity_numbers(qd, f.actors))}"] + ([f"aday {since}"] if since else [])
        terms.append(f"art IN (SELECT art FROM se {where(named)})")
    elif kept:
        terms.append(f"art IN (SELECT art FROM sen WHERE sent IN ({kept}))")
    return f"SELECT * FROM art {where(terms)}"


def query_evidence_view(qd: QueryDataset, state: ViewState, limit: int) -> evidence_page.EvidenceView:
    """The Evidence page: the newest `limit` events, mentions and articles the filters and search keep, how many
    there are, the selected event and the article to read."""
    f, o = state.filters, state.options
    events, mentions, articles = events_sql(qd, f), kept_mentions_sql(qd, f), kept_articles_sql(qd, f)
    filtered = [event_total(qd, f), mention_total(qd, f, mentions), article_total(qd, f, articles)]
    words = evidence_page.search_words(o.search)
    tables = (("ev", "evn", "day"), ("men", "mrow", "aday"), ("art", "art", "published"))
    kept = [events, mentions, articles]
    newest = [f"ORDER BY {day} DESC NULLS LAST, {number}" for _, number, day in tables]
    if words:
        # A search reads the newest SEARCHED_ROWS rows of each table only, so that it answers in seconds on any
        # dataset; the numbers of the rows it finds (at most that many) are then counted and listed at once.
        kept, bounds = zip(*(searched_rows(qd, sql, order, table) for sql, order, (table, _, _) in
                             zip(kept, newest, tables)))
        for word in words:
            kept = [_event_search(qd, kept[0], word, bounds[0]), _mention_search(qd, kept[1], word, bounds[1]),
                    _article_search(qd, kept[2], word, bounds[2])]
        found = [[n for (n,) in qd.rows(f"SELECT {number} FROM ({sql}) {order}")]
                 for sql, order, (_, number, _) in zip(kept, newest, tables)]
        totals = [len(numbers_found) for numbers_found in found]
        event_list, mention_list, article_list = (
            qd.frame(f"SELECT * FROM searched_{table} WHERE {number} IN {LISTED}", [rows[:limit]])
            .set_index(number).reindex(rows[:limit]).reset_index()
            for rows, (table, number, _) in zip(found, tables))
    else:
        totals = filtered
        bounded = [None, None, lambda since: kept_articles_sql(qd, f, since)]
        event_list, mention_list, article_list = (
            newest_rows(qd, sql, table, day, number, limit, bound)
            for sql, (table, number, day), bound in zip(kept, tables, bounded))
    selected = query_event_detail(qd, o.event) if o.event else None
    article_id = o.article or (selected["article_id"] if selected else None)
    highlight = selected["event_number"] if selected and selected["article_id"] == article_id else None
    fetched = articles_by_number(qd, np.concatenate([frame["art"].to_numpy(np.int64) for frame in
                                                     (event_list, mention_list, article_list)]))
    return evidence_page.EvidenceView(
        events=event_frame(qd, event_list, fetched),
        events_total=totals[0],
        events_filtered=filtered[0],
        mentions=mention_frame(qd, mention_list, fetched),
        mentions_total=totals[1],
        mentions_filtered=filtered[1],
        articles=_article_frame(qd, article_list["art"].to_numpy(np.int64), events, mentions, fetched),
        articles_total=totals[2],
        articles_filtered=filtered[2],
        limit=limit,
        words=words,
        selected_event=selected,
        article=query_article_reader(qd, article_id, highlight_event=highlight) if article_id else None,
        empty=filtered[0] == 0 and filtered[2] == 0,
    )


def mention_total(qd: QueryDataset, f: Filters, mentions: str) -> int:
    """How many mentions the filters keep (`mentions` their query): from the monthly counts when language, source
    and dates alone filter, or when one actor alone narrows the sentences (its own mentions are kept)."""
    actor = one_actor(qd, f)
    if actor is None and narrowed(f):
        return _count(qd, mentions)
    raw = "(SELECT *, date_trunc('month', aday) AS month FROM men)"
    terms = article_terms(qd, f, day_column=None) + ([f"ent = {actor}"] if actor is not None else [])
    inner = monthly(f, "men_m", raw, "aday", "sum(n) AS n", "1 AS one", "count(*) AS n", terms)
    return int(qd.rows(f"SELECT coalesce(sum(n), 0) FROM ({inner})")[0][0])


def article_total(qd: QueryDataset, f: Filters, articles: str) -> int:
    """How many articles the filters keep (`articles` their query), from the monthly counts where they answer."""
    if one_actor(qd, f) is None and narrowed(f):
        return _count(qd, articles)
    return int(qd.rows(f"SELECT coalesce(sum(n), 0) FROM ({article_counts_sql(qd, f)})")[0][0])


def newest_rows(qd: QueryDataset, sql: str, table: str, day: str, number: str, limit: int,
                bounded: Callable[[str], str] | None = None) -> pd.DataFrame:
    """The newest `limit` rows of a query over a table (by `day`, undated last, then by `number`): looked for in the
    last month, then the last year of the table's days, before every row is sorted. `bounded(">= DATE 'd'")`,
    when given, is the query with that bound on the days inside it too."""
    newest = _newest_day(qd, table, day)
    for days in RECENT_WINDOWS if newest else ():
        bound = f">= DATE '{newest - pd.Timedelta(days=days).to_pytimedelta()}'"
        windowed = bounded(bound) if bounded else sql
        rows = _top_rows(qd, windowed, f"{day} {bound}", day, number, limit)
        if len(rows) >= limit:
            return rows
    return _top_rows(qd, sql, "true", day, number, limit)


def _top_rows(qd: QueryDataset, sql: str, condition: str, day: str, number: str, limit: int) -> pd.DataFrame:
    """The first `limit` rows of a query by day (newest first) and row number."""
    order = f"ORDER BY {day} DESC NULLS LAST, {number}"
    rows, keys = _first_rows_sql(qd, sql, condition, order, number, limit)
    return qd.frame(rows, [keys])


def _first_rows_sql(qd: QueryDataset, sql: str, condition: str, order: str, number: str,
                    limit: int) -> tuple[str, list[int]]:
    """A query of the first `limit` rows of a query in an order, and the row numbers it takes as its parameter:
    the numbers are sorted first and only their rows read whole, since sorting every wide row (titles, texts)
    costs ten times as much."""
    keys = [row[0] for row in qd.rows(f"SELECT {number} FROM ({sql}) WHERE {condition} {order} LIMIT {int(limit)}")]
    return f"SELECT * FROM ({sql}) WHERE {condition} AND {number} IN (SELECT unnest(?::BIGINT[])) {order}", keys


def _newest_day(qd: QueryDataset, table: str, day: str):
    """The newest day of a table's day column (False when it has none), asked once."""
    cache = qd.extra.setdefault("newest_day", {})
    if (table, day) not in cache:
        cache[(table, day)] = qd.rows(f"SELECT max({day}) FROM {table}")[0][0] or False
    return cache[(table, day)]


def searched_rows(qd: QueryDataset, sql: str, order: str, table: str) -> tuple[str, str]:
    """The newest SEARCHED_ROWS rows of a query, held in a temporary table of this connection: a query of them,
    and a predicate bounding the article days of their rows (empty when one is undated), so that the lookups of
    their sentences skip the blocks of older days."""
    held = f"searched_{table}"
    newest_day = {"ev": "day", "men": "aday", "art": "published"}[table]
    newest = _newest_day(qd, table, newest_day)
    number = {"ev": "evn", "men": "mrow", "art": "art"}[table]

    def hold(condition: str) -> int:
        """Keep the first rows the condition lets through; how many there are."""
        rows, keys = _first_rows_sql(qd, sql, condition, order, number, SEARCHED_ROWS)
        qd.rows(f"CREATE OR REPLACE TEMP TABLE {held} AS {rows}", [keys])
        return len(keys)

    # As in newest_rows: the last month, then the last year, before every row is sorted.
    for days in RECENT_WINDOWS if newest else ():
        since = newest - pd.Timedelta(days=days).to_pytimedelta()
        if hold(f"{newest_day} >= DATE '{since}'") >= SEARCHED_ROWS:
            break
    else:
        hold("true")
    day = "published" if table == "art" else "aday"
    first, undated = qd.rows(f"SELECT min({day}), count(*) FILTER ({day} IS NULL) FROM {held}")[0]
    return f"SELECT * FROM {held}", f"AND aday >= DATE '{first}'" if first is not None and not undated else ""


def _count(qd: QueryDataset, sql: str) -> int:
    """How many rows a query gives."""
    return int(qd.rows(f"SELECT count(*) FROM ({sql})")[0][0])


def event_frame(qd: QueryDataset, rows: pd.DataFrame, fetched: pd.DataFrame | None = None) -> pd.DataFrame:
    """Events (ev rows) with their actors, place, sentence and article, as evidence.event_frame gives them."""
    article = article_columns(qd, rows["art"].to_numpy(np.int64), fetched)
    src, tgt, place = (rows[c].to_numpy(np.int64) for c in ("actor_src", "actor_tgt", "place"))
    src_names = evidence_page._names_or_missing(qd, src)
    tgt_names = evidence_page._names_or_missing(qd, tgt)
    return pd.DataFrame(
        {
            "event_id": rows["event_id"].to_numpy(dtype=object),
            "day": _days(rows["day"]),
            "date": evidence_page._or_missing(rows["date"].to_numpy(dtype=object)),
            "date_precision": evidence_page._or_missing(rows["date_precision"].to_numpy(dtype=object)),
            "type": rows["type"].to_numpy(dtype=object),
            "modality": rows["modality"].to_numpy(dtype=object),
            "mode": rows["mode"].to_numpy(dtype=object),
            "source_id": evidence_page._ids_or_none(qd, src),
            "source_name": src_names,
            "target_id": evidence_page._ids_or_none(qd, tgt),
            "target_name": tgt_names,
            "pair": pd.Series(src_names, dtype=object).str.cat(pd.Series(tgt_names, dtype=object), sep=" → ")
            .to_numpy(),
            "place_id": evidence_page._ids_or_none(qd, place),
            "place": evidence_page._names_or_missing(qd, place),
            "trigger": rows["trigger"].to_numpy(dtype=object),
            "evidence": rows["evidence"].to_numpy(dtype=object),
            "confidence": rows["confidence"].to_numpy(float),
            "sentence": rows["sent"].to_numpy(np.int64) & ((1 << SENTENCE_BITS) - 1),
            "title": article["title"],
            "published": article["published"],
            "outlet": article["source"],
            "language": article["language"],
            "url": article["url"],
            "article_id": article["article_id"],
        }
    )


def mention_frame(qd: QueryDataset, rows: pd.DataFrame, fetched: pd.DataFrame | None = None) -> pd.DataFrame:
    """Mentions (men rows) with their entity, sentence and article, as evidence.mention_frame gives them."""
    article = article_columns(qd, rows["art"].to_numpy(np.int64), fetched)
    ents = rows["ent"].to_numpy(np.int64)
    sents = rows["sent"].to_numpy(np.int64)
    distinct = np.unique(sents)
    texts = dict(zip(distinct.tolist(), sentence_texts(qd, distinct)))
    entities = qd.entities
    return pd.DataFrame(
        {
            "entity": entities["name"].to_numpy(dtype=object)[ents],
            "entity_id": entities["entity_id"].to_numpy(dtype=object)[ents],
            "type": evidence_page._or_missing(entities["type"].to_numpy(dtype=object)[ents]),
            "surface": rows["surface"].to_numpy(dtype=object),
            "sentence": np.array([texts[s] for s in sents.tolist()], dtype=object),
            "sentence_index": sents & ((1 << SENTENCE_BITS) - 1),
            "start": rows["start"].to_numpy(np.int64),
            "end": rows["end"].to_numpy(np.int64),
            "title": article["title"],
            "published": article["published"],
            "source": article["source"],
            "language": article["language"],
            "url": article["url"],
            "article_id": article["article_id"],
        }
    )


def _article_frame(qd: QueryDataset, arts: np.ndarray, events: str, mentions: str,
                   fetched: pd.DataFrame | None = None) -> pd.DataFrame:
    """Articles with how many filtered events and mentions each holds, in the order given."""
    listed = _listed(set(arts.tolist()))
    article = article_columns(qd, arts, fetched)
    published = article["published"]
    # Rows carry their article's day: bounding it lets DuckDB skip the blocks of older days.
    since = f"AND aday >= DATE '{published.min()}'" if len(arts) and not np.isnat(published).any() else ""
    per_article = {
        name: dict(qd.rows(f"SELECT art, count(*) FROM ({sql}) WHERE art IN {LISTED} {since} GROUP BY art",
                           [listed]))
        for name, sql in (("events", events), ("mentions", mentions))
    } if len(arts) else {"events": {}, "mentions": {}}
    return pd.DataFrame(
        {
            "published": article["published"],
            "title": article["title"],
            "source": article["source"],
            "language": article["language"],
            "events": np.array([per_article["events"].get(a, 0) for a in arts.tolist()], np.int64),
            "mentions": np.array([per_article["mentions"].get(a, 0) for a in arts.tolist()], np.int64),
            "url": article["url"],
            "article_id": article["article_id"],
        }
    )


def query_event_detail(qd: QueryDataset, event_id: str) -> dict | None:
    """What the detail panel shows of one event, as evidence.event_detail gives it, or None."""
    rows = qd.frame("SELECT * FROM ev WHERE event_id = ? ORDER BY evn LIMIT 1", [event_id])
    if not len(rows):
        return None
    row = event_frame(qd, rows).iloc[0].to_dict()
    row["event_number"] = int(rows["evn"].iat[0])
    row["day"] = str(row["day"])[:10] if not pd.isna(row["day"]) else MISSING
    row["published"] = str(row["published"])[:10] if not pd.isna(row["published"]) else MISSING
    confidence = row["confidence"]
    row["confidence"] = None if confidence is None or np.isnan(confidence) else float(confidence)
    return row


def query_article_reader(qd: QueryDataset, article_id: str, highlight_event: int | None = None) -> dict | None:
    """An article's text as safe HTML with its mentions and the selected event's sentence marked, as
    evidence.article_reader gives it."""
    found = qd.frame("SELECT a.art, a.title, a.published, a.source, a.url, a.language, t.text FROM art a "
                     "JOIN art_text t ON t.art = a.art WHERE a.article_id = ?", [article_id])
    if not len(found):
        return None
    a = found.iloc[0]
    number, text = int(a["art"]), str(a["text"] or "")
    span, event_type = None, None
    if highlight_event is not None:
        event = qd.frame(f"SELECT e.art, e.type, e.evidence, s.sent, s.span_first, s.span_last FROM ev e "
                         f"JOIN sen s ON s.sent = e.sent WHERE e.evn = {int(highlight_event)}")
        if len(event) and int(event["art"].iat[0]) == number:
            span = _event_span(qd, event.iloc[0], text)
            event_type = event["type"].iat[0]
    mentions = qd.frame(f'SELECT start, "end", ent FROM men WHERE art = {number} ORDER BY start, mrow')
    names = qd.entities["name"].to_numpy(dtype=object)
    return {
        "article_id": article_id,
        "title": a["title"],
        "published": pd.Timestamp(a["published"]) if not pd.isna(a["published"]) else pd.NaT,
        "source": a["source"],
        "url": a["url"],
        "language": a["language"],
        "html": evidence_page._marked_html(text, mentions, qd, span, event_type),
        "sentence": text[span[0]: span[1]] if span else None,
        "entities": sorted(set(names[mentions["ent"].to_numpy(np.int64)])),
    }


def _event_span(qd: QueryDataset, event: pd.Series, text: str) -> tuple[int, int] | None:
    """Where an event's sentence lies in its article's text: the evidence where it is written nearest the
    sentence's mentions, else the sentence around them."""
    has_mentions = not pd.isna(event["span_first"]) and int(event["span_last"]) >= 0
    first, last = (int(event["span_first"]), int(event["span_last"])) if has_mentions else (0, -1)
    found = evidence_page.evidence_nearest(text, event["evidence"], first)
    if found is not None:
        return found
    if last < 0 or first > len(text):
        return None
    sentence = sentence_texts(qd, [int(event["sent"])])[0]
    start = text.rfind(sentence, 0, first + 1) if sentence else -1
    return (start, start + len(sentence)) if start >= 0 else None
