"""Add articles in a real browser: a file uploaded on the Add page shows on the Map and in the Network at once.

`streamlit run` serves the app on 127.0.0.1 over a copy of the session dataset; Playwright drives Debian's
Chromium headless (see browser.py).
"""

from __future__ import annotations

import re
import shutil
import sys
from pathlib import Path

from analysis.store import load_tables

from .browser import pick_option, serve, wait_for_charts

# Invented people and company in a real city the bundled corpus never names.
PERSON, COMPANY, CITY = "Rahmat Wirasena", "Samudra Lestari Shipping", "Ternate"
ARTICLE = f"""---
title: {CITY} governor signs harbour deal with {COMPANY}
published: 2025-03-14
source: Sumatra Daily Ledger
language: en
---
{CITY} Governor {PERSON} signed a harbour agreement with {COMPANY} in {CITY} on Friday.
{PERSON} said {COMPANY} would also carry fish to Vladivostok under a deal with Russia.
"""
# The entity ids and hover names of every drawn trace of the page's first chart.
CHART_POINTS = """() => {
  const g = document.querySelector('.js-plotly-plot'), out = [];
  g._fullData.forEach(t => (t.customdata || []).forEach((c, j) =>
    out.push({id: c[0], name: Array.isArray(t.hovertext) ? String(t.hovertext[j]) : ''})));
  return out;
}"""


def sidebar_link(page, title: str):
    """The sidebar's navigation link to a page."""
    return page.get_by_test_id("stSidebar").get_by_test_id("stPageLink-NavLink").filter(has_text=title)


def test_uploaded_article_shows_on_the_map_and_in_the_network(dataset_dir: Path, tmp_path: Path, browser):
    assert not {PERSON, COMPANY, CITY} & set(load_tables(dataset_dir).entities["name"])  # new to the corpus
    data = tmp_path / "data"
    shutil.copytree(dataset_dir, data, ignore=shutil.ignore_patterns(".lock", ".query"))
    upload = tmp_path / "ternate-harbour.md"
    upload.write_text(ARTICLE, encoding="utf-8")

    with serve(data_dir=data) as base:
        context = browser.new_context(viewport={"width": 1400, "height": 1000})
        page = context.new_page()
        page.goto(f"{base}/add")
        page.get_by_test_id("stFileUploaderDropzoneInput").set_input_files(upload)
        page.get_by_test_id("stFileChipName").filter(has_text=upload.name).wait_for()
        # The chip shows a spinner until the file has reached the server: Add pressed before that adds nothing.
        page.get_by_test_id("stFileChipIconSpinner").wait_for(state="detached", timeout=60_000)
        page.locator(".st-key-add_run button").click()
        try:
            page.get_by_test_id("stAlert").filter(has_text="Added 1 article").wait_for(timeout=60_000)
        except Exception:
            print(f"the page says:\n{page.inner_text('body')[:3000]}", file=sys.stderr)
            raise

        entities = load_tables(data).entities.set_index("name")["entity_id"]
        city, person = entities[CITY], entities[PERSON]

        # Same session, no reload: the map already draws the new city.
        sidebar_link(page, "Map").click()
        page.wait_for_url(re.compile(r"/map"))
        wait_for_charts(page, 1)
        assert {"id": city, "name": CITY} in page.evaluate(CHART_POINTS)

        # The sidebar knows the new person; narrowed to them, the network draws and tabulates them.
        actors = page.get_by_test_id("stSidebar").get_by_test_id("stMultiSelect").filter(has_text="Actors")
        pick_option(page, actors, PERSON, typed=PERSON, exact=False)
        page.wait_for_url(lambda url: "actor=" in url)
        sidebar_link(page, "Network").click()
        page.wait_for_url(re.compile(r"/network\?"))
        wait_for_charts(page, 1)
        assert person in {point["id"] for point in page.evaluate(CHART_POINTS)}
        # The actors table is drawn on a canvas; its accessible table holds the cells' text.
        page.get_by_test_id("stDataFrame").locator("table").filter(has_text=PERSON).wait_for(state="attached")
        context.close()
