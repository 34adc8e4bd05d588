import re
from pathlib import Path

import pytest
from django.conf import settings
from django.utils.html import strip_tags
from pytest_django.asserts import assertRedirects

from results.models import Card, TableStation, ThemeTable
from tests.factories import make_card, make_conference, make_station, make_table, make_table_station, make_world_cafe


def text(html):
    """The visible words of html, without the small links beside each card."""
    html = re.sub(r'<span class="card-meta">.*?</span>', "", html)
    return " ".join(strip_tags(html).split())


def section(html, number):
    """The text of one station's section on a table page."""
    match = re.search(rf'<section class="station" aria-labelledby="station-{number}">(.*?)</section>', html, re.S)
    return text(match.group(1))


@pytest.fixture
def conference():
    return make_conference(slug="fachtag")


@pytest.mark.django_db
def test_table_page_groups_cards_under_kind_labels(client, conference):
    station = make_station(conference, 1, question="Was läuft gut? Wo hakt es?")
    table = make_table(conference, 1, title="Wohnen")
    make_table_station(table, station)
    make_card(table, station, kind="gut", text="Netzwerk")
    make_card(table, station, kind="hakt", text="Zu wenig Wohnraum")
    make_card(table, station, kind="gut", text="Ehrenamt")
    make_card(table, station, kind="sonstiges", heading="Wie geht es weiter?", text="Verstetigung")

    html = client.get(table.get_absolute_url()).content.decode()

    assert section(html, 1) == (
        "Station 1 Was läuft gut? Wo hakt es? "
        "Was läuft gut? Netzwerk Ehrenamt Wo hakt es? Zu wenig Wohnraum Wie geht es weiter? Verstetigung "
        "Station 1 an allen Thementischen"
    )
    assert '<h3 class="kind kind-hakt">Wo hakt es?</h3>' in html


@pytest.mark.django_db
def test_table_page_prefers_the_slide_heading_as_question(client, conference):
    station = make_station(
        conference, 2, question="Was sind unsere Ziele? Was soll ein gutes Integrationsmanagement leisten?"
    )
    table = make_table(conference, 1)
    make_table_station(table, station, heading="Was sind unsere Ziele? Was soll ein gutes IntMan leisten?")

    html = client.get(table.get_absolute_url()).content.decode()

    assert '<p class="question">Was sind unsere Ziele? Was soll ein gutes IntMan leisten?</p>' in html


@pytest.mark.django_db
def test_table_page_nests_child_cards(client, conference):
    station = make_station(conference, 3)
    table = make_table(conference, 1)
    make_table_station(table, station)
    parent = make_card(table, station, kind="vor-ort", text="Wünsche:")
    child = make_card(table, station, kind="vor-ort", text="Mehr Zeit für IntMan", parent=parent)

    html = client.get(table.get_absolute_url()).content.decode()

    nested = re.search(rf'<li id="karte-{parent.pk}">(.*?)</li>\s*</ul>\s*</li>', html, re.S).group(1)
    assert f'<ul><li id="karte-{child.pk}">' in nested.replace("\n", "")


@pytest.mark.django_db
def test_table_page_states_photo_only_and_missing_stations(client, conference):
    stations = [make_station(conference, number) for number in (1, 2, 3)]
    table = make_table(conference, 1)
    make_table_station(table, stations[0])
    make_table_station(table, stations[1], status=TableStation.Status.PHOTO)
    make_card(table, stations[0])

    html = client.get(table.get_absolute_url()).content.decode()

    assert "nur als Fotoprotokoll dokumentiert" in section(html, 2)
    assert "Das Dokument enthält für diese Station an diesem Thementisch keine Ergebnisse." in section(html, 3)


@pytest.mark.django_db
def test_table_page_shows_transcribed_photo_cards(client, conference):
    station = make_station(conference, 2)
    table = make_table(conference, 1)
    make_table_station(table, station, status=TableStation.Status.TRANSCRIBED)
    make_card(table, station, kind="ziel", text="Abgeschrieben", origin=Card.Origin.ADMIN, original_text="")

    html = client.get(table.get_absolute_url()).content.decode()

    assert section(html, 2).startswith(
        "Station 2 Frage der Station 2? Fotoprotokoll, nachträglich abgeschrieben. "
        + "Ziele: Was soll ein gutes Integrationsmanagement leisten? Abgeschrieben"
    )


