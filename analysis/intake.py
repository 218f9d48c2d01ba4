"""Intake: articles an analyst adds from the browser (uploaded files, pasted text, URLs), checked, then extracted.

The page hands over bytes and strings; everything here goes through the reader and the pipeline the command
line uses (analysis.ingest.read_inputs, analysis.pipeline), after checks that keep a hosted copy safe: caps on
sizes and counts, zip archives inspected from their central directory before anything is unpacked, and URLs
refused when they point into the server's own network (also when a redirect leads there).
"""

from __future__ import annotations

import datetime as dt
import io
import ipaddress
import logging
import math
import os
import re
import shutil
import socket
import struct
import tempfile
import urllib.parse
import zipfile
import zlib
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from functools import partial
from pathlib import Path, PurePosixPath
from typing import BinaryIO

import pandas as pd
import yaml

from analysis.ingest import (
    FOLDER_NOTES,
    KNOWN_SUFFIXES,
    InputFailure,
    RawArticle,
    address_refusal,
    parse_text_article,
    read_inputs,
)
from analysis.pipeline import ExtractOptions, Progress, RunSummary, StoredArticle, extract_records
from analysis.store import Tables, detect_format

log = logging.getLogger(__name__)

MB = 1_000_000
ZIP_SUFFIX = ".zip"
# Commit this many articles at a time, so a batch that stops half-way keeps what it already stored.
COMMIT_EVERY = 20
_TRUE = frozenset({"1", "true", "yes", "on"})
_FALSE = frozenset({"", "0", "false", "no", "off"})
# The largest values a setting may take: beyond them a setting is a typing slip, not a limit.
MAX_SETTING_MB = 1_000_000
MAX_SETTING_COUNT = 1_000_000_000
_DIGITS = re.compile(r"[0-9]+")
# The end-of-central-directory record: signature, disk numbers, entry counts, directory size and offset.
_END_RECORD = struct.Struct("<4s4H2LH")
_END_SIGNATURE = b"PK\x05\x06"
_ZIP64_ENTRIES = 0xFFFF
_ENCRYPTED = 0x1
# Files that archivers and operating systems add to a zip; they are never anyone's article.
_ARCHIVE_JUNK = frozenset({"__macosx", "thumbs.db", "desktop.ini"})
_DRIVE = re.compile(r"^[A-Za-z]:")


# --- limits ----------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class IntakeLimits:
    """What one batch may hold and which URLs may be fetched; sizes are in bytes.

    max_file_bytes caps each uploaded file, zip entry and fetched page; max_batch_bytes the uploads as sent;
    max_zip_bytes what the batch's zips unpack to, all together, read from their directories before unpacking.
    """

    max_file_bytes: int = 5 * MB
    max_batch_bytes: int = 50 * MB
    max_files: int = 200
    max_zip_bytes: int = 100 * MB
    max_zip_entries: int = 500
    max_urls: int = 50
    allow_private_addresses: bool = False
    allow_urls: bool = True

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None) -> IntakeLimits:
        """The defaults with overrides from environment variables; a malformed value raises ValueError naming it.

        NEWSINT_MAX_FILE_MB          largest uploaded file, zip entry or fetched page, in megabytes (default 5)
        NEWSINT_MAX_BATCH_MB         largest batch, all uploads together as sent, in megabytes (default 50)
        NEWSINT_MAX_FILES            most uploaded files in a batch (default 200); zip entries count separately
        NEWSINT_MAX_ZIP_MB           most bytes the batch's zips may unpack to, all together, in megabytes
                                     (default 100)
        NEWSINT_MAX_ZIP_ENTRIES      most entries in one zip (default 500), directories included
        NEWSINT_MAX_URLS             most URLs in a batch (default 50)
        NEWSINT_ALLOW_PRIVATE_URLS=1 fetch hosts on loopback, private, link-local and other non-public addresses;
                                     for a local install only, never on a hosted copy (default off)
        NEWSINT_DISABLE_URLS=1       fetch no URL at all (default off)
        """
        env = os.environ if environ is None else environ
        return cls(max_file_bytes=env_megabytes(env, "NEWSINT_MAX_FILE_MB", cls.max_file_bytes),
                   max_batch_bytes=env_megabytes(env, "NEWSINT_MAX_BATCH_MB", cls.max_batch_bytes),
                   max_files=env_count(env, "NEWSINT_MAX_FILES", cls.max_files),
                   max_zip_bytes=env_megabytes(env, "NEWSINT_MAX_ZIP_MB", cls.max_zip_bytes),
                   max_zip_entries=env_count(env, "NEWSINT_MAX_ZIP_ENTRIES", cls.max_zip_entries),
                   max_urls=env_count(env, "NEWSINT_MAX_URLS", cls.max_urls),
                   allow_private_addresses=env_flag(env, "NEWSINT_ALLOW_PRIVATE_URLS", False),
                   allow_urls=not env_flag(env, "NEWSINT_DISABLE_URLS", False))


