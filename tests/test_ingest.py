"""Ingest: articles from text, Markdown, HTML, JSONL, CSV, folders, stdin and URLs, and clear failures for the rest.

Every test reads real files (in tmp_path or tests/resources/ingest) or a real HTTP server on 127.0.0.1;
none touches the internet.
"""

from __future__ import annotations

import datetime as dt
import http.server
import io
import os
import socket
import ssl
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest


from analysis.cli import main as cli_main
from analysis.ingest import (
    IngestOptions,
    InputError,
    InputFailure,
    RawArticle,
    decode_bytes,
    parse_text_article,
    read_inputs,
)
from analysis.store import load_tables
from engine_helpers import SHARED, SHARED_HINT

RESOURCES = Path(__file__).resolve().parent / "resources" / "ingest"
SEEDS = SHARED / "seeds"
SEED_ARTICLE = SEEDS / "000_85111dbf54441c16.txt"
PNG_BYTES = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00\x1f\x15\xc4\x89"

TRAIN_STORY = (
    "Kereta Cepat Tambah Jadwal Perjalanan\n"
    "\n"
    "{date_line}\n"
    "\n"
    "JAKARTA - Operator kereta cepat menambah delapan perjalanan setiap hari mulai pekan depan "
    "karena penumpang terus bertambah selama musim liburan sekolah.\n"
    "\n"
    "Direktur operasi mengatakan tiket untuk akhir pekan hampir selalu habis terjual.\n"
)


def read_all(*inputs: str, options: IngestOptions = IngestOptions(), stdin: io.StringIO | None = None
             ) -> list[RawArticle | InputFailure]:
    """Every record read_inputs yields for the inputs."""
    return list(read_inputs(list(inputs), options, stdin=stdin))


def only(records: list[RawArticle | InputFailure]) -> RawArticle | InputFailure:
    """The single record of a list that must hold exactly one."""
    assert len(records) == 1, records
    return records[0]


def articles(records: list[RawArticle | InputFailure]) -> list[RawArticle]:
    """The articles among the records."""
    return [r for r in records if isinstance(r, RawArticle)]


def failures(records: list[RawArticle | InputFailure]) -> list[InputFailure]:
    """The failures among the records."""
    return [r for r in records if isinstance(r, InputFailure)]


# --- text articles ---------------------------------------------------------------------------------------------


def test_ingest_reads_front_matter_fields() -> None:
    path = str(RESOURCES / "front_matter.md")
    article = only(read_all(path))
    assert isinstance(article, RawArticle)
    assert article.title == "Harga Cabai Rawit Melonjak Jelang Ramadan"
    assert article.published == dt.date(2024, 3, 4)
    assert article.source == "Kabar Pasar"
    assert article.url == "https://kabarpasar.example/ekonomi/harga-cabai"
    assert article.language == "id"
    assert article.path == path
    # The Markdown heading repeating the title is not body text.
    assert article.text.startswith("SURABAYA - Harga cabai rawit")
    assert "---" not in article.text and "# Harga" not in article.text


def test_ingest_front_matter_datetime_string_gives_its_date(tmp_path: Path) -> None:
    story = tmp_path / "story.txt"
    story.write_text('---\ntitle: Rupiah Menguat\npublished: "2024-06-19T23:30:00+07:00"\n---\n'
                     "Nilai tukar rupiah menguat 0,4 persen terhadap dolar AS pada penutupan perdagangan.\n",
                     encoding="utf-8")
    article = only(read_all(str(story)))
    assert isinstance(article, RawArticle)
    assert article.published == dt.date(2024, 6, 19)
    assert article.source is None and article.url is None and article.language is None


def test_ingest_front_matter_written_date_is_parsed_and_nonsense_is_none() -> None:
    written = parse_text_article("---\ntitle: A\npublished: 19 Juni 2024\n---\nIsi berita singkat.\n", "a.md")
    nonsense = parse_text_article("---\ntitle: B\npublished: sometime soon\n---\nShort news body.\n", "b.md")
    assert isinstance(written, RawArticle) and written.published == dt.date(2024, 6, 19)
    assert isinstance(nonsense, RawArticle) and nonsense.published is None


def test_ingest_malformed_front_matter_fails_naming_file_and_line(tmp_path: Path) -> None:
    story = tmp_path / "broken.md"
    story.write_text("---\ntitle: Putin: Kim Visit Confirmed\nsource: Daily\n---\nBody text here.\n", encoding="utf-8")
    failure = only(read_all(str(story)))
    assert isinstance(failure, InputFailure)
    assert failure.path == str(story)
    assert str(story) in failure.reason
    assert "not valid YAML" in failure.reason and "line 2" in failure.reason


def test_ingest_front_matter_without_closing_line_fails(tmp_path: Path) -> None:
    story = tmp_path / "open.md"
    story.write_text("---\ntitle: Never closed\nBody text here.\n", encoding="utf-8")
    failure = only(read_all(str(story)))
    assert isinstance(failure, InputFailure)
    assert "no closing '---'" in failure.reason


