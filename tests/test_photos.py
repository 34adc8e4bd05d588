"""Uploading photos: checks, normalisation (orientation, no metadata), renditions, and refusals that store nothing."""

import io

import pytest
from django.core.exceptions import ValidationError
from PIL import Image

from results.photos import Photo
from results.uploads import validate_pdf
from tests import images
from tests.factories import make_conference, make_station, make_table, make_table_station

pytestmark = pytest.mark.django_db


@pytest.fixture
def table_station():
    conference = make_conference()
    return make_table_station(make_table(conference, 1), make_station(conference, 2), status="photo")


def stored_files(media):
    return sorted(path for path in media.rglob("*") if path.is_file()) if media.exists() else []


def add_photo(client, table_station, data, name="foto.jpg", content_type="image/jpeg", alt_text="Flipchart"):
    return client.post(
        "/admin/results/photo/add/",
        {
            "conference": table_station.table.conference_id,
            "table_station": table_station.pk,
            "image": images.upload(data, name, content_type),
            "alt_text": alt_text,
            "caption": "",
            "position": 1,
        },
    )


def image_errors(response):
    return response.context["adminform"].form.errors.get("image", [])


def test_photo_upload_stores_upright_copy_without_metadata(admin_client, table_station, media):
    data = images.photo(1200, 800, orientation=6, gps=True)
    assert images.CAMERA_SERIAL.encode() in data

    response = add_photo(admin_client, table_station, data)

    assert response.status_code == 302
    photo = Photo.objects.get()
    assert (photo.width, photo.height, photo.conference) == (800, 1200, table_station.table.conference)
    files = stored_files(media)
    assert len(files) == 1 + 2 * len(photo.renditions)
    for path in files:
        content = path.read_bytes()
        with Image.open(path) as stored:
            assert dict(stored.getexif()) == {}
            assert not {"exif", "xmp", "icc_profile", "comment"} & set(stored.info)
        assert images.CAMERA_SERIAL.encode() not in content
        assert b"Exif" not in content
    with Image.open(media / photo.image.name) as stored:
        # Orientation 6: the red left half of the sensor image is the top of the photo.
        assert stored.convert("RGB").getpixel((400, 100))[1] < 100
        assert stored.convert("RGB").getpixel((400, 1100)) == (255, 255, 255)


def test_photo_renditions_480_960_1920_as_webp_and_jpeg(table_station, media):
    upload = images.upload(images.photo(2400, 1600), "IMG_2019_Winnenden.jpg")
    photo = Photo(table_station=table_station, alt_text="Pinnwand", image=upload)

    photo.full_clean()
    photo.save()

    assert [(r["width"], r["height"]) for r in photo.renditions] == [(480, 320), (960, 640), (1920, 1280)]
    for rendition in photo.renditions:
        for extension, fmt in (("webp", "WEBP"), ("jpg", "JPEG")):
            with Image.open(media / rendition[extension]) as stored:
                assert (stored.format, stored.size) == (fmt, (rendition["width"], rendition["height"]))
    assert photo.image.name.endswith(".jpg")
    assert "Winnenden" not in photo.image.name  # the upload's name is neither trusted nor published


def test_small_photo_has_one_rendition_at_its_own_width(table_station, media):
    photo = Photo(table_station=table_station, alt_text="Karte", image=images.upload(images.photo(300, 200)))

    photo.full_clean()
    photo.save()

    assert [(r["width"], r["height"]) for r in photo.renditions] == [(300, 200)]


@pytest.mark.parametrize(
    ("fmt", "mode", "extension"), [("PNG", "RGBA", "png"), ("WEBP", "RGB", "jpg"), ("PNG", "RGB", "jpg")]
)
def test_png_and_webp_are_accepted(table_station, media, fmt, mode, extension):
    data = images.photo(700, 500, fmt=fmt, mode=mode)
    photo = Photo(table_station=table_station, alt_text="Karte", image=images.upload(data, "bild.bin", "x/y"))

    photo.full_clean()
    photo.save()

    assert photo.image.name.endswith("." + extension)
    assert [r["width"] for r in photo.renditions] == [480, 700]


@pytest.mark.parametrize(
    ("data", "name", "message"),
    [
        (images.heic_header(), "IMG_0001.HEIC", "HEIC/HEIF"),
        (images.heic_header(), "foto.jpg", "als JPEG"),
        (b"Das ist nur Text, kein Foto.\n" * 20, "foto.jpg", "kein Foto in einem der Formate JPEG, PNG oder WebP"),
        (images.png_claiming(100_000, 100_000), "bombe.png", "zu groß"),
        (images.png_claiming(10_000, 9_500), "gross.png", "mehr als 89 Millionen Bildpunkte"),
        (images.photo(400, 300, fmt="GIF", mode="RGB"), "bild.gif", "kein Foto"),
        (images.photo(800, 600)[:2000], "abgeschnitten.jpg", "beschädigt"),
    ],
    ids=["heic", "heic-named-jpg", "text-named-jpg", "bomb", "over-pixel-limit", "gif", "truncated"],
)
def test_refused_upload_says_why_and_stores_nothing(admin_client, table_station, media, data, name, message):
    response = add_photo(admin_client, table_station, data, name)

    assert response.status_code == 200
    assert any(message in error for error in image_errors(response)), image_errors(response)
    assert "Es wurde nichts gespeichert" in " ".join(image_errors(response))
    assert Photo.objects.count() == 0
    assert stored_files(media) == []


