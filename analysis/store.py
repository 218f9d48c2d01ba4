"""Storage: the four tables (articles, entities, mentions, events) as Parquet or CSV, written atomically.

A write stages every table next to the old ones, records the set in a small journal, then moves them into
place; a run interrupted before the journal leaves the old tables whole, one interrupted after it is rolled
forward on the next open. One writer at a time holds the folder's lock.
"""

from __future__ import annotations

import json
import os
import uuid
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq
from filelock import FileLock

TABLE_NAMES = ("articles", "entities", "mentions", "events")
JOURNAL = ".commit.json"

SCHEMAS: dict[str, pa.Schema] = {
    "articles": pa.schema([
        ("article_id", pa.string()), ("title", pa.string()), ("published", pa.string()), ("source", pa.string()),
        ("url", pa.string()), ("language", pa.string()), ("text", pa.string()), ("n_words", pa.int64()),
        ("path", pa.string()),
    ]),
    "entities": pa.schema([
        ("entity_id", pa.string()), ("name", pa.string()), ("type", pa.string()), ("country", pa.string()),
        ("sector", pa.string()), ("wikidata", pa.string()), ("lat", pa.float64()), ("lon", pa.float64()),
        ("geocoder", pa.string()), ("kb", pa.bool_()),
    ]),
    "mentions": pa.schema([
        ("article_id", pa.string()), ("entity_id", pa.string()), ("sentence", pa.int64()), ("start", pa.int64()),
        ("end", pa.int64()), ("surface", pa.string()),
    ]),
    "events": pa.schema([
        ("event_id", pa.string()), ("article_id", pa.string()), ("sentence", pa.int64()), ("type", pa.string()),
        ("mode", pa.string()), ("source_id", pa.string()), ("target_id", pa.string()), ("place_id", pa.string()),
        ("date", pa.string()), ("date_precision", pa.string()), ("modality", pa.string()), ("trigger", pa.string()),
        ("evidence", pa.string()), ("confidence", pa.float64()),
    ]),
}
KEYS = {"articles": ["article_id"], "entities": ["entity_id"], "mentions": ["article_id", "start", "end"],
        "events": ["event_id"]}


class DatasetError(RuntimeError):
    """A dataset folder cannot be read or written; the message names the file and the problem."""


@dataclass(frozen=True)
class Tables:
    """The four tables of a dataset."""

    articles: pd.DataFrame
    entities: pd.DataFrame
    mentions: pd.DataFrame
    events: pd.DataFrame

    def as_dict(self) -> dict[str, pd.DataFrame]:
        """The tables by name."""
        return {name: getattr(self, name) for name in TABLE_NAMES}


def empty_table(name: str) -> pd.DataFrame:
    """A table with its columns and types and no rows."""
    return SCHEMAS[name].empty_table().to_pandas()


def empty_tables() -> Tables:
    """A dataset with no rows."""
    return Tables(**{name: empty_table(name) for name in TABLE_NAMES})


def conform(name: str, frame: pd.DataFrame) -> pd.DataFrame:
    """A frame with exactly the table's columns, in order, with its types (missing columns filled with nulls)."""
    columns = SCHEMAS[name].names
    frame = frame.reindex(columns=columns)
    return pa.Table.from_pandas(frame, schema=SCHEMAS[name], preserve_index=False).to_pandas()


def table_path(folder: Path, name: str, fmt: str) -> Path:
    """Where a table lives."""
    return Path(folder) / f"{name}.{fmt}"


def detect_format(folder: Path) -> str | None:
    """The format a dataset folder holds, or None when it holds no tables."""
    for fmt in ("parquet", "csv"):
        if table_path(folder, "articles", fmt).exists():
            return fmt
    return None


def lock(folder: Path) -> FileLock:
    """The folder's writer lock."""
    Path(folder).mkdir(parents=True, exist_ok=True)
    return FileLock(str(Path(folder) / ".lock"), timeout=600)


def recover(folder: Path) -> None:
    """Finish or discard a write that was interrupted: roll forward when every staged table is there."""
    journal = Path(folder) / JOURNAL
    if not journal.exists():
        return
    try:
        moves = json.loads(journal.read_text(encoding="utf-8"))
    except ValueError:
        moves = {}
    staged = [(Path(folder) / tmp, Path(folder) / final) for tmp, final in moves.items()]
    if staged and all(tmp.exists() or final.exists() for tmp, final in staged):
        for tmp, final in staged:
            if tmp.exists():
                os.replace(tmp, final)
    journal.unlink(missing_ok=True)
    for leftover in Path(folder).glob(".staging-*"):
        leftover.unlink(missing_ok=True)


def _read_one(path: Path, name: str, fmt: str) -> pd.DataFrame:
    """Read one table file, naming it in any error."""
    try:
        if fmt == "parquet":
            frame = pq.read_table(path).to_pandas()
        else:
            frame = pd.read_csv(path, dtype={c: "string" for c in SCHEMAS[name].names
                                             if pa.types.is_string(SCHEMAS[name].field(c).type)},
                                keep_default_na=False, na_values=[""])
    except FileNotFoundError as exc:
        raise DatasetError(f"{path}: the {name} table is missing; rebuild the dataset with "
                           "`python -m analysis extract ... --out DIR`") from exc
    except Exception as exc:  # pyarrow and pandas raise many kinds for a damaged file
        raise DatasetError(f"{path}: cannot read the {name} table ({exc}); the file is damaged or not a "
                           f"{fmt} table") from exc
    missing = [c for c in SCHEMAS[name].names if c not in frame.columns]
    if missing:
        raise DatasetError(f"{path}: the {name} table lacks columns {', '.join(missing)}")
    return conform(name, frame)


