from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from results.models import Card, ClosingItem, Conference, ProgrammeItem, Station, TableStation, ThemeTable


@admin.register(Conference)
class ConferenceAdmin(SimpleHistoryAdmin):
    list_display = ["title", "date", "city", "slug"]
    search_fields = ["title", "city", "venue"]


@admin.register(ProgrammeItem)
class ProgrammeItemAdmin(SimpleHistoryAdmin):
    list_display = ["start", "title", "conference"]
    list_filter = ["conference"]
    list_select_related = ["conference"]
    search_fields = ["title", "speakers"]


@admin.register(Station)
class StationAdmin(SimpleHistoryAdmin):
    list_display = ["number", "question", "conference"]
    list_filter = ["conference"]
    list_select_related = ["conference"]
    search_fields = ["question"]


@admin.register(ThemeTable)
class ThemeTableAdmin(SimpleHistoryAdmin):
    list_display = ["number", "title", "slug", "conference"]
    list_filter = ["conference"]
    list_select_related = ["conference"]
    search_fields = ["title", "slug"]


@admin.register(TableStation)
class TableStationAdmin(SimpleHistoryAdmin):
    list_display = ["table", "station", "status"]
    list_filter = ["status", "station__number", "table__conference"]
    list_select_related = ["table", "station"]


@admin.register(Card)
class CardAdmin(SimpleHistoryAdmin):
    list_display = ["text", "table", "station", "kind", "position"]
    list_filter = ["table__conference", "table", "station__number", "kind", "origin", "withdrawn"]
    list_select_related = ["table", "station"]
    search_fields = ["text", "original_text", "heading"]
    readonly_fields = ["original_text", "source_line", "slide", "origin"]


@admin.register(ClosingItem)
class ClosingItemAdmin(SimpleHistoryAdmin):
    list_display = ["position", "text", "conference"]
    list_filter = ["conference"]
    list_select_related = ["conference"]
