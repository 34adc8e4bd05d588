"""{% abbr text query %}: a card's text as HTML, abbreviations in <abbr title="…">, search matches in <mark>.

The first time a page shows an abbreviation, it links to the abbreviation's glossary entry and carries its meaning
as text for screen readers: a title alone is out of reach for keyboards, touch screens and most screen readers."""

import itertools

from django import template
from django.urls import reverse
from django.utils.html import escape
from django.utils.safestring import mark_safe

from results.glossary import current_glossary
from results.insights import Glossary
from results.search_index import TEXT_WORD

register = template.Library()


def _spans(text, glossary, query, explained=None, glossary_url=None):
    """(start, end, opening tag, closing tag) of every <mark> and <abbr> in text, nested, outermost first."""
    abbreviations = []
    if glossary is not None and glossary.pattern is not None:
        for match in glossary.pattern.finditer(text):
            abbreviation = glossary.entry_for(match[0]).abbreviation
            title = escape(glossary.title(abbreviation))
            opening, closing = f'<abbr title="{title}">', "</abbr>"
            if explained is not None and abbreviation not in explained:
                explained.add(abbreviation)
                meaning = f'<span class="visually-hidden"> ({title})</span>'
                if glossary_url:
                    url = escape(f"{glossary_url}#{glossary.anchor(abbreviation)}")
                    opening, closing = f'<a class="abbr" href="{url}">{opening}', f"{closing}{meaning}</a>"
                else:
                    closing += meaning
            abbreviations.append((match.start(), match.end(), opening, closing))
    marks = []
    if query:
        for match in TEXT_WORD.finditer(text):
            if query.matches_word(match[0]):
                # Cut a mark where an abbreviation crosses its edge, so the tags nest.
                cuts = {
                    point
                    for start, end, *_tags in abbreviations
                    if not (match.start() <= start and end <= match.end())
                    for point in (start, end)
                    if match.start() < point < match.end()
                }
                edges = [match.start(), *sorted(cuts), match.end()]
                marks += [(start, end, "<mark>", "</mark>") for start, end in itertools.pairwise(edges)]
    # Outermost first: earlier start, then longer, then a mark around an abbreviation of the same extent.
    return sorted(marks + abbreviations, key=lambda span: (span[0], -span[1], span[2] != "<mark>"))


def _nest(text, start, end, spans):
    parts = []
    position = start
    index = 0
    while index < len(spans):
        span_start, span_end, opening, closing = spans[index]
        inner = []
        index += 1
        while index < len(spans) and spans[index][0] < span_end:
            inner.append(spans[index])
            index += 1
        parts += [escape(text[position:span_start]), opening, _nest(text, span_start, span_end, inner), closing]
        position = span_end
    parts.append(escape(text[position:end]))
    return "".join(parts)


def card_html(text, glossary=None, query=None, explained=None, glossary_url=None):
    """
    A card's text as HTML, the one way every page shows it: escaped, the glossary's
    abbreviations (found in the raw text, so "quot" or "F&E" match as written, never
    inside an entity) in <abbr title="…">, and the words query matches in <mark>.
    An abbreviation not yet in `explained` (a set, per page) is explained: linked to
    glossary_url's entry when given, its meaning spelt out for screen readers.
    """
    if text is None:
        return ""
    text = str(text)
    spans = _spans(text, glossary, query, explained, glossary_url)
    return mark_safe(_nest(text, 0, len(text), spans))  # every text part escaped


def page_glossary(context):
    """The glossary for the page's conference: the view's, or read once per rendering."""
    glossary = context.get("glossary")
    if isinstance(glossary, Glossary):
        return glossary
    if "glossary" not in context.render_context:
        context.render_context["glossary"] = current_glossary(context.get("conference"))
    return context.render_context["glossary"]


@register.simple_tag(takes_context=True)
def abbr(context, text, query=None, link=True):
    """
    The text escaped, each abbreviation of the glossary in an <abbr>, each word query matches in <mark>.
    link=False where the text is itself inside a link (the first explanation is then the spelt-out meaning alone).
    """
    request, conference = context.get("request"), context.get("conference")
    # One set per request: a page explains each abbreviation once, whichever template shows it first.
    explained = None
    if request is not None:
        explained = request.__dict__.setdefault("abbreviations_explained", set())
    glossary_url = None
    if conference and link:
        # Once per rendering, not for each of a page's hundreds of cards.
        key = ("glossary_url", conference.slug)
        if key not in context.render_context:
            context.render_context[key] = reverse("results:glossary", kwargs={"conf": conference.slug})
        glossary_url = context.render_context[key]
    return card_html(text, page_glossary(context), query, explained, glossary_url)
