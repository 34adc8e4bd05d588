"""
Metadata that open-data portals harvest: a Frictionless data package describing the plain CSV export, and the
conference's dataset with its distributions (CSV, XLSX, JSON) as DCAT-AP.de in JSON-LD.

Both are derived from exports.FIELDS, the one definition of the export columns, and from the conference's licence.
"""

from django.conf import settings
from django.http import JsonResponse
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils import translation
from django.views.decorators.http import require_safe

from results import exports
from results.models import Card, Conference, Kind, Licence
from results.siteurl import absolute_url

# Per licence: the licence text, its URI in DCAT-AP.de's licence vocabulary, and its short name.
LICENCES = {
    Licence.DL_DE_BY: (
        "https://www.govdata.de/dl-de/by-2-0",
        "http://dcat-ap.de/def/licenses/dl-by-de/2.0",
        "dl-de/by-2-0",
    ),
    Licence.DL_DE_ZERO: (
        "https://www.govdata.de/dl-de/zero-2-0",
        "http://dcat-ap.de/def/licenses/dl-zero-de/2.0",
        "dl-de/zero-2-0",
    ),
    Licence.CC_BY: (
        "https://creativecommons.org/licenses/by/4.0/",
        "http://dcat-ap.de/def/licenses/cc-by/4.0",
        "CC BY 4.0",
    ),
    Licence.CC0: (
        "https://creativecommons.org/publicdomain/zero/1.0/",
        "http://dcat-ap.de/def/licenses/cc-zero",
        "CC0 1.0",
    ),
}
# The DCAT distributions: export route, EU file type, media type, description.
DISTRIBUTIONS = [
    ("results:cards-csv", "CSV", "text/csv", "Kommagetrennt, UTF-8, für Programme; beschrieben in datapackage.json."),
    (
        "results:cards-xlsx",
        "XLSX",
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        "Excel-Tabelle mit deutschen Spaltenüberschriften.",
    ),
    (
        "results:cards-json",
        "JSON",
        "application/json",
        "Ein Objekt mit conference, licence, count und der Liste cards.",
    ),
]
FILE_TYPE = "http://publications.europa.eu/resource/authority/file-type/"
CONTEXT = {
    "dcat": "http://www.w3.org/ns/dcat#",
    "dct": "http://purl.org/dc/terms/",
    "dcatde": "http://dcat-ap.de/def/dcatde/",
    "foaf": "http://xmlns.com/foaf/0.1/",
    "vcard": "http://www.w3.org/2006/vcard/ns#",
    "xsd": "http://www.w3.org/2001/XMLSchema#",
}


def licence_url(conference):
    return LICENCES[conference.licence][0] if conference.licence in LICENCES else ""


def absolute(request, name, conference):
    # Metadata names the German pages and files, whatever language the request came in, at the
    # archive's public address (SITE_URL), as the CSV's url column does.
    with translation.override(settings.LANGUAGE_CODE):
        return absolute_url(request, reverse(name, kwargs={"conf": conference.slug}))


def export_links(response, request, conference):
    """Link headers of an export: its licence and the metadata that describes it (RFC 8288)."""
    links = [f'<{absolute(request, "results:datapackage", conference)}>; rel="describedby"']
    if licence_url(conference):
        links.append(f'<{licence_url(conference)}>; rel="license"')
    response["Link"] = ", ".join(links)
    return response