def env_megabytes(env: Mapping[str, str], name: str, default: int) -> int:
    """A size given in (possibly fractional) megabytes, as bytes."""
    value = env.get(name, "").strip()
    if not value:
        return default
    try:
        megabytes = float(value)
    except ValueError:
        megabytes = math.nan
    # inf, nan and sizes past any disk would overflow or silently disable the cap.
    if not 0 < megabytes <= MAX_SETTING_MB:
        raise ValueError(f"{name}={value!r} is not a size; give a number of megabytes above 0 and at most "
                         f"{MAX_SETTING_MB:,}, e.g. {name}={default / MB:g}")
    return max(1, int(megabytes * MB))


def env_count(env: Mapping[str, str], name: str, default: int) -> int:
    """A positive whole number."""
    value = env.get(name, "").strip()
    # Only ASCII digits: str.isdigit() also accepts '²', which int() refuses.
    if not _DIGITS.fullmatch(value):
        if not value:
            return default
        raise ValueError(_not_a_count(name, value, default))
    if not 1 <= int(value) <= MAX_SETTING_COUNT:
        raise ValueError(_not_a_count(name, value, default))
    return int(value)


def _not_a_count(name: str, value: str, default: int) -> str:
    """The message for a count setting that is not one."""
    return (f"{name}={value!r} is not a count; give a whole number from 1 to {MAX_SETTING_COUNT:,}, "
            f"e.g. {name}={default}")


def env_flag(env: Mapping[str, str], name: str, default: bool) -> bool:
    """An on/off setting: 1/true/yes/on or 0/false/no/off."""
    value = env.get(name)
    if value is None:
        return default
    if value.strip().lower() in _TRUE:
        return True
    if value.strip().lower() in _FALSE:
        return False
    raise ValueError(f"{name}={value!r} is not on or off; set it to 1 (on) or 0 (off)")


def _megabytes(size: int) -> str:
    """A byte count for a message, in megabytes."""
    return f"{size / MB:g} MB"


# --- what the page hands over ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Upload:
    """One uploaded file: the name it had on the analyst's computer, and its bytes or the file on disk holding them
    (spool_uploads writes them there, so a batch is read from disk rather than held in memory)."""

    name: str
    data: bytes = b""
    path: Path | None = None

    @property
    def size(self) -> int:
        """Its size in bytes."""
        return self.path.stat().st_size if self.path is not None else len(self.data)

    def tail(self, count: int) -> bytes:
        """Its last count bytes (where a zip keeps its directory's end record)."""
        if self.path is None:
            return self.data[-count:]
        with self.path.open("rb") as handle:
            handle.seek(max(0, self.size - count))
            return handle.read()

    def archive_source(self) -> Path | io.BytesIO:
        """What zipfile.ZipFile opens: the file on disk (closed with the archive), else the bytes."""
        return self.path if self.path is not None else io.BytesIO(self.data)

    def copy_to(self, target: Path) -> None:
        """Write its bytes to target."""
        if self.path is not None:
            shutil.copyfile(self.path, target)
        else:
            target.write_bytes(self.data)


def spool_uploads(files: Iterable[tuple[str, BinaryIO]], folder: Path, chunk: int = MB) -> list[Upload]:
    """Each uploaded file copied to its own file in folder, a chunk at a time, as an Upload read from there.

    The caller owns folder and deletes it after the batch; file names are numbers, never the uploaded name.
    """
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    spooled = []
    for number, (name, source) in enumerate(files, start=1):
        target = folder / f"upload-{number:04d}"
        source.seek(0)
        with target.open("wb") as handle:
            shutil.copyfileobj(source, handle, chunk)
        spooled.append(Upload(name=name, path=target))
    return spooled


