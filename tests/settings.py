"""Test settings: the production settings, with only what tests need overridden."""

import os
import tempfile
from pathlib import Path

os.environ.setdefault("DJANGO_SECRET_KEY", "tests-only-secret-key")
os.environ.setdefault("DJANGO_ALLOWED_HOSTS", "testserver,localhost,127.0.0.1")
os.environ.setdefault("DJANGO_HTTPS", "0")

from winnenden.settings import *  # noqa: F403 - the test settings are the production ones plus overrides

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
# Cached pages would outlive each test's rolled-back data: the page cache is
# off here and switched on by the tests of results/pagecache.py (in this process's memory).
PAGE_CACHE = False
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
# Tests run without collectstatic: whitenoise serves from the finders, as in development.
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True
# Uploads of tests never land in the checkout's var/media; tests that upload use the `media` fixture.
MEDIA_ROOT = Path(tempfile.gettempdir()) / "ergebnisarchiv-test-media"
