"""{% abbr text query %}: a card's text as HTML, abbreviations in <abbr title="…">, search matches in <mark>."""

from django import template

from results.glossary import current_glossary
from results.insights import Glossary
from results.search import card_html

register = template.Library()


def page_glossary(context):
    """The glossary for the page's conference: the view's, or read once per request."""
    glossary = context.get("glossary")
    if isinstance(glossary, Glossary):
        return glossary
    return current_glossary(context.get("conference"))


@register.simple_tag(takes_context=True)
def abbr(context, text, query=None):
    """The text escaped, each abbreviation of the glossary in an <abbr>, each word query matches in <mark>."""
    return card_html(text, page_glossary(context), query)
