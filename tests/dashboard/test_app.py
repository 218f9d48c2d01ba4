"""Every page in AppTest: with and without filters, URL parameters in and out, bad parameters, no data."""

import shutil
from urllib.parse import parse_qs

import pytest

from analysis import views
from analysis.filters import Filters, ViewState
from analysis.store import table_files

PAGES = {
    "overview": "Russia–North Korea in the news",
    "map": "Map of places",
    "network": "Actor network",
    "timeline": "Timeline of events",
    "evidence": "Evidence",
}
CHARTS = {"overview": 4, "map": 1, "network": 1, "timeline": 2, "evidence": 0}


def no_trouble(app) -> None:
    """No exception and no error box: the user never sees a stack trace."""
    assert not app.exception, [e.value for e in app.exception]
    assert not app.error, [e.value for e in app.error]


def url(app) -> dict:
    """The app's query parameters as lists, however AppTest shapes them."""
    return {k: (v if isinstance(v, list) else [v]) for k, v in app.query_params.items()}


@pytest.fixture(scope="module")
def top(dataset):
    """The most named actor and place, a language and a source of the session dataset."""
    choices = views.choices(dataset)
    return {
        "actor": next(iter(choices.actors)),
        "place": next(iter(choices.places)),
        "lang": choices.languages[0],
        "source": choices.sources[0],
    }


@pytest.mark.parametrize("page", PAGES)
def test_every_page_draws_without_filters(open_app, page):
    app = open_app(page)
    no_trouble(app)
    assert PAGES[page] in [t.value for t in app.title]
    assert len(app.get("plotly_chart")) == CHARTS[page]
    assert url(app) == {}
    assert [link.value for link in app.get("page_link")][:5] == ["Overview", "Map", "Network", "Timeline", "Evidence"]


@pytest.mark.parametrize("page", PAGES)
def test_every_page_opens_a_shared_link_with_its_filters(open_app, top, page):
    params = {"actor": [top["actor"]], "lang": [top["lang"]], "from": ["2000-01-01"]}
    app = open_app(page, params)
    no_trouble(app)
    assert url(app) == params  # the URL is read, kept, and written back unchanged
    assert app.multiselect(key="w_actors").value == [top["actor"]]
    assert app.multiselect(key="w_languages").value == [top["lang"]]
    if page == "evidence":
        assert [frame.key for frame in app.dataframe] == ["events_table"]  # only the open tab's table is drawn
    else:
        assert len(app.get("plotly_chart")) == CHARTS[page] or app.warning  # or nothing matches, said plainly
    nav = {link.value: parse_qs(link.proto.query_string) for link in app.get("page_link")[:5]}
    assert all(q == params for q in nav.values()), nav  # page switches keep the view


@pytest.mark.parametrize("page", PAGES)
def test_bad_parameters_are_dropped_with_a_visible_notice(open_app, top, page):
    app = open_app(
        page,
        {"actor": [top["actor"], "no-such-actor"], "min": "many", "from": "June", "type": "HUG", "utm_source": "mail"},
    )
    no_trouble(app)
    notice = " ".join(w.value for w in app.warning).replace("\\", "")  # as read: markdown escapes removed
    for dropped in ("no-such-actor", "min=many", "from=June", "type=HUG", "utm_source"):
        assert dropped in notice
    assert url(app) == {"actor": [top["actor"]]}


def test_changing_a_filter_changes_the_url(open_app, top):
    app = open_app("overview")
    app.multiselect(key="w_languages").select(top["lang"]).run()
    assert url(app) == {"lang": [top["lang"]]}
    app.multiselect(key="w_actors").select(top["actor"]).run()
    app.radio(key="w_match").set_value("all").run()
    assert url(app) == {"lang": [top["lang"]], "actor": [top["actor"]], "match": ["all"]}
    app.selectbox(key="w_role").set_value("source").run()
    assert url(app)["role"] == ["source"]


def test_page_options_live_in_the_url(open_app):
    app = open_app("network", {"min": "3", "level": "article", "colour": "community"})
    no_trouble(app)
    assert app.slider(key="w_min_weight").value == 3
    assert app.radio(key="w_level").value == "article"
    app.slider(key="w_min_weight").set_value(5).run()
    assert url(app) == {"min": ["5"], "level": ["article"], "colour": ["community"]}
    app = open_app("map", {"map": "events"})
    assert app.radio(key="w_map_mode").value == "events"
    app.radio(key="w_map_mode").set_value("mentions").run()
    assert url(app) == {}


def test_share_link_shows_the_whole_view(open_app, top):
    app = open_app("timeline", {"actor": top["actor"], "y": "pair"})
    links = [c.value for c in app.code if "?" in c.value]
    assert [parse_qs(link.split("?", 1)[1]) for link in links] == [{"actor": [top["actor"]], "y": ["pair"]}]


