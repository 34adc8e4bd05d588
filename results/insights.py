"""
Reading the results across tables: the glossary of abbreviations, the
who-can-help index and the recurring topics. Pure: no ORM, no I/O.

The functions take plain values or objects with a few attributes (a card
needs `pk`, `text`, `kind` and `table_id`; a glossary entry `abbreviation`,
`meaning_list`, `uncertain` and `note`; an actor rule `name` and
`alias_list`), so the same rules index any conference.

Words are compared the way the search compares them (results.text): gender
markers removed, folded to ASCII, Snowball-stemmed. That merges singular,
plural and gender forms ("Dolmetscherin", "Dolmetscher_innen") by itself;
what stemming cannot know ("JC" is the "Jobcenter") is data: the glossary and
the actor rules, both editable in the admin.
"""

import re
from collections import Counter
from dataclasses import dataclass, field
from functools import lru_cache

from django.utils.text import slugify
from django.utils.translation import gettext as _

from results.text import STOPWORDS, fold, is_abbreviation, stem, strip_gender_markers

# What counts as part of a word around an abbreviation, spelt out so that the
# same class works in Python, SQLite's REGEXP (Python's re) and PostgreSQL.
WORD_CHARS = "0-9A-Za-zÄÖÜäöüß_"
# A word as written, a gender marker inside it included ("Klient_innen", "AdressatInnen").
_TEXT_WORD = re.compile(r"[^\W\d_]+(?:[_*:·][^\W\d_]+)?")
_FOLDED_WORD = re.compile(r"[a-z0-9]+")
_TAG = re.compile(r"(<[^>]*>)")


def _abbreviation_body(abbreviation):
    return r"\s+".join(re.escape(part) for part in abbreviation.split())


@lru_cache(maxsize=20000)
def word_stem(word):
    """The stem a word is compared by: "Dolmetscher_innen" -> "dolmetsch"."""
    return stem(fold(strip_gender_markers(word)))


def phrase_key(phrase):
    """The stems of a phrase's words, in order: the key that merges spellings of the same words."""
    return tuple(stem(word) for word in _FOLDED_WORD.findall(fold(strip_gender_markers(phrase))))


class Glossary:
    """Abbreviations with their meanings: marks them up in texts, finds them, expands search queries."""

    def __init__(self, entries):
        # A later entry replaces an earlier one with the same abbreviation
        # (callers list a conference's own entries after the general ones).
        self.entries = {}
        for entry in entries:
            self.entries[entry.abbreviation] = entry
        alternatives = sorted(self.entries, key=len, reverse=True)
        body = "|".join(_abbreviation_body(abbreviation) for abbreviation in alternatives)
        self.pattern = re.compile(rf"(?<![{WORD_CHARS}])(?:{body})(?![{WORD_CHARS}])") if alternatives else None

    def __bool__(self):
        return bool(self.entries)

    def find(self, text):
        """The abbreviations text uses, in order of first use."""
        if self.pattern is None:
            return []
        return list(dict.fromkeys(self.entry_for(match[0]).abbreviation for match in self.pattern.finditer(text)))

    @staticmethod
    def anchor(abbreviation):
        """The id of an abbreviation's entry on the glossary page."""
        return "abk-" + slugify(abbreviation)

    def title(self, abbreviation):
        """What an <abbr> says an abbreviation stands for."""
        entry = self.entries[abbreviation]
        meanings = entry.meaning_list
        if not meanings:
            return _("Abkürzung im Dokument nicht erläutert")
        joined = _(" oder ").join(meanings)
        return _("vermutlich %(meanings)s") % {"meanings": joined} if entry.uncertain else joined

    def entry_for(self, match):
        """The entry of an abbreviation as the pattern matched it (spaces as written)."""
        return self.entries[" ".join(match.split())]

    def typed_abbreviation(self, word):
        """The abbreviation a query word stands for, or None; other case only from three letters on ("es")."""
        if word in self.entries:
            return word
        if len(word) >= 3:
            for abbreviation in self.entries:
                if abbreviation.casefold() == word.casefold():
                    return abbreviation
        return None


# Helper cards list actors separated by commas, semicolons or slashes. A slash
# after a hyphen shortens a compound ("Kümmerer-/Projektstellen") and one
# between digits is a number ("7/24"); neither separates, nor does a gender
# slash ("Lehrer/innen").
_ACTOR_SEPARATOR = re.compile(r"[,;]|(?<![-\d])/(?![-\da-zäöüß])")
_TRAILING_NUMBER_NOTE = re.compile(r"\s*\([^)]*\d[^)]*\)\s*$")


