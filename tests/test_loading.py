"""Loading a conference is safe to repeat, and a bad document or fixture changes nothing."""

import json
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from results.models import Card, Conference, ThemeTable

FIXTURE = Path("fixtures/winnenden-2019.json")
SOURCE = Path("fixtures/source/regionalkonferenz-winnenden-2019-07-02.txt")


def snapshot():
    return list(Card.objects.order_by("pk").values_list("pk", "table_id", "station_id", "kind", "text", "position"))


@pytest.mark.django_db
def test_load_conference_again_changes_nothing():
    before = snapshot()
    out = StringIO()

    call_command("load_conference", FIXTURE, stdout=out)

    assert "nothing changed" in out.getvalue()
    assert snapshot() == before
    assert Conference.objects.filter(slug="winnenden-2019").count() == 1


@pytest.mark.django_db
def test_load_conference_keeps_an_admins_correction():
    card = Card.objects.get(original_text="Zu viel Bürokratie")
    card.text = "Zu viel Bürokratie (korrigiert)"
    card.save()

    call_command("load_conference", FIXTURE, stdout=StringIO())

    card.refresh_from_db()
    assert card.text == "Zu viel Bürokratie (korrigiert)"
    assert card.original_text == "Zu viel Bürokratie"


@pytest.mark.django_db
def test_load_conference_numbers_a_second_conference_anew_when_keys_are_taken(tmp_path):
    records = json.loads(FIXTURE.read_text(encoding="utf-8"))
    records[0]["fields"]["slug"] = "zweite-konferenz"
    other = tmp_path / "other.json"
    other.write_text(json.dumps(records), encoding="utf-8")
    cards_before = Card.objects.count()

    call_command("load_conference", other, stdout=StringIO())

    second = Conference.objects.get(slug="zweite-konferenz")
    assert Card.objects.filter(table__conference=second).count() == cards_before
    assert Card.objects.count() == 2 * cards_before
    assert list(ThemeTable.objects.filter(conference=second).values_list("number", flat=True)) == list(range(1, 12))


@pytest.mark.django_db
def test_load_conference_with_a_broken_fixture_loads_nothing(tmp_path):
    records = json.loads(FIXTURE.read_text(encoding="utf-8"))
    records[0]["fields"]["slug"] = "kaputt"
    last_card = max(i for i, record in enumerate(records) if record["model"] == "results.card")
    records[last_card]["fields"]["kind"] = "unbekannt"  # violates the kind constraint at the very end
    broken = tmp_path / "broken.json"
    broken.write_text(json.dumps(records), encoding="utf-8")
    cards_before = Card.objects.count()

    with pytest.raises(Exception, match=r"card_kind_valid|CHECK constraint"):
        call_command("load_conference", broken, stdout=StringIO())

    assert not Conference.objects.filter(slug="kaputt").exists()
    assert Card.objects.count() == cards_before


def test_load_conference_refuses_an_unreadable_fixture(tmp_path):
    missing = tmp_path / "missing.json"

    with pytest.raises(CommandError, match="Cannot read the fixture"):
        call_command("load_conference", missing, stdout=StringIO())


@pytest.mark.parametrize("keep_lines", [60, 300, 700, 1100])
def test_import_document_refuses_a_truncated_document_and_writes_nothing(tmp_path, keep_lines):
    truncated = tmp_path / "truncated.txt"
    truncated.write_text("\n".join(SOURCE.read_text(encoding="utf-8").split("\n")[:keep_lines]), encoding="utf-8")
    output = tmp_path / "out.json"

    with pytest.raises(CommandError, match=r"Zeile \d+") as error:
        call_command("import_document", truncated, conference="x", output=output, stdout=StringIO())

    assert not output.exists()
    line = int(str(error.value).split("Zeile ")[1].split(":")[0])
    assert 1 <= line <= keep_lines


def test_import_document_refuses_a_garbled_document_naming_the_line(tmp_path):
    lines = SOURCE.read_text(encoding="utf-8").split("\n")
    lines[110] = "• Ein Ergebnis vor jeder Frage"  # replaces the question heading of a table slide (line 111)
    garbled = tmp_path / "garbled.txt"
    garbled.write_text("\n".join(lines), encoding="utf-8")
    output = tmp_path / "out.json"

    with pytest.raises(CommandError, match="Zeile 111: Ergebnis ohne vorangehende Stationsfrage"):
        call_command("import_document", garbled, conference="x", output=output, stdout=StringIO())

    assert not output.exists()


