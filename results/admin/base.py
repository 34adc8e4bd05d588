"""What every admin page of the archive shares: history with word diffs, the kind order, cached choices."""

from django.db.models import Case, IntegerField, Value, When
from simple_history.admin import SimpleHistoryAdmin
from simple_history.template_utils import HistoricalRecordContextHelper

from results.models import Kind
from results.text import word_diff

ADMIN_CSS = {"all": ["css/admin.css"]}


def kind_order():
    """Sort cards by kind in the order the document uses, not alphabetically."""
    return Case(
        *(When(kind=code, then=Value(index)) for index, code in enumerate(Kind.values)), output_field=IntegerField()
    )


def cache_choices(form_class, name, queryset):
    """Evaluate a foreign key's choices once per formset instead of once per inline form."""
    field = form_class.base_fields.get(name)
    if field is not None:
        field.choices = [("", field.empty_label or "---------"), *((obj.pk, str(obj)) for obj in queryset)]


class CardHistoryContextHelper(HistoricalRecordContextHelper):
    """Show text changes in the history word by word instead of as two shortened strings."""

    def stringify_delta_change_values(self, change, old, new):
        if change.field in {"text", "heading", "withdrawn_reason"}:
            return word_diff(str(old or ""), str(new or ""))
        return super().stringify_delta_change_values(change, old, new)


class HistoryAdmin(SimpleHistoryAdmin):
    object_history_list_template = "admin/results/object_history_list.html"

    class Media:
        css = ADMIN_CSS
