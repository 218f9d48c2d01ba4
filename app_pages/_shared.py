"""What every page shares: data loading and caching, the sidebar filters, and the URL that holds the view.

The view state lives in st.session_state["view"]; the URL is written from it at the end of every run
and read back whenever it changes from outside (a shared link opened, a page switched by the browser).
"""

from __future__ import annotations

import difflib
import importlib.util
import os
import threading
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import urlparse

import streamlit as st

from analysis import display
from analysis import filters as fl
from analysis import views
from analysis.views.evidence import prepare_search_in_background
from analysis.views.query import NotServed, QueryDataset, open_query_dataset, wants_queries

if TYPE_CHECKING:  # the engine's store is imported only where a page needs it
    from analysis.store import Tables

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_DATA = ROOT / "data" / "processed"
CORPUS = ROOT / "data" / "corpus"
DATA_ENV = "NEWSINT_DATA"
VIEW = "view"  # session key of the ViewState
LAST_URL = "last_url"  # session key of the query parameters last written
NOTICES = "notices"
TYPED_NOTICE = "typed_notice"  # names typed into a picker that match nothing
ROLE_LABELS = {
    "participant": "source or target",
    "source": "source (they act)",
    "target": "target (acted upon)",
    "named": "merely named in the sentence",
}
PRECISION_LABELS = {"day": "day", "month": "month", "year": "year", "article": "publication day only"}
NOTICES_SHOWN = 12  # link notices listed; a link with hundreds of bad parameters gets a count for the rest
LABEL = display.LABEL_LIMIT  # a short value (a language, an event type, a name) in a line of text
ERROR_LIMIT = 1000  # an error message shown to the user, which may quote a path or a value
_build_lock = threading.Lock()
_built: set[str] = set()
CHART_WARM_UP = "chart-warm-up"  # the hidden container of the chart drawn while the engine loads
_read: set[tuple] = set()  # (folder, signature) of the datasets this server has read: only a first read is announced


# Narrow windows (a laptop split screen, a tablet): a slimmer sidebar, and chart rows stacked so each chart keeps
# the main area's full width instead of shrinking to a quarter of the window.
NARROW_SCREEN_STYLE = """<style>
@media (max-width: 1100px) {
  section[data-testid="stSidebar"] { width: 236px !important; min-width: 236px !important; }
  div[data-testid="stHorizontalBlock"]:has(.js-plotly-plot) { flex-wrap: wrap; }
  div[data-testid="stHorizontalBlock"]:has(.js-plotly-plot) > div[data-testid="stColumn"] {
    min-width: 100% !important; flex: 1 1 100% !important;
  }
}
</style>"""


# ---------------------------------------------------------------- data


def data_dir() -> Path:
    """The data folder the operator chose ($NEWSINT_DATA), else data/processed; visitors cannot change it."""
    chosen = os.environ.get(DATA_ENV)
    return Path(chosen).expanduser() if chosen else DEFAULT_DATA


def step(bar: Any, done: float, text: str) -> None:
    """Move the start-up progress bar and say what runs now."""
    bar.progress(min(max(done, 0.0), 1.0), text=text)


def ensure_built(folder: Path, bar: Any) -> None:
    """Build the default dataset from the bundled corpus on first start, naming each step on the progress bar."""
    if folder.resolve() != DEFAULT_DATA or str(folder) in _built:
        return
    with _build_lock:  # one session builds; the others wait for it rather than build twice
        if str(folder) in _built:
            return
        if importlib.util.find_spec("analysis.pipeline") is None or not CORPUS.exists() or not any(CORPUS.iterdir()):
            return  # no engine or no corpus: the app can still read a folder someone built
        step(bar, 0.04, "Loading the extraction engine…")
        charts = warm_up_charts()
        try:
            from analysis.freshness import dataset_is_stale

            step(bar, 0.08, "Checking the dataset against the bundled corpus…")
            if dataset_is_stale(CORPUS, folder):
                from analysis import pipeline

                warm_up_engine(bar)
                step(bar, 0.35, "Reading the bundled corpus…")
                pipeline.ensure_dataset(CORPUS, folder, lambda done, total, label: step(
                    bar, 0.35 + 0.6 * done / max(total, 1),
                    f"Building the dataset: {Path(str(label)).name} ({done}/{total})"))
            _built.add(str(folder))
        except Exception as error:  # shown as a message: the user can still point at another folder
            st.error(f"Building the dataset from {md(CORPUS)} failed: {md(error)}")
        finally:
            charts.empty()


