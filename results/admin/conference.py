"""The admin of a conference's structure: programme, stations, tables, closing items, glossary, actors."""

from django.conf import settings
from django.contrib import admin, messages
from django.template.defaultfilters import linebreaksbr
from django.utils.html import format_html
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from results.admin.base import HistoryAdmin, cache_choices, kind_order
from results.admin.cards import VersionedCardFormSet
from results.admin.photos import ConferencePhotoInline, StationPhotoInline
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
    list_display = ["title", "date", "city", "slug", "licence"]
    list_filter = ["is_demo", "city"]
    search_fields = ["title", "city", "venue"]
    # The document's text is the reference every card's line points into: never edited here.
    readonly_fields = ["document_text"]
    exclude = ["source_text"]
    inlines = [ConferencePhotoInline]

    @admin.display(description=_("Text des Quelldokuments"))
    def document_text(self, conference):
        # German content, marked as such for screen readers in the English admin.
        return format_html('<div lang="de">{}</div>', linebreaksbr(conference.source_text))

    def changeform_view(self, request, *args, **kwargs):
        if request.method == "GET" and not settings.SITE_OPERATOR:
            messages.warning(
                request,
                gettext(
                    "Der Betreiber des Archivs ist nicht eingetragen (SITE_OPERATOR): Die Metadaten für "
                    "Datenportale nennen keinen Herausgeber."
                ),
            )
        return super().changeform_view(request, *args, **kwargs)


class ConferencePartAdmin(HistoryAdmin):
    """The admin of something that belongs to one conference: listed with it, filtered by it."""

    list_filter = ["conference"]
    list_select_related = ["conference"]


@admin.register(ProgrammeItem)
class ProgrammeItemAdmin(ConferencePartAdmin):
    list_display = ["start", "title", "conference"]
    search_fields = ["title", "speakers"]
    readonly_fields = ["source_line"]


@admin.register(Station)
class StationAdmin(ConferencePartAdmin):
    list_display = ["number", "question", "conference"]
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
class ThemeTableAdmin(ConferencePartAdmin):
    list_display = ["number", "title", "slug", "conference"]
    search_fields = ["title", "slug"]
    readonly_fields = ["source_line"]
    inlines = [TableStationInline, CardInline]

    def get_inlines(self, request, obj):
        # New tables get their cards once they exist: the station choices depend on the conference.
        return self.inlines if obj else []


@admin.register(TableStation)
class TableStationAdmin(HistoryAdmin):
    list_display = ["table", "station", "status"]
    list_filter = ["table__conference", "status", "station__number"]
    search_fields = ["table__title", "heading"]
    list_select_related = ["table", "station"]
    readonly_fields = ["slide", "source_line"]
    inlines = [StationPhotoInline]


@admin.register(ClosingItem)
class ClosingItemAdmin(ConferencePartAdmin):
    list_display = ["position", "text", "conference"]
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
class GlossaryEntryAdmin(ConferencePartAdmin):
    list_display = ["abbreviation", "meaning_summary", "uncertain", "conference"]
    list_filter = ["uncertain", "conference"]
    search_fields = ["abbreviation", "meanings", "note"]
    fields = ["abbreviation", "meanings", "uncertain", "note", "conference"]

    @admin.display(description=_("Bedeutungen"))
    def meaning_summary(self, entry):
        return " · ".join(entry.meaning_list) or "—"


@admin.register(ActorRule)
class ActorRuleAdmin(ConferencePartAdmin):
    list_display = ["name", "alias_summary", "conference"]
    search_fields = ["name", "aliases"]
    fields = ["name", "aliases", "conference"]

    @admin.display(description=_("Andere Schreibweisen"))
    def alias_summary(self, rule):
        return ", ".join(rule.alias_list) or "—"
