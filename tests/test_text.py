import pytest

from results.text import german_slugify


@pytest.mark.parametrize(
    ("title", "slug"),
    [
        ("Einzelkämpfer im ländlichen Raum", "einzelkaempfer-im-laendlichen-raum"),
        ("Statusfragen, Zusammenarbeit mit Ausländerbehörde", "statusfragen-zusammenarbeit-mit-auslaenderbehoerde"),
        ("Gesundheit, psychosoziale Beratung", "gesundheit-psychosoziale-beratung"),
        ("Straße", "strasse"),
        ("Übergänge", "uebergaenge"),
    ],
)
def test_german_slugify_transliterates(title, slug):
    assert german_slugify(title) == slug
