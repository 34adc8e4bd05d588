"""The spreadsheet import: the template, reading XLSX and CSV, every problem named, corrections, the command."""

import csv
import io
from io import StringIO

import openpyxl
import pytest
from django.core.management import CommandError, call_command

from results import import_template, spreadsheet
from results.models import Card, Conference, TableStation
from tests.factories import make_card, make_world_cafe

pytestmark = pytest.mark.django_db

CARD_HEADER = ["ID", "Tisch", "Station", "Art (Kürzel)", "Überschrift", "Übergeordnete Karte", "Position", "Text"]


def template():
    stream = io.BytesIO()
    import_template.write_template(stream)
    return openpyxl.load_workbook(io.BytesIO(stream.getvalue()))


def xlsx(workbook):
    stream = io.BytesIO()
    workbook.save(stream)
    return stream.getvalue()


def cards_workbook(rows, header=CARD_HEADER):
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.title = "Karten"
    sheet.append(header)
    for row in rows:
        sheet.append(row)
    return workbook


def run(slug, data, name="karten.xlsx", **options):
    """read, plan and (when the plan has no problem) apply, as the admin does after confirming."""
    plan = spreadsheet.plan(slug, spreadsheet.read_file(name, data), name)
    if not plan.problems:
        spreadsheet.apply(plan, **options)
    return plan


def problems_of(slug, data, name="karten.xlsx"):
    try:
        plan = spreadsheet.plan(slug, spreadsheet.read_file(name, data), name)
    except spreadsheet.SpreadsheetError as error:
        return [str(problem) for problem in error.problems]
    return [str(problem) for problem in plan.problems]


def test_template_has_a_sheet_per_part_german_headers_drop_downs_and_an_example_row():
    workbook = template()

    assert workbook.sheetnames == ["Konferenz", "Stationen", "Thementische", "Karten"]
    assert [cell.value for cell in workbook["Konferenz"][1]] == [
        "Titel", "Untertitel", "Datum", "Veranstaltungsort", "Stadt", "Lizenz",
    ]  # fmt: skip
    assert [cell.value for cell in workbook["Stationen"][1]] == ["Nummer", "Frage"]
    assert [cell.value for cell in workbook["Thementische"][1]] == ["Nummer", "Titel"]
    assert [cell.value for cell in workbook["Karten"][1]] == CARD_HEADER
    for name in workbook.sheetnames:
        assert any(cell.value for cell in workbook[name][2]), f"{name} has no example row"
    lists = {str(v.sqref).split(":")[0]: v.formula1 for v in workbook["Karten"].data_validations.dataValidation}
    assert lists["D2"] == '"gut,hakt,ziel,vor-ort,helfer,sonstiges"'
    assert lists["B2"] == "=Thementische!$A$2:$A$500"
    assert lists["C2"] == "=Stationen!$A$2:$A$100"
    licences = workbook["Konferenz"].data_validations.dataValidation[0].formula1
    assert licences == '"keine Angabe,dl-de/by-2-0,dl-de/zero-2-0,CC BY 4.0,CC0 1.0"'


def test_template_as_it_is_imports_as_a_new_conference(client):
    plan = run("beispiel-2027", xlsx(template()), "vorlage.xlsx")

    assert plan.problems == []
    conference = Conference.objects.get(slug="beispiel-2027")
    assert conference.title == "Regionalkonferenz Beispielstadt"
    assert conference.licence == ""
    assert conference.source_document == "vorlage.xlsx"
    card = Card.objects.get(table__conference=conference)
    assert (card.kind, card.text, card.original_text, card.origin) == (
        "gut", "Gute Zusammenarbeit mit dem Jobcenter", "Gute Zusammenarbeit mit dem Jobcenter", "document",
    )  # fmt: skip
    assert TableStation.objects.get(table=card.table).status == "text"


def test_template_is_downloadable_from_the_data_page_and_the_admin(client, admin_client):
    page = client.get("/winnenden-2019/daten/").content.decode()
    assert 'href="/winnenden-2019/daten/vorlage.xlsx"' in page
    for response in (
        client.get("/winnenden-2019/daten/vorlage.xlsx"),
        admin_client.get("/admin/results/card/importieren/vorlage.xlsx"),
    ):
        assert response.status_code == 200
        assert openpyxl.load_workbook(io.BytesIO(response.content)).sheetnames[-1] == "Karten"
    assert client.get("/gibt-es-nicht/daten/vorlage.xlsx").status_code == 404


