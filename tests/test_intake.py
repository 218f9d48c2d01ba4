"""Intake: an analyst's uploads, pasted text and URLs land in the tables, and every refusal says why.

Real files, real processes and a real HTTP server on 127.0.0.1; nothing touches the internet.
"""

from __future__ import annotations

import datetime as dt
import functools
import http.server
import io
import json
import multiprocessing
import socket
import threading
import zipfile
from collections.abc import Iterator
from pathlib import Path

import pandas as pd
import pytest

import analysis.pipeline
import analysis.store
from analysis.ingest import IngestOptions, InputFailure, RawArticle, read_inputs
from analysis.intake import (
    IntakeLimits,
    IntakeReport,
    PastedArticle,
    Upload,
    add_articles,
    article_summary,
    check_url,
    paste_to_input,
    prepare_uploads,
    split_urls,
)
from analysis.pipeline import ExtractedArticle, ExtractOptions
from analysis.store import load_tables, remove_articles

ROOT = Path(__file__).resolve().parents[1]
CORPUS = ROOT / "data" / "corpus"
RESOURCES = Path(__file__).resolve().parent / "resources" / "intake"
NEWS_PAGE = (RESOURCES / "news_page.html").read_bytes()
MB = 1_000_000

STORY_MD = (Path(__file__).resolve().parent / "resources" / "stories" / "astana.md").read_text(encoding="utf-8")
FEED_JSONL = "\n".join(json.dumps(row) for row in [
    {"title": "Putin meets Kim", "text": "VLADIVOSTOK - Russian President Vladimir Putin met North Korean leader "
     "Kim Jong Un in Vladivostok on Thursday to discuss railway links.", "published": "2024-04-25",
     "language": "en"},
    {"title": "Lavrov in Pyongyang", "text": "PYONGYANG - Russian Foreign Minister Sergei Lavrov arrived in "
     "Pyongyang on Wednesday for talks with his North Korean counterpart.", "published": "2023-10-18",
     "language": "en"},
]) + "\n"
ZIPPED_TEXTS = {
    "inner/a.txt": "Port plan stalls\nJune 3, 2024\nULAANBAATAR - Mongolia's transport ministry said on Friday it "
                   "would ask China for help with a new dry port near Zamyn-Uud.\n",
    "inner/b.txt": "Shoigu visits Pyongyang\nJuly 27, 2023\nPYONGYANG - Russian Defence Minister Sergei Shoigu met "
                   "Kim Jong Un in Pyongyang on Wednesday and toured a weapons exhibition.\n",
}
PASTED_ID = ("Kereta Cepat Tambah Jadwal Perjalanan\n"
             "Rabu, 19 Juni 2024 |06:23 WIB\n"
             "JAKARTA - Operator kereta cepat menambah delapan perjalanan setiap hari mulai pekan depan karena "
             "penumpang terus bertambah selama musim liburan sekolah. Direktur operasi mengatakan tiket untuk akhir "
             "pekan hampir selalu habis terjual.\n")
PUTIN_KAZAKHSTAN = ("ASTANA - Russian President Vladimir Putin met the President of Kazakhstan in Astana on "
                    "Tuesday and signed an agreement on gas supplies.")
PUTIN_KIM = ("PYONGYANG - Russian President Vladimir Putin met North Korean leader Kim Jong Un in Pyongyang on "
             "Wednesday and signed a partnership treaty.")


# --- helpers ---------------------------------------------------------------------------------------------------


def zip_of(entries: dict[str, bytes | str]) -> bytes:
    """A zip archive holding these entries."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in entries.items():
            archive.writestr(name, data)
    return buffer.getvalue()


@functools.cache
def zip_bomb(megabytes: int = 200) -> bytes:
    """A zip of one entry of zeros that its central directory declares at megabytes * 2**20 bytes (~200 KB)."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compresslevel=1) as archive:
        info = zipfile.ZipInfo("zeros.txt")
        info.compress_type = zipfile.ZIP_DEFLATED
        with archive.open(info, "w", force_zip64=True) as entry:
            chunk = bytes(1 << 20)
            for _ in range(megabytes):
                entry.write(chunk)
    return buffer.getvalue()


