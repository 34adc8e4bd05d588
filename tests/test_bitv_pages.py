"""The accessibility statement, the Leichte Sprache page and the imprint, with details from settings."""

import re

import pytest
from django.utils.html import strip_tags

from results.models import TableStation
from tests.factories import make_conference


def text(html):
    return " ".join(strip_tags(html).split())


def main(html):
    return re.search(r"<main.*?</main>", html, re.S).group(0)


OPERATOR = {
    "SITE_OPERATOR": "Landratsamt Musterkreis",
    "SITE_ADDRESS": "Amt für Integration\nHauptstraße 1\n70000 Musterstadt",
    "SITE_CONTACT_EMAIL": "integration@musterkreis.example",
    "SITE_CONTACT_PHONE": "0711 123 456",
    "SITE_RESPONSIBLE": "Erika Mustermann, Amt für Integration",
}
NO_OPERATOR = dict.fromkeys(OPERATOR, "")


@pytest.fixture
def configured(settings):
    for name, value in OPERATOR.items():
        setattr(settings, name, value)


@pytest.fixture
def unconfigured(settings):
    for name, value in NO_OPERATOR.items():
        setattr(settings, name, value)


@pytest.mark.django_db
def test_accessibility_statement_states_compliance_gaps_and_how_it_was_made(client, unconfigured):
    html = main(client.get("/barrierefreiheit/").content.decode())

    headings = re.findall(r"<h[12][^>]*>(.*?)</h[12]>", html)
    assert headings == [
        "Erklärung zur Barrierefreiheit",
        "Stand der Vereinbarkeit mit den Anforderungen",
        "Nicht barrierefreie Inhalte",
        "Erstellung dieser Erklärung",
        "Barrieren melden: Kontakt",
        "Durchsetzungsverfahren und Schlichtung",
    ]
    assert "Diese Website ist teilweise mit der BITV 2.0 vereinbar" in text(html)
    assert "Keine Informationen in Deutscher Gebärdensprache." in text(html)
    # The real document has three table stations that are only photos (tables 1 and 4).
    assert "das betrifft zurzeit 3 Stationen von Thementischen" in text(html)
    assert "Diese Erklärung wurde am 26. November 2026 erstellt." in text(html)
    assert "Der Betreiber dieses Ergebnisarchivs ist bemüht" in text(html)


@pytest.mark.django_db
def test_accessibility_statement_counts_photo_stations_until_transcribed(client):
    photo = TableStation.objects.filter(status=TableStation.Status.PHOTO).first()
    photo.status = TableStation.Status.TRANSCRIBED
    photo.save()

    html = client.get("/barrierefreiheit/").content.decode()

    assert "das betrifft zurzeit 2 Stationen von Thementischen" in text(html)


@pytest.mark.django_db
def test_accessibility_statement_links_feedback_form_and_conciliation_bodies(client, unconfigured):
    html = main(client.get("/barrierefreiheit/").content.decode())

    assert '<a href="/melden/">Rückmeldeformular (ohne Anmeldung)</a>' in html
    assert '<a href="https://www.schlichtungsstelle-bgg.de" hreflang="de">www.schlichtungsstelle-bgg.de</a>' in html
    assert "(Landes-Behindertenbeauftragte Baden-Württemberg)" in text(html)
    assert "mailto:" not in html


@pytest.mark.django_db
def test_accessibility_statement_names_the_configured_operator_and_contacts(client, configured):
    html = main(client.get("/barrierefreiheit/").content.decode())

    assert "Landratsamt Musterkreis ist bemüht, dieses Ergebnisarchiv barrierefrei zugänglich zu machen." in text(html)
    assert '<a href="mailto:integration@musterkreis.example">integration@musterkreis.example</a>' in html
    assert '<a href="tel:0711123456">0711 123 456</a>' in html


@pytest.mark.django_db
def test_imprint_shows_the_configured_details(client, configured):
    html = main(client.get("/impressum/").content.decode())

    assert (
        "<address>Landratsamt Musterkreis<br>Amt für Integration<br>Hauptstraße 1<br>70000 Musterstadt</address>"
        in html
    )
    assert '<a href="mailto:integration@musterkreis.example">integration@musterkreis.example</a>' in html
    assert "<p>Erika Mustermann, Amt für Integration</p>" in html
    assert '<a href="/melden/">Rückmeldeformular (ohne Anmeldung)</a>' in html


@pytest.mark.django_db
def test_imprint_without_settings_says_no_details_are_given(client, unconfigured):
    html = main(client.get("/impressum/").content.decode())

    assert "Für diese Installation des Ergebnisarchivs sind noch keine Angaben zum Betreiber hinterlegt." in text(html)
    assert "Für diese Installation ist noch keine verantwortliche Person hinterlegt." in text(html)
    assert "<address>" not in html


def test_settings_name_no_operator_by_default():
    from winnenden import settings as project_settings

    assert [getattr(project_settings, name) for name in OPERATOR] == ["", "", "", "", ""]


@pytest.mark.django_db
def test_easy_language_page_explains_the_site_in_short_sentences(client):
    html = main(client.get("/leichte-sprache/").content.decode())

    sentences = re.split(r"(?<=[.?!:])\s+", text(html))
    assert re.findall(r"<h1>(.*?)</h1>", html) == ["Informationen in Leichter Sprache"]
    assert "Das ist das Ergebnis·archiv." in sentences
    assert "Es gibt noch kein Video in Gebärden·sprache." in sentences
    assert '<a href="/winnenden-2019/">Regionalkonferenz' in html
    # Leichte Sprache: short sentences, at most 15 words each.
    assert [sentence for sentence in sentences if len(sentence.split()) > 15] == []


@pytest.mark.django_db
@pytest.mark.parametrize("conferences", [1, 3])
def test_easy_language_page_query_count_is_constant(client, django_assert_num_queries, conferences):
    for _ in range(conferences - 1):  # the real conference is the first
        make_conference()

    with django_assert_num_queries(1):
        response = client.get("/leichte-sprache/")

    listed = re.search(r'<ul class="conference-links">(.*?)</ul>', response.content.decode(), re.S).group(1)
    assert listed.count("<li>") == conferences


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("path", "heading"),
    [
        ("/en/barrierefreiheit/", "Accessibility statement"),
        ("/en/leichte-sprache/", "Information in easy language"),
        ("/en/impressum/", "Imprint"),
    ],
)
def test_bitv_pages_exist_in_english(client, path, heading):
    html = client.get(path).content.decode()

    assert re.findall(r"<h1>(.*?)</h1>", html) == [heading]
    assert '<html lang="en">' in html


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("path", "links"),
    [
        ("/", ["/barrierefreiheit/", "/leichte-sprache/", "/impressum/"]),
        ("/winnenden-2019/tische/3/", []),
        (
            "/winnenden-2019/tische/verstetigung-intman-nachhaltigkeit/",
            ["/barrierefreiheit/", "/leichte-sprache/", "/impressum/"],
        ),
        ("/en/winnenden-2019/karten/", ["/en/barrierefreiheit/", "/en/leichte-sprache/", "/en/impressum/"]),
    ],
)
def test_every_page_links_the_bitv_pages_in_its_footer(client, path, links):
    response = client.get(path)

    footer = re.search(r"<footer.*?</footer>", response.content.decode(), re.S)
    assert (re.findall(r'href="([^"]+)"', footer.group(0)) if footer else []) == links


@pytest.mark.django_db
def test_home_page_leads_to_leichte_sprache(client):
    html = main(client.get("/").content.decode())

    assert '<a href="/leichte-sprache/">Informationen in Leichter Sprache</a>' in html
