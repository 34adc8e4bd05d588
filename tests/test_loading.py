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