def test_every_problem_is_named_with_sheet_row_and_column_and_nothing_is_stored():
    _conference, tables, _stations = make_world_cafe(tables=2, slug="fehler")
    card = Card.objects.filter(table=tables[0]).first()
    rows = [
        [card.pk, 1, 1, "gut", "", "", 1, "ok"],
        [card.pk, 1, 1, "gut", "", "", 2, "dieselbe ID"],
        [None, 9, 1, "gut", "", "", "", "unbekannter Tisch"],
        [None, 1, 7, "gut", "", "", "", "unbekannte Station"],
        [None, 1, 1, "gut-und-schlecht", "", "", "", "falsche Art"],
        [None, 1, 1, "gut", "", 99999, "", "Elternkarte gibt es nicht"],
        [None, 1, 1, "gut", "", "Zeile 40", "", "Elternzeile gibt es nicht"],
        [None, 1, 1, "gut", "", "", "", None],
        [None, 1, 1, "gut", "", "", "", "=1+1"],
        [77777, 1, 1, "gut", "", "", "", "ID gibt es nicht"],
    ]
    before = list(Card.history.values_list("history_id", flat=True))

    problems = problems_of("fehler", xlsx(cards_workbook(rows)))

    assert problems == [
        f"Karten, Zeile 3, Spalte A („ID“): Die ID {card.pk} steht schon in Zeile 2.",
        "Karten, Zeile 4, Spalte B („Tisch“): Thementisch „9“ gibt es nicht.",
        "Karten, Zeile 5, Spalte C („Station“): Station „7“ gibt es nicht.",
        "Karten, Zeile 6, Spalte D („Art (Kürzel)“): „gut-und-schlecht“ ist keine Art; "
        "erlaubt: gut, hakt, ziel, vor-ort, helfer, sonstiges.",
        "Karten, Zeile 7, Spalte F („Übergeordnete Karte“): Keine Karte hat die ID 99999; "
        "eine neue übergeordnete Karte nennen Sie mit „Zeile N“.",
        "Karten, Zeile 8, Spalte F („Übergeordnete Karte“): In Zeile 40 steht keine gültige Karte.",
        "Karten, Zeile 9, Spalte H („Text“): Der Text fehlt.",
        "Karten, Zeile 10, Spalte H („Text“): Formeln werden nicht übernommen.",
        "Karten, Zeile 11, Spalte A („ID“): Eine Karte mit der ID 77777 gibt es in dieser Konferenz nicht.",
    ]
    assert list(Card.history.values_list("history_id", flat=True)) == before


def test_missing_and_wrong_headers_are_named_all_at_once():
    workbook = template()
    workbook["Karten"]["H1"] = "Txt"
    workbook["Stationen"]["B1"] = None

    assert problems_of("neu-2027", xlsx(workbook)) == [
        "Stationen, Zeile 1: Die Spalte „Frage“ fehlt.",
        "Karten, Zeile 1: Die Spalte „Text“ fehlt.",
    ]
    assert not Conference.objects.filter(slug="neu-2027").exists()


def test_a_new_conference_needs_its_sheet_and_valid_values():
    workbook = template()
    workbook["Konferenz"]["C2"] = "irgendwann"
    workbook["Konferenz"]["F2"] = "MIT"
    workbook["Konferenz"]["A2"] = None

    assert problems_of("neu-2027", xlsx(workbook)) == [
        "Konferenz, Zeile 2, Spalte A („Titel“): Darf nicht leer sein.",
        "Konferenz, Zeile 2, Spalte C („Datum“): Unbekannter Wert „irgendwann“.",
        "Konferenz, Zeile 2, Spalte F („Lizenz“): Unbekannter Wert „MIT“.",
    ]
    assert problems_of("neu-2027", xlsx(cards_workbook([]))) == [
        "Eine neue Konferenz braucht das Blatt „Konferenz“ mit einer Zeile."
    ]


