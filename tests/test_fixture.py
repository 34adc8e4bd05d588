"""The committed fixture against the shipped document: regenerated identically, nothing lost, nothing invented."""

import json
import re
from collections import Counter
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command
from django.db.models import Count

from results.models import Card, Conference, TableStation, ThemeTable

SOURCE = Path("fixtures/source/regionalkonferenz-winnenden-2019-07-02.txt")
FIXTURE = Path("fixtures/winnenden-2019.json")


def raw_table_slides():
    """(title, slide text) of every table slide, found with a plain scan of the raw text."""
    text = SOURCE.read_text(encoding="utf-8")
    slides = re.split(r"\n(?:[ \t]*\n){3,}", text)
    found = []
    for slide in slides:
        slide = slide.strip("\n")
        if slide.startswith("Thementisch:"):
            head = slide.split("\nErgebnisse", 1)[0]
            title = " ".join(part.strip() for part in head.removeprefix("Thementisch:").split("\n"))
            found.append((" ".join(title.split()), slide))
    return found


def raw_items_per_table():
    counts = Counter()
    for title, slide in raw_table_slides():
        counts[title] += sum(
            1 for line in slide.split("\n") if line.strip().startswith("•") or re.match(r"^\d+\. ", line.strip())
        )
    return counts


def test_import_document_regenerates_the_committed_fixture_byte_for_byte(tmp_path):
    first, second = tmp_path / "first.json", tmp_path / "second.json"

    for output in (first, second):
        call_command("import_document", SOURCE, conference="winnenden-2019", output=output, stdout=StringIO())

    assert first.read_bytes() == second.read_bytes()
    assert first.read_bytes() == FIXTURE.read_bytes()


@pytest.mark.django_db
def test_tables_are_there_in_document_order_with_their_exact_titles():
    titles = list(dict.fromkeys(title for title, _ in raw_table_slides()))

    stored = list(ThemeTable.objects.filter(conference__slug="winnenden-2019").values_list("number", "title"))

    assert stored == list(enumerate(titles, start=1))
    assert len(titles) == 11  # DESIGN.md: the document has eleven; counted above, checked here.


@pytest.mark.django_db
def test_every_bullet_and_numbered_item_of_a_table_is_one_card():
    expected = raw_items_per_table()

    stored = Counter(
        {
            table.title: table.card_total
            for table in ThemeTable.objects.filter(conference__slug="winnenden-2019").annotate(
                card_total=Count("cards")
            )
        }
    )

    assert stored == expected


@pytest.mark.django_db
def test_every_card_starts_at_its_source_line():
    lines = SOURCE.read_text(encoding="utf-8").split("\n")

    mismatches = []
    for card in Card.objects.filter(table__conference__slug="winnenden-2019"):
        raw = " ".join(lines[card.source_line - 1].replace("•", " ").split())
        first_word = card.original_text.split()[0]
        if raw.split()[0] != first_word:
            mismatches.append((card.pk, card.source_line, first_word, raw))

    assert mismatches == []


@pytest.mark.django_db
def test_photo_only_and_missing_stations_are_recorded():
    statuses = {
        (ts.table.title, ts.station.number): ts.status
        for ts in TableStation.objects.select_related("table", "station").exclude(status="text")
    }

    assert statuses == {
        ("Frauen, Kinderbetreuung, Sprache", 2): "photo",
        ("Frauen, Kinderbetreuung, Sprache", 3): "photo",
        ("Einzelkämpfer im ländlichen Raum", 3): "photo",
        ("Rahmenbedingungen", 2): "missing",
    }


@pytest.mark.django_db
def test_conference_programme_stations_and_closing_are_imported():
    conference = Conference.objects.get(slug="winnenden-2019")

    assert (conference.date.isoformat(), conference.venue, conference.city) == (
        "2019-07-02",
        "Hermann-Schwab-Halle",
        "Winnenden",
    )
    assert conference.licence == ""
    assert conference.source_text == SOURCE.read_text(encoding="utf-8")
    assert [item.start.strftime("%H:%M") for item in conference.programme.all()] == [
        "09:00", "09:30", "10:00", "10:45", "11:45", "13:00", "14:00", "15:15", "15:30",
    ]  # fmt: skip
    greeting = conference.programme.get(title="Begrüßung")
    assert greeting.speaker_list == [
        "Oberbürgermeister Hartmut Holzwarth, Stadt Winnenden",
        "Ramona Rid, Ministerium für Soziales und Integration Baden-Württemberg",
    ]
    assert [(s.number, s.programme_item.start.strftime("%H:%M")) for s in conference.stations.all()] == [
        (1, "10:45"),
        (2, "11:45"),
        (3, "14:00"),
    ]
    assert conference.closing_title == "Gründung des „LIM-Baden-Württemberg“ – Landesverband Integrationsmanagement"
    assert list(conference.closing_items.values_list("text", flat=True)) == [
        "1. Sprachrohr sein",
        "Einheitliches Konzept, speziell für IntMan",
        "Nachhaltigkeit in der Finanzierung",
        "Vernetzung um gemeinsam Rahmenbedingungen zu verbessern",
        "Weg von Projektfinanzierung",
        "Entwicklung von beruflichen Standards",
        "Interessenvertreter_innen für IntMan",
    ]


@pytest.mark.django_db
def test_document_traps_come_out_as_a_careful_reader_records_them():
    texts = set(Card.objects.values_list("original_text", flat=True))

    assert "Fehlende KiTa-Plätze, zu wenig Elternintegrationskurse → geringe Teilnahme" in texts
    assert "Zeitarbeit: keine nachhaltige Arbeitsmarktintegration" in texts
    assert not any("\uf0e0" in text for text in texts)
    wishes = Card.objects.get(original_text="Wünsche:")
    assert list(wishes.children.values_list("original_text", flat=True)) == [
        "Mehr Zeit für IntMan",
        "Flexibler Umgang im IntMan → pragmatische und kommunal bedingte Lösungen",
    ]


def test_fixture_is_valid_json_with_stable_primary_keys():
    records = json.loads(FIXTURE.read_text(encoding="utf-8"))

    card_pks = [record["pk"] for record in records if record["model"] == "results.card"]

    assert card_pks == list(range(1, len(card_pks) + 1))
