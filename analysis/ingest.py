"""Ingest: read news articles from files, folders, stdin and URLs into raw records, one failure per unreadable thing.

Every input yields either RawArticle records or InputFailure records; nothing here raises for bad input, so a
batch of many files always runs to the end and reports what it could not read and what to do about it.
"""

from __future__ import annotations

import codecs
import concurrent.futures
import csv
import datetime as dt
import functools
import http.client
import io
import ipaddress
import json
import os
import re
import socket
import ssl
import stat
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field, replace
from email.message import Message
from pathlib import Path
from typing import Any, TextIO

import dateparser
import trafilatura
import yaml

from analysis.dates import find_publication_date

TEXT_SUFFIXES = frozenset({".txt", ".md", ".markdown"})
HTML_SUFFIXES = frozenset({".html", ".htm"})
JSONL_SUFFIXES = frozenset({".jsonl", ".ndjson"})
CSV_SUFFIXES = frozenset({".csv"})
KNOWN_SUFFIXES = TEXT_SUFFIXES | HTML_SUFFIXES | JSONL_SUFFIXES | CSV_SUFFIXES
STDIN_PATH = "<stdin>"
# Set on (1), private addresses are fetched everywhere; set to anything else, they are refused everywhere.
PRIVATE_URLS_SETTING = "NEWSINT_ALLOW_PRIVATE_URLS"
# The date line sits right under the title, sometimes after a byline; looking further would take body sentences.
DATE_LINE_WINDOW = 4
# Bytes that never occur in text files (everything below 0x20 except tab, line ends, form feed, and ESC).
_CONTROL_BYTES = frozenset(set(range(0x00, 0x20)) - {0x09, 0x0A, 0x0C, 0x0D, 0x1B}) | {0x7F}
BINARY_CONTROL_SHARE = 0.05
# On a page without an article trafilatura falls back to menu items; an article has at least one sentence.
MIN_SENTENCE_WORDS = 6
_URL_SCHEME = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*://")
_HTML_LANG = re.compile(r"<html\b[^>]*?(?<![\w-])(?:xml:)?lang\s*=\s*[\"']?([A-Za-z]{2,3}(?:[-_][A-Za-z0-9]{1,8})*)",
                        re.IGNORECASE)
# The byte-order marks a page's declared charset gives way to (UTF-32-LE's starts with UTF-16-LE's).
_BOMS = (codecs.BOM_UTF8, codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE, codecs.BOM_UTF32_BE)
_META_CHARSET = re.compile(rb"<meta\b[^>]*?charset\s*=\s*[\"']?([A-Za-z0-9_.:-]+)", re.IGNORECASE)


@dataclass(frozen=True)
class RawArticle:
    """One article as read: the body still holds its boilerplate, but not its title or publication-date line."""

    text: str
    title: str | None
    published: dt.date | None
    source: str | None
    url: str | None
    language: str | None
    path: str


@dataclass(frozen=True)
class InputFailure:
    """Something that could not be read, and a sentence saying what is wrong and what to do."""

    path: str
    reason: str


UrlGuard = Callable[[str], str | None]


@dataclass(frozen=True)
class IngestOptions:
    """Limits for reading: the time one URL may take in all, the size cap per file or URL body, the User-Agent
    sent, a URL guard, and whether addresses on this machine or private networks are refused.

    url_guard, when set, is asked about the first address and about every redirect target before it is fetched;
    it returns a reason to refuse the address, or None to allow it. It must be picklable (a module-level function
    or a functools.partial of one) because the options travel to worker processes.
    refuse_private_addresses checks every address a fetch connects to, as it connects (defaults to on when
    NEWSINT_ALLOW_PRIVATE_URLS is set to anything but 1).
    """

    fetch_timeout: float = 15.0
    max_bytes: int = 5_000_000
    user_agent: str = "newsint/0.1 (+https://github.com/; research dashboard)"
    url_guard: UrlGuard | None = None
    refuse_private_addresses: bool = field(default_factory=lambda: _private_urls_refused())


def _private_urls_refused(environ: Mapping[str, str] | None = None) -> bool:
    """True when NEWSINT_ALLOW_PRIVATE_URLS is set to anything but on: the command line then refuses them too."""
    value = (os.environ if environ is None else environ).get(PRIVATE_URLS_SETTING)
    return value is not None and value.strip().lower() not in ("1", "true", "yes", "on")


class InputError(ValueError):
    """An input that cannot be read; the message says which one, why, and what to do."""


# --- the entry point -------------------------------------------------------------------------------------------


