"""Benchmark: extraction quality against hand annotations, tuning sets and held-out set reported apart.

Run: python bench/bench_quality.py [--seed ../shared/seeds/000_85111dbf54441c16.txt]
Prints one Markdown table: entity F1, places within 161 km, gold events found with both actors right, with type
and one actor right, the share of written events that are real ones (precision), and dates right, per set.
tests/resources/fresh, tune, tune2, ru_tune, ru_tune2, ko_tune, ko_tune2 and ko_tune3 are the sets rules were
tuned on; tests/resources/heldout, ru_heldout and ko_heldout are only ever measured.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import platform
import statistics
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from analysis.evaluate import Score, score_article  # noqa: E402
from analysis.ingest import parse_text_article  # noqa: E402
from analysis.pipeline import extract_article, warm_up  # noqa: E402

RESOURCES = Path(__file__).resolve().parents[1] / "tests" / "resources"
SEED = Path(__file__).resolve().parents[2] / "shared" / "seeds" / "000_85111dbf54441c16.txt"
SEED_GOLD = Path(__file__).resolve().parents[2] / "shared" / "gold" / "seed_000.json"
COLUMNS = ("entity F1", "places", "events, both actors", "events, type + one actor", "event precision", "dates right")


def score(text_path: Path, gold_path: Path) -> Score:
    """Extract one annotated article and score it."""
    raw = parse_text_article(text_path.read_text(encoding="utf-8"), str(text_path))
    return score_article(extract_article(raw), json.loads(gold_path.read_text(encoding="utf-8")))


def row(scores: list[Score]) -> list[float]:
    """Mean figures of a set, in COLUMNS order; dates are counted over the events found."""
    mean = lambda values: statistics.mean(values) if values else 0.0  # noqa: E731
    return [mean([s.entity_f1 for s in scores]), mean([s.places_within for s in scores]),
            mean([s.events_found for s in scores]), mean([s.events_type_and_one_actor for s in scores]),
            mean([s.event_precision for s in scores]), mean([s.event_dates for s in scores if s.events_found])]


def main() -> None:
    """Print the table."""
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--seed", type=Path, default=SEED, help="the seed article (its gold is read beside it)")
    args = parser.parse_args()
    warm_up()
    sets: list[tuple[str, list[Score]]] = []
    for name, label in (("fresh", "tuning: fresh (6 id + 6 en)"), ("tune", "tuning: tune (6 id + 6 en)"),
                        ("tune2", "tuning: tune2 (8 id + 8 en)"),
                        ("heldout", "held-out (5 id + 5 en), never tuned on"),
                        ("ru_tune", "tuning: ru_tune (6 ru)"), ("ru_tune2", "tuning: ru_tune2 (4 ru)"),
                        ("ru_heldout", "held-out: ru_heldout (4 ru), never tuned on"),
                        ("ko_tune", "tuning: ko_tune (5 ko)"), ("ko_tune2", "tuning: ko_tune2 (4 ko)"),
                        ("ko_tune3", "tuning: ko_tune3 (3 ko, other stories)"),
                        ("ko_heldout", "held-out: ko_heldout (3 ko), never tuned on")):
        texts = sorted(p for p in (RESOURCES / name).glob("*.txt"))
        sets.append((label, [score(p, p.with_suffix(".gold.json")) for p in texts]))
    # The three held-out sets as one, as a reader of news in all four languages meets them (means per article).
    held_out = [s for label, scores in sets if label.startswith("held-out") for s in scores]
    sets.append((f"all held-out sets together ({len(held_out)} articles: id, en, ru, ko)", held_out))
    if args.seed.exists() and SEED_GOLD.exists():
        sets.insert(0, ("the seed article (id)", [score(args.seed, SEED_GOLD)]))
    print(f"machine: {platform.machine()}, Python {platform.python_version()}, {dt.date.today().isoformat()}")
    print()
    print("| set | " + " | ".join(COLUMNS) + " |")
    print("| --- |" + " ---: |" * len(COLUMNS))
    for label, scores in sets:
        print(f"| {label} | " + " | ".join(f"{value:.2f}" for value in row(scores)) + " |")


if __name__ == "__main__":
    main()
