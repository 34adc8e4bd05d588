"""Photos on the table and station pages, the transcription invitation, the accessibility statement."""

import re

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.urls import reverse

from results.photos import Photo
from results.views_photos import PHOTO_KEYS
from tests import images
from tests.factories import make_card, make_conference, make_station, make_table, make_table_station

pytestmark = pytest.mark.django_db


def make_photo(table_station=None, conference=None, width=1200, height=900, **fields):
    photo = Photo(
        table_station=table_station,
        conference=conference,
        alt_text=fields.pop("alt_text", "Flipchart mit Karten"),
        image=images.upload(images.photo(width, height)),
        **fields,
    )
    photo.full_clean()
    photo.save()
    return photo


@pytest.fixture
def photo_station(media):
    conference = make_conference()
    table = make_table(conference, 1, title="Wohnen")
    station = make_station(conference, 2)
    table_station = make_table_station(table, station, status="photo")
    return table_station


def test_table_page_shows_photos_with_renditions(client, photo_station):
    photo = make_photo(photo_station, caption="Pinnwand links")

    html = client.get(photo_station.table.get_absolute_url()).content.decode()

    figure = re.search(r'<figure class="photo">.*?</figure>', html, re.S)[0]
    webp = ", ".join(f"/media/{r['webp']} {r['width']}w" for r in photo.renditions)
    jpeg = ", ".join(f"/media/{r['jpg']} {r['width']}w" for r in photo.renditions)
    assert f'<source type="image/webp" srcset="{webp}" sizes="(min-width: 60em) 20rem, 100vw">' in figure
    assert f'srcset="{jpeg}"' in figure
    assert f'src="/media/{photo.renditions[1]["jpg"]}"' in figure
    # The size of the largest rendition (here the photo's own width): the browser reserves its shape.
    assert 'width="1200" height="900" alt="Flipchart mit Karten" loading="lazy"' in figure
    assert f'<a href="/media/{photo.image.name}">' in figure
    assert "Pinnwand links" in figure


def test_photo_only_station_invites_a_transcription(client, photo_station):
    make_photo(photo_station)
    table = photo_station.table

    html = client.get(table.get_absolute_url()).content.decode()

    link = reverse("results:report", kwargs={"conf": table.conference.slug}) + "?tisch=1&amp;station=2"
    assert f'<a href="{link}">Können Sie die Karten auf dem Foto lesen?' in html
    assert "<form" not in html.split("<main", 1)[1]


def test_station_with_cards_shows_photos_without_invitation(client, photo_station):
    make_photo(photo_station)
    make_card(photo_station.table, photo_station.station, text="Mehr Wohnraum")
    photo_station.status = "transcribed"
    photo_station.save()

    html = client.get(photo_station.station.get_absolute_url()).content.decode()

    assert html.count('<figure class="photo">') == 1
    assert "Mehr Wohnraum" in html
    assert "Abschrift" not in html.split('class="station-photos"', 1)[1].split("</div>", 1)[0]


def test_report_form_is_prefilled_with_the_station(client, photo_station):
    table = photo_station.table
    url = reverse("results:report", kwargs={"conf": table.conference.slug}) + "?tisch=1&station=2"

    response = client.get(url)

    assert response.context["table_station"] == photo_station
    assert response.context["form"]["message"].value() == ("Abschrift des Fotos von Thementisch 1 „Wohnen“, Station 2:")
    assert "Abschrift eines Fotoprotokolls" in response.content.decode()


@pytest.mark.parametrize("query", ["?tisch=9&station=2", "?tisch=x&station=2", "?tisch=1"])
def test_report_form_ignores_an_unknown_station(client, photo_station, query):
    url = reverse("results:report", kwargs={"conf": photo_station.table.conference.slug}) + query

    response = client.get(url)

    assert response.status_code == 200
    assert response.context["table_station"] is None
    assert response.context["form"]["message"].value() is None


def accessibility_counts(client):
    context = client.get(reverse("results:accessibility")).context
    return context["photo_count"], context["untranscribed_photos"]


def test_accessibility_counts_photos_until_their_station_has_cards(client, photo_station):
    # The photo-only station of the fixture is counted already (with the real conference's).
    before = accessibility_counts(client)
    make_photo(photo_station)
    make_photo(photo_station)
    with_photos = accessibility_counts(client)

    make_card(photo_station.table, photo_station.station, text="Abgeschrieben")
    transcribed = accessibility_counts(client)

    assert with_photos == (before[0], before[1] + 2)
    assert transcribed == (before[0] - 1, before[1])


@pytest.mark.parametrize("photos", [1, 3])
def test_table_page_query_count_does_not_grow_with_photos(client, django_assert_num_queries, media, photos):
    conference = make_conference()
    table = make_table(conference, 1)
    for number in (1, 2):
        table_station = make_table_station(table, make_station(conference, number))
        for _ in range(photos):
            make_photo(table_station, width=500, height=300)

    with django_assert_num_queries(7):
        response = client.get(table.get_absolute_url())

    assert response.content.decode().count('<figure class="photo">') == 2 * photos