@dataclass(frozen=True)
class PastedArticle:
    """Text pasted into the page, with the fields the analyst filled in; empty fields are found in the text."""

    text: str
    title: str | None = None
    published: dt.date | None = None
    source: str | None = None
    language: str | None = None


# --- uploads ---------------------------------------------------------------------------------------------------


@dataclass
class PreparedUploads:
    """Uploads written to a folder for read_inputs: the files to read, the names they were uploaded as, refusals."""

    paths: list[Path] = field(default_factory=list)
    names: dict[str, str] = field(default_factory=dict)
    failures: list[tuple[str, str]] = field(default_factory=list)

    def refuse(self, name: str, reason: str) -> None:
        """Record an upload (or zip entry) that is not read; the reason starts with its name."""
        self.failures.append((name, f"{name}: {reason}"))


def prepare_uploads(uploads: Sequence[Upload], folder: Path, limits: IntakeLimits | None = None) -> PreparedUploads:
    """Check uploads against the limits and write those accepted (zip entries unpacked) into folder for read_inputs.

    The caller owns folder (add_articles uses a temporary one). Files are written under numbered names, never
    under a name taken from the upload or the archive, so no name can point outside the folder.
    """
    limits = limits if limits is not None else IntakeLimits.from_env()
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    prepared = PreparedUploads()
    batch_bytes = unpacked_bytes = 0
    for number, (upload, name) in enumerate(zip(uploads, _distinct_names([u.name for u in uploads])), start=1):
        if number > limits.max_files:
            prepared.refuse(name, f"not read: a batch may hold {limits.max_files} files; add this one in another "
                                  "batch")
            continue
        size = upload.size
        if batch_bytes + size > limits.max_batch_bytes:
            prepared.refuse(name, f"not read: it would take the batch over its {_megabytes(limits.max_batch_bytes)} "
                                  "cap; add it in another batch")
            continue
        suffix = PurePosixPath(name).suffix.lower()
        if suffix == ZIP_SUFFIX:
            batch_bytes += size
            unpacked_bytes += _unpack_zip(upload, name, folder, limits, unpacked_bytes, prepared)
        elif suffix not in KNOWN_SUFFIXES:
            prepared.refuse(name, f"not read: {_kind(suffix)} are not articles this can read; upload .txt, .md, "
                                  ".html, .jsonl or .csv files, or a .zip of them")
        elif size > limits.max_file_bytes:
            prepared.refuse(name, f"not read: it is larger than the {_megabytes(limits.max_file_bytes)} cap per "
                                  "file; split it into smaller files")
        else:
            batch_bytes += size
            _stage(upload, name, suffix, folder, prepared)
    return prepared


def _distinct_names(names: list[str]) -> list[str]:
    """Upload names made distinct (a second "a.txt" becomes "a.txt (2)"), as messages must say which file."""
    seen: dict[str, int] = {}
    distinct = []
    for name in names:
        name = name.strip() or "upload"
        seen[name] = seen.get(name, 0) + 1
        distinct.append(name if seen[name] == 1 else f"{name} ({seen[name]})")
    return distinct


def _kind(suffix: str) -> str:
    """Files of a suffix, for a message."""
    return f"{suffix} files" if suffix else "files without a suffix"


def _stage(data: bytes | Upload, name: str, suffix: str, folder: Path, prepared: PreparedUploads) -> None:
    """Write one accepted file under a numbered name that keeps its suffix, so read_inputs picks its parser."""
    path = folder / f"{len(prepared.paths) + 1:04d}{suffix}"
    if isinstance(data, Upload):
        data.copy_to(path)
    else:
        path.write_bytes(data)
    prepared.paths.append(path)
    prepared.names[str(path)] = name


