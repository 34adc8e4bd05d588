import io

import cairosvg
import pytest
import zxingcpp
from PIL import Image

from results.qr import qr_svg
from tests.factories import make_conference, make_table


def decode(svg):
    """Rasterise an SVG as a browser would and read the QR code in it."""
    png = cairosvg.svg2png(bytestring=svg, output_width=400, output_height=400, background_color="white")
    return [barcode.text for barcode in zxingcpp.read_barcodes(Image.open(io.BytesIO(png)))]


def test_qr_svg_encodes_the_url():
    svg = qr_svg("https://archiv.example/winnenden-2019/tische/11/", title="Rahmenbedingungen")

    assert decode(svg) == ["https://archiv.example/winnenden-2019/tische/11/"]


def test_qr_svg_is_clean_scalable_svg():
    svg = qr_svg("https://archiv.example/x/", title="Frauen & Kinder").decode()

    assert 'viewBox="0 0 ' in svg
    assert "style=" not in svg
    assert "<script" not in svg
    assert "<title>Frauen &amp; Kinder</title>" in svg


@pytest.mark.django_db
def test_table_qr_view_serves_the_absolute_short_link(client):
    conference = make_conference(slug="fachtag")
    make_table(conference, 7, title="Statusfragen, Zusammenarbeit mit Ausländerbehörde")

    response = client.get("/fachtag/tische/statusfragen-zusammenarbeit-mit-auslaenderbehoerde/qr.svg")

    assert response.status_code == 200
    assert response["Content-Type"] == "image/svg+xml"
    assert decode(response.content) == ["http://testserver/fachtag/tische/7/"]


@pytest.mark.django_db
def test_table_qr_view_unknown_table_is_404(client):
    make_conference(slug="fachtag")

    assert client.get("/fachtag/tische/gibt-es-nicht/qr.svg").status_code == 404
