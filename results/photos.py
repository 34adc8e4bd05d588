"""
Photos of the flip charts and pin boards: attached to a table's station, or to a conference
for general pictures (such as the theme collection).

Every file goes through the default storage (STORAGES["default"]) under a random name that
never gets other content, so browsers and proxies may keep it for a year. Deleting a photo
keeps its files: its historical records still point at them, and reverting brings it back.
"""

import secrets

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import models
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from results import uploads

PHOTO_FOLDER = "fotos"


class PhotoQuerySet(models.QuerySet):
    def for_pages(self, conference):
        """The conference's photos in order, for the table and station pages."""
        return self.filter(conference=conference).order_by("table_station_id", "position", "pk")


class Photo(models.Model):
    conference = models.ForeignKey(
        "results.Conference",
        on_delete=models.CASCADE,
        blank=True,
        related_name="photos",
        verbose_name=_("Konferenz"),
        help_text=_("Bei einem Foto einer Station die Konferenz der Station (wird von selbst gesetzt)."),
    )
    table_station = models.ForeignKey(
        "results.TableStation",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="photos",
        verbose_name=_("Station eines Thementischs"),
        help_text=_("Leer lassen für ein Foto der ganzen Konferenz (z. B. die Themensammlung)."),
    )
    image = models.FileField(
        _("Foto"),
        max_length=200,
        help_text=_(
            "JPEG, PNG oder WebP. Das Archiv dreht das Foto richtig herum und entfernt alle Metadaten "
            "(z. B. GPS-Position und Seriennummer der Kamera)."
        ),
    )
    alt_text = models.CharField(
        _("Bildbeschreibung (Alternativtext)"),
        max_length=500,
        help_text=_(
            "Was auf dem Foto zu sehen ist, auf Deutsch, für Menschen, die es nicht sehen können, "
            "z. B. „Flipchart mit handschriftlichen Karten zu Station 2“."
        ),
    )
    caption = models.CharField(_("Bildunterschrift"), max_length=500, blank=True)
    position = models.PositiveSmallIntegerField(_("Reihenfolge"), default=0)
    width = models.PositiveIntegerField(_("Breite"), default=0, editable=False)
    height = models.PositiveIntegerField(_("Höhe"), default=0, editable=False)
    # [{"width": 480, "height": 360, "webp": "fotos/….webp", "jpg": "fotos/….jpg"}, ...], narrowest first.
    renditions = models.JSONField(_("Verkleinerungen"), default=list, editable=False)

    objects = PhotoQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["conference", "table_station", "position", "pk"]
        verbose_name = _("Foto")
        verbose_name_plural = _("Fotos")

    def __str__(self):
        return self.alt_text if len(self.alt_text) <= 60 else self.alt_text[:59] + "…"

    def save(self, *args, **kwargs):
        if self.table_station_id is not None and self.conference_id is None:
            self.conference_id = self.table_station.table.conference_id
        if self.image and not self.image._committed:
            prepared = getattr(self, "_prepared", None) or uploads.prepare_photo(self.image)
            self.store(prepared)
            self._prepared = None
        super().save(*args, **kwargs)

    def clean(self):
        if self.table_station_id is not None:
            self.conference_id = self.table_station.table.conference_id
        elif self.conference_id is None:
            raise ValidationError({"conference": _("Bitte eine Konferenz oder eine Station wählen.")})
        if self.image and not self.image._committed:
            try:
                self._prepared = uploads.prepare_photo(self.image)
            except ValidationError as error:
                raise ValidationError({"image": error.messages}) from None

    def store(self, prepared):
        """Write the normalised photo and its renditions under a new random name; the upload itself is never kept."""
        stem = f"{PHOTO_FOLDER}/{secrets.token_hex(8)}"
        self.image.save(f"{stem}.{prepared.extension}", ContentFile(prepared.data), save=False)
        self.width, self.height = prepared.width, prepared.height
        self.renditions = []
        for rendition in prepared.renditions:
            entry = {"width": rendition.width, "height": rendition.height}
            for extension, data in rendition.files.items():
                entry[extension] = default_storage.save(f"{stem}-{rendition.width}.{extension}", ContentFile(data))
            self.renditions.append(entry)

    def file_names(self):
        """Every stored file of this photo: the full image and its renditions."""
        names = [self.image.name] if self.image else []
        for rendition in self.renditions:
            names += [rendition[extension] for extension in ("webp", "jpg") if extension in rendition]
        return names

    @cached_property
    def picture(self):
        """What the <picture> element needs: the srcsets, a fallback and its size, the full image."""
        files = default_storage
        largest = self.renditions[-1] if self.renditions else {"width": self.width, "height": self.height}
        fallback = next((r for r in self.renditions if r["width"] >= 960), largest)
        return {
            "webp": ", ".join(f"{files.url(r['webp'])} {r['width']}w" for r in self.renditions),
            "jpg": ", ".join(f"{files.url(r['jpg'])} {r['width']}w" for r in self.renditions),
            "src": files.url(fallback["jpg"]) if "jpg" in fallback else self.image.url,
            "width": largest["width"],
            "height": largest["height"],
            "full": self.image.url,
        }


def photos_by_station(conference):
    """(the conference's station photos by TableStation id, its general photos), in order: one query."""
    by_station, general = {}, []
    for photo in Photo.objects.for_pages(conference):
        if photo.table_station_id is None:
            general.append(photo)
        else:
            by_station.setdefault(photo.table_station_id, []).append(photo)
    return by_station, general
