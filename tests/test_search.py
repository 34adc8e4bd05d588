import json
import re
from pathlib import Path

import pytest
from django.core.management import call_command
from django.db import connection

from results.models import Card, CardTerm, Conference
from results.search import highlight, reindex, search_cards, suggestions, term_prefix
from results.text import search_terms
from tests.factories import make_card, make_conference, make_station, make_table

FIXTURE = Path(__file__).resolve().parent.parent / "fixtures" / "winnenden-2019.json"
needs_fixture = pytest.mark.skipif(not FIXTURE.exists(), reason="the real document's fixture is not generated yet")


@pytest.fixture
def world(db):
    conference = make_conference()
    station = make_station(conference, 1)
    return station, make_table(conference, 1, title="Wohnen"), make_table(conference, 2, title="Sprache")


def cards_of(table):
    # The real document is loaded too; these tests look at their own conference only.
    return Card.objects.filter(table__conference=table.conference_id)


def texts(cards):
    return [card.text for card in cards]


def test_search_cards_finds_inflected_and_gender_forms(world):
    station, wohnen, sprache = world
    make_card(wohnen, station, text="Mangelnder Wohnraum")
    make_card(wohnen, station, text="Wohnungslose unterbringen")
    make_card(wohnen, station, text="Mehr Wohnungen")
    make_card(sprache, station, text="Dolmetscher_innen/Sprachmittler_innen")
    make_card(sprache, station, text="Vereidigte DolmetscherInnen")
    make_card(sprache, station, text="Fehlende KiTa-Plätze")

    assert texts(search_cards(cards_of(wohnen), "Wohnung")) == ["Mehr Wohnungen", "Wohnungslose unterbringen"]
    assert texts(search_cards(cards_of(wohnen), "dolmetscherinnen")) == [
        "Dolmetscher_innen/Sprachmittler_innen",
        "Vereidigte DolmetscherInnen",
    ]
    assert texts(search_cards(cards_of(wohnen), "Kita")) == ["Fehlende KiTa-Plätze"]
    assert texts(search_cards(cards_of(wohnen), "kitaplätze")) == ["Fehlende KiTa-Plätze"]


def test_search_cards_requires_every_query_word(world):
    station, wohnen, _sprache = world
    make_card(wohnen, station, text="Wohnungen für Familien")
    make_card(wohnen, station, text="Wohnungen für Studierende")

    assert texts(search_cards(cards_of(wohnen), "Wohnung Familie")) == ["Wohnungen für Familien"]
    assert texts(search_cards(cards_of(wohnen), "Wohnung für Familie")) == ["Wohnungen für Familien"]


def test_search_cards_ranks_exact_terms_first_then_document_order(world):
    station, wohnen, sprache = world
    make_card(wohnen, station, text="Wohnungsmarkt", position=1)
    make_card(wohnen, station, text="Wohnung gesucht", position=2)
    make_card(sprache, station, text="Wohnung frei", position=1)
    make_card(sprache, station, text="Wohnungsbau", position=2)

    found = search_cards(cards_of(wohnen), "Wohnung")

    assert texts(found) == ["Wohnung gesucht", "Wohnung frei", "Wohnungsmarkt", "Wohnungsbau"]
    assert [card.rank for card in found] == [1001, 1001, 1, 1]


def test_search_cards_counts_more_matched_terms_higher(world):
    station, wohnen, _sprache = world
    make_card(wohnen, station, text="Wohnungslose", position=1)
    make_card(wohnen, station, text="Wohnungslose und Wohnungsmarkt", position=2)

    assert texts(search_cards(cards_of(wohnen), "Wohnungs")) == ["Wohnungslose und Wohnungsmarkt", "Wohnungslose"]


def test_search_cards_without_searchable_words_finds_nothing(world):
    station, wohnen, _sprache = world
    make_card(wohnen, station, text="Wohnungen")

    assert list(search_cards(cards_of(wohnen), "!!! ---")) == []


def test_search_cards_ignores_regular_expression_and_sql_characters(world):
    station, wohnen, _sprache = world
    make_card(wohnen, station, text="100% Wohnungen")

    assert texts(search_cards(cards_of(wohnen), "100%")) == ["100% Wohnungen"]
    assert texts(search_cards(cards_of(wohnen), "Wohnung' OR 1=1 --")) == []


