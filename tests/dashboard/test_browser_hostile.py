"""Hostile values in a real browser: a dataset made outside the engine, and link parameters a stranger wrote.

Titles, sources, URLs, sentences, languages, event types, modalities and names carry Markdown links and images,
headings, colour directives, LaTeX, HTML with scripts, a bare https:// address and a 100,000-character value.
Every page (and the notice about link parameters not understood) must show them as plain text: no link to the
address, no image fetched (a stand-in server on 127.0.0.1 counts requests), no heading, no script run, the long
value cut.
"""

from __future__ import annotations

import http.server
import threading
import time
import urllib.parse
from collections.abc import Iterator

import pytest

from analysis import synthetic

from .browser import serve

EVIL = "evil.example"
LINK = f"[Your session expired](https://{EVIL}/login)"
AUTOLINK = f"https://{EVIL}/login"
HEADING = "# big"
COLOUR = ":red[x]"
LATEX = "$x^2$"
SCRIPT = "<script>window.__pwned = 1</script>"
LONG = "L" * 100_000
SHOWN_AT_MOST = 60_000  # characters of page text: the long value, echoed whole, would pass it
# What a page exposes that a value from the data could have turned into: links, images, headings, a script's mark.
INSPECT = """(evil) => {
  // Tables (st.dataframe) show each cell as plain text on one clipped line: their hidden copy is not page text.
  const main = document.querySelector('[data-testid="stMain"]').cloneNode(true);
  main.querySelectorAll('[data-testid="stDataFrame"]').forEach(table => table.remove());
  return {
    links: [...document.querySelectorAll('a')].map(a => a.getAttribute('href') || a.getAttribute('xlink:href') || '')
      .filter(href => href.includes(evil)),
    images: [...document.querySelectorAll('img, image')].map(i => i.getAttribute('src') || i.getAttribute('href') || '')
      .filter(src => src.includes('127.0.0.1')),
    headings: [...document.querySelectorAll('h1')].map(h => h.textContent).filter(t => t.includes('big')),
    pwned: window.__pwned,
    text: main.textContent.replaceAll('\\u2060', ''),
  };
}"""


class Tracker(http.server.BaseHTTPRequestHandler):
    """The stand-in for a stranger's server: answers with an empty image and counts every request."""

    requests: list[str] = []

    def do_GET(self) -> None:
        """Count the request; answer 200 with nothing."""
        Tracker.requests.append(self.path)
        self.send_response(200)
        self.send_header("Content-Type", "image/png")
        self.send_header("Content-Length", "0")
        self.end_headers()

    def log_message(self, *args) -> None:
        """Quiet."""


@pytest.fixture(scope="module")
def tracker() -> Iterator[str]:
    """The stand-in server's base URL."""
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Tracker)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}"
    finally:
        server.shutdown()
        server.server_close()


def hostile_values(tracker: str) -> dict[str, str]:
    """The values planted in the dataset, by where they go."""
    image = f"![]({tracker}/track.png)"
    html_image = f"<img src={tracker}/html.png onerror='window.__pwned = 1'>"
    html_link = f"<a href='https://{EVIL}/login'>sign in</a>"
    return {
        "title": f"{HEADING} {LINK} {image} {COLOUR} {LATEX} {AUTOLINK}",
        "source": f"{html_image} {html_link} www.{EVIL}",
        "language": f"{HEADING} {LINK}",
        "type": f"{LINK} {SCRIPT}",
        "modality": f"{COLOUR} {LATEX} {image}",
        "evidence": f"{SCRIPT} {LINK} {html_image} {LATEX}",
        "actor": f"{HEADING} {html_link} {LINK} {html_image}",
        "place": f"{image} {AUTOLINK} {COLOUR}",
    }


