"""The sidebar in a real browser: pickers that select what was typed, links typed by hand, the operator's folder.

`streamlit run` serves the app on 127.0.0.1 and Playwright drives Debian's Chromium headless.
"""

from __future__ import annotations

import re

import pytest

from analysis import views

from .browser import query_of, serve, wait_for_charts


@pytest.fixture(scope="module")
def names(dataset):
    """Name lookups of the session dataset: lower-cased alias → actor id, and the picker labels."""
    return views.vocabulary(dataset).actor_names, views.choices(dataset).actors


def type_into_picker(page, label: str, text: str) -> None:
    """Type into a sidebar picker, as a user would, and press Enter."""
    picker = page.get_by_test_id("stSidebar").get_by_test_id("stMultiSelect").filter(has_text=label)
    picker.evaluate("e => e.scrollIntoView({block: 'center'})")  # a menu at the window's bottom edge stays shut
    picker.locator("input").click()
    picker.locator("input").fill(text)
    page.get_by_role("option").first.wait_for()  # Enter before the menu shows the matches picks nothing
    picker.locator("input").press("Enter")


def a_surname(labels: dict[str, str], actor_names: dict[str, str]) -> tuple[str, str]:
    """A person's surname that names exactly one picker option: what an analyst types to find them."""
    for actor, label in labels.items():
        words = label.split()
        if len(words) >= 2 and not actor.startswith("country:"):
            surname = words[-1]
            hits = [a for a, other in labels.items() if surname.lower() in other.lower()]
            if hits == [actor] and len(surname) > 3:
                return surname, actor
    pytest.skip("no actor with a surname of its own in this dataset")


def test_typing_a_surname_and_enter_selects_that_actor_only(server, page, names):
    actor_names, labels = names
    surname, actor = a_surname(labels, actor_names)
    page.goto(f"{server}/")
    wait_for_charts(page, 4)
    type_into_picker(page, "Actors", surname)
    page.wait_for_url(lambda url: "actor" in query_of(url))
    assert query_of(page.url)["actor"] == [actor]
    caption = page.get_by_test_id("stSidebar").get_by_text(re.compile(r"^1 actor selected"))
    assert labels[actor] in caption.inner_text()


def test_an_alias_in_another_script_is_looked_up_behind_the_list(server, page, names):
    actor_names, labels = names
    # An alias not shown in any option label: written in a script none of the canonical names use.
    alias, actor = next(
        ((a, i) for a, i in actor_names.items() if not a.isascii() and not any(a in l.lower() for l in labels.values())),
        (None, None),
    )
    if alias is None:
        pytest.skip("no non-Latin alias in this dataset")
    page.goto(f"{server}/")
    wait_for_charts(page, 4)
    type_into_picker(page, "Actors", alias)
    page.wait_for_url(lambda url: "actor" in query_of(url))
    assert query_of(page.url)["actor"] == [actor]


def test_typing_a_common_word_offers_no_select_all(server, page, names):
    _, labels = names
    word = "Russia" if sum("russia" in l.lower() for l in labels.values()) > 1 else next(iter(labels.values()))[:3]
    page.goto(f"{server}/")
    wait_for_charts(page, 4)
    picker = page.get_by_test_id("stSidebar").get_by_test_id("stMultiSelect").filter(has_text="Actors")
    picker.locator("input").click()
    picker.locator("input").fill(word)
    options = page.get_by_role("option")
    options.first.wait_for()
    texts = options.all_inner_texts()
    assert not [t for t in texts if re.match(r"Select (all|\d+ matches)", t)]
    assert all(word.lower() in t.lower() or t.startswith("Add") for t in texts)  # only names that contain it


def test_unknown_typed_name_is_said_and_nothing_selected(server, page):
    page.goto(f"{server}/")
    wait_for_charts(page, 4)
    type_into_picker(page, "Actors", "Zzyzx Nobody")
    page.get_by_text("No actor called “Zzyzx Nobody” in this data.").wait_for()
    assert "actor" not in query_of(page.url)


