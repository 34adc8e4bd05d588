"""The domain rules on the models, whoever saves: the admin, the loader, a command or plain ORM code."""

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import translation

from results.models import Card, Kind, Report, StationStatus, TableStation
from tests.factories import make_card, make_conference, make_station, make_table, make_table_station


@pytest.fixture
def place(db):
    conference = make_conference()
    return make_table(conference, 1), make_station(conference, 1)


def test_withdraw_hides_the_card_and_records_the_reason(place):
    card = make_card(*place)

    card.withdraw("Doppelt erfasst")

    card.refresh_from_db()
    assert (card.withdrawn, card.withdrawn_reason, card.version) == (True, "Doppelt erfasst", 2)
    assert card.history.first().history_change_reason == "Doppelt erfasst"
    assert list(Card.objects.public().filter(table=card.table)) == []


def test_withdraw_with_a_long_reason_keeps_the_history_change_reason_within_its_column(place):
    # PostgreSQL refuses more than 100 characters in simple-history's change reason; SQLite would not notice.
    card = make_card(*place)
    reason = ("Personenbezogene Daten. " * 13)[:300]

    card.withdraw(reason)

    card.refresh_from_db()
    assert card.withdrawn_reason == reason
    assert all(len(record.history_change_reason or "") <= 100 for record in card.history.all())


@pytest.mark.parametrize("reason", ["", "   "])
def test_withdraw_refuses_an_empty_reason(place, reason):
    card = make_card(*place)

    with pytest.raises(ValidationError) as raised:
        card.withdraw(reason)

    assert raised.value.message_dict == {"withdrawn_reason": ["Bitte geben Sie einen Grund für das Zurückziehen an."]}
    card.refresh_from_db()
    assert (card.withdrawn, card.version) == (False, 1)


def test_a_card_created_withdrawn_without_a_reason_is_refused(place):
    table, station = place

    with pytest.raises(ValidationError):
        Card.objects.create(table=table, station=station, kind=Kind.GUT, text="Neu", withdrawn=True)

    assert not Card.objects.filter(text="Neu").exists()


def test_republish_brings_the_card_back_and_forgets_the_reason(place):
    card = make_card(*place, withdrawn=True, withdrawn_reason="Doppelt")

    card.republish()

    card.refresh_from_db()
    assert (card.withdrawn, card.withdrawn_reason, card.version) == (False, "", 2)
    assert card.history.first().history_change_reason == "wieder veröffentlicht"


def test_a_card_at_a_station_of_another_conference_is_refused(place):
    table, _station = place
    foreign = make_station(make_conference(), 1)

    with pytest.raises(ValidationError) as raised:
        Card.objects.create(table=table, station=foreign, kind=Kind.GUT, text="Verirrt")

    message = "Die Station gehört zu einer anderen Konferenz als der Thementisch."
    assert raised.value.message_dict == {"station": [message]}
    assert not Card.objects.filter(text="Verirrt").exists()


@pytest.mark.parametrize("where", ["table", "station"])
def test_a_card_under_a_parent_at_another_table_or_station_is_refused(place, where):
    table, station = place
    other = {"table": table, "station": station}
    other[where] = make_table(table.conference, 2) if where == "table" else make_station(table.conference, 2)
    parent = make_card(other["table"], other["station"], text="Wünsche:")

    with pytest.raises(ValidationError) as raised:
        Card.objects.create(table=table, station=station, kind=Kind.GUT, text="Mehr Wohnraum", parent=parent)

    message = "Die übergeordnete Karte steht an einem anderen Tisch oder bei einer anderen Station."
    assert raised.value.message_dict == {"parent": [message]}
    assert not Card.objects.filter(text="Mehr Wohnraum").exists()


def test_a_card_under_a_parent_at_its_own_place_is_saved(place):
    parent = make_card(*place, text="Wünsche:")

    child = Card.objects.create(table=parent.table, station=parent.station, kind=Kind.GUT, text="Mehr", parent=parent)

    assert child.parent == parent


def test_the_placement_rules_speak_english(place):
    table, _station = place
    foreign = make_station(make_conference(), 1)

    with translation.override("en"), pytest.raises(ValidationError) as raised:
        Card(table=table, station=foreign, kind=Kind.GUT, text="Verirrt").full_clean()

    assert raised.value.message_dict == {"station": ["The station belongs to another conference than the theme table."]}


@pytest.mark.parametrize("status", [StationStatus.PHOTO, StationStatus.MISSING])
def test_a_card_saved_through_the_orm_marks_a_photo_station_transcribed(place, status):
    table, station = place
    table_station = make_table_station(table, station, status=status)

    Card.objects.create(table=table, station=station, kind=Kind.GUT, text="Abgeschrieben")

    table_station.refresh_from_db()
    assert table_station.status == StationStatus.TRANSCRIBED
    assert table_station.history.first().status == StationStatus.TRANSCRIBED


def test_a_card_at_a_station_the_table_lacks_creates_it_transcribed(place):
    table, station = place

    Card.objects.create(table=table, station=station, kind=Kind.GUT, text="Abgeschrieben")

    assert list(TableStation.objects.filter(table=table).values_list("station", "status")) == [
        (station.pk, StationStatus.TRANSCRIBED)
    ]


def test_a_card_moved_to_a_photo_station_marks_it_transcribed(place):
    table, station = place
    make_table_station(table, station)
    other = make_station(table.conference, 2)
    photo = make_table_station(table, other, status=StationStatus.PHOTO)
    card = make_card(table, station)

    card.station = other
    card.save()

    photo.refresh_from_db()
    assert photo.status == StationStatus.TRANSCRIBED


def test_a_card_at_a_text_station_leaves_it_as_it_is(place):
    table, station = place
    table_station = make_table_station(table, station, status=StationStatus.TEXT)

    make_card(table, station)

    table_station.refresh_from_db()
    assert table_station.status == StationStatus.TEXT


@pytest.mark.parametrize(
    ("model", "field"), [(Card, "kind"), (Card, "origin"), (TableStation, "status"), (Report, "status")]
)
def test_check_constraints_refuse_a_value_outside_the_choices(place, model, field):
    table, station = place
    rows = {Card: make_card(table, station), Report: Report.objects.create(message="Tippfehler")}
    row = rows.get(model) or TableStation.objects.get(table=table, station=station)

    with pytest.raises(IntegrityError), transaction.atomic():
        model.objects.filter(pk=row.pk).update(**{field: "unbekannt"})


def test_resolve_closes_the_report_and_forgets_the_reporter(place, admin_user):
    report = Report.objects.create(
        card=make_card(*place), message="Tippfehler", name="Erika", email="erika@example.org"
    )

    report.resolve(Report.Status.CORRECTED, admin_user, note="Berichtigt")

    report.refresh_from_db()
    assert (report.status, report.resolved_by, report.resolution_note, report.name, report.email) == (
        "corrected",
        admin_user,
        "Berichtigt",
        "",
        "",
    )
    assert report.resolved_at is not None


def test_resolve_without_a_note_keeps_the_one_written_before(db, admin_user):
    report = Report.objects.create(message="Tippfehler", resolution_note="Rückfrage gestellt")

    report.resolve(Report.Status.DISMISSED, admin_user)

    report.refresh_from_db()
    assert (report.status, report.resolution_note) == ("dismissed", "Rückfrage gestellt")