def _unpack_zip(upload: Upload, name: str, folder: Path, limits: IntakeLimits, unpacked_before: int,
                prepared: PreparedUploads) -> int:
    """Unpack a zip's article files after checking, from its directory alone, that it stays within the limits.

    unpacked_before is what the batch's earlier archives unpacked to; returns what this one unpacked to.
    """
    declared = _declared_entries(upload.tail(_END_RECORD.size + 0xFFFF))
    if declared is not None and declared > limits.max_zip_entries:
        prepared.refuse(name, _too_many_entries(declared, limits))
        return 0
    try:
        archive = zipfile.ZipFile(upload.archive_source())
    except (zipfile.BadZipFile, zipfile.LargeZipFile, ValueError, EOFError, OSError, struct.error) as error:
        prepared.refuse(name, f"not a valid zip archive ({error}); make the archive again, or upload the files "
                              "themselves")
        return 0
    with archive:
        entries = archive.infolist()
        if len(entries) > limits.max_zip_entries:
            prepared.refuse(name, _too_many_entries(len(entries), limits))
            return 0
        # The sizes come from the central directory: nothing is decompressed before the total is known.
        unpacked = sum(info.file_size for info in entries)
        if unpacked > limits.max_zip_bytes:
            prepared.refuse(name, f"not unpacked: it would unpack to {unpacked:,} bytes, more than the "
                                  f"{_megabytes(limits.max_zip_bytes)} cap; split it into smaller archives")
            return 0
        # The cap holds for the batch's archives together, or a batch of small archives could unpack to gigabytes.
        if unpacked_before + unpacked > limits.max_zip_bytes:
            prepared.refuse(name, f"not unpacked: with the archives before it the batch would unpack to more than "
                                  f"the {_megabytes(limits.max_zip_bytes)} cap; add it in another batch")
            return 0
        for info in entries:
            if not info.is_dir():
                _unpack_entry(archive, info, name, folder, limits, prepared)
    return unpacked


def _declared_entries(data: bytes) -> int | None:
    """The entry count the zip's end record declares, read from the archive's last bytes before parsing the
    directory; None if not plain."""
    start = data.rfind(_END_SIGNATURE, max(0, len(data) - _END_RECORD.size - 0xFFFF))
    if start < 0 or start + _END_RECORD.size > len(data):
        return None
    record = _END_RECORD.unpack_from(data, start)
    # The record's comment runs to the end of the file; anything else is the signature's bytes inside a comment.
    if record[-1] != len(data) - start - _END_RECORD.size or record[4] == _ZIP64_ENTRIES:
        return None
    return record[4]


def _too_many_entries(count: int, limits: IntakeLimits) -> str:
    """The reason for an archive with too many entries."""
    return (f"not unpacked: it holds {count:,} entries, more than the {limits.max_zip_entries:,} allowed in one "
            "archive; split it into smaller archives")


def _unpack_entry(archive: zipfile.ZipFile, info: zipfile.ZipInfo, zip_name: str, folder: Path,
                  limits: IntakeLimits, prepared: PreparedUploads) -> None:
    """Write one entry of a zip if it is an article file within the limits, else say why not."""
    name = f"{zip_name}:{info.filename}"
    if _leaves_archive(info.filename):
        prepared.refuse(name, "refused: the entry's path leaves the archive (an absolute path or '..'); "
                              "make the archive again from the folder of articles")
        return
    inner = PurePosixPath(info.filename.replace("\\", "/"))
    if any(part.startswith(".") or part.lower() in _ARCHIVE_JUNK for part in inner.parts):
        return  # hidden files and what archivers add (__MACOSX, .DS_Store), skipped as a folder read skips them
    suffix = inner.suffix.lower()
    if suffix == ZIP_SUFFIX:
        prepared.refuse(name, "not unpacked: archives inside an archive are not opened; unpack it and upload its "
                              "files or the archive itself")
    elif suffix not in KNOWN_SUFFIXES:
        prepared.refuse(name, f"not read: {_kind(suffix)} are not articles this can read; the archive's .txt, .md, "
                              ".html, .jsonl and .csv files are read")
    elif inner.stem.lower() in FOLDER_NOTES:
        prepared.refuse(name, f"not read: {inner.name} is taken for the notes of the folder, as in a folder "
                              "read from the command line; rename it to add it as an article")
    elif info.flag_bits & _ENCRYPTED:
        prepared.refuse(name, "not read: the entry is password-protected; make the archive without a password")
    elif info.file_size > limits.max_file_bytes:
        prepared.refuse(name, f"not read: it is larger than the {_megabytes(limits.max_file_bytes)} cap per file; "
                              "split it into smaller files")
    else:
        data = _read_entry(archive, info, limits.max_file_bytes)
        if isinstance(data, str):
            prepared.refuse(name, data)
        else:
            _stage(data, name, suffix, folder, prepared)


