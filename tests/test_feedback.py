"""Readers report mistakes ("Fehler melden"); reports land in the admin queue and are purged when done."""

import datetime
import time
from io import StringIO

import pytest
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from results.forms import ReportForm
from results.models import Report
from tests.factories import make_card, make_world_cafe

pytestmark = pytest.mark.django_db


@pytest.fixture
def card():
    _conference, (table,), (station, *_) = make_world_cafe(cards_per_station=0)
    return make_card(table, station, text="Mehr Sprachkurse")


def report_url(card):
    return reverse("results:report", kwargs={"conf": card.table.conference.slug}) + f"?karte={card.pk}"


def submission(**fields):
    return (
        {"message": "Da fehlt ein Wort.", "name": "", "email": "", "homepage": ""}
        | {"token": ReportForm.make_token(issued=time.time() - 10)}
        | fields
    )


def test_report_form_names_the_card(client, card):
    response = client.get(report_url(card))

    html = response.content.decode()
    assert response.context["card"] == card
    assert "Mehr Sprachkurse" in html
    assert "csrfmiddlewaretoken" in html
    assert response.templates[0].name == "results/report.html"


def test_report_lands_in_the_queue_linked_to_the_card(client, card):
    response = client.post(report_url(card), submission(name="Erika", email="erika@example.org"))

    assert response.status_code == 302
    assert response["Location"] == report_url(card) + "&gesendet=1"
    report = Report.objects.get()
    assert (report.card, report.message, report.name, report.email, report.status) == (
        card,
        "Da fehlt ein Wort.",
        "Erika",
        "erika@example.org",
        "open",
    )
    assert "Vielen Dank" in client.get(response["Location"]).content.decode()


def test_report_form_needs_csrf(card):
    client = Client(enforce_csrf_checks=True)

    response = client.post(report_url(card), submission())

    assert response.status_code == 403
    assert not Report.objects.exists()


def test_general_feedback_without_a_card(client):
    response = client.post(reverse("results:feedback"), submission(message="Die Schrift ist zu klein."))

    assert response["Location"] == reverse("results:feedback") + "?gesendet=1"
    assert list(Report.objects.values_list("card", "message")) == [(None, "Die Schrift ist zu klein.")]


@pytest.mark.parametrize("karte", ["abc", "999999999", "-1", "", "²"])
def test_unknown_card_becomes_general_feedback(client, card, karte):
    url = reverse("results:report", kwargs={"conf": card.table.conference.slug}) + f"?karte={karte}"

    page = client.get(url)
    client.post(url, submission())

    assert (page.status_code, page.context["card"]) == (200, None)
    assert list(Report.objects.values_list("card", flat=True)) == [None]


def test_withdrawn_card_cannot_be_reported_as_such(client, card):
    card.withdrawn, card.withdrawn_reason = True, "Test"
    card.save()

    assert client.get(report_url(card)).context["card"] is None


def test_unknown_conference_is_404(client):
    assert client.get(reverse("results:report", kwargs={"conf": "gibt-es-nicht"})).status_code == 404


def test_honeypot_submission_is_dropped_silently(client, card):
    response = client.post(report_url(card), submission(homepage="http://spam.example"))

    assert response.status_code == 302
    assert not Report.objects.exists()


def test_too_fast_submission_is_refused(client, card):
    response = client.post(report_url(card), submission(token=ReportForm.make_token()))

    assert response.status_code == 200
    assert response.context["form"].errors["token"] == [
        "Das ging sehr schnell. Bitte prüfen Sie Ihre Angaben und senden Sie das Formular noch einmal ab."
    ]
    assert "Das ging sehr schnell" in response.content.decode()
    assert not Report.objects.exists()


@pytest.mark.parametrize(
    "token",
    [
        ReportForm.make_token(issued=time.time() - 2 * 24 * 60 * 60),
        "kaputt",
        "",
    ],
)
def test_old_or_forged_token_is_refused(client, card, token):
    response = client.post(report_url(card), submission(token=token))

    assert response.status_code == 200
    assert not Report.objects.exists()
    assert response.context["form"].data["token"] != token


def test_missing_message_is_an_error_not_a_500(client, card):
    response = client.post(report_url(card), submission(message=""))

    assert response.status_code == 200
    assert response.context["form"].errors["message"] == ["Dieses Feld ist zwingend erforderlich."]


def test_sixth_report_within_an_hour_from_one_address_is_refused(client, card):
    statuses = [client.post(report_url(card), submission()).status_code for _ in range(6)]
    other_address = client.post(report_url(card), submission(), REMOTE_ADDR="192.0.2.9")

    assert statuses == [302] * 5 + [429]
    assert other_address.status_code == 302
    assert Report.objects.count() == 6


def test_a_form_token_is_used_once(client, card):
    sent = submission()

    first, second = client.post(report_url(card), sent), client.post(report_url(card), sent)

    assert (first["Location"], second["Location"]) == (report_url(card) + "&gesendet=1",) * 2
    assert list(Report.objects.values_list("message", flat=True)) == ["Da fehlt ein Wort."]


