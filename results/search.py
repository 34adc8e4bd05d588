"""
German search over cards: the CardTerm index, ranked lookups, highlighting.

Every card's text is reduced to terms by results.text.search_terms() and
stored as CardTerm rows; a query word matches a card when one of the card's
terms starts with the word's stem. The prefix lookup is a range on the
indexed `term` column (term >= "wohnung" AND term < "wohnunh"), which SQLite
and PostgreSQL both answer from the (term, card) unique index, whatever the
database collation, because terms are plain [a-z0-9].
"""

import re
from functools import lru_cache, reduce
from operator import or_

from django.core.paginator import Paginator
from django.db import connection, transaction
from django.db.models import (
    Case,
    Count,
    Exists,
    IntegerField,
    Min,
    OuterRef,
    Q,
    Subquery,
    Value,
    When,
)
from django.db.models.functions import Coalesce, Length
from django.utils.html import escape
from django.utils.safestring import mark_safe

from results.glossary import current_glossary
from results.insights import abbreviation_regex
from results.models import Card, CardTerm, Conference, Station, ThemeTable
from results.pagecache import archive_changed
from results.text import fold, query_terms, query_words, search_terms

MAX_QUERY_WORDS = 8
# Best first, then newest conference first, then document order.
RANK_ORDER = ["-rank", "-table__conference__date", "table__number", "station__number", "position", "pk"]
# Characters in the order both engines sort terms: digits before letters.
_ALPHABET = "0123456789abcdefghijklmnopqrstuvwxyz"
# A word as highlight() sees it: gender markers and hyphens stay inside it.
_TEXT_WORD = re.compile(r"\w+(?:(?:[-‐‑*:·]|/-?(?=innen|in\b))\w+|\((?:innen|in)\))*", re.IGNORECASE)


def _successor(prefix):
    """The smallest string greater than every string starting with prefix, or None."""
    chars = list(prefix)
    while chars:
        position = _ALPHABET.find(chars[-1])
        if 0 <= position < len(_ALPHABET) - 1:
            chars[-1] = _ALPHABET[position + 1]
            return "".join(chars)
        chars.pop()
    return None


def term_prefix(prefix, field="term"):
    """Q for terms starting with prefix, as an index-friendly range."""
    upper = _successor(prefix)
    condition = Q(**{f"{field}__gte": prefix})
    if upper is not None:
        condition &= Q(**{f"{field}__lt": upper})
    return condition


def _alternative(kind, value):
    if kind == "abbreviation":
        # The index narrows the cards down, the case-sensitive whole-word pattern decides ("ES", not "es").
        indexed = CardTerm.objects.filter(term=fold(value.split()[0])).values("card_id")
        return Q(pk__in=indexed) & Q(text__regex=abbreviation_regex(value))
    condition = Q()
    for stem in value:
        condition &= Q(pk__in=CardTerm.objects.filter(term_prefix(stem)).values("card_id"))
    return condition


def glossary_condition(query, glossary=None):
    """
    Q for cards matching every word of query, the glossary used both ways: "Jobcenter" also
    finds "JC", "JC" also finds "Jobcenter" (see results.insights.Glossary.query_clauses).
    """
    glossary = glossary if glossary is not None else current_glossary()
    condition = Q()
    for clause in glossary.query_clauses(query, limit=MAX_QUERY_WORDS):
        alternatives = [_alternative(kind, value) for kind, value in clause]
        if len(alternatives) == 1:
            condition &= alternatives[0]
        else:
            # One IN over a UNION of the alternatives' ids: an OR of IN subqueries made
            # PostgreSQL scan every card (35 ms for "JC" at 50,000 cards instead of 2).
            ids = [Card.objects.filter(alternative).values("pk") for alternative in alternatives]
            condition &= Q(pk__in=ids[0].union(*ids[1:]))
    return condition


def search_cards(queryset, query, glossary=None):
    """
    Cards matching every word of query, annotated with `rank`, best first, then in document order.
    glossary: a results.insights.Glossary to expand abbreviations with (default: read the current one).
    """
    stems = query_terms(query)[:MAX_QUERY_WORDS]
    if not stems:
        return queryset.none()
    queryset = queryset.filter(glossary_condition(query, glossary))
    any_prefix = reduce(or_, (term_prefix(stem) for stem in stems))
    matched = CardTerm.objects.filter(any_prefix, card=OuterRef("pk")).order_by().values("card").annotate(n=Count("pk"))
    # An exact term ("wohnung" for "Wohnungen") outweighs any number of prefix matches.
    exact = [Exists(CardTerm.objects.filter(card=OuterRef("pk"), term=stem)) for stem in stems]
    rank = Coalesce(Subquery(matched.values("n")[:1], output_field=IntegerField()), Value(0))
    for condition in exact:
        rank = rank + Case(When(condition, then=Value(1000)), default=Value(0))
    return queryset.annotate(rank=rank).order_by(*RANK_ORDER)


