"""The dataset as DuckDB tables, for datasets too big to hold in memory.

`open_query_dataset(folder)` derives query-ready tables from the folder's Parquet parts into a DuckDB database
file under `DIR/.query/`: the tables coded with article, sentence and entity numbers (the same numbers the
in-memory Dataset uses: rows in the order of the manifest's parts), each row carrying its article's day,
language and source so that a filter never needs a join, the (sentence, entity) membership, sentence-level
co-mention pairs, and aggregates of each: monthly (and daily for events) totals, and per entity ("x") the
articles, mentions, co-mention pairs, events by role, places, partners and quoted sentences of the sentences and
events that name it, so that one actor's pages read that actor's few rows instead of joining whole tables.
Parts are append-only, so a later open derives only the parts added since (a part removed or rewritten, by
removal or compaction, derives everything again).

Deriving is bounded in memory: each part file is added in a transaction of its own, the sentences and aggregates
of the new articles are derived CHUNK_ARTICLES at a time, DuckDB is held to MEMORY_LIMIT (spilling to disk), and
an open that is stopped resumes where it stopped. The aggregates are then summed again by key, so that a query
reads one row per key.

Each page's data step then asks DuckDB for what it draws: counts, the top rows, the newest rows and the texts
of the rows shown (see `query_views`). A date range is answered from the monthly aggregates for the months it
covers whole and from the rows themselves for the days at its edges.
"""

from __future__ import annotations

import datetime as dt
import os
import threading
import time
from collections.abc import Set
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path

import duckdb
import numpy as np
import pandas as pd
import pyarrow.parquet as pq
from filelock import FileLock

from analysis import store
from analysis.filters import Filters, Vocabulary
from analysis.views.dataset import (
    DataUnavailable,
    _kb_aliases,
    _prepare_articles,
    _prepare_entities,
    vocabulary_of,
)

QUERY_DIR = ".query"
DATABASE = "derived.duckdb"
LAYOUT = 5  # bump when the derived tables change: an older database file is derived again
MEMORY_LIMIT = "400MB"
THREADS = 2
SENTENCE_BITS = 20  # sentence key = article number << 20 | sentence index, as in the in-memory Dataset
NO_ENTITY = -1


QUERY_THRESHOLD = 2_000_000  # mentions above which the dashboard queries the folder instead of loading it
THRESHOLD_ENV = "NEWSINT_QUERY_MENTIONS"


class NotServed(DataUnavailable):
    """A page whose data step does not run on a dataset served by queries; the message says so plainly."""


def wants_queries(folder: Path) -> bool:
    """True when the folder holds more mentions than the in-memory Dataset should load ($NEWSINT_QUERY_MENTIONS,
    else QUERY_THRESHOLD)."""
    threshold = int(os.environ.get(THRESHOLD_ENV) or QUERY_THRESHOLD)
    return query_rows(folder).get("mentions", 0) > threshold


@dataclass(eq=False)
class QueryDataset:
    """A dataset folder served by DuckDB: small tables in memory (entities), everything else queried."""

    folder: Path
    key: str
    database: Path
    entities: pd.DataFrame  # as Dataset.entities: row i = entity number i, with labels, aliases and counts
    languages: dict[str, int]  # language → code used in the derived tables
    sources: dict[str, int]  # source → code
    counts: dict[str, int]  # rows of articles, mentions, events
    opened_in: float = 0.0  # seconds the open (and any derivation) took
    extra: dict = field(default_factory=dict)
    _local: threading.local = field(default_factory=threading.local)

    def connection(self) -> duckdb.DuckDBPyConnection:
        """This thread's read-only connection (a DuckDB connection must not be shared between threads); opened
        again after a later open of the same folder closed the process's readers to derive new parts."""
        generation = _READERS.generation(self.database)
        held = getattr(self._local, "con", None)
        if held is None or held[0] != generation:
            self._local.con = (generation, _READERS.open(self.database))
        return self._local.con[1]

    def frame(self, sql: str, params: list | None = None) -> pd.DataFrame:
        """The result of a query as a DataFrame."""
        return self.connection().execute(sql, params or []).df()

    def rows(self, sql: str, params: list | None = None) -> list[tuple]:
        """The result of a query as tuples."""
        return self.connection().execute(sql, params or []).fetchall()

    def arr(self, table: str, column: str) -> np.ndarray:
        """An entity column as a numpy array (only the entities are held in memory)."""
        if table != "entities":
            raise DataUnavailable(f"{table} are not held in memory on a dataset served by queries")
        cache = self.extra.setdefault("arrays", {})
        if column not in cache:
            cache[column] = self.entities[column].to_numpy()
        return cache[column]

    @cached_property
    def entity_index(self) -> dict[str, int]:
        """Entity id → entity number."""
        return {e: i for i, e in enumerate(self.entities["entity_id"])}

    @property
    def n_articles(self) -> int:
        """How many articles the dataset holds."""
        return self.counts["articles"]


def is_query_dataset(ds: object) -> bool:
    """True for a dataset served by DuckDB queries."""
    return isinstance(ds, QueryDataset)


def query_rows(folder: Path) -> dict[str, int]:
    """Rows per table as the manifest records them (0 for an older folder of whole files: unknown, small)."""
    manifest = store.read_manifest(Path(folder))
    if manifest is None:
        return {name: 0 for name in store.TABLE_NAMES}
    return {name: sum(int(p.get("rows", 0)) for p in parts) for name, parts in manifest["tables"].items()}


