"""The pipeline: articles in, four tables out — ingest, clean, analyse, date, extract events, geocode, store."""

from __future__ import annotations

import contextlib
import dataclasses
import datetime as dt
import hashlib
import json
import logging
import os
import time
from collections import Counter
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path
from typing import Callable, Iterable, Iterator, Sequence

import pandas as pd

from analysis import __version__
from analysis.clean import clean_article
from analysis.dates import find_dates
from analysis.events import extract_events
from analysis.freshness import MARKER, corpus_fingerprint, dataset_is_stale  # noqa: F401 (re-exported)
from analysis.geocode import DEFAULT_USER_AGENT, choose_place, make_geocoder
from analysis.ingest import IngestOptions, InputFailure, RawArticle, read_inputs
from analysis.kb import Entity, KnowledgeBase, folded, load_knowledge_base, slug
from analysis.languages import ProfileError, detect_language, known_languages, load_profile
from analysis.nlp import ArticleAnalysis, Mention, analyse, build_pipeline, countries_named, syntax_pipeline
from analysis.store import (Tables, append_tables, conform, detect_format, empty_tables, has_tables, load_table,
                            lock, recover, stored_among, stored_ids, stored_rows, write_tables)

Progress = Callable[[int, int, str], None]
PLACE_TYPES = frozenset({"GPE", "LOC", "FAC"})
# The longest article analysed, in characters after cleaning: extraction time grows linearly, about a minute
# for this many on one core; a longer text is a book or a dump, not an article.
MAX_ARTICLE_CHARS = 1_000_000
# Every stage is linear in the article's length: the longest article allowed takes ~25 s on one core here, so
# an article still running after this long is stuck on something the engine was not made for.
ARTICLE_SECONDS = 120.0
SKIP_BEFORE_EXTRACTION_UP_TO = 2_000_000  # stored articles whose ids are sent to workers to skip reruns early
log = logging.getLogger(__name__)


@dataclass(frozen=True)
class ExtractOptions:
    """Every setting of an extraction run; the CLI and the app build the same object."""

    fmt: str = "parquet"
    geocoder: str = "gazetteer"
    nominatim_domain: str = "nominatim.openstreetmap.org"
    nominatim_scheme: str = "https"
    nominatim_delay: float = 1.0
    user_agent: str = DEFAULT_USER_AGENT
    cache_dir: Path | None = None
    workers: int = 1
    scheduler: str | None = None  # a Dask scheduler's address (tcp://host:8786); else workers > 1 runs a local one
    batch_size: int = 8  # articles sent to a cluster worker at a time
    scheduler_timeout: float = 30.0  # seconds to wait for the scheduler at `scheduler`
    language: str | None = None
    ingest: IngestOptions = field(default_factory=IngestOptions)
    article_seconds: float = ARTICLE_SECONDS  # one article's analysis stops after the stage that passes this


@dataclass
class ExtractedArticle:
    """One article's rows for the four tables."""

    article: dict
    entities: list[dict]
    mentions: list[dict]
    events: list[dict]


@dataclass(frozen=True)
class StoredArticle:
    """An article of a run: its id, its headline and the input it was read from."""

    article_id: str
    title: str | None
    path: str


@dataclass(frozen=True)
class AlreadyStored:
    """An article whose id is already in the dataset: not extracted again."""

    article_id: str
    title: str | None
    path: str


@dataclass
class RunSummary:
    """What a run did: read, added, duplicates skipped, failed (with reasons).

    stored lists the added articles as they were committed; skipped lists the duplicates, each with the id of
    the article already stored.
    """

    read: int = 0
    added: int = 0
    duplicates: int = 0
    failed: list[tuple[str, str]] = field(default_factory=list)
    added_ids: list[str] = field(default_factory=list)
    stored: list[StoredArticle] = field(default_factory=list)
    skipped: list[StoredArticle] = field(default_factory=list)
    bytes_written: int = 0

    def lines(self) -> list[str]:
        """A human summary."""
        out = [f"read {self.read}, added {self.added}, duplicates skipped {self.duplicates}, failed {len(self.failed)}"]
        # Most reasons already name their input ("feed.jsonl:2: not valid JSON", "could not fetch URL"): once.
        out += [f"  failed: {reason}" if path in reason else f"  failed: {path}: {reason}"
                for path, reason in self.failed]
        return out


