"""The importer on small literal snippets: one test for each trap of the extracted text (DESIGN.md)."""

import datetime

import pytest

from results.importer import DocumentError, join_lines, parse_document, to_records

HEAD = """
Regionalkonferenz
„Pakt für Integration – Kommunales 

Integrationsmanagement“

2. Juli 2019, Hermann-Schwab-Halle Winnenden



Tagesprogramm
09:30 Uhr Begrüßung
Ramona Rid, Ministerium für Soziales und Integration Baden-Württemberg

10:45 Uhr Erfahrungsaustausch – Station 1: Was läuft gut? Wo hakt es?

11:45 Uhr Erfahrungsaustausch – Station 2: Was sind unsere Ziele? Was soll ein gutes 
Integrationsmanagement leisten?

14:00 Uhr Erfahrungsaustausch – Station 3: Wie können wir diesen Zielen näherkommen? 
Was können wir vor Ort anstoßen? Was können andere Akteure dafür tun?



Erfahrungsaustausch: 
World Café

Station 1: Was läuft gut? Wo hakt es?

Station 2: Was sind unsere Ziele? Was soll Integrationsmanagement leisten? 

Station 3: Wie können wir den Zielen näherkommen? Was können wir ändern? 
Wer kann uns helfen/unterstützen?

\uf0e0 Jeweils bezogen auf das gewählte Thema
"""


def document(*slides):
    return HEAD + "".join(f"\n\n\n{slide.strip(chr(10))}\n" for slide in slides)


def cards(text, hints=None):
    """(kind, text, parent text or None, station) of every card, in document order."""
    records = to_records(parse_document(text, hints), slug="test", source_document="test.txt", source_text=text)
    station_number = {r["pk"]: r["fields"]["number"] for r in records if r["model"] == "results.station"}
    card_records = [r for r in records if r["model"] == "results.card"]
    text_of = {r["pk"]: r["fields"]["text"] for r in card_records}
    return [
        (
            r["fields"]["kind"],
            r["fields"]["text"],
            text_of.get(r["fields"]["parent"]),
            station_number[r["fields"]["station"]],
        )
        for r in card_records
    ]


def table_stations(text):
    records = to_records(parse_document(text), slug="test", source_document="test.txt", source_text=text)
    return [
        (r["fields"]["table"], r["fields"]["station"], r["fields"]["status"])
        for r in records
        if r["model"] == "results.tablestation"
    ]


def test_parse_document_reads_title_date_venue_and_programme():
    parsed = parse_document(document("Thementisch: A\nErgebnisse\n\nWas läuft gut? Wo hakt es?\n• x\n\nStation 1:"))

    assert parsed.title == "Regionalkonferenz „Pakt für Integration – Kommunales Integrationsmanagement“"
    assert (parsed.date, parsed.venue, parsed.city) == (datetime.date(2019, 7, 2), "Hermann-Schwab-Halle", "Winnenden")
    assert [(item["start"], item["title"]) for item in parsed.programme] == [
        (datetime.time(9, 30), "Begrüßung"),
        (datetime.time(10, 45), "Erfahrungsaustausch – Station 1: Was läuft gut? Wo hakt es?"),
        (
            datetime.time(11, 45),
            "Erfahrungsaustausch – Station 2: Was sind unsere Ziele? Was soll ein gutes Integrationsmanagement leisten?",
        ),
        (
            datetime.time(14, 0),
            "Erfahrungsaustausch – Station 3: Wie können wir diesen Zielen näherkommen? "
            "Was können wir vor Ort anstoßen? Was können andere Akteure dafür tun?",
        ),
    ]
    assert parsed.programme[0]["speakers"] == ["Ramona Rid, Ministerium für Soziales und Integration Baden-Württemberg"]
    assert parsed.stations[2]["question"] == (
        "Was sind unsere Ziele? Was soll ein gutes Integrationsmanagement leisten?"
    )
    assert parsed.stations[3]["short_question"] == (
        "Wie können wir den Zielen näherkommen? Was können wir ändern? Wer kann uns helfen/unterstützen?"
    )
    assert parsed.stations_note == "Jeweils bezogen auf das gewählte Thema"