def read_inputs(inputs: Sequence[str], options: IngestOptions | None = None,
                stdin: TextIO | None = None) -> Iterator[RawArticle | InputFailure]:
    """Read each input (file, folder, "-" for stdin, http(s) URL) and yield its articles and failures in order."""
    options = options if options is not None else IngestOptions()
    for item in inputs:
        if item == "-":
            stream = stdin if stdin is not None else sys.stdin
            yield from _each_failure_alone(STDIN_PATH, _read_stdin(stream, options))
        elif _URL_SCHEME.match(item):
            yield from _each_failure_alone(item, _read_url(item, options))
        elif os.path.isdir(item):
            yield from _read_folder(item, options)
        else:
            yield from _each_failure_alone(item, _read_file(item, options))


def _each_failure_alone(path: str, records: Iterator[RawArticle | InputFailure]
                        ) -> Iterator[RawArticle | InputFailure]:
    """The records of one input; an error nothing below foresaw ends that input alone, as its failure."""
    try:
        yield from records
    except Exception as error:  # a batch of many inputs must run to the end whatever one of them holds
        yield InputFailure(path, f"{path}: could not be read ({_error_text(error)}); check the file")


def _error_text(error: BaseException) -> str:
    """An unforeseen error in a few words: nesting too deep, or its type and message."""
    if isinstance(error, RecursionError):
        return "it is nested too deeply to be read"
    return f"{type(error).__name__}: {error}"


def _read_stdin(stream: TextIO | None, options: IngestOptions) -> Iterator[RawArticle | InputFailure]:
    """Standard input, read as a text article."""
    if stream is None:  # pythonw and some service managers start processes without stdin
        yield InputFailure(STDIN_PATH, f"{STDIN_PATH}: this process has no standard input; give a file instead")
        return
    try:
        raw = stream.read(options.max_bytes + 1)
    except (OSError, UnicodeDecodeError) as error:
        yield InputFailure(STDIN_PATH, f"{STDIN_PATH}: could not be read ({error}); pipe a UTF-8 text article in")
        return
    if len(raw) > options.max_bytes:
        yield InputFailure(STDIN_PATH, f"{STDIN_PATH}: {_too_large(options.max_bytes)}")
    elif not raw.strip():
        yield InputFailure(STDIN_PATH, f"{STDIN_PATH}: the input is empty; pipe an article's text in")
    else:
        yield parse_text_article(raw, STDIN_PATH)


def _too_large(max_bytes: int) -> str:
    """The reason for a body over the size cap."""
    return (f"it is larger than the {max_bytes:,}-byte cap; split it into smaller files "
            "or raise IngestOptions.max_bytes")


# --- files and folders ---------------------------------------------------------------------------------------


# A folder's own notes (README.md, CHANGELOG.md) describe the articles; they are not articles.
FOLDER_NOTES = frozenset({"readme", "changelog", "license", "licence", "contributing", "notes", "index"})


def _is_article_file(name: str) -> bool:
    """A file in a folder worth reading as an article: known suffix, not hidden, not the folder's notes."""
    path = Path(name)
    return not name.startswith(".") and path.suffix.lower() in KNOWN_SUFFIXES and path.stem.lower() not in FOLDER_NOTES


def _read_folder(folder: str, options: IngestOptions) -> Iterator[RawArticle | InputFailure]:
    """Every file with a known suffix under a folder, recursively, in sorted order.

    Links that lead outside the folder are not followed, and only regular files are read: a folder handed over
    is what is read, and a named pipe or device in it could make the read wait forever.
    """
    root = os.path.realpath(folder)
    unlisted: list[OSError] = []
    found: list[tuple[tuple[str, ...], str]] = []
    for directory, subdirectories, names in os.walk(folder, onerror=unlisted.append):
        # Hidden folders and files (.git, editor backups) are never articles.
        subdirectories[:] = [d for d in subdirectories if not d.startswith(".")]
        # os.walk does not enter linked folders; one that leads outside is named so it is not missed silently.
        linked = [d for d in subdirectories if os.path.islink(os.path.join(directory, d))]
        for name in [*names, *linked]:
            path = os.path.join(directory, name)
            if name in linked and _inside(path, root) or name not in linked and not _is_article_file(name):
                continue
            found.append((Path(os.path.relpath(path, folder)).parts, path))
    for error in unlisted:
        where = error.filename or folder
        yield InputFailure(str(where), f"{where}: the folder could not be listed ({error.strerror}); "
                                       "check that it exists and is readable")
    for _, path in sorted(found):
        if not _inside(path, root):
            yield InputFailure(path, f"{path}: not read: it is a link to {os.path.realpath(path)}, outside the "
                                     f"folder {folder}; copy what it points to into the folder to read it")
        else:
            yield from _each_failure_alone(path, _read_file(path, options, regular_only=True))


def _inside(path: str, root: str) -> bool:
    """True when a path, its links followed, lies in the folder root (itself resolved)."""
    real = os.path.realpath(path)
    return os.path.commonpath([real, root]) == root


