"""Source text rendering: every character escaped, quoted passages wrapped in <mark>."""

from __future__ import annotations

from dashboard.figures.highlight import Span, quote_spans, render


def test_text_is_escaped_and_spans_marked() -> None:
    text = "<script>x</script> 合同额 129.97 亿元"
    html = render(text, [Span(text.index("合同额"), len(text), "cited", 'a "title" <b>')])
    assert "<script>" not in html
    assert "&lt;script&gt;x&lt;/script&gt;" in html
    assert (
        '<mark class="hl-cited" title="a &quot;title&quot; &lt;b&gt;">合同额 129.97 亿元</mark>'
        in html
    )


def test_overlapping_spans_do_not_nest_and_first_wins() -> None:
    html = render("abcdef", [Span(1, 4, "cited"), Span(3, 6, "unaccounted")])
    assert html == (
        '<div class="source-text" lang="zh-CN" tabindex="0">'
        'a<mark class="hl-cited" title="">bcd</mark>'
        '<mark class="hl-unaccounted" title="">ef</mark></div>'
    )


def test_unknown_kind_falls_back_to_cited() -> None:
    assert 'class="hl-cited"' in render("ab", [Span(0, 1, '" onclick="x')])


def test_quote_spans_match_across_spacing_and_line_breaks() -> None:
    text = "2020 年本市\n技术合同登记 11483 项"
    spans, missing = quote_spans(text, [("2020年本市技术合同登记11483项", "t"), ("不存在", "u")])
    assert missing == 1
    assert (spans[0].start, spans[0].end) == (0, len(text))


def test_the_scrolling_text_takes_the_keyboard_focus_and_is_named() -> None:
    """A box that scrolls must be reachable by Tab (WCAG 2.1.1); named, it is a region."""
    html = render("ab", [], label='Full "text"')
    assert html.startswith(
        '<div class="source-text" lang="zh-CN" tabindex="0" role="region"'
        ' aria-label="Full &quot;text&quot;">'
    )
