import re

import pytest
from django.utils.html import strip_tags

from results.models import Card
from tests.factories import make_card, make_conference, make_station, make_table, make_table_station, make_world_cafe


def text(html):
    return " ".join(strip_tags(html).split())


def card_texts(html):
    return re.findall(r'<p class="card-text">(.*?)(?: <strong class="badge">.*?</strong>)?</p>', html)


def choice(html, name, value):
    """The text of one filter choice, e.g. "Station 1 (2)"."""
    match = re.search(rf'name="{name}" value="{re.escape(value)}"[^>]*> <label[^>]*>(.*?)</label>', html, re.S)
    return text(match.group(1))


@pytest.fixture
def conference():
    conference = make_conference(slug="fachtag")
    first, second = make_station(conference, 1), make_station(conference, 2)
    housing = make_table(conference, 1, title="Wohnen")
    work = make_table(conference, 2, title="Arbeit")
    for table in (housing, work):
        make_table_station(table, first)
        make_table_station(table, second)
    make_card(housing, first, kind="gut", text="Genug Wohnraum im Quartier")
    make_card(housing, first, kind="hakt", text="Mieten zu hoch")
    make_card(housing, second, kind="ziel", text="Wohnraum für alle")
    make_card(work, first, kind="gut", text="Jobcenter arbeitet mit", original_text="Jobcenter arbeitet mit.")
    make_card(work, second, kind="ziel", text="Zurückgezogen", withdrawn=True)
    return conference


@pytest.mark.django_db
def test_cards_list_shows_all_public_cards_with_count(client, conference):
    html = client.get("/fachtag/karten/").content.decode()

    assert "<h1>4 Karten</h1>" in html
    assert card_texts(html) == [
        "Genug Wohnraum im Quartier",
        "Mieten zu hoch",
        "Wohnraum für alle",
        "Jobcenter arbeitet mit",
    ]


@pytest.mark.django_db
def test_cards_list_filters_and_counts_facets(client, conference):
    html = client.get("/fachtag/karten/?station=1").content.decode()

    assert "<h1>3 Karten</h1>" in html
    assert card_texts(html) == ["Genug Wohnraum im Quartier", "Mieten zu hoch", "Jobcenter arbeitet mit"]
    assert choice(html, "station", "1") == "Station 1 (3)"
    assert choice(html, "station", "2") == "Station 2 (1)"
    assert choice(html, "tisch", "wohnen") == "1. Wohnen (2)"
    assert choice(html, "tisch", "arbeit") == "2. Arbeit (1)"
    assert choice(html, "art", "hakt") == "Wo hakt es? (1)"
    assert 'name="station" value="1" checked>' in html


@pytest.mark.django_db
def test_cards_list_table_number_from_short_links_ticks_the_table(client, conference):
    html = client.get("/fachtag/karten/?tisch=2").content.decode()

    assert card_texts(html) == ["Jobcenter arbeitet mit"]
    assert 'name="tisch" value="arbeit" checked>' in html


@pytest.mark.django_db
def test_cards_list_filters_corrected_cards(client, conference):
    html = client.get("/fachtag/karten/?korrigiert=ja").content.decode()

    assert card_texts(html) == ["Jobcenter arbeitet mit"]
    assert '<option value="ja" selected>ja (1)</option>' in html


@pytest.mark.django_db
def test_cards_list_searches(client, conference):
    html = client.get("/fachtag/karten/?q=Wohnraum").content.decode()

    # Highlighted as on /suche/.
    assert sorted(card_texts(html)) == ["<mark>Wohnraum</mark> für alle", "Genug <mark>Wohnraum</mark> im Quartier"]
    assert 'value="Wohnraum"' in html


@pytest.mark.django_db
def test_cards_list_links_exports_of_the_current_filter(client, conference):
    html = client.get("/fachtag/karten/?station=1&art=gut&page=1").content.decode()

    assert '<a href="/fachtag/karten.csv?station=1&amp;art=gut">CSV</a>' in html
    assert '<a href="/fachtag/karten.xlsx?station=1&amp;art=gut">Excel (XLSX)</a>' in html
    assert '<a href="/fachtag/karten.json?station=1&amp;art=gut">JSON</a>' in html


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("station=9", "„9“ ist keine Station dieser Konferenz."),
        ("art=xyz", "„xyz“ ist keine Art von Ergebnis."),
        ("tisch=%3Cscript%3E", "„&lt;script&gt;“ ist kein Thementisch dieser Konferenz."),
        ("korrigiert=vielleicht", "Bitte „ja“ oder „nein“ wählen."),
        ("q=" + "x" * 10_000, "Der Suchbegriff darf höchstens 200 Zeichen lang sein."),
    ],
)
def test_cards_list_invalid_filter_explains_in_german(client, conference, query, message):
    response = client.get(f"/fachtag/karten/?{query}")

    html = response.content.decode()
    assert response.status_code == 400
    assert message in html
    assert "Diese Auswahl ist ungültig." in html
    assert "<script>" not in html
    assert card_texts(html) == []


@pytest.mark.django_db
def test_cards_list_bad_page_number_shows_first_page(client, conference):
    response = client.get("/fachtag/karten/?page=abc")

    assert response.status_code == 200
    assert len(card_texts(response.content.decode())) == 4


@pytest.mark.django_db
def test_cards_list_pagination_keeps_the_filter(client):
    conference = make_conference(slug="gross")
    station = make_station(conference, 1)
    table = make_table(conference, 1)
    make_table_station(table, station)
    for number in range(60):
        make_card(table, station, text=f"Karte {number}")

    html = client.get("/gross/karten/?station=1&page=2").content.decode()

    assert "<h1>60 Karten</h1>" in html
    assert card_texts(html) == [f"Karte {number}" for number in range(50, 60)]
    assert '<a rel="prev" href="?station=1&amp;page=1">' in html
    assert "Seite 2 von 2" in html


@pytest.mark.django_db
@pytest.mark.parametrize("tables", [1, 3])
def test_cards_list_query_count_is_constant(client, django_assert_num_queries, tables):
    conference, _, _ = make_world_cafe(tables=tables, cards_per_station=tables)

    # ... and the glossary, for the search and the <abbr> marks of the cards.
    with django_assert_num_queries(10):
        response = client.get(f"/{conference.slug}/karten/?station=1")
    # Nothing is kept between requests: the second reads what the first read.
    with django_assert_num_queries(10):
        again = client.get(f"/{conference.slug}/karten/?station=1")

    assert response.status_code == 200
    assert again.content == response.content


@pytest.mark.django_db
def test_cards_list_unknown_conference_is_404(client):
    assert client.get("/gibt-es-nicht/karten/").status_code == 404


@pytest.mark.django_db
def test_winnenden_cards_list_counts_every_public_card(client):
    total = Card.objects.public().filter(table__conference__slug="winnenden-2019").count()

    html = client.get("/winnenden-2019/karten/").content.decode()

    assert f"<h1>{total} Karten</h1>" in html
    assert choice(html, "tisch", "rahmenbedingungen").startswith("11. Rahmenbedingungen (")


@pytest.mark.django_db
def test_cards_list_without_matches_says_so(client, conference):
    response = client.get("/fachtag/karten/?q=Zebrastreifen")

    html = response.content.decode()
    assert response.status_code == 200
    assert "<h1>0 Karten</h1>" in html
    assert "Keine Karte passt zu dieser Auswahl." in html