def test_two_column_station_1_splits_into_gut_and_hakt_at_the_first_blank_line():
    text = document(
        """
Thementisch: Frauen, Kinderbetreuung, Sprache
Ergebnisse
Station 1: Was läuft gut? Wo hakt es?

• Unterstützung durch Ehrenamt: Sprachgebrauch
• Tw. Selbstinitiative der Frauen im Erlernen der 

Sprache
• Mutter-Kind-Kurse mit Kinderbetreuung

• Nicht passendes Kursangebot (zeitlich und 
Niveau)

• Finanzierung der Kinderbetreuung in 
Sprachschulen
"""
    )

    assert [(kind, text) for kind, text, _, _ in cards(text)] == [
        ("gut", "Unterstützung durch Ehrenamt: Sprachgebrauch"),
        ("gut", "Tw. Selbstinitiative der Frauen im Erlernen der Sprache"),
        ("gut", "Mutter-Kind-Kurse mit Kinderbetreuung"),
        ("hakt", "Nicht passendes Kursangebot (zeitlich und Niveau)"),
        ("hakt", "Finanzierung der Kinderbetreuung in Sprachschulen"),
    ]


def test_two_column_station_3_splits_vor_ort_and_helfer_at_the_last_blank_line():
    text = document(
        """
Thementisch: Arbeitsmarktintegration
Ergebnisse

Was können wir vor Ort ändern? Wer kann helfen?
• Vorstellungsgespräche trainieren
• Start z.B. über Minijob, Teilzeit, Ehrenamt, 

Freiwilligendienst \uf0e0 Praktikavermittlung, 
Eigeninitiative

• Erklärung der allgemeinen Rahmenbedingungen 
in Sachen Arbeit

• Arbeitgeber_innen, Berufsberatung, Jobcenter
• Kammern

Station 3:
"""
    )

    assert [(kind, text) for kind, text, _, _ in cards(text)] == [
        ("vor-ort", "Vorstellungsgespräche trainieren"),
        (
            "vor-ort",
            "Start z.B. über Minijob, Teilzeit, Ehrenamt, Freiwilligendienst → Praktikavermittlung, Eigeninitiative",
        ),
        ("vor-ort", "Erklärung der allgemeinen Rahmenbedingungen in Sachen Arbeit"),
        ("helfer", "Arbeitgeber_innen, Berufsberatung, Jobcenter"),
        ("helfer", "Kammern"),
    ]


def test_column_hint_moves_the_split_to_the_named_item():
    text = document(
        """
Thementisch: Statusfragen
Ergebnisse

Was können wir vor Ort ändern? Wer kann helfen?
• Aufklärungsarbeit

• Netzwerk ausbauen
• Ehrenamtliche
• Arbeitgeber_innen

Station 3:
"""
    )
    hints = {"column_breaks": [{"table": "Statusfragen", "station": 3, "starts_at": "Ehrenamtliche"}]}

    assert [kind for kind, *_ in cards(text, hints)] == ["vor-ort", "vor-ort", "helfer", "helfer"]


def test_column_hint_that_matches_nothing_is_an_error():
    text = document("Thementisch: A\nErgebnisse\n\nWas läuft gut? Wo hakt es?\n• x\n\n• y\n\nStation 1:")
    hints = {"column_breaks": [{"table": "A", "station": 1, "starts_at": "z"}]}

    with pytest.raises(DocumentError, match="Spaltenhinweis"):
        parse_document(text, hints)


def test_station_is_recognised_by_its_question_when_the_label_comes_after_the_content():
    text = document(
        """
Thementisch: Digitalisierung
Ergebnisse

Was sind unsere Ziele? Was soll ein gutes IntMan leisten?
• Uns selbst überflüssig machen

Station 2:
"""
    )

    assert cards(text) == [("ziel", "Uns selbst überflüssig machen", None, 2)]


