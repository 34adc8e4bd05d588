import re
from types import SimpleNamespace

import pytest

from results.insights import recurring_topics
from tests.factories import make_card, make_conference, make_station, make_table

CONF = "/winnenden-2019"


def test_recurring_topics_need_three_tables_and_merge_word_forms():
    cards = [
        SimpleNamespace(pk=1, table_id=1, text="Fehlender Wohnraum für Familien"),
        SimpleNamespace(pk=2, table_id=2, text="Mehr Wohnraum und Kitaplätze"),
        SimpleNamespace(pk=3, table_id=3, text="Wohnräume finden, Familie stärken"),
        SimpleNamespace(pk=4, table_id=3, text="Wohnraum in der Stadt"),
    ]

    topics = recurring_topics(cards)

    assert [(topic.label, topic.table_count, topic.card_count) for topic in topics] == [("Wohnraum", 3, 4)]
    assert {table: [card.pk for card in cards] for table, cards in topics[0].cards_by_table.items()} == {
        1: [1],
        2: [2],
        3: [3, 4],
    }


def test_recurring_topics_are_headed_by_the_base_form():
    cards = [
        SimpleNamespace(pk=1, table_id=1, text="Wohnungen für Geflüchteten finden"),
        SimpleNamespace(pk=2, table_id=2, text="Sprachkurse für Geflüchteten"),
        SimpleNamespace(pk=3, table_id=3, text="Viele Geflüchtete arbeiten"),
    ]

    assert [topic.label for topic in recurring_topics(cards)] == ["Geflüchtete"]


def test_recurring_topics_leave_out_stop_words_and_adjectives():
    cards = [SimpleNamespace(pk=n, table_id=n, text="Mehr gute Angebote für alle") for n in (1, 2, 3)]

    assert [topic.label for topic in recurring_topics(cards)] == ["Angebote"]


@pytest.mark.django_db
def test_topics_page_shows_the_matrix_with_links_to_the_cards(client):
    html = client.get(f"{CONF}/themen/").content.decode()

    rows = re.findall(r'<th scope="row"><a href="#(thema-[a-z0-9]+)" lang="de">(.*?)</a></th>', html)
    assert rows[:2] == [("thema-ehrenamt", "Ehrenamt"), ("thema-intman", "IntMan")]
    first_row = html[html.index('href="#thema-ehrenamt"') : html.index("</tr>", html.index('href="#thema-ehrenamt"'))]
    assert first_row.count('<a href="#thema-ehrenamt-') == 8
    section = html[html.index('<section class="topic" id="thema-ehrenamt"') :]
    assert '<a href="/winnenden-2019/tische/' in section.split("</section>")[0]


@pytest.mark.django_db
def test_conference_overview_shows_the_top_topics(client):
    html = client.get(f"{CONF}/").content.decode()

    top = re.findall(r'<li><a href="/winnenden-2019/themen/#thema-([a-z]+)">(.*?)</a>', html)
    assert top[:3] == [("ehrenamt", "Ehrenamt"), ("intman", "IntMan"), ("geflucht", "Geflüchtete")]
    assert len(top) == 8


@pytest.mark.django_db
@pytest.mark.parametrize("count", [1, 3])
def test_topics_page_query_count_is_constant(client, django_assert_num_queries, count):
    conference = make_conference()
    station = make_station(conference, 1)
    for number in range(1, 4):
        table = make_table(conference, number)
        for index in range(count):
            make_card(table, station, text=f"Zu wenig Wohnraum in Ort {index}")

    with django_assert_num_queries(4):
        html = client.get(f"/{conference.slug}/themen/").content.decode()

    assert re.findall(r'<th scope="row"><a href="#thema-[a-z]+" lang="de">(.*?)</a>', html) == ["Wohnraum"]
    assert re.findall(r'<a href="#thema-wohnraum-\d">(\d+)</a>', html) == [str(count)] * 3
