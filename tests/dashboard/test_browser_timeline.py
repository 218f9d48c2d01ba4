"""The Timeline in a real browser: the window it opens on, the window in the link, milestone labels,
marks that show how exactly a date is known, legends that fit and same-day events counted."""

from __future__ import annotations

import datetime as dt

from urllib.parse import parse_qs, urlparse

import pandas as pd
import pytest

from analysis import views
from analysis.filters import ViewState, read_partial_date
from analysis.views.timeline import shorten

from .browser import wait_for_charts
from .test_browser import isolated

CHART = ".st-key-timeline_chart .js-plotly-plot"
# True once the chart has drawn its labels for the plot's real width (the page learns it after the first draw).
SETTLED = f"""() => {{
  const g = document.querySelector('{CHART}');
  return !!(g && g._fullLayout && g.layout.meta && g._fullLayout.xaxis2 &&
    Math.abs(g.layout.meta.labels_px - g._fullLayout.xaxis2._length) <= 40);
}}"""
X_RANGE = f"() => document.querySelector('{CHART}')._fullLayout.xaxis2.range.map(String)"
# Screen boxes of the milestone labels drawn (annotations hidden outside the window are not in the DOM).
LABEL_BOXES = f"""() => [...document.querySelectorAll('{CHART} .infolayer .annotation')].map(a => {{
  const r = a.querySelector('.annotation-text').getBoundingClientRect();
  return {{text: a.textContent, left: r.left, right: r.right, top: r.top, bottom: r.bottom}};
}}).filter(b => b.right > b.left)"""
# Screen boxes of both legends and of the events plot area.
LAYOUT_BOXES = f"""() => {{
  const g = document.querySelector('{CHART}'), box = g.getBoundingClientRect();
  const xa = g._fullLayout.xaxis2, ya = g._fullLayout.yaxis2;
  const rect = r => ({{left: r.left, right: r.right, top: r.top, bottom: r.bottom}});
  const legends = [...g.querySelectorAll('.infolayer > g.legend, .infolayer > g.legend2')]
    .map(l => rect(l.querySelector('rect.bg').getBoundingClientRect()));
  const plot = {{left: box.left + xa._offset, right: box.left + xa._offset + xa._length,
    top: box.top + ya._offset, bottom: box.top + ya._offset + ya._length}};
  return {{legends, plot, chart: rect(box)}};
}}"""
# Screen positions of the event marks inside the visible window.
EVENT_POINTS = f"""() => {{
  const g = document.querySelector('{CHART}'), box = g.getBoundingClientRect();
  const xa = g._fullLayout.xaxis2, ya = g._fullLayout.yaxis2, out = [];
  g._fullData.forEach(t => {{
    if (t.customdata) t.x.forEach((x, j) => {{
      const px = xa.d2p(x);
      if (px >= 0 && px <= xa._length)
        out.push({{id: t.customdata[j][0], x: box.left + xa._offset + px, y: box.top + ya._offset + ya.d2p(t.y[j])}});
    }});
  }});
  return out;
}}"""
# Every event mark: its id, x, y, opacity and size, and the period bars drawn in the events plot.
MARKS = f"""() => {{
  const g = document.querySelector('{CHART}'), marks = [], bars = [], counts = [];
  g._fullData.forEach((t, i) => {{
    if (t.customdata) t.x.forEach((x, j) => marks.push({{id: t.customdata[j][0], x: String(x), y: t.y[j],
      opacity: t.opacity, size: t.marker.size, precision: t.meta && t.meta.precision}}));
    if (t.meta && t.meta.bars) for (let j = 0; j + 1 < t.x.length; j += 3)
      bars.push({{start: String(t.x[j]), end: String(t.x[j + 1]), y: t.y[j]}});
    if (t.meta && t.meta.stack_counts) t.x.forEach((x, j) => counts.push({{x: String(x), y: t.y[j], text: t.text[j]}}));
  }});
  return {{marks, bars, counts}};
}}"""