@pytest.mark.parametrize(("date_line", "expected"), [
    ("5 September 2023, 20:37 WIB", dt.date(2023, 9, 5)),
    ("Rabu, 19 Juni 2024 |06:23 WIB", dt.date(2024, 6, 19)),
    ("June 19, 2024", dt.date(2024, 6, 19)),
    ("Updated: March 12, 2025 09:41 GMT", dt.date(2025, 3, 12)),
])
def test_ingest_takes_title_and_date_line_from_first_lines(tmp_path: Path, date_line: str, expected: dt.date) -> None:
    story = tmp_path / "story.txt"
    story.write_text(TRAIN_STORY.format(date_line=date_line), encoding="utf-8")
    article = only(read_all(str(story)))
    assert isinstance(article, RawArticle)
    assert article.title == "Kereta Cepat Tambah Jadwal Perjalanan"
    assert article.published == expected
    assert date_line not in article.text
    assert "Kereta Cepat Tambah Jadwal" not in article.text
    assert article.text.startswith("JAKARTA - Operator kereta cepat")
    assert article.text.rstrip().endswith("habis terjual.")


def test_ingest_without_date_line_keeps_every_body_line(tmp_path: Path) -> None:
    story = tmp_path / "nodate.txt"
    story.write_text("Warga Gotong Royong Bersihkan Sungai\n\nRatusan warga membersihkan sampah di sungai.\n",
                     encoding="utf-8")
    article = only(read_all(str(story)))
    assert isinstance(article, RawArticle)
    assert article.published is None
    assert article.text == "Ratusan warga membersihkan sampah di sungai."


@pytest.mark.skipif(not SEED_ARTICLE.exists(), reason=SHARED_HINT)
def test_ingest_reads_seed_article_title_and_date() -> None:
    article = only(read_all(str(SEED_ARTICLE)))
    assert isinstance(article, RawArticle)
    assert article.title is not None and article.title.startswith("Berencana Kunjungi Rusia, ")
    assert article.published == dt.date(2023, 9, 5)
    assert "20:37 WIB" not in article.text
    # The photo caption stays: removing boilerplate is the cleaner's job, not ingest's.
    assert article.text.startswith("Pemimpin Korea Utara Kim Jong Un.")
    assert "PR DEPOK - Kim Jong Un" in article.text


def test_ingest_title_without_body_fails(tmp_path: Path) -> None:
    story = tmp_path / "headline.txt"
    story.write_text("Hanya Judul Tanpa Isi\n\n5 September 2023, 20:37 WIB\n\n", encoding="utf-8")
    failure = only(read_all(str(story)))
    assert isinstance(failure, InputFailure)
    assert "no article text after the title" in failure.reason and str(story) in failure.reason


# --- folders, stdin, paths -------------------------------------------------------------------------------------


def test_ingest_reads_folder_recursively_in_sorted_order_skipping_unknown_files(tmp_path: Path) -> None:
    root = tmp_path / "batch"
    (root / "sub" / "deeper").mkdir(parents=True)
    (root / ".git").mkdir()
    (root / "b.txt").write_text("Judul B\n\nIsi berita B.\n", encoding="utf-8")
    (root / "a.md").write_text("# Title A\n\nBody of story A.\n", encoding="utf-8")
    (root / "sub" / "c.jsonl").write_text('{"title": "C", "text": "Body C."}\n', encoding="utf-8")
    (root / "sub" / "deeper" / "d.csv").write_text("title,text\nD,Body D.\n", encoding="utf-8")
    (root / "sub" / "e.HTM").write_bytes((RESOURCES / "news_page.html").read_bytes())
    (root / "photo.png").write_bytes(PNG_BYTES)
    (root / "notes.docx").write_bytes(b"PK\x03\x04 not an article")
    (root / ".git" / "HEAD.txt").write_text("ref: refs/heads/main\n", encoding="utf-8")
    records = read_all(str(root))
    assert not failures(records)
    assert [r.path for r in records] == [
        str(root / "a.md"), str(root / "b.txt"), str(root / "sub" / "c.jsonl") + ":1",
        str(root / "sub" / "deeper" / "d.csv") + ":2", str(root / "sub" / "e.HTM")]
    assert [r.title for r in articles(records)] == [
        "Title A", "Judul B", "C", "D", "Banjir Rendam Ratusan Rumah di Kabupaten Bandung"]


def test_ingest_reads_explicit_file_with_unknown_suffix_as_text(tmp_path: Path) -> None:
    story = tmp_path / "story.article"
    story.write_text("Unknown Suffix Story\n\nJune 19, 2024\n\nThe body is still read as text.\n", encoding="utf-8")
    article = only(read_all(str(story)))
    assert isinstance(article, RawArticle)
    assert article.title == "Unknown Suffix Story" and article.published == dt.date(2024, 6, 19)


