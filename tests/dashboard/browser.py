"""Start the app with `streamlit run` on loopback and drive Debian's Chromium with Playwright.

Shared by the browser tests, scripts/screenshots.py and bench/bench_dashboard.py.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import parse_qs, urlparse

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = "/usr/bin/chromium"
# Without the networking flags Chromium keeps calling out, and this machine's closed network refuses it.
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-quic",
    "--no-first-run",
    "--disable-component-update",
    "--disable-sync",
]
# JavaScript: true once every plotly chart on the page has drawn (maps once their style has loaded).
CHARTS_DRAWN = """(n) => {
  const charts = [...document.querySelectorAll('.js-plotly-plot')];
  if (charts.length < n) return false;
  return charts.every(g => g._fullLayout && g.calcdata &&
    (!g._fullLayout.map || (g._fullLayout.map._subplot && g._fullLayout.map._subplot.map.loaded())));
}"""


# JavaScript: every id a network chart's node traces carry, with its drawn position in page pixels.
NETWORK_NODES = """() => {
  const g = document.querySelector('.js-plotly-plot'), box = g.getBoundingClientRect();
  const xa = g._fullLayout.xaxis, ya = g._fullLayout.yaxis, out = [];
  g._fullData.forEach((trace, i) => {
    if (!trace.customdata) return;
    g.calcdata[i].forEach((c, j) => out.push({id: trace.customdata[j][0],
      x: box.left + xa._offset + xa.c2p(c.x), y: box.top + ya._offset + ya.c2p(c.y)}));
  });
  return out;
}"""


def query_of(url: str) -> dict:
    """The query parameters of a URL, each as a list."""
    return parse_qs(urlparse(url).query)


def free_port() -> int:
    """A TCP port nobody listens on."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def ensure_chromium() -> str:
    """The path of Debian's Chromium, installing the package when it is missing and we are root."""
    if not Path(CHROMIUM).exists() and shutil.which("apt-get") and os.geteuid() == 0:
        env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
        subprocess.run(["apt-get", "update", "-qq"], check=False, env=env)
        subprocess.run(["apt-get", "install", "-y", "-qq", "chromium"], check=True, env=env)
    if not Path(CHROMIUM).exists():
        raise RuntimeError(f"{CHROMIUM} is missing: install Debian's chromium package (scripts/install-test-deps.sh)")
    return CHROMIUM


@contextlib.contextmanager
def serve(script: Path = ROOT / "app.py", data_dir: Path | None = None, timeout: float = 60) -> Iterator[str]:
    """Run `streamlit run script` on 127.0.0.1 and yield its base URL; stop it afterwards."""
    port = free_port()
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    if data_dir is not None:
        env["NEWSINT_DATA"] = str(data_dir)
    command = [
        sys.executable,
        "-m",
        "streamlit",
        "run",
        str(script),
        "--server.address",
        "127.0.0.1",
        "--server.port",
        str(port),
        "--server.headless",
        "true",
        "--browser.gatherUsageStats",
        "false",
    ]
    # The server's output goes to a file: a pipe nobody reads fills up and blocks the server mid-test.
    log = tempfile.TemporaryFile()
    process = subprocess.Popen(command, cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT)
    base = f"http://127.0.0.1:{port}"
    try:
        wait_healthy(process, base, log, timeout)
        yield base
    except BaseException:
        # A test that failed against the server shows what the server said (pytest prints captured stderr).
        log.seek(0)
        print(f"the server's log:\n{log.read().decode(errors='replace')[-6000:]}", file=sys.stderr)
        raise
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
        log.close()


@contextlib.contextmanager
def chromium() -> Iterator[object]:
    """A headless Debian Chromium driven by Playwright."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=ensure_chromium(), args=CHROMIUM_ARGS)
        try:
            yield browser
        finally:
            browser.close()


def wait_for_charts(page, count: int, timeout: float = 30_000) -> None:
    """Wait until `count` plotly charts are drawn on the page."""
    page.wait_for_function(CHARTS_DRAWN, arg=count, timeout=timeout)


def pick_option(page, picker, option: str, typed: str = "", exact: bool = True, attempts: int = 3) -> None:
    """Open a picker's menu, as a user would, and click one option. When a rerun of the page redraws the
    picker just as it opens, the menu closes again; a user clicks once more, and so does this."""
    for attempt in range(attempts):
        picker.evaluate("e => e.scrollIntoView({block: 'center'})")  # a menu at the window's bottom edge stays shut
        picker.click()
        if typed:
            page.keyboard.type(typed)
        choice = page.get_by_role("option", name=option, exact=exact)
        try:
            choice.wait_for(timeout=10_000)
        except Exception:
            if attempt == attempts - 1:
                raise
            page.keyboard.press("Escape")
            continue
        choice.click()
        return


def wait_healthy(process: subprocess.Popen, base: str, log, timeout: float = 120) -> None:
    """Wait until a Streamlit server answers its health check; its log's tail in the error if it died or hung."""
    deadline = time.monotonic() + timeout
    while True:
        try:
            with urllib.request.urlopen(f"{base}/_stcore/health", timeout=2) as answer:
                if answer.status == 200:
                    return
        except OSError:
            if process.poll() is not None or time.monotonic() > deadline:
                log.seek(0)
                output = log.read().decode(errors="replace")[-5000:]
                raise RuntimeError(f"streamlit did not start:\n{output}") from None
            time.sleep(0.05)
