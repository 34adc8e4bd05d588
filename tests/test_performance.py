"""What the fast paths of results/caching.py and results/search.py must give: the same as the plain ones."""

import pytest

from results.models import Card
from results.search import ranked_page, search_cards
from tests.factories import make_card, make_conference, make_station, make_table


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


@pytest.mark.parametrize("query", ["Wohnung", "Wohnungs", "Wohn", "Wohnung Familie", "Jobcenter", "nirgends"])
def test_ranked_page_orders_like_search_cards(cards, query):
    expected = [card.pk for card in search_cards(cards, query)]

    first = ranked_page(cards, query, 1, 2)
    pages = [first] + [ranked_page(cards, query, number, 2) for number in first.paginator.page_range[1:]]

    assert [card.pk for page in pages for card in page.object_list] == expected
    assert first.paginator.count == len(expected)


def test_ranked_page_survives_a_bad_page_number(cards):
    page = ranked_page(cards, "Wohnung", "abc", 2)

    assert page.number == 1
    assert [card.text for card in page.object_list] == [card.text for card in search_cards(cards, "Wohnung")[:2]]
