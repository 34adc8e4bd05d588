"""„Aus Tabelle importieren“ in the admin: upload, preview, confirm; a new conference end to end; the round trip."""

import io
import json
import re
import zipfile
from io import StringIO

import openpyxl
import pytest
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Permission
from django.core.management import call_command
from django.test import Client

from results import import_template
from results.models import Card, Conference

pytestmark = pytest.mark.django_db

URL = "/admin/results/card/importieren/"


def upload(client, data, name="karten.xlsx", conference="", new_slug=""):
    file = io.BytesIO(data)
    file.name = name
    return client.post(URL, {"conference": conference, "new_slug": new_slug, "file": file})


def confirm(client, response, withdraw=False):
    fingerprint = re.search(r'name="fingerprint" value="([0-9a-f]+)"', response.content.decode())[1]
    data = {"confirm": "1", "fingerprint": fingerprint} | ({"withdraw": "1"} if withdraw else {})
    return client.post(URL, data)


def filled_template():
    """The template filled as a facilitator would: two tables, three stations, twelve cards, one nested item."""
    stream = io.BytesIO()
    import_template.write_template(stream)
    workbook = openpyxl.load_workbook(io.BytesIO(stream.getvalue()))
    conference = workbook["Konferenz"]
    values = ["Fachtag Integration Esslingen", "Kommunales Integrationsmanagement", "12.03.2027", "Neckarforum"]
    for column, value in zip("ABCDEF", [*values, "Esslingen", "CC BY 4.0"], strict=True):
        conference[f"{column}2"] = value
    stations = workbook["Stationen"]
    for number, question in enumerate(
        ["Was läuft gut? Wo hakt es?", "Was soll ein gutes Integrationsmanagement leisten?", "Wer kann helfen?"], 1
    ):
        stations[f"A{number + 1}"], stations[f"B{number + 1}"] = number, question
    tables = workbook["Thementische"]
    tables["A2"], tables["B2"], tables["A3"], tables["B3"] = 1, "Wohnraum für Geflüchtete", 2, "Sprachförderung"
    cards = workbook["Karten"]
    rows = [
        (1, 1, "gut", "Was läuft gut?", None, "Wohnungsbörse der Stadt"),
        (1, 1, "hakt", "Wo hakt es?", None, "Wünsche:"),
        (1, 1, "hakt", "Wo hakt es?", "Zeile 3", "Mehr bezahlbarer Wohnraum"),
        (1, 2, "ziel", "", None, "Einzugsbegleitung für alle"),
        (1, 3, "helfer", "Wer kann helfen?", None, "Wohnungsbaugesellschaft"),
        (1, 3, "helfer", "Wer kann helfen?", None, "Mieterverein"),
        (2, 1, "gut", "Was läuft gut?", None, "Sprachcafé im Quartier"),
        (2, 1, "hakt", "Wo hakt es?", None, "Wartelisten für Integrationskurse"),
        (2, 2, "ziel", "", None, "Kinderbetreuung während der Kurse"),
        (2, 2, "ziel", "", None, "Dolmetscherpool für Behördengänge"),
        (2, 3, "vor-ort", "", None, "Ehrenamtliche Lernpaten gewinnen"),
        (2, 3, "helfer", "Wer kann helfen?", None, "Volkshochschule"),
    ]
    for index, (table, station, kind, heading, parent, text) in enumerate(rows, start=2):
        for column, value in zip("BCDEFH", [table, station, kind, heading, parent, text], strict=True):
            cards[f"{column}{index}"] = value
    stream = io.BytesIO()
    workbook.save(stream)
    return stream.getvalue()


