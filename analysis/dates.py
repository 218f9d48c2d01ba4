"""Dates: find date phrases in a text and resolve them against the publication date, with their precision.

Candidate phrases are found with the language's month, weekday and relative-date words first; only those
phrases are parsed (dateparser for explicit dates), never whole texts, which is fast and avoids reading
"70 tahun" as a year.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from functools import lru_cache

import dateparser

from analysis.languages import load_profile

PRECISION_RANK = {"day": 3, "month": 2, "year": 1, "article": 0}


@dataclass(frozen=True)
class DateMention:
    """A date phrase in a text and the date it stands for."""

    start: int
    end: int
    phrase: str
    value: str
    precision: str
    not_event: bool = False


def iso_at(day: dt.date, precision: str) -> str:
    """A date written at a precision: YYYY-MM-DD, YYYY-MM or YYYY."""
    if precision == "year":
        return f"{day.year:04d}"
    if precision == "month":
        return f"{day.year:04d}-{day.month:02d}"
    return day.isoformat()


def _alternation(words: list[str]) -> str:
    """A regex alternation of words, longest first."""
    return "|".join(re.escape(w) for w in sorted(words, key=len, reverse=True))


@dataclass(frozen=True)
class _DateRules:
    """Compiled date patterns of a language."""

    patterns: tuple[tuple[str, re.Pattern[str]], ...]
    months: dict[str, int]
    weekdays: dict[str, int]
    relative: tuple[tuple[re.Pattern[str], str, int], ...]
    next_words: frozenset[str]
    not_event: frozenset[str]
    day_first: bool
    year_offsets: dict[str, int | None] = field(default_factory=dict)  # "parts:N" -> years from publication
    month_offsets: dict[str, int] = field(default_factory=dict)  # "parts:N" -> months from publication
    ahead: frozenset[str] = frozenset()  # "parts:N" whose day alone is the next such day ("오는 27일")


@lru_cache(maxsize=None)
def rules_for(code: str) -> _DateRules:
    """Compile a language's date patterns once."""
    dates = load_profile(code).mapping("dates")
    months = {str(k).lower(): int(v) for k, v in (dates.get("months") or {}).items()}
    weekdays = {str(k).lower(): int(v) for k, v in (dates.get("weekdays") or {}).items()}
    day_first = bool(dates.get("day_first", True))
    # Where month and weekday names are written in lower case ("19 июня", "в среду") they need no capital.
    capitalised = bool(dates.get("names_capitalised", True))
    full_months = [m for m in months if len(m) > 3 or m == "mei" or m == "may"]
    month_re = _alternation(list(months)) if months else r"(?!x)x"
    full_month_re = _alternation(full_months) if full_months else r"(?!x)x"
    weekday_re = _alternation(list(weekdays)) if weekdays else r"(?!x)x"
    year = r"(?P<year>(?:1[89]|20)\d\d)"
    patterns: list[tuple[str, str]] = [
        ("numeric", r"\(?\b(?P<a>\d{1,2})/(?P<b>\d{1,2})/" + year + r"\b\)?"),
        # "Kamis (20/6)": Indonesian copy often leaves the year out in brackets after a weekday
        ("numeric_no_year", r"\((?P<a>\d{1,2})/(?P<b>\d{1,2})\)"),
        ("iso", r"\b" + year + r"-(?P<m>\d{2})-(?P<d>\d{2})\b"),
        ("day_month", r"\b(?P<day>\d{1,2})\s+(?P<month>" + month_re + r")\.?(?:\s+" + year + r")?\b"),
        ("month_day", r"\b(?P<month>" + month_re + r")\.?\s+(?P<day>\d{1,2})(?:st|nd|rd|th)?\b(?:,?\s+" + year + r")?"),
        ("month_year", r"\b" + dates.get("month_prefix", "") + r"(?P<month>" + full_month_re + r")\s+" + year + r"\b"),
        ("month", r"\b" + dates.get("month_prefix", "") + r"(?P<month>" + full_month_re + r")\b"),
        ("year", r"\b" + dates.get("year_prefix", r"(?!x)x") + year + r"\b"),
        ("weekday", r"\b" + dates.get("weekday_prefix", "") + r"(?P<weekday>" + weekday_re + r")\b"),
    ]
    # Languages that write dates as numbered parts ("2024년 6월 19일", "지난해 9월", "19일") list them as patterns
    # with named groups year, month_num and day; they are tried before the others.
    year_offsets: dict[str, int | None] = {}
    month_offsets: dict[str, int] = {}
    ahead = set()
    parts = []
    for n, entry in enumerate(dates.get("part_patterns") or []):
        kind = f"parts:{n}"
        year_offsets[kind] = int(entry.get("year_offset", 0)) if "year_offset" in entry else None
        if "month_offset" in entry:
            month_offsets[kind] = int(entry["month_offset"])
        if entry.get("ahead"):
            ahead.add(kind)
        parts.append((kind, entry["pattern"]))
    patterns = parts + patterns
    compiled = []
    for name, pattern in patterns:
        # Month and weekday names count only when capitalised: "may" and "march" are also verbs.
        flags = 0 if capitalised and name in ("month", "month_year", "weekday", "month_day", "day_month") \
            else re.IGNORECASE
        compiled.append((name, re.compile(_capitalised(pattern) if flags == 0 else pattern, flags)))
    relative = tuple((re.compile(r"\b" + r["phrase"] + r"\b", re.IGNORECASE), r["unit"], int(r["offset"]))
                     for r in dates.get("relative") or [])
    return _DateRules(tuple(compiled), months, weekdays, relative,
                      frozenset(w.lower() for w in dates.get("next_words") or []),
                      frozenset(w.lower() for w in dates.get("not_event_date") or []), day_first, year_offsets,
                      month_offsets, frozenset(ahead))


