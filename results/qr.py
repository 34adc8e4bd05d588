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
