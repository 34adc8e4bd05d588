import csv
import io
import json

import openpyxl
import pytest

from results.models import Card
from tests.factories import make_card, make_conference, make_station, make_table, make_table_station


@pytest.fixture
def cards():
    conference = make_conference(slug="fachtag")
    first, second = make_station(conference, 1), make_station(conference, 2)
    table = make_table(conference, 1, title="Wohnen")
    make_table_station(table, first)
    make_table_station(table, second)
    return [
        make_card(table, first, kind="gut", text="Netzwerk"),
        make_card(table, first, kind="hakt", text="Mieten zu hoch"),
        make_card(table, second, kind="ziel", text="Wohnraum für alle"),
    ]


@pytest.mark.django_db
def test_csv_export_gives_the_filtered_cards(client, cards):
    response = client.get("/fachtag/karten.csv?station=1")

    rows = list(csv.DictReader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"] == 'attachment; filename="fachtag-karten.csv"'
    assert [row["text"] for row in rows] == ["Netzwerk", "Mieten zu hoch"]
    assert rows[0]["url"] == f"http://testserver/fachtag/tische/wohnen/#karte-{cards[0].pk}"


@pytest.mark.django_db
def test_json_export_gives_the_filtered_cards(client, cards):
    response = client.get("/fachtag/karten.json?art=ziel")

    data = json.loads(response.content)
    assert response["Content-Type"] == "application/json"
    assert response["Content-Disposition"] == 'attachment; filename="fachtag-karten.json"'
    assert data["conference"] == "fachtag"
    assert data["count"] == 1
    assert [card["id"] for card in data["cards"]] == [cards[2].pk]


@pytest.mark.django_db
def test_xlsx_export_gives_the_filtered_cards(client, cards):
    response = client.get("/fachtag/karten.xlsx?q=Mieten")

    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    header, *rows = list(sheet.values)
    assert response["Content-Type"] == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    assert response["Content-Disposition"] == 'attachment; filename="fachtag-karten.xlsx"'
    assert [row[header.index("Text")] for row in rows] == ["Mieten zu hoch"]


@pytest.mark.django_db
@pytest.mark.parametrize("extension", ["csv", "json", "xlsx"])
def test_export_with_invalid_filter_is_400_in_german(client, cards, extension):
    response = client.get(f"/fachtag/karten.{extension}?station=9")

    assert response.status_code == 400
    assert response.content.decode() == "„9“ ist keine Station dieser Konferenz."


@pytest.mark.django_db
@pytest.mark.parametrize("extension", ["csv", "json", "xlsx"])
def test_export_unknown_conference_is_404(client, extension):
    assert client.get(f"/gibt-es-nicht/karten.{extension}").status_code == 404


@pytest.mark.django_db
@pytest.mark.parametrize("count", [1, 3])
def test_json_export_query_count_is_constant(client, django_assert_num_queries, count):
    conference = make_conference(slug="viele")
    station = make_station(conference, 1)
    table = make_table(conference, 1)
    for number in range(count):
        make_card(table, station, text=f"Karte {number}")

    with django_assert_num_queries(4):
        response = client.get("/viele/karten.json")

    assert json.loads(response.content)["count"] == count


@pytest.mark.django_db
def test_winnenden_json_export_has_every_public_card(client):
    total = Card.objects.public().filter(table__conference__slug="winnenden-2019").count()

    data = json.loads(client.get("/winnenden-2019/karten.json").content)

    assert data["count"] == total
    assert len(data["cards"]) == total
