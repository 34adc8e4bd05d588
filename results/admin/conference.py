"""The admin of a conference's structure: programme, stations, tables, closing items, glossary, actors."""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from results.admin.base import HistoryAdmin, cache_choices, kind_order
from results.admin.cards import VersionedCardFormSet, mark_transcribed
from results.forms import VersionedCardForm
from results.models import (
    ActorRule,
    Card,
    ClosingItem,
    Conference,
    GlossaryEntry,
    ProgrammeItem,
    Station,
    TableSlugRedirect,
    TableStation,
    ThemeTable,
)


@admin.register(Conference)
class ConferenceAdmin(HistoryAdmin):
    list_display = ["title", "date", "city", "slug"]
    list_filter = ["is_demo", "city"]
    search_fields = ["title", "city", "venue"]
    # The document's text is the reference every card's line points into: never edited here.
    readonly_fields = ["source_text"]


@admin.register(ProgrammeItem)
class ProgrammeItemAdmin(HistoryAdmin):
    list_display = ["start", "title", "conference"]
    list_filter = ["conference"]
    list_select_related = ["conference"]
    search_fields = ["title", "speakers"]
    readonly_fields = ["source_line"]


@admin.register(Station)
class StationAdmin(HistoryAdmin):
    list_display = ["number", "question", "conference"]
    list_filter = ["conference"]
    list_select_related = ["conference"]
    search_fields = ["question"]


class StationChoicesInline(admin.TabularInline):
    """An inline of a table's rows whose station can only be one of the table's conference."""

    def get_formset(self, request, obj=None, **kwargs):
        formset = super().get_formset(request, obj, **kwargs)
        stations = Station.objects.filter(conference_id=obj.conference_id) if obj else Station.objects.none()
        cache_choices(formset.form, "station", stations)
        return formset


class TableStationInline(StationChoicesInline):
    model = TableStation
    fields = ["station", "status", "heading", "slide", "source_line"]
    readonly_fields = ["slide", "source_line"]
    extra = 0

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("table", "station")


class CardInline(StationChoicesInline):
    model = Card
    form = VersionedCardForm
    formset = VersionedCardFormSet
    fields = ["station", "kind", "heading", "text", "original_text", "position", "origin", "loaded_version"]
    readonly_fields = ["original_text", "origin"]
    extra = 1
    show_change_link = True
    verbose_name_plural = _("Karten (nach Station, Art und Position)")

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .select_related("station")
            .order_by("station__number", kind_order(), "position", "pk")
        )


@admin.register(ThemeTable)
class ThemeTableAdmin(HistoryAdmin):
    list_display = ["number", "title", "slug", "conference"]
    list_filter = ["conference"]
    list_select_related = ["conference"]
    search_fields = ["title", "slug"]
    readonly_fields = ["source_line"]
    inlines = [TableStationInline, CardInline]

    def get_inlines(self, request, obj):
        # New tables get their cards once they exist: the station choices depend on the conference.
        return self.inlines if obj else []

    def save_formset(self, request, form, formset, change):
        instances = formset.save()
        if formset.model is Card:
            for card in instances:
                mark_transcribed(card)


@admin.register(TableStation)
class TableStationAdmin(HistoryAdmin):
    list_display = ["table", "station", "status"]
    list_filter = ["table__conference", "status", "station__number"]
    search_fields = ["table__title", "heading"]
    list_select_related = ["table", "station"]
    readonly_fields = ["slide", "source_line"]


@admin.register(ClosingItem)
class ClosingItemAdmin(HistoryAdmin):
    list_display = ["position", "text", "conference"]
    list_filter = ["conference"]
    list_select_related = ["conference"]
    search_fields = ["text"]
    readonly_fields = ["source_line"]


@admin.register(TableSlugRedirect)
class TableSlugRedirectAdmin(admin.ModelAdmin):
    """Former slugs that keep redirecting; rows are made when a table's slug changes."""

    list_display = ["old_slug", "table", "conference"]
    list_filter = ["conference"]
    list_select_related = ["table", "conference"]
    search_fields = ["old_slug", "table__title"]
    raw_id_fields = ["table"]


@admin.register(GlossaryEntry)
class GlossaryEntryAdmin(HistoryAdmin):
    list_display = ["abbreviation", "meaning_summary", "uncertain", "conference"]
    list_filter = ["uncertain", "conference"]
    list_select_related = ["conference"]
    search_fields = ["abbreviation", "meanings", "note"]
    fields = ["abbreviation", "meanings", "uncertain", "note", "conference"]

    @admin.display(description=_("Bedeutungen"))
    def meaning_summary(self, entry):
        return " · ".join(entry.meaning_list) or "—"


@admin.register(ActorRule)
class ActorRuleAdmin(HistoryAdmin):
    list_display = ["name", "alias_summary", "conference"]
    list_filter = ["conference"]
    list_select_related = ["conference"]
    search_fields = ["name", "aliases"]
    fields = ["name", "aliases", "conference"]

    @admin.display(description=_("Andere Schreibweisen"))
    def alias_summary(self, rule):
        return ", ".join(rule.alias_list) or "—"
