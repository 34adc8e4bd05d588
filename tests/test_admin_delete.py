"""Deleting a card checks its version as editing does: a change made meanwhile is never deleted unseen."""

import re

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse

from results.models import Card, TableStation
from tests.factories import make_card, make_world_cafe
from tests.test_admin import card_change_data, card_url, logged_in_client, table_change_data, table_url

pytestmark = pytest.mark.django_db


@pytest.fixture
def card():
    _conference, (table,), (station, *_) = make_world_cafe(cards_per_station=0)
    return make_card(table, station, text="Dolmetscher fehlen")


def hidden_inputs(html):
    """The hidden fields of a page's forms, as the browser would send them."""
    fields = {}
    for tag in re.findall(r"<input [^>]*type=\"hidden\"[^>]*>", html):
        name, value = re.search(r'name="([^"]*)"', tag), re.search(r'value="([^"]*)"', tag)
        if name:
            fields.setdefault(name.group(1), []).append(value.group(1) if value else "")
    return fields


def messages_of(response):
    return [str(message) for message in get_messages(response.wsgi_request)]


def delete_url(card):
    return reverse("admin:results_card_delete", args=[card.pk])


def test_deleting_a_card_changed_after_the_confirmation_page_is_refused(card):
    anna, ben = logged_in_client("anna"), logged_in_client("ben")
    confirmation = hidden_inputs(anna.get(delete_url(card)).content.decode())

    ben.post(card_url(card), card_change_data(card, text="Dolmetscher fehlen oft"))
    response = anna.post(delete_url(card), confirmation)

    card.refresh_from_db()
    assert card.text == "Dolmetscher fehlen oft"
    assert (response.status_code, response["Location"]) == (302, card_url(card))
    [message] = messages_of(response)
    assert message.startswith("Die Karte „Dolmetscher fehlen oft“ wurde inzwischen von ben geändert")
    assert "nicht gelöscht" in message


def test_deleting_an_unchanged_card_works(card):
    anna = logged_in_client("anna")
    confirmation = hidden_inputs(anna.get(delete_url(card)).content.decode())

    response = anna.post(delete_url(card), confirmation)

    assert response["Location"] == reverse("admin:results_card_changelist")
    assert not Card.objects.filter(pk=card.pk).exists()


def bulk_delete_confirmation(client, cards):
    changelist = reverse("admin:results_card_changelist")
    page = client.post(changelist, {"action": "delete_selected", "_selected_action": [card.pk for card in cards]})
    return hidden_inputs(page.content.decode())


def test_bulk_delete_refuses_when_a_selected_card_changed_meanwhile(card):
    other = make_card(card.table, card.station, text="Wohnraum fehlt")
    anna, ben = logged_in_client("anna"), logged_in_client("ben")
    confirmation = bulk_delete_confirmation(anna, [card, other])

    ben.post(card_url(card), card_change_data(card, text="Dolmetscher fehlen oft"))
    response = anna.post(reverse("admin:results_card_changelist"), confirmation)

    texts = Card.objects.filter(pk__in=[card.pk, other.pk]).values_list("text", flat=True)
    assert sorted(texts) == ["Dolmetscher fehlen oft", "Wohnraum fehlt"]
    assert [message[:61] for message in messages_of(response)] == [
        "Die Karte „Dolmetscher fehlen oft“ wurde inzwischen von ben g"
    ]


def test_bulk_delete_of_unchanged_cards_works(card):
    other = make_card(card.table, card.station, text="Wohnraum fehlt")
    anna = logged_in_client("anna")
    confirmation = bulk_delete_confirmation(anna, [card, other])

    anna.post(reverse("admin:results_card_changelist"), confirmation)

    assert not Card.objects.filter(pk__in=[card.pk, other.pk]).exists()


def test_deleting_from_the_table_inline_refuses_a_card_changed_meanwhile(card):
    table = card.table
    table_stations = list(TableStation.objects.filter(table=table).order_by("station__number"))
    anna, ben = logged_in_client("anna"), logged_in_client("ben")
    stale = table_change_data(table, [card], table_stations) | {"cards-0-DELETE": "on"}

    ben.post(card_url(card), card_change_data(card, text="Dolmetscher fehlen oft"))
    response = anna.post(table_url(table), stale)

    card.refresh_from_db()
    assert card.text == "Dolmetscher fehlen oft"
    errors = response.context["inline_admin_formsets"][1].formset.non_form_errors()
    assert [error[:61] for error in errors] == ["Die Karte „Dolmetscher fehlen oft“ wurde inzwischen von ben g"]
    assert "nicht gelöscht" in response.content.decode()


def test_deleting_an_unchanged_card_from_the_table_inline_works(card):
    table = card.table
    table_stations = list(TableStation.objects.filter(table=table).order_by("station__number"))
    anna = logged_in_client("anna")

    response = anna.post(table_url(table), table_change_data(table, [card], table_stations) | {"cards-0-DELETE": "on"})

    assert response.status_code == 302
    assert not Card.objects.filter(pk=card.pk).exists()
