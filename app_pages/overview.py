"""Overview: the corpus at a glance and what each page offers."""

import plotly.express as px
import streamlit as st

from analysis import palette
from app_pages import _shared as shared


def whole_numbers(figure, axis: str = "y") -> None:
    """Counts are whole: no 0.5-article ticks on small numbers."""
    getattr(figure, f"update_{axis}axes")(tickformat=",d", rangemode="tozero", minor_ticks="")
    top = max((max(t[axis]) for t in figure.data if t[axis] is not None and len(t[axis])), default=0)
    if top and top < 8:
        getattr(figure, f"update_{axis}axes")(dtick=1)

st.title("Russia–North Korea in the news")
view = shared.view("overview_view")
if view.empty:
    shared.nothing_matches()
else:
    cols = st.columns(5)
    for col, (label, value) in zip(cols, view.totals.items()):
        col.metric(label.capitalize(), f"{value:,}")

    left, right = st.columns(2)
    # Plotly reads tags in labels, legends and hovers: values from the data are escaped first, colour keys alike.
    languages = {
        shared.escape(code, shared.LABEL): colour
        for code, colour in palette.colour_map("language", view.by_language["language"]).items()
    }
    month = px.bar(
        view.by_month.assign(language=lambda f: f["language"].map(lambda c: shared.escape(c, shared.LABEL))),
        x="month",
        y="articles",
        color="language",
        title="Articles per month",
        color_discrete_map=languages,
        category_orders={"language": sorted(languages)},
    )
    whole_numbers(month)
    left.plotly_chart(month, key="overview_months")
    language = px.bar(
        view.by_language.assign(language=lambda f: f["language"].map(lambda c: shared.escape(c, shared.LABEL))),
        x="language",
        y="articles",
        color="language",
        title="Articles by language",
        color_discrete_map=languages,
    )
    language.update_layout(showlegend=False)
    whole_numbers(language)
    right.plotly_chart(language, key="overview_languages")

    left, right = st.columns(2)
    source = px.bar(
        view.by_source.head(20).assign(source=lambda f: f["source"].map(lambda s: shared.escape(s, shared.LABEL))),
        x="articles",
        y="source",
        orientation="h",
        title="Articles by source",
    )
    source.update_yaxes(autorange="reversed")
    whole_numbers(source, "x")
    left.plotly_chart(source, key="overview_sources")
    actors = px.bar(
        view.top_actors.assign(
            name=lambda f: f["name"].map(lambda n: shared.escape(n, shared.LABEL)),
            country_name=lambda f: f["country_name"].map(lambda n: shared.escape(n, shared.LABEL)),
        ),
        x="mentions",
        y="name",
        color="country_name",
        orientation="h",
        title="Most named actors",
        labels={"country_name": "country", "name": "actor"},
        color_discrete_map={
            shared.escape(name, shared.LABEL): colour
            for name, colour in palette.country_colours(
                view.top_actors["country"], view.top_actors["country_name"]
            ).items()
        },
    )
    actors.update_yaxes(autorange="reversed", categoryorder="total descending")
    whole_numbers(actors, "x")
    right.plotly_chart(actors, key="overview_actors")

    with st.expander("These charts as tables"):
        # The same numbers as the bars, reachable by keyboard and screen readers.
        tables = st.columns(4)
        tables[0].dataframe(view.by_month.assign(month=view.by_month["month"].dt.strftime("%Y-%m")), hide_index=True)
        tables[1].dataframe(view.by_language, hide_index=True)
        tables[2].dataframe(view.by_source, hide_index=True)
        tables[3].dataframe(view.top_actors[["name", "country_name", "mentions"]], hide_index=True)

    st.subheader("Latest events")
    st.dataframe(
        view.latest_events[["day", "type", "modality", "pair", "evidence", "title", "outlet", "url"]],
        hide_index=True,
        column_config={
            "url": st.column_config.LinkColumn("link", display_text="open"),
            "day": st.column_config.DateColumn("date"),
        },
    )

st.subheader("What each page offers")
st.markdown(
    "- **Map** — places named in the news, sized by mentions or by events; click a place to read the sentences.\n"
    "- **Network** — actors named together in a sentence (or article), with communities and centrality; "
    "click an actor to narrow the view to it.\n"
    "- **Timeline** — events by date and type; planned, reported, denied and hypothetical events have their own "
    "symbols; click one to open its evidence.\n"
    "- **Evidence** — every event, mention and article with its sentence and link, a search over all of them, "
    "full exports, and an article reader.\n"
    "- **Actor profile** — who an actor is, their events over time, partners, places and the sentences quoting "
    "them.\n\n"
    "The filters on the left apply to every page, and the address bar always holds the whole view: "
    "use **Share this view** to send it."
)
