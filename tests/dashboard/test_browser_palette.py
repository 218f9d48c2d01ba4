"""One colour per country and language on every page, whatever the filters leave: screenshots compare.

`streamlit run` serves the app on 127.0.0.1 and Playwright drives Debian's Chromium headless.
"""

from __future__ import annotations

import pandas as pd
import pytest

from analysis import palette

from .browser import wait_for_charts

# Entity id → drawn colour, for every trace point carrying an id in customdata, over all charts of the page.
COLOURS_BY_ID = """() => {
  const out = {};
  document.querySelectorAll('.js-plotly-plot').forEach(g => g._fullData.forEach(t => {
    if (!t.customdata || !t.marker || t.marker.color === undefined) return;
    t.customdata.forEach((c, j) => {
      const id = Array.isArray(c) ? c[0] : c;
      const colour = Array.isArray(t.marker.color) ? t.marker.color[j] : t.marker.color;
      if (typeof id === 'string' && typeof colour === 'string' && !(id in out)) out[id] = colour.toLowerCase();
    });
  }));
  return out;
}"""
# Legend name → colour of bar traces (colour-by-category charts name one trace per category).
COLOURS_BY_TRACE = """() => {
  const out = {};
  document.querySelectorAll('.js-plotly-plot').forEach(g => g._fullData.forEach(t => {
    if (t.type === 'bar' && t.name && typeof t.marker.color === 'string') out[t.name] = t.marker.color.toLowerCase();
  }));
  return out;
}"""


@pytest.fixture(scope="module")
def tab(shared_context):
    """One tab, reused page after page."""
    tab = shared_context.new_page()
    yield tab
    tab.close()


@pytest.fixture(scope="module")
def entities(dataset_dir):
    """The entities table as stored."""
    return pd.read_parquet(dataset_dir / "entities")


def colours_on(tab, url: str, charts: int, script: str = COLOURS_BY_ID) -> dict[str, str]:
    """The colours drawn on a page once its charts are there."""
    tab.goto(url)
    wait_for_charts(tab, charts)
    return tab.evaluate(script)


def test_a_country_keeps_its_colour_on_every_page_and_filter(server, tab, entities, dataset):
    russia = palette.country_colour("RUS").lower()
    russian = set(entities.loc[entities["country"].eq("RUS"), "entity_id"])
    language = sorted(dataset.articles["language"].unique())[-1]
    for query in ("", f"?lang={language}"):
        drawn = {}
        drawn.update(colours_on(tab, f"{server}/map{query}", 1))
        drawn.update(colours_on(tab, f"{server}/network{query}", 1))
        seen = {e: c for e, c in drawn.items() if e in russian}
        assert seen, f"no Russian place or actor drawn{query}"
        assert set(seen.values()) == {russia}, (query, seen)
        bars = colours_on(tab, f"{server}/{query}", 4, COLOURS_BY_TRACE)
        name = dataset.entities.loc[dataset.entities["country"].eq("RUS"), "country_name"].iat[0]
        assert bars.get(name) == russia, (query, bars)


def test_a_language_keeps_its_colour_when_others_are_filtered_out(server, tab, dataset):
    languages = sorted(dataset.articles["language"].unique())
    if len(languages) < 2:
        pytest.skip("one language only")
    every = colours_on(tab, f"{server}/", 4, COLOURS_BY_TRACE)
    last = languages[-1]
    alone = colours_on(tab, f"{server}/?lang={last}", 4, COLOURS_BY_TRACE)
    assert alone[last] == every[last] == palette.colour_of("language", last).lower()