@pytest.mark.django_db
def test_table_page_card_anchor_and_source_link(client, conference):
    station = make_station(conference, 1)
    table = make_table(conference, 1)
    make_table_station(table, station)
    card = make_card(table, station, text="Netzwerk", source_line=42)

    html = client.get(table.get_absolute_url()).content.decode()

    assert f'<li id="karte-{card.pk}">' in html
    assert '<a href="/fachtag/quelle/#zeile-42">Zeile 42</a>' in html


@pytest.mark.django_db
def test_table_page_marks_corrected_card_with_original(client, conference):
    station = make_station(conference, 1)
    table = make_table(conference, 1)
    make_table_station(table, station)
    corrected = make_card(table, station, text="Elternintegrationskurse", original_text="Eltern- integrationskurse")
    unchanged = make_card(table, station, text="Netzwerk")

    html = client.get(table.get_absolute_url()).content.decode()

    assert f'<li id="karte-{corrected.pk}" class="corrected">' in html
    assert "<details><summary>Wortlaut im Dokument</summary><p>Eltern- integrationskurse</p></details>" in html
    assert f'<li id="karte-{unchanged.pk}">' in html
    assert html.count("<details>") == 1


@pytest.mark.django_db
def test_table_page_hides_withdrawn_cards(client, conference):
    station = make_station(conference, 1)
    table = make_table(conference, 1)
    make_table_station(table, station)
    make_card(table, station, text="Sichtbar")
    make_card(table, station, text="Zurückgezogen", withdrawn=True)

    html = client.get(table.get_absolute_url()).content.decode()

    assert "Sichtbar" in html
    assert "Zurückgezogen" not in html


@pytest.mark.django_db
def test_table_page_links_neighbours_and_stations(client):
    conference, tables, _ = make_world_cafe(tables=3)

    html = client.get(tables[1].get_absolute_url()).content.decode()

    slug = conference.slug
    assert f'<a rel="prev" href="/{slug}/tische/thementisch-1/">← Tisch 1: Thementisch 1</a>' in html
    assert f'<a rel="next" href="/{slug}/tische/thementisch-3/">Tisch 3: Thementisch 3 →</a>' in html
    assert f'<a href="/{slug}/stationen/3/#tisch-2">Station 3 an allen Thementischen</a>' in html
    assert f'<li><a href="/{slug}/">{conference.title}</a></li>' in html


@pytest.mark.django_db
def test_table_page_links_show_a_renamed_neighbour_and_conference_at_once(client):
    conference, tables, _ = make_world_cafe(tables=3)
    client.get(tables[1].get_absolute_url())
    neighbour = tables[0]
    neighbour.title = "Wohnen"
    neighbour.slug = "wohnen"
    neighbour.save()
    conference.slug = "umbenannt"
    conference.save()

    html = client.get("/umbenannt/tische/thementisch-2/").content.decode()

    assert '<a rel="prev" href="/umbenannt/tische/wohnen/">← Tisch 1: Wohnen</a>' in html
    assert '<a href="/umbenannt/stationen/3/#tisch-2">Station 3 an allen Thementischen</a>' in html
    assert '<a href="/umbenannt/karten/?tisch=thementisch-2">' in html
    assert '<li><a href="/umbenannt/karten/">Karten</a></li>' in html


@pytest.mark.django_db
def test_table_and_station_pages_show_card_changes_at_once(client, conference):
    station = make_station(conference, 1)
    table = make_table(conference, 1)
    other = make_table(conference, 2)
    table_station = make_table_station(table, station)
    make_table_station(other, station)
    moving = make_card(table, station, text="Wandert an Tisch 2")
    leaving = make_card(table, station, text="Wird zurückgezogen")
    pages = [table.get_absolute_url(), station.get_absolute_url(), "/en" + table.get_absolute_url()]
    before = [client.get(url).content.decode() for url in pages]

    moving.table = other
    moving.save()
    leaving.withdrawn = True
    leaving.withdrawn_reason = "Doppelt erfasst"
    leaving.save()
    make_card(table, station, text="Neu erfasst")
    table_station.heading = "Neue Leitfrage"
    table_station.save()
    after = [client.get(url).content.decode() for url in pages]

    assert all("Wird zurückgezogen" in html for html in before)
    assert "Wandert an Tisch 2" in section(before[0], 1)
    assert "Wandert an Tisch 2" not in section(after[0], 1)
    assert all("Wird zurückgezogen" not in html and "Neu erfasst" in html for html in after)
    assert "Neue Leitfrage" in after[0] and "Neue Leitfrage" in after[1]
    station_column = re.search(r'id="tisch-2".*', after[1], re.S).group(0)
    assert "Wandert an Tisch 2" in station_column


