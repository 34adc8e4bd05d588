import re

import pytest

from results.text import fold, query_terms, search_terms, stem, strip_gender_markers


@pytest.mark.parametrize(
    ("text", "stripped"),
    [
        ("Dolmetscher_innen", "Dolmetscher"),
        ("Dolmetscher_innenpool", "Dolmetscherpool"),
        ("Klient:innen", "Klient"),
        ("Ärzt*innen", "Ärzt"),
        ("Ärzt_in im Ort", "Ärzt im Ort"),
        ("Kolleg·innen", "Kolleg"),
        ("Mitarbeiter/-innen", "Mitarbeiter"),
        ("Mitarbeiter/innen", "Mitarbeiter"),
        ("Mitarbeiter(innen)", "Mitarbeiter"),
        ("DolmetscherInnen", "Dolmetscher"),
        ("KollegIn", "Kolleg"),
        ("BürgerInnenbeteiligung", "Bürgerbeteiligung"),
        ("jede_r", "jede"),
        ("ein_e", "ein"),
        ("KiTa-Plätze", "KiTa-Plätze"),
        ("Innenstadt", "Innenstadt"),
        ("Sprachkurse in Winnenden", "Sprachkurse in Winnenden"),
    ],
)
def test_strip_gender_markers_removes_only_markers(text, stripped):
    assert strip_gender_markers(text) == stripped


@pytest.mark.parametrize(
    ("text", "folded"),
    [
        ("Ärzte", "aerzte"),
        ("ÖFFENTLICH", "oeffentlich"),
        ("Straße", "strasse"),
        ("Übergänge", "uebergaenge"),
        ("Café", "cafe"),
    ],
)
def test_fold_is_case_and_umlaut_insensitive(text, folded):
    assert fold(text) == folded


@pytest.mark.parametrize(
    ("word", "stemmed"),
    [
        ("aerzte", "arzt"),
        ("aerztinnen", "arzt"),
        ("dolmetscher", "dolmetsch"),
        ("dolmetscherinnen", "dolmetsch"),
        ("kolleginnen", "kolleg"),
        ("migrantin", "migrant"),
        ("wohnungen", "wohnung"),
        ("ehrenamtliche", "ehrenamt"),
        ("ehrenamtliches", "ehrenamt"),
        ("termin", "termin"),
        ("beginnen", "beginn"),
    ],
)
def test_stem_reduces_inflected_and_feminine_forms(word, stemmed):
    assert stem(word) == stemmed


def test_search_terms_keeps_hyphenated_parts_and_joined_compound():
    assert search_terms("Fehlende KiTa-Plätze") == [
        "fehlende",
        "fehlend",
        "kita",
        "plaetze",
        "platz",
        "kitaplaetze",
        "kitaplatz",
    ]


def test_search_terms_splits_on_slashes_and_strips_gender_markers():
    assert search_terms("Dolmetscher_innen/Sprachmittler_innen") == [
        "dolmetscher",
        "dolmetsch",
        "sprachmittler",
        "sprachmittl",
    ]


def test_search_terms_are_plain_ascii_and_fit_the_column():
    terms = search_terms("Ärzt:innen, Café, São Paulo, Ünterstützungs" + "x" * 100 + " 2019 – „Zitat“")

    assert all(re.fullmatch(r"[a-z0-9]{2,64}", term) for term in terms)
    assert "2019" in terms


def test_search_terms_of_umlaut_and_transliterated_text_are_equal():
    assert search_terms("Ärzte, Übergänge, Straße") == search_terms("AERZTE, uebergaenge, strasse")


@pytest.mark.parametrize(
    ("query", "text"),
    [
        ("Dolmetscher", "Dolmetscher_innen/Sprachmittler_innen"),
        ("Dolmetscher", "Kein Dolmetscher_innenpool (Ehrenamtliche"),
        ("Dolmetscher", "DolmetscherInnen"),
        ("Dolmetscherinnen", "Vereidigte Dolmetscher_innen"),
        ("Kita", "Fehlende KiTa-Plätze"),
        ("Kita-Plätze", "Fehlende KiTa-Plätze"),
        ("Kitaplätze", "Fehlende KiTa-Plätze"),
        ("Wohnung", "Wohnungen"),
        ("Wohnung", "gut ausgebildete Zuwander_innen, Wohnungslose"),
        ("Ehrenamt", "Ehrenamtliche"),
        ("Ehrenamt", "Ehrenamtliches Engagement eingebrochen"),
        ("ehrenamtl", "Ehrenamtliches Engagement eingebrochen"),
        ("aerzte", "Mangelnder Wohnraum, Ärzt_innen"),
        ("Ärzte", "Wenn möglich Ärzt_in im Ort"),
        ("Ärztin", "Mangelnder Wohnraum, Ärzt_innen"),
        ("ÄRZTE", "Ärzte"),
        ("Kolleginnen", "Gesprächsdokumentation mit Kolleg_innen"),
        ("Kita für Kinder", "Kita und Kinderbetreuung"),
    ],
)
def test_query_terms_are_word_starts_of_the_texts_terms(query, text):
    terms = search_terms(text)

    assert all(any(term.startswith(stem) for term in terms) for stem in query_terms(query))
    assert query_terms(query)


@pytest.mark.parametrize(
    ("query", "text"),
    [
        ("Wohnung", "Mangelnder Wohnraum"),
        ("Kita", "Kinderbetreuung"),
        ("Ehrenamt", "Hauptamt"),
        ("Termin", "Terrine"),
    ],
)
def test_query_terms_do_not_match_other_words(query, text):
    terms = search_terms(text)

    assert not all(any(term.startswith(stem) for term in terms) for stem in query_terms(query))


@pytest.mark.parametrize(
    ("query", "terms"),
    [
        ("Kita für Kinder", ["kita", "kind"]),
        ("für", ["fur"]),
        ("  ", []),
        ("!!! ---", []),
        ("<script>alert(1)</script>", ["script", "alert", "1"]),
        ("Wohnung Wohnungen", ["wohnung"]),
    ],
)
def test_query_terms_drop_stopwords_and_duplicates(query, terms):
    assert query_terms(query) == terms
