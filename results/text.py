"""Pure text helpers: no ORM, no I/O."""

from django.utils.text import slugify

GERMAN_TRANSLITERATION = str.maketrans({"ä": "ae", "ö": "oe", "ü": "ue", "Ä": "Ae", "Ö": "Oe", "Ü": "Ue", "ß": "ss"})


def german_slugify(value):
    """Slugify with German transliteration: "Einzelkämpfer" -> "einzelkaempfer"."""
    return slugify(str(value).translate(GERMAN_TRANSLITERATION))
