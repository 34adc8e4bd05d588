"""Readers' reports: listed, resolved or dismissed; the reporter's details go once resolved."""

from django.contrib import admin, messages
from django.urls import reverse
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
    ]
    readonly_fields = ["card_link", "message", "name", "email", "created_at", "resolved_at", "resolved_by"]
    actions = ["mark_corrected", "dismiss"]

    class Media:
        css = ADMIN_CSS

    def has_add_permission(self, request):
        return False

    @admin.display(description=_("Karte"), ordering="card")
    def card_link(self, report):
        if report.card_id is None:
            return gettext("allgemeine Rückmeldung")
        return format_html(
            '<a href="{}">{}</a>', reverse("admin:results_card_change", args=[report.card_id]), report.card
        )

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
