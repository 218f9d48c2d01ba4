"""Add articles: upload files, paste text or give URLs; analysis.intake checks, reads and extracts them."""

from __future__ import annotations

import datetime as dt
import logging
import math
import tempfile
from pathlib import Path
from typing import Any

import streamlit as st

from analysis.ingest import KNOWN_SUFFIXES
from analysis.intake import (
    MB,
    ZIP_SUFFIX,
    IntakeLimits,
    IntakeReport,
    PastedArticle,
    Upload,
    add_articles,
    article_summary,
    split_urls,
    spool_uploads,
)
from analysis.languages import known_languages, load_profile
from analysis.pipeline import analyst_articles
from analysis.quotas import BatchQuota, QuotaLimits, SessionUsage
from analysis.store import Tables, remove_articles
from app_pages import _shared as shared

log = logging.getLogger("newsint.dashboard.add")
GENERATION = "add_generation"  # bumped after a clean batch: new widget keys give empty inputs
# Bumped after every batch that read the uploads: a new uploader key drops the files, and Streamlit their bytes.
UPLOAD_GENERATION = "add_upload_generation"
USAGE = "add_usage"  # this session's SessionUsage: articles added and bytes uploaded so far
REPORT = "add_report"  # the last batch's IntakeReport, shown until the next batch
NOTICE = "add_notice"  # (kind, message) left by a removal for the next run
SHOWN = 50  # analysts' articles listed, newest first
EARLIEST = dt.date(1900, 1, 1)  # the first publication date the date field offers
# Paths of articles read from the bundled corpus, absolute (the app's build) or relative (a CLI build from the root).
UPLOAD_TYPES = sorted(suffix.lstrip(".") for suffix in KNOWN_SUFFIXES | {ZIP_SUFFIX})


def megabytes(size: int) -> str:
    """A byte count as megabytes for a sentence."""
    return f"{size / MB:g} MB"


def read_limits() -> tuple[IntakeLimits, QuotaLimits] | None:
    """This copy's limits from the environment, or None after saying which setting is malformed."""
    try:
        return IntakeLimits.from_env(), QuotaLimits.from_env()
    except ValueError as error:
        st.error("Adding articles is unavailable: a setting of this copy is not valid. "
                 f"{shared.md(error, shared.ERROR_LIMIT)}")
        return None


def upload_cap(limits: IntakeLimits) -> int:
    """The largest single upload in MB: a zip may fill the batch, but the server refuses more than its own cap."""
    # server.maxUploadSize is enforced by the server whatever the widget says; checking it in the browser first
    # gives the user the widget's clear refusal instead of a failed transfer.
    server = int(st.get_option("server.maxUploadSize"))
    return max(1, min(server, math.ceil(limits.max_batch_bytes / MB)))


def show_limits(limits: IntakeLimits, quota: QuotaLimits) -> None:
    """The limits a user should know before uploading."""
    if not limits.allow_urls:
        urls = "URL fetching is turned off on this copy."
    elif limits.allow_private_addresses:
        urls = f"up to {limits.max_urls} URLs a batch; addresses on this machine and private networks are allowed."
    else:
        urls = (f"up to {limits.max_urls} URLs a batch, public addresses only (this machine's and private "
                "networks' addresses are refused).")
    st.caption(
        f"**Limits on this copy** · files up to {megabytes(limits.max_file_bytes)} each, at most "
        f"{limits.max_files} files and {megabytes(limits.max_batch_bytes)} a batch · a .zip of articles may "
        f"weigh up to {upload_cap(limits)} MB (the limit the upload box shows, which is for a .zip), hold "
        f"{limits.max_zip_entries} entries and unpack to {megabytes(limits.max_zip_bytes)}, each article in it "
        f"up to {megabytes(limits.max_file_bytes)} · {urls} · {quota.summary()}"
    )


def file_inputs(limits: IntakeLimits, generation: int) -> list[Any]:
    """The uploaded files as Streamlit holds them; read only when Add is pressed."""
    files = st.file_uploader(
        "Article files: .txt, .md, .html, .jsonl, .csv, or a .zip of them",
        type=UPLOAD_TYPES,
        accept_multiple_files=True,
        key=f"add_files_{generation}",
        max_upload_size=upload_cap(limits),
        help="Text and Markdown files may start with YAML front matter (title, published, source, url, language).",
    )
    return list(files or [])


