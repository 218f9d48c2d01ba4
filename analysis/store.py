"""Storage: the four tables (articles, entities, mentions, events) as a partitioned Parquet dataset.

A Parquet dataset is a folder per table holding append-only part files, plus `manifest.json` listing the parts
that make up the dataset:

    DIR/manifest.json
    DIR/articles/part-00000001-3f9c2a.parquet
    DIR/entities/part-00000001-3f9c2a.parquet
    DIR/mentions/...
    DIR/events/...

A commit writes only its new rows as one new part per table. It stages the files under names starting with a dot
(which pandas, pyarrow, DuckDB's globs and Spark skip), records the new manifest in a journal, then moves the files
into place and replaces the manifest; a run interrupted before the journal leaves the old dataset whole, one
interrupted after it is rolled forward on the next open. Files not named in the manifest are debris of an
interrupted write and are swept by the next writer. One writer at a time holds the folder's lock; readers need no
lock, because a part file is never changed once named in a manifest.

Removal and compaction rewrite parts, and are explicit (`remove_articles`, `compact`). A folder written by older
versions (four whole files `articles.parquet` ...) still opens, and is converted to parts on its first write.
CSV stays four whole files, rewritten on each write: it is meant for small exports.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import time
import uuid
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq
from filelock import FileLock

TABLE_NAMES = ("articles", "entities", "mentions", "events")
JOURNAL = ".commit.json"
MANIFEST = "manifest.json"
LAYOUT = "newsint-parts/1"
# A file a write replaces (compaction, removal) moves to DIR/.retired/, out of the table folders that outside
# tools list, and stays there this long, so a reader that read the manifest just before can still read every
# file it names; the first write after that deletes it.
RETAIN_SECONDS = 60.0
RETIRED = ".retired"
COMPACT_ROWS = 2_000_000  # rows per file after compaction: large enough to scan fast, small enough to rewrite

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


@dataclass(frozen=True)
class WriteReport:
    """What a write put on disk: the files it added and their bytes."""

    files: tuple[Path, ...] = ()
    bytes: int = 0


def empty_table(name: str) -> pd.DataFrame:
    """A table with its columns and types and no rows."""
    return SCHEMAS[name].empty_table().to_pandas()


def empty_tables() -> Tables:
    """A dataset with no rows."""
    return Tables(**{name: empty_table(name) for name in TABLE_NAMES})


def conform(name: str, frame: pd.DataFrame) -> pd.DataFrame:
    """A frame with exactly the table's columns, in order, with its types (missing columns filled with nulls)."""
    return _arrow(name, frame).to_pandas()


def _arrow(name: str, frame: pd.DataFrame) -> pa.Table:
    """A frame as an Arrow table of the table's schema."""
    return pa.Table.from_pandas(frame.reindex(columns=SCHEMAS[name].names), schema=SCHEMAS[name],
                                preserve_index=False)


# ----- where things are

def table_path(folder: Path, name: str, fmt: str) -> Path:
    """Where a table lives as one whole file (CSV, and Parquet folders written by older versions)."""
    return Path(folder) / f"{name}.{fmt}"


def manifest_path(folder: Path) -> Path:
    """The manifest of a partitioned dataset."""
    return Path(folder) / MANIFEST


def detect_format(folder: Path) -> str | None:
    """The format a dataset folder holds, or None when it holds no tables."""
    if manifest_path(folder).exists() or table_path(folder, "articles", "parquet").exists():
        return "parquet"
    if table_path(folder, "articles", "csv").exists():
        return "csv"
    return None


def has_tables(folder: Path) -> bool:
    """True when the folder holds a dataset in any layout."""
    return detect_format(Path(folder)) is not None


def signature(folder: Path) -> tuple:
    """What identifies a dataset's version on disk: the manifest's (or the whole files') size and time."""
    paths = [manifest_path(folder)] + [table_path(folder, name, fmt) for fmt in ("parquet", "csv")
                                       for name in TABLE_NAMES]
    out = []
    for path in paths:
        with _suppress_missing():
            stat = path.stat()
            out.append((path.name, stat.st_size, stat.st_mtime_ns))
    return tuple(out)


