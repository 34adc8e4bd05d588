"""The admin of photos: on their own, and as inlines of a table's station and of a conference."""

from django.contrib import admin
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from results.admin.base import HistoryAdmin
from results.photos import Photo

PHOTO_FIELDS = ["image", "preview", "alt_text", "caption", "position"]


@admin.display(description=_("Vorschau"))
def preview(photo):
    if not photo.pk or not photo.renditions:
        return "—"
    return format_html(
        '<a href="{}"><img src="{}" width="160" alt="{}"></a>',
        photo.image.url,
        photo.picture["src"],
        photo.alt_text,
    )


class PhotoInlineBase(admin.StackedInline):
    model = Photo
    fields = PHOTO_FIELDS
    readonly_fields = ["preview"]
    # Several photos at once: each with its own alternative text.
    extra = 3
    preview = staticmethod(preview)


class StationPhotoInline(PhotoInlineBase):
    fk_name = "table_station"
    verbose_name_plural = _("Fotos dieser Station (Flipcharts, Pinnwände)")


class ConferencePhotoInline(PhotoInlineBase):
    fk_name = "conference"
    extra = 1
    verbose_name_plural = _("Fotos der ganzen Konferenz (z. B. die Themensammlung)")

    def get_queryset(self, request):
        # The stations' photos are edited with their station.
        return super().get_queryset(request).filter(table_station=None)


@admin.register(Photo)
class PhotoAdmin(HistoryAdmin):
    list_display = ["__str__", "table_station", "position", "conference"]
    list_filter = ["conference"]
    list_select_related = ["conference", "table_station__table", "table_station__station"]
    search_fields = ["alt_text", "caption"]
    fields = ["conference", "table_station", *PHOTO_FIELDS, "width", "height"]
    readonly_fields = ["preview", "width", "height"]
    autocomplete_fields = ["table_station"]
    preview = staticmethod(preview)
