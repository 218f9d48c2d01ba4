"""The command line: extract a mixed batch, report what happened, never lose stored tables; stats."""

from __future__ import annotations

import io
import json
import socket
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pandas as pd
import pytest

from analysis.cli import main
from analysis import store
from analysis.store import load_tables

STORY_ID = (Path(__file__).resolve().parent / "resources" / "stories" / "astana.md").read_text(encoding="utf-8")
STORY_EN = """Ulaanbaatar port plan stalls
June 3, 2024
ULAANBAATAR - Mongolia's transport ministry said on Friday it would ask China for help with a new dry port \
near Zamyn-Uud. Deputy Minister Tsogt Bat-Erdene told reporters the plan was delayed.
"""


def closed_port() -> int:
    """A port on 127.0.0.1 with nothing listening."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def write_batch(folder: Path) -> None:
    """A folder with good articles and every kind of bad input."""
    folder.mkdir()
    (folder / "good.md").write_text(STORY_ID, encoding="utf-8")
    (folder / "plain.txt").write_text(STORY_EN, encoding="utf-8")
    (folder / "picture.txt").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)))
    (folder / "empty.txt").write_text("   \n", encoding="utf-8")
    (folder / "feed.jsonl").write_text('{"title": "ok", "text": "Peru sent aid to Bolivia on Monday.", '
                                       '"published": "2024-06-19", "language": "en"}\n{"title": broken\n',
                                       encoding="utf-8")


def run(argv: list[str], capsys: pytest.CaptureFixture) -> tuple[int, str, str]:
    """Run the CLI and capture its output."""
    code = main(argv)
    out = capsys.readouterr()
    return code, out.out, out.err


def test_cli_extracts_a_mixed_batch_and_names_every_failure(tmp_path: Path, capsys):
    batch = tmp_path / "batch"
    write_batch(batch)
    url = f"http://127.0.0.1:{closed_port()}/story.html"
    code, out, _ = run(["extract", str(batch), url, "--out", str(tmp_path / "ds"), "--quiet", "--timeout", "2"],
                       capsys)
    assert code == 0
    assert "read 3, added 3, duplicates skipped 0, failed 4" in out
    assert "picture.txt" in out and "not a text file" in out
    assert "empty.txt" in out and "empty" in out
    assert "feed.jsonl:2" in out
    failure_lines = [line for line in out.splitlines() if line.startswith("  failed:")]
    assert len(failure_lines) == 4
    for named in (str(batch / "picture.txt"), str(batch / "empty.txt"), str(batch / "feed.jsonl:2"), url):
        [line] = [line for line in failure_lines if named in line]
        assert line.count(named) == 1, line  # each input is named once
    assert "could not fetch" in out and url in out
    tables = load_tables(tmp_path / "ds")
    assert len(tables.articles) == 3 and set(tables.articles["language"]) == {"id", "en"}
    assert {"Batmunkh Battsetseg", "Kazakhstan", "Tsogt Bat-Erdene"} <= set(tables.entities["name"])


def test_cli_second_run_skips_duplicates_and_a_bad_batch_leaves_tables_untouched(tmp_path: Path, capsys):
    batch = tmp_path / "batch"
    write_batch(batch)
    out_dir = tmp_path / "ds"
    run(["extract", str(batch / "good.md"), "--out", str(out_dir), "--quiet"], capsys)
    before = {p: p.read_bytes() for p in out_dir.rglob("*.parquet")}
    assert len(before) == 4
    code, out, _ = run(["extract", str(batch / "good.md"), "--out", str(out_dir), "--quiet"], capsys)
    assert code == 0 and "added 0, duplicates skipped 1" in out
    code, out, _ = run(["extract", str(batch / "picture.txt"), str(batch / "empty.txt"), "--out", str(out_dir)],
                       capsys)
    assert code == 1 and "read 0" in out
    assert {p: p.read_bytes() for p in out_dir.rglob("*.parquet")} == before


def test_cli_reads_stdin_and_writes_csv(tmp_path: Path, capsys, monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setattr("sys.stdin", io.StringIO(STORY_EN))
    code, out, _ = run(["extract", "-", "--out", str(tmp_path / "ds"), "--format", "csv", "--quiet"], capsys)
    assert code == 0 and "added 1" in out
    assert (tmp_path / "ds" / "events.csv").exists()
    articles = pd.read_csv(tmp_path / "ds" / "articles.csv")
    assert articles.loc[0, "published"] == "2024-06-03" and articles.loc[0, "title"] == "Ulaanbaatar port plan stalls"


def test_cli_a_local_dask_cluster_gives_the_same_tables_as_one_process(tmp_path: Path, capsys):
    corpus = Path(__file__).resolve().parents[1] / "data" / "corpus" / "en"
    files = sorted(str(p) for p in corpus.glob("*.md"))[:8]
    run(["extract", *files, "--out", str(tmp_path / "one"), "--quiet"], capsys)
    run(["extract", *files, "--out", str(tmp_path / "two"), "--dask", "2", "--batch-size", "2", "--quiet"], capsys)
    one, two = load_tables(tmp_path / "one"), load_tables(tmp_path / "two")
    for name in ("articles", "entities", "mentions", "events"):
        a, b = getattr(one, name), getattr(two, name)
        key = store.KEYS[name]
        pd.testing.assert_frame_equal(a.sort_values(key).reset_index(drop=True),
                                      b.sort_values(key).reset_index(drop=True))


def test_cli_stats_prints_counts(tmp_path: Path, capsys):
    batch = tmp_path / "batch"
    write_batch(batch)
    run(["extract", str(batch), "--out", str(tmp_path / "ds"), "--quiet"], capsys)
    code, out, _ = run(["stats", str(tmp_path / "ds"), "--json"], capsys)
    counts = json.loads(out)
    assert code == 0 and counts["rows"]["articles"] == 3
    assert counts["articles_by_language"] == {"id": 1, "en": 2}
    code, _, err = run(["stats", str(tmp_path / "missing")], capsys)
    assert code == 1 and "no such dataset folder" in err


def test_cli_compact_merges_the_parts_of_many_runs_and_stats_count_the_same(tmp_path: Path, capsys):
    corpus = Path(__file__).resolve().parents[1] / "data" / "corpus" / "id"
    files = sorted(str(p) for p in corpus.glob("*.md"))[:6]
    for start in range(0, 6, 2):  # three runs: three parts per table
        run(["extract", *files[start:start + 2], "--out", str(tmp_path / "ds"), "--quiet"], capsys)
    _, out, _ = run(["stats", str(tmp_path / "ds"), "--json"], capsys)
    before = json.loads(out)
    assert before["parts"]["articles"] == 3
    whole = store.describe(load_tables(tmp_path / "ds"))
    assert {key: before[key] for key in whole} == json.loads(json.dumps(whole))
    code, out, _ = run(["compact", str(tmp_path / "ds")], capsys)
    assert code == 0 and "merged into 4" in out
    _, out, _ = run(["stats", str(tmp_path / "ds"), "--json"], capsys)
    after = json.loads(out)
    assert after["parts"] == {"articles": 1, "entities": 1, "mentions": 1, "events": 1}
    assert {key: after[key] for key in whole} == {key: before[key] for key in whole}
    code, _, err = run(["compact", str(tmp_path / "missing")], capsys)
    assert code == 1 and "no such dataset folder" in err


class _Nominatim(BaseHTTPRequestHandler):
    """A stand-in for Nominatim's /search that knows two places."""

    known = {"Astana": ("51.1694", "71.4491", "kz"), "Kazakhstan": ("48.0196", "66.9237", "kz")}

    def do_GET(self) -> None:  # noqa: N802 (http.server's name)
        from urllib.parse import parse_qs, urlparse

        query = parse_qs(urlparse(self.path).query).get("q", [""])[0]
        hit = self.known.get(query)
        body = json.dumps([{"lat": hit[0], "lon": hit[1], "display_name": query,
                            "address": {"country_code": hit[2]}}] if hit else []).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args) -> None:
        """Quiet."""


