"""The Add articles page in AppTest: paste, upload, URLs (allowed and refused), inspect and remove.

Every test works on its own copy of the session dataset, so the shared one is never modified.
"""

from __future__ import annotations

import http.server
import io
import shutil
import threading
import zipfile
from collections.abc import Iterator
from pathlib import Path

import pytest

from analysis.intake import PastedArticle, add_articles
from analysis.store import load_tables

INDONESIAN = """Gubernur Maluku Utara bahas kerja sama perikanan dengan Rusia
Ternate, Selasa 4 Februari 2025

Gubernur Maluku Utara, Sofyan Hadikusuma, bertemu dengan Duta Besar Rusia untuk Indonesia di Ternate pada hari \
Senin. Kedua pihak membahas kerja sama perikanan dan pelabuhan.

Menurut Sofyan Hadikusuma, perusahaan PT Kieraha Bahari Nusantara akan membangun gudang pendingin di Ternate tahun \
ini. Pertemuan itu juga menyinggung hubungan Rusia dengan Korea Utara.
"""
INDONESIAN_TITLE = "Gubernur Maluku Utara bahas kerja sama perikanan dengan Rusia"
# Markup in the title: the summary must show it as text, never as a link or bold.
HOSTILE_TITLE = "Port deal in [Bitung](javascript:alert(1)) **signed**"
UPLOADED = f"""---
title: "{HOSTILE_TITLE}"
published: 2025-05-02
source: North Sulawesi Courier
language: en
---
Governor Arief Mandagi of North Sulawesi signed a port agreement with Bitung Harbour Works in Bitung on Friday.
Russian officials welcomed the agreement, Arief Mandagi told reporters in Bitung.
"""
NEWS_PAGE = """<!doctype html><html lang="en"><head><meta charset="utf-8">
<title>Kamchatka governor meets Korean trade mission</title>
<meta property="article:published_time" content="2025-04-09T08:00:00Z"></head>
<body><header><nav>Home | World | Business</nav></header>
<article><h1>Kamchatka governor meets Korean trade mission</h1>
<p>Petropavlovsk-Kamchatsky, April 9, 2025. Governor Dmitri Lesovoy of Kamchatka met a trade mission from \
Pyongyang on Wednesday to discuss fishing quotas and a new ferry line between the two ports.</p>
<p>Lesovoy said the regional government would sign an agreement with North Korea on seafood processing later \
this year. The delegation also visited the port of Petropavlovsk-Kamchatsky and a fish cannery run by \
Okhotsk Marine Products.</p>
<p>Officials in Moscow did not comment on the talks, which follow the partnership treaty signed by Vladimir \
Putin and Kim Jong Un in Pyongyang in June 2024.</p></article>
<footer>Copyright Far East Wire</footer></body></html>"""


def no_trace(app) -> None:
    """No exception reached the user."""
    assert not app.exception, [e.value for e in app.exception]


def snapshot(folder: Path) -> dict[str, bytes]:
    """The bytes of every file of the dataset, to prove a refused batch wrote nothing."""
    files = {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*"))
             if p.is_file() and p.name != ".lock"}
    assert any(name.startswith("articles") for name in files)
    return files


def widget(widgets, label: str):
    """The widget with this label (the Add page's keys change after each clean batch)."""
    return next(w for w in widgets if w.label == label)


def texts(elements) -> str:
    """The text of message boxes, markdown escapes removed."""
    return " ".join(e.value for e in elements).replace("\\", "").replace("\u2060", "")


@pytest.fixture
def data_copy(dataset_dir: Path, tmp_path: Path) -> Path:
    """A private copy of the session dataset."""
    folder = tmp_path / "data"
    shutil.copytree(dataset_dir, folder, ignore=shutil.ignore_patterns(".lock", ".query"))
    return folder


@pytest.fixture
def news_site(monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    """A small web server on 127.0.0.1 serving one English news page; yields its URL."""

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            """The news page, whatever the path."""
            body = NEWS_PAGE.encode()
            self.send_response(200)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args) -> None:
            """Quiet."""

    for name in ("http_proxy", "HTTP_PROXY", "https_proxy", "HTTPS_PROXY", "all_proxy", "ALL_PROXY"):
        monkeypatch.delenv(name, raising=False)  # the fetch must reach the loopback server itself
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}/world/kamchatka-korea-trade.html"
    finally:
        server.shutdown()
        server.server_close()


