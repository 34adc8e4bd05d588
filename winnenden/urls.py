from django.conf import settings
from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.contrib.sitemaps import views as sitemaps_views
from django.urls import include, path

from results import twofactor
from results.health import healthz
from results.views_site import SITEMAPS, favicon, robots_txt, sitemap_index

urlpatterns = [
    # Before the admin's own URLs, whose catch-all would answer these paths.
    path(settings.ADMIN_PATH + "zwei-faktor/", twofactor.verify, name="two-factor"),
    path(settings.ADMIN_PATH + "zwei-faktor/einrichten/", twofactor.setup, name="two-factor-setup"),
    path(settings.ADMIN_PATH, admin.site.urls),
    path("i18n/", include("django.conf.urls.i18n")),
    path("healthz", healthz, name="healthz"),
    # An index of sections, each paginated: a thousand conferences make tens of thousands of URLs.
    path("sitemap.xml", sitemap_index, name="sitemap"),
    path("sitemap-<section>.xml", sitemaps_views.sitemap, {"sitemaps": SITEMAPS}, name="sitemap-section"),
    path("robots.txt", robots_txt, name="robots-txt"),
    path("favicon.ico", favicon, name="favicon"),
]
urlpatterns += i18n_patterns(
    path("", include("results.urls")),
    prefix_default_language=False,
)