def test_cli_nominatim_geocoder_locates_places_through_geopy(tmp_path: Path, capsys, monkeypatch):
    monkeypatch.setenv("NEWSINT_CACHE", str(tmp_path / "cache"))
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Nominatim)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        story = tmp_path / "story.md"
        story.write_text(STORY_ID, encoding="utf-8")
        code, out, _ = run(["extract", str(story), "--out", str(tmp_path / "ds"), "--quiet", "--geocoder", "nominatim",
                            "--nominatim-domain", f"127.0.0.1:{server.server_port}", "--nominatim-scheme", "http",
                            "--nominatim-delay", "0"], capsys)
    finally:
        server.shutdown()
    assert code == 0
    entities = load_tables(tmp_path / "ds").entities.set_index("name")
    assert entities.loc["Astana", "geocoder"] == "nominatim"
    assert entities.loc["Astana", "lat"] == pytest.approx(51.1694)


def test_cli_unreachable_nominatim_is_a_clear_error_and_writes_nothing(tmp_path: Path, capsys, monkeypatch):
    monkeypatch.setenv("NEWSINT_CACHE", str(tmp_path / "cache"))
    story = tmp_path / "story.md"
    story.write_text(STORY_ID, encoding="utf-8")
    code, _, err = run(["extract", str(story), "--out", str(tmp_path / "ds"), "--quiet", "--geocoder", "nominatim",
                        "--nominatim-domain", f"127.0.0.1:{closed_port()}", "--nominatim-scheme", "http",
                        "--nominatim-delay", "0"], capsys)
    assert code == 1
    assert "Nominatim" in err and "--geocoder gazetteer" in err and "nothing was written" in err
    assert not store.has_tables(tmp_path / "ds")
