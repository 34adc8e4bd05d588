from django.conf import settings
from django.db import models
from django.db.models import Count, F, Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from results.text import german_slugify


class Kind(models.TextChoices):
    GUT = "gut", _("Was läuft gut?")
    HAKT = "hakt", _("Wo hakt es?")
    ZIEL = "ziel", _("Ziele: Was soll ein gutes Integrationsmanagement leisten?")
    VOR_ORT = "vor-ort", _("Was können wir vor Ort ändern?")
    HELFER = "helfer", _("Wer kann helfen?")
    SONSTIGES = "sonstiges", _("Eigene Überschrift")


class Conference(models.Model):
    slug = models.SlugField(_("Kürzel"), max_length=80, unique=True)
    title = models.CharField(_("Titel"), max_length=300)
    subtitle = models.CharField(_("Untertitel"), max_length=300, blank=True)
    date = models.DateField(_("Datum"))
    venue = models.CharField(_("Veranstaltungsort"), max_length=200)
    city = models.CharField(_("Stadt"), max_length=100)
    source_document = models.CharField(
        _("Quelldokument"), max_length=300, help_text=_("Dateiname der Dokumentation, aus der die Daten stammen.")
    )
    source_text = models.TextField(_("Text des Quelldokuments"), blank=True)
    licence = models.CharField(
        _("Lizenz"),
        max_length=200,
        blank=True,
        help_text=_("Leer lassen, solange keine Lizenz bekannt ist: Die Seiten sagen das dann ausdrücklich."),
    )
    licence_url = models.URLField(_("Lizenz-URL"), blank=True)
    stations_note = models.CharField(
        _("Hinweis zu den Stationen"), max_length=300, blank=True, help_text=_("Gilt für alle Stationen.")
    )
    closing_title = models.CharField(_("Titel des Abschlusses"), max_length=300, blank=True)
    closing_question = models.CharField(_("Frage des Abschlusses"), max_length=300, blank=True)
    is_demo = models.BooleanField(_("Demodaten"), default=False)

    history = HistoricalRecords()

    class Meta:
        ordering = ["-date", "slug"]
        verbose_name = _("Konferenz")
        verbose_name_plural = _("Konferenzen")

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("results:conference", kwargs={"conf": self.slug})