@pytest.fixture(scope="module")
def wide(shared_context, server):
    """The Timeline as a link without options opens it, on a wide screen."""
    tab = open_timeline(shared_context, server)
    yield tab
    tab.close()


@pytest.fixture(scope="module")
def narrow(shared_context, server):
    """The same on a narrow screen."""
    tab = open_timeline(shared_context, server, width=800)
    yield tab
    tab.close()


def open_timeline(context, server: str, query: str = "", width: int = 1400):
    """A fresh tab on the Timeline, once its chart has settled."""
    tab = context.new_page()
    tab.set_viewport_size({"width": width, "height": 1100})
    tab.goto(f"{server}/timeline{'?' + query if query else ''}")
    wait_for_charts(tab, 2)
    tab.wait_for_function(SETTLED, timeout=30_000)
    return tab


def day(text: str) -> pd.Timestamp:
    """A plotly date string as a timestamp."""
    return pd.Timestamp(text.replace(" ", "T"))


def overlaps(a: dict, b: dict) -> bool:
    """True when two screen boxes share any area."""
    return a["left"] < b["right"] and b["left"] < a["right"] and a["top"] < b["bottom"] and b["top"] < a["bottom"]


def test_timeline_opens_on_the_span_that_holds_most_events(wide, dataset):
    view = views.timeline_view(dataset, ViewState())
    start, end = (day(x) for x in wide.evaluate(X_RANGE))
    assert abs(start - view.window[0]) <= pd.Timedelta(days=1) and abs(end - view.window[1]) <= pd.Timedelta(days=1)
    main = (min(end, pd.Timestamp("2025-01-01")) - max(start, pd.Timestamp("2023-01-01"))) / (end - start)
    assert main > 0.5  # 2023–2024, where most events lie, gets most of the width
    assert start > view.events["x"].min()  # the outliers are left to the range slider


def test_month_dates_are_bars_over_their_month_and_fallback_dates_faded(wide, dataset):
    drawn = wide.evaluate(MARKS)
    marks = {m["id"]: m for m in drawn["marks"]}
    events = views.timeline_view(dataset, ViewState()).events.set_index("event_id")
    month = events[events["precision"] == "month"]
    exact = events[events["precision"] == "day"]
    fallback = events[events["precision"] == "article"]
    assert len(month) and len(exact) and len(fallback)
    for event_id, event in month.iterrows():
        mark = marks[event_id]
        assert day(mark["x"]).day > 1  # in the middle of its month, not on the 1st
        assert any(
            day(b["start"]) == event["start"] and day(b["end"]) == event["end"] and abs(b["y"] - mark["y"]) < 1e-9
            for b in drawn["bars"]
        )
    assert {marks[e]["precision"] for e in exact.index} == {"day"}
    assert max(marks[e]["opacity"] for e in fallback.index) < min(marks[e]["opacity"] for e in exact.index)
    assert max(marks[e]["size"] for e in fallback.index) < min(marks[e]["size"] for e in exact.index)


def test_events_of_one_day_in_one_row_show_their_count(wide, dataset):
    view = views.timeline_view(dataset, ViewState())
    events = view.events[(view.events["x"] >= view.window[0]) & (view.events["x"] <= view.window[1])]
    piles = events.groupby(["lane", "x"]).size()
    (lane, x), size = piles.idxmax(), int(piles.max())
    assert size >= 3
    counts = wide.evaluate(MARKS)["counts"]
    assert any(day(c["x"]) == x and c["y"] == lane and c["text"] == f"×{size}" for c in counts)
    assert wide.locator(f"{CHART} text", has_text=f"×{size}").count() >= 1


@pytest.mark.parametrize("screen", ["wide", "narrow"])
def test_milestone_labels_do_not_overlap(screen, request):
    labels = request.getfixturevalue(screen).evaluate(LABEL_BOXES)
    assert len(labels) >= (8 if screen == "wide" else 3)
    assert not [(a["text"], b["text"]) for i, a in enumerate(labels) for b in labels[i + 1 :] if overlaps(a, b)]


