"""Benchmark: words per second of the whole extraction pipeline beside spaCy's tokenizer alone, and peak memory.

Run: python bench/bench_extract.py [--words 200000] [--workers 1 2]
The text is the bundled corpus, repeated until it holds at least --words words (each copy is a distinct
article to the pipeline, so nothing is skipped as a duplicate).
"""

from __future__ import annotations

import argparse
import os
import platform
import resource
import sys
import time
from dataclasses import replace
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from analysis.ingest import RawArticle, read_inputs  # noqa: E402
from analysis.languages import load_profile  # noqa: E402
from analysis.nlp import build_pipeline  # noqa: E402
from analysis.pipeline import ExtractOptions, _extract_all, choose_language, warm_up  # noqa: E402

CORPUS = Path(__file__).resolve().parents[1] / "data" / "corpus"


def workload(min_words: int) -> list[RawArticle]:
    """Corpus articles repeated (each copy numbered) until they hold at least min_words words."""
    base = [a for a in read_inputs([str(CORPUS)]) if isinstance(a, RawArticle)]
    articles, words, copy = [], 0, 0
    while words < min_words:
        for raw in base:
            articles.append(replace(raw, text=f"{raw.text}\n\nCopy {copy}.", path=f"{raw.path}#{copy}"))
            words += len(raw.text.split())
        copy += 1
    return articles


def tokenizer_only(articles: list[RawArticle]) -> float:
    """Seconds for spaCy's tokenizer alone over every article, in each article's own language."""
    pairs = [(build_pipeline(choose_language(a, None)).tokenizer, a.text) for a in articles]
    start = time.perf_counter()
    for tokenizer, text in pairs:
        tokenizer(text)
    return time.perf_counter() - start


def tokenizer_cold(articles: list[RawArticle]) -> tuple[int, float]:
    """Words and seconds for fresh tokenizers over the distinct corpus once: no token cache to help."""
    import spacy

    seen, words, seconds = set(), 0, 0.0
    tokenizers = {}
    for article in articles:
        if article.path.split("#")[0] in seen:
            continue
        seen.add(article.path.split("#")[0])
        code = choose_language(article, None)
        tokenizer = tokenizers.setdefault(code, spacy.blank(load_profile(code).spacy).tokenizer)
        start = time.perf_counter()
        tokenizer(article.text)
        seconds += time.perf_counter() - start
        words += len(article.text.split())
    return words, seconds


def pipeline(articles: list[RawArticle], workers: int) -> float:
    """Seconds for the whole pipeline (clean, entities, dates, events) over every article."""
    start = time.perf_counter()
    results = list(_extract_all(articles, ExtractOptions(workers=workers), None))
    elapsed = time.perf_counter() - start
    assert all(not hasattr(r, "reason") for r in results), "an article failed"
    return elapsed


def peak_rss_mb() -> float:
    """Peak resident memory of this process and its finished workers, in MB."""
    own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    children = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    return max(own, children) / 1024


def main() -> None:
    """Print the figures."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--words", type=int, default=200_000)
    parser.add_argument("--workers", type=int, nargs="+", default=[1, 2])
    args = parser.parse_args()
    warm_up()
    articles = workload(args.words)
    words = sum(len(a.text.split()) for a in articles)
    print(f"machine: {platform.processor() or platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}")
    print(f"workload: {len(articles)} articles, {words:,} words (bundled corpus repeated)")
    floor = tokenizer_only(articles)
    print(f"tokenizer only (1 core):      {words / floor:10,.0f} words/s (same text; its token cache is warm)")
    cold_words, cold = tokenizer_cold(articles)
    print(f"tokenizer only, cold (1 core): {cold_words / cold:9,.0f} words/s (fresh tokenizers, distinct corpus once)")
    for workers in args.workers:
        seconds = pipeline(articles, workers)
        print(f"whole pipeline, {workers} worker(s): {words / seconds:10,.0f} words/s "
              f"({100 * floor / seconds:.0f}% of tokenizer-only on 1 core; {seconds:.1f} s)")
    print(f"peak RSS: {peak_rss_mb():.0f} MB (largest of this process and its workers)")


if __name__ == "__main__":
    main()
