"""Helpers for engine tests: extract inline texts and read what came out."""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path

from analysis.ingest import RawArticle
from analysis.pipeline import ExtractedArticle, extract_article

ROOT = Path(__file__).resolve().parents[1]
# The hand-annotated seed article and its gold file live outside the repository: in ../shared beside the
# checkout, or wherever NEWSINT_SHARED points (a folder holding seeds/ and gold/).
SHARED = Path(os.environ.get("NEWSINT_SHARED") or ROOT.parent / "shared")
SHARED_HINT = (f"the seed article is not in {SHARED}/seeds: set NEWSINT_SHARED to the folder holding seeds/ and "
               "gold/ to run this test")
RESOURCES = Path(__file__).resolve().parent / "resources"


def article(text: str, published: str | None = "2024-06-19", language: str | None = None,
            title: str = "Test article") -> ExtractedArticle:
    """Extract an article written inline in a test."""
    return extract_article(RawArticle(text=text, title=title,
                                      published=dt.date.fromisoformat(published) if published else None,
                                      source="test", url=None, language=language, path="<test>"))


def names_of(extracted: ExtractedArticle) -> dict[str, dict]:
    """Entity rows of an extraction by canonical name."""
    return {row["name"]: row for row in extracted.entities}


def events_of(extracted: ExtractedArticle) -> list[tuple[str, str | None, str | None, str, str, str]]:
    """Events as (type, source name, target name, modality, date, precision)."""
    by_id = {row["entity_id"]: row["name"] for row in extracted.entities}
    return [(e["type"], by_id.get(e["source_id"]), by_id.get(e["target_id"]), e["modality"], e["date"],
             e["date_precision"]) for e in extracted.events]
