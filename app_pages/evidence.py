"""Evidence: the sentences behind every event and mention, and an article reader."""

import streamlit as st

from app_pages import _shared as shared

LINK = st.column_config.LinkColumn("link", display_text="open")


def show_article(article: dict) -> None:
    """The article reader: title, outlet, date and the escaped text with entities highlighted."""
    st.subheader("Article")
    with st.container(border=True, key="article_reader"):
        # Every character of the article is escaped in analysis.views; only our <mark> tags are markup.
        st.html(
            f"<h3>{shared.escape(article['title'])}</h3>"
            f"<p><small>{shared.escape(article['source'])} · {str(article['published'])[:10]} · "
            f"{shared.escape(article['language'])}</small></p><div class='article'>{article['html']}</div>"
        )
        if article["sentence"]:
            st.caption("Sentence of the selected event:")
            st.text(article["sentence"])
        left, right = st.columns(2)
        if article["url"]:
            left.link_button("Original article", article["url"])
        right.button("Close the article", key="close_article", on_click=shared.set_options, kwargs={"article": None})


def open_article(table_key: str, frame) -> None:
    """Open the article of the clicked row in the reader."""
    rows = st.session_state[table_key].selection.rows
    if rows:
        shared.set_options(article=frame["article_id"].iat[rows[0]], event=None)


st.title("Evidence")
view = shared.view("evidence_view")
if view.empty:
    shared.nothing_matches()
else:
    if len(view.selected_event):
        event = view.selected_event.iloc[0]
        with st.container(border=True):
            st.markdown(f"**Selected event — {event['type']}** · {event['modality']} · {str(event['day'])[:10]}")
            st.text(event["evidence"])
            st.caption(
                f"{shared.md(event['pair'])} · trigger “{shared.md(event['trigger'])}” · "
                f"confidence {event['confidence']:.2f}"
            )
            st.button(
                "Clear selection",
                key="clear_event",
                on_click=shared.set_options,
                kwargs={"event": None, "article": None},
            )
    if view.article:
        show_article(view.article)

    events_tab, mentions_tab = st.tabs([f"Events ({view.events_total:,})", f"Mentions ({view.mentions_total:,})"])
    with events_tab:
        events = view.events[
            [
                "day",
                "type",
                "modality",
                "pair",
                "place",
                "evidence",
                "title",
                "published",
                "outlet",
                "url",
                "language",
                "confidence",
                "article_id",
                "event_id",
            ]
        ]
        st.dataframe(
            events,
            key="events_table",
            hide_index=True,
            on_select=lambda: open_article("events_table", events),
            selection_mode="single-row",
            column_config={
                "url": LINK,
                "day": st.column_config.DateColumn("date"),
                "published": st.column_config.DateColumn(),
            },
        )
        st.caption(f"Newest {len(events):,} of {view.events_total:,} events · select a row to read its article.")
        st.download_button("Events (CSV)", events.to_csv(index=False), file_name="events.csv", mime="text/csv")
    with mentions_tab:
        mentions = view.mentions
        st.dataframe(
            mentions,
            key="mentions_table",
            hide_index=True,
            on_select=lambda: open_article("mentions_table", mentions),
            selection_mode="single-row",
            column_config={"url": LINK, "published": st.column_config.DateColumn()},
        )
        st.caption(f"Newest {len(mentions):,} of {view.mentions_total:,} mentions · select a row to read its article.")
        st.download_button("Mentions (CSV)", mentions.to_csv(index=False), file_name="mentions.csv", mime="text/csv")
