"""
The glossary as the pages and the search use it: read from the database at
most once per request and conference, however many cards, partials and
searches need it. Outside a request (commands, the shell) it is read anew
each time, so nothing stale outlives a change made elsewhere.
"""

import threading

from django.core.signals import request_finished, request_started
from django.db.models.signals import post_delete, post_save

from results.insights import Glossary
from results.models import GlossaryEntry

_local = threading.local()


def current_glossary(conference=None):
    """The Glossary for conference (None: the entries for every conference), read once per request."""
    memo = getattr(_local, "glossaries", None)
    if memo is None:
        return Glossary(GlossaryEntry.objects.for_conference(conference))
    key = conference.pk if conference is not None else None
    if key not in memo:
        memo[key] = Glossary(GlossaryEntry.objects.for_conference(conference))
    return memo[key]


def start(**kwargs):
    _local.glossaries = {}


def forget(**kwargs):
    _local.glossaries = None


request_started.connect(start, dispatch_uid="glossary-request-started")
request_finished.connect(forget, dispatch_uid="glossary-request-finished")


def changed(**kwargs):
    # An edit within the request is seen at once.
    if getattr(_local, "glossaries", None):
        _local.glossaries.clear()


post_save.connect(changed, sender=GlossaryEntry, dispatch_uid="glossary-saved")
post_delete.connect(changed, sender=GlossaryEntry, dispatch_uid="glossary-deleted")
