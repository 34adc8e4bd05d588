"""
The archive's search, one implementation for /suche/, the card list's `q` and its exports.

A query becomes clauses (parse()): every word must match (AND); a word matches
the terms starting with it as typed, or its stem (see _matcher()), and a synonym or an
abbreviation of the glossary widens it (either way round: "Wohnung" also finds
"Wohnraum", "JC" the "Jobcenter" and back). The database's own full-text
index answers (results.search_index). Ranking is two tiers, cheap enough for
any number of matches: cards whose words all match a stem exactly ("Wohnungen"
for "Wohnung") come before those that only match by a longer word
("Wohnungsmarkt"); within a tier, the archive's order. Showing a card's text with
the matches marked: results.templatetags.abbr.card_html(); suggestions: results.suggestions.
"""

from dataclasses import dataclass, field
from functools import cached_property, lru_cache

from django.core.paginator import Paginator
from django.db import connection, transaction
from django.db.models import Case, IntegerField, Q, Value, When
from django.db.models.expressions import RawSQL

from results import search_index
from results.glossary import current_glossary
from results.models import Card, ProgrammeItem, Station, Synonym, ThemeTable
from results.pagecache import archive_changed
from results.text import (
    STOPWORDS,
    abbreviation_term,
    fold,
    index_terms,
    is_abbreviation,
    query_pairs,
    query_terms,
    query_words,
    strip_gender_markers,
)

MAX_QUERY_WORDS = 8
# /suche/ counts and pages through this many cards at most (50 pages), the best first: a
# word on every fifth card is not worth reading 100,000 index entries for a number.
MAX_RESULTS = 1000
PLACES_SHOWN = 10


# Parsing


# Stems from this length on also match as a start ("kommun" finds "Kommunen" and "kommunal");
# a shorter one only whole, or "Schule" ("schul") would find every "Schulung".
STEM_PREFIX_LENGTH = 6


def _matcher(word, stem):
    """What one query word matches: terms starting with the word as typed, or with its stem (see above)."""
    if stem == word or (word.startswith(stem) and len(stem) >= STEM_PREFIX_LENGTH):
        return ((stem, True),)
    return ((word, True), (stem, len(stem) >= STEM_PREFIX_LENGTH))


def _phrase(text):
    return tuple(_matcher(word, stem) for word, stem in query_pairs(text) if len(word) >= 2)


def _abbreviation(abbreviation):
    """An abbreviation as written: capitals matter ("IM", not "im"); other words as whole terms."""
    words = abbreviation.split()
    if all(is_abbreviation(word) for word in words):
        return tuple(((abbreviation_term(word), False),) for word in words)
    return tuple(((word, False),) for word, _stem in query_pairs(abbreviation))


def equivalences(glossary, synonyms):
    """
    {stems of a word or phrase: the alternatives it stands for}, from the glossary (an
    abbreviation and its meanings) and the synonyms; groups that share a word are one.
    """
    groups = []  # (keys, alternatives)
    for entry in glossary.entries.values():
        keys = {tuple(query_terms(meaning)) for meaning in entry.meaning_list}
        groups.append((keys, {_abbreviation(entry.abbreviation), *map(_phrase, entry.meaning_list)}))
    for words in synonyms:
        groups.append(({tuple(query_terms(word)) for word in words}, set(map(_phrase, words))))
    merged = []
    for keys, alternatives in groups:
        for other in [group for group in merged if group[0] & keys]:
            merged.remove(other)
            keys, alternatives = keys | other[0], alternatives | other[1]
        merged.append((keys, alternatives))
    table = {}
    for keys, alternatives in merged:
        for key in keys:
            if key:
                table[key] = sorted(alternative for alternative in alternatives if alternative)
    return table


@dataclass
class Query:
    """A parsed query: `clauses` a card must all satisfy (see results.search_index)."""

    text: str
    clauses: list = field(default_factory=list)
    truncated: bool = False  # more words than MAX_QUERY_WORDS: the first ones were searched
    _conference_ids: dict = field(default_factory=dict, repr=False, compare=False)

    def __bool__(self):
        return bool(self.clauses)

    @cached_property
    def pairs(self):
        return {
            pair for clause in self.clauses for alternative in clause for matcher in alternative for pair in matcher
        }

    def conference_ids(self, conference):
        """
        (ids of the conference's cards that match, ids of those that match exactly), read once
        per query: the card list filters by them for the list and for every facet count.
        """
        if conference.pk not in self._conference_ids:
            required = [search_index.conference_term(conference.pk)]
            match = search_index.expression(connection, self.clauses, required=required)
            exact = search_index.expression(connection, self.clauses, exact=True, required=required)
            ids = search_index.card_ids(connection, match)
            exact_ids = ids if exact == match else search_index.card_ids(connection, exact)
            self._conference_ids[conference.pk] = (ids, exact_ids)
        return self._conference_ids[conference.pk]

    def matches_word(self, word):
        """True when a word of a text matches one of the query's terms (for highlighting)."""
        terms = _word_terms(word)
        return any(
            term == value or (prefix and term.startswith(value)) for value, prefix in self.pairs for term in terms
        )


