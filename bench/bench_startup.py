"""Start-up bench: the command line extracting one short article, and the dashboard's first chart in a real browser.

    python bench/bench_startup.py                 # 5 CLI repeats, 3 app repeats
    python bench/bench_startup.py --cli-repeats 3 --app-repeats 2
    python bench/bench_startup.py --no-app        # the command line only

CLI: `python -m analysis extract ARTICLE --out DIR` with an empty on-disk cache (cold: the knowledge base is
built and cached) and with the cache written (warm). App: `streamlit run app.py` in a copy of the working tree,
timed from launching the server until Chromium has drawn the first plotly chart, fresh (no dataset built, cache
empty: the bundled corpus is extracted first) and on restart (dataset built, cache written); for each, also when
the first progress bar and the sidebar appeared. Prints a Markdown table.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tests.dashboard.browser import CHARTS_DRAWN, chromium, free_port, wait_healthy  # noqa: E402

ARTICLE = ROOT / "data" / "corpus" / "en" / "2024-12-05_treaty-enters-into-force.md"
# The dashboard draws a hidden empty chart while it loads (so plotly.js is ready sooner): it is not a first chart.
WARM_UP = "st-key-chart-warm-up"
PAGE_CHARTS_DRAWN = CHARTS_DRAWN.replace("document.querySelectorAll('.js-plotly-plot')]",
                                         f"document.querySelectorAll('.js-plotly-plot')].filter(g => !g.closest('.{WARM_UP}'))")
# JavaScript run before the page's own: notes (in epoch ms) when a progress bar, then the sidebar, first shows.
WATCH_FIRST_PAINT = """
window.__seen = {}; window.__steps = [];
const shown = (selector) => [...document.querySelectorAll(selector)].some(e => !e.closest('.WARM_UP'));
new MutationObserver(() => {
  for (const [name, selector] of [['progress', '[data-testid="stProgress"]'], ['sidebar', '[data-testid="stSidebar"] h1'],
                                  ['chart element', '[data-testid="stPlotlyChart"]']]) {
    if (!window.__seen[name] && shown(selector)) window.__seen[name] = Date.now();
  }
  if (!window.__seen['plotly.js ready'] && document.querySelector('.WARM_UP .js-plotly-plot'))
    window.__seen['plotly.js ready'] = Date.now();
  const bar = document.querySelector('[data-testid="stProgress"]');
  const text = bar ? bar.innerText.trim() : '';
  const last = window.__steps[window.__steps.length - 1];
  if (text && (!last || last[1] !== text)) window.__steps.push([Date.now(), text]);
}).observe(document, {subtree: true, childList: true, characterData: true});
""".replace("WARM_UP", WARM_UP)


MARKS = ("sidebar", "progress", "plotly.js ready", "chart element")


def machine() -> str:
    """One line on the machine the figures come from."""
    load = " / ".join(f"{x:.2f}" for x in os.getloadavg())
    return (f"{platform.node()} · {platform.processor() or platform.machine()} · {os.cpu_count()} cores · "
            f"Python {platform.python_version()} · load average {load} · "
            f"{dt.datetime.now().isoformat(timespec='minutes')}")


def summary(values: list[float]) -> str:
    """Median and range, in seconds."""
    if not values:
        return "—"
    return f"{statistics.median(values):.1f} s ({min(values):.1f}–{max(values):.1f})"


def run_cli(cache_dir: Path, out_dir: Path) -> float:
    """Seconds for one `python -m analysis extract` of the short article into a new folder."""
    shutil.rmtree(out_dir, ignore_errors=True)
    env = {**os.environ, "NEWSINT_CACHE_DIR": str(cache_dir), "PYTHONPATH": str(ROOT)}
    start = time.perf_counter()
    subprocess.run([sys.executable, "-m", "analysis", "extract", str(ARTICLE), "--out", str(out_dir)], cwd=ROOT,
                   env=env, check=True, capture_output=True)
    return time.perf_counter() - start


def bench_cli(repeats: int, work: Path) -> dict[str, list[float]]:
    """CLI times with the cache emptied before each run (cold) and kept (warm)."""
    cache_dir, out_dir = work / "cli-cache", work / "cli-out"
    cold, warm = [], []
    for _ in range(repeats):
        shutil.rmtree(cache_dir, ignore_errors=True)
        cold.append(run_cli(cache_dir, out_dir))
    for _ in range(repeats):
        warm.append(run_cli(cache_dir, out_dir))
    return {"CLI, one short article, cache empty": cold, "CLI, one short article, cache written": warm}


def copy_working_tree(target: Path) -> Path:
    """The project's files as they are on disk now, ignored ones left out: a fresh clone, without data built."""
    listed = subprocess.run(["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard"], cwd=ROOT,
                            check=True, capture_output=True).stdout
    for name in filter(None, listed.decode().split("\0")):
        source = ROOT / name
        if source.is_file():
            (target / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, target / name)
    return target


