"""Showing values nobody in charge of this copy wrote — link parameters, and titles, sources, URLs, sentences,
languages, event types, names and labels of a dataset — as the plain text they are.

One rule for every page: such a value never becomes Markdown (a link, an image, a heading, a `:red[...]`
directive, LaTeX, an emoji or icon short code, a bare `https://` or `www.` autolink) nor HTML, and a long one is
cut with "…" so it cannot flood a page. `plain_markdown` prepares a value for st.markdown, st.caption, st.header,
alerts, labels and anything else Streamlit reads as Markdown; `plain_html` prepares it for plotly, whose hovers,
legends, tick labels and annotations read a subset of HTML (`<a href>` included).

Widgets that show a value as plain text already need neither: st.text, st.code, st.dataframe cells, and the
options of st.selectbox and st.multiselect. Links to an outside address go through `web_address` first.
"""

from __future__ import annotations

import html
import re
import textwrap
import urllib.parse

ELLIPSIS = "…"
# The cut for one value quoted in a notice, and for most single values placed in a sentence.
NOTICE_LIMIT = 300
# Titles, names and sources in a line of text; plotly labels; a sentence shown in a hover.
TITLE_LIMIT = 300
LABEL_LIMIT = 120
# U+2060 WORD JOINER: invisible and unbreakable; put after a colon and inside "www." it keeps Markdown's
# autolinks, emoji short codes (:smile:), icons (:material/...) and colour directives (:red[...]) from forming,
# while the text reads and wraps the same.
JOINER = "\u2060"
ASCII_PUNCTUATION = re.compile(r"""([!"#$%&'()*+,\-./:;<=>?@\[\\\]^_`{|}~])""")
WWW = re.compile(r"(?i)(www)\\\.")
WEB_SCHEMES = frozenset({"http", "https"})
QUOTED = re.compile(r"“([^”]*)”")


def cut(value: object, limit: int) -> str:
    """The value as text on one line (runs of white space as one space), at most limit characters with "…"."""
    text = " ".join(str(value).split())
    if limit < 1:
        return ""
    return text if len(text) <= limit else text[: limit - 1].rstrip() + ELLIPSIS


def plain_markdown(value: object, limit: int = TITLE_LIMIT) -> str:
    """Text that Streamlit's Markdown shows exactly as written, cut to limit characters.

    Every ASCII punctuation sign is backslash-escaped (CommonMark allows it for all of them), which disarms
    links, images, emphasis, headings, lists, tables, HTML and `$` LaTeX; a word joiner after each colon and in
    "www." stops what the escapes do not reach: bare-URL autolinks and the short codes read after parsing.
    """
    escaped = ASCII_PUNCTUATION.sub(r"\\\1", cut(value, limit))
    return WWW.sub(rf"\1{JOINER}\\.", escaped.replace("\\:", "\\:" + JOINER))


def cut_quoted(message: str, limit: int = NOTICE_LIMIT) -> str:
    """A message with every “quoted” value in it cut to limit characters, the words around them kept whole."""
    return QUOTED.sub(lambda quoted: f"“{cut(quoted.group(1), limit)}”", message)


def plain_html(value: object, limit: int = TITLE_LIMIT) -> str:
    """Text that plotly (and any HTML) shows exactly as written, cut to limit characters."""
    return html.escape(cut(value, limit))


def plain_html_lines(value: object, width: int = 80, lines: int = 4) -> str:
    """Text for a hover box: escaped, broken into lines of about width characters, at most lines of them."""
    wrapped = textwrap.wrap(cut(value, 2 * width * lines), width)
    if len(wrapped) > lines:
        wrapped = [*wrapped[: lines - 1], cut(wrapped[lines - 1] + " " + ELLIPSIS, width)]
    return "<br>".join(html.escape(line) for line in wrapped)


def web_address(value: object) -> str | None:
    """The value when it is an http(s) address a link may lead to, else None (javascript:, data:, text, …)."""
    text = str(value or "").strip()
    try:
        parts = urllib.parse.urlsplit(text)
    except ValueError:
        return None
    return text if parts.scheme.lower() in WEB_SCHEMES and parts.netloc and not any(c.isspace() for c in text) else None
