"""The glossary as the pages and the search use it."""

from results.insights import Glossary
from results.models import GlossaryEntry


def current_glossary(conference=None):
    """The Glossary for conference (None: the entries for every conference)."""
    return Glossary(GlossaryEntry.objects.for_conference(conference))
