"""German by default, English under /en/: the catalogue, the language links, German content marked as German."""

import os
import re
import shutil
import subprocess
import sys

import polib
import pytest
from django.conf import settings
from django.utils.html import strip_tags

CATALOGUE = settings.BASE_DIR / "locale" / "en" / "LC_MESSAGES"
TABLE = "/winnenden-2019/tische/verstetigung-intman-nachhaltigkeit/"


def text(html):
    return " ".join(strip_tags(html).split())


def entries(catalogue):
    return {(entry.msgid, entry.msgid_plural): (entry.msgstr, entry.msgstr_plural) for entry in catalogue}


def test_catalogue_translates_every_message():
    po = polib.pofile(CATALOGUE / "django.po")

    assert [entry.msgid for entry in po.untranslated_entries()] == []
    assert [entry.msgid for entry in po.fuzzy_entries()] == []
    assert [entry.msgid for entry in po.obsolete_entries()] == []
    assert len(po) > 400


def test_compiled_catalogue_is_the_po_file():
    # The .mo is committed so that installing needs no gettext tools; it must not lag behind.
    po = polib.pofile(CATALOGUE / "django.po")
    mo = polib.mofile(CATALOGUE / "django.mo")

    assert entries(mo) == entries(po)


def test_catalogue_has_every_message_of_the_code(tmp_path):
    if not shutil.which("xgettext"):
        message = "makemessages needs GNU gettext (apt-get install gettext)"
        if os.environ.get("REQUIRE_BROWSER") == "1":
            pytest.fail(message, pytrace=False)
        pytest.skip(message)
    for name in ["manage.py", "results", "templates", "winnenden"]:
        source = settings.BASE_DIR / name
        if source.is_dir():
            shutil.copytree(source, tmp_path / name, ignore=shutil.ignore_patterns("__pycache__"))
        else:
            shutil.copy(source, tmp_path / name)
    (tmp_path / "locale").mkdir()

    result = subprocess.run(
        [sys.executable, "manage.py", "makemessages", "--locale", "en", "--no-location", "--verbosity", "0"],
        cwd=tmp_path,
        env={
            "PATH": os.environ["PATH"],
            "DJANGO_SECRET_KEY": "makemessages",
            "DJANGO_SETTINGS_MODULE": "winnenden.settings",
        },
        capture_output=True,
        text=True,
        timeout=120,
    )

    assert result.returncode == 0, result.stderr
    extracted = {
        (entry.msgid, entry.msgid_plural) for entry in polib.pofile(tmp_path / "locale/en/LC_MESSAGES/django.po")
    }
    committed = {(entry.msgid, entry.msgid_plural) for entry in polib.pofile(CATALOGUE / "django.po")}
    assert sorted(extracted - committed) == []
    assert sorted(committed - extracted) == []


@pytest.mark.django_db
def test_german_is_the_default_without_prefix(client):
    response = client.get(TABLE, headers={"accept-language": "en"})

    html = response.content.decode()
    assert '<html lang="de">' in html
    assert '<h2 id="station-1">Station 1</h2>' in html
    assert "Was läuft gut?" in html
    # In the German UI German content needs no mark of its own; only the link to English is marked.
    assert re.findall(r' lang="(\w+)"', html) == ["de", "en"]


@pytest.mark.django_db
def test_english_table_page_translates_the_ui_and_marks_german_content(client):
    html = client.get("/en" + TABLE).content.decode()

    assert '<html lang="en">' in html
    assert '<h1><span lang="de">Verstetigung IntMan, Nachhaltigkeit</span></h1>' in html
    assert '<h3 class="kind kind-gut">What is going well?</h3>' in html
    assert '<p class="question"><span lang="de">Was läuft gut? Wo hakt es?</span></p>' in html
    assert re.search(r'<li id="karte-\d+"><span lang="de">Funktionierende Strukturen aufgebaut</span>', html)
    assert "July 2, 2019" in text(html)
    assert '<a href="/en/">Home</a>' in html
    assert "Skip to content" in html


@pytest.mark.django_db
def test_english_ui_marks_every_card_text_as_german(client):
    html = client.get("/en/winnenden-2019/karten/?tisch=3").content.decode()

    card_texts = re.findall(r'<p class="card-text">(.*?)</p>', html)
    assert len(card_texts) == 35
    assert [card for card in card_texts if not card.startswith('<span lang="de">')] == []


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("path", "other"),
    [
        ("/", '<a href="/en/" hreflang="en" lang="en">English</a>'),
        ("/en/", '<a href="/" hreflang="de" lang="de">Deutsch</a>'),
        (TABLE, f'<a href="/en{TABLE}" hreflang="en" lang="en">English</a>'),
        (
            "/winnenden-2019/karten/?tisch=3&q=Wohnraum",
            '<a href="/en/winnenden-2019/karten/?tisch=3&amp;q=Wohnraum" hreflang="en" lang="en">English</a>',
        ),
        (
            "/en/winnenden-2019/karten/?tisch=3&q=Wohnraum",
            '<a href="/winnenden-2019/karten/?tisch=3&amp;q=Wohnraum" hreflang="de" lang="de">Deutsch</a>',
        ),
        ("/impressum/", '<a href="/en/impressum/" hreflang="en" lang="en">English</a>'),
        # A page that does not exist: the other language's home page.
        ("/gibt-es-nicht/x/", '<a href="/en/" hreflang="en" lang="en">English</a>'),
        ("/en/gibt-es-nicht/x/", '<a href="/" hreflang="de" lang="de">Deutsch</a>'),
    ],
)
def test_language_switch_links_the_same_page_in_the_other_language(client, path, other):
    html = client.get(path).content.decode()

    switch = re.search(r'<nav class="language-switch" aria-label="[^"]+">(.*?)</nav>', html, re.S).group(1)
    assert re.findall(r"<a [^>]*>.*?</a>", switch) == [other]


@pytest.mark.django_db
def test_language_switch_on_the_sign(client):
    html = client.get(TABLE + "aushang/").content.decode()

    assert f'<a href="/en{TABLE}aushang/" hreflang="en" lang="en">English</a>' in html


@pytest.mark.django_db
@pytest.mark.parametrize("path", ["/", TABLE, "/winnenden-2019/karten/?station=1", "/barrierefreiheit/"])
@pytest.mark.parametrize("prefix", ["", "/en"])
def test_switching_language_sets_no_cookie(client, path, prefix):
    # Plain links instead of set_language's POST: no session, no CSRF cookie, pages stay cacheable.
    response = client.get(prefix + path)

    assert response.status_code == 200
    assert response.cookies == {}
    assert response.headers.get("Content-Language") == (prefix.strip("/") or "de")


@pytest.mark.django_db
def test_english_errors_and_counts_are_translated(client):
    invalid = client.get("/en/winnenden-2019/karten/?station=9").content.decode()
    found = client.get("/en/suche/?q=Dolmetscher").content.decode()

    assert "This selection is invalid. Please change the filter:" in text(invalid)
    assert re.search(r"<h1>\d+ results? for “Dolmetscher”</h1>", found)
    assert re.search(r"<title>\d+ results? for “Dolmetscher” – Search – Ergebnisarchiv</title>", found)
