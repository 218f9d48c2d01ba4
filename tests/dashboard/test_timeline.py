"""The Timeline's data step on the real corpus dataset, and the page in AppTest: the window it opens on,
dates at their precision, same-day piles, milestone labels that fit, and the table of plotted events."""

from __future__ import annotations

import datetime as dt
from urllib.parse import parse_qs

import numpy as np
import pandas as pd
import pytest

from analysis import views
from analysis.filters import Filters, Options, ViewState, read_partial_date
from analysis.views.timeline import LABEL_CHAR_PX, densest_window, milestone_labels, shorten


@pytest.fixture(scope="module")
def view(dataset):
    """The Timeline of the whole corpus, as a link without options opens it."""
    return views.timeline_view(dataset, ViewState())


def share_between(window: tuple[pd.Timestamp, pd.Timestamp], first: str, last: str) -> float:
    """How much of a window's width the days from `first` to `last` take."""
    start, end = window
    return (min(end, pd.Timestamp(last)) - max(start, pd.Timestamp(first))) / (end - start)


def test_timeline_window_gives_the_busy_years_most_of_the_width(view):
    inside = view.events["x"].between(*view.window)
    assert view.window == view.data_window
    assert share_between(view.window, "2023-01-01", "2025-01-01") > 0.5
    assert inside.mean() >= 0.8  # it still holds most events
    assert view.extent[0] < view.window[0] and view.events["x"].min() < view.window[0]  # old outliers left out


def test_timeline_window_is_not_stretched_by_a_far_outlier():
    busy = np.arange(np.datetime64("2024-01-01"), np.datetime64("2024-07-01"))
    start, end = densest_window(np.concatenate([busy, [np.datetime64("1987-05-01"), np.datetime64("2028-01-01")]]))
    assert pd.Timestamp("2023-11-01") < start < pd.Timestamp("2024-01-01") < pd.Timestamp("2024-06-30") < end
    assert end < pd.Timestamp("2024-09-01")


def test_timeline_month_and_year_dates_span_their_period(view):
    events = view.events
    month, year = events[events["precision"] == "month"], events[events["precision"] == "year"]
    assert len(month) and len(year)
    assert (month["start"].dt.day == 1).all() and (month["end"] == month["start"] + pd.offsets.MonthBegin(1)).all()
    assert (year["start"].dt.day_of_year == 1).all() and (year["end"].dt.year == year["start"].dt.year + 1).all()
    assert ((events["x"] > events["start"]) | (events["precision"].isin(["day", "article"]))).all()
    assert (events["x"] < events["end"]).all()
    assert (month["when"] == month["start"].dt.strftime("%B %Y") + " (month known)").all()
    assert (year["when"] == year["start"].dt.strftime("%Y") + " (year known)").all()


def test_timeline_draws_an_event_on_its_own_date_not_its_article_date(view):
    dated = view.events[view.events["precision"].isin(["day", "month", "year"])]
    own = pd.to_datetime([read_partial_date(str(d)) for d in dated["date"]])
    assert (dated["start"].to_numpy() == own.to_numpy()).all()
    planned = dated[(dated["modality"] == "planned") & (dated["start"] != dated["published"])]
    assert len(planned)  # plans dated in their sentence sit at that date, away from the statement day
    assert ((planned["x"] >= planned["start"]) & (planned["x"] < planned["end"])).all()
    fallback = view.events[view.events["precision"] == "article"]
    assert (fallback["x"] == fallback["published"]).all()


def test_timeline_spreads_and_counts_events_of_one_day_in_one_row(view):
    piles = view.events.groupby(["lane", "x"])
    assert (view.events["stacked"] == piles["event_id"].transform("size")).all()
    assert view.events["stacked"].max() >= 3
    spread = piles["offset"].agg(lambda offsets: offsets.nunique() == len(offsets))
    assert spread.all()
    assert view.events["offset"].abs().max() < 0.5  # a pile stays inside its own row


