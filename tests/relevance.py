"""
The search's relevance set: German queries a visitor types, and what each should find in the
Winnenden document (fixtures/source/regionalkonferenz-winnenden-2019-07-02.txt), written by
reading the document, not from the program's output. Cards are named by a piece of their text
(every card of the conference containing it counts), tables and stations by number, programme
items by position. Used by tests/test_relevance.py and printed by `bench/search.py relevance`.

Judged as a reader would: a card is relevant when it is about what the query names, also
when it uses a synonym or an abbreviation the document itself uses. A query's words must all
occur (the search's AND rule), so „häusliche Gewalt“ expects table 8 but no card: no card
says both.
"""

from dataclasses import dataclass, field

from django.db import connection

from results import search_index
from results.glossary import current_glossary
from results.models import Card, Conference
from results.search import current_synonyms, parse, search_cards

DOLMETSCHER = ["Dolmetscher", "dolmetscher"]
WOHNEN = ["Wohnraum", "Wohnungen", "Wohnungslose"]
KITA = [
    "KiTa-Plätze",
    "Kindertageseinrichtungen",
    "Schule, Kita",
    "was will Kita",
    "Kinderbetreuung",
    "Kindergartenplätze",
    "KiGa",
    "Kindergärten",
]
JOBCENTER = [
    "im JC",
    "durch Jobcenter",
    "Rücksprache mit JC",
    "zwischen Jobcenter und IM",
    "Jobcenter als fordernde",
    "Jobcenter-Arbeitsvermittlung",
    "Bedarfe an JC",
    "mit dem JC",
    "Berufsberatung, Jobcenter",
    "JC müssen mehr machen",
]
EHRENAMT = ["Ehrenamt", "ehrenamtlichen"]
GEFLUECHTETE = ["Geflüchtet", "geflüchtet", "Flüchtling", "flüchtling"]
NETZWERK = ["Netzwerk", "Vernetz"]
AERZTE = ["Ärzt"]
AUSLAENDERBEHOERDE = ["Ausländerbehörde", "AUB", "AB wird nicht genutzt"]


@dataclass
class Expected:
    cards: list = field(default_factory=list)
    tables: list = field(default_factory=list)
    stations: list = field(default_factory=list)
    programme: list = field(default_factory=list)


QUERIES = {
    "Dolmetscher": Expected(DOLMETSCHER),
    "Sprachmittler": Expected(DOLMETSCHER),
    "Wohnraum": Expected(WOHNEN),
    "Wohnung": Expected(WOHNEN),
    "Kita": Expected(KITA, tables=[1]),
    "Kinderbetreuung": Expected(KITA, tables=[1]),
    "Frauen": Expected(
        [
            "Selbstinitiative der Frauen",
            "Mehr Frauen in Beratung",
            "Rolle der Frau",
            "Frauen „erstarken“",
            "Frau: nur Kinder",
            "Spracherwerb der Frauen",
        ],
        tables=[1, 8],
    ),
    "häusliche Gewalt": Expected(tables=[8]),
    "Gewalt": Expected(["Gewalt in Beziehung", "gewalttätige"], tables=[8]),
    "Jobcenter": Expected(JOBCENTER),
    "JC": Expected(JOBCENTER),
    "Ehrenamt": Expected(EHRENAMT),
    "Ehrenamtliche": Expected(EHRENAMT),
    "Geflüchtete": Expected(GEFLUECHTETE),
    "Flüchtlinge": Expected(GEFLUECHTETE),
    "Integrationsplan": Expected(["Integrationsplan", "IP B", "IP-Ziele"], tables=[2]),
    "Arbeitsmarkt": Expected(
        ["Schwerpunkt Arbeitsmarkt", "Geflüchteten an Arbeitsmarkt", "Arbeitsmarktintegration"], tables=[5]
    ),
    "Arbeitsmarktintegration": Expected(["Arbeitsmarktintegration"], tables=[5]),
    "Ausbildung": Expected(
        [
            "Ausbildungsstipendium",
            "Vorbereitung auf Ausbildung",
            "Arbeit und Ausbildung",
            "Bildung, Ausbildung",
            "Ausbildungscampus",
        ]
    ),
    "Netzwerk": Expected(NETZWERK),
    "Vernetzung": Expected(NETZWERK),
    "Schule": Expected(["Schule", "Förderschulen"]),
    "Ärzte": Expected(AERZTE),
    "Ärztinnen": Expected(AERZTE),
    "Gesundheit": Expected(["Gesundheitsamt", "seelische Gesundheit"], tables=[10]),
    "Trauma": Expected(["Trauma-Betreuung", "Traumata", "Trauma-Sprechstunde"]),
    "Diakonie": Expected(["Diakonie"]),
    "Ausländerbehörde": Expected(AUSLAENDERBEHOERDE, tables=[7]),
    "Landratsamt": Expected(["LRA", "Landratsamt"]),
    "Kommune": Expected(["Kommune", "Kommunal", "kommunal"]),
    "Supervision": Expected(["Supervision"]),
    "Öffentlichkeitsarbeit": Expected(["Öffentlichkeitsarbeit"]),
    "Bürokratie": Expected(["Bürokratie"]),
    "Datenschutz": Expected(["Datenschutz"]),
    "Polizei": Expected(["Polizei"]),
    "Jugendamt": Expected(["Jugendamt"]),
    "Vereine": Expected(["Vereine", "Handelsvereinen"]),
    "Winnenden": Expected(["Winnenden"], programme=[2]),
    "Holzwarth": Expected(programme=[2]),
    "World Café": Expected(programme=[3]),
    "Mittagsimbiss": Expected(programme=[6]),
    "Ziele": Expected(
        [
            "IP-Ziele",
            "Geflüchteten Ziele entwickeln",
            "Umsetzung ihrer Ziele",
            "Kleine Ziele",
            "Ziel einer harmonischen",
            "Integrationsziele",
        ],
        stations=[2, 3],
        programme=[5, 7],
    ),
    "Selbsthilfe": Expected(["Selbsthilfe"], tables=[6]),
    "Digitalisierung": Expected(["Digitalisierung"], tables=[2]),
    "Nachhaltigkeit": Expected(["keine nachhaltige"], tables=[3]),
    "ländlicher Raum": Expected(["im ländlichen Raum", "ländlicher Raum"], tables=[4]),
    "Einzelkämpfer": Expected(tables=[4]),
    "Rahmenbedingungen": Expected(["Rahmenbedingungen"], tables=[11]),
    "Kinderrechte": Expected(["Kinderrechte"]),
    "Männer-Café": Expected(["Männer-Café"]),
    "Ausländerbehörde Schulung": Expected(["Schulung IM und Ausländerbehörden"]),
    "Kita Sprache": Expected(["in Sprachschulen"], tables=[1]),
    "Anerkennung": Expected(["Wartezeiten bei Anerkennung", "Anerkennungsverfahren"]),
    "Geduldete": Expected(["eduldete"]),
    "Aufenthaltsrecht": Expected(["Aufenthaltsrecht"]),
    "Sportmittler": Expected(["Sportmittler"]),
    "Lobbyarbeit": Expected(["Lobbyarbeit"]),
    "Empowerment": Expected(["Empowerment"]),
    "Internet": Expected(["Internet"]),
    "Landkreis": Expected(["Landkreis", "LK "]),
    "Esslingen": Expected(["LRA ES", "Esslingen"]),
}