def stable_article_id(text: str) -> str:
    """A stable id from the article's normalised text: the same story re-read gets the same id."""
    normalised = " ".join(text.casefold().split())
    return hashlib.sha1(normalised.encode("utf-8")).hexdigest()[:16]


def _resolve_places(analysis: ArticleAnalysis) -> None:
    """Pick among same-named places by the countries the article speaks of ("Washington" in a US story)."""
    kb = analysis.kb
    context: Counter[str] = Counter()
    for mention in analysis.mentions:
        if not mention.candidates:
            country = analysis.entity(mention.entity_id).country
            if country:
                context[country] += 1
    for mention in analysis.mentions:
        if mention.candidates:
            mention.entity_id = choose_place(mention.candidates, context, kb)


def _countries_named_by(analysis: ArticleAnalysis) -> dict[str, set[str]]:
    """Country → the entities of the article that lie in it (or are it)."""
    named_by: dict[str, set[str]] = {}
    for mention in analysis.mentions:
        country = analysis.entity(mention.entity_id).country
        if country:
            named_by.setdefault(country, set()).add(mention.entity_id)
    return named_by


# A town this small counts only in a country the article names (or its language's home country).
STRAY_TOWN_POPULATION = 100_000


def _unlink_stray_towns(analysis: ArticleAnalysis) -> None:
    """A small town in a country the article never names is a namesake ("Sikka" in an Indonesian story is the
    regency on Flores, not the town in Gujarat; "the Valongo terminal" in Santos is no Portuguese town): the name
    stays a place of the article, without the stray point. Larger cities keep their point: "Jenewa" and
    "Brussel" are named without their countries all the time."""
    home = set(load_profile(analysis.profile.code).words("home_countries"))
    named_by = _countries_named_by(analysis)
    for mention in analysis.mentions:
        entity = analysis.entity(mention.entity_id)
        if entity.kind != "city" or not entity.kb or entity.population >= STRAY_TOWN_POPULATION:
            continue
        if entity.country in home or named_by.get(entity.country or "", set()) - {entity.id}:
            continue
        stray = Entity(id=f"new:gpe:{slug(mention.surface)}", name=mention.surface, type="GPE", kind="region",
                       kb=False)
        analysis.entities.setdefault(stray.id, stray)
        mention.entity_id, mention.candidates = stray.id, ()


def _regions_over_namesakes(analysis: ArticleAnalysis) -> None:
    """A state or province of a country the article speaks of wins over a city of the same name in a country
    nothing else in the article is in ("Paraná" in a story about Brazil is the state, not the Argentine city)."""
    kb = analysis.kb
    named_by = _countries_named_by(analysis)
    for mention in analysis.mentions:
        city = analysis.entity(mention.entity_id)
        if city.kind != "city" or not city.kb or kb.capital_of(city.id) \
                or named_by.get(city.country or "", set()) - {city.id}:
            continue
        regions = [x for x in kb.minor_names.get(folded(mention.surface), ())
                   if kb.entities[x].kind == "region" and named_by.get(kb.entities[x].country or "", set()) - {city.id}]
        if len(regions) == 1:
            mention.entity_id, mention.candidates = regions[0], ()


def _locate_by_address(analysis: ArticleAnalysis) -> None:
    """A place the gazetteer cannot locate, written with its town after a comma ("Istana Merdeka, Jakarta",
    "Pulau Pasir, Nusa Tenggara Timur"), stands where that town stands: near enough for a map of the story."""
    by_start = {m.char_start: m for m in analysis.mentions}
    for mention in analysis.mentions:
        entity = analysis.entity(mention.entity_id)
        if entity.kb or not entity.is_place or entity.lat is not None:
            continue
        town = _town_after(analysis, mention, by_start, frozenset({","}))
        if town is not None:
            analysis.entities[entity.id] = dataclasses.replace(entity, lat=town.lat, lon=town.lon,
                                                               country=entity.country or town.country)


def _town_after(analysis: ArticleAnalysis, mention: Mention, by_start: dict[int, Mention],
                separators: frozenset[str]) -> Entity | None:
    """The located town or region named right after a mention, past one separator: a comma written onto it
    ("Istana Merdeka, Jakarta") or a word such as "in" or "di" ("Gedung Sate di Bandung")."""
    text, at = analysis.text, mention.char_end
    if "," in separators and text.startswith(",", at):
        at += 1
    else:
        words = text[at:at + 20].split(maxsplit=1)
        if not words or words[0].casefold() not in separators:
            return None
        at = text.index(words[0], at) + len(words[0])
    ahead = text[at:at + 20]
    following = by_start.get(at + len(ahead) - len(ahead.lstrip()))
    town = analysis.entity(following.entity_id) if following else None
    return town if town is not None and town.is_place and town.lat is not None and town.kind != "country" else None


