"""The admin workflow: comfortable editing, the original kept, no lost updates, withdrawing."""

import datetime
import re

import pytest
from django.contrib.auth import get_user_model
from django.test import Client
from django.urls import reverse

from results.models import Card, Kind, TableStation
from results.text import word_diff
from tests.factories import make_card, make_world_cafe

pytestmark = pytest.mark.django_db


def card_change_data(card, **changes):
    """The POST data of a card's change page as loaded now, with `changes` applied."""
    data = {
        "table": card.table_id,
        "station": card.station_id,
        "kind": card.kind,
        "heading": card.heading,
        "position": card.position,
        "parent": card.parent_id or "",
        "text": card.text,
        "loaded_version": card.version,
        "withdrawn_reason": card.withdrawn_reason,
    }
    if card.withdrawn:
        data["withdrawn"] = "on"
    data.update(changes)
    return data


def table_change_data(table, cards, table_stations=(), extra_card=None):
    """The POST data of a table's change page with its two inlines."""
    data = {
        "conference": table.conference_id,
        "number": table.number,
        "title": table.title,
        "slug": table.slug,
        "table_stations-TOTAL_FORMS": len(table_stations),
        "table_stations-INITIAL_FORMS": len(table_stations),
        "table_stations-MIN_NUM_FORMS": 0,
        "table_stations-MAX_NUM_FORMS": 1000,
        "cards-TOTAL_FORMS": len(cards) + (1 if extra_card else 0),
        "cards-INITIAL_FORMS": len(cards),
        "cards-MIN_NUM_FORMS": 0,
        "cards-MAX_NUM_FORMS": 1000,
    }
    for index, table_station in enumerate(table_stations):
        prefix = f"table_stations-{index}-"
        data |= {
            prefix + "id": table_station.pk,
            prefix + "table": table.pk,
            prefix + "station": table_station.station_id,
            prefix + "status": table_station.status,
            prefix + "heading": table_station.heading,
        }
    for index, card in enumerate(cards):
        prefix = f"cards-{index}-"
        data |= {
            prefix + "id": card.pk,
            prefix + "table": table.pk,
            prefix + "station": card.station_id,
            prefix + "kind": card.kind,
            prefix + "heading": card.heading,
            prefix + "text": card.text,
            prefix + "position": card.position,
            prefix + "loaded_version": card.version,
        }
    if extra_card:
        prefix = f"cards-{len(cards)}-"
        data |= {prefix + "table": table.pk} | {prefix + key: value for key, value in extra_card.items()}
    return data


def card_url(card):
    return reverse("admin:results_card_change", args=[card.pk])


def table_url(table):
    return reverse("admin:results_themetable_change", args=[table.pk])


def make_admin(username):
    return get_user_model().objects.create_superuser(username, f"{username}@example.org", "ein-langes-passwort-2019")


def logged_in_client(username):
    client = Client()
    client.force_login(make_admin(username))
    return client


def test_word_diff_marks_changed_words_and_escapes():
    old, new = word_diff("Mehr <Wohnraum> fuer alle", "Mehr <Wohnraum> für alle Familien")

    assert old == "Mehr &lt;Wohnraum&gt; <del>fuer</del> alle"
    assert new == "Mehr &lt;Wohnraum&gt; <ins>für</ins> alle<ins> Familien</ins>"


def test_table_change_page_lists_cards_by_station_kind_and_position(admin_client):
    _conference, (table,), (station1, station2, _) = make_world_cafe(cards_per_station=0)
    make_card(table, station2, text="Ziel B", kind="ziel", position=2)
    make_card(table, station1, text="Hakt A", kind="hakt", position=1)
    make_card(table, station1, text="Gut B", kind="gut", position=2)
    make_card(table, station2, text="Ziel A", kind="ziel", position=1)
    make_card(table, station1, text="Gut A", kind="gut", position=5)

    response = admin_client.get(table_url(table))

    formset = response.context["inline_admin_formsets"][1].formset
    assert [form.instance.text for form in formset.initial_forms] == ["Gut B", "Gut A", "Hakt A", "Ziel A", "Ziel B"]


@pytest.mark.parametrize("count", [1, 3])
def test_table_change_page_query_count_is_constant(admin_client, django_assert_num_queries, count):
    _conference, (table,), _stations = make_world_cafe(cards_per_station=count)
    url = table_url(table)
    admin_client.get(url)  # warm the session and the content type cache

    with django_assert_num_queries(8):
        response = admin_client.get(url)

    assert len(response.context["inline_admin_formsets"][1].formset.initial_forms) == 3 * count