def test_ingest_reads_stdin_as_text_article() -> None:
    stdin = io.StringIO("Gunung Marapi Kembali Erupsi\nRabu, 19 Juni 2024 |06:23 WIB\n"
                        "PADANG - Gunung Marapi di Sumatera Barat kembali erupsi pada Rabu pagi.\n")
    article = only(read_all("-", stdin=stdin))
    assert isinstance(article, RawArticle)
    assert article.path == "<stdin>"
    assert article.title == "Gunung Marapi Kembali Erupsi"
    assert article.published == dt.date(2024, 6, 19)
    assert article.text == "PADANG - Gunung Marapi di Sumatera Barat kembali erupsi pada Rabu pagi."


def test_ingest_empty_stdin_fails() -> None:
    failure = only(read_all("-", stdin=io.StringIO("  \n")))
    assert isinstance(failure, InputFailure) and "empty" in failure.reason


def test_ingest_missing_path_fails_and_batch_goes_on(tmp_path: Path) -> None:
    missing = str(tmp_path / "nowhere.txt")
    records = read_all(missing, str(RESOURCES / "front_matter.md"))
    assert isinstance(records[0], InputFailure)
    assert records[0].path == missing and "no such file" in records[0].reason
    assert isinstance(records[1], RawArticle)


def test_ingest_file_over_size_cap_fails(tmp_path: Path) -> None:
    story = tmp_path / "long.txt"
    story.write_text("Judul\n\n" + "Kalimat berita yang panjang. " * 200, encoding="utf-8")
    failure = only(read_all(str(story), options=IngestOptions(max_bytes=1000)))
    assert isinstance(failure, InputFailure) and "larger than the 1,000-byte cap" in failure.reason


# --- HTML, JSONL, CSV ------------------------------------------------------------------------------------------


def test_ingest_extracts_html_article_without_boilerplate() -> None:
    path = str(RESOURCES / "news_page.html")
    article = only(read_all(path))
    assert isinstance(article, RawArticle)
    assert article.title == "Banjir Rendam Ratusan Rumah di Kabupaten Bandung"
    assert article.published == dt.date(2024, 3, 7)
    assert article.source == "Warta Priangan"
    assert article.url == "https://wartapriangan.example/daerah/banjir-rendam-ratusan-rumah"
    assert article.language == "id"
    assert "Sungai Citarum meluap" in article.text and "hingga akhir pekan" in article.text
    assert "Hak cipta" not in article.text and "Pedoman Media Siber" not in article.text
    assert "Olahraga" not in article.text
    assert not article.text.startswith("Banjir Rendam")


@pytest.mark.parametrize("body", [
    "",
    "<nav><a href='/'>Beranda</a></nav>",
    "<header><nav><ul><li><a href='/'>Beranda</a></li><li><a href='/n'>Nasional</a></li></ul></nav></header>"
    "<footer><p>Hak cipta 2024 PT Media. Seluruh hak dilindungi.</p></footer>",
])
def test_ingest_html_without_article_text_fails(tmp_path: Path, body: str) -> None:
    page = tmp_path / "menu.html"
    page.write_text(f"<html><head><title>Menu</title></head><body>{body}</body></html>", encoding="utf-8")
    failure = only(read_all(str(page)))
    assert isinstance(failure, InputFailure)
    assert "no article text found in the HTML" in failure.reason and str(page) in failure.reason


def test_ingest_jsonl_broken_line_fails_and_good_rows_go_on() -> None:
    path = str(RESOURCES / "feed.jsonl")
    records = read_all(path)
    assert [r.path for r in records] == [f"{path}:1", f"{path}:2", f"{path}:4", f"{path}:5"]
    first, broken, third, no_text = records
    assert isinstance(first, RawArticle) and first.published == dt.date(2024, 5, 14) and first.language == "id"
    assert isinstance(broken, InputFailure) and "not valid JSON" in broken.reason
    assert broken.reason.startswith(f"{path}:2")
    assert isinstance(third, RawArticle) and third.published == dt.date(2024, 5, 16)
    assert third.url == "https://harbour.example/strike-ends" and third.source is None
    assert isinstance(no_text, InputFailure) and "no text" in no_text.reason


def test_ingest_jsonl_line_that_is_not_an_object_fails(tmp_path: Path) -> None:
    feed = tmp_path / "feed.ndjson"
    feed.write_text('["a", "list"]\n{"text": "Body only."}\n', encoding="utf-8")
    records = read_all(str(feed))
    assert isinstance(records[0], InputFailure) and "JSON object" in records[0].reason
    assert isinstance(records[1], RawArticle) and records[1].title is None and records[1].text == "Body only."


def test_ingest_csv_row_without_text_fails_and_others_go_on() -> None:
    path = str(RESOURCES / "rows.csv")
    records = read_all(path)
    # The first row's text spans two lines, so the rows start on lines 2, 4 and 5.
    assert [r.path for r in records] == [f"{path}:2", f"{path}:4", f"{path}:5"]
    quake, empty, rail = records
    assert isinstance(quake, RawArticle) and "Belum ada laporan" in quake.text
    assert quake.published == dt.date(2024, 2, 20) and quake.url is None
    assert isinstance(empty, InputFailure) and "no text" in empty.reason
    assert isinstance(rail, RawArticle) and rail.published == dt.date(2024, 2, 22) and rail.language == "en"


