"""The public "Fehler melden" form: a reader reports a mistake in a card, or sends general feedback."""

import hashlib
import logging

from django.conf import settings
from django.core.cache import cache
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from results.clientip import client_ip
from results.forms import ReportForm
from results.models import Card, Conference, Report

logger = logging.getLogger(__name__)

RATE_LIMIT = 5
RATE_WINDOW = 60 * 60


def over_rate_limit(request):
    """Count one submission from this address; True once it made more than RATE_LIMIT within the hour."""
    address = client_ip(request)
    # Only a keyed hash of the address is kept, never the address itself.
    digest = hashlib.sha256(f"{settings.SECRET_KEY}:report:{address}".encode()).hexdigest()
    key = f"report-rate:{digest}"
    try:
        cache.add(key, 0, RATE_WINDOW)
        try:
            count = cache.incr(key)
        except ValueError:  # expired between add and incr
            cache.set(key, 1, RATE_WINDOW)
            count = 1
    except Exception:
        # The cache (Redis) is down: a reader's report matters more than the limit.
        logger.exception("No rate limit for reports: the cache is unavailable")
        return False
    return count > RATE_LIMIT


def reported_card(conference, value):
    """The public card a `?karte=` value names, or None (then it is general feedback)."""
    if conference is None or not (value or "").isdecimal():
        return None
    return (
        Card.objects.public()
        .filter(pk=int(value), table__conference=conference)
        .select_related("table__conference", "station")
        .first()
    )


@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
def report(request, conf=None):
    conference = get_object_or_404(Conference, slug=conf) if conf is not None else None
    card = reported_card(conference, request.GET.get("karte"))
    status = 200
    if request.method == "POST":
        form = ReportForm(request.POST)
        if over_rate_limit(request):
            form.full_clean()
            form.add_error(None, ReportForm.rate_limit_message())
            status = 429
        elif form.is_valid():
            if not form.is_spam:
                Report.objects.create(
                    card=card,
                    message=form.cleaned_data["message"],
                    name=form.cleaned_data["name"],
                    email=form.cleaned_data["email"],
                )
            url = reverse("results:report", kwargs={"conf": conf}) if conf else reverse("results:feedback")
            query = f"?karte={card.pk}&gesendet=1" if card else "?gesendet=1"
            return redirect(url + query)
        form.refresh_token()
    else:
        form = ReportForm()
    context = {
        "conference": conference,
        "card": card,
        "form": form,
        "sent": request.method != "POST" and request.GET.get("gesendet") == "1",
    }
    return render(request, "results/report.html", context, status=status)
