"""History and undo: every change is recorded, earlier versions and deleted cards come back."""

from io import StringIO

import pytest
from django.core.management import call_command
from django.db.models.fields.files import FieldFile
from django.urls import reverse

from results.models import Card, Conference, ProgrammeItem, Station, TableStation, ThemeTable
from tests.factories import make_card, make_programme_item, make_world_cafe
from tests.test_admin import card_change_data, card_url

pytestmark = pytest.mark.django_db


def post_change_form(client, url, **changes):
    """POST an admin change form as it was loaded, with `changes` applied."""
    context = client.get(url).context
    form = context["adminform"].form
    data = {}
    for name in form.fields:
        value = form[name].value()
        if isinstance(value, bool):
            if value:
                data[name] = "on"
            continue
        if isinstance(value, FieldFile):
            continue  # an unchanged file field is left out, as browsers do
        data[name] = "" if value is None else value
    for inline in context.get("inline_admin_formsets", []):
        # The inlines' management forms, with no inline form changed (their rows are not part of the test).
        management = inline.formset.management_form
        data |= {management.add_prefix(name): management[name].value() for name in management.fields}
        data[management.add_prefix("TOTAL_FORMS")] = management["INITIAL_FORMS"].value()
    return client.post(url, data | changes)


@pytest.mark.parametrize(
    ("model", "field", "value"),
    [
        (Conference, "venue", "Hermann-Schwab-Halle, Saal 2"),
        (ProgrammeItem, "title", "Begrüßung und Einführung"),
        (Station, "question", "Was läuft gut, wo hakt es?"),
        (ThemeTable, "title", "Wohnraum für Geflüchtete"),
        (Card, "text", "Sprachkurse für Eltern"),
    ],
)
def test_admin_change_is_recorded_with_who_when_and_what(admin_client, admin_user, model, field, value):
    conference, (table,), (station, *_) = make_world_cafe()
    objects = {
        Conference: conference,
        ProgrammeItem: make_programme_item(conference),
        Station: station,
        ThemeTable: table,
        Card: table.cards.first(),
    }
    obj = objects[model]
    url = reverse(f"admin:results_{model._meta.model_name}_change", args=[obj.pk])
    if model is ThemeTable:
        # The table page has inlines; post it with none changed.
        from tests.test_admin import table_change_data

        data = table_change_data(table, list(table.cards.all()), list(table.table_stations.all()))
        response = admin_client.post(url, data | {field: value})
    else:
        response = post_change_form(admin_client, url, **{field: value})

    assert response.status_code == 302
    latest, previous = obj.history.all()[:2]
    assert (latest.history_type, latest.history_user, getattr(latest, field)) == ("~", admin_user, value)
    assert latest.history_date > previous.history_date
    assert latest.diff_against(previous).changed_fields == [field]


def test_card_history_page_shows_each_change_word_by_word(admin_client):
    _conference, (table,), (station, *_) = make_world_cafe(cards_per_station=0)
    card = make_card(table, station, text="Mehr Kita Plätze")
    admin_client.post(card_url(card), card_change_data(card, text="Mehr KiTa-Plätze"))

    response = admin_client.get(reverse("admin:results_card_history", args=[card.pk]))

    html = response.content.decode()
    assert "Mehr <del>Kita Plätze</del>" in html
    assert "Mehr <ins>KiTa-Plätze</ins>" in html
    assert 'style="' not in html.split('id="change-history"')[1]


def test_earlier_card_version_can_be_restored(admin_client):
    _conference, (table,), (station, *_) = make_world_cafe(cards_per_station=0)
    card = make_card(table, station, text="Erste Fassung")
    first_record = card.history.get()
    admin_client.post(card_url(card), card_change_data(card, text="Zweite Fassung"))
    card.refresh_from_db()
    url = reverse("admin:results_card_simple_history", args=[card.pk, first_record.history_id])

    form = admin_client.get(url).context["adminform"].form
    response = post_change_form(admin_client, url)

    assert (form.initial["text"], form.initial["loaded_version"]) == ("Erste Fassung", 2)
    assert response.status_code == 302
    card.refresh_from_db()
    assert (card.text, card.version) == ("Erste Fassung", 3)
    assert [record.text for record in card.history.all()] == ["Erste Fassung", "Zweite Fassung", "Erste Fassung"]


def test_deleted_card_comes_back_with_its_id_and_history(admin_client):
    _conference, (table,), (station, *_) = make_world_cafe(cards_per_station=0)
    card = make_card(table, station, text="Versehentlich gelöscht")
    admin_client.post(card_url(card), card_change_data(card, text="Versehentlich gelöscht, berichtigt"))
    card.refresh_from_db()
    admin_client.post(
        reverse("admin:results_card_delete", args=[card.pk]), {"post": "yes", "loaded_version": card.version}
    )
    assert not Card.objects.filter(pk=card.pk).exists()
    deleted_url = reverse("admin:results_card_deleted")

    listed = admin_client.get(deleted_url).context["records"]
    response = admin_client.post(deleted_url, {"history_id": listed[0].history_id})

    assert [record.id for record in listed] == [card.pk]
    assert response.status_code == 302
    restored = Card.objects.get(pk=card.pk)
    assert (restored.text, restored.original_text, restored.table, restored.station) == (
        "Versehentlich gelöscht, berichtigt",
        "Versehentlich gelöscht",
        table,
        station,
    )
    assert [record.history_type for record in restored.history.all()] == ["+", "-", "~", "+"]
    assert admin_client.get(deleted_url).context["records"] == []


