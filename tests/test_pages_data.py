import re

import pytest
from django.utils.html import strip_tags

from tests.factories import make_conference


def text(html):
    return " ".join(strip_tags(html).split())


@pytest.mark.django_db
def test_data_page_explains_every_export_field_in_order(client):
    make_conference(slug="fachtag")

    html = client.get("/fachtag/daten/").content.decode()

    fields = re.findall(r'<tr><th scope="row"><code>([a-z_]+)</code></th><td>(.*?)</td></tr>', html)
    names = [name for name, _help in fields[:14]]
    assert names == [
        "id",
        "conference",
        "table",
        "table_title",
        "station",
        "kind",
        "heading",
        "position",
        "parent",
        "text",
        "original_text",
        "corrected",
        "source_line",
        "url",
    ]
    assert all(help_text for _name, help_text in fields)


@pytest.mark.django_db
def test_data_page_links_the_three_formats(client):
    make_conference(slug="fachtag")

    html = client.get("/fachtag/daten/").content.decode()

    assert '<a href="/fachtag/karten.csv">CSV</a>' in html
    assert '<a href="/fachtag/karten.xlsx">Excel (XLSX)</a>' in html
    assert '<a href="/fachtag/karten.json">JSON</a>' in html


@pytest.mark.django_db
def test_data_page_says_when_no_licence_is_known(client):
    make_conference(slug="fachtag", licence="")

    html = client.get("/fachtag/daten/").content.decode()

    assert "<p>Für diese Konferenz ist keine Lizenz bekannt.</p>" in html


@pytest.mark.django_db
def test_data_page_names_a_known_licence(client):
    make_conference(slug="fachtag", licence="CC-BY-4.0")

    html = client.get("/fachtag/daten/").content.decode()

    assert (
        '<a href="https://creativecommons.org/licenses/by/4.0/">'
        "Creative Commons Namensnennung 4.0 International (CC BY 4.0)</a>"
    ) in html
    assert "keine Lizenz bekannt" not in html


@pytest.mark.django_db
def test_winnenden_data_page_invents_no_licence(client):
    html = client.get("/winnenden-2019/daten/").content.decode()

    assert "Für diese Konferenz ist keine Lizenz bekannt." in text(html)
