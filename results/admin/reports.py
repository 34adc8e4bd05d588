"""Readers' reports: listed, resolved or dismissed; the reporter's details go once resolved."""

from django.contrib import admin, messages
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.html import format_html
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _

from results.admin.base import ADMIN_CSS
from results.models import Report


@admin.register(Report)
class ReportAdmin(admin.ModelAdmin):
    list_display = ["created_at", "status", "card_link", "message"]
    list_filter = ["status"]
    list_select_related = ["card"]
    search_fields = ["message"]
    fields = [
        "card_link",
        "message",
        "name",
        "email",
        "created_at",
        "status",
        "resolution_note",
        "resolved_at",
        "resolved_by",
        "correction_link",
    ]
    readonly_fields = [
        "card_link",
        "message",
        "name",
        "email",
        "created_at",
        "resolved_at",
        "resolved_by",
        "correction_link",
    ]
    actions = ["mark_corrected", "dismiss"]

    class Media:
        css = ADMIN_CSS

    def has_add_permission(self, request):
        return False

    @admin.display(description=_("Karte"), ordering="card")
    def card_link(self, report):
        if report.card_id is None:
            return gettext("allgemeine Rückmeldung")
        # The card's form, with this report beside it while it is open.
        url = reverse("admin:results_card_change", args=[report.card_id])
        if report.status == Report.Status.OPEN:
            url += f"?meldung={report.pk}"
        return format_html('<a href="{}">{}</a>', url, report.card)

    @admin.display(description=_("Berichtigung"))
    def correction_link(self, report):
        if report.correction_id is None or report.card_id is None:
            return "—"
        url = reverse("admin:results_card_simple_history", args=[report.card_id, report.correction_id])
        when = formats.date_format(timezone.localtime(report.correction.history_date), "DATETIME_FORMAT")
        return format_html('<a href="{}">{}</a>', url, gettext("Fassung vom %(when)s") % {"when": when})

    def save_model(self, request, obj, form, change):
        if obj.status != Report.Status.OPEN and obj.resolved_at is None:
            obj.resolve(obj.status, request.user)
        else:
            super().save_model(request, obj, form, change)

    def _resolve_selected(self, request, queryset, status):
        reports = list(queryset.filter(status=Report.Status.OPEN))
        for report in reports:
            report.resolve(status, request.user)
        self.message_user(
            request,
            ngettext("%(count)d Meldung erledigt.", "%(count)d Meldungen erledigt.", len(reports))
            % {"count": len(reports)},
            messages.SUCCESS,
        )

    @admin.action(description=_("Als korrigiert markieren"), permissions=["change"])
    def mark_corrected(self, request, queryset):
        self._resolve_selected(request, queryset, Report.Status.CORRECTED)

    @admin.action(description=_("Ablehnen"), permissions=["change"])
    def dismiss(self, request, queryset):
        self._resolve_selected(request, queryset, Report.Status.DISMISSED)