def test_two_stations_on_one_slide_are_told_apart_by_their_questions():
    text = document(
        """
Thementisch: Gesundheit
Ergebnisse

Was sind unsere Ziele? / Was soll ein gutes IntMan leisten?
• Wissen über vorhandene Angebote
• Zeit für persönliches Gespräch (Beziehungs-
aufbau, Vertrauen)
Was können wir vor Ort ändern? Wer kann helfen?
• Trauma-Sprechstunde

• Jugendamt

Station 2:

Station 3:
"""
    )

    assert [(kind, station) for kind, _, _, station in cards(text)] == [
        ("ziel", 2),
        ("ziel", 2),
        ("vor-ort", 3),
        ("helfer", 3),
    ]


def test_bullet_continues_over_lines_without_a_bullet_even_after_a_blank_line():
    text = document(
        """
Thementisch: A
Ergebnisse

Was sind unsere Ziele? Was soll ein gutes IntMan leisten?
• Kontinuität der relevanten Dienstleistungen in 

logischem Rahmen \uf0e0 Ehrlichkeit in der 
Feststellung des Ist-Zustandes \uf0e0 verschiedene 
Dienstleister/Regeldienste/Spezialdienste
• Anbindung an Regeldienste, weg von Sonderrolle/        

-betreuung

Station 2:
"""
    )

    assert [text for _, text, _, _ in cards(text)] == [
        "Kontinuität der relevanten Dienstleistungen in logischem Rahmen → Ehrlichkeit in der Feststellung "
        "des Ist-Zustandes → verschiedene Dienstleister/Regeldienste/Spezialdienste",
        "Anbindung an Regeldienste, weg von Sonderrolle/-betreuung",
    ]


@pytest.mark.parametrize(
    ("lines", "joined"),
    [
        (
            ["Fehlende KiTa-Plätze, zu wenig Eltern-", "integrationskurse"],
            "Fehlende KiTa-Plätze, zu wenig Elternintegrationskurse",
        ),
        (
            ["Zeitarbeit: keine nachhaltige Arbeitsmarkt-", "integration"],
            "Zeitarbeit: keine nachhaltige Arbeitsmarktintegration",
        ),
        (
            ["„Mädchen für alles“ (IM = Integrations-", "beauftragte_r, IM)"],
            "„Mädchen für alles“ (IM = Integrationsbeauftragte_r, IM)",
        ),
        (["Quartiers-/Stadtentwicklung"], "Quartiers-/Stadtentwicklung"),
        (["Männer-Café /-Abende"], "Männer-Café /-Abende"),
        (
            ["Gesetz 2020 und alte Regelungen: Wonach ", "verfahren?"],
            "Gesetz 2020 und alte Regelungen: Wonach verfahren?",
        ),
    ],
)
def test_join_lines_heals_hyphenation_and_keeps_real_hyphens(lines, joined):
    assert join_lines(lines) == joined


@pytest.mark.parametrize(
    ("lines", "joined"),
    [
        (
            ["Sozialbetreuung wird mehr wahrgenommen als IM \uf0e0", "keine Trennung möglich"],
            "Sozialbetreuung wird mehr wahrgenommen als IM → keine Trennung möglich",
        ),
        (
            ["Selbstverständnis als Expert_innen\uf0e0", "Wertschätzung"],
            "Selbstverständnis als Expert_innen → Wertschätzung",
        ),
        (
            ["Kurze Dienstwege („man kennt sich“) ", "\uf0e0 Arbeitsmarktintegration"],
            "Kurze Dienstwege („man kennt sich“) → Arbeitsmarktintegration",
        ),
    ],
)
def test_join_lines_stores_the_wingdings_arrow_as_an_arrow(lines, joined):
    assert join_lines(lines) == joined


def test_wuensche_and_sonstiges_nest_the_following_items_until_a_blank_line():
    text = document(
        """
Thementisch: Verstetigung
Ergebnisse

Was können wir vor Ort ändern? Wer kann helfen?
• Netzwerkarbeit
• Sonstiges:

• Zahlen, Daten, Fakten
• Rückblick in die Geschichte, was ohne 

„Integrationsarbeit“ passierte

• Kirchen
• Schulen

Station 3:
"""
    )

    assert [(kind, text, parent) for kind, text, parent, _ in cards(text)] == [
        ("vor-ort", "Netzwerkarbeit", None),
        ("vor-ort", "Sonstiges:", None),
        ("vor-ort", "Zahlen, Daten, Fakten", "Sonstiges:"),
        ("vor-ort", "Rückblick in die Geschichte, was ohne „Integrationsarbeit“ passierte", "Sonstiges:"),
        ("helfer", "Kirchen", None),
        ("helfer", "Schulen", None),
    ]