def _bare_place_names(name: str, code: str) -> list[str]:
    """A place's name, then without the word saying what kind of place it is ("Kabupaten Gresik" → "Gresik",
    "Mangystau Region" → "Mangystau")."""
    profile = load_profile(code)
    words = name.split()
    names = [name]
    for head in profile.mapping("place_heads"):
        size = len(str(head).split())
        if len(words) > size and [w.casefold() for w in words[:size]] == str(head).casefold().split():
            names.append(" ".join(words[size:]))
    for tail in profile.mapping("place_tails"):
        size = len(str(tail).split())
        if len(words) > size and [w.casefold() for w in words[-size:]] == str(tail).casefold().split():
            names.append(" ".join(words[:-size]))
    return names


def _locate_by_name(analysis: ArticleAnalysis) -> None:
    """A place the engine read but could not link stands where a town or region of that name stands, bare of its
    kind word, by one of a small town's other names ("Darkhan", "Langkawi") or in another Latin spelling
    ("Mangystau Region" for the gazetteer's Mangghystau), when it lies in a country the article speaks of: far
    likelier the place meant than a namesake elsewhere."""
    kb, code = analysis.kb, analysis.profile.code
    countries = countries_named(analysis.mentions, analysis.entity, analysis.profile)
    context = Counter(c for m in analysis.mentions if (c := analysis.entity(m.entity_id).country))
    for entity in list(analysis.entities.values()):
        if entity.kb or not entity.is_place or entity.lat is not None:
            continue
        for name in _bare_place_names(entity.name, code):
            # Bare of its kind word, "Mangystau Region" is the region, not a town that bears its name too.
            candidates = name != entity.name and kb.places_in(name, code, countries, kind="region") \
                or kb.places_in(name, code, countries)
            if candidates:
                town = kb.entities[choose_place(candidates, context, kb)]
                analysis.entities[entity.id] = dataclasses.replace(entity, lat=town.lat, lon=town.lon,
                                                                   country=entity.country or town.country)
                break


def _facility_words(name: str, code: str) -> tuple[int, int] | None:
    """The words of a name left once the words saying it is a built place are cut from its start or its end
    ("Port of Santos" → "Santos", "Kuje Correctional Centre" → "Kuje"), as a word range; None for other names."""
    words = [w.casefold() for w in name.split()]
    for phrase in sorted(load_profile(code).words("facility_words"), key=lambda p: -len(p.split())):
        size = len(phrase.split())
        if len(words) > size and words[:size] == phrase.casefold().split():
            return size, len(words)
        if len(words) > size and words[-size:] == phrase.casefold().split():
            return 0, len(words) - size
    return None


def _town_named(name: str, code: str, countries: set[str], kb: KnowledgeBase) -> Entity | None:
    """The town or region a name stands for in a country the article speaks of (the largest of them)."""
    # The whole rest of the name only: a word of it may be a namesake ("Pelabuhan Tanjung Perak" is in Surabaya,
    # not in the Malaysian state of Perak).
    ids = [x for x in kb.places_named(name, code)
           if kb.entities[x].kind in ("city", "region") and kb.entities[x].country in countries]
    return kb.entities[max(ids, key=lambda x: kb.entities[x].population)] if ids else None


