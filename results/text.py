"""Pure text helpers: no ORM, no I/O."""

import difflib
import functools
import re
import unicodedata

import snowballstemmer
from django.utils.html import escape
from django.utils.safestring import mark_safe
from django.utils.text import slugify

GERMAN_TRANSLITERATION = str.maketrans({"ä": "ae", "ö": "oe", "ü": "ue", "Ä": "Ae", "Ö": "Oe", "Ü": "Ue", "ß": "ss"})


def german_slugify(value):
    """Slugify with German transliteration: "Einzelkämpfer" -> "einzelkaempfer"."""
    return slugify(str(value).translate(GERMAN_TRANSLITERATION))


# The search pipeline. PostgreSQL's German stemmer changed between versions
# and SQLite has none, so the project's own pipeline is the single source of
# truth: a card is indexed under index_terms() (in SQLite's FTS5 or a
# PostgreSQL tsvector, see results.search), and a query goes through
# query_terms(), the same steps, so both engines see the same words.
#
# Order of the steps, the same for text and query:
# 1. gender markers are removed while the case still tells a binnen-I apart
#    ("DolmetscherInnen", "Dolmetscher_innen", "Ärzt:innen" -> "Dolmetscher", "Ärzt");
# 2. casefold, then ä/ö/ü/ß -> ae/oe/ue/ss and other accents dropped, so every
#    term is plain [a-z0-9] ("Ärzte" and "aerzte" are the same word from here);
# 3. split on everything else, hyphens and slashes included; a hyphenated
#    compound also yields its parts joined ("KiTa-Plätze" -> kita, plaetze, kitaplaetze);
# 4. feminine endings without a marker are removed ("Ärztinnen" -> "aerzt");
# 5. Snowball German stems the transliterated word. Snowball reads "ae", "oe"
#    and "ue" as umlauts and folds them to a, o, u, so "aerzte" and "Ärzte"
#    both become "arzt".
# A card stores every word both stemmed and unstemmed, so a word start the
# stemmer would cut differently ("ehrenamtl") still finds "ehrenamtliche".
# Terms are ASCII on purpose: both engines' tokenizers keep them as they are.

TERM_MAX_LENGTH = 64
# Marks terms that are not words of the text: an abbreviation as written with two
# capitals or more ("0jc" for "JC", so "IM" does not find "im"), a conference ("0c12").
# Text terms never start with a digit followed by a letter that way often enough to clash.
MARK = "0"

_LOWER = "a-zäöüß"
_BINNEN_I = re.compile(rf"(?<=[{_LOWER}])(?:Innen|In(?![{_LOWER}]))")
_GENDER_MARKER = re.compile(
    r"(?<=[^\W\d_])"
    r"(?:[_*:·]|/-?|\()"
    r"(?:innen|in(?![^\W\d_])|r(?![^\W\d_])|e(?![^\W\d_])|n(?![^\W\d_]))"
    r"\)?",
    re.IGNORECASE,
)
_HYPHENS = str.maketrans({"\u2010": "-", "\u2011": "-", "\u00ad": None})
_COMPOUND = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)+")
_WORD = re.compile(r"[a-z0-9]+")
_QUERY_WORD = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")
# "-innen" and "-in" after these endings are feminine forms without a marker
# ("Kolleginnen", "Migrantin"); "beginnen" and "Termin" keep theirs.
_FEMININE = re.compile(r"^(?P<stem>[a-z]{3,}(?:er|nt|zt|st|eg|og))(?:innen|in)$")

# A query word that starts like a marked term is dropped: it would reach the index's own
# terms ("0c1" every card of conferences 1, 10-19, ...), not words of the text.
_MARKED = re.compile(rf"{MARK}[a-z]")

# Words dropped from a query that has other words ("Kita für Kinder"); the
# index keeps them, so a query of stopwords alone still finds something.
# fmt: off
STOPWORDS = frozenset({
    "aber", "alle", "als", "am", "an", "auch", "auf", "aus", "bei", "bis", "bzw", "das", "dass", "dem", "den", "der",
    "des", "die", "durch", "ein", "eine", "einem", "einen", "einer", "eines", "es", "etc", "fuer", "gibt", "hat",
    "im", "in", "ist", "kann", "mit", "nach", "nicht", "noch", "oder", "sich", "sie", "sind", "so", "ueber", "um",
    "und", "uns", "usw", "vom", "von", "vor", "was", "wenn", "wer", "werden", "wie", "wir", "wird", "z", "zu", "zum",
    "zur",
})
# fmt: on

