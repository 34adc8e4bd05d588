"""What the fast paths (results/search.py, the table and station pages) must give: the same as the plain ones."""

import pytest
from django.utils import translation

from results.glossary import current_glossary
from results.models import Card, GlossaryEntry
from results.search import current_synonyms, parse, ranked_page, search_cards
from tests.factories import make_card, make_conference, make_station, make_table, make_world_cafe


@pytest.fixture(autouse=True)
def german():
    # URLs reversed here are the German ones, whatever an earlier test's request activated.
    with translation.override("de"):
        yield


@pytest.fixture
def cards(db):
    conference = make_conference()
    stations = [make_station(conference, number) for number in (1, 2)]
    tables = [make_table(conference, number) for number in (1, 2)]
    texts = [
        "Wohnungslose und Wohnungsmarkt",
        "Mehr Wohnungen",
        "Wohnraum fehlt",
        "Wohnungen für Familien und Wohnungslose",
        "Jobcenter und Wohnungen",
        "Nichts davon",
    ]
    for number, text in enumerate(texts):
        make_card(tables[number % 2], stations[number // 3], text=text, position=number)
    return Card.objects.public().filter(table__conference=conference)


def parsed(text):
    return parse(text, current_glossary(), current_synonyms())


def in_search_order(cards):
    # /suche/ keeps each rank's cards in id order; the card list in document order.
    return [card.pk for card in sorted(cards, key=lambda card: (-card.rank, card.pk))]


@pytest.mark.parametrize("query", ["Wohnung", "Wohnungs", "Wohn", "Wohnung Familie", "Jobcenter", "nirgends"])
def test_ranked_page_ranks_like_search_cards(cards, query):
    expected = in_search_order(search_cards(Card.objects.public(), query))

    first = ranked_page(parsed(query), 1, 20)
    pages = [first] + [ranked_page(parsed(query), number, 20) for number in first.paginator.page_range[1:]]

    assert [card.pk for page in pages for card in page.object_list] == expected
    assert first.paginator.count == len(expected)


def test_ranked_page_survives_a_bad_page_number(cards):
    page = ranked_page(parsed("Wohnung"), "abc", 2)

    assert page.number == 1
    assert [card.pk for card in page.object_list] == in_search_order(search_cards(Card.objects.public(), "Wohnung"))[:2]


@pytest.mark.django_db
def test_table_page_shows_a_correction_at_once_without_the_page_cache(client):
    _conference, (table,), _stations = make_world_cafe()
    card = Card.objects.filter(table=table).first()
    before = client.get(table.get_absolute_url()).text

    card.text = "Korrigierter Text"
    card.save()
    after = client.get(table.get_absolute_url()).text

    assert f'<li id="karte-{card.pk}">Karte 1 an Tisch 1, Station 1 <' in before
    assert f'<li id="karte-{card.pk}" class="corrected">Korrigierter Text <' in after


@pytest.mark.django_db
def test_table_page_shows_a_new_glossary_entry_at_once(client):
    conference, (table,), (station, *_rest) = make_world_cafe(cards_per_station=0)
    make_card(table, station, text="Termin beim JC")
    before = client.get(table.get_absolute_url()).text

    GlossaryEntry.objects.create(conference=conference, abbreviation="JC", meanings="Jobcenter im Test")
    after = client.get(table.get_absolute_url()).text

    assert '<abbr title="Jobcenter im Test">JC</abbr>' not in before
    assert '<abbr title="Jobcenter im Test">JC</abbr>' in after


@pytest.mark.django_db
def test_card_texts_are_marked_german_in_the_english_ui(client):
    _conference, (table,), _stations = make_world_cafe()

    german = client.get(table.get_absolute_url()).text
    english = client.get("/en" + table.get_absolute_url()).text

    assert 'lang="de">Karte 1 an Tisch 1, Station 1</span>' in english
    assert 'lang="de">Karte 1 an Tisch 1, Station 1</span>' not in german


def test_ranked_page_counts_a_term_matching_two_stems_once(cards):
    expected = in_search_order(search_cards(Card.objects.public(), "Wohn Wohnungen"))

    first = ranked_page(parsed("Wohn Wohnungen"), 1, 20)
    pages = [first] + [ranked_page(parsed("Wohn Wohnungen"), number, 20) for number in first.paginator.page_range[1:]]

    assert [card.pk for page in pages for card in page.object_list] == expected