def warm_up_charts() -> Any:
    """An empty chart, hidden, drawn while the engine works: the browser fetches and compiles plotly.js (~5 MB,
    seconds on a slow machine) meanwhile, instead of after the data is in. Returns its placeholder to empty."""
    import plotly.graph_objects as go

    box = st.empty()
    with box.container(key=CHART_WARM_UP):
        st.html(f"<style>.st-key-{CHART_WARM_UP} {{display: none}}</style>")
        st.plotly_chart(go.Figure(), key=CHART_WARM_UP + "-figure")
    return box


def warm_up_engine(bar: Any) -> None:
    """Load what the first article needs, one named step each: every language's models, then the knowledge base
    (built meanwhile on the other core when it is not cached yet). Seconds each on a first start: the first
    article would otherwise sit at 0 % for all of them."""
    from analysis.kb import load_knowledge_base, start_building_in_background
    from analysis.languages import known_languages, load_profile
    from analysis.nlp import build_pipeline, syntax_pipeline

    knowledge = start_building_in_background()
    codes = known_languages()
    for n, code in enumerate(codes):
        step(bar, 0.10 + 0.2 * n / len(codes), f"Loading the {load_profile(code).name} language models…")
        build_pipeline(code)
        syntax_pipeline(code)
    step(bar, 0.30, "Loading the knowledge base…")
    if knowledge is not None:
        try:
            knowledge.wait(timeout=300)
        except Exception:  # stuck: this process builds it instead
            knowledge.kill()
    load_knowledge_base()


@st.cache_resource(max_entries=2, show_spinner=False)  # the start-up progress bar names this step
def _load(folder: str, signature: tuple) -> views.Dataset | QueryDataset:
    """The dataset, shared by all sessions (a resource: big frames are not copied per rerun): held in memory
    when small (faster there), served by DuckDB queries when its mentions would not fit."""
    if wants_queries(Path(folder)):
        return open_query_dataset(Path(folder))
    dataset = views.load_dataset(Path(folder))
    prepare_search_in_background(dataset)
    return dataset


@st.cache_resource(max_entries=1, show_spinner="Reading the stored articles…")
def _tables(folder: str, signature: tuple) -> Tables:
    """The four tables as stored (analysis.store.Tables), for the rows the Add page lists and inspects."""
    # The engine's store, imported here: only the Add page needs it.
    from analysis.store import load_tables

    return load_tables(Path(folder))


def stored_tables() -> Tables:
    """The current data folder's tables as stored; reread whenever the files change (the signature is the key)."""
    folder = data_dir()
    return _tables(str(folder.resolve()), views.dataset_signature(folder))


def page_style() -> None:
    """Layout rules Streamlit has no option for (style only: nothing is drawn)."""
    st.html(NARROW_SCREEN_STYLE)


def register_pages(pages: dict[str, Any]) -> None:
    """Keep this run's st.Page objects so pages can link to each other."""
    st.session_state["_pages"] = pages


def page(url_path: str) -> Any:
    """The st.Page registered under a URL path."""
    return st.session_state["_pages"][url_path]


def load_data(bar: Any = None) -> views.Dataset | QueryDataset | None:
    """The dataset, or None after telling the user why there is none and how to add some; the slow steps of a
    first start (building, reading) are named on the progress bar, which is emptied when done."""
    folder = data_dir()
    bar = st.empty() if bar is None else bar
    try:
        ensure_built(folder, bar)
        if not views.has_dataset(folder):
            no_data(folder)
            return None
        key = (str(folder.resolve()), views.dataset_signature(folder))
        if key not in _read:
            step(bar, 0.97, "Reading the tables…")
        ds = _load(*key)
        _read.add(key)
    except views.DataUnavailable as error:
        st.error(f"The data in {md(folder)} cannot be read. {md(error)}")
        return None
    except Exception as error:  # never a stack trace: say what failed and where
        st.error(f"The data in {md(folder)} cannot be read ({type(error).__name__}: {md(error)}).")
        return None
    finally:
        bar.empty()
    if views.is_empty_dataset(ds):
        no_data(folder)
        return None
    st.session_state["_dataset"] = ds
    return ds


def no_data(folder: Path) -> None:
    """Explain how to add data when the folder has none."""
    st.info(
        f"No data yet in `{folder}`.\n\n"
        "- Put news articles (HTML or text) in `data/corpus/` and restart the app: it builds `data/processed` "
        "on first start.\n"
        "- Or point the app at a dataset folder written by `python -m analysis extract INPUT... --out DIR` (or one "
        "holding `articles.parquet`, `entities.parquet`, `mentions.parquet` and `events.parquet`): set the "
        f"environment variable `{DATA_ENV}` to it and restart the app."
    )


