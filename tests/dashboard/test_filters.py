"""The URL is the state: query parameters → ViewState → query parameters, and bad input dropped with notices."""

import datetime as dt

import pytest

from analysis.filters import (
    Filters,
    Options,
    ViewState,
    Vocabulary,
    clear_filters,
    normalise_params,
    parse_query,
    query_string,
    to_query,
)

VOCABULARY = Vocabulary(
    actors=frozenset({"putin", "kim_jong_un"}),
    places=frozenset({"kursk"}),
    sources=frozenset({"TASS", "Yonhap"}),
    languages=frozenset({"ru", "ko", "en"}),
    events=frozenset({"e1"}),
    articles=frozenset({"a1"}),
)

ROUND_TRIPS = [
    ({}, ViewState()),
    (
        {"actor": ["putin", "kim_jong_un"], "match": "all"},
        ViewState(Filters(actors=("putin", "kim_jong_un"), match="all")),
    ),
    (
        {"from": "2024-06-01", "to": "2024-06-30"},
        ViewState(Filters(date_from=dt.date(2024, 6, 1), date_to=dt.date(2024, 6, 30))),
    ),
    (
        {"type": ["AGREE", "SANCTION"], "modality": ["denied", "planned"]},
        ViewState(Filters(event_types=("AGREE", "SANCTION"), modalities=("denied", "planned"))),
    ),
    (
        {"lang": ["ko", "ru"], "source": "TASS", "place": "kursk"},
        ViewState(Filters(languages=("ko", "ru"), sources=("TASS",), places=("kursk",))),
    ),
    (
        {"map": "events", "basemap": "carto-positron"},
        ViewState(options=Options(map_mode="events", basemap="carto-positron")),
    ),
    (
        {"level": "article", "min": "3", "colour": "community", "focus": "putin"},
        ViewState(options=Options(level="article", min_weight=3, colour="community", focus="putin")),
    ),
    (
        {"y": "pair", "bin": "week", "event": "e1", "article": "a1", "pin": "kursk"},
        ViewState(options=Options(y_axis="pair", time_bin="week", event="e1", article="a1", pin="kursk")),
    ),
]


@pytest.mark.parametrize(("params", "expected"), ROUND_TRIPS)
def test_filters_round_trip_url_to_state_and_back(params, expected):
    state, notices = parse_query(params, VOCABULARY)
    assert notices == []
    assert state == expected
    assert parse_query(to_query(state), VOCABULARY)[0] == state
    assert normalise_params(to_query(state)) == normalise_params(params)


BAD = [
    ({"colour_of_sky": "blue"}, "unknown parameter “colour_of_sky”"),
    ({"from": "yesterday"}, "from=yesterday"),
    ({"to": "2024-02-30"}, "to=2024-02-30"),
    ({"type": ["AGREE", "HUG"]}, "type=HUG"),
    ({"min": "-2"}, "min=-2"),
    ({"min": "lots"}, "min=lots"),
    ({"map": "satellite"}, "map=satellite"),
    ({"actor": "stalin"}, "actor=stalin"),
    ({"event": "nope"}, "event=nope"),
    ({"lang": ""}, "empty parameter “lang”"),
]


@pytest.mark.parametrize(("params", "notice"), BAD)
def test_bad_parameters_are_dropped_with_a_notice(params, notice):
    state, notices = parse_query(params, VOCABULARY)
    assert any(notice in n for n in notices), notices
    assert "HUG" not in state.filters.event_types and state.filters.actors == ()


def test_good_values_survive_beside_bad_ones():
    state, notices = parse_query({"type": ["AGREE", "HUG"], "actor": ["putin", "stalin"], "bogus": "1"}, VOCABULARY)
    assert state.filters.event_types == ("AGREE",)
    assert state.filters.actors == ("putin",)
    assert len(notices) == 3


def test_case_is_forgiven_and_written_back_canonical():
    state, _ = parse_query({"type": "agree", "map": "EVENTS"}, VOCABULARY)
    assert to_query(state) == {"type": ["AGREE"], "map": "events"}


def test_reversed_date_range_is_swapped_with_a_notice():
    state, notices = parse_query({"from": "2024-12-01", "to": "2024-01-01"})
    assert (state.filters.date_from, state.filters.date_to) == (dt.date(2024, 1, 1), dt.date(2024, 12, 1))
    assert notices


def test_without_vocabulary_ids_are_kept_for_later_checking():
    state, notices = parse_query({"actor": "anyone"})
    assert state.filters.actors == ("anyone",) and notices == []


def test_streamlit_embed_parameter_is_not_reported():
    assert parse_query({"embed": "true"}) == (ViewState(), [])


def test_query_string_repeats_list_keys_and_omits_defaults():
    state = ViewState(Filters(actors=("putin", "kim_jong_un"), date_from=dt.date(2024, 6, 19)), Options(min_weight=2))
    assert query_string(state) == "actor=putin&actor=kim_jong_un&from=2024-06-19&min=2"


def test_clear_filters_keeps_layout_options_but_drops_selections():
    state = ViewState(Filters(actors=("putin",)), Options(min_weight=4, focus="putin", map_mode="events"))
    assert clear_filters(state) == ViewState(Filters(), Options(min_weight=4, map_mode="events"))