def test_nothing_matches_offers_one_click_clear(open_app, top):
    app = open_app("map", {"from": "1800-01-01", "to": "1800-01-31", "map": "events"})
    no_trouble(app)
    assert any("Nothing matches" in w.value for w in app.warning)
    app.button(key="clear_filters_empty").click().run()
    assert url(app) == {"map": ["events"]}  # filters gone, the page's own option kept
    assert len(app.get("plotly_chart")) == 1


def test_map_pin_lists_sentences_leading_to_evidence(open_app, dataset, top):
    app = open_app("map", {"pin": top["place"]})
    no_trouble(app)
    links = [link for link in app.get("page_link") if link.value == "Read in Evidence"]
    assert links
    query = parse_qs(links[0].proto.query_string)
    assert query["place"] == [top["place"]] and query["article"][0] in set(dataset.articles["article_id"])


def test_network_focus_lists_sentences_leading_to_evidence(open_app, top):
    app = open_app("network", {"focus": top["actor"]})
    no_trouble(app)
    assert any(
        top["actor"] in parse_qs(link.proto.query_string).get("actor", [])
        for link in app.get("page_link")
        if link.value == "Read in Evidence"
    )


def test_timeline_event_opens_its_evidence(open_app, dataset):
    event_id = dataset.events["event_id"].iat[0]
    app = open_app("timeline", {"event": event_id})
    no_trouble(app)
    link = next(link for link in app.get("page_link") if link.value == "Open its evidence")
    assert parse_qs(link.proto.query_string)["event"] == [event_id]
    evidence = open_app("evidence", parse_qs(link.proto.query_string))
    no_trouble(evidence)
    assert any("Selected event" in m.value for m in evidence.markdown)
    assert evidence.get("html")  # the article reader


def test_article_reader_never_passes_article_html(open_app, hostile_dir):
    ds = views.load_dataset(hostile_dir)
    app = open_app("evidence", {"article": ds.articles["article_id"].iat[0]}, data=hostile_dir)
    no_trouble(app)
    reader = " ".join(h.proto.body for h in app.get("html"))
    assert "&lt;script&gt;" in reader and "<script" not in reader
    assert "<b onmouseover" not in reader and "&lt;b onmouseover" in reader
    assert "<img" not in reader
    assert not app.get("link_button")  # the javascript: URL is not offered


def test_article_titles_cannot_become_markup_in_captions(open_app, hostile_dir):
    app = open_app("map", {"pin": "pyongyang"}, data=hostile_dir)
    no_trouble(app)
    captions = [c.value for c in app.caption if "Hostile" in c.value]
    assert captions and all(c.startswith("\\<b onmouseover") for c in captions), captions


def test_no_data_explains_how_to_add_some(open_app, tmp_path):
    app = open_app("overview", data=tmp_path / "empty")
    no_trouble(app)
    assert any("No data yet" in i.value for i in app.info)


def test_corrupt_table_is_a_message_not_a_trace(open_app, dataset_dir, tmp_path):
    broken = tmp_path / "broken"
    shutil.copytree(dataset_dir, broken, ignore=shutil.ignore_patterns(".lock", ".query"))
    [damaged] = table_files(broken)["mentions"]
    damaged.write_bytes(b"not parquet at all")
    app = open_app("map", data=broken)
    assert not app.exception
    shown = [e.value.replace("\\", "") for e in app.error]  # the message's Markdown escapes, as a reader sees it
    assert any(damaged.name in text and "mentions" in text for text in shown)


def test_filtered_view_matches_the_data_step(open_app, dataset, top):
    app = open_app("overview", {"actor": top["actor"]})
    expected = views.overview_view(dataset, ViewState(Filters(actors=(top["actor"],)))).totals
    metrics = {m.label.lower(): int(m.value.replace(",", "")) for m in app.metric}
    assert metrics["articles"] == expected["articles"] and metrics["events"] == expected["events"]


ODD_LINKS = [
    # Values out of range, contradictory or hostile, for every parameter the pages added: never a trace.
    {"at": "95,200,3", "zoom_from": "2030", "zoom_to": "1990", "tab": "nope", "find": "nobody", "event": "zzz"},
    {"q": "<script>alert(1)</script> ** [x](javascript:1)", "hide": ["countries", "organisations", "people"],
     "role": "source", "actor": "putin", "match": "all", "precision": ["year"], "type": "ASSUMED"},
    {"pin": "Vladivostok", "layer": "countries", "actor": "Kim Jong Un", "from": "2099", "article": "yyy"},
]


@pytest.mark.parametrize("page", [*PAGES, "actor"])
def test_odd_links_never_show_a_trace(open_app, page):
    for params in ODD_LINKS:
        no_trouble(open_app(page, params))