def _locate_facilities(analysis: ArticleAnalysis) -> None:
    """A port, airport, prison or base the gazetteer cannot know, named with its town ("Port of Santos",
    "Kuje Correctional Centre", "Pusat Latihan Tempur Baturaja") or followed by it ("Gedung Sate, Bandung",
    "the Nnamdi Azikiwe International Airport in Abuja"), is a facility and stands where that town stands."""
    code, kb = analysis.profile.code, analysis.kb
    countries = countries_named(analysis.mentions, analysis.entity, analysis.profile)
    locative = frozenset(analysis.profile.words("locative")) | {","}
    after: dict[str, Entity] = {}
    by_start = {m.char_start: m for m in analysis.mentions}
    for mention in analysis.mentions:
        town = _town_after(analysis, mention, by_start, locative)
        if town is not None:
            after.setdefault(mention.entity_id, town)
    for entity in list(analysis.entities.values()):
        if entity.kb or entity.lat is not None or entity.type not in ("ORG", "LOC", "GPE", "FAC", "PERSON"):
            continue
        kept = _facility_words(entity.name, code)
        # "Aktau Sea Trade Port" signs deals: a body named for its port stays a body; "Port of Santos" is the port.
        # A name opening with such a word is no person's, whatever the recogniser read ("Gedung Sate, Bandung").
        if kept is None or entity.type in ("ORG", "PERSON") and kept[0] == 0:
            continue
        town = _town_named(" ".join(entity.name.split()[kept[0]:kept[1]]), code, countries, kb) or after.get(entity.id)
        if town is not None:
            analysis.entities[entity.id] = dataclasses.replace(entity, type="FAC", kind="facility", lat=town.lat,
                                                               lon=town.lon, country=entity.country or town.country)


def _entity_row(entity: Entity) -> dict:
    """An entity as a table row."""
    located = entity.type in PLACE_TYPES and entity.lat is not None
    return {"entity_id": entity.id, "name": entity.name, "type": entity.type, "country": entity.country,
            "sector": entity.sector, "wikidata": entity.wikidata, "lat": entity.lat if located else None,
            "lon": entity.lon if located else None, "geocoder": "gazetteer" if located else None, "kb": entity.kb}


def choose_language(raw: RawArticle, forced: str | None) -> str:
    """The article's language: forced, declared, or detected."""
    code = forced or (raw.language or "").lower().split("-")[0] or detect_language(raw.text)
    if not code:
        raise ValueError("the language could not be detected; give it with --language or a 'language' field")
    if code not in known_languages():
        raise ValueError(f"language '{code}' is not supported (supported: {', '.join(known_languages())})")
    return code


class _Budget:
    """The time one article may take, checked as each stage ends."""

    def __init__(self, seconds: float) -> None:
        self.seconds = seconds
        self.started = time.monotonic()

    def check(self, stage: str) -> None:
        """Stop the article with a reason once its analysis has run past the budget."""
        spent = time.monotonic() - self.started
        if spent > self.seconds:
            raise ValueError(f"the analysis took {spent:.1f} s, more than the {self.seconds:g} s one article may "
                             f"take (stopped after {stage}); split it into its articles, or allow more time "
                             "with --article-seconds")


def extract_article(raw: RawArticle, options: ExtractOptions = ExtractOptions()) -> ExtractedArticle:
    """Turn one article into its rows; raises ValueError with a reason when it cannot."""
    code = choose_language(raw, options.language)
    clean = clean_article(raw.text, code)
    if not clean.text.strip():
        raise ValueError("no article text is left after removing page boilerplate")
    if len(clean.text) > MAX_ARTICLE_CHARS:
        raise ValueError(f"the article has {len(clean.text):,} characters, more than the {MAX_ARTICLE_CHARS:,} "
                         "analysed in one article; split it into its articles")
    article_id = stable_article_id(clean.text)
    budget = _Budget(options.article_seconds)
    analysis = analyse(clean.text, code, clean.headings, clean.dateline)
    budget.check("finding its names")
    _resolve_places(analysis)
    _unlink_stray_towns(analysis)
    _regions_over_namesakes(analysis)
    _locate_by_address(analysis)
    _locate_by_name(analysis)
    _locate_facilities(analysis)
    budget.check("placing its names")
    dates = find_dates(clean.text, code, raw.published) if load_profile(code).reads_events else []
    budget.check("reading its dates")
    events = extract_events(analysis, dates, raw.published)
    budget.check("reading its events")
    entities = {m.entity_id: analysis.entity(m.entity_id) for m in analysis.mentions}
    for event in events:
        for entity_id in (event.source_id, event.target_id, event.place_id):
            if entity_id and entity_id not in entities:
                entities[entity_id] = analysis.entity(entity_id)
    article = {"article_id": article_id, "title": raw.title, "published": raw.published.isoformat() if raw.published
               else None, "source": raw.source, "url": raw.url, "language": code, "text": clean.text,
               "n_words": len(clean.text.split()), "path": raw.path}
    mentions = [{"article_id": article_id, "entity_id": m.entity_id, "sentence": m.sentence, "start": m.char_start,
                 "end": m.char_end, "surface": m.surface} for m in analysis.mentions]
    event_rows = [{"event_id": e.event_id(article_id), "article_id": article_id, "sentence": e.sentence,
                   "type": e.type, "mode": e.mode, "source_id": e.source_id, "target_id": e.target_id,
                   "place_id": e.place_id, "date": e.date or None, "date_precision": e.date_precision,
                   "modality": e.modality, "trigger": e.trigger, "evidence": e.evidence, "confidence": e.confidence}
                  for e in events]
    return ExtractedArticle(article, [_entity_row(e) for e in entities.values()], mentions, event_rows)


