from django import template

from results import caching
from results.insights import recurring_topics
from results.models import Card

register = template.Library()


@register.simple_tag
def top_topics(conference, limit=8):
    """
    The topics that come up at most tables of a conference, for its overview: counted from
    all its cards (one query) once per data version, as they change only with the data.
    """

    def build():
        cards = Card.objects.public().filter(table__conference=conference).only("pk", "text", "table", "kind")
        return recurring_topics(cards)[:limit]

    return caching.memo(("top-topics", conference.pk, limit), build)