def test_wuensche_nests_items_that_follow_without_a_blank_line():
    text = document(
        """
Thementisch: Digitalisierung
Ergebnisse

Was können wir vor Ort ändern?
• Weniger reden, mehr tun!

• Wünsche:
• Mehr Zeit für IntMan
• Flexibler Umgang im IntMan \uf0e0

pragmatische und kommunal bedingte 
Lösungen

• Begrifflichkeiten klarstellen

Station 3:
"""
    )

    assert [(text, parent) for _, text, parent, _ in cards(text)] == [
        ("Weniger reden, mehr tun!", None),
        ("Wünsche:", None),
        ("Mehr Zeit für IntMan", "Wünsche:"),
        ("Flexibler Umgang im IntMan → pragmatische und kommunal bedingte Lösungen", "Wünsche:"),
        ("Begrifflichkeiten klarstellen", None),
    ]


def test_numbered_list_keeps_its_order_under_its_introduction():
    text = document(
        """
Thementisch: Einzelkämpfer im ländlichen Raum
Ergebnisse

Was sind unsere Ziele? Was soll ein gutes IntMan leisten?
Mindeststandard von Orten mit 
Flüchtlingsunterkünften:

1. Lebensmittelladen im Ort
2. Tägliche Busanbindung
3. Wenn möglich Ärzt_in im Ort

Station 2:
"""
    )
    parsed = parse_document(text)
    records = to_records(parsed, slug="t", source_document="t", source_text=text)

    card_fields = [r["fields"] for r in records if r["model"] == "results.card"]
    assert [(f["kind"], f["text"], f["position"]) for f in card_fields] == [
        ("ziel", "1. Lebensmittelladen im Ort", 1),
        ("ziel", "2. Tägliche Busanbindung", 2),
        ("ziel", "3. Wenn möglich Ärzt_in im Ort", 3),
    ]
    assert {f["heading"] for f in card_fields} == {"Mindeststandard von Orten mit Flüchtlingsunterkünften:"}


def test_box_with_its_own_heading_is_kind_sonstiges_at_the_station_no_question_claims():
    text = document(
        """
Thementisch: Rahmenbedingungen
Ergebnisse

Wer kann helfen?
• Flüchtlingsrat, Integrationsausschuss
• Universitäten

Wo ist das Konzept des Landes / des Bundes?
• Quartiersmanagement
• Supervision

Station 1:

Station 3:
"""
    )

    assert cards(text) == [
        ("sonstiges", "Quartiersmanagement", None, 1),
        ("sonstiges", "Supervision", None, 1),
        ("helfer", "Flüchtlingsrat, Integrationsausschuss", None, 3),
        ("helfer", "Universitäten", None, 3),
    ]


def test_box_after_the_labels_belongs_to_the_last_station_of_the_slide():
    text = document(
        """
Thementisch: Verstetigung
Ergebnisse

Was läuft gut? Wo hakt es?
• Runder Tisch mit Kommunen
Was sind unsere Ziele? Was soll ein gutes IntMan leisten?
• Sozialplanung für Kommunen

Station 1:

Station 2:

Perspektive des IntMan / „wie geht es weiter?“
• Belastung der IMs durch Unsicherheit über die Zukunft
"""
    )

    assert cards(text)[-1] == ("sonstiges", "Belastung der IMs durch Unsicherheit über die Zukunft", None, 2)
    records = to_records(parse_document(text), slug="t", source_document="t", source_text=text)
    assert [r["fields"]["heading"] for r in records if r["model"] == "results.card"][-1] == (
        "Perspektive des IntMan / „wie geht es weiter?“"
    )


