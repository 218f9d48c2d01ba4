"""Seven everyday questions of an analyst, answered in Chromium in five actions or fewer each.

An action is what a person does: open a link, click, or type an entry and press Enter. Each question ends
by checking the answer against the data step or the stored tables, so a view that draws the wrong rows fails.
"""

from __future__ import annotations

import datetime as dt
import re
import shutil
from pathlib import Path
from urllib.parse import quote

import pandas as pd
import pytest

from analysis import views
from analysis.filters import Filters, ViewState

from .browser import query_of, serve, wait_for_charts

MOST_ACTIONS = 5
ROW = 35  # Streamlit's dataframe header and row height, in pixels
PLOTTED_IDS = """() => {
  const ids = [];
  document.querySelectorAll('.js-plotly-plot').forEach(g => g._fullData.forEach(t => {
    if (t.customdata) for (const c of t.customdata) if (Array.isArray(c) && typeof c[0] === 'string') ids.push(c[0]);
  }));
  return ids;
}"""


class Analyst:
    """A person at the dashboard; counts what they do."""

    def __init__(self, page, server: str) -> None:
        self.page, self.server, self.actions = page, server, 0

    def open(self, path: str) -> None:
        """Open a link (typed, pasted or bookmarked)."""
        self.actions += 1
        self.page.goto(f"{self.server}/{path}")

    def click(self, locator) -> None:
        """Click something on the page."""
        self.actions += 1
        locator.click()

    def click_row(self, grid, row: int) -> None:
        """Tick a row of a table (row 0 is the first under the header)."""
        self.actions += 1
        grid.wait_for()
        box = grid.bounding_box()
        self.page.mouse.click(box["x"] + 16, box["y"] + ROW * (row + 1) + ROW / 2)

    def enter(self, box, text: str, menu: bool = True) -> None:
        """Type into a box and press Enter; in a picker, once its menu shows what the text matches (a busy
        browser draws the menu a moment after the typing, and Enter before that picks nothing)."""
        self.actions += 1
        box.evaluate("e => e.scrollIntoView({block: 'center'})")  # a menu at the window's bottom edge stays shut
        box.click()
        box.fill(text)
        if menu:
            self.page.get_by_role("option").first.wait_for()
        box.press("Enter")

    def date(self, field, *days: str) -> None:
        """Type a date, or the two ends of a range, into a date field (digits only), and leave the field."""
        self.actions += 1
        field.evaluate("e => e.scrollIntoView({block: 'center'})")
        for index, digits in enumerate(days):
            field.get_by_role("spinbutton").nth(3 * index).click()  # year, month, day per date
            self.page.keyboard.type(digits)
        for _ in range(2):  # past the calendar button: the field takes the value when focus leaves it
            self.page.keyboard.press("Tab")

    def picker(self, label: str):
        """The text box of a sidebar picker."""
        return self.page.get_by_test_id("stSidebar").get_by_test_id("stMultiSelect").filter(has_text=label).locator(
            "input"
        )

    def sidebar_link(self, title: str):
        """A page link in the sidebar."""
        return self.page.get_by_test_id("stSidebar").get_by_test_id("stPageLink-NavLink").filter(has_text=title)


@pytest.fixture
def analyst(page, server):
    """A person with a fresh tab, checked for the number of actions after the question."""
    person = Analyst(page, server)
    yield person
    assert person.actions <= MOST_ACTIONS


@pytest.fixture(scope="module")
def vocabulary(dataset):
    """Names → ids of the session dataset."""
    return views.vocabulary(dataset)


def test_when_did_shoigu_visit_pyongyang_and_what_is_the_source_sentence(analyst, vocabulary):
    shoigu = vocabulary.actor_names.get("sergei shoigu")
    if shoigu is None:
        pytest.skip("Shoigu is not in this dataset")
    analyst.open("")
    analyst.enter(analyst.picker("Actors"), "Shoigu")
    analyst.page.wait_for_url(lambda url: query_of(url).get("actor") == [shoigu])
    analyst.click(analyst.sidebar_link("Evidence"))
    analyst.enter(analyst.page.get_by_label("Search every sentence, title and name"), "Pyongyang", menu=False)
    analyst.page.wait_for_url(lambda url: query_of(url).get("q") == ["Pyongyang"])
    analyst.click_row(analyst.page.get_by_test_id("stDataFrame").first, 0)
    analyst.page.wait_for_url(lambda url: "event" in query_of(url))
    sentence = analyst.page.locator("mark.event-sentence")
    sentence.wait_for()
    assert "Pyongyang" in sentence.inner_text() or "Pyongyang" in analyst.page.get_by_test_id("stMain").inner_text()
    panel = analyst.page.get_by_text("Selected event").locator("xpath=ancestor::*[@data-testid='stVerticalBlock'][1]")
    assert re.search(r"\b20\d\d-\d\d", panel.inner_text())  # the date it happened


def test_everything_on_kim_jong_un_in_2024_as_a_link_to_send(analyst, vocabulary):
    kim = vocabulary.actor_names["kim jong un"]
    analyst.open("")
    analyst.enter(analyst.picker("Actors"), "Kim Jong Un")
    analyst.page.wait_for_url(lambda url: query_of(url).get("actor") == [kim])
    dates = analyst.page.get_by_test_id("stSidebar").get_by_test_id("stDateInput")
    analyst.date(dates, "20240101", "20241231")
    analyst.page.wait_for_url(lambda url: query_of(url).get("to") == ["2024-12-31"])
    analyst.click(analyst.page.get_by_test_id("stPopoverButton").filter(has_text="Share this view"))
    link = analyst.page.get_by_test_id("stCode").inner_text()
    assert query_of(link.strip()) == {"actor": [kim], "from": ["2024-01-01"], "to": ["2024-12-31"]}