def _capitalised(pattern: str) -> str:
    """Make a pattern's name alternations match capitalised words (and the lower-case prefixes as written)."""
    return re.sub(r"\(\?P<(month|weekday)>([^)]*)\)",
                  lambda m: "(?P<%s>%s)" % (m.group(1), "|".join(
                      w[:1].upper() + w[1:] for w in m.group(2).split("|"))), pattern)


def _closest_year(month: int, day: int | None, published: dt.date, prefer_future: bool) -> int:
    """The year that puts a month (and day) closest to the publication date."""
    best, best_distance = published.year, None
    for year in (published.year - 1, published.year, published.year + 1):
        try:
            candidate = dt.date(year, month, day or 15)
        except ValueError:
            continue
        distance = (candidate - published).days
        # News mostly reports the past: a future reading needs to be clearly closer.
        score = abs(distance) + (0 if (distance > 0) == prefer_future or distance == 0 else 0) + \
            (45 if distance > 31 and not prefer_future else 0)
        if best_distance is None or score < best_distance:
            best, best_distance = year, score
    return best


def _week_reference(published: dt.date, offset: int) -> dt.date:
    """The Thursday of the week `offset` weeks from the publication week: it decides the week's month."""
    monday = published - dt.timedelta(days=published.weekday())
    return monday + dt.timedelta(weeks=offset, days=3)