def test_page_shows_its_limits_and_links_from_the_sidebar(open_app, data_copy, monkeypatch):
    monkeypatch.setenv("NEWSINT_DISABLE_URLS", "1")
    monkeypatch.setenv("NEWSINT_MAX_FILE_MB", "2")
    app = open_app("add", data=data_copy)
    no_trace(app)
    assert not app.error
    assert "Add articles" in [t.value for t in app.title]
    assert [link.value for link in app.get("page_link")][:7] == [
        "Overview", "Map", "Network", "Timeline", "Evidence", "Actor profile", "Add articles"]
    limits = " ".join(c.value for c in app.caption)
    assert "files up to 2 MB each" in limits and "URL fetching is turned off" in limits
    assert any("NEWSINT_DISABLE_URLS" in i.value for i in app.info)
    assert widget(app.text_area, "URLs, one per line").disabled


def test_malformed_setting_is_a_message_not_a_trace(open_app, data_copy, monkeypatch):
    monkeypatch.setenv("NEWSINT_MAX_FILES", "lots")
    app = open_app("add", data=data_copy)
    no_trace(app)
    assert "NEWSINT_MAX_FILES" in texts(app.error)


def test_pasted_indonesian_article_is_added_with_date_and_language_found(open_app, data_copy):
    app = open_app("add", data=data_copy)
    widget(app.text_area, "Article text").input(INDONESIAN)
    widget(app.text_input, "Source").input("Kabar Ternate")
    app.button(key="add_run").click().run()
    no_trace(app)
    assert not app.error
    assert INDONESIAN_TITLE in texts(app.success)
    stored = load_tables(data_copy).articles.set_index("title").loc[INDONESIAN_TITLE]
    assert (stored["language"], stored["published"], stored["path"]) == ("id", "2025-02-04", "pasted text 1")
    # The same session sees the new data at once: the sidebar offers the new source.
    assert "Kabar Ternate" in app.multiselect(key="w_sources").options
    assert widget(app.text_area, "Article text").value == ""  # a clean batch clears the inputs
    assert any(INDONESIAN_TITLE in m.value for m in app.markdown)  # listed among the analysts' articles

    widget(app.text_area, "Article text").input(INDONESIAN)
    app.button(key="add_run").click().run()
    assert INDONESIAN_TITLE in texts(app.info) and not app.success  # the same text again: skipped


def test_empty_paste_is_a_clear_error_and_stores_nothing(open_app, data_copy):
    before = snapshot(data_copy)
    app = open_app("add", data=data_copy)
    widget(app.text_area, "Article text").input("   \n  ")
    widget(app.text_input, "Title").input("A title without text")
    app.button(key="add_run").click().run()
    no_trace(app)
    assert "the pasted text is empty" in texts(app.error)
    assert snapshot(data_copy) == before
    assert widget(app.text_input, "Title").value == "A title without text"  # kept, to fix and retry


def test_nothing_given_says_so(open_app, data_copy):
    before = snapshot(data_copy)
    app = open_app("add", data=data_copy)
    app.button(key="add_run").click().run()
    no_trace(app)
    assert "Nothing to add" in texts(app.warning)
    assert snapshot(data_copy) == before


def test_uploaded_zip_adds_its_article_and_names_what_it_skips(open_app, data_copy):
    archive = io.BytesIO()
    with zipfile.ZipFile(archive, "w") as zf:
        zf.writestr("bitung.md", UPLOADED)
        zf.writestr("setup.exe", b"MZ")
    app = open_app("add", data=data_copy)
    app.file_uploader[0].set_value(("batch.zip", archive.getvalue(), "application/zip"))
    app.button(key="add_run").click().run()
    no_trace(app)
    added = " ".join(s.value for s in app.success)
    # Every sign escaped, and an invisible word joiner after the colon so no autolink or short code forms.
    assert "Port deal in \\[Bitung\\]\\(javascript\\:\u2060alert\\(1\\)\\) \\*\\*signed\\*\\*" in added
    assert "[Bitung](" not in added  # the title's markup stays text
    assert "batch.zip:setup.exe: not read" in texts(app.error)
    assert HOSTILE_TITLE in set(load_tables(data_copy).articles["title"])


