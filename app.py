"""News intelligence on the Russia–North Korea rapprochement: the dashboard's entry point.

Run with `streamlit run app.py`. The pages live in app_pages/ and are declared here with st.Page/st.navigation
(not pages/: Streamlit would run a pages/ folder as an old-style multipage app and skip this script).
"""

from __future__ import annotations

import sys
from pathlib import Path
from types import ModuleType
from typing import Any

import streamlit as st

ROOT = Path(__file__).resolve().parent
PAGES = (
    ("app_pages/overview.py", "Overview", "overview", ":material/dashboard:"),
    ("app_pages/map.py", "Map", "map", ":material/map:"),
    ("app_pages/network.py", "Network", "network", ":material/hub:"),
    ("app_pages/timeline.py", "Timeline", "timeline", ":material/timeline:"),
    ("app_pages/evidence.py", "Evidence", "evidence", ":material/format_quote:"),
    ("app_pages/profile.py", "Actor profile", "actor", ":material/person:"),
    ("app_pages/add.py", "Add articles", "add", ":material/add_circle:"),
)


def shared_code(bar: Any) -> ModuleType:
    """The pages' shared module; the first import in a server (pandas, DuckDB, networkx: seconds) is shown."""
    if "app_pages._shared" not in sys.modules:
        bar.progress(0.02, text="Loading the dashboard…")
    from app_pages import _shared

    return _shared


def run(start: str = "overview") -> None:
    """Draw the page's frame at once, then load the code and the data under one progress bar, draw the shared
    sidebar, run the page, and write the URL."""
    st.set_page_config(page_title="Russia–DPRK news intelligence", page_icon=":material/public:", layout="wide")
    st.sidebar.title("Russia–DPRK news")
    # One bar for every slow step of a start (code, engine, dataset build, tables); emptied once the data is in.
    bar = st.empty()
    shared = shared_code(bar)
    pages = {
        url: st.Page(ROOT / path, title=title, url_path=url, icon=icon, default=(url == start))
        for path, title, url, icon in PAGES
    }
    shared.page_style()
    shared.register_pages(pages)
    # Hidden: the sidebar draws its own links, which carry the view's query parameters to the next page.
    page = st.navigation(list(pages.values()), position="hidden")
    shared.unknown_page_notice()
    dataset = shared.load_data(bar)
    if dataset is None:
        # The sidebar stays: its links, and where the data is expected; articles can still be added.
        shared.sidebar_without_data()
        if page.url_path == "add":
            page.run()
        return
    nav_box, share_box = shared.sidebar(dataset)
    shared.show_notices()
    page.run()
    shared.finish(nav_box, share_box, page)


if __name__ == "__main__":
    run()
