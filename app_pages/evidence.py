"""Evidence: search every sentence, read one event in its article, and export everything the filters select."""

from functools import partial

import streamlit as st

from analysis import display, export, palette
from analysis.filters import MAX_TEXT
from analysis.views.query_views import SEARCHED_ROWS
from app_pages import _shared as shared

TABS = {"events": "Events", "mentions": "Mentions", "articles": "Articles"}
TABLE_HEIGHT = 420
LINK = st.column_config.LinkColumn("link", display_text="open", width="small")
SENTENCE = st.column_config.TextColumn("sentence", width=560)
TITLE = st.column_config.TextColumn("article", width=260)
DAY = st.column_config.DateColumn("date", width="small")
PUBLISHED = st.column_config.DateColumn("published", width="small")
# Scrolls the reader to the event's sentence, and keeps it in view while the rest of the page is drawn (tables
# drawn later push it down), for up to 15 s or until the reader scrolls or clicks; a fixed script with no
# article text in it.
SCROLL_TO_SENTENCE = """<script>(() => {
  let quiet = 0, ticks = 0, stopped = false;
  for (const kind of ['wheel', 'touchstart', 'keydown', 'mousedown'])
    window.addEventListener(kind, () => { stopped = true; }, {once: true, capture: true});
  const tick = () => {
    if (stopped || ++ticks > 60) return;
    const mark = document.querySelector('mark.event-sentence');
    if (mark) {
      const box = mark.closest('.st-key-article_reader'), r = mark.getBoundingClientRect();
      const area = box ? box.getBoundingClientRect() : {top: 0, bottom: window.innerHeight};
      const seen = r.top >= Math.max(0, area.top) && r.bottom <= Math.min(window.innerHeight, area.bottom);
      if (!seen) { mark.scrollIntoView({block: 'center', behavior: 'instant'}); quiet = 0; }
      else if (++quiet >= 4) return;
    }
    setTimeout(tick, 250);
  };
  requestAnimationFrame(tick);
})();</script>"""


def searched() -> None:
    """Callback of the search box: the words go to the view state (and so to the URL as q=)."""
    words = " ".join(str(st.session_state.get("w_search") or "").split())[:MAX_TEXT]
    shared.set_options(search=words or None)


def switched_tab() -> None:
    """Callback of the tabs: the table shown goes to the view state (URL tab=)."""
    label = st.session_state.get("w_tab")
    shared.set_options(tab=next((k for k, v in TABS.items() if v == label), "events"))


def picked(table_key: str, frame, table: str) -> None:
    """Callback of a table: an event row opens that event and its article; other rows open their article."""
    rows = st.session_state[table_key].selection.rows
    if not rows:
        return
    row = frame.iloc[rows[0]]
    if table == "events":
        shared.set_options(event=row["event_id"], article=row["article_id"])
    else:
        shared.set_options(article=row["article_id"], event=None)


def downloads(table: str, count: int) -> None:
    """CSV and Parquet of every row of one table, built only when a button is clicked."""
    ds, state = st.session_state["_dataset"], shared.current()
    left, right, note = st.columns([1.2, 1.4, 3], vertical_alignment="center")
    for column, file_format, mime in ((left, "csv", "text/csv"), (right, "parquet", "application/octet-stream")):
        column.download_button(
            f"All {table} as {file_format.upper() if file_format == 'csv' else 'Parquet'}",
            data=partial(export.export_bytes, ds, state, table, file_format),
            file_name=f"{table}.{file_format}",
            mime=mime,
            key=f"download_{table}_{file_format}",
            icon=":material/download:",
            on_click="ignore",
        )
    note.caption(f"{count:,} rows, however many the table lists.")


def event_panel(event: dict) -> None:
    """The selected event: what happened, between whom, where and when, how surely, and the sentence."""
    with st.container(border=True, key="event_panel"):
        kind, modality = shared.md(event["type"], shared.LABEL), shared.md(event["modality"], shared.LABEL)
        st.markdown(f"**Selected event — {kind}** · {modality}")
        precision = event["date_precision"]
        when = f"{event['date']} ({'publication date' if precision == 'article' else precision})"
        confidence = palette.MISSING if event["confidence"] is None else f"{event['confidence']:.2f}"
        left, right = st.columns(2)
        left.markdown(
            f"**Who** {shared.md(event['source_name'])} → {shared.md(event['target_name'])}  \n"
            f"**Where** {shared.md(event['place'])}  \n**When** {shared.md(when)}"
        )
        right.markdown(
            f"**Trigger** “{shared.md(event['trigger'])}”  \n**Confidence** {confidence}  \n"
            f"**Article** {shared.md(event['title'])} · {shared.md(event['outlet'])} · "
            f"{shared.md(event['published'], shared.LABEL)}"
        )
        st.text(event["evidence"])  # plain text: article words are never markup
        st.button(
            "Clear selection", key="clear_event", on_click=shared.set_options, kwargs={"event": None, "article": None}
        )