def pasted_input(generation: int, quota: QuotaLimits) -> list[PastedArticle]:
    """The pasted article, if anything was pasted or filled in."""
    # The box stops typing at the cap; the library checks the length again, as a browser can be bypassed.
    text = st.text_area("Article text", key=f"add_text_{generation}", height=220, max_chars=quota.max_paste_chars,
                        placeholder="Paste the article here. Without a title below, its first line is the title.")
    title_box, source_box = st.columns(2)
    title = title_box.text_input("Title", key=f"add_title_{generation}", placeholder="First line of the text")
    source = source_box.text_input("Source", key=f"add_source_{generation}", placeholder="News outlet")
    date_box, language_box = st.columns(2)
    # Streamlit's default range is ten years either side of today; news archives reach further back.
    published = date_box.date_input("Published", value=None, min_value=EARLIEST, max_value=dt.date.today(),
                                    key=f"add_published_{generation}",
                                    help="Left empty, the date line under the title gives it.")
    language = language_box.selectbox("Language", known_languages(), index=None, key=f"add_language_{generation}",
                                      format_func=lambda code: f"{load_profile(code).name} ({code})",
                                      placeholder="Detect from the text")
    # Whitespace-only text still goes to the library, which says plainly that the text is empty.
    if not (text or title.strip() or source.strip()):
        return []
    return [PastedArticle(text=text, title=title.strip() or None, published=published,
                          source=source.strip() or None, language=language)]


def url_inputs(limits: IntakeLimits, generation: int) -> list[str]:
    """The URLs to fetch, one per line; none when fetching is turned off."""
    if not limits.allow_urls:
        st.info("URL fetching is turned off on this copy (NEWSINT_DISABLE_URLS): download the articles and upload "
                "the files instead.")
    text = st.text_area("URLs, one per line", key=f"add_urls_{generation}", height=160,
                        disabled=not limits.allow_urls, placeholder="https://…")
    return split_urls(text) if limits.allow_urls else []


def run_batch(folder: Path, uploads: list[Upload], pasted: list[PastedArticle], urls: list[str],
              limits: IntakeLimits, quota: BatchQuota) -> IntakeReport | None:
    """Add the batch with a progress bar, within the caps; None after telling the user why it could not run."""
    bar = st.progress(0.0, text="Reading the batch…")

    def report(done: int, total: int, label: str) -> None:
        bar.progress(min(done / max(total, 1), 1.0), text=f"Extracted {shared.md(label)} ({done}/{total})")

    try:
        return add_articles(folder, uploads=uploads, pasted=pasted, urls=urls, limits=limits, progress=report,
                            admit=quota.admit)
    except Exception as error:  # never a trace: what failed, and that what was stored before stays stored
        log.exception("adding articles to %s failed", folder)
        st.error(f"Adding the articles failed ({type(error).__name__}: {shared.md(error, shared.ERROR_LIMIT)}). "
                 "Articles stored before the failure stay stored; they are listed below.")
        return None
    finally:
        bar.empty()


def show_report(report: IntakeReport) -> None:
    """What the last batch did: refused, added, duplicates skipped, failed with reasons, stopped."""
    if report.refused:
        st.error(shared.md(report.refused, shared.ERROR_LIMIT))
    if report.added:
        st.success(f"Added {len(report.added)} article{'s' * (len(report.added) != 1)}:\n\n"
                   + "\n".join(f"- {shared.md(a.title or a.path)}" for a in report.added))
    if report.duplicates:
        st.info(f"Skipped {len(report.duplicates)} already in the data:\n\n"
                + "\n".join(f"- {shared.md(a.title or a.path)}" for a in report.duplicates))
    if report.stopped:
        st.warning(f"The batch stopped early: {shared.md(report.stopped, shared.ERROR_LIMIT)}. What was stored "
                   "before stays stored.")
    if report.failed:
        st.error(f"Not added ({len(report.failed)}):\n\n"
                 + "\n".join(f"- {shared.md(reason)}" for _, reason in report.failed))
    if not (report.added or report.duplicates or report.failed or report.stopped or report.refused):
        st.info("Nothing was read from this batch.")


def remove(folder: Path, article_id: str, title: str) -> None:
    """Callback of Remove: delete the article with its mentions, events and orphaned entities."""
    try:
        removed = remove_articles(folder, [article_id])
    except Exception as error:  # a locked or damaged folder: say so, keep the page
        log.exception("removing %s from %s failed", article_id, folder)
        st.session_state[NOTICE] = ("error", f"Removing “{shared.md(title)}” failed: {shared.md(error)}")
        return
    # The tables' new size and time change the dataset signature, so every cache keyed by it reloads.
    if removed:
        st.session_state[NOTICE] = ("success", f"Removed “{shared.md(title)}”.")
    else:
        st.session_state[NOTICE] = ("info", f"“{shared.md(title)}” was already removed.")


