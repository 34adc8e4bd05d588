import re
from pathlib import Path

import pytest
from django.conf import settings
from django.utils.html import strip_tags

from results.models import TableStation
from tests.factories import make_card, make_conference, make_station, make_table, make_table_station, make_world_cafe


def text(html):
    """The visible words of html, without the small links beside each card."""
    html = re.sub(r'<span class="card-meta">.*?</span>', "", html)
    return " ".join(strip_tags(html).split())


def column(html, number):
    match = re.search(rf'<section class="column" id="tisch-{number}".*?>(.*?)</section>', html, re.S)
    return text(match.group(1))


@pytest.mark.django_db
def test_station_page_shows_every_table_in_order(client):
    conference = make_conference(slug="fachtag")
    station = make_station(conference, 1, question="Was läuft gut? Wo hakt es?")
    make_station(conference, 2)
    housing = make_table(conference, 1, title="Wohnen")
    work = make_table(conference, 2, title="Arbeit")
    health = make_table(conference, 3, title="Gesundheit")
    make_table_station(housing, station)
    make_table_station(work, station, status=TableStation.Status.PHOTO)
    make_card(housing, station, kind="gut", text="Netzwerk")
    make_card(housing, station, kind="hakt", text="Zu wenig Wohnraum")

    html = client.get("/fachtag/stationen/1/").content.decode()

    assert "<h1>Was läuft gut? Wo hakt es?</h1>" in html
    assert column(html, 1) == "1 Wohnen Was läuft gut? Netzwerk Wo hakt es? Zu wenig Wohnraum"
    assert column(html, 2) == (
        "2 Arbeit Diese Station ist im Dokument nur als Fotoprotokoll dokumentiert; "
        "ihr Text ist noch nicht abgeschrieben."
    )
    assert column(html, 3).startswith("3 Gesundheit Das Dokument enthält für diese Station")
    assert f'<a href="{health.get_absolute_url()}#station-1">' in html
    assert '<a href="/fachtag/stationen/2/">Station 2</a>' in html


@pytest.mark.django_db
@pytest.mark.parametrize("tables", [1, 3])
def test_station_page_query_count_is_constant(client, django_assert_num_queries, tables):
    _, _, stations = make_world_cafe(tables=tables, cards_per_station=tables)

    # The conference, its tables, stations, table stations, glossary and photos, and the station's cards.
    with django_assert_num_queries(7):
        first = client.get(stations[0].get_absolute_url())
    with django_assert_num_queries(7):
        second = client.get(stations[0].get_absolute_url())

    assert first.status_code == 200
    assert second.content == first.content


@pytest.mark.django_db
def test_station_page_unknown_station_is_404(client):
    make_world_cafe(slug="fachtag")

    assert client.get("/fachtag/stationen/9/").status_code == 404
    assert client.get("/fachtag/stationen/0/").status_code == 404
    assert client.get("/gibt-es-nicht/stationen/1/").status_code == 404


def test_station_columns_side_by_side_on_wide_screens_stacked_on_phones():
    css = (Path(settings.BASE_DIR) / "static/css/site.css").read_text()

    assert ".columns { display: grid; grid-template-columns: 1fr;" in css
    assert "@media (min-width: 48em) { .columns { grid-template-columns: repeat(2, minmax(0, 1fr)); } }" in css


@pytest.mark.django_db
def test_winnenden_station_two_shows_all_eleven_tables(client):
    html = client.get("/winnenden-2019/stationen/2/").content.decode()

    assert html.count('<section class="column"') == 11
    assert "nur als Fotoprotokoll dokumentiert" in column(html, 1)
    assert "Das Dokument enthält für diese Station an diesem Thementisch keine Ergebnisse." in column(html, 11)
