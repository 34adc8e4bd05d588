"""The open-data list of a conference's photos (/<conf>/fotos.json), documented on /<conf>/daten/."""

import json
from urllib.parse import urljoin

from django.conf import settings
from django.core.files.storage import default_storage
from django.http import HttpResponse
from django.shortcuts import get_object_or_404
from django.utils import translation
from django.views.decorators.http import require_safe

from results.models import Conference
from results.photos import Photo
from results.siteurl import site_root

# The keys of each photo, in this order (templates/results/data_photos.html explains them).
PHOTO_KEYS = [
    "id",
    "conference",
    "table",
    "table_title",
    "station",
    "position",
    "alt_text",
    "caption",
    "width",
    "height",
    "url",
    "renditions",
    "page",
]


def photo_rows(conference, absolute):
    """One dict per photo of the conference (keys in PHOTO_KEYS order): by table, station and position."""
    photos = Photo.objects.filter(conference=conference).select_related(
        "table_station__table", "table_station__station"
    )
    rows = []
    for photo in photos:
        table_station = photo.table_station
        table = table_station.table if table_station else None
        station = table_station.station.number if table_station else None
        if table is not None:
            table.conference = conference  # get_absolute_url() without a query
        rows.append(
            {
                "id": photo.pk,
                "conference": conference.slug,
                "table": table.number if table else None,
                "table_title": table.title if table else None,
                "station": station,
                "position": photo.position,
                "alt_text": photo.alt_text,
                "caption": photo.caption,
                "width": photo.width,
                "height": photo.height,
                "url": absolute(photo.image.url),
                "renditions": [
                    {
                        "width": rendition["width"],
                        "height": rendition["height"],
                        "webp": absolute(default_storage.url(rendition["webp"])),
                        "jpg": absolute(default_storage.url(rendition["jpg"])),
                    }
                    for rendition in photo.renditions
                ],
                "page": absolute(
                    f"{table.get_absolute_url()}#station-{station}" if table else conference.get_absolute_url()
                ),
            }
        )
    rows.sort(key=lambda row: (row["table"] or 0, row["station"] or 0, row["position"], row["id"]))
    return rows


@require_safe
def photos_json(request, conf):
    conference = get_object_or_404(Conference, slug=conf)
    root = site_root(request)
    # The archive's public address (SITE_URL) and its German pages, as the other open data;
    # urljoin leaves a storage's absolute URLs (S3) as they are.
    with translation.override(settings.LANGUAGE_CODE):
        rows = photo_rows(conference, lambda url: urljoin(root, url))
    response = HttpResponse(content_type="application/json")
    response["Content-Disposition"] = f'attachment; filename="{conference.slug}-fotos.json"'
    json.dump(
        {"conference": conference.slug, "count": len(rows), "photos": rows}, response, ensure_ascii=False, indent=1
    )
    return response
