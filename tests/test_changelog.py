"""The public change log: corrections, additions and withdrawals with date, reason and before/after, newest first."""

import datetime
import xml.etree.ElementTree as ET

import pytest
from django.utils.html import strip_tags

from results.models import Card
from tests.factories import make_card, make_world_cafe

pytestmark = pytest.mark.django_db

ATOM = "{http://www.w3.org/2005/Atom}"


def text(response):
    return " ".join(strip_tags(response.content.decode()).split())


def correct(card, new_text, reason, when):
    card.text = new_text
    card.version += 1
    card._change_reason = reason
    card.save()
    card.history.filter(pk=card.history.latest("history_id").pk).update(history_date=when)


@pytest.fixture
def conference_with_changes():
    conference, (table,), (station, *_) = make_world_cafe(cards_per_station=0)
    corrected = make_card(
        table, station, text="Dolmetcher fehlen", origin=Card.Origin.DOCUMENT, original_text="Dolmetcher fehlen"
    )
    withdrawn = make_card(table, station, text="Herr Müller ruft zurück", origin=Card.Origin.DOCUMENT)
    unchanged = make_card(table, station, text="Sprachkurse gibt es", origin=Card.Origin.DOCUMENT)
    correct(corrected, "Dolmetscher fehlen", "Tippfehler", datetime.datetime(2024, 3, 1, 9, 0, tzinfo=datetime.UTC))
    added = make_card(table, station, text="Nachgetragen vom Foto", origin=Card.Origin.ADMIN, original_text="")
    added.history.update(history_date=datetime.datetime(2024, 4, 1, 9, 0, tzinfo=datetime.UTC))
    withdrawn.withdrawn, withdrawn.withdrawn_reason, withdrawn.version = True, "Personenbezogene Angabe", 2
    withdrawn.save()
    return conference, corrected, withdrawn, unchanged, added


def test_the_change_log_lists_corrections_additions_and_withdrawals_newest_first(client, conference_with_changes):
    conference = conference_with_changes[0]

    page = text(client.get(f"/{conference.slug}/aenderungen/")).split("Atom-Feed abonnieren", 1)[1]

    assert page.index("zurückgezogen") < page.index("ergänzt") < page.index("berichtigt")
    assert "vorher Dolmetcher fehlen jetzt Dolmetscher fehlen" in page
    assert "Grund: Tippfehler" in page
    assert "Nachgetragen vom Foto" in page
    assert "Grund: Personenbezogene Angabe" in page
    assert "1. März 2024" in page


def test_a_withdrawn_cards_text_is_not_shown_in_the_change_log(client, conference_with_changes):
    conference, _corrected, _withdrawn, unchanged, _added = conference_with_changes

    page = text(client.get(f"/{conference.slug}/aenderungen/"))

    assert "Herr Müller" not in page
    assert unchanged.text not in page


def test_a_deleted_cards_corrections_and_addition_are_not_shown(client, conference_with_changes):
    conference, corrected, _withdrawn, _unchanged, added = conference_with_changes
    corrected.delete()
    added.delete()

    page = text(client.get(f"/{conference.slug}/aenderungen/"))
    feed = client.get(f"/{conference.slug}/aenderungen.atom").content.decode()

    for shown in (page, feed):
        assert "Dolmetscher" not in shown
        assert "Tippfehler" not in shown
        assert "Nachgetragen vom Foto" not in shown
    assert "Personenbezogene Angabe" in page


def test_the_change_log_marks_the_changed_words(client, conference_with_changes):
    conference = conference_with_changes[0]

    html = client.get(f"/{conference.slug}/aenderungen/").content.decode()

    assert "<del>Dolmetcher</del>" in html
    assert "<ins>Dolmetscher</ins>" in html


def test_the_change_log_of_a_conference_without_changes_says_so(client):
    conference, _tables, _stations = make_world_cafe(cards_per_station=2)

    assert "Seit der Veröffentlichung wurde nichts geändert." in text(client.get(f"/{conference.slug}/aenderungen/"))


def test_the_atom_feed_carries_the_same_changes(client, conference_with_changes):
    conference = conference_with_changes[0]

    response = client.get(f"/{conference.slug}/aenderungen.atom")

    assert response["Content-Type"].startswith("application/atom+xml")
    feed = ET.fromstring(response.content)
    entries = feed.findall(f"{ATOM}entry")
    assert [entry.find(f"{ATOM}title").text.split(":")[0] for entry in entries] == [
        "zurückgezogen",
        "ergänzt",
        "berichtigt",
    ]
    assert "Herr Müller" not in response.content.decode()
    assert entries[2].find(f"{ATOM}link").get("href").endswith(f"#karte-{conference_with_changes[1].pk}")


def test_the_change_log_in_english(client, conference_with_changes):
    conference = conference_with_changes[0]

    page = text(client.get(f"/en/{conference.slug}/aenderungen/"))

    assert "Changes" in page
    assert "corrected" in page


def test_unknown_conference_and_bad_page_numbers_get_clear_answers(client, conference_with_changes):
    conference = conference_with_changes[0]

    assert client.get("/gibt-es-nicht/aenderungen/").status_code == 404
    assert client.get("/gibt-es-nicht/aenderungen.atom").status_code == 404
    assert client.get(f"/{conference.slug}/aenderungen/", {"page": "x" * 300}).status_code == 200