def actor_phrases(text):
    """The actors one `helfer` card names: "Städtetag: Benjamin Lachat" -> ["Städtetag"]."""
    phrases = []
    for part in re.split(r"[,;]", text):
        # After a colon come persons' names: the index lists institutions, not people.
        part = _TRAILING_NUMBER_NOTE.sub("", part.split(":")[0])
        for phrase in _ACTOR_SEPARATOR.split(part):
            phrase = phrase.strip(" \t\n.•–-")
            if re.search(r"[^\W\d_]", phrase):
                phrases.append(phrase)
    return phrases


@dataclass
class Actor:
    name: str
    forms: list = field(default_factory=list)
    cards: list = field(default_factory=list)
    card_ids: set = field(default_factory=set)

    def add(self, card):
        if card.pk not in self.card_ids:
            self.card_ids.add(card.pk)
            self.cards.append(card)

    @property
    def table_ids(self):
        return list(dict.fromkeys(card.table_id for card in self.cards))


def actor_index(cards, rules=(), glossary=None):
    """
    Who the tables named as helpers: one Actor per actor, with the cards naming it (document order),
    most tables first. Actors come from the `helfer` cards and from the rules; every card that names
    one of their spellings counts, whatever its kind.
    """
    cards = list(cards)
    order = {card.pk: index for index, card in enumerate(cards)}
    actors, by_key, abbreviation_owner = [], {}, {}

    def new_actor(name, key):
        actor = Actor(name, forms=[name])
        actors.append(actor)
        if key:
            by_key.setdefault(key, actor)
        return actor

    for rule in rules:
        actor = new_actor(rule.name, phrase_key(rule.name))
        for alias in rule.alias_list:
            if is_abbreviation(alias):
                abbreviation_owner.setdefault(alias, actor)
            elif key := phrase_key(alias):
                by_key.setdefault(key, actor)
            actor.forms.append(alias)

    for card in cards:
        if card.kind != "helfer":
            continue
        for phrase in actor_phrases(card.text):
            if is_abbreviation(phrase) and phrase in abbreviation_owner:
                actor = abbreviation_owner[phrase]
            elif key := phrase_key(phrase):
                actor = by_key.get(key) or new_actor(phrase, key)
            else:
                continue
            if phrase not in actor.forms:
                actor.forms.append(phrase)
            actor.add(card)

    if glossary:
        # An abbreviation whose meaning is an actor's name names that actor ("JC": Jobcenter).
        for abbreviation, entry in glossary.entries.items():
            for meaning in entry.meaning_list:
                actor = by_key.get(phrase_key(meaning))
                if actor is not None:
                    abbreviation_owner.setdefault(abbreviation, actor)

    by_first_stem = {}
    for key, actor in by_key.items():
        by_first_stem.setdefault(key[0], []).append((key, actor))
    abbreviations = sorted(abbreviation_owner, key=len, reverse=True)
    abbreviation_pattern = (
        re.compile(rf"(?<![{WORD_CHARS}])(?:{'|'.join(map(_abbreviation_body, abbreviations))})(?![{WORD_CHARS}])")
        if abbreviations
        else None
    )
    # Every card in document order, so that each actor's cards stay in that order.
    for card in cards:
        stems = [word_stem(word) for word in _FOLDED_WORD.findall(fold(strip_gender_markers(card.text)))]
        for position, first in enumerate(stems):
            for key, actor in by_first_stem.get(first, ()):
                if tuple(stems[position : position + len(key)]) == key:
                    actor.add(card)
        if abbreviation_pattern is not None:
            for match in abbreviation_pattern.finditer(card.text):
                abbreviation_owner[" ".join(match[0].split())].add(card)

    for actor in actors:
        actor.cards.sort(key=lambda card: order[card.pk])
    named = [actor for actor in actors if actor.cards]
    return sorted(named, key=lambda actor: (-len(actor.table_ids), -len(actor.cards), fold(actor.name)))