def test_upload_over_size_limit_is_refused(admin_client, table_station, media, settings):
    settings.UPLOAD_MAX_MB = 1
    data = images.photo(400, 300) + b"\0" * (2 * 1024 * 1024)

    response = add_photo(admin_client, table_station, data)

    assert response.status_code == 200
    assert "2,0\xa0MB groß; erlaubt sind höchstens 1,0\xa0MB" in image_errors(response)[0]
    assert stored_files(media) == []


def test_alt_text_is_required(admin_client, table_station, media):
    response = add_photo(admin_client, table_station, images.photo(), alt_text="")

    assert response.status_code == 200
    assert response.context["adminform"].form.errors["alt_text"]
    assert Photo.objects.count() == 0


def test_several_photos_at_once_on_the_station_admin(admin_client, table_station, media):
    prefix = "photos"
    data = {
        "table": table_station.table_id,
        "station": table_station.station_id,
        "status": "photo",
        "heading": "",
        f"{prefix}-TOTAL_FORMS": 2,
        f"{prefix}-INITIAL_FORMS": 0,
        f"{prefix}-MIN_NUM_FORMS": 0,
        f"{prefix}-MAX_NUM_FORMS": 1000,
    }
    for index in range(2):
        data |= {
            f"{prefix}-{index}-image": images.upload(images.photo(600 + index, 400), f"foto{index}.jpg"),
            f"{prefix}-{index}-alt_text": f"Flipchart, Teil {index + 1}",
            f"{prefix}-{index}-caption": "",
            f"{prefix}-{index}-position": index + 1,
        }

    response = admin_client.post(f"/admin/results/tablestation/{table_station.pk}/change/", data)

    assert response.status_code == 302, response.context["inline_admin_formsets"][0].formset.errors
    assert list(table_station.photos.values_list("alt_text", "width")) == [
        ("Flipchart, Teil 1", 600),
        ("Flipchart, Teil 2", 601),
    ]


def test_deleted_photo_stays_in_history_with_its_files(table_station, media):
    photo = Photo(table_station=table_station, alt_text="Flipchart", image=images.upload(images.photo()))
    photo.full_clean()
    photo.save()
    names = photo.file_names()

    photo.delete()

    historical = Photo.history.filter(history_type="-").get()
    assert historical.alt_text == "Flipchart"
    assert all((media / name).is_file() for name in names)
    historical.instance.save()
    assert Photo.objects.get().file_names() == names


def test_pdf_validator_checks_the_content():
    pdf = images.upload(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n", "doku.pdf", "application/pdf")
    fake = images.upload(b"<html>kein PDF</html>", "doku.pdf", "application/pdf")

    validate_pdf(pdf)
    with pytest.raises(ValidationError, match="kein PDF-Dokument"):
        validate_pdf(fake)


def test_photo_generator_writes_gps():
    with Image.open(io.BytesIO(images.photo(gps=True))) as image:
        assert image.getexif().get_ifd(0x8825)[2] == images.GPS_LATITUDE


def test_conference_refuses_a_source_file_that_is_no_pdf(media):
    conference = make_conference()
    conference.source_pdf = images.upload(b"MZ\x90\x00 ausfuehrbar", "doku.pdf", "application/pdf")

    with pytest.raises(ValidationError) as error:
        conference.full_clean()

    assert list(error.value.message_dict) == ["source_pdf"]


def test_purge_photos_forgets_a_deleted_photo_and_its_files(table_station, media):
    from io import StringIO

    from django.core.management import call_command

    kept = Photo(table_station=table_station, alt_text="Bleibt", image=images.upload(images.photo()))
    kept.full_clean()
    kept.save()
    gone = Photo(table_station=table_station, alt_text="Weg", image=images.upload(images.photo(500, 400)))
    gone.full_clean()
    gone.save()
    gone_id, gone_names = gone.pk, gone.file_names()
    gone.delete()
    listed = StringIO()
    call_command("purge_photos", "--all-deleted", stdout=listed)
    assert all((media / name).is_file() for name in gone_names)

    call_command("purge_photos", "--all-deleted", "--yes", stdout=StringIO())

    assert f"Would purge the history of 1 deleted photo(s) [{gone_id}] and 0 file(s)." in listed.getvalue()
    assert not Photo.history.filter(id=gone_id).exists()
    assert not any((media / name).exists() for name in gone_names)
    assert all((media / name).is_file() for name in kept.file_names())


@pytest.mark.parametrize("count", [1, 3])
def test_photo_changelist_and_station_page_query_counts_are_constant(
    admin_client, django_assert_num_queries, table_station, media, count
):
    from django.urls import reverse

    for index in range(count):
        photo = Photo(
            table_station=table_station, alt_text=f"Foto {index}", image=images.upload(images.photo(300, 200))
        )
        photo.full_clean()
        photo.save()
    changelist = (
        reverse("admin:results_photo_changelist") + f"?conference__id__exact={table_station.table.conference_id}"
    )
    change = reverse("admin:results_tablestation_change", args=[table_station.pk])
    # Process-wide caches (content types) warm, so the count does not depend on the test order.
    admin_client.get(change)

    with django_assert_num_queries(6):
        listed = admin_client.get(changelist)
    with django_assert_num_queries(8):
        changed = admin_client.get(change)

    assert listed.content.decode().count('name="_selected_action"') == count
    assert changed.content.decode().count('width="160"') == count