@pytest.mark.parametrize("count", [1, 3])
def test_card_changelist_query_count_is_constant(admin_client, django_assert_num_queries, count):
    conference, _tables, _stations = make_world_cafe(tables=count)
    url = reverse("admin:results_card_changelist") + f"?table__conference__id__exact={conference.pk}"
    admin_client.get(url)

    with django_assert_num_queries(8):
        response = admin_client.get(url)

    assert response.context["cl"].result_count == 3 * count


def test_card_changelist_filters_by_table_station_kind_origin_and_text(admin_client):
    conference, (table, other_table), (station1, station2, _) = make_world_cafe(tables=2, cards_per_station=0)
    wanted = make_card(table, station2, text="Dolmetscherpool aufbauen", kind="ziel")
    make_card(table, station2, text="Dolmetscherpool aufbauen", kind="ziel", origin=Card.Origin.ADMIN, original_text="")
    make_card(other_table, station2, text="Dolmetscherpool aufbauen", kind="ziel")
    make_card(table, station1, text="Dolmetscherpool aufbauen", kind="gut")
    make_card(table, station2, text="Wohnraum", kind="ziel")
    query = (
        f"?table__conference__id__exact={conference.pk}&table__id__exact={table.pk}&station=2&kind__exact=ziel"
        "&origin__exact=document&q=Dolmetscher"
    )

    response = admin_client.get(reverse("admin:results_card_changelist") + query)

    assert [card.pk for card in response.context["cl"].result_list] == [wanted.pk]


def test_card_changelist_corrected_filter_lists_changed_document_cards(admin_client):
    conference, (table,), (station, *_) = make_world_cafe(cards_per_station=0)
    corrected = make_card(table, station, text="Sprachkurse")
    corrected.text = "Sprachkurse für Eltern"
    corrected.save()
    make_card(table, station, text="Unverändert")
    make_card(table, station, text="Von der Redaktion", origin=Card.Origin.ADMIN, original_text="")
    url = reverse("admin:results_card_changelist") + f"?table__conference__id__exact={conference.pk}"

    corrected_list = admin_client.get(url + "&berichtigt=ja").context["cl"].result_list
    uncorrected_list = admin_client.get(url + "&berichtigt=nein").context["cl"].result_list

    assert [card.text for card in corrected_list] == ["Sprachkurse für Eltern"]
    assert sorted(card.text for card in uncorrected_list) == ["Unverändert", "Von der Redaktion"]


def test_card_change_page_edits_text_station_kind_and_position(admin_client):
    _conference, (table,), (station1, station2, _) = make_world_cafe(cards_per_station=0)
    card = make_card(table, station1, text="Mehr Wonraum", kind="gut", position=1)

    response = admin_client.post(
        card_url(card), card_change_data(card, text="Mehr Wohnraum", station=station2.pk, kind="ziel", position=4)
    )

    assert response.status_code == 302
    card.refresh_from_db()
    assert (card.text, card.station, card.kind, card.position, card.version) == (
        "Mehr Wohnraum",
        station2,
        "ziel",
        4,
        2,
    )
    assert card.original_text == "Mehr Wonraum"


def test_card_change_page_never_changes_the_original_text(admin_client):
    _conference, (table,), (station, *_) = make_world_cafe(cards_per_station=0)
    card = make_card(table, station, text="Wie im Dokument")

    response = admin_client.post(
        card_url(card), card_change_data(card, text="Berichtigt", original_text="Gefälscht", origin="admin")
    )

    assert response.status_code == 302
    card.refresh_from_db()
    assert (card.text, card.original_text, card.origin) == ("Berichtigt", "Wie im Dokument", "document")


def test_card_change_page_shows_original_and_current_text_with_differences(admin_client):
    _conference, (table,), (station, *_) = make_world_cafe(cards_per_station=0)
    card = make_card(table, station, text="Kita Plätze fehlen")
    card.text = "KiTa-Plätze fehlen <sehr>"
    card.save()

    response = admin_client.get(card_url(card))

    html = response.content.decode()
    assert '<div class="diff">' in html
    assert "<del>Kita Plätze</del> fehlen" in html
    assert "<ins>KiTa-Plätze</ins> fehlen<ins> &lt;sehr&gt;</ins>" in html
    assert "css/admin.css" in html
    assert 'name="original_text"' not in html


