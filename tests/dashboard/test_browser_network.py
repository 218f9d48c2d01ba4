"""The Network page in a real browser: names that never overlap, hiding states, named communities, search, table."""

from __future__ import annotations

import itertools

from analysis import views
from analysis.filters import Options, ViewState

from .browser import NETWORK_NODES, query_of, wait_for_charts

# The drawn box of every label text of the network chart, in page pixels.
LABEL_BOXES = """() => [...document.querySelectorAll('.js-plotly-plot .textpoint text')]
  .filter(t => t.textContent.trim())
  .map(t => { const b = t.getBoundingClientRect();
              return {text: t.textContent, bold: getComputedStyle(t).fontWeight >= 600 ||
                        !!t.querySelector('tspan[style*="bold"]'),
                      x0: b.left, y0: b.top, x1: b.right, y1: b.bottom}; })"""
# The ring drawn around the searched actor, in page pixels.
RING = """() => {
  const g = document.querySelector('.js-plotly-plot'), box = g.getBoundingClientRect();
  const xa = g._fullLayout.xaxis, ya = g._fullLayout.yaxis;
  const i = g._fullData.findIndex(t => t.meta === 'find');
  if (i < 0) return null;
  const c = g.calcdata[i][0];
  return {x: box.left + xa._offset + xa.c2p(c.x), y: box.top + ya._offset + ya.c2p(c.y)};
}"""
LEGEND = "() => [...document.querySelectorAll('.js-plotly-plot .legendtext')].map(t => t.textContent)"
HIGHLIGHTED_LINKS = """(colour) => {
  const g = document.querySelector('.js-plotly-plot');
  const t = g._fullData.find(t => t.mode === 'lines' && t.line.color === colour);
  return t ? t.x.filter(v => v === null || Number.isNaN(v)).length : 0;
}"""


def overlaps(boxes: list[dict]) -> list[tuple[str, str]]:
    """Pairs of drawn labels whose boxes overlap by more than a pixel each way."""
    return [
        (a["text"], b["text"])
        for a, b in itertools.combinations(boxes, 2)
        if min(a["x1"], b["x1"]) - max(a["x0"], b["x0"]) > 1 and min(a["y1"], b["y1"]) - max(a["y0"], b["y0"]) > 1
    ]


def test_drawn_network_labels_do_not_overlap(server, page, dataset):
    page.goto(f"{server}/network")
    wait_for_charts(page, 1)
    boxes = page.evaluate(LABEL_BOXES)
    assert len(boxes) >= 20, "most actors keep their names on the chart"
    assert not overlaps(boxes)
    names = {b["text"] for b in boxes}
    top = views.network_view(dataset, ViewState()).nodes.nlargest(5, "mentions")["name"]
    assert set(top) <= names


def test_hiding_countries_removes_every_country_node(server, page, dataset):
    page.goto(f"{server}/network")
    wait_for_charts(page, 1)
    before = {n["id"] for n in page.evaluate(NETWORK_NODES)}
    assert any(i.startswith("country:") for i in before)
    page.get_by_role("button", name="Countries", exact=True).click()
    page.wait_for_url(lambda url: query_of(url).get("hide") == ["countries"])
    page.wait_for_function(
        "() => { const g = document.querySelector('.js-plotly-plot'); return g && g._fullData && "
        "!g._fullData.some(t => t.customdata && t.customdata.some(c => String(c[0]).startsWith('country:'))); }"
    )
    after = {n["id"] for n in page.evaluate(NETWORK_NODES)}
    types = dict(zip(dataset.entities["entity_id"], dataset.entities["type"]))
    assert after and not any(i.startswith("country:") or types[i] == "GPE" for i in after)
    assert not overlaps(page.evaluate(LABEL_BOXES))


def test_community_legend_names_communities_by_their_members(server, page, dataset):
    page.goto(f"{server}/network?colour=community")
    wait_for_charts(page, 1)
    legend = page.evaluate(LEGEND)
    view = views.network_view(dataset, ViewState(options=Options(colour="community")))
    assert legend == list(view.communities)
    names = set(view.nodes["name"])
    named = [entry for entry in legend if entry != "other"]
    assert len(named) >= 2
    for entry in named:
        assert set(entry.split(" · ")) <= names and len(entry.split(" · ")) == 3


def test_find_in_the_link_rings_the_actor_and_bolds_its_name(server, page, dataset):
    whole = views.network_view(dataset, ViewState())
    target = whole.nodes.iloc[len(whole.nodes) // 3]
    page.goto(f"{server}/network?find={target['entity_id']}")
    wait_for_charts(page, 1)
    ring = page.evaluate(RING)
    node = next(n for n in page.evaluate(NETWORK_NODES) if n["id"] == target["entity_id"])
    assert ring and abs(ring["x"] - node["x"]) < 1 and abs(ring["y"] - node["y"]) < 1
    bold = [b["text"] for b in page.evaluate(LABEL_BOXES) if b["bold"]]
    assert bold == [target["name"]]
    links = views.network_view(dataset, ViewState(options=Options(find=target["entity_id"]))).edges["found"].sum()
    assert page.evaluate(HIGHLIGHTED_LINKS, "#f59e0b") == links > 0


def test_clicking_a_table_row_focuses_its_actor(server, page, dataset):
    page.goto(f"{server}/network")
    wait_for_charts(page, 1)
    first = views.network_view(dataset, ViewState()).nodes["entity_id"].iat[0]
    table = page.get_by_test_id("stDataFrame").first
    table.scroll_into_view_if_needed()
    box = table.bounding_box()
    # The grid is drawn on a canvas: the first column of each row is its selection box, rows below a header.
    page.mouse.click(box["x"] + 16, box["y"] + 35 + 17)
    page.wait_for_url(lambda url: query_of(url).get("focus") == [first])
    page.get_by_role("heading", name="Sentences naming").first.wait_for()
