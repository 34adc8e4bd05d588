"""Synonyms for the search, edited like the glossary."""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from results.admin.base import HistoryAdmin
from results.models import Synonym


class JustifiedFilter(admin.SimpleListFilter):
    """Each group should say which cards it connects: find those that do not yet."""

    title = _("Begründung")
    parameter_name = "begruendet"

    def lookups(self, request, model_admin):
        return [("ja", _("vorhanden")), ("nein", _("fehlt"))]

    def queryset(self, request, queryset):
        if self.value() == "ja":
            return queryset.exclude(note="")
        if self.value() == "nein":
            return queryset.filter(note="")
        return queryset


@admin.register(Synonym)
class SynonymAdmin(HistoryAdmin):
    list_display = ["__str__", "note"]
    list_filter = [JustifiedFilter]
    search_fields = ["words", "note"]