def datapackage(request, conference):
    """The Frictionless data package of the plain CSV export (https://datapackage.org)."""
    fields = []
    for column in exports.FIELDS:
        field = {"name": column.name, "type": column.type, "description": str(column.help)}
        if column.name == "kind":
            field["constraints"] = {"required": True, "enum": Kind.values}
        if column.type == "boolean":
            field |= {"trueValues": ["true"], "falseValues": ["false"]}
        fields.append(field)
    package = {
        "name": conference.slug,
        "title": conference.title,
        "homepage": absolute(request, "results:conference", conference),
        "resources": [
            {
                "name": "karten",
                "path": absolute(request, "results:cards-csv", conference),
                "format": "csv",
                "mediatype": "text/csv",
                "encoding": "utf-8",
                "dialect": {"delimiter": ",", "header": True},
                "schema": {"fields": fields, "primaryKey": ["id"]},
            }
        ],
    }
    if conference.licence in LICENCES:
        url, _uri, name = LICENCES[conference.licence]
        package["licenses"] = [{"name": conference.licence, "path": url, "title": name}]
    return package


def dataset(request, conference):
    """The conference's dataset as DCAT-AP.de (https://www.dcat-ap.de), JSON-LD."""
    cards = Card.objects.filter(table__conference=conference).public()
    licence = {"dct:license": {"@id": LICENCES[conference.licence][1]}} if conference.licence in LICENCES else {}
    if conference.licence in {Licence.DL_DE_BY, Licence.CC_BY}:
        licence["dcatde:licenseAttributionByText"] = settings.SITE_OPERATOR or settings.SITE_NAME
    distributions = [
        {
            "@type": "dcat:Distribution",
            "dct:title": f"{conference.title} ({file_type})",
            "dct:description": description,
            "dcat:accessURL": {"@id": absolute(request, "results:data", conference)},
            "dcat:downloadURL": {"@id": absolute(request, name, conference)},
            "dct:format": {"@id": FILE_TYPE + file_type},
            "dcat:mediaType": media_type,
            **licence,
        }
        for name, file_type, media_type, description in DISTRIBUTIONS
    ]
    publisher = {"@type": "foaf:Agent", "foaf:name": settings.SITE_OPERATOR} if settings.SITE_OPERATOR else None
    contact = {"@type": "vcard:Organization", "vcard:fn": settings.SITE_OPERATOR or settings.SITE_NAME}
    if settings.SITE_CONTACT_EMAIL:
        contact["vcard:hasEmail"] = {"@id": f"mailto:{settings.SITE_CONTACT_EMAIL}"}
    document = {
        "@context": CONTEXT,
        "@id": absolute(request, "results:dcat", conference),
        "@type": "dcat:Dataset",
        "dct:identifier": absolute(request, "results:conference", conference),
        "dct:title": conference.title,
        "dct:description": (
            f"Ergebnisse der Konferenz „{conference.title}“ am {conference.date:%d.%m.%Y} in {conference.city}: "
            f"{cards.count()} Karten aus dem World Café, nach Thementisch und Station."
        ),
        "dcat:landingPage": {"@id": absolute(request, "results:conference", conference)},
        "dct:language": {"@id": "http://publications.europa.eu/resource/authority/language/DEU"},
        "dcat:theme": {"@id": "http://publications.europa.eu/resource/authority/data-theme/SOCI"},
        "dcat:keyword": ["Integration", "Kommunales Integrationsmanagement", "World Café", conference.city],
        "dct:spatial": conference.city,
        "dct:temporal": {
            "@type": "dct:PeriodOfTime",
            "dcat:startDate": {"@value": conference.date.isoformat(), "@type": "xsd:date"},
            "dcat:endDate": {"@value": conference.date.isoformat(), "@type": "xsd:date"},
        },
        "dcat:contactPoint": contact,
        "dcat:distribution": distributions,
    }
    if publisher:
        document["dct:publisher"] = publisher
    return document


@require_safe
def datapackage_json(request, conf):
    conference = get_object_or_404(Conference, slug=conf)
    return JsonResponse(datapackage(request, conference), json_dumps_params={"ensure_ascii": False, "indent": 2})


@require_safe
def dcat_jsonld(request, conf):
    conference = get_object_or_404(Conference, slug=conf)
    return JsonResponse(
        dataset(request, conference),
        content_type="application/ld+json",
        json_dumps_params={"ensure_ascii": False, "indent": 2},
    )
