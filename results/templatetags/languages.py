from typing import NamedTuple

from django import template
from django.conf import settings
from django.urls import reverse, translate_url
from django.utils.html import conditional_escape, format_html
from django.utils.translation import get_language, get_language_info, override

register = template.Library()

# The archive's content (titles, questions, cards, the source) is German in every UI language.
CONTENT_LANGUAGE = "de"


def ui_speaks_content_language():
    return (get_language() or settings.LANGUAGE_CODE).split("-")[0] == CONTENT_LANGUAGE


@register.filter(needs_autoescape=True)
def lang_de(value, autoescape=True):
    """
    German content, wrapped in <span lang="de"> when the UI speaks another
    language, so that screen readers switch voice; unchanged in the German UI.
    """
    text = conditional_escape(value) if autoescape else value
    if ui_speaks_content_language():
        return text
    return format_html('<span lang="{}">{}</span>', CONTENT_LANGUAGE, text)


@register.simple_tag
def content_lang():
    """` lang="de"` for an element holding German content when the UI speaks another language, else nothing."""
    if ui_speaks_content_language():
        return ""
    return format_html(' lang="{}"', CONTENT_LANGUAGE)


class LanguageLink(NamedTuple):
    code: str
    name: str
    url: str


@register.simple_tag(takes_context=True)
def language_links(context):
    """
    The current page in every other UI language: plain links, so that switching
    needs no POST, no session and no cookie (public pages stay cacheable).
    """
    request = context.get("request")
    # The path within the site: translate_url() resolves it and adds the script prefix (SCRIPT_NAME).
    path = request.get_full_path_info() if request is not None else "/"
    links = []
    for code, _name in settings.LANGUAGES:
        if code == get_language():
            continue
        url = translate_url(path, code)
        if url == path:
            # No route matched (a 404 page): offer that language's home page.
            with override(code):
                url = reverse("results:home")
        links.append(LanguageLink(code, get_language_info(code)["name_local"], url))
    return links