@st.cache_data(max_entries=64, show_spinner=False)
def _view(name: str, dataset_key: str, query: str, _ds: views.Dataset, _state: fl.ViewState) -> Any:
    """A page's data step, cached per dataset version and view (the query string is the key)."""
    return getattr(views, name)(_ds, _state)


def view(name: str) -> Any:
    """Run (or reuse) the named data step of analysis.views for the current dataset and view; a page that does
    not run on a dataset served by queries says so and stops."""
    ds, state = st.session_state["_dataset"], current()
    try:
        return _view(name, ds.key, fl.query_string(state), ds, state)
    except NotServed as refusal:
        st.info(str(refusal), icon=":material/database:")
        for target in st.session_state["_pages"].values():  # the sidebar's links are drawn after the page
            st.page_link(target, label=target.title, icon=target.icon, query_params=fl.to_query(state))
        st.stop()


@st.cache_resource(max_entries=2, show_spinner=False)
def _choices(dataset_key: str, _ds: views.Dataset) -> tuple[views.Choices, fl.Vocabulary]:
    """Sidebar options and the URL vocabulary of a dataset (a resource: its id sets are large and read-only)."""
    return views.choices(_ds), views.vocabulary(_ds)


def escape(text: object, limit: int = display.TITLE_LIMIT) -> str:
    """A value from a link or the data for plotly (hovers, legends, labels), which reads <b>, <a> and friends."""
    return display.plain_html(text, limit)


def md(text: object, limit: int = display.TITLE_LIMIT) -> str:
    """A value from a link or the data made inert for st.markdown, st.caption, alerts and labels, cut to limit."""
    return display.plain_markdown(text, limit)


def wrap(text: object, width: int = 80, lines: int = 4) -> str:
    """A value from the data, escaped and broken into short lines for a hover box."""
    return display.plain_html_lines(text, width, lines)


# ---------------------------------------------------------------- state and URL


def current() -> fl.ViewState:
    """The view state of this run."""
    return st.session_state.get(VIEW, fl.ViewState())


def set_state(state: fl.ViewState) -> None:
    """Replace the view state (the URL follows at the end of the run)."""
    st.session_state[VIEW] = state


def set_options(**changes: Any) -> None:
    """Change page options or selections."""
    set_state(replace(current(), options=replace(current().options, **changes)))


def read_url(vocabulary: fl.Vocabulary) -> None:
    """Take the view from the URL when it changed from outside; keep it when a page switch cleared it."""
    params = fl.normalise_params({k: st.query_params.get_all(k) for k in st.query_params.keys()})
    last = st.session_state.get(LAST_URL)
    if last is not None and params == last:
        return
    if last is not None and not params:
        return  # the browser dropped the query on a page switch: the session still has the view
    state, notices = fl.parse_query(params, vocabulary)
    set_state(state)
    st.session_state[NOTICES] = (state, notices)
    _forget_widgets()


def publish() -> None:
    """Write the view state to the URL, if it changed."""
    wanted = fl.normalise_params(fl.to_query(current()))
    params = fl.normalise_params({k: st.query_params.get_all(k) for k in st.query_params.keys()})
    if params != wanted:
        st.query_params.from_dict(fl.to_query(current()))
    st.session_state[LAST_URL] = wanted


def _forget_widgets() -> None:
    """Drop widget values so every widget shows the state just read."""
    for key in [k for k in st.session_state if str(k).startswith("w_")]:
        del st.session_state[key]


def show_notices() -> None:
    """Say which URL parameters were dropped, for as long as the view is the one they came with."""
    parsed, notices = st.session_state.get(NOTICES, (None, []))
    if notices and parsed == current():
        more = len(notices) - NOTICES_SHOWN
        st.warning(
            "Some link parameters were not understood and were dropped:\n\n"
            + "\n".join(f"- {notice_line(n)}" for n in notices[:NOTICES_SHOWN])
            + (f"\n- … and {more:,} more." if more > 0 else ""),
            icon="⚠️",
        )
    for notice in st.session_state.pop(TYPED_NOTICE, [])[:NOTICES_SHOWN]:
        st.warning(notice_line(notice), icon=":material/search:")


def notice_line(notice: str) -> str:
    """A notice quoting values from a link or a text box: each value cut, the whole shown as plain text."""
    return md(display.cut_quoted(notice), 3 * display.NOTICE_LIMIT)


def clear_filters() -> None:
    """Callback of 'Clear filters': keep layout options, drop every filter and selection."""
    set_state(fl.clear_filters(current()))
    _forget_widgets()


