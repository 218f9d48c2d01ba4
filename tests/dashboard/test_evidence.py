"""The Evidence page's data step on the real corpus: a search over every filtered row, the event panel and the
article with the event's sentence marked, missing values shown as 'unknown'."""

from __future__ import annotations

import html
import re

import numpy as np
import pytest

from analysis import palette, views
from analysis.filters import Filters, Options, ViewState
from analysis.views import evidence


def folded(text: str) -> str:
    """Text as the search compares it."""
    return evidence.fold_text(text)


def searched(q: str, **filters) -> ViewState:
    """A view state with a search and filters."""
    return ViewState(Filters(**filters), Options(search=q))


@pytest.fixture(scope="module")
def oldest(dataset) -> dict:
    """The oldest event, and a search made of its sentence's two longest words."""
    row = dataset.events.sort_values("day", kind="stable").iloc[0]
    words = sorted(set(re.findall(r"\w{4,}", row["evidence"])), key=len)[-2:]
    return {"event_id": row["event_id"], "evidence": row["evidence"], "q": " ".join(words)}


def test_search_finds_an_event_far_below_the_newest_rows(dataset, oldest):
    unsearched = views.evidence_view(dataset, ViewState(), limit=500)
    assert oldest["event_id"] not in set(unsearched.events["event_id"])
    view = views.evidence_view(dataset, searched(oldest["q"]), limit=500)
    assert oldest["event_id"] in set(view.events["event_id"])
    assert 0 < view.events_total < view.events_filtered == len(dataset.events)


def test_search_keeps_exactly_the_events_whose_texts_hold_every_word(dataset, oldest):
    ds = dataset
    view = views.evidence_view(ds, searched(oldest["q"].upper()), limit=10_000)  # case does not matter
    names = ds.entities["label"].to_numpy()
    expected = set()
    for row in ds.events.itertuples():
        texts = [row.evidence, row.trigger, ds.articles["title"].iat[row.art]]
        texts += [names[n] for n in (row.src, row.tgt, row.place) if n >= 0]
        if all(any(w in folded(t) for t in texts) for w in folded(oldest["q"]).split()):
            expected.add(row.event_id)
    assert set(view.events["event_id"]) == expected and view.events_total == len(expected)


def test_search_keeps_exactly_the_mentions_whose_sentence_title_or_name_hold_every_word(dataset):
    ds = dataset
    top = ds.entities.sort_values("mention_count", ascending=False).iloc[0]
    word = folded(top["name"].split()[-1])
    rows = evidence.evidence_rows(ds, searched(word))
    expected = [
        i
        for i, m in enumerate(ds.mentions.itertuples())
        if any(
            word in folded(t)
            for t in (
                views.sentence_text(ds, m.sent),
                ds.articles["title"].iat[m.art],
                ds.entities["label"].iat[m.ent],
                m.surface,
            )
        )
    ]
    assert list(rows.mentions) == expected and rows.mentions_filtered == len(ds.mentions)


def test_search_ignores_accents_and_reaches_articles(dataset):
    plain = views.evidence_view(dataset, searched("pyongyang"))
    accented = views.evidence_view(dataset, searched("PYÖNGYÁNG"))
    assert plain.events_total > 0 and accented.events_total == plain.events_total
    assert accented.articles_total == plain.articles_total > 0
    assert all(
        "pyongyang" in folded(t) or a in set(plain.mentions["article_id"]) or a in set(plain.events["article_id"])
        for t, a in zip(plain.articles["title"], plain.articles["article_id"])
    )


def test_search_that_matches_nothing_counts_zero_of_all(dataset):
    view = views.evidence_view(dataset, searched("zzqxv"))
    assert (view.events_total, view.mentions_total, view.articles_total) == (0, 0, 0)
    assert view.events_filtered == len(dataset.events) and not view.empty


def test_tables_list_the_newest_rows_and_count_them_all(dataset):
    view = views.evidence_view(dataset, ViewState(), limit=100)
    assert len(view.events) == 100 and view.events_total == len(dataset.events)
    days = view.events["day"].to_numpy()
    assert (days[:-1] >= days[1:]).all() and days[0] == dataset.events["day"].max()
    assert len(view.articles) == min(100, len(dataset.articles)) and view.articles_total == len(dataset.articles)
    per_article = view.articles.set_index("article_id")["events"]
    counts = dataset.events.groupby("art").size()
    for article_id, n in per_article.items():
        assert n == counts.get(dataset.article_index[article_id], 0)


def test_missing_values_read_unknown(dataset):
    view = views.evidence_view(dataset, ViewState(), limit=10_000)
    no_place = dataset.events["place"].to_numpy() < 0
    assert no_place.any()
    assert (view.events["place"] == palette.MISSING).sum() == no_place.sum()
    for column in ("place", "pair", "type", "modality", "date", "date_precision"):
        shown = set(view.events[column].astype(str))
        assert not shown & {"nan", "None", "", "NaT"}, column


def test_selected_event_opens_its_article_with_that_sentence_marked(dataset, oldest):
    view = views.evidence_view(dataset, ViewState(options=Options(event=oldest["event_id"])))
    event = view.selected_event
    assert event["event_id"] == oldest["event_id"] and event["evidence"] == oldest["evidence"]
    shown = {"type", "modality", "date", "date_precision", "source_name", "target_name", "place", "trigger"}
    assert shown <= set(event)
    page = view.article["html"]
    marked = re.findall(r'<mark class="event-sentence"[^>]*>(.*?)</mark>(?!</mark>)', page)
    assert page.count('class="event-sentence"') == 1
    # The sentence's text is the evidence, entity marks inside it included.
    start = page.index('class="event-sentence"')
    inside = _marked_text(page[start:])
    assert html.unescape(inside).replace("<br>", "\n") == oldest["evidence"], marked


def _marked_text(fragment: str) -> str:
    """The text of the first <mark> in an HTML fragment, nested marks included."""
    depth, out = 0, []
    for token in re.split(r"(<mark[^>]*>|</mark>)", fragment.split(">", 1)[1]):
        if token.startswith("<mark"):
            depth += 1
        elif token == "</mark>":
            if depth == 0:
                break
            depth -= 1
        else:
            out.append(token)
    return "".join(out)


def test_every_event_sentence_is_found_in_its_article(dataset):
    found = 0
    for number in range(len(dataset.events)):
        article_id = dataset.articles["article_id"].iat[dataset.events["art"].iat[number]]
        reader = views.article_reader(dataset, article_id, highlight_event=number)
        found += reader["sentence"] == dataset.events["evidence"].iat[number]
    assert found == len(dataset.events)


def test_the_marked_sentence_stays_escaped(hostile_dir):
    ds = views.load_dataset(hostile_dir)
    article_id = ds.articles["article_id"].iat[0]
    reader = views.article_reader(ds, article_id, highlight_sentence=0)
    assert "<script" not in reader["html"] and "&lt;script&gt;" in reader["html"]
    assert np.all([tag in ("mark", "/mark", "br") for tag in re.findall(r"<(/?\w+)", reader["html"])])


def test_the_search_index_is_built_once_in_the_background(dataset_dir):
    from analysis.views.evidence import prepare_search_in_background, search_index

    fresh = views.load_dataset(dataset_dir)  # a dataset of its own: the session one may be indexed already
    assert "search_index" not in fresh.extra
    prepare_search_in_background(fresh).join(timeout=120)
    built = fresh.extra["search_index"]
    assert search_index(fresh) is built  # the first search finds it ready and does not build it again
