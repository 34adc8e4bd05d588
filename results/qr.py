"""QR codes for printed table signs (segno: pure Python, no image libraries)."""

import io

import segno
from django.utils.safestring import mark_safe


def qr_svg(url, title="", svgclass="qr", xmldecl=True):
    """An SVG QR code of `url`: one module per millimetre with a viewBox, so CSS can scale it."""
    code = segno.make(url, micro=False, error="m")
    buffer = io.BytesIO()
    code.save(
        buffer,
        kind="svg",
        scale=1,
        unit="mm",
        border=4,
        light="#fff",
        title=title or None,
        nl=False,
        svgclass=svgclass,
        xmldecl=xmldecl,
    )
    return buffer.getvalue()


def qr_svg_inline(url, label):
    """The SVG to put inside a page (a printed sign): an image named by label, no XML declaration."""
    svg = qr_svg(url, title=label, svgclass="sign-qr", xmldecl=False).decode()
    return mark_safe(svg.replace("<svg ", '<svg role="img" ', 1))  # segno escapes the title


def qr_png(url, title=""):
    """The same code as a PNG (for slides and word processors): ten pixels a module, black on white."""
    buffer = io.BytesIO()
    segno.make(url, micro=False, error="m").save(buffer, kind="png", scale=10, border=4, light="#fff")
    return buffer.getvalue()