def corpus_uploads(pattern: str, count: int, offset: int = 0) -> list[Upload]:
    """Corpus articles as uploads."""
    paths = sorted((CORPUS / "en").glob(pattern))[offset:offset + count]
    assert len(paths) == count
    return [Upload(path.name, path.read_bytes()) for path in paths]


def snapshot(folder: Path) -> dict[str, bytes]:
    """Every table file of a dataset folder, byte for byte."""
    files = {str(path.relative_to(folder)): path.read_bytes() for path in sorted(folder.rglob("*"))
             if path.is_file() and path.name != ".lock"}
    assert files, f"{folder} holds no dataset"
    return files


def failure_reasons(report: IntakeReport) -> dict[str, str]:
    """The report's failures by name."""
    return dict(report.failed)


LOCAL = IntakeLimits(allow_private_addresses=True)


@pytest.fixture(autouse=True)
def no_proxy(monkeypatch: pytest.MonkeyPatch) -> None:
    """Local fetches must not go through a proxy configured in the environment."""
    for name in ("http_proxy", "https_proxy", "all_proxy", "HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("no_proxy", "*")


@pytest.fixture
def stored(tmp_path: Path) -> Path:
    """A dataset folder that already holds one article."""
    out = tmp_path / "ds"
    report = add_articles(out, pasted=[PastedArticle(PUTIN_KIM, title="Putin in Pyongyang", language="en")],
                          limits=LOCAL)
    assert len(report.added) == 1, report.lines()
    return out


# --- uploads ---------------------------------------------------------------------------------------------------


def test_intake_adds_markdown_jsonl_and_zip_uploads_then_skips_them_as_duplicates(tmp_path: Path):
    out = tmp_path / "ds"
    uploads = [Upload("story.md", STORY_MD.encode()), Upload("feed.jsonl", FEED_JSONL.encode()),
               Upload("bundle.zip", zip_of(ZIPPED_TEXTS))]
    seen: list[tuple[int, int, str]] = []
    report = add_articles(out, uploads=uploads, limits=LOCAL, progress=lambda *step: seen.append(step))
    assert report.failed == [] and report.stopped is None
    names = ["story.md", "feed.jsonl:1", "feed.jsonl:2", "bundle.zip:inner/a.txt", "bundle.zip:inner/b.txt"]
    assert [a.path for a in report.added] == names
    assert report.added[0].title == "Menlu Mongolia kunjungi Astana"
    assert seen[-1] == (5, 5, "bundle.zip:inner/b.txt")
    tables = load_tables(out)
    assert sorted(tables.articles["path"]) == sorted(names)
    assert set(tables.articles["article_id"]) == {a.article_id for a in report.added}
    before = snapshot(out)

    again = add_articles(out, uploads=uploads, limits=LOCAL)
    assert again.added == [] and again.failed == []
    assert [d.path for d in again.duplicates] == names
    assert [d.article_id for d in again.duplicates] == [a.article_id for a in report.added]
    assert snapshot(out) == before


def test_intake_paste_finds_date_in_the_first_lines_and_detects_the_language(tmp_path: Path):
    out = tmp_path / "ds"
    report = add_articles(out, pasted=[PastedArticle(PASTED_ID), PastedArticle("  \n ", title="Nothing")])
    assert [a.title for a in report.added] == ["Kereta Cepat Tambah Jadwal Perjalanan"]
    assert report.failed == [("pasted text 2", "pasted text 2: the pasted text is empty; paste the article's text")]
    row = load_tables(out).articles.iloc[0]
    assert row["published"] == "2024-06-19" and row["language"] == "id" and row["path"] == "pasted text 1"
    assert "Rabu" not in row["text"]


def test_intake_paste_fields_fill_in_front_matter():
    raw = paste_to_input(PastedArticle("Body: with a colon.\nAnd a second line.", title="A: title",
                                       published=dt.date(2024, 1, 2), source="Desk", language="en"), "pasted")
    assert (raw.title, raw.published, raw.source, raw.language) == ("A: title", dt.date(2024, 1, 2), "Desk", "en")
    assert raw.text == "Body: with a colon.\nAnd a second line."


def test_intake_bad_uploads_each_get_their_message_and_leave_the_store_untouched(stored: Path,
                                                                                  monkeypatch: pytest.MonkeyPatch):
    before = snapshot(stored)
    limits = IntakeLimits(max_file_bytes=2_000, max_zip_entries=10, allow_private_addresses=True)
    uploads = [
        Upload("picture.txt", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256))),
        Upload("empty.txt", b""),
        Upload("huge.txt", b"word " * 1_000),
        Upload("utf16.txt", b"\xff\xfe" + "Berita".encode("utf-16-le") + b"\x00\xd8"),
        Upload("report.pdf", b"%PDF-1.4"),
        Upload("bomb.zip", zip_bomb()),
        Upload("many.zip", zip_of({f"a{i}.txt": "x" for i in range(11)})),
        Upload("slip.zip", zip_of({"../evil.txt": PUTIN_KAZAKHSTAN, "/etc/cron.txt": PUTIN_KAZAKHSTAN})),
        Upload("nested.zip", zip_of({"inner.zip": zip_of({"a.txt": PUTIN_KAZAKHSTAN}), "photo.jpg": b"\xff\xd8"})),
        Upload("broken.zip", b"PK\x03\x04 this is not an archive"),
    ]
    zip_bomb()  # built before zipfile is watched
    opened: list[str] = []
    real_open = zipfile.ZipFile.open
    monkeypatch.setattr(zipfile.ZipFile, "open", lambda self, name, *a, **k: opened.append(str(name))
                        or real_open(self, name, *a, **k))
    report = add_articles(stored, uploads=uploads, limits=limits)
    reasons = failure_reasons(report)
    assert report.added == [] and report.duplicates == []
    assert "not a text file" in reasons["picture.txt"]
    assert "the file is empty" in reasons["empty.txt"]
    assert "larger than the 0.002 MB cap per file" in reasons["huge.txt"]
    assert "not valid UTF-16" in reasons["utf16.txt"]
    assert ".pdf files are not articles" in reasons["report.pdf"]
    assert "unpack to 209,715,200 bytes, more than the 100 MB cap" in reasons["bomb.zip"]
    assert "11 entries, more than the 10 allowed" in reasons["many.zip"]
    assert "leaves the archive" in reasons["slip.zip:../evil.txt"]
    assert "leaves the archive" in reasons["slip.zip:/etc/cron.txt"]
    assert "archives inside an archive are not opened" in reasons["nested.zip:inner.zip"]
    assert ".jpg files are not articles" in reasons["nested.zip:photo.jpg"]
    assert "not a valid zip archive" in reasons["broken.zip"]
    assert len(report.failed) == 12
    assert all(reason.startswith(name + ": ") for name, reason in report.failed)
    assert opened == []  # no entry of any refused archive was decompressed
    assert snapshot(stored) == before


