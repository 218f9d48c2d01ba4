"""The data step of each dashboard page: tables + view state in, frames ready to draw out.

Loading turns the four tables into integer-coded arrays once (article, sentence and entity numbers), so
that every filter is a boolean mask and every count a bincount: a page's data step stays well under a
second on 100k articles. Nothing here imports streamlit; the pages only draw what these functions return.
One module per page, over the shared dataset in `dataset`.
"""

from analysis.filters import MODALITIES, Filters, Options, ViewState
from analysis.views.dataset import (
    Choices,
    Dataset,
    DataUnavailable,
    RawTables,
    Selection,
    _expand_to_sentence,
    choices,
    dataset_signature,
    has_dataset,
    is_empty_dataset,
    load_dataset,
    prepare,
    read_tables,
    select,
    sentence_rows,
    sentence_text,
    vocabulary,
)
from analysis.views.evidence import EvidenceView, article_reader, evidence_view
from analysis.views.evidence import EvidenceRows, event_detail, evidence_rows, search_index
from analysis.views.map import MapView, map_view
from analysis.views.network import NetworkView, network_view
from analysis.views.overview import OverviewView, overview_view
from analysis.views.profile import ProfileView, profile_view
from analysis.views.timeline import TimelineView, load_milestones, milestone_labels, timeline_view

__all__ = [
    "Choices",
    "Dataset",
    "DataUnavailable",
    "EvidenceRows",
    "EvidenceView",
    "Filters",
    "MODALITIES",
    "MapView",
    "NetworkView",
    "Options",
    "OverviewView",
    "ProfileView",
    "RawTables",
    "Selection",
    "TimelineView",
    "ViewState",
    "_expand_to_sentence",
    "article_reader",
    "choices",
    "dataset_signature",
    "event_detail",
    "evidence_rows",
    "evidence_view",
    "has_dataset",
    "is_empty_dataset",
    "load_dataset",
    "load_milestones",
    "map_view",
    "milestone_labels",
    "network_view",
    "overview_view",
    "prepare",
    "profile_view",
    "read_tables",
    "select",
    "search_index",
    "sentence_rows",
    "sentence_text",
    "timeline_view",
    "vocabulary",
]
