"""The Actor profile on the real corpus: counts checked against the Parquet tables, and the page's links."""

from __future__ import annotations

from urllib.parse import parse_qs

import pandas as pd
import pytest

from analysis.filters import Filters, ViewState
from analysis.views.profile import profile_view


@pytest.fixture(scope="module")
def tables(dataset_dir):
    """The four tables as the engine wrote them, read without the dashboard's preparation."""
    return {name: pd.read_parquet(dataset_dir / name) for name in ("articles", "mentions", "events")}


@pytest.fixture(scope="module")
def actor(dataset):
    """The most mentioned person of the corpus."""
    ents = dataset.entities
    people = ents[ents["type"].eq("PERSON") & ents["is_actor"]]
    return people.sort_values("mention_count", ascending=False)["entity_id"].iat[0]


def sentences_naming(tables: dict, entity: str) -> set[tuple[str, int]]:
    """(article, sentence) pairs where the entity is mentioned or is an event's source, target or place."""
    m, e = tables["mentions"], tables["events"]
    named = set(zip(m.loc[m["entity_id"] == entity, "article_id"], m.loc[m["entity_id"] == entity, "sentence"]))
    for role in ("source_id", "target_id", "place_id"):
        rows = e[e[role] == entity]
        named |= set(zip(rows["article_id"], rows["sentence"]))
    return named


def test_profile_counts_equal_counts_from_the_tables(dataset, tables, actor):
    view = profile_view(dataset, ViewState(Filters(actors=(actor,))))
    m, e = tables["mentions"], tables["events"]
    assert view.actor == actor and view.name == dataset.entities.set_index("entity_id").loc[actor, "name"]
    assert view.mentions == (m["entity_id"] == actor).sum() > 0
    assert view.as_source == (e["source_id"] == actor).sum()
    assert view.as_target == (e["target_id"] == actor).sum()
    assert view.events == ((e["source_id"] == actor) | (e["target_id"] == actor)).sum() > 0
    assert view.timeline["events"].sum() == view.events  # every event of the corpus has a day


def test_profile_counts_follow_the_sidebar_filters(dataset, tables, actor):
    view = profile_view(dataset, ViewState(Filters(actors=(actor,), languages=("en",))))
    english = set(tables["articles"].loc[tables["articles"]["language"] == "en", "article_id"])
    m, e = tables["mentions"], tables["events"]
    assert view.mentions == ((m["entity_id"] == actor) & m["article_id"].isin(english)).sum()
    involved = (e["source_id"] == actor) | (e["target_id"] == actor)
    assert view.events == (involved & e["article_id"].isin(english)).sum()
    assert 0 < view.events < profile_view(dataset, ViewState(Filters(actors=(actor,)))).events


def test_profile_partners_and_places_count_shared_events_and_sentences(dataset, tables, actor):
    view = profile_view(dataset, ViewState(Filters(actors=(actor,))))
    e = tables["events"]
    own = sentences_naming(tables, actor)
    partner = view.partners.iloc[0]
    pair = ((e["source_id"] == actor) & (e["target_id"] == partner["entity_id"])) | (
        (e["target_id"] == actor) & (e["source_id"] == partner["entity_id"])
    )
    assert partner["events"] == pair.sum() > 0
    assert partner["sentences"] == len(own & sentences_naming(tables, partner["entity_id"]))
    assert actor not in set(view.partners["entity_id"])
    place = view.places.iloc[0]
    assert dataset.entities.set_index("entity_id").loc[place["entity_id"], "is_place"]
    assert place["sentences"] == len(own & sentences_naming(tables, place["entity_id"])) > 0


def test_profile_quotes_are_their_own_sentences_newest_first(dataset, tables, actor):
    view = profile_view(dataset, ViewState(Filters(actors=(actor,))))
    started = tables["events"][tables["events"]["source_id"] == actor]
    assert len(view.quotes) and set(view.quotes["evidence"]) <= set(started["evidence"])
    assert view.quotes_total == len(started.drop_duplicates(["article_id", "sentence"]))
    days = view.quotes["day"].to_numpy()
    assert (days[:-1] >= days[1:]).all()


def test_profile_without_an_actor_lists_actors_most_mentioned_first(dataset):
    view = profile_view(dataset, ViewState())
    assert view.actor is None
    counts = dataset.entities.set_index("entity_id")["mention_count"]
    listed = [counts[a] for a in view.actors]
    assert listed == sorted(listed, reverse=True) and len(listed) > 20


def test_profile_names_wikidata_and_missing_values(dataset, actor):
    view = profile_view(dataset, ViewState(Filters(actors=(actor,))))
    wikidata = dataset.entities.set_index("entity_id").loc[actor, "wikidata"]
    assert view.wikidata_url == f"https://www.wikidata.org/wiki/{wikidata}"
    assert "nan" not in (view.country, view.sector, view.type)


def test_profile_page_shows_the_actor_and_links_every_view_filtered_on_them(open_app, dataset, actor):
    app = open_app("actor", {"actor": actor})
    assert not app.exception
    view = profile_view(dataset, ViewState(Filters(actors=(actor,))))
    assert view.name in [h.value for h in app.header]
    metrics = {m.label: m.value for m in app.metric}
    assert metrics["Mentions"] == str(view.mentions) and metrics["Events"] == str(view.events)
    links = {link.value: (link.proto.page, parse_qs(link.proto.query_string)) for link in app.get("page_link")}
    for title, path in (("Map", "map"), ("Network", "network"), ("Timeline", "timeline"), ("Evidence", "evidence")):
        page, query = links[f"{title}: {view.name}"]
        assert page.endswith(path) and actor in query["actor"]
    partner = view.partners.iloc[0]
    page, query = next(v for k, v in links.items() if k.startswith(partner["name"] + " · "))
    assert page in ("", "actor") or page.endswith("/actor")  # "" = this same page, the profile
    assert query["actor"] == [partner["entity_id"]]
    place = view.places.iloc[0]
    place_links = {k: v for k, v in links.items() if k.endswith(" sentences") and "shared events" not in k}
    page, query = next(v for k, v in place_links.items() if k.startswith(place["name"]))
    assert page.endswith("map") and query["pin"] == [place["entity_id"]]
    reads = [parse_qs(link.proto.query_string) for link in app.get("page_link") if link.value == "Read in Evidence"]
    assert [q["article"] for q in reads] == [[a] for a in view.quotes["article_id"]]
    assert [t.value for t in app.text][-len(view.quotes):] == list(view.quotes["evidence"])


@pytest.mark.parametrize("typed", ["putin", "Kim Jong Un"])
def test_profile_opens_from_a_name_typed_in_the_link(open_app, dataset, typed):
    app = open_app("actor", {"actor": typed})
    assert not app.exception
    names = [h.value for h in app.header]
    assert any(typed.casefold() in n.casefold() for n in names), names
    assert int({m.label: m.value for m in app.metric}["Mentions"]) > 0
