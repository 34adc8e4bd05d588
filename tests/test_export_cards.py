import csv
import io
import json

import pytest
from django.core.management import CommandError, call_command

from results.exports import COLUMNS
from results.models import Card, Conference


def export(*args):
    out = io.StringIO()
    call_command("export_cards", *args, stdout=out)
    return out.getvalue()


@pytest.mark.django_db
def test_export_cards_json_round_trips_the_database():
    conference = Conference.objects.get(slug="winnenden-2019")

    document = json.loads(export("--conference", "winnenden-2019", "--base-url", "https://archiv.example.org/"))

    cards = Card.objects.public().filter(table__conference=conference).select_related("table", "station")
    by_id = {card.pk: card for card in cards}
    assert document["conference"] == "winnenden-2019"
    assert document["count"] == len(by_id) == len(document["cards"])
    assert sorted(row["id"] for row in document["cards"]) == sorted(by_id)
    for row in document["cards"]:
        card = by_id[row["id"]]
        assert list(row) == COLUMNS
        assert row == {
            "id": card.pk,
            "conference": "winnenden-2019",
            "table": card.table.number,
            "table_title": card.table.title,
            "station": card.station.number,
            "kind": card.kind,
            "heading": card.heading,
            "position": card.position,
            "parent": card.parent_id,
            "text": card.text,
            "original_text": card.original_text,
            "corrected": card.corrected,
            "source_line": card.source_line,
            "url": f"https://archiv.example.org/winnenden-2019/tische/{card.table.slug}/#karte-{card.pk}",
        }


@pytest.mark.django_db
def test_export_cards_json_is_in_document_order():
    cards = json.loads(export("--conference", "winnenden-2019"))["cards"]

    keys = [(row["table"], row["station"], row["position"], row["id"]) for row in cards]
    assert keys == sorted(keys)
    assert cards[0]["url"].startswith("http://127.0.0.1:8000/winnenden-2019/tische/")


@pytest.mark.django_db
def test_export_cards_csv_matches_json():
    json_cards = json.loads(export("--conference", "winnenden-2019"))["cards"]

    output = export("--conference", "winnenden-2019", "--format", "csv")

    records = list(csv.DictReader(io.StringIO(output)))
    assert output.splitlines()[0] == ",".join(COLUMNS)
    assert [record["id"] for record in records] == [str(row["id"]) for row in json_cards]
    assert [record["text"] for record in records] == [row["text"] for row in json_cards]


@pytest.mark.django_db
def test_export_cards_without_conference_exports_all_conferences():
    document = json.loads(export())

    assert document["conference"] is None
    assert document["count"] == Card.objects.public().count()


@pytest.mark.django_db
def test_export_cards_leaves_out_withdrawn_cards():
    card = Card.objects.filter(table__conference__slug="winnenden-2019").first()
    card.withdraw("Doppelt erfasst")

    ids = [row["id"] for row in json.loads(export("--conference", "winnenden-2019"))["cards"]]

    assert card.pk not in ids


@pytest.mark.django_db
def test_export_cards_rerun_gives_the_same_output():
    assert export("--format", "csv") == export("--format", "csv")


@pytest.mark.django_db
def test_export_cards_unknown_conference_is_a_command_error():
    with pytest.raises(CommandError) as error:
        export("--conference", "gibt-es-nicht")

    assert str(error.value) == "Keine Konferenz mit dem Kürzel „gibt-es-nicht“."