def _read_file(path: str, options: IngestOptions, regular_only: bool = False) -> Iterator[RawArticle | InputFailure]:
    """One file, parsed by its suffix; an unknown suffix is read as a text article.

    regular_only refuses named pipes, sockets and devices (a file named on the command line may be a pipe).
    """
    suffix = Path(path).suffix.lower()
    try:
        data = _read_capped(path, options.max_bytes, regular_only)
        text = _decode_declared(data, None, True, path) if suffix in HTML_SUFFIXES else decode_bytes(data, path)
    except InputError as error:
        yield InputFailure(path, str(error))
        return
    if not text.strip():
        yield InputFailure(path, f"{path}: the file is empty; give a file with an article in it")
        return
    if suffix in HTML_SUFFIXES:
        yield parse_html_article(text, path)
    elif suffix in JSONL_SUFFIXES:
        yield from parse_jsonl(text, path)
    elif suffix in CSV_SUFFIXES:
        yield from parse_csv(text, path, options.max_bytes)
    else:
        yield parse_text_article(text, path)


def _read_capped(path: str, max_bytes: int, regular_only: bool = False) -> bytes:
    """A file's bytes, refusing files over the cap without reading them whole (and other than files if asked)."""
    try:
        if regular_only:
            _refuse_unless_regular(path, os.stat(path).st_mode)
        # Opened without waiting, and checked again once open, so a pipe put in the file's place is not waited on.
        descriptor = os.open(path, os.O_RDONLY | getattr(os, "O_BINARY", 0)
                             | (getattr(os, "O_NONBLOCK", 0) if regular_only else 0))
        with open(descriptor, "rb") as handle:
            if regular_only:
                _refuse_unless_regular(path, os.fstat(descriptor).st_mode)
            data = handle.read(max_bytes + 1)
    except FileNotFoundError:
        raise InputError(f"{path}: no such file or folder; check the path") from None
    except PermissionError:
        raise InputError(f"{path}: permission denied; make the file readable or copy it somewhere readable") from None
    except IsADirectoryError:
        raise InputError(f"{path}: is a folder that could not be opened as one; check the path") from None
    except OSError as error:
        raise InputError(f"{path}: could not be read ({error.strerror or error}); check the path") from None
    if len(data) > max_bytes:
        raise InputError(f"{path}: {_too_large(max_bytes)}")
    return data


def _refuse_unless_regular(path: str, mode: int) -> None:
    """InputError for a named pipe, socket, device or folder where a file was expected."""
    if not stat.S_ISREG(mode):
        raise InputError(f"{path}: not a regular file (it is {_file_kind(mode)}); skipped, as only files are read "
                         "from a folder")


def _file_kind(mode: int) -> str:
    """What a file that is not a regular file is, for a message."""
    for test, kind in ((stat.S_ISFIFO, "a named pipe"), (stat.S_ISSOCK, "a socket"), (stat.S_ISCHR, "a device"),
                       (stat.S_ISBLK, "a device"), (stat.S_ISDIR, "a folder")):
        if test(mode):
            return kind
    return "not a file"


# --- decoding -------------------------------------------------------------------------------------------------


def decode_bytes(data: bytes, path: str) -> str:
    """Bytes as text: UTF-8 (BOM or not), UTF-16 or UTF-32 with a BOM, else cp1252; InputError when not text."""
    if data.startswith(codecs.BOM_UTF8):
        return data[len(codecs.BOM_UTF8):].decode("utf-8", errors="replace")
    # Before UTF-16: the UTF-32 little-endian BOM starts with the UTF-16 one.
    if data.startswith((codecs.BOM_UTF32_LE, codecs.BOM_UTF32_BE)):
        try:
            return data.decode("utf-32")
        except UnicodeDecodeError:
            raise InputError(f"{path}: starts like UTF-32 text but is not valid UTF-32; "
                             "save it again as UTF-8") from None
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        try:
            return data.decode("utf-16")
        except UnicodeDecodeError:
            raise InputError(f"{path}: starts like UTF-16 text but is not valid UTF-16; "
                             "save it again as UTF-8") from None
    if _looks_binary(data):
        raise InputError(f"{path}: not a text file (it looks binary); "
                         "give a .txt, .md, .html, .jsonl or .csv file")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        # Not UTF-8: almost always a Windows-made file; the five bytes cp1252 leaves undefined become U+FFFD.
        return data.decode("cp1252", errors="replace")


def _looks_binary(data: bytes) -> bool:
    """True for bytes with NULs or many control characters, which text (short of UTF-16) never has."""
    if b"\x00" in data:
        return True
    sample = data[:65536]
    control = sum(1 for byte in sample if byte in _CONTROL_BYTES)
    return bool(sample) and control / len(sample) > BINARY_CONTROL_SHARE


# --- text articles --------------------------------------------------------------------------------------------