def test_search_cards_prefix_ranges_end_at_z_and_9(world):
    station, wohnen, _sprache = world
    make_card(wohnen, station, text="Zz-Top und 1999 und Zzz")
    make_card(wohnen, station, text="Zaun und 2000")

    assert texts(search_cards(cards_of(wohnen), "zz")) == ["Zz-Top und 1999 und Zzz"]
    assert texts(search_cards(cards_of(wohnen), "199")) == ["Zz-Top und 1999 und Zzz"]


def test_term_prefix_is_a_range():
    assert term_prefix("wohnung") == term_prefix("wohnung")
    assert str(term_prefix("abz")) == "(AND: ('term__gte', 'abz'), ('term__lt', 'ac'))"
    assert str(term_prefix("a9")) == "(AND: ('term__gte', 'a9'), ('term__lt', 'aa'))"
    assert str(term_prefix("zz")) == "(AND: ('term__gte', 'zz'))"


def test_card_terms_follow_saves(world):
    station, wohnen, _sprache = world
    card = make_card(wohnen, station, text="Mehr Wohnungen")

    card.text = "Mehr Kita-Plätze"
    card.save()

    terms = sorted(CardTerm.objects.filter(card=card).values_list("term", flat=True))
    assert terms == sorted(search_terms("Mehr Kita-Plätze"))
    assert Card.objects.get(pk=card.pk).search_text == " ".join(search_terms("Mehr Kita-Plätze"))
    assert texts(search_cards(cards_of(wohnen), "Wohnung")) == []


def test_card_terms_follow_raw_fixture_saves(world, tmp_path):
    station, wohnen, _sprache = world
    fixture = tmp_path / "cards.json"
    record = {
        "model": "results.card",
        "pk": 9001,
        "fields": {"table": wohnen.pk, "station": station.pk, "kind": "gut", "text": "Ehrenamtliche Pat_innen"},
    }
    fixture.write_text(json.dumps([record]), encoding="utf-8")

    call_command("loaddata", str(fixture), verbosity=0)

    assert texts(search_cards(cards_of(wohnen), "Ehrenamt Paten")) == ["Ehrenamtliche Pat_innen"]


@pytest.mark.parametrize("cards", [1, 3])
def test_reindex_rebuilds_terms_after_bulk_updates(world, cards, django_assert_num_queries):
    station, wohnen, sprache = world
    for index in range(cards):
        make_card(wohnen, station, text=f"Mehr Wohnungen {index}")
        make_card(sprache, station, text="Sprachkurse")
    Card.objects.filter(table=wohnen).update(text="Mehr Dolmetscher_innen")

    # Reading, deleting, inserting, updating (the page cache is told on commit, in the cache).
    with django_assert_num_queries(6):
        count = reindex(cards_of(wohnen))

    assert count == 2 * cards
    assert texts(search_cards(cards_of(wohnen), "Dolmetscher")) == ["Mehr Dolmetscher_innen"] * cards
    assert texts(search_cards(cards_of(wohnen), "Wohnung")) == []


def test_reindex_cards_command_reports_count(world):
    station, wohnen, _sprache = world
    make_card(wohnen, station, text="Mehr Wohnungen")
    CardTerm.objects.all().delete()
    out = __import__("io").StringIO()

    call_command("reindex_cards", "--conference", wohnen.conference.slug, stdout=out)

    assert out.getvalue() == "1 Karte neu indexiert.\n"
    assert texts(search_cards(cards_of(wohnen), "Wohnung")) == ["Mehr Wohnungen"]


def test_highlight_marks_matching_words_and_escapes_the_rest():
    text = "<b>Dolmetscher_innen</b> & Wohnungslose, Wohnraum; KiTa-Plätze"

    assert highlight(text, "Dolmetscher Wohnung kita") == (
        "&lt;b&gt;<mark>Dolmetscher_innen</mark>&lt;/b&gt; &amp; <mark>Wohnungslose</mark>, Wohnraum; "
        "<mark>KiTa-Plätze</mark>"
    )


def test_highlight_without_query_only_escapes():
    assert highlight("a < b", "") == "a &lt; b"


