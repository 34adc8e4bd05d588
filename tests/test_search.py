import json
import re
from pathlib import Path

import pytest
from django.core.management import call_command
from django.db import connection

from results import search_index
from results.glossary import current_glossary
from results.insights import Glossary
from results.models import Card, Conference
from results.search import current_synonyms, parse, ranked_page, reindex, search_cards
from results.suggestions import suggestions
from results.templatetags.abbr import card_html
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


def highlight(text, query, glossary=None):
    glossary = glossary or Glossary([])
    return card_html(text, glossary, parse(query, glossary))


def suggest(text):
    return suggestions(text)


def test_search_cards_finds_inflected_and_gender_forms(world):
    station, wohnen, sprache = world
    make_card(wohnen, station, text="Mangelnder Wohnraum")
    make_card(wohnen, station, text="Wohnungslose unterbringen")
    make_card(wohnen, station, text="Mehr Wohnungen")
    make_card(sprache, station, text="Dolmetscher_innen/Sprachmittler_innen")
    make_card(sprache, station, text="Vereidigte DolmetscherInnen")
    make_card(sprache, station, text="Fehlende KiTa-Plätze")

    # Wohnraum by the seeded synonym (results/migrations/0010_search_synonyms.py).
    assert texts(search_cards(cards_of(wohnen), "Wohnung")) == [
        "Mangelnder Wohnraum",
        "Mehr Wohnungen",
        "Wohnungslose unterbringen",
    ]
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
    assert [card.rank for card in found] == [1, 1, 0, 0]


def test_search_cards_without_searchable_words_finds_nothing(world):
    station, wohnen, _sprache = world
    make_card(wohnen, station, text="Wohnungen")

    assert list(search_cards(cards_of(wohnen), "!!! ---")) == []
    assert not parse("!!! ---", Glossary([]))


def test_search_cards_ignores_regular_expression_and_sql_characters(world):
    station, wohnen, _sprache = world
    make_card(wohnen, station, text="100% Wohnungen")

    assert texts(search_cards(cards_of(wohnen), "100%")) == ["100% Wohnungen"]
    assert texts(search_cards(cards_of(wohnen), "Wohnung' OR 1=1 --")) == []


BAD_QUERIES = [
    '"Wohnung',
    'Wohnung" OR "Kita',
    "Wohn*",
    "Wohnung NEAR Kita",
    "Wohnung OR Kita",
    "-Wohnung",
    "terms:Wohnung",
    "^Wohnung",
    "Wohnung AND NOT",
    "( ) { } [ ]",
    "und der die",
    "a" * 200,
    " ".join(["Wohnung"] * 100),
    " ".join(f"Wort{number}" for number in range(100)),
    "\\x00 %_ ' ;--",
]


@pytest.mark.parametrize("query", BAD_QUERIES)
def test_bad_queries_never_fail_on_either_index_path(world, query):
    station, wohnen, _sprache = world
    make_card(wohnen, station, text="Mehr Wohnungen und Kita-Plätze")

    parsed = parse(query, current_glossary(), current_synonyms())
    found = texts(search_cards(cards_of(wohnen), parsed))
    page = ranked_page(parsed, 1, 20)

    assert len(parsed.clauses) <= 8
    # Operators are plain characters: the words around them are searched, all of them.
    if query.startswith(('"Wohnung', "Wohn*", "-Wohnung", "^Wohnung")):
        assert found == ["Mehr Wohnungen und Kita-Plätze"]
    if "NEAR" in query or "OR Kita" in query:
        assert found == []  # "near"/"or" are words the card lacks, not operators
    assert len(page.object_list) <= 20


def test_a_query_of_stop_words_alone_searches_them(world):
    station, wohnen, _sprache = world
    make_card(wohnen, station, text="Mehr Wohnungen und Kita-Plätze")
    make_card(wohnen, station, text="Sprachkurse")

    assert texts(search_cards(cards_of(wohnen), "und")) == ["Mehr Wohnungen und Kita-Plätze"]
    assert texts(search_cards(cards_of(wohnen), "und der")) == []  # every word, as always


def test_more_than_eight_words_search_the_first_eight_and_say_so():
    query = parse(" ".join(f"Wort{number}" for number in range(100)), Glossary([]))

    assert query.truncated
    assert [clause[0][0][0][0] for clause in query.clauses] == [f"wort{number}" for number in range(8)]


def test_search_cards_prefix_ranges_end_at_z_and_9(world):
    station, wohnen, _sprache = world
    make_card(wohnen, station, text="Zz-Top und 1999 und Zzz")
    make_card(wohnen, station, text="Zaun und 2000")

    assert texts(search_cards(cards_of(wohnen), "zz")) == ["Zz-Top und 1999 und Zzz"]
    assert texts(search_cards(cards_of(wohnen), "199")) == ["Zz-Top und 1999 und Zzz"]


