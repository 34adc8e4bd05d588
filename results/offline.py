"""
An offline copy of one conference's public pages: a zip of static files that
opens from disk (file://) with relative links, as pretalx exports schedules.

The pages are rendered the way a browser gets them (Django's test Client,
through every middleware), starting at the conference page and following its
links. What needs a server (the filtered card list, the search, the report
form) is left out: forms become a note, links to those pages lead to a page
that explains why. Every page says when the copy was made.
"""

import posixpath
import re
import zipfile
from dataclasses import dataclass, field
from html import unescape
from urllib.parse import unquote, urlsplit

from django.conf import settings
from django.contrib.staticfiles import finders
from django.core.files.storage import default_storage
from django.template.loader import render_to_string
from django.test import Client
from django.test.utils import override_settings
from django.urls import Resolver404, resolve, reverse
from django.utils import formats, translation
from django.utils.html import escape
from django.utils.translation import gettext as _

from results.models import ThemeTable

# The routes a copy contains; they answer GET without a server-side state.
# fmt: off
PAGES = {
    "conference", "tables", "table", "table-qr", "table-qr-png", "table-sign", "signs", "station", "data", "source",
    "glossary", "actors", "topics",
    "changes", "cards-csv", "cards-excel-csv", "cards-json", "photos-json", "cards-xlsx", "data-template",
    "glossary-csv", "glossary-excel-csv", "glossary-json", "actors-csv", "actors-excel-csv", "actors-json",
    "accessibility", "easy-language", "imprint",
}
# fmt: on
SEEDS = ["glossary", "actors", "topics", "data", "source"]
NOTE_FILE = "offline.html"
# Alternate language versions are online only.
_ALTERNATE = re.compile(r'<link rel="alternate"[^>]*>\n?')
_LINK = re.compile(r'(?P<attr>\b(?:href|src))="(?P<url>[^"]*)"')
_SRCSET = re.compile(r'\bsrcset="([^"]*)"')
_FORM = re.compile(r"<form\b.*?</form>", re.S)
_MAIN = re.compile(r"<main\b")