def show_article(article: dict) -> None:
    """The article reader: title, outlet, date and the escaped text, names and the event's sentence marked."""
    st.subheader("Article")
    with st.container(border=True, height=TABLE_HEIGHT, key="article_reader"):
        # Every character of the article is escaped in analysis.views; only our <mark> tags are markup.
        st.html(
            f"<h3>{shared.escape(article['title'])}</h3>"
            f"<p><small>{shared.escape(article['source'])} · {shared.escape(str(article['published'])[:10])} · "
            f"{shared.escape(article['language'], shared.LABEL)}</small></p>"
            f"<div class='article'>{article['html']}</div>"
        )
    if article["sentence"]:
        st.html(SCROLL_TO_SENTENCE, unsafe_allow_javascript=True)
    left, right = st.columns(2)
    address = display.web_address(article["url"])
    if address:  # only an http(s) address: a javascript: or data: one would run or show in this page
        left.link_button("Original article", address)
    right.button("Close the article", key="close_article", on_click=shared.set_options, kwargs={"article": None})


def table(name: str, frame, total: int, filtered: int, column_config: dict) -> None:
    """One table: how many rows match, the newest of them (the columns configured, in that order), and the full
    downloads."""
    searched_words = f" containing “{shared.md(' '.join(view.words))}”" if view.words else ""
    if view.words and not export.can_export(st.session_state["_dataset"]):
        searched_words += f" among the newest {SEARCHED_ROWS:,} of each table"  # a search's bound on big datasets
    listed = "download them all below" if export.can_export(st.session_state["_dataset"]) else "filter to see others"
    shown = f"the newest {len(frame):,} are listed; {listed}" if total > len(frame) else "all listed"
    st.caption(f"**{total:,} of {filtered:,} {name}**{searched_words} · {shown} · select a row to read it.")
    key = f"{name}_table"
    st.dataframe(
        frame,
        key=key,
        hide_index=True,
        height=TABLE_HEIGHT,
        row_height=56,
        on_select=lambda: picked(key, frame, name),
        selection_mode="single-row",
        column_config=column_config,
        column_order=list(column_config),
        placeholder=palette.MISSING,
    )
    if export.can_export(st.session_state["_dataset"]):
        downloads(name, total)
    else:
        st.caption("Downloads of whole tables need the dataset in memory; this one is served by queries.")


st.title("Evidence")
view = shared.view("evidence_view")
options = shared.current().options
if view.empty:
    shared.nothing_matches()
else:
    shared.seeded(
        st.text_input,
        "Search every sentence, title and name",
        "search",
        options.search or "",
        on_change=searched,
        placeholder="e.g. treaty Pyongyang — every word must appear; case and accents do not matter",
        max_chars=MAX_TEXT,
    )
    st.caption(
        f"{view.events_total:,} of {view.events_filtered:,} events · "
        f"{view.mentions_total:,} of {view.mentions_filtered:,} mentions · "
        f"{view.articles_total:,} of {view.articles_filtered:,} articles"
    )
    if view.selected_event:
        event_panel(view.selected_event)
    if view.article:
        show_article(view.article)

    if "w_tab" not in st.session_state:
        st.session_state["w_tab"] = TABS[options.tab]
    tabs = dict(zip(TABS, st.tabs(list(TABS.values()), key="w_tab", on_change=switched_tab)))
    with tabs["events"]:
        if tabs["events"].open:
            table(
                "events",
                view.events,
                view.events_total,
                view.events_filtered,
                {
                    "day": DAY,
                    "type": "type",
                    "evidence": SENTENCE,
                    "pair": st.column_config.TextColumn("source → target", width=200),
                    "modality": "modality",
                    "place": "place",
                    "trigger": "trigger",
                    "confidence": st.column_config.NumberColumn("confidence", format="%.2f", width="small"),
                    "title": TITLE,
                    "published": PUBLISHED,
                    "outlet": "outlet",
                    "language": st.column_config.TextColumn("lang", width="small"),
                    "url": LINK,
                },
            )
    with tabs["mentions"]:
        if tabs["mentions"].open:
            table(
                "mentions",
                view.mentions,
                view.mentions_total,
                view.mentions_filtered,
                {
                    "published": PUBLISHED,
                    "entity": "name",
                    "sentence": SENTENCE,
                    "surface": "as written",
                    "type": st.column_config.TextColumn("kind", width="small"),
                    "title": TITLE,
                    "source": "outlet",
                    "language": st.column_config.TextColumn("lang", width="small"),
                    "url": LINK,
                },
            )
    with tabs["articles"]:
        if tabs["articles"].open:
            table(
                "articles",
                view.articles,
                view.articles_total,
                view.articles_filtered,
                {
                    "published": PUBLISHED,
                    "title": st.column_config.TextColumn("title", width=520),
                    "source": "outlet",
                    "language": st.column_config.TextColumn("lang", width="small"),
                    "events": st.column_config.NumberColumn("events", width="small"),
                    "mentions": st.column_config.NumberColumn("mentions", width="small"),
                    "url": LINK,
                },
            )
