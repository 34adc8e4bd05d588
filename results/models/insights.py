"""What the editors teach the cross-table pages: abbreviations with their meanings, and actors' spellings."""

from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords


class ConferenceRuleQuerySet(models.QuerySet):
    def for_conference(self, conference):
        """The rows that apply to a conference, those for every conference first, so that its own come last and win."""
        condition = Q(conference=None)
        if conference is not None:
            condition |= Q(conference=conference)
        return self.filter(condition).order_by(F("conference").asc(nulls_first=True), *self.model._meta.ordering)


class GlossaryEntry(models.Model):
    """An abbreviation a conference's document uses, with what it stands for."""

    conference = models.ForeignKey(
        "results.Conference",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="glossary_entries",
        verbose_name=_("Konferenz"),
        help_text=_("Leer lassen, wenn die Abkürzung in allen Konferenzen dasselbe bedeutet."),
    )
    abbreviation = models.CharField(
        _("Abkürzung"),
        max_length=40,
        help_text=_("Genau so geschrieben wie in den Karten; Groß- und Kleinschreibung zählen („ES“ ist nicht „es“)."),
    )
    meanings = models.TextField(
        _("Bedeutungen"),
        blank=True,
        help_text=_(
            "Eine Bedeutung je Zeile, die häufigste zuerst. Leer lassen, wenn das Dokument sie nicht erläutert "
            "und sie nicht sicher ist."
        ),
    )
    uncertain = models.BooleanField(
        _("Bedeutung unsicher"), default=False, help_text=_("Das Dokument erläutert die Abkürzung nicht.")
    )
    note = models.TextField(_("Hinweis"), blank=True, help_text=_("Wo und wie das Dokument die Abkürzung gebraucht."))

    objects = ConferenceRuleQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["abbreviation", "conference"]
        verbose_name = _("Abkürzung")
        verbose_name_plural = _("Glossar")
        constraints = [
            models.UniqueConstraint(fields=["conference", "abbreviation"], name="glossary_abbreviation_unique"),
            models.UniqueConstraint(
                fields=["abbreviation"], condition=Q(conference=None), name="glossary_abbreviation_global_unique"
            ),
            models.CheckConstraint(condition=~Q(abbreviation=""), name="glossary_abbreviation_not_empty"),
        ]

    def __str__(self):
        return self.abbreviation

    @property
    def meaning_list(self):
        return [line.strip() for line in self.meanings.splitlines() if line.strip()]


class ActorRule(models.Model):
    """Spellings that name one actor in the who-can-help index, beyond what singular, plural and gender merge."""

    conference = models.ForeignKey(
        "results.Conference",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="actor_rules",
        verbose_name=_("Konferenz"),
        help_text=_("Leer lassen, wenn die Regel für alle Konferenzen gilt."),
    )
    name = models.CharField(
        _("Akteur"), max_length=200, help_text=_("So erscheint der Akteur im Verzeichnis „Wer kann helfen?“.")
    )
    aliases = models.TextField(
        _("Andere Schreibweisen"),
        blank=True,
        help_text=_(
            "Eine je Zeile. Einzahl, Mehrzahl und Gender-Formen werden ohnehin zusammengeführt; Abkürzungen "
            "(mit zwei Großbuchstaben, z. B. „JC“) zählen nur in genau dieser Schreibweise."
        ),
    )

    objects = ConferenceRuleQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["name", "conference"]
        verbose_name = _("Regel für Akteure")
        verbose_name_plural = _("Regeln für Akteure")
        constraints = [
            models.UniqueConstraint(fields=["conference", "name"], name="actor_rule_name_unique"),
            models.UniqueConstraint(fields=["name"], condition=Q(conference=None), name="actor_rule_global_unique"),
            models.CheckConstraint(condition=~Q(name=""), name="actor_rule_name_not_empty"),
        ]

    def __str__(self):
        return self.name

    @property
    def alias_list(self):
        return [line.strip() for line in self.aliases.splitlines() if line.strip()]
