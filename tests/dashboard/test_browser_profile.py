"""The Actor profile in a real browser: a link typed by a person opens it, and its links carry the actor."""

from __future__ import annotations

import re


from analysis.filters import Filters, ViewState
from analysis.views.profile import profile_view

from .browser import pick_option, query_of, wait_for_charts


def test_a_typed_name_opens_the_profile_and_its_links_lead_to_the_filtered_views(server, page, dataset):
    page.goto(f"{server}/actor?actor=putin")
    wait_for_charts(page, 1)
    page.wait_for_url(lambda url: query_of(url).get("actor") == ["vladimir-putin"])
    view = profile_view(dataset, ViewState(Filters(actors=("vladimir-putin",))))
    main = page.get_by_test_id("stMain")
    main.get_by_role("heading", name=view.name, exact=True).wait_for()
    metrics = main.get_by_test_id("stMetric")
    assert metrics.filter(has_text="Mentions").get_by_test_id("stMetricValue").inner_text() == str(view.mentions)
    assert metrics.filter(has_text="Events").first.get_by_test_id("stMetricValue").inner_text() == str(view.events)
    assert main.get_by_text(view.partners["name"].iat[0] + " · ", exact=False).count() >= 1
    assert main.get_by_text(view.quotes["evidence"].iat[0], exact=True).count() >= 1
    main.get_by_role("link", name=f"Network: {view.name}").click()
    page.wait_for_url(re.compile(r"/network\?"))
    assert query_of(page.url)["actor"] == ["vladimir-putin"]
    wait_for_charts(page, 1)


def test_choosing_an_actor_without_one_opens_their_profile(server, page, dataset):
    page.goto(f"{server}/actor")
    picker = page.get_by_test_id("stSelectbox").filter(has_text="Choose an actor")
    pick_option(page, picker, "Kim Jong Un", typed="Kim Jong Un")
    page.wait_for_url(lambda url: query_of(url).get("actor") == ["kim-jong-un"])
    page.get_by_test_id("stMain").get_by_role("heading", name="Kim Jong Un", exact=True).wait_for()