def test_inline_adds_moves_reorders_and_deletes_cards(admin_client):
    _conference, (table,), (station1, station2, station3) = make_world_cafe(cards_per_station=0)
    table_stations = list(TableStation.objects.filter(table=table).order_by("station__number"))
    first = make_card(table, station1, text="Erste", position=1)
    second = make_card(table, station1, text="Zweite", position=2)
    doomed = make_card(table, station1, text="Weg damit", position=3)
    first.position, second.position = 2, 1
    second.station, second.kind = station2, "ziel"
    data = table_change_data(
        table,
        [first, second, doomed],
        table_stations,
        extra_card={"station": station3.pk, "kind": "helfer", "text": "Jobcenter", "position": 1},
    )
    data["cards-2-DELETE"] = "on"
    data["cards-0-original_text"] = "Gefälscht"  # read-only: the inline must ignore it

    response = admin_client.post(table_url(table), data)

    assert response.status_code == 302
    cards = Card.objects.filter(table=table).order_by("station__number", "position")
    assert [(c.text, c.station.number, c.kind, c.position, c.origin, c.original_text) for c in cards] == [
        ("Erste", 1, "gut", 2, "document", "Erste"),
        ("Zweite", 2, "ziel", 1, "document", "Zweite"),
        ("Jobcenter", 3, "helfer", 1, "admin", ""),
    ]


@pytest.mark.parametrize("status", [TableStation.Status.PHOTO, TableStation.Status.MISSING])
def test_adding_a_card_to_an_untranscribed_station_marks_it_transcribed(admin_client, status):
    _conference, (table,), (_station1, station2, _) = make_world_cafe(cards_per_station=0)
    TableStation.objects.filter(table=table, station=station2).update(status=status)
    table_stations = list(TableStation.objects.filter(table=table).order_by("station__number"))
    data = table_change_data(
        table,
        [],
        table_stations,
        extra_card={"station": station2.pk, "kind": "ziel", "text": "Abgeschrieben", "position": 1},
    )

    response = admin_client.post(table_url(table), data)

    assert response.status_code == 302
    statuses = dict(TableStation.objects.filter(table=table).values_list("station__number", "status"))
    assert statuses == {1: "text", 2: "transcribed", 3: "text"}


def test_adding_a_card_where_the_table_has_no_station_creates_a_transcribed_one(admin_client):
    _conference, (table,), (_station1, station2, _station3) = make_world_cafe(cards_per_station=0)
    TableStation.objects.filter(table=table, station=station2).delete()

    response = admin_client.post(
        reverse("admin:results_card_add"),
        {"table": table.pk, "station": station2.pk, "kind": "ziel", "text": "Nachgetragen", "position": 1},
    )

    assert response.status_code == 302
    card = Card.objects.get(text="Nachgetragen")
    assert (card.origin, card.original_text, card.version) == ("admin", "", 1)
    assert TableStation.objects.get(table=table, station=station2).status == "transcribed"


def test_second_save_of_a_stale_card_form_is_refused_with_the_other_change():
    _conference, (table,), (station, *_) = make_world_cafe(cards_per_station=0)
    card = make_card(table, station, text="Dolmetscher fehlen")
    anna, ben = logged_in_client("anna"), logged_in_client("ben")
    annas_form = anna.get(card_url(card)).context["adminform"].form
    bens_form = ben.get(card_url(card)).context["adminform"].form
    assert annas_form.initial["loaded_version"] == bens_form.initial["loaded_version"] == 1

    first = anna.post(card_url(card), card_change_data(card, text="Dolmetscher fehlen oft"))
    second = ben.post(card_url(card), card_change_data(card, text="Dolmetscherinnen fehlen"))

    assert first.status_code == 302
    assert second.status_code == 200
    errors = second.context["adminform"].form.non_field_errors()
    assert len(errors) == 1
    assert errors[0].startswith("Diese Karte wurde inzwischen von anna geändert")
    assert "„Dolmetscher fehlen oft“" in errors[0]
    assert "Ihre Änderungen wurden nicht gespeichert" in second.content.decode()
    card.refresh_from_db()
    assert (card.text, card.version) == ("Dolmetscher fehlen oft", 2)


def test_stale_inline_card_form_on_the_table_page_is_refused():
    _conference, (table,), (station, *_) = make_world_cafe(cards_per_station=0)
    card = make_card(table, station, text="Wohnraum fehlt")
    table_stations = list(TableStation.objects.filter(table=table).order_by("station__number"))
    anna, ben = logged_in_client("anna"), logged_in_client("ben")
    stale = table_change_data(table, [card], table_stations)
    stale["cards-0-text"] = "Bezahlbarer Wohnraum fehlt"

    anna.post(card_url(card), card_change_data(card, text="Wohnraum fehlt überall"))
    response = ben.post(table_url(table), stale)

    assert response.status_code == 200
    errors = response.context["inline_admin_formsets"][1].formset.forms[0].non_field_errors()
    assert errors[0].startswith("Diese Karte wurde inzwischen von anna geändert")
    card.refresh_from_db()
    assert card.text == "Wohnraum fehlt überall"