def test_ingest_csv_broken_rows_fail_with_line(tmp_path: Path) -> None:
    table = tmp_path / "rows.csv"
    table.write_text('title,text\nOk,Fine body.\nToo,many,cells\nBad,"quote"x\nAlso ok,Another body.\n',
                     encoding="utf-8")
    records = read_all(str(table))
    assert [r.path for r in records] == [f"{table}:2", f"{table}:3", f"{table}:4", f"{table}:5"]
    assert [type(r).__name__ for r in records] == ["RawArticle", "InputFailure", "InputFailure", "RawArticle"]


def test_ingest_csv_allows_very_large_text_fields(tmp_path: Path) -> None:
    body = "Paragraf panjang tentang anggaran daerah. " * 8000  # about 340 KB, over csv's default field limit
    table = tmp_path / "big.csv"
    table.write_text(f'title,text\nAnggaran,"{body}"\n', encoding="utf-8")
    article = only(read_all(str(table)))
    assert isinstance(article, RawArticle) and len(article.text) == len(body.strip())


def test_ingest_csv_without_text_column_fails_once(tmp_path: Path) -> None:
    table = tmp_path / "wrong.csv"
    table.write_text("headline,body\nA,B\n", encoding="utf-8")
    failure = only(read_all(str(table)))
    assert isinstance(failure, InputFailure) and 'no "text" column' in failure.reason


DEEP_JSON = "[" * 100_000
DEEP_FRONT_MATTER = "---\ntitle: " + "[" * 20_000 + "\n---\nThe body of a story that never gets read.\n"


def test_ingest_input_nested_too_deeply_fails_alone_and_the_batch_goes_on(tmp_path: Path) -> None:
    root = tmp_path / "batch"
    root.mkdir()
    (root / "a_feed.jsonl").write_text('{"title": "First", "text": "Body one."}\n' + DEEP_JSON + "\n"
                                       '{"title": "Third", "text": "Body three."}\n', encoding="utf-8")
    (root / "b_deep.md").write_text(DEEP_FRONT_MATTER, encoding="utf-8")
    (root / "c_bad_date.md").write_text("---\ntitle: Odd\npublished: 2024-13-45\n---\nBody.\n", encoding="utf-8")
    (root / "d_good.txt").write_text("Judul D\n\nIsi berita D.\n", encoding="utf-8")
    records = read_all(str(root))
    feed = str(root / "a_feed.jsonl")
    assert [r.path for r in records] == [f"{feed}:1", f"{feed}:2", f"{feed}:3", str(root / "b_deep.md"),
                                         str(root / "c_bad_date.md"), str(root / "d_good.txt")]
    assert [r.title for r in articles(records)] == ["First", "Third", "Judul D"]
    deep_line, deep_front, bad_date = failures(records)
    assert deep_line.reason.startswith(f"{feed}:2: ") and "nested too deeply" in deep_line.reason
    assert deep_front.reason.startswith(f"{root / 'b_deep.md'}: ") and "nested too deeply" in deep_front.reason
    assert "month must be in 1..12" in bad_date.reason


def test_cli_stores_the_good_files_of_a_folder_with_a_file_nested_too_deeply(tmp_path: Path, capsys) -> None:
    root = tmp_path / "batch"
    root.mkdir()
    (root / "deep.jsonl").write_text(DEEP_JSON + "\n", encoding="utf-8")
    (root / "deep.md").write_text(DEEP_FRONT_MATTER, encoding="utf-8")
    (root / "story.txt").write_text(TRAIN_STORY.format(date_line="Rabu, 19 Juni 2024 |06:23 WIB"), encoding="utf-8")
    code = cli_main(["extract", str(root), "--out", str(tmp_path / "ds"), "--quiet"])
    out = capsys.readouterr().out
    assert code == 0 and "read 1, added 1, duplicates skipped 0, failed 2" in out
    assert f"{root / 'deep.jsonl'}:1: " in out and f"{root / 'deep.md'}: " in out
    assert list(load_tables(tmp_path / "ds").articles["title"]) == ["Kereta Cepat Tambah Jadwal Perjalanan"]


# --- folders: links and special files --------------------------------------------------------------------------


