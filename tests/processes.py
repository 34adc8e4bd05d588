"""Helpers for tests that run the archive in separate processes, as production does."""

import os
import socket
import subprocess
import sys

from django.conf import settings


def redis_is_up():
    try:
        socket.create_connection(("127.0.0.1", 6379), timeout=0.5).close()
    except OSError:
        return False
    return True


def production_site(database, allowed_hosts, cards=60):
    """
    The environment of a production-settings site on its own database (an SQLite file's path,
    or a URL), set up as `make serve` does (migrated, collected static files) with
    one small demo conference.
    """
    database_url = database if isinstance(database, str) else f"sqlite:///{database}"
    env = {
        "PATH": os.environ["PATH"],
        "DJANGO_SETTINGS_MODULE": "winnenden.settings",
        "DJANGO_SECRET_KEY": "process-tests-" + "p" * 40,
        "DJANGO_ALLOWED_HOSTS": allowed_hosts,
        "DJANGO_HTTPS": "0",
        "DATABASE_URL": database_url,
    }
    commands = (
        ["migrate", "--noinput"],
        ["collectstatic", "--noinput", "--verbosity", "0"],
        ["generate_demo", "--cards", str(cards)],
    )
    for command in commands:
        subprocess.run(
            [sys.executable, "manage.py", *command], cwd=settings.BASE_DIR, env=env, check=True, capture_output=True
        )
    return env