@pytest.mark.parametrize(
    ("name", "data"),
    [
        ("bericht.pdf", b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj"),
        ("karten.xlsx", b"PK\x03\x04 kaputt"),
        ("karten.xlsx", b"kein zip"),
        ("karten.csv", b"ID,Text\x00\x00"),
    ],
)
def test_a_file_that_is_no_spreadsheet_is_refused(name, data):
    assert problems_of("winnenden-2019", data, name) == ["Die Datei ist keine Tabelle im Format XLSX oder CSV."]


def test_a_file_over_the_configured_size_is_refused(settings):
    settings.CARD_IMPORT_MAX_BYTES = 2048
    assert problems_of("winnenden-2019", b"x" * 2049, "karten.csv") == ["Die Datei ist größer als 2 KB."]


@pytest.mark.parametrize(
    ("encoding", "delimiter"),
    [("utf-8", ","), ("utf-8-sig", ","), ("utf-8", ";"), ("utf-8-sig", ";"), ("cp1252", ";")],
)
def test_csv_with_comma_or_semicolon_with_or_without_bom(encoding, delimiter):
    _conference, tables, _stations = make_world_cafe(tables=1, slug="csv")
    card = Card.objects.filter(table=tables[0]).first()
    rows = [
        ["id", "table", "station", "kind", "text"],
        [card.pk, 1, 1, "gut", "Größere Räume für Übungen"],
        ["", 1, 2, "hakt", "'=Formel, die keine ist"],
    ]
    stream = io.StringIO()
    csv.writer(stream, delimiter=delimiter).writerows(rows)
    data = stream.getvalue()

    plan = run("csv", data.encode(encoding), "karten.csv")

    assert plan.problems == []
    card.refresh_from_db()
    assert card.text == "Größere Räume für Übungen"
    assert Card.objects.get(table=tables[0], station__number=2, kind="hakt").text == "=Formel, die keine ist"


def test_csv_formula_without_apostrophe_is_refused():
    make_world_cafe(tables=1, slug="csv")
    data = b'table;station;kind;text\r\n1;1;gut;=HYPERLINK("x")\r\n'
    assert problems_of("csv", data, "karten.csv") == [
        "Karten, Zeile 2, Spalte D („Text“): Formeln werden nicht übernommen."
    ]


def test_a_changed_text_is_a_correction_with_reason_and_editor(admin_user):
    conference, tables, _stations = make_world_cafe(tables=1, slug="korrektur")
    card = Card.objects.filter(table=tables[0]).first()
    original = card.text
    workbook = cards_workbook([[card.pk, 1, 1, card.kind, card.heading, None, card.position, "Berichtigter Text"]])

    run("korrektur", xlsx(workbook), "korrekturen.xlsx", user=admin_user)

    card.refresh_from_db()
    assert (card.text, card.original_text, card.corrected) == ("Berichtigter Text", original, True)
    record = card.history.first()
    assert (record.history_change_reason, record.history_user) == ("Import korrekturen.xlsx", admin_user)
    assert Card.objects.filter(table__conference=conference).count() == 3


def test_missing_cards_are_withdrawn_only_when_ticked_and_never_deleted():
    conference, tables, _stations = make_world_cafe(tables=1, slug="fehlend")
    kept = Card.objects.filter(table=tables[0]).first()
    data = xlsx(cards_workbook([[kept.pk, 1, 1, kept.kind, kept.heading, None, kept.position, kept.text]]))

    plan = run("fehlend", data)
    assert len(plan.missing) == 2
    assert Card.objects.filter(table__conference=conference, withdrawn=False).count() == 3

    run("fehlend", data, withdraw_missing=True)
    withdrawn = Card.objects.filter(table__conference=conference, withdrawn=True)
    assert withdrawn.count() == 2
    assert {card.withdrawn_reason for card in withdrawn} == {"Import karten.xlsx"}
    assert {card.history.first().history_change_reason for card in withdrawn} == {"Import karten.xlsx"}
    assert Card.objects.filter(table__conference=conference).count() == 3
    assert run("fehlend", data).missing == []


def test_the_same_import_twice_changes_nothing_the_second_time():
    workbook = template()
    workbook["Karten"].append([None, 1, 1, "gut", "Was läuft gut?", None, None, "Wünsche:"])
    workbook["Karten"].append([None, 1, 1, "gut", "Was läuft gut?", "Zeile 3", None, "Mehr Zeit"])
    data = xlsx(workbook)
    run("zweimal", data)
    history = Card.history.count()

    second = run("zweimal", data)

    assert (len(second.new), len(second.changed), len(second.unchanged)) == (0, 0, 3)
    assert Card.history.count() == history
    child = Card.objects.get(text="Mehr Zeit")
    assert child.parent.text == "Wünsche:"


def test_parent_in_another_table_or_a_cycle_is_refused():
    make_world_cafe(tables=2, slug="eltern")
    rows = [
        [None, 1, 1, "gut", "", "Zeile 3", None, "A"],
        [None, 1, 1, "gut", "", "Zeile 2", None, "B"],
        [None, 2, 1, "gut", "", "Zeile 2", None, "C"],
    ]
    assert problems_of("eltern", xlsx(cards_workbook(rows))) == [
        "Karten, Zeile 2, Spalte F („Übergeordnete Karte“): Die Karte wäre sich selbst übergeordnet.",
        "Karten, Zeile 3, Spalte F („Übergeordnete Karte“): Die Karte wäre sich selbst übergeordnet.",
        "Karten, Zeile 4, Spalte F („Übergeordnete Karte“): Die übergeordnete Karte steht an einem anderen Tisch "
        "oder bei einer anderen Station.",
    ]


def test_a_parent_moves_with_its_children_whatever_the_order_of_the_rows():
    # Each card is saved under Card.clean's rule (its parent at its place): the parents go first, at their new place.
    _conference, (first, _second), (station, *_) = make_world_cafe(tables=2, cards_per_station=0, slug="umzug")
    parent = make_card(first, station, text="Wünsche:")
    child = make_card(first, station, text="Mehr Zeit", parent=parent)
    rows = [
        [child.pk, 2, 1, "gut", "", parent.pk, 1, "Mehr Zeit"],
        [None, 2, 1, "gut", "", parent.pk, 2, "Mehr Geld"],
        [parent.pk, 2, 1, "gut", "", None, 1, "Wünsche:"],
    ]

    plan = run("umzug", xlsx(cards_workbook(rows)))

    assert plan.problems == []
    moved = Card.objects.filter(parent=parent).order_by("position")
    assert [(card.text, card.table.number) for card in moved] == [("Mehr Zeit", 2), ("Mehr Geld", 2)]
    assert Card.objects.get(pk=parent.pk).table.number == 2


def test_command_dry_run_prints_the_preview_and_changes_nothing(tmp_path):
    _conference, tables, _stations = make_world_cafe(tables=1, slug="befehl")
    card = make_card(tables[0], tables[0].table_stations.first().station, text="Alter Text")
    path = tmp_path / "karten.xlsx"
    path.write_bytes(xlsx(cards_workbook([[card.pk, 1, 1, "gut", "", None, card.position, "Neuer Text"]])))
    out = StringIO()

    call_command("import_cards", str(path), "--conference", "befehl", "--dry-run", stdout=out)

    assert f"~ Karte {card.pk}: text: Alter Text → Neuer Text" in out.getvalue()
    assert "0 neu, 1 geändert, 0 unverändert, 3 fehlen in der Datei" in out.getvalue()
    card.refresh_from_db()
    assert card.text == "Alter Text"
    call_command("import_cards", str(path), "--conference", "befehl", stdout=StringIO())
    card.refresh_from_db()
    assert card.text == "Neuer Text"


def test_command_names_every_problem(tmp_path):
    make_world_cafe(tables=1, slug="befehl")
    path = tmp_path / "karten.xlsx"
    path.write_bytes(
        xlsx(cards_workbook([[None, 5, 1, "gut", "", None, None, "x"], [None, 1, 1, "neu", "", None, None, "y"]]))
    )

    with pytest.raises(CommandError) as error:
        call_command("import_cards", str(path), "--conference", "befehl")

    assert str(error.value).splitlines() == [
        "Karten, Zeile 2, Spalte B („Tisch“): Thementisch „5“ gibt es nicht.",
        "Karten, Zeile 3, Spalte D („Art (Kürzel)“): „neu“ ist keine Art; "
        "erlaubt: gut, hakt, ziel, vor-ort, helfer, sonstiges.",
    ]


@pytest.mark.parametrize(
    "url", ["/winnenden-2019/karten.xlsx", "/en/winnenden-2019/karten.xlsx", "/winnenden-2019/karten.csv"]
)
def test_every_export_of_a_conference_imports_unchanged(client, url):
    data = client.get(url).content
    plan = spreadsheet.plan("winnenden-2019", spreadsheet.read_file(url.rsplit("/", 1)[1], data), "export")

    assert plan.problems == []
    assert (len(plan.new), len(plan.changed), len(plan.missing)) == (0, 0, 0)
    assert len(plan.unchanged) == Card.objects.filter(table__conference__slug="winnenden-2019", withdrawn=False).count()
