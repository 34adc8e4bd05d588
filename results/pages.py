"""The pages BITV 2.0 asks of a public body's site: accessibility statement, Leichte Sprache, imprint."""

import datetime

from django.conf import settings
from django.db.models import Exists, OuterRef, Q
from django.shortcuts import render
from django.views.decorators.http import require_safe

from results.models import Card, Conference, Photo, TableStation

# When the accessibility statement was last reviewed against the site; BITV 2.0
# asks for the date. Change it whenever the statement's text changes.
STATEMENT_REVIEWED = datetime.date(2026, 11, 26)


def site_details():
    """The operator's details from the settings; empty strings where none are configured."""
    return {
        "operator": settings.SITE_OPERATOR,
        "address": settings.SITE_ADDRESS,
        "email": settings.SITE_CONTACT_EMAIL,
        "phone": settings.SITE_CONTACT_PHONE,
        "responsible": settings.SITE_RESPONSIBLE,
    }


@require_safe
def accessibility(request):
    # The statement names the known gap in numbers: stations still only a photo and their photos.
    photo_count, untranscribed_photos = untranscribed()
    return render(
        request,
        "results/accessibility.html",
        {
            "site": site_details(),
            "reviewed": STATEMENT_REVIEWED,
            "photo_count": photo_count,
            "untranscribed_photos": untranscribed_photos,
        },
    )


def untranscribed():
    """(stations documented only as a photo, photos of such stations): a station stops counting once it has cards."""
    has_cards = Exists(Card.objects.public().filter(table=OuterRef("table"), station=OuterRef("station")))
    stations = (
        TableStation.objects.filter(table__conference__is_demo=False)
        .filter(Q(status=TableStation.Status.PHOTO) | Q(Exists(Photo.objects.filter(table_station=OuterRef("pk")))))
        .exclude(has_cards)
    )
    return stations.count(), Photo.objects.filter(table_station__in=stations).count()


@require_safe
def easy_language(request):
    conferences = Conference.objects.filter(is_demo=False).only("slug", "title", "date", "city")
    return render(request, "results/easy_language.html", {"conferences": conferences})


@require_safe
def imprint(request):
    return render(request, "results/imprint.html", {"site": site_details()})
