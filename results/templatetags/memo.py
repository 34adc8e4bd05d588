"""{% memo key… %}…{% endmemo %}: a fragment rendered once per data version, language and key."""

from django import template
from django.utils.safestring import mark_safe
from django.utils.translation import get_language

from results.caching import memo as version_memo

register = template.Library()


class MemoNode(template.Node):
    def __init__(self, nodelist, keys):
        self.nodelist = nodelist
        self.keys = keys

    def render(self, context):
        # The tag's place in its template tells fragments with the same key values apart.
        key = (
            "fragment",
            self.origin.name,
            self.token.position,
            get_language(),
            *(value.resolve(context) for value in self.keys),
        )
        return version_memo(key, lambda: mark_safe(self.nodelist.render(context)))


@register.tag
def memo(parser, token):
    """
    {% memo card.pk %}…{% endmemo %}: the body rendered once per data version (results.caching.memo)
    for each language and value of the keys, then reused. The keys must name everything the body
    shows that is not the same for the whole data version: a card's id stands for its text, as
    every change of a card changes the data version; the request, the user or the time may not
    appear in the body at all.
    """
    keys = [parser.compile_filter(bit) for bit in token.split_contents()[1:]]
    if not keys:
        raise template.TemplateSyntaxError("{% memo %} needs at least one key")
    nodelist = parser.parse(("endmemo",))
    parser.delete_first_token()
    return MemoNode(nodelist, keys)