_stemmer = snowballstemmer.stemmer("german")


def strip_gender_markers(text):
    """Reduce gender-inclusive spellings to the word they mark: "Klient_innen" -> "Klient"."""
    return _GENDER_MARKER.sub("", _BINNEN_I.sub("", text))


def fold(text):
    """Casefold and transliterate to plain ASCII letters and digits: "Ärzte" -> "aerzte"."""
    text = text.casefold().translate(GERMAN_TRANSLITERATION)
    return unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")


@functools.lru_cache(maxsize=50_000)
def stem(word):
    """Snowball German stem of one folded word, feminine endings removed first."""
    if match := _FEMININE.match(word):
        word = match["stem"]
    return _stemmer.stemWord(word)[:TERM_MAX_LENGTH]


def _normalise(text):
    return fold(strip_gender_markers(str(text).translate(_HYPHENS)))


def search_terms(text):
    """The terms a text is indexed under, in order of first occurrence."""
    text = _normalise(text)
    words = _WORD.findall(text) + [compound.replace("-", "") for compound in _COMPOUND.findall(text)]
    terms = {}
    for word in words:
        if len(word) < 2:
            continue
        terms.setdefault(word[:TERM_MAX_LENGTH])
        terms.setdefault(stem(word))
    return list(terms)


# A word as written for abbreviations: letters and digits, "&" inside ("F&E").
_WRITTEN_WORD = re.compile(r"[^\W_]+(?:&[^\W_]+)*")


def is_abbreviation(word):
    """True for one word with two capitals or more ("JC", "KiGa", "IntMan"): these match case-sensitively."""
    return len(word.split()) == 1 and sum(char.isupper() for char in word) >= 2


def abbreviation_term(word):
    """The index term of an abbreviation as written: "JC" -> "0jc", "F&E" -> "0fe"."""
    return MARK + "".join(_WORD.findall(fold(word)))[: TERM_MAX_LENGTH - 1]


def index_terms(text):
    """What a text is indexed under: its search_terms() and its abbreviations as written."""
    abbreviations = [abbreviation_term(word) for word in _WRITTEN_WORD.findall(str(text)) if is_abbreviation(word)]
    return list(dict.fromkeys(search_terms(text) + abbreviations))


def query_words(query):
    """The words of a query as typed, a hyphenated compound as one word."""
    return [word for word in re.split(r"[^\w\-‐‑*:·()]+", str(query)) if re.search(r"[^\W_]", word)]


def query_pairs(query):
    """
    (word, stem) of each word of a query, folded: a word matches the terms that start with
    the word as typed ("Wohnung" -> "Wohnungslose") or equal its stem ("Schule" -> "Schulen",
    not "Schulung"). Stopwords dropped unless nothing else is left, words like the index's
    marked terms always.
    """
    pairs = []
    for word in query_words(query):
        # A hyphenated query word is searched as its joined compound, which every
        # hyphenated text also stores, so "Kita-Plätze" finds "Kitaplätze" as well.
        for compound in _QUERY_WORD.findall(_normalise(word)):
            joined = compound.replace("-", "")[:TERM_MAX_LENGTH]
            if not _MARKED.match(joined):
                pairs.append((joined, stem(joined)))
    meaningful = [pair for pair in pairs if pair[0] not in STOPWORDS]
    return list(dict.fromkeys(meaningful or pairs))


def query_terms(query):
    """The stems of a query's words (see query_pairs())."""
    return list(dict.fromkeys(term for _word, term in query_pairs(query)))


def word_diff(old, new):
    """Mark the words that differ between two texts: (old with <del>, new with <ins>), escaped, as safe HTML."""
    old_tokens = re.findall(r"\s+|\S+", old or "")
    new_tokens = re.findall(r"\s+|\S+", new or "")
    old_html, new_html = [], []
    matcher = difflib.SequenceMatcher(a=old_tokens, b=new_tokens, autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        old_part = escape("".join(old_tokens[i1:i2]))
        new_part = escape("".join(new_tokens[j1:j2]))
        if tag == "equal":
            old_html.append(old_part)
            new_html.append(new_part)
            continue
        if old_part:
            old_html.append(f"<del>{old_part}</del>")
        if new_part:
            new_html.append(f"<ins>{new_part}</ins>")
    return mark_safe("".join(old_html)), mark_safe("".join(new_html))  # every part escaped above