@pytest.mark.django_db
@pytest.mark.parametrize("cards", [1, 3])
def test_table_page_query_count_is_constant(client, django_assert_num_queries, cards):
    _, tables, _ = make_world_cafe(tables=cards, cards_per_station=cards)

    # The conference, its tables, stations, table stations, glossary and photos, and the table's cards.
    with django_assert_num_queries(7):
        first = client.get(tables[0].get_absolute_url())
    with django_assert_num_queries(7):
        second = client.get(tables[0].get_absolute_url())

    assert first.status_code == 200
    assert second.content == first.content


@pytest.mark.django_db
def test_table_page_unknown_table_is_404(client, conference):
    make_table(conference, 1)

    assert client.get("/fachtag/tische/gibt-es-nicht/").status_code == 404
    assert client.get("/fachtag/tische/7/").status_code == 404
    assert client.get("/gibt-es-nicht/tische/thementisch-1/").status_code == 404


@pytest.mark.django_db
def test_table_short_link_redirects_permanently(client, conference):
    table = make_table(conference, 4, title="Arbeitsmarktintegration")

    response = client.get("/fachtag/tische/4/")

    assertRedirects(response, "/fachtag/tische/arbeitsmarktintegration/", status_code=301)
    assert table.get_short_url() == "/fachtag/tische/4/"


@pytest.mark.django_db
@pytest.mark.parametrize("suffix", ["", "qr.svg", "aushang/"])
def test_table_renamed_slug_redirects_permanently(client, conference, suffix):
    table = make_table(conference, 1, title="Einzelkämpfer")
    table.slug = "einzelkaempfer-im-laendlichen-raum"
    table.save()

    response = client.get(f"/fachtag/tische/einzelkaempfer/{suffix}")

    assertRedirects(
        response,
        f"/fachtag/tische/einzelkaempfer-im-laendlichen-raum/{suffix}",
        status_code=301,
        fetch_redirect_response=False,
    )


@pytest.mark.django_db
def test_table_sign_shows_title_qr_and_short_link(client, conference):
    make_table(conference, 4, title="Arbeitsmarktintegration")

    html = client.get("/fachtag/tische/arbeitsmarktintegration/aushang/").content.decode()

    assert '<h1 id="tisch-4">Arbeitsmarktintegration</h1>' in html
    assert '<svg role="img" xmlns="http://www.w3.org/2000/svg"' in html
    assert "<title>QR-Code für http://testserver/fachtag/tische/4/</title>" in html
    assert '<p class="sign-url">http://testserver/fachtag/tische/4/</p>' in html


def test_sign_stylesheet_prints_one_a4_page():
    css = (Path(settings.BASE_DIR) / "static/css/sign.css").read_text()

    assert "@page { size: A4;" in css


def test_print_stylesheet_hides_navigation_and_shows_link_targets():
    css = (Path(settings.BASE_DIR) / "static/css/site.css").read_text()
    print_css = css[css.index("@media print") :]

    assert ".site-header, .breadcrumbs, .site-footer" in print_css
    assert 'main a[href]::after { content: " (" attr(href) ")";' in print_css


@pytest.mark.django_db
def test_winnenden_table_pages_html_and_css_under_60_kb(client):
    css = len((Path(settings.BASE_DIR) / "static/css/site.css").read_bytes())
    tables = ThemeTable.objects.filter(conference__slug="winnenden-2019")

    sizes = {table.slug: len(client.get(table.get_absolute_url()).content) + css for table in tables}

    assert len(sizes) == 11
    assert max(sizes.values()) < 60 * 1024


@pytest.mark.django_db
def test_winnenden_table_page_shows_document_content(client):
    html = client.get("/winnenden-2019/tische/frauen-kinderbetreuung-sprache/").content.decode()

    assert "<h1>Frauen, Kinderbetreuung, Sprache</h1>" in html
    assert "Mutter-Kind-Kurse mit Kinderbetreuung" in html
    assert "nur als Fotoprotokoll dokumentiert" in section(html, 2)
    assert '<a rel="next" href="/winnenden-2019/tische/digitalisierung-umsetzung-des-integrationsplans/">' in html


@pytest.mark.django_db
def test_table_page_links_each_card_to_the_report_form(client, conference):
    station = make_station(conference, 1)
    table = make_table(conference, 1)
    make_table_station(table, station)
    card = make_card(table, station, text="Netzwerk")

    html = client.get(table.get_absolute_url()).content.decode()

    assert f'<a href="/fachtag/melden/?karte={card.pk}">Fehler melden</a>' in html