class _Readers:
    """The read-only connections this process holds on each derived database. DuckDB opens a file once per
    process with one configuration, so deriving new parts (read-write) first closes them; each dataset handle
    notices the new generation and opens its connection again."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.open_connections: dict[Path, list[duckdb.DuckDBPyConnection]] = {}
        self.generations: dict[Path, int] = {}

    def generation(self, database: Path) -> int:
        """How many times the readers of this database were closed."""
        return self.generations.get(database, 0)

    def open(self, database: Path) -> duckdb.DuckDBPyConnection:
        """A new read-only connection, remembered so it can be closed before a write."""
        with self.lock:
            con = _connect(database, read_only=True)
            self.open_connections.setdefault(database, []).append(con)
            return con

    def close_all(self, database: Path) -> None:
        """Close every reader of the database (before opening it for writing)."""
        with self.lock:
            for con in self.open_connections.pop(database, []):
                con.close()
            self.generations[database] = self.generation(database) + 1


_READERS = _Readers()


def _connect(database: Path, read_only: bool) -> duckdb.DuckDBPyConnection:
    """A connection with the memory, thread and spill settings of the dashboard."""
    spill = database.parent / "spill"
    spill.mkdir(exist_ok=True)
    con = duckdb.connect(
        str(database),
        read_only=read_only,
        config={"memory_limit": MEMORY_LIMIT, "threads": THREADS, "temp_directory": str(spill),
                "preserve_insertion_order": False},
    )
    con.execute("SET enable_progress_bar = false").fetchall()
    return con


def open_query_dataset(folder: Path) -> QueryDataset:
    """Derive what the parts added since the last open need, then open the derived tables for reading."""
    started = time.perf_counter()
    folder = Path(folder).resolve()
    if (folder / store.JOURNAL).exists():
        with store.lock(folder):
            store.recover(folder)
    try:
        files = store.table_files(folder)
    except store.DatasetError as error:
        raise DataUnavailable(str(error)) from error
    where = folder / QUERY_DIR
    where.mkdir(exist_ok=True)
    database = where / DATABASE
    with FileLock(str(where / ".lock"), timeout=3600):
        _READERS.close_all(database)
        con = _connect(database, read_only=False)
        try:
            derive(con, files)
            _run(con, "CHECKPOINT")
        finally:
            con.close()
    con = _connect(database, read_only=True)
    try:
        entities = _entity_frame(con)
        languages = dict(con.execute("SELECT language, code FROM languages").fetchall())
        sources = dict(con.execute("SELECT source, code FROM sources").fetchall())
        counts = {name: con.execute(f"SELECT count(*) FROM {table}").fetchall()[0][0]
                  for name, table in (("articles", "art"), ("mentions", "men"), ("events", "ev"))}
    finally:
        con.close()
    return QueryDataset(
        folder=folder,
        key=f"query|{folder}|{store.signature(folder)}",
        database=database,
        entities=entities,
        languages=languages,
        sources=sources,
        counts=counts,
        opened_in=time.perf_counter() - started,
    )


# ---------------------------------------------------------------- deriving the tables


SCHEMA = """
CREATE TABLE meta (layout INTEGER);
CREATE TABLE progress (sentences_to BIGINT, aggregated_rows BIGINT);
CREATE TABLE parts (tbl VARCHAR, file VARCHAR, position INTEGER, first_row BIGINT, n_rows BIGINT);
CREATE TABLE languages (language VARCHAR, code INTEGER);
CREATE TABLE sources (source VARCHAR, code INTEGER);
CREATE TABLE ent (ent INTEGER, entity_id VARCHAR, name VARCHAR, type VARCHAR, country VARCHAR, sector VARCHAR,
    wikidata VARCHAR, lat DOUBLE, lon DOUBLE, geocoder VARCHAR, kb BOOLEAN);
CREATE TABLE art (art INTEGER, article_id VARCHAR, title VARCHAR, published DATE, source VARCHAR, url VARCHAR,
    language VARCHAR, lang_c INTEGER, source_c INTEGER);
CREATE TABLE art_text (art INTEGER, text VARCHAR);
CREATE TABLE men (mrow BIGINT, art INTEGER, sent BIGINT, ent INTEGER, start BIGINT, "end" BIGINT,
    surface VARCHAR, aday DATE, lang_c INTEGER, source_c INTEGER);
CREATE TABLE ev (evn BIGINT, event_id VARCHAR, art INTEGER, sent BIGINT, type VARCHAR, mode VARCHAR,
    modality VARCHAR, actor_src INTEGER, actor_tgt INTEGER, place INTEGER, day DATE, date VARCHAR,
    date_precision VARCHAR, trigger VARCHAR, evidence VARCHAR, confidence DOUBLE, aday DATE, lang_c INTEGER,
    source_c INTEGER);
CREATE TABLE sen (sent BIGINT, art INTEGER, span_first BIGINT, span_last BIGINT, first_event BIGINT, aday DATE,
    lang_c INTEGER, source_c INTEGER, said VARCHAR, cut BOOLEAN);
CREATE TABLE se (sent BIGINT, ent INTEGER, art INTEGER, aday DATE, lang_c INTEGER, source_c INTEGER);
CREATE TABLE pairs (sent BIGINT, a INTEGER, b INTEGER, art INTEGER, aday DATE, lang_c INTEGER, source_c INTEGER);
CREATE TABLE ent_surface (ent INTEGER, surface VARCHAR, first_row BIGINT);
CREATE TABLE art_m (month DATE, lang_c INTEGER, source_c INTEGER, n BIGINT);
CREATE TABLE men_m (month DATE, lang_c INTEGER, source_c INTEGER, ent INTEGER, n BIGINT);
CREATE TABLE pairs_m (month DATE, lang_c INTEGER, source_c INTEGER, a INTEGER, b INTEGER, n BIGINT, sample BIGINT);
CREATE TABLE pairs_t (a INTEGER, b INTEGER, n BIGINT, sample BIGINT);
CREATE TABLE ev_m (month DATE, lang_c INTEGER, source_c INTEGER, type VARCHAR, modality VARCHAR,
    date_precision VARCHAR, place INTEGER, n BIGINT);
CREATE TABLE ev_d (day DATE, lang_c INTEGER, source_c INTEGER, type VARCHAR, modality VARCHAR,
    date_precision VARCHAR, n BIGINT);
CREATE TABLE x_art_m (x INTEGER, month DATE, lang_c INTEGER, source_c INTEGER, n BIGINT);
CREATE TABLE x_men_m (x INTEGER, month DATE, lang_c INTEGER, source_c INTEGER, ent INTEGER, n BIGINT);
CREATE TABLE x_pairs (x INTEGER, a INTEGER, b INTEGER, n BIGINT, sample BIGINT);
CREATE TABLE x_ev_d (x INTEGER, role VARCHAR, day DATE, lang_c INTEGER, source_c INTEGER, type VARCHAR,
    modality VARCHAR, date_precision VARCHAR, n BIGINT);
