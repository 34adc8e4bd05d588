"""Uploaded files served before Django (results/media.py): cached for a year, new files found, no metadata."""

import io
from wsgiref.util import setup_testing_defaults

import pytest
from PIL import Image

from results.media import MediaFiles, serve_media
from results.photos import Photo
from tests import images
from tests.factories import make_conference

pytestmark = pytest.mark.django_db


def django_app(environ, start_response):
    start_response("404 Not Found", [("Content-Type", "text/plain")])
    return [b"Django"]


def get(app, path):
    environ = {"PATH_INFO": path, "REQUEST_METHOD": "GET"}
    setup_testing_defaults(environ)
    answer = {}

    def start_response(status, headers):
        answer["status"], answer["headers"] = status, dict(headers)

    result = app(environ, start_response)
    try:
        body = b"".join(result)
    finally:
        if hasattr(result, "close"):
            result.close()
    return answer["status"], answer["headers"], body


def test_media_served_with_long_cache_lifetime_and_no_metadata(media, settings):
    app = serve_media(django_app)
    assert isinstance(app, MediaFiles)
    # Uploaded after the application started: found at its first request.
    photo = Photo(conference=make_conference(), alt_text="Themensammlung")
    photo.image = images.upload(images.photo(1000, 700, gps=True))
    photo.full_clean()
    photo.save()

    for name in photo.file_names():
        status, headers, body = get(app, settings.MEDIA_URL + name)

        assert status == "200 OK"
        assert headers["Cache-Control"] == "max-age=315360000, public, immutable"
        assert headers["X-Content-Type-Options"] == "nosniff"
        assert headers["Content-Type"] in {"image/jpeg", "image/webp"}
        assert images.CAMERA_SERIAL.encode() not in body
        with Image.open(io.BytesIO(body)) as served:
            assert dict(served.getexif()) == {}


@pytest.mark.parametrize("path", ["/media/../settings.py", "/media/fotos/nichts.jpg", "/media/", "/static/x.css"])
def test_media_misses_go_to_django(media, path):
    (media / "fotos").mkdir(parents=True)

    status, _headers, body = get(serve_media(django_app), path)

    assert (status, body) == ("404 Not Found", b"Django")


def test_purged_file_is_forgotten(media):
    (media / "fotos").mkdir(parents=True)
    (media / "fotos" / "a.jpg").write_bytes(images.photo(10, 10))
    app = serve_media(django_app)
    assert get(app, "/media/fotos/a.jpg")[0] == "200 OK"

    (media / "fotos" / "a.jpg").unlink()

    assert get(app, "/media/fotos/a.jpg")[0] == "404 Not Found"


def test_no_media_app_for_remote_storage(settings):
    settings.MEDIA_URL = "https://bucket.example.org/"

    assert serve_media(django_app) is django_app