def parse_text_article(raw: str, path: str) -> RawArticle | InputFailure:
    """A .txt/.md article: YAML front matter if any, else the first line as title and a date line under it."""
    text = raw.lstrip("\ufeff").replace("\r\n", "\n").replace("\r", "\n")
    if not text.strip():
        return InputFailure(path, f"{path}: the file is empty; give a file with an article in it")
    lines = text.split("\n")
    fields: dict[str, Any] = {}
    if lines[0].rstrip() == "---":
        front = _split_front_matter(lines, path)
        if isinstance(front, InputFailure):
            return front
        fields, lines = front
    title = _text_field(fields.get("title"))
    published = parse_published(fields.get("published"))
    if title is None:
        title, lines = _take_title(lines)
    else:
        lines = _without_repeated_title(lines, title)
    if published is None:
        published, lines = _take_date_line(lines)
    body = "\n".join(lines).strip("\n")
    if not body.strip():
        return InputFailure(path, f"{path}: no article text after the title; "
                                  "put the article body below the title line")
    return RawArticle(text=body, title=title, published=published, source=_text_field(fields.get("source")),
                      url=_text_field(fields.get("url")), language=_text_field(fields.get("language")), path=path)


def _split_front_matter(lines: list[str], path: str) -> tuple[dict[str, Any], list[str]] | InputFailure:
    """The front matter's fields and the lines after it; lines[0] is the opening '---'."""
    closing = next((i for i in range(1, len(lines)) if lines[i].rstrip() in ("---", "...")), None)
    if closing is None:
        return InputFailure(path, f"{path}: the front matter opens with '---' but has no closing '---' line; "
                                  "add one after the last field")
    try:
        data = yaml.safe_load("\n".join(lines[1:closing]))
    except yaml.YAMLError as error:
        return InputFailure(path, f"{path}: the front matter is not valid YAML ({_yaml_problem(error)}); "
                                  "fix that line, e.g. put quotes around values that contain ': '")
    except RecursionError:
        return InputFailure(path, f"{path}: the front matter is nested too deeply to be read; "
                                  "write plain 'key: value' lines")
    except Exception as error:  # YAML builds dates and numbers itself, and a date like 2024-13-45 raises
        return InputFailure(path, f"{path}: the front matter could not be read ({type(error).__name__}: {error}); "
                                  "fix the value, or put it in quotes")
    if data is None:
        data = {}
    if not isinstance(data, dict):
        return InputFailure(path, f"{path}: the front matter must be 'key: value' lines "
                                  "(title, published, source, url, language)")
    return {str(key).strip().lower(): value for key, value in data.items()}, lines[closing + 1:]


def _yaml_problem(error: yaml.YAMLError) -> str:
    """The YAML problem and its line in the file (the opening '---' is line 1)."""
    mark = getattr(error, "problem_mark", None)
    problem = getattr(error, "problem", None) or str(error).splitlines()[0]
    return f"line {mark.line + 2}: {problem}" if mark is not None else problem


def _take_title(lines: list[str]) -> tuple[str | None, list[str]]:
    """The first non-empty line as the title (without Markdown '#'), and the lines after it."""
    for index, line in enumerate(lines):
        if line.strip():
            title = line.strip().lstrip("#").strip() or None
            return title, lines[index + 1:]
    return None, []


def _without_repeated_title(lines: list[str], title: str) -> list[str]:
    """The lines without a first line that repeats the front matter's title (a Markdown '# title')."""
    heading, rest = _take_title(lines)
    if heading is not None and " ".join(heading.split()).casefold() == " ".join(title.split()).casefold():
        return rest
    return lines


def _take_date_line(lines: list[str]) -> tuple[dt.date | None, list[str]]:
    """The publication date from the first non-empty lines, and the lines without that date line."""
    candidates = [i for i, line in enumerate(lines) if line.strip()][:DATE_LINE_WINDOW]
    found = find_publication_date([lines[i].strip() for i in candidates])
    if found is None:
        return None, lines
    published, position = found
    dropped = candidates[position]
    return published, lines[:dropped] + lines[dropped + 1:]


# --- field values ---------------------------------------------------------------------------------------------


def _text_field(value: Any) -> str | None:
    """A metadata value as stripped text, None when absent or blank."""
    if value is None or isinstance(value, (dict, list)):
        return None
    text = str(value).strip()
    return text or None


def parse_published(value: Any) -> dt.date | None:
    """A publication date from a date, an ISO string or a written date ("19 Juni 2024"); None when unreadable."""
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if not isinstance(value, str) or not value.strip():
        return None
    text = value.strip()
    try:
        return dt.datetime.fromisoformat(text.replace("Z", "+00:00")).date()
    except ValueError:
        pass
    try:
        parsed = dateparser.parse(text, languages=["id", "en"], settings={"PREFER_DAY_OF_MONTH": "first"})
    except Exception:  # dateparser raises assorted errors on odd strings; an unreadable date is just no date
        return None
    return parsed.date() if parsed else None


