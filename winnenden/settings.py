"""
Settings for the Ergebnisarchiv: one file, read from the environment.

Production is the default. `make run` and `make serve` switch the
HTTPS-only behaviour off for plain HTTP on 127.0.0.1; see the Makefile.
"""

import os
import re
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.csp import CSP
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent


def env_bool(name, default=False):
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name, default=""):
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


DEBUG = env_bool("DJANGO_DEBUG")


def read_secret_key():
    """DJANGO_SECRET_KEY, else the file DJANGO_SECRET_KEY_FILE names, else the checkout's var/secret-key (made by
    `make setup`) when it exists; "" when there is none."""
    if os.environ.get("DJANGO_SECRET_KEY"):
        return os.environ["DJANGO_SECRET_KEY"]
    if os.environ.get("DJANGO_SECRET_KEY_FILE"):
        path = Path(os.environ["DJANGO_SECRET_KEY_FILE"])
        if not path.is_file():
            raise ImproperlyConfigured(f"DJANGO_SECRET_KEY_FILE names {path}, which is not a readable file.")
        return path.read_text().strip()
    path = BASE_DIR / "var" / "secret-key"
    return path.read_text().strip() if path.is_file() else ""


SECRET_KEY = read_secret_key()
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured(
            "No secret key: set DJANGO_SECRET_KEY or DJANGO_SECRET_KEY_FILE, or run `make setup`, "
            "which makes var/secret-key for this checkout."
        )
    SECRET_KEY = "insecure-debug-only-key-never-used-in-production"

ALLOWED_HOSTS = env_list("DJANGO_ALLOWED_HOSTS", "localhost,127.0.0.1" if DEBUG else "")

# Plain HTTP is only for local serving; production assumes HTTPS.
HTTPS = env_bool("DJANGO_HTTPS", default=not DEBUG)

INSTALLED_APPS = [
    "results",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.sitemaps",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django_filters",
    "simple_history",
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
]

MIDDLEWARE = [
    # Before anything asks for the host: a foreign one gets a plain 400 (results/hosts.py).
    "results.hosts.AllowedHostMiddleware",
    # Above everything that makes a body, so that pages served from the page cache are compressed
    # too (per request: the cache keeps one uncompressed copy), and below ConditionalGetMiddleware's
    # ETag, which it weakens. Since Django 4.2 it mitigates BREACH (random padding in the gzip header).
    "django.middleware.gzip.GZipMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # ETag and 304 for every page, cached or not. Above the page cache, as are the
    # security headers, so that a cached page gets them as the settings are now.
    "django.middleware.http.ConditionalGetMiddleware",
    # A cached page skips everything below; see results/pagecache.py.
    "results.pagecache.PageCacheMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "results.i18n.PathLocaleMiddleware",
    "results.i18n.AdminLanguageMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "results.twofactor.TwoFactorMiddleware",
    "results.sessions.IdleTimeoutMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    # AxesMiddleware should be the last middleware.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "winnenden.urls"
WSGI_APPLICATION = "winnenden.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "results.context_processors.site",
            ],
        },
    },
]

DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{BASE_DIR / 'var' / 'db.sqlite3'}",
        conn_max_age=int(os.environ.get("DJANGO_CONN_MAX_AGE", "60")),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets readers go on while an admin writes; IMMEDIATE takes the write
    # lock at BEGIN so concurrent writers queue on busy_timeout instead of
    # failing with "database is locked" half-way through a transaction.
    DATABASES["default"]["OPTIONS"] = {
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
        "init_command": (
            "PRAGMA journal_mode=WAL;PRAGMA synchronous=NORMAL;PRAGMA busy_timeout=20000;PRAGMA foreign_keys=ON;"
        ),
    }
    # Persistent connections pay off on SQLite too: opening one runs the
    # PRAGMAs above and registers Django's SQL functions, about 5 ms a request.

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# The page cache (results/pagecache.py) and the data versions it is keyed by. Every
# process must see the same cache: Redis when REDIS_URL is set, else files on this machine.
if os.environ.get("REDIS_URL"):
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": os.environ["REDIS_URL"],
            "KEY_PREFIX": os.environ.get("DJANGO_CACHE_PREFIX", "ergebnisarchiv"),
            # A slow or absent Redis costs a page its cache, never the page.
            "OPTIONS": {"socket_connect_timeout": 0.5, "socket_timeout": 0.5},
        }
    }
else:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
            "LOCATION": os.environ.get("DJANGO_CACHE_DIR", str(BASE_DIR / "var" / "cache")),
            # Both languages of every page of a few hundred conferences.
            "OPTIONS": {"MAX_ENTRIES": 50000},
        }
    }
# Rendered public pages are cached; DJANGO_PAGE_CACHE=0 switches that off.
PAGE_CACHE = env_bool("DJANGO_PAGE_CACHE", default=True)
# A page stays until its data changes; this only bounds what an unvisited page (or the
# version of a conference that does not exist) occupies.
PAGE_CACHE_TIMEOUT = 24 * 60 * 60

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 12}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
    # Common lists miss "Winnenden2019" and "passwordpassword"; a strength estimate does not.
    {"NAME": "results.passwords.StrengthValidator"},
]

# Sessions are staff logins only (the public site sets none): one left idle for
# DJANGO_SESSION_IDLE_HOURS ends (results/sessions.py renews those in use).
SESSION_COOKIE_AGE = int(float(os.environ.get("DJANGO_SESSION_IDLE_HOURS", "8")) * 60 * 60)

AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]

# Five failures for one user from one address lock that pair for 15 minutes.
AXES_FAILURE_LIMIT = 5
AXES_COOLOFF_TIME = 0.25  # hours
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "admin/lockout.html"
# Behind a load balancer every request comes from its address: the client's is read from
# X-Forwarded-For, trusting only the entries the proxies wrote (results/clientip.py).
PROXY_COUNT = int(os.environ.get("DJANGO_PROXY_COUNT", "0"))
AXES_CLIENT_IP_CALLABLE = "results.clientip.client_ip"

# Staff log in with a code from an authenticator app too (results/twofactor.py, docs/deploy.md).
ADMIN_TWO_FACTOR = env_bool("DJANGO_ADMIN_2FA")
OTP_TOTP_ISSUER = os.environ.get("SITE_NAME", "Ergebnisarchiv")

