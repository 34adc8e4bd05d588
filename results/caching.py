"""
Caching of rendered public pages, invalidated by a global data version.

Every change to a model of the results app bumps the data version. Every
cached page holds the version it was made from, so a change makes every cached
page stale at once, without having to know which pages showed the changed row.
The version lives in the database (the "versions" cache, a DatabaseCache
table) and, when the page cache
is shared (Redis), in that cache as well: a process with a private locmem cache
reads it from the database on every request, so it never serves a page that
another process has changed. On PostgreSQL, PostgreSQL tells every process each
new version as it commits (LISTEN/NOTIFY, results/versionwatch.py), and a
process asks the database only while its listener cannot vouch for the version.

The version is bumped twice for a change inside a transaction: at once, so the
process that made the change sees it, and again after the commit, because a
request in another process may render the old rows between the first bump and
the commit and store them under the new version.

A request reads the version once (current_data_version()). What only changes
with the data, and is costly to build on every request (a conference's tables,
stations and glossary; a card's rendered HTML), is kept per process under the
current version by memo(): the first request after a change rebuilds it, every
later one reuses it, with or without the page cache.
"""

import base64
import functools
import hashlib
import logging
import pickle
import secrets
import threading
import time
from datetime import UTC, datetime

from django.apps import apps
from django.conf import settings
from django.core.cache import caches
from django.core.cache.backends.dummy import DummyCache
from django.core.cache.backends.locmem import LocMemCache
from django.core.signals import request_finished, request_started, setting_changed
from django.db import (
    DEFAULT_DB_ALIAS,
    DatabaseError,
    InterfaceError,
    OperationalError,
    connections,
    router,
    transaction,
)
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.dispatch import receiver
from django.http import HttpResponse
from django.utils.cache import get_conditional_response, patch_cache_control
from django.utils.http import http_date
from django.utils.translation import get_language_from_path

from results import versionwatch

logger = logging.getLogger(__name__)

VERSION_KEY = "data-version"
# Readers' reports are shown on no public page; search terms are derived from a
# card and change only with it.
IGNORED_MODELS = {"report", "cardterm"}
# Bounds memo(): a crawler visiting every card of 50,000 must not grow a worker without end.
MEMO_MAX_ENTRIES = 20000

# The version this thread's request has read; None outside a request.
_request = threading.local()
# (version, {key: value}) of memo(); replaced as a whole when the version changes.
_memo = (None, {})
# (version, {key: entry}): pages of a shared page cache this process has served
# under a version the listener told it; see PageCacheMiddleware._lookup().
_local_pages = (None, {})
LOCAL_PAGES_MAX = 1000


def _page_cache():
    return caches["default"]


def _page_cache_is_shared():
    return not isinstance(_page_cache(), LocMemCache | DummyCache)


def new_version():
    """A fresh, unique data version that also records when it was made."""
    return f"{time.time_ns()}-{secrets.token_hex(4)}"