@lru_cache(maxsize=20000)
def _word_terms(word):
    return tuple(index_terms(word))


def parse(text, glossary, synonyms=()):
    """The Query for text. glossary: a results.insights.Glossary; synonyms: lists of words that mean the same."""
    table = equivalences(glossary, synonyms)
    longest = max((len(key) for key in table), default=1)
    clauses = []
    plain = []  # (word, stem, is stop word) in query order

    def add(clause):
        if clause and clause not in clauses:
            clauses.append(clause)

    def flush():
        words = [(word, stem) for word, stem, stop in plain if not stop]
        position = 0
        while position < len(words):
            for length in range(min(longest, len(words) - position), 0, -1):
                key = tuple(stem for _word, stem in words[position : position + length])
                if key in table or length == 1:
                    typed = tuple(_matcher(*pair) for pair in words[position : position + length])
                    add([typed, *(alternative for alternative in table.get(key, []) if alternative != typed)])
                    position += length
                    break
        plain.clear()

    stop_words = []
    for word in query_words(text):
        abbreviation = glossary.typed_abbreviation(word)
        if abbreviation is not None:
            flush()
            entry = glossary.entries[abbreviation]
            clause = [_abbreviation(abbreviation)]
            # "Kita" typed for "KiTa" also finds "Kitas"; a two-letter word only
            # as the abbreviation, or "IM" would find every "im".
            if len(word) >= 3:
                clause.append(_phrase(word))
            for key in [tuple(query_terms(word)), *(tuple(query_terms(meaning)) for meaning in entry.meaning_list)]:
                clause += table.get(key, [])
            add(list(dict.fromkeys(alternative for alternative in clause if alternative)))
            continue
        is_stop = fold(strip_gender_markers(word)) in STOPWORDS
        for folded, stem in query_pairs(word):
            if len(folded) >= 2:
                plain.append((folded, stem, is_stop))
                if is_stop:
                    stop_words.append((folded, stem))
    flush()
    if not clauses:
        # A query of stop words alone still searches for them.
        for pair in dict.fromkeys(stop_words):
            add([(_matcher(*pair),)])
    return Query(text, clauses[:MAX_QUERY_WORDS], truncated=len(clauses) > MAX_QUERY_WORDS)


def current_synonyms():
    return [synonym.word_list for synonym in Synonym.objects.all()]


# Matching and ranking


def search_cards(queryset, query, conference=None):
    """
    The cards of queryset that match query (a Query), annotated with `rank` (1: every word
    matched exactly), best first, then in document order. conference: narrows the index
    lookup to one conference's cards, as the card list does. A str query is parsed with
    the conference's glossary and the synonyms.
    """
    if isinstance(query, str):
        query = parse(query, current_glossary(conference), current_synonyms())
    if not query:
        return queryset.none()
    if conference is not None:
        ids, exact_ids = query.conference_ids(conference)
        queryset = queryset.filter(pk__in=ids)
        exact_cards = Q(pk__in=exact_ids)
    else:
        ids_sql = search_index.card_ids_sql(connection)
        exact = search_index.expression(connection, query.clauses, exact=True)
        queryset = queryset.filter(pk__in=RawSQL(ids_sql, [search_index.expression(connection, query.clauses)]))
        exact_cards = Q(pk__in=RawSQL(ids_sql, [exact]))
    rank = Case(When(exact_cards, then=Value(1)), default=Value(0), output_field=IntegerField())
    return queryset.annotate(rank=rank).order_by("-rank", "table__number", "station__number", "position", "pk")


class RankedIds:
    """The ids of the cards a query finds, best tier first, each tier in id order, sliced as a page needs."""

    def __init__(self, query):
        self.match = search_index.expression(connection, query.clauses)
        self.exact = search_index.expression(connection, query.clauses, exact=True)

    @cached_property
    def counted(self):
        return search_index.count_cards(connection, self.match, MAX_RESULTS + 1)

    @property
    def more(self):
        """True when more than MAX_RESULTS cards match: only the first MAX_RESULTS are listed."""
        return self.counted > MAX_RESULTS

    @cached_property
    def exact_total(self):
        if self.exact == self.match:
            return self.counted
        return search_index.count_cards(connection, self.exact, MAX_RESULTS + 1)

    def count(self):
        return min(self.counted, MAX_RESULTS)

    def __len__(self):
        return self.count()

    def __getitem__(self, page):
        start, stop = page.start or 0, page.stop
        ids = []
        if start < self.exact_total:
            sparse = self.exact_total <= MAX_RESULTS
            ids = search_index.card_ids(connection, self.exact, stop - start, start, sparse=sparse)
        if len(ids) < stop - start and self.exact != self.match:
            rest = search_index.but_not(connection, self.match, self.exact)
            offset = max(0, start - self.exact_total)
            sparse = self.counted <= MAX_RESULTS
            ids += search_index.card_ids(connection, rest, stop - start - len(ids), offset, sparse=sparse)
        return ids


