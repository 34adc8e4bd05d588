"""Open data that portals can harvest: the licence, a Frictionless data package, DCAT-AP.de metadata."""

import csv
import io
import json

import frictionless
import pytest
from django.urls import reverse

from results.models import Conference, Licence

pytestmark = pytest.mark.django_db

CONF = "winnenden-2019"
DCAT = "http://www.w3.org/ns/dcat#"


@pytest.fixture
def licensed(settings):
    settings.SITE_OPERATOR = "Landratsamt Musterkreis"
    settings.SITE_CONTACT_EMAIL = "integration@example.org"
    Conference.objects.filter(slug=CONF).update(licence=Licence.DL_DE_BY)


def test_the_csv_export_validates_against_its_data_package(client, tmp_path):
    package = json.loads(client.get(f"/{CONF}/datapackage.json").content)
    (tmp_path / "karten.csv").write_bytes(client.get(f"/{CONF}/karten.csv").content)
    # The package names the served file; here it is validated against the downloaded copy.
    assert package["resources"][0]["path"] == f"http://testserver/{CONF}/karten.csv"
    package["resources"][0]["path"] = "karten.csv"

    (tmp_path / "datapackage.json").write_text(json.dumps(package))

    report = frictionless.validate(str(tmp_path / "datapackage.json"))

    assert report.valid, report.flatten(["rowNumber", "fieldName", "type", "note"])
    assert report.tasks[0].stats["rows"] == 441  # every public card of the document


def test_the_data_package_would_catch_a_wrong_csv(client, tmp_path):
    package = json.loads(client.get(f"/{CONF}/datapackage.json").content)
    text = client.get(f"/{CONF}/karten.csv").content.decode()
    rows = list(csv.reader(io.StringIO(text)))
    rows[1][rows[0].index("kind")] = "unbekannt"
    rows[2][rows[0].index("station")] = "drei"
    with open(tmp_path / "karten.csv", "w", newline="") as file:
        csv.writer(file).writerows(rows)
    package["resources"][0]["path"] = "karten.csv"
    (tmp_path / "datapackage.json").write_text(json.dumps(package))

    report = frictionless.validate(str(tmp_path / "datapackage.json"))

    assert not report.valid
    assert {error[1] for error in report.flatten(["rowNumber", "fieldName"])} == {"kind", "station"}


def test_dcat_ap_de_has_the_mandatory_and_recommended_properties(client, licensed):
    response = client.get(f"/en/{CONF}/daten.jsonld")
    dataset = json.loads(response.content)

    assert response["Content-Type"] == "application/ld+json"
    assert dataset["@context"]["dcat"] == DCAT
    assert dataset["@type"] == "dcat:Dataset"
    # Dataset: mandatory (title, description), recommended (contact, distribution, keyword, publisher, theme, ...).
    for key in [
        "dct:title",
        "dct:description",
        "dcat:contactPoint",
        "dcat:distribution",
        "dcat:keyword",
        "dct:publisher",
        "dcat:theme",
        "dcat:landingPage",
        "dct:language",
        "dct:temporal",
        "dct:spatial",
    ]:
        assert dataset.get(key), key
    assert dataset["dct:publisher"]["foaf:name"] == "Landratsamt Musterkreis"
    assert dataset["dcat:contactPoint"]["vcard:hasEmail"]["@id"] == "mailto:integration@example.org"
    assert "441 Karten" in dataset["dct:description"]
    # Distributions: mandatory (access URL, licence), recommended (format, title, description, download URL).
    formats = []
    for distribution in dataset["dcat:distribution"]:
        for key in [
            "dcat:accessURL",
            "dct:license",
            "dct:format",
            "dct:title",
            "dct:description",
            "dcat:downloadURL",
            "dcat:mediaType",
        ]:
            assert distribution.get(key), (distribution["dct:title"], key)
        assert distribution["dct:license"]["@id"] == "http://dcat-ap.de/def/licenses/dl-by-de/2.0"
        assert distribution["dcatde:licenseAttributionByText"] == "Landratsamt Musterkreis"
        formats.append(distribution["dct:format"]["@id"].rsplit("/", 1)[1])
        # German URLs, whatever the language of the request.
        assert not distribution["dcat:downloadURL"]["@id"].startswith("http://testserver/en/")
    assert formats == ["CSV", "XLSX", "JSON"]


def test_without_a_licence_the_metadata_claims_none_and_the_data_page_says_so(client, settings):
    settings.SITE_OPERATOR = ""
    dataset = json.loads(client.get(f"/{CONF}/daten.jsonld").content)
    package = json.loads(client.get(f"/{CONF}/datapackage.json").content)
    page = client.get(f"/{CONF}/daten/").content.decode()

    assert not [d for d in dataset["dcat:distribution"] if "dct:license" in d]
    assert "dct:publisher" not in dataset
    assert "licenses" not in package
    assert "Für diese Konferenz ist keine Lizenz bekannt." in page
    assert "Der Betreiber dieses Archivs ist nicht eingetragen (SITE_OPERATOR)." in page


def test_the_chosen_licence_shows_on_the_data_page_and_in_every_export(client, licensed):
    page = client.get(f"/{CONF}/daten/").content.decode()
    document = json.loads(client.get(f"/{CONF}/karten.json").content)
    glossary = json.loads(client.get(f"/{CONF}/glossar.json").content)

    assert '<a href="https://www.govdata.de/dl-de/by-2-0">Datenlizenz Deutschland – Namensnennung' in page
    assert "nicht eingetragen" not in page
    assert document["licence"] == glossary["licence"] == "DL-DE-BY-2.0"
    for path in ["karten.csv", "karten-excel.csv", "karten.xlsx", "glossar.csv", "akteure.json"]:
        link = client.get(f"/{CONF}/{path}")["Link"]
        assert '<https://www.govdata.de/dl-de/by-2-0>; rel="license"' in link, path
        assert f'<http://testserver/{CONF}/datapackage.json>; rel="describedby"' in link, path


def test_the_admin_warns_while_the_operator_is_missing(admin_client, settings):
    conference = Conference.objects.get(slug=CONF)
    url = reverse("admin:results_conference_change", args=[conference.pk])

    settings.SITE_OPERATOR = ""
    assert "SITE_OPERATOR" in admin_client.get(url).content.decode()
    settings.SITE_OPERATOR = "Landratsamt Musterkreis"
    assert "SITE_OPERATOR" not in admin_client.get(url).content.decode()


def test_metadata_and_export_links_use_the_site_url(client, settings):
    settings.SITE_URL = "https://archiv.example.org"
    package = json.loads(client.get(f"/{CONF}/datapackage.json").content)
    dataset = json.loads(client.get(f"/en/{CONF}/daten.jsonld").content)
    link = client.get(f"/{CONF}/karten.csv")["Link"]

    assert package["homepage"] == f"https://archiv.example.org/{CONF}/"
    assert package["resources"][0]["path"] == f"https://archiv.example.org/{CONF}/karten.csv"
    assert dataset["dcat:landingPage"]["@id"] == f"https://archiv.example.org/{CONF}/"
    assert f'<https://archiv.example.org/{CONF}/datapackage.json>; rel="describedby"' in link


def test_unknown_conference_metadata_is_404(client):
    assert client.get("/gibt-es-nicht/datapackage.json").status_code == 404
    assert client.get("/gibt-es-nicht/daten.jsonld").status_code == 404
