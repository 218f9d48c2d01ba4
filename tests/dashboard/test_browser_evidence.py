"""Evidence in a real browser: downloads carry every row, the search reaches the oldest sentences, and a
selected event lives in the URL with its sentence marked in the article."""

from __future__ import annotations

import io
import re
from urllib.parse import urlencode

import pandas as pd
import pytest
from playwright.sync_api import expect

from analysis import views
from analysis.filters import Options, ViewState

from .browser import query_of


@pytest.fixture(scope="module")
def old_event(dataset) -> dict:
    """The oldest event, with a search made of its sentence's two longest words; it is not among the newest 500."""
    events = dataset.events.sort_values("day", kind="stable")
    row = events.iloc[0]
    newest = views.evidence_view(dataset, ViewState(), limit=500).events["event_id"]
    assert row["event_id"] not in set(newest)  # what the old 500-row table could never show
    words = sorted(set(re.findall(r"\w{4,}", row["evidence"])), key=len)[-2:]
    return {"event_id": row["event_id"], "evidence": row["evidence"], "q": " ".join(words)}


def download(page, label: str) -> pd.DataFrame:
    """Click a download button and read the file it hands over."""
    with page.expect_download(timeout=60_000) as started:
        page.get_by_role("button", name=label).click()
    data = open(started.value.path(), "rb").read()
    return pd.read_parquet(io.BytesIO(data)) if label.endswith("Parquet") else pd.read_csv(io.BytesIO(data))


def test_downloads_hold_every_row_of_the_unfiltered_corpus(server, page, dataset_dir):
    page.goto(f"{server}/evidence")
    page.get_by_test_id("stDataFrame").first.wait_for()
    events = pd.read_parquet(dataset_dir / "events")
    for label in ("All events as CSV", "All events as Parquet"):
        frame = download(page, label)
        assert len(frame) == len(events) and set(frame["event_id"]) == set(events["event_id"])
    page.get_by_role("tab", name="Mentions").click()
    page.wait_for_url(lambda url: query_of(url).get("tab") == ["mentions"])
    mentions = pd.read_parquet(dataset_dir / "mentions")
    for label in ("All mentions as CSV", "All mentions as Parquet"):
        assert len(download(page, label)) == len(mentions)


def test_search_reaches_an_old_sentence_and_round_trips_in_the_url(server, page, dataset, old_event):
    expected = views.evidence_view(dataset, ViewState(options=Options(search=old_event["q"])))
    page.goto(f"{server}/evidence")
    box = page.get_by_label("Search every sentence, title and name")
    box.fill(old_event["q"])
    box.press("Enter")
    page.wait_for_url(lambda url: query_of(url).get("q") == [old_event["q"]])
    page.get_by_text(f"{expected.events_total:,} of {expected.events_filtered:,} events").first.wait_for()
    assert old_event["event_id"] in set(download(page, "All events as CSV")["event_id"])

    page.goto(f"{server}/evidence?{urlencode({'q': old_event['q']})}")  # the link someone shared
    page.get_by_text(f"{expected.events_total:,} of {expected.events_filtered:,} events").first.wait_for()
    expect(page.get_by_label("Search every sentence, title and name")).to_have_value(old_event["q"])
    assert query_of(page.url) == {"q": [old_event["q"]]}


def test_selecting_an_event_row_puts_it_in_the_url_and_marks_its_sentence(server, page, dataset, old_event):
    first = views.evidence_view(dataset, ViewState(options=Options(search=old_event["q"]))).events.iloc[0]
    page.goto(f"{server}/evidence?{urlencode({'q': old_event['q']})}")
    grid = page.get_by_test_id("stDataFrame").first
    grid.wait_for()
    box = grid.bounding_box()
    header, row = 35, 56  # Streamlit's header row, and the row height the page sets
    page.mouse.click(box["x"] + 18, box["y"] + header + row / 2)  # the first row's selection box
    page.wait_for_url(lambda url: query_of(url).get("event") == [first["event_id"]])
    mark = page.locator("mark.event-sentence")
    mark.wait_for()
    assert mark.inner_text() == first["evidence"]
    assert query_of(page.url)["article"] == [first["article_id"]]


def test_a_link_with_an_event_reopens_its_panel_and_sentence(server, page, old_event):
    page.goto(f"{server}/evidence?event={old_event['event_id']}")
    page.get_by_text("Selected event").wait_for()
    mark = page.locator("mark.event-sentence")
    mark.wait_for()
    assert mark.inner_text() == old_event["evidence"]
    # The page scrolls the sentence into view once the article is drawn: wait for that, do not race it.
    page.wait_for_function("m => m.getBoundingClientRect().top < window.innerHeight", arg=mark.element_handle())