def test_timeline_zoom_in_the_link_sets_the_window_and_what_is_plotted_first(dataset):
    zoom = Options(zoom_from=dt.date(2024, 1, 1), zoom_to=dt.date(2024, 6, 30))
    view = views.timeline_view(dataset, ViewState(options=zoom), limit=20)
    assert view.window == (pd.Timestamp("2024-01-01"), pd.Timestamp("2024-07-01"))
    assert len(view.events) == 20 and view.events["x"].between(*view.window).all()
    assert view.total > 20


def test_timeline_milestone_labels_fit_the_window_and_width(view):
    for width in (350, 900):
        labels = milestone_labels(view.milestones, *view.window, width)
        labelled = labels[labels["level"] >= 0]
        assert len(labels) == view.milestones["day"].between(*view.window).sum()
        assert len(labelled) >= 3
        boxes = []
        for row in labelled.itertuples():
            x = (row.day - view.window[0]) / (view.window[1] - view.window[0]) * width
            size = len(row.short) * LABEL_CHAR_PX
            left = {"center": x - size / 2, "left": x, "right": x - size}[row.anchor]
            assert -1 <= left and left + size <= width + 1
            boxes.append((row.level, left, left + size))
        for level in {b[0] for b in boxes}:
            spans = sorted(b[1:] for b in boxes if b[0] == level)
            assert all(a[1] < b[0] for a, b in zip(spans, spans[1:]))
    wide = milestone_labels(view.milestones, *view.window, 900)
    narrow = milestone_labels(view.milestones, *view.window, 350)
    assert (wide["level"] >= 0).sum() > (narrow["level"] >= 0).sum()


def test_timeline_labels_are_cut_at_a_word():
    assert shorten("Putin in Pyongyang; Treaty on Comprehensive Strategic Partnership signed") == (
        "Putin in Pyongyang; Treaty…"
    )
    assert shorten("Lavrov in Pyongyang") == "Lavrov in Pyongyang"


def test_timeline_page_lists_the_plotted_events_as_a_table(open_app, dataset):
    app = open_app("timeline")
    assert not app.exception
    view = views.timeline_view(dataset, ViewState())
    table = app.dataframe[0].value
    assert list(table.columns) == ["date", "precision", "type", "modality", "source → target", "sentence"]
    assert len(table) == len(view.events)
    assert set(table["sentence"]) == set(view.events["evidence"])
    assert table["date"].str.startswith("publication day of the article").sum() == (
        view.events["precision"] == "article"
    ).sum()


def test_timeline_page_shows_the_linked_window_and_fit_to_data_clears_it(open_app):
    app = open_app("timeline", {"zoom_from": "2024-01", "zoom_to": "2024-06"})
    assert not app.exception
    assert app.date_input(key="w_zoom_from").value == dt.date(2024, 1, 1)
    assert app.date_input(key="w_zoom_to").value == dt.date(2024, 6, 30)
    app.date_input(key="w_zoom_to").set_value(dt.date(2024, 3, 31)).run()
    assert parse_qs("&".join(f"{k}={v}" for k, v in app.query_params.items())) == {
        "zoom_from": ["2024-01-01"],
        "zoom_to": ["2024-03-31"],
    }
    app.button(key="timeline_fit").click().run()
    assert "zoom_from" not in app.query_params and "zoom_to" not in app.query_params


def test_timeline_empty_when_nothing_is_dated(dataset):
    view = views.timeline_view(dataset, ViewState(Filters(date_from=dt.date(1800, 1, 1), date_to=dt.date(1800, 2, 1))))
    assert view.empty and view.window is None


def test_timeline_draws_event_types_a_dataset_made_elsewhere_carries():
    from analysis import synthetic

    tables = synthetic.generate(60, seed=5, actors=list(synthetic.FALLBACK_ACTORS))
    events = tables.events.copy()
    events.loc[events.index[:3], "type"] = "PROTEST_MARCH"  # not one of the engine's types
    ds = views.prepare(views.RawTables(tables.articles, tables.entities, tables.mentions, events))
    view = views.timeline_view(ds, ViewState())
    assert "PROTEST_MARCH" in view.y_order
    assert (view.events["type"] == "PROTEST_MARCH").any() and view.events["y"].notna().all()
