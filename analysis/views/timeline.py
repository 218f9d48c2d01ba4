"""The Timeline page's data: events drawn at the precision of their dates, the window that holds them,
counts per period, and milestones with labels that fit the visible window."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import numpy as np
import pandas as pd

from analysis.filters import EVENT_TYPES, ViewState
from analysis.palette import MISSING
from analysis.views.query import is_query_dataset
from analysis.views.dataset import Dataset, _event_rows, _latest, select

MILESTONES_FILE = Path(__file__).resolve().parents[2] / "data" / "corpus" / "milestones.yaml"
# Dated turning points of the Russia–DPRK rapprochement, used when the corpus ships no milestones.yaml.
MILESTONES = (
    ("2019-04-25", "Kim–Putin summit, Vladivostok"),
    ("2023-09-13", "Kim–Putin summit, Vostochny Cosmodrome"),
    ("2024-06-19", "Comprehensive Strategic Partnership treaty signed, Pyongyang"),
    ("2024-12-04", "Partnership treaty enters into force"),
)
# How much of the events the opening window must hold: the densest span with this share of them, so a
# handful of old or far-future events do not squeeze the years where the story happens into a few pixels.
WINDOW_SHARE = 0.8
NEAR_GAP = 0.1  # of the core window's width: a quieter stretch than this next to it still joins it
WINDOW_PAD = 0.05  # of the window's width, on each side
MIN_PAD_DAYS = 15
# The period a partial date stands for, as a numpy unit; "article" and day dates stand for one day.
PERIOD_UNITS = {"month": "M", "year": "Y"}
STACK_SPREAD = 0.7  # of a row's height, shared by the events of one day in that row
STACK_STEP = 0.2  # the most a stacked event moves from its neighbour
LABEL_LEVELS = 4
LABEL_CHARS = 30
LABEL_CHAR_PX = 6.4  # a generous average width of one character of the 11 px label font
LABEL_GAP_PX = 10


@dataclass(frozen=True)
class TimelineView:
    """Events to plot, the windows to show them in, counts per period, milestones and the selected event."""

    events: pd.DataFrame  # _event_rows + precision, start, end, x, when, y, lane, stacked, offset
    total: int
    counts: pd.DataFrame  # period, type, events
    milestones: pd.DataFrame  # day, label
    y_order: list[str]
    selected: pd.DataFrame
    empty: bool
    data_window: tuple[pd.Timestamp, pd.Timestamp] | None = None  # where most events lie, padded
    extent: tuple[pd.Timestamp, pd.Timestamp] | None = None  # first and last day of every event, padded
    window: tuple[pd.Timestamp, pd.Timestamp] | None = None  # what the chart opens on: the link's zoom or data_window


def timeline_view(ds: Dataset, state: ViewState, limit: int = 3000) -> TimelineView:
    """Dated events (the newest `limit`, those in the window first), counts per week or month, and milestones."""
    if is_query_dataset(ds):
        from analysis.views.query_views import query_timeline_view

        return query_timeline_view(ds, state, limit)
    sel = select(ds, state.filters)
    o = state.options
    days = ds.arr("events", "day")
    rows = np.flatnonzero(sel.events & ~np.isnat(days))
    if not len(rows):
        return _empty_view()
    dates = _event_dates(ds)
    middles = dates["middle"][rows]
    data_window = densest_window(middles)
    extent = _padded(middles.min(), middles.max())
    window = zoom_window(o.zoom_from, o.zoom_to) or data_window
    inside = (middles >= np.datetime64(window[0], "D")) & (middles <= np.datetime64(window[1], "D"))
    plotted = _latest(days, rows[inside], limit)
    if len(plotted) < limit:
        plotted = np.concatenate([plotted, _latest(days, rows[~inside], limit - len(plotted))])

    shown = _event_rows(ds, plotted)
    shown["precision"] = dates["precision"][plotted]
    shown["start"], shown["end"], shown["x"] = dates["start"][plotted], dates["end"][plotted], dates["middle"][plotted]
    shown["when"] = date_text(shown)
    shown, y_order = chart_rows(shown, o.y_axis)

    counts = _counts(dates[o.time_bin][rows], dates["type_code"][rows], dates["types"])
    milestones = milestones_between(days[rows].min(), days[rows].max())
    selected = pd.DataFrame()
    if o.event:
        match = np.flatnonzero(ds.arr("events", "event_id") == o.event)
        selected = _event_rows(ds, match[:1])
    return TimelineView(
        events=shown.reset_index(drop=True),
        total=len(rows),
        counts=counts,
        milestones=milestones,
        y_order=y_order,
        selected=selected,
        empty=False,
        data_window=data_window,
        extent=extent,
        window=window,
    )


def _empty_view() -> TimelineView:
    """The view when no dated event matches."""
    return TimelineView(
        events=pd.DataFrame(),
        total=0,
        counts=pd.DataFrame(columns=["period", "type", "events"]),
        milestones=pd.DataFrame(columns=["day", "label"]),
        y_order=[],
        selected=pd.DataFrame(),
        empty=True,
    )


def _event_dates(ds: Dataset) -> dict[str, np.ndarray]:
    """Every event's precision, period, plotting day, week and month and type code, computed once per dataset."""
    cached = ds.extra.get("timeline_dates")
    if cached is None:
        days = ds.arr("events", "day")
        precision = _precisions(ds.arr("events", "date_precision"))
        start, end = period_bounds(days, precision)
        types, type_code = np.unique(ds.arr("events", "type").astype(str), return_inverse=True)
        cached = {
            "precision": precision,
            "start": start,
            "end": end,
            "middle": start + (end - start) // 2,
            "week": _period_start(days, "week"),
            "month": _period_start(days, "month"),
            "types": types,
            "type_code": type_code.astype(np.int64),
        }
        ds.extra["timeline_dates"] = cached
    return cached


