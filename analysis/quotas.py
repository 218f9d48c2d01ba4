"""Caps for a copy open to strangers: how much one pasted text may hold, how much one session and the whole server
may add, and how big the dataset may grow.

A batch passes the caps in three steps, so that a refused batch adds nothing at all:

1. before anything is read: the pasted texts' length and the uploads' size against what the session has left;
2. once the batch is read and its articles counted (a zip or a CSV holds many): the articles against what the
   session, the server's last hour and the dataset have left; the count is reserved;
3. after extraction: the session and the hour are charged with the articles actually added (duplicates skipped
   cost nothing) and the reservation released.

The per-hour count lives in a small JSON file in the data folder (HOURLY_LEDGER), changed under the folder's
writer lock: every app process serving the folder shares it, and a restart does not reset it. The per-session
counts live in the session (SessionUsage), so a new browser tab starts afresh — the per-hour cap is what holds
then.
"""

from __future__ import annotations

import json
import logging
import os
import time
import uuid
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from analysis import store
from analysis.intake import MB, PastedArticle, env_count, env_megabytes

log = logging.getLogger(__name__)

HOURLY_LEDGER = ".intake-hourly.json"
HOUR = 3600.0
PASTE_SETTING = "NEWSINT_MAX_PASTE_CHARS"
SESSION_ARTICLES_SETTING = "NEWSINT_SESSION_MAX_ARTICLES"
SESSION_UPLOAD_SETTING = "NEWSINT_SESSION_MAX_UPLOAD_MB"
HOURLY_SETTING = "NEWSINT_HOURLY_MAX_ARTICLES"
DATASET_SETTING = "NEWSINT_MAX_ARTICLES"


@dataclass(frozen=True)
class QuotaLimits:
    """The caps in force; sizes in bytes, texts in characters.

    NEWSINT_MAX_PASTE_CHARS        longest pasted article, in characters (default 200,000)
    NEWSINT_SESSION_MAX_ARTICLES   most articles one browser session may add (default 200)
    NEWSINT_SESSION_MAX_UPLOAD_MB  most megabytes one browser session may upload, all batches together (default 200)
    NEWSINT_HOURLY_MAX_ARTICLES    most articles all sessions together may add in any hour (default 1,000)
    NEWSINT_MAX_ARTICLES           most articles the dataset may hold; adding stops there (default 500,000)
    """

    max_paste_chars: int = 200_000
    session_articles: int = 200
    session_upload_bytes: int = 200 * MB
    hourly_articles: int = 1_000
    max_articles: int = 500_000

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None) -> QuotaLimits:
        """The defaults with overrides from environment variables; a malformed value raises ValueError naming it."""
        env = os.environ if environ is None else environ
        return cls(max_paste_chars=env_count(env, PASTE_SETTING, cls.max_paste_chars),
                   session_articles=env_count(env, SESSION_ARTICLES_SETTING, cls.session_articles),
                   session_upload_bytes=env_megabytes(env, SESSION_UPLOAD_SETTING, cls.session_upload_bytes),
                   hourly_articles=env_count(env, HOURLY_SETTING, cls.hourly_articles),
                   max_articles=env_count(env, DATASET_SETTING, cls.max_articles))

    def summary(self) -> str:
        """The caps in one line, for the page."""
        return (f"pasted text up to {self.max_paste_chars:,} characters · each visit may add "
                f"{self.session_articles:,} articles and upload {self.session_upload_bytes / MB:g} MB · "
                f"{self.hourly_articles:,} articles an hour for everyone together · the dataset holds at most "
                f"{self.max_articles:,} articles")


@dataclass
class SessionUsage:
    """What one browser session has added and uploaded so far."""

    articles: int = 0
    upload_bytes: int = 0


