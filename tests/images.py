"""Images made with Pillow for the upload tests: no photograph is ever part of the repository."""

import io
import struct
import zlib

from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

# A position in Winnenden, as a phone writes it: degrees, minutes, seconds as rationals.
GPS_LATITUDE = (48.0, 52.0, 31.5)
GPS_LONGITUDE = (9.0, 23.0, 52.25)
CAMERA_SERIAL = "SERIAL-4711-0815"


def photo(width=1200, height=800, fmt="JPEG", color=(200, 60, 40), orientation=None, gps=False, mode="RGB"):
    """Bytes of a generated image: the left half coloured, the right half white, so orientation can be seen."""
    image = Image.new(mode, (width, height), "white")
    image.paste(color if mode == "RGB" else (*color, 255), (0, 0, width // 2, height))
    exif = Image.Exif()
    if orientation:
        exif[0x0112] = orientation
    if gps:
        exif[0x010F] = "Testkamera"
        exif[0xA431] = CAMERA_SERIAL  # BodySerialNumber
        gps_ifd = exif.get_ifd(0x8825)
        gps_ifd.update({1: "N", 2: GPS_LATITUDE, 3: "E", 4: GPS_LONGITUDE})
    buffer = io.BytesIO()
    options = {"exif": exif.tobytes()} if (orientation or gps) else {}
    image.save(buffer, fmt, **options)
    return buffer.getvalue()


def upload(data, name="foto.jpg", content_type="image/jpeg"):
    return SimpleUploadedFile(name, data, content_type=content_type)


def _png_chunk(kind, data):
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))


def png_claiming(width, height):
    """A tiny PNG whose header claims width × height pixels: a decompression bomb's calling card."""
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + _png_chunk(b"IHDR", header)
        + _png_chunk(b"IDAT", zlib.compress(b"\x00" * 16))
        + _png_chunk(b"IEND", b"")
    )


def heic_header():
    """The start of a HEIC file as an iPhone writes it (an ISO base media "ftyp" box of brand heic)."""
    return struct.pack(">I", 24) + b"ftypheic" + b"\x00\x00\x00\x00" + b"mif1heic" + b"\x00" * 64
