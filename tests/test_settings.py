import json
import os
import re
import shutil
import subprocess
import sys

from django.conf import settings

SECRET = "settings-tests-secret-key-" + "k" * 40
PRODUCTION = {"DJANGO_SECRET_KEY": SECRET, "DJANGO_ALLOWED_HOSTS": "archiv.example.org"}

DUMP = """
import json
from django.conf import settings
from django.urls import reverse
print(json.dumps({
    "DEBUG": settings.DEBUG,
    "ALLOWED_HOSTS": settings.ALLOWED_HOSTS,
    "DATABASE": {key: settings.DATABASES["default"][key] for key in ["ENGINE", "NAME", "HOST", "PORT", "USER"]},
    "CONN_HEALTH_CHECKS": settings.DATABASES["default"]["CONN_HEALTH_CHECKS"],
    "SQLITE_OPTIONS": settings.DATABASES["default"].get("OPTIONS", {}),
    "CACHE": [settings.CACHES["default"]["BACKEND"], settings.CACHES["default"]["LOCATION"]],
    "ADMIN_URL": reverse("admin:index"),
    "SECURE_SSL_REDIRECT": settings.SECURE_SSL_REDIRECT,
    "SESSION_COOKIE_SECURE": settings.SESSION_COOKIE_SECURE,
    "CSRF_COOKIE_SECURE": settings.CSRF_COOKIE_SECURE,
    "SECURE_HSTS_SECONDS": settings.SECURE_HSTS_SECONDS,
    "SECURE_HSTS_INCLUDE_SUBDOMAINS": settings.SECURE_HSTS_INCLUDE_SUBDOMAINS,
    "SECURE_PROXY_SSL_HEADER": settings.SECURE_PROXY_SSL_HEADER,
}))
"""


def run(args, **env):
    """Run a command in the project with a clean environment: only PATH and what the test passes."""
    return subprocess.run(
        args, cwd=settings.BASE_DIR, env={"PATH": os.environ["PATH"]} | env, capture_output=True, text=True, timeout=60
    )


def settings_from(**env):
    code = "import django\ndjango.setup()\n" + DUMP
    result = run([sys.executable, "-c", code], DJANGO_SETTINGS_MODULE="winnenden.settings", **env)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def test_check_deploy_warns_only_about_hsts_preload():
    result = run([sys.executable, "manage.py", "check", "--deploy"], **PRODUCTION)

    output = result.stdout + result.stderr
    assert result.returncode == 0, output
    assert re.findall(r"\((\w+\.\w+)\)", output) == ["security.W021"]
    assert "System check identified 1 issue (0 silenced)." in output


def test_check_deploy_is_silent_with_hsts_preload():
    result = run([sys.executable, "manage.py", "check", "--deploy"], DJANGO_HSTS_PRELOAD="1", **PRODUCTION)

    assert result.returncode == 0, result.stderr
    assert (result.stdout + result.stderr).strip() == "System check identified no issues (0 silenced)."


def checkout_copy(tmp_path):
    """The code of this checkout without its var/ folder (no database, no secret key)."""
    for name in ["manage.py", "winnenden", "results", "templates", "static", "locale", "fixtures"]:
        source = settings.BASE_DIR / name
        if source.is_dir():
            shutil.copytree(source, tmp_path / name, ignore=shutil.ignore_patterns("__pycache__"))
        else:
            shutil.copy(source, tmp_path / name)
    return tmp_path


def test_settings_without_secret_key_fail_loudly(tmp_path):
    checkout = checkout_copy(tmp_path)
    result = subprocess.run(
        [sys.executable, "manage.py", "check"],
        cwd=checkout,
        env={"PATH": os.environ["PATH"], "DJANGO_ALLOWED_HOSTS": "archiv.example.org"},
        capture_output=True,
        text=True,
        timeout=60,
    )

    assert result.returncode == 1
    assert "django.core.exceptions.ImproperlyConfigured: No secret key: set DJANGO_SECRET_KEY" in result.stderr


def test_secret_key_from_file_named_by_the_environment(tmp_path):
    key_file = tmp_path / "key"
    key_file.write_text("from-a-file-" + "f" * 40 + "\n")
    code = "import django\ndjango.setup()\nfrom django.conf import settings\nprint(settings.SECRET_KEY)"

    result = run(
        [sys.executable, "-c", code], DJANGO_SETTINGS_MODULE="winnenden.settings", DJANGO_SECRET_KEY_FILE=str(key_file)
    )

    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "from-a-file-" + "f" * 40


def test_missing_secret_key_file_is_named(tmp_path):
    result = run([sys.executable, "manage.py", "check"], DJANGO_SECRET_KEY_FILE=str(tmp_path / "nowhere"))

    assert result.returncode == 1
    assert f"DJANGO_SECRET_KEY_FILE names {tmp_path / 'nowhere'}, which is not a readable file." in result.stderr


