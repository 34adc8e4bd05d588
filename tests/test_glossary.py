import csv
import io
import json
import re

import pytest

from results.insights import Glossary
from results.models import Card, GlossaryEntry
from results.search import parse, search_cards
from results.templatetags.abbr import card_html
from tests.factories import make_card, make_conference, make_station, make_table, make_table_station

CONF = "/winnenden-2019"
# The abbreviations issue 7 names; the curated glossary explains each.
NAMED = (
    "JC BA IBA IMA IM IMs IMG IGM IGMs IntMan IP VwV AGH ALG II AB AUB LRA LK ES SGB SfJ BFD GU VKL KiGa MA LIM"
).replace("ALG II", "ALG_II")


class Entry:
    def __init__(self, abbreviation, *meanings, uncertain=False):
        self.abbreviation = abbreviation
        self.meaning_list = list(meanings)
        self.uncertain = uncertain
        self.note = ""


def texts(cards):
    return sorted(card.text for card in cards)


@pytest.mark.django_db
def test_glossary_holds_every_abbreviation_the_document_uses():
    abbreviations = set(GlossaryEntry.objects.filter(conference=None).values_list("abbreviation", flat=True))

    assert {name.replace("_", " ") for name in NAMED.split()} <= abbreviations


@pytest.mark.django_db
def test_glossary_keeps_both_meanings_and_marks_uncertain_ones():
    im = GlossaryEntry.objects.get(abbreviation="IM", conference=None)
    sfj = GlossaryEntry.objects.get(abbreviation="SfJ", conference=None)

    assert im.meaning_list == ["Integrationsmanager_in", "Integrationsmanagement"]
    assert (sfj.meaning_list, sfj.uncertain) == ([], True)
    assert "nicht erläutert" in sfj.note


def test_glossary_marks_whole_words_case_sensitively():
    glossary = Glossary(
        [Entry("IM", "Integrationsmanager_in"), Entry("IMs", "Integrationsmanager_innen"), Entry("ES", "Esslingen")]
    )

    html = card_html("IMs und IM, LRA ES: es <b>", glossary)

    assert html == (
        '<abbr title="Integrationsmanager_innen">IMs</abbr> und <abbr title="Integrationsmanager_in">IM</abbr>, '
        'LRA <abbr title="Esslingen">ES</abbr>: es &lt;b&gt;'
    )


def test_entries_that_look_like_entities_mark_the_raw_text_and_never_garble_it():
    # Issue 16 point 4: on the old code (marking the escaped text) "quot" was found inside
    # "&quot;" and "F&E" not at all, since its "&" had become "&amp;".
    glossary = Glossary([Entry("quot", "Quotient"), Entry("F&E", "Forschung und Entwicklung"), Entry("amp", "Ampel")])

    html = card_html('Sagte "quot" zur F&E-Abteilung & amp', glossary)

    assert html == (
        'Sagte &quot;<abbr title="Quotient">quot</abbr>&quot; zur '
        '<abbr title="Forschung und Entwicklung">F&amp;E</abbr>-Abteilung &amp; <abbr title="Ampel">amp</abbr>'
    )


def test_card_html_nests_search_marks_and_abbreviations():
    glossary = Glossary([Entry("KiTa", "Kindertagesstätte"), Entry("JC", "Jobcenter")])
    query = parse("Kita Jobcenter", glossary)

    html = card_html("KiTa-Plätze beim JC <sofort>", glossary, query)

    assert html == (
        '<mark><abbr title="Kindertagesstätte">KiTa</abbr>-Plätze</mark> beim '
        '<mark><abbr title="Jobcenter">JC</abbr></mark> &lt;sofort&gt;'
    )


def test_glossary_titles_say_when_a_meaning_is_uncertain_or_unknown():
    glossary = Glossary(
        [Entry("IMA", "Integrationsmanagement", uncertain=True), Entry("SfJ"), Entry("ALG II", "Arbeitslosengeld II")]
    )

    assert glossary.find("IMA-Team, SfJ und ALG  II") == ["IMA", "SfJ", "ALG II"]
    assert glossary.title("IMA") == "vermutlich Integrationsmanagement"
    assert glossary.title("SfJ") == "Abkürzung im Dokument nicht erläutert"


@pytest.mark.django_db
def test_table_page_marks_abbreviations_without_changing_the_stored_text(client):
    card = Card.objects.select_related("table__conference").get(pk=96)  # ids in the fixture are stable

    html = client.get(card.table.get_absolute_url()).content.decode()

    assert card.text == card.original_text == "Wöchentliche telefonische Rücksprache mit JC"
    assert (
        f'<li id="karte-{card.pk}">Wöchentliche telefonische Rücksprache mit <abbr title="Jobcenter">JC</abbr> <'
        in html
    )
    assert '<abbr title="Bundesagentur für Arbeit">BA</abbr>' in html