def _record(fields: dict[str, Any], path: str) -> RawArticle | InputFailure:
    """A JSONL/CSV row as an article; a row without text is a failure."""
    text = fields.get("text")
    if not isinstance(text, str) or not text.strip():
        return InputFailure(path, f"{path}: the row has no text; put the article body in the \"text\" field")
    return RawArticle(text=text.strip(), title=_text_field(fields.get("title")),
                      published=parse_published(fields.get("published")), source=_text_field(fields.get("source")),
                      url=_text_field(fields.get("url")), language=_text_field(fields.get("language")), path=path)


# --- JSONL and CSV --------------------------------------------------------------------------------------------


def parse_jsonl(text: str, path: str) -> Iterator[RawArticle | InputFailure]:
    """One article per JSON line; a bad line is a failure named path:line and the others go on."""
    # Split on line feeds only: JSON strings may hold U+2028 and other characters splitlines() breaks at.
    for number, line in enumerate(text.lstrip("\ufeff").split("\n"), start=1):
        if not line.strip():
            continue
        where = f"{path}:{number}"
        try:
            row = json.loads(line)
        except json.JSONDecodeError as error:
            yield InputFailure(where, f"{where}: not valid JSON ({error.msg} at column {error.colno}); "
                                      "fix the line or remove it")
            continue
        except RecursionError:
            yield InputFailure(where, f"{where}: the JSON is nested too deeply to be read; "
                                      "write one flat object per line")
            continue
        if not isinstance(row, dict):
            yield InputFailure(where, f"{where}: expected a JSON object with a \"text\" field, "
                                      f"found a {type(row).__name__}; write one object per line")
            continue
        yield _record({str(key).lower(): value for key, value in row.items()}, where)


def parse_csv(text: str, path: str, max_bytes: int = IngestOptions.max_bytes) -> Iterator[RawArticle | InputFailure]:
    """One article per CSV row under a header naming the columns; a bad row is a failure named path:line."""
    # Article bodies are long: a field may be as large as the file.
    csv.field_size_limit(max(csv.field_size_limit(), max_bytes + 1))
    reader = csv.reader(io.StringIO(text.lstrip("\ufeff"), newline=""), strict=True)
    header: list[str] | None = None
    last_line = 0
    while True:
        start = last_line + 1
        try:
            row = next(reader)
        except StopIteration:
            break
        except csv.Error as error:
            last_line = reader.line_num
            yield InputFailure(f"{path}:{start}", f"{path}:{start}: a broken CSV row ({error}); "
                                                  "check the quotes on this line")
            continue
        last_line = reader.line_num
        if not any(cell.strip() for cell in row):
            continue
        if header is None:
            header = [cell.strip().lower() for cell in row]
            if "text" not in header:
                yield InputFailure(path, f"{path}: the CSV header has no \"text\" column (found: {', '.join(row)}); "
                                         "name the article-body column \"text\"")
                return
            continue
        yield _csv_row(row, header, f"{path}:{start}")


def _csv_row(row: list[str], header: list[str], where: str) -> RawArticle | InputFailure:
    """A CSV row matched to its header; a row with a different number of cells is broken."""
    if len(row) != len(header):
        return InputFailure(where, f"{where}: the row has {len(row)} cells but the header has {len(header)}; "
                                   "quote cells that contain commas or line breaks")
    return _record(dict(zip(header, row)), where)


# --- HTML -----------------------------------------------------------------------------------------------------


def parse_html_article(html: str, path: str, url: str | None = None) -> RawArticle | InputFailure:
    """A news page's main text and metadata, by trafilatura; never fetches anything the page links to."""
    try:
        document = trafilatura.bare_extraction(html, url=url, with_metadata=True)
    except Exception as error:  # trafilatura and lxml raise many kinds of errors on broken markup
        return InputFailure(path, f"{path}: the HTML could not be parsed ({error}); check that it is a web page")
    body = (getattr(document, "text", None) or "").strip() if document is not None else ""
    if not body:
        return InputFailure(path, f"{path}: no article text found in the HTML; "
                                  "save the article page itself, or give its text as .txt")
    title = _text_field(document.title)
    body = _without_title_line(body, title)
    if not any(len(line.split()) >= MIN_SENTENCE_WORDS for line in body.split("\n")):
        return InputFailure(path, f"{path}: no article text found in the HTML (only short lines such as menu "
                                  "items); save the article page itself, or give its text as .txt")
    declared = _HTML_LANG.search(html[:5000])
    return RawArticle(text=body, title=title, published=parse_published(document.date),
                      source=_text_field(document.sitename) or _text_field(document.hostname),
                      url=_text_field(document.url) or url,
                      language=declared.group(1) if declared else None, path=path)


def _without_title_line(body: str, title: str | None) -> str:
    """The body without a first line that repeats the headline, as trafilatura keeps the <h1> in the text."""
    first, _, rest = body.partition("\n")
    if title and " ".join(first.split()).casefold() == " ".join(title.split()).casefold():
        return rest.strip()
    return body


# --- URLs -----------------------------------------------------------------------------------------------------

