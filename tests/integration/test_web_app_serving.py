"""The gateway serves the built web app (web/dist) at / on the API's origin:
index.html revalidated and hashed assets cached for a year, gzip, ETags, the
app's routes answered by index.html, a Content-Security-Policy without
'unsafe-inline' (and a page that needs none), and a first page that weighs at
most 200 KB of JavaScript and CSS gzipped."""
import gzip
import re
import urllib.error
import urllib.request

import pytest

from conftest import GATEWAY

PAGE_WEIGHT_LIMIT = 200 * 1024


def get(path, method="GET", headers=None):
    req = urllib.request.Request(GATEWAY + path, method=method, headers=headers or {})
    try:
        with urllib.request.urlopen(req, timeout=30) as r:
            return r.status, r.headers, r.read()
    except urllib.error.HTTPError as e:
        return e.code, e.headers, e.read()


@pytest.fixture(scope="module")
def index():
    status, headers, body = get("/")
    assert status == 200, body[:300]
    return headers, body.decode()


def assets_of(html):
    return re.findall(r'(?:src|href)="(/assets/[^"]+)"', html)


def test_index_is_the_app_and_revalidated(index):
    headers, html = index
    assert headers["Content-Type"].startswith("text/html")
    assert headers["Cache-Control"] == "no-cache" and headers["ETag"]
    assert any(a.endswith(".js") for a in assets_of(html)), html


def test_security_headers_and_a_page_that_needs_no_inline_code(index):
    headers, html = index
    csp = headers["Content-Security-Policy"]
    assert "script-src 'self'" in csp and "style-src 'self'" in csp and "unsafe-inline" not in csp
    assert "connect-src 'self'" in csp and "frame-ancestors 'none'" in csp
    assert headers["X-Content-Type-Options"] == "nosniff" and headers["Referrer-Policy"] == "no-referrer"
    # What the CSP would block: inline scripts, style elements and attributes.
    assert not re.search(r"<script(?![^>]*\bsrc=)[^>]*>", html), html
    assert "<style" not in html and " style=" not in html
    # Nothing from another host: no CDN, web font or analytics.
    assert not re.search(r'(?:src|href)="(?:https?:)?//', html), html


def test_hashed_assets_are_immutable_and_gzipped(index):
    _, html = index
    for path in assets_of(html):
        status, headers, plain = get(path)
        assert status == 200, path
        assert headers["Cache-Control"] == "public, max-age=31536000, immutable", path
        assert re.search(r"-[A-Za-z0-9_-]{6,}\.\w+$", path), f"{path} has no content hash in its name"
        if path.endswith((".js", ".css")) and len(plain) >= 1024:  # tiny files are sent as they are
            status, zheaders, packed = get(path, headers={"Accept-Encoding": "gzip"})
            assert zheaders["Content-Encoding"] == "gzip" and gzip.decompress(packed) == plain, path
            assert "Accept-Encoding" in zheaders["Vary"]


def test_first_page_weighs_at_most_200_kb_gzipped(index):
    _, html = index
    total = 0
    for path in assets_of(html):
        if path.endswith((".js", ".css")):
            status, headers, body = get(path, headers={"Accept-Encoding": "gzip"})
            assert status == 200
            total += len(body)
    print(f"first page: {total / 1024:.1f} KB of JavaScript and CSS gzipped")
    assert 0 < total <= PAGE_WEIGHT_LIMIT, total


def test_etag_gives_304(index):
    headers, _ = index
    status, _, body = get("/", headers={"If-None-Match": headers["ETag"]})
    assert status == 304 and body == b""


def test_app_routes_answer_the_page_and_other_paths_404(index):
    _, html = index
    for path in ("/signin", "/invite/" + "a" * 64, "/interviews/6d3c8a52-0000-4000-8000-000000000000",
                 "/history", "/account", "/admin", "/record"):
        status, headers, body = get(path)
        assert status == 200 and body.decode() == html, path
    for path in ("/nope", "/wp-login.php", "/assets/missing-00000000.js", "/etc/passwd", "/.env"):
        assert get(path)[0] == 404, path
    status, headers, _ = get("/", method="POST")
    assert status == 405 and headers["Allow"] == "GET, HEAD"
    status, headers, body = get("/", method="HEAD")
    assert status == 200 and body == b"" and int(headers["Content-Length"]) == len(html.encode())


def test_api_is_still_the_api():
    status, headers, body = get("/v1/me")
    assert status == 401 and headers["Content-Type"] == "application/json"
