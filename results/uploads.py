"""
Checks and normalises what editors upload: photos (JPEG, PNG, WebP) and a conference's original PDF.

The content decides, never the file name or the browser's content type. A photo is decoded
with Pillow, turned upright (EXIF orientation), copied into a fresh image so that no
metadata block (EXIF with GPS position and camera serial, XMP, ICC, comments) survives, and
resized once into the renditions the pages show.
"""

import io
import warnings
from dataclasses import dataclass, field

from django.conf import settings
from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _
from PIL import Image, ImageOps, UnidentifiedImageError

ACCEPTED_FORMATS = ["JPEG", "PNG", "WEBP"]
# Widths of the renditions in pixels: a phone, a column of the page, a large screen.
RENDITION_WIDTHS = [480, 960, 1920]
# ISO base media files (HEIC/HEIF from phones, AVIF) start with an "ftyp" box naming their brand.
HEIF_BRANDS = {b"heic", b"heix", b"hevc", b"hevx", b"heim", b"heis", b"mif1", b"msf1", b"avif", b"avis"}


def max_upload_bytes():
    return settings.UPLOAD_MAX_MB * 1024 * 1024


def check_size(file):
    if file.size > max_upload_bytes():
        raise ValidationError(
            _("Die Datei ist %(size)s groß; erlaubt sind höchstens %(max)s. Es wurde nichts gespeichert.")
            % {"size": filesizeformat(file.size), "max": filesizeformat(max_upload_bytes())},
            code="too_large",
        )


def read_head(file, length=32):
    file.seek(0)
    head = file.read(length)
    file.seek(0)
    return head


def validate_pdf(file):
    """A model field validator: the file is a PDF by its content, and not over the upload limit."""
    check_size(file)
    if not read_head(file, 5) == b"%PDF-":
        raise ValidationError(
            _("Diese Datei ist kein PDF-Dokument (ihr Inhalt beginnt nicht wie ein PDF). Es wurde nichts gespeichert."),
            code="not_pdf",
        )


@dataclass
class Rendition:
    width: int
    height: int
    files: dict = field(default_factory=dict)  # extension -> bytes


@dataclass
class PreparedPhoto:
    data: bytes
    extension: str
    width: int
    height: int
    renditions: list


def refuse(message, code):
    raise ValidationError(message, code=code)


def open_photo(file):
    """The uploaded photo decoded by Pillow, or a ValidationError that says why it is refused."""
    check_size(file)
    head = read_head(file)
    if head[4:8] == b"ftyp" and head[8:12] in HEIF_BRANDS:
        refuse(
            _(
                "Dieses Foto ist im Format HEIC/HEIF (so speichern viele Smartphones), das das Archiv nicht "
                "annimmt. Bitte exportieren Sie es als JPEG: am iPhone unter Einstellungen › Kamera › Formate "
                "„Maximale Kompatibilität“ wählen oder das Foto per „Teilen“ › „Als Datei sichern“ als JPEG "
                "weitergeben; am Computer mit der Fotos-App oder einem Bildprogramm „Exportieren als JPEG“. "
                "Es wurde nichts gespeichert."
            ),
            "heif",
        )
    with warnings.catch_warnings():
        # Above MAX_IMAGE_PIXELS Pillow only warns (it refuses at twice that): refuse at the limit itself below.
        warnings.simplefilter("ignore", Image.DecompressionBombWarning)
        try:
            image = Image.open(file, formats=ACCEPTED_FORMATS)
        except Image.DecompressionBombError:
            image = None
        except (UnidentifiedImageError, OSError, ValueError, SyntaxError):
            refuse(
                _(
                    "Diese Datei ist kein Foto in einem der Formate JPEG, PNG oder WebP, gleich wie sie heißt. "
                    "Es wurde nichts gespeichert."
                ),
                "not_image",
            )
    if image is None or image.width * image.height > Image.MAX_IMAGE_PIXELS:
        refuse(
            _(
                "Dieses Bild ist zu groß: Es hat mehr als %(max)s Millionen Bildpunkte (oder gibt das vor) und "
                "könnte den Server lahmlegen. Bitte verkleinern Sie es. Es wurde nichts gespeichert."
            )
            % {"max": Image.MAX_IMAGE_PIXELS // 1_000_000},
            "too_many_pixels",
        )
    try:
        image.load()
    except (OSError, ValueError, SyntaxError):
        refuse(
            _("Dieses Foto ist beschädigt oder unvollständig und lässt sich nicht lesen. Es wurde nichts gespeichert."),
            "broken",
        )
    return image


def clean_copy(image):
    """The image upright, as a fresh image without any of the file's metadata."""
    image = ImageOps.exif_transpose(image)
    has_alpha = image.mode in {"RGBA", "LA", "PA"} or (image.mode == "P" and "transparency" in image.info)
    mode = "RGBA" if has_alpha else "RGB"
    # Rebinding `image` lets each intermediate copy go at once: a large photo is held twice at most.
    image = image.convert(mode)
    clean = Image.new(mode, image.size)
    clean.paste(image)
    return clean


def encode(image, extension, **options):
    buffer = io.BytesIO()
    if extension == "jpg":
        if image.mode != "RGB":
            background = Image.new("RGB", image.size, "white")
            background.paste(image, mask=image.getchannel("A"))
            image = background
        image.save(buffer, "JPEG", quality=options.get("quality", 82), optimize=True, progressive=True)
    elif extension == "webp":
        image.save(buffer, "WEBP", quality=options.get("quality", 78), method=4)
    else:
        image.save(buffer, "PNG", optimize=True)
    return buffer.getvalue()


def prepare_photo(file):
    """Check, normalise and resize an uploaded photo; raises ValidationError with a German message."""
    clean = clean_copy(open_photo(file))
    # Transparency survives as PNG; everything else becomes a JPEG without metadata.
    extension = "png" if clean.mode == "RGBA" else "jpg"
    data = encode(clean, extension, quality=90)
    renditions = []
    widths = [width for width in RENDITION_WIDTHS if width < clean.width] or [clean.width]
    if clean.width > widths[-1] and clean.width < RENDITION_WIDTHS[-1]:
        # A photo between two steps: its own width is the largest rendition.
        widths.append(clean.width)
    for width in widths:
        height = max(1, round(clean.height * width / clean.width))
        resized = (
            clean if width == clean.width else clean.resize((width, height), Image.Resampling.LANCZOS, reducing_gap=3.0)
        )
        renditions.append(Rendition(width, height, {"webp": encode(resized, "webp"), "jpg": encode(resized, "jpg")}))
    return PreparedPhoto(data, extension, clean.width, clean.height, renditions)
