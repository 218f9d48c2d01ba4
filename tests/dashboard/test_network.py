"""The Network page's data on the real corpus: readable labels, hidden kinds, named communities, centrality, search."""

from __future__ import annotations

import itertools

import numpy as np
import pytest

from analysis import network, palette, views
from analysis.filters import Options, ViewState
from analysis.views.network import LABEL_SIZE


@pytest.fixture(scope="module")
def whole(dataset):
    """The network as it opens: nothing filtered, nothing hidden."""
    return views.network_view(dataset, ViewState())


def label_boxes(nodes) -> list[tuple[float, float, float, float]]:
    """The estimated box of every label drawn."""
    shown = nodes[nodes["label_x"].notna()]
    boxes = []
    for name, x, y, found in zip(shown["name"], shown["label_x"], shown["label_y"], shown["found"]):
        half_w, half_h = network.text_width(name, LABEL_SIZE, bold=found) / 2, LABEL_SIZE * 0.7
        boxes.append((x - half_w, y - half_h, x + half_w, y + half_h))
    return boxes


def overlapping(boxes) -> list[tuple]:
    """Pairs of boxes that overlap by more than a rounding error."""
    return [
        (a, b)
        for a, b in itertools.combinations(boxes, 2)
        if min(a[2], b[2]) - max(a[0], b[0]) > 0.5 and min(a[3], b[3]) - max(a[1], b[1]) > 0.5
    ]


def test_network_labels_do_not_overlap_and_the_most_named_are_labelled(whole):
    assert not overlapping(label_boxes(whole.nodes))
    top = whole.nodes.nlargest(5, "mentions")
    assert top["label_x"].notna().all(), "the five most named actors always get their names drawn"
    width, height = whole.frame
    assert whole.nodes["x"].between(0, width).all() and whole.nodes["y"].between(0, height).all()


def test_place_labels_moves_a_crowded_label_and_drops_it_only_when_nothing_is_free():
    names = ["Vladimir Putin", "Kim Jong Un", "United States"]
    widths = np.array([network.text_width(n, 11) for n in names])
    x, y = np.array([100.0, 104.0, 98.0]), np.array([100.0, 102.0, 97.0])  # three hubs almost on one spot
    label_x, label_y = network.place_labels(x, y, np.full(3, 10.0), widths, np.full(3, 15.0), (400.0, 400.0))
    assert np.isfinite(label_x).all()
    boxes = [(lx - w / 2, ly - 7.5, lx + w / 2, ly + 7.5) for lx, ly, w in zip(label_x, label_y, widths)]
    assert not overlapping(boxes)
    # In a frame barely bigger than one label, the second cannot go anywhere and is dropped.
    tight_x, _ = network.place_labels(
        x[:2] - 40, y[:2] - 75, np.full(2, 2.0), widths[:2], np.full(2, 15.0), (130.0, 32.0)
    )
    assert np.isfinite(tight_x[0]) and np.isnan(tight_x[1])


def test_hiding_countries_removes_every_state_and_keeps_people_and_organisations(dataset, whole):
    states = whole.nodes["entity_id"].str.startswith("country:") | whole.nodes["type"].eq("GPE")
    assert states.any()
    hidden = views.network_view(dataset, ViewState(options=Options(hide=("countries",)))).nodes
    assert not hidden["entity_id"].str.startswith("country:").any() and not hidden["type"].eq("GPE").any()
    assert set(whole.nodes.loc[~states, "entity_id"].head(10)) <= set(hidden["entity_id"])
    people = views.network_view(dataset, ViewState(options=Options(hide=("people", "organisations")))).nodes
    assert set(people["type"]) <= {"GPE"}


def test_communities_are_named_by_their_most_named_members(whole):
    nodes = whole.nodes
    assert "other" not in whole.communities[:-1]
    for number, members in nodes[nodes["community"] >= 0].groupby("community"):
        ranked = members.sort_values(["mentions", "name"], ascending=[False, True])["name"].tolist()
        assert len(members) >= 3
        assert members["community_name"].iat[0] == " · ".join(ranked[:3])
    named = nodes.loc[nodes["community"] >= 0, "community_name"]
    assert named.nunique() >= 2 and not named.str.fullmatch(r"\d+").any()
    assert set(nodes["community_name"]) == set(whole.communities)


def test_nodes_come_most_central_first(whole):
    betweenness = whole.nodes["betweenness"].to_numpy()
    assert (np.diff(betweenness) <= 1e-12).all()
    assert betweenness[0] > 0


def test_find_marks_the_actor_and_only_its_links(dataset, whole):
    target = whole.nodes["entity_id"].iat[len(whole.nodes) // 2]
    view = views.network_view(dataset, ViewState(options=Options(find=target)))
    assert view.find == target and view.nodes.loc[view.nodes["found"], "entity_id"].tolist() == [target]
    touching = (view.edges["source"] == target) | (view.edges["target"] == target)
    assert touching.any() and (view.edges["found"] == touching).all()
    assert view.nodes.set_index("entity_id").loc[target, ["label_x"]].notna().all(), "the searched name is drawn"
    hidden = views.network_view(dataset, ViewState(options=Options(find="country:RUS", hide=("countries",))))
    assert hidden.find is None and not hidden.nodes["found"].any()


def test_missing_countries_and_sectors_read_unknown(whole):
    for column in ("country_name", "sector"):
        values = set(whole.nodes[column])
        assert not values & {"nan", "None", "none", "Unknown", ""}
    assert palette.MISSING in set(whole.nodes["country_name"]) | set(whole.nodes["sector"])


def test_network_page_table_is_sorted_by_centrality_with_community_names(open_app, whole):
    app = open_app("network", {"hide": "countries"})
    assert not app.exception
    table = app.dataframe[0].value
    assert list(table["betweenness"]) == sorted(table["betweenness"], reverse=True)
    assert table["community_name"].str.contains(" · ").any()
    assert not table["type"].eq("GPE").any()
