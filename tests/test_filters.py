import pytest
from django.http import QueryDict

from results.filters import CardFilter
from results.models import Card, GlossaryEntry
from tests.factories import make_card, make_conference, make_station, make_table


@pytest.fixture
def conference(db):
    conference = make_conference()
    first, second = make_station(conference, 1), make_station(conference, 2)
    integration = make_table(conference, 1, title="Arbeitsmarktintegration")
    wohnen = make_table(conference, 2, title="Wohnen")
    make_table(conference, 3, title="Leerer Tisch")
    make_card(integration, first, text="Jobcenter hilft", kind="gut")
    make_card(integration, first, text="Wartezeiten", kind="hakt")
    make_card(integration, second, text="Dolmetscher_innen", kind="ziel", original_text="Dolmetscher")
    make_card(wohnen, first, text="Mehr Wohnungen", kind="hakt")
    make_card(wohnen, second, text="Wohnungslose unterbringen", kind="ziel")
    make_card(wohnen, second, text="Zurückgezogen", kind="ziel", withdrawn=True)
    return conference


def filtered(conference, query, queryset=None):
    queryset = Card.objects.all() if queryset is None else queryset
    return CardFilter(QueryDict(query), queryset=queryset, conference=conference)


def texts(filterset):
    return sorted(card.text for card in filterset.qs)


ALL = ["Dolmetscher_innen", "Jobcenter hilft", "Mehr Wohnungen", "Wartezeiten", "Wohnungslose unterbringen"]


def test_card_filter_without_data_lists_public_cards_of_the_conference(conference):
    other = make_conference()
    make_card(make_table(other, 1), make_station(other, 1), text="Andere Konferenz")

    filterset = CardFilter(None, queryset=Card.objects.all(), conference=conference)

    assert texts(filterset) == ALL


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("tisch=arbeitsmarktintegration", ["Dolmetscher_innen", "Jobcenter hilft", "Wartezeiten"]),
        ("tisch=1", ["Dolmetscher_innen", "Jobcenter hilft", "Wartezeiten"]),
        ("tisch=1&tisch=wohnen", ALL),
        ("tisch=leerer-tisch", []),
        ("station=2", ["Dolmetscher_innen", "Wohnungslose unterbringen"]),
        ("station=1&station=2", ALL),
        ("art=hakt", ["Mehr Wohnungen", "Wartezeiten"]),
        ("art=hakt&art=gut", ["Jobcenter hilft", "Mehr Wohnungen", "Wartezeiten"]),
        ("korrigiert=ja", ["Dolmetscher_innen"]),
        ("korrigiert=true", ["Dolmetscher_innen"]),
        ("korrigiert=nein", ["Jobcenter hilft", "Mehr Wohnungen", "Wartezeiten", "Wohnungslose unterbringen"]),
        ("korrigiert=false", ["Jobcenter hilft", "Mehr Wohnungen", "Wartezeiten", "Wohnungslose unterbringen"]),
        ("korrigiert=", ALL),
        ("q=wohnung", ["Mehr Wohnungen", "Wohnungslose unterbringen"]),
        ("q=wohnung&station=1", ["Mehr Wohnungen"]),
        ("q=dolmetscherinnen&tisch=1&art=ziel&korrigiert=ja", ["Dolmetscher_innen"]),
        ("q=+", ALL),
        ("q=Zurückgezogen", []),
    ],
)
def test_card_filter_filters(conference, query, expected):
    filterset = filtered(conference, query)

    assert filterset.is_valid()
    assert texts(filterset) == expected


def test_card_filter_search_orders_best_first(conference):
    filterset = filtered(conference, "q=wohnung")

    assert [card.text for card in filterset.qs] == ["Mehr Wohnungen", "Wohnungslose unterbringen"]


def test_card_filter_choices_come_from_the_conference(conference):
    form = filtered(conference, "").form

    assert list(form.fields["tisch"].choices) == [
        ("arbeitsmarktintegration", "1. Arbeitsmarktintegration"),
        ("wohnen", "2. Wohnen"),
        ("leerer-tisch", "3. Leerer Tisch"),
    ]
    assert list(form.fields["station"].choices) == [("1", "Station 1"), ("2", "Station 2")]
    assert [value for value, _label in form.fields["art"].choices] == [
        "gut",
        "hakt",
        "ziel",
        "vor-ort",
        "helfer",
        "sonstiges",
    ]