def _leaves_archive(entry_name: str) -> bool:
    """True for an entry named by an absolute path or with a '..' step: unpacked as named, it would land outside."""
    name = entry_name.replace("\\", "/")
    return name.startswith("/") or bool(_DRIVE.match(name)) or ".." in name.split("/")


def _read_entry(archive: zipfile.ZipFile, info: zipfile.ZipInfo, max_bytes: int) -> bytes | str:
    """An entry's bytes, never more than the cap whatever the directory declared; a reason string if unreadable."""
    try:
        with archive.open(info) as handle:
            data = handle.read(max_bytes + 1)
    except (zipfile.BadZipFile, zlib.error, NotImplementedError, RuntimeError, EOFError, OSError) as error:
        return f"could not be unpacked ({error}); make the archive again"
    if len(data) > max_bytes:
        return f"not read: it is larger than the {_megabytes(max_bytes)} cap per file; split it into smaller files"
    return data


# --- pasted text -----------------------------------------------------------------------------------------------


def paste_to_input(pasted: PastedArticle, label: str = "pasted text") -> RawArticle | InputFailure:
    """Pasted text read like a .md file: the filled-in fields as front matter, the rest found in the text.

    Without a title the first line is the title; without a date the date line under it gives the date; without a
    language the pipeline detects it.
    """
    if not pasted.text.strip():
        return InputFailure(label, f"{label}: the pasted text is empty; paste the article's text")
    fields = {"title": _one_line(pasted.title), "published": pasted.published, "source": _one_line(pasted.source),
              "language": _one_line(pasted.language)}
    fields = {key: value for key, value in fields.items() if value}
    if not fields:
        return parse_text_article(pasted.text, label)
    front = yaml.safe_dump(fields, allow_unicode=True, sort_keys=False)
    return parse_text_article(f"---\n{front}---\n{pasted.text}", label)


def _one_line(value: str | None) -> str | None:
    """A field's value on one line, None when blank."""
    return (" ".join(value.split()) or None) if value else None


# --- URLs ------------------------------------------------------------------------------------------------------


def check_url(url: str, limits: IntakeLimits | None = None) -> str | None:
    """Why this URL must not be fetched on this copy, or None when it may be.

    Only http and https; none when URLs are turned off; by default no host that resolves (any of its addresses)
    to a loopback, link-local, site-local, private, reserved, multicast, unspecified or otherwise non-public
    address (an IPv4-mapped or 6to4 address counts as the address it wraps), so a hosted copy cannot be used to
    reach into its own network. The fetch checks again the address it connects to.
    """
    limits = limits if limits is not None else IntakeLimits.from_env()
    if not limits.allow_urls:
        return "URL fetching is turned off on this copy (NEWSINT_DISABLE_URLS)"
    try:
        parts = urllib.parse.urlsplit(url.strip())
        port = parts.port
    except ValueError as error:
        return f"not a valid address ({error}); check the URL"
    if parts.scheme.lower() not in ("http", "https"):
        return "only http:// and https:// addresses can be fetched; download the article and upload the file instead"
    host = parts.hostname
    if not host:
        return "the address has no host name; check the URL"
    if limits.allow_private_addresses:
        return None
    return _check_host(host, port or (443 if parts.scheme.lower() == "https" else 80))


def _check_host(host: str, port: int) -> str | None:
    """Why a host must not be fetched: it cannot be resolved, or one of its addresses is not public."""
    try:
        found = socket.getaddrinfo(host, port, proto=socket.IPPROTO_TCP)
    except (socket.gaierror, UnicodeError) as error:
        return f"the host name {host} could not be resolved ({error}); check the address"
    for *_, address in found:
        reason = address_refusal(host, ipaddress.ip_address(str(address[0]).split("%")[0]))
        if reason is not None:
            return reason
    return None


