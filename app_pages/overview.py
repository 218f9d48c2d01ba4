"""Overview: the corpus at a glance and what each page offers."""

import plotly.express as px
import streamlit as st

from app_pages import _shared as shared

st.title("Russia–North Korea in the news")
view = shared.view("overview_view")
if view.empty:
    shared.nothing_matches()
else:
    cols = st.columns(5)
    for col, (label, value) in zip(cols, view.totals.items()):
        col.metric(label.capitalize(), f"{value:,}")

    left, right = st.columns(2)
    month = px.bar(view.by_month, x="month", y="articles", color="language", title="Articles per month")
    left.plotly_chart(month, key="overview_months")
    language = px.bar(view.by_language, x="language", y="articles", title="Articles by language")
    right.plotly_chart(language, key="overview_languages")

    left, right = st.columns(2)
    # Plotly reads tags in labels and hovers: names from the data are escaped first.
    source = px.bar(
        view.by_source.head(20).assign(source=lambda f: f["source"].map(shared.escape)),
        x="articles",
        y="source",
        orientation="h",
        title="Articles by source",
    )
    source.update_yaxes(autorange="reversed")
    left.plotly_chart(source, key="overview_sources")
    actors = px.bar(
        view.top_actors.assign(name=lambda f: f["name"].map(shared.escape)),
        x="mentions",
        y="name",
        color="country_name",
        orientation="h",
        title="Most named actors",
        labels={"country_name": "country", "name": "actor"},
    )
    actors.update_yaxes(autorange="reversed", categoryorder="total descending")
    right.plotly_chart(actors, key="overview_actors")

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
    "- **Evidence** — every event and mention with its sentence, article and link, and an article reader.\n\n"
    "The filters on the left apply to every page, and the address bar always holds the whole view: "
    "use **Share this view** to send it."
)
