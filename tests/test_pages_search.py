import re

import pytest
from django.utils.html import strip_tags

from tests.factories import make_card, make_conference, make_station, make_table, make_table_station


def text(html):
    return " ".join(strip_tags(html).split())


@pytest.fixture
def cards():
    cards = []
    for slug, title in [("fachtag-a", "Fachtag A"), ("fachtag-b", "Fachtag B")]:
        conference = make_conference(slug=slug, title=title)
        station = make_station(conference, 1)
        table = make_table(conference, 1, title="Wohnen")
        make_table_station(table, station)
        cards.append(make_card(table, station, text=f"Zebrastreifen fehlen ({title})"))
        make_card(table, station, text="Mieten zu hoch")
    return cards


@pytest.mark.django_db
def test_search_finds_cards_across_conferences_and_highlights(client, cards):
    html = client.get("/suche/?q=Zebrastreifen").content.decode()

    results = re.findall(r'<p class="card-text">(.*?)</p>', html)
    assert "<h1>2 Treffer für „Zebrastreifen“</h1>" in html
    assert sorted(results) == [
        "<mark>Zebrastreifen</mark> fehlen (Fachtag A)",
        "<mark>Zebrastreifen</mark> fehlen (Fachtag B)",
    ]
    assert f'<a href="/fachtag-a/tische/wohnen/#karte-{cards[0].pk}">' in html


@pytest.mark.django_db
@pytest.mark.parametrize("prefix", ["0c", "0C", "0c-"])
def test_search_never_reaches_the_index_terms_of_a_conference(client, cards, prefix):
    # The index files every card under "0c<conference id>" too; a typed word must not find them by it.
    for card in cards:
        html = client.get("/suche/", {"q": f"{prefix}{card.table.conference_id}"}).content.decode()

        assert "card-text" not in html
        assert "Zebrastreifen" not in html


@pytest.mark.django_db
def test_search_without_results_suggests_what_to_try(client, cards):
    response = client.get("/suche/?q=Zebrastreifn")

    html = response.content.decode()
    assert response.status_code == 200
    assert "Zu „Zebrastreifn“ wurde nichts gefunden." in html
    assert '<a href="/suche/?q=Zebrastreifen">Zebrastreifen</a>' in html


@pytest.mark.django_db
def test_search_empty_query_explains(client):
    html = client.get("/suche/").content.decode()

    assert "<h1>Suche</h1>" in html
    assert "Suchen Sie in allen Karten aller Konferenzen" in html


@pytest.mark.django_db
def test_search_escapes_the_query(client, cards):
    html = client.get("/suche/?q=%3Cscript%3Ealert(1)%3C/script%3E").content.decode()

    assert "<script>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html


@pytest.mark.django_db
@pytest.mark.parametrize("page", ["abc", "-1", "999"])
def test_search_bad_page_never_fails(client, cards, page):
    response = client.get(f"/suche/?q=Zebrastreifen&page={page}")

    assert response.status_code == 200
    assert len(re.findall(r'<p class="card-text">', response.content.decode())) == 2


@pytest.mark.django_db
def test_search_overlong_query_is_400_in_german(client):
    response = client.get("/suche/?q=" + "x" * 10_000)

    assert response.status_code == 400
    assert "Der Suchbegriff ist zu lang: Bitte höchstens 200 Zeichen eingeben." in response.content.decode()


@pytest.mark.django_db
@pytest.mark.parametrize("count", [1, 3])
def test_search_query_count_is_constant(client, django_assert_num_queries, count):
    conference = make_conference(slug="viele")
    station = make_station(conference, 1)
    table = make_table(conference, 1)
    for number in range(count):
        make_card(table, station, text=f"Zebrastreifen Karte {number}")

    # The glossary, the synonyms, the index's count of all matches and of the exact ones, the page's ids,
    # its cards with their tables, and the matching tables, stations and programme items.
    with django_assert_num_queries(7):
        response = client.get("/suche/?q=Zebrastreifen")
    with django_assert_num_queries(7):
        again = client.get("/suche/?q=Zebrastreifen")

    assert again.content == response.content
    assert len(re.findall(r'<p class="card-text">', response.content.decode())) == count


@pytest.mark.django_db
def test_search_route_is_not_a_conference_slug(client):
    make_conference(slug="suche")

    html = client.get("/suche/").content.decode()

    assert "<h1>Suche</h1>" in html


@pytest.mark.django_db
def test_winnenden_search_finds_jobcenter(client):
    html = client.get("/suche/?q=Jobcenter").content.decode()

    assert "<mark>Jobcenter</mark>" in html
    assert "Regionalkonferenz" in text(html)


@pytest.mark.django_db
def test_search_lists_matching_tables_above_the_cards(client):
    # Issue 13: „häusliche Gewalt“ names table 8 only; „Frauen“ tables 1 and 8, then the cards.
    gewalt = client.get("/suche/?q=h%C3%A4usliche+Gewalt").content.decode()
    frauen = client.get("/suche/?q=Frauen").content.decode()

    assert re.findall(r'href="/winnenden-2019/tische/([^/]+)/"', gewalt) == ["rolle-der-frau-haeusliche-gewalt"]
    tables = re.findall(r'href="/winnenden-2019/tische/([^/]+)/"', frauen)
    assert tables == ["frauen-kinderbetreuung-sprache", "rolle-der-frau-haeusliche-gewalt"]
    assert frauen.index("rolle-der-frau-haeusliche-gewalt/") < frauen.index('<ol class="card-list"')
    assert "<mark>Frauen</mark>" in frauen


@pytest.mark.django_db
def test_card_list_highlights_matches_like_the_search(client):
    html = client.get("/winnenden-2019/karten/?q=Wohnung").content.decode()

    texts = re.findall(r'<p class="card-text">(.*?)</p>', html)
    assert texts
    assert all("<mark>" in text for text in texts)
    # The synonym the document uses is found and marked too.
    assert any("<mark>Wohnraum</mark>" in text for text in texts)


@pytest.mark.django_db
@pytest.mark.parametrize("query", ["!!!", "und", '"Wohnung* OR NEAR', "a" * 200, " ".join(["Wort"] * 100)[:200]])
def test_bad_queries_get_a_clear_answer(client, query):
    response = client.get("/suche/", {"q": query})
    cards = client.get("/winnenden-2019/karten/", {"q": query})

    assert response.status_code == 200
    assert cards.status_code == 200
    if query == "!!!":
        assert "kein Wort, nach dem gesucht werden kann" in response.content.decode()


@pytest.mark.django_db
def test_more_than_eight_words_say_so(client):
    html = client.get("/suche/", {"q": " ".join(f"Wort{number}" for number in range(12))}).content.decode()

    assert "Gesucht wurde nach den ersten 8 Wörtern." in html


@pytest.mark.django_db
def test_search_counts_up_to_its_limit_and_says_so(client, cards, monkeypatch):
    monkeypatch.setattr("results.search.MAX_RESULTS", 1)

    html = client.get("/suche/?q=Zebrastreifen").content.decode()

    assert "<h1>Mehr als 1 Treffer für „Zebrastreifen“</h1>" in html
    assert "Gezeigt werden die besten 1." in html
    assert len(re.findall(r'<p class="card-text">', html)) == 1
