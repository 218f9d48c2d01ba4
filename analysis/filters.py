"""The dashboard's view state and its URL form: the URL is the state.

Every filter and page option lives in the query string, so a link reproduces the view on any copy of
the app. Parsing never fails: unknown keys and malformed or unknown values are dropped, and each drop
is reported as a notice the page shows.
"""

from __future__ import annotations

import calendar
import datetime as dt
import difflib
import re
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
# Whose events an actor filter keeps: those they take part in (as source or target, the default), those they
# start, those aimed at them, or every event whose sentence merely names them.
ROLES = ("participant", "source", "target", "named")
# How exactly an event's date is known; "article" = the text gives none, so it carries its article's date.
PRECISIONS = ("day", "month", "year", "article")
MAP_LAYERS = ("both", "cities", "countries")
NETWORK_HIDE = ("countries", "organisations", "people")
EVIDENCE_TABS = ("events", "mentions", "articles")
MAX_MIN_WEIGHT = 1000
MAX_TEXT = 200  # longest free-text parameter (a search) a link may carry
PARTIAL_DATE = re.compile(r"^(\d{4})(?:-(\d{1,2}))?(?:-(\d{1,2}))?$")
MAP_AT = re.compile(r"^(-?\d{1,2}(?:\.\d+)?),(-?\d{1,3}(?:\.\d+)?),(\d{1,2}(?:\.\d+)?)$")


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
    role: str = "participant"
    precisions: tuple[str, ...] = ()

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
    zoom_from: dt.date | None = None  # timeline window shown (the data's own window when unset)
    zoom_to: dt.date | None = None
    map_layer: str = "both"
    map_at: str | None = None  # map centre and zoom as "lat,lon,zoom" (fitted to the data when unset)
    hide: tuple[str, ...] = ()  # network: kinds of actor left out
    find: str | None = None  # network: the actor searched for, highlighted
    search: str | None = None  # evidence: words every row shown must contain
    tab: str = "events"  # evidence: the table shown


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
    # Lower-cased names and aliases → id, so a link typed by hand (?actor=Kim Jong Un, ?place=moskow) works.
    actor_names: Mapping[str, str] = field(default_factory=dict)
    place_names: Mapping[str, str] = field(default_factory=dict)


# URL key → (section, attribute, kind, allowed values or None). Lists repeat the key (?actor=a&actor=b).
PARAMS: dict[str, tuple[str, str, str, tuple[str, ...] | None]] = {
    "actor": ("filters", "actors", "list", None),
    "match": ("filters", "match", "choice", MATCH_MODES),
    "from": ("filters", "date_from", "date", None),
    "to": ("filters", "date_to", "date_end", None),
    "type": ("filters", "event_types", "list", EVENT_TYPES),
    "modality": ("filters", "modalities", "list", MODALITIES),
    "lang": ("filters", "languages", "list", LANGUAGES),
    "source": ("filters", "sources", "list", None),
    "place": ("filters", "places", "list", None),
    "role": ("filters", "role", "choice", ROLES),
    "precision": ("filters", "precisions", "list", PRECISIONS),
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
    "zoom_from": ("options", "zoom_from", "date", None),
    "zoom_to": ("options", "zoom_to", "date_end", None),
    "layer": ("options", "map_layer", "choice", MAP_LAYERS),
    "at": ("options", "map_at", "map_at", None),
    "hide": ("options", "hide", "list", NETWORK_HIDE),
    "find": ("options", "find", "id", None),
    "q": ("options", "search", "text", None),
    "tab": ("options", "tab", "choice", EVIDENCE_TABS),
}
# Which vocabulary set an id-valued attribute is checked against.
VOCABULARY_OF = {
    "actors": "actors",
    "places": "places",
    "sources": "sources",
    "languages": "languages",
    "focus": "actors",
    "find": "actors",
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
    if kind in ("date", "date_end"):
        day = read_partial_date(item, end=kind == "date_end")
        if day is None:
            notices.append(f"Ignored “{key}={item}”: expected a date as YYYY, YYYY-MM or YYYY-MM-DD.")
        return day
    if kind == "map_at":
        if not MAP_AT.match(item) or abs(float(item.split(",")[0])) > 90 or abs(float(item.split(",")[1])) > 180:
            notices.append(f"Ignored “{key}={item}”: expected latitude,longitude,zoom.")
            return None
        return item
    if kind == "text":
        return " ".join(item.split())[:MAX_TEXT] or None
    if kind == "int":
        if not item.isdigit() or not 1 <= int(item) <= MAX_MIN_WEIGHT:
            notices.append(f"Ignored “{key}={item}”: expected a whole number from 1 to {MAX_MIN_WEIGHT}.")
            return None
        return int(item)
    return item  # an id: checked against the vocabulary next


def read_partial_date(text: str, end: bool = False) -> dt.date | None:
    """A date from YYYY, YYYY-MM or YYYY-MM-DD: the period's first day, or its last when `end` is set."""
    match = PARTIAL_DATE.match(text.strip())
    if not match:
        return None
    year, month, day = (int(g) if g else None for g in match.groups())
    try:
        if month is None:
            return dt.date(year, 12, 31) if end else dt.date(year, 1, 1)
        if day is None:
            return dt.date(year, month, calendar.monthrange(year, month)[1] if end else 1)
        return dt.date(year, month, day)
    except ValueError:
        return None


def _check_vocabulary(
    key: str, attribute: str, value: object, vocabulary: Vocabulary | None, notices: list[str]
) -> object | None:
    """Turn names into ids and drop what the dataset does not know, suggesting the nearest known name."""
    if vocabulary is None or attribute not in VOCABULARY_OF:
        return value
    kind = VOCABULARY_OF[attribute]
    known = getattr(vocabulary, kind)
    names = {"actors": vocabulary.actor_names, "places": vocabulary.place_names}.get(kind, {})
    kept = []
    for item in value if isinstance(value, tuple) else (value,):
        found = resolve_name(item, known, names)
        if found is None:
            notices.append(f"Ignored “{key}={item}”: not in this dataset.{suggestion(item, known, names)}")
        elif found not in kept:
            kept.append(found)
    if isinstance(value, tuple):
        return tuple(kept)
    return kept[0] if kept else None


def resolve_name(text: str, known: frozenset[str], names: Mapping[str, str]) -> str | None:
    """The id a link's value means: an id as is, else any name or alias, whatever its case."""
    if text in known:
        return text
    folded = " ".join(text.split()).casefold()
    lowered = {k.casefold(): k for k in known} if len(known) < 50_000 else {}
    return names.get(folded) or lowered.get(folded)


def suggestion(text: str, known: frozenset[str], names: Mapping[str, str]) -> str:
    """' Did you mean …?' with the closest name or id, or nothing when none is close."""
    pool = list(names) or list(known)
    close = difflib.get_close_matches(text.casefold(), pool, n=1, cutoff=0.6)
    return f" Did you mean “{close[0]}”?" if close else ""


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
        elif kind in ("date", "date_end"):
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
    return ViewState(
        Filters(), replace(state.options, focus=None, pin=None, event=None, article=None, find=None, search=None)
    )


def field_names(section: type) -> list[str]:
    """Attribute names of Filters or Options, for the sidebar's widget keys."""
    return [f.name for f in fields(section)]