def test_highlight_matches_umlauts_both_ways():
    assert highlight("Ärzt_innen und Aerzte", "ärzte") == "<mark>Ärzt_innen</mark> und <mark>Aerzte</mark>"


def test_suggestions_offer_close_words_and_single_words(world):
    station, wohnen, sprache = world
    make_card(wohnen, station, text="Mehr Wohnungen")
    make_card(sprache, station, text="Dolmetscher_innen für Ärzt_innen, Plätze")

    assert suggestions("Dolmetcher", conference=wohnen.conference)[0] == "Dolmetscher_innen"
    assert suggestions("Wohnung Dolmetscher", conference=wohnen.conference)[:2] == ["Wohnung", "Dolmetscher"]
    assert suggestions("Wohnungsbaugesellschaft", conference=wohnen.conference)[0] == "Wohnung"
    assert suggestions("Plätzchen", conference=wohnen.conference)[0] == "Plätz"


def test_suggestions_only_come_from_the_conference(world):
    station, wohnen, _sprache = world
    make_card(wohnen, station, text="Wohnungen")
    other = make_conference()
    other_table = make_table(other, 1, title="Anderes")
    make_card(other_table, make_station(other, 1), text="Wohnraumförderung")

    assert suggestions("Wohnraum", conference=wohnen.conference) == ["Wohn", "Wohnungen"]


def test_search_uses_the_term_index(world):
    # The unique (term, card) constraint is the index: SQLite names it by the table.
    terms = CardTerm.objects.filter(term_prefix("wohnung")).values("card_id")

    if connection.vendor == "sqlite":
        assert (
            "SEARCH results_cardterm USING COVERING INDEX sqlite_autoindex_results_cardterm_1 (term>? AND term<?)"
            in (terms.explain())
        )
    else:
        # With a handful of rows PostgreSQL would rather scan; the question is whether it can use the index.
        with connection.cursor() as cursor:
            cursor.execute("SET LOCAL enable_seqscan = off")
            plan = terms.explain()
        assert "card_term_unique" in plan
        assert "Index Cond: (((term)::text >= 'wohnung'::text) AND ((term)::text < 'wohnunh'::text))" in plan


# Facts about the real document: each compared with a plain scan of the card
# texts, a route independent of the term index.


def scan(pattern):
    return sorted(
        card.pk
        for card in Card.objects.public().filter(table__conference__slug="winnenden-2019")
        if re.search(pattern, card.text, re.IGNORECASE)
    )


def found(query):
    cards = Card.objects.public().filter(table__conference=Conference.objects.get(slug="winnenden-2019"))
    return sorted(card.pk for card in search_cards(cards, query))


@needs_fixture
@pytest.mark.django_db
def test_real_document_dolmetscher_at_every_table():
    expected = scan(r"dolmetscher")

    result = found("Dolmetscher")

    assert result == expected
    assert len({card.table_id for card in Card.objects.filter(pk__in=result)}) > 1


@needs_fixture
@pytest.mark.django_db
def test_real_document_kita_finds_kita_plaetze():
    result = found("Kita")

    assert result == scan(r"\bkita")
    assert set(scan(r"KiTa-Plätze")) <= set(result)
    assert scan(r"KiTa-Plätze")


@needs_fixture
@pytest.mark.django_db
def test_real_document_wohnung_finds_wohnungen_and_wohnungslose():
    result = found("Wohnung")

    assert result == scan(r"\bwohnung")
    assert scan(r"\bWohnungen\b") and set(scan(r"\bWohnungen\b")) <= set(result)
    assert scan(r"\bWohnungslose") and set(scan(r"\bWohnungslose")) <= set(result)


@needs_fixture
@pytest.mark.django_db
def test_real_document_ehrenamt_finds_ehrenamtliche_and_engagement():
    result = found("Ehrenamt")

    assert result == scan(r"\behrenamt")
    assert scan(r"Ehrenamtliche\b") and set(scan(r"Ehrenamtliche\b")) <= set(result)
    assert scan(r"ehrenamtliches Engagement") and set(scan(r"ehrenamtliches Engagement")) <= set(result)


@needs_fixture
@pytest.mark.django_db
def test_real_document_aerzte_equals_umlaut_form():
    assert found("aerzte") == found("Ärzte") == scan(r"\bärzt")
    assert found("Ärzte")
