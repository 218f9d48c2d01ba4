"""Dashboard bench: each page's data step on synthetic 10k and 100k article datasets, the time a real
browser takes to draw each page's charts beside a bare one-chart Streamlit page, and the app's memory
with the bundled corpus.

    python bench/bench_dashboard.py                  # 10k and 100k, data steps, browser and memory
    python bench/bench_dashboard.py --sizes 10000 --no-browser
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from analysis import synthetic, views  # noqa: E402
from analysis.filters import Filters, Options, ViewState  # noqa: E402
from tests.dashboard.browser import chromium, serve, wait_for_charts  # noqa: E402

STEPS = ("overview_view", "map_view", "network_view", "timeline_view", "evidence_view", "profile_view")
PAGES = {
    "overview": ("", 4),
    "map": ("map", 1),
    "network": ("network", 1),
    "timeline": ("timeline", 2),
    "evidence": ("evidence", 0),
    "profile": ("actor?actor=vladimir-putin", 1),
}
BARE_PAGE = """
import numpy as np
import plotly.express as px
import streamlit as st

rng = np.random.default_rng(0)
st.plotly_chart(px.scatter(x=rng.normal(size=1000), y=rng.normal(size=1000)))
"""


def build(n_articles: int, folder: Path) -> Path:
    """A seeded synthetic dataset of n_articles, built once into folder."""
    if not views.has_dataset(folder):
        started = time.perf_counter()
        synthetic.write(synthetic.generate(n_articles, seed=11), folder)
        print(f"  generated {n_articles:,} articles in {time.perf_counter() - started:.0f} s", flush=True)
    return folder


def time_steps(ds: views.Dataset, repeats: int = 5) -> dict[str, dict[str, float]]:
    """Median milliseconds of each page's data step, unfiltered and filtered to the most named actor."""
    actor = next(iter(views.choices(ds).actors))
    # A word of a sentence in the middle of the data: the search runs over every row, not only the newest.
    word = max(str(ds.events["evidence"].iat[len(ds.events) // 2]).split(), key=len)
    states = {
        "no filter": ViewState(),
        "one actor": ViewState(Filters(actors=(actor,))),
        "text search": ViewState(options=Options(search=word)),
    }
    out: dict[str, dict[str, float]] = {}
    for label, state in states.items():
        for step in STEPS:
            function = getattr(views, step)
            function(ds, state)  # warm: the network layout cache, numpy column conversions
            times = []
            for _ in range(repeats):
                started = time.perf_counter()
                function(ds, state)
                times.append((time.perf_counter() - started) * 1000)
            out.setdefault(step, {})[label] = statistics.median(times)
    return out


def time_pages(base: str, browser, repeats: int = 3) -> dict[str, float]:
    """Median milliseconds from navigation to every chart drawn, per page, in a fresh tab each time."""
    out = {}
    for name, (path, charts) in PAGES.items():
        times = []
        for attempt in range(repeats + 1):
            context = browser.new_context(viewport={"width": 1400, "height": 1000})
            tab = context.new_page()
            started = time.perf_counter()
            tab.goto(f"{base}/{path}")
            if charts:
                wait_for_charts(tab, charts, timeout=120_000)
            else:
                tab.get_by_test_id("stDataFrame").first.wait_for(timeout=120_000)
            if attempt:  # the first visit warms the server's caches
                times.append((time.perf_counter() - started) * 1000)
            context.close()
        out[name] = statistics.median(times)
    return out


def time_bare_page(browser, folder: Path, repeats: int = 3) -> float:
    """Median milliseconds for a bare Streamlit page with one plotly chart, measured the same way."""
    script = folder / "bare_page.py"
    script.write_text(BARE_PAGE)
    with serve(script) as base:
        times = []
        for attempt in range(repeats + 1):
            context = browser.new_context(viewport={"width": 1400, "height": 1000})
            tab = context.new_page()
            started = time.perf_counter()
            tab.goto(base)
            wait_for_charts(tab, 1)
            if attempt:
                times.append((time.perf_counter() - started) * 1000)
            context.close()
    return statistics.median(times)


def server_memory_mb(base: str, browser) -> float:
    """Resident memory of the streamlit process serving base, after every page has been drawn."""
    time_pages(base, browser, repeats=1)
    port = base.rsplit(":", 1)[1]
    for pid in filter(str.isdigit, os.listdir("/proc")):
        try:
            command = Path(f"/proc/{pid}/cmdline").read_bytes().split(b"\0")
        except OSError:
            continue
        if b"streamlit" in b" ".join(command) and port.encode() in command:
            for line in Path(f"/proc/{pid}/status").read_text().splitlines():
                if line.startswith("VmRSS:"):
                    return int(line.split()[1]) / 1024
    return float("nan")


def corpus_dataset(folder: Path) -> Path | None:
    """The bundled corpus built by the engine, when the engine is there."""
    try:
        from analysis.pipeline import ensure_dataset
    except ImportError:
        return None
    ensure_dataset(ROOT / "data" / "corpus", folder)
    return folder if views.has_dataset(folder) else None


def main() -> None:
    """Run the bench and print its tables."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[10_000, 100_000])
    parser.add_argument("--no-browser", action="store_true", help="data steps only")
    parser.add_argument("--keep", type=Path, help="folder to keep (and reuse) the synthetic datasets in")
    args = parser.parse_args()
    work = args.keep or Path(tempfile.mkdtemp(prefix="bench_dashboard_"))
    print(f"machine: {os.cpu_count()} cores · Python {sys.version.split()[0]}")

    browser_context = chromium() if not args.no_browser else None
    browser = browser_context.__enter__() if browser_context else None
    try:
        bare = time_bare_page(browser, work) if browser else None
        if bare:
            print(f"bare Streamlit page, one plotly chart: {bare:.0f} ms to draw")
        for size in args.sizes:
            folder = build(size, work / f"synthetic_{size}")
            started = time.perf_counter()
            ds = views.load_dataset(folder)
            print(
                f"\n{size:,} articles: {len(ds.mentions):,} mentions, {len(ds.events):,} events; "
                f"load and prepare {time.perf_counter() - started:.1f} s (once per server)"
            )
            steps = time_steps(ds)
            labels = list(next(iter(steps.values())))
            print(f"  {'data step':<15}" + "".join(f"{label:>14}" for label in labels))
            for step, times in steps.items():
                print(f"  {step:<15}" + "".join(f"{times[label]:>12.0f}ms" for label in labels))
            del ds
            if browser:
                with serve(data_dir=folder, timeout=300) as base:
                    pages = time_pages(base, browser)
                print(f"  {'page':<15}{'charts drawn':>14}{'× bare page':>14}")
                for name, ms in pages.items():
                    print(f"  {name:<15}{ms:>12.0f}ms{ms / bare:>13.1f}×")
        if browser:
            corpus = corpus_dataset(work / "corpus")
            if corpus:
                with serve(data_dir=corpus) as base:
                    print(f"\napp memory with the bundled corpus: {server_memory_mb(base, browser):.0f} MB resident")
    finally:
        if browser_context:
            browser_context.__exit__(None, None, None)


if __name__ == "__main__":
    main()
