"""The card admin: corrections with version checks, withdrawing, and bringing back deleted cards."""

from functools import partial

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.actions import delete_selected as django_delete_selected
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.forms.models import BaseInlineFormSet
from django.http import HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import format_html
from django.utils.text import Truncator
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _

from results import import_template
from results.admin import imports
from results.admin.base import CardHistoryContextHelper, HistoryAdmin
from results.forms import VersionedCardForm, WithdrawForm, last_change
from results.models import Card, Report, Station, ThemeTable
from results.text import word_diff


def changed_since_loaded(loaded):
    """
    The cards of `loaded` ({pk: the version the editor saw}) that changed since, as deleting must not
    remove a change nobody has seen. Call it in a transaction: the other cards stay locked until it commits.
    """
    cards = Card.objects.filter(pk__in=loaded).select_for_update().only("pk", "version", "text")
    return [card for card in cards if str(card.version) != str(loaded[card.pk])]


def not_deleted_message(card):
    """The German message for a delete refused because the card changed after the editor saw it."""
    return gettext(
        "Die Karte „%(text)s“ wurde inzwischen von %(who)s geändert (%(when)s) und deshalb nicht gelöscht. "
        "Bitte sehen Sie sich die Änderung an und löschen Sie die Karte dann erneut, wenn sie weg soll."
    ) % {"text": card.text, **last_change(card)}


class VersionedCardFormSet(BaseInlineFormSet):
    """A table's card inline that deletes a card only at the version the editor loaded."""

    def clean(self):
        super().clean()
        loaded = {
            form.instance.pk: form.cleaned_data.get("loaded_version")
            for form in self.forms
            if form.instance.pk is not None and self._should_delete_form(form)
        }
        # The admin saves in a transaction, which keeps the checked cards locked until they are deleted.
        changed = changed_since_loaded(loaded) if loaded else []
        if changed:
            raise forms.ValidationError([not_deleted_message(card) for card in changed], code="conflict")


class CorrectedFilter(admin.SimpleListFilter):
    title = _("berichtigt")
    parameter_name = "berichtigt"

    def lookups(self, request, model_admin):
        return [("ja", _("ja")), ("nein", _("nein"))]

    def queryset(self, request, queryset):
        if self.value() == "ja":
            return queryset.filter(is_corrected=True)
        if self.value() == "nein":
            return queryset.filter(is_corrected=False)
        return queryset


class StationNumberFilter(admin.SimpleListFilter):
    title = _("Station")
    parameter_name = "station"

    def lookups(self, request, model_admin):
        numbers = Station.objects.order_by("number").values_list("number", flat=True).distinct()
        return [(str(number), gettext("Station %(number)s") % {"number": number}) for number in numbers]

    def queryset(self, request, queryset):
        if self.value() and self.value().isdecimal():
            return queryset.filter(station__number=int(self.value()))
        return queryset


