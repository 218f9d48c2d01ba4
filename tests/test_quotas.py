"""Caps for a hosted copy: each refuses a whole batch with a message naming its setting, and the per-hour count is
shared by every session through the file in the data folder."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import pytest

from analysis import synthetic
from analysis.intake import MB, PastedArticle, Upload, add_articles, prepare_uploads, spool_uploads
from analysis.quotas import HOURLY_LEDGER, BatchQuota, QuotaLimits, SessionUsage, stored_articles

ARTICLE = """---
title: Harbour talks in Rason
published: 2025-03-02
source: Test Wire
language: en
---
Officials from Russia and North Korea met in Rason on Monday to discuss the harbour.
"""


class Clock:
    """A clock the test moves by hand."""

    def __init__(self) -> None:
        self.now = 1_000_000.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    """A small dataset of 30 articles."""
    return synthetic.write(synthetic.generate(30, seed=3), tmp_path / "data")


def files_of(folder: Path) -> dict[str, bytes]:
    """Every file of the dataset with its bytes (locks aside)."""
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()
            and not p.name.endswith(".lock")}


def test_settings_come_from_the_environment_and_a_bad_one_is_named():
    limits = QuotaLimits.from_env({"NEWSINT_MAX_PASTE_CHARS": "5000", "NEWSINT_SESSION_MAX_UPLOAD_MB": "2.5",
                                   "NEWSINT_HOURLY_MAX_ARTICLES": "7", "NEWSINT_MAX_ARTICLES": "90",
                                   "NEWSINT_SESSION_MAX_ARTICLES": "3"})
    assert limits == QuotaLimits(max_paste_chars=5000, session_articles=3, session_upload_bytes=2_500_000,
                                 hourly_articles=7, max_articles=90)
    assert "5,000 characters" in limits.summary() and "7 articles an hour" in limits.summary()
    with pytest.raises(ValueError, match="NEWSINT_HOURLY_MAX_ARTICLES"):
        QuotaLimits.from_env({"NEWSINT_HOURLY_MAX_ARTICLES": "-1"})


def test_a_long_paste_and_too_many_uploaded_bytes_are_refused_before_reading(folder):
    usage = SessionUsage(upload_bytes=900_000)
    quota = BatchQuota(folder, QuotaLimits(max_paste_chars=100, session_upload_bytes=1 * MB), usage)
    refusal = quota.refusal_before_reading([PastedArticle("x" * 101)], [])
    assert "101 characters" in refusal and "NEWSINT_MAX_PASTE_CHARS" in refusal
    refusal = quota.refusal_before_reading([PastedArticle("x" * 100)], [60_000, 60_000])
    assert "0.1 MB more" in refusal and "NEWSINT_SESSION_MAX_UPLOAD_MB" in refusal
    assert quota.refusal_before_reading([], [100_000]) is None


def test_the_hour_is_shared_by_sessions_and_frees_up_after_an_hour(folder):
    clock, limits = Clock(), QuotaLimits(hourly_articles=5)
    first = BatchQuota(folder, limits, SessionUsage(), clock)
    assert first.admit(4) is None
    first.settle(3)  # one was a duplicate: only three count
    other = BatchQuota(folder, limits, SessionUsage(), clock)  # another browser session
    refusal = other.admit(3)
    assert "only 2 more this hour" in refusal and "NEWSINT_HOURLY_MAX_ARTICLES" in refusal
    assert other.admit(2) is None
    other.settle(2)
    clock.now += 3601
    later = BatchQuota(folder, limits, SessionUsage(), clock)
    assert later.admit(5) is None


def test_a_session_may_add_only_its_share(folder):
    usage = SessionUsage()
    quota = BatchQuota(folder, QuotaLimits(session_articles=3), usage)
    assert quota.admit(2) is None
    quota.settle(2)
    assert usage.articles == 2
    refusal = BatchQuota(folder, QuotaLimits(session_articles=3), usage).admit(2)
    assert "only 1 more" in refusal and "NEWSINT_SESSION_MAX_ARTICLES" in refusal


def test_the_dataset_cap_counts_stored_articles_and_batches_under_way(folder):
    assert stored_articles(folder) == 30
    clock, limits = Clock(), QuotaLimits(max_articles=33)
    running = BatchQuota(folder, limits, SessionUsage(), clock)
    assert running.admit(2) is None  # reserved, not yet stored
    refusal = BatchQuota(folder, limits, SessionUsage(), clock).admit(2)
    assert "by only 1 more" in refusal and "NEWSINT_MAX_ARTICLES" in refusal
    running.settle(0)  # the batch added nothing after all: its room is free again
    assert BatchQuota(folder, limits, SessionUsage(), clock).admit(3) is None


def test_a_refused_batch_stores_nothing_and_says_why(folder):
    before = files_of(folder)
    quota = BatchQuota(folder, QuotaLimits(max_articles=30), SessionUsage())
    archive = io.BytesIO()
    with zipfile.ZipFile(archive, "w") as zf:
        zf.writestr("one.md", ARTICLE)
        zf.writestr("two.md", ARTICLE.replace("Rason", "Vladivostok"))
    report = add_articles(folder, uploads=[Upload("two.zip", archive.getvalue())], admit=quota.admit)
    assert "holds 2 articles" in report.refused and "NEWSINT_MAX_ARTICLES" in report.refused
    assert not report.added and files_of(folder) == before
    assert not (folder / HOURLY_LEDGER).exists()


def test_uploads_are_spooled_to_files_and_read_from_disk(tmp_path):
    archive = io.BytesIO()
    with zipfile.ZipFile(archive, "w") as zf:
        zf.writestr("inner.md", ARTICLE)
    sent = [("a.md", io.BytesIO(ARTICLE.encode())), ("batch.zip", io.BytesIO(archive.getvalue()))]
    uploads = spool_uploads(sent, tmp_path / "spool", chunk=16)
    assert [u.name for u in uploads] == ["a.md", "batch.zip"] and all(u.data == b"" for u in uploads)
    assert uploads[0].path.read_text() == ARTICLE and uploads[1].size == len(archive.getvalue())
    prepared = prepare_uploads(uploads, tmp_path / "staged")
    assert sorted(prepared.names.values()) == ["a.md", "batch.zip:inner.md"]
    assert all(Path(p).read_text() == ARTICLE for p in prepared.paths)