# Words too common to be a topic: German function words and the generic words
# with which the cards state any finding ("fehlende", "mehr", "gut"), folded.
# fmt: off
TOPIC_STOPWORDS = STOPWORDS | frozenset({
    "ab", "aehnlich", "allem", "allen", "aller", "alles", "also", "ander", "andere", "anderen", "anderer", "anderes",
    "anstatt", "auch", "auf", "aufgrund", "ausreichend", "bald", "bereits", "besonders", "besser", "bessere",
    "besseren", "bin", "bisher", "bist", "bleiben", "bleibt", "brauchen", "braucht", "dabei", "dadurch", "dafuer",
    "daher", "damit", "danach", "dann", "daran", "darauf", "darf", "darueber", "davon", "dazu", "deine", "denen",
    "denn", "dennoch", "deren", "derzeit", "dessen", "dies", "diese", "diesem", "diesen", "dieser", "dieses", "doch",
    "dort", "du", "dürfen", "duerfen", "eben", "eher", "eigene", "eigenen", "eigener", "einfach", "einige", "einigen",
    "einmal", "ende", "er", "erst", "etwa", "etwas", "euch", "evtl", "fehlen", "fehlende", "fehlenden", "fehlender",
    "fehlt", "ganz", "gar", "geben", "gegen", "gehen", "geht", "genug", "gerade", "gern", "gewesen", "ggf", "gleich",
    "grosse", "grossen", "grosser", "gut", "gute", "guten", "guter", "gutes", "haben", "habe", "hatte", "hier",
    "hoch", "hohe", "hohen", "ich", "ihm", "ihn", "ihnen", "ihr", "ihre", "ihrem", "ihren", "ihrer", "immer",
    "innen", "jede", "jedem", "jeden", "jeder", "jedes", "jedoch", "jetzt", "kaum", "kein", "keine", "keinem",
    "keinen", "keiner", "koennen", "koennte", "lassen", "machen", "macht", "man", "manche", "mehr", "mehrere",
    "meist", "mich", "mir", "moeglich", "moeglichst", "muss", "muessen", "nein", "neu", "neue", "neuen", "nicht",
    "nichts", "nie", "noetig", "nun", "nur", "ob", "oben", "oft", "ohne", "per", "schon", "sehr", "sein", "seine",
    "seinem", "seinen", "seiner", "seit", "selbst", "sollen", "sollte", "sollten", "sowie", "statt", "stark",
    "teilweise", "tw", "unter", "viel", "viele", "vielen", "vieler", "vielfach", "vielleicht", "vorhanden", "waere",
    "waehrend", "war", "waren", "weil", "weiter", "weitere", "weiteren", "welche", "wenig", "wenige", "weniger",
    "wieder", "wo", "wurde", "wurden", "zb", "zeigen", "zt", "zu", "zwar", "zwischen",
})
# fmt: on
TOPIC_MIN_TABLES = 3
TOPIC_MIN_LENGTH = 4


@dataclass
class Topic:
    stem: str
    label: str
    cards_by_table: dict  # table id -> cards, in document order

    @property
    def table_count(self):
        return len(self.cards_by_table)

    @property
    def card_count(self):
        return sum(len(cards) for cards in self.cards_by_table.values())


def topic_words(text):
    """(stem, word as written, is a noun) for each word of text that can be a topic."""
    for position, word in enumerate(_TEXT_WORD.findall(text)):
        folded = fold(strip_gender_markers(word))
        if len(folded) < TOPIC_MIN_LENGTH or folded in TOPIC_STOPWORDS:
            continue
        word_stemmed = word_stem(word)
        if word_stemmed not in TOPIC_STOPWORDS:
            # German capitalises nouns; the first word of a card is capitalised anyway.
            yield word_stemmed, word, position > 0 and word[0].isupper()


def recurring_topics(cards, min_tables=TOPIC_MIN_TABLES):
    """
    The nouns (by stem) that come up at min_tables tables or more, as Topics: most tables first,
    then most cards. A stem counts as a noun once a card writes it capitalised inside a sentence.
    """
    cards_by_stem = {}
    spellings = {}
    nouns = set()
    for card in cards:
        for word_stemmed, word, is_noun in topic_words(card.text):
            by_table = cards_by_stem.setdefault(word_stemmed, {})
            table_cards = by_table.setdefault(card.table_id, [])
            if not table_cards or table_cards[-1] is not card:
                table_cards.append(card)
            spellings.setdefault(word_stemmed, Counter())[word] += 1
            if is_noun:
                nouns.add(word_stemmed)
    topics = []
    for word_stemmed, by_table in cards_by_stem.items():
        if len(by_table) < min_tables or word_stemmed not in nouns:
            continue
        # The base form as a headline („Geflüchtete“, not „Geflüchteten“): German inflection adds
        # endings, so the shortest capitalised spelling; the one the cards use most among equals.
        counts = spellings[word_stemmed]
        label = min(counts, key=lambda word: (not word[:1].isupper(), len(word), -counts[word], word))
        topics.append(Topic(word_stemmed, label, by_table))
    return sorted(topics, key=lambda topic: (-topic.table_count, -topic.card_count, fold(topic.label)))