def article_id_of(raw: RawArticle, options: ExtractOptions = ExtractOptions()) -> str:
    """The id the article would be stored under, from its cleaned text (cheap: no language analysis)."""
    return stable_article_id(clean_article(raw.text, choose_language(raw, options.language)).text)


def _extract_or_fail(raw: RawArticle, options: ExtractOptions, isolate_errors: bool = False,
                     known: frozenset[str] = frozenset()) -> ExtractedArticle | InputFailure | AlreadyStored:
    """One article's rows, or why it failed, or that it is stored already (ids in `known`); with isolate_errors
    a bug fails only its article."""
    try:
        if known:
            article_id = article_id_of(raw, options)
            if article_id in known:
                return AlreadyStored(article_id, raw.title, raw.path)
        return extract_article(raw, options)
    except (ValueError, ProfileError) as exc:
        return InputFailure(raw.path, str(exc))
    except Exception as exc:
        if not isolate_errors:
            raise
        log.exception("extracting %s failed", raw.path)
        return InputFailure(raw.path, f"the extraction failed unexpectedly ({type(exc).__name__}: {exc}); "
                                      "this is a bug in newsint, please report it together with the article")


def extract_batch(raws: list[RawArticle], options: ExtractOptions, known: frozenset[str] = frozenset()
                  ) -> list[ExtractedArticle | InputFailure | AlreadyStored]:
    """A batch of articles' results, in order; what a cluster worker runs (a bug fails only its article)."""
    return [_extract_or_fail(raw, options, isolate_errors=True, known=known) for raw in raws]


def warm_up(languages: Iterable[str] = ("id", "en", "ru", "ko")) -> None:
    """Build the knowledge base, pipelines and date parsers once: in each process that extracts, before its
    first article."""
    load_knowledge_base()
    for code in languages:
        build_pipeline(code)
        syntax_pipeline(code)
        if load_profile(code).reads_events:
            # dateparser loads a language's data on first use (~50 ms); do it here, not in the first article.
            find_dates("1 January 2024, 1 Januari 2024, January 1, 2024", code, dt.date(2024, 1, 2))


def uses_cluster(options: ExtractOptions) -> bool:
    """True when the options ask for Dask workers rather than this process."""
    return bool(options.scheduler) or options.workers > 1


def _extract_all(raws: Iterable[RawArticle], options: ExtractOptions, progress: Progress | None,
                 isolate_errors: bool = False, known: frozenset[str] = frozenset(), total: int = 0
                 ) -> Iterator[ExtractedArticle | InputFailure | AlreadyStored]:
    """Extract articles in this process or on a Dask cluster, in the order they come, reporting progress
    (total 0: not known in advance)."""
    done = 0
    if not uses_cluster(options):
        for raw in raws:
            result = _extract_or_fail(raw, options, isolate_errors, known)
            done += 1
            if progress:
                progress(done, total, raw.path)
            yield result
        return
    from analysis.cluster import BatchFailure, connect, run_batches

    with connect(options.workers, options.scheduler, options.scheduler_timeout) as client:
        known_on_cluster = client.scatter(known, broadcast=True) if known else frozenset()
        work = partial(extract_batch, options=options, known=known_on_cluster)
        for batch, results in run_batches(client, work, raws, options.batch_size):
            if isinstance(results, BatchFailure):
                results = [InputFailure(raw.path, results.reason) for raw in batch]
            for raw, result in zip(batch, results):
                done += 1
                if progress:
                    progress(done, total, raw.path)
                yield result