def test_intake_zip_bomb_is_refused_from_its_directory_without_writing_anything(tmp_path: Path,
                                                                                monkeypatch: pytest.MonkeyPatch):
    def no_decompression(*args: object, **kwargs: object) -> None:
        raise AssertionError("an entry of the zip bomb was opened")

    bomb = zip_bomb()
    assert len(bomb) < 300_000
    monkeypatch.setattr(zipfile.ZipFile, "open", no_decompression)
    staging = tmp_path / "staging"
    prepared = prepare_uploads([Upload("bomb.zip", bomb)], staging, IntakeLimits())
    assert prepared.paths == [] and [name for name, _ in prepared.failures] == ["bomb.zip"]
    assert list(staging.iterdir()) == []


def test_intake_limits_on_batch_size_and_file_count(tmp_path: Path):
    limits = IntakeLimits(max_files=3, max_batch_bytes=1_000)
    uploads = [Upload("a.txt", b"a" * 600), Upload("b.txt", b"b" * 600), Upload("c.txt", b"c" * 300),
               Upload("d.txt", b"d"), Upload("a.txt", b"again")]
    prepared = prepare_uploads(uploads, tmp_path / "staging", limits)
    assert sorted(prepared.names.values()) == ["a.txt", "c.txt"]
    reasons = dict(prepared.failures)
    assert "over its 0.001 MB cap" in reasons["b.txt"]
    assert "a batch may hold 3 files" in reasons["d.txt"] and "a batch may hold 3 files" in reasons["a.txt (2)"]
    assert sorted(path.stat().st_size for path in prepared.paths) == [300, 600]


