"""
The search index in the database's own full-text index: SQLite's FTS5, or a
PostgreSQL tsvector with a GIN index. Both hold the terms of the project's
German pipeline (results.text.index_terms), never the engine's own stemming,
so both engines see the same words. No ORM here: the migrations use it too.

Three tables: the public cards (row id = card id), the places a query also
lists (tables, stations, programme items), and every word as written, for the
suggestions ("Meinten Sie …"). Matching is boolean: a query is a list of
clauses a row must all satisfy, each a list of alternatives (any will do),
each a tuple of words that must all be there, each word a tuple of
(term, prefix) pairs, any of which will do (results.search builds them).
"""

import re

from results.text import MARK, TERM_MAX_LENGTH, fold, index_terms, strip_gender_markers

CARDS = "results_card_fts"
PLACES = "results_place_fts"
WORDS = "results_search_word"

SCHEMA = {
    # detail='none': no positions (no phrase queries needed), a smaller index
    # whose document lists read fastest; prefix indexes for short word starts.
    "sqlite": [
        f"CREATE VIRTUAL TABLE {CARDS} USING fts5(terms, tokenize='ascii', detail='none', prefix='2 3 4 5 6')",
        # Row id: the object's id and its kind (PLACE_KINDS) in one number, read from the
        # index alone; an UNINDEXED column would cost a lookup per matching row.
        f"CREATE VIRTUAL TABLE {PLACES} USING fts5(terms, tokenize='ascii', detail='none', prefix='2 3 4')",
    ],
    "postgresql": [
        f"CREATE TABLE {CARDS} (card_id integer PRIMARY KEY, terms tsvector NOT NULL)",
        f"CREATE INDEX {CARDS}_terms ON {CARDS} USING gin (terms)",
        f"CREATE TABLE {PLACES} (kind char(1) NOT NULL, object_id integer NOT NULL, terms tsvector NOT NULL, "
        "PRIMARY KEY (kind, object_id))",
        f"CREATE INDEX {PLACES}_terms ON {PLACES} USING gin (terms)",
    ],
}
WORDS_SCHEMA = f"CREATE TABLE {WORDS} (folded varchar({TERM_MAX_LENGTH}) PRIMARY KEY, word varchar(200) NOT NULL)"


def create(schema_editor):
    for sql in [*SCHEMA[_vendor(schema_editor.connection)], WORDS_SCHEMA]:
        schema_editor.execute(sql)


def drop(schema_editor):
    for table in [CARDS, PLACES, WORDS]:
        schema_editor.execute(f"DROP TABLE IF EXISTS {table}")


def _vendor(connection):
    return "postgresql" if connection.vendor == "postgresql" else "sqlite"


PLACE_KINDS = "tsp"  # table, station, programme item


def _place_rowid(kind, object_id):
    return object_id * len(PLACE_KINDS) + PLACE_KINDS.index(kind)


def conference_term(conference_id):
    return f"{MARK}c{conference_id}"


# Writing

# A word of a text as written: gender markers, hyphens and "&" stay inside it.
TEXT_WORD = re.compile(r"\w+(?:(?:[-‐‑*:·&]|/-?(?=innen|in\b))\w+|\((?:innen|in)\))*", re.IGNORECASE)


def folded_word(word):
    """The key a written word is remembered under: "Ärzt_innen" -> "aerzt"."""
    return "".join(re.findall(r"[a-z0-9]", fold(strip_gender_markers(word))))


def written_words(text):
    """{folded: as written} for the words of a text worth suggesting: three letters or more, not numbers."""
    words = {}
    for match in TEXT_WORD.finditer(text):
        word = match[0].strip("()")
        key = folded_word(word)
        if len(key) >= 3 and not key.isdigit():
            words.setdefault(key[:TERM_MAX_LENGTH], word[:200])
    return words


def card_terms(text, conference_id):
    """What a card is indexed under: its text's terms and its conference."""
    return [*index_terms(text), conference_term(conference_id)]


def _terms_value(connection, terms):
    return list(terms) if _vendor(connection) == "postgresql" else " ".join(terms)


def write_cards(connection, rows):
    """rows: (card id, terms) for cards to (re)index; an empty terms list removes the card from the index."""
    rows = list(rows)
    delete_cards(connection, [pk for pk, _terms in rows])
    values = [(pk, _terms_value(connection, terms)) for pk, terms in rows if terms]
    if _vendor(connection) == "postgresql":
        sql = f"INSERT INTO {CARDS} (card_id, terms) VALUES (%s, array_to_tsvector(%s::text[]))"
    else:
        sql = f"INSERT INTO {CARDS} (rowid, terms) VALUES (%s, %s)"
    with connection.cursor() as cursor:
        cursor.executemany(sql, values)


def delete_cards(connection, card_ids):
    key = "card_id" if _vendor(connection) == "postgresql" else "rowid"
    card_ids = list(card_ids)
    with connection.cursor() as cursor:
        for start in range(0, len(card_ids), 500):
            chunk = card_ids[start : start + 500]
            cursor.execute(f"DELETE FROM {CARDS} WHERE {key} IN ({', '.join(['%s'] * len(chunk))})", chunk)


