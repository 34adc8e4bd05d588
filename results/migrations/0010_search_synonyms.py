"""
Synonyms the document itself uses, each group with the cards it connects (lines of
fixtures/source/regionalkonferenz-winnenden-2019-07-02.txt). Editors change them in the admin.
"""

from django.contrib.auth.management import create_permissions
from django.db import migrations

SYNONYMS = [
    (
        ["Wohnung", "Wohnraum"],
        "„Wohnungen“ (Zeile 1138) und „Fehlender Wohnraum“ (Zeilen 1142, 1149), „Mangelnder Wohnraum“ "
        "(Zeile 294): derselbe Mangel an verschiedenen Tischen.",
    ),
    (
        ["Kita", "Kindertagesstätte", "Kindertageseinrichtung", "Kinderbetreuung", "Kindergarten"],
        "„Fehlende KiTa-Plätze“ (Zeile 83) am Tisch „Frauen, Kinderbetreuung, Sprache“ und "
        "„Kindergartenplätze“ (Zeile 296) am Tisch „Einzelkämpfer“ nennen denselben Mangel; "
        "„Kindertageseinrichtungen“ (Zeile 276), „Kita“ (Zeilen 518, 806), „KiGa“ (Zeile 487), "
        "„Kindergärten“ (Zeilen 558, 1098), „Mutter-Kind-Kurse mit Kinderbetreuung“ (Zeile 80), "
        "„Finanzierung der Kinderbetreuung“ (Zeile 89).",
    ),
    (
        ["Dolmetscher", "Sprachmittler"],
        "„Dolmetscher_innen/Sprachmittler_innen“ (Zeile 674) setzt beide gleich; „Vereidigte "
        "Dolmetscher_innen“ (Zeilen 834, 886), „Dolmetscher_innenpool“ (Zeile 1114).",
    ),
    (
        ["Geflüchtete", "Flüchtlinge"],
        "„Erwartungen der Geflüchteten an Arbeitsmarkt“ (Zeile 377) und „Tw. Engagement der Flüchtlinge“ "
        "(Zeile 483), „Keine Lösung für geduldete Flüchtlinge“ (Zeile 702): dieselbe Gruppe.",
    ),
    (
        ["Ehrenamt", "Ehrenamtliche", "ehrenamtliches Engagement"],
        "„Unterstützung durch Ehrenamt“ (Zeile 76), „Ehrenamtliches Engagement eingebrochen“ (Zeile 503), "
        "„Kein Dolmetscher_innenpool (Ehrenamtliche …)“ (Zeile 1036).",
    ),
    (
        ["Netzwerk", "Vernetzung"],
        "„Netzwerkarbeit“ (Zeile 260), „Gutes Netzwerk und Austausch“ (Zeile 289) und „Vernetzung und "
        "Austausch“ (Zeile 634), „Vernetzung über social media“ (Zeile 607).",
    ),
    (
        ["Sprachkurs", "Deutschkurs"],
        "„Spezifische berufliche Sprachkurse“ (Zeile 415) und „keine Deutschkurs“ (Zeile 791).",
    ),
    (
        ["Migranten", "Zuwanderer"],
        "„Sprachförderung/Sozialberatung, Migrant_innen, gut ausgebildete Zuwander_innen“ (Zeilen 240-241).",
    ),
]


def seed(apps, schema_editor):
    Synonym = apps.get_model("results", "Synonym")
    for words, note in SYNONYMS:
        Synonym.objects.get_or_create(words="\n".join(words), defaults={"note": note})


def grant_redaktion(apps, schema_editor):
    # As in 0003: the Redaktion group edits the synonyms like the glossary.
    app_config = apps.get_app_config("results")
    app_config.models_module = True
    create_permissions(app_config, apps=apps, verbosity=0)
    app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for group in Group.objects.filter(name="Redaktion"):
        group.permissions.add(
            *Permission.objects.filter(
                content_type__app_label="results", content_type__model__in=["synonym", "historicalsynonym"]
            )
        )


class Migration(migrations.Migration):
    dependencies = [("results", "0009_search_index")]

    operations = [
        migrations.RunPython(seed, migrations.RunPython.noop),
        migrations.RunPython(grant_redaktion, migrations.RunPython.noop),
    ]