def _geocode(entities: pd.DataFrame, options: ExtractOptions) -> pd.DataFrame:
    """Locate new place entities with the chosen geocoder; the gazetteer's answer stays when it has none."""
    if options.geocoder == "gazetteer" or entities.empty:
        return entities
    geocoder = make_geocoder(options.geocoder, user_agent=options.user_agent, domain=options.nominatim_domain,
                             scheme=options.nominatim_scheme, cache_dir=options.cache_dir,
                             min_delay_seconds=options.nominatim_delay)
    entities = entities.copy()
    for index, row in entities[entities["type"].isin(PLACE_TYPES)].iterrows():
        place = geocoder.geocode(row["name"], row["country"] if isinstance(row["country"], str) else None)
        if place is not None:
            entities.loc[index, ["lat", "lon", "geocoder"]] = [place.lat, place.lon, "nominatim"]
            if not isinstance(row["country"], str) and place.country:
                entities.loc[index, "country"] = place.country
    return entities


def _tables_from(results: list[ExtractedArticle]) -> Tables:
    """Rows of many articles as four tables."""
    if not results:
        return empty_tables()
    entities = pd.DataFrame([row for r in results for row in r.entities]).drop_duplicates("entity_id")
    return Tables(
        articles=conform("articles", pd.DataFrame([r.article for r in results])),
        entities=conform("entities", entities),
        mentions=conform("mentions", pd.DataFrame([row for r in results for row in r.mentions])),
        events=conform("events", pd.DataFrame([row for r in results for row in r.events])),
    )


def run_extraction(inputs: Sequence[str], out_dir: Path, options: ExtractOptions = ExtractOptions(),
                   progress: Progress | None = None, replace: bool = False,
                   commit_every: int | None = None, summary: RunSummary | None = None) -> RunSummary:
    """Extract articles from inputs into a dataset folder, adding to what is there (or replacing it).

    Inputs are read as the extraction goes, so memory stays bounded however many there are. commit_every=None
    writes once at the end; commit_every=N writes after every N extracted articles, so a run that stops half-way
    keeps what its earlier writes stored. Articles already stored are recognised and not extracted again.
    """
    return extract_records(read_inputs(inputs, options.ingest), out_dir, options, progress, replace, commit_every,
                           summary=summary)


def extract_records(records: Iterable[RawArticle | InputFailure], out_dir: Path,
                    options: ExtractOptions = ExtractOptions(), progress: Progress | None = None,
                    replace: bool = False, commit_every: int | None = None, isolate_errors: bool = False,
                    summary: RunSummary | None = None) -> RunSummary:
    """Extract records already read (articles and read failures) into a dataset folder; run_extraction's engine.

    isolate_errors=True turns an unexpected exception in one article's extraction into that article's failure
    instead of ending the batch. Pass a summary to fill in when the caller needs to know what was stored even if
    the run raises part-way (a failed write, an interrupt).
    """
    if commit_every is not None and commit_every < 1:
        raise ValueError(f"commit_every must be a positive number of articles or None, not {commit_every}")
    summary = summary if summary is not None else RunSummary()
    total = sum(isinstance(item, RawArticle) for item in records) if isinstance(records, Sequence) else 0
    # Stored ids let workers skip articles before analysing them; past a few million they would cost more memory
    # than they save, and the commit still skips what is stored.
    small = stored_rows(out_dir, "articles") <= SKIP_BEFORE_EXTRACTION_UP_TO  # -1: no manifest, a small folder
    known = frozenset(stored_ids(out_dir, "articles")) if small and not replace else frozenset()

    def articles() -> Iterator[RawArticle]:
        for item in records:
            if isinstance(item, InputFailure):
                summary.failed.append((item.path, item.reason))
            else:
                summary.read += 1
                yield item

    pending: list[ExtractedArticle] = []
    replacing = replace
    for result in _extract_all(articles(), options, progress, isolate_errors, known, total):
        if isinstance(result, InputFailure):
            summary.failed.append((result.path, result.reason))
            continue
        if isinstance(result, AlreadyStored):
            summary.duplicates += 1
            summary.skipped.append(StoredArticle(result.article_id, result.title, result.path))
            continue
        pending.append(result)
        if commit_every is not None and len(pending) >= commit_every:
            _commit(out_dir, pending, options, replacing, summary)
            pending, replacing = [], False
    if pending or replacing:
        _commit(out_dir, pending, options, replacing, summary)
    return summary


