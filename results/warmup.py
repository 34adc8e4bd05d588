"""
Work a new server process does before its first visitor, not during that visitor's request.

gunicorn (gunicorn.conf.py) calls before_fork() once in its master process, after it
has loaded Django, and after_fork() in every worker it starts, also when it replaces
one after max_requests. Measured on the bench data, a worker's first table page took
about 170 ms (importing the URLconf and its views, openpyxl among them, took most of
it) and its first search another 100 ms, against 1 ms and 6 ms later on.
"""

import logging
import time
from pathlib import Path

from django.conf import settings
from django.db import connections
from django.template.loader import get_template
from django.urls import reverse
from django.utils.translation import override

logger = logging.getLogger(__name__)


def page_templates():
    """The names of the public pages' templates, as get_template() takes them."""
    root = Path(settings.BASE_DIR) / "templates"
    return ["base.html", *sorted(f"results/{path.name}" for path in (root / "results").glob("*.html"))]


def before_fork():
    """
    What every worker needs and no database gives: the URLconf and the views it imports,
    each language's translations and URL patterns, the page templates compiled. Done in
    the master, it lies in memory that the forked workers share.
    """
    started = time.perf_counter()
    for code, _name in settings.LANGUAGES:
        # Activating a language loads its translations; reversing a URL imports the
        # URLconf and its views and resolves the language's patterns.
        with override(code):
            reverse("results:home")
    for name in page_templates():
        get_template(name)
    # Nothing above should have opened one; a connection must never be shared with a forked worker.
    connections.close_all()
    logger.info("Prepared the URLconf, translations and templates in %.0f ms", (time.perf_counter() - started) * 1000)


def after_fork():
    """Nothing to read per worker any more: the search asks the database's full-text index."""
    return True