def start_server(tree: Path, cache_dir: Path) -> tuple[subprocess.Popen, str, object]:
    """Launch `streamlit run app.py` in the tree; its base URL and log file."""
    port = free_port()
    env = {key: value for key, value in os.environ.items() if key != "NEWSINT_DATA"}
    env.update(PYTHONPATH=str(tree), NEWSINT_CACHE_DIR=str(cache_dir))
    log = tempfile.TemporaryFile()
    command = [sys.executable, "-m", "streamlit", "run", "app.py", "--server.address", "127.0.0.1",
               "--server.port", str(port), "--server.headless", "true", "--browser.gatherUsageStats", "false"]
    process = subprocess.Popen(command, cwd=tree, env=env, stdout=log, stderr=subprocess.STDOUT)
    return process, f"http://127.0.0.1:{port}", log


def time_first_chart(browser, tree: Path, cache_dir: Path) -> dict[str, float]:
    """Seconds from launching the server to the first drawn chart, the first progress bar and the sidebar."""
    page = browser.new_page(viewport={"width": 1400, "height": 900})
    page.add_init_script(WATCH_FIRST_PAINT)
    start_wall, start = time.time(), time.perf_counter()
    process, base, log = start_server(tree, cache_dir)
    try:
        wait_healthy(process, base, log)
        page.goto(base)
        try:
            page.wait_for_function(PAGE_CHARTS_DRAWN, arg=1, timeout=300_000)
        except Exception:
            log.seek(0)
            print(f"no chart; the page says:\n{page.inner_text('body')[:2000]}\nthe server says:\n"
                  f"{log.read().decode(errors='replace')[-3000:]}", file=sys.stderr)
            raise
        chart = time.perf_counter() - start
        seen = page.evaluate("() => window.__seen")
        marks = {name: seen[name] / 1000 - start_wall for name in MARKS if name in seen}
        steps = page.evaluate("() => window.__steps")
        return {"chart": chart, **marks, "steps": [(at / 1000 - start_wall, text) for at, text in steps]}
    finally:
        page.close()
        process.terminate()
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()
        log.close()


def bench_app(repeats: int, work: Path) -> tuple[dict[str, list[float]], dict[str, list]]:
    """App times: fresh (no dataset, cache empty) then restart (both kept), `repeats` pairs; and the progress
    bar's steps of the last pair."""
    tree = copy_working_tree(work / "tree")
    cache_dir = work / "app-cache"
    results: dict[str, list[float]] = {}
    steps: dict[str, list] = {}
    with chromium() as browser:
        for _ in range(repeats):
            shutil.rmtree(tree / "data" / "processed", ignore_errors=True)
            shutil.rmtree(cache_dir, ignore_errors=True)
            for label, marks in (("fresh", time_first_chart(browser, tree, cache_dir)),
                                 ("restart", time_first_chart(browser, tree, cache_dir))):
                steps[label] = marks.pop("steps")
                for mark, seconds in marks.items():
                    results.setdefault(f"App {label}: first {mark}", []).append(seconds)
    order = [f"App {label}: first {mark}" for label in ("fresh", "restart") for mark in (*MARKS, "chart")]
    return {key: results[key] for key in order if key in results}, steps


def condensed(timeline: list[tuple[float, str]]) -> list[tuple[float, str]]:
    """The steps, each run of "Building the dataset: …" cut to its first and last article."""
    kept = []
    for n, (at, text) in enumerate(timeline):
        group = text.split(":")[0]
        previous = timeline[n - 1][1].split(":")[0] if n else None
        following = timeline[n + 1][1].split(":")[0] if n + 1 < len(timeline) else None
        if group != previous or group != following:
            kept.append((at, text))
    return kept


def main() -> None:
    """Run the chosen measurements and print the table."""
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--cli-repeats", type=int, default=5)
    parser.add_argument("--app-repeats", type=int, default=3)
    parser.add_argument("--no-app", action="store_true", help="measure the command line only")
    args = parser.parse_args()
    rows: dict[str, list[float]] = {}
    steps: dict[str, list] = {}
    before = machine()
    with tempfile.TemporaryDirectory(prefix="bench-startup-") as folder:
        work = Path(folder)
        rows.update(bench_cli(args.cli_repeats, work))
        if not args.no_app:
            app_rows, steps = bench_app(args.app_repeats, work)
            rows.update(app_rows)
    print(f"Machine at the start: {before}  \nat the end: {machine()}\n")
    print("| measure | repeats | median (min–max) |")
    print("|---|---|---|")
    for label, values in rows.items():
        print(f"| {label} | {len(values)} | {summary(values)} |")
    for label, timeline in steps.items():
        print(f"\nProgress bar, last {label} start (seconds from launching the server):\n")
        print("| from | step |\n|---|---|")
        for at, text in condensed(timeline):
            print(f"| {at:.1f} s | {text} |")


if __name__ == "__main__":
    main()
