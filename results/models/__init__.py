from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Count, F, Q
from django.urls import reverse
from django.utils.text import Truncator
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

# The archive's models are here; these two concerns have modules of their own.
from results.models.insights import ActorRule, GlossaryEntry  # noqa: F401
from results.models.reports import FormUse, Report  # noqa: F401
from results.text import german_slugify
from results.uploads import validate_pdf


class Kind(models.TextChoices):
    GUT = "gut", _("Was läuft gut?")
    HAKT = "hakt", _("Wo hakt es?")
    ZIEL = "ziel", _("Ziele: Was soll ein gutes Integrationsmanagement leisten?")
    VOR_ORT = "vor-ort", _("Was können wir vor Ort ändern?")
    HELFER = "helfer", _("Wer kann helfen?")
    SONSTIGES = "sonstiges", _("Eigene Überschrift")


class Licence(models.TextChoices):
    """The open-data licences a conference's data can be published under; values are SPDX identifiers."""

    NONE = "", _("keine Angabe")
    DL_DE_BY = "DL-DE-BY-2.0", _("Datenlizenz Deutschland – Namensnennung – Version 2.0 (dl-de/by-2-0)")
    DL_DE_ZERO = "DL-DE-ZERO-2.0", _("Datenlizenz Deutschland – Zero – Version 2.0 (dl-de/zero-2-0)")
    CC_BY = "CC-BY-4.0", _("Creative Commons Namensnennung 4.0 International (CC BY 4.0)")
    CC0 = "CC0-1.0", _("Creative Commons Zero 1.0 Universell (CC0 1.0)")


# The choices of TableStation and Card live here rather than nested in their
# models, so that each model's Meta can build its check constraint from them.
class StationStatus(models.TextChoices):
    TEXT = "text", _("als Text dokumentiert")
    PHOTO = "photo", _("nur als Fotoprotokoll dokumentiert")
    TRANSCRIBED = "transcribed", _("Fotoprotokoll, nachträglich abgeschrieben")
    MISSING = "missing", _("im Dokument nicht enthalten")


class CardOrigin(models.TextChoices):
    DOCUMENT = "document", _("aus dem Dokument")
    ADMIN = "admin", _("von der Redaktion ergänzt")


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
    source_pdf = models.FileField(
        _("Originaldokument (PDF)"),
        upload_to="quellen/",
        max_length=200,
        blank=True,
        validators=[validate_pdf],
        help_text=_("Die Dokumentation als PDF, wie sie veröffentlicht wurde; die Seite „Quelle“ verlinkt sie."),
    )
    licence = models.CharField(
        _("Lizenz"),
        max_length=200,
        blank=True,
        default="",
        choices=Licence.choices,
        help_text=_("„keine Angabe“, solange keine Lizenz bekannt ist: Die Seiten sagen das dann ausdrücklich."),
    )
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

    Status = StationStatus

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
            models.CheckConstraint(condition=Q(status__in=StationStatus.values), name="table_station_status_valid"),
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
    Origin = CardOrigin

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
            models.CheckConstraint(condition=Q(kind__in=Kind.values), name="card_kind_valid"),
            models.CheckConstraint(condition=Q(origin__in=CardOrigin.values), name="card_origin_valid"),
            models.CheckConstraint(condition=~Q(text=""), name="card_text_not_empty"),
        ]
        indexes = [
            models.Index(fields=["table", "station", "position"], name="card_table_order"),
            models.Index(fields=["kind"], name="card_kind"),
        ]

    def __str__(self):
        return self.text if len(self.text) <= 60 else self.text[:59] + "…"

    def save(self, *args, **kwargs):
        self.clean()
        super().save(*args, **kwargs)
        # A card at a station the document has only as a photo (or not at all) is its transcription.
        table_station, _created = TableStation.objects.get_or_create(
            table_id=self.table_id, station_id=self.station_id, defaults={"status": StationStatus.TRANSCRIBED}
        )
        if table_station.status in {StationStatus.PHOTO, StationStatus.MISSING}:
            table_station.status = StationStatus.TRANSCRIBED
            table_station.save(update_fields=["status"])

    def get_absolute_url(self):
        return f"{self.table.get_absolute_url()}#karte-{self.pk}"

    def clean(self):
        # Also called by save(): no way of saving a card, admin form or ORM, may skip these rules.
        errors = {}
        if self.withdrawn and not self.withdrawn_reason.strip():
            message = gettext("Bitte geben Sie einen Grund für das Zurückziehen an.")
            errors["withdrawn_reason"] = ValidationError(message, code="reason_required")
        # Unset when the form's own field was invalid; the form reports that already.
        if self.table_id and self.station_id and self.station.conference_id != self.table.conference_id:
            message = gettext("Die Station gehört zu einer anderen Konferenz als der Thementisch.")
            errors["station"] = ValidationError(message, code="station_of_another_conference")
        if self.parent_id and (self.parent.table_id, self.parent.station_id) != (self.table_id, self.station_id):
            # The same words as the spreadsheet import's check of its rows (results/spreadsheet.py).
            message = gettext("Die übergeordnete Karte steht an einem anderen Tisch oder bei einer anderen Station.")
            errors["parent"] = ValidationError(message, code="parent_elsewhere")
        if errors:
            raise ValidationError(errors)

    def withdraw(self, reason, change_reason=None):
        """Take the card off the public pages; the reason (required) is kept in withdrawn_reason and its history."""
        self.withdrawn, self.withdrawn_reason = True, reason
        # The history's change reason holds 100 characters; the whole reason stays in withdrawn_reason.
        limit = self.history.model._meta.get_field("history_change_reason").max_length
        self._save_publication(change_reason or Truncator(reason).chars(limit))

    def republish(self):
        self.withdrawn, self.withdrawn_reason = False, ""
        self._save_publication(gettext("wieder veröffentlicht"))

    def _save_publication(self, change_reason):
        self._change_reason = change_reason
        self.version += 1  # an admin form loaded before this change must not save over it
        # The text stays, so its search terms need no rebuilding (results/signals.py).
        self.save(update_fields=["withdrawn", "withdrawn_reason", "version"])

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


# The photos live in their own module (model, storage of the renditions); imported here so that
# Django finds the model where it looks for the app's models.
from results.photos import Photo  # noqa: E402, F401