class _suppress_missing:
    """Ignore a file that vanished between listing and reading it."""

    def __enter__(self) -> None:
        return None

    def __exit__(self, kind, value, traceback) -> bool:
        return kind is not None and issubclass(kind, FileNotFoundError)


def read_manifest(folder: Path) -> dict | None:
    """The folder's manifest, or None when it has none (an older or a CSV dataset)."""
    path = manifest_path(folder)
    try:
        manifest = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return None
    except (OSError, ValueError) as exc:
        raise DatasetError(f"{path}: cannot read the dataset's manifest ({exc})") from exc
    if not isinstance(manifest, dict) or manifest.get("layout") != LAYOUT or not isinstance(manifest.get("tables"), dict):
        raise DatasetError(f"{path}: not a manifest this version can read (expected layout {LAYOUT})")
    return manifest


def table_files(folder: Path) -> dict[str, list[Path]]:
    """Every Parquet file of each table, as the manifest lists them (or the whole files of an older folder)."""
    folder = Path(folder)
    manifest = read_manifest(folder)
    if manifest is None:
        if detect_format(folder) != "parquet":
            raise DatasetError(f"{folder}: holds no Parquet tables (expected {MANIFEST} or articles.parquet)")
        return {name: [table_path(folder, name, "parquet")] for name in TABLE_NAMES}
    return {name: [folder / name / part["file"] for part in manifest["tables"].get(name, [])]
            for name in TABLE_NAMES}


def lock(folder: Path) -> FileLock:
    """The folder's writer lock."""
    Path(folder).mkdir(parents=True, exist_ok=True)
    return FileLock(str(Path(folder) / ".lock"), timeout=600)


# ----- recovery

def recover(folder: Path) -> None:
    """Finish or discard a write that was interrupted, then sweep files no manifest names (call under the lock)."""
    folder = Path(folder)
    journal = folder / JOURNAL
    if journal.exists():
        try:
            plan = json.loads(journal.read_text(encoding="utf-8"))
        except ValueError:
            plan = {}
        moves = [(folder / tmp, folder / final) for tmp, final in plan.get("moves", {}).items()]
        if plan and all(tmp.exists() or final.exists() for tmp, final in moves):
            for tmp, final in moves:
                if tmp.exists():
                    os.replace(tmp, final)
            if plan.get("manifest") is not None:
                _replace_json(manifest_path(folder), plan["manifest"])
            for entry in plan.get("retire", []):
                source, kept = folder / entry, folder / RETIRED / entry
                if source.exists():
                    kept.parent.mkdir(parents=True, exist_ok=True)
                    os.replace(source, kept)
            for gone in plan.get("delete", []):
                (folder / gone).unlink(missing_ok=True)
        journal.unlink(missing_ok=True)
    _sweep(folder)


def _sweep(folder: Path) -> None:
    """Remove staged files and parts that no manifest names: debris of interrupted writes."""
    for leftover in folder.glob(".staging-*"):
        leftover.unlink(missing_ok=True)
    manifest = read_manifest(folder)
    if manifest is None:
        return  # without a manifest nothing says which parts are live: never guess and delete
    _sweep_retired(folder, manifest)
    for name in TABLE_NAMES:
        directory = folder / name
        if not directory.is_dir():
            continue
        named = {part["file"] for part in manifest["tables"].get(name, [])}
        for path in directory.iterdir():
            if path.is_file() and path.name not in named and (path.name.startswith(".staging-")
                                                                or path.name.startswith("part-")):
                path.unlink(missing_ok=True)