def _accepted_urls(urls: Iterable[str], limits: IntakeLimits) -> tuple[list[str], list[tuple[str, str]]]:
    """The URLs to fetch (blank lines dropped, repeats once) and the refused ones with their reasons."""
    accepted: list[str] = []
    refused: list[tuple[str, str]] = []
    for url in dict.fromkeys(line.strip() for line in urls if line.strip()):
        if len(accepted) >= limits.max_urls:
            too_many = f"{url}: not fetched: a batch may hold {limits.max_urls} URLs; add it in another batch"
            refused.append((url, too_many))
            continue
        reason = check_url(url, limits)
        if reason is not None:
            refused.append((url, f"{url}: refused: {reason}"))
        else:
            accepted.append(url)
    return accepted, refused


def split_urls(text: str) -> list[str]:
    """The URLs of a text box holding one per line."""
    return [line.strip() for line in text.splitlines() if line.strip()]


# --- adding ----------------------------------------------------------------------------------------------------


@dataclass
class IntakeReport:
    """What add_articles did.

    added: the articles stored (id, title, the name they were added as); duplicates: inputs already stored (the
    id is that of the stored article); failed: (name, reason) for every file, zip entry, row, pasted text or URL
    not added, the reason a sentence that names it; stopped: why the batch ended early, if it did
    (failed then also names each article that was read but not stored); refused: why the batch was turned away
    once read, before anything was stored (a cap of this copy), if it was.
    """

    added: list[StoredArticle] = field(default_factory=list)
    duplicates: list[StoredArticle] = field(default_factory=list)
    failed: list[tuple[str, str]] = field(default_factory=list)
    stopped: str | None = None
    refused: str | None = None

    def lines(self) -> list[str]:
        """A human summary."""
        out = [f"added {len(self.added)}, duplicates skipped {len(self.duplicates)}, failed {len(self.failed)}"]
        if self.refused:
            out.append(f"  the batch was refused: {self.refused}")
        if self.stopped:
            out.append(f"  the batch stopped early: {self.stopped}")
        out += [f"  failed: {reason}" for _, reason in self.failed]
        return out


def add_articles(out_dir: Path, uploads: Sequence[Upload] = (), pasted: Sequence[PastedArticle] = (),
                 urls: Iterable[str] = (), limits: IntakeLimits | None = None, progress: Progress | None = None,
                 options: ExtractOptions | None = None, commit_every: int = COMMIT_EVERY,
                 admit: Callable[[int], str | None] | None = None) -> IntakeReport:
    """Check, read and extract an analyst's batch into a dataset folder, committing every commit_every articles.

    limits defaults to IntakeLimits.from_env(); options to the folder's table format with the default settings.
    progress(done, total, label) is called after each article's extraction. An unexpected error in one article
    fails only that article; an error that stops the batch (a damaged table, a full disk) is reported in
    `stopped`, and what earlier commits stored stays stored. admit(articles), when given, is asked once the batch
    is read with the number of articles in it; a reason it returns refuses the whole batch (nothing is stored).
    """
    out_dir = Path(out_dir)
    limits = limits if limits is not None else IntakeLimits.from_env()
    options = options if options is not None else ExtractOptions(fmt=detect_format(out_dir) or "parquet")
    # The guard answers before anything is sent; the address check repeats at connection time, on the address
    # connected to, as a name may resolve differently a moment later.
    ingest = replace(options.ingest, max_bytes=limits.max_file_bytes, url_guard=partial(check_url, limits=limits),
                     refuse_private_addresses=not limits.allow_private_addresses)
    fetch, refused_urls = _accepted_urls(urls, limits)
    with tempfile.TemporaryDirectory(prefix="newsint-intake-") as staging:
        prepared = prepare_uploads(uploads, Path(staging), limits)
        rename = _renamer(Path(staging), prepared.names)
        # Everything is read before the staging folder goes away; the pipeline then works from memory.
        records = [_renamed(record, rename) for record in read_inputs([str(p) for p in prepared.paths] + fetch,
                                                                      ingest)]
    records += [paste_to_input(item, f"pasted text {number}") for number, item in enumerate(pasted, start=1)]
    refusal = admit(sum(isinstance(r, RawArticle) for r in records)) if admit is not None else None
    if refusal is not None:
        unread = [(r.path, r.reason) for r in records if isinstance(r, InputFailure)]
        return IntakeReport(failed=prepared.failures + refused_urls + unread, refused=refusal)
    summary = RunSummary()
    stopped = None
    try:
        extract_records(records, out_dir, replace(options, ingest=ingest), progress, commit_every=commit_every,
                        isolate_errors=True, summary=summary)
    except Exception as error:  # the batch cannot go on; the report still says what was stored and what was not
        log.exception("adding articles to %s stopped", out_dir)
        stopped = f"{type(error).__name__}: {error}"
    failed = prepared.failures + refused_urls + [(name, _named(name, reason)) for name, reason in summary.failed]
    if stopped is not None:
        failed += _not_stored(records, summary, stopped)
    return IntakeReport(added=list(summary.stored), duplicates=list(summary.skipped), failed=failed, stopped=stopped)