# What makes an address non-public, in the order a message names it.
ADDRESS_KINDS = (("unspecified", "is_unspecified"), ("loopback", "is_loopback"), ("link-local", "is_link_local"),
                 ("site-local", "is_site_local"), ("multicast", "is_multicast"), ("private", "is_private"),
                 ("reserved", "is_reserved"))


def describe_address(ip: ipaddress.IPv4Address | ipaddress.IPv6Address) -> str | None:
    """What makes an address non-public ("a loopback address", ...), None for a public one."""
    if isinstance(ip, ipaddress.IPv6Address):
        if ip.ipv4_mapped is not None:
            return describe_address(ip.ipv4_mapped)  # ::ffff:127.0.0.1 reaches 127.0.0.1
        if ip.sixtofour is not None:
            # 2002:7f00:1:: is delivered to 127.0.0.1 by any 6to4 relay, so it is what it wraps.
            wrapped = describe_address(ip.sixtofour)
            return f"a 6to4 address of {ip.sixtofour}, {wrapped}" if wrapped else None
    for kind, attribute in ADDRESS_KINDS:
        if getattr(ip, attribute, False):  # IPv4 addresses have no site-local kind
            return f"{'an' if kind[0] in 'aeiou' else 'a'} {kind} address"
    return None if ip.is_global else "a non-public address"


def address_refusal(host: str, ip: ipaddress.IPv4Address | ipaddress.IPv6Address) -> str | None:
    """Why an address of a host must not be connected to when private addresses are refused, None if it may."""
    description = describe_address(ip)
    if description is None:
        return None
    where = f"{host} is" if _is_literal(host) else f"{host} resolves to {ip},"
    return (f"{where} {description}; this copy does not fetch addresses on this machine or its own network "
            f"(a local install may allow them with {PRIVATE_URLS_SETTING}=1)")


def _is_literal(host: str) -> bool:
    """True for a host written as an IP address rather than a name."""
    try:
        ipaddress.ip_address(host.split("%")[0])
    except ValueError:
        return False
    return True


def _read_url(url: str, options: IngestOptions) -> Iterator[RawArticle | InputFailure]:
    """An http(s) URL fetched with the timeout, User-Agent and size cap, parsed as HTML or plain text."""
    scheme = urllib.parse.urlsplit(url).scheme.lower()
    if scheme not in ("http", "https"):
        yield InputFailure(url, f"{url}: only http:// and https:// addresses can be fetched; "
                                "download the article and give the file instead")
        return
    try:
        data, content_type, final_url = _fetch(url, options)
    except InputError as error:
        yield InputFailure(url, str(error))
        return
    yield _parse_fetched(data, content_type, url, final_url)


# Name lookups run here so a fetch can stop waiting for one; a few at once serve a batch of URLs.
_RESOLVER = concurrent.futures.ThreadPoolExecutor(max_workers=4, thread_name_prefix="newsint-resolve")


class _OutOfTime(TimeoutError):
    """The fetch's deadline passed: the whole fetch, not one read, took longer than the timeout."""


class _Fetch:
    """One URL's fetch: a deadline for all of it, and connections made only to addresses checked on the spot.

    The addresses are resolved once, checked, and connected to as resolved, so a name that resolves to a
    public address for a check and to a private one a moment later cannot slip through.
    """

    def __init__(self, url: str, options: IngestOptions) -> None:
        self.url = url
        self.timeout = options.fetch_timeout
        self.refuse_private = options.refuse_private_addresses
        self.ends = time.monotonic() + options.fetch_timeout
        self.received = 0

    def left(self) -> float:
        """Seconds until the deadline; _OutOfTime once it has passed."""
        left = self.ends - time.monotonic()
        if left <= 0:
            raise _OutOfTime("the fetch took longer than its timeout")
        return left

    def resolve(self, host: str, port: int) -> list:
        """The host's addresses, looked up within the deadline: a resolver that never answers does not hold the
        fetch (its lookup thread is left to finish on its own)."""
        lookup = _RESOLVER.submit(socket.getaddrinfo, host, port, type=socket.SOCK_STREAM)
        try:
            return lookup.result(timeout=self.left())
        except concurrent.futures.TimeoutError:
            raise _OutOfTime("the fetch took longer than its timeout (looking up the host)") from None

    def connect(self, address: tuple[str, int], timeout: object = None,
                source_address: tuple[str, int] | None = None) -> socket.socket:
        """A socket connected to host:port at an address that passed the check; InputError if one did not."""
        host, port = address
        found = self.resolve(host, port)
        if self.refuse_private:
            for *_, sockaddr in found:
                reason = address_refusal(host, ipaddress.ip_address(str(sockaddr[0]).split("%")[0]))
                if reason is not None:
                    raise InputError(f"{self.url}: refused: {reason}")
        failure: OSError = OSError(f"no address found for {host}")
        for family, kind, proto, _, sockaddr in found:
            sock = _DeadlineSocket(family, kind, proto)
            sock.fetch = self
            try:
                sock.settimeout(self.left())
                if source_address:
                    sock.bind(source_address)
                sock.connect(sockaddr)
                return sock
            except OSError as error:
                sock.close()
                failure = error
        raise failure


