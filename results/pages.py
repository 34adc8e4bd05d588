"""The pages BITV 2.0 asks of a public body's site: accessibility statement, Leichte Sprache, imprint."""

import datetime

from django.conf import settings
from django.shortcuts import render
from django.views.decorators.http import require_safe

from results.models import Conference, TableStation

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
    # The statement names the known gap in numbers: stations still only a photo.
    photo_count = TableStation.objects.filter(
        status=TableStation.Status.PHOTO, table__conference__is_demo=False
    ).count()
    return render(
        request,
        "results/accessibility.html",
        {"site": site_details(), "reviewed": STATEMENT_REVIEWED, "photo_count": photo_count},
    )


@require_safe
def easy_language(request):
    conferences = Conference.objects.filter(is_demo=False).only("slug", "title", "date", "city")
    return render(request, "results/easy_language.html", {"conferences": conferences})


@require_safe
def imprint(request):
    return render(request, "results/imprint.html", {"site": site_details()})