def _matching_ids(query, glossary, term_rows):
    """
    The ids of the cards glossary_condition() finds (withdrawn ones included), from the term
    index alone except for abbreviations, whose pattern needs the card's text.
    term_rows(stem): the (card id, term) rows of the terms starting with stem.
    """
    ids = None
    for clause in glossary.query_clauses(query, limit=MAX_QUERY_WORDS):
        found = set()
        for kind, value in clause:
            if kind == "abbreviation":
                alternative = Card.objects.filter(_alternative(kind, value)).order_by()
                found.update(alternative.values_list("pk", flat=True))
            else:
                found |= set.intersection(*({card_id for card_id, _term in term_rows(stem)} for stem in value))
        ids = found if ids is None else ids & found
    return ids or set()


def archive_parts():
    """
    Every table (its conference attached) and station by id, and every public card's place
    in document order, read once per data version: the search ranks and sorts its matches
    without reading the cards, and shows a page of them without joining their tables.
    """

    def build():
        conferences = {conference.pk: conference for conference in Conference.objects.defer("source_text")}
        tables = {table.pk: table for table in ThemeTable.objects.all()}
        for table in tables.values():
            table.conference = conferences[table.conference_id]
        stations = {station.pk: station for station in Station.objects.all()}
        for station in stations.values():
            station.conference = conferences[station.conference_id]
        # Newest conference first, then the document's order; about 12 MB at 50,000 cards.
        order = {}
        public = Card.objects.public().order_by().values_list("pk", "table_id", "station_id", "position")
        for pk, table_id, station_id, position in public.iterator(chunk_size=5000):
            table = tables[table_id]
            order[pk] = (-table.conference.date.toordinal(), table.number, stations[station_id].number, position, pk)
        return tables, stations, order

    return build()


def ranked_page(query, number, per_page, glossary=None):
    """
    One page of the public cards that search_cards() finds, in its order, as a Paginator page
    whose object_list holds the cards, each with its table (and the table's conference) and
    station. One query per stem (the term index alone) and per abbreviation, one for the page.
    """
    stems = query_terms(query)[:MAX_QUERY_WORDS]
    tables, stations, order = archive_parts()
    glossary = glossary if glossary is not None else current_glossary()
    rows = {}

    def term_rows(stem):
        if stem not in rows:
            rows[stem] = list(CardTerm.objects.filter(term_prefix(stem)).values_list("card_id", "term"))
        return rows[stem]

    ids = []
    if stems:
        # search_cards()'s filter and rank without its subqueries per card, which
        # scan a stem's whole term range once for every card (60 ms for "Wohnung"
        # at 50,000 cards on PostgreSQL), and without an OR of IN subqueries, for
        # which PostgreSQL reads every card (35 ms for "JC").
        matching = _matching_ids(query, glossary, term_rows) & order.keys()
        # The rank: the number of the card's terms that start with a stem of the
        # query, and 1000 more for each that is a stem exactly.
        ranks = dict.fromkeys(matching, 0)
        exact = set(stems)
        for card_id, term in {row for stem in stems for row in term_rows(stem)}:
            if card_id in ranks:
                ranks[card_id] += 1001 if term in exact else 1
        ids = sorted(matching, key=lambda pk: (-ranks[pk], order[pk]))
    page = Paginator(ids, per_page).get_page(number)
    cards = Card.objects.order_by().defer("search_text").in_bulk(page.object_list) if page.object_list else {}
    page.object_list = [cards[pk] for pk in page.object_list]
    for card in page.object_list:
        card.table = tables[card.table_id]
        card.station = stations[card.station_id]
    return page


@lru_cache(maxsize=20000)
def _word_terms(word):
    # Stemming every word of every card shown took a tenth of a search page.
    return tuple(search_terms(word))


def _word_matches(word, stems):
    return any(term.startswith(stem) for term in _word_terms(word) for stem in stems)


def highlight(text, query):
    """Text as safe HTML, every word the query matches wrapped in <mark>."""
    stems = query_terms(query)[:MAX_QUERY_WORDS]
    parts = []
    end = 0
    for match in _TEXT_WORD.finditer(text):
        if stems and _word_matches(match[0], stems):
            parts.append(escape(text[end : match.start()]))
            parts.append(f"<mark>{escape(match[0])}</mark>")
            end = match.end()
    parts.append(escape(text[end:]))
    return mark_safe("".join(parts))


def _edit_distance(a, b):
    previous = list(range(len(b) + 1))
    for i, char_a in enumerate(a, 1):
        current = [i]
        for j, char_b in enumerate(b, 1):
            current.append(min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (char_a != char_b)))
        previous = current
    return previous[-1]


def _display_words(terms, cards):
    """For each term, a word as some card writes it ("Ärzt_innen" for "aerzt")."""
    first_cards = dict(
        CardTerm.objects.filter(term__in=set(terms), card__in=cards)
        .values("term")
        .annotate(card_id=Min("card_id"))
        .values_list("term", "card_id")
    )
    texts = dict(Card.objects.filter(pk__in=first_cards.values()).values_list("pk", "text"))
    found = {}
    for term, card_id in first_cards.items():
        for match in _TEXT_WORD.finditer(texts[card_id]):
            if term in search_terms(match[0]):
                found[term] = match[0].strip("()")
                break
    return [found[term] for term in terms if term in found]