def test_unchanged_inline_cards_do_not_conflict_with_other_saves(admin_client):
    _conference, (table,), (station, *_) = make_world_cafe(cards_per_station=0)
    card = make_card(table, station, text="Wohnraum fehlt")
    table_stations = list(TableStation.objects.filter(table=table).order_by("station__number"))
    data = table_change_data(table, [card], table_stations)
    data["title"] = "Neuer Titel"

    response = admin_client.post(table_url(table), data)

    assert response.status_code == 302
    table.refresh_from_db()
    card.refresh_from_db()
    assert (table.title, card.version) == ("Neuer Titel", 1)


def test_withdraw_action_asks_for_a_reason_then_hides_the_card(admin_client):
    _conference, (table,), (station, *_) = make_world_cafe(cards_per_station=0)
    card = make_card(table, station, text="Enthält einen Namen")
    changelist = reverse("admin:results_card_changelist")
    selection = {"action": "withdraw", "_selected_action": [card.pk]}

    asked = admin_client.post(changelist, selection)
    refused = admin_client.post(changelist, selection | {"apply": "1", "reason": ""})
    done = admin_client.post(changelist, selection | {"apply": "1", "reason": "Personenbezogene Daten"})

    assert "Grund für das Zurückziehen" in asked.content.decode()
    assert refused.status_code == 200
    assert done.status_code == 302
    card.refresh_from_db()
    assert (card.withdrawn, card.withdrawn_reason, card.version) == (True, "Personenbezogene Daten", 2)
    assert not Card.objects.public().filter(pk=card.pk).exists()
    assert card.history.first().history_change_reason == "Personenbezogene Daten"


def test_withdraw_page_says_the_reason_is_published_in_the_change_log(admin_client):
    # The change log (/<conf>/aenderungen/ and its feed) shows a withdrawal's reason.
    _conference, (table,), (station, *_) = make_world_cafe(cards_per_station=0)
    card = make_card(table, station)

    page = admin_client.post(
        reverse("admin:results_card_changelist"), {"action": "withdraw", "_selected_action": [card.pk]}
    ).content.decode()

    assert "öffentlich im Änderungsprotokoll der Konferenz" in page
    assert "nicht öffentlich" not in page


def test_republish_action_brings_a_withdrawn_card_back(admin_client):
    _conference, (table,), (station, *_) = make_world_cafe(cards_per_station=0)
    card = make_card(table, station, withdrawn=True, withdrawn_reason="Doppelt")

    response = admin_client.post(
        reverse("admin:results_card_changelist"), {"action": "republish", "_selected_action": [card.pk]}
    )

    assert response.status_code == 302
    card.refresh_from_db()
    assert (card.withdrawn, card.withdrawn_reason) == (False, "")
    assert [record.withdrawn for record in card.history.all()] == [False, True]


def test_withdrawing_on_the_change_page_needs_a_reason(admin_client):
    _conference, (table,), (station, *_) = make_world_cafe(cards_per_station=0)
    card = make_card(table, station)

    response = admin_client.post(card_url(card), card_change_data(card, withdrawn="on"))

    assert response.context["adminform"].form.errors["withdrawn_reason"] == [
        "Bitte geben Sie einen Grund für das Zurückziehen an."
    ]
    card.refresh_from_db()
    assert card.withdrawn is False


def test_adding_a_withdrawn_card_needs_a_reason(admin_client):
    _conference, (table,), (station, *_) = make_world_cafe(cards_per_station=0)
    data = {
        "table": table.pk,
        "station": station.pk,
        "kind": Kind.GUT,
        "heading": "",
        "position": 1,
        "parent": "",
        "text": "Neu und gleich zurückgezogen",
        "withdrawn": "on",
        "withdrawn_reason": " ",
    }

    refused = admin_client.post(reverse("admin:results_card_add"), data)
    accepted = admin_client.post(reverse("admin:results_card_add"), data | {"withdrawn_reason": "Doppelt"})

    assert refused.context["adminform"].form.errors["withdrawn_reason"] == [
        "Bitte geben Sie einen Grund für das Zurückziehen an."
    ]
    assert accepted.status_code == 302
    card = Card.objects.get(text="Neu und gleich zurückgezogen")
    assert (card.withdrawn, card.withdrawn_reason) == (True, "Doppelt")


