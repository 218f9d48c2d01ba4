"""What the sidebar's filters select, checked against the stored tables read independently with pandas."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest

from analysis import views
from analysis.filters import Filters, Vocabulary, parse_query


@pytest.fixture(scope="module")
def events(dataset_dir):
    """The events table as stored."""
    return pd.read_parquet(dataset_dir / "events")


@pytest.fixture(scope="module")
def busiest(events):
    """The actor taking part in the most events."""
    return pd.concat([events["source_id"], events["target_id"]]).dropna().value_counts().index[0]


def selected_ids(dataset, **filters) -> set[str]:
    """Event ids the filters keep."""
    sel = views.select(dataset, Filters(**filters))
    return set(dataset.events["event_id"][sel.events])


def test_an_actor_filter_keeps_the_events_they_take_part_in(dataset, events, busiest):
    own = events[(events["source_id"] == busiest) | (events["target_id"] == busiest)]
    assert selected_ids(dataset, actors=(busiest,)) == set(own["event_id"])


def test_roles_split_their_events_into_acts_and_acts_upon_them(dataset, events, busiest):
    as_source = selected_ids(dataset, actors=(busiest,), role="source")
    as_target = selected_ids(dataset, actors=(busiest,), role="target")
    assert as_source == set(events.loc[events["source_id"] == busiest, "event_id"])
    assert as_target == set(events.loc[events["target_id"] == busiest, "event_id"])


def test_merely_named_keeps_other_peoples_events_in_their_sentences(dataset, events, busiest):
    named = selected_ids(dataset, actors=(busiest,), role="named")
    own = selected_ids(dataset, actors=(busiest,))
    assert own < named  # sentences naming them also carry events between others


def test_all_of_them_together_means_events_between_them(dataset, events, busiest):
    partner = (
        events.loc[events["source_id"] == busiest, "target_id"].dropna().value_counts().index[0]
    )
    between = events[
        events["source_id"].isin([busiest, partner]) & events["target_id"].isin([busiest, partner])
    ]
    assert selected_ids(dataset, actors=(busiest, partner), match="all") == set(between["event_id"])


def test_precision_filter_separates_dated_events_from_publication_day_fallbacks(dataset, events):
    undated = events[events["date"].isna() | events["date_precision"].eq("article")]
    assert selected_ids(dataset, precisions=("article",)) == set(undated["event_id"])
    by_month = events[events["date_precision"].eq("month") & events["date"].notna()]
    assert selected_ids(dataset, precisions=("month",)) == set(by_month["event_id"])


def test_links_name_actors_by_alias_and_dates_by_year_or_month(dataset):
    vocabulary = views.vocabulary(dataset)
    name, actor = next((n, a) for n, a in vocabulary.actor_names.items() if " " in n and not a.startswith("country"))
    state, notices = parse_query({"actor": name.title(), "from": "2024", "to": "2024-02"}, vocabulary)
    assert notices == []
    assert state.filters.actors == (actor,)
    assert (state.filters.date_from, state.filters.date_to) == (dt.date(2024, 1, 1), dt.date(2024, 2, 29))


def test_an_unknown_name_gets_the_nearest_one_suggested():
    vocabulary = Vocabulary(actors=frozenset({"vladimir-putin"}), actor_names={"vladimir putin": "vladimir-putin"})
    state, notices = parse_query({"actor": "Vladimir Putn"}, vocabulary)
    assert state.filters.actors == ()
    assert notices == ["Ignored “actor=Vladimir Putn”: not in this dataset. Did you mean “vladimir putin”?"]
    _, notices = parse_query({"to": "2024-13"}, vocabulary)
    assert "expected a date as YYYY, YYYY-MM or YYYY-MM-DD" in notices[0]


def test_missing_values_read_the_same_everywhere(dataset):
    from analysis.palette import MISSING

    assert not dataset.entities["country_name"].isin(["Unknown", "nan", "None"]).any()
    assert (dataset.entities["country"].isna() == dataset.entities["country_name"].eq(MISSING)).all()


def test_overview_counts_articles_per_language_source_and_month(dataset, dataset_dir):
    articles = pd.read_parquet(dataset_dir / "articles").drop_duplicates("article_id")
    view = views.overview_view(dataset, views.ViewState())
    assert dict(zip(view.by_language["language"], view.by_language["articles"])) == (
        articles["language"].value_counts().to_dict()
    )
    assert dict(zip(view.by_source["source"], view.by_source["articles"])) == articles["source"].value_counts().to_dict()
    months = pd.to_datetime(articles["published"], errors="coerce", format="mixed").dt.to_period("M")
    expected = articles.assign(month=months.dt.to_timestamp()).dropna(subset=["month"])
    expected = expected.groupby(["month", "language"]).size()
    got = view.by_month.set_index(["month", "language"])["articles"]
    assert got.sort_index().to_dict() == expected.sort_index().to_dict()
