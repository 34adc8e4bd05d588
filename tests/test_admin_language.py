"""The admin speaks one language: every page of the project's models, walked in German and in English.

A UI string of the other language is found by the catalogues themselves: on a German page, no text may be one of
the English source strings of Django, its admin and the libraries the admin shows (unless its German translation is
the same word); on an English page, no text may be one of the project's German source strings whose English
translation differs. Content (card texts, titles) is German in both and is not a catalogue string.
"""

import re
from html.parser import HTMLParser
from pathlib import Path

import django
import django_filters
import polib
import pytest
import simple_history
from django.conf import settings
from django.contrib import admin
from django.urls import reverse

from results.models import Card, Report

PACKAGE_CATALOGUES = [
    Path(django.__file__).parent / "conf",
    Path(django.__file__).parent / "contrib" / "admin",
    Path(django.__file__).parent / "contrib" / "auth",
    Path(django.__file__).parent / "contrib" / "contenttypes",
    Path(simple_history.__file__).parent,
    Path(django_filters.__file__).parent,
]
PROJECT_CATALOGUES = settings.BASE_DIR / "locale"


def pattern(msgid):
    """A whole-text regex for a catalogue string, its placeholders matching anything."""
    parts = re.split(r"%\(\w+\)[sd]|%[sd]|\{\w*\}", msgid)
    return "".join(re.escape(part) for part in parts) if len(parts) == 1 else ".+".join(map(re.escape, parts))


def catalogue(path):
    return polib.pofile(str(path)) if path.exists() else []


def english_strings_untranslated_in_german():
    """Django's (and the admin libraries') English strings whose German text would differ from them."""
    german = {}
    for folder in [*PACKAGE_CATALOGUES, PROJECT_CATALOGUES]:
        locale = folder if folder == PROJECT_CATALOGUES else folder / "locale"
        for entry in catalogue(locale / "de" / "LC_MESSAGES" / "django.po"):
            if entry.msgstr or entry.msgstr_plural:
                german[entry.msgid] = entry.msgstr or entry.msgstr_plural.get(0, "")
    strings = set()
    for folder in PACKAGE_CATALOGUES:
        for entry in catalogue(folder / "locale" / "en" / "LC_MESSAGES" / "django.po"):
            for msgid in filter(None, [entry.msgid, entry.msgid_plural]):
                if german.get(msgid, msgid) != msgid or msgid not in german:
                    strings.add(msgid)
    return strings


# German source strings that are English words too ("Start" is "Home" in the catalogue, and Django's label of the
# programme's `start` column).
SAME_IN_BOTH = {"Start"}


def german_strings_translated_in_english():
    strings = set()
    for entry in catalogue(PROJECT_CATALOGUES / "en" / "LC_MESSAGES" / "django.po"):
        if entry.msgstr and entry.msgstr != entry.msgid:
            strings.add(entry.msgid)
    for entry in catalogue(PROJECT_CATALOGUES / "de" / "LC_MESSAGES" / "django.po"):
        if entry.msgstr and entry.msgstr != entry.msgid:
            strings.add(entry.msgstr)
    return strings - SAME_IN_BOTH


def matcher(strings):
    # Single words shorter than four letters ("No", "Ja", "OK") are too ambiguous to judge alone.
    usable = sorted(s for s in strings if len(s) >= 4 and re.search(r"[A-Za-zÄÖÜäöüß]{2}", s))
    return re.compile("|".join(f"(?:{pattern(s)})" for s in usable))


class Texts(HTMLParser):
    """The texts a person reads or hears: text nodes and the labelling attributes, outside other-language parts."""

    LABELS = {"placeholder", "title", "aria-label", "alt"}
    VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}

    def __init__(self, language):
        super().__init__()
        self.language = language
        self.stack = []  # (tag, is another language or not read)
        self.texts = []

    def foreign(self):
        return any(flag for _tag, flag in self.stack)

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        other = bool(attrs.get("lang")) and not attrs["lang"].startswith(self.language)
        if not self.foreign() and not other:
            self.texts += [attrs[name].strip() for name in self.LABELS if attrs.get(name)]
            if tag == "input" and attrs.get("type") in {"submit", "button"} and attrs.get("value"):
                self.texts.append(attrs["value"].strip())
        if tag not in self.VOID:
            self.stack.append((tag, other or tag in {"script", "style", "textarea"}))

    def handle_endtag(self, tag):
        while self.stack:
            if self.stack.pop()[0] == tag:
                break

    def handle_data(self, data):
        if not self.foreign() and data.strip():
            self.texts.append(" ".join(data.split()))


