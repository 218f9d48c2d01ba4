"""Actor profile: who an actor is, what they did and when, with whom, where, and the sentences quoting them."""

from dataclasses import replace

import plotly.express as px
import streamlit as st

from analysis import filters as fl
from analysis import display, palette
from analysis.views.profile import ROLES
from app_pages import _shared as shared

VIEWS = (
    ("map", "Map", ":material/map:"),
    ("network", "Network", ":material/hub:"),
    ("timeline", "Timeline", ":material/timeline:"),
    ("evidence", "Evidence", ":material/format_quote:"),
)


def choose_actor() -> None:
    """Open the profile of the actor picked, as a link with ?actor= would."""
    picked = st.session_state.get("profile_pick")
    if picked:
        state = shared.current()
        shared.set_state(replace(state, filters=replace(state.filters, actors=(picked,))))
        st.session_state.pop("w_actors", None)  # the sidebar's actor picker shows the new filter


def profile_query(actor: str) -> dict:
    """The current view with the actor filter set to one actor: the link to that actor's profile."""
    state = shared.current()
    return fl.to_query(fl.ViewState(replace(state.filters, actors=(actor,)), state.options))


def who(view) -> None:
    """Name, kind, country, sector, other names, Wikidata and counts."""
    st.header(shared.md(view.name))
    st.caption(" · ".join(shared.md(v) for v in (view.type, view.country, view.sector)))
    if view.aliases:
        st.text("Also written: " + ", ".join(display.cut(a, shared.LABEL) for a in view.aliases))
    if view.wikidata_url:
        st.markdown(f"Wikidata: [{view.wikidata}]({view.wikidata_url})")
    cells = st.columns(4)
    cells[0].metric("Mentions", view.mentions)
    cells[1].metric("Events", view.events)
    cells[2].metric("As source", view.as_source)
    cells[3].metric("As target", view.as_target)
    links = st.columns(len(VIEWS))
    query = shared.linked_query(actors=(view.actor,))
    for cell, (url_path, title, icon) in zip(links, VIEWS):
        cell.page_link(shared.page(url_path), label=f"{title}: {shared.md(view.name)}", icon=icon, query_params=query)


MONTH_MS = 30.4 * 24 * 3600 * 1000


def timeline(view) -> None:
    """Their events per month, coloured by type, as source above and as target below."""
    st.subheader("Events over time")
    if not len(view.timeline):
        st.caption("No dated event under these filters.")
        return
    # Plotly reads tags in legends: a type from a dataset made elsewhere is escaped (the known ones are unchanged).
    fig = px.bar(
        view.timeline.assign(type=lambda f: f["type"].map(lambda t: shared.escape(t, shared.LABEL))),
        x="month",
        y="events",
        color="type",
        facet_row="role",
        color_discrete_map=palette.EVENT_TYPE_COLOURS,
        category_orders={"type": list(fl.EVENT_TYPES), "role": list(ROLES)},
        height=380,
    )
    fig.for_each_annotation(lambda a: a.update(text=a.text.split("=")[-1]))
    fig.update_layout(margin={"l": 0, "r": 0, "t": 20, "b": 0}, bargap=0.1, legend_title_text="event type")
    fig.update_yaxes(title_text="", tickformat=",d", rangemode="tozero")
    # A month's bar is a month wide: plotly would otherwise stretch two lone bars across years.
    fig.update_traces(width=MONTH_MS * 0.9, xperiod="M1", xperiodalignment="start")
    st.plotly_chart(fig, key="profile_timeline")
    with st.expander("These events as a table"):
        # The bars' numbers, reachable by keyboard and screen readers.
        table = view.timeline.assign(month=view.timeline["month"].dt.strftime("%Y-%m"))
        st.dataframe(table, hide_index=True)


def partners(view) -> None:
    """Actors they share events with or are named with, each a link to their own profile."""
    st.subheader("Partners")
    if not len(view.partners):
        st.caption("Nobody else under these filters.")
    for row in view.partners.itertuples(index=False):
        st.page_link(
            shared.page("actor"),
            label=f"{shared.md(row.name)} · {row.events} shared events · {row.sentences} sentences together",
            icon=":material/person:",
            query_params=profile_query(row.entity_id),
        )


def places(view) -> None:
    """Places named with them, each a link to the map pinned on the place."""
    st.subheader("Places named with them")
    if not len(view.places):
        st.caption("No place under these filters.")
    for row in view.places.itertuples(index=False):
        country = "" if row.country_name in (palette.MISSING, row.name) else f" ({shared.md(row.country_name)})"
        st.page_link(
            shared.page("map"),
            label=f"{shared.md(row.name)}{country} · {row.sentences} sentences",
            icon=":material/place:",
            query_params=shared.linked_query(actors=(view.actor,), pin=row.entity_id),
        )


def quotes(view) -> None:
    """The sentences of the events they start, newest first, each leading to its article in Evidence."""
    st.subheader(f"Sentences quoting {shared.md(view.name)}")
    if not len(view.quotes):
        st.caption("No event they start under these filters.")
        return
    if view.quotes_total > len(view.quotes):
        st.caption(f"The newest {len(view.quotes)} of {view.quotes_total}.")
    query = shared.linked_query(actors=(view.actor,))
    for row in view.quotes.itertuples(index=False):
        with st.container(border=True):
            st.text(row.evidence)  # st.text: article text is shown as plain text, never as markup
            st.caption(
                f"{shared.md(row.type, shared.LABEL)} · {shared.md(str(row.day)[:10])} · {shared.md(row.title)} · "
                f"{shared.md(row.outlet)} · {shared.md(row.language, shared.LABEL)}"
            )
            st.page_link(
                shared.page("evidence"),
                label="Read in Evidence",
                icon=":material/format_quote:",
                query_params={**query, "article": row.article_id},
            )


st.title("Actor profile")
view = shared.view("profile_view")
if view.actor is None:
    st.selectbox(
        "Choose an actor",
        options=list(view.actors),
        index=None,
        format_func=view.actors.get,
        placeholder="Type a name — the most mentioned come first",
        key="profile_pick",
        on_change=choose_actor,
    )
else:
    who(view)
    if view.empty:
        st.info(f"Nothing about {shared.md(view.name)} matches the other filters.")
    timeline(view)
    left, right = st.columns(2)
    with left:
        partners(view)
    with right:
        places(view)
    quotes(view)