def test_refused_submissions_do_not_use_up_the_quota(client, card):
    refused = [
        *(submission(token=ReportForm.make_token()) for _ in range(3)),  # too fast
        *(submission(homepage="http://spam.example") for _ in range(3)),  # the honeypot
        *(submission(message="") for _ in range(3)),  # invalid
    ]
    for data in refused:
        client.post(report_url(card), data)

    statuses = [client.post(report_url(card), submission(message=f"Meldung {n}")).status_code for n in range(6)]

    assert statuses == [302] * 5 + [429]
    assert sorted(Report.objects.values_list("message", flat=True)) == [f"Meldung {n}" for n in range(5)]


def test_refused_sixth_report_keeps_its_token_for_a_later_try(client, card):
    for _ in range(5):
        client.post(report_url(card), submission())
    sixth = submission(message="Die sechste Meldung")

    refused = client.post(report_url(card), sixth)

    assert refused.status_code == 429
    assert "Von Ihrer Adresse kamen in der letzten Stunde schon viele Meldungen" in refused.content.decode()
    later = client.post(report_url(card), sixth, REMOTE_ADDR="192.0.2.9")
    assert later.status_code == 302
    assert Report.objects.filter(message="Die sechste Meldung").count() == 1


def test_report_page_query_count(client, card, django_assert_num_queries):
    with django_assert_num_queries(2):
        client.get(report_url(card))


def test_report_link_on_the_table_page_opens_the_form(client, card):
    html = client.get(card.table.get_absolute_url()).content.decode()

    assert f'href="{report_url(card)}"' in html


@pytest.mark.parametrize("count", [1, 3])
def test_report_queue_query_count_is_constant(admin_client, django_assert_num_queries, card, count):
    for index in range(count):
        Report.objects.create(card=card, message=f"Meldung {index}")
    Report.objects.create(message="Allgemein")
    url = reverse("admin:results_report_changelist")
    admin_client.get(url)

    with django_assert_num_queries(5):
        response = admin_client.get(url)

    assert response.context["cl"].result_count == count + 1
    assert reverse("admin:results_card_change", args=[card.pk]) in response.content.decode()


@pytest.mark.parametrize(("action", "status"), [("mark_corrected", "corrected"), ("dismiss", "dismissed")])
def test_resolving_a_report_forgets_the_reporter(admin_client, admin_user, card, action, status):
    report = Report.objects.create(card=card, message="Tippfehler", name="Erika", email="erika@example.org")

    admin_client.post(reverse("admin:results_report_changelist"), {"action": action, "_selected_action": [report.pk]})

    report.refresh_from_db()
    assert (report.status, report.name, report.email, report.resolved_by) == (status, "", "", admin_user)
    assert report.resolved_at is not None


def test_resolving_on_the_change_page_forgets_the_reporter(admin_client, card):
    report = Report.objects.create(card=card, message="Tippfehler", name="Erika", email="erika@example.org")

    response = admin_client.post(
        reverse("admin:results_report_change", args=[report.pk]),
        {"status": "dismissed", "resolution_note": "Steht so im Dokument."},
    )

    assert response.status_code == 302
    report.refresh_from_db()
    assert (report.status, report.name, report.email, report.resolution_note) == (
        "dismissed",
        "",
        "",
        "Steht so im Dokument.",
    )


def test_purge_reports_deletes_resolved_reports_after_90_days(card):
    now = timezone.now()
    days = datetime.timedelta
    old = Report.objects.create(card=card, message="alt", status="corrected", resolved_at=now - days(91))
    recent = Report.objects.create(
        card=card, message="neu", status="dismissed", resolved_at=now - datetime.timedelta(5)
    )
    still_open = Report.objects.create(card=card, message="offen")
    Report.objects.filter(pk=still_open.pk).update(created_at=now - days(400))
    out = StringIO()

    call_command("purge_reports", stdout=out)

    assert set(Report.objects.values_list("pk", flat=True)) == {recent.pk, still_open.pk}
    assert not Report.objects.filter(pk=old.pk).exists()
    assert out.getvalue() == "Deleted 1 resolved report(s) older than 90 days.\n"


def test_report_is_kept_while_the_cache_is_down(client, card, settings):
    settings.CACHES = settings.CACHES | {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": "redis://127.0.0.1:1/0",
            "OPTIONS": {"socket_connect_timeout": 0.2, "socket_timeout": 0.2},
        }
    }

    response = client.post(report_url(card), submission(message="Trotz Ausfall gemeldet."))

    assert response.status_code == 302
    assert Report.objects.filter(message="Trotz Ausfall gemeldet.", card=card).exists()


def test_rate_limit_behind_a_proxy_counts_each_reader_apart(client, card, settings):
    settings.PROXY_COUNT = settings.AXES_IPWARE_PROXY_COUNT = 1  # what DJANGO_PROXY_COUNT=1 sets, then and now
    first_reader = [
        client.post(report_url(card), submission(), HTTP_X_FORWARDED_FOR="198.51.100.1").status_code for _ in range(6)
    ]
    second_reader = client.post(report_url(card), submission(), HTTP_X_FORWARDED_FOR="198.51.100.2")

    assert first_reader == [302] * 5 + [429]
    assert second_reader.status_code == 302
    assert Report.objects.count() == 6
