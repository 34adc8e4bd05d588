"""Readers' reports of mistakes, and what the editors did about them."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class ReportStatus(models.TextChoices):
    OPEN = "open", _("offen")
    CORRECTED = "corrected", _("korrigiert")
    DISMISSED = "dismissed", _("abgelehnt")


class Report(models.Model):
    """A reader's report of a mistake in a card, or general feedback."""

    Status = ReportStatus

    card = models.ForeignKey(
        "results.Card",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="reports",
        verbose_name=_("Karte"),
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
    # The card's history entry of the correction that closed the report.
    correction = models.ForeignKey(
        "results.HistoricalCard",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        db_constraint=False,
        verbose_name=_("Berichtigung"),
    )

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("Meldung")
        verbose_name_plural = _("Meldungen")
        constraints = [
            models.CheckConstraint(condition=Q(status__in=ReportStatus.values), name="report_status_valid"),
        ]

    def __str__(self):
        return self.message[:60]

    def resolve(self, status, user, note=None, correction=None):
        """Close the report as corrected or dismissed; the reporter's name and address are only kept while open."""
        self.status, self.resolved_at, self.resolved_by = status, timezone.now(), user
        if note is not None:
            self.resolution_note = note
        if correction is not None:
            self.correction = correction
        self.name = self.email = ""
        self.save()


class FormUse(models.Model):
    """A count shared by all app servers: reports from one address in one hour, or a form token's one use."""

    key = models.CharField(max_length=100, unique=True)
    count = models.PositiveIntegerField(default=0)
    expires = models.DateTimeField(db_index=True)

    def __str__(self):
        return self.key