def test_ingest_folder_skips_links_leading_outside_it_and_reads_links_inside(tmp_path: Path) -> None:
    outside = tmp_path / "private"
    outside.mkdir()
    (outside / "secret.txt").write_text("Secret Memo\n\nNot for the dataset.\n", encoding="utf-8")
    root = tmp_path / "batch"
    (root / "sub").mkdir(parents=True)
    (root / "sub" / "story.txt").write_text("Judul Asli\n\nIsi berita asli.\n", encoding="utf-8")
    (root / "a_secret.txt").symlink_to(outside / "secret.txt")
    (root / "b_passwd.txt").symlink_to("/etc/passwd")
    (root / "c_story.txt").symlink_to(root / "sub" / "story.txt")
    (root / "d_private").symlink_to(outside, target_is_directory=True)
    records = read_all(str(root))
    assert [r.title for r in articles(records)] == ["Judul Asli", "Judul Asli"]
    assert sorted(r.path for r in articles(records)) == [str(root / "c_story.txt"), str(root / "sub" / "story.txt")]
    reasons = {r.path: r.reason for r in failures(records)}
    assert set(reasons) == {str(root / "a_secret.txt"), str(root / "b_passwd.txt"), str(root / "d_private")}
    assert all("outside the folder" in reason and "not read" in reason for reason in reasons.values())
    assert "Secret Memo" not in repr(records) and "root:" not in repr(records)


def test_ingest_folder_skips_a_named_pipe_instead_of_waiting_on_it(tmp_path: Path) -> None:
    root = tmp_path / "batch"
    root.mkdir()
    os.mkfifo(root / "a_pipe.txt")
    (root / "b_story.txt").write_text("Judul B\n\nIsi berita B.\n", encoding="utf-8")
    records: list[RawArticle | InputFailure] = []
    reader = threading.Thread(target=lambda: records.extend(read_all(str(root))), daemon=True)
    reader.start()
    reader.join(20)
    stuck = reader.is_alive()
    if stuck:  # a reader waiting on the pipe gets its end of file, so the thread can finish
        os.close(os.open(root / "a_pipe.txt", os.O_WRONLY | os.O_NONBLOCK))
        reader.join(5)
    assert not stuck, "reading the folder waited on the named pipe"
    pipe, story = records
    assert isinstance(pipe, InputFailure) and pipe.path == str(root / "a_pipe.txt")
    assert "not a regular file" in pipe.reason and "named pipe" in pipe.reason
    assert isinstance(story, RawArticle) and story.title == "Judul B"


# --- encodings and non-text ------------------------------------------------------------------------------------


def test_decode_bytes_reads_utf8_with_and_without_bom() -> None:
    text = "Pertemuan di Jakarta — “damai” é"
    assert decode_bytes(text.encode("utf-8"), "a.txt") == text
    assert decode_bytes(b"\xef\xbb\xbf" + text.encode("utf-8"), "a.txt") == text


@pytest.mark.parametrize("codec", ["utf-16-le", "utf-16-be"])
def test_decode_bytes_reads_utf16_with_bom(codec: str) -> None:
    text = "Pertemuan di Jakarta — “damai” é"
    bom = b"\xff\xfe" if codec.endswith("le") else b"\xfe\xff"
    assert decode_bytes(bom + text.encode(codec), "a.txt") == text


def test_decode_bytes_falls_back_to_cp1252() -> None:
    text = "The minister’s “café” visit"
    assert decode_bytes(text.encode("cp1252"), "a.txt") == text


def test_decode_bytes_refuses_binary() -> None:
    with pytest.raises(InputError, match="not a text file"):
        decode_bytes(PNG_BYTES, "photo.png")


def test_ingest_reads_bom_and_cp1252_files(tmp_path: Path) -> None:
    story = "Menteri Kunjungi Kafe\n\nJune 19, 2024\n\nSang menteri memesan “café au lait” di Bandung.\n"
    (tmp_path / "a_utf8bom.txt").write_bytes(b"\xef\xbb\xbf" + story.encode("utf-8"))
    (tmp_path / "b_utf16.txt").write_bytes(b"\xff\xfe" + story.encode("utf-16-le"))
    (tmp_path / "c_cp1252.txt").write_bytes(story.encode("cp1252"))
    records = read_all(str(tmp_path))
    assert len(articles(records)) == 3
    for article in articles(records):
        assert article.title == "Menteri Kunjungi Kafe"
        assert article.published == dt.date(2024, 6, 19)
        assert article.text == "Sang menteri memesan “café au lait” di Bandung."


@pytest.mark.parametrize("codec", ["utf-32-le", "utf-32-be"])
def test_ingest_reads_utf32_files_with_a_bom(tmp_path: Path, codec: str) -> None:
    story = "Menteri Kunjungi Kafe\n\nJune 19, 2024\n\nSang menteri memesan “café au lait” di Bandung.\n"
    bom = b"\xff\xfe\x00\x00" if codec.endswith("le") else b"\x00\x00\xfe\xff"
    (tmp_path / "story.txt").write_bytes(bom + story.encode(codec))
    (tmp_path / "page.html").write_bytes(bom + ARTICLE_HTML.decode("utf-8").encode(codec))
    page, text = read_all(str(tmp_path))
    assert isinstance(text, RawArticle) and "\x00" not in text.text
    assert text.title == "Menteri Kunjungi Kafe" and text.published == dt.date(2024, 6, 19)
    assert text.text == "Sang menteri memesan “café au lait” di Bandung."
    assert isinstance(page, RawArticle) and page.title == "Banjir Rendam Ratusan Rumah di Kabupaten Bandung"