def test_intake_zips_of_a_batch_share_the_unpacked_cap(tmp_path: Path):
    archive = zip_of({"a.txt": "x" * 600, "b.txt": "y" * 300})
    prepared = prepare_uploads([Upload("one.zip", archive), Upload("two.zip", archive)], tmp_path / "staging",
                               IntakeLimits(max_zip_bytes=1_500))
    assert sorted(prepared.names.values()) == ["one.zip:a.txt", "one.zip:b.txt"]
    [(name, reason)] = prepared.failures
    assert name == "two.zip" and "with the archives before it the batch would unpack to more than" in reason


def test_intake_broken_jsonl_and_csv_rows_fail_alone_and_the_good_rows_land(stored: Path):
    before = load_tables(stored)
    feed = FEED_JSONL.replace("\n", '\n{"title": broken\n', 1)
    rows = ('title,text,published,language\n'
            f'Gas deal,"{PUTIN_KAZAKHSTAN}",2024-02-06,en\n'
            'Short,too,many,cells,here\n')
    report = add_articles(stored, uploads=[Upload("feed.jsonl", feed.encode()), Upload("rows.csv", rows.encode())],
                          limits=LOCAL)
    assert [a.path for a in report.added] == ["feed.jsonl:1", "feed.jsonl:3", "rows.csv:2"]
    assert [name for name, _ in report.failed] == ["feed.jsonl:2", "rows.csv:3"]
    assert "not valid JSON" in report.failed[0][1] and "5 cells but the header has 4" in report.failed[1][1]
    after = load_tables(stored)
    assert len(after.articles) == len(before.articles) + 3
    assert set(after.articles["article_id"]) == set(before.articles["article_id"]) | {a.article_id
                                                                                      for a in report.added}


def test_intake_uploads_and_pasted_text_nested_too_deeply_fail_alone_and_the_batch_lands(tmp_path: Path):
    deep_front = "---\ntitle: " + "[" * 20_000 + "\n---\nBody.\n"
    uploads = [Upload("deep.jsonl", b"[" * 100_000 + b"\n"), Upload("deep.md", deep_front.encode()),
               Upload("story.md", STORY_MD.encode())]
    pasted = [PastedArticle(deep_front), PastedArticle(PUTIN_KIM, title="Treaty", language="en")]
    report = add_articles(tmp_path / "ds", uploads=uploads, pasted=pasted, limits=LOCAL)
    assert report.stopped is None
    assert [a.path for a in report.added] == ["story.md", "pasted text 2"]
    reasons = failure_reasons(report)
    assert set(reasons) == {"deep.jsonl:1", "deep.md", "pasted text 1"}
    assert all("nested too deeply" in reason for reason in reasons.values())
    assert len(load_tables(tmp_path / "ds").articles) == 2


# --- URLs ------------------------------------------------------------------------------------------------------


class _NewsHandler(http.server.BaseHTTPRequestHandler):
    """Serves one news page, and a redirect to it; remembers every path asked for."""

    paths: list[str] = []

    def do_GET(self) -> None:  # noqa: N802 - the name http.server calls
        type(self).paths.append(self.path)
        if self.path == "/news.html":
            body = NEWS_PAGE
            self.send_response(200)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)
        elif self.path == "/moved":
            self.send_response(302)
            self.send_header("Location", "/news.html")
            self.send_header("Content-Length", "0")
            self.end_headers()
        else:
            self.send_response(404)
            self.send_header("Content-Length", "0")
            self.end_headers()

    def log_message(self, format: str, *args: object) -> None:  # noqa: A002 - http.server's signature
        """Keep the test output quiet."""


