"""
Whole public pages in Django's cache (its CacheMiddleware), invalidated by data versions.

A page is stored under a key prefix made of data versions: a conference's pages under
that conference's version, the pages that span conferences (home, search, …) under the
archive's. A committed change gives the versions it touches new values
(results/signals.py), so the next request renders the page anew and the old entry
expires unread; the other conferences' pages stay valid. The versions live in the same
cache as the pages, so every process that shares it sees a change at once.

Never cached: the admin, /healthz, requests other than GET and HEAD, requests with a
session cookie (an editor's), and responses that set a cookie (a form's CSRF token).
"""

import logging
import secrets
from urllib.parse import quote

from django.conf import settings
from django.core.cache import caches
from django.db import transaction
from django.http import HttpResponsePermanentRedirect
from django.middleware.cache import CacheMiddleware
from django.urls import Resolver404, get_script_prefix, resolve
from django.utils.cache import get_max_age, patch_cache_control
from django.utils.http import urlencode
from django.utils.translation import get_language_from_path, override

logger = logging.getLogger(__name__)

# The versions a page's key is made of: EVERY_CONFERENCE changes with what all conferences
# show (a conference renamed or deleted, a glossary entry for every conference), ARCHIVE
# with any change (the pages that span conferences), a conference's slug with its data.
EVERY_CONFERENCE = "*"
ARCHIVE = ""

# The query parameters each page reads, by URL name; a request with others is redirected
# to the URL without them, so that made-up parameters cannot fill the cache with copies.
CARD_FILTERS = ("q", "tisch", "station", "art", "korrigiert")
QUERY_PARAMETERS = {
    "home": ("jahr", "ort", "page"),
    "cards": (*CARD_FILTERS, "page"),
    "cards-csv": CARD_FILTERS,
    "cards-excel-csv": CARD_FILTERS,
    "cards-json": CARD_FILTERS,
    "cards-xlsx": CARD_FILTERS,
    "search": ("q", "page"),
    "changes": ("page",),
    "feedback": ("karte", "tisch", "station", "gesendet"),
    "report": ("karte", "tisch", "station", "gesendet"),
    "sitemap-section": ("p",),
    "set_language": ("next",),
}


def version_key(scope):
    return f"data-version:{scope}"


def key_prefix(conference):
    """The data versions a page of conference (a slug, or None for a page that spans conferences) is cached under."""
    cache = caches[settings.CACHE_MIDDLEWARE_ALIAS]
    keys = [version_key(EVERY_CONFERENCE), version_key(conference or ARCHIVE)]
    found = cache.get_many(keys)
    # A version the cache does not hold (a new cache, an evicted key) is made anew: a
    # random value, so no page stored under an earlier one can come back.
    # Bounded like the pages: a made-up slug (/wp-admin/ resolves as a conference's path) leaves no key forever.
    timeout = settings.PAGE_CACHE_TIMEOUT
    return ".".join(found.get(key) or cache.get_or_set(key, secrets.token_hex(8), timeout) for key in keys)


def bump_versions(conferences=(), everything=False):
    """New versions for the conferences (slugs) and the archive, or for everything: their cached pages are stale."""
    scopes = [ARCHIVE, *conferences, *([EVERY_CONFERENCE] if everything else [])]
    caches[settings.CACHE_MIDDLEWARE_ALIAS].set_many(
        {version_key(scope): secrets.token_hex(8) for scope in scopes}, timeout=None
    )


def new_release(**kwargs):
    """After migrate, which every release runs: pages rendered by the old templates are stale."""
    try:
        bump_versions(everything=True)
    except Exception:
        # The cache is down (Redis): migrate goes on; pages are rendered uncached meanwhile.
        logger.exception("Page cache unavailable: cached pages were not invalidated")


def archive_changed(using=None):
    """After bulk writes, which send no signals: every cached page is stale once the transaction commits."""
    transaction.on_commit(lambda: bump_versions(everything=True), using=using, robust=True)


def is_public_path(path):
    return not path.startswith(("/" + settings.ADMIN_PATH, "/healthz"))


class PageCacheMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not is_public_path(request.path_info):
            return self.get_response(request)
        # Public pages take their language from the path; their routes only resolve in it.
        language = get_language_from_path(request.path_info) or settings.LANGUAGE_CODE
        try:
            with override(language):
                match = resolve(request.path_info)
        except Resolver404:
            return self.render(request)  # a 404 is never stored
        unread = set(request.GET) - set(QUERY_PARAMETERS.get(match.url_name, ()))
        if unread and request.method in {"GET", "HEAD"}:
            query = urlencode([(name, value) for name, value in request.GET.lists() if name not in unread], doseq=True)
            return HttpResponsePermanentRedirect(request.path + (f"?{query}" if query else ""))
        if not self.cacheable(request):
            return self.render(request)
        # What Django's cache key takes the language from (PathLocaleMiddleware, further down, sets the same).
        request.LANGUAGE_CODE = language
        try:
            # Django's key holds the whole path, SCRIPT_NAME and PATH_INFO together; the prefix
            # holds where one ends, so that "/suche" + "/" (the home page) is not the search page.
            prefix = key_prefix(match.kwargs.get("conf")) + quote(get_script_prefix())
            response = CacheMiddleware(self.render, page_timeout=settings.PAGE_CACHE_TIMEOUT, key_prefix=prefix)(
                request
            )
        except Exception:
            # The cache is down (Redis): the page loses its cache, not itself.
            logger.exception("Page cache unavailable")
            return self.render(request)
        if response.has_header("Expires") and get_max_age(response):
            # A page the cache stored (CacheMiddleware set both): browsers ask again each time
            # (ETag, 304), as only this cache learns when the data changes. A view's own
            # browser caching (the favicon's) is left alone.
            response.headers.pop("Expires", None)
            response["Cache-Control"] = "no-cache"
        return response

    def cacheable(self, request):
        return (
            settings.PAGE_CACHE
            and request.method in {"GET", "HEAD"}
            and settings.SESSION_COOKIE_NAME not in request.COOKIES
        )

    def render(self, request):
        response = self.get_response(request)
        # A safety net: a response that sets a cookie (a form's CSRF token) is one visitor's
        # own, and CacheMiddleware skips it only when it also varies on Cookie.
        if response.cookies:
            patch_cache_control(response, private=True)
        return response