def _sweep_retired(folder: Path, manifest: dict) -> None:
    """Delete retired files the manifest no longer lists."""
    kept = {entry["file"] for entry in manifest.get("retired", [])}
    retired = folder / RETIRED
    if retired.is_dir():
        for path in retired.rglob("*"):
            if path.is_file() and str(path.relative_to(retired)) not in kept:
                path.unlink(missing_ok=True)


def _replace_json(path: Path, content: object) -> None:
    """Write JSON to a file atomically."""
    staged = path.with_name(f".staging-{uuid.uuid4().hex}.json")
    with open(staged, "w", encoding="utf-8") as handle:
        json.dump(content, handle)
        handle.flush()
        os.fsync(handle.fileno())
    os.replace(staged, path)


# ----- reading

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


def part_path(path: Path) -> Path:
    """Where a part file named by a manifest is now: in its table folder, or retired since that manifest."""
    if path.exists():
        return path
    retired = path.parent.parent / RETIRED / path.parent.name / path.name
    return retired if retired.exists() else path


def _read_parts(paths: list[Path], name: str) -> pd.DataFrame:
    """A table from its part files, in the order the manifest lists them."""
    frames = [_read_one(part_path(path), name, "parquet") for path in paths]
    frames = [frame for frame in frames if len(frame)]
    if not frames:
        return empty_table(name)
    return pd.concat(frames, ignore_index=True) if len(frames) > 1 else frames[0]


def _opened(folder: Path, fmt: str | None = None) -> str:
    """The format of a dataset folder about to be read, after finishing any interrupted write."""
    if not folder.is_dir():
        raise DatasetError(f"{folder}: no such dataset folder")
    if (folder / JOURNAL).exists():
        with lock(folder):
            recover(folder)
    fmt = fmt or detect_format(folder)
    if fmt is None:
        raise DatasetError(f"{folder}: holds no tables (expected {MANIFEST}, articles.parquet or articles.csv)")
    return fmt


def _read_tables(folder: Path, fmt: str, names: tuple[str, ...]) -> dict[str, pd.DataFrame]:
    """Some of a folder's tables, all from one manifest."""
    if fmt == "csv":
        return {name: _read_one(table_path(folder, name, fmt), name, fmt) for name in names}
    for attempt in range(5):
        files = table_files(folder)
        try:
            return {name: _read_parts(files[name], name) for name in names}
        except DatasetError as exc:
            # A file named by a manifest older than RETAIN_SECONDS may be gone (a very slow read): read again.
            if not isinstance(exc.__cause__, FileNotFoundError) or attempt == 4 or read_manifest(folder) is None:
                raise
            time.sleep(0.05)
    raise AssertionError("unreachable")


def load_tables(folder: Path, fmt: str | None = None) -> Tables:
    """Read a dataset folder's four tables (whole: for datasets that fit in memory)."""
    folder = Path(folder)
    return Tables(**_read_tables(folder, _opened(folder, fmt), TABLE_NAMES))


def load_table(folder: Path, name: str) -> pd.DataFrame:
    """One of a dataset folder's tables, read alone: the others may be damaged."""
    folder = Path(folder)
    return _read_tables(folder, _opened(folder), (name,))[name]


def load_or_empty(folder: Path, fmt: str) -> Tables:
    """The folder's tables, or empty ones when it holds none yet."""
    return load_tables(folder, fmt) if detect_format(folder) == fmt else empty_tables()


def stored_ids(folder: Path, table: str) -> set[str]:
    """The keys already stored in one table (article or entity ids), reading only that column."""
    column = KEYS[table][0]
    folder = Path(folder)
    fmt = detect_format(folder)
    if fmt is None:
        return set()
    if fmt == "csv":
        return set(_read_one(table_path(folder, table, "csv"), table, "csv")[column].dropna())
    ids: set[str] = set()
    for path in table_files(folder)[table]:
        try:
            ids.update(pq.read_table(part_path(path), columns=[column]).column(column).drop_null().to_pylist())
        except Exception as exc:
            raise DatasetError(f"{path}: cannot read the {table} table ({exc})") from exc
    return ids