@pytest.fixture(scope="module")
def hostile(tracker: str, tmp_path_factory: pytest.TempPathFactory) -> dict:
    """A dataset whose busiest article, its events, an actor and a place carry hostile values; another article's
    title and another actor's name are 100,000 characters long."""
    tables = synthetic.generate(40, seed=4, actors=list(synthetic.FALLBACK_ACTORS))
    values = hostile_values(tracker)
    articles, entities, events = tables.articles.copy(), tables.entities.copy(), tables.events.copy()
    busiest = events["article_id"].value_counts().index[0]
    row = articles.index[articles["article_id"] == busiest][0]
    articles.loc[row, ["title", "source", "language"]] = [values["title"], values["source"], values["language"]]
    articles.loc[row, "url"] = "javascript:window.__pwned = 1"
    articles.loc[row, "text"] += f" {values['evidence']}"
    articles.loc[row, "published"] = "2026-01-02"  # the newest: lists show it first
    other = articles.index[articles["article_id"] != busiest][0]
    articles.loc[other, ["title", "published"]] = [LONG, "2026-01-01"]
    mine = events["article_id"] == busiest
    events.loc[mine, ["type", "modality", "evidence"]] = [values["type"], values["modality"], values["evidence"]]
    events.loc[mine, "date"] = "2026-01-02"
    event = events[mine & events["source_id"].notna() & events["place_id"].notna()].iloc[0]
    entities.loc[entities["entity_id"] == event["source_id"], "name"] = values["actor"]
    entities.loc[entities["entity_id"] == event["place_id"], "name"] = values["place"]
    others = ~entities["entity_id"].isin([event["source_id"], event["place_id"]]) & (entities["type"] == "ORG")
    entities.loc[entities.index[others][0], "name"] = "K" * 100_000
    folder = tmp_path_factory.mktemp("hostile-pages")
    synthetic.write(synthetic.SyntheticTables(articles, entities, tables.mentions, events), folder)
    return {"folder": folder, "article": busiest, "event": event["event_id"], "actor": event["source_id"],
            "place": event["place_id"], "values": values}


def assert_plain(page, what: str, expected: list[str]) -> None:
    """Nothing the data or the link holds became a link, an image, a heading or a script; it shows as text."""
    found = page.evaluate(INSPECT, EVIL)
    waited_until = time.monotonic() + 60
    while not all(text in found["text"] for text in expected) and time.monotonic() < waited_until:
        page.wait_for_timeout(250)  # a busy server may still be drawing the page's lower parts
        found = page.evaluate(INSPECT, EVIL)
    assert found["links"] == [], (what, found["links"])
    assert found["images"] == [], (what, found["images"])
    assert found["headings"] == [], (what, found["headings"])
    assert found["pwned"] is None, what
    assert len(found["text"]) < SHOWN_AT_MOST, (what, len(found["text"]))
    for text in expected:
        assert text in found["text"], (what, text)


def visit(page, url: str, ready: str) -> None:
    """Open a page and wait until the text that says it has drawn what is tested shows."""
    page.goto(url)
    page.get_by_test_id("stMain").get_by_text(ready, exact=False).first.wait_for(timeout=60_000)
    page.wait_for_timeout(300)  # images a page would load are requested as it draws


def test_every_page_shows_hostile_values_as_plain_text(hostile: dict, tracker: str, browser):
    values = hostile["values"]
    Tracker.requests.clear()
    with serve(data_dir=hostile["folder"]) as base:
        context = browser.new_context(viewport={"width": 1400, "height": 1000})
        page = context.new_page()
        params = urllib.parse.urlencode({"actor": LINK, f"![]({tracker}/key.png)": "1", "type": LONG,
                                         "source": f"{HEADING} {SCRIPT}"})
        visit(page, f"{base}/?{params}", "were not understood")
        notice = page.get_by_test_id("stAlert").filter(has_text="were not understood").text_content()
        assert len(notice) < 2_000  # the 100,000-character value is cut
        assert_plain(page, "notice", [LINK, f"![]({tracker}/key.png)", "L" * 250 + "…"])

        visit(page, f"{base}/", "Articles by source")
        page.locator(".js-plotly-plot").nth(3).wait_for()
        # Chart labels are cut shorter than text: the source's first hundred characters show.
        assert_plain(page, "overview", [values["source"][:100], "[Your session expired](https"])

        visit(page, f"{base}/map?pin={hostile['place']}", "Sentences naming")
        assert_plain(page, "map", [values["place"], values["title"], values["modality"], values["language"]])

        visit(page, f"{base}/network?focus={hostile['actor']}", "Sentences naming")
        assert_plain(page, "network", [values["actor"], values["title"], values["source"]])

        # Rows by actor pair: rows by type list the engine's own types, and the planted type is not one of them.
        visit(page, f"{base}/timeline?y=pair&event={hostile['event']}", "Open its evidence")
        assert_plain(page, "timeline", [values["type"], values["modality"], values["title"]])

        visit(page, f"{base}/evidence?event={hostile['event']}&article={hostile['article']}", "Selected event")
        page.get_by_test_id("stHtml").first.wait_for()
        assert page.get_by_role("link", name="Original article").count() == 0  # its URL is javascript:
        assert_plain(page, "evidence", [values["type"], values["title"], values["source"], SCRIPT])

        visit(page, f"{base}/actor?actor={hostile['actor']}", "Sentences quoting")
        assert_plain(page, "profile", [values["actor"], values["title"], values["language"]])

        visit(page, f"{base}/add", "Articles added by analysts")
        assert_plain(page, "add", [values["title"], values["source"], "L" * 250 + "…"])
        context.close()
    assert Tracker.requests == []