@dataclass
class OfflineCopy:
    conference: object
    base_url: str
    made_at: object
    files: dict = field(default_factory=dict)  # local path -> bytes
    queue: list = field(default_factory=list)

    def __post_init__(self):
        parts = urlsplit(self.base_url)
        self.host = parts.netloc
        self.secure = parts.scheme == "https"
        self.client = Client(HTTP_HOST=self.host)
        self.prefix = f"/{self.conference.slug}/"
        self.made_label = formats.date_format(self.made_at, "DATETIME_FORMAT")
        self.sources = {}  # local path -> the path it is rendered from

    def local_path(self, path):
        """Where the page at path lies in the copy, or None when the copy cannot hold it."""
        if path.startswith(settings.STATIC_URL):
            return "static/" + path.removeprefix(settings.STATIC_URL)
        if path.startswith(settings.MEDIA_URL):
            # Photos and the original PDF, read from the storage (results/media.py serves them online).
            return "media/" + path.removeprefix(settings.MEDIA_URL)
        if path == "/":
            return "index.html"
        if translation.get_language_from_path(path):
            # The English interface is online only; the copy is the German one.
            return None
        try:
            match = resolve(path)
        except Resolver404:
            return None
        if match.namespace != "results":
            return None
        if match.kwargs.get("conf", self.conference.slug) != self.conference.slug:
            return None
        if match.url_name == "table-short":
            # The short link's target: the copy has only the slug pages.
            table = ThemeTable.objects.filter(conference=self.conference, number=match.kwargs["number"]).first()
            return self.local_path(table.get_absolute_url()) if table else None
        if match.url_name not in PAGES:
            return None
        # The conference's pages at the top, the site's own pages (imprint, ...) in a folder.
        rest = path.removeprefix(self.prefix) if path.startswith(self.prefix) else "seiten/" + path.lstrip("/")
        return rest + "index.html" if not rest or rest.endswith("/") else rest

    def rewrite_url(self, url, page):
        """url as a link relative to the local page, the note page for what needs a server."""
        if not url or url.startswith(("#", "mailto:", "tel:", "data:")):
            return url
        parts = urlsplit(url)
        if parts.scheme or parts.netloc:
            # Links to the online archive (the short links printed on signs) stay as they are.
            return url
        local = None if parts.query else self.local_path(parts.path)
        if local is None:
            local = NOTE_FILE
        elif local not in self.files and local not in self.queue:
            self.queue.append(local)
            self.sources[local] = parts.path
        relative = posixpath.relpath(local, posixpath.dirname(page) or ".")
        return relative + (f"#{parts.fragment}" if parts.fragment else "")

    def rewrite_srcset(self, srcset, page):
        """Each candidate of a srcset ("url 480w, url 960w") as a local link."""
        candidates = (candidate.strip().split(" ", 1) for candidate in srcset.split(",") if candidate.strip())
        return ", ".join(" ".join([self.rewrite_url(url, page), *rest]) for url, *rest in candidates)

    def rewrite_html(self, html, page):
        note = _(
            "Suche, Filter und Meldeformular brauchen einen Server und fehlen in dieser Offline-Kopie. "
            "Online finden Sie sie unter %(url)s."
        ) % {"url": f'<a href="{escape(self.base_url)}/">{escape(self.host)}</a>'}
        html = _FORM.sub(f'<p class="notice offline-note">{note}</p>', html)
        html = _ALTERNATE.sub("", html)
        html = _LINK.sub(lambda m: f'{m["attr"]}="{escape(self.rewrite_url(unescape(m["url"]), page))}"', html)
        html = _SRCSET.sub(lambda m: f'srcset="{escape(self.rewrite_srcset(unescape(m[1]), page))}"', html)
        made = _("Offline-Kopie vom %(date)s: der Stand des Archivs zu diesem Zeitpunkt.") % {"date": self.made_label}
        banner = f'<p class="offline-banner" role="note">{escape(made)}</p>\n'
        if _MAIN.search(html):
            return _MAIN.sub(lambda m: banner + m[0], html, count=1)
        return re.sub(r"(<body\b[^>]*>)", lambda m: m[0] + "\n" + banner, html, count=1)

    def fetch(self, path):
        if path.startswith(settings.MEDIA_URL):
            with default_storage.open(unquote(path.removeprefix(settings.MEDIA_URL)), "rb") as file:
                return file.read(), ""
        response = self.client.get(path, secure=self.secure)
        if response.status_code != 200:
            if path.startswith(settings.STATIC_URL):
                found = finders.find(path.removeprefix(settings.STATIC_URL))
                if found:
                    with open(found, "rb") as file:
                        return file.read(), "text/css"
            raise ValueError(f"{path} answered {response.status_code}")
        content = b"".join(response.streaming_content) if response.streaming else response.content
        return content, response.get("Content-Type", "")

    def build(self):
        self.sources["index.html"] = self.conference.get_absolute_url()
        self.queue = ["index.html"]
        # Pages the overview may not link to are in the copy all the same.
        for name in SEEDS:
            self.rewrite_url(reverse(f"results:{name}", kwargs={"conf": self.conference.slug}), "index.html")
        while self.queue:
            local = self.queue.pop(0)
            content, content_type = self.fetch(self.sources[local])
            # Reserve the name before rewriting, so that links back to this page are not queued again.
            self.files[local] = b""
            if content_type.startswith("text/html"):
                content = self.rewrite_html(content.decode("utf-8"), local).encode("utf-8")
            self.files[local] = content
        note = render_to_string(
            "results/offline.html",
            {"conference": self.conference, "base_url": self.base_url, "SITE_NAME": settings.SITE_NAME},
        )
        self.files[NOTE_FILE] = self.rewrite_html(note, NOTE_FILE).encode("utf-8")
        source = self.conference.source_text
        if source:
            self.files["quelle.txt"] = source.encode("utf-8")
        return self.files


def export_site(conference, output, base_url, made_at):
    """Write the offline copy of conference into the zip file output, under one folder; returns its file names."""
    # Rendered in-process for the copy's own address, whatever hosts and HTTPS the server is configured for.
    own_host = override_settings(ALLOWED_HOSTS=[urlsplit(base_url).hostname], SECURE_SSL_REDIRECT=False)
    with translation.override(settings.LANGUAGE_CODE), own_host:
        files = OfflineCopy(conference, base_url.rstrip("/"), made_at).build()
    folder = f"{conference.slug}-offline-{made_at:%Y-%m-%d}"
    with zipfile.ZipFile(output, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for name in sorted(files):
            archive.writestr(f"{folder}/{name}", files[name])
    return [f"{folder}/{name}" for name in sorted(files)]


def default_base_url():
    """The archive's address as far as the settings know it: SITE_URL, else the first named host."""
    if settings.SITE_URL:
        return settings.SITE_URL
    hosts = [host for host in settings.ALLOWED_HOSTS if host and not host.startswith(".") and host != "*"]
    return f"http://{hosts[0] if hosts else 'localhost'}"