def show_summary(tables: Tables, article_id: str) -> None:
    """The entities and events the data holds for one article."""
    summary = article_summary(tables, article_id)
    if summary is None:
        st.info("This article is no longer in the data folder.")
        return
    st.markdown(f"**Entities ({len(summary.entities)})**")
    st.dataframe(summary.entities, hide_index=True)
    st.markdown(f"**Events ({len(summary.events)})**")
    st.dataframe(summary.events, hide_index=True, column_config={"sentence": st.column_config.TextColumn(width="large")})
    st.page_link(shared.page("evidence"), label="Read in Evidence", icon=":material/format_quote:",
                 query_params={**shared.linked_query(), "article": article_id})


def article_card(folder: Path, tables: Tables, row: Any) -> None:
    """One analyst's article: what it is, an Inspect view, and Remove behind a confirmation."""
    title = row.title or "(untitled)"
    with st.container(border=True):
        st.markdown(f"**{shared.md(title)}**")
        st.caption(f"{shared.md(row.source or 'unknown source')} · {str(row.published or 'no date')[:10]} · "
                   f"{shared.md(row.language or 'und', shared.LABEL)} · "
                   f"added as {shared.md(row.path)}")
        # Lazy: the summary is computed only while the expander is open.
        box = st.expander("Inspect", key=f"add_inspect_{row.article_id}", on_change="rerun")
        if box.open:
            with box:
                show_summary(tables, row.article_id)
        sure_box, button_box = st.columns([4, 1])
        sure = sure_box.checkbox(f"Yes, remove “{shared.md(title)}”", key=f"add_sure_{row.article_id}")
        button_box.button("Remove", key=f"add_remove_{row.article_id}", disabled=not sure, on_click=remove,
                          args=(folder, row.article_id, title), icon=":material/delete:")


def added_list(folder: Path) -> None:
    """Every article added by analysts (not from the bundled corpus), each to inspect or remove."""
    st.subheader("Articles added by analysts")
    kind, message = st.session_state.pop(NOTICE, (None, None))
    if kind:
        getattr(st, kind)(message)
    try:
        tables = shared.stored_tables()
    except Exception as error:  # the sidebar read the same folder, so this is rare: say what failed
        st.error(f"The articles in {shared.md(folder)} cannot be listed ({shared.md(error)}).")
        return
    added = analyst_articles(tables.articles, shared.CORPUS)
    if added.empty:
        st.caption("None yet: every article in this data folder comes from the bundled corpus.")
        return
    st.caption(f"{len(added):,} article{'s' * (len(added) != 1)} not from the bundled corpus"
               + (f"; the newest {SHOWN} are listed." if len(added) > SHOWN else "."))
    for row in added.head(SHOWN).itertuples(index=False):
        article_card(folder, tables, row)


st.title("Add articles")
folder = shared.data_dir()
st.caption(f"Articles are added to the data folder {shared.md(folder)} and show on every page once added.")
settings = read_limits()
if settings is not None:
    limits, quota_limits = settings
    show_limits(limits, quota_limits)
    generation = st.session_state.setdefault(GENERATION, 0)
    upload_generation = st.session_state.setdefault(UPLOAD_GENERATION, 0)
    files_tab, paste_tab, urls_tab = st.tabs(["Files", "Paste text", "URLs"])
    with files_tab:
        files = file_inputs(limits, upload_generation)
    with paste_tab:
        pasted = pasted_input(generation, quota_limits)
    with urls_tab:
        urls = url_inputs(limits, generation)
    st.caption("**Add** reads everything given in the three tabs.")
    if st.button("Add", type="primary", key="add_run", icon=":material/add:"):
        if not (files or pasted or urls):
            st.warning("Nothing to add yet: upload files (wait until each has finished uploading), paste an article or "
                       "give URLs first.")
        else:
            usage = st.session_state.setdefault(USAGE, SessionUsage())
            quota = BatchQuota(folder, quota_limits, usage)
            refusal = quota.refusal_before_reading(pasted, [f.size for f in files])
            if refusal is not None:
                st.error(shared.md(refusal, shared.ERROR_LIMIT))
            else:
                # Each upload goes to a file of its own and is read from there; the folder goes with the batch.
                with tempfile.TemporaryDirectory(prefix="newsint-uploads-") as spool:
                    uploads = spool_uploads(((f.name, f) for f in files), Path(spool))
                    batch = run_batch(folder, uploads, pasted, urls, limits, quota)
                if batch is None or not batch.refused:
                    quota.settle(len(batch.added) if batch is not None else 0)
                st.session_state[UPLOAD_GENERATION] = upload_generation + 1
                if batch is not None:
                    st.session_state[REPORT] = batch
                    if not (batch.failed or batch.stopped or batch.refused):
                        st.session_state[GENERATION] = generation + 1  # all in: clear the inputs
                    # Rerun so the sidebar and this page read the tables just written.
                    st.rerun()
    if st.session_state.get(REPORT) is not None:
        show_report(st.session_state[REPORT])
added_list(folder)
