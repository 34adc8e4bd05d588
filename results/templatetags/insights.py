from django import template

from results.insights import recurring_topics
from results.models import Card

register = template.Library()


@register.simple_tag
def top_topics(conference, limit=8):
    """
    The topics that come up at most tables of a conference, for its overview: counted from
    all its cards (one query).
    """
    cards = Card.objects.public().filter(table__conference=conference).only("pk", "text", "table", "kind")
    return recurring_topics(cards)[:limit]