class _DeadlineMixin:
    """A socket whose every read and write waits no longer than what is left of its fetch's time."""

    fetch: _Fetch | None = None

    def _arm(self) -> None:
        """Let the next wait last at most until the deadline."""
        if self.fetch is not None:
            self.settimeout(self.fetch.left())  # type: ignore[attr-defined]

    def recv_into(self, *args: Any) -> int:
        """socket.recv_into within the deadline."""
        self._arm()
        count = super().recv_into(*args)  # type: ignore[misc]
        self._count(count)
        return count

    def recv(self, *args: Any) -> bytes:
        """socket.recv within the deadline."""
        self._arm()
        data = super().recv(*args)  # type: ignore[misc]
        self._count(len(data))
        return data

    def send(self, *args: Any) -> int:
        """socket.send within the deadline."""
        self._arm()
        return super().send(*args)  # type: ignore[misc]

    def sendall(self, *args: Any) -> None:
        """socket.sendall within the deadline."""
        self._arm()
        super().sendall(*args)  # type: ignore[misc]

    def _count(self, size: int) -> None:
        """Note bytes received, so a message can tell a silent server from a slow one."""
        if self.fetch is not None:
            self.fetch.received += size


class _DeadlineSocket(_DeadlineMixin, socket.socket):
    """A plain socket of a fetch."""


class _DeadlineSSLSocket(_DeadlineMixin, ssl.SSLSocket):
    """A TLS socket of a fetch."""


class _CheckedHTTPConnection(http.client.HTTPConnection):
    """An HTTP connection made by its fetch: to a checked address, within the deadline."""

    def __init__(self, host: str, *, fetch: _Fetch, **kwargs: Any) -> None:
        super().__init__(host, **kwargs)
        self._create_connection = fetch.connect


class _CheckedHTTPSConnection(http.client.HTTPSConnection):
    """An HTTPS connection made by its fetch; TLS checks the certificate against the host name, not the address."""

    def __init__(self, host: str, *, fetch: _Fetch, **kwargs: Any) -> None:
        context = ssl.create_default_context()
        context.set_alpn_protocols(["http/1.1"])
        context.sslsocket_class = _DeadlineSSLSocket
        super().__init__(host, context=context, **kwargs)
        self._create_connection = fetch.connect
        self._fetch = fetch

    def connect(self) -> None:
        """Connect, shake hands within the time left, then keep every read and write within the deadline."""
        super().connect()
        self.sock.fetch = self._fetch


class _CheckedHTTPHandler(urllib.request.HTTPHandler):
    """Opens http:// addresses through the connections of one fetch."""

    def __init__(self, fetch: _Fetch) -> None:
        super().__init__()
        self.fetch = fetch

    def http_open(self, req: urllib.request.Request) -> http.client.HTTPResponse:
        """The response, through a checked connection."""
        return self.do_open(functools.partial(_CheckedHTTPConnection, fetch=self.fetch), req)


class _CheckedHTTPSHandler(urllib.request.HTTPSHandler):
    """Opens https:// addresses through the connections of one fetch."""

    def __init__(self, fetch: _Fetch) -> None:
        super().__init__()
        self.fetch = fetch

    def https_open(self, req: urllib.request.Request) -> http.client.HTTPResponse:
        """The response, through a checked connection."""
        return self.do_open(functools.partial(_CheckedHTTPSConnection, fetch=self.fetch), req)


class _CheckedRedirects(urllib.request.HTTPRedirectHandler):
    """Follows redirects only to http(s) addresses the guard allows, so a redirect cannot reach what it refuses."""

    def __init__(self, url: str, guard: UrlGuard | None) -> None:
        super().__init__()
        self.url = url
        self.guard = guard

    def redirect_request(self, req: urllib.request.Request, fp: Any, code: int, msg: str, headers: Message,
                         newurl: str) -> urllib.request.Request | None:
        """The next request, after the guard has allowed its address."""
        if urllib.parse.urlsplit(newurl).scheme.lower() not in ("http", "https"):
            reason: str | None = "only http:// and https:// addresses are fetched"
        else:
            reason = self.guard(newurl) if self.guard is not None else None
        if reason is not None:
            fp.close()
            raise InputError(f"{self.url}: the server redirected to {newurl}, which is refused: {reason}")
        return super().redirect_request(req, fp, code, msg, headers, newurl)