@pytest.fixture(scope="module")
def news_server() -> Iterator[str]:
    """A local HTTP server on 127.0.0.1 in a thread: its base address."""
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _NewsHandler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


def test_intake_url_is_added_when_private_addresses_are_allowed(tmp_path: Path, news_server: str):
    url = f"{news_server}/news.html"
    report = add_articles(tmp_path / "ds", urls=split_urls(f"\n  {url}  \n\n{url}\n"), limits=LOCAL)
    assert report.failed == [] and [a.path for a in report.added] == [url]
    assert report.added[0].title == "Mongolia and Kazakhstan agree to expand rail freight"
    row = load_tables(tmp_path / "ds").articles.iloc[0]
    assert row["published"] == "2024-05-14" and row["language"] == "en"


def test_intake_url_on_this_machine_is_refused_by_default_without_a_request(tmp_path: Path, news_server: str):
    _NewsHandler.paths.clear()
    urls = [f"{news_server}/news.html", f"{news_server}/moved", "/etc/passwd", "-"]
    report = add_articles(tmp_path / "ds", urls=urls, limits=IntakeLimits())
    reasons = failure_reasons(report)
    assert report.added == [] and len(reasons) == 4
    assert "127.0.0.1 is a loopback address" in reasons[urls[0]] and "NEWSINT_ALLOW_PRIVATE_URLS" in reasons[urls[0]]
    assert "loopback" in reasons[urls[1]]
    assert "only http:// and https://" in reasons["/etc/passwd"] and "only http:// and https://" in reasons["-"]
    assert _NewsHandler.paths == []
    assert not analysis.store.has_tables(tmp_path / "ds")


@pytest.mark.parametrize("public_answers", [1, 2])
def test_intake_a_name_that_resolves_to_this_machine_on_a_later_lookup_is_refused(
        tmp_path: Path, news_server: str, monkeypatch: pytest.MonkeyPatch, public_answers: int):
    port = int(news_server.rsplit(":", 1)[1])
    real_lookup = socket.getaddrinfo
    lookups: list[str] = []

    def rebinding(host: str, *args: object, **kwargs: object) -> list:
        """A rebinding DNS server: a public address to the first lookups, this machine's to the later ones."""
        if host != "news.rebinding.example":
            return real_lookup(host, *args, **kwargs)
        lookups.append(host)
        return real_lookup("93.184.216.34" if len(lookups) <= public_answers else "127.0.0.1", *args, **kwargs)

    monkeypatch.setattr(socket, "getaddrinfo", rebinding)
    _NewsHandler.paths.clear()
    url = f"http://news.rebinding.example:{port}/news.html"
    report = add_articles(tmp_path / "ds", urls=[url], limits=IntakeLimits())
    assert report.added == [] and _NewsHandler.paths == []
    assert "news.rebinding.example resolves to 127.0.0.1, a loopback address" in failure_reasons(report)[url]
    assert not analysis.store.has_tables(tmp_path / "ds")