def _raw_start(word, folded_start):
    """The start of word as typed whose folded form is folded_start ("Plä" for "plae")."""
    for length in range(1, len(word) + 1):
        if _fold_word(word[:length]) == folded_start:
            return word[:length]
    return folded_start


def _fold_word(word):
    return "".join(re.findall(r"[a-z0-9]", fold(word)))


def suggestions(query, conference=None, limit=5):
    """A few queries to try when query finds nothing: its single words, close words, shorter starts, popular topics."""
    cards = Card.objects.public()
    if conference is not None:
        cards = cards.filter(table__conference=conference)
    words = [word for word in query_words(query) if query_terms(word)][:MAX_QUERY_WORDS]
    result = []
    if len(words) > 1:
        result += [word for word in words if search_cards(cards, word).exists()]

    close = []
    shorter = []
    for word in words:
        folded = _fold_word(word)
        if len(folded) < 3:
            continue
        # Terms sharing the word's first two letters: one index range per word.
        tolerance = 1 if len(folded) < 6 else 2
        candidates = set(
            CardTerm.objects.filter(term_prefix(folded[:2]), card__in=cards)
            .alias(length=Length("term"))
            .filter(length__gte=3, length__lte=len(folded) + tolerance)
            .values_list("term", flat=True)
            .distinct()[:5000]
        )
        scored = sorted(
            (_edit_distance(folded, candidate), candidate)
            for candidate in candidates
            if abs(len(candidate) - len(folded)) <= tolerance
        )
        near = [candidate for distance, candidate in scored if distance <= tolerance][:2]
        if near:
            close += near
            continue
        # Otherwise the longest start of the word that still finds something.
        for length in range(len(folded) - 1, 2, -1):
            if any(candidate.startswith(folded[:length]) for candidate in candidates):
                shorter.append(_raw_start(word, folded[:length]))
                break
    if close:
        result += _display_words(close, cards)
    result += shorter
    result += popular_topics(conference)

    unique = {}
    asked = tuple(query_terms(query))
    for suggestion in result:
        key = tuple(query_terms(suggestion))
        if key != asked:
            unique.setdefault(key, suggestion)
    return list(unique.values())[:limit]


def popular_topics(conference=None, limit=8):
    """The words most cards share (six letters or more), as the cards write them; kept until the data changes."""

    def build():
        cards = Card.objects.public()
        if conference is not None:
            cards = cards.filter(table__conference=conference)
        popular = (
            CardTerm.objects.filter(card__in=cards)
            .annotate(length=Length("term"))
            .filter(length__gte=6)
            .values("term")
            .annotate(n=Count("card_id"))
            .order_by("-n", "term")[: limit * 3]
        )
        topics = {}
        for word in _display_words([row["term"] for row in popular], cards):
            # "Geflüchtete" and "Geflüchteten" are one topic.
            topics.setdefault(tuple(query_terms(word)), word)
        return list(topics.values())[:limit]

    return build()


def reindex(queryset=None, batch_size=1000):
    """Rebuild CardTerm rows and search_text for the given cards (all cards by default), in bulk."""
    if queryset is None:
        queryset = Card.objects.all()
    count = 0
    pks_texts = queryset.order_by("pk").values_list("pk", "text")
    with transaction.atomic():
        batch = []
        for pk, text in pks_texts.iterator(chunk_size=batch_size):
            batch.append((pk, text))
            if len(batch) >= batch_size:
                _reindex_batch(batch)
                count += len(batch)
                batch = []
        if batch:
            _reindex_batch(batch)
            count += len(batch)
    # Bulk writes send no signals: tell the page cache that search results changed.
    archive_changed()
    return count


def _delete_terms(card_ids):
    # CardTerm rows are derived data: deleting them needs no per-row signals
    # (the page cache's receivers would otherwise fetch and bump for every row).
    terms = CardTerm.objects.filter(card_id__in=card_ids)
    terms._raw_delete(terms.db)


def _reindex_batch(batch):
    _delete_terms([pk for pk, _text in batch])
    rows = []
    search_texts = []
    for pk, text in batch:
        terms = search_terms(text)
        rows += [CardTerm(card_id=pk, term=term) for term in terms]
        search_texts.append((" ".join(terms), pk))
    CardTerm.objects.bulk_create(rows, batch_size=2000)
    # One prepared UPDATE run for every card: bulk_update's CASE expressions are
    # many times slower for thousands of rows.
    with connection.cursor() as cursor:
        table = connection.ops.quote_name(Card._meta.db_table)
        cursor.executemany(f"UPDATE {table} SET search_text = %s WHERE id = %s", search_texts)


def index_card(card):
    """Rebuild one card's terms, as the post_save signal does."""
    terms = search_terms(card.text)
    _delete_terms([card.pk])
    CardTerm.objects.bulk_create([CardTerm(card_id=card.pk, term=term) for term in terms])
    search_text = " ".join(terms)
    if card.search_text != search_text:
        Card.objects.filter(pk=card.pk).update(search_text=search_text)
        card.search_text = search_text