def nothing_matches() -> None:
    """The message shown when the filters match nothing, with a one-click way out."""
    st.warning("Nothing matches these filters.")
    st.button("Clear filters", on_click=clear_filters, key="clear_filters_empty", type="primary")


def linked_query(
    actors: tuple[str, ...] = (), places: tuple[str, ...] = (), match: str | None = None, **options: Any
) -> dict:
    """Query parameters of the current view with extra actors, places or selections: a link's target."""
    state = current()
    f = state.filters
    new_filters = replace(
        f,
        actors=tuple(dict.fromkeys(f.actors + actors)),
        places=tuple(dict.fromkeys(f.places + places)),
        match=match or f.match,
    )
    return fl.to_query(fl.ViewState(new_filters, replace(state.options, **options)))


def sentence_cards(sentences: Any, link_query: dict) -> None:
    """Sentences as cards, each with its article and a link to read it in Evidence."""
    for row in sentences.itertuples(index=False):
        with st.container(border=True):
            st.text(row.sentence)  # st.text: article text is shown as plain text, never as markup
            st.caption(
                f"{md(row.title)} · {md(row.source)} · {md(str(row.published)[:10])} · {md(row.language, LABEL)}"
            )
            st.page_link(
                page("evidence"),
                label="Read in Evidence",
                icon=":material/format_quote:",
                query_params={**link_query, "article": row.article_id},
            )


def share_link(url_path: str) -> str:
    """The link that reproduces this view on any copy of the app."""
    query = fl.query_string(current())
    base = st.context.url or f"/{url_path}"
    return f"{base}?{query}" if query else base


# ---------------------------------------------------------------- widgets


def seeded(widget: Callable[..., Any], label: str, key: str, value: Any, **kwargs: Any) -> Any:
    """A widget showing `value` from the view state unless the user has changed it this session."""
    widget_key = f"w_{key}"
    if widget_key not in st.session_state:
        st.session_state[widget_key] = value
    return widget(label, key=widget_key, **kwargs)


def sidebar(ds: views.Dataset) -> tuple[Any, Any]:
    """The shared filters; returns the containers the navigation and share link are drawn into."""
    choices, vocabulary = _choices(ds.key, ds)
    read_url(vocabulary)
    state = current()
    f = state.filters
    nav_box = st.sidebar.container()
    st.sidebar.markdown("**Filters**")
    actors = name_picker("Actors", "actors", f.actors, choices.actors, vocabulary.actor_names, "actor")
    match, role = f.match, f.role
    if actors:
        match = seeded(
            st.sidebar.radio,
            "Keep what involves",
            "match",
            f.match,
            options=list(fl.MATCH_MODES),
            format_func={"any": "any of them", "all": "all of them together"}.get,
            horizontal=True,
        )
        role = seeded(
            st.sidebar.selectbox,
            "Their role in events",
            "role",
            f.role,
            options=list(fl.ROLES),
            format_func=ROLE_LABELS.get,
            help="Which events count as theirs. Maps, networks and mentions always use the sentences naming them.",
        )
    date_from, date_to = _date_filter(choices, f)
    types = seeded(
        st.sidebar.multiselect,
        "Event types",
        "types",
        list(f.event_types),
        options=list(fl.EVENT_TYPES),
        placeholder="Any type",
    )
    modalities = seeded(
        st.sidebar.multiselect,
        "Modality",
        "modalities",
        list(f.modalities),
        options=list(fl.MODALITIES),
        placeholder="Any modality",
    )
    languages = seeded(
        st.sidebar.multiselect,
        "Language",
        "languages",
        list(f.languages),
        options=choices.languages,
        placeholder="Any language",
    )
    sources = seeded(
        st.sidebar.multiselect, "Source", "sources", list(f.sources), options=choices.sources, placeholder="Any source"
    )
    precisions = seeded(
        st.sidebar.multiselect,
        "Date precision",
        "precisions",
        list(f.precisions),
        options=list(fl.PRECISIONS),
        format_func=PRECISION_LABELS.get,
        placeholder="Any precision",
        help="How exactly the text dates each event; “publication day only” means the text gives no date.",
    )
    places = name_picker("Places", "places", f.places, choices.places, vocabulary.place_names, "place")
    new = fl.Filters(
        actors=tuple(actors),
        match=match,
        date_from=date_from,
        date_to=date_to,
        event_types=tuple(types),
        modalities=tuple(modalities),
        languages=tuple(languages),
        sources=tuple(sources),
        places=tuple(places),
        role=role,
        precisions=tuple(precisions),
    )
    if new != f:
        set_state(replace(current(), filters=new))
    if not new.is_empty():
        st.sidebar.button("Clear filters", on_click=clear_filters, key="clear_filters_sidebar")
    share_box = st.sidebar.container()
    return nav_box, share_box


