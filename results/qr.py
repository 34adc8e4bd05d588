"""QR codes for printed table signs (segno: pure Python, no image libraries)."""

import io

import segno


def qr_svg(url, title=""):
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
        svgclass="qr",
    )
    return buffer.getvalue()


def qr_png(url, title=""):
    """The same code as a PNG (for slides and word processors): ten pixels a module, black on white."""
    buffer = io.BytesIO()
    segno.make(url, micro=False, error="m").save(buffer, kind="png", scale=10, border=4, light="#fff")
    return buffer.getvalue()
