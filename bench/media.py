"""
A photo rendition served by the media WhiteNoise (results/media.py) against a static file,
on the same gunicorn in the same run, as a ratio. Loopback only; every wrk run is bounded.

    python bench/media.py [--engine sqlite|postgres] [--duration 10] [--connections 16]

The rendition is a generated 960 px WebP in a media directory of its own (var/bench-media);
no database row is needed to serve it. Figures: docs/performance.md.
"""

import argparse
import io
import os
import platform
import sys
from datetime import date
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from common import ROOT, Server, prepare, static_path, wrk

MEDIA_ROOT = ROOT / "var" / "bench-media"
RENDITION = "fotos/bench-960.webp"


def make_rendition():
    from PIL import Image, ImageDraw

    image = Image.new("RGB", (960, 720), "white")
    draw = ImageDraw.Draw(image)
    for step in range(0, 960, 24):
        draw.line([(step, 0), (960 - step, 720)], fill=(180, 40 + step % 200, 60), width=3)
    buffer = io.BytesIO()
    image.save(buffer, "WEBP", quality=78)
    path = MEDIA_ROOT / RENDITION
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(buffer.getvalue())
    return path


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--engine", choices=["sqlite", "postgres"], default="sqlite")
    parser.add_argument("--duration", type=int, default=10)
    parser.add_argument("--connections", type=int, default=16)
    args = parser.parse_args()
    env = prepare(args.engine, 0)
    size = make_rendition().stat().st_size
    static = static_path()
    with Server(env, DJANGO_MEDIA_ROOT=str(MEDIA_ROOT)) as server:
        before = wrk(server.url(static), args.duration, args.connections)
        media = wrk(server.url("/media/" + RENDITION), args.duration, args.connections)
        after = wrk(server.url(static), args.duration, args.connections)
    static_rps = (before["rps"] + after["rps"]) / 2
    print(f"\n## media: a {size // 1024} KB rendition against a static file")
    print(f"{date.today()}, {platform.machine()}, {os.cpu_count()} CPUs, wrk -c{args.connections} -d{args.duration}s")
    print("| file | requests/s | ratio to static | p50 ms | p99 ms | errors |")
    print("|---|---:|---:|---:|---:|---:|")
    for name, result in [
        ("static file (before)", before),
        ("rendition 960 px WebP", media),
        ("static file (after)", after),
    ]:
        errors = result["socket_errors"] + result["non_2xx"]
        print(
            f"| {name} | {result['rps']:.0f} | {result['rps'] / static_rps:.2f} "
            f"| {result['p50']:.1f} | {result['p99']:.1f} | {errors} |"
        )


if __name__ == "__main__":
    main()
