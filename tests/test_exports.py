import csv
import io
import json

import openpyxl
import pytest
from django.http import QueryDict
from django.utils import translation

from results.exports import COLUMNS, card_rows, write_csv, write_json, write_xlsx
from results.filters import CardFilter
from results.models import Card
from tests.factories import make_card, make_conference, make_station, make_table

BASE_URL = "https://archiv.example.org"


@pytest.fixture
def conference(db):
    conference = make_conference(slug="testkonferenz")
    first, second = make_station(conference, 1), make_station(conference, 2)
    wohnen = make_table(conference, 1, title="Wohnen und Wohnraum")
    sprache = make_table(conference, 2, title="Sprache")
    parent = make_card(wohnen, first, text="Wünsche:", kind="gut", position=1, source_line=10)
    make_card(wohnen, first, text="Mehr Wohnungen", kind="gut", position=2, parent=parent, source_line=11)
    make_card(
        wohnen,
        second,
        text="Dolmetscher_innen für Ärzt_innen",
        original_text="Dolmetscher_innen fur Ärzt_innen",
        kind="ziel",
        position=1,
    )
    make_card(sprache, first, text="=SUMME(A1:A2) ist kein Befehl", kind="hakt", position=1)
    make_card(sprache, first, text="Zurückgezogen", kind="hakt", position=2, withdrawn=True)
    return conference


def rows_of(conference, data=""):
    filterset = CardFilter(QueryDict(data), queryset=Card.objects.all(), conference=conference)
    return list(card_rows(filterset.qs, BASE_URL))


def test_columns_follow_the_design_order():
    assert COLUMNS == [
        "id",
        "conference",
        "table",
        "table_title",
        "station",
        "kind",
        "heading",
        "position",
        "parent",
        "text",
        "original_text",
        "corrected",
        "source_line",
        "url",
    ]


def test_card_rows_hold_numbers_ids_flags_and_absolute_urls(conference):
    rows = rows_of(conference)

    cards = Card.objects.filter(table__conference=conference)
    parent, child = cards.get(text="Wünsche:"), cards.get(text="Mehr Wohnungen")
    assert [list(row) for row in rows] == [COLUMNS] * 4
    assert rows[1] == {
        "id": child.pk,
        "conference": "testkonferenz",
        "table": 1,
        "table_title": "Wohnen und Wohnraum",
        "station": 1,
        "kind": "gut",
        "heading": "",
        "position": 2,
        "parent": parent.pk,
        "text": "Mehr Wohnungen",
        "original_text": "Mehr Wohnungen",
        "corrected": False,
        "source_line": 11,
        "url": f"{BASE_URL}/testkonferenz/tische/wohnen-und-wohnraum/#karte-{child.pk}",
    }
    assert [(row["table"], row["station"], row["parent"], row["corrected"]) for row in rows] == [
        (1, 1, None, False),
        (1, 1, parent.pk, False),
        (1, 2, None, True),
        (2, 1, None, False),
    ]


def test_card_rows_never_hold_withdrawn_cards(conference):
    assert "Zurückgezogen" not in [row["text"] for row in rows_of(conference)]
    assert "Zurückgezogen" not in [row["text"] for row in card_rows(Card.objects.all(), BASE_URL)]


def test_card_rows_follow_the_filter_state(conference):
    assert [row["text"] for row in rows_of(conference, "tisch=2")] == ["=SUMME(A1:A2) ist kein Befehl"]
    assert [row["text"] for row in rows_of(conference, "station=2")] == ["Dolmetscher_innen für Ärzt_innen"]
    assert [row["text"] for row in rows_of(conference, "q=wohnung&art=gut")] == ["Mehr Wohnungen"]
    assert [row["text"] for row in rows_of(conference, "korrigiert=ja")] == ["Dolmetscher_innen für Ärzt_innen"]
    assert rows_of(conference, "station=9") == []


def test_card_rows_urls_ignore_the_request_language(conference):
    with translation.override("en"):
        urls = [row["url"] for row in rows_of(conference, "tisch=2")]

    assert urls[0].startswith(f"{BASE_URL}/testkonferenz/tische/sprache/#karte-")


def test_card_rows_take_one_query(conference, django_assert_num_queries):
    cards = Card.objects.filter(table__conference=conference)

    with django_assert_num_queries(1):
        rows = list(card_rows(cards, BASE_URL))

    assert len(rows) == 4


def test_write_csv_has_a_header_and_comma_separated_rows(conference):
    stream = io.StringIO()

    write_csv(rows_of(conference), stream)

    lines = stream.getvalue().splitlines()
    assert lines[0] == ",".join(COLUMNS)
    records = list(csv.DictReader(io.StringIO(stream.getvalue())))
    assert [record["text"] for record in records] == [
        "Wünsche:",
        "Mehr Wohnungen",
        "Dolmetscher_innen für Ärzt_innen",
        "=SUMME(A1:A2) ist kein Befehl",
    ]
    assert [(record["parent"], record["corrected"]) for record in records][:3] == [
        ("", "false"),
        (records[0]["id"], "false"),
        ("", "true"),
    ]


def test_write_json_is_an_object_with_count_and_cards(conference):
    stream = io.StringIO()
    rows = rows_of(conference)

    write_json("testkonferenz", rows, stream)

    document = json.loads(stream.getvalue())
    assert list(document) == ["conference", "licence", "count", "cards"]
    assert document["licence"] is None
    assert document["conference"] == "testkonferenz"
    assert document["count"] == 4
    assert document["cards"] == rows
    assert "Ärzt_innen" in stream.getvalue()


def test_write_xlsx_has_german_labels_kind_labels_and_a_frozen_header(conference):
    stream = io.BytesIO()

    write_xlsx(rows_of(conference), stream)

    sheet = openpyxl.load_workbook(io.BytesIO(stream.getvalue())).active
    values = list(sheet.iter_rows(values_only=True))
    assert list(values[0]) == [
        "ID",
        "Konferenz",
        "Tisch",
        "Thementisch",
        "Station",
        "Art (Kürzel)",
        "Art",
        "Überschrift",
        "Position",
        "Übergeordnete Karte",
        "Text",
        "Originaltext",
        "Korrigiert",
        "Zeile im Quelldokument",
        "Link zur Karte",
    ]
    assert [(row[5], row[6], row[10]) for row in values[1:]] == [
        ("gut", "Was läuft gut?", "Wünsche:"),
        ("gut", "Was läuft gut?", "Mehr Wohnungen"),
        ("ziel", "Ziele: Was soll ein gutes Integrationsmanagement leisten?", "Dolmetscher_innen für Ärzt_innen"),
        ("hakt", "Wo hakt es?", "=SUMME(A1:A2) ist kein Befehl"),
    ]
    assert sheet.freeze_panes == "A2"
    assert sheet.column_dimensions["K"].width == 70
    assert sheet["K5"].data_type == "s"


def test_write_xlsx_drops_control_characters(conference):
    stream = io.BytesIO()
    row = rows_of(conference)[0] | {"text": "Zeile\x0bmit Steuerzeichen"}

    write_xlsx([row], stream)

    sheet = openpyxl.load_workbook(io.BytesIO(stream.getvalue())).active
    assert sheet["K2"].value == "Zeilemit Steuerzeichen"