def test_a_new_conference_from_the_template_appears_everywhere_in_both_languages(admin_client, client, tmp_path):
    preview = upload(admin_client, filled_template(), "esslingen.xlsx", new_slug="esslingen-2027")
    assert "12 neue Karten" in preview.content.decode()
    assert not Conference.objects.filter(slug="esslingen-2027").exists()

    assert confirm(admin_client, preview).status_code == 302

    conference = Conference.objects.get(slug="esslingen-2027")
    assert (conference.licence, conference.date.isoformat()) == ("CC-BY-4.0", "2027-03-12")
    nested = Card.objects.get(text="Mehr bezahlbarer Wohnraum")
    assert nested.parent.text == "Wünsche:"
    for prefix in ("", "/en"):
        assert "Fachtag Integration Esslingen" in client.get(f"{prefix}/").content.decode()
        table = client.get(f"{prefix}/esslingen-2027/tische/wohnraum-fuer-gefluechtete/").content.decode()
        assert "Wohnungsbörse der Stadt" in table
        assert "Mehr bezahlbarer Wohnraum" in table
        station = client.get(f"{prefix}/esslingen-2027/stationen/2/").content.decode()
        assert "Dolmetscherpool für Behördengänge" in station
        assert "Lernpaten" in client.get(f"{prefix}/suche/?q=Lernpaten").content.decode()
        sign = client.get(f"{prefix}/esslingen-2027/tische/sprachfoerderung/aushang/")
        assert sign.status_code == 200
        assert "Sprachförderung" in sign.content.decode()
    exported = json.loads(client.get("/esslingen-2027/karten.json").content)
    assert exported["count"] == 12
    assert "Volkshochschule" in client.get("/esslingen-2027/karten.csv").content.decode()
    workbook = openpyxl.load_workbook(io.BytesIO(client.get("/esslingen-2027/karten.xlsx").content))
    assert workbook.active.max_row == 13
    output = tmp_path / "copy.zip"
    call_command("export_site", "--conference", "esslingen-2027", "--output", str(output), stdout=StringIO())
    with zipfile.ZipFile(output) as archive:
        pages = {name.split("/", 1)[1]: archive.read(name).decode("utf-8", "replace") for name in archive.namelist()}
    assert "Wartelisten für Integrationskurse" in pages["tische/sprachfoerderung/index.html"]
    assert "Fachtag Integration Esslingen" in pages["index.html"]


def test_round_trip_of_the_winnenden_export_shows_exactly_the_three_changes(admin_client, admin_user, client):
    workbook = openpyxl.load_workbook(io.BytesIO(client.get("/winnenden-2019/karten.xlsx").content))
    sheet = workbook.active
    header = [cell.value for cell in sheet[1]]
    text, ident = header.index("Text") + 1, header.index("ID") + 1
    first, second = sheet.cell(2, ident).value, sheet.cell(40, ident).value
    sheet.cell(2, text).value += " (ergänzt)"
    sheet.cell(40, text).value = "Ein ganz neuer Wortlaut"
    new_row = [None] * len(header)
    for name, value in {"Tisch": 3, "Station": 1, "Art (Kürzel)": "gut", "Text": "Eine Karte aus Excel"}.items():
        new_row[header.index(name)] = value
    sheet.append(new_row)
    stream = io.BytesIO()
    workbook.save(stream)
    before = Card.history.count()

    preview = upload(admin_client, stream.getvalue(), "winnenden-korrekturen.xlsx", conference="winnenden-2019")

    page = preview.content.decode()
    assert "1 neue Karte" in page
    assert "2 geänderte Karten" in page
    assert "Karten fehlen in der Datei" not in page
    assert "Sprachgebrauch<ins> (ergänzt)</ins>" in page
    assert "Eine Karte aus Excel" in page
    assert Card.history.count() == before

    confirm(admin_client, preview)

    records = Card.history.filter(history_change_reason="Import winnenden-korrekturen.xlsx")
    assert sorted(records.values_list("history_type", flat=True)) == ["+", "~", "~"]
    assert {record.history_user for record in records} == {admin_user}
    assert Card.history.count() == before + 3
    assert {record.id for record in records if record.history_type == "~"} == {first, second}
    changed = Card.objects.get(pk=second)
    assert (changed.text, changed.corrected) == ("Ein ganz neuer Wortlaut", True)
    assert Card.objects.get(text="Eine Karte aus Excel").origin == "admin"
    # The public change log lists exactly these three, with the import as their reason.
    log = client.get("/winnenden-2019/aenderungen/").content.decode()
    entries = log.split('<ol class="changes">', 1)[1].split("</ol>", 1)[0]
    assert entries.count('<li class="change ') == 3
    assert entries.count("Grund: <span") == 3
    assert "Import winnenden-korrekturen.xlsx" in entries
    assert "Eine Karte aus Excel" in entries
    assert "Wortlaut</ins>" in entries and "<del>" in entries


def test_a_preview_that_no_longer_holds_is_shown_again_instead_of_applied(admin_client):
    card = Card.objects.get(pk=1)
    data = io.StringIO()
    data.write(f"id;table;station;kind;text\r\n{card.pk};{card.table.number};{card.station.number};{card.kind};Neu\r\n")
    preview = upload(admin_client, data.getvalue().encode(), "eine.csv", conference="winnenden-2019")
    Card.objects.filter(pk=1).update(text="Inzwischen anders berichtigt")

    response = confirm(admin_client, preview)

    assert response.status_code == 200
    assert "Die Daten haben sich seit der Vorschau geändert" in response.content.decode()
    assert Card.objects.get(pk=1).text == "Inzwischen anders berichtigt"


