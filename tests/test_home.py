"""The home page for many conferences: newest first, paginated, filtered by year and place."""

import datetime
import re

import pytest

from tests.factories import make_conference

pytestmark = pytest.mark.django_db


def titles(html):
    return re.findall(r'<h3><a href="/[^"]+/">([^<]+)</a></h3>', html)


def make_conferences(count, **fields):
    return [
        make_conference(
            title=f"Fachtag {number}", date=datetime.date(2021, 1, 1) + datetime.timedelta(days=number), **fields
        )
        for number in range(count)
    ]


def test_home_lists_newest_first_twenty_a_page(client):
    make_conferences(25)

    first = client.get("/").content.decode()
    second = client.get("/?page=2").content.decode()

    assert titles(first) == [f"Fachtag {number}" for number in range(24, 4, -1)]
    # The last page: the remaining demo conferences, then Winnenden (2019) as the oldest.
    assert titles(second) == [
        *(f"Fachtag {number}" for number in range(4, -1, -1)),
        "Regionalkonferenz „Pakt für Integration – Kommunales Integrationsmanagement“",
    ]
    assert "26 Konferenzen" in first
    assert 'href="?page=2"' in first


def test_home_filters_by_year_and_place(client):
    make_conferences(2, city="Backnang")
    make_conference(title="Fachtag Waiblingen", date=datetime.date(2019, 9, 1), city="Waiblingen")

    by_year = client.get("/?jahr=2019").content.decode()
    by_place = client.get("/?ort=Backnang").content.decode()
    both = client.get("/?jahr=2019&ort=Waiblingen").content.decode()

    assert titles(by_year) == [
        "Fachtag Waiblingen",
        "Regionalkonferenz „Pakt für Integration – Kommunales Integrationsmanagement“",
    ]
    assert titles(by_place) == ["Fachtag 1", "Fachtag 0"]
    assert titles(both) == ["Fachtag Waiblingen"]
    assert re.findall(r'<option value="(\d+)"', by_year) == ["2021", "2020", "2019"]
    assert '<option value="Backnang">Backnang</option>' in by_year


def test_home_invalid_filter_lists_nothing_and_says_why(client):
    make_conferences(2)

    response = client.get("/?jahr=1850&page=abc")

    html = response.content.decode()
    assert response.status_code == 400
    assert titles(html) == []
    assert "Aus dem Jahr „1850“ gibt es keine Konferenz." in html


def test_home_page_stays_small_with_many_conferences(client):
    make_conferences(60, subtitle="Ein Untertitel, so lang wie die Untertitel echter Konferenzen oft sind")

    response = client.get("/")

    assert len(titles(response.content.decode())) == 20
    assert len(response.content) < 30 * 1024