def _renamer(staging: Path, names: Mapping[str, str]) -> Callable[[str], str]:
    """A function that puts the uploaded names in place of staged file paths anywhere in a text."""
    staged = re.compile(re.escape(str(staging) + os.sep) + r"\d{4}\.[A-Za-z]+")
    return lambda text: staged.sub(lambda match: names.get(match.group(0), match.group(0)), text)


def _renamed(record: RawArticle | InputFailure, rename: Callable[[str], str]) -> RawArticle | InputFailure:
    """A record read from a staged file, named as it was uploaded."""
    if isinstance(record, InputFailure):
        return InputFailure(rename(record.path), rename(record.reason))
    return replace(record, path=rename(record.path))


def _named(name: str, reason: str) -> str:
    """A reason that names what failed (the pipeline's own reasons do not)."""
    return reason if name in reason else f"{name}: {reason}"


def _not_stored(records: list[RawArticle | InputFailure], summary: RunSummary, stopped: str) -> list[tuple[str, str]]:
    """The articles read but neither stored, skipped nor failed when the batch stopped."""
    settled = {a.path for a in summary.stored} | {a.path for a in summary.skipped} | {p for p, _ in summary.failed}
    return [(r.path, f"{r.path}: not stored: the batch stopped before it was saved ({stopped}); add it again")
            for r in records if isinstance(r, RawArticle) and r.path not in settled]


# --- inspecting ------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class ArticleSummary:
    """One stored article for the inspect view: its row, its entities with counts, its events with sentences."""

    article: dict
    entities: pd.DataFrame
    events: pd.DataFrame


def article_summary(tables: Tables, article_id: str) -> ArticleSummary | None:
    """What the dataset holds about one article; None when no article has this id.

    entities: entity_id, name, type, count (mentions in the article), most mentioned first; events: event_id,
    type, source, target, place (names), date, modality, sentence (the evidence), in the article's order.
    """
    rows = tables.articles[tables.articles["article_id"] == article_id]
    if rows.empty:
        return None
    names = tables.entities.set_index("entity_id")
    mentions = tables.mentions[tables.mentions["article_id"] == article_id]
    events = tables.events[tables.events["article_id"] == article_id].sort_values("sentence", kind="stable")
    # An actor of an event is the article's entity even when no mention of it was kept (count 0).
    counts = mentions["entity_id"].value_counts()
    ids = list(dict.fromkeys([*counts.index, *pd.concat([events["source_id"], events["target_id"],
                                                          events["place_id"]]).dropna()]))
    entities = pd.DataFrame({"entity_id": ids, "count": [int(counts.get(i, 0)) for i in ids]})
    entities = entities.join(names[["name", "type"]], on="entity_id")[["entity_id", "name", "type", "count"]]
    entities = entities.sort_values(["count", "name"], ascending=[False, True]).reset_index(drop=True)
    name_of = names["name"].to_dict()
    listed = pd.DataFrame({
        "event_id": events["event_id"], "type": events["type"],
        "source": events["source_id"].map(name_of), "target": events["target_id"].map(name_of),
        "place": events["place_id"].map(name_of), "date": events["date"], "modality": events["modality"],
        "sentence": events["evidence"],
    }).reset_index(drop=True)
    return ArticleSummary(article=rows.iloc[0].to_dict(), entities=entities, events=listed)
