"""Datasets and app harnesses shared by the dashboard tests.

The session dataset is built from the bundled corpus by the engine when the engine and corpus exist,
and from the seeded synthetic generator otherwise; tests pick actors and places from the data, so they
hold for either.
"""

from __future__ import annotations

import importlib.util
import os
import sys
import warnings
from pathlib import Path

import pandas as pd
import pytest

ROOT = Path(__file__).resolve().parents[2]

from analysis import synthetic, views

CORPUS = ROOT / "data" / "corpus"
HOSTILE_TEXT = (
    'Putin met Kim in Pyongyang. <script>alert("x")</script><img src=x onerror=alert(1)> '
    "**bold** [link](javascript:alert(1))"
)


def _engine_can_build() -> bool:  # set NEWSINT_TEST_DATA=synthetic to skip the engine
    """True when analysis.pipeline exists and the bundled corpus has files."""
    return importlib.util.find_spec("analysis.pipeline") is not None and CORPUS.exists() and any(CORPUS.iterdir())


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Browser tests run one after another in one test process: they share one server and one Chromium, and two
    at once would starve each other's rendering on a small machine. Other tests run beside them."""
    for item in items:
        callspec = getattr(item, "callspec", None)
        # A parameter named like a fixture ("page": a page's name for AppTest) does not need the browser.
        fixtures = set(getattr(item, "fixturenames", ())) - set(callspec.params if callspec else ())
        if "test_browser" in item.path.name or fixtures & {"browser", "page", "server"}:
            item.add_marker(pytest.mark.xdist_group("browser"))


@pytest.fixture(scope="session")
def dataset_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A data folder with the four tables: the real corpus when the engine can build it, else synthetic."""
    folder = tmp_path_factory.mktemp("processed")
    if _engine_can_build() and os.environ.get("NEWSINT_TEST_DATA") != "synthetic":
        from analysis.pipeline import ensure_dataset

        try:
            ensure_dataset(CORPUS, folder)
            if views.has_dataset(folder):
                return folder
        except Exception as error:  # the engine's own tests report its failures; the dashboard's go on
            warnings.warn(f"building the corpus failed ({error!r}): dashboard tests use synthetic data", stacklevel=1)
    synthetic.write(synthetic.generate(300, seed=5), folder)
    return folder


@pytest.fixture(scope="session")
def dataset(dataset_dir: Path) -> views.Dataset:
    """The prepared session dataset."""
    return views.load_dataset(dataset_dir)


@pytest.fixture(scope="session")
def synthetic_dataset() -> views.Dataset:
    """A small synthetic dataset whose actors and places are known in advance."""
    tables = synthetic.generate(200, seed=9, actors=list(synthetic.FALLBACK_ACTORS))
    return views.prepare(views.RawTables(tables.articles, tables.entities, tables.mentions, tables.events))


@pytest.fixture(scope="session")
def hostile_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A synthetic data folder where one article's title and text carry HTML and script."""
    tables = synthetic.generate(40, seed=2, actors=list(synthetic.FALLBACK_ACTORS))
    articles = tables.articles.copy()
    articles.loc[0, "text"] = HOSTILE_TEXT
    articles.loc[0, "title"] = '<b onmouseover="alert(2)">Hostile</b> title'
    articles.loc[0, "url"] = "javascript:alert(3)"
    articles.loc[0, "published"] = "2026-01-01"  # the newest, so lists of sentences show it first
    article_id = articles.loc[0, "article_id"]
    mentions = tables.mentions[tables.mentions["article_id"] != article_id]
    extra = pd.DataFrame(
        [
            (article_id, "putin", 0, 0, 5, "Putin"),
            (article_id, "kim_jong_un", 0, 10, 13, "Kim"),
            (article_id, "pyongyang", 0, 17, 26, "Pyongyang"),
        ],
        columns=mentions.columns,
    )
    events = tables.events[tables.events["article_id"] != article_id]
    folder = tmp_path_factory.mktemp("hostile")
    synthetic.write(synthetic.SyntheticTables(articles, tables.entities, pd.concat([mentions, extra]), events), folder)
    return folder


@pytest.fixture(scope="session")
def server(dataset_dir: Path):
    """One `streamlit run` of the app on the session dataset, shared by every browser test."""
    from .browser import serve

    with serve(data_dir=dataset_dir) as base:
        yield base


@pytest.fixture(scope="session")
def browser():
    """One headless Debian Chromium, shared by every browser test (each test opens its own context)."""
    from .browser import chromium

    with chromium() as instance:
        yield instance


@pytest.fixture(scope="session")
def shared_context(browser):
    """One browser context for the tabs on the session's server: the app's scripts, once fetched and compiled,
    are reused from its cache, as in a colleague's everyday browser (a fresh context costs each test ~40% more
    rendering work). The app keeps no state in the browser: each tab is a session of its own on the server."""
    context = browser.new_context(viewport={"width": 1400, "height": 1000}, accept_downloads=True)
    yield context
    context.close()


@pytest.fixture
def page(shared_context):
    """A fresh tab, as a colleague opening a link would have."""
    tab = shared_context.new_page()
    yield tab
    tab.close()


def dashboard(root: str, start: str) -> None:
    """AppTest script: the real app, opened on one page (as a link to that page would)."""
    import sys

    sys.path.insert(0, root)
    from app import run

    run(start)


@pytest.fixture
def open_app(monkeypatch: pytest.MonkeyPatch, dataset_dir: Path):
    """Open a page of the app with query parameters, on the session dataset (or another folder)."""
    from streamlit.testing.v1 import AppTest

    # AppTest installs its script as the process's __main__ and leaves it there; a process spawned later in this
    # test process (a Dask worker restarted by its nanny) would re-run that script and fail.
    monkeypatch.setitem(sys.modules, "__main__", sys.modules["__main__"])

    def _open(page: str = "overview", params: dict | None = None, data: Path | None = None) -> AppTest:
        monkeypatch.setenv("NEWSINT_DATA", str(data or dataset_dir))
        app = AppTest.from_function(dashboard, args=(str(ROOT), page), default_timeout=60)
        for key, value in (params or {}).items():
            app.query_params[key] = value
        return app.run()

    return _open
