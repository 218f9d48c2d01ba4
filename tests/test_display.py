"""The plain-text rule: values from links and the data keep their characters but lose every Markdown and HTML
meaning, and long ones are cut."""

from __future__ import annotations

import re

from analysis.display import JOINER, cut, cut_quoted, plain_html, plain_html_lines, plain_markdown, web_address


def unescaped(markdown: str) -> str:
    """What a reader sees of escaped Markdown: the backslashes and the invisible joiners gone."""
    return re.sub(r"\\(.)", r"\1", markdown).replace(JOINER, "")


def test_markdown_signs_are_escaped_and_the_text_reads_the_same():
    hostile = "# big [Your session expired](https://evil.example/login) ![](http://h/t.png) :red[x] $x^2$ <b>"
    shown = plain_markdown(hostile)
    assert unescaped(shown) == hostile
    assert not re.search(r"(?<!\\)[\[\]()!#$<>:]", shown)  # no sign left that Markdown would read


def test_bare_addresses_and_short_codes_cannot_form():
    shown = plain_markdown("see https://evil.example and www.evil.example :smile: :material/home:")
    assert "https\\:" + JOINER + "\\/\\/" in shown and "www" + JOINER + "\\." in shown
    assert "://" not in shown and "www." not in shown and ":smile:" not in shown.replace("\\", "")


def test_long_values_are_cut_with_an_ellipsis_on_one_line():
    assert cut("a\n\n b\tc", 10) == "a b c"
    assert cut("x" * 1000, 300) == "x" * 299 + "…"
    assert len(unescaped(plain_markdown("L" * 100_000, 300))) == 300
    assert cut_quoted("Ignored “type=" + "L" * 5000 + "”: expected one of a, b.", 20) == (
        "Ignored “type=" + "L" * 14 + "…”: expected one of a, b.")


def test_html_is_escaped_for_plotly_and_hovers_are_wrapped_and_cut():
    assert plain_html("<a href='https://evil.example'>x</a> & y") == (
        "&lt;a href=&#x27;https://evil.example&#x27;&gt;x&lt;/a&gt; &amp; y")
    lines = plain_html_lines("<b>word</b> " * 100, width=40, lines=3).split("<br>")
    assert len(lines) == 3 and lines[-1].endswith("…") and "<b>" not in "".join(lines)


def test_only_web_addresses_may_be_linked():
    assert web_address(" https://example.org/a?b=1 ") == "https://example.org/a?b=1"
    for value in ("javascript:alert(1)", "data:text/html,<script>", "[x](https://evil.example)", "", None,
                  "https://", "http://a b"):
        assert web_address(value) is None, value