@pytest.mark.parametrize(
    ("query", "field", "message"),
    [
        ("station=9", "station", "„9“ ist keine Station dieser Konferenz."),
        ("station=eins", "station", "„eins“ ist keine Station dieser Konferenz."),
        ("art=xyz", "art", "„xyz“ ist keine Art von Ergebnis."),
        ("tisch=<script>", "tisch", "„<script>“ ist kein Thementisch dieser Konferenz."),
        ("tisch=4", "tisch", "„4“ ist kein Thementisch dieser Konferenz."),
        ("tisch=wohnen&tisch=0", "tisch", "„0“ ist kein Thementisch dieser Konferenz."),
        ("korrigiert=vielleicht", "korrigiert", "Bitte „ja“ oder „nein“ wählen."),
        ("q=" + "a" * 10_000, "q", "Der Suchbegriff darf höchstens 200 Zeichen lang sein."),
    ],
)
def test_card_filter_rejects_invalid_values_in_german(conference, query, field, message):
    filterset = filtered(conference, query)

    assert not filterset.is_valid()
    assert filterset.errors[field] == [message]
    assert list(filterset.qs) == []


def test_card_filter_rejects_tables_of_other_conferences(conference):
    other = make_conference()
    make_table(other, 1, title="Fremder Tisch")

    assert not filtered(conference, "tisch=fremder-tisch").is_valid()


def test_card_filter_accepts_a_query_of_200_characters(conference):
    filterset = filtered(conference, "q=" + "wohnung " * 25)

    assert filterset.is_valid()
    assert texts(filterset) == ["Mehr Wohnungen", "Wohnungslose unterbringen"]


def test_facet_counts_without_filters_count_every_public_card(conference):
    counts = filtered(conference, "").facet_counts()

    assert counts == {
        "tisch": {1: 3, 2: 2, 3: 0},
        "station": {1: 3, 2: 2},
        "art": {"gut": 1, "hakt": 2, "ziel": 2, "vor-ort": 0, "helfer": 0, "sonstiges": 0},
        "korrigiert": {True: 1, False: 4},
    }


def test_facet_counts_keep_the_other_filters(conference):
    counts = filtered(conference, "tisch=wohnen&station=2&q=wohnung").facet_counts()

    assert counts == {
        # Every table's count with station 2 and the search kept.
        "tisch": {1: 0, 2: 1, 3: 0},
        # Every station's count at table "wohnen" with the search kept.
        "station": {1: 1, 2: 1},
        "art": {"gut": 0, "hakt": 0, "ziel": 1, "vor-ort": 0, "helfer": 0, "sonstiges": 0},
        "korrigiert": {True: 0, False: 1},
    }


def test_facet_counts_of_several_choices_of_one_facet(conference):
    counts = filtered(conference, "art=hakt&art=ziel").facet_counts()

    assert counts["art"] == {"gut": 1, "hakt": 2, "ziel": 2, "vor-ort": 0, "helfer": 0, "sonstiges": 0}
    assert counts["tisch"] == {1: 2, 2: 2, 3: 0}


def test_facet_counts_of_an_invalid_filter_ignore_the_filters(conference):
    counts = filtered(conference, "station=9&art=gut").facet_counts()

    assert counts["station"] == {1: 3, 2: 2}
    assert counts["art"]["gut"] == 1


@pytest.mark.parametrize("extra_cards", [1, 3])
def test_facet_counts_take_one_query_per_facet(conference, extra_cards, django_assert_num_queries):
    table = conference.tables.get(number=3)
    station = conference.stations.get(number=1)
    for index in range(extra_cards):
        make_card(table, station, text=f"Wohnung {index}")
    filterset = filtered(conference, "q=wohnung&art=hakt&korrigiert=nein")
    assert filterset.is_valid()

    # One query per facet; the glossary and the synonyms the search widens words with, and the
    # index's matching and exactly matching cards of the conference, each read once.
    with django_assert_num_queries(8):
        counts = filterset.facet_counts()

    assert counts["tisch"] == {1: 0, 2: 1, 3: 0}
    assert counts["art"]["gut"] == extra_cards


@pytest.mark.parametrize("extra_tables", [1, 3])
def test_card_filter_builds_its_choices_with_two_queries(conference, extra_tables, django_assert_num_queries):
    for number in range(4, 4 + extra_tables):
        make_table(conference, number)

    with django_assert_num_queries(2):
        filterset = filtered(conference, "tisch=1")
        assert filterset.is_valid()

    assert len(filterset.form.fields["tisch"].choices) == 3 + extra_tables


def test_card_filter_search_expands_the_conferences_own_abbreviations(conference):
    GlossaryEntry.objects.create(conference=conference, abbreviation="WS", meanings="Wartezeiten")
    other = make_conference()
    GlossaryEntry.objects.create(conference=other, abbreviation="JH", meanings="Jobcenter hilft")

    assert texts(filtered(conference, "q=WS")) == ["Wartezeiten"]
    assert texts(filtered(conference, "q=JH")) == []
