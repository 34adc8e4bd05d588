"""Corrections carry their reason: asked for when a card is saved, kept in the history, shown publicly;
a reader's report opens the card's form beside it and is closed by the correction, linking to it."""

import pytest
from django.urls import reverse
from django.utils.html import strip_tags

from results.models import Card, Report
from tests.factories import make_card, make_world_cafe
from tests.test_admin import card_change_data, card_url

pytestmark = pytest.mark.django_db


def text(response):
    return " ".join(strip_tags(response.content.decode()).split())


@pytest.fixture
def card():
    _conference, (table,), (station, *_) = make_world_cafe(cards_per_station=0)
    return make_card(table, station, text="Dolmetcher fehlen")


def test_the_reason_of_a_correction_is_kept_and_shown_publicly(admin_client, client, card):
    page = admin_client.get(card_url(card)).content.decode()
    assert 'name="change_reason"' in page

    response = admin_client.post(
        card_url(card), card_change_data(card, text="Dolmetscher fehlen", change_reason="Tippfehler laut Foto")
    )

    assert response.status_code == 302
    assert card.history.first().history_change_reason == "Tippfehler laut Foto"
    history = text(admin_client.get(reverse("admin:results_card_history", args=[card.pk])))
    assert "Tippfehler laut Foto" in history
    public = text(client.get(card.table.get_absolute_url()))
    assert "berichtigt" in public
    assert "Grund der Berichtigung: Tippfehler laut Foto" in public


def test_a_corrected_card_withdrawn_and_republished_keeps_its_correction_reason(admin_client, client, card):
    admin_client.post(
        card_url(card), card_change_data(card, text="Dolmetscher fehlen", change_reason="Tippfehler laut Foto")
    )
    card.refresh_from_db()
    card.withdraw("Wird geprüft")
    card.republish()

    public = text(client.get(card.table.get_absolute_url()))

    assert "Grund der Berichtigung: Tippfehler laut Foto" in public
    assert "wieder veröffentlicht" not in public
    assert "Wird geprüft" not in public


def test_a_correction_without_a_reason_shows_none(admin_client, client, card):
    admin_client.post(card_url(card), card_change_data(card, text="Dolmetscher fehlen"))

    assert card.history.first().history_change_reason is None
    assert "Grund der Berichtigung" not in text(client.get(card.table.get_absolute_url()))


def test_a_report_opens_the_cards_form_beside_it_and_the_correction_closes_it(admin_client, card):
    report = Report.objects.create(card=card, message="Es heißt Dolmetscher.", name="Leserin", email="l@example.org")
    report_page = admin_client.get(reverse("admin:results_report_change", args=[report.pk])).content.decode()
    link = f"{card_url(card)}?meldung={report.pk}"
    assert f'href="{link}"' in report_page

    form = admin_client.get(link).content.decode()
    assert "Es heißt Dolmetscher." in form
    assert f'name="meldung" value="{report.pk}"' in form

    data = card_change_data(card, text="Dolmetscher fehlen", change_reason="Meldung einer Leserin")
    response = admin_client.post(
        link, data | {"meldung": report.pk, "meldung_erledigt": "1", "meldung_vermerk": "Danke"}
    )

    assert response.status_code == 302
    report.refresh_from_db()
    assert (report.status, report.resolution_note, report.name, report.email) == ("corrected", "Danke", "", "")
    entry = card.history.first()
    assert report.correction_id == entry.history_id
    history_url = reverse("admin:results_card_simple_history", args=[card.pk, entry.history_id])
    assert (
        f'href="{history_url}"'
        in admin_client.get(reverse("admin:results_report_change", args=[report.pk])).content.decode()
    )


def test_saving_without_ticking_leaves_the_report_open(admin_client, card):
    report = Report.objects.create(card=card, message="Es heißt Dolmetscher.")
    link = f"{card_url(card)}?meldung={report.pk}"

    admin_client.post(link, card_change_data(card, text="Dolmetscher fehlen") | {"meldung": report.pk})

    report.refresh_from_db()
    assert report.status == "open"
    assert Card.objects.get(pk=card.pk).text == "Dolmetscher fehlen"


def test_a_report_of_another_card_or_a_closed_one_is_not_shown(admin_client, card):
    other = make_card(card.table, card.station, text="Andere Karte")
    foreign = Report.objects.create(card=other, message="Gehört zu einer anderen Karte")
    closed = Report.objects.create(card=card, message="Schon erledigt", status="dismissed")

    for report in (foreign, closed):
        assert report.message not in admin_client.get(f"{card_url(card)}?meldung={report.pk}").content.decode()
    assert admin_client.get(f"{card_url(card)}?meldung=abc").status_code == 200


def test_the_card_list_shows_table_and_station_as_numbers_and_short_texts(admin_client, card):
    card.text = "Lang " * 60
    card.save()

    page = admin_client.get(reverse("admin:results_card_changelist")).content.decode()

    assert f'<span title="{card.table.title}">{card.table.number}</span>' in page
    assert ("Lang " * 60).strip() not in page
    assert "Lang Lang" in page
