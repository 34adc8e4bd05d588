"""Admin for the glossary and the actor rules: data the editors curate, loaded once by the migration."""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from results.admin import HistoryAdmin
from results.models import ActorRule, GlossaryEntry


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