def test_card_terms_follow_saves(world):
    station, wohnen, _sprache = world
    card = make_card(wohnen, station, text="Mehr Wohnungen")

    card.text = "Mehr Kita-Plätze"
    card.save()

    assert texts(search_cards(cards_of(wohnen), "Wohnung")) == []
    assert texts(search_cards(cards_of(wohnen), "Plätze")) == ["Mehr Kita-Plätze"]


def test_withdrawn_and_deleted_cards_leave_the_index(world):
    station, wohnen, _sprache = world
    withdrawn = make_card(wohnen, station, text="Mehr Wohnungen")
    deleted = make_card(wohnen, station, text="Wohnungen bauen")

    withdrawn.withdrawn = True
    withdrawn.withdrawn_reason = "doppelt"
    withdrawn.save(update_fields=["withdrawn", "withdrawn_reason"])
    deleted_pk = deleted.pk
    deleted.delete()

    match = search_index.expression(connection, parse("Wohnung", Glossary([])).clauses)
    found = search_index.card_ids(connection, match, 100)
    assert withdrawn.pk not in found and deleted_pk not in found


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

    # A savepoint, reading the cards, deleting their index rows, inserting them, remembering
    # their words, releasing the savepoint: one batch.
    with django_assert_num_queries(6):
        count = reindex(cards_of(wohnen))

    assert count == 2 * cards
    assert texts(search_cards(cards_of(wohnen), "Dolmetscher")) == ["Mehr Dolmetscher_innen"] * cards
    assert texts(search_cards(cards_of(wohnen), "Wohnung")) == []


def test_reindex_cards_command_reports_count(world):
    station, wohnen, _sprache = world
    make_card(wohnen, station, text="Mehr Wohnungen")
    search_index.delete_cards(connection, Card.objects.values_list("pk", flat=True))
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
    # With the synonyms, as the pages search: Wohnraum is a match too.
    assert highlight("Wohnraum", "Wohnung", Glossary([])) == "Wohnraum"
    synonyms = [["Wohnung", "Wohnraum"]]
    assert card_html("Wohnraum", Glossary([]), parse("Wohnung", Glossary([]), synonyms)) == "<mark>Wohnraum</mark>"


def test_highlight_without_query_only_escapes():
    assert highlight("a < b", "") == "a &lt; b"


def test_highlight_matches_umlauts_both_ways():
    assert highlight("Ärzt_innen und Aerzte", "ärzte") == "<mark>Ärzt_innen</mark> und <mark>Aerzte</mark>"


def test_suggestions_offer_whole_words_of_the_archive_and_single_words(world):
    station, wohnen, sprache = world
    make_card(wohnen, station, text="Mehr Wohnungen")
    make_card(sprache, station, text="Dolmetscher_innen für Ärzt_innen, Plätze")

    assert suggest("Dolmetcher")[0] == "Dolmetscher_innen"
    assert suggest("Wohnung Zebrastreifen")[:1] == ["Wohnungen"]
    assert "Wohnungen" in suggest("Wohnungn")


def test_suggestions_are_never_stems(world):
    station, wohnen, _sprache = world
    make_card(wohnen, station, text="Häusliche Gewalt, Traumatisierung, Integrationskurse")

    offered = suggest("Häuslich Traumatisirung Integrationskurze")

    assert offered
    assert {word.casefold() for word in offered} <= {"häusliche", "traumatisierung", "integrationskurse"}


def test_search_uses_the_full_text_index(world):
    match = search_index.expression(connection, parse("Wohnung", Glossary([])).clauses)
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute(f"EXPLAIN QUERY PLAN {search_index.card_ids_sql(connection)}", [match])
            assert "VIRTUAL TABLE INDEX" in str(cursor.fetchall())
        else:
            # With a handful of rows PostgreSQL would rather scan; the question is whether it can use the index.
            cursor.execute("SET LOCAL enable_seqscan = off")
            cursor.execute(f"EXPLAIN {search_index.card_ids_sql(connection)}", [match])
            assert "results_card_fts_terms" in str(cursor.fetchall())


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

    # With the glossary's meaning and the seeded synonyms (0010_search_synonyms).
    assert result == scan(r"\bkita|kindertages|kinderbetreuung|kinderg[aä]rt|\bkiga\b")
    assert set(scan(r"KiTa-Plätze")) <= set(result)
    assert scan(r"KiTa-Plätze")


@needs_fixture
@pytest.mark.django_db
def test_real_document_wohnung_finds_wohnungen_and_wohnungslose():
    result = found("Wohnung")

    assert result == scan(r"\bwohnung|\bwohnraum")
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