class ProgrammeItem(models.Model):
    conference = models.ForeignKey(
        Conference, on_delete=models.CASCADE, related_name="programme", verbose_name=_("Konferenz")
    )
    position = models.PositiveSmallIntegerField(_("Position"))
    start = models.TimeField(_("Beginn"))
    title = models.CharField(_("Titel"), max_length=300)
    speakers = models.TextField(_("Mitwirkende"), blank=True, help_text=_("Eine Person oder Stelle je Zeile."))
    source_line = models.PositiveIntegerField(_("Zeile im Quelldokument"), null=True, blank=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["conference", "position"]
        verbose_name = _("Programmpunkt")
        verbose_name_plural = _("Programmpunkte")
        constraints = [
            models.UniqueConstraint(fields=["conference", "position"], name="programme_position_unique"),
        ]

    def __str__(self):
        return f"{self.start:%H:%M} {self.title}"

    @property
    def speaker_list(self):
        return [line for line in self.speakers.splitlines() if line.strip()]


class Station(models.Model):
    conference = models.ForeignKey(
        Conference, on_delete=models.CASCADE, related_name="stations", verbose_name=_("Konferenz")
    )
    number = models.PositiveSmallIntegerField(_("Nummer"))
    question = models.CharField(_("Frage"), max_length=500, help_text=_("Die Frage(n) wie im Tagesprogramm."))
    short_question = models.CharField(_("Kurzfassung der Frage"), max_length=500, blank=True)
    programme_item = models.ForeignKey(
        ProgrammeItem,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="stations",
        verbose_name=_("Programmpunkt"),
    )

    history = HistoricalRecords()

    class Meta:
        ordering = ["conference", "number"]
        verbose_name = _("Station")
        verbose_name_plural = _("Stationen")
        constraints = [
            models.UniqueConstraint(fields=["conference", "number"], name="station_number_unique"),
            models.CheckConstraint(condition=Q(number__gte=1), name="station_number_positive"),
        ]

    def __str__(self):
        return _("Station %(number)s") % {"number": self.number}

    def get_absolute_url(self):
        return reverse("results:station", kwargs={"conf": self.conference.slug, "number": self.number})


class ThemeTableQuerySet(models.QuerySet):
    def for_overview(self, stations):
        """Tables in order, each with its public card count per station as count_<index>, in one query."""
        counts = {
            f"count_{index}": Count("cards", filter=Q(cards__withdrawn=False, cards__station=station))
            for index, station in enumerate(stations)
        }
        # Meta.ordering does not apply to aggregating queries: PostgreSQL would return any order.
        return self.annotate(**counts).order_by("number")


class ThemeTable(models.Model):
    conference = models.ForeignKey(
        Conference, on_delete=models.CASCADE, related_name="tables", verbose_name=_("Konferenz")
    )
    number = models.PositiveSmallIntegerField(_("Nummer"))
    title = models.CharField(_("Titel"), max_length=300)
    slug = models.SlugField(_("Kürzel"), max_length=120, blank=True)
    source_line = models.PositiveIntegerField(_("Zeile im Quelldokument"), null=True, blank=True)

    objects = ThemeTableQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["conference", "number"]
        verbose_name = _("Thementisch")
        verbose_name_plural = _("Thementische")
        constraints = [
            models.UniqueConstraint(fields=["conference", "number"], name="table_number_unique"),
            models.UniqueConstraint(fields=["conference", "slug"], name="table_slug_unique"),
            models.CheckConstraint(condition=Q(number__gte=1), name="table_number_positive"),
            models.CheckConstraint(condition=~Q(slug=""), name="table_slug_not_empty"),
        ]

    def __str__(self):
        return self.title

    def save(self, *args, **kwargs):
        if not self.slug:
            self.slug = german_slugify(self.title)
        if self.pk:
            old_slug = ThemeTable.objects.filter(pk=self.pk).values_list("slug", flat=True).first()
            if old_slug and old_slug != self.slug:
                # A published URL never breaks: the old slug keeps redirecting.
                TableSlugRedirect.objects.update_or_create(
                    conference_id=self.conference_id, old_slug=old_slug, defaults={"table": self}
                )
        super().save(*args, **kwargs)
        TableSlugRedirect.objects.filter(conference_id=self.conference_id, old_slug=self.slug).delete()

    def get_absolute_url(self):
        return reverse("results:table", kwargs={"conf": self.conference.slug, "slug": self.slug})

    def get_short_url(self):
        return reverse("results:table-short", kwargs={"conf": self.conference.slug, "number": self.number})


class TableSlugRedirect(models.Model):
    conference = models.ForeignKey(Conference, on_delete=models.CASCADE, related_name="+")
    old_slug = models.SlugField(_("Früheres Kürzel"), max_length=120)
    table = models.ForeignKey(
        ThemeTable, on_delete=models.CASCADE, related_name="slug_redirects", verbose_name=_("Thementisch")
    )

    class Meta:
        verbose_name = _("Weiterleitung eines früheren Kürzels")
        verbose_name_plural = _("Weiterleitungen früherer Kürzel")
        constraints = [
            models.UniqueConstraint(fields=["conference", "old_slug"], name="slug_redirect_unique"),
        ]

    def __str__(self):
        return f"{self.old_slug} → {self.table.slug}"


class TableStation(models.Model):
    """How the document records one station of one table: as text, only as a photo, or not at all."""

    class Status(models.TextChoices):
        TEXT = "text", _("als Text dokumentiert")
        PHOTO = "photo", _("nur als Fotoprotokoll dokumentiert")
        TRANSCRIBED = "transcribed", _("Fotoprotokoll, nachträglich abgeschrieben")
        MISSING = "missing", _("im Dokument nicht enthalten")

    table = models.ForeignKey(
        ThemeTable, on_delete=models.CASCADE, related_name="table_stations", verbose_name=_("Thementisch")
    )
    station = models.ForeignKey(
        Station, on_delete=models.CASCADE, related_name="table_stations", verbose_name=_("Station")
    )
    status = models.CharField(_("Dokumentation"), max_length=20, choices=Status.choices, default=Status.TEXT)
    heading = models.CharField(
        _("Überschrift auf der Folie"),
        max_length=500,
        blank=True,
        help_text=_("Die Frage, wie sie auf der Folie steht."),
    )
    slide = models.PositiveSmallIntegerField(_("Folie"), null=True, blank=True)
    source_line = models.PositiveIntegerField(_("Zeile im Quelldokument"), null=True, blank=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["table", "station__number"]
        verbose_name = _("Station eines Thementischs")
        verbose_name_plural = _("Stationen der Thementische")
        constraints = [
            models.UniqueConstraint(fields=["table", "station"], name="table_station_unique"),
            models.CheckConstraint(
                condition=Q(status__in=["text", "photo", "transcribed", "missing"]), name="table_station_status_valid"
            ),
        ]

    def __str__(self):
        return f"{self.table} – {self.station}"


class CardQuerySet(models.QuerySet):
    def public(self):
        """Cards the public may see: not withdrawn."""
        return self.filter(withdrawn=False)

    def with_corrected(self):
        """Annotate `is_corrected`: a document card whose text differs from the document's (CORRECTED)."""
        return self.annotate(is_corrected=models.ExpressionWrapper(CORRECTED, output_field=models.BooleanField()))

    def for_export(self):
        """The public cards in document order, with `is_corrected`, for the export columns."""
        return (
            self.public()
            .with_corrected()
            .order_by("table__conference__slug", "table__number", "station__number", "position", "pk")
        )


class Card(models.Model):
    class Origin(models.TextChoices):
        DOCUMENT = "document", _("aus dem Dokument")
        ADMIN = "admin", _("von der Redaktion ergänzt")

    table = models.ForeignKey(ThemeTable, on_delete=models.CASCADE, related_name="cards", verbose_name=_("Thementisch"))
    station = models.ForeignKey(Station, on_delete=models.PROTECT, related_name="cards", verbose_name=_("Station"))
    kind = models.CharField(_("Art"), max_length=20, choices=Kind.choices)
    heading = models.CharField(
        _("Überschrift"),
        max_length=500,
        blank=True,
        help_text=_("Die Überschrift, unter der die Karte auf der Folie stand."),
    )
    text = models.TextField(_("Text"))
    original_text = models.TextField(
        _("Originaltext"), blank=True, help_text=_("Der Wortlaut des Dokuments; er wird nie verändert.")
    )
    position = models.PositiveIntegerField(_("Position"), default=0)
    parent = models.ForeignKey(
        "self",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="children",
        verbose_name=_("Übergeordnete Karte"),
    )
    slide = models.PositiveSmallIntegerField(_("Folie"), null=True, blank=True)
    source_line = models.PositiveIntegerField(_("Zeile im Quelldokument"), null=True, blank=True)
    origin = models.CharField(_("Herkunft"), max_length=20, choices=Origin.choices, default=Origin.ADMIN)
    withdrawn = models.BooleanField(_("zurückgezogen"), default=False)
    withdrawn_reason = models.TextField(_("Grund für das Zurückziehen"), blank=True)
    version = models.PositiveIntegerField(_("Version"), default=1, editable=False)

    objects = CardQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["table", "station__number", "position", "pk"]
        verbose_name = _("Karte")
        verbose_name_plural = _("Karten")
        constraints = [
            models.CheckConstraint(
                condition=Q(kind__in=["gut", "hakt", "ziel", "vor-ort", "helfer", "sonstiges"]), name="card_kind_valid"
            ),
            models.CheckConstraint(condition=Q(origin__in=["document", "admin"]), name="card_origin_valid"),
            models.CheckConstraint(condition=~Q(text=""), name="card_text_not_empty"),
        ]
        indexes = [
            models.Index(fields=["table", "station", "position"], name="card_table_order"),
            models.Index(fields=["kind"], name="card_kind"),
        ]

    def __str__(self):
        return self.text if len(self.text) <= 60 else self.text[:59] + "…"

    def get_absolute_url(self):
        return f"{self.table.get_absolute_url()}#karte-{self.pk}"

    @property
    def corrected(self):
        """CORRECTED, for a card in hand."""
        return self.origin == self.Origin.DOCUMENT and self.text != self.original_text


# A card the editors corrected: from the document, and its text no longer the document's.
CORRECTED = Q(origin=Card.Origin.DOCUMENT) & ~Q(text=F("original_text"))


class ClosingItem(models.Model):
    conference = models.ForeignKey(
        Conference, on_delete=models.CASCADE, related_name="closing_items", verbose_name=_("Konferenz")
    )
    position = models.PositiveSmallIntegerField(_("Position"))
    text = models.TextField(_("Text"))
    source_line = models.PositiveIntegerField(_("Zeile im Quelldokument"), null=True, blank=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["conference", "position"]
        verbose_name = _("Punkt des Abschlusses")
        verbose_name_plural = _("Punkte des Abschlusses")
        constraints = [
            models.UniqueConstraint(fields=["conference", "position"], name="closing_position_unique"),
        ]

    def __str__(self):
        return self.text


class Report(models.Model):
    """A reader's report of a mistake in a card, or general feedback."""

    class Status(models.TextChoices):
        OPEN = "open", _("offen")
        CORRECTED = "corrected", _("korrigiert")
        DISMISSED = "dismissed", _("abgelehnt")

    card = models.ForeignKey(
        Card, on_delete=models.SET_NULL, null=True, blank=True, related_name="reports", verbose_name=_("Karte")
    )
    message = models.TextField(_("Nachricht"))
    name = models.CharField(_("Name"), max_length=200, blank=True)
    email = models.EmailField(_("E-Mail-Adresse"), blank=True)
    created_at = models.DateTimeField(_("Eingegangen"), auto_now_add=True)
    status = models.CharField(_("Status"), max_length=20, choices=Status.choices, default=Status.OPEN)
    resolved_at = models.DateTimeField(_("Erledigt am"), null=True, blank=True)
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("Erledigt von"),
    )
    resolution_note = models.TextField(_("Vermerk"), blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("Meldung")
        verbose_name_plural = _("Meldungen")
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=["open", "corrected", "dismissed"]), name="report_status_valid"
            ),
        ]

    def __str__(self):
        return self.message[:60]


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
        Conference,
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
        Conference,
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


class Synonym(models.Model):
    """Words the search treats as one: each finds the others, in both directions."""

    words = models.TextField(
        _("Wörter"),
        help_text=_(
            "Ein Wort oder eine Wendung je Zeile, mindestens zwei. Einzahl, Mehrzahl und Gender-Formen werden "
            "ohnehin zusammengeführt."
        ),
    )
    note = models.TextField(_("Begründung"), blank=True, help_text=_("Welche Karten das Paar verbindet."))

    history = HistoricalRecords()

    class Meta:
        ordering = ["words"]
        verbose_name = _("Synonym")
        verbose_name_plural = _("Synonyme")

    def __str__(self):
        return " = ".join(self.word_list)

    @property
    def word_list(self):
        return [line.strip() for line in self.words.splitlines() if line.strip()]
