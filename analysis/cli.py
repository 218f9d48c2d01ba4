"""Command line: `python -m analysis extract INPUT... --out DIR`, `stats DIR`, `compact DIR`, `train [NAME...]`,
`score-names FILE`."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Sequence

from analysis.geocode import GeocodingError
from analysis.nlp import ModelError
from analysis.ingest import IngestOptions
from analysis.pipeline import ARTICLE_SECONDS, ExtractOptions, RunSummary, run_extraction
from analysis.store import DatasetError, compact, describe_folder


def parse_args(argv: Sequence[str] | None = None) -> argparse.Namespace:
    """The command line, parsed."""
    parser = argparse.ArgumentParser(prog="python -m analysis",
                                     description="News articles to entities, places and events.")
    commands = parser.add_subparsers(dest="command", required=True)

    extract = commands.add_parser("extract", help="extract articles into a dataset folder (adds to what is there)")
    extract.add_argument("inputs", nargs="+", metavar="INPUT",
                         help="files (.txt .md .html .jsonl .csv), folders, '-' for stdin, or http(s) URLs")
    extract.add_argument("--out", required=True, type=Path, help="dataset folder to write the tables to")
    extract.add_argument("--format", choices=("parquet", "csv"), default="parquet", help="table format")
    extract.add_argument("--geocoder", choices=("gazetteer", "nominatim"), default="gazetteer",
                         help="gazetteer: offline (default); nominatim: OpenStreetMap over the network")
    extract.add_argument("--nominatim-domain", default="nominatim.openstreetmap.org", help=argparse.SUPPRESS)
    extract.add_argument("--nominatim-scheme", default="https", choices=("http", "https"), help=argparse.SUPPRESS)
    extract.add_argument("--nominatim-delay", type=float, default=1.0,
                         help="seconds between Nominatim requests (its usage policy asks for 1)")
    extract.add_argument("--user-agent", default=None, help="User-Agent for URL fetching and Nominatim")
    extract.add_argument("--dask", "--workers", dest="workers", type=int, default=1, metavar="N",
                         help="extract on a local Dask cluster of N worker processes (1: in this process)")
    extract.add_argument("--scheduler", default=None, metavar="ADDRESS",
                         help="extract on a running Dask cluster, e.g. tcp://10.0.0.5:8786 (see README)")
    extract.add_argument("--scheduler-timeout", type=float, default=30.0, help=argparse.SUPPRESS)
    extract.add_argument("--batch-size", type=int, default=8, help="articles sent to a worker at a time")
    extract.add_argument("--commit-every", type=int, default=500, metavar="N",
                         help="store what is extracted after every N articles (an interrupted run keeps them)")
    extract.add_argument("--language", default=None, help="force a language code instead of detecting it")
    extract.add_argument("--article-seconds", type=_positive_seconds, default=ARTICLE_SECONDS, metavar="S",
                         help=f"give up an article whose analysis runs past S seconds (default {ARTICLE_SECONDS:g})")
    extract.add_argument("--no-private-urls", action="store_true",
                         help="refuse URLs on this machine or private networks (checked on the address connected to)")
    extract.add_argument("--timeout", type=float, default=15.0, help="seconds to wait for a URL")
    extract.add_argument("--max-bytes", type=int, default=5_000_000, help="largest file or page to read")
    extract.add_argument("--quiet", action="store_true", help="no progress lines")

    stats = commands.add_parser("stats", help="counts per table, language and event type")
    stats.add_argument("folder", type=Path)
    stats.add_argument("--json", action="store_true", help="print JSON")

    compact = commands.add_parser("compact", help="merge a dataset's parts into few large files")
    compact.add_argument("folder", type=Path)
    compact.add_argument("--rows-per-file", type=int, default=2_000_000, help="largest file, in rows")

    train = commands.add_parser("train", help="retrain the shipped spaCy pipelines from data/training")
    train.add_argument("names", nargs="*", metavar="NAME", help="pipelines to train (default: all)")

    names = commands.add_parser("score-names", help="score entity recognition against a CoNLL NER file")
    names.add_argument("file", type=Path, help="token ... label per line (BIO labels PER, ORG, LOC), blank lines "
                                               "between sentences")
    names.add_argument("--language", default="id", help="the file's language (default id)")
    names.add_argument("--limit", type=int, default=None, help="score only the first N sentences")
    names.add_argument("--json", action="store_true", help="print JSON")
    return parser.parse_args(argv)


def _positive_seconds(value: str) -> float:
    """A number of seconds above zero and finite, for argparse."""
    try:
        seconds = float(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"'{value}' is not a number of seconds") from None
    if not 0 < seconds < float("inf"):
        raise argparse.ArgumentTypeError(f"'{value}' is not a positive, finite number of seconds")
    return seconds


def _options(args: argparse.Namespace) -> ExtractOptions:
    """The extraction options the arguments ask for."""
    ingest = IngestOptions(fetch_timeout=args.timeout, max_bytes=args.max_bytes,
                           **({"user_agent": args.user_agent} if args.user_agent else {}),
                           **({"refuse_private_addresses": True} if args.no_private_urls else {}))
    extra = {"user_agent": args.user_agent} if args.user_agent else {}
    return ExtractOptions(fmt=args.format, geocoder=args.geocoder, nominatim_domain=args.nominatim_domain,
                          nominatim_scheme=args.nominatim_scheme, nominatim_delay=args.nominatim_delay,
                          workers=max(1, args.workers), scheduler=args.scheduler, scheduler_timeout=args.scheduler_timeout,
                          batch_size=max(1, args.batch_size), article_seconds=args.article_seconds,
                          language=args.language, ingest=ingest, **extra)


def _run_errors() -> tuple[type[Exception], ...]:
    """The errors a run reports in one message; a cluster's only once a cluster ran (its module loads Dask, which
    a one-process run does not need at start-up)."""
    cluster = sys.modules.get("analysis.cluster")
    return (GeocodingError, DatasetError, ModelError) + ((cluster.ClusterError,) if cluster else ())


def run_extract(args: argparse.Namespace) -> int:
    """Extract, print the summary; non-zero only when nothing could be read."""
    def report(done: int, total: int, label: str) -> None:
        if not args.quiet and (done == total or done % 25 == 0):
            print(f"  {done}/{total} {label}" if total else f"  {done} {label}", file=sys.stderr)

    summary = RunSummary()
    try:
        run_extraction(args.inputs, args.out, _options(args), report, commit_every=max(1, args.commit_every),
                       summary=summary)
    except _run_errors() as exc:
        print(f"error: {exc}", file=sys.stderr)
        if summary.added:
            print(f"{summary.added} articles were stored before the error and stay stored; running the same "
                  "command again skips them", file=sys.stderr)
        else:
            print("nothing was written; the tables already there are unchanged", file=sys.stderr)
        return 1
    for line in summary.lines():
        print(line)
    return 0 if summary.read else 1


def run_stats(args: argparse.Namespace) -> int:
    """Print counts of a dataset folder."""
    try:
        counts = describe_folder(args.folder)
    except DatasetError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    if args.json:
        print(json.dumps(counts, indent=2, default=str))
        return 0
    for section, values in counts.items():
        print(section.replace("_", " ") + ":")
        for key, value in values.items():
            print(f"  {key}: {value}")
    return 0


def run_compact(args: argparse.Namespace) -> int:
    """Merge a dataset's parts; print how many files there were and are."""
    try:
        before, after = compact(args.folder, max(1, args.rows_per_file))
    except DatasetError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    print(f"{args.folder}: {before} files merged into {after}")
    return 0


def run_train(args: argparse.Namespace) -> int:
    """Retrain pipelines and install them in analysis/models."""
    from analysis.train import TrainingDataError, train_all

    try:
        train_all(args.names)
    except TrainingDataError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    return 0


def run_score_names(args: argparse.Namespace) -> int:
    """Print entity recognition scores of the recogniser alone and of the whole engine."""
    from analysis.evaluate import score_names
    from analysis.train import TrainingDataError

    try:
        scores = score_names(args.file, args.language, args.limit)
    except (TrainingDataError, ModelError, OSError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    if args.json:
        print(json.dumps(scores, indent=2))
        return 0
    for system, table in scores.items():
        print(f"{system}:")
        for label, values in table.items():
            print(f"  {label:<4} precision {values['p']:.3f}  recall {values['r']:.3f}  F1 {values['f']:.3f}"
                  f"  (gold {values['gold']}, found {values['found']})")
    return 0


def main(argv: Sequence[str] | None = None) -> int:
    """Run a command."""
    args = parse_args(argv)
    commands = {"extract": run_extract, "stats": run_stats, "compact": run_compact, "train": run_train,
                "score-names": run_score_names}
    return commands[args.command](args)
