import re

import pytest
from django.utils.html import strip_tags

from results.models import TableStation
from tests.factories import (
    make_card,
    make_closing_item,
    make_conference,
    make_programme_item,
    make_station,
    make_table,
    make_table_station,
    make_world_cafe,
)


def text(html):
    return " ".join(strip_tags(html).split())


def tile(html, number):
    """The text of one table's tile in the overview grid."""
    tiles = re.findall(r'<li class="table-tile">(.*?)</ul>\s*</li>', html, re.S)
    return text(tiles[number - 1])


@pytest.mark.django_db
def test_home_lists_conferences_with_counts(client):
    conference, _, _ = make_world_cafe(tables=2, cards_per_station=2, title="Fachtag Wohnen")

    response = client.get("/")

    html = response.content.decode()
    assert response.status_code == 200
    assert f'<a href="/{conference.slug}/">Fachtag Wohnen</a>' in html
    assert "2 Thementische, 12 Karten" in text(html)


@pytest.mark.django_db
@pytest.mark.parametrize("conferences", [1, 3])
def test_home_query_count_is_constant(client, django_assert_num_queries, conferences):
    for _ in range(conferences):
        make_world_cafe(tables=2)

    # The year and place choices, the count, the page, and the page's table and card counts.
    with django_assert_num_queries(5):
        response = client.get("/")

    assert response.status_code == 200


@pytest.mark.django_db
def test_conference_page_shows_counts_per_station(client):
    conference = make_conference(title="Fachtag Wohnen")
    first, second = make_station(conference, 1), make_station(conference, 2)
    table = make_table(conference, 1, title="Wohnraum")
    make_table_station(table, first)
    make_table_station(table, second)
    make_card(table, first, text="Eins")
    make_card(table, first, text="Zwei")
    make_card(table, first, text="Zurückgezogen", withdrawn=True)
    make_card(table, second, text="Drei")

    html = client.get(conference.get_absolute_url()).content.decode()

    assert tile(html, 1) == "1 Wohnraum Station 1: 2 Karten Station 2: 1 Karte"


@pytest.mark.django_db
def test_conference_page_says_photo_only_and_missing(client):
    conference = make_conference()
    stations = [make_station(conference, number) for number in (1, 2, 3)]
    table = make_table(conference, 1, title="Rahmenbedingungen")
    make_table_station(table, stations[0])
    make_table_station(table, stations[1], status=TableStation.Status.PHOTO)
    make_card(table, stations[0])

    html = client.get(conference.get_absolute_url()).content.decode()

    assert tile(html, 1) == (
        "1 Rahmenbedingungen Station 1: 1 Karte Station 2: nur als Fotoprotokoll dokumentiert "
        "Station 3: im Dokument nicht enthalten"
    )


@pytest.mark.django_db
def test_conference_page_links_station_questions_to_programme(client):
    conference = make_conference()
    make_programme_item(conference, position=1, title="Begrüßung", speakers="Erika Muster\nMax Beispiel")
    slot = make_programme_item(conference, position=2, title="World Café – Station 1")
    make_station(conference, 1, question="Was läuft gut? Wo hakt es?", programme_item=slot)

    html = client.get(conference.get_absolute_url()).content.decode()

    assert '<a href="#programmpunkt-2">Was läuft gut? Wo hakt es?</a>' in html
    assert '<li id="programmpunkt-2">' in html
    assert "<li>Erika Muster</li><li>Max Beispiel</li>" in html


@pytest.mark.django_db
def test_conference_page_shows_closing_list_and_source(client):
    conference = make_conference(closing_title="Gründung eines Verbands", closing_question="Wer hat Interesse?")
    make_closing_item(conference, 1, "Sprachrohr sein")
    make_closing_item(conference, 2, "Nachhaltigkeit in der Finanzierung")

    html = client.get(conference.get_absolute_url()).content.decode()

    assert '<h2 id="abschluss">Gründung eines Verbands</h2>' in html
    assert '<ul class="closing">\n  <li>Sprachrohr sein</li><li>Nachhaltigkeit in der Finanzierung</li>' in html
    assert f'<a href="/{conference.slug}/quelle/">testkonferenz.pdf</a>' in html


@pytest.mark.django_db
@pytest.mark.parametrize("tables", [1, 3])
def test_conference_page_query_count_is_constant(client, django_assert_num_queries, tables):
    conference, _, _ = make_world_cafe(tables=tables, cards_per_station=tables)

    # ... and the cards the top topics are counted from.
    with django_assert_num_queries(7):
        response = client.get(conference.get_absolute_url())
    with django_assert_num_queries(7):
        again = client.get(conference.get_absolute_url())

    assert response.status_code == 200
    assert again.content == response.content


@pytest.mark.django_db
def test_conference_page_unknown_conference_is_404(client):
    response = client.get("/gibt-es-nicht/")

    assert response.status_code == 404
    assert "Seite nicht gefunden" in response.content.decode()


@pytest.mark.django_db
def test_winnenden_overview_has_eleven_tables_three_stations(client):
    html = client.get("/winnenden-2019/").content.decode()

    assert html.count('<li class="table-tile">') == 11
    assert "11 Thementische, an denen in 3 Stationen gearbeitet wurde." in text(html)
    assert "2. Juli 2019" in html
    assert "Hermann-Schwab-Halle" in html


@pytest.mark.django_db
def test_winnenden_overview_says_what_the_document_lacks(client):
    html = client.get("/winnenden-2019/").content.decode()

    first = tile(html, 1)
    last = tile(html, 11)
    assert first.startswith("1 Frauen, Kinderbetreuung, Sprache Station 1:")
    assert "Station 2: nur als Fotoprotokoll dokumentiert" in first
    assert "Station 3: nur als Fotoprotokoll dokumentiert" in first
    assert last.startswith("11 Rahmenbedingungen")
    assert "Station 2: im Dokument nicht enthalten" in last