@dataclass
class BatchQuota:
    """One batch's way through the caps (see the module's docstring); `admit` is add_articles's admit hook."""

    folder: Path
    limits: QuotaLimits
    usage: SessionUsage
    clock: Callable[[], float] = time.time
    upload_bytes: int = 0
    reservation: str | None = field(default=None, init=False)

    def refusal_before_reading(self, pasted: Sequence[PastedArticle], upload_sizes: Sequence[int]) -> str | None:
        """Why the batch may not even be read (a pasted text too long, too many bytes uploaded), or None."""
        longest = max((len(item.text) for item in pasted), default=0)
        if longest > self.limits.max_paste_chars:
            return (f"The pasted text holds {longest:,} characters, more than the {self.limits.max_paste_chars:,} "
                    f"a pasted article may hold on this copy ({PASTE_SETTING}); paste a shorter text or upload it "
                    "as a file. Nothing was added.")
        self.upload_bytes = sum(upload_sizes)
        left = self.limits.session_upload_bytes - self.usage.upload_bytes
        if self.upload_bytes > left:
            return (f"These files weigh {_mb(self.upload_bytes)}, but this visit may upload only {_mb(max(left, 0))} "
                    f"more (a cap of {_mb(self.limits.session_upload_bytes)} a visit, {SESSION_UPLOAD_SETTING}). "
                    "Nothing was added.")
        return None

    def admit(self, articles: int) -> str | None:
        """Reserve room for the articles read, or say which cap they would pass (then nothing is reserved)."""
        if articles <= 0:
            return None
        left = self.limits.session_articles - self.usage.articles
        if articles > left:
            return (f"The batch holds {articles:,} articles, but this visit may add only {max(left, 0):,} more (a cap "
                    f"of {self.limits.session_articles:,} a visit, {SESSION_ARTICLES_SETTING}). Nothing was added.")
        with store.lock(self.folder):
            entries = _recent(_read_ledger(self.folder), self.clock())
            this_hour = sum(entry["articles"] for entry in entries)
            if this_hour + articles > self.limits.hourly_articles:
                return (f"The batch holds {articles:,} articles, but this copy may take only "
                        f"{max(self.limits.hourly_articles - this_hour, 0):,} more this hour (a cap of "
                        f"{self.limits.hourly_articles:,} an hour for everyone, {HOURLY_SETTING}); try again later. "
                        "Nothing was added.")
            held = stored_articles(self.folder) + sum(e["articles"] for e in entries if e["pending"])
            if held + articles > self.limits.max_articles:
                return (f"The batch holds {articles:,} articles, but the dataset may grow by only "
                        f"{max(self.limits.max_articles - held, 0):,} more (a cap of {self.limits.max_articles:,} "
                        f"articles, {DATASET_SETTING}). Nothing was added.")
            self.reservation = uuid.uuid4().hex
            entries.append({"id": self.reservation, "at": self.clock(), "articles": articles, "pending": True})
            _write_ledger(self.folder, entries)
        return None

    def settle(self, added: int) -> None:
        """Charge the session and the hour with the articles added, and release the reservation."""
        self.usage.articles += added
        self.usage.upload_bytes += self.upload_bytes
        self.upload_bytes = 0
        if self.reservation is None and not added:
            return
        with store.lock(self.folder):
            entries = [e for e in _recent(_read_ledger(self.folder), self.clock()) if e["id"] != self.reservation]
            if added:
                entries.append({"id": self.reservation or uuid.uuid4().hex, "at": self.clock(), "articles": added,
                                "pending": False})
            _write_ledger(self.folder, entries)
        self.reservation = None


def stored_articles(folder: Path) -> int:
    """How many articles the dataset holds (from the manifest when it has one)."""
    rows = store.stored_rows(folder, "articles")
    if rows >= 0:
        return rows
    if not store.has_tables(folder):
        return 0
    return sum(batch.num_rows for batch in store.iter_batches(folder, "articles", ["article_id"]))


def _mb(size: int) -> str:
    """A byte count for a message, in megabytes."""
    return f"{size / MB:.3g} MB"


def _recent(entries: list[dict], now: float) -> list[dict]:
    """The entries of the last hour."""
    return [entry for entry in entries if now - entry["at"] < HOUR]


def _read_ledger(folder: Path) -> list[dict]:
    """The hour's entries as stored; an unreadable file counts as empty (it only ever holds the last hour)."""
    path = Path(folder) / HOURLY_LEDGER
    try:
        entries = json.loads(path.read_text(encoding="utf-8"))
        return [{"id": str(e["id"]), "at": float(e["at"]), "articles": int(e["articles"]),
                 "pending": bool(e["pending"])} for e in entries]
    except FileNotFoundError:
        return []
    except (OSError, ValueError, TypeError, KeyError) as error:
        log.warning("the hourly ledger %s is unreadable (%s); starting it afresh", path, error)
        return []


def _write_ledger(folder: Path, entries: list[dict]) -> None:
    """Replace the ledger in one step (a reader never sees half a file)."""
    path = Path(folder) / HOURLY_LEDGER
    staged = path.with_name(f"{path.name}.{uuid.uuid4().hex[:8]}.tmp")
    staged.write_text(json.dumps(entries), encoding="utf-8")
    os.replace(staged, path)
