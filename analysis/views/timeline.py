"""The Timeline page's data: dated events, counts per period and milestones."""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import numpy as np
import pandas as pd

from analysis.filters import EVENT_TYPES, ViewState
from analysis.views.dataset import Dataset, _event_rows, _latest, select

MILESTONES_FILE = Path(__file__).resolve().parents[2] / "data" / "corpus" / "milestones.yaml"
# Dated turning points of the Russia–DPRK rapprochement, used when the corpus ships no milestones.yaml.
MILESTONES = (
    ("2019-04-25", "Kim–Putin summit, Vladivostok"),
    ("2023-09-13", "Kim–Putin summit, Vostochny Cosmodrome"),
    ("2024-06-19", "Comprehensive Strategic Partnership treaty signed, Pyongyang"),
    ("2024-12-04", "Partnership treaty enters into force"),
)


@dataclass(frozen=True)
class TimelineView:
    """Events to plot, counts per period, milestones and the selected event."""

    events: pd.DataFrame
    total: int
    counts: pd.DataFrame  # period, type, events
    milestones: pd.DataFrame  # day, label
    y_order: list[str]
    selected: pd.DataFrame
    empty: bool


def timeline_view(ds: Dataset, state: ViewState, limit: int = 3000) -> TimelineView:
    """Dated events (the newest `limit` plotted), counts per week or month, and milestones in range."""
    sel = select(ds, state.filters)
    o = state.options
    days = ds.arr("events", "day")
    rows = np.flatnonzero(sel.events & ~np.isnat(days))
    shown = _event_rows(ds, _latest(days, rows, limit))
    shown["y"] = shown["type"] if o.y_axis == "type" else shown["pair"]
    if o.y_axis == "type":
        y_order = [t for t in EVENT_TYPES if t in set(shown["type"])]
    else:
        y_order = shown["pair"].value_counts().index.tolist()[:30]
        shown = shown[shown["pair"].isin(y_order)]

    counts = pd.DataFrame({"period": _period_start(days[rows], o.time_bin), "type": ds.arr("events", "type")[rows]})
    counts = counts.value_counts().rename("events").reset_index().sort_values("period")
    counts["period"] = pd.to_datetime(counts["period"])
    milestones = pd.DataFrame(columns=["day", "label"])
    if len(rows):
        first, last = days[rows].min(), days[rows].max()
        milestones = pd.DataFrame(
            [(day, label) for day, label in load_milestones() if first <= day <= last], columns=["day", "label"]
        )
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
        empty=len(rows) == 0,
    )


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
