"""Search in the engine's own full-text index (results.search_index) instead of CardTerm rows; synonyms as data."""

import django.db.models.deletion
import simple_history.models
from django.conf import settings
from django.db import migrations, models

from results import search_index
from results.text import index_terms


def create_index(apps, schema_editor):
    """The engine's full-text tables (results.search_index), filled from the data already there."""
    search_index.create(schema_editor)
    connection = schema_editor.connection
    Card = apps.get_model("results", "Card")
    rows = Card.objects.filter(withdrawn=False).order_by("pk").values_list("pk", "text", "table__conference_id")
    batch = []
    words = {}
    for pk, text, conference_id in rows.iterator(chunk_size=2000):
        batch.append((pk, search_index.card_terms(text, conference_id)))
        for key, word in search_index.written_words(text).items():
            words.setdefault(key, word)
        if len(batch) >= 2000:
            search_index.write_cards(connection, batch)
            batch = []
    search_index.write_cards(connection, batch)
    places = [
        ("t", apps.get_model("results", "ThemeTable").objects.values_list("pk", "title")),
        ("s", apps.get_model("results", "Station").objects.values_list("pk", "question")),
        ("p", apps.get_model("results", "ProgrammeItem").objects.values_list("pk", "title", "speakers")),
    ]
    for kind, rows in places:
        for pk, *texts in rows:
            text = "\n".join(texts)
            search_index.write_place(connection, kind, pk, index_terms(text))
            for key, word in search_index.written_words(text).items():
                words.setdefault(key, word)
    search_index.write_words(connection, words)


def forget_card_terms(apps, schema_editor):
    # CardTerm's permissions would otherwise stay behind in groups, and a backup naming
    # them could not be restored into a freshly migrated database.
    Permission = apps.get_model("auth", "Permission")
    Permission.objects.filter(content_type__app_label="results", content_type__model="cardterm").delete()


def drop_index(apps, schema_editor):
    search_index.drop(schema_editor)


class Migration(migrations.Migration):
    dependencies = [
        ("results", "0008_report_correction"),
        ("auth", "0012_alter_user_first_name_max_length"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name="HistoricalSynonym",
            fields=[
                ("id", models.BigIntegerField(auto_created=True, blank=True, db_index=True, verbose_name="ID")),
                (
                    "words",
                    models.TextField(
                        help_text="Ein Wort oder eine Wendung je Zeile, mindestens zwei. Einzahl, Mehrzahl und Gender-Formen werden ohnehin zusammengeführt.",
                        verbose_name="Wörter",
                    ),
                ),
                (
                    "note",
                    models.TextField(
                        blank=True, help_text="Welche Karten das Paar verbindet.", verbose_name="Begründung"
                    ),
                ),
                ("history_id", models.AutoField(primary_key=True, serialize=False)),
                ("history_date", models.DateTimeField(db_index=True)),
                ("history_change_reason", models.CharField(max_length=100, null=True)),
                (
                    "history_type",
                    models.CharField(choices=[("+", "Created"), ("~", "Changed"), ("-", "Deleted")], max_length=1),
                ),
            ],
            options={
                "verbose_name": "historical Synonym",
                "verbose_name_plural": "historical Synonyme",
                "ordering": ("-history_date", "-history_id"),
                "get_latest_by": ("history_date", "history_id"),
            },
            bases=(simple_history.models.HistoricalChanges, models.Model),
        ),
        migrations.CreateModel(
            name="Synonym",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                (
                    "words",
                    models.TextField(
                        help_text="Ein Wort oder eine Wendung je Zeile, mindestens zwei. Einzahl, Mehrzahl und Gender-Formen werden ohnehin zusammengeführt.",
                        verbose_name="Wörter",
                    ),
                ),
                (
                    "note",
                    models.TextField(
                        blank=True, help_text="Welche Karten das Paar verbindet.", verbose_name="Begründung"
                    ),
                ),
            ],
            options={
                "verbose_name": "Synonym",
                "verbose_name_plural": "Synonyme",
                "ordering": ["words"],
            },
        ),
        migrations.RemoveConstraint(
            model_name="cardterm",
            name="card_term_unique",
        ),
        migrations.RemoveField(
            model_name="card",
            name="search_text",
        ),
        migrations.RemoveField(
            model_name="historicalcard",
            name="search_text",
        ),
        migrations.AddField(
            model_name="historicalsynonym",
            name="history_user",
            field=models.ForeignKey(
                null=True, on_delete=django.db.models.deletion.SET_NULL, related_name="+", to=settings.AUTH_USER_MODEL
            ),
        ),
        migrations.DeleteModel(
            name="CardTerm",
        ),
        migrations.RunPython(forget_card_terms, migrations.RunPython.noop),
        migrations.RunPython(create_index, drop_index),
    ]
