"""{% abbr text %}: a card's text as HTML with its abbreviations marked up as <abbr title="…">."""

from django import template

from results.glossary import current_glossary
from results.insights import Glossary

register = template.Library()


def page_glossary(context):
    """The glossary for the page's conference: the view's, or read once per rendering."""
    glossary = context.get("glossary")
    if isinstance(glossary, Glossary):
        return glossary
    if "glossary" not in context.render_context:
        context.render_context["glossary"] = current_glossary(context.get("conference"))
    return context.render_context["glossary"]


@register.simple_tag(takes_context=True)
def abbr(context, text):
    """The text escaped (or as the safe HTML it is), each abbreviation of the glossary in an <abbr>."""
    return page_glossary(context).mark(text)