LANGUAGE_CODE = "de"
LANGUAGES = [("de", _("Deutsch")), ("en", _("Englisch"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Europe/Berlin"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = BASE_DIR / "var" / "staticfiles"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
WHITENOISE_MAX_AGE = 31536000 if not DEBUG else 0

ADMIN_PATH = os.environ.get("DJANGO_ADMIN_PATH", "admin/").strip("/") + "/"

# Security headers. HTTPS behaviour is on unless DJANGO_HTTPS=0.
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SECURE_CSP = {
    "default-src": [CSP.SELF],
    "img-src": [CSP.SELF, "data:"],
    "object-src": [CSP.NONE],
    "base-uri": [CSP.SELF],
    "form-action": [CSP.SELF],
    "frame-ancestors": [CSP.NONE],
}
# Uploaded photos and original documents (results/photos.py, results/uploads.py). By default
# files under var/media, served by the WSGI application without a Django view
# (winnenden/wsgi.py); DJANGO_S3_BUCKET puts them into an S3-compatible store through
# django-storages instead (docs/deploy.md).
MEDIA_URL = os.environ.get("DJANGO_MEDIA_URL", "/media/")
MEDIA_ROOT = Path(os.environ.get("DJANGO_MEDIA_ROOT", BASE_DIR / "var" / "media"))
UPLOAD_MAX_MB = int(os.environ.get("DJANGO_UPLOAD_MAX_MB", "25"))
if os.environ.get("DJANGO_S3_BUCKET"):
    STORAGES["default"] = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": os.environ["DJANGO_S3_BUCKET"],
            "endpoint_url": os.environ.get("DJANGO_S3_ENDPOINT_URL") or None,
            "custom_domain": os.environ.get("DJANGO_S3_CUSTOM_DOMAIN") or None,
            "querystring_auth": False,
            "file_overwrite": False,
            # File names never change their content (results/photos.py): browsers may keep them a year.
            "object_parameters": {"CacheControl": "public, max-age=31536000, immutable"},
        },
    }
    if os.environ.get("DJANGO_S3_CUSTOM_DOMAIN"):
        SECURE_CSP["img-src"].append("https://" + os.environ["DJANGO_S3_CUSTOM_DOMAIN"])
    elif os.environ.get("DJANGO_S3_ENDPOINT_URL"):
        SECURE_CSP["img-src"].append(os.environ["DJANGO_S3_ENDPOINT_URL"].rstrip("/"))

# Behind a proxy (DJANGO_BEHIND_PROXY=1), gunicorn sets the scheme from X-Forwarded-Proto, and only
# for requests from the proxy's addresses (gunicorn.conf.py). SECURE_PROXY_SSL_HEADER would trust
# the header from any client that reaches the app server, so it stays unset.
SECURE_SSL_REDIRECT = HTTPS
# Load balancers probe over plain HTTP on the private network.
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
SESSION_COOKIE_SECURE = HTTPS
CSRF_COOKIE_SECURE = HTTPS
SESSION_COOKIE_HTTPONLY = True
# One year of HSTS including subdomains. Preload is a deliberate opt-in
# (DJANGO_HSTS_PRELOAD=1) because it is hard to undo, so `check --deploy`
# prints security.W021 on purpose: see docs/deploy.md.
SECURE_HSTS_SECONDS = int(os.environ.get("DJANGO_HSTS_SECONDS", "31536000")) if HTTPS else 0
SECURE_HSTS_INCLUDE_SUBDOMAINS = HTTPS
SECURE_HSTS_PRELOAD = env_bool("DJANGO_HSTS_PRELOAD")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "loggers": {
        "axes": {"handlers": ["console"], "level": "WARNING"},
        "django": {"handlers": ["console"], "level": os.environ.get("DJANGO_LOG_LEVEL", "INFO")},
    },
}

# Site details shown on the imprint and accessibility pages. Empty by default:
# who runs an installation is only known to whoever deploys it, and the pages
# say plainly that no details are given rather than name an authority that may
# not run this copy. SITE_ADDRESS may span lines ("\n" in the variable).
SITE_NAME = os.environ.get("SITE_NAME", "Ergebnisarchiv")
# The archive's public address (scheme and host, e.g. https://archiv.example.org): QR codes, printed
# signs, canonical and hreflang links and the sitemap use it. Unset, they use the address each request
# came in on, which is wrong for a copy opened at 127.0.0.1 (results/siteurl.py).
SITE_URL = os.environ.get("SITE_URL", "").strip().rstrip("/")
if SITE_URL and (not re.fullmatch(r"https?://[^/?#\s]+", SITE_URL)):
    raise ImproperlyConfigured(
        f"SITE_URL must be scheme and host only, e.g. https://archiv.example.org, not {SITE_URL!r}."
    )
SITE_OPERATOR = os.environ.get("SITE_OPERATOR", "")
SITE_ADDRESS = os.environ.get("SITE_ADDRESS", "").replace("\\n", "\n")
SITE_CONTACT_EMAIL = os.environ.get("SITE_CONTACT_EMAIL", "")
SITE_CONTACT_PHONE = os.environ.get("SITE_CONTACT_PHONE", "")
SITE_RESPONSIBLE = os.environ.get("SITE_RESPONSIBLE", "")