def test_problems_are_listed_and_nothing_is_kept_for_a_confirmation(admin_client):
    data = b"table;station;kind;text\r\n99;1;gut;x\r\n1;1;gut;\r\n"
    response = upload(admin_client, data, "fehler.csv", conference="winnenden-2019")

    page = response.content.decode()
    assert "2 Probleme. Es wurde nichts gespeichert." in page
    assert "Karten, Zeile 2, Spalte A („Tisch“): Thementisch „99“ gibt es nicht." in page
    assert "Karten, Zeile 3, Spalte D („Text“): Der Text fehlt." in page
    assert admin_client.post(URL, {"confirm": "1", "fingerprint": "x"}).status_code == 302


def test_import_needs_the_right_to_add_and_change_cards():
    user = get_user_model().objects.create_user("redakteurin", password="x", is_staff=True)
    client = Client()
    client.force_login(user)
    assert client.get(URL).status_code == 403
    user.user_permissions.add(*Permission.objects.filter(codename__in=["add_card", "change_card"]))
    assert client.get(URL).status_code == 200
    response = upload(Client(), b"", new_slug="x")
    assert response.status_code == 302  # to the login page


def test_a_new_conference_cannot_take_the_address_of_a_page(admin_client):
    response = upload(admin_client, b"", "karten.csv", new_slug="suche")
    assert "Dieses Kürzel ist für eine Seite des Archivs vergeben." in response.content.decode()


def test_a_new_conference_can_be_imported_from_the_english_admin(admin_client):
    # The public URLs are checked in German: under English, /<slug>/ resolved to nothing and the upload gave a 404.
    admin_client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"

    preview = upload(admin_client, filled_template(), "esslingen.xlsx", new_slug="esslingen-2027")
    taken = [upload(admin_client, b"", "karten.csv", new_slug=slug).content.decode() for slug in ("suche", "en")]

    assert preview.status_code == 200
    assert preview.headers["Content-Language"] == "en"
    assert 'name="fingerprint"' in preview.content.decode()
    assert all("This short name is taken by a page of the archive." in page for page in taken)
    assert confirm(admin_client, preview).status_code == 302
    assert Conference.objects.filter(slug="esslingen-2027").exists()


def test_card_texts_in_the_preview_are_escaped(admin_client):
    card = Card.objects.get(pk=1)
    data = f"id;table;station;kind;text\r\n{card.pk};{card.table.number};{card.station.number};{card.kind};"
    data += "<script>x</script>"
    page = upload(admin_client, data.encode(), "x.csv", conference="winnenden-2019").content.decode()
    assert "<script>x" not in page
    assert "&lt;script&gt;x&lt;/script&gt;" in page


def test_the_licence_is_chosen_from_the_list_and_winnenden_has_none(admin_client):
    conference = Conference.objects.get(slug="winnenden-2019")
    assert conference.licence == ""
    form = admin_client.get(f"/admin/results/conference/{conference.pk}/change/").content.decode()
    options = re.findall(
        r'<option value="([^"]*)"( selected)?>', form[form.index('name="licence"') :].split("</select>")[0]
    )
    assert options == [
        ("", " selected"),
        ("DL-DE-BY-2.0", ""),
        ("DL-DE-ZERO-2.0", ""),
        ("CC-BY-4.0", ""),
        ("CC0-1.0", ""),
    ]
    assert "keine Angabe" in admin_client.get("/admin/results/conference/").content.decode()


def test_a_confirmation_the_database_no_longer_fits_names_the_problem_and_stores_nothing(admin_client):
    card = Card.objects.filter(table__conference__slug="winnenden-2019", children=None).first()
    data = f"id;table;station;kind;text\r\n{card.pk};{card.table.number};{card.station.number};{card.kind};Neu\r\n"
    preview = upload(admin_client, data.encode(), "eine.csv", conference="winnenden-2019")
    history = Card.history.count()
    pk = card.pk
    card.delete()

    page = confirm(admin_client, preview).content.decode()

    assert f"Eine Karte mit der ID {pk} gibt es in dieser Konferenz nicht." in page
    assert Card.history.count() == history + 1  # the deletion alone