@admin.register(Card)
class CardAdmin(HistoryAdmin):
    form = VersionedCardForm
    list_display = ["short_text", "table_number", "station_number", "kind", "position", "is_corrected", "withdrawn"]
    list_filter = [
        "table__conference",
        "table",
        StationNumberFilter,
        "kind",
        CorrectedFilter,
        "origin",
        "withdrawn",
    ]
    list_select_related = ["table", "station"]
    search_fields = ["text", "original_text", "heading"]
    raw_id_fields = ["parent"]
    readonly_fields = ["comparison", "original_text", "origin", "slide", "source_line", "version"]
    fieldsets = [
        (None, {"fields": ["table", "station", "kind", "heading", "position", "parent"]}),
        (_("Text"), {"fields": ["text", "change_reason", "comparison", "original_text", "loaded_version"]}),
        (_("Veröffentlichung"), {"fields": ["withdrawn", "withdrawn_reason"]}),
        (_("Herkunft"), {"fields": ["origin", "slide", "source_line", "version"]}),
    ]
    actions = ["delete_selected", "withdraw", "republish"]
    change_list_template = "admin/results/card/change_list.html"

    def get_queryset(self, request):
        return super().get_queryset(request).with_corrected()

    # The list fits 1280 px: the text shortened, table and station as numbers (the table's title on hover).
    @admin.display(description=_("Text"), ordering="text")
    def short_text(self, card):
        return Truncator(card.text).chars(110)

    @admin.display(description=_("Tisch"), ordering="table__number")
    def table_number(self, card):
        return format_html('<span title="{}">{}</span>', card.table.title, card.table.number)

    @admin.display(description=_("Station"), ordering="station__number")
    def station_number(self, card):
        return card.station.number

    @admin.display(description=_("berichtigt"), boolean=True, ordering="is_corrected")
    def is_corrected(self, card):
        return card.is_corrected

    @admin.display(description=_("Vergleich mit dem Dokument"))
    def comparison(self, card):
        if card.pk is None or card.origin != Card.Origin.DOCUMENT:
            return gettext("Von der Redaktion ergänzt: Es gibt keinen Originaltext.")
        original, current = word_diff(card.original_text, card.text)
        return format_html(
            '<div class="diff"><div><h4>{}</h4><p>{}</p></div><div><h4>{}</h4><p>{}</p></div></div>',
            gettext("Original im Dokument"),
            original,
            gettext("Aktueller Text"),
            current,
        )

    def get_historical_record_context_helper(self, request, historical_record):
        return CardHistoryContextHelper(self.model, historical_record)

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        request.reverting_card = True
        return super().history_form_view(request, object_id, version_id, extra_context)

    def get_form(self, request, obj=None, **kwargs):
        form = super().get_form(request, obj, **kwargs)
        if getattr(request, "reverting_card", False) and obj is not None:
            # An earlier version carries its old version number: the form was loaded at the current one.
            current = Card.objects.filter(pk=obj.pk).values_list("version", flat=True).first()
            form = type(form.__name__, (form,), {"current_version": current})
        return form

    def change_view(self, request, object_id, form_url="", extra_context=None):
        # Opened from a reader's report (?meldung=ID): the report stands beside the form, and saving can close it.
        report_id = request.POST.get("meldung") or request.GET.get("meldung") or ""
        report = (
            Report.objects.filter(pk=report_id, card_id=unquote(object_id), status=Report.Status.OPEN).first()
            if report_id.isdecimal()
            else None
        )
        request.report = report
        return super().change_view(request, object_id, form_url, {**(extra_context or {}), "report": report})

    def save_model(self, request, obj, form, change):
        obj._change_reason = form.cleaned_data.get("change_reason") or None
        super().save_model(request, obj, form, change)
        report = getattr(request, "report", None)
        if report is not None and request.POST.get("meldung_erledigt"):
            report.resolve(
                Report.Status.CORRECTED,
                request.user,
                note=request.POST.get("meldung_vermerk", "").strip(),
                correction=obj.history.first(),
            )

    def delete_view(self, request, object_id, extra_context=None):
        card = self.get_object(request, unquote(object_id))
        # The confirmation page sends back the version it showed (templates/admin/results/card/).
        extra_context = {**(extra_context or {}), "card": card}
        if card is None or request.method != "POST":
            return super().delete_view(request, object_id, extra_context)
        with transaction.atomic():
            changed = changed_since_loaded({card.pk: request.POST.get("loaded_version")})
            if not changed:
                return super().delete_view(request, object_id, extra_context)
        self.message_user(request, not_deleted_message(changed[0]), messages.ERROR)
        return HttpResponseRedirect(reverse("admin:results_card_change", args=[card.pk]))

    @admin.action(description=django_delete_selected.short_description, permissions=["delete"])
    def delete_selected(self, request, queryset):
        """Django's bulk delete, refused when a card changed after its confirmation page was shown."""
        if not request.POST.get("post"):
            return django_delete_selected(self, request, queryset)
        with transaction.atomic():
            loaded = {pk: request.POST.get(f"version-{pk}") for pk in queryset.values_list("pk", flat=True)}
            changed = changed_since_loaded(loaded)
            if not changed:
                return django_delete_selected(self, request, queryset)
        for card in changed:
            self.message_user(request, not_deleted_message(card), messages.ERROR)
        return None

    @admin.action(description=_("Ausgewählte Karten zurückziehen (nicht mehr öffentlich)"), permissions=["change"])
    def withdraw(self, request, queryset):
        form = WithdrawForm(request.POST if "apply" in request.POST else None)
        if not form.is_valid():
            return self.render_page(
                request,
                "withdraw.html",
                gettext("Karten zurückziehen"),
                cards=queryset.select_related("table", "station"),
                form=form,
                action_checkbox_name=ACTION_CHECKBOX_NAME,
                media=self.media + form.media,
            )
        with transaction.atomic():
            cards = list(queryset.select_for_update())
            for card in cards:
                card.withdraw(form.cleaned_data["reason"])
        message = ngettext("%(count)d Karte wurde zurückgezogen.", "%(count)d Karten wurden zurückgezogen.", len(cards))
        self.message_user(request, message % {"count": len(cards)}, messages.SUCCESS)

    @admin.action(description=_("Ausgewählte Karten wieder veröffentlichen"), permissions=["change"])
    def republish(self, request, queryset):
        with transaction.atomic():
            cards = list(queryset.filter(withdrawn=True).select_for_update())
            for card in cards:
                card.republish()
        message = ngettext(
            "%(count)d Karte ist wieder öffentlich.", "%(count)d Karten sind wieder öffentlich.", len(cards)
        )
        self.message_user(request, message % {"count": len(cards)}, messages.SUCCESS)

    def get_urls(self):
        return [
            path("geloescht/", self.admin_site.admin_view(self.deleted_view), name="results_card_deleted"),
            path(
                "importieren/",
                self.admin_site.admin_view(partial(imports.import_view, self)),
                name="results_card_import",
            ),
            path(
                "importieren/vorlage.xlsx",
                self.admin_site.admin_view(import_template.template_view),
                name="results_card_import_template",
            ),
            *super().get_urls(),
        ]

    def render_page(self, request, template, title, **context):
        """One of the card admin's own pages, shaped by templates/admin/results/card/card_page.html."""
        context = {**self.admin_site.each_context(request), "title": title, "opts": self.model._meta, **context}
        context.setdefault("media", self.media)
        return TemplateResponse(request, f"admin/results/card/{template}", context)

    def deleted_view(self, request):
        """Deleted cards, from their history, each with a button that brings it back under its old id."""
        if not (self.has_view_history_permission(request) and self.has_add_permission(request)):
            raise PermissionDenied
        if request.method == "POST":
            return self.restore_deleted(request)
        records = (
            Card.history.filter(history_type="-")
            .exclude(id__in=Card.objects.values("pk"))
            .select_related("history_user", "table")
            .order_by("history_date")
        )
        # The last deletion of each card, the most recent first.
        latest = {record.id: record for record in records}
        deleted = sorted(latest.values(), key=lambda record: record.history_date, reverse=True)
        return self.render_page(request, "deleted.html", gettext("Gelöschte Karten"), records=deleted)

    def restore_deleted(self, request):
        history_id = request.POST.get("history_id", "")
        record = (
            Card.history.filter(history_type="-", history_id=history_id).first() if history_id.isdecimal() else None
        )
        if record is None or Card.objects.filter(pk=record.id).exists():
            error = gettext("Diese Karte kann nicht wiederhergestellt werden.")
        elif not ThemeTable.objects.filter(pk=record.table_id).exists():
            error = gettext("Der Thementisch dieser Karte existiert nicht mehr; stellen Sie ihn zuerst wieder her.")
        elif not Station.objects.filter(pk=record.station_id).exists():
            error = gettext("Die Station dieser Karte existiert nicht mehr; stellen Sie sie zuerst wieder her.")
        else:
            card = record.instance
            if card.parent_id and not Card.objects.filter(pk=card.parent_id).exists():
                card.parent = None
            card._change_reason = gettext("gelöschte Karte wiederhergestellt")
            try:
                with transaction.atomic():
                    card.save(force_insert=True)
            except ValidationError as invalid:
                error = " ".join(invalid.messages)
            else:
                message = format_html(gettext("Die Karte „{}“ ist wiederhergestellt."), card)
                self.message_user(request, message, messages.SUCCESS)
                return HttpResponseRedirect(reverse("admin:results_card_change", args=[card.pk]))
        self.message_user(request, error, messages.ERROR)
        return HttpResponseRedirect(request.path)