def test_url_on_this_machine_is_fetched_when_private_addresses_are_allowed(
    open_app, data_copy, news_site, monkeypatch
):
    monkeypatch.setenv("NEWSINT_ALLOW_PRIVATE_URLS", "1")
    app = open_app("add", data=data_copy)
    assert "addresses on this machine and private networks are allowed" in " ".join(c.value for c in app.caption)
    widget(app.text_area, "URLs, one per line").input(news_site)
    app.button(key="add_run").click().run()
    no_trace(app)
    assert not app.error, texts(app.error)
    assert "Kamchatka governor meets Korean trade mission" in texts(app.success)
    assert news_site in set(load_tables(data_copy).articles["url"])


def test_url_on_this_machine_is_refused_by_default(open_app, data_copy, news_site, monkeypatch):
    monkeypatch.delenv("NEWSINT_ALLOW_PRIVATE_URLS", raising=False)
    before = snapshot(data_copy)
    app = open_app("add", data=data_copy)
    widget(app.text_area, "URLs, one per line").input(news_site)
    app.button(key="add_run").click().run()
    no_trace(app)
    reason = texts(app.error)
    assert news_site in reason and "127.0.0.1 is a loopback address" in reason
    assert snapshot(data_copy) == before


def test_added_article_can_be_inspected_and_removed_after_confirmation(open_app, data_copy):
    article_id = add_articles(data_copy, pasted=[PastedArticle(INDONESIAN, source="Kabar Ternate")]).added[0].article_id
    app = open_app("add", data=data_copy)
    no_trace(app)
    assert not app.dataframe  # the Inspect view is drawn only when opened
    app.session_state[f"add_inspect_{article_id}"] = True  # what opening the expander sets
    app.run()
    entities, events = (frame.value for frame in app.dataframe)
    assert "Sofyan Hadikusuma" in set(entities["name"]) and "Ternate" in set(entities["name"])
    assert len(events) and all(isinstance(s, str) and s for s in events["sentence"])

    remove = app.button(key=f"add_remove_{article_id}")
    assert remove.disabled  # no removal without the confirmation
    app.checkbox(key=f"add_sure_{article_id}").check().run()
    app.button(key=f"add_remove_{article_id}").click().run()
    no_trace(app)
    assert "Removed" in texts(app.success)
    assert article_id not in set(load_tables(data_copy).articles["article_id"])
    assert "Kabar Ternate" not in app.multiselect(key="w_sources").options


def _zip_bomb() -> bytes:
    """A small zip that unpacks to 200 MB of zeros."""
    archive = io.BytesIO()
    with zipfile.ZipFile(archive, "w", compression=zipfile.ZIP_DEFLATED) as zf:
        with zf.open("zeros.txt", "w", force_zip64=True) as member:
            chunk = b"\0" * (1 << 20)
            for _ in range(200):
                member.write(chunk)
    return archive.getvalue()


@pytest.mark.parametrize("name, data, message", [
    ("picture.txt", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)), "not a text file"),
    ("empty.md", b"  \n\n", "empty"),
    ("huge.txt", b"Berita panjang. " * 80_000, "larger than"),
    ("utf16.txt", b"\xff\xfe" + b"\x00\xd8" * 10, "not valid UTF-16"),  # mis-encoded: lone surrogates
    ("feed.jsonl", b'{"title": "broken\n', "feed.jsonl:1"),
    ("bomb.zip", None, "bomb.zip"),
])
def test_bad_uploads_each_get_their_message_and_leave_the_store_unchanged(open_app, data_copy, monkeypatch,
                                                                          name, data, message):
    monkeypatch.setenv("NEWSINT_MAX_FILE_MB", "1")
    before = snapshot(data_copy)
    app = open_app("add", data=data_copy)
    app.file_uploader[0].set_value((name, _zip_bomb() if data is None else data, "application/octet-stream"))
    app.button(key="add_run").click().run()
    no_trace(app)
    shown = texts(app.error)
    assert name in shown and message in shown
    assert not app.success
    assert snapshot(data_copy) == before