def stored_among(folder: Path, table: str, ids: Iterable[str]) -> set[str]:
    """Which of these keys one table already holds, scanning only its key column (fast on millions of rows)."""
    wanted = pa.array(sorted(set(ids)), pa.string())
    folder = Path(folder)
    fmt = detect_format(folder)
    if fmt is None or len(wanted) == 0:
        return set()
    if fmt == "csv":
        return stored_ids(folder, table) & set(wanted.to_pylist())
    column = KEYS[table][0]
    found: set[str] = set()
    for path in table_files(folder)[table]:
        keys = _read_columns(part_path(path), table, [column]).column(column)
        found.update(keys.filter(pc.is_in(keys, wanted)).to_pylist())
    return found


def stored_rows(folder: Path, table: str) -> int:
    """How many rows a table holds, from the manifest (no file is read); -1 when the folder has no manifest."""
    manifest = read_manifest(Path(folder))
    return sum(int(part.get("rows", 0)) for part in manifest["tables"].get(table, [])) if manifest else -1


def iter_batches(folder: Path, table: str, columns: list[str] | None = None,
                 batch_rows: int = 65_536) -> Iterator[pa.RecordBatch]:
    """A table's rows in Arrow batches, part after part, without holding the table in memory."""
    for path in table_files(folder)[table]:
        try:
            parquet = pq.ParquetFile(part_path(path))
        except Exception as exc:
            raise DatasetError(f"{path}: cannot read the {table} table ({exc})") from exc
        yield from parquet.iter_batches(batch_size=batch_rows, columns=columns)


# ----- writing parts

def _new_manifest() -> dict:
    """A manifest with no parts."""
    return {"layout": LAYOUT, "next_part": 1, "tables": {name: [] for name in TABLE_NAMES}}