def name_picker(
    label: str, key: str, chosen: tuple[str, ...], options: dict[str, str], names: dict[str, str], noun: str
) -> list[str]:
    """A multiselect listing canonical names; Enter on any other text looks it up among every alias."""
    picked = seeded(
        st.sidebar.multiselect,
        label,
        key,
        list(chosen),
        options=list(options),
        format_func=lambda i: options.get(i, i),
        placeholder=f"Any {noun} — type a name",
        help=f"Lists {noun}s by name. Type any other name or alias, in any script (Путин, 김정은, Rusia), "
        "and press Enter to look it up.",
        filter_mode="contains",
        select_all=False,
        accept_new_options=True,
        on_change=_resolve_typed_names,
        args=(key, options, names, noun),
    )
    if picked:
        shown = ", ".join(options.get(i, i) for i in picked)
        st.sidebar.caption(f"{len(picked)} {noun}{'s' * (len(picked) > 1)} selected: {md(shown, 2 * LABEL)}")
    return [i for i in picked if i in options]


def _resolve_typed_names(key: str, options: dict[str, str], names: dict[str, str], noun: str) -> None:
    """Turn text typed into a picker into the entity it names, or say that nothing is called that."""
    widget_key = f"w_{key}"
    kept, unknown = [], []
    for value in st.session_state.get(widget_key, []):
        found = value if value in options else fl.resolve_name(value, frozenset(options), names)
        if found is None:
            unknown.append(value)
        elif found not in kept:
            kept.append(found)
    st.session_state[widget_key] = kept
    st.session_state[TYPED_NOTICE] = [
        f"No {noun} called “{value}” in this data.{fl.suggestion(value, frozenset(options), names)}"
        for value in unknown
    ]


def _date_filter(choices: views.Choices, f: fl.Filters) -> tuple[Any, Any]:
    """The date range widget; a bound left at the data's edge means 'no bound'."""
    if choices.first_day is None:
        return f.date_from, f.date_to
    low = min(d for d in (choices.first_day, f.date_from, f.date_to) if d)
    high = max(d for d in (choices.last_day, f.date_from, f.date_to) if d)
    shown = (f.date_from or choices.first_day, f.date_to or choices.last_day)
    picked = seeded(
        st.sidebar.date_input,
        "Dates",
        "dates",
        shown,
        min_value=low,
        max_value=high,
        help="Events by the date they happen; articles and mentions by publication date.",
    )
    if not isinstance(picked, (tuple, list)) or len(picked) != 2 or tuple(picked) == shown:
        return f.date_from, f.date_to  # unchanged, or half-picked while the calendar is open
    start, end = picked
    return (None if start == choices.first_day else start), (None if end == choices.last_day else end)


def sidebar_without_data() -> None:
    """Navigation and the data folder's location, when there is no data to filter."""
    for target in st.session_state["_pages"].values():
        st.sidebar.page_link(target, label=target.title, icon=target.icon)
    st.sidebar.caption(f"Data folder: {md(data_dir())} (set by the environment variable `{DATA_ENV}`).")


def unknown_page_notice() -> None:
    """Say so when the address names no page (Streamlit then shows the first page), suggesting the nearest."""
    path = urlparse(st.context.url or "").path.strip("/")
    base = str(st.get_option("server.baseUrlPath") or "").strip("/")
    if base and (path == base or path.startswith(f"{base}/")):
        path = path[len(base) :].strip("/")
    known = list(st.session_state["_pages"])
    requested = path.rsplit("/", 1)[-1]
    if not requested or requested in known:
        return
    close = difflib.get_close_matches(requested.lower(), known, n=1, cutoff=0.5)
    hint = f" Did you mean **{close[0]}**?" if close else ""
    st.warning(
        f"There is no page called “{md(requested, display.NOTICE_LIMIT)}”; showing the Overview.{hint} "
        f"Pages: {', '.join(known)}.",
        icon=":material/explore:",
    )


def finish(nav_box: Any, share_box: Any, current_page: Any) -> None:
    """Draw navigation links and the share link for the final view of this run, and write the URL."""
    query = fl.to_query(current())
    with nav_box:
        for target in st.session_state["_pages"].values():
            st.page_link(target, label=target.title, icon=target.icon, query_params=query)
    with share_box:
        with st.popover("Share this view", icon=":material/share:"):
            st.caption("Anyone opening this link sees the same page, filters and options.")
            st.code(share_link(current_page.url_path), language=None, wrap_lines=True)
    publish()
