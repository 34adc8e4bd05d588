"""The public "Fehler melden" form: a reader reports a mistake in a card, or sends general feedback."""

import datetime

from django.db import IntegrityError, transaction
from django.db.models import F
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.crypto import salted_hmac
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from results.clientip import client_ip
from results.forms import ReportForm
from results.models import Card, Conference, FormUse, Report, TableStation

RATE_LIMIT = 5
RATE_WINDOW = 60 * 60


def digest(kind, value):
    # Only a keyed hash of an address or token is kept, never the value itself.
    return f"{kind}:{salted_hmac('results.report', value, algorithm='sha256').hexdigest()[:40]}"


def take_quota(address):
    """Count one report from this address in this clock hour; False when it already sent RATE_LIMIT."""
    now = timezone.now()
    hour = int(now.timestamp()) // RATE_WINDOW
    counter = FormUse.objects.get_or_create(
        key=f"{digest('rate', address)}:{hour}",
        defaults={"expires": now + datetime.timedelta(seconds=RATE_WINDOW)},
    )[0]
    # One UPDATE: its row lock makes the check and the increment atomic across all app servers.
    return FormUse.objects.filter(pk=counter.pk, count__lt=RATE_LIMIT).update(count=F("count") + 1) == 1


def use_token(token):
    """Mark a form token as used; False when it was used before (a double click, or a replay)."""
    try:
        with transaction.atomic():
            FormUse.objects.create(
                key=digest("token", token),
                count=1,
                expires=timezone.now() + datetime.timedelta(seconds=ReportForm.MAX_SECONDS),
            )
    except IntegrityError:
        return False
    return True


def save_report(form, card, address):
    """Store a valid report once per token and within the address's quota; False when over the quota."""
    with transaction.atomic():
        if not use_token(form.cleaned_data["token"]):
            return True  # Stored at its first use.
        if not take_quota(address):
            transaction.set_rollback(True)  # The token stays unused for a later try.
            return False
        Report.objects.create(
            card=card,
            message=form.cleaned_data["message"],
            name=form.cleaned_data["name"],
            email=form.cleaned_data["email"],
        )
        FormUse.objects.filter(expires__lt=timezone.now()).delete()
    return True


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


def transcribed_station(conference, query):
    """The table's station that `?tisch=<number>&station=<number>` names (a photo to transcribe), or None."""
    table, station = query.get("tisch", ""), query.get("station", "")
    if conference is None or not (table.isdecimal() and station.isdecimal()):
        return None
    return (
        TableStation.objects.filter(
            table__conference=conference, table__number=int(table), station__number=int(station)
        )
        .select_related("table__conference", "station")
        .first()
    )


def transcription_start(table_station):
    return _("Abschrift des Fotos von Thementisch %(table)s „%(title)s“, Station %(station)s:") % {
        "table": table_station.table.number,
        "title": table_station.table.title,
        "station": table_station.station.number,
    }


@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
def report(request, conf=None):
    conference = get_object_or_404(Conference, slug=conf) if conf is not None else None
    card = reported_card(conference, request.GET.get("karte"))
    table_station = None if card else transcribed_station(conference, request.GET)
    status = 200
    if request.method == "POST":
        form = ReportForm(request.POST)
        # Spam is dropped as if sent; neither it nor a refused form (too fast, invalid) uses up the quota.
        if form.is_valid():
            if form.is_spam or save_report(form, card, client_ip(request)):
                url = reverse("results:report", kwargs={"conf": conf}) if conf else reverse("results:feedback")
                query = f"?karte={card.pk}&gesendet=1" if card else "?gesendet=1"
                return redirect(url + query)
            form.add_error(None, ReportForm.rate_limit_message())
            status = 429
        form.refresh_token()
    elif table_station is not None:
        form = ReportForm(initial={"token": ReportForm.make_token(), "message": transcription_start(table_station)})
    else:
        form = ReportForm()
    context = {
        "conference": conference,
        "card": card,
        "table_station": table_station,
        "form": form,
        "sent": request.method != "POST" and request.GET.get("gesendet") == "1",
    }
    return render(request, "results/report.html", context, status=status)