def foreign_texts(html, language, expression):
    parser = Texts(language)
    parser.feed(html)
    return sorted({text for text in parser.texts if expression.fullmatch(text)})


def admin_urls():
    """Every page of the project's admin: index, app index, and per model list, add, change, history, delete."""
    urls = [
        reverse("admin:index"),
        reverse("admin:app_list", args=["results"]),
        reverse("admin:results_card_deleted"),
        reverse("admin:results_card_import"),
    ]
    for model in admin.site._registry:
        if model._meta.app_label != "results":
            continue
        info = model._meta.app_label, model._meta.model_name
        urls.append(reverse("admin:{}_{}_changelist".format(*info)))
        urls.append(reverse("admin:{}_{}_changelist".format(*info)) + "?q=Integration")
        if model is not Report:  # readers' reports come only from the public form
            urls.append(reverse("admin:{}_{}_add".format(*info)))
        instance = model._default_manager.first()
        if instance is not None:
            for view in ["change", "history", "delete"]:
                urls.append(reverse(f"admin:{info[0]}_{info[1]}_{view}", args=[instance.pk]))
    return urls


@pytest.fixture
def walked(admin_client):
    Report.objects.create(card=Card.objects.first(), message="Tippfehler im Text", name="Leserin")
    Card.objects.filter(pk=Card.objects.order_by("pk").last().pk).delete()  # the deleted-cards page lists one

    def walk(language):
        admin_client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
        pages = {}
        for url in admin_urls():
            response = admin_client.get(url)
            assert response.status_code == 200, url
            pages[url] = response.content.decode()
        return pages

    return walk


@pytest.mark.django_db
def test_the_admin_is_german_by_default_whatever_the_browser_asks(admin_client):
    response = admin_client.get(reverse("admin:index"), headers={"accept-language": "en"})

    assert response.headers["Content-Language"] == "de"
    assert "Website-Verwaltung" in response.content.decode() or "Verwaltung" in response.content.decode()


@pytest.mark.django_db
def test_the_language_switch_in_the_admin_is_remembered(admin_client):
    page = admin_client.get(reverse("admin:results_card_changelist")).content.decode()
    assert 'name="language" value="en"' in page

    admin_client.post(reverse("set_language"), {"language": "en", "next": reverse("admin:index")})
    response = admin_client.get(reverse("admin:results_card_changelist"))

    assert response.headers["Content-Language"] == "en"
    assert "Search" in response.content.decode()
    assert 'name="language" value="de"' in response.content.decode()


@pytest.mark.django_db
def test_every_admin_page_is_german_in_german(walked):
    expression = matcher(english_strings_untranslated_in_german())

    found = {url: texts for url, html in walked("de").items() if (texts := foreign_texts(html, "de", expression))}

    assert found == {}


@pytest.mark.django_db
def test_every_admin_page_is_english_in_english(walked):
    expression = matcher(german_strings_translated_in_english())

    found = {url: texts for url, html in walked("en").items() if (texts := foreign_texts(html, "en", expression))}

    assert found == {}


def test_the_walk_would_find_a_foreign_string():
    # The detectors themselves: Django's untranslated "Run" on a German page, a German label on an English one.
    assert foreign_texts('<button type="submit">Run</button>', "de", re.compile("Run"))
    assert foreign_texts("<p>Karten zurückziehen</p>", "en", matcher(german_strings_translated_in_english()))
    assert not foreign_texts(
        '<p lang="de">Karten zurückziehen</p>', "en", matcher(german_strings_translated_in_english())
    )
