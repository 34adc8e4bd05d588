"""
The <head> links search engines read: description, canonical link, hreflang alternates, robots.

Canonical and alternate links are absolute on SITE_URL (results/siteurl.py). The description is
taken from what the page shows; which words depends on the page's URL name.
"""

from django import template
from django.conf import settings
from django.urls import translate_url
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from results.siteurl import local_reach, site_root
from results.templatetags.typography import inner_quotes

register = template.Library()

# Pages that are forms: kept out of search engines' indexes (their results pages too).
NOINDEX = {"search", "feedback", "report"}


def _conference_words(conference):
    return {
        "conference": inner_quotes(conference.title),
        "date": date_format(conference.date, "DATE_FORMAT"),
        "place": f"{conference.venue}, {conference.city}",
    }


def describe(name, context):
    """One or two sentences of what the page shows, in the UI language (titles stay German)."""
    conference = context.get("conference")
    words = _conference_words(conference) if conference is not None else {}
    table, station = context.get("table"), context.get("station")
    if name == "table" and table is not None:
        words |= {"number": table.number, "title": inner_quotes(table.title)}
        return (
            _(
                "Thementisch %(number)s „%(title)s“ der Konferenz „%(conference)s“ (%(date)s): "
                "die Ergebnisse aller Stationen des World Cafés."
            )
            % words
        )
    if name == "station" and station is not None:
        words |= {"number": station.number, "question": station.question}
        return _("Station %(number)s der Konferenz „%(conference)s“ an allen Thementischen: %(question)s") % words
    texts = {
        "conference": _(
            "„%(conference)s“, %(date)s, %(place)s: Programm, Thementische, Stationen und alle Ergebnisse."
        ),
        "tables": _("Die Thementische der Konferenz „%(conference)s“ (%(date)s) mit ihren Ergebnissen und Aushängen."),
        "cards": _(
            "Alle Karten der Konferenz „%(conference)s“ (%(date)s), durchsuchbar und filterbar nach Tisch, "
            "Station und Art."
        ),
        "data": _(
            "Die Ergebnisse der Konferenz „%(conference)s“ als offene Daten: CSV, XLSX und JSON, jedes Feld erklärt."
        ),
        "source": _("Der Text des Dokuments der Konferenz „%(conference)s“ (%(date)s), Zeile für Zeile."),
        "glossary": _("Die Abkürzungen in den Ergebnissen der Konferenz „%(conference)s“ und was sie bedeuten."),
        "actors": _("Wer kann helfen? Die Stellen und Personen, die die Tische der Konferenz „%(conference)s“ nennen."),
        "topics": _("Themen, die an mehreren Tischen der Konferenz „%(conference)s“ (%(date)s) vorkamen."),
        "signs": _(
            "Die Aushänge aller Thementische der Konferenz „%(conference)s“ zum Drucken, eine A4-Seite je Tisch."
        ),
        "table-sign": _("Ein Aushang zum Drucken: Thementisch, Fragen der Stationen und QR-Code zu den Ergebnissen."),
        "accessibility": _("Erklärung zur Barrierefreiheit des Ergebnisarchivs und wie Sie Barrieren melden."),
        "easy-language": _("Das Ergebnisarchiv in Leichter Sprache erklärt."),
        "imprint": _("Impressum des Ergebnisarchivs: wer es betreibt und wer für den Inhalt verantwortlich ist."),
        "search": _("Suche in den Ergebnissen aller Konferenzen des Archivs."),
    }
    if name in texts and (conference is not None or "%(conference)s" not in texts[name]):
        return texts[name] % words
    return _(
        "Das Archiv hält die Ergebnisse der Konferenzen fest: jede Karte der Thementische, durchsuchbar, "
        "filterbar und als offene Daten."
    )


@register.inclusion_tag("includes/meta.html", takes_context=True)
def page_meta(context):
    request = context.get("request")
    if request is None:
        return {}
    match = request.resolver_match
    name = match.url_name if match is not None else ""
    root = site_root(request)
    # The path within the site, so that the script prefix (SCRIPT_NAME) comes in once, from reverse().
    paths = [(code, translate_url(request.path_info, code)) for code, _name in settings.LANGUAGES]
    return {
        "description": context.get("meta_description") or describe(name, context),
        "canonical": root + request.path,
        "alternates": [(code, root + path) for code, path in paths],
        "x_default": root + paths[0][1],
        "noindex": bool(request.GET) or name in NOINDEX,
    }


@register.simple_tag(takes_context=True)
def site_url_warning(context):
    """The admin's warning while SITE_URL is unset: signs and QR codes then carry this request's address."""
    request = context.get("request")
    if request is None or settings.SITE_URL:
        return ""
    root = site_root(request)
    reach = local_reach(request)
    if reach == "machine":
        where = _("Diese Adresse funktioniert nur auf diesem Rechner.")
    elif reach == "network":
        where = _("Diese Adresse funktioniert nur im lokalen Netz.")
    else:
        where = ""
    return _(
        "SITE_URL ist nicht gesetzt: QR-Codes, Aushänge, kanonische Links und die Sitemap verwenden die Adresse "
        "dieser Anfrage, %(root)s. %(where)s Setzen Sie SITE_URL auf die öffentliche Adresse des Archivs."
    ) % {"root": root, "where": where}