def load_tables(folder: Path, fmt: str | None = None) -> Tables:
    """Read a dataset folder's four tables."""
    folder = Path(folder)
    if not folder.is_dir():
        raise DatasetError(f"{folder}: no such dataset folder")
    if (folder / JOURNAL).exists():
        with lock(folder):
            recover(folder)
    fmt = fmt or detect_format(folder)
    if fmt is None:
        raise DatasetError(f"{folder}: holds no tables (expected articles.parquet or articles.csv)")
    return Tables(**{name: _read_one(table_path(folder, name, fmt), name, fmt) for name in TABLE_NAMES})


def load_or_empty(folder: Path, fmt: str) -> Tables:
    """The folder's tables, or empty ones when it holds none yet."""
    return load_tables(folder, fmt) if detect_format(folder) == fmt else empty_tables()


def write_tables(folder: Path, tables: Tables, fmt: str = "parquet") -> None:
    """Replace the folder's tables atomically (call with the folder's lock held)."""
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    recover(folder)
    moves: dict[str, str] = {}
    try:
        for name, frame in tables.as_dict().items():
            staged = folder / f".staging-{uuid.uuid4().hex}-{name}.{fmt}"
            frame = conform(name, frame)
            if fmt == "parquet":
                pq.write_table(pa.Table.from_pandas(frame, schema=SCHEMAS[name], preserve_index=False), staged)
            else:
                frame.to_csv(staged, index=False)
            with open(staged, "rb") as handle:
                os.fsync(handle.fileno())
            moves[staged.name] = table_path(folder, name, fmt).name
    except BaseException:
        for staged_name in moves:
            (folder / staged_name).unlink(missing_ok=True)
        raise
    journal_tmp = folder / f".staging-{uuid.uuid4().hex}.json"
    journal_tmp.write_text(json.dumps(moves), encoding="utf-8")
    os.replace(journal_tmp, folder / JOURNAL)
    recover(folder)


def merge(existing: Tables, new: Tables) -> Tables:
    """Existing rows plus new ones; a row whose key is already stored is kept as stored."""
    merged = {}
    for name in TABLE_NAMES:
        old, add = getattr(existing, name), getattr(new, name)
        if add.empty:
            merged[name] = old
            continue
        frames = [f for f in (old, add) if not f.empty]
        combined = pd.concat(frames, ignore_index=True) if len(frames) > 1 else frames[0]
        merged[name] = combined.drop_duplicates(subset=KEYS[name], keep="first").reset_index(drop=True)
    return Tables(**merged)


def without_articles(tables: Tables, article_ids: Iterable[str]) -> Tables:
    """The tables without these articles, their mentions and events, and the entities only they referenced."""
    gone = set(article_ids)
    mentions, events = tables.mentions, tables.events
    removed_mentions = mentions["article_id"].isin(gone)
    removed_events = events["article_id"].isin(gone)
    kept_mentions, kept_events = mentions[~removed_mentions], events[~removed_events]
    # Only entities the removed rows pointed at may go: an entity no row ever referenced is not ours to drop.
    orphans = _entity_ids(mentions[removed_mentions], events[removed_events]) \
        - _entity_ids(kept_mentions, kept_events)
    return Tables(
        articles=tables.articles[~tables.articles["article_id"].isin(gone)].reset_index(drop=True),
        entities=tables.entities[~tables.entities["entity_id"].isin(orphans)].reset_index(drop=True),
        mentions=kept_mentions.reset_index(drop=True),
        events=kept_events.reset_index(drop=True),
    )


def _entity_ids(mentions: pd.DataFrame, events: pd.DataFrame) -> set[str]:
    """Every entity id the mentions and events point at."""
    ids = set(mentions["entity_id"].dropna())
    for column in ("source_id", "target_id", "place_id"):
        ids |= set(events[column].dropna())
    return ids


def remove_articles(folder: Path, article_ids: Iterable[str]) -> int:
    """Remove articles with their mentions, events and orphaned entities, in one atomic write; how many went.

    Ids that are not stored are ignored; when none is stored nothing is written at all.
    """
    folder = Path(folder)
    if not folder.is_dir():
        raise DatasetError(f"{folder}: no such dataset folder")
    # A single id given as a string would otherwise be taken for a set of one-letter ids.
    wanted = {article_ids} if isinstance(article_ids, str) else set(article_ids)
    with lock(folder):
        # Finish an interrupted write first: load_tables would otherwise wait for this very lock to do it.
        recover(folder)
        fmt = detect_format(folder)
        if fmt is None:
            raise DatasetError(f"{folder}: holds no tables (expected articles.parquet or articles.csv)")
        tables = load_tables(folder, fmt)
        present = wanted & set(tables.articles["article_id"])
        if present:
            write_tables(folder, without_articles(tables, present), fmt)
    return len(present)


def describe(tables: Tables) -> dict[str, object]:
    """Counts per table, per language and per event type, for `stats`."""
    return {
        "rows": {name: int(len(frame)) for name, frame in tables.as_dict().items()},
        "articles_by_language": tables.articles["language"].value_counts(dropna=False).to_dict(),
        "entities_by_type": tables.entities["type"].value_counts(dropna=False).to_dict(),
        "events_by_type": tables.events["type"].value_counts(dropna=False).to_dict(),
        "events_by_modality": tables.events["modality"].value_counts(dropna=False).to_dict(),
    }