@pytest.mark.parametrize("screen", ["wide", "narrow"])
def test_legends_fit_beside_each_other_and_the_plot(screen, request):
    boxes = request.getfixturevalue(screen).evaluate(LAYOUT_BOXES)
    legends, plot, chart = boxes["legends"], boxes["plot"], boxes["chart"]
    assert len(legends) == 2
    assert not overlaps(legends[0], legends[1])
    assert not any(overlaps(legend, plot) for legend in legends)
    for legend in legends:  # nothing cut off by the chart's edges
        assert chart["left"] - 1 <= legend["left"] and legend["right"] <= chart["right"] + 1
        assert chart["top"] - 1 <= legend["top"] and legend["bottom"] <= chart["bottom"] + 1


def test_the_window_in_the_link_is_drawn_with_its_milestones_and_dragging_writes_it_back(shared_context, server):
    tab = open_timeline(shared_context, server, "zoom_from=2024-06&zoom_to=2024-12")
    start, end = (day(x) for x in tab.evaluate(X_RANGE))
    assert (start, end) == (pd.Timestamp("2024-06-01"), pd.Timestamp("2025-01-01"))
    labels = tab.evaluate(LABEL_BOXES)
    in_window = [m for d, m in views.load_milestones() if dt.date(2024, 6, 1) <= d.astype(dt.date) <= dt.date(2024, 12, 31)]
    assert len(labels) >= min(len(in_window), 4)
    assert not [(a["text"], b["text"]) for i, a in enumerate(labels) for b in labels[i + 1 :] if overlaps(a, b)]

    # Drag from mid-September to late November on the events plot: the chart zooms there and the link follows.
    points = tab.evaluate(
        f"""() => {{
      const g = document.querySelector('{CHART}'), box = g.getBoundingClientRect();
      const xa = g._fullLayout.xaxis2, ya = g._fullLayout.yaxis2;
      const x = d => box.left + xa._offset + xa.d2p(d);
      return {{y: box.top + ya._offset + ya._length / 2, a: x('2024-09-15'), b: x('2024-11-20')}};
    }}"""
    )
    tab.mouse.move(points["a"], points["y"])
    tab.mouse.down()
    tab.mouse.move((points["a"] + points["b"]) / 2, points["y"], steps=5)
    tab.mouse.move(points["b"], points["y"], steps=5)
    tab.mouse.up()
    tab.wait_for_url(lambda url: parse_qs(urlparse(url).query).get("zoom_from", ["2024-06-01"]) != ["2024-06-01"])
    query = parse_qs(urlparse(tab.url).query)
    zoom_from, zoom_to = read_partial_date(query["zoom_from"][0]), read_partial_date(query["zoom_to"][0])
    assert abs((zoom_from - dt.date(2024, 9, 15)).days) <= 3 and abs((zoom_to - dt.date(2024, 11, 20)).days) <= 3
    shown = tab.get_by_test_id("stDateInput").filter(has_text="Show from").locator("input")
    tab.wait_for_function(
        "([el, want]) => el.value.replaceAll('/', '-') === want", arg=[shown.element_handle(), zoom_from.isoformat()]
    )
    # The labels are laid out again for the new window: those of milestones inside it are drawn.
    tab.wait_for_function(SETTLED)
    inside = [m for d, m in views.load_milestones() if zoom_from <= d.astype(dt.date) <= zoom_to]
    drawn = " ".join(label["text"] for label in tab.evaluate(LABEL_BOXES))
    assert inside and all(shorten(m) in drawn for m in inside)
    tab.close()


def test_clicking_an_event_still_shows_its_evidence(wide):
    target = isolated(wide.evaluate(EVENT_POINTS))
    wide.mouse.click(target["x"], target["y"])
    wide.wait_for_url(lambda url: parse_qs(urlparse(url).query).get("event") == [target["id"]])
    wide.get_by_test_id("stPageLink-NavLink").filter(has_text="Open its evidence").wait_for()