def write_place(connection, kind, object_id, terms):
    """Index one table ("t"), station ("s") or programme item ("p"); no terms: remove it."""
    with connection.cursor() as cursor:
        if _vendor(connection) == "postgresql":
            cursor.execute(f"DELETE FROM {PLACES} WHERE kind = %s AND object_id = %s", [kind, object_id])
            sql = f"INSERT INTO {PLACES} (kind, object_id, terms) VALUES (%s, %s, array_to_tsvector(%s::text[]))"
            params = [kind, object_id, list(terms)]
        else:
            cursor.execute(f"DELETE FROM {PLACES} WHERE rowid = %s", [_place_rowid(kind, object_id)])
            sql = f"INSERT INTO {PLACES} (rowid, terms) VALUES (%s, %s)"
            params = [_place_rowid(kind, object_id), " ".join(terms)]
        if terms:
            cursor.execute(sql, params)


def write_words(connection, words):
    """Remember words as written ({folded: word}); the first spelling of a word stays."""
    with connection.cursor() as cursor:
        cursor.executemany(
            f"INSERT INTO {WORDS} (folded, word) VALUES (%s, %s) ON CONFLICT (folded) DO NOTHING",
            list(words.items()),
        )


def clear(connection):
    with connection.cursor() as cursor:
        for table in [CARDS, PLACES, WORDS]:
            cursor.execute(f"DELETE FROM {table}")


# Reading


def expression(connection, clauses, exact=False, required=()):
    """
    The engine's query for clauses (see the module's docstring); exact: every term as a whole
    term, no prefixes. required: terms every row must have besides (a conference's term).
    Terms are [a-z0-9] (results.text), so they need no escaping in either syntax.
    """
    if _vendor(connection) == "postgresql":
        and_, or_ = " & ", " | "

        def term(value, prefix):
            return value + (":*" if prefix and not exact else "")
    else:
        and_, or_ = " AND ", " OR "

        def term(value, prefix):
            return f'"{value}"' + ("*" if prefix and not exact else "")

    parts = [term(value, False) for value in required]
    for clause in clauses:
        alternatives = []
        for alternative in clause:
            words = ["(" + or_.join(dict.fromkeys(term(*pair) for pair in word)) + ")" for word in alternative]
            alternatives.append("(" + and_.join(words) + ")")
        parts.append("(" + or_.join(alternatives) + ")")
    return and_.join(parts)


def but_not(connection, expression, excluded):
    if _vendor(connection) == "postgresql":
        return f"({expression}) & !({excluded})"
    return f"({expression}) NOT ({excluded})"


def card_ids_sql(connection):
    """SQL (one parameter: an expression()) for the ids of the cards that match, for pk__in=RawSQL(...)."""
    if _vendor(connection) == "postgresql":
        return f"SELECT card_id FROM {CARDS} WHERE terms @@ %s::tsquery"
    return f"SELECT rowid FROM {CARDS} WHERE {CARDS} MATCH %s"


def count_cards(connection, match, limit):
    """How many cards match, counted up to limit: beyond it, counting would cost more than the page."""
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT count(*) FROM ({card_ids_sql(connection)} LIMIT %s) AS found", [match, limit])
        return cursor.fetchone()[0]


def card_ids(connection, match, limit=None, offset=0, sparse=False):
    """
    The ids of matching cards in id order (the order the index reads them in), all or one slice.
    sparse: few cards match. PostgreSQL then reads them all from the GIN index and sorts, instead
    of walking the primary key until it meets `limit` matches, which for a rare word whose
    frequency it overestimates ("dolmetsch") read every row.
    """
    key = "card_id" if _vendor(connection) == "postgresql" else "rowid"
    if sparse and key == "card_id":
        key = "card_id + 0"  # an expression no index provides in order
    sql, params = f"{card_ids_sql(connection)} ORDER BY {key}", [match]
    if limit is not None:
        sql, params = f"{sql} LIMIT %s OFFSET %s", [match, limit, offset]
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return [row[0] for row in cursor.fetchall()]


def places(connection, match):
    """(kind, object id) of every matching place, in id order."""
    with connection.cursor() as cursor:
        if _vendor(connection) == "postgresql":
            cursor.execute(f"SELECT kind, object_id FROM {PLACES} WHERE terms @@ %s::tsquery", [match])
            found = [(kind, object_id) for kind, object_id in cursor.fetchall()]
        else:
            cursor.execute(f"SELECT rowid FROM {PLACES} WHERE {PLACES} MATCH %s", [match])
            found = [
                (PLACE_KINDS[rowid % len(PLACE_KINDS)], rowid // len(PLACE_KINDS)) for (rowid,) in cursor.fetchall()
            ]
    return sorted(found, key=lambda place: (PLACE_KINDS.index(place[0]), place[1]))


def words_starting(connection, start, upper, min_length, max_length, limit=5000):
    """(folded, word) of remembered words from start up to (not including) upper, by folded length."""
    sql = (
        f"SELECT folded, word FROM {WORDS} WHERE folded >= %s"
        + (" AND folded < %s" if upper else "")
        + " AND length(folded) BETWEEN %s AND %s LIMIT %s"
    )
    params = [start, *([upper] if upper else []), min_length, max_length, limit]
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()