def _shift_month(day: dt.date, offset: int) -> dt.date:
    """The first of the month `offset` months away."""
    month_index = day.year * 12 + day.month - 1 + offset
    return dt.date(month_index // 12, month_index % 12 + 1, 1)


@lru_cache(maxsize=4096)
def _parse_explicit(phrase: str, code: str, day_first: bool) -> dt.date | None:
    """Parse an explicit date phrase with dateparser, restricted to its language."""
    parsed = dateparser.parse(phrase, languages=[code],
                              settings={"DATE_ORDER": "DMY" if day_first else "MDY", "PREFER_DAY_OF_MONTH": "first",
                                        "REQUIRE_PARTS": ["day", "month", "year"]})
    return parsed.date() if parsed else None


def _resolve(kind: str, match: re.Match[str], rules: _DateRules, code: str, published: dt.date | None,
             text: str) -> tuple[dt.date, str] | None:
    """The date and precision a matched phrase stands for."""
    groups = match.groupdict()
    if kind.startswith("parts:"):
        if published is not None and groups.get("day") and not groups.get("month_num") and not groups.get("year") \
                and (kind in rules.month_offsets or kind in rules.ahead):
            return _resolve_day_of_month(int(groups["day"]), rules.month_offsets.get(kind), published)
        return _resolve_parts(groups, rules.year_offsets.get(kind), published)
    if kind == "numeric_no_year":
        if published is None:
            return None
        first, second = int(groups["a"]), int(groups["b"])
        day, month = (first, second) if rules.day_first else (second, first)
        if not (1 <= month <= 12 and 1 <= day <= 31):
            return None
        try:
            return dt.date(_closest_year(month, day, published, False), month, day), "day"
        except ValueError:
            return None
    if kind in ("numeric", "iso"):
        if kind == "iso":
            day, month = int(groups["d"]), int(groups["m"])
        else:
            first, second = int(groups["a"]), int(groups["b"])
            day, month = (first, second) if rules.day_first else (second, first)
        try:
            return dt.date(int(groups["year"]), month, day), "day"
        except ValueError:
            return None
    if kind in ("day_month", "month_day"):
        month = rules.months[groups["month"].lower()]
        day = int(groups["day"])
        if not 1 <= day <= 31:
            return None
        year = int(groups["year"]) if groups.get("year") else (
            _closest_year(month, day, published, False) if published else None)
        if year is None:
            return None
        phrase = f"{day} {groups['month']} {year}" if rules.day_first or kind == "day_month" else \
            f"{groups['month']} {day}, {year}"
        parsed = _parse_explicit(phrase, code, rules.day_first or kind == "day_month")
        if parsed is None:
            try:
                parsed = dt.date(year, month, day)
            except ValueError:
                return None
        return parsed, "day"
    if kind == "month_year":
        return dt.date(int(groups["year"]), rules.months[groups["month"].lower()], 1), "month"
    if kind == "month":
        if published is None:
            return None
        month = rules.months[groups["month"].lower()]
        return dt.date(_closest_year(month, None, published, False), month, 1), "month"
    if kind == "year":
        return dt.date(int(groups["year"]), 1, 1), "year"
    if kind == "weekday":
        # "Selasa (18/6/2024)": the explicit date in brackets says which Tuesday.
        if published is None or re.match(r"\s*\(\d", text[match.end():match.end() + 3]):
            return None
        weekday = rules.weekdays[groups["weekday"].lower()]
        following = text[match.end():match.end() + 12].lower().split()
        preceding = text[max(0, match.start() - 12):match.start()].lower().split()
        if set(following[:1] + preceding[-1:]) & rules.next_words:
            return published + dt.timedelta(days=(weekday - published.weekday()) % 7 or 7), "day"
        return published - dt.timedelta(days=(published.weekday() - weekday) % 7), "day"
    return None


def _resolve_day_of_month(day: int, month_offset: int | None, published: dt.date) -> tuple[dt.date, str] | None:
    """A day of a month named relative to publication ("다음 달 5일", "지난달 26일"), or with no offset the next
    such day on or after publication ("오는 27일": the coming 27th, next month's when this month's has passed)."""
    if month_offset is None:
        month_offset = 0 if day >= published.day else 1
    month_start = _shift_month(published, month_offset)
    try:
        return dt.date(month_start.year, month_start.month, day), "day"
    except ValueError:
        return None


def _resolve_parts(groups: dict[str, str | None], year_offset: int | None,
                   published: dt.date | None) -> tuple[dt.date, str] | None:
    """A date written as numbered parts: what the phrase leaves out is read from the publication date (a day
    alone is the latest such day on or before it; a month alone the closest such month)."""
    year = int(groups["year"]) if groups.get("year") else None
    month = int(groups["month_num"]) if groups.get("month_num") else None
    day = int(groups["day"]) if groups.get("day") else None
    if year is None and published is None:
        return None
    if year is None and year_offset is not None:
        year = published.year + year_offset
    try:
        if month is None and day is None:
            return (dt.date(year, 1, 1), "year") if year else None
        if month is None:
            reference = published if year is None else dt.date(year, published.month, 1)
            month_start = reference.replace(day=1) if day <= reference.day or year is not None else \
                _shift_month(reference, -1)
            return dt.date(month_start.year, month_start.month, day), "day"
        if year is None:
            year = _closest_year(month, day, published, False)
        return (dt.date(year, month, day), "day") if day else (dt.date(year, month, 1), "month")
    except ValueError:
        return None


def _resolve_relative(unit: str, offset: int, published: dt.date) -> tuple[dt.date, str]:
    """A relative phrase's date: days exact, weeks to their month, months and years as such."""
    if unit == "day":
        return published + dt.timedelta(days=offset), "day"
    if unit == "week":
        return _week_reference(published, offset), "month"
    if unit == "month":
        return _shift_month(published, offset), "month"
    return dt.date(published.year + offset, 1, 1), "year"


def find_dates(text: str, code: str, published: dt.date | None) -> list[DateMention]:
    """Every date phrase in a text, resolved against the publication date; overlapping phrases keep the first rule."""
    rules = rules_for(code)
    found: list[DateMention] = []
    taken: list[tuple[int, int]] = []

    def free(start: int, end: int) -> bool:
        return all(end <= a or start >= b for a, b in taken)

    def add(start: int, end: int, day: dt.date, precision: str) -> None:
        before = text[max(0, start - 12):start].lower().split()
        not_event = bool(before) and before[-1] in rules.not_event
        found.append(DateMention(start, end, text[start:end], iso_at(day, precision), precision, not_event))
        taken.append((start, end))

    for kind, pattern in rules.patterns:
        for match in pattern.finditer(text):
            if not free(match.start(), match.end()):
                continue
            resolved = _resolve(kind, match, rules, code, published, text)
            if resolved:
                add(match.start(), match.end(), *resolved)
    if published is not None:
        for pattern, unit, offset in rules.relative:
            if unit == "day_named":
                continue
            for match in pattern.finditer(text):
                if free(match.start(), match.end()):
                    add(match.start(), match.end(), *_resolve_relative(unit, offset, published))
        for pattern, unit, _ in rules.relative:
            if unit != "day_named":
                continue
            # "이날" (that day): the day the text last named, else the day of publication
            for match in pattern.finditer(text):
                if free(match.start(), match.end()):
                    named = [d for d in found if d.end <= match.start() and d.precision == "day"]
                    day = dt.date.fromisoformat(max(named, key=lambda d: d.end).value) if named else published
                    add(match.start(), match.end(), day, "day")
    return sorted(found, key=lambda d: d.start)


def find_publication_date(lines: list[str], codes: tuple[str, ...] = ("id", "en", "ru", "ko")) -> tuple[dt.date, int] | None:
    """The publication date in an article's first lines ("5 September 2023, 20:37 WIB"): (date, line index)."""
    for index, line in enumerate(lines[:6]):
        if len(line.split()) > 14 or not re.search(r"(?:19|20)\d\d", line):
            continue
        for code in codes:
            for mention in find_dates(line, code, None):
                if mention.precision == "day":
                    return dt.date.fromisoformat(mention.value), index
    return None
