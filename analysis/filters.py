"""The dashboard's view state and its URL form: the URL is the state.

Every filter and page option lives in the query string, so a link reproduces the view on any copy of
the app. Parsing never fails: unknown keys and malformed or unknown values are dropped, and each drop
is reported as a notice the page shows.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, fields, replace

EVENT_TYPES = (
    "AGREE",
    "CONSULT",
    "SUPPORT",
    "CONCEDE",
    "COOPERATE",
    "AID",
    "RETREAT",
    "REQUEST",
    "ACCUSE",
    "REJECT",
    "THREATEN",
    "PROTEST",
    "SANCTION",
    "MOBILIZE",
    "COERCE",
    "ASSAULT",
)
MODALITIES = ("asserted", "planned", "reported", "denied", "hypothetical")
LANGUAGES = ("en", "id", "ko", "ru")
MATCH_MODES = ("any", "all")
MAP_MODES = ("mentions", "events")
BASEMAPS = ("offline", "carto-positron", "open-street-map", "carto-darkmatter")
NETWORK_LEVELS = ("sentence", "article")
NODE_COLOURS = ("country", "sector", "community")
TIMELINE_AXES = ("type", "pair")
TIME_BINS = ("week", "month")
MAX_MIN_WEIGHT = 1000


@dataclass(frozen=True)
class Filters:
    """The sidebar filters shared by every page; empty means 'no restriction'."""

    actors: tuple[str, ...] = ()
    match: str = "any"
    date_from: dt.date | None = None
    date_to: dt.date | None = None
    event_types: tuple[str, ...] = ()
    modalities: tuple[str, ...] = ()
    languages: tuple[str, ...] = ()
    sources: tuple[str, ...] = ()
    places: tuple[str, ...] = ()

    def is_empty(self) -> bool:
        """True when no filter restricts anything."""
        return self == Filters()


@dataclass(frozen=True)
class Options:
    """Page options and selections, kept across page switches so a link restores every page."""

    map_mode: str = "mentions"
    basemap: str = "offline"
    level: str = "sentence"
    min_weight: int = 1
    colour: str = "country"
    focus: str | None = None  # network node selected
    pin: str | None = None  # map place selected
    y_axis: str = "type"
    time_bin: str = "month"
    event: str | None = None  # timeline event selected
    article: str | None = None  # article open in the reader


@dataclass(frozen=True)
class ViewState:
    """Everything a link carries: the filters and the page options."""

    filters: Filters = field(default_factory=Filters)
    options: Options = field(default_factory=Options)


@dataclass(frozen=True)
class Vocabulary:
    """The values a dataset knows; ids outside it are dropped from a URL with a notice."""

    actors: frozenset[str] = frozenset()
    places: frozenset[str] = frozenset()
    sources: frozenset[str] = frozenset()
    languages: frozenset[str] = frozenset()
    events: frozenset[str] = frozenset()
    articles: frozenset[str] = frozenset()


# URL key → (section, attribute, kind, allowed values or None). Lists repeat the key (?actor=a&actor=b).
PARAMS: dict[str, tuple[str, str, str, tuple[str, ...] | None]] = {
    "actor": ("filters", "actors", "list", None),
    "match": ("filters", "match", "choice", MATCH_MODES),
    "from": ("filters", "date_from", "date", None),
    "to": ("filters", "date_to", "date", None),
    "type": ("filters", "event_types", "list", EVENT_TYPES),
    "modality": ("filters", "modalities", "list", MODALITIES),
    "lang": ("filters", "languages", "list", LANGUAGES),
    "source": ("filters", "sources", "list", None),
    "place": ("filters", "places", "list", None),
    "map": ("options", "map_mode", "choice", MAP_MODES),
    "basemap": ("options", "basemap", "choice", BASEMAPS),
    "level": ("options", "level", "choice", NETWORK_LEVELS),
    "min": ("options", "min_weight", "int", None),
    "colour": ("options", "colour", "choice", NODE_COLOURS),
    "focus": ("options", "focus", "id", None),
    "pin": ("options", "pin", "id", None),
    "y": ("options", "y_axis", "choice", TIMELINE_AXES),
    "bin": ("options", "time_bin", "choice", TIME_BINS),
    "event": ("options", "event", "id", None),
    "article": ("options", "article", "id", None),
}
# Which vocabulary set an id-valued attribute is checked against.
VOCABULARY_OF = {
    "actors": "actors",
    "places": "places",
    "sources": "sources",
    "languages": "languages",
    "focus": "actors",
    "pin": "places",
    "event": "events",
    "article": "articles",
}
# Streamlit adds this one itself when an app is embedded; it is not view state but must not raise a notice.
PASSTHROUGH = frozenset({"embed", "embed_options"})


def parse_query(
    params: Mapping[str, str | Iterable[str]], vocabulary: Vocabulary | None = None
) -> tuple[ViewState, list[str]]:
    """Read a view state from query parameters; return it with a notice for every value dropped."""
    values: dict[str, dict[str, object]] = {"filters": {}, "options": {}}
    notices: list[str] = []
    for key, raw in params.items():
        items = [raw] if isinstance(raw, str) else [str(v) for v in raw]
        if key in PASSTHROUGH:
            continue
        if key not in PARAMS:
            notices.append(f"Ignored unknown parameter “{key}”.")
            continue
        section, attribute, kind, allowed = PARAMS[key]
        value = _parse_value(key, kind, allowed, items, notices)
        if value is not None:
            value = _check_vocabulary(key, attribute, value, vocabulary, notices)
        if value is not None and value != ():
            values[section][attribute] = value
    state = ViewState(Filters(**values["filters"]), Options(**values["options"]))
    return _check_consistency(state, notices), notices


def _parse_value(
    key: str, kind: str, allowed: tuple[str, ...] | None, items: list[str], notices: list[str]
) -> object | None:
    """Convert one parameter's raw strings to its typed value, or None when malformed."""
    items = [i.strip() for i in items if i.strip()]
    if not items:
        notices.append(f"Ignored empty parameter “{key}”.")
        return None
    if kind == "list":
        kept = []
        for item in items:
            if allowed is not None and item not in allowed:
                # Accept the case a person may type (?type=agree) but write the canonical form back.
                match = next((a for a in allowed if a.lower() == item.lower()), None)
                if match is None:
                    notices.append(f"Ignored “{key}={item}”: expected one of {', '.join(allowed)}.")
                    continue
                item = match
            if item not in kept:
                kept.append(item)
        return tuple(kept)
    item = items[-1]
    if kind == "choice":
        match = next((a for a in allowed or () if a.lower() == item.lower()), None)
        if match is None:
            notices.append(f"Ignored “{key}={item}”: expected one of {', '.join(allowed or ())}.")
        return match
    if kind == "date":
        try:
            return dt.date.fromisoformat(item)
        except ValueError:
            notices.append(f"Ignored “{key}={item}”: expected a date as YYYY-MM-DD.")
            return None
    if kind == "int":
        if not item.isdigit() or not 1 <= int(item) <= MAX_MIN_WEIGHT:
            notices.append(f"Ignored “{key}={item}”: expected a whole number from 1 to {MAX_MIN_WEIGHT}.")
            return None
        return int(item)
    return item  # an id: checked against the vocabulary next


