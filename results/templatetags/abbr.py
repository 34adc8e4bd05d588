"""{% abbr text %}: a card's text as HTML with its abbreviations marked up as <abbr title="…">."""

from django import template

from results.insights import Glossary
from results.models import GlossaryEntry

register = template.Library()

_CACHE_KEY = "results.abbr.glossary"


def page_glossary(context):
    """The glossary for the page's conference: the view's, or read once per rendered page."""
    glossary = context.get("glossary")
    if isinstance(glossary, Glossary):
        return glossary
    # The render context's first layer lives as long as the whole page's rendering,
    # partials and includes included.
    shared = context.render_context.dicts[0]
    if _CACHE_KEY not in shared:
        shared[_CACHE_KEY] = Glossary(GlossaryEntry.objects.for_conference(context.get("conference")))
    return shared[_CACHE_KEY]


@register.simple_tag(takes_context=True)
def abbr(context, text):
    """The text escaped (or as the safe HTML it is), each abbreviation of the glossary in an <abbr>."""
    return page_glossary(context).mark(text)
