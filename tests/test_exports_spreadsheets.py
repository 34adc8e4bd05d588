"""Exports that open right: the Excel CSV in German Excel, and no export that can run a formula."""

import csv
import io
import json

import openpyxl
import pytest
from django.core.management import call_command

from tests.factories import make_card, make_conference, make_station, make_table, make_table_station

# Card texts an attacker (or an unlucky transcription) could start with: each would run as a formula.
FORMULAS = ['=HYPERLINK("http://evil.example";"klick")', "+49 7195 1234", "-Sprachkurse", "@SUMME(A1)", "\tEingerückt"]

pytestmark = pytest.mark.django_db


@pytest.fixture
def conference():
    conference = make_conference(slug="fachtag")
    station = make_station(conference, 1)
    table = make_table(conference, 1, title="Wohnen für Familien")
    make_table_station(table, station)
    for text in ["Größere Wohnungen für Familien", *FORMULAS]:
        make_card(table, station, kind="gut", text=text)
    return conference


def test_the_excel_csv_has_semicolons_a_byte_order_mark_and_umlauts(client, conference):
    response = client.get("/fachtag/karten-excel.csv")

    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"] == 'attachment; filename="fachtag-karten-excel.csv"'
    assert response.content.startswith("\ufeff".encode())
    # Excel takes the separator from the first line: the header splits into the export's columns.
    text = response.content.decode("utf-8-sig")
    assert text.splitlines()[0].split(";")[:4] == ["id", "conference", "table", "table_title"]
    rows = list(csv.DictReader(io.StringIO(text), delimiter=";"))
    assert rows[0]["table_title"] == "Wohnen für Familien"
    assert rows[0]["text"] == "Größere Wohnungen für Familien"


def test_the_excel_csv_never_starts_a_cell_with_a_formula(client, conference):
    text = client.get("/fachtag/karten-excel.csv").content.decode("utf-8-sig")

    cells = [cell for row in csv.reader(io.StringIO(text), delimiter=";") for cell in row]
    assert not [cell for cell in cells if cell.startswith(("=", "+", "-", "@", "\t", "\r"))]
    texts = [row["text"] for row in csv.DictReader(io.StringIO(text), delimiter=";")]
    assert texts[1:] == ["'" + formula for formula in FORMULAS]


def test_the_plain_csv_and_json_keep_the_text_exact_for_programs(client, conference):
    plain = client.get("/fachtag/karten.csv").content.decode("utf-8")
    document = json.loads(client.get("/fachtag/karten.json").content)

    assert not plain.startswith("\ufeff")
    assert [row["text"] for row in csv.DictReader(io.StringIO(plain))][1:] == FORMULAS
    assert [card["text"] for card in document["cards"]][1:] == FORMULAS


def test_the_xlsx_keeps_formulas_as_exact_text_with_filter_and_links(client, conference):
    workbook = openpyxl.load_workbook(io.BytesIO(client.get("/fachtag/karten.xlsx").content))
    sheet = workbook.active
    header = [cell.value for cell in sheet[1]]
    text_column = header.index("Text") + 1
    url_column = header.index("Link zur Karte") + 1

    cells = [sheet.cell(row=row, column=text_column) for row in range(3, 3 + len(FORMULAS))]
    assert [cell.value for cell in cells] == FORMULAS
    assert {cell.data_type for cell in cells} == {"s"}
    assert sheet.auto_filter.ref == f"A1:{openpyxl.utils.get_column_letter(len(header))}{2 + len(FORMULAS)}"
    assert sheet.freeze_panes == "A2"
    link = sheet.cell(row=2, column=url_column)
    assert link.hyperlink.target == link.value
    assert link.value.startswith("http://testserver/fachtag/tische/")


def test_glossary_and_actor_exports_have_excel_variants(client):
    for path in ["/winnenden-2019/glossar-excel.csv", "/winnenden-2019/akteure-excel.csv"]:
        response = client.get(path)
        text = response.content.decode("utf-8-sig")

        assert response.content.startswith("\ufeff".encode())
        assert ";" in text.splitlines()[0]
        cells = [cell for row in csv.reader(io.StringIO(text), delimiter=";") for cell in row]
        assert not [cell for cell in cells if cell.startswith(("=", "+", "-", "@"))]


def test_export_cards_writes_the_excel_variant(conference):
    out = io.StringIO()

    call_command("export_cards", "--conference", "fachtag", "--format", "excel", stdout=out)

    text = out.getvalue()
    assert text.startswith("\ufeffid;conference;")
    texts = [row["text"] for row in csv.DictReader(io.StringIO(text.lstrip("\ufeff")), delimiter=";")]
    assert texts[1:] == ["'" + formula for formula in FORMULAS]