def test_station_with_only_its_question_is_recorded_as_photo_and_an_absent_one_as_missing():
    text = document(
        """
Thementisch: Frauen
Ergebnisse
Station 1: Was läuft gut? Wo hakt es?

• Mutter-Kind-Kurse
""",
        """
Thementisch: Frauen
Ergebnisse

Was sind unsere Ziele? / Was soll ein gutes IntMan leisten?Station 2:
""",
    )

    assert table_stations(text) == [(1, 1, "text"), (1, 2, "photo"), (1, 3, "missing")]


def test_slides_with_the_same_title_belong_to_one_table_and_new_titles_count_up():
    text = document(
        "Thementisch: Statusfragen, Zusammenarbeit mit \nAusländerbehörde\nErgebnisse\n\nWas läuft gut? Wo hakt es?\n• a\n\nStation 1:",
        "Thementisch: Statusfragen, Zusammenarbeit mit \nAusländerbehörde\nErgebnisse\n\nWer kann helfen?\n• b\n\nStation 3:",
        "Thementisch: Rolle der Frau, häusliche Gewalt\nErgebnisse\n\nWas läuft gut? Wo hakt es?\n• c\n\nStation 1:",
    )

    parsed = parse_document(text)

    assert [(table.number, table.title) for table in parsed.tables] == [
        (1, "Statusfragen, Zusammenarbeit mit Ausländerbehörde"),
        (2, "Rolle der Frau, häusliche Gewalt"),
    ]


def test_closing_slide_gives_title_question_and_list():
    text = document(
        "Thementisch: A\nErgebnisse\n\nWas läuft gut? Wo hakt es?\n• x\n\nStation 1:",
        """
Gründung des „LIM-Baden-Württemberg“ –
Landesverband Integrationsmanagement

Wer hat Interesse am Landesverband?

• 1. Sprachrohr sein

• Einheitliches Konzept, speziell für 
IntMan
""",
        "Vielen Dank für Ihre Mitwirkung!",
    )

    parsed = parse_document(text)

    assert parsed.closing_title == "Gründung des „LIM-Baden-Württemberg“ – Landesverband Integrationsmanagement"
    assert parsed.closing_question == "Wer hat Interesse am Landesverband?"
    assert [item["text"] for item in parsed.closing_items] == [
        "1. Sprachrohr sein",
        "Einheitliches Konzept, speziell für IntMan",
    ]


def test_spelling_gender_forms_and_quotes_are_kept_exactly():
    text = document(
        "Thementisch: A\nErgebnisse\n\nWo hakt es?\n• Einheimischen “blockiert“ wird, Klient_innen, AdressatInnen\n\nStation 1:"
    )

    assert cards(text)[0][1] == "Einheimischen “blockiert“ wird, Klient_innen, AdressatInnen"


def line_of(text, marker):
    return next(number for number, line in enumerate(text.split("\n"), start=1) if marker in line)


@pytest.mark.parametrize(
    ("text", "marker", "message"),
    [
        ("", None, "leer"),
        (HEAD.replace("Tagesprogramm", "Programm"), None, "Tagesprogramm"),
        (HEAD, "Jeweils bezogen", "keinen Thementisch"),
        (document("Thementisch: A\nErgebnisse\n\n• ohne Frage\n\nStation 1:"), "• ohne Frage", "Stationsfrage"),
        (
            document("Thementisch: A\nErgebnisse\n\nWas läuft gut? Wo hakt es?\n• abgeschnitten"),
            "• abgeschnitten",
            "unvollständig",
        ),
        (
            document("Thementisch: A\nErgebnisse\n\nWas läuft gut? Wo hakt es?\n• x\n\nStation 7:"),
            "Station 7:",
            "Station 7",
        ),
        (document("Thementisch: A\n\nWas läuft gut? Wo hakt es?\n• x\n\nStation 1:"), "Thementisch: A", "Ergebnisse"),
    ],
)
def test_parse_document_refuses_broken_input_naming_the_line(text, marker, message):
    with pytest.raises(DocumentError, match=message) as error:
        parse_document(text)

    assert error.value.line == (line_of(text, marker) if marker else 1)