# Queries whose relevant cards the word-based search cannot all reach, mostly words inside
# compounds ("Sozialberatung" for „Beratung“); measured and printed, not part of the targets.
HARD = {
    "Beratung": Expected(["Beratung", "beraten", "beratung"]),
    "Sprache": Expected(
        [
            "Sprachgebrauch",
            "Erlernen der",
            "Sprachkenntnisse",
            "Muttersprache",
            "Sprachbarrieren",
            "Sprachkurse",
            "Sprachförderung",
            "Spracherwerb",
            "mit Sprache",
            "weil Sprache",
            "Gesprächsführung, Sprache",
            "sprachliche Kompetenzen",
            "Amtssprache",
            "Sprachmittler",
            "keine Deutschkurs",
            "VwV Deutsch",
        ],
        tables=[1],
    ),
    "Hilfe zur Selbsthilfe": Expected(["Selbsthilfe"], tables=[6]),
    "Finanzierung": Expected(["Finanzierung", "finanzielle"]),
}


def _cards_containing(conference, pieces):
    cards = Card.objects.public().filter(table__conference=conference)
    found = set()
    for piece in pieces:
        matching = {pk for pk, text in cards.values_list("pk", "text") if piece in text}
        if not matching:
            raise ValueError(f"No card of {conference.slug} contains {piece!r}: fix the relevance set.")
        found |= matching
    return found


def _places(conference, query):
    """The conference's tables, stations and programme items the search lists for query, as keys."""
    if not query:
        return set()
    found = search_index.places(connection, search_index.expression(connection, query.clauses))
    numbers = {
        "t": dict(conference.tables.values_list("pk", "number")),
        "s": dict(conference.stations.values_list("pk", "number")),
        "p": dict(conference.programme.values_list("pk", "position")),
    }
    return {(kind, numbers[kind][pk]) for kind, pk in found if pk in numbers[kind]}


def evaluate(queries=None, slug="winnenden-2019"):
    """[(query, recall, precision, relevant, found)] for each query of the set."""
    queries = QUERIES if queries is None else queries
    conference = Conference.objects.get(slug=slug)
    glossary = current_glossary(conference)
    synonyms = current_synonyms()
    results = []
    for text, expected in queries.items():
        relevant = _cards_containing(conference, expected.cards)
        relevant |= {("t", n) for n in expected.tables} | {("s", n) for n in expected.stations}
        relevant |= {("p", n) for n in expected.programme}
        query = parse(text, glossary, synonyms)
        cards = Card.objects.public().filter(table__conference=conference)
        found = {card.pk for card in search_cards(cards, query, conference=conference)} | _places(conference, query)
        hits = len(relevant & found)
        recall = hits / len(relevant) if relevant else 1.0
        precision = hits / len(found) if found else 1.0
        results.append((text, recall, precision, len(relevant), len(found)))
    return results


def summary(results):
    """(mean recall, mean precision, lowest recall) over the queries."""
    return (
        sum(row[1] for row in results) / len(results),
        sum(row[2] for row in results) / len(results),
        min(row[1] for row in results),
    )