def test_a_deleted_card_restored_at_a_photo_station_marks_it_transcribed(admin_client):
    _conference, (table,), (station, *_) = make_world_cafe(cards_per_station=0)
    pk = make_card(table, station, text="Abgeschrieben").pk
    Card.objects.get(pk=pk).delete()
    TableStation.objects.filter(table=table, station=station).update(status=TableStation.Status.PHOTO)

    admin_client.post(reverse("admin:results_card_deleted"), {"history_id": Card.history.filter(id=pk)[0].history_id})

    assert Card.objects.filter(pk=pk).exists()
    assert TableStation.objects.get(table=table, station=station).status == TableStation.Status.TRANSCRIBED


def test_restoring_a_card_deleted_while_withdrawn_without_a_reason_is_refused_clearly(admin_client):
    _conference, (table,), (station, *_) = make_world_cafe(cards_per_station=0)
    card = make_card(table, station)
    # Written past Card.clean(), as older data may have it.
    Card.objects.filter(pk=card.pk).update(withdrawn=True)
    Card.objects.get(pk=card.pk).delete()
    url = reverse("admin:results_card_deleted")

    response = admin_client.post(url, {"history_id": card.history.first().history_id}, follow=True)

    assert not Card.objects.filter(pk=card.pk).exists()
    assert [str(message) for message in response.context["messages"]] == [
        "Bitte geben Sie einen Grund für das Zurückziehen an."
    ]


def test_restoring_a_card_whose_station_was_deleted_is_refused_clearly(admin_client):
    _conference, (table,), (station, *_) = make_world_cafe(cards_per_station=0)
    pk = make_card(table, station).pk
    Card.objects.get(pk=pk).delete()
    station.delete()
    url = reverse("admin:results_card_deleted")

    response = admin_client.post(url, {"history_id": Card.history.filter(id=pk)[0].history_id}, follow=True)

    assert response.status_code == 200
    assert not Card.objects.filter(pk=pk).exists()
    assert [str(message) for message in response.context["messages"]] == [
        "Die Station dieser Karte existiert nicht mehr; stellen Sie sie zuerst wieder her."
    ]


def test_restoring_a_card_that_exists_is_refused(admin_client):
    _conference, (table,), (station, *_) = make_world_cafe(cards_per_station=0)
    card = make_card(table, station)

    response = admin_client.post(reverse("admin:results_card_deleted"), {"history_id": card.history.get().history_id})

    assert response.status_code == 302
    assert Card.objects.filter(pk=card.pk).count() == 1


def test_deleted_cards_view_ignores_bad_input(admin_client):
    response = admin_client.post(reverse("admin:results_card_deleted"), {"history_id": "abc"})

    assert response.status_code == 302


@pytest.mark.parametrize("count", [1, 3])
def test_deleted_cards_view_query_count_is_constant(admin_client, django_assert_num_queries, count):
    _conference, (table,), (station, *_) = make_world_cafe(cards_per_station=0)
    for index in range(count):
        make_card(table, station, text=f"Gelöscht {index}").delete()
    url = reverse("admin:results_card_deleted")
    admin_client.get(url)

    with django_assert_num_queries(3):
        response = admin_client.get(url)

    assert len(response.context["records"]) >= count


@pytest.mark.parametrize("count", [1, 3])
def test_card_history_page_query_count_is_constant(admin_client, django_assert_num_queries, count):
    _conference, (table,), (station, *_) = make_world_cafe(cards_per_station=0)
    card = make_card(table, station, text="Fassung 0")
    for index in range(count):
        card.text = f"Fassung {index + 1}"
        card.save()
    url = reverse("admin:results_card_history", args=[card.pk])
    admin_client.get(url)

    with django_assert_num_queries(5):
        response = admin_client.get(url)

    assert len(response.context["page_obj"]) == count + 1


def test_loading_the_conference_again_keeps_admin_changes():
    """Re-running `make setup` loads the fixture only when its conference is missing."""
    table = ThemeTable.objects.filter(conference__slug="winnenden-2019").order_by("number").first()
    corrected, deleted = table.cards.order_by("pk")[:2]
    corrected.text = "Von der Redaktion berichtigt"
    corrected.save()
    added = Card.objects.create(table=table, station=corrected.station, kind=corrected.kind, text="Ergänzt")
    deleted_pk = deleted.pk
    deleted.delete()
    count = Card.objects.count()

    call_command("load_conference", "fixtures/winnenden-2019.json", stdout=StringIO())

    corrected.refresh_from_db()
    assert corrected.text == "Von der Redaktion berichtigt"
    assert Card.objects.filter(pk=added.pk, text="Ergänzt").exists()
    assert not Card.objects.filter(pk=deleted_pk).exists()
    assert Card.objects.count() == count
