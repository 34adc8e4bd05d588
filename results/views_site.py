"""The pages around the content: table list, printed signs, QR codes, sitemap, robots.txt, favicon."""

from django.conf import settings
from django.contrib.sitemaps import Sitemap
from django.contrib.sitemaps.views import SitemapIndexItem
from django.http import FileResponse, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_safe

from results import qr
from results.models import Conference, Station, TableStation, ThemeTable
from results.siteurl import absolute_url, local_reach
from results.views import find_table

FAVICON = settings.BASE_DIR / "static" / "favicon.ico"


def sign_context(request, tables):
    """What a printed sign shows of each table: its questions and absolute short link."""
    headings = {
        (ts.table_id, ts.station_id): ts
        for ts in TableStation.objects.filter(table__in=[table.pk for table in tables]).only(
            "table", "station", "status", "heading"
        )
    }
    stations = list(Station.objects.filter(conference__in={table.conference_id for table in tables}))
    for table in tables:
        table.short_url = absolute_url(request, table.get_short_url())
        # Inline: one request prints every sign, with no image to wait for.
        table.qr = qr.qr_svg_inline(table.short_url, _("QR-Code für %(url)s") % {"url": table.short_url})
        table.questions = []
        for station in stations:
            if station.conference_id != table.conference_id:
                continue
            table_station = headings.get((table.pk, station.pk))
            if table_station is None or table_station.status == TableStation.Status.MISSING:
                continue
            table.questions.append({"number": station.number, "text": table_station.heading or station.question})
    return {"tables": tables, "local_reach": local_reach(request)}


def conference_tables(conf):
    """The conference and its tables; the related manager gives them this conference, so their links need no query."""
    conference = get_object_or_404(Conference.objects.defer("source_text"), slug=conf)
    return conference, list(conference.tables.all())


@require_safe
def tables(request, conf):
    conference, tables = conference_tables(conf)
    return render(request, "results/tables.html", {"conference": conference, "tables": tables})


@require_safe
def stations(request, conf):
    conference = get_object_or_404(Conference.objects.only("slug"), slug=conf)
    return redirect(conference.get_absolute_url() + "#stationen")


@require_safe
def table_sign(request, conf, slug):
    table, moved = find_table(conf, slug, "results:table-sign")
    if moved:
        return moved
    context = sign_context(request, [table])
    return render(request, "results/table_sign.html", {**context, "conference": table.conference, "table": table})


@require_safe
def signs(request, conf):
    conference, tables = conference_tables(conf)
    return render(request, "results/signs.html", {**sign_context(request, tables), "conference": conference})


def qr_response(request, conf, slug, url_name, make, content_type):
    table, moved = find_table(conf, slug, url_name)
    if moved:
        return moved
    return HttpResponse(
        make(absolute_url(request, table.get_short_url()), title=table.title), content_type=content_type
    )


@require_safe
def table_qr(request, conf, slug):
    return qr_response(request, conf, slug, "results:table-qr", qr.qr_svg, "image/svg+xml")


@require_safe
def table_qr_png(request, conf, slug):
    return qr_response(request, conf, slug, "results:table-qr-png", qr.qr_png, "image/png")


@require_safe
def robots_txt(request):
    lines = ["User-agent: *", "Allow: /", "", f"Sitemap: {absolute_url(request, reverse('sitemap'))}", ""]
    return HttpResponse("\n".join(lines), content_type="text/plain; charset=utf-8")


@require_safe
@cache_control(max_age=86400, public=True)
def favicon(request):
    return FileResponse(FAVICON.open("rb"), content_type="image/x-icon")


class ArchiveSitemap(Sitemap):
    """Every page in both languages, each with its alternates, on SITE_URL when it is set."""

    i18n = True
    alternates = True
    x_default = True
    # URLs per file (each with its three alternates): well under the protocol's 50,000 URLs and 50 MB.
    limit = 5000

    def get_urls(self, page=1, site=None, protocol=None):
        if settings.SITE_URL:
            protocol, domain = settings.SITE_URL.split("://", 1)
            return self._urls(page, protocol, domain)
        return super().get_urls(page=page, site=site, protocol=protocol)


class PageSitemap(ArchiveSitemap):
    def items(self):
        return ["results:home", "results:accessibility", "results:easy-language", "results:imprint"]

    def location(self, item):
        return reverse(item)


CONFERENCE_PAGES = ["conference", "tables", "cards", "data", "source", "glossary", "actors", "topics"]


class ConferenceSitemap(ArchiveSitemap):
    def items(self):
        return [(slug, name) for slug in Conference.objects.values_list("slug", flat=True) for name in CONFERENCE_PAGES]

    def location(self, item):
        slug, name = item
        return reverse(f"results:{name}", kwargs={"conf": slug})


class TableSitemap(ArchiveSitemap):
    def items(self):
        return ThemeTable.objects.select_related("conference").only("slug", "number", "conference__slug")


class StationSitemap(ArchiveSitemap):
    def items(self):
        return Station.objects.select_related("conference").only("number", "conference__slug")


SITEMAPS = {"pages": PageSitemap, "conferences": ConferenceSitemap, "tables": TableSitemap, "stations": StationSitemap}


@require_safe
def sitemap_index(request):
    """/sitemap.xml: Django's index of the sections and their pages, on SITE_URL as the sections are."""
    items = []
    for section, sitemap_class in SITEMAPS.items():
        url = absolute_url(request, reverse("sitemap-section", kwargs={"section": section}))
        pages = sitemap_class().paginator.num_pages
        items += [SitemapIndexItem(url if page == 1 else f"{url}?p={page}", None) for page in range(1, pages + 1)]
    return TemplateResponse(request, "sitemap_index.xml", {"sitemaps": items}, content_type="application/xml")
