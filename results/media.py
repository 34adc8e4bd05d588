"""
Serve uploaded files (photos, original PDFs) from MEDIA_ROOT before Django sees the request.

A second WhiteNoise instance: a file is served like a static file, with a cache lifetime of a
year (results/photos.py never gives a name other content), and no Django view runs for it. It
learns about a file uploaded after start, in any worker, at the file's first request: one
lookup on the file system, then it is known. A web server in front serves the same directory
more cheaply still (docs/deploy.md).
"""

import os

from django.conf import settings
from django.core.files.storage import FileSystemStorage, storages
from whitenoise import WhiteNoise
from whitenoise.string_utils import decode_path_info


def add_headers(headers, path, url):
    headers["X-Content-Type-Options"] = "nosniff"


class MediaFiles(WhiteNoise):
    def __init__(self, application, root, prefix):
        super().__init__(
            application,
            max_age=WhiteNoise.FOREVER,
            allow_all_origins=False,
            add_headers_function=add_headers,
            immutable_file_test=lambda path, url: True,
        )
        root = os.path.abspath(root).rstrip(os.path.sep) + os.path.sep
        prefix = "/" + prefix.strip("/") + "/"
        self.prefix = prefix
        # Looked up on a miss only (WhiteNoise's autorefresh looks on every request).
        self.directories = [(root, prefix)]

    def __call__(self, environ, start_response):
        path = decode_path_info(environ.get("PATH_INFO", ""))
        if not path.startswith(self.prefix):
            return self.application(environ, start_response)
        static_file = self.files.get(path)
        if static_file is None:
            static_file = self.find_file(path)
            if static_file is None:
                return self.application(environ, start_response)
            self.files[path] = static_file
        try:
            return self.serve(static_file, environ, start_response)
        except FileNotFoundError:
            # Purged since it was first served.
            del self.files[path]
            return self.application(environ, start_response)


def serve_media(application):
    """application wrapped in MediaFiles when uploads are files under MEDIA_ROOT at a local MEDIA_URL."""
    if not isinstance(storages["default"], FileSystemStorage):
        return application
    if "://" in settings.MEDIA_URL or settings.MEDIA_URL.strip("/") == "":
        return application
    return MediaFiles(application, settings.MEDIA_ROOT, settings.MEDIA_URL)