def _check_vocabulary(
    key: str, attribute: str, value: object, vocabulary: Vocabulary | None, notices: list[str]
) -> object | None:
    """Drop ids the dataset does not know, so a link from another dataset degrades gracefully."""
    if vocabulary is None or attribute not in VOCABULARY_OF:
        return value
    known = getattr(vocabulary, VOCABULARY_OF[attribute])
    if isinstance(value, tuple):
        unknown = [v for v in value if v not in known]
        for v in unknown:
            notices.append(f"Ignored “{key}={v}”: not in this dataset.")
        return tuple(v for v in value if v in known)
    if value not in known:
        notices.append(f"Ignored “{key}={value}”: not in this dataset.")
        return None
    return value


def _check_consistency(state: ViewState, notices: list[str]) -> ViewState:
    """Swap a reversed date range rather than show nothing."""
    f = state.filters
    if f.date_from and f.date_to and f.date_from > f.date_to:
        notices.append("The date range was reversed: “from” and “to” were swapped.")
        return replace(state, filters=replace(f, date_from=f.date_to, date_to=f.date_from))
    return state


def to_query(state: ViewState) -> dict[str, list[str] | str]:
    """Write a view state as query parameters, leaving out defaults so links stay short."""
    out: dict[str, list[str] | str] = {}
    defaults = {"filters": Filters(), "options": Options()}
    for key, (section, attribute, kind, _allowed) in PARAMS.items():
        value = getattr(getattr(state, section), attribute)
        if value == getattr(defaults[section], attribute) or value is None:
            continue
        if kind == "list":
            out[key] = list(value)
        elif kind == "date":
            out[key] = value.isoformat()
        else:
            out[key] = str(value)
    return out


def query_string(state: ViewState) -> str:
    """The encoded query string of a view state (without the leading '?')."""
    from urllib.parse import urlencode

    return urlencode(to_query(state), doseq=True, safe=":")  # ids like country:RUS stay readable


def normalise_params(params: Mapping[str, str | Iterable[str]]) -> dict[str, list[str]]:
    """Query parameters as {key: [values]}, to compare a URL with the one last written."""
    return {k: ([v] if isinstance(v, str) else [str(x) for x in v]) for k, v in params.items()}


def clear_filters(state: ViewState) -> ViewState:
    """The same view with every filter and selection removed, keeping layout options."""
    return ViewState(Filters(), replace(state.options, focus=None, pin=None, event=None, article=None))


def field_names(section: type) -> list[str]:
    """Attribute names of Filters or Options, for the sidebar's widget keys."""
    return [f.name for f in fields(section)]
