"""
{% memo key… %}…{% endmemo %}: a fragment rendered once per data version, language and key.
{% once key… %}…{% endonce %}: a fragment showing nothing but its keys, rendered once per process, language and key.
"""

import itertools

from django import template
from django.conf import settings
from django.template.loader_tags import BlockNode
from django.urls import get_script_prefix
from django.utils.safestring import mark_safe
from django.utils.translation import get_language

from results.caching import memo as version_memo

register = template.Library()

# Bounds each {% once %}: its keys may come from a URL (a conference's slug).
ONCE_MAX_ENTRIES = 1000
# Tells the {% memo %} tags of a process apart: a token's place in its template is
# only recorded when templates are debugged, and from_string() templates share a name.
_memo_tags = itertools.count()


def parse_keys(parser, token):
    keys = [parser.compile_filter(bit) for bit in token.split_contents()[1:]]
    if not keys:
        raise template.TemplateSyntaxError(f"{{% {token.split_contents()[0]} %}} needs at least one key")
    return keys


class MemoNode(template.Node):
    def __init__(self, nodelist, keys):
        self.nodelist = nodelist
        self.keys = keys
        self.tag = next(_memo_tags)

    def render(self, context):
        key = ("fragment", self.tag, get_language(), *(value.resolve(context) for value in self.keys))
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
    keys = parse_keys(parser, token)
    nodelist = parser.parse(("endmemo",))
    parser.delete_first_token()
    return MemoNode(nodelist, keys)


class OnceNode(template.Node):
    # Its body is not searched for {% block %} (which it may not hold): base.html's
    # nodes are searched on every request that extends it.
    child_nodelists = ()

    def __init__(self, nodelist, keys):
        self.nodelist = nodelist
        self.keys = keys
        # Kept on the node, so that a template loaded anew (after an edit, under
        # runserver) starts afresh; reading no data, it needs no data version
        # and no database (a 404 page renders it too).
        self.fragments = {}

    def render(self, context):
        # No view sets request.urlconf, so ROOT_URLCONF is every request's URLconf
        # (get_urlconf() would cost as much as the rest of the key).
        key = (
            get_language(),
            settings.ROOT_URLCONF,
            get_script_prefix(),
            *(value.resolve(context) for value in self.keys),
        )
        try:
            return self.fragments[key]
        except KeyError:
            pass
        fragment = mark_safe(self.nodelist.render(context))
        if len(self.fragments) >= ONCE_MAX_ENTRIES:
            self.fragments.clear()
        self.fragments[key] = fragment
        return fragment


@register.tag
def once(parser, token):
    """
    {% once conference.slug %}…{% endonce %}: the body rendered once per process for each
    language, URLconf, script prefix and value of the keys, then reused: for the site's chrome
    (links, labels) and for labels and links made from a few values. The keys must name every
    variable the body shows, so that no fragment can go stale: a value from the data is a key
    itself, or the fragment belongs in {% memo %}, whose fragments go with the data version.
    """
    keys = parse_keys(parser, token)
    nodelist = parser.parse(("endonce",))
    parser.delete_first_token()
    if nodelist.get_nodes_by_type(BlockNode):
        # A block's content comes from the page extending the template: it cannot be kept.
        raise template.TemplateSyntaxError("{% once %} cannot hold a {% block %}")
    return OnceNode(nodelist, keys)
