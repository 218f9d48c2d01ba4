"""One timed run for bench_extract.py in a fresh process; prints its figures as one JSON line."""

# bench_extract.py starts this as
# `python bench/_engine_run.py --corpus DIR --words N (--workers 1 | --dask K | --model NAME)`.
# It imports `analysis` from whatever PYTHONPATH names, so the same code times the current engine and an older
# checkout of it on the same workload, and each run's peak memory is its own.

from __future__ import annotations

import argparse
import json
import resource
import time
from dataclasses import replace
from pathlib import Path

from analysis.ingest import RawArticle, read_inputs
from analysis.pipeline import ExtractOptions, _extract_all, choose_language, warm_up


def workload(corpus: Path, min_words: int) -> list[RawArticle]:
    """Corpus articles repeated (each copy numbered) until they hold at least min_words words."""
    base = [a for a in read_inputs([str(corpus)]) if isinstance(a, RawArticle)]
    articles, words, copy = [], 0, 0
    while words < min_words:
        for raw in base:
            # A distinct text per copy, so nothing is skipped or served from a cache as a duplicate.
            articles.append(replace(raw, text=f"{raw.text}\n\nCopy {copy}.", path=f"{raw.path}#{copy}"))
            words += len(raw.text.split())
        copy += 1
    return articles


def english(articles: list[RawArticle]) -> list[RawArticle]:
    """The English articles among them."""
    return [a for a in articles if choose_language(a, None) == "en"]


def word_count(articles: list[RawArticle]) -> int:
    """Whitespace-separated words over every article, the unit of every words/s figure."""
    return sum(len(a.text.split()) for a in articles)


def time_engine(articles: list[RawArticle], workers: int) -> float:
    """Seconds for the whole pipeline over every article, after warming it up on one article."""
    warm_up()
    # Warmed in this process, so forked workers inherit what the first article builds.
    list(_extract_all(articles[:1], ExtractOptions(workers=1), None))
    start = time.perf_counter()
    results = list(_extract_all(articles, ExtractOptions(workers=workers), None))
    elapsed = time.perf_counter() - start
    failed = [r for r in results if hasattr(r, "reason")]
    if failed:
        raise SystemExit(f"{len(failed)} article(s) failed, first {failed[0].path}: {failed[0].reason}")
    return elapsed


def time_cluster(articles: list[RawArticle], workers: int) -> tuple[float, float, float]:
    """Seconds on a local Dask cluster of `workers` processes once every worker is warm, the seconds the cluster
    took to start and warm up, and the largest worker's peak memory in MB."""
    from analysis.cluster import connect

    started = time.perf_counter()
    with connect(workers) as client:
        ready = time.perf_counter() - started
        options = ExtractOptions(scheduler=client.scheduler.address)
        # One batch per worker first, so no timed batch pays for a worker's first article.
        list(_extract_all(articles[: options.batch_size * workers], options, None))
        start = time.perf_counter()
        results = list(_extract_all(articles, options, None))
        elapsed = time.perf_counter() - start
        worker_peaks = client.run(peak_rss_mb)
    failed = [r for r in results if hasattr(r, "reason")]
    if failed:
        raise SystemExit(f"{len(failed)} article(s) failed, first {failed[0].path}: {failed[0].reason}")
    return elapsed, ready, max(worker_peaks.values())


def time_lengths(corpus: Path, lengths: list[int]) -> list[dict]:
    """Seconds for one article of each length (in characters), made of the English corpus articles in a row."""
    from analysis.pipeline import extract_article

    warm_up()
    base = english([a for a in read_inputs([str(corpus)]) if isinstance(a, RawArticle)])
    text = "\n\n".join(a.text for a in base)
    out = []
    for length in lengths:
        body = (text * (length // len(text) + 1))[:length]
        raw = RawArticle(text=f"A long report\n\n{body}", title="A long report", published=None, source=None,
                         url=None, language="en", path=f"long-{length}")
        start = time.perf_counter()
        extract_article(raw)
        out.append({"chars": length, "words": len(body.split()), "seconds": time.perf_counter() - start})
    return out


def time_model(articles: list[RawArticle], model: str) -> tuple[float, list[str]]:
    """Seconds for an installed spaCy pipeline over every article after one warm-up, and the components it ran."""
    import spacy

    nlp = spacy.load(model)
    nlp(articles[0].text)
    texts = [a.text for a in articles]
    start = time.perf_counter()
    # nlp.pipe batches the networks: spaCy's own fastest way through many texts in one process.
    for _ in nlp.pipe(texts, n_process=1):
        pass
    return time.perf_counter() - start, nlp.pipe_names


def peak_rss_mb() -> float:
    """Peak resident memory of this process and of its finished worker processes, in MB."""
    own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    children = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    return max(own, children) / 1024


def main() -> None:
    """Time one run and print articles, words, seconds and peak RSS as JSON."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--corpus", type=Path, required=True)
    parser.add_argument("--words", type=int, required=True)
    parser.add_argument("--english", action="store_true", help="only the workload's English articles")
    what = parser.add_mutually_exclusive_group(required=True)
    what.add_argument("--workers", type=int, help="time the engine with this many workers")
    what.add_argument("--dask", type=int, help="time the engine on a local Dask cluster of this many workers")
    what.add_argument("--lengths", type=int, nargs="+", help="time one article of each length in characters")
    what.add_argument("--model", help="time this installed spaCy pipeline instead")
    args = parser.parse_args()
    if args.lengths:
        print(json.dumps({"lengths": time_lengths(args.corpus, args.lengths)}))
        return
    articles = workload(args.corpus, args.words)
    if args.english:
        articles = english(articles)
    extra: dict = {}
    if args.dask:
        seconds, extra["startup_seconds"], extra["worker_peak_rss_mb"] = time_cluster(articles, args.dask)
        components = []
    elif args.model:
        seconds, components = time_model(articles, args.model)
    else:
        seconds, components = time_engine(articles, args.workers), []
    print(json.dumps({"articles": len(articles), "words": word_count(articles), "seconds": seconds,
                      "peak_rss_mb": extra.get("worker_peak_rss_mb", peak_rss_mb()), "components": components,
                      **extra}))


if __name__ == "__main__":
    main()