def version_changed_at(version):
    """When the data last changed, to the second (as HTTP dates have it)."""
    return datetime.fromtimestamp(int(version.split("-")[0]) // 10**9, tz=UTC)


def _version_query():
    """The connection holding the stored version, and the one plain query that reads it."""
    cache = caches["versions"]
    connection = connections[router.db_for_read(cache.cache_model_class)]
    sql = f"SELECT value FROM {connection.ops.quote_name(cache._table)} WHERE cache_key = %s"
    return connection, sql, [cache.make_and_validate_key(VERSION_KEY)]


def _decode(row):
    # The version never expires (it is stored with timeout=None); the value is
    # stored the way DatabaseCache stores every value.
    return pickle.loads(base64.b64decode(row[0].encode())) if row else None


def read_stored_version(cursor):
    """The stored version (or None), read with cursor: the version listener's reads."""
    _connection, sql, params = _version_query()
    cursor.execute(sql, params)
    return _decode(cursor.fetchone())


def _stored_version():
    """
    The version in the database, or None: what caches["versions"].get() returns, read
    with one plain query. A cache hit's only database work where no listener tells
    the version, so it is kept short: the cache backend's own get() took a third of a
    hit on SQLite.
    """
    connection, sql, params = _version_query()
    if connection.in_atomic_block:
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            row = cursor.fetchone()
    else:
        # This query is the request's first: it stands in for the health check
        # (CONN_HEALTH_CHECKS), which would cost PostgreSQL one more round trip.
        # A connection that died since the last request fails here: it is closed
        # and the query runs once more on a new one, as after a failed check.
        connection.health_check_done = True
        try:
            with connection.cursor() as cursor:
                cursor.execute(sql, params)
                row = cursor.fetchone()
        except (InterfaceError, OperationalError):
            connection.close()
            with connection.cursor() as cursor:
                cursor.execute(sql, params)
                row = cursor.fetchone()
    return _decode(row)


def _version_alias():
    """
    The database the version is stored in, which sends and hears its notifications: one
    alias for both, since each process has one listener.
    """
    return router.db_for_write(caches["versions"].cache_model_class)


def _listened_version():
    """
    The version as PostgreSQL last notified this process (results/versionwatch.py), or
    None: on SQLite, while the listener cannot vouch for it, and inside a transaction,
    which must see its own (and, in tests, only its own) writes.
    """
    alias = _version_alias()
    watcher = versionwatch.listener(alias)
    if watcher is None or connections[alias].in_atomic_block:
        return None
    return watcher.version()


def get_data_version():
    """The current data version; made (and stored) if there is none yet."""
    version = _listened_version()
    if version is not None:
        return version
    shared = _page_cache_is_shared()
    version = _page_cache_call("get", VERSION_KEY) if shared else None
    if version is None:
        version = _stored_version()
        if version is None:
            return bump_data_version()
        if shared:
            _page_cache_call("set", VERSION_KEY, version, None)
    return version


def _page_cache_call(method, *args):
    """A call to the page cache that an outage (Redis down) turns into None: a page loses its cache, not itself."""
    try:
        return getattr(_page_cache(), method)(*args)
    except Exception:
        logger.exception("Page cache unavailable")
        return None


def current_data_version():
    """The data version, read at most once per request; anew on every call outside a request."""
    if getattr(_request, "version", None) is None:
        version = get_data_version()
        if getattr(_request, "active", False):
            _request.version = version
        return version
    return _request.version


def _remember_version(version):
    """The version this request has read elsewhere (with its page, from the shared cache)."""
    if getattr(_request, "active", False):
        _request.version = version


def _request_started(**kwargs):
    _request.active = True
    _request.version = None


def _request_finished(**kwargs):
    _request.active = False
    _request.version = None


request_started.connect(_request_started, dispatch_uid="data-version-request-started")
request_finished.connect(_request_finished, dispatch_uid="data-version-request-finished")


def memo(key, build):
    """
    build(), made once per data version and key in this process. Only for what
    depends on nothing but the data (and what key names, e.g. the language).
    """
    global _memo
    version = current_data_version()
    memo_version, values = _memo
    if memo_version != version:
        values = {}
        _memo = (version, values)
    try:
        return values[key]
    except KeyError:
        pass
    value = build()
    if len(values) >= MEMO_MAX_ENTRIES:
        values.clear()
    values[key] = value
    return value


def bump_data_version():
    version = new_version()
    if getattr(_request, "active", False):
        # The request that made the change reads its own writes.
        _request.version = version
    try:
        # A savepoint, so that a failure here cannot break an admin's transaction.
        with transaction.atomic():
            caches["versions"].set(VERSION_KEY, version, None)
            _notify(version)
    except DatabaseError:
        logger.exception("Could not store the data version in the database")
    if _page_cache_is_shared():
        _page_cache_call("set", VERSION_KEY, version, None)
    return version


def _notify(version):
    """Tell every process's listener the new version when this transaction commits."""
    alias = _version_alias()
    watcher = versionwatch.listener(alias)
    if watcher is None:
        return
    with connections[alias].cursor() as cursor:
        versionwatch.notify(cursor, version)
    # Until its notification arrives, this process reads the version it has just made from the database.
    transaction.on_commit(functools.partial(watcher.expect, version), using=alias)


def data_changed(sender, using=DEFAULT_DB_ALIAS, **kwargs):
    """Signal receiver: a row of the results app changed."""
    bump_data_version()
    connection = transaction.get_connection(using)
    if connection.in_atomic_block and not any(func is bump_data_version for _, func, _ in connection.run_on_commit):
        transaction.on_commit(bump_data_version, using=using)


def connect_signals():
    for model in apps.get_app_config("results").get_models():
        # A historical row is only ever written beside a change of its model's row.
        if model._meta.model_name in IGNORED_MODELS or model._meta.model_name.startswith("historical"):
            continue
        post_save.connect(data_changed, sender=model, dispatch_uid=f"page-cache-save-{model._meta.label}")
        post_delete.connect(data_changed, sender=model, dispatch_uid=f"page-cache-delete-{model._meta.label}")
    m2m_changed.connect(_m2m_changed, dispatch_uid="page-cache-m2m")


def _m2m_changed(sender, action, using=DEFAULT_DB_ALIAS, **kwargs):
    if sender._meta.app_label == "results" and action in {"post_add", "post_remove", "post_clear"}:
        data_changed(sender, using=using)


def _local_page(version, key):
    local_version, pages = _local_pages
    return pages.get(key) if local_version == version else None


def _keep_local_page(version, key, entry):
    global _local_pages
    if entry.get("version") != version:
        return
    local_version, pages = _local_pages
    if local_version != version:
        pages = {}
        _local_pages = (version, pages)
    if len(pages) >= LOCAL_PAGES_MAX:
        pages.clear()
    pages[key] = entry


def is_public_path(path):
    excluded = [settings.ADMIN_PATH, "i18n/", "healthz", settings.STATIC_URL, *settings.PAGE_CACHE_EXCLUDE]
    return not any(path.startswith("/" + prefix.lstrip("/")) for prefix in excluded)


# The settings behind the headers that the middleware stores with a page: a
# deployment that changes them (a stricter CSP) must not serve pages with the old ones.
HEADER_SETTINGS = [
    "SECURE_CSP",
    "SECURE_CSP_REPORT_ONLY",
    "SECURE_CONTENT_TYPE_NOSNIFF",
    "SECURE_CROSS_ORIGIN_OPENER_POLICY",
    "SECURE_HSTS_INCLUDE_SUBDOMAINS",
    "SECURE_HSTS_PRELOAD",
    "SECURE_HSTS_SECONDS",
    "SECURE_REFERRER_POLICY",
    "X_FRAME_OPTIONS",
]


@functools.cache
def _headers_fingerprint():
    values = repr([getattr(settings, name, None) for name in HEADER_SETTINGS])
    return hashlib.blake2b(values.encode(), digest_size=4).hexdigest()


@receiver(setting_changed)
def _forget_headers_fingerprint(**kwargs):
    _headers_fingerprint.cache_clear()


class PageCacheMiddleware:
    """
    Serve GET and HEAD requests for public pages from the cache, with an
    ETag (a hash of the page) and Last-Modified (the data's last change), and
    answer conditional requests with 304.

    Never cached: the admin, anything requested with a session, and any
    response that sets a cookie, varies on cookies or touched the session.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not self._applies(request):
            return self.get_response(request)
        key = self._key(request)
        try:
            version, entry, listened = self._lookup(key)
        except Exception:
            logger.exception("No data version: serving uncached")
            return self.get_response(request)
        if entry is None or entry.get("version") != version:
            response = self.get_response(request)
            if not self._storable(request, response):
                return response
            etag = f'"{hashlib.blake2b(response.content, digest_size=16).hexdigest()}"'
            response["ETag"] = etag
            response["Last-Modified"] = http_date(version_changed_at(version).timestamp())
            patch_cache_control(response, no_cache=True)
            entry = {
                "version": version,
                "status": response.status_code,
                "content": response.content,
                "headers": list(response.items()),
                "etag": etag,
            }
            self._set(key, entry)
        else:
            response = self._response(entry)
        if listened:
            _keep_local_page(version, key, entry)
        return get_conditional_response(
            request, etag=entry["etag"], last_modified=version_changed_at(version).timestamp(), response=response
        )

    def _lookup(self, key):
        """
        The data version, the cached entry for key (None if there is none) and whether
        the version came from the listener: at most one round trip.
        """
        if not _page_cache_is_shared():
            return current_data_version(), self._get(key), False
        version = _listened_version()
        if version is not None:
            # PostgreSQL told this process the version: a page it has already
            # served under that version needs no round trip to the shared cache.
            _remember_version(version)
            return version, _local_page(version, key) or self._get(key), True
        # The version and the page in one request to the shared cache. A page holds
        # the version it was made from: one made before the last change is stale.
        found = _page_cache().get_many([VERSION_KEY, key])
        version = found.get(VERSION_KEY)
        if version is None:
            version = current_data_version()
        else:
            _remember_version(version)
        return version, found.get(key), False

    def _applies(self, request):
        return (
            settings.PAGE_CACHE
            and request.method in {"GET", "HEAD"}
            and settings.SESSION_COOKIE_NAME not in request.COOKIES
            and "messages" not in request.COOKIES
            and is_public_path(request.path_info)
        )

    def _key(self, request):
        # get_host() validates the host against ALLOWED_HOSTS.
        url = f"{request.scheme}://{request.get_host()}{request.get_full_path()}"
        digest = hashlib.blake2b(url.encode(), digest_size=16).hexdigest()
        # The language is the URL's: unprefixed paths are always the default language.
        language = get_language_from_path(request.path_info) or settings.LANGUAGE_CODE
        # Not the data version: the entry holds it, and a newer page replaces a stale one.
        return f"page:{_headers_fingerprint()}:{language}:{digest}"

    def _storable(self, request, response):
        session = getattr(request, "session", None)
        return (
            response.status_code == 200
            and not response.streaming
            and not response.cookies
            and not response.has_header("Set-Cookie")
            and "cookie" not in response.get("Vary", "").lower()
            and not response.has_header("Cache-Control")
            and not (session is not None and session.accessed)
        )

    def _response(self, entry):
        response = HttpResponse(entry["content"], status=entry["status"])
        for name, value in entry["headers"]:
            response[name] = value
        return response

    def _get(self, key):
        return _page_cache_call("get", key)

    def _set(self, key, entry):
        _page_cache_call("set", key, entry, settings.PAGE_CACHE_TIMEOUT)