class _Commit:
    """The files and manifest of one atomic write, staged until `finish`."""

    def __init__(self, folder: Path, manifest: dict):
        self.folder, self.manifest = folder, manifest
        self.moves: dict[str, str] = {}
        self.delete: list[str] = []
        self.added: list[Path] = []
        self.opened: list[Path] = []  # every staged file, finished or not, for abandon()
        self.retiring: list[str] = []
        self.bytes = 0

    def part_name(self) -> str:
        """A new part's file name, numbered in the order parts were written."""
        number = self.manifest["next_part"]
        self.manifest["next_part"] = number + 1
        return f"part-{number:08d}-{uuid.uuid4().hex[:6]}.parquet"

    def add_file(self, name: str, table: pa.Table) -> None:
        """Stage one new file of a table and list it in the new manifest."""
        self.add_files(name, [table])

    def add_files(self, name: str, pieces: Iterable[pa.Table | pa.RecordBatch], rows_per_file: int | None = None
                  ) -> None:
        """Stage a table's rows, arriving in pieces, as new files of at most rows_per_file rows each."""
        directory = self.folder / name
        directory.mkdir(parents=True, exist_ok=True)
        writer, staged, final, rows = None, None, "", 0
        for piece in pieces:
            if writer is not None and rows_per_file and rows + piece.num_rows > rows_per_file and rows:
                self._close(writer, staged, final, name, rows)
                writer = None
            if writer is None:
                final = self.part_name()
                staged = directory / f".staging-{final}"
                self.opened.append(staged)
                writer, rows = pq.ParquetWriter(staged, SCHEMAS[name], compression="zstd"), 0
            writer.write(piece if isinstance(piece, pa.Table) else pa.Table.from_batches([piece]))
            rows += piece.num_rows
        if writer is not None:
            self._close(writer, staged, final, name, rows)

    def _close(self, writer: pq.ParquetWriter, staged: Path, final: str, name: str, rows: int) -> None:
        """Finish a staged file and record where it goes."""
        writer.close()
        with open(staged, "rb") as handle:
            os.fsync(handle.fileno())
        size = staged.stat().st_size
        self.moves[str(staged.relative_to(self.folder))] = f"{name}/{final}"
        self.manifest["tables"][name].append({"file": final, "rows": rows, "bytes": size,
                                              "written": dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds")})
        self.added.append(self.folder / name / final)
        self.bytes += size

    def drop_files(self, name: str, files: Iterable[str]) -> None:
        """Take files out of the new manifest; they are deleted RETAIN_SECONDS after it is in place."""
        gone = set(files)
        self.manifest["tables"][name] = [p for p in self.manifest["tables"][name] if p["file"] not in gone]
        self.retire(f"{name}/{file}" for file in sorted(gone))

    def retire(self, files: Iterable[str]) -> None:
        """Part files (table/name) that readers of an older manifest may still be reading: moved to .retired/."""
        now = time.time()
        files = list(files)
        self.retiring += files
        self.manifest.setdefault("retired", []).extend({"file": file, "since": now} for file in files)

    def abandon(self) -> None:
        """Remove what was staged."""
        for staged in self.opened:
            staged.unlink(missing_ok=True)

    def finish(self) -> WriteReport:
        """Journal the write, move the files into place and replace the manifest."""
        now = time.time()
        retired = self.manifest.get("retired", [])
        self.delete += [f"{RETIRED}/{entry['file']}" for entry in retired if now - entry["since"] >= RETAIN_SECONDS]
        self.manifest["retired"] = [entry for entry in retired if now - entry["since"] < RETAIN_SECONDS]
        journal = {"moves": self.moves, "manifest": self.manifest, "retire": self.retiring, "delete": self.delete}
        _replace_json(self.folder / JOURNAL, journal)
        recover(self.folder)
        return WriteReport(tuple(self.added), self.bytes)


def _staged(folder: Path, manifest: dict, fill) -> WriteReport:
    """Run fill(commit) to stage files, then commit them atomically; on any error remove what was staged."""
    commit = _Commit(folder, manifest)
    try:
        fill(commit)
    except BaseException:
        commit.abandon()
        raise
    return commit.finish()


def _manifest_for_write(folder: Path) -> dict:
    """The manifest a write starts from, converting a folder of older whole files to parts first."""
    manifest = read_manifest(folder)
    if manifest is not None:
        return manifest
    if table_path(folder, "articles", "parquet").exists():
        convert_whole_files(folder)
        return read_manifest(folder)
    return _new_manifest()


def convert_whole_files(folder: Path) -> WriteReport:
    """Turn a folder of four whole Parquet files (older versions) into one part per table (call under the lock)."""
    folder = Path(folder)
    tables = {name: _read_one(table_path(folder, name, "parquet"), name, "parquet") for name in TABLE_NAMES}

    def fill(commit: _Commit) -> None:
        for name, frame in tables.items():
            commit.add_file(name, _arrow(name, frame))
        # Whole files have no manifest a reader could hold: nothing to keep them for.
        commit.delete += [table_path(folder, name, "parquet").name for name in TABLE_NAMES]

    return _staged(folder, _new_manifest(), fill)


def append_tables(folder: Path, tables: Tables) -> WriteReport:
    """Add rows as one new part per table, rewriting nothing stored (call with the folder's lock held).

    The caller makes sure the rows are new: articles and entities not stored yet, with their mentions and events.
    """
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    recover(folder)
    if detect_format(folder) == "csv":
        return write_tables(folder, merge(load_tables(folder, "csv"), tables), "csv")
    manifest = _manifest_for_write(folder)

    def fill(commit: _Commit) -> None:
        for name, frame in tables.as_dict().items():
            if len(frame):
                commit.add_file(name, _arrow(name, frame))

    if not any(len(frame) for frame in tables.as_dict().values()):
        if read_manifest(folder) is None:
            _replace_json(manifest_path(folder), manifest)
        return WriteReport()
    return _staged(folder, manifest, fill)


def write_tables(folder: Path, tables: Tables, fmt: str = "parquet") -> WriteReport:
    """Replace the folder's tables atomically (call with the folder's lock held)."""
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    recover(folder)
    if fmt == "csv":
        return _write_whole_csv(folder, tables)
    old = read_manifest(folder) or _new_manifest()
    manifest = _new_manifest()
    manifest["next_part"] = old["next_part"]
    manifest["retired"] = list(old.get("retired", []))

    def fill(commit: _Commit) -> None:
        for name, frame in tables.as_dict().items():
            commit.add_file(name, _arrow(name, frame))
        commit.retire(f"{name}/{part['file']}" for name in TABLE_NAMES for part in old["tables"].get(name, []))
        commit.delete += [table_path(folder, name, "parquet").name for name in TABLE_NAMES]

    return _staged(folder, manifest, fill)


def _write_whole_csv(folder: Path, tables: Tables) -> WriteReport:
    """Replace the four CSV files atomically through the journal."""
    moves: dict[str, str] = {}
    size = 0
    try:
        for name, frame in tables.as_dict().items():
            staged = folder / f".staging-{uuid.uuid4().hex}-{name}.csv"
            conform(name, frame).to_csv(staged, index=False)
            with open(staged, "rb") as handle:
                os.fsync(handle.fileno())
            size += staged.stat().st_size
            moves[staged.name] = table_path(folder, name, "csv").name
    except BaseException:
        for staged_name in moves:
            (folder / staged_name).unlink(missing_ok=True)
        raise
    _replace_json(folder / JOURNAL, {"moves": moves})
    recover(folder)
    return WriteReport(tuple(folder / final for final in moves.values()), size)


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


# ----- removal and compaction

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

    Only the parts holding those rows are rewritten. Ids that are not stored are ignored; when none is stored
    nothing is written at all.
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
            raise DatasetError(f"{folder}: holds no tables (expected {MANIFEST}, articles.parquet or articles.csv)")
        if fmt == "csv":
            tables = load_tables(folder, fmt)
            present = wanted & set(tables.articles["article_id"])
            if present:
                write_tables(folder, without_articles(tables, present), fmt)
            return len(present)
        present = wanted & stored_ids(folder, "articles")
        if present:
            _remove_from_parts(folder, present)
    return len(present)


def _remove_from_parts(folder: Path, gone: set[str]) -> None:
    """Rewrite the parts that hold the removed articles' rows and their orphaned entities; the others are only
    scanned, by their id columns."""
    manifest = _manifest_for_write(folder)
    files = table_files(folder)
    wanted = pa.array(sorted(gone), pa.string())
    kept_refs: set[str] = set()
    removed_refs: set[str] = set()
    hit_files: dict[str, list[Path]] = {name: [] for name in TABLE_NAMES}
    for name in ("articles", "mentions", "events"):
        columns = [c for c in SCHEMAS[name].names if c == "article_id" or c in REFERENCE_COLUMNS]
        for path in files[name]:
            table = _read_columns(path, name, columns)
            hit = pc.is_in(table.column("article_id"), wanted)
            if name != "articles":
                _collect_refs(table.filter(pc.invert(hit)), kept_refs)
                _collect_refs(table.filter(hit), removed_refs)
            if pc.any(hit).as_py():
                hit_files[name].append(path)
    orphans = pa.array(sorted(removed_refs - kept_refs), pa.string())
    for path in files["entities"]:
        if pc.any(pc.is_in(_read_columns(path, "entities", ["entity_id"]).column("entity_id"), orphans)).as_py():
            hit_files["entities"].append(path)

    def fill(commit: _Commit) -> None:
        for name, paths in hit_files.items():
            key, dropped = ("entity_id", orphans) if name == "entities" else ("article_id", wanted)
            commit.drop_files(name, [path.name for path in paths])
            for path in paths:
                table = _read_columns(path, name, None)
                kept = table.filter(pc.invert(pc.is_in(table.column(key), dropped)))
                if kept.num_rows:
                    commit.add_file(name, kept.cast(SCHEMAS[name]))

    _staged(folder, manifest, fill)


REFERENCE_COLUMNS = ("entity_id", "source_id", "target_id", "place_id")


def _read_columns(path: Path, name: str, columns: list[str] | None) -> pa.Table:
    """Some columns of one part file (all with None), naming the file in any error."""
    try:
        return pq.read_table(path, columns=columns)
    except Exception as exc:
        raise DatasetError(f"{path}: cannot read the {name} table ({exc})") from exc


def _collect_refs(table: pa.Table, into: set[str]) -> None:
    """Add the entity ids a mentions or events table points at."""
    for column in REFERENCE_COLUMNS:
        if column in table.column_names:
            into.update(pc.unique(table.column(column).drop_null()).to_pylist())


def compact(folder: Path, rows_per_file: int = COMPACT_ROWS) -> tuple[int, int]:
    """Merge each table's parts into files of up to rows_per_file rows, streaming; (files before, files after)."""
    folder = Path(folder)
    if not folder.is_dir():
        raise DatasetError(f"{folder}: no such dataset folder")
    with lock(folder):
        recover(folder)
        if detect_format(folder) != "parquet":
            raise DatasetError(f"{folder}: holds no Parquet dataset to compact")
        manifest = _manifest_for_write(folder)
        files = table_files(folder)
        before = sum(len(paths) for paths in files.values())

        def fill(commit: _Commit) -> None:
            for name in TABLE_NAMES:
                commit.drop_files(name, [path.name for path in files[name]])
                batches = (batch.cast(SCHEMAS[name]) if batch.schema != SCHEMAS[name] else batch
                           for batch in iter_batches(folder, name, batch_rows=262_144))
                commit.add_files(name, batches, rows_per_file)

        _staged(folder, manifest, fill)
        after = sum(len(paths) for paths in table_files(folder).values())
    return before, after


def describe_folder(folder: Path) -> dict[str, object]:
    """describe() for a dataset folder, counted by DuckDB over the Parquet parts without loading the tables."""
    folder = Path(folder)
    if not folder.is_dir():
        raise DatasetError(f"{folder}: no such dataset folder")
    if detect_format(folder) != "parquet":
        return describe(load_tables(folder))
    import duckdb  # only here: the rest of the store needs pyarrow alone

    files = table_files(folder)
    connection = duckdb.connect()

    def counts(table: str, column: str | None = None) -> object:
        paths = [str(path) for path in files[table]]
        if not paths:
            return 0 if column is None else {}
        source = f"read_parquet({paths!r})"
        try:
            if column is None:
                return int(connection.execute(f"SELECT count(*) FROM {source}").fetchone()[0])
            rows = connection.execute(f'SELECT "{column}", count(*) AS n FROM {source} GROUP BY 1 ORDER BY n DESC, 1')
            return {key: int(n) for key, n in rows.fetchall()}
        except duckdb.Error as exc:
            raise DatasetError(f"{folder / table}: cannot read the {table} table ({exc})") from exc

    return {
        "rows": {name: counts(name) for name in TABLE_NAMES},
        "articles_by_language": counts("articles", "language"),
        "entities_by_type": counts("entities", "type"),
        "events_by_type": counts("events", "type"),
        "events_by_modality": counts("events", "modality"),
        "parts": {name: len(paths) for name, paths in files.items()},
    }


def describe(tables: Tables) -> dict[str, object]:
    """Counts per table, per language and per event type, for `stats`."""
    return {
        "rows": {name: int(len(frame)) for name, frame in tables.as_dict().items()},
        "articles_by_language": tables.articles["language"].value_counts(dropna=False).to_dict(),
        "entities_by_type": tables.entities["type"].value_counts(dropna=False).to_dict(),
        "events_by_type": tables.events["type"].value_counts(dropna=False).to_dict(),
        "events_by_modality": tables.events["modality"].value_counts(dropna=False).to_dict(),
    }