def test_ingest_utf32_bom_over_broken_text_fails_naming_the_file(tmp_path: Path) -> None:
    broken = tmp_path / "broken.txt"
    broken.write_bytes(b"\xff\xfe\x00\x00" + "Judul\n\nIsi.\n".encode("utf-32-le") + b"\x00\xd8\x00")
    failure = only(read_all(str(broken)))
    assert isinstance(failure, InputFailure) and failure.reason.startswith(f"{broken}: starts like UTF-32 text")


def test_ingest_binary_file_fails_naming_it(tmp_path: Path) -> None:
    image = tmp_path / "photo.png"
    image.write_bytes(PNG_BYTES)
    failure = only(read_all(str(image)))
    assert isinstance(failure, InputFailure) and failure.path == str(image)
    assert failure.reason == (f"{image}: not a text file (it looks binary); "
                              "give a .txt, .md, .html, .jsonl or .csv file")


@pytest.mark.parametrize("content", [b"", b"  \n\t\n"])
def test_ingest_empty_file_fails_naming_it(tmp_path: Path, content: bytes) -> None:
    empty = tmp_path / "empty.txt"
    empty.write_bytes(content)
    failure = only(read_all(str(empty)))
    assert isinstance(failure, InputFailure) and failure.path == str(empty)
    assert failure.reason.startswith(f"{empty}: the file is empty")


# --- URLs ------------------------------------------------------------------------------------------------------

ARTICLE_HTML = (RESOURCES / "news_page.html").read_bytes()
PLAIN_ARTICLE = "Harga BBM Tidak Naik\n\n5 September 2023, 20:37 WIB\n\nPemerintah memastikan harga BBM tetap.\n"
SMALL_CAP = 3000


class _NewsHandler(http.server.BaseHTTPRequestHandler):
    """Serves a few fixed pages and remembers the User-Agent of each request."""

    user_agents: list[str] = []

    def do_GET(self) -> None:  # noqa: N802 - the name http.server calls
        type(self).user_agents.append(self.headers.get("User-Agent", ""))
        if self.path == "/article.html":
            self._send(200, "text/html; charset=utf-8", ARTICLE_HTML)
        elif self.path == "/plain.txt":
            self._send(200, "text/plain; charset=utf-8", PLAIN_ARTICLE.encode("utf-8"))
        elif self.path == "/big.html":
            self._send(200, "text/html", b"<html><body><p>" + b"berita " * SMALL_CAP + b"</p></body></html>")
        elif self.path == "/big-unsized.html":
            self._send(200, "text/html", b"<html><body><p>" + b"berita " * SMALL_CAP + b"</p></body></html>",
                       sized=False)
        elif self.path == "/photo.png":
            self._send(200, "image/png", PNG_BYTES)
        elif self.path.startswith("/redirect?to="):
            self.send_response(302)
            self.send_header("Location", self.path.split("?to=", 1)[1])
            self.send_header("Content-Length", "0")
            self.end_headers()
        else:
            self._send(404, "text/plain", b"not found")

    def _send(self, status: int, content_type: str, body: bytes, sized: bool = True) -> None:
        """One response; without a Content-Length the body ends when the connection closes."""
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        if sized:
            self.send_header("Content-Length", str(len(body)))
        else:
            self.close_connection = True
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format: str, *args: object) -> None:  # noqa: A002 - http.server's signature
        """Keep the test output quiet."""


@pytest.fixture(scope="module")
def news_server() -> Iterator[str]:
    """A local HTTP server on 127.0.0.1 in a thread: its base address."""
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _NewsHandler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