def test_links_typed_by_hand_name_actors_and_dates_as_people_write_them(server, page, dataset, names):
    actor_names, labels = names
    top = next(iter(labels))
    typed = labels[top].upper()  # the canonical name, in the wrong case
    page.goto(f"{server}/timeline?actor={typed}&from=2024&to=2024-02")
    page.wait_for_url(lambda url: query_of(url).get("actor") == [top])
    assert query_of(page.url)["from"] == ["2024-01-01"] and query_of(page.url)["to"] == ["2024-02-29"]
    assert page.get_by_text("not in this dataset").count() == 0


def test_a_misspelt_name_and_an_unknown_page_get_the_nearest_match(server, page, names):
    _, labels = names
    name = next(l for l in labels.values() if len(l) > 6)
    misspelt = name[:-1] + ("x" if name[-1] != "x" else "y")
    page.goto(f"{server}/netwrk?actor={misspelt}")
    page.get_by_text("There is no page called “netwrk”").wait_for()
    assert page.get_by_text("Did you mean network?").count() == 1
    notice = page.get_by_text(re.compile(f"Ignored “actor={re.escape(misspelt)}”"))
    assert "Did you mean" in notice.inner_text()


def test_visitors_cannot_point_the_app_at_another_folder(server, page):
    page.goto(f"{server}/")
    wait_for_charts(page, 4)
    sidebar = page.get_by_test_id("stSidebar")
    assert sidebar.get_by_test_id("stTextInput").count() == 0
    assert sidebar.get_by_text("Data folder").count() == 0


def test_a_bad_data_folder_keeps_the_sidebar_and_says_where_to_fix_it(browser, tmp_path):
    broken = tmp_path / "broken"
    broken.mkdir()
    for name in ("articles", "entities", "mentions", "events"):
        (broken / f"{name}.parquet").write_bytes(b"not parquet")
    with serve(data_dir=broken) as base:
        tab = browser.new_page()
        tab.goto(f"{base}/map")
        tab.get_by_text(re.compile("cannot be read")).first.wait_for()
        sidebar = tab.get_by_test_id("stSidebar")
        sidebar.get_by_test_id("stPageLink-NavLink").filter(has_text="Evidence").wait_for()
        links = sidebar.get_by_test_id("stPageLink-NavLink").all_inner_texts()
        assert {"Overview", "Map", "Network", "Timeline", "Evidence"} <= {t.split("\n")[-1].strip() for t in links}
        assert str(broken) in sidebar.inner_text() and "NEWSINT_DATA" in sidebar.inner_text()
        tab.close()


def test_an_800_pixel_window_keeps_charts_readable(server, browser):
    context = browser.new_context(viewport={"width": 800, "height": 900})
    tab = context.new_page()
    tab.goto(f"{server}/")
    wait_for_charts(tab, 4)
    widths = tab.evaluate("() => [...document.querySelectorAll('.js-plotly-plot')].map(g => g.getBoundingClientRect().width)")
    sidebar = tab.get_by_test_id("stSidebar").bounding_box()
    context.close()
    assert sidebar["width"] <= 250
    assert min(widths) >= 450  # each chart keeps the main area's width rather than a quarter of the window


def test_overview_axes_count_whole_articles(server, page, names):
    _, labels = names
    rare = list(labels)[len(labels) // 2]  # an actor named in few articles: small counts tempt half ticks
    page.goto(f"{server}/?actor={rare}")
    wait_for_charts(page, 4)
    ticks = page.evaluate(
        """() => [...document.querySelectorAll('.js-plotly-plot')].flatMap(g =>
             [...g.querySelectorAll('.xtick text, .ytick text')].map(t => t.textContent))"""
    )
    numbers = [t.replace(",", "") for t in ticks if re.fullmatch(r"[\d.,]+", t)]
    assert numbers and all(n.isdigit() for n in numbers), numbers
