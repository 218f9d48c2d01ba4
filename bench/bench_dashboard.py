"""Dashboard bench: each page's data step on synthetic 10k and 100k article datasets, the time a real
browser takes to draw each page's charts beside a bare one-chart Streamlit page, and the app's memory
with the bundled corpus.

    python bench/bench_dashboard.py                  # 10k and 100k, data steps, browser and memory
    python bench/bench_dashboard.py --sizes 10000 --no-browser

At scale, with datasets written part by part (cached in /tmp/scale/synthetic-N): generation time and size, the
in-memory data steps in a process of their own (when the dataset fits in memory), the time to add 20 articles
of the bundled corpus to the dataset and to remove them again, and the DuckDB query path:

    python bench/bench_dashboard.py --articles 1000000 10000000
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import resource
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

import pandas as pd
import pyarrow.parquet as pq

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from analysis import store, synthetic, views  # noqa: E402
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


def filter_states(actor: str, word: str) -> dict[str, ViewState]:
    """The view states every data step is timed in: no filter, one actor, a text search."""
    return {
        "no filter": ViewState(),
        "one actor": ViewState(Filters(actors=(actor,))),
        "text search": ViewState(options=Options(search=word)),
    }


def longest_word(sentence: str) -> str:
    """The sentence's longest word: a search term that selects some rows, not all."""
    return max(str(sentence).split(), key=len)