def test_withdrawn_card_stays_in_the_admin(admin_client):
    conference, (table,), (station, *_) = make_world_cafe(cards_per_station=0)
    card = make_card(table, station, text="Zurückgezogen", withdrawn=True, withdrawn_reason="Test")

    changelist = admin_client.get(
        reverse("admin:results_card_changelist") + f"?table__conference__id__exact={conference.pk}&withdrawn__exact=1"
    )
    change = admin_client.get(card_url(card))

    assert [c.pk for c in changelist.context["cl"].result_list] == [card.pk]
    assert change.status_code == 200


def test_withdrawn_card_leaves_the_exports(client):
    conference, (table,), (station, *_) = make_world_cafe(cards_per_station=0)
    kept = make_card(table, station, text="Bleibt")
    make_card(table, station, text="Zurückgezogen", withdrawn=True, withdrawn_reason="Test")

    response = client.get(reverse("results:cards-json", kwargs={"conf": conference.slug}))

    assert [card["id"] for card in response.json()["cards"]] == [kept.pk]


def test_withdrawn_card_leaves_the_table_page(client):
    _conference, (table,), (station, *_) = make_world_cafe(cards_per_station=0)
    make_card(table, station, text="Bleibt öffentlich")
    hidden = make_card(table, station, text="Nicht mehr öffentlich", withdrawn=True, withdrawn_reason="Test")

    html = client.get(table.get_absolute_url()).content.decode()

    assert "Bleibt öffentlich" in html
    assert "Nicht mehr öffentlich" not in html
    assert f"karte-{hidden.pk}" not in html


def test_saved_correction_shows_on_the_table_page_at_once(admin_client, page_cache, django_capture_on_commit_callbacks):
    _conference, (table,), (station, *_) = make_world_cafe(cards_per_station=0)
    card = make_card(table, station, text="Elternintegrations kurse")
    reader = Client()
    first, cached = reader.get(table.get_absolute_url()), reader.get(table.get_absolute_url())
    assert "Elternintegrations kurse" in cached.content.decode()
    assert cached["ETag"] == first["ETag"]

    with django_capture_on_commit_callbacks(execute=True):
        admin_client.post(card_url(card), card_change_data(card, text="Elternintegrationskurse"))
    fresh = reader.get(table.get_absolute_url())

    visible = re.sub(r"<details>.*?</details>", "", fresh.content.decode(), flags=re.S)
    assert fresh["ETag"] != first["ETag"]
    assert re.search(rf'id="karte-{card.pk}"[^>]*>\s*Elternintegrationskurse\s', visible)
    assert "Elternintegrations kurse" not in visible


def test_redaktion_may_edit_cards_but_not_users(client):
    from django.contrib.auth.models import Group

    editor = get_user_model().objects.create_user("redakteurin", password="x", is_staff=True)
    editor.groups.add(Group.objects.get(name="Redaktion"))
    client.force_login(editor)
    _conference, (table,), (station, *_) = make_world_cafe(cards_per_station=0)
    card = make_card(table, station)

    assert client.get(card_url(card)).status_code == 200
    assert client.get(reverse("admin:results_report_changelist")).status_code == 200
    assert client.get(reverse("admin:results_card_history", args=[card.pk])).status_code == 200
    assert client.get(reverse("admin:auth_user_changelist")).status_code == 403
    assert client.get(reverse("admin:auth_group_changelist")).status_code == 403


def test_the_conflict_message_gives_the_time_of_the_other_change_in_berlin_time():
    _conference, (table,), (station, *_) = make_world_cafe(cards_per_station=0)
    card = make_card(table, station, text="Dolmetscher fehlen")
    anna, ben = logged_in_client("anna"), logged_in_client("ben")
    ben.get(card_url(card))
    anna.post(card_url(card), card_change_data(card, text="Dolmetscher fehlen oft"))
    # 10:30 UTC in July is 12:30 in Berlin (summer time); the card was made the day before.
    card.history.exclude(history_user__username="anna").update(
        history_date=datetime.datetime(2019, 7, 1, 9, 0, tzinfo=datetime.UTC)
    )
    card.history.filter(history_user__username="anna").update(
        history_date=datetime.datetime(2019, 7, 2, 10, 30, tzinfo=datetime.UTC)
    )

    second = ben.post(card_url(card), card_change_data(card, text="Dolmetscherinnen fehlen"))

    error = second.context["adminform"].form.non_field_errors()[0]
    assert "(2. Juli 2019 12:30)" in error
