"""„Meinten Sie …“: queries to try when a search finds nothing, made of whole words of the archive."""

from django.db import connection

from results import search_index
from results.search import MAX_QUERY_WORDS
from results.text import query_terms, query_words

_ALPHABET = "0123456789abcdefghijklmnopqrstuvwxyz"


def _successor(prefix):
    """The smallest string greater than every string starting with prefix (terms are [a-z0-9]), or None."""
    chars = list(prefix)
    while chars:
        position = _ALPHABET.find(chars[-1])
        if 0 <= position < len(_ALPHABET) - 1:
            chars[-1] = _ALPHABET[position + 1]
            return "".join(chars)
        chars.pop()
    return None


def _edit_distance(a, b):
    previous = list(range(len(b) + 1))
    for i, char_a in enumerate(a, 1):
        current = [i]
        for j, char_b in enumerate(b, 1):
            current.append(min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (char_a != char_b)))
        previous = current
    return previous[-1]


def suggestions(text, limit=5):
    """
    Queries to try when text finds nothing: words of the archive, whole and as written (the
    index's list of words, results.search_index.WORDS): a typed word alone (of a longer
    query), or words close to a typed word. No search per suggestion: the list holds what the
    cards say (a word only a since deleted card said may stay in it; it then finds nothing).
    """
    result = []
    words = [word for word in query_words(text) if query_terms(word)][:MAX_QUERY_WORDS]
    for word in words:
        folded = search_index.folded_word(word)
        if len(folded) < 3:
            continue
        tolerance = 1 if len(folded) < 6 else 2
        candidates = search_index.words_starting(
            connection, folded[:2], _successor(folded[:2]), max(3, len(folded) - tolerance), len(folded) + tolerance
        )
        # Closest first; of equally close ones, those that continue the typed word.
        scored = sorted(
            (_edit_distance(folded, key), not key.startswith(folded), written) for key, written in candidates
        )
        close = [
            written for distance, _other, written in scored if distance <= tolerance and (distance or len(words) > 1)
        ]
        result += close[:2]
    asked = search_index.folded_word(text)
    unique = {}
    for suggestion in result:
        if search_index.folded_word(suggestion) != asked:
            unique.setdefault(search_index.folded_word(suggestion), suggestion)
    return list(unique.values())[:limit]