def ranked_page(query, number, per_page):
    """
    One page of the cards query finds, as a Paginator page of cards with their table, conference
    and station; `more` is true when more than MAX_RESULTS match (only those are paged through).
    """
    ids = RankedIds(query) if query else []
    page = Paginator(ids, per_page).get_page(number)
    page.more = bool(query) and ids.more
    cards = (
        Card.objects.select_related("table__conference", "station")
        .defer("table__conference__source_text")
        .in_bulk(page.object_list)
    )
    page.object_list = [cards[pk] for pk in page.object_list if pk in cards]
    return page


@dataclass
class Places:
    tables: list
    stations: list
    programme: list
    counts: dict  # kind -> how many match

    def __bool__(self):
        return any(self.counts.values())

    @property
    def total(self):
        return sum(self.counts.values())

    @property
    def more(self):
        return self.total > len(self.tables) + len(self.stations) + len(self.programme)


def find_places(query):
    """The tables, stations and programme items whose titles or questions match query, the first few of each."""
    found = {"t": [], "s": [], "p": []}
    if query:
        for kind, object_id in search_index.places(connection, search_index.expression(connection, query.clauses)):
            found[kind].append(object_id)
    # What the list shows and links to, no more.
    models = {
        "t": ThemeTable.objects.only("number", "title", "slug", "conference__slug", "conference__title"),
        "s": Station.objects.only("number", "question", "conference__slug", "conference__title"),
        "p": ProgrammeItem.objects.only("position", "start", "title", "conference__slug", "conference__title"),
    }
    loaded = {}
    for kind, objects in models.items():
        shown = found[kind][:PLACES_SHOWN]
        objects = objects.select_related("conference").in_bulk(shown) if shown else {}
        loaded[kind] = [objects[pk] for pk in shown if pk in objects]
    return Places(loaded["t"], loaded["s"], loaded["p"], {kind: len(ids) for kind, ids in found.items()})


# Keeping the index


def index_cards(rows):
    """rows: (card id, text, conference id, withdrawn); withdrawn cards leave the index."""
    rows = list(rows)
    search_index.write_cards(
        connection,
        [
            (pk, [] if withdrawn else search_index.card_terms(text, conference))
            for pk, text, conference, withdrawn in rows
        ],
    )
    words = {}
    for _pk, text, _conference, withdrawn in rows:
        if not withdrawn:
            for key, word in search_index.written_words(text).items():
                words.setdefault(key, word)
    search_index.write_words(connection, words)


def index_card(card):
    index_cards([(card.pk, card.text, card.table.conference_id, card.withdrawn)])


def unindex_card(card):
    search_index.delete_cards(connection, [card.pk])


PLACE_TEXTS = {
    ThemeTable: ("t", lambda table: table.title),
    Station: ("s", lambda station: station.question),
    ProgrammeItem: ("p", lambda item: f"{item.title}\n{item.speakers}"),
}


def index_place(instance, deleted=False):
    kind, text_of = PLACE_TEXTS[type(instance)]
    text = "" if deleted else text_of(instance)
    search_index.write_place(connection, kind, instance.pk, index_terms(text))
    if text:
        search_index.write_words(connection, search_index.written_words(text))


def reindex(queryset=None, batch_size=2000):
    """Rebuild the index of the given cards (default: all cards, and every place), in bulk; the number of cards."""
    everything = queryset is None
    queryset = Card.objects.all() if everything else queryset
    rows = queryset.order_by("pk").values_list("pk", "text", "table__conference_id", "withdrawn")
    count = 0
    with transaction.atomic():
        if everything:
            search_index.clear(connection)
            for model in PLACE_TEXTS:
                for instance in model.objects.all():
                    index_place(instance)
        batch = []
        for row in rows.iterator(chunk_size=batch_size):
            batch.append(row)
            if len(batch) >= batch_size:
                index_cards(batch)
                count += len(batch)
                batch = []
        if batch:
            index_cards(batch)
            count += len(batch)
    # Bulk writes send no signals: the page cache learns of them here.
    archive_changed()
    return count