@pytest.fixture(autouse=True)
def no_proxy(monkeypatch: pytest.MonkeyPatch) -> None:
    """Local fetches must not go through a proxy configured in the environment."""
    for name in ("http_proxy", "https_proxy", "all_proxy", "HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("no_proxy", "*")


def test_ingest_fetches_html_url_with_user_agent(news_server: str) -> None:
    url = f"{news_server}/article.html"
    options = IngestOptions(fetch_timeout=5, user_agent="newsint-test/1.0")
    article = only(read_all(url, options=options))
    assert isinstance(article, RawArticle)
    assert article.path == url
    assert article.title == "Banjir Rendam Ratusan Rumah di Kabupaten Bandung"
    assert "Sungai Citarum meluap" in article.text and "Hak cipta" not in article.text
    assert article.published == dt.date(2024, 3, 7)
    assert "newsint-test/1.0" in _NewsHandler.user_agents


def test_ingest_fetches_plain_text_url_through_text_path(news_server: str) -> None:
    url = f"{news_server}/plain.txt"
    article = only(read_all(url, options=IngestOptions(fetch_timeout=5)))
    assert isinstance(article, RawArticle)
    assert article.title == "Harga BBM Tidak Naik" and article.published == dt.date(2023, 9, 5)
    assert article.text == "Pemerintah memastikan harga BBM tetap." and article.url == url


def test_ingest_url_http_error_fails_with_status(news_server: str) -> None:
    url = f"{news_server}/missing.html"
    failure = only(read_all(url, options=IngestOptions(fetch_timeout=5)))
    assert isinstance(failure, InputFailure) and failure.path == url
    assert failure.reason.startswith(f"could not fetch {url}") and "answered HTTP 404" in failure.reason


@pytest.mark.parametrize("page", ["/big.html", "/big-unsized.html"])
def test_ingest_url_larger_than_cap_fails(news_server: str, page: str) -> None:
    url = news_server + page
    failure = only(read_all(url, options=IngestOptions(fetch_timeout=5, max_bytes=SMALL_CAP)))
    assert isinstance(failure, InputFailure) and "larger than the 3,000-byte cap" in failure.reason


def test_ingest_url_with_non_text_content_fails(news_server: str) -> None:
    failure = only(read_all(f"{news_server}/photo.png", options=IngestOptions(fetch_timeout=5)))
    assert isinstance(failure, InputFailure) and "image/png" in failure.reason


def test_ingest_unreachable_url_fails_quickly() -> None:
    with socket.socket() as probe:  # a port that was free a moment ago and has no listener now
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    url = f"http://127.0.0.1:{port}/article.html"
    started = time.monotonic()
    failure = only(read_all(url, options=IngestOptions(fetch_timeout=3)))
    assert time.monotonic() - started < 2
    assert isinstance(failure, InputFailure)
    assert failure.reason.startswith(f"could not fetch {url}: the network is unreachable or the host refused")


def test_ingest_silent_server_times_out() -> None:
    with socket.socket() as silent:  # listens, so the connection opens, but never answers
        silent.bind(("127.0.0.1", 0))
        silent.listen(1)
        url = f"http://127.0.0.1:{silent.getsockname()[1]}/article.html"
        failure = only(read_all(url, options=IngestOptions(fetch_timeout=0.3)))
    assert isinstance(failure, InputFailure) and "no answer within 0.3 seconds" in failure.reason


def test_ingest_refuses_other_url_schemes() -> None:
    failure = only(read_all("ftp://example.org/news.txt"))
    assert isinstance(failure, InputFailure) and "only http:// and https://" in failure.reason


def test_ingest_redirect_to_another_scheme_is_refused_without_connecting(news_server: str) -> None:
    with socket.socket() as ftp:  # where the redirect points; nothing may connect to it
        ftp.bind(("127.0.0.1", 0))
        ftp.listen(1)
        ftp.setblocking(False)
        target = f"ftp://127.0.0.1:{ftp.getsockname()[1]}/news.txt"
        url = f"{news_server}/redirect?to={target}"
        failure = only(read_all(url, options=IngestOptions(fetch_timeout=2)))
        with pytest.raises(BlockingIOError):
            ftp.accept()
    assert isinstance(failure, InputFailure)
    assert f"the server redirected to {target}, which is refused: only http:// and https://" in failure.reason


def _trickle(listener: socket.socket, head: bytes, body: bytes, pause: float, finished: list[bool]) -> None:
    """Answer one request a byte at a time (the head too, when it is empty), pausing between bytes."""
    connection, _ = listener.accept()
    with connection:
        connection.recv(65536)
        slow = body if head else PLAIN_RESPONSE_HEAD + body
        try:
            connection.sendall(head)
            for index in range(len(slow)):
                connection.sendall(slow[index:index + 1])
                time.sleep(pause)
        except OSError:  # the client hung up
            return
    finished.append(True)


PLAIN_RESPONSE_HEAD = b"HTTP/1.0 200 OK\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n"


@pytest.mark.parametrize("trickled", ["body", "head and body"])
def test_ingest_url_trickling_a_byte_at_a_time_is_cut_at_the_timeout_in_all(trickled: str) -> None:
    body = "Judul Lambat\n\nIsi berita yang datang pelan.\n".encode()
    finished: list[bool] = []
    with socket.socket() as listener:
        listener.bind(("127.0.0.1", 0))
        listener.listen(1)
        head = PLAIN_RESPONSE_HEAD if trickled == "body" else b""
        server = threading.Thread(target=_trickle, args=(listener, head, body, 0.25, finished), daemon=True)
        server.start()
        url = f"http://127.0.0.1:{listener.getsockname()[1]}/slow.txt"
        # Each byte comes well within the timeout; all of them together take far longer.
        failure = only(read_all(url, options=IngestOptions(fetch_timeout=1.5)))
        assert not finished, "the whole page was read: the timeout held for each read, not for the fetch"
        server.join(10)
    assert isinstance(failure, InputFailure)
    assert failure.reason == (f"could not fetch {url}: the server had not sent the whole page after 1.5 seconds, "
                              "the time one address may take in all; try again later or raise the timeout "
                              "(--timeout)")


def test_ingest_refusing_private_addresses_checks_the_address_connected_to(news_server: str) -> None:
    _NewsHandler.user_agents.clear()
    url = f"{news_server}/article.html"
    failure = only(read_all(url, options=IngestOptions(fetch_timeout=5, refuse_private_addresses=True)))
    assert isinstance(failure, InputFailure)
    assert failure.reason.startswith(f"{url}: refused: 127.0.0.1 is a loopback address")
    assert _NewsHandler.user_agents == []


def test_cli_refuses_private_addresses_when_the_setting_says_so(news_server: str, tmp_path: Path, capsys,
                                                                monkeypatch: pytest.MonkeyPatch) -> None:
    _NewsHandler.user_agents.clear()
    url = f"{news_server}/article.html"
    monkeypatch.setenv("NEWSINT_ALLOW_PRIVATE_URLS", "0")
    code = cli_main(["extract", url, "--out", str(tmp_path / "refused"), "--quiet", "--timeout", "5"])
    out = capsys.readouterr().out
    assert code == 1 and "read 0, added 0, duplicates skipped 0, failed 1" in out
    assert "127.0.0.1 is a loopback address" in out and "NEWSINT_ALLOW_PRIVATE_URLS=1" in out
    assert _NewsHandler.user_agents == []
    monkeypatch.delenv("NEWSINT_ALLOW_PRIVATE_URLS")
    code = cli_main(["extract", url, "--out", str(tmp_path / "flag"), "--quiet", "--timeout", "5", "--no-private-urls"])
    assert code == 1 and "127.0.0.1 is a loopback address" in capsys.readouterr().out
    assert _NewsHandler.user_agents == []
    code = cli_main(["extract", url, "--out", str(tmp_path / "fetched"), "--quiet", "--timeout", "5"])
    assert code == 0 and "read 1, added 1" in capsys.readouterr().out
    assert list(load_tables(tmp_path / "fetched").articles["path"]) == [url]


class _SlowTLSHandler(http.server.BaseHTTPRequestHandler):
    """Over TLS: /fast sends a text article at once, /slow the same a byte every 0.2 seconds."""

    def do_GET(self) -> None:  # noqa: N802 - the name http.server calls
        body = "Judul Lewat TLS\n\nIsi berita yang dikirim lewat sambungan terenkripsi.\n".encode()
        self.send_response(200)
        self.send_header("Content-Type", "text/plain; charset=utf-8")
        self.end_headers()
        try:
            for index in range(len(body) if self.path == "/slow" else 1):
                self.wfile.write(body[index:index + 1] if self.path == "/slow" else body)
                self.wfile.flush()
                time.sleep(0.2 if self.path == "/slow" else 0)
        except OSError:  # the client hung up
            pass

    def log_message(self, format: str, *args: object) -> None:  # noqa: A002 - http.server's signature
        """Keep the test output quiet."""


def test_ingest_https_checks_the_certificate_against_the_name_and_keeps_the_deadline(
        monkeypatch: pytest.MonkeyPatch) -> None:
    tls = Path(__file__).resolve().parent / "resources" / "tls"
    monkeypatch.setenv("SSL_CERT_FILE", str(tls / "localhost-cert.pem"))  # the test certificate is the trusted one
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(tls / "localhost-cert.pem", tls / "localhost-key.pem")
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _SlowTLSHandler)
    server.socket = context.wrap_socket(server.socket, server_side=True)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    port = server.server_address[1]
    try:
        article = only(read_all(f"https://localhost:{port}/fast", options=IngestOptions(fetch_timeout=5)))
        by_address = only(read_all(f"https://127.0.0.1:{port}/fast", options=IngestOptions(fetch_timeout=5)))
        slow = only(read_all(f"https://localhost:{port}/slow", options=IngestOptions(fetch_timeout=1.5)))
    finally:
        server.shutdown()
        server.server_close()
    assert isinstance(article, RawArticle) and article.title == "Judul Lewat TLS"
    assert isinstance(by_address, InputFailure) and "certificate" in by_address.reason
    assert isinstance(slow, InputFailure) and "had not sent the whole page after 1.5 seconds" in slow.reason


def test_ingest_url_whose_name_lookup_hangs_is_cut_at_the_timeout(monkeypatch: pytest.MonkeyPatch) -> None:
    real_lookup = socket.getaddrinfo

    def hanging_resolver(host, *args, **kwargs):
        if host == "slow-resolver.example":
            time.sleep(4)  # a resolver that answers long after the fetch's time is up
        return real_lookup("127.0.0.1" if host == "slow-resolver.example" else host, *args, **kwargs)

    monkeypatch.setattr(socket, "getaddrinfo", hanging_resolver)
    started = time.monotonic()
    failure = only(read_all("http://slow-resolver.example/a.txt", options=IngestOptions(fetch_timeout=1.0)))
    assert time.monotonic() - started < 3
    assert isinstance(failure, InputFailure)
    assert "no answer within 1 seconds" in failure.reason
