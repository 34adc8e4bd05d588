from io import StringIO

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from results.models import Card, Conference, Station, TableStation, ThemeTable
from results.search import search_cards


def generate(conferences):
    out = StringIO()
    call_command("generate_demo", conferences=conferences, stdout=out)
    return out.getvalue()


@pytest.mark.django_db
def test_generate_demo_creates_marked_conferences():
    real_cards = Card.objects.count()

    output = generate(2)

    demo = Conference.objects.filter(is_demo=True)
    cards = Card.objects.filter(table__conference__in=demo)
    assert output == f"Created 2 demo conferences with {cards.count()} cards.\n"
    assert [conference.title for conference in demo.order_by("slug")] == [
        "Demo-Konferenz 1 (Demodaten)",
        "Demo-Konferenz 2 (Demodaten)",
    ]
    assert 900 <= cards.count() <= 1000
    assert ThemeTable.objects.filter(conference__in=demo).count() == 22
    assert Station.objects.filter(conference__in=demo).count() == 6
    assert TableStation.objects.filter(table__conference__in=demo).count() == 66
    assert set(cards.values_list("kind", flat=True)) == {"gut", "hakt", "ziel", "vor-ort", "helfer", "sonstiges"}
    # The demo cards are in the search index, their tables too (bulk writes send no signals).
    first = cards.first()
    assert first in search_cards(cards, first.text.split()[0] if len(first.text.split()[0]) > 2 else first.text)
    assert Card.objects.count() == real_cards + cards.count()


@pytest.mark.django_db
def test_generate_demo_remove_deletes_all_demo_data():
    before = {model: model.objects.count() for model in [Conference, ThemeTable, Station, Card]}
    generate(2)

    out = StringIO()
    call_command("generate_demo", remove=True, stdout=out)

    assert out.getvalue() == "Removed 2 demo conferences.\n"
    assert {model: model.objects.count() for model in before} == before
    assert not Card.history.filter(table__conference__is_demo=True).exists()


@pytest.mark.django_db
def test_generate_demo_rejects_nonsense():
    with pytest.raises(Exception, match="at least 1"):
        call_command("generate_demo", conferences=0, stdout=StringIO())


def count_queries(client, url):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries)


@pytest.mark.django_db
def test_pages_keep_their_query_count_as_the_archive_grows(admin_client):
    generate(2)
    first = Conference.objects.get(slug="demo-1")
    table = first.tables.get(number=1)
    urls = [
        "/",
        first.get_absolute_url(),
        table.get_absolute_url(),
        f"/{first.slug}/karten/?station=1",
        f"/{first.slug}/stationen/1/",
        "/suche/?q=Integration",
        "/admin/results/card/",
        "/admin/results/themetable/",
    ]
    at_two = {url: count_queries(admin_client, url) for url in urls}

    generate(2)
    at_four = {url: count_queries(admin_client, url) for url in urls}

    assert at_four == at_two