def _opener(url: str, options: IngestOptions, fetch: _Fetch) -> urllib.request.OpenerDirector:
    """An opener for http(s) only, asking the guard about the first address and every redirect; InputError if refused.

    With private addresses refused it connects directly: through a proxy, the proxy would resolve the name,
    out of the check's sight.
    """
    if options.url_guard is not None:
        reason = options.url_guard(url)
        if reason is not None:
            raise InputError(f"{url}: refused: {reason}")
    opener = urllib.request.OpenerDirector()
    # A fresh proxy handler per fetch reads the proxy settings of the moment, not those of the first fetch.
    for handler in (urllib.request.ProxyHandler({} if options.refuse_private_addresses else None),
                    urllib.request.UnknownHandler(), _CheckedHTTPHandler(fetch), _CheckedHTTPSHandler(fetch),
                    urllib.request.HTTPDefaultErrorHandler(), _CheckedRedirects(url, options.url_guard),
                    urllib.request.HTTPErrorProcessor()):
        opener.add_handler(handler)
    return opener


def _fetch(url: str, options: IngestOptions) -> tuple[bytes, Message, str]:
    """The body, headers and final address of a URL; raises InputError with a sentence saying what failed."""
    request = urllib.request.Request(url, headers={"User-Agent": options.user_agent,
                                                   "Accept": "text/html, text/plain;q=0.9, */*;q=0.1"})
    fetch = _Fetch(url, options)
    opener = _opener(url, options, fetch)
    try:
        with opener.open(request, timeout=options.fetch_timeout) as response:
            declared = response.headers.get("Content-Length")
            if declared and declared.isdigit() and int(declared) > options.max_bytes:
                raise InputError(f"{url}: {_too_large(options.max_bytes)}")
            data = response.read(options.max_bytes + 1)
            headers, final_url = response.headers, response.geturl()
    except InputError:
        raise
    except urllib.error.HTTPError as error:
        raise InputError(f"could not fetch {url}: the server answered HTTP {error.code} ({error.reason}); "
                         "check the address") from None
    except urllib.error.URLError as error:
        raise InputError(_unreachable(url, error.reason, fetch)) from None
    except TimeoutError as error:  # a read that stalls or ends at the deadline after the connection was made
        raise InputError(_unreachable(url, error, fetch)) from None
    except (http.client.HTTPException, OSError) as error:
        raise InputError(f"could not fetch {url}: the connection broke off ({error}); try again later") from None
    except ValueError as error:
        raise InputError(f"{url}: not a valid address ({error}); check the URL") from None
    if len(data) > options.max_bytes:
        raise InputError(f"{url}: {_too_large(options.max_bytes)}")
    return data, headers, final_url


def _unreachable(url: str, reason: object, fetch: _Fetch) -> str:
    """The reason for a fetch that got no whole answer: out of time, refused, or no route / no DNS."""
    if isinstance(reason, TimeoutError):
        if fetch.received:
            return (f"could not fetch {url}: the server had not sent the whole page after {fetch.timeout:g} seconds, "
                    "the time one address may take in all; try again later or raise the timeout (--timeout)")
        return (f"could not fetch {url}: no answer within {fetch.timeout:g} seconds; try again later or raise the "
                "timeout (--timeout)")
    return (f"could not fetch {url}: the network is unreachable or the host refused the connection ({reason}); "
            "check the address and your connection")


def _parse_fetched(data: bytes, headers: Message, url: str, final_url: str) -> RawArticle | InputFailure:
    """A fetched body through the HTML or the text path, by its Content-Type."""
    content_type = headers.get_content_type() if headers.get("Content-Type") else ""
    is_html = content_type in ("text/html", "application/xhtml+xml") or (
        not content_type and data.lstrip()[:200].lower().startswith((b"<!doctype html", b"<html")))
    if not is_html and content_type not in ("text/plain", ""):
        return InputFailure(url, f"{url}: the server sent {content_type}, not an HTML page or plain text; "
                                 "give the address of the article page")
    try:
        text = _decode_declared(data, headers.get_content_charset(), is_html, url)
    except InputError as error:
        return InputFailure(url, str(error))
    if not text.strip():
        return InputFailure(url, f"{url}: the server sent an empty page; check the address")
    if is_html:
        return parse_html_article(text, url, final_url)
    article = parse_text_article(text, url)
    if isinstance(article, RawArticle) and article.url is None:
        return replace(article, url=final_url)
    return article


def _decode_declared(data: bytes, charset: str | None, is_html: bool, where: str) -> str:
    """Bytes decoded by the charset the server or the page declares, else by decode_bytes."""
    if charset is None and is_html:
        meta = _META_CHARSET.search(data[:4096])
        charset = meta.group(1).decode("ascii", errors="replace") if meta else None
    # A BOM outranks any declaration, and browsers ignore a page that claims UTF-16 without one.
    usable = charset and not charset.lower().startswith(("utf-16", "utf-32", "utf16", "utf32"))
    if usable and not data.startswith(_BOMS) \
            and not _looks_binary(data):
        try:
            return data.decode(charset)
        except (LookupError, UnicodeDecodeError):
            pass  # a wrong or unknown declaration: guess like for a file
    return decode_bytes(data, where)