def test_what_happened_in_vladivostok(analyst, dataset, vocabulary):
    vladivostok = vocabulary.place_names.get("vladivostok")
    if vladivostok is None:
        pytest.skip("Vladivostok is not in this dataset")
    analyst.open("map")
    wait_for_charts(analyst.page, 1)
    analyst.enter(analyst.picker("Places"), "Vladivostok")
    analyst.page.wait_for_url(lambda url: query_of(url).get("place") == [vladivostok])
    table = views.map_view(dataset, ViewState(Filters(places=(vladivostok,)))).table
    row = list(table["entity_id"]).index(vladivostok)
    assert row < 7  # on the first screen of the ranked table, where the analyst sees it
    wait_for_charts(analyst.page, 1)
    analyst.click_row(analyst.page.get_by_test_id("stDataFrame").first, row)
    analyst.page.wait_for_url(lambda url: query_of(url).get("pin") == [vladivostok])
    expected = views.map_view(dataset, ViewState(Filters(places=(vladivostok,)), views.Options(pin=vladivostok)))
    analyst.page.get_by_text(f"Vladivostok** · {expected.events_total} events".replace("**", "")).first.wait_for()
    if expected.events_total:
        analyst.page.get_by_text("Events (newest first").first.wait_for()


def test_who_is_central(analyst, dataset):
    analyst.open("network")
    wait_for_charts(analyst.page, 1)
    nodes = views.network_view(dataset, ViewState()).nodes
    grid = analyst.page.get_by_test_id("stDataFrame").last
    grid.scroll_into_view_if_needed()
    analyst.click_row(grid, 0)
    most_central = nodes.sort_values(["betweenness", "degree"], ascending=False)["entity_id"].iat[0]
    analyst.page.wait_for_url(lambda url: query_of(url).get("focus") == [most_central])
    name = nodes.set_index("entity_id").at[most_central, "name"]
    analyst.page.get_by_role("heading", name=f"Sentences naming {name}").wait_for()


def test_walk_me_through_2019_to_2025(analyst, dataset):
    analyst.open("timeline")
    wait_for_charts(analyst.page, 2)
    # One date at a time: the first one reruns the page, and digits typed into the second meanwhile are lost.
    analyst.date(analyst.page.get_by_test_id("stDateInput").filter(has_text="Show from"), "20190101")
    analyst.page.wait_for_url(lambda url: query_of(url).get("zoom_from") == ["2019-01-01"])
    analyst.date(analyst.page.get_by_test_id("stDateInput").filter(has_text="Show to"), "20250630")
    analyst.page.wait_for_url(
        lambda url: query_of(url).get("zoom_from") == ["2019-01-01"] and query_of(url).get("zoom_to") == ["2025-06-30"]
    )
    wait_for_charts(analyst.page, 2)
    shown = analyst.page.evaluate(
        "() => document.querySelector('.js-plotly-plot')._fullLayout.xaxis2.range.map(v => String(v).slice(0, 10))"
    )
    assert shown[0] <= "2019-01-01" and shown[1] >= "2025-06-30"
    milestones = [label for day, label in views.load_milestones() if "2019" <= str(day) <= "2025-06-30"]
    lane = analyst.page.locator(".js-plotly-plot").first.inner_text()
    assert milestones and sum(label[:12] in lane for label in milestones) >= min(3, len(milestones))


def test_add_this_article(browser, dataset_dir, tmp_path):
    data = tmp_path / "data"
    shutil.copytree(dataset_dir, data)  # the Add page writes: never into the session's shared dataset
    with serve(data_dir=data) as base:
        context = browser.new_context(viewport={"width": 1400, "height": 1000})
        analyst = Analyst(context.new_page(), base)
        analyst.open("add")
        analyst.click(analyst.page.get_by_role("tab", name="Paste text"))
        analyst.actions += 1  # pasting the article
        analyst.page.get_by_label("Article text").fill(
            "Ternate port reopens after storm\n\nTERNATE, 3 March 2025 - The harbour master of Ternate, Rudi "
            "Hasanuddin, said on Monday that the port had reopened for passenger ferries after the storm."
        )
        analyst.click(analyst.page.locator(".st-key-add_run button"))
        analyst.page.get_by_test_id("stAlert").filter(has_text="Added 1 article").wait_for(timeout=60_000)
        context.close()
    assert analyst.actions <= MOST_ACTIONS
    added = pd.read_parquet(Path(data) / "articles")
    assert added["title"].str.contains("Ternate port reopens").any()


def test_a_link_typed_by_hand(analyst, dataset, dataset_dir):
    analyst.open(f"timeline?actor={quote('Kim Jong Un')}&from=2024&to=2024")
    kim = views.vocabulary(dataset).actor_names["kim jong un"]
    analyst.page.wait_for_url(lambda url: query_of(url).get("actor") == [kim])
    wait_for_charts(analyst.page, 2)
    assert analyst.page.get_by_text("not in this dataset").count() == 0
    state = ViewState(Filters(actors=(kim,), date_from=dt.date(2024, 1, 1), date_to=dt.date(2024, 12, 31)))
    expected = set(views.timeline_view(dataset, state).events["event_id"])
    plotted = set(analyst.page.evaluate(PLOTTED_IDS)) - {m for _, m in views.load_milestones()}
    assert expected and plotted >= expected
    # Kim's events are those he takes part in, not every event of a sentence that names him.
    events = pd.read_parquet(dataset_dir / "events").set_index("event_id")
    drawn = events.loc[sorted(plotted & set(events.index))]
    assert len(drawn) and ((drawn["source_id"] == kim) | (drawn["target_id"] == kim)).all()