def _counts(periods: np.ndarray, type_code: np.ndarray, types: np.ndarray) -> pd.DataFrame:
    """Events per period and type, by one bincount over (period, type) keys."""
    numbers = periods.astype("datetime64[D]").astype(np.int64)
    first = numbers.min()
    tally = np.bincount((numbers - first) * len(types) + type_code)
    keys = np.flatnonzero(tally)
    return pd.DataFrame(
        {
            "period": pd.to_datetime((keys // len(types) + first).astype("datetime64[D]")),
            "type": types[keys % len(types)],
            "events": tally[keys],
        }
    )


def date_text(events: pd.DataFrame) -> pd.Series:
    """How each event's date reads in a hover or a table, saying how exactly it is known."""
    day = events["x"].dt.strftime("%Y-%m-%d")
    text = day.where(events["precision"] == "day", day + " (precision unknown)")
    text = text.mask(events["precision"] == "month", events["start"].dt.strftime("%B %Y") + " (month known)")
    text = text.mask(events["precision"] == "year", events["start"].dt.strftime("%Y") + " (year known)")
    return text.mask(events["precision"] == "article", "publication day of the article, " + day)


def _precisions(values: np.ndarray) -> np.ndarray:
    """Each event's date precision, the palette's word for missing where the table has none."""
    text = pd.Series(values, dtype=object)
    return text.where(text.isin(("day", "month", "year", "article")), MISSING).to_numpy(dtype=object)


def period_bounds(days: np.ndarray, precision: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """First day and the day after the last of the period each date stands for (a month, a year or a day)."""
    days = days.astype("datetime64[D]")
    starts, ends = days.copy(), days + np.timedelta64(1, "D")
    for name, unit in PERIOD_UNITS.items():
        chosen = precision == name
        period = days[chosen].astype(f"datetime64[{unit}]")
        starts[chosen] = period.astype("datetime64[D]")
        ends[chosen] = (period + 1).astype("datetime64[D]")
    return starts, ends


def densest_window(days: np.ndarray, share: float = WINDOW_SHARE) -> tuple[pd.Timestamp, pd.Timestamp]:
    """The shortest span of days holding `share` of them, padded: far outliers stay out of it."""
    ordered = np.sort(days.astype("datetime64[D]").astype(np.int64))
    keep = max(1, int(np.ceil(share * len(ordered))))
    widths = ordered[keep - 1 :] - ordered[: len(ordered) - keep + 1]
    first = int(np.argmin(widths))
    low, high = first, first + keep - 1
    # Events close to the core's edges belong with it: widen it over every gap shorter than NEAR_GAP of it.
    near = max(NEAR_GAP * (ordered[high] - ordered[low]), 1)
    far = np.flatnonzero(np.diff(ordered) > near)
    low = int(far[far < low].max()) + 1 if (far < low).any() else 0
    high = int(far[far >= high].min()) if (far >= high).any() else len(ordered) - 1
    return _padded(np.datetime64(int(ordered[low]), "D"), np.datetime64(int(ordered[high]), "D"))


def _padded(first: np.datetime64, last: np.datetime64) -> tuple[pd.Timestamp, pd.Timestamp]:
    """A span widened on both sides so that the marks at its edges are not cut in half."""
    pad = max(MIN_PAD_DAYS, int((last - first).astype(np.int64) * WINDOW_PAD))
    return pd.Timestamp(first - np.timedelta64(pad, "D")), pd.Timestamp(last + np.timedelta64(pad, "D"))


def zoom_window(zoom_from: dt.date | None, zoom_to: dt.date | None) -> tuple[pd.Timestamp, pd.Timestamp] | None:
    """The window a link asks for, its last day included; None when the link sets no full window."""
    if zoom_from is None or zoom_to is None or zoom_to < zoom_from:
        return None
    return pd.Timestamp(zoom_from), pd.Timestamp(zoom_to) + pd.Timedelta(days=1)


def milestones_between(first, last) -> pd.DataFrame:
    """The story's milestones dated from first to last, as (day, label) rows."""
    milestones = pd.DataFrame([(day, label) for day, label in load_milestones() if first <= day <= last],
                              columns=["day", "label"])
    milestones["day"] = pd.to_datetime(milestones["day"])
    return milestones


def chart_rows(shown: pd.DataFrame, y_axis: str) -> tuple[pd.DataFrame, list[str]]:
    """The chart's rows (event types in their fixed order, or the 30 busiest pairs) and the events on them,
    stacked where several share a day."""
    shown["y"] = shown["type"] if y_axis == "type" else shown["pair"]
    if y_axis == "type":
        present = set(shown["type"])
        # Types a dataset made elsewhere may carry follow the engine's own, so every event gets a row.
        y_order = [t for t in EVENT_TYPES if t in present] + sorted(present - set(EVENT_TYPES))
    else:
        y_order = shown["pair"].value_counts().index.tolist()[:30]
        shown = shown[shown["pair"].isin(y_order)]
    return _stacked(shown, y_order), y_order


def _stacked(events: pd.DataFrame, y_order: list[str]) -> pd.DataFrame:
    """Rows as lane numbers (the first row on top), with events of one day and row spread apart and counted."""
    lanes = {y: len(y_order) - 1 - i for i, y in enumerate(y_order)}
    events = events.assign(lane=events["y"].map(lanes).astype(int))
    groups = events.groupby(["lane", "x"], sort=False)
    size = groups["event_id"].transform("size").to_numpy()
    rank = groups.cumcount().to_numpy()
    step = np.minimum(STACK_STEP, STACK_SPREAD / np.maximum(size - 1, 1))
    return events.assign(stacked=size, offset=(rank - (size - 1) / 2) * step)


def milestone_labels(
    milestones: pd.DataFrame, start: pd.Timestamp, end: pd.Timestamp, width_px: float, levels: int = LABEL_LEVELS
) -> pd.DataFrame:
    """Milestones inside the window with a short label, a level (-1: no room for its label) and an anchor.

    Labels are laid greedily from the left on the lowest level where they clear the previous label, so
    none overlaps at a plot `width_px` wide; a milestone whose label finds no room keeps its mark and hover.
    """
    inside = milestones[(milestones["day"] >= start) & (milestones["day"] <= end)].sort_values("day")
    span = max((end - start) / pd.Timedelta(days=1), 1.0)
    position = ((inside["day"] - start) / pd.Timedelta(days=1) / span * width_px).to_numpy(float)
    short = [shorten(label) for label in inside["label"]]
    level, anchor = [], []
    right_edges = [-np.inf] * levels
    for x, text in zip(position, short):
        width = len(text) * LABEL_CHAR_PX
        left, side = x - width / 2, "center"
        if left < 0:
            left, side = x, "left"
        elif x + width / 2 > width_px:
            left, side = x - width, "right"
        free = next((i for i in range(levels) if right_edges[i] + LABEL_GAP_PX <= left), -1)
        if free >= 0:
            right_edges[free] = left + width
        level.append(free)
        anchor.append(side)
    return inside.assign(short=short, level=level, anchor=anchor).reset_index(drop=True)


def shorten(label: str, limit: int = LABEL_CHARS) -> str:
    """A label cut at a word boundary to at most `limit` characters, with an ellipsis when cut."""
    label = " ".join(str(label).split())
    if len(label) <= limit:
        return label
    cut = label[: limit - 1].rsplit(" ", 1)[0].rstrip(",;:-–")
    return cut + "…"


def load_milestones(path: Path = MILESTONES_FILE) -> list[tuple[np.datetime64, str]]:
    """Milestones (day, title) from the corpus's milestones.yaml, else the built-in list."""
    return list(_milestones(str(path), path.stat().st_mtime_ns if path.exists() else 0))


@lru_cache(maxsize=4)
def _milestones(path: str, version: int) -> tuple[tuple[np.datetime64, str], ...]:
    """The cached body of load_milestones(); a month-only date falls on the month's first day."""
    entries = list(MILESTONES)
    if version:
        try:
            import yaml

            loaded = yaml.safe_load(Path(path).read_text(encoding="utf-8")) or []
            entries = [(str(m["date"]), str(m.get("title") or m.get("id"))) for m in loaded if m.get("date")]
        except Exception:  # a malformed file must not break the timeline: fall back to the built-in list
            entries = list(MILESTONES)
    out = []
    for date, label in entries:
        padded = date + "-01" if len(date) == 7 else date + "-01-01" if len(date) == 4 else date
        try:
            out.append((np.datetime64(padded[:10], "D"), label))
        except ValueError:
            continue
    return tuple(out)


def _period_start(days: np.ndarray, time_bin: str) -> np.ndarray:
    """The first day of each day's week (Monday) or month."""
    if time_bin == "month":
        return days.astype("datetime64[M]").astype("datetime64[D]")
    numbers = days.astype("datetime64[D]").astype(np.int64)
    return (numbers - (numbers + 3) % 7).astype("datetime64[D]")  # 1970-01-01 was a Thursday
