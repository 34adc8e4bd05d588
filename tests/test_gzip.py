"""HTML, CSV and JSON are gzip-compressed for clients that accept it, from the page cache too; ETags keep working."""

import gzip

import pytest

from tests.page_types import CONF

pytestmark = pytest.mark.django_db

GZIP = {"accept-encoding": "gzip, deflate, br"}


@pytest.mark.parametrize(
    ("path", "content_type"),
    [
        (f"/{CONF}/", "text/html; charset=utf-8"),
        (f"/{CONF}/karten.csv", "text/csv; charset=utf-8"),
        (f"/{CONF}/karten.json", "application/json"),
        ("/sitemap-tables.xml", "application/xml"),
    ],
)
def test_responses_are_compressed_when_accepted(client, path, content_type):
    plain = client.get(path)
    compressed = client.get(path, headers=GZIP)

    assert compressed["Content-Type"] == plain["Content-Type"] == content_type
    assert compressed["Content-Encoding"] == "gzip"
    assert "Accept-Encoding" in compressed["Vary"]
    assert not plain.has_header("Content-Encoding")
    assert gzip.decompress(compressed.content) == plain.content
    assert len(compressed.content) < len(plain.content) / 3


def test_cached_pages_are_compressed_and_answer_conditional_requests(client, page_cache):
    first = client.get(f"/{CONF}/", headers=GZIP)
    cached = client.get(f"/{CONF}/", headers=GZIP)
    cached_plain = client.get(f"/{CONF}/")
    not_modified = client.get(f"/{CONF}/", headers={**GZIP, "if-none-match": cached["ETag"]})

    assert (first["Content-Encoding"], cached["Content-Encoding"]) == ("gzip", "gzip")
    assert gzip.decompress(cached.content) == gzip.decompress(first.content) == cached_plain.content
    # gzip makes a strong ETag weak: the same page, not the same bytes.
    assert cached["ETag"] == "W/" + cached_plain["ETag"]
    assert (not_modified.status_code, not_modified.content) == (304, b"")
    assert client.get(f"/{CONF}/", headers={"if-none-match": cached_plain["ETag"]}).status_code == 304