CREATE TABLE x_place_m (x INTEGER, role VARCHAR, month DATE, lang_c INTEGER, source_c INTEGER, place INTEGER,
    n BIGINT);
CREATE TABLE x_partner_m (x INTEGER, month DATE, lang_c INTEGER, source_c INTEGER, other INTEGER, n BIGINT);
CREATE TABLE x_quotes (x INTEGER, sent BIGINT, evn BIGINT, day DATE, lang_c INTEGER, source_c INTEGER);
"""
DERIVED = ("meta", "progress", "parts", "languages", "sources", "ent", "art", "art_text", "men", "ev", "sen", "se",
           "pairs", "ent_surface", "art_m", "men_m", "pairs_m", "pairs_t", "ev_m", "ev_d", "x_art_m", "x_men_m",
           "x_pairs", "x_ev_d", "x_place_m", "x_partner_m", "x_quotes")
# Aggregates whose rows are summed again after new articles were derived, so that one key has one row (queries then
# read few rows), sorted so that an entity's rows lie together and zone maps skip the others.
AGGREGATES = {
    "art_m": ("month, lang_c, source_c", "sum(n)::BIGINT AS n", "month"),
    "men_m": ("month, lang_c, source_c, ent", "sum(n)::BIGINT AS n", "ent, month"),
    "pairs_m": ("month, lang_c, source_c, a, b", "sum(n)::BIGINT AS n, min(sample) AS sample", "month, a, b"),
    "pairs_t": ("a, b", "sum(n)::BIGINT AS n, min(sample) AS sample", "a, b"),
    "ev_m": ("month, lang_c, source_c, type, modality, date_precision, place", "sum(n)::BIGINT AS n", "month"),
    "ev_d": ("day, lang_c, source_c, type, modality, date_precision", "sum(n)::BIGINT AS n", "day"),
    "x_art_m": ("x, month, lang_c, source_c", "sum(n)::BIGINT AS n", "x, month"),
    "x_men_m": ("x, month, lang_c, source_c, ent", "sum(n)::BIGINT AS n", "x, month"),
    "x_pairs": ("x, a, b", "sum(n)::BIGINT AS n, min(sample) AS sample", "x, a, b"),
    "x_ev_d": ("x, role, day, lang_c, source_c, type, modality, date_precision", "sum(n)::BIGINT AS n", "x, day"),
    "x_place_m": ("x, role, month, lang_c, source_c, place", "sum(n)::BIGINT AS n", "x, month"),
    "x_partner_m": ("x, month, lang_c, source_c, other", "sum(n)::BIGINT AS n", "x, month"),
}
CHUNK_ARTICLES = 250_000  # articles whose sentences are derived in one transaction: bounds memory, not results
REAGGREGATE_SHARE = 0.2  # sum the aggregates again once the rows added since the last time are this share


def derive(con: duckdb.DuckDBPyConnection, files: dict[str, list[Path]]) -> None:
    """Bring the derived tables up to the folder's parts: only new parts when the old ones are all still there.

    Each part file is added in a transaction of its own, then the sentences of the new articles are derived chunk
    by chunk, so memory stays that of one part or chunk and an interrupted open resumes where it stopped."""
    done = _processed(con)
    current = {name: [f.name for f in files[name]] for name in store.TABLE_NAMES}
    if done is None or any(current[name][: len(done[name])] != done[name] for name in store.TABLE_NAMES):
        _reset(con)
        done = {name: [] for name in store.TABLE_NAMES}
    adders = {"entities": _add_entities, "articles": _add_articles, "mentions": _add_mentions,
              "events": _add_events}
    for name in ("entities", "articles", "mentions", "events"):
        for position, path in enumerate(files[name][len(done[name]):], start=len(done[name])):
            _run(con, "BEGIN")
            offsets = _record_parts(con, name, [path], position)
            adders[name](con, [path], offsets)
            _run(con, "COMMIT")
    first_art, end_art = _sentences_to(con), _next(con, "art", "art")
    for low in range(first_art, end_art, CHUNK_ARTICLES):
        high = min(low + CHUNK_ARTICLES, end_art)
        _run(con, "BEGIN")
        _add_sentences(con, low, high)
        _run(con, "UPDATE progress SET sentences_to = ?", [high])
        _run(con, "COMMIT")
    if end_art > first_art:
        # One chunk into empty tables leaves one row per key already.
        _reaggregate(con, single=first_art == 0 and end_art - first_art <= CHUNK_ARTICLES)


def _sentences_to(con: duckdb.DuckDBPyConnection) -> int:
    """The first article number whose sentences are not derived yet."""
    return int(con.execute("SELECT sentences_to FROM progress").fetchall()[0][0])


def _reaggregate(con: duckdb.DuckDBPyConnection, single: bool) -> None:
    """Sum each aggregate's rows by key again once enough rows were added since the last time (each chunk adds
    rows of its own), so that a query reads one row per key, an entity's rows together; `single` when one chunk
    was derived into empty tables, which holds one row per key already."""
    rows = sum(int(con.execute(f"SELECT count(*) FROM {table}").fetchall()[0][0]) for table in AGGREGATES)
    before = int(con.execute("SELECT aggregated_rows FROM progress").fetchall()[0][0])
    if single or (before and rows - before < REAGGREGATE_SHARE * before):
        _run(con, "UPDATE progress SET aggregated_rows = ?", [rows if single else before])
        return
    total = 0
    for table, (keys, measures, order) in AGGREGATES.items():
        _run(con, "BEGIN")
        _run(con, f"CREATE TABLE {table}_new AS SELECT {keys}, {measures} FROM {table} GROUP BY ALL ORDER BY {order}")
        _run(con, f"DROP TABLE {table}")
        _run(con, f"ALTER TABLE {table}_new RENAME TO {table}")
        total += int(con.execute(f"SELECT count(*) FROM {table}").fetchall()[0][0])
        _run(con, "UPDATE progress SET aggregated_rows = ?", [total])
        _run(con, "COMMIT")


def _run(con: duckdb.DuckDBPyConnection, sql: str, params: list | None = None) -> None:
    """Run a statement to its end (DuckDB keeps a result open until it is fetched)."""
    con.execute(sql, params or []).fetchall()


def _processed(con: duckdb.DuckDBPyConnection) -> dict[str, list[str]] | None:
    """The part files already derived, per table, or None when the database is new or of another layout."""
    tables = {row[0] for row in con.execute("SELECT table_name FROM duckdb_tables()").fetchall()}
    if "meta" not in tables or con.execute("SELECT max(layout) FROM meta").fetchall()[0][0] != LAYOUT:
        return None
    done = {name: [] for name in store.TABLE_NAMES}
    for name, file in con.execute("SELECT tbl, file FROM parts ORDER BY tbl, position").fetchall():
        done[name].append(file)
    return done


def _reset(con: duckdb.DuckDBPyConnection) -> None:
    """Drop every derived table and create them empty."""
    for table in DERIVED:
        _run(con, f"DROP TABLE IF EXISTS {table}")
    _run(con, SCHEMA)
    _run(con, "INSERT INTO meta VALUES (?)", [LAYOUT])
    _run(con, "INSERT INTO progress VALUES (0, 0)")


def _next(con: duckdb.DuckDBPyConnection, table: str, column: str) -> int:
    """The next free number of a column (0 for an empty table)."""
    return int(con.execute(f"SELECT coalesce(max({column}) + 1, 0) FROM {table}").fetchall()[0][0])


def _record_parts(con: duckdb.DuckDBPyConnection, name: str, paths: list[Path], position: int) -> dict[str, int]:
    """List new part files with the number of their first row; returns file path → first row."""
    first = int(con.execute("SELECT coalesce(sum(n_rows), 0) FROM parts WHERE tbl = ?", [name]).fetchall()[0][0])
    out = {}
    for i, path in enumerate(paths):
        rows = pq.ParquetFile(path).metadata.num_rows
        _run(con, "INSERT INTO parts VALUES (?, ?, ?, ?, ?)", [name, path.name, position + i, first, rows])
        out[str(path)] = first
        first += rows
    return out


def _file_list(paths: list[Path]) -> str:
    """A SQL list of file paths."""
    return "[" + ", ".join("'" + str(p).replace("'", "''") + "'" for p in paths) + "]"


def _offsets_table(con: duckdb.DuckDBPyConnection, offsets: dict[str, int]) -> None:
    """A temporary table of each new file's first row number, joined on read_parquet's filename column."""
    frame = pd.DataFrame({"filename": list(offsets), "first_row": list(offsets.values())})
    con.register("offsets_frame", frame)
    _run(con, "CREATE OR REPLACE TEMP TABLE offsets AS SELECT filename, first_row::BIGINT AS first_row "
                "FROM offsets_frame")
    con.unregister("offsets_frame")


def _add_entities(con: duckdb.DuckDBPyConnection, paths: list[Path], offsets: dict[str, int]) -> None:
    """Entities numbered in the order of their parts and rows."""
    for path in paths:
        frame = store.conform("entities", pq.read_table(path).to_pandas())
        frame.insert(0, "ent", np.arange(len(frame), dtype=np.int64) + offsets[str(path)])
        con.register("new_entities", frame)
        _run(con, "INSERT INTO ent SELECT * FROM new_entities")
        con.unregister("new_entities")


ARTICLE_BATCH = 20_000  # articles prepared in pandas at a time: their texts are the biggest rows


def _add_articles(con: duckdb.DuckDBPyConnection, paths: list[Path], offsets: dict[str, int]) -> None:
    """Articles prepared as the in-memory Dataset prepares them (same dates, links, missing sources), numbered
    in the order of their parts; their texts go to a table of their own, read only for the rows shown. Each
    batch is stored newest first, so that the newest articles, which the pages list, lie in few blocks."""
    for path in paths:
        parquet = pq.ParquetFile(path)
        first = offsets[str(path)]
        for batch in parquet.iter_batches(batch_size=ARTICLE_BATCH):
            raw = store.conform("articles", batch.to_pandas())
            del batch
            prepared = _prepare_articles(raw).drop(columns=["source_code", "language_code"])
            del raw
            prepared.insert(0, "art", np.arange(len(prepared), dtype=np.int64) + first)
            first += len(prepared)
            _add_codes(con, "languages", "language", prepared["language"])
            _add_codes(con, "sources", "source", prepared["source"])
            prepared["published"] = pd.to_datetime(prepared["published"])
            con.register("new_articles", prepared)
            _run(con,
                """INSERT INTO art SELECT n.art, n.article_id, n.title, n.published::DATE, n.source, n.url,
                       n.language, l.code, s.code
                   FROM new_articles n JOIN languages l ON l.language = n.language
                   JOIN sources s ON s.source = n.source
                   ORDER BY n.published DESC NULLS LAST, n.art"""
            )
            _run(con, "INSERT INTO art_text SELECT art, text FROM new_articles")
            _run(con,
                """INSERT INTO art_m SELECT date_trunc('month', published), lang_c, source_c, count(*)
                   FROM art WHERE art >= ? GROUP BY ALL""",
                [int(prepared["art"].iloc[0]) if len(prepared) else 0],
            )
            con.unregister("new_articles")
            del prepared


def _add_codes(con: duckdb.DuckDBPyConnection, table: str, column: str, values: pd.Series) -> None:
    """Give each language or source not seen before the next code."""
    known = {row[0] for row in con.execute(f"SELECT {column} FROM {table}").fetchall()}
    start = int(con.execute(f"SELECT coalesce(max(code) + 1, 0) FROM {table}").fetchall()[0][0])
    new = sorted(set(values) - known)
    for i, value in enumerate(new):
        _run(con, f"INSERT INTO {table} VALUES (?, ?)", [value, start + i])


def _add_mentions(con: duckdb.DuckDBPyConnection, paths: list[Path], offsets: dict[str, int]) -> None:
    """Mentions with their article, sentence and entity numbers; rows naming an unknown article or entity are
    left out, as the in-memory Dataset leaves them out."""
    if not paths:
        return
    _offsets_table(con, offsets)
    _run(con,
        f"""INSERT INTO men
            SELECT o.first_row + m.file_row_number, a.art, (a.art::BIGINT << {SENTENCE_BITS}) | m.sentence,
                   e.ent, m.start, m."end", coalesce(m.surface, 'None'), a.published, a.lang_c, a.source_c
            FROM read_parquet({_file_list(paths)}, filename = true, file_row_number = true) m
            JOIN offsets o ON o.filename = m.filename
            JOIN art a ON a.article_id = m.article_id
            JOIN ent e ON e.entity_id = m.entity_id
            ORDER BY a.published, 3, 1"""
    )


def _add_events(con: duckdb.DuckDBPyConnection, paths: list[Path], offsets: dict[str, int]) -> None:
    """Events with numbers, a plotting day (partial dates on their first day, no date: the article's day) and
    the precision 'article' when the text gave no date, as the in-memory Dataset derives them."""
    if not paths:
        return
    _offsets_table(con, offsets)
    _run(con,
        f"""INSERT INTO ev
            WITH raw AS (
                SELECT r.*, o.first_row + r.file_row_number AS evn, trim(coalesce(r.date, '')) AS text_date
                FROM read_parquet({_file_list(paths)}, filename = true, file_row_number = true) r
                JOIN offsets o ON o.filename = r.filename
            ), parsed AS (
                SELECT *, try_strptime(CASE length(text_date) WHEN 7 THEN text_date || '-01'
                                                              WHEN 4 THEN text_date || '-01-01'
                                                              ELSE text_date END, '%Y-%m-%d')::DATE AS own_day
                FROM raw
            )
            SELECT p.evn, p.event_id, a.art, (a.art::BIGINT << {SENTENCE_BITS}) | coalesce(p.sentence, 0),
                   coalesce(p.type, 'None'), p.mode, coalesce(p.modality, 'asserted'),
                   coalesce(es.ent, {NO_ENTITY}), coalesce(et.ent, {NO_ENTITY}), coalesce(ep.ent, {NO_ENTITY}),
                   coalesce(p.own_day, a.published), p.date,
                   CASE WHEN p.own_day IS NOT NULL AND p.date_precision IS DISTINCT FROM 'article'
                        THEN coalesce(p.date_precision, 'day') ELSE 'article' END,
                   coalesce(p.trigger, ''), coalesce(p.evidence, ''), p.confidence,
                   a.published, a.lang_c, a.source_c
            FROM parsed p
            JOIN art a ON a.article_id = p.article_id
            LEFT JOIN ent es ON es.entity_id = p.source_id
            LEFT JOIN ent et ON et.entity_id = p.target_id
            LEFT JOIN ent ep ON ep.entity_id = p.place_id
            ORDER BY 11, 4, 1"""
    )


def _add_sentences(con: duckdb.DuckDBPyConnection, low: int, high: int) -> None:
    """Sentences, (sentence, entity) membership, co-mention pairs and the aggregates of articles low .. high - 1.

    New parts bring new articles with their mentions and events, so a sentence's rows all arrive together."""
    chunk = f"art >= {int(low)} AND art < {int(high)}"
    _run(con, f"CREATE OR REPLACE TEMP TABLE c_men AS SELECT * FROM men WHERE {chunk}")
    _run(con, f"CREATE OR REPLACE TEMP TABLE c_ev AS SELECT * FROM ev WHERE {chunk}")
    _run(con,
        """CREATE OR REPLACE TEMP TABLE c_sen AS
            WITH m AS (SELECT sent, any_value(art) AS art, min(start) AS span_first, max("end") AS span_last,
                              any_value(aday) AS aday, any_value(lang_c) AS lang_c, any_value(source_c) AS source_c
                       FROM c_men GROUP BY sent),
                 e AS (SELECT sent, any_value(art) AS art, min(evn) AS first_event, any_value(aday) AS aday,
                              any_value(lang_c) AS lang_c, any_value(source_c) AS source_c
                       FROM c_ev GROUP BY sent)
            SELECT coalesce(m.sent, e.sent) AS sent, coalesce(m.art, e.art) AS art, m.span_first,
                   coalesce(m.span_last, -1) AS span_last, e.first_event, coalesce(m.aday, e.aday) AS aday,
                   coalesce(m.lang_c, e.lang_c) AS lang_c, coalesce(m.source_c, e.source_c) AS source_c
            FROM m FULL OUTER JOIN e ON m.sent = e.sent"""
    )
    _add_said(con, low, high)
    _run(con,
        """INSERT INTO sen SELECT sent, art, span_first, span_last, first_event, aday, lang_c, source_c, said, cut
           FROM c_said ORDER BY aday, sent"""
    )
    for table in ("c_sen", "c_said"):
        _run(con, f"DROP TABLE {table}")
    _run(con,
        """CREATE OR REPLACE TEMP TABLE c_se AS
            SELECT DISTINCT sent, ent, art, aday, lang_c, source_c FROM (
                SELECT sent, ent, art, aday, lang_c, source_c FROM c_men
                UNION ALL SELECT sent, actor_src, art, aday, lang_c, source_c FROM c_ev WHERE actor_src >= 0
                UNION ALL SELECT sent, actor_tgt, art, aday, lang_c, source_c FROM c_ev WHERE actor_tgt >= 0
                UNION ALL SELECT sent, place, art, aday, lang_c, source_c FROM c_ev WHERE place >= 0)"""
    )
    _run(con, "INSERT INTO se SELECT * FROM c_se ORDER BY ent, aday, sent")
    _run(con,
        """CREATE OR REPLACE TEMP TABLE c_pairs AS
            SELECT x.sent, x.ent AS a, y.ent AS b, x.art, x.aday, x.lang_c, x.source_c
            FROM c_se x JOIN c_se y ON x.sent = y.sent AND x.ent < y.ent"""
    )
    _run(con, "INSERT INTO pairs SELECT * FROM c_pairs ORDER BY aday, sent")
    for sql in _chunk_aggregates():
        _run(con, sql)
    for table in ("c_men", "c_ev", "c_se", "c_pairs"):
        _run(con, f"DROP TABLE {table}")


SAID_ARTICLES = 20_000  # articles whose texts are cut into sentences at a time: their texts are held in memory


def _add_said(con: duckdb.DuckDBPyConnection, low: int, high: int) -> None:
    """The chunk's sentences (c_sen) with the text a search reads in each (c_said): its first event's evidence,
    else the sentence cut from its article around its mentions, as sentence_text shows it (not stripped: a search
    word holds no space). Articles are cut a few thousand at a time, so that few texts are held at once."""
    said = cut_sentence_sql("t.text", "s.span_first", "s.span_last")
    _run(con, "CREATE OR REPLACE TEMP TABLE c_said AS SELECT *, ''::VARCHAR AS said, false AS cut FROM c_sen LIMIT 0")
    for first in range(low, high, SAID_ARTICLES):
        batch = f"art >= {int(first)} AND art < {int(min(first + SAID_ARTICLES, high))}"
        _run(con,
            f"""INSERT INTO c_said
                WITH s AS (SELECT s.*, coalesce(f.evidence, '') AS evidence FROM (SELECT * FROM c_sen WHERE {batch}) s
                           LEFT JOIN (SELECT evn, evidence FROM c_ev WHERE {batch}) f ON f.evn = s.first_event)
                SELECT s.* EXCLUDE (evidence), CASE WHEN s.evidence != '' THEN s.evidence ELSE {said} END,
                       s.evidence = ''
                FROM s LEFT JOIN (SELECT art, text FROM art_text WHERE {batch}) t
                    ON t.art = s.art AND s.evidence = ''"""
        )


def _chunk_aggregates() -> list[str]:
    """The statements adding a chunk's rows (the temporary tables c_men, c_ev, c_se, c_pairs) to the aggregates."""
    # An event's role for an entity: 's' source, 't' target, 'b' both; a participant is any of the three.
    roles = """(SELECT actor_src AS x, CASE WHEN actor_tgt = actor_src THEN 'b' ELSE 's' END AS role, *
                FROM c_ev WHERE actor_src >= 0
                UNION ALL SELECT actor_tgt AS x, 't' AS role, * FROM c_ev
                WHERE actor_tgt >= 0 AND actor_tgt IS DISTINCT FROM actor_src)"""
    return [
        """INSERT INTO men_m SELECT date_trunc('month', aday), lang_c, source_c, ent, count(*)
           FROM c_men GROUP BY ALL""",
        """INSERT INTO pairs_m SELECT date_trunc('month', aday), lang_c, source_c, a, b, count(*), min(sent)
           FROM c_pairs GROUP BY ALL""",
        "INSERT INTO pairs_t SELECT a, b, count(*), min(sent) FROM c_pairs GROUP BY ALL",
        """INSERT INTO ev_m SELECT date_trunc('month', day), lang_c, source_c, type, modality, date_precision,
                  place, count(*)
           FROM c_ev GROUP BY ALL""",
        """INSERT INTO ev_d SELECT day, lang_c, source_c, type, modality, date_precision, count(*)
           FROM c_ev GROUP BY ALL""",
        """INSERT INTO ent_surface
           SELECT ent, surface, min(mrow) AS first_row FROM c_men GROUP BY ent, surface
           QUALIFY row_number() OVER (PARTITION BY ent ORDER BY first_row) <= 8""",
        """INSERT INTO x_art_m SELECT ent, date_trunc('month', aday), lang_c, source_c, count(DISTINCT art)
           FROM c_se GROUP BY ALL ORDER BY 1, 2""",
        """INSERT INTO x_men_m SELECT x.ent, date_trunc('month', m.aday), m.lang_c, m.source_c, m.ent, count(*)
           FROM c_se x JOIN c_men m ON m.sent = x.sent GROUP BY ALL ORDER BY 1, 2""",
        """INSERT INTO x_pairs SELECT x.ent, p.a, p.b, count(*), min(p.sent)
           FROM c_se x JOIN c_pairs p ON p.sent = x.sent GROUP BY ALL ORDER BY 1, 2, 3""",
        f"""INSERT INTO x_ev_d SELECT x, role, day, lang_c, source_c, type, modality, date_precision, count(*)
            FROM {roles} GROUP BY ALL ORDER BY 1, 3""",
        f"""INSERT INTO x_place_m SELECT x, role, date_trunc('month', day), lang_c, source_c, place, count(*)
            FROM {roles} WHERE place >= 0 GROUP BY ALL ORDER BY 1, 3""",
        """INSERT INTO x_partner_m SELECT x, month, lang_c, source_c, other, count(*) FROM (
               SELECT actor_src AS x, actor_tgt AS other, date_trunc('month', day) AS month, lang_c, source_c
               FROM c_ev WHERE actor_src >= 0 AND actor_tgt >= 0 AND actor_tgt != actor_src
               UNION ALL SELECT actor_tgt, actor_src, date_trunc('month', day), lang_c, source_c
               FROM c_ev WHERE actor_src >= 0 AND actor_tgt >= 0 AND actor_tgt != actor_src)
           GROUP BY ALL ORDER BY 1, 2""",
        """INSERT INTO x_quotes SELECT actor_src, sent, min(evn) AS evn, arg_min(day, evn), any_value(lang_c),
                  any_value(source_c)
           FROM c_ev WHERE actor_src >= 0 GROUP BY actor_src, sent ORDER BY 1, 4 DESC NULLS LAST, 2""",
    ]


def _entity_frame(con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    """Entities with the flags, labels, aliases and mention counts of Dataset.entities."""
    raw = con.execute("SELECT * EXCLUDE (ent) FROM ent ORDER BY ent").df()
    entities = _prepare_entities(store.conform("entities", raw))
    counts = con.execute("SELECT ent, sum(n) FROM men_m GROUP BY ent").fetchall()
    mention_count = np.zeros(len(entities), np.int64)
    for ent, n in counts:
        mention_count[ent] = n
    surfaces: dict[int, list[str]] = {}
    for ent, surface in con.execute("SELECT ent, surface FROM ent_surface ORDER BY ent, first_row").fetchall():
        found = surfaces.setdefault(ent, [])
        if surface not in found and len(found) < 8:
            found.append(surface)
    kb_aliases = _kb_aliases()
    aliases = []
    for i, (entity, name) in enumerate(zip(entities["entity_id"], entities["name"])):
        names = kb_aliases.get(entity, []) + surfaces.get(i, [])
        aliases.append(list(dict.fromkeys(n for n in names if n and n != name)))
    entities["aliases"] = aliases
    entities["mention_count"] = mention_count
    shared_name = entities["name"].str.casefold().duplicated(keep=False).to_numpy()
    entities["label"] = np.where(shared_name, entities["name"] + " · " + entities["country_name"], entities["name"])
    return entities


# Python's \s (the sentence ends of dataset.SENTENCE_END) for RE2: ASCII controls and every Unicode separator.
SPACE = r"[\t\n\v\f\r\x1c-\x1f\x85\p{Z}]"
SENTENCE_END_SQL = rf"(?:[.!?。！？]{SPACE}|\n)"


def cut_sentence_sql(text: str, first: str, last: str) -> str:
    """SQL of _expand_to_sentence: the text from the last sentence end before `first` to the first one at or after
    `last` (not stripped: a search word holds no space), '' when the sentence has no mention inside the text."""
    begin = f"length(regexp_extract(substr({text}, 1, {first}::BIGINT), '(?s)^.*{SENTENCE_END_SQL}', 0))"
    tail = f"substr({text}, {last}::BIGINT + 1)"
    stop = (f"CASE WHEN regexp_matches({tail}, '{SENTENCE_END_SQL}') "
            f"THEN {last} + length(regexp_extract({tail}, '(?s)^(.*?){SENTENCE_END_SQL}', 1)) + 1 "
            f"ELSE length({text}) END")
    return (f"CASE WHEN {last} < 0 OR {first} IS NULL OR {first} > length({text}) THEN '' "
            f"ELSE substr({text}, ({begin}) + 1, ({stop}) - ({begin})) END")


# ---------------------------------------------------------------- sidebar


class StoredIds(Set):
    """The article or event ids of a dataset, asked of DuckDB one at a time (millions: never listed in memory).

    Iterating gives nothing: a link's unknown id gets no "did you mean" among millions of hashes."""

    def __init__(self, qd: QueryDataset, table: str, column: str):
        self.qd, self.table, self.column = qd, table, column

    def __contains__(self, value: object) -> bool:
        return isinstance(value, str) and bool(
            self.qd.rows(f"SELECT 1 FROM {self.table} WHERE {self.column} = ? LIMIT 1", [value]))

    def __len__(self) -> int:
        return self.qd.counts["articles" if self.table == "art" else "events"]

    def __iter__(self):
        return iter(())


def query_vocabulary(qd: QueryDataset) -> Vocabulary:
    """The ids a URL may name: entities, sources and languages in memory, article and event ids asked of DuckDB."""
    return vocabulary_of(qd.entities, frozenset(qd.sources), frozenset(qd.languages),
                         StoredIds(qd, "ev", "event_id"), StoredIds(qd, "art", "article_id"))


def query_day_bounds(qd: QueryDataset) -> tuple[dt.date | None, dt.date | None]:
    """The first and last day of any article or event."""
    if "day_bounds" not in qd.extra:
        first, last = qd.rows(
            "SELECT min(d), max(d) FROM (SELECT min(published) AS d FROM art UNION ALL SELECT max(published) FROM art "
            "UNION ALL SELECT min(day) FROM ev UNION ALL SELECT max(day) FROM ev)")[0]
        qd.extra["day_bounds"] = (first, last)
    return qd.extra["day_bounds"]


# ---------------------------------------------------------------- filters as SQL


def quoted(values) -> str:
    """A SQL list of string literals (NULL alone when empty, which matches nothing)."""
    items = ["'" + str(v).replace("'", "''") + "'" for v in values]
    return "(" + (", ".join(items) if items else "NULL") + ")"


def numbers(values) -> str:
    """A SQL list of integers (NULL alone when empty, which matches nothing)."""
    items = [str(int(v)) for v in values]
    return "(" + (", ".join(items) if items else "NULL") + ")"


def article_terms(qd: QueryDataset, f: Filters, day_column: str | None = "aday") -> list[str]:
    """Predicates on a row's article language and source codes and, unless day_column is None, on a day."""
    terms = []
    if f.languages:
        terms.append(f"lang_c IN {numbers(qd.languages[x] for x in f.languages if x in qd.languages)}")
    if f.sources:
        terms.append(f"source_c IN {numbers(qd.sources[x] for x in f.sources if x in qd.sources)}")
    if day_column:
        terms += day_terms(f, day_column)
    return terms


def day_terms(f: Filters, column: str) -> list[str]:
    """Predicates of the date range on a day column (undated rows drop out once a bound is set)."""
    terms = []
    if f.date_from:
        terms.append(f"{column} >= DATE '{f.date_from.isoformat()}'")
    if f.date_to:
        terms.append(f"{column} <= DATE '{f.date_to.isoformat()}'")
    return terms


def where(terms: list[str]) -> str:
    """A WHERE clause of the terms (none: every row)."""
    return ("WHERE " + " AND ".join(terms)) if terms else ""


def event_terms(f: Filters) -> list[str]:
    """Predicates of the event type, modality and precision filters on event rows."""
    terms = []
    if f.event_types:
        terms.append(f"type IN {quoted(f.event_types)}")
    if f.modalities:
        terms.append(f"modality IN {quoted(f.modalities)}")
    if f.precisions:
        terms.append(f"date_precision IN {quoted(f.precisions)}")
    return terms


def narrowed(f: Filters) -> bool:
    """True when actors, places or event filters restrict the sentences."""
    return bool(f.actors or f.places or f.event_types or f.modalities or f.precisions)


def single_actor(qd: QueryDataset, f: Filters) -> int | None:
    """The entity number when the filters choose one known actor and no place (language, source, dates and event
    filters may be set): the per-actor aggregates can answer."""
    if len(f.actors) != 1 or f.places or f.actors[0] not in qd.entity_index:
        return None
    return qd.entity_index[f.actors[0]]


def one_actor(qd: QueryDataset, f: Filters) -> int | None:
    """The entity number when one known actor alone narrows the sentences (language, source and dates may be
    set, no place or event filter): the sentences kept are exactly those naming it."""
    return None if event_terms(f) else single_actor(qd, f)


def role_terms(f: Filters) -> list[str]:
    """Predicates of the actor's role on the per-actor event aggregates ('s' source, 't' target, 'b' both)."""
    return {"source": ["role IN ('s', 'b')"], "target": ["role IN ('t', 'b')"]}.get(f.role, [])


def actor_events(qd: QueryDataset, f: Filters) -> int | None:
    """The entity number when the events kept are one actor's in a role (not 'named'), so that the per-actor
    event aggregates can count them."""
    return single_actor(qd, f) if f.role != "named" else None


def entity_numbers(qd: QueryDataset, ids) -> list[int]:
    """The numbers of the known entities among the ids."""
    return [qd.entity_index[i] for i in ids if i in qd.entity_index]


def sentences_sql(qd: QueryDataset, f: Filters) -> str:
    """A query of the sentence keys the filters keep (only meaningful when narrowed(f))."""
    parts = []
    if f.actors:
        chosen = entity_numbers(qd, f.actors)
        having = f"HAVING count(*) >= {len(chosen)}" if f.match == "all" and chosen else ""
        parts.append(f"SELECT sent FROM se WHERE ent IN {numbers(chosen)} GROUP BY sent {having}")
    if f.places:
        parts.append(f"SELECT DISTINCT sent FROM se WHERE ent IN {numbers(entity_numbers(qd, f.places))}")
    if event_terms(f):
        parts.append(f"SELECT DISTINCT sent FROM ev {where(event_terms(f))}")
    kept = " INTERSECT ".join(f"({p})" for p in parts)
    terms = article_terms(qd, f)
    if not terms:  # every article kept: the sentences as found, without a lookup of their articles
        return kept
    return f"SELECT sent FROM sen WHERE sent IN ({kept}) {' AND '.join([''] + terms)}"


def place_sentences_sql(qd: QueryDataset, f: Filters) -> str:
    """A query of the sentence keys naming one of the chosen places (every sentence when none is chosen)."""
    if not f.places:
        return "SELECT sent FROM sen"
    return f"SELECT DISTINCT sent FROM se WHERE ent IN {numbers(entity_numbers(qd, f.places))}"


def events_sql(qd: QueryDataset, f: Filters) -> str:
    """A query of the events the filters keep, as select() keeps them: all their columns."""
    terms = event_terms(f) + article_terms(qd, f, day_column=None) + day_terms(f, "day")
    if f.actors and f.role != "named":
        chosen = numbers(entity_numbers(qd, f.actors))
        if f.match == "all" and len(f.actors) > 1:
            terms.append(f"actor_src IN {chosen} AND actor_tgt IN {chosen}")
        else:
            terms.append({"source": f"actor_src IN {chosen}", "target": f"actor_tgt IN {chosen}"}.get(
                f.role, f"(actor_src IN {chosen} OR actor_tgt IN {chosen})"))
        if f.places:
            terms.append(f"sent IN ({place_sentences_sql(qd, f)})")
    elif narrowed(f):
        kept = replace_filters(f, languages=(), sources=(), date_from=None, date_to=None)
        terms.append(f"sent IN ({sentences_sql(qd, kept)})")
    return f"SELECT * FROM ev {where(terms)}"


def replace_filters(f: Filters, **changes) -> Filters:
    """A copy of the filters with some changed."""
    from dataclasses import replace

    return replace(f, **changes)


def monthly(f: Filters, table: str, raw: str, day: str, measures: str, keys: str, raw_measures: str,
            terms: list[str], table_terms: list[str] | None = None) -> str:
    """Rows grouped by keys over a date range: whole months from the monthly table, edge days from the rows.

    `terms` are predicates both tables share (language, source, codes), `table_terms` those of the monthly table
    alone (the raw rows already meet them); `day` names the raw table's day."""
    month_terms, edges = list(terms) + list(table_terms or ()), []
    if f.date_from:
        inner_start = f.date_from if f.date_from.day == 1 else _next_month(f.date_from)
        month_terms.append(f"month >= DATE '{inner_start}'")
        if inner_start != f.date_from:
            edges.append((f.date_from, inner_start - dt.timedelta(days=1)))
    if f.date_to:
        after = f.date_to + dt.timedelta(days=1)
        inner_end = after if after.day == 1 else _month_start(f.date_to)
        month_terms.append(f"month < DATE '{inner_end}'")
        if inner_end != after:
            edges.append((inner_end, f.date_to))
    if f.date_from and f.date_to and month_terms[-2:] and (
        (f.date_from if f.date_from.day == 1 else _next_month(f.date_from)) >= inner_end
    ):
        month_terms, edges = None, [(f.date_from, f.date_to)]  # no whole month inside: the rows alone
    pieces = []
    if month_terms is not None:
        pieces.append(f"SELECT {keys}, {measures} FROM {table} {where(month_terms)} GROUP BY ALL")
    for low, high in edges:
        edge_terms = terms + [f"{day} >= DATE '{low}'", f"{day} <= DATE '{high}'"]
        pieces.append(f"SELECT {keys}, {raw_measures} FROM {raw} {where(edge_terms)} GROUP BY ALL")
    return " UNION ALL ".join(pieces)


def _month_start(day: dt.date) -> dt.date:
    """The first day of the day's month."""
    return day.replace(day=1)


def _next_month(day: dt.date) -> dt.date:
    """The first day of the month after the day's."""
    return (day.replace(day=28) + dt.timedelta(days=4)).replace(day=1)
