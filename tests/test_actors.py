import csv
import io
import json
import re
from types import SimpleNamespace

import pytest

from results.insights import actor_index, actor_phrases
from results.models import ActorRule
from tests.factories import make_card, make_conference, make_station, make_table

CONF = "/winnenden-2019"


def actor_names(html):
    return re.findall(r'<h2 lang="de">(.*?)</h2>', html)


def test_actor_phrases_split_lists_but_not_compounds_numbers_or_people():
    assert actor_phrases("Arbeitgeber_innen, Berufsberatung, Jobcenter") == [
        "Arbeitgeber_innen",
        "Berufsberatung",
        "Jobcenter",
    ]
    assert actor_phrases("AWO/DRK/Malteser") == ["AWO", "DRK", "Malteser"]
    assert actor_phrases("Kümmerer-/Projektstellen") == ["Kümmerer-/Projektstellen"]
    assert actor_phrases("Hilfetelefon 7/24 (0800 116016)") == ["Hilfetelefon 7/24"]
    assert actor_phrases("Landkreistag: Dietmar J. Herdes/Daniel Werthwein") == ["Landkreistag"]


def test_actor_index_merges_singular_plural_and_gender_forms():
    cards = [
        SimpleNamespace(pk=1, table_id=1, kind="helfer", text="Dolmetscher_innen"),
        SimpleNamespace(pk=2, table_id=2, kind="helfer", text="Dolmetscherin, Verein"),
        SimpleNamespace(pk=3, table_id=3, kind="hakt", text="Zu wenige DolmetscherInnen im Vereine-Netz"),
    ]

    actors = actor_index(cards)

    assert [(actor.name, actor.table_ids, [card.pk for card in actor.cards]) for actor in actors] == [
        ("Dolmetscher_innen", [1, 2, 3], [1, 2, 3]),
        ("Verein", [2, 3], [2, 3]),
    ]


@pytest.mark.django_db
def test_actors_page_sorts_by_tables_and_counts_other_cards_too(client):
    html = client.get(f"{CONF}/akteure/").content.decode()

    names = actor_names(html)
    assert names[:3] == ["Ehrenamtliche", "Behörden", "Dolmetscher_innen"]
    ehrenamt = html[html.index('id="akteur-ehrenamtliche"') : html.index('id="akteur-behorden"')]
    assert "genannt an 8 Thementischen" in ehrenamt
    assert 'Schreibweisen: <span lang="de">Ehrenamtliche, Ehrenamt</span>' in ehrenamt
    jobcenter = html[html.index('id="akteur-jobcenter"') :]
    assert (
        '<abbr title="Jobcenter">JC</abbr> müssen mehr machen, enger betreuen' in jobcenter.split("</li>\n  \n  <li")[0]
    )


@pytest.mark.django_db
def test_actor_rules_are_data_an_admin_can_change(client):
    before = actor_names(client.get(f"{CONF}/akteure/").content.decode())
    ActorRule.objects.create(name="Sprachmittlung", aliases="Dolmetscher_innen\nSprachmittler_innen")

    after = actor_names(client.get(f"{CONF}/akteure/").content.decode())

    assert "Sprachmittler_innen" in before
    assert "Sprachmittlung" not in before
    assert "Sprachmittlung" in after
    assert "Sprachmittler_innen" not in after


@pytest.mark.django_db
def test_actors_of_a_new_conference_need_no_code(client):
    conference = make_conference(slug="fachtag-ulm")
    station = make_station(conference, 3)
    for number, text in [(1, "Sportvereine, Tafel"), (2, "Tafeln"), (3, "Zusammenarbeit mit der Tafel stärken")]:
        make_card(make_table(conference, number), station, kind="helfer" if number < 3 else "vor-ort", text=text)

    html = client.get(f"/{conference.slug}/akteure/").content.decode()

    assert actor_names(html) == ["Tafel", "Sportvereine"]
    assert "genannt an 3 Thementischen" in html


@pytest.mark.django_db
def test_actor_exports_match_the_page(client):
    rows = list(csv.reader(io.StringIO(client.get(f"{CONF}/akteure.csv").content.decode())))
    data = json.loads(client.get(f"{CONF}/akteure.json").content)

    assert rows[0] == ["actor", "forms", "table_count", "tables", "card_count", "cards"]
    assert rows[1][:3] == ["Ehrenamtliche", "Ehrenamtliche | Ehrenamt", "8"]
    assert data["count"] == len(data["akteure"]) == len(rows) - 1
    assert data["akteure"][0]["table_count"] == len(data["akteure"][0]["tables"]) == 8


@pytest.mark.django_db
@pytest.mark.parametrize("count", [1, 3])
def test_actors_page_query_count_is_constant(client, django_assert_num_queries, count):
    conference = make_conference()
    station = make_station(conference, 3)
    for number in range(1, count + 1):
        make_card(make_table(conference, number), station, kind="helfer", text="Jugendamt, Schulen")

    with django_assert_num_queries(4):
        html = client.get(f"/{conference.slug}/akteure/").content.decode()

    assert actor_names(html) == ["Jugendamt", "Schulen"]
    assert html.count(f"genannt an {count} Thementisch") == 2
