"""Hostile links: bad ids, markup, ../, huge values, repeated keys, wrong types get a notice."""

from __future__ import annotations

import urllib.error
import urllib.request
from urllib.parse import quote

import pytest

from tests.browser.harness import CHART, assert_no_exception, body_text, open_view, screenshot

HUGE = "9" * 5000
# (name, path and query) -> each must give a visible notice and a working page.
LINKS: dict[str, str] = {
    "unknown_indicator": "trends?indicator=no_such_indicator",
    "markup_indicator": "trends?indicator=" + quote("<script>alert('xss-link')</script>"),
    "img_indicator": "trends?indicator=" + quote("<img src=x onerror=alert('xss-img')>"),
    "dotdot_indicator": "trends?indicator=" + quote("../../../../etc/passwd"),
    "dotdot_source": "sources?source=" + quote("../../../../etc/passwd"),
    "markup_source": "sources?source=" + quote("<script>alert('xss-src')</script>"),
    "huge_indicator": "trends?indicator=" + "a" * 20_000,
    "many_indicators": "trends?indicator=" + ",".join(f"x{i}" for i in range(500)),
    "huge_years": f"trends?from={HUGE}&to=-{HUGE}",
    "float_years": "trends?from=2019.5&to=1e3",
    "text_years": "trends?from=abc&to=" + quote("二〇二五"),
    "reversed_years": "trends?from=2025&to=2019",
    "bad_lang": "?lang=" + quote("xx<b>"),
    "repeated_lang": "?lang=en&lang=zh&lang=fr",
    "repeated_indicator": "trends?indicator=a&indicator=b",
    "bad_present": "?present=" + quote("yes please"),
    "null_byte_indicator": "trends?indicator=%00abc",
    "markdown_indicator": "trends?indicator=" + quote("[x](javascript:alert(1))"),
}
# Server routes that must never serve a file outside the app.
TRAVERSALS = [
    "/../../../../etc/passwd",
    "/%2e%2e/%2e%2e/%2e%2e/etc/passwd",
    "/app/static/../../../../etc/passwd",
    "/media/..%2f..%2f..%2fetc%2fpasswd",
    "/component/..%2f..%2f..%2fetc%2fpasswd",
    "/static/..%2f..%2f..%2f..%2fetc%2fpasswd",
]


@pytest.mark.parametrize("name", list(LINKS))
def test_hostile_link_gives_a_notice_and_a_working_page(base_server, page, name: str) -> None:
    open_view(page, f"{base_server.url}/{LINKS[name]}")
    assert_no_exception(page)
    assert page.watch.dialogs == [], page.watch.dialogs
    text = body_text(page)
    assert "root:x:0:0" not in text
    # A notice says what was wrong with the link, and the page still works around it.
    alerts = page.locator('[data-testid="stAlert"]')
    assert alerts.count() >= 1, f"no notice for {name}:\n{text[:1500]}"
    assert page.locator("h1").count() >= 1 or page.locator(CHART).count() >= 1, text[:1500]
    injected = page.evaluate(
        "() => document.querySelectorAll('img[src=\"x\"], img[onerror]').length"
    )
    assert injected == 0
    screenshot(page, f"link-{name}", full=False)


@pytest.mark.parametrize("path", TRAVERSALS)
def test_server_routes_do_not_serve_files_outside_the_app(base_server, path: str) -> None:
    try:
        with urllib.request.urlopen(base_server.url + path, timeout=10) as resp:
            body = resp.read(200_000).decode("utf-8", "replace")
    except urllib.error.HTTPError as exc:
        assert exc.code in (400, 403, 404), exc.code
        return
    assert "root:x:0:0" not in body