def changed_fixture(tmp_path, edit):
    records = json.loads(FIXTURE.read_text(encoding="utf-8"))
    edit(records)
    path = tmp_path / "changed.json"
    path.write_text(json.dumps(records, ensure_ascii=False), encoding="utf-8")
    return path


def card_record(records, original_text):
    return next(r for r in records if r["model"] == "results.card" and r["fields"]["original_text"] == original_text)


def edit_document(records):
    card_record(records, "Zu viel Bürokratie")["fields"]["original_text"] = "Viel zu viel Bürokratie"
    card_record(records, "Kinderschutz")["fields"]["original_text"] = "Kinderschutz und Jugendschutz"
    records.remove(card_record(records, "Schutzhäuser"))
    new = json.loads(json.dumps(card_record(records, "Kindergärten")))
    new["pk"] = 10_000
    new["fields"].update(original_text="Frauenhäuser", text="Frauenhäuser")
    records.append(new)


@pytest.mark.django_db
def test_load_conference_does_not_bring_back_a_card_an_admin_deleted():
    Card.objects.get(original_text="Schutzhäuser").delete()
    out = StringIO()

    call_command("load_conference", FIXTURE, stdout=out)

    assert out.getvalue().strip() == "Conference winnenden-2019 is already in the database; nothing changed."
    assert not Card.objects.filter(original_text="Schutzhäuser").exists()


@pytest.mark.django_db
def test_load_conference_reports_a_changed_document_and_changes_nothing(tmp_path):
    fixture = changed_fixture(tmp_path, edit_document)
    before = snapshot()
    out = StringIO()

    call_command("load_conference", fixture, stdout=out)

    report = out.getvalue()
    assert "„Zu viel Bürokratie“ → „Viel zu viel Bürokratie“" in report
    assert "+ neu (Zeile 1098): „Frauenhäuser“" in report
    assert "nicht mehr im Dokument: „Schutzhäuser“" in report
    assert "nothing changed (--update applies this)" in report
    assert snapshot() == before


@pytest.mark.django_db
def test_load_conference_update_applies_the_document_and_keeps_corrections(tmp_path):
    corrected = Card.objects.get(original_text="Kinderschutz")
    corrected.text = "Kinderschutz (von der Redaktion ergänzt)"
    corrected.save()
    fixture = changed_fixture(tmp_path, edit_document)

    call_command("load_conference", fixture, update=True, stdout=StringIO())

    plain = Card.objects.get(original_text="Viel zu viel Bürokratie")
    assert (plain.text, plain.version) == ("Viel zu viel Bürokratie", 2)
    corrected.refresh_from_db()
    assert (corrected.text, corrected.original_text) == (
        "Kinderschutz (von der Redaktion ergänzt)",
        "Kinderschutz und Jugendschutz",
    )
    removed = Card.objects.get(original_text="Schutzhäuser")
    assert (removed.withdrawn, removed.withdrawn_reason) == (True, "Steht nicht mehr im Quelldokument.")
    added = Card.objects.get(original_text="Frauenhäuser")
    assert (added.table.title, added.station.number, added.kind) == ("Gesundheit, psychosoziale Beratung", 3, "helfer")


@pytest.mark.django_db
def test_load_conference_update_twice_changes_nothing_the_second_time(tmp_path):
    fixture = changed_fixture(tmp_path, edit_document)
    call_command("load_conference", fixture, update=True, stdout=StringIO())
    removed = Card.objects.get(original_text="Schutzhäuser")
    removed.withdrawn_reason = "Vom Veranstalter gestrichen."
    removed.save()
    before = snapshot()
    out = StringIO()

    call_command("load_conference", fixture, update=True, stdout=out)

    assert "nothing changed" in out.getvalue() and "Schutzhäuser" not in out.getvalue()
    assert snapshot() == before
    again = Card.objects.get(pk=removed.pk)
    assert (again.withdrawn_reason, again.version) == ("Vom Veranstalter gestrichen.", removed.version)


@pytest.mark.django_db
def test_load_conference_skips_fields_the_models_no_longer_have(tmp_path):
    records = json.loads(FIXTURE.read_text(encoding="utf-8"))
    records[0]["fields"]["slug"] = "aeltere-fassung"
    for record in records:
        if record["model"] == "results.card":
            record["fields"] |= {"search_text": "veraltet", "retired_flag": True}
    older = tmp_path / "older.json"
    older.write_text(json.dumps(records), encoding="utf-8")

    call_command("load_conference", older, stdout=StringIO())

    loaded = Card.objects.filter(table__conference__slug="aeltere-fassung")
    assert loaded.count() == sum(record["model"] == "results.card" for record in records)