def test_intake_urls_turned_off_are_refused_naming_the_setting(tmp_path: Path, news_server: str,
                                                               monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setenv("NEWSINT_DISABLE_URLS", "1")
    monkeypatch.setenv("NEWSINT_ALLOW_PRIVATE_URLS", "1")
    report = add_articles(tmp_path / "ds", urls=[f"{news_server}/news.html"])
    assert report.added == []
    assert "URL fetching is turned off on this copy (NEWSINT_DISABLE_URLS)" in report.failed[0][1]


def test_intake_redirect_to_a_refused_address_is_not_followed(news_server: str):
    _NewsHandler.paths.clear()
    options = IngestOptions(fetch_timeout=5, url_guard=lambda url: "secret page" if "news" in url else None)
    [failure] = list(read_inputs([f"{news_server}/moved"], options))
    assert isinstance(failure, InputFailure)
    assert f"redirected to {news_server}/news.html, which is refused: secret page" in failure.reason
    assert _NewsHandler.paths == ["/moved"]


def test_intake_redirect_allowed_by_the_guard_is_followed(news_server: str):
    [article] = list(read_inputs([f"{news_server}/moved"], IngestOptions(fetch_timeout=5,
                                                                         url_guard=lambda url: None)))
    assert article.title == "Mongolia and Kazakhstan agree to expand rail freight"


@pytest.mark.parametrize(("url", "expected"), [
    ("http://10.0.0.1/", "10.0.0.1 is a private address"),
    ("http://[::1]/", "::1 is a loopback address"),
    ("http://169.254.169.254/latest/meta-data/", "169.254.169.254 is a link-local address"),
    ("http://0.0.0.0:8501/", "0.0.0.0 is an unspecified address"),
    ("http://[::ffff:127.0.0.1]/", "::ffff:127.0.0.1 is a loopback address"),
    ("http://224.0.0.1/", "224.0.0.1 is a multicast address"),
    ("http://100.64.0.1/", "100.64.0.1 is a non-public address"),
    ("http://localhost:8501/", "localhost resolves to"),
    ("http://[2002:7f00:1::]/", "2002:7f00:1:: is a 6to4 address of 127.0.0.1, a loopback address"),
    ("http://[2002:a00:1::]:8080/", "2002:a00:1:: is a 6to4 address of 10.0.0.1, a private address"),
    ("http://[fec0::1]/", "fec0::1 is a site-local address"),
    ("http://[64:ff9b::a9fe:a9fe]/", "is a reserved address"),
    ("ftp://x/news.txt", "only http:// and https://"),
    ("http:///news.html", "no host name"),
    ("http://example.org:99999/", "not a valid address"),
])
def test_intake_check_url_refuses(url: str, expected: str):
    reason = check_url(url, IntakeLimits())
    assert reason is not None and expected in reason


def test_intake_check_url_allows_public_addresses_and_private_ones_when_told():
    assert check_url("http://93.184.216.34/news.html", IntakeLimits()) is None
    assert check_url("https://[2606:2800:220:1:248:1893:25c8:1946]/", IntakeLimits()) is None
    assert check_url("http://[2002:5db8:d822::1]/", IntakeLimits()) is None  # 6to4 of the public 93.184.216.34
    assert check_url("http://10.0.0.1/", LOCAL) is None
    assert check_url("http://10.0.0.1/", IntakeLimits(allow_private_addresses=True, allow_urls=False)) == \
        "URL fetching is turned off on this copy (NEWSINT_DISABLE_URLS)"


def test_intake_limits_from_environment():
    limits = IntakeLimits.from_env({"NEWSINT_MAX_FILE_MB": "0.5", "NEWSINT_MAX_BATCH_MB": "20",
                                    "NEWSINT_MAX_FILES": "7", "NEWSINT_MAX_ZIP_MB": "30",
                                    "NEWSINT_MAX_ZIP_ENTRIES": "9", "NEWSINT_MAX_URLS": "3",
                                    "NEWSINT_ALLOW_PRIVATE_URLS": "yes", "NEWSINT_DISABLE_URLS": "0"})
    assert limits == IntakeLimits(max_file_bytes=500_000, max_batch_bytes=20 * MB, max_files=7,
                                  max_zip_bytes=30 * MB, max_zip_entries=9, max_urls=3,
                                  allow_private_addresses=True, allow_urls=True)
    assert IntakeLimits.from_env({}) == IntakeLimits()
    with pytest.raises(ValueError, match="NEWSINT_MAX_FILE_MB='five'"):
        IntakeLimits.from_env({"NEWSINT_MAX_FILE_MB": "five"})
    with pytest.raises(ValueError, match="NEWSINT_DISABLE_URLS='maybe'"):
        IntakeLimits.from_env({"NEWSINT_DISABLE_URLS": "maybe"})


@pytest.mark.parametrize(("name", "value"), [
    ("NEWSINT_MAX_FILE_MB", "inf"), ("NEWSINT_MAX_FILE_MB", "-inf"), ("NEWSINT_MAX_BATCH_MB", "nan"),
    ("NEWSINT_MAX_ZIP_MB", "-3"), ("NEWSINT_MAX_FILE_MB", "1e400"), ("NEWSINT_MAX_BATCH_MB", "1e300"),
    ("NEWSINT_MAX_FILES", "\u00b2"), ("NEWSINT_MAX_URLS", "-1"), ("NEWSINT_MAX_ZIP_ENTRIES", "1" + "0" * 40),
])
def test_intake_impossible_settings_are_a_message_naming_the_variable(name: str, value: str):
    with pytest.raises(ValueError, match=f"^{name}=") as raised:
        IntakeLimits.from_env({name: value})
    assert "not a size" in str(raised.value) or "not a count" in str(raised.value)


# --- writers at the same time, failures part-way ---------------------------------------------------------------


def _add_in_child(out: str, uploads: list[Upload], start: multiprocessing.synchronize.Event,
                  results: multiprocessing.Queue) -> None:
    """A second process adding a batch, once both are ready."""
    start.wait(10)
    report = add_articles(Path(out), uploads=uploads, limits=LOCAL, commit_every=1)
    results.put((len(report.added), len(report.duplicates), len(report.failed)))


def test_intake_two_processes_adding_at_once_both_land(tmp_path: Path):
    out = tmp_path / "ds"
    batches = [corpus_uploads("2023-*.md", 5), corpus_uploads("2023-*.md", 5, offset=5)]
    context = multiprocessing.get_context("fork")
    start, results = context.Event(), context.Queue()
    workers = [context.Process(target=_add_in_child, args=(str(out), batch, start, results)) for batch in batches]
    for worker in workers:
        worker.start()
    start.set()
    for worker in workers:
        worker.join(60)
    assert [worker.exitcode for worker in workers] == [0, 0]
    assert sorted(results.get(timeout=5) for _ in workers) == [(5, 0, 0), (5, 0, 0)]
    tables = load_tables(out)
    assert len(tables.articles) == 10 and tables.articles["article_id"].is_unique
    assert sorted(tables.articles["path"]) == sorted(u.name for batch in batches for u in batch)
    assert tables.entities["entity_id"].is_unique and tables.events["event_id"].is_unique
    assert set(tables.mentions["article_id"]) <= set(tables.articles["article_id"])
    assert set(tables.mentions["entity_id"]) <= set(tables.entities["entity_id"])


def _failing_on(path_part: str, error: BaseException, monkeypatch: pytest.MonkeyPatch) -> None:
    """Make the extraction of the article whose path holds path_part raise error."""
    real = analysis.pipeline.extract_article

    def extract(raw: RawArticle, options: ExtractOptions | None = None) -> ExtractedArticle:
        if path_part in raw.path:
            raise error
        return real(raw, options or ExtractOptions())

    monkeypatch.setattr(analysis.pipeline, "extract_article", extract)


def test_intake_an_article_that_breaks_the_extraction_fails_alone(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    uploads = corpus_uploads("2019-*.md", 2) + corpus_uploads("2023-*.md", 4)
    _failing_on(uploads[3].name, RuntimeError("boom"), monkeypatch)
    report = add_articles(tmp_path / "ds", uploads=uploads, limits=LOCAL, commit_every=2)
    assert [a.path for a in report.added] == [u.name for u in uploads[:3] + uploads[4:]]
    [(name, reason)] = report.failed
    assert name == uploads[3].name and "failed unexpectedly (RuntimeError: boom)" in reason
    assert report.stopped is None
    assert len(load_tables(tmp_path / "ds").articles) == 5


def test_intake_a_crash_part_way_keeps_the_earlier_commits(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    out = tmp_path / "ds"
    uploads = corpus_uploads("2023-*.md", 6)
    _failing_on(uploads[4].name, KeyboardInterrupt(), monkeypatch)
    with pytest.raises(KeyboardInterrupt):
        add_articles(out, uploads=uploads, limits=LOCAL, commit_every=2)
    tables = load_tables(out)
    assert sorted(tables.articles["path"]) == sorted(u.name for u in uploads[:4])
    assert set(tables.events["article_id"]) <= set(tables.articles["article_id"])
    assert not list(out.glob(".staging-*")) and not (out / ".commit.json").exists()


def test_intake_a_write_that_fails_part_way_is_reported_with_what_was_not_stored(tmp_path: Path,
                                                                               monkeypatch: pytest.MonkeyPatch):
    out = tmp_path / "ds"
    uploads = corpus_uploads("2023-*.md", 5)
    real_write = analysis.pipeline.append_tables
    writes = {"n": 0}

    def write_then_fail(*args: object, **kwargs: object) -> object:
        writes["n"] += 1
        if writes["n"] == 2:
            raise OSError(28, "No space left on device")
        return real_write(*args, **kwargs)

    monkeypatch.setattr(analysis.pipeline, "append_tables", write_then_fail)
    report = add_articles(out, uploads=uploads, limits=LOCAL, commit_every=2)
    assert report.stopped is not None and "No space left on device" in report.stopped
    assert [a.path for a in report.added] == [u.name for u in uploads[:2]]
    assert [name for name, _ in report.failed] == [u.name for u in uploads[2:]]
    assert all("not stored: the batch stopped" in reason for _, reason in report.failed)
    assert sorted(load_tables(out).articles["path"]) == sorted(u.name for u in uploads[:2])


def test_intake_a_write_cut_off_after_its_journal_is_finished_by_the_next_batch(stored: Path,
                                                                              monkeypatch: pytest.MonkeyPatch):
    # The process dies after the journal is written, before the tables are moved into place.
    monkeypatch.setattr(analysis.store, "recover", lambda folder: None)
    first = add_articles(stored, pasted=[PastedArticle(PUTIN_KAZAKHSTAN, title="Gas", language="en")], limits=LOCAL)
    monkeypatch.undo()
    assert (stored / ".commit.json").exists()
    second = add_articles(stored, uploads=[Upload("story.md", STORY_MD.encode())], limits=LOCAL)
    assert second.failed == [] and len(second.added) == 1
    ids = set(load_tables(stored).articles["article_id"])
    assert {first.added[0].article_id, second.added[0].article_id} <= ids and len(ids) == 3
    assert not (stored / ".commit.json").exists()


# --- inspecting and removing -----------------------------------------------------------------------------------


def test_intake_remove_articles_takes_their_rows_and_orphaned_entities_only(tmp_path: Path):
    out = tmp_path / "ds"
    report = add_articles(out, pasted=[PastedArticle(PUTIN_KAZAKHSTAN, title="Gas deal", language="en"),
                                       PastedArticle(PUTIN_KIM, title="Treaty", language="en")], limits=LOCAL)
    gone, kept = (a.article_id for a in report.added)
    before = load_tables(out)
    names = before.entities.set_index("entity_id")["name"]

    assert remove_articles(out, ["no-such-article"]) == 0
    assert load_tables(out).articles.equals(before.articles)
    assert remove_articles(out, [gone]) == 1

    after = load_tables(out)
    assert list(after.articles["article_id"]) == [kept]
    for name in ("mentions", "events"):
        old = getattr(before, name)
        pd.testing.assert_frame_equal(getattr(after, name), old[old["article_id"] == kept].reset_index(drop=True))
    removed = set(names[~names.index.isin(after.entities["entity_id"])])
    assert "Kazakhstan" in removed and "Vladimir Putin" in set(after.entities["name"])
    assert {"Kim Jong Un", "Pyongyang"} <= set(after.entities["name"])
    assert "Kazakhstan" not in set(after.entities["name"])


def test_intake_article_summary_lists_entities_and_events(stored: Path):
    tables = load_tables(stored)
    article_id = tables.articles["article_id"].iloc[0]
    summary = article_summary(tables, article_id)
    assert summary is not None and summary.article["title"] == "Putin in Pyongyang"
    entities = summary.entities.set_index("name")
    assert entities.loc["Vladimir Putin", "type"] == "PERSON" and entities.loc["Vladimir Putin", "count"] >= 1
    assert list(summary.events.columns) == ["event_id", "type", "source", "target", "place", "date", "modality",
                                            "sentence"]
    assert "Vladimir Putin" in set(summary.events["source"])
    assert all(sentence in tables.articles["text"].iloc[0] for sentence in summary.events["sentence"])
    assert article_summary(tables, "no-such-article") is None
