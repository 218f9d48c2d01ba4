"""Cleaning: strip the boilerplate news pages wrap around the story, keep the dateline, mark headings."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from functools import lru_cache

from analysis.languages import load_profile

SENTENCE_PUNCTUATION = ('.', '!', '?', '"', '”', '’', ':', ';', ')', '…')


@dataclass(frozen=True)
class CleanText:
    """An article body ready for analysis, with what cleaning learned about it."""

    text: str
    dateline: tuple[int, int] | None = None
    dateline_agency: str | None = None
    headings: list[tuple[int, int]] = field(default_factory=list)


@dataclass(frozen=True)
class _Patterns:
    """Compiled boilerplate patterns of a language."""

    drop_line: tuple[re.Pattern[str], ...]
    drop_with_next: tuple[re.Pattern[str], ...]
    end_markers: tuple[re.Pattern[str], ...]
    drop_inline: tuple[re.Pattern[str], ...]
    dateline: tuple[re.Pattern[str], ...]
    heading_max_words: int


@lru_cache(maxsize=None)
def patterns_for(code: str) -> _Patterns:
    """Compile a language's boilerplate patterns once."""
    profile = load_profile(code)

    def compile_all(key: str, flags: int) -> tuple[re.Pattern[str], ...]:
        return tuple(re.compile(p, flags) for p in profile.words("boilerplate", key))

    return _Patterns(
        drop_line=compile_all("drop_line", re.IGNORECASE),
        drop_with_next=compile_all("drop_with_next", re.IGNORECASE),
        end_markers=compile_all("end_markers", re.IGNORECASE),
        drop_inline=compile_all("drop_inline", 0),
        dateline=compile_all("dateline", 0),
        heading_max_words=int(profile.data.get("heading_max_words", 9)),
    )


def normalise_text(text: str) -> str:
    """Unicode NFC, unified line ends, no zero-width or non-breaking oddities."""
    text = unicodedata.normalize("NFC", text)
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    text = text.replace("\u00a0", " ").replace("\u200b", "").replace("\ufeff", "")
    return text


def _is_heading(line: str, max_words: int) -> bool:
    """A short line without sentence punctuation: a subheading, not a sentence."""
    words = line.split()
    return 0 < len(words) <= max_words and not line.rstrip().endswith(SENTENCE_PUNCTUATION)


def clean_article(text: str, code: str) -> CleanText:
    """Remove boilerplate lines and inline credits, keep the dateline's span, and mark headings."""
    rules = patterns_for(code)
    paragraphs: list[str] = []
    skip_next = False
    for raw_line in normalise_text(text).split("\n"):
        line = " ".join(raw_line.split())
        if not line:
            continue
        if skip_next:
            skip_next = False
            continue
        if any(p.search(line) for p in rules.drop_with_next):
            skip_next = True
            continue
        if paragraphs and any(p.search(line) for p in rules.end_markers):
            break  # the page's closing lists of other stories
        if any(p.search(line) for p in rules.drop_line):
            continue
        for pattern in rules.drop_inline:
            line = pattern.sub("", line).strip()
        if line:
            paragraphs.append(line)
    body = "\n\n".join(paragraphs)
    dateline, agency = None, None
    for pattern in rules.dateline:
        match = pattern.match(body)
        if match:
            dateline = (match.start("place"), match.end("place"))
            agency = match.groupdict().get("agency")
            break
    headings, offset = [], 0
    for paragraph in paragraphs:
        if _is_heading(paragraph, rules.heading_max_words):
            headings.append((offset, offset + len(paragraph)))
        offset += len(paragraph) + 2
    return CleanText(text=body, dateline=dateline, dateline_agency=agency, headings=headings)