@pytest.mark.django_db
def test_glossary_page_lists_abbreviations_with_their_cards_and_lines(client):
    html = client.get(f"{CONF}/glossar/").content.decode()

    terms = re.findall(r'<dt id="abk-[^"]+" lang="de">(.*?)</dt>', html)
    assert terms[:5] == ["AB", "AGH", "ALG II", "AUB", "AWO"]
    assert '<p lang="de">Integrationsmanager_in · Integrationsmanagement</p>' in html
    jc = html[html.index('id="abk-jc"') : html.index('id="abk-kiga"')]
    assert "<summary>5 Karten</summary>" in jc
    lim = html[html.index('id="abk-lim"') :]
    assert f'<a href="{CONF}/quelle/#zeile-1210">Zeile 1210</a>' in lim


@pytest.mark.django_db
def test_search_for_the_meaning_finds_the_abbreviation_and_back():
    cards = Card.objects.public().filter(table__conference__slug="winnenden-2019")

    by_meaning = texts(search_cards(cards, "Jobcenter"))
    by_abbreviation = texts(search_cards(cards, "JC"))

    assert "Wöchentliche telefonische Rücksprache mit JC" in by_meaning
    assert "Schweigepflichtbindungserklärung/Vollmacht zwischen Jobcenter und IM" in by_meaning
    assert by_meaning == by_abbreviation


@pytest.mark.django_db
def test_search_matches_abbreviations_only_as_written():
    conference = make_conference()
    station = make_station(conference, 1)
    table = make_table(conference, 1)
    make_table_station(table, station)
    make_card(table, station, text="Zusatzbetreuung LRA ES")
    make_card(table, station, text="Es fehlt an Wohnraum")
    cards = Card.objects.filter(table=table)

    assert texts(search_cards(cards, "Esslingen")) == ["Zusatzbetreuung LRA ES"]
    assert texts(search_cards(cards, "Landratsamt Esslingen")) == ["Zusatzbetreuung LRA ES"]


@pytest.mark.django_db
def test_a_conference_can_give_an_abbreviation_its_own_meaning(client):
    conference = make_conference(slug="fachtag-ulm")
    station = make_station(conference, 1)
    table = make_table(conference, 1, title="Arbeit")
    make_table_station(table, station)
    make_card(table, station, text="Beratung durch die BA")
    GlossaryEntry.objects.create(conference=conference, abbreviation="BA", meanings="Berufsakademie")

    html = client.get(table.get_absolute_url()).content.decode()
    winnenden = client.get(f"{CONF}/glossar/").content.decode()

    assert '<abbr title="Berufsakademie">BA</abbr>' in html
    assert "Berufsakademie" not in winnenden


@pytest.mark.django_db
def test_glossary_exports_list_entries_with_card_ids(client):
    rows = list(csv.reader(io.StringIO(client.get(f"{CONF}/glossar.csv").content.decode())))
    data = json.loads(client.get(f"{CONF}/glossar.json").content)

    assert rows[0] == ["abbreviation", "meanings", "uncertain", "note", "card_count", "cards", "source_lines"]
    im = next(row for row in rows if row[0] == "IM")
    assert im[1:3] == ["Integrationsmanager_in | Integrationsmanagement", "false"]
    assert data["conference"] == "winnenden-2019"
    assert data["count"] == len(rows) - 1 == len(data["glossar"])
    jc = next(entry for entry in data["glossar"] if entry["abbreviation"] == "JC")
    assert (jc["meanings"], jc["card_count"]) == (["Jobcenter"], 5)


@pytest.mark.django_db
def test_glossary_page_of_unknown_conference_is_404(client):
    assert client.get("/gibt-es-nicht/glossar/").status_code == 404
    assert client.get("/gibt-es-nicht/glossar.csv").status_code == 404


@pytest.mark.django_db
@pytest.mark.parametrize("count", [1, 3])
def test_glossary_page_query_count_is_constant(client, django_assert_num_queries, count):
    conference = make_conference()
    station = make_station(conference, 1)
    for number in range(1, count + 1):
        table = make_table(conference, number)
        make_card(table, station, text=f"Rücksprache mit JC und BA {number}")

    with django_assert_num_queries(3):
        html = client.get(f"/{conference.slug}/glossar/").content.decode()

    assert html.count(f'<li><a href="/{conference.slug}/tische/') == 2 * count