@pytest.fixture
def conference_with_pdf(media):
    conference = make_conference()
    conference.source_pdf.save("doku.pdf", ContentFile(b"%PDF-1.7\n" + b"x" * (2_400_000 - 9)))
    return conference


@pytest.mark.parametrize("url_name", ["conference", "source"])
def test_original_pdf_linked_with_format_and_size(client, conference_with_pdf, url_name):
    html = client.get(reverse(f"results:{url_name}", kwargs={"conf": conference_with_pdf.slug})).content.decode()

    link = f'<a class="source-pdf" href="/media/{conference_with_pdf.source_pdf.name}" type="application/pdf">'
    assert link + "Originaldokument (PDF, 2,3\xa0MB)</a>" in html


def test_source_page_keeps_the_text_beside_the_pdf(client, conference_with_pdf):
    html = client.get(reverse("results:source", kwargs={"conf": conference_with_pdf.slug})).content.decode()

    assert 'id="zeile-3"' in html
    assert "Der Text auf dieser Seite ist ihre barrierefreie Fassung." in html


def test_lost_pdf_file_leaves_the_page_working(client, conference_with_pdf, media):
    (media / conference_with_pdf.source_pdf.name).unlink()

    response = client.get(conference_with_pdf.get_absolute_url())

    assert response.status_code == 200
    assert "source-pdf" not in response.content.decode()


def test_photos_json_lists_photos_per_station(client, photo_station):
    conference = photo_station.table.conference
    second = make_photo(photo_station, alt_text="Zweites Foto", position=2)
    first = make_photo(photo_station, alt_text="Erstes Foto", position=1)
    general = make_photo(conference=conference, alt_text="Themensammlung")

    response = client.get(reverse("results:photos-json", kwargs={"conf": conference.slug}))

    data = response.json()
    assert (data["conference"], data["count"]) == (conference.slug, 3)
    assert [(p["id"], p["table"], p["station"]) for p in data["photos"]] == [
        (general.pk, None, None),
        (first.pk, 1, 2),
        (second.pk, 1, 2),
    ]
    row = data["photos"][1]
    assert list(row) == [
        "id", "conference", "table", "table_title", "station", "position", "alt_text", "caption",
        "width", "height", "url", "renditions", "page",
    ]  # fmt: skip
    assert row["url"] == f"http://testserver/media/{first.image.name}"
    assert row["page"] == f"http://testserver{photo_station.table.get_absolute_url()}#station-2"
    assert row["renditions"][0] == {
        "width": 480,
        "height": 360,
        "webp": f"http://testserver/media/{first.renditions[0]['webp']}",
        "jpg": f"http://testserver/media/{first.renditions[0]['jpg']}",
    }


def test_photos_json_uses_the_site_url_and_the_german_pages(client, photo_station, settings):
    settings.SITE_URL = "https://archiv.example.org"
    photo = make_photo(photo_station)
    page = photo_station.table.get_absolute_url()  # the German page

    (row,) = client.get(f"/en/{photo_station.table.conference.slug}/fotos.json").json()["photos"]

    assert row["url"] == f"https://archiv.example.org/media/{photo.image.name}"
    assert row["renditions"][0]["jpg"] == f"https://archiv.example.org/media/{photo.renditions[0]['jpg']}"
    assert row["page"] == f"https://archiv.example.org{page}#station-2"


def test_photos_json_keeps_absolute_storage_urls(client, photo_station, settings, monkeypatch):
    settings.SITE_URL = "https://archiv.example.org"
    make_photo(photo_station)
    storage = type(default_storage._wrapped)
    monkeypatch.setattr(storage, "url", lambda self, name: f"https://bucket.example.net/{name}")

    (row,) = client.get(f"/{photo_station.table.conference.slug}/fotos.json").json()["photos"]

    assert row["url"].startswith("https://bucket.example.net/")
    assert row["renditions"][0]["webp"].startswith("https://bucket.example.net/")


def test_data_page_documents_the_photo_list(client, photo_station):
    conference = photo_station.table.conference

    html = client.get(reverse("results:data", kwargs={"conf": conference.slug})).content.decode()

    assert f'<a href="/{conference.slug}/fotos.json">fotos.json</a>' in html
    assert [key for key in PHOTO_KEYS if f"<code>{key}</code>" not in html] == []


def test_new_photo_shows_on_a_cached_table_page(client, photo_station, page_cache, django_capture_on_commit_callbacks):
    url = photo_station.table.get_absolute_url()
    assert 'class="photo"' not in client.get(url).content.decode()

    with django_capture_on_commit_callbacks(execute=True):
        make_photo(photo_station)

    assert client.get(url).content.decode().count('<figure class="photo">') == 1