def _two_articles() -> bytes:
    """A zip of two new articles."""
    archive = io.BytesIO()
    with zipfile.ZipFile(archive, "w") as zf:
        zf.writestr("bitung.md", UPLOADED)
        zf.writestr("ternate.md", INDONESIAN)
    return archive.getvalue()


def test_caps_are_listed_and_a_paste_over_its_cap_is_not_added(open_app, data_copy, monkeypatch):
    monkeypatch.setenv("NEWSINT_MAX_PASTE_CHARS", "300")
    before = snapshot(data_copy)
    app = open_app("add", data=data_copy)
    caption = " ".join(c.value for c in app.caption)
    assert "pasted text up to 300 characters" in caption and "articles an hour for everyone" in caption
    box = widget(app.text_area, "Article text")
    assert box.proto.max_chars == 300  # the box stops typing at the cap (the library checks again)
    box.input(INDONESIAN)
    app.button(key="add_run").click().run()
    no_trace(app)
    assert not app.success  # Streamlit drops a value over the box's cap: nothing reaches the data
    assert snapshot(data_copy) == before


def test_a_session_adds_no_more_than_its_cap_and_never_half_a_batch(open_app, data_copy, monkeypatch):
    monkeypatch.setenv("NEWSINT_SESSION_MAX_ARTICLES", "1")
    before = snapshot(data_copy)
    app = open_app("add", data=data_copy)
    app.file_uploader[0].set_value(("two.zip", _two_articles(), "application/zip"))
    app.button(key="add_run").click().run()
    no_trace(app)
    assert "holds 2 articles" in texts(app.error) and "NEWSINT_SESSION_MAX_ARTICLES" in texts(app.error)
    assert snapshot(data_copy) == before  # neither of the two was stored
    assert not app.file_uploader[0].value  # the batch was read: the uploader is cleared and its bytes let go

    widget(app.text_area, "Article text").input(INDONESIAN)
    app.button(key="add_run").click().run()
    assert INDONESIAN_TITLE in texts(app.success)
    widget(app.text_area, "Article text").input(UPLOADED)
    app.button(key="add_run").click().run()
    assert "only 0 more" in texts(app.error)
    assert "Port deal" not in " ".join(load_tables(data_copy).articles["title"])


def test_a_session_uploads_no_more_than_its_cap(open_app, data_copy, monkeypatch):
    monkeypatch.setenv("NEWSINT_SESSION_MAX_UPLOAD_MB", "0.0005")
    before = snapshot(data_copy)
    app = open_app("add", data=data_copy)
    app.file_uploader[0].set_value(("two.zip", _two_articles(), "application/zip"))
    app.button(key="add_run").click().run()
    no_trace(app)
    assert "NEWSINT_SESSION_MAX_UPLOAD_MB" in texts(app.error)
    assert snapshot(data_copy) == before


def test_the_hourly_cap_holds_for_every_session_together(open_app, data_copy, monkeypatch):
    monkeypatch.setenv("NEWSINT_HOURLY_MAX_ARTICLES", "1")
    first = open_app("add", data=data_copy)
    widget(first.text_area, "Article text").input(INDONESIAN)
    first.button(key="add_run").click().run()
    assert INDONESIAN_TITLE in texts(first.success)
    before = snapshot(data_copy)
    second = open_app("add", data=data_copy)  # another visitor, with a session of their own
    widget(second.text_area, "Article text").input(UPLOADED)
    second.button(key="add_run").click().run()
    no_trace(second)
    assert "this hour" in texts(second.error) and "NEWSINT_HOURLY_MAX_ARTICLES" in texts(second.error)
    assert snapshot(data_copy) == before


def test_a_full_dataset_takes_no_more(open_app, data_copy, monkeypatch):
    monkeypatch.setenv("NEWSINT_MAX_ARTICLES", str(len(load_tables(data_copy).articles)))
    before = snapshot(data_copy)
    app = open_app("add", data=data_copy)
    widget(app.text_area, "Article text").input(INDONESIAN)
    app.button(key="add_run").click().run()
    no_trace(app)
    assert "NEWSINT_MAX_ARTICLES" in texts(app.error)
    assert snapshot(data_copy) == before