def _commit(out_dir: Path, results: list[ExtractedArticle], options: ExtractOptions, replace: bool,
            summary: RunSummary) -> None:
    """Store the articles not stored yet as one new part, in one atomic write under the folder's lock, and count
    them; with replace, the new rows replace every stored one."""
    with lock(out_dir):
        recover(out_dir)
        ids = [result.article["article_id"] for result in results]
        stored_articles = set() if replace else stored_among(out_dir, "articles", ids)
        added: list[ExtractedArticle] = []
        for result in results:
            article = result.article
            if article["article_id"] in stored_articles:
                summary.duplicates += 1
                summary.skipped.append(StoredArticle(article["article_id"], article["title"], article["path"]))
                continue
            stored_articles.add(article["article_id"])
            added.append(result)
        if added or replace:
            new = _tables_from(added)
            stored_entities = set() if replace else stored_among(out_dir, "entities", new.entities["entity_id"])
            unseen = new.entities[~new.entities["entity_id"].isin(stored_entities)]
            new = Tables(new.articles, _geocode(unseen, options), new.mentions, new.events)
            if replace:
                report = write_tables(out_dir, new, options.fmt)
            else:
                report = append_tables(out_dir, new) if options.fmt == "parquet" or detect_format(out_dir) \
                    else write_tables(out_dir, new, options.fmt)
            summary.bytes_written += report.bytes
    summary.added += len(added)
    summary.added_ids += [r.article["article_id"] for r in added]
    summary.stored += [StoredArticle(r.article["article_id"], r.article["title"], r.article["path"]) for r in added]


# ----- the bundled dataset -----

def analyst_articles(articles: pd.DataFrame, corpus_dir: Path) -> pd.DataFrame:
    """Articles not read from the bundled corpus, i.e. added by analysts; the newest (stored last) first."""
    corpus = Path(corpus_dir).resolve()
    forms = {str(corpus), str(Path(corpus_dir))}  # paths are stored as they were given: absolute or relative
    with contextlib.suppress(ValueError):
        forms.add(str(corpus.relative_to(Path.cwd())))
    from_corpus = articles["path"].fillna("").str.startswith(tuple(f"{form}{os.sep}" for form in forms))
    return articles[~from_corpus].iloc[::-1]


def _added_articles(corpus_dir: Path, out_dir: Path) -> list[RawArticle]:
    """Articles an analyst added to a dataset built from a corpus, ready to extract again, whatever metadata they
    lack. Only the articles table is read, so a damaged mentions or events table does not lose them; a damaged
    articles table raises DatasetError, which stops the rebuild before anything is written."""
    if not has_tables(out_dir):
        return []
    added = analyst_articles(load_table(out_dir, "articles"), corpus_dir).iloc[::-1]
    return [RawArticle(text=row.text, title=_stored_text(row.title), source=_stored_text(row.source),
                       url=_stored_text(row.url), language=_stored_text(row.language), path=row.path,
                       published=_stored_day(row.published))
            for row in added.itertuples() if _stored_text(row.text)]


def _stored_text(value: object) -> str | None:
    """A stored string column's value, or None for nulls (pandas gives NaN, which is truthy)."""
    return value if isinstance(value, str) and value.strip() else None


def _stored_day(value: object) -> dt.date | None:
    """A stored publication date, or None when it is missing or not a day."""
    text = _stored_text(value)
    try:
        return dt.date.fromisoformat(text[:10]) if text else None
    except ValueError:
        return None


def ensure_dataset(corpus_dir: Path, out_dir: Path, progress: Progress | None = None) -> bool:
    """Build the dataset from the corpus when it is missing or stale; True when it (re)built.

    A rebuild re-reads the corpus and re-extracts the articles analysts added (from their stored text), so
    a new engine or corpus never loses them. One process: this runs inside the app's server threads, where
    forking workers is unsafe.
    """
    corpus_dir, out_dir = Path(corpus_dir), Path(out_dir)
    if not dataset_is_stale(corpus_dir, out_dir):
        return False
    records = list(read_inputs([str(corpus_dir)])) + _added_articles(corpus_dir, out_dir)
    extract_records(records, out_dir, ExtractOptions(workers=1), progress, replace=True)
    marker = out_dir / MARKER
    marker.write_text(json.dumps({"fingerprint": corpus_fingerprint(corpus_dir), "corpus": str(corpus_dir),
                                  "built": dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds")}),
                      encoding="utf-8")
    return True
