"""The dataset every page reads: tables coded as integers, sidebar choices, filter masks and sentence rows.

Loading turns the four tables into integer-coded arrays once (article, sentence and entity numbers), so
that every filter is a boolean mask and every count a bincount: a page's data step stays well under a
second on 100k articles. Nothing here imports streamlit; the pages only draw what these functions return.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Set
from dataclasses import dataclass, field
from functools import cached_property, lru_cache
from pathlib import Path

import numpy as np
import pandas as pd

from analysis import geo, network, store
from analysis.palette import MISSING
from analysis.filters import Filters, Vocabulary

TABLES = ("articles", "entities", "mentions", "events")
PLACE_TYPES = ("GPE", "LOC", "FAC")
NO_DATE = np.datetime64("NaT", "D")
TYPE_COLOURS = {"PERSON": "#fde68a", "ORG": "#bfdbfe", "GPE": "#bbf7d0", "LOC": "#bbf7d0", "FAC": "#fbcfe8"}
WEB_LINK = re.compile(r"https?://", re.IGNORECASE)
SENTENCE_END = re.compile(r"[.!?。！？]\s|\n")


class DataUnavailable(Exception):
    """The data folder is missing or unreadable; the message says which file and why."""


@dataclass(frozen=True)
class RawTables:
    """The four contract tables, as analysis.store.Tables holds them."""

    articles: pd.DataFrame
    entities: pd.DataFrame
    mentions: pd.DataFrame
    events: pd.DataFrame


def dataset_signature(data_dir: Path) -> tuple:
    """What identifies a dataset's version on disk: its manifest's (or whole files') size and time."""
    return store.signature(data_dir)


def has_dataset(data_dir: Path) -> bool:
    """True when the folder holds a dataset."""
    return store.has_tables(data_dir)


def read_tables(data_dir: Path) -> RawTables:
    """The four tables from a data folder."""
    try:
        tables = store.load_tables(data_dir)
    except store.DatasetError as error:  # names the file and the problem: pass it on as is
        raise DataUnavailable(str(error)) from error
    return RawTables(*(getattr(tables, name) for name in TABLES))


@dataclass(eq=False)
class Dataset:
    """The tables coded as integers for fast masking; built once per data folder version."""

    key: str
    articles: pd.DataFrame  # row i = article number i
    entities: pd.DataFrame  # row i = entity number i
    mentions: pd.DataFrame  # art, sent, ent (numbers), start, end, surface
    events: pd.DataFrame  # event_id, art, sent, src/tgt/place (numbers, -1 if none), day, ...
    sent_art: np.ndarray  # sentence number → article number
    sent_index: np.ndarray  # sentence number → sentence index within its article
    se_sent: np.ndarray  # distinct (sentence, entity) rows, mentions and event roles together
    se_ent: np.ndarray
    pair_sent: np.ndarray  # sentence-level co-mentions, sorted by pair
    pair_code: np.ndarray
    pair_a: np.ndarray  # pair code → entity numbers (a < b)
    pair_b: np.ndarray
    extra: dict = field(default_factory=dict)

    @property
    def n_sentences(self) -> int:
        """How many distinct sentences carry a mention or an event."""
        return len(self.sent_art)

    def arr(self, table: str, column: str) -> np.ndarray:
        """A column as a numpy array, converted once (Arrow-backed strings are slow to convert per call)."""
        key = (table, column)
        cache = self.extra.setdefault("arrays", {})
        if key not in cache:
            cache[key] = getattr(self, table)[column].to_numpy()
        return cache[key]

    @cached_property
    def entity_index(self) -> dict[str, int]:
        """Entity id → entity number."""
        return {e: i for i, e in enumerate(self.entities["entity_id"])}

    @cached_property
    def article_index(self) -> dict[str, int]:
        """Article id → article number."""
        return {a: i for i, a in enumerate(self.articles["article_id"])}

    @cached_property
    def article_entities(self) -> tuple[np.ndarray, np.ndarray]:
        """Distinct (article, entity) rows, for article-level co-mentions."""
        codes = np.unique(self.sent_art[self.se_sent].astype(np.int64) * len(self.entities) + self.se_ent)
        return (codes // len(self.entities)).astype(np.int32), (codes % len(self.entities)).astype(np.int32)


def load_dataset(data_dir: Path) -> Dataset:
    """Read and prepare a data folder for the dashboard."""
    tables = read_tables(data_dir)
    return prepare(tables, key=f"{data_dir.resolve()}|{dataset_signature(data_dir)}")


def prepare(tables: RawTables, key: str = "memory") -> Dataset:
    """Code the contract tables as integers and precompute sentence membership and co-mention pairs."""
    articles = _prepare_articles(tables.articles)
    entities = _prepare_entities(tables.entities)
    article_number = pd.Index(articles["article_id"])
    entity_number = pd.Index(entities["entity_id"])

    m = tables.mentions
    m_art = article_number.get_indexer(m["article_id"].astype(str))
    m_ent = entity_number.get_indexer(m["entity_id"].astype(str))
    keep = (m_art >= 0) & (m_ent >= 0)  # rows pointing at unknown articles or entities cannot be shown
    m = m[keep]
    m_art, m_ent = m_art[keep], m_ent[keep]

    e = tables.events
    e_art = article_number.get_indexer(e["article_id"].astype(str))
    e = e[e_art >= 0]
    e_art = e_art[e_art >= 0]

    # Sentence numbers: one per distinct (article, sentence index) across mentions and events.
    m_key = m_art.astype(np.int64) << 20 | m["sentence"].to_numpy(np.int64)
    e_key = e_art.astype(np.int64) << 20 | e["sentence"].fillna(0).to_numpy(np.int64)
    sentence_keys, inverse = np.unique(np.concatenate([m_key, e_key]), return_inverse=True)
    m_sent, e_sent = inverse[: len(m_key)].astype(np.int32), inverse[len(m_key) :].astype(np.int32)

    mentions = pd.DataFrame(
        {
            "art": m_art.astype(np.int32),
            "sent": m_sent,
            "ent": m_ent.astype(np.int32),
            "start": m["start"].to_numpy(np.int64),
            "end": m["end"].to_numpy(np.int64),
            "surface": m["surface"].astype(str).to_numpy(),
        }
    )
    events = _prepare_events(e, e_art, e_sent, entity_number, articles)

    roles = [(events["sent"].to_numpy(), events[c].to_numpy()) for c in ("src", "tgt", "place")]
    se_codes = np.concatenate(
        [mentions["sent"].to_numpy(np.int64) * len(entities) + mentions["ent"].to_numpy()]
        + [s.astype(np.int64) * len(entities) + r for s, r in roles if len(s)]
    )
    role_ok = np.concatenate([np.ones(len(mentions), bool)] + [r >= 0 for s, r in roles if len(s)])
    se_codes = np.unique(se_codes[role_ok])
    se_sent = (se_codes // max(len(entities), 1)).astype(np.int32)
    se_ent = (se_codes % max(len(entities), 1)).astype(np.int32)

    pairs = network.pairs_within_groups(se_sent, se_ent)
    pair_codes = pairs["a"].to_numpy(np.int64) * len(entities) + pairs["b"].to_numpy(np.int64)
    unique_pairs, pair_code = np.unique(pair_codes, return_inverse=True)
    order = np.argsort(pair_code, kind="stable")

    dataset = Dataset(
        key=key,
        articles=articles,
        entities=entities,
        mentions=mentions,
        events=events,
        sent_art=(sentence_keys >> 20).astype(np.int32),
        sent_index=(sentence_keys & (2**20 - 1)).astype(np.int32),
        se_sent=se_sent,
        se_ent=se_ent,
        pair_sent=pairs["group"].to_numpy(np.int32)[order],
        pair_code=pair_code.astype(np.int32)[order],
        pair_a=(unique_pairs // max(len(entities), 1)).astype(np.int32),
        pair_b=(unique_pairs % max(len(entities), 1)).astype(np.int32),
    )
    _prepare_sentence_spans(dataset)
    _prepare_labels(dataset)
    return dataset


def _prepare_articles(frame: pd.DataFrame) -> pd.DataFrame:
    """Articles with parsed dates, deduplicated by id."""
    frame = frame.drop_duplicates("article_id").reset_index(drop=True)
    out = pd.DataFrame(
        {
            "article_id": frame["article_id"].astype(str),
            "title": frame["title"].fillna("(untitled)").astype(str),
            "published": pd.to_datetime(frame["published"], errors="coerce", format="mixed").to_numpy("datetime64[D]")
            if len(frame)
            else np.array([], "datetime64[D]"),
            "source": frame["source"].where(frame["source"].notna() & frame["source"].astype(str).str.strip().ne(""), MISSING).astype(str),
            # Only web links: a javascript: or data: URL from a scraped page must never become a clickable link.
            "url": pd.Series(
                [u if isinstance(u, str) and WEB_LINK.match(u) else None for u in frame["url"]],
                dtype=object,
                index=frame.index,
            ),
            "language": frame["language"].fillna("und").astype(str),
            "text": frame["text"].fillna("").astype(str),
        }
    )
    out["source_code"] = pd.Categorical(out["source"]).codes
    out["language_code"] = pd.Categorical(out["language"]).codes
    return out


def _prepare_entities(frame: pd.DataFrame) -> pd.DataFrame:
    """Entities with place and actor flags."""
    out = frame.drop_duplicates("entity_id").reset_index(drop=True).copy()
    out["entity_id"] = out["entity_id"].astype(str)
    out["name"] = out["name"].fillna(out["entity_id"]).astype(str)
    lat = pd.to_numeric(out["lat"], errors="coerce")
    lon = pd.to_numeric(out["lon"], errors="coerce")
    out["lat"], out["lon"] = lat.astype(float), lon.astype(float)
    out["is_place"] = out["type"].isin(PLACE_TYPES).to_numpy() & lat.notna().to_numpy() & lon.notna().to_numpy()
    # Actors: people, organisations and states. A city from the gazetteer is a place, not an actor, unless
    # the actor knowledge base lists it; the engine's countries ("country:RUS") are actors and places at once.
    listed = out["entity_id"].isin(set(_kb_aliases())).to_numpy()
    state = out["entity_id"].str.startswith("country:").to_numpy()
    out["is_actor"] = out["type"].isin(("PERSON", "ORG")).to_numpy() | (
        out["type"].eq("GPE").to_numpy() & (listed | state | ~out["is_place"].to_numpy())
    )
    out["country"] = out["country"].where(out["country"].notna(), None)
    out["sector"] = out["sector"].where(out["sector"].notna(), None)
    out["country_name"] = [geo.country_name(c) if isinstance(c, str) and c else MISSING for c in out["country"]]
    return out


def _prepare_events(
    frame: pd.DataFrame, art: np.ndarray, sent: np.ndarray, entity_number: pd.Index, articles: pd.DataFrame
) -> pd.DataFrame:
    """Events with entity numbers and a plotting day (partial dates fall on their first day)."""

    def number(column: str) -> np.ndarray:
        return entity_number.get_indexer(frame[column].astype(object).where(frame[column].notna(), "")).astype(np.int32)

    raw = frame["date"].astype(object).where(frame["date"].notna(), "").astype(str).str.strip()
    padded = np.where(raw.str.len() == 7, raw + "-01", np.where(raw.str.len() == 4, raw + "-01-01", raw))
    day = pd.to_datetime(pd.Series(padded), errors="coerce", format="%Y-%m-%d").to_numpy("datetime64[D]")
    has_own_date = ~np.isnat(day) & frame["date_precision"].astype(object).ne("article").to_numpy()
    # No date of its own: the event is placed on its article's publication day.
    day = np.where(np.isnat(day), articles["published"].to_numpy()[art], day)
    return pd.DataFrame(
        {
            "event_id": frame["event_id"].astype(str).to_numpy(),
            "art": art.astype(np.int32),
            "sent": sent,
            "type": frame["type"].astype(str).to_numpy(),
            "mode": (frame["mode"] if "mode" in frame else pd.Series([None] * len(frame))).to_numpy(),
            "modality": frame["modality"].fillna("asserted").astype(str).to_numpy(),
            "src": number("source_id"),
            "tgt": number("target_id"),
            "place": number("place_id"),
            "day": day,
            "date": frame["date"].to_numpy(),
            # "article": the text gave no date, so the event carries its article's publication day.
            "date_precision": np.where(has_own_date, frame["date_precision"].fillna("day").astype(str), "article"),
            "trigger": frame["trigger"].fillna("").astype(str).to_numpy(),
            "evidence": frame["evidence"].fillna("").astype(str).to_numpy(),
            "confidence": pd.to_numeric(frame["confidence"], errors="coerce").to_numpy(float),
        }
    )


def _prepare_sentence_spans(dataset: Dataset) -> None:
    """Where each sentence's mentions lie, and which event (if any) carries its text, for sentence_text()."""
    n = dataset.n_sentences
    first = np.full(n, np.iinfo(np.int64).max)
    last = np.full(n, -1, dtype=np.int64)
    np.minimum.at(first, dataset.mentions["sent"].to_numpy(), dataset.mentions["start"].to_numpy())
    np.maximum.at(last, dataset.mentions["sent"].to_numpy(), dataset.mentions["end"].to_numpy())
    evidence_event = np.full(n, -1, dtype=np.int64)
    evidence_event[dataset.events["sent"].to_numpy()[::-1]] = np.arange(len(dataset.events))[::-1]
    dataset.extra.update(span_first=first, span_last=last, evidence_event=evidence_event)


def _prepare_labels(dataset: Dataset) -> None:
    """Each entity's aliases (KB aliases, then surface forms seen in the articles) and a label shown in pickers:
    the canonical name, with the country added where two entities share a name."""
    surfaces = (
        dataset.mentions[["ent", "surface"]].drop_duplicates().groupby("ent")["surface"].agg(lambda s: list(s)[:8])
    )
    kb_aliases = _kb_aliases()
    aliases = []
    for i, row in enumerate(dataset.entities.itertuples(index=False)):
        names = kb_aliases.get(row.entity_id, []) + surfaces.get(i, [])
        aliases.append(list(dict.fromkeys(n for n in names if n and n != row.name)))
    ents = dataset.entities
    ents["aliases"] = aliases
    ents["mention_count"] = np.bincount(dataset.mentions["ent"], minlength=len(ents))
    shared_name = ents["name"].str.casefold().duplicated(keep=False).to_numpy()
    ents["label"] = np.where(shared_name, ents["name"] + " · " + ents["country_name"], ents["name"])


@lru_cache(maxsize=1)
def _kb_aliases() -> dict[str, list[str]]:
    """Aliases in every language from the actor knowledge base (id → aliases), when the engine provides it."""
    try:
        from analysis.kb import load_actors

        actors = load_actors()
    except Exception:  # no KB yet: labels use the surface forms seen in the data
        return {}
    out = {}
    for actor in actors:
        aliases = actor.get("aliases") or {}
        out[str(actor.get("id"))] = [a for values in aliases.values() for a in (values or [])]
    return out


# ---------------------------------------------------------------- choices and vocabulary


def vocabulary(ds: Dataset) -> Vocabulary:
    """The ids a URL may name for this dataset, and every name or alias that stands for one."""
    from analysis.views.query import is_query_dataset, query_vocabulary

    if is_query_dataset(ds):
        return query_vocabulary(ds)
    return vocabulary_of(ds.entities, frozenset(ds.articles["source"]), frozenset(ds.articles["language"]),
                         frozenset(ds.events["event_id"]), frozenset(ds.articles["article_id"]))


def vocabulary_of(ents: pd.DataFrame, sources: Set[str], languages: Set[str], events: Set[str],
                  articles: Set[str]) -> Vocabulary:
    """A Vocabulary from prepared entities (with is_actor, is_place, labels and aliases) and the other ids."""
    return Vocabulary(
        actors=frozenset(ents.loc[ents["is_actor"], "entity_id"]),
        places=frozenset(ents.loc[ents["is_place"], "entity_id"]),
        actor_names=name_index(ents[ents["is_actor"]]),
        place_names=name_index(ents[ents["is_place"]]),
        sources=sources,
        languages=languages,
        events=events,
        articles=articles,
    )


def name_index(entities: pd.DataFrame) -> dict[str, str]:
    """Lower-cased name or alias → entity id. Canonical names win over aliases, then the most mentioned entity."""
    ordered = entities.sort_values(["mention_count", "entity_id"], ascending=[False, True])
    index: dict[str, str] = {}
    for column in ("name", "label"):
        for name, entity in zip(ordered[column], ordered["entity_id"]):
            index.setdefault(" ".join(str(name).split()).casefold(), entity)
    for names, entity in zip(ordered["aliases"], ordered["entity_id"]):
        for name in names:
            index.setdefault(" ".join(str(name).split()).casefold(), entity)
    return index


@dataclass(frozen=True)
class Choices:
    """What the sidebar offers: options in order with their labels, and the date bounds."""

    actors: dict[str, str]
    places: dict[str, str]
    sources: list[str]
    languages: list[str]
    first_day: dt.date | None
    last_day: dt.date | None


def choices(ds: Dataset) -> Choices:
    """Sidebar options, the most mentioned first, labelled with their canonical names (aliases are looked up
    through vocabulary(), never shown in the list, so typing a name cannot match dozens of options)."""
    from analysis.views.query import is_query_dataset, query_day_bounds

    if is_query_dataset(ds):
        first_day, last_day = query_day_bounds(ds)
        return entity_choices(ds.entities, sorted(ds.sources), sorted(ds.languages), first_day, last_day)
    days = np.concatenate([ds.arr("articles", "published"), ds.arr("events", "day")])
    days = days[~np.isnat(days)]
    return entity_choices(
        ds.entities,
        sorted(ds.articles["source"].unique()),
        sorted(ds.articles["language"].unique()),
        _to_date(days.min()) if len(days) else None,
        _to_date(days.max()) if len(days) else None,
    )


def entity_choices(
    entities: pd.DataFrame, sources: list[str], languages: list[str], first: dt.date | None, last: dt.date | None
) -> Choices:
    """The sidebar's options from the prepared entities, the sources, the languages and the date bounds."""
    ents = entities.sort_values(["mention_count", "name"], ascending=[False, True])
    actors = ents[ents["is_actor"]]
    places = ents[ents["is_place"]]
    return Choices(
        actors=dict(zip(actors["entity_id"], actors["label"])),
        places=dict(zip(places["entity_id"], _place_labels(places))),
        sources=sources,
        languages=languages,
        first_day=first,
        last_day=last,
    )


def _place_labels(places: pd.DataFrame) -> list[str]:
    """A place's name with its country, unless it is the country itself."""
    return [
        label if label.endswith(country) or entity.startswith("country:") or country == MISSING else f"{label} · {country}"
        for label, country, entity in zip(places["label"], places["country_name"], places["entity_id"])
    ]


def _to_date(day: np.datetime64) -> dt.date:
    """numpy day → datetime.date."""
    return dt.date.fromisoformat(str(day.astype("datetime64[D]")))


# ---------------------------------------------------------------- masks


@dataclass(frozen=True)
class Selection:
    """The filters as boolean masks over articles, sentences, mentions and events."""

    articles: np.ndarray
    sentences: np.ndarray
    events: np.ndarray
    narrowed: bool  # True when actors, places or event filters restrict sentences

    @property
    def empty(self) -> bool:
        """True when nothing at all matches."""
        return not (self.articles.any() or self.events.any())


def select(ds: Dataset, f: Filters) -> Selection:
    """Apply filters: articles by language, source and publication date; events by the date they happen."""
    arts = ds.articles
    base = np.ones(len(arts), bool)
    if f.languages:
        base &= arts["language"].isin(f.languages).to_numpy()
    if f.sources:
        base &= arts["source"].isin(f.sources).to_numpy()
    dated = base & _in_range(ds.arr("articles", "published"), f)

    named = np.ones(ds.n_sentences, bool)  # sentences naming the chosen actors
    if f.actors:
        named &= _sentences_with(ds, f.actors, every=f.match == "all")
    at_places = np.ones(ds.n_sentences, bool)
    if f.places:
        at_places &= _sentences_with(ds, f.places, every=False)
    cond = named & at_places
    event_ok = np.ones(len(ds.events), bool)
    if f.event_types:
        event_ok &= np.isin(ds.arr("events", "type"), f.event_types)
    if f.modalities:
        event_ok &= np.isin(ds.arr("events", "modality"), f.modalities)
    if f.precisions:
        event_ok &= np.isin(ds.arr("events", "date_precision"), f.precisions)
    if f.event_types or f.modalities or f.precisions:
        # Event filters narrow every view to the sentences that carry a matching event.
        cond &= np.bincount(ds.arr("events", "sent")[event_ok], minlength=ds.n_sentences) > 0

    sentences = cond & dated[ds.sent_art]
    event_sent = ds.arr("events", "sent")
    if f.actors and f.role != "named":
        # An actor's events are those they take part in, not every event of a sentence that names them.
        event_ok &= in_role(ds, f.actors, f.role, every=f.match == "all") & at_places[event_sent]
    else:
        event_ok &= cond[event_sent]
    events = event_ok & base[ds.arr("events", "art")] & _in_range(ds.arr("events", "day"), f)
    narrowed = bool(f.actors or f.places or f.event_types or f.modalities or f.precisions)
    articles = dated
    if narrowed:
        articles = dated & (np.bincount(ds.sent_art[sentences], minlength=len(arts)) > 0)
    return Selection(articles=articles, sentences=sentences, events=events, narrowed=narrowed)


def in_role(ds: Dataset, ids: tuple[str, ...], role: str, every: bool = False) -> np.ndarray:
    """Events whose source (role "source"), target ("target") or either ("participant") is one of the actors;
    with `every`, events between the chosen actors: both ends among them."""
    wanted = np.zeros(len(ds.entities) + 1, bool)  # the extra slot stands for "no actor" (-1)
    wanted[[ds.entity_index[i] for i in ids if i in ds.entity_index]] = True
    src, tgt = wanted[ds.arr("events", "src")], wanted[ds.arr("events", "tgt")]
    if every and len(ids) > 1:
        return src & tgt
    return {"source": src, "target": tgt}.get(role, src | tgt)


def _in_range(days: np.ndarray, f: Filters) -> np.ndarray:
    """Days within the filter's date range; undated rows pass only when no range is set."""
    ok = np.ones(len(days), bool)
    if f.date_from:
        ok &= days >= np.datetime64(f.date_from, "D")
    if f.date_to:
        ok &= days <= np.datetime64(f.date_to, "D")
    return ok  # NaT compares False, so undated rows drop out once a bound is set


def _sentences_with(ds: Dataset, ids: tuple[str, ...], every: bool) -> np.ndarray:
    """Sentences naming any (or every) one of the given entities."""
    wanted = np.zeros(len(ds.entities), bool)
    numbers = [ds.entity_index[i] for i in ids if i in ds.entity_index]
    wanted[numbers] = True
    hits = wanted[ds.se_ent]
    counts = np.bincount(ds.se_sent[hits], minlength=ds.n_sentences)
    return counts >= len(numbers) if every and numbers else counts > 0


# ---------------------------------------------------------------- sentences


def sentence_text(ds: Dataset, sent: int) -> str:
    """A sentence's text: its event's evidence if it has one, else cut from the article around its mentions."""
    event = ds.extra["evidence_event"][sent]
    if event >= 0 and ds.arr("events", "evidence")[event]:
        return ds.arr("events", "evidence")[event]
    text = ds.arr("articles", "text")[ds.sent_art[sent]]
    first, last = int(ds.extra["span_first"][sent]), int(ds.extra["span_last"][sent])
    if last < 0 or first > len(text):
        return ""
    return _expand_to_sentence(text, first, last)


def _expand_to_sentence(text: str, start: int, end: int) -> str:
    """The sentence around a character span, found by the nearest sentence ends on either side."""
    head = text[:start]
    begin = max((m.end() for m in SENTENCE_END.finditer(head)), default=0)
    match = SENTENCE_END.search(text, end)
    stop = match.start() + 1 if match else len(text)
    return text[begin:stop].strip()


def sentence_rows(ds: Dataset, sents: np.ndarray, limit: int) -> pd.DataFrame:
    """Sentences with their article's title, date, source and link, newest first."""
    arts = ds.sent_art[sents]
    order = np.lexsort((ds.sent_index[sents], -_day_numbers(ds.arr("articles", "published")[arts])))
    sents, arts = sents[order][:limit], arts[order][:limit]
    return pd.DataFrame({"sentence": [sentence_text(ds, int(s)) for s in sents], **article_fields(ds, arts)})


def article_fields(ds: Dataset, arts: np.ndarray) -> dict[str, np.ndarray]:
    """Title, publication day, source, link, id and language of the given article numbers, as columns."""
    return {
        column: ds.arr("articles", column)[arts]
        for column in ("title", "published", "source", "url", "article_id", "language")
    }


def _names(ds: Dataset, numbers: np.ndarray) -> np.ndarray:
    """Entity names for entity numbers (-1 → empty)."""
    names = np.append(ds.entities["name"].to_numpy(dtype=object), "")
    return names[np.where(numbers >= 0, numbers, len(names) - 1)]


def _event_rows(ds: Dataset, rows: np.ndarray) -> pd.DataFrame:
    """Events with names, evidence and their article's title, source and link."""
    arts = ds.arr("events", "art")[rows]
    src, tgt = _names(ds, ds.arr("events", "src")[rows]), _names(ds, ds.arr("events", "tgt")[rows])
    return pd.DataFrame(
        {
            "event_id": ds.arr("events", "event_id")[rows],
            "day": ds.arr("events", "day")[rows],
            "date": ds.arr("events", "date")[rows],
            "type": ds.arr("events", "type")[rows],
            "modality": ds.arr("events", "modality")[rows],
            "source_actor": src,
            "target_actor": tgt,
            "pair": [f"{s or '?'} → {t or '?'}" for s, t in zip(src, tgt)],
            "place": _names(ds, ds.arr("events", "place")[rows]),
            "trigger": ds.arr("events", "trigger")[rows],
            "evidence": ds.arr("events", "evidence")[rows],
            "confidence": ds.arr("events", "confidence")[rows],
            "title": ds.arr("articles", "title")[arts],
            "published": ds.arr("articles", "published")[arts],
            "outlet": ds.arr("articles", "source")[arts],
            "url": ds.arr("articles", "url")[arts],
            "article_id": ds.arr("articles", "article_id")[arts],
            "language": ds.arr("articles", "language")[arts],
        }
    )


def _day_numbers(days: np.ndarray) -> np.ndarray:
    """Days as integers for sorting, undated rows far in the past."""
    return np.where(np.isnat(days), -(10**9), days.astype("datetime64[D]").astype(np.int64))


def _latest(days: np.ndarray, rows: np.ndarray, limit: int) -> np.ndarray:
    """The row numbers of the newest `limit` rows (undated last); of rows of one day, the earlier rows first, so
    the cut through a day keeps the same rows however the table is read (the query path orders by row number)."""
    keys = _day_numbers(days[rows])
    if len(rows) > limit:
        cut = np.partition(-keys, limit - 1)[limit - 1]  # the day the cut falls on; all newer days are kept
        keep = -keys <= cut
        rows, keys = rows[keep], keys[keep]
    order = np.lexsort((rows, -keys))
    return rows[order[:limit]]


def is_empty_dataset(ds: Dataset) -> bool:
    """True when the folder has tables but no article."""
    from analysis.views.query import is_query_dataset

    if is_query_dataset(ds):
        return ds.n_articles == 0
    return len(ds.articles) == 0
