"""The dashboard in a real browser: shared links, filters in the URL, and clicks that lead to the evidence.

`streamlit run` serves the app on 127.0.0.1 and Playwright drives Debian's Chromium headless.
"""

from __future__ import annotations

import re

import pytest

from analysis import views
from analysis.filters import Filters, ViewState

from .browser import NETWORK_NODES, pick_option, query_of, wait_for_charts

# Pixel positions of the drawn points of every trace carrying an id, relative to the page.
MAP_POINTS = """() => {
  const g = document.querySelector('.js-plotly-plot');
  const map = g._fullLayout.map._subplot.map, box = map.getCanvas().getBoundingClientRect();
  const out = [];
  g.calcdata.forEach((trace, i) => trace.forEach((c, j) => {
    const ids = g._fullData[i].customdata;
    if (!c.lonlat || !ids) return;
    const p = map.project(c.lonlat);
    out.push({id: ids[j][0], x: box.left + p.x, y: box.top + p.y});
  }));
  return out;
}"""
CHART_IDS = """() => {
  const g = document.querySelector('.js-plotly-plot'), ids = [];
  g._fullData.forEach(t => {
    if (t.customdata) for (let j = 0; j < t.customdata.length; j++) ids.push(t.customdata[j][0]);
  });
  return ids;
}"""


@pytest.fixture(scope="module")
def link(dataset):
    """A shared view: the most named actor, every language present."""
    choices = views.choices(dataset)
    actor = next(iter(choices.actors))
    return {"actor": actor, "state": ViewState(Filters(actors=(actor,))), "query": f"actor={actor}"}


def isolated(points: list[dict]) -> dict:
    """The point farthest from any other, so a click cannot land on a neighbour."""

    def gap(p):
        return min(((p["x"] - q["x"]) ** 2 + (p["y"] - q["y"]) ** 2 for q in points if q is not p), default=1e9)

    return max(points, key=gap)


def test_shared_links_draw_each_page_with_the_filtered_data(server, page, dataset, link):
    expected_map = views.map_view(dataset, link["state"]).points
    page.goto(f"{server}/map?{link['query']}")
    wait_for_charts(page, 1)
    assert sorted(page.evaluate(CHART_IDS)) == sorted(expected_map["entity_id"])

    expected_network = views.network_view(dataset, link["state"]).nodes
    page.goto(f"{server}/network?{link['query']}")
    wait_for_charts(page, 1)
    assert sorted(page.evaluate(CHART_IDS)) == sorted(expected_network["entity_id"])

    expected_timeline = views.timeline_view(dataset, link["state"]).events
    page.goto(f"{server}/timeline?{link['query']}")
    wait_for_charts(page, 2)
    assert sorted(page.evaluate(CHART_IDS)) == sorted(expected_timeline["event_id"])

    expected_overview = views.overview_view(dataset, link["state"]).totals
    page.goto(f"{server}/?{link['query']}")
    wait_for_charts(page, 4)
    articles = page.get_by_test_id("stMetric").filter(has_text="Articles").get_by_test_id("stMetricValue")
    assert articles.inner_text().replace(",", "") == str(expected_overview["articles"])

    expected_evidence = views.evidence_view(dataset, link["state"])
    page.goto(f"{server}/evidence?{link['query']}")
    shown = f"{expected_evidence.events_total:,} of {expected_evidence.events_filtered:,} events"
    page.get_by_text(shown).first.wait_for()
    assert query_of(page.url) == {"actor": [link["state"].filters.actors[0]]}


def test_changing_a_filter_changes_the_url_and_survives_page_switches(server, page, dataset, link):
    language = views.choices(dataset).languages[0]
    page.goto(f"{server}/?{link['query']}")
    wait_for_charts(page, 4)
    picker = page.get_by_test_id("stSidebar").get_by_test_id("stMultiSelect").filter(has_text="Language")
    pick_option(page, picker.locator("input"), language)
    page.wait_for_url(lambda url: query_of(url).get("lang") == [language])
    assert query_of(page.url) == {"actor": [link["state"].filters.actors[0]], "lang": [language]}
    page.get_by_test_id("stSidebar").get_by_test_id("stPageLink-NavLink").filter(has_text="Timeline").click()
    page.wait_for_url(re.compile(r"/timeline\?"))
    wait_for_charts(page, 2)
    assert query_of(page.url) == {"actor": [link["state"].filters.actors[0]], "lang": [language]}


def test_clicking_a_map_point_leads_to_its_sentences_and_evidence(server, page):
    page.goto(f"{server}/map")
    wait_for_charts(page, 1)
    target = isolated(page.evaluate(MAP_POINTS))
    page.mouse.click(target["x"], target["y"])
    page.wait_for_url(lambda url: query_of(url).get("pin") == [target["id"]])
    page.get_by_test_id("stPageLink-NavLink").filter(has_text="Read in Evidence").first.click()
    page.wait_for_url(re.compile(r"/evidence\?"))
    query = query_of(page.url)
    assert query["place"] == [target["id"]] and query["article"]
    page.get_by_test_id("stHtml").first.wait_for()
    assert page.locator("mark").count() > 0  # the article, entities highlighted


def test_clicking_a_network_node_narrows_to_it_and_leads_to_evidence(server, page):
    page.goto(f"{server}/network")
    wait_for_charts(page, 1)
    target = isolated(page.evaluate(NETWORK_NODES))
    page.mouse.click(target["x"], target["y"])
    page.wait_for_url(lambda url: query_of(url).get("focus") == [target["id"]])
    page.get_by_role("heading", name=re.compile("^Sentences naming")).wait_for()
    page.get_by_test_id("stPageLink-NavLink").filter(has_text="Read in Evidence").first.click()
    page.wait_for_url(re.compile(r"/evidence\?"))
    query = query_of(page.url)
    assert target["id"] in query["actor"] and query["article"]
    page.get_by_test_id("stHtml").first.wait_for()