def time_steps(ds, repeats: int = 5, states: dict[str, ViewState] | None = None) -> dict[str, dict[str, float]]:
    """Median milliseconds of each page's data step, unfiltered, filtered to the most named actor, and searched.

    A step the dataset does not serve (views.DataUnavailable) is recorded as NaN.
    """
    if states is None:
        # A word of a sentence in the middle of the data: the search runs over every row, not only the newest.
        states = filter_states(next(iter(views.choices(ds).actors)),
                               longest_word(ds.events["evidence"].iat[len(ds.events) // 2]))
    out: dict[str, dict[str, float]] = {}
    for label, state in states.items():
        for step in STEPS:
            function = getattr(views, step)
            try:
                function(ds, state)  # warm: the network layout cache, numpy column conversions
            except views.DataUnavailable:
                out.setdefault(step, {})[label] = float("nan")
                continue
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


# ----- scale: datasets of millions of articles, written part by part

SCALE_DIR = Path("/tmp/scale")
SEED = 11
MEMORY_LIMIT_GB = 6.0
# Peak resident memory of views.load_dataset and the data steps per mention or event row, and of the interpreter
# with its imports: measured on a synthetic dataset of 100k articles (2.0 GB; loading alone: 1.6 GB).
LOAD_BYTES_PER_ROW = 750
LOAD_BASE_GB = 0.15
ADDED_ARTICLES = 20
CHILD_CAP_GB = 9.0  # a measured process growing past this is stopped: others share the machine


@dataclass(frozen=True)
class ScaleDataset:
    """A cached synthetic dataset: where it is, its rows, its size on disk and how long it took to write."""

    folder: Path
    rows: dict[str, int]
    files: int
    bytes: int
    generated_seconds: float
    generated_now: bool


def manifest_rows(folder: Path) -> dict[str, int]:
    """Rows of each table, as the manifest records them (zeros when the folder holds no dataset)."""
    try:
        manifest = store.read_manifest(folder)
    except store.DatasetError:
        manifest = None
    tables = (manifest or {}).get("tables", {})
    return {name: sum(part["rows"] for part in tables.get(name, [])) for name in store.TABLE_NAMES}


def scale_dataset(n_articles: int, scale_dir: Path) -> ScaleDataset:
    """The synthetic dataset of n_articles under scale_dir, written with write_partitioned unless already there."""
    folder = scale_dir / f"synthetic-{n_articles}"
    marker = folder / ".synthetic.json"
    built = json.loads(marker.read_text()) if marker.exists() else {}
    fresh = not (built.get("seed") == SEED and manifest_rows(folder)["articles"] == n_articles)
    if fresh:
        shutil.rmtree(folder, ignore_errors=True)
        started = time.perf_counter()
        synthetic.write_partitioned(n_articles, folder, seed=SEED, progress=_progress)
        built = {"seed": SEED, "seconds": time.perf_counter() - started}
        marker.write_text(json.dumps(built))
        print(file=sys.stderr)
    files = [path for paths in store.table_files(folder).values() for path in paths]
    return ScaleDataset(folder, manifest_rows(folder), len(files), sum(path.stat().st_size for path in files),
                        built["seconds"], fresh)


def _progress(done: int, total: int) -> None:
    """Generation progress on stderr, so that stdout keeps only the tables."""
    print(f"\r  writing {done:,} / {total:,} articles", end="", file=sys.stderr, flush=True)


def load_estimate_gb(rows: dict[str, int]) -> float:
    """Peak memory views.load_dataset is expected to need for a dataset of these rows."""
    return LOAD_BASE_GB + LOAD_BYTES_PER_ROW * (rows["mentions"] + rows["events"]) / 1e9


def search_word(folder: Path) -> str:
    """The longest word of the event in the middle of the dataset (the same row the in-memory bench searches)."""
    parts = store.read_manifest(folder)["tables"]["events"]
    row = sum(part["rows"] for part in parts) // 2
    for part, path in zip(parts, store.table_files(folder)["events"]):
        if row < part["rows"]:
            evidence = pq.read_table(path, columns=["evidence"]).column("evidence")
            return longest_word(evidence[row].as_py())
        row -= part["rows"]
    raise ValueError(f"{folder}: no events")


def peak_rss_mb() -> float:
    """This process's peak resident memory."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def own_peak_rss_mb() -> float | None:
    """The peak resident memory of this process's own program (VmHWM), None where /proc has no figure.

    A started program's ru_maxrss begins at the peak of the process that started it (Linux keeps the high-water
    mark of the memory replaced at exec), so a child of a 1.4 GB bench reports at least 1.4 GB; VmHWM does not."""
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return None


def in_memory_run(folder: Path) -> dict:
    """(Child process) Load the dataset in memory and time every data step, as time_steps does."""
    started = time.perf_counter()
    ds = views.load_dataset(folder)
    load_seconds = time.perf_counter() - started
    states = filter_states(next(iter(views.choices(ds).actors)), search_word(folder))
    return {"load_seconds": load_seconds, "steps": time_steps(ds, states=states), "own_peak_mb": own_peak_rss_mb()}


def query_opener():
    """open_query_dataset of the DuckDB query path, or None while the views do not offer it."""
    opener = getattr(views, "open_query_dataset", None)
    if opener is None:
        try:
            from analysis.views.query import open_query_dataset as opener
        except ImportError:
            return None
    return opener


def query_run(folder: Path) -> dict:
    """(Child process) Open the dataset for queries (deriving what is missing) and time every data step."""
    open_query_dataset = query_opener()
    derived = (folder / ".query").exists()
    started = time.perf_counter()
    qd = open_query_dataset(folder)
    first_open = time.perf_counter() - started
    started = time.perf_counter()
    qd = open_query_dataset(folder)
    second_open = time.perf_counter() - started
    states = filter_states(next(iter(views.choices(qd).actors)), search_word(folder))
    steps = time_steps(qd, states=states)
    query_bytes = sum(path.stat().st_size for path in (folder / ".query").rglob("*") if path.is_file())
    return {"derived_before": derived, "first_open_seconds": first_open, "second_open_seconds": second_open,
            "steps": steps, "query_bytes": query_bytes, "own_peak_mb": own_peak_rss_mb()}


CHILD_RUNS = {"memory": in_memory_run, "query": query_run}


def in_child(run: str, folder: Path, cap_gb: float = CHILD_CAP_GB) -> dict:
    """Run one of CHILD_RUNS in a process of its own; its figures, its peak RSS, and why it failed if it did.

    The peak comes from the kernel's accounting of that one process (wait4), so it is known even when the
    process is killed, by the out-of-memory killer for instance.
    """
    started = time.perf_counter()
    with tempfile.TemporaryFile("w+") as out, tempfile.TemporaryFile("w+") as err:
        child = subprocess.Popen([sys.executable, __file__, "--child", run, "--folder", str(folder)], stdout=out,
                                 stderr=err, text=True)
        status, usage, capped = _wait_capped(child.pid, cap_gb)
        child.returncode = os.waitstatus_to_exitcode(status)
        out.seek(0)
        err.seek(0)
        lines, errors = out.read().strip().splitlines(), err.read()
    figures = json.loads(lines[-1]) if child.returncode == 0 and lines else {}
    # The child's own high-water mark when it finished; the kernel's, which may start at this bench's, when not.
    figures["peak_rss_mb"] = figures.pop("own_peak_mb", None) or usage.ru_maxrss / 1024
    if child.returncode:
        how = (f"killed by {signal.Signals(-child.returncode).name}" if child.returncode < 0
               else f"exit status {child.returncode}")
        last = errors.strip().splitlines()[-1] if errors.strip() else "nothing on stderr"
        if capped:
            how, last = f"stopped by the bench at {cap_gb:g} GB resident", "the machine is shared"
        figures["failure"] = f"failed after {time.perf_counter() - started:,.0f} s, {how} ({last})"
    return figures


def _wait_capped(pid: int, cap_gb: float) -> tuple[int, resource.struct_rusage, bool]:
    """Wait for a child process, killing it if its resident memory passes cap_gb; its status, usage and whether
    it was killed for that."""
    capped = False
    while True:
        done, status, usage = os.wait4(pid, os.WNOHANG)
        if done:
            return status, usage, capped
        if not capped and _resident_gb(pid) > cap_gb:
            os.kill(pid, signal.SIGKILL)
            capped = True
        time.sleep(0.5)


def _resident_gb(pid: int) -> float:
    """A running process's resident memory."""
    try:
        status = Path(f"/proc/{pid}/status").read_text()
    except OSError:
        return 0.0
    line = next((line for line in status.splitlines() if line.startswith("VmRSS:")), "VmRSS: 0 kB")
    return int(line.split()[1]) / 1024**2


# ----- the DuckDB query path: per-page milliseconds and the serving process's memory

def query_path_figures(folder: Path, cap_gb: float = CHILD_CAP_GB) -> dict | None:
    """Per-page median ms (as time_steps) and peak RSS of a process serving the dataset by DuckDB queries.

    None while analysis.views has no open_query_dataset.
    """
    if query_opener() is None:
        return None
    return in_child("query", folder, cap_gb)


def add_and_remove(folder: Path, n_articles: int = ADDED_ARTICLES) -> dict:
    """Time committing n_articles extracted from the bundled corpus into the dataset, then removing them again."""
    from analysis.ingest import RawArticle, read_inputs
    from analysis.pipeline import ExtractOptions, RunSummary, _commit, extract_article

    results = []
    for raw in read_inputs([str(ROOT / "data" / "corpus")]):
        if isinstance(raw, RawArticle) and len(results) < n_articles:
            try:
                results.append(extract_article(raw))
            except ValueError:
                continue
    entities = _entities(folder)
    before = live_files(folder)
    summary = RunSummary()
    peak_before = peak_rss_mb()
    after, commit_seconds = before, float("nan")
    started = time.perf_counter()
    try:
        _commit(folder, results, ExtractOptions(), False, summary)
        commit_seconds = time.perf_counter() - started
        after = live_files(folder)
    finally:
        # The cached dataset must stay the synthetic one, whatever happened.
        started = time.perf_counter()
        removed = store.remove_articles(folder, summary.added_ids) if summary.added_ids else 0
        remove_seconds = time.perf_counter() - started
        rewritten = live_files(folder) - after
        restored = restore_entities(folder, entities)
    return {"added": summary.added, "duplicates": summary.duplicates, "commit_seconds": commit_seconds,
            "bytes_written": summary.bytes_written, "files_added": len(after - before), "removed": removed,
            "remove_seconds": remove_seconds, "files_rewritten": len(rewritten), "entities_restored": restored,
            "peak_rss_before_mb": peak_before, "peak_rss_after_mb": peak_rss_mb()}


def live_files(folder: Path) -> set[Path]:
    """Every part file the manifest lists."""
    return {path for paths in store.table_files(folder).values() for path in paths}


def _entities(folder: Path) -> pd.DataFrame:
    """The entities table alone."""
    return pd.concat([pd.read_parquet(path) for path in store.table_files(folder)["entities"]], ignore_index=True)


def restore_entities(folder: Path, entities: pd.DataFrame) -> int:
    """Put back the entities a removal dropped; how many.

    Removal drops the entities only the removed articles named; the synthetic table also lists knowledge-base
    entities no synthetic row names, which a corpus article may have named.
    """
    dropped = entities[~entities["entity_id"].isin(_entities(folder)["entity_id"])]
    if len(dropped):
        empty = {name: store.empty_table(name) for name in ("articles", "mentions", "events")}
        with store.lock(folder):
            store.append_tables(folder, store.Tables(entities=dropped, **empty))
    return len(dropped)


def machine_line() -> str:
    """CPU model, cores and memory of this machine."""
    cpuinfo = Path("/proc/cpuinfo").read_text()
    model = next((line.split(":", 1)[1].strip() for line in cpuinfo.splitlines() if line.startswith("model name")),
                 "unknown CPU")
    meminfo = Path("/proc/meminfo").read_text().split()
    ram_gb = int(meminfo[meminfo.index("MemTotal:") + 1]) / 1024**2
    return f"{model}, {os.cpu_count()} cores, {ram_gb:.0f} GB RAM, Python {sys.version.split()[0]}"


def load_average() -> str:
    """The 1, 5 and 15 minute load averages."""
    return " ".join(f"{load:.2f}" for load in os.getloadavg())


def steps_table(steps: dict[str, dict[str, float]], title: str) -> list[str]:
    """A Markdown table of median milliseconds per data step and filter state."""
    labels = list(next(iter(steps.values())))
    lines = [f"| {title} | " + " | ".join(labels) + " |", "| --- |" + " ---: |" * len(labels)]
    for step, times in steps.items():
        cells = ["not served" if times[label] != times[label] else f"{times[label]:,.0f} ms" for label in labels]
        lines.append(f"| {step} | " + " | ".join(cells) + " |")
    return lines


def dataset_lines(data: ScaleDataset) -> list[str]:
    """The dataset's rows, size on disk and generation time as a Markdown table."""
    how = "written by this run" if data.generated_now else "cached from an earlier run"
    return [
        "| dataset | |",
        "| --- | ---: |",
        f"| rows | {data.rows['articles']:,} articles · {data.rows['mentions']:,} mentions · "
        f"{data.rows['events']:,} events · {data.rows['entities']:,} entities |",
        f"| generated (`synthetic.write_partitioned`, seed {SEED}) | {data.generated_seconds:,.0f} s ({how}) |",
        f"| size on disk | {data.bytes / 1e6:,.0f} MB in {data.files} part files |",
    ]


def memory_lines(data: ScaleDataset, limit_gb: float, cap_gb: float = CHILD_CAP_GB) -> list[str]:
    """The in-memory path in its own process, or why it was skipped."""
    estimate = load_estimate_gb(data.rows)
    if estimate > limit_gb:
        return [f"In memory (`views.load_dataset`): skipped, loading is estimated at {estimate:,.1f} GB "
                f"(> {limit_gb:g} GB; {LOAD_BYTES_PER_ROW} bytes per mention or event row)."]
    figures = in_child("memory", data.folder, cap_gb)
    if "failure" in figures:
        return [f"In memory (`views.load_dataset`, own process): {figures['failure']}; peak RSS "
                f"{figures['peak_rss_mb']:,.0f} MB (estimated {estimate:,.1f} GB)."]
    return [f"In memory (`views.load_dataset`, own process): load and prepare {figures['load_seconds']:,.1f} s, "
            f"peak RSS {figures['peak_rss_mb']:,.0f} MB (estimated {estimate:,.1f} GB).", "",
            *steps_table(figures["steps"], "in-memory data step (median of 5, warm)")]


def adding_lines(figures: dict) -> list[str]:
    """Committing and removing the corpus articles as a Markdown table."""
    return [
        f"| {ADDED_ARTICLES} corpus articles | seconds | bytes written | files |",
        "| --- | ---: | ---: | ---: |",
        f"| add (`pipeline._commit`, {figures['added']} added, {figures['duplicates']} duplicates) | "
        f"{figures['commit_seconds']:.2f} | {figures['bytes_written']:,} | {figures['files_added']} added |",
        f"| remove again (`store.remove_articles`, {figures['removed']} removed) | {figures['remove_seconds']:.2f} "
        f"| | {figures['files_rewritten']} rewritten |",
        "",
        f"Entities the corpus articles named and the removal dropped, put back: {figures['entities_restored']}.",
        f"Bench process peak RSS {figures['peak_rss_before_mb']:,.0f} MB before the commit (extraction models "
        f"loaded), {figures['peak_rss_after_mb']:,.0f} MB after the commit and removal.",
    ]


def query_lines(figures: dict | None) -> list[str]:
    """The DuckDB query path's open times, per-page times and memory, or why it was not measured."""
    if figures is None:
        return ["Query path (DuckDB): not measured, `analysis.views` has no `open_query_dataset` yet."]
    if "failure" in figures:
        return [f"Query path (`open_query_dataset`, own process): {figures['failure']}; peak RSS "
                f"{figures['peak_rss_mb']:,.0f} MB."]
    state = ("over the derived database an earlier open left; parts added or rewritten since are derived again"
             if figures["derived_before"] else "no derived database yet: everything derived by this open")
    return [
        f"Query path (`open_query_dataset`, own process): first open {figures['first_open_seconds']:,.1f} s "
        f"({state}), second open {figures['second_open_seconds']:,.2f} s, derived database "
        f"{figures['query_bytes'] / 1e6:,.0f} MB, peak RSS {figures['peak_rss_mb']:,.0f} MB.", "",
        *steps_table(figures["steps"], "query data step (median of 5, warm)"),
    ]


# The query path's goals: each page's data step within STEP_GOAL_MS at 10M articles (300 ms at 100k), the serving
# process within 1 GB of memory at 1M articles and 2 GB at 10M.
STEP_GOAL_MS = {100_000: 300, 10_000_000: 1000}
RSS_GOAL_MB = {1_000_000: 1024, 10_000_000: 2048}


def goal_for(goals: dict[int, float], size: int) -> float:
    """The goal of the smallest size in `goals` at or above `size` (the largest one's beyond them)."""
    return next((goals[at] for at in sorted(goals) if size <= at), goals[max(goals)])


def goal_lines(size: int, figures: dict | None) -> list[str]:
    """Whether the query path met its goals at this size: data steps without a filter and for one actor, memory."""
    if not figures or "failure" in figures:
        return []
    step_goal, rss_goal = goal_for(STEP_GOAL_MS, size), goal_for(RSS_GOAL_MB, size)
    slow = [f"{step} {label} {ms:,.0f} ms" for step, times in figures["steps"].items()
            for label, ms in times.items() if label != "text search" and ms > step_goal]
    lines = [f"Goal, each data step without a filter and for one actor within {step_goal:,.0f} ms: "
             + ("met." if not slow else "not met (" + "; ".join(slow) + ").")]
    rss = figures["peak_rss_mb"]
    lines.append(f"Goal, peak RSS within {rss_goal:,.0f} MB: {'met' if rss <= rss_goal else 'not met'} "
                 f"({rss:,.0f} MB).")
    return lines


def scale_report(sizes: list[int], scale_dir: Path, limit_gb: float, cap_gb: float = CHILD_CAP_GB) -> None:
    """Build (or reuse) each dataset and print its figures as Markdown."""
    print(f"## Dashboard at scale, {dt.datetime.now().astimezone():%Y-%m-%d %H:%M %Z}\n")
    print(f"Machine: {machine_line()}. Load average before: {load_average()}.\n", flush=True)
    for size in sizes:
        data = scale_dataset(size, scale_dir)
        print(f"### {size:,} articles ({data.folder})\n")
        print("\n".join(dataset_lines(data)) + "\n", flush=True)
        print("\n".join(memory_lines(data, limit_gb, cap_gb)) + "\n", flush=True)
        print("\n".join(adding_lines(add_and_remove(data.folder))) + "\n", flush=True)
        figures = query_path_figures(data.folder, cap_gb)
        print("\n".join(query_lines(figures) + [""] + goal_lines(size, figures)) + "\n", flush=True)
        print(f"Load average after {size:,}: {load_average()}.\n", flush=True)


def main() -> None:
    """Run the bench and print its tables."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", type=int, nargs="+", help="in-memory sizes (default 10000 100000, or none "
                        "with --articles)")
    parser.add_argument("--no-browser", action="store_true", help="data steps only")
    parser.add_argument("--keep", type=Path, help="folder to keep (and reuse) the synthetic datasets in")
    parser.add_argument("--articles", type=int, nargs="+", default=[], help="scale runs: dataset sizes in articles")
    parser.add_argument("--scale-dir", type=Path, default=SCALE_DIR, help="where the scale datasets are cached")
    parser.add_argument("--memory-limit-gb", type=float, default=MEMORY_LIMIT_GB,
                        help="skip the in-memory path when loading is estimated to need more")
    parser.add_argument("--child-cap-gb", type=float, default=CHILD_CAP_GB,
                        help="stop a measured process whose resident memory passes this")
    parser.add_argument("--child", choices=sorted(CHILD_RUNS), help=argparse.SUPPRESS)
    parser.add_argument("--folder", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        print(json.dumps(CHILD_RUNS[args.child](args.folder)))
        return
    if args.articles:
        scale_report(args.articles, args.scale_dir, args.memory_limit_gb, args.child_cap_gb)
        if args.sizes is None:
            return
    args.sizes = args.sizes or [10_000, 100_000]
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