def test_commands_work_in_a_checkout_with_nothing_exported(tmp_path):
    # `make setup` leaves var/secret-key; createsuperuser then needs no exported key.
    checkout = checkout_copy(tmp_path)
    (checkout / "var").mkdir()
    (checkout / "var" / "secret-key").write_text("checkout-key-" + "c" * 40)
    env = {"PATH": os.environ["PATH"]}
    migrate = subprocess.run(
        [sys.executable, "manage.py", "migrate", "--noinput", "-v0"],
        cwd=checkout,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert migrate.returncode == 0, migrate.stderr

    result = subprocess.run(
        [
            sys.executable,
            "manage.py",
            "createsuperuser",
            "--noinput",
            "--username",
            "redaktion",
            "--email",
            "r@example.org",
        ],
        cwd=checkout,
        env=env | {"DJANGO_SUPERUSER_PASSWORD": "Zettelwand-Moderation-42"},
        capture_output=True,
        text=True,
        timeout=60,
    )

    assert result.returncode == 0, result.stderr
    assert "Superuser created successfully." in result.stdout


def test_settings_production_defaults():
    values = settings_from(**PRODUCTION)

    assert values["DEBUG"] is False
    assert values["ALLOWED_HOSTS"] == ["archiv.example.org"]
    assert values["DATABASE"]["ENGINE"] == "django.db.backends.sqlite3"
    assert values["DATABASE"]["NAME"] == str(settings.BASE_DIR / "var" / "db.sqlite3")
    # Without Redis, a cache every process on the machine shares.
    assert values["CACHE"] == [
        "django.core.cache.backends.filebased.FileBasedCache",
        str(settings.BASE_DIR / "var" / "cache"),
    ]
    assert values["ADMIN_URL"] == "/admin/"
    assert values["SECURE_SSL_REDIRECT"] is True
    assert values["SESSION_COOKIE_SECURE"] is True
    assert values["CSRF_COOKIE_SECURE"] is True
    assert values["SECURE_HSTS_SECONDS"] == 31536000
    assert values["SECURE_HSTS_INCLUDE_SUBDOMAINS"] is True
    assert values["SECURE_PROXY_SSL_HEADER"] is None


def test_settings_sqlite_tuned_for_concurrency():
    values = settings_from(**PRODUCTION)

    options = values["SQLITE_OPTIONS"]
    assert options["transaction_mode"] == "IMMEDIATE"
    assert "PRAGMA journal_mode=WAL;" in options["init_command"]
    assert "PRAGMA busy_timeout=20000;" in options["init_command"]


def test_settings_database_url_selects_postgres():
    values = settings_from(DATABASE_URL="postgres://postgres@127.0.0.1:5432/ergebnisarchiv", **PRODUCTION)

    assert values["DATABASE"] == {
        "ENGINE": "django.db.backends.postgresql",
        "NAME": "ergebnisarchiv",
        "HOST": "127.0.0.1",
        "PORT": 5432,
        "USER": "postgres",
    }
    assert values["CONN_HEALTH_CHECKS"] is True
    assert values["SQLITE_OPTIONS"] == {}


def test_settings_redis_url_selects_shared_cache():
    values = settings_from(REDIS_URL="redis://127.0.0.1:6379/0", **PRODUCTION)

    assert values["CACHE"] == ["django.core.cache.backends.redis.RedisCache", "redis://127.0.0.1:6379/0"]


def test_settings_admin_path_from_environment():
    values = settings_from(DJANGO_ADMIN_PATH="/verwaltung-7f3a/", **PRODUCTION)

    assert values["ADMIN_URL"] == "/verwaltung-7f3a/"


def test_settings_plain_http_switches_https_behaviour_off():
    values = settings_from(DJANGO_HTTPS="0", **PRODUCTION)

    assert values["SECURE_SSL_REDIRECT"] is False
    assert values["SESSION_COOKIE_SECURE"] is False
    assert values["CSRF_COOKIE_SECURE"] is False
    assert values["SECURE_HSTS_SECONDS"] == 0


def test_settings_debug_only_when_set():
    values = settings_from(DJANGO_DEBUG="1")

    assert values["DEBUG"] is True
    assert values["ALLOWED_HOSTS"] == ["localhost", "127.0.0.1"]
    assert settings_from(DJANGO_DEBUG="0", **PRODUCTION)["DEBUG"] is False


def test_settings_behind_proxy_leave_forwarded_proto_to_gunicorn():
    # gunicorn trusts X-Forwarded-Proto from the proxy's addresses only (tests/test_security_processes.py).
    values = settings_from(DJANGO_BEHIND_PROXY="1", **PRODUCTION)

    assert values["SECURE_PROXY_SSL_HEADER"] is None
